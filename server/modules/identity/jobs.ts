// Identity's scheduled jobs (started by server/serve.ts through server/platform/jobs.ts).
import { isNull, lt, or } from 'drizzle-orm';
import { FAILURE_MEMORY_HOURS } from '../../../core/access/lockout.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { signInThrottle } from './identity.tables.ts';

/**
 * Deletes the lock-out state of emails that are no account once it no longer counts: a
 * day after the last failure every count is forgotten (and a lock lasts minutes), so
 * removing the row changes no answer.
 */
export async function pruneSignInThrottle(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - FAILURE_MEMORY_HOURS * 3600_000);
  const gone = await db
    .delete(signInThrottle)
    .where(or(lt(signInThrottle.lastFailureAt, before), isNull(signInThrottle.lastFailureAt)))
    .returning({ k: signInThrottle.emailSha256 });
  return gone.length;
}

export function identityJobs(db: Db): JobSpec[] {
  return [{ name: 'identity-prune-sign-in-throttle', cron: '41 * * * *', everySeconds: 3600, run: (now) => pruneSignInThrottle(db, now) }];
}
