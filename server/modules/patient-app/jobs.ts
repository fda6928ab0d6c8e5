// The patient app's scheduled job (started by server/serve.ts through server/platform/jobs.ts).
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { patientEventListeners } from './patient-app.tables.ts';

/**
 * Removes the live-stream listings of server processes that are gone (ADR 063): a running
 * process refreshes its rows every minute (events.ts), so a row 10 minutes old belongs to a
 * process that stopped without removing it (killed, crashed). By the database's clock, the
 * one `seen_at` is written by. Returns how many went.
 */
export async function pruneGoneListeners(db: Db): Promise<number> {
  const gone = await db
    .delete(patientEventListeners)
    .where(lt(patientEventListeners.seenAt, sql`now() - interval '10 minutes'`))
    .returning({ hubId: patientEventListeners.hubId });
  return gone.length;
}

export function patientAppJobs(db: Db): JobSpec[] {
  return [{ name: 'patient-app-prune-listeners', cron: '*/5 * * * *', everySeconds: 300, run: () => pruneGoneListeners(db) }];
}
