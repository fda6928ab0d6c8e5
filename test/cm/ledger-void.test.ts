// Voiding a ledger entry (POST /cm/ledger-entries/{id}/void): a new immutable 'void' entry
// with its reason, in one transaction with its audit row; never an edit. Refused for a
// void, an entry already void, a redemption, a forgiven entry, a fulfilled prize, a
// balance that would go below zero, and another programme's entry. The ledger read marks
// the voided entry, shows the void with its reason, and the balance leaves it out; the
// engine never posts a voided entry again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { onPostgres } from '../support/db.ts';
import { AFTER_RECORDINGS, clinicProtocol, enrolled, NEG, showDraws, specimen, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  admin = await w.client('administrator');
  // redemptions in these tests complete at once (no second person)
  expect((await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 1_000_000 })).statusCode).toBe(200);
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

type Entry = {
  id: string;
  kind: string;
  cents: number;
  eventId: string | null;
  n: number | null;
  tier: string | null;
  reason: string | null;
  balanceCents: number;
  voided: boolean;
  voidedByEntryId: string | null;
  voidsEntryId: string | null;
  voidsKind: string | null;
};
type Ledger = { balanceCents: number; items: Entry[] };
type Voided = { entry: Entry; voided: Entry; balanceCents: number };

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => w.database.query<T>(sql, params);
const n = async (sql: string, params: unknown[] = []) => Number((await q<{ n: string | number }>(sql, params))[0]?.n ?? 0);
/** The ledger read after the draw screen showed every draw (a prize not shown yet is left out of the read's balance). */
const ledger = async (patientId: string) => {
  await showDraws(w, coord, patientId);
  return (await coord.get(`/api/v1/patients/${patientId}/ledger`)).json() as Ledger;
};
const voidIt = (c: Client, id: string, reason: unknown = 'posted in error (test)', headers?: Record<string, string>) => c.post(`/api/v1/cm/ledger-entries/${id}/void`, { reason }, headers);
const POS_COCAINE = NEG.map((x) => (x.analyte === 'cocaine' ? { ...x, result: 'positive' } : x));

