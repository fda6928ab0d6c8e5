// Peer outreach's scheduled job (started by server/serve.ts through server/platform/jobs.ts):
// overdue and missed contacts → escalations, once per contact, catching up after downtime.
import type { Db } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { escalateOverdue } from './outreach.ts';

export function peersJobs(db: Db): JobSpec[] {
  return [{ name: 'peer-escalate-overdue', cron: '*/10 * * * *', everySeconds: 600, run: (now) => escalateOverdue(db, now) }];
}
