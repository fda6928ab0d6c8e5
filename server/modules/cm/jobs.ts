// CM's scheduled jobs (started by server/serve.ts through server/platform/jobs.ts).
import type { Db } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { closeMissedOpportunities } from './missed.ts';
import { rotateDueSeeds } from './ledger.ts';

export function cmJobs(db: Db): JobSpec[] {
  return [
    { name: 'cm-close-missed', cron: '*/5 * * * *', everySeconds: 300, run: (now) => closeMissedOpportunities(db, now) },
    { name: 'cm-rotate-seeds', cron: '17 3 * * *', everySeconds: 3600, run: (now) => rotateDueSeeds(db, now) },
  ];
}
