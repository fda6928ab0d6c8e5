// Failed jobs keep no patient data, SQL parameters or stack traces (server/platform/jobs.ts):
// pg-boss stores what a handler throws in pgboss.job.output, and the log gets the same
// stable code, queue and job id, with the error's class and SQLSTATE for operators.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/platform/db/database.ts';
import { errorKind, startJobs, type JobEvent, type JobRunner } from '../../server/platform/jobs.ts';
import { testDatabase } from '../support/db.ts';

// fictional, and recognisable if it leaked anywhere
const PATIENT = 'Quillbert Zyxwvutsonian';
const MRN = 'MRN-ZQ-90417';

let database: Database & { url?: string };
let runner: JobRunner;
const logged: JobEvent[] = [];

beforeAll(async () => {
  database = await testDatabase();
  runner = await startJobs({
    databaseUrl: database.url,
    pglite: database.kind === 'pglite' ? (database.db as unknown as { $client: Parameters<typeof startJobs>[0]['pglite'] }).$client : undefined,
    pollingIntervalSeconds: 0.5,
    jobs: [
      {
        name: 'test-leaky-failure',
        cron: '0 0 1 1 *',
        everySeconds: 3600,
        // a database error whose message quotes the refused value, wrapped by drizzle with the statement and its parameters
        run: async () => database.db.execute(sql`select ${`${PATIENT} ${MRN}`}::int as n, ${PATIENT} as name`),
      },
    ],
    log: (e) => logged.push(e),
  });
  expect(runner.kind).toBe('pg-boss');
}, 120_000);
afterAll(async () => {
  await runner?.stop();
  await database?.close();
});

/** The job's row once its worker has failed it (polls; pg-boss's worker picks it up on its own schedule). */
async function failedRow(id: string) {
  for (let i = 0; i < 600; i++) {
    const [row] = await database.query<{ state: string; output: unknown }>('select state, output from pgboss.job where id = $1', [id]);
    if (row && row.state === 'failed') return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not fail`);
}

describe('a failing job', () => {
  it('stores and logs a stable code, the queue, the job id, the error class and SQLSTATE: no name, MRN, SQL or stack', async () => {
    const jobId = await runner.send('test-leaky-failure');
    const row = await failedRow(jobId);
    const expected = { code: 'job_failed', queue: 'test-leaky-failure', jobId, errorClass: 'DrizzleQueryError', sqlState: '22P02' };
    expect(row.output).toEqual(expected);
    // each attempt (pg-boss retries before it marks the job failed) logged the same event
    const log = logged.filter((e) => e.code === 'job_failed');
    expect(log.length).toBeGreaterThan(0);
    for (const e of log) expect(e).toEqual(expected);
    // nothing stored or logged by this run (nor anything else in the job table) carries the data, the statement or a stack
    const everything = JSON.stringify([await database.query('select * from pgboss.job'), logged]);
    for (const leak of [PATIENT, 'Zyxwvutsonian', MRN, 'select', '::int', 'params', 'invalid input syntax', '    at ', 'stack', '.ts:']) {
      expect(everything, leak).not.toContain(leak);
    }
  });
});

describe('errorKind', () => {
  it('keeps a class name and a SQLSTATE, never free text posing as either', () => {
    expect(errorKind(Object.assign(new Error('duplicate key value (mrn)=(A-1)'), { code: '23505' }))).toEqual({ errorClass: 'Error', sqlState: '23505' });
    expect(errorKind(new TypeError(PATIENT))).toEqual({ errorClass: 'TypeError' });
    expect(errorKind(Object.assign(new Error('x'), { name: PATIENT }))).toEqual({ errorClass: 'Error' });
    const named = new Error('x');
    Object.defineProperty(named, 'constructor', { value: { name: `${PATIENT} was here` } });
    expect(errorKind(named)).toEqual({ errorClass: 'Error' });
    expect(errorKind(Object.assign(new Error('x'), { code: `${MRN}` }))).toEqual({ errorClass: 'Error' });
    expect(errorKind(`${PATIENT} failed`)).toEqual({ errorClass: 'string' });
    expect(errorKind(new (class LabFeedError extends Error {})('x', { cause: { code: '40001' } }))).toEqual({ errorClass: 'LabFeedError', sqlState: '40001' });
  });
});
