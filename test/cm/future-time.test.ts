// A time that has not happened yet is refused: a specimen collected, or a check-in made,
// more than five minutes (core/cm/time-rules.ts) after the server's clock is 400 naming
// the field, and nothing is written (no event, no ledger entry, no audit row). A device
// clock a few minutes ahead is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { enrolled, specimen } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld();
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => {
  await w?.close();
});

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const later = (ms: number) => new Date(w.clock.now.getTime() + ms).toISOString();
const n = async (sql: string, params: unknown[]) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);
/** What a recording writes for this patient: events, ledger entries, audit rows. */
const written = async (patientId: string) => ({
  specimens: await n("select count(*) as n from cm_events where patient_id = $1 and kind = 'specimen'", [patientId]),
  events: await n('select count(*) as n from cm_events where patient_id = $1', [patientId]),
  ledger: await n('select count(*) as n from cm_ledger_entries where patient_id = $1', [patientId]),
  audit: await n('select count(*) as n from audit_events where patient_id = $1', [patientId]),
});

describe('POST /specimens with collectedAt in the future', () => {
  it('refuses +1, +7 and +30 days with 400 naming body.collectedAt and writes nothing; +4 minutes is accepted', async () => {
    const { patientId } = await enrolled(w, coord);
    const before = await written(patientId);
    for (const days of [1, 7, 30]) {
      const r = await collector.post('/api/v1/specimens', specimen(patientId, later(days * DAY)));
      const p = expectProblem(r, 400, 'invalid_input', 'body.collectedAt');
      expect(p.problems!.find((x) => x.field === 'body.collectedAt')!.message).toMatch(/later than now/);
    }
    // with an idempotency key too (the retry path)
    expectProblem(await collector.post('/api/v1/specimens', specimen(patientId, later(DAY)), { 'idempotency-key': 'future-1' }), 400, 'invalid_input', 'body.collectedAt');
    expect(await written(patientId)).toEqual(before);

    const ok = await collector.post('/api/v1/specimens', specimen(patientId, later(4 * MIN)));
    expect(ok.statusCode, ok.body).toBe(200);
    const after = await written(patientId);
    expect(after.specimens).toBe(before.specimens + 1);
    expect(after.ledger).toBeGreaterThan(before.ledger);
  });
});

describe('POST /cm/check-ins with at in the future', () => {
  it('refuses +1, +7 and +30 days with 400 naming body.at and writes nothing; +4 minutes is accepted', async () => {
    const { patientId } = await enrolled(w, coord);
    const before = await written(patientId);
    for (const days of [1, 7, 30]) {
      for (const kind of ['attendance', 'dose'] as const) {
        expectProblem(await collector.post('/api/v1/cm/check-ins', { patientId, kind, at: later(days * DAY), done: true }), 400, 'invalid_input', 'body.at');
      }
    }
    expect(await written(patientId)).toEqual(before);

    const ok = await collector.post('/api/v1/cm/check-ins', { patientId, kind: 'attendance', at: later(4 * MIN), done: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await written(patientId)).events).toBe(before.events + 1);
    // no time given: now
    const now = await collector.post('/api/v1/cm/check-ins', { patientId, kind: 'dose', done: true });
    expect(now.statusCode, now.body).toBe(200);
  });
});