describe('voiding a ledger entry', () => {
  it('appends a void with its reason, marks the voided entry, takes it out of the balance, and audits ids only', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    const before = await ledger(patientId);
    const rowsBefore = await q('select * from cm_ledger_entries where patient_id = $1 order by seq', [patientId]);
    const reason = '  Recorded for the wrong patient (test)  ';
    const r = await voidIt(coord, earn.id, reason);
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json() as Voided;
    expect(v.entry).toMatchObject({ kind: 'void', cents: 250, reason: 'Recorded for the wrong patient (test)', voidsEntryId: earn.id, voidsKind: 'earn', eventId: rec.specimen.id });
    expect(v.voided).toMatchObject({ id: earn.id, voided: true, voidedByEntryId: v.entry.id });
    expect(v.balanceCents).toBe(before.balanceCents - 250);
    // nothing edited: the earlier rows are exactly as they were, one row added
    const rowsAfter = await q('select * from cm_ledger_entries where patient_id = $1 order by seq', [patientId]);
    expect(rowsAfter.slice(0, rowsBefore.length)).toEqual(rowsBefore);
    expect(rowsAfter).toHaveLength(rowsBefore.length + 1);
    // the ledger read: the void with its reason, the voided entry marked, the balance without it
    const after = await ledger(patientId);
    expect(after.balanceCents).toBe(before.balanceCents - 250);
    const shownEarn = after.items.find((e) => e.id === earn.id)!;
    expect(shownEarn).toMatchObject({ voided: true, voidedByEntryId: v.entry.id });
    const shownVoid = after.items.at(-1)!;
    expect(shownVoid).toMatchObject({ id: v.entry.id, kind: 'void', reason: 'Recorded for the wrong patient (test)', voidsEntryId: earn.id, balanceCents: after.balanceCents });
    expect(after.items.filter((e) => e.kind !== 'void').every((e) => e.voidsEntryId === null)).toBe(true);
    // the running balance never changes an earlier line: the void takes the amount out when it is posted
    expect(after.items.slice(0, -1).map((e) => e.balanceCents)).toEqual(before.items.map((e) => e.balanceCents));
    // summaries and caps leave it out too
    const summary = (await coord.get(`/api/v1/cm/patients/${patientId}/summary`)).json() as {
      balanceCents: number;
      earnedCents: number;
      calendar: Array<{ date: string; kind: string; cents: number }>;
    };
    expect(summary.balanceCents).toBe(after.balanceCents);
    expect(summary.calendar.find((c) => c.date === '2026-03-02' && c.kind === 'specimen')!.cents).toBe(0);
    // one audit row, in the same transaction: ids, kind and amounts, never the reason's text
    const audit = await q<{ detail: Record<string, unknown>; patient_id: string; entity_id: string }>(
      "select detail, patient_id, entity_id from audit_events where action = 'void' and entity = 'cm-ledger' and patient_id = $1",
      [patientId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(v.entry.id);
    expect(audit[0]!.detail).toMatchObject({ voidedEntryId: earn.id, kind: 'earn', cents: 250, reasonLength: reason.trim().length });
    expect(JSON.stringify(audit[0]!.detail)).not.toContain('wrong patient');
    // the database refuses to edit or delete the void
    await expect(q('update cm_ledger_entries set reason = $2 where id = $1', [v.entry.id, 'x'])).rejects.toThrow();
    await expect(q('delete from cm_ledger_entries where id = $1', [v.entry.id])).rejects.toThrow();
  });

  it('the engine never posts a voided entry again: later recordings and corrections settle around it', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    expect((await voidIt(coord, earn.id)).statusCode).toBe(200);
    const balance = (await ledger(patientId)).balanceCents;
    // the next success pays by the rules (the run goes on), nothing re-posts the voided 250
    const rec2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'))).json() as Recorded;
    expect(rec2.award.entries.filter((e) => e.kind !== 'prize').map((e) => `${e.kind}:${e.cents}`)).toEqual(['earn:375']);
    expect(await n("select count(*) as n from cm_ledger_entries where enrolment_id = $1 and event_id = $2 and kind in ('earn','adjustment')", [enrolmentId, rec.specimen.id])).toBe(1);
    // a correction to positive: less owed, and the voided money is forgiven, never taken twice
    const cor = (await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'lab confirmation (test)' })).json() as Recorded;
    const stim = cor.award.entries.filter((e) => e.track === 'stim');
    expect(stim.map((e) => e.kind)).toContain('forgiven');
    expect(stim.filter((e) => e.kind === 'debit')).toEqual([]);
    const l = await ledger(patientId);
    const prizes = rec2.award.entries.filter((e) => e.kind === 'prize').reduce((a, e) => a + e.cents, 0);
    // rec2's earn is now 250 (first success after a failure): 125 forgiven from it, nothing debited
    expect(l.balanceCents).toBe(balance + 375 + prizes);
  });

  it('refuses: a void, an entry already void, a redemption, a forgiven entry, and a balance that would go below zero', async () => {
    const { patientId } = await enrolled(w, coord);
    const r1 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const r2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'))).json() as Recorded;
    const earn1 = r1.award.entries.find((e) => e.kind === 'earn')!;
    const earn2 = r2.award.entries.find((e) => e.kind === 'earn')!;
    const v = (await voidIt(coord, earn1.id)).json() as Voided;
    expectProblem(await voidIt(coord, v.entry.id), 409, 'cannot_void_void', 'params.id');
    expectProblem(await voidIt(admin, earn1.id), 409, 'already_voided', 'params.id');
    // spend the balance down to less than earn2 (375): a $5.00 item, the prizes stay
    const { balanceCents } = await ledger(patientId);
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Void test card (fictional)', kind: 'gift-card', valueCents: balanceCents - 100, stock: 5 })).json() as { id: string };
    const red = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } });
    expect(red.json()).toMatchObject({ status: 'completed' });
    const l = await ledger(patientId);
    expect(l.balanceCents).toBe(100);
    const neg = expectProblem(await voidIt(coord, earn2.id), 409, 'negative_balance', 'params.id');
    expect(neg.detail).toMatch(/below zero/);
    const redemption = l.items.find((e) => e.kind === 'redemption')!;
    const refusal = expectProblem(await voidIt(coord, redemption.id), 409, 'redemption_not_voidable', 'params.id');
    expect(refusal.detail).toMatch(/received the item/);
    // a correction forgives: a forgiven entry moves no money
    const cor = (await coord.post(`/api/v1/specimens/${r2.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'lab confirmation (test)' })).json() as Recorded;
    const forgiven = cor.award.entries.find((e) => e.kind === 'forgiven')!;
    expectProblem(await voidIt(coord, forgiven.id), 409, 'nothing_to_void', 'params.id');
    // nothing written by any refusal
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'void'", [patientId])).toBe(1);
    expect(await n("select count(*) as n from audit_events where action = 'void' and patient_id = $1", [patientId])).toBe(1);
  });

  it('a prize: voided before it is fulfilled it leaves the draw screen and cannot be redeemed, with no make-up draw; a fulfilled prize is refused', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const prize = rec.award.entries.find((e) => e.kind === 'prize')!;
    expect((await voidIt(coord, prize.id, 'draw owed to another patient (test)')).statusCode).toBe(200);
    const draws = (await coord.get(`/api/v1/cm/enrolments/${enrolmentId}/draws`)).json() as { items: Array<{ n: number }>; undrawn: number };
    expect(draws.items.map((d) => d.n)).not.toContain(prize.n);
    const item = (await coord.post('/api/v1/cm/catalogue', { name: `Prize item ${prize.tier} (fictional)`, kind: 'item', valueCents: 100, prizeTier: prize.tier, stock: 5 })).json() as { id: string };
    expectProblem(
      await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, prizeEntryId: prize.id, acknowledgement: { acknowledged: true, method: 'verbal' } }),
      409,
      'prize_voided',
    );
    // the next recording draws number 2, and draw 1 is not made up
    const rec2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'))).json() as Recorded;
    expect(rec2.award.entries.filter((e) => e.kind === 'prize').map((e) => e.n)).toEqual([2, 3]);
    expect(await n("select count(*) as n from cm_ledger_entries where enrolment_id = $1 and kind = 'prize' and event_id = $2", [enrolmentId, rec.specimen.id])).toBe(1);
    // a prize the patient already has (a 'none' slip is fulfilled with a 'none' item too): refused
    const prize2 = rec2.award.entries.find((e) => e.kind === 'prize')!;
    await showDraws(w, coord, patientId); // a prize is fulfilled once its draw is shown
    const item2 = (await coord.post('/api/v1/cm/catalogue', { name: `Prize item 2 ${prize2.tier} (fictional)`, kind: 'item', valueCents: 100, prizeTier: prize2.tier, stock: 5 })).json() as {
      id: string;
    };
    const red = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item2.id, prizeEntryId: prize2.id, acknowledgement: { acknowledged: true, method: 'verbal' } });
    expect(red.json()).toMatchObject({ status: 'completed' });
    expectProblem(await voidIt(coord, prize2.id), 409, 'prize_fulfilled', 'params.id');
  });

  it('a debit (clawback) can be voided: the money goes back, and the engine does not take it again', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: clinicProtocol({ clawback: true }) });
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const cor = (await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'lab confirmation (test)' })).json() as Recorded;
    const debit = cor.award.entries.find((e) => e.kind === 'debit')!;
    expect(debit.cents).toBe(250);
    const before = (await ledger(patientId)).balanceCents;
    const v = await voidIt(coord, debit.id, 'clawback not applied to this patient (test)');
    expect(v.statusCode, v.body).toBe(200);
    expect((v.json() as Voided).balanceCents).toBe(before + 250);
    const l = await ledger(patientId);
    expect(l.items.at(-1)).toMatchObject({ kind: 'void', voidsKind: 'debit', balanceCents: before + 250 });
    const rec2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', POS_COCAINE))).json() as Recorded;
    expect(rec2.award.entries.filter((e) => e.kind === 'debit')).toEqual([]);
    expect((await ledger(patientId)).balanceCents).toBe(before + 250 + rec2.award.entries.filter((e) => e.kind === 'prize').reduce((a, e) => a + e.cents, 0));
  });

  it('bad input is a 400 naming the field; only administrators and CM coordinators may void; another programme’s entry is a 404', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    const url = `/api/v1/cm/ledger-entries/${earn.id}/void`;
    expectProblem(await coord.post(url, {}), 400, 'invalid_input', 'body.reason');
    expectProblem(await coord.post(url, { reason: '   ' }), 400, 'invalid_input', 'body.reason');
    expectProblem(await coord.post(url, { reason: 'x'.repeat(501) }), 400, 'invalid_input', 'body.reason');
    expectProblem(await coord.post(url, { reason: 42 }), 400, 'invalid_input', 'body.reason');
    expectProblem(await coord.post(url, { reason: 'ok', cents: 0 }), 400, 'invalid_input', 'body.cents');
    expectProblem(await coord.post('/api/v1/cm/ledger-entries/not-a-uuid/void', { reason: 'x' }), 400, 'invalid_input', 'params.id');
    expectProblem(await coord.post('/api/v1/cm/ledger-entries/00000000-0000-4000-8000-000000000000/void', { reason: 'x' }), 404, 'not_found');
    for (const role of ['specimen-collector', 'counsellor', 'prescriber', 'front-desk', 'auditor'] as const) {
      expectProblem(await voidIt(await w.client(role), earn.id), 403, 'forbidden');
    }
    // programme B's entry, from programme A: 404, and nothing written there
    const adminB = await w.client('adminB');
    const proto = (await adminB.post('/api/v1/cm/protocols', { document: clinicProtocol() })).json() as { id: string };
    const enr = await adminB.post('/api/v1/cm/enrolments', {
      patientId: w.patientB,
      protocolId: proto.id,
      startDate: '2026-03-02',
      calendar: { specimen: [1, 3, 5], attendance: [1, 2, 3, 4, 5], windowStart: '08:00', windowEnd: '17:00' },
    });
    expect(enr.statusCode, enr.body).toBe(200);
    const recB = (await adminB.post('/api/v1/specimens', specimen(w.patientB, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earnB = recB.award.entries.find((e) => e.kind === 'earn')!;
    const other = expectProblem(await voidIt(admin, earnB.id), 404, 'not_found');
    expect(JSON.stringify(other)).not.toContain(w.patientB);
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'void'", [w.patientB])).toBe(0);
    expect((await voidIt(coord, earn.id)).statusCode).toBe(200);
  });

  it('honours Idempotency-Key: a retry gets the first answer and voids once; the key with another request is refused', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    const key = { 'idempotency-key': `void-${earn.id}` };
    const a = await voidIt(coord, earn.id, 'duplicate entry (test)', key);
    const b = await voidIt(coord, earn.id, 'duplicate entry (test)', key);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'void'", [patientId])).toBe(1);
    expectProblem(await voidIt(coord, earn.id, 'another reason (test)', key), 422, 'idempotency_key_reused');
    // without a key, a second void is a conflict, not a second void
    expectProblem(await voidIt(coord, earn.id), 409, 'already_voided');
  });
});

describe.skipIf(!onPostgres())('voids under concurrency (PostgreSQL)', () => {
  it('ten concurrent voids of one entry: one void, the others 409 already_voided', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => voidIt(i % 2 ? coord : admin, earn.id)));
    expect(res.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of res.filter((x) => x.statusCode !== 200)) expectProblem(r, 409, 'already_voided');
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'void'", [patientId])).toBe(1);
  });

  it('a void and a redemption of the same money at once: one of them is refused, the balance never goes below zero', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const earn = rec.award.entries.find((e) => e.kind === 'earn')!;
    const { balanceCents } = await ledger(patientId);
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Whole-balance card (fictional)', kind: 'gift-card', valueCents: balanceCents, stock: 5 })).json() as { id: string };
    const [v, r] = await Promise.all([
      voidIt(coord, earn.id),
      admin.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } }),
    ]);
    expect([v.statusCode, r.statusCode].sort()).toEqual([200, 409]);
    expect((await ledger(patientId)).balanceCents).toBeGreaterThanOrEqual(0);
  });
});
