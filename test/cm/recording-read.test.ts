// A recording without an Idempotency-Key reads the patient's CM history in one statement
// without locks and writes in one statement kept only if the enrolment's history version is
// still the one read (ADR 018); with a privilege track it records under the enrolment locks.
// Whatever wrote in between — a redemption, a correction, another server — the award and
// balance must equal what a full read gives, either way.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { cmEnrolments, cmLedgerEntries } from '../../server/modules/cm/cm.tables.ts';
import { writeIfHistoryCurrent } from '../../server/modules/cm/settle.ts';
import { AFTER_RECORDINGS, clinicProtocol, enrolled, ledgerBalanceWithUnshown, specimen, withoutPrivilege, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

const ledgerBalance = (patientId: string) => ledgerBalanceWithUnshown(w, coord, patientId);
const record = async (patientId: string, date: string) => {
  const r = await collector.post('/api/v1/specimens', specimen(patientId, `${date}T14:00:00Z`));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
};

describe.each([
  ['under the enrolment locks', () => clinicProtocol()],
  ['optimistically', () => withoutPrivilege(clinicProtocol())],
])('recording %s', (_, protocol) => {
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
    const insert = (seq: number | null, cents: number) =>
      w.database.query(
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

describe('the write guarded by the history version', () => {
  it('writes all of its statement when the version is the one read, and none of it otherwise', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: withoutPrivilege(clinicProtocol()) });
    const { db } = w.database;
    const programId = w.programA;
    const version = async () => (await db.select({ v: cmEnrolments.historyVersion }).from(cmEnrolments).where(eq(cmEnrolments.id, enrolmentId)))[0]!.v;
    const entries = async () => (await db.select({ id: cmLedgerEntries.id }).from(cmLedgerEntries).where(eq(cmLedgerEntries.enrolmentId, enrolmentId))).length;
    const write = (read: number) => {
      const entry = db.$with('entry').as(
        db.insert(cmLedgerEntries).values({
          programId,
          id: randomUUID(),
          enrolmentId,
          patientId,
          entryKey: `test/${randomUUID()}`,
          kind: 'adjustment',
          cents: 100,
          reason: 'guard test',
          createdAt: new Date(),
        }),
      );
      const state = db.$with('enrolment_state').as(
        db
          .update(cmEnrolments)
          .set({ historyVersion: sql`${cmEnrolments.historyVersion} + 1` })
          .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, enrolmentId), eq(cmEnrolments.historyVersion, read)))
          .returning({ id: cmEnrolments.id }),
      );
      return writeIfHistoryCurrent(db, [entry, state], state);
    };
    const read = await version();
    const before = await entries();
    expect(await write(read)).toBe(true);
    expect(await entries()).toBe(before + 1);
    expect(await version()).toBe(read + 1);
    // another writer came first: the version read is stale, and the entry is undone with the statement
    expect(await write(read)).toBe(false);
    expect(await entries()).toBe(before + 1);
    expect(await version()).toBe(read + 1);
  });
});
