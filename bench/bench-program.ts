// What the database benchmarks of one programme share: a fictional organisation and programme
// to load their data into, and the median they report.
import { inTransaction, type Db } from '../server/platform/db/database.ts';
import { createOrganization, createProgram } from '../server/modules/programs/bootstrap.ts';

/** A new fictional organisation with one programme, in one transaction. */
export function benchProgram(db: Db, name: string, now: Date, timeZone = 'America/New_York'): Promise<{ orgId: string; programId: string }> {
  return inTransaction(db, async (tx) => {
    const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now });
    return { orgId, programId: await createProgram(tx, { orgId, name, timeZone, now }) };
  });
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
