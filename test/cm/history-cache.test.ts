// Recording reads an enrolment's history through a per-server cache that fetches only
// what was written since (ADR 012). Whatever wrote in between — a redemption, a
// correction, another server, a row this server never saw — the award and balance
// must equal what a full read gives, whether the recording runs under the enrolment locks
// or optimistically (ADR 014).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { AFTER_RECORDINGS, clinicProtocol, enrolled, ledgerBalanceWithUnshown, specimen, withoutPrivilege, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => { await w?.close(); });
beforeEach(() => { w.clock.now = new Date(AFTER_RECORDINGS); });

const ledgerBalance = (patientId: string) => ledgerBalanceWithUnshown(w, coord, patientId);
const record = async (patientId: string, date: string) => {
  const r = await collector.post('/api/v1/specimens', specimen(patientId, `${date}T14:00:00Z`));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
};

describe.each([
  ['under the enrolment locks', () => clinicProtocol()],
  ['optimistically', () => withoutPrivilege(clinicProtocol())],
])('history cache, recording %s', (_, protocol) => {
  it('sees a redemption and a correction written between two recordings', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: protocol() });
    await record(patientId, '2026-03-02');
    await record(patientId, '2026-03-04');
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Snack voucher (test)', kind: 'item', valueCents: 300, stock: 5 })).json() as { id: string };
    const red = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'signature' } });
    expect(red.statusCode, red.body).toBe(200);
    const third = await record(patientId, '2026-03-06');
    expect(third.award.balanceCents).toBe(await ledgerBalance(patientId));
    // a laboratory finds the first cup positive: the correction claws back; the next recording knows
    const first = (await w.database.query<{ id: string }>("select id from cm_events where patient_id = $1 and kind = 'specimen' order by at limit 1", [patientId]))[0]!;
    const corr = await coord.post(`/api/v1/specimens/${first.id}/corrections`, { method: 'confirmatory', results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'laboratory confirmation' });
    expect(corr.statusCode, corr.body).toBe(200);
    const fourth = await record(patientId, '2026-03-09');
    expect(fourth.award.balanceCents).toBe(await ledgerBalance(patientId));
    // the first cup failed, so the run is the three since (four, had the correction been missed)
    expect(fourth.award.outcomes.find((o) => o.track === 'stim')).toMatchObject({ outcome: 'success', s: 3 });
  });

  it('sees an entry another server wrote, even one numbered before what it already read', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: protocol() });
    await record(patientId, '2026-03-02');
    const programId = w.programA;
    const insert = (seq: number | null, cents: number) => w.database.query(
      `insert into cm_ledger_entries (program_id, id, ${seq === null ? '' : 'seq, '}enrolment_id, patient_id, entry_key, kind, cents, reason, created_at)
       ${seq === null ? '' : 'overriding system value '}values ($1, $2, ${seq === null ? '' : `${seq}, `}$3, $4, $5, 'adjustment', $6, 'written by another server (test)', now())`,
      [programId, randomUUID(), enrolmentId, patientId, `test/${randomUUID()}`, cents],
    );
    await insert(null, 700); // after what the cache holds
    const second = await record(patientId, '2026-03-04');
    expect(second.award.balanceCents).toBe(await ledgerBalance(patientId));
    await insert(1, 300); // numbered before it: only the count shows it
    const third = await record(patientId, '2026-03-06');
    expect(third.award.balanceCents).toBe(await ledgerBalance(patientId));
  });
});
