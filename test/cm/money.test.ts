// The money side of CM: the missed-opportunity job, draws and seeds, caps, API tokens,
// redemption with separation of duties, summaries — and, on PostgreSQL only, the
// concurrency guarantees (one specimen and one award under 50 concurrent posts;
// concurrent results for one enrolment serialise; the job run concurrently closes
// each opportunity once).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { onPostgres } from '../support/db.ts';
import { closeMissedOpportunities } from '../../server/modules/cm/missed.ts';
import { AFTER_RECORDINGS, clinicProtocol, enrolled, ledgerBalanceWithUnshown, NEG, specimen, withoutPrivilege, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld({ poolSize: 24, now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => w.database.query<T>(sql, params);
const n = async (sql: string, params: unknown[] = []) => Number((await q<{ n: string | number }>(sql, params))[0]?.n ?? 0);
const missedOf = (enrolmentId: string) =>
  q<{ slot_kind: string; slot_date: string }>("select slot_kind, slot_date::text as slot_date from cm_events where enrolment_id = $1 and kind = 'missed' order by slot_date, slot_kind", [enrolmentId]);

describe('missed-opportunity job', () => {
  it('closes each closed-window slot once: run twice, or after an outage', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'));
    // Tuesday evening New York: Mon and Tue windows closed
    await closeMissedOpportunities(w.database.db, new Date('2026-03-03T23:00:00Z'));
    expect((await missedOf(enrolmentId)).map((m) => `${m.slot_kind}/${m.slot_date}`)).toEqual(['attendance/2026-03-02', 'specimen/2026-03-02', 'attendance/2026-03-03']);
    await closeMissedOpportunities(w.database.db, new Date('2026-03-03T23:00:00Z'));
    expect(await missedOf(enrolmentId)).toHaveLength(3);
    // the server was down until the next Monday 18:00: catches up, once
    await closeMissedOpportunities(w.database.db, new Date('2026-03-09T23:00:00Z'));
    await closeMissedOpportunities(w.database.db, new Date('2026-03-09T23:00:00Z'));
    const all = (await missedOf(enrolmentId)).map((m) => `${m.slot_kind}/${m.slot_date}`);
    expect(all).toHaveLength(3 + 4 + 2); // then attendance Wed, Thu, Fri, Mon; specimen Fri, Mon (Wed was recorded)
    expect(all).not.toContain('specimen/2026-03-04');
    expect(new Set(all).size).toBe(all.length);
    // a missed specimen day is closed: a late cup for it is refused
    expectProblem(await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z')), 409, 'opportunity_closed');
    expect(await n("select count(*) as n from audit_events where action = 'close-missed' and entity_id = $1", [enrolmentId])).toBe(2);
  });

  it.skipIf(!onPostgres())('two job runs at once close each opportunity once (PostgreSQL)', async () => {
    const { enrolmentId } = await enrolled(w, coord);
    await Promise.all([1, 2, 3].map(() => closeMissedOpportunities(w.database.db, new Date('2026-03-06T23:00:00Z'))));
    const all = await missedOf(enrolmentId);
    expect(all).toHaveLength(3 + 5);
    expect(await n('select count(*) as n from (select slot_kind, slot_date from cm_events where enrolment_id = $1 group by 1, 2 having count(*) > 1) d', [enrolmentId])).toBe(0);
  });
});

describe('draws and seeds', () => {
  it('a draw is decided when earned, revealed once, and verifiable after the seed is revealed', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'))).json() as Recorded;
    const prize = rec.award.entries.find((e) => e.kind === 'prize')!;
    const list = await collector.get(`/api/v1/cm/enrolments/${enrolmentId}/draws`);
    const l = list.json() as { items: Array<{ n: number; tier: string | null; revealed: boolean }>; commitment: string; undrawn: number };
    expect(l.undrawn).toBe(1);
    expect(l.items[0]!.tier).toBeNull();
    expect(l.commitment).toMatch(/^[0-9a-f]{64}$/);
    const shown = await collector.post(`/api/v1/cm/enrolments/${enrolmentId}/draws/reveal`, { count: 5 });
    const s = shown.json() as { items: Array<{ n: number; tier: string }>; undrawn: number };
    expect(s.items.map((d) => `${d.n}:${d.tier}`)).toEqual([`1:${prize.tier}`]);
    expect(s.undrawn).toBe(0);
    expect((await collector.post(`/api/v1/cm/enrolments/${enrolmentId}/draws/reveal`, {})).json()).toMatchObject({ items: [] });
    // public verification: not revealed yet, then revealed by an administrator's rotation
    const before = await w.app.inject({ method: 'GET', url: `/api/v1/public/draw-verification/${l.commitment}` });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ revealed: false, seedHex: null, draws: [] });
    expectProblem(await coord.post('/api/v1/cm/seeds/rotate'), 403);
    const rot = await admin.post('/api/v1/cm/seeds/rotate');
    expect(rot.statusCode, rot.body).toBe(200);
    expect((rot.json() as { commitment: string }).commitment).not.toBe(l.commitment);
    const after = (await w.app.inject({ method: 'GET', url: `/api/v1/public/draw-verification/${l.commitment}` })).json() as {
      revealed: boolean;
      seedHex: string;
      draws: Array<{ enrolmentId: string; n: number; tier: string; verified: boolean }>;
    };
    expect(after.revealed).toBe(true);
    expect(after.seedHex).toMatch(/^[0-9a-f]{64}$/);
    const mine = after.draws.filter((d) => d.enrolmentId === enrolmentId);
    expect(mine).toEqual([expect.objectContaining({ n: 1, tier: prize.tier, verified: true })]);
    // later draws use the new seed and keep counting
    const rec2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'))).json() as Recorded;
    expect(rec2.award.entries.filter((e) => e.kind === 'prize').map((e) => e.n)).toEqual([2, 3]);
  });
});

describe('caps', () => {
  it('per-item and per-year caps of the funding source; year-to-date against the cap', async () => {
    const fs = await coord.post('/api/v1/cm/funding-sources', { id: 'oig', name: 'OIG nominal (test)', capsPreset: 'oig-nominal' });
    expect(fs.statusCode, fs.body).toBe(200);
    const proto = clinicProtocol({
      tracks: [
        { id: 'stim', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 1000, step: 500, bonusEvery: 2, bonus: 1000 } }] },
      ],
    });
    delete (proto as Record<string, unknown>).bowl;
    const { patientId } = await enrolled(w, coord, { protocol: proto, fundingSourceId: 'oig' });
    const r1 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', [{ analyte: 'cocaine', result: 'negative' }]))).json() as Recorded;
    expect(r1.award.earnedCents).toBe(1000);
    const r2 = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', [{ analyte: 'cocaine', result: 'negative' }]))).json() as Recorded;
    expect(r2.award.earnedCents).toBe(1500); // 1500 + 1000 bonus cut to $15 per item
    expect(r2.award.entries.find((e) => e.kind === 'bonus')).toMatchObject({ cents: 0, capped: 'perItem' });
    const caps = await coord.get(`/api/v1/cm/patients/${patientId}/caps`);
    expect((caps.json() as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ fundingSourceId: 'oig', year: '2026', paidCents: 2500, perYearCents: 7500, remainingCents: 5000, reached: false }),
    ]);
    for (const d of ['2026-03-06', '2026-03-09', '2026-03-11', '2026-03-13'])
      await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`, [{ analyte: 'cocaine', result: 'negative' }]));
    const after = (await coord.get(`/api/v1/cm/patients/${patientId}/caps`)).json() as { items: Array<{ paidCents: number; reached: boolean }> };
    expect(after.items[0]).toMatchObject({ paidCents: 7500, reached: true });
  });
});

describe('API tokens for laboratories and EHRs', () => {
  it('an administrator creates a programme-scoped token; it records specimens, reads the ledger, nothing else; revoked → 401', async () => {
    const { patientId } = await enrolled(w, coord);
    expectProblem(await coord.post('/api/v1/integration-tokens', { name: 'lab', scopes: ['ledger:read'] }), 403);
    const t = await admin.post('/api/v1/integration-tokens', { name: 'Test lab (fictional)', scopes: ['screens:write', 'ledger:read'] });
    expect(t.statusCode, t.body).toBe(200);
    const { token, id } = t.json() as { token: string; id: string };
    expect((await q<{ token_hash: string }>('select token_hash from integration_tokens where id = $1', [id]))[0]!.token_hash).not.toBe(token);
    const bearer = { authorization: `Bearer ${token}` };
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => w.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...bearer, ...headers } });
    const r = await post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', NEG, { externalId: 'LAB-1' }), { 'idempotency-key': 'lab-1' });
    expect(r.statusCode, r.body).toBe(200);
    const rec = r.json() as Recorded & { specimen: { source: string } };
    expect(rec.specimen.source).toBe('integration');
    expect(rec.award.earnedCents).toBeGreaterThan(0);
    const again = await post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', NEG, { externalId: 'LAB-1' }), { 'idempotency-key': 'lab-1' });
    expect(again.json()).toEqual(r.json());
    const cor = await post(
      `/api/v1/specimens/${rec.specimen.id}/corrections`,
      { results: [{ loinc: '3397-7', result: 'positive' }], reason: 'LC-MS/MS confirmation', externalId: 'LAB-1-C' },
      { 'idempotency-key': 'lab-1-c' },
    );
    expect(cor.statusCode, cor.body).toBe(200);
    const ledger = await w.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/ledger`, headers: bearer });
    expect(ledger.statusCode).toBe(200);
    expect((ledger.json() as { items: Array<{ kind: string }> }).items.map((e) => e.kind)).toContain('forgiven');
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}`, headers: bearer })).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/ledger`, headers: { ...bearer, 'waypoint-program': w.programB } })).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/patients/${w.patientB}/ledger`, headers: bearer })).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/integration-tokens/${id}/revoke`)).statusCode).toBe(200);
    expectProblem(await w.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/ledger`, headers: bearer }), 401);
    expectProblem(await w.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/ledger`, headers: { authorization: 'Bearer wpt_not-a-token' } }), 401);
  });
});

describe('redemption', () => {
  it('spends balance (never below zero), moves stock, needs a second person over the threshold, and honours no-cash', async () => {
    const { patientId } = await enrolled(w, coord);
    for (const d of ['2026-03-02', '2026-03-04', '2026-03-06']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const balance = () => ledgerBalanceWithUnshown(w, coord, patientId);
    const start = await balance();
    expect(start).toBeGreaterThanOrEqual(2125);
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Bus pass (test)', kind: 'item', valueCents: 500, stock: 3, reorderLevel: 2 })).json() as { id: string };
    const ack = { acknowledged: true, method: 'signature' };
    const r1 = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: ack });
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ status: 'completed', cents: 500, balanceCents: start - 500 });
    expectProblem(await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: false, method: 'verbal' } }), 400);
    const big = (await coord.post('/api/v1/cm/catalogue', { name: 'Phone card (test)', kind: 'gift-card', valueCents: start, stock: 5 })).json() as { id: string };
    expectProblem(await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: big.id, quantity: 1, acknowledgement: ack }), 409, 'insufficient_balance');
    // threshold: a second person, who recorded no result for the patient, approves
    expect((await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 400 })).statusCode).toBe(200);
    const pend = (await admin.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: ack })).json() as { id: string; status: string };
    expect(pend.status).toBe('pending-approval');
    expectProblem(await admin.post(`/api/v1/cm/redemptions/${pend.id}/decision`, { approve: true }), 403, 'separation_of_duties');
    const ok = await coord.post(`/api/v1/cm/redemptions/${pend.id}/decision`, { approve: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'completed', balanceCents: start - 1000 });
    // the coordinator now records a result for this patient, and may no longer approve their redemptions
    const spec = (await q<{ id: string }>("select id from cm_events where patient_id = $1 and kind = 'specimen' limit 1", [patientId]))[0]!;
    await coord.post(`/api/v1/specimens/${spec.id}/corrections`, { results: [{ analyte: 'amphetamine', result: 'negative' }], reason: 'lab confirmation' });
    const pend2 = (await admin.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: ack })).json() as { id: string };
    expectProblem(await coord.post(`/api/v1/cm/redemptions/${pend2.id}/decision`, { approve: true }), 403, 'separation_of_duties');
    expect((await coord.post(`/api/v1/cm/redemptions/${pend2.id}/decision`, { approve: false, reason: 'ask another approver' })).json()).toMatchObject({ status: 'declined' });
    expect(await balance()).toBe(start - 1000);
    const stock = (await coord.get('/api/v1/cm/catalogue')).json() as { items: Array<{ id: string; stock: number }> };
    expect(stock.items.find((i) => i.id === item.id)!.stock).toBe(1);
    expect(await n("select count(*) as n from cm_stock_movements where item_id = $1 and reason = 'redemption'", [item.id])).toBe(2);
    // no cash under a no-cash funding source
    await coord.post('/api/v1/cm/funding-sources', { id: 'samhsa', name: 'SAMHSA (test)', capsPreset: 'samhsa-2025' });
    const other = await enrolled(w, coord, { fundingSourceId: 'samhsa' });
    await collector.post('/api/v1/specimens', specimen(other.patientId, '2026-03-02T14:00:00Z'));
    const cash = (await coord.post('/api/v1/cm/catalogue', { name: 'Prepaid card (test)', kind: 'gift-card', valueCents: 100, cashEquivalent: true, stock: 5 })).json() as { id: string };
    expectProblem(await coord.post(`/api/v1/cm/patients/${other.patientId}/redemptions`, { itemId: cash.id, quantity: 1, acknowledgement: ack }), 409, 'cash_not_allowed');
    // programme page: the bus pass is at its reorder level
    const prog = (await coord.get('/api/v1/cm/summary')).json() as { reorder: Array<{ id: string }>; enrolled: { active: number }; redemptions: { last30Days: number } };
    expect(prog.reorder.map((i) => i.id)).toContain(item.id);
    expect(prog.enrolled.active).toBeGreaterThan(0);
    expect(prog.redemptions.last30Days).toBeGreaterThanOrEqual(2);
  });
});

describe('summaries', () => {
  it('patient CM page: calendar, streak, current and next value, balance, draws; queue shows today’s patients', async () => {
    w.clock.now = new Date('2026-03-02T15:00:00Z'); // today is the first test day
    const { patientId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    const s = await coord.get(`/api/v1/cm/patients/${patientId}/summary`);
    expect(s.statusCode, s.body).toBe(200);
    const b = s.json() as {
      calendar: Array<{ date: string; kind: string; status: string; cents: number }>;
      streaks: Array<{ track: string; s: number; currentCents: number }>;
      next: Array<{ date: string }>;
      balanceCents: number;
      draws: unknown[];
    };
    expect(b.calendar.find((c) => c.date === '2026-03-02' && c.kind === 'specimen')).toMatchObject({ status: 'success', cents: 250 });
    expect(b.calendar.find((c) => c.date === '2026-03-04' && c.kind === 'specimen')).toMatchObject({ status: 'scheduled' });
    expect(b.streaks.find((t) => t.track === 'stim')).toMatchObject({ s: 1, currentCents: 250 });
    expect(b.next.map((x) => x.date)).toContain('2026-03-04');
    expect(b.draws).toHaveLength(1);
    const queue = (await collector.get('/api/v1/cm/queue')).json() as { items: Array<{ patientId: string; recorded: unknown[] }> };
    expect(queue.items.find((i) => i.patientId === patientId)!.recorded).toHaveLength(1);
    expectProblem(await (await w.client('front-desk')).get(`/api/v1/cm/patients/${patientId}/summary`), 403);
  });
});

// With a privilege track a recording runs under the enrolment locks; without one it first
// tries the optimistic single statement (ADR 018). Both must give the same guarantees.
describe.skipIf(!onPostgres()).each([
  ['locked', () => clinicProtocol()],
  ['optimistic', () => withoutPrivilege(clinicProtocol())],
])('concurrency on PostgreSQL (%s recording)', (_, protocol) => {
  it('50 concurrent identical posts → one specimen and one award', async () => {
    const { patientId } = await enrolled(w, coord, { protocol: protocol() });
    const body = specimen(patientId, '2026-03-02T14:00:00Z');
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? collector : coord).post('/api/v1/specimens', body)));
    expect(res.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([]);
    const ids = new Set(res.map((r) => (r.json() as Recorded).specimen.id));
    expect(ids.size).toBe(1);
    expect(res.filter((r) => !(r.json() as Recorded).duplicate)).toHaveLength(1);
    expect(await n("select count(*) as n from cm_events where patient_id = $1 and kind = 'specimen'", [patientId])).toBe(1);
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'earn'", [patientId])).toBe(1);
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'prize'", [patientId])).toBe(1);
    // and with one Idempotency-Key from 50 retries
    const other = await enrolled(w, coord, { protocol: protocol() });
    const res2 = await Promise.all(
      Array.from({ length: 50 }, () => collector.post('/api/v1/specimens', specimen(other.patientId, '2026-03-02T14:00:00Z'), { 'idempotency-key': `same-${other.patientId}` })),
    );
    expect(new Set(res2.map((r) => r.body)).size).toBe(1);
    expect(await n("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'earn'", [other.patientId])).toBe(1);
  });

  it('concurrent results for one enrolment serialise: the ledger equals a replay of the whole history', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: protocol() });
    const days = ['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-09', '2026-03-11', '2026-03-13'];
    const res = await Promise.all(days.map((d) => collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`))));
    expect(res.map((r) => r.statusCode)).toEqual(days.map(() => 200));
    const owed = await n(
      `select sum(case when kind in ('earn','bonus','adjustment') then cents when kind in ('forgiven','debit') then -cents else 0 end) as n
      from cm_ledger_entries where enrolment_id = $1 and track = 'stim'`,
      [enrolmentId],
    );
    expect(owed).toBe(250 + 375 + 500 + 1000 + 625 + 750 + 875 + 1000);
    const ns = (await q<{ n: number }>("select n from cm_ledger_entries where enrolment_id = $1 and kind = 'prize' order by n", [enrolmentId])).map((r) => Number(r.n));
    expect(ns).toEqual(ns.map((_, i) => i + 1));
    expect(await n('select max(position) + 1 as n from cm_events where enrolment_id = $1', [enrolmentId])).toBe(6);
  });

  it('recordings racing redemptions and a correction: every guard holds, the balance never goes below zero', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: protocol() });
    for (const d of ['2026-03-02', '2026-03-04']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const first = (await q<{ id: string }>("select id from cm_events where enrolment_id = $1 and kind = 'specimen' order by at limit 1", [enrolmentId]))[0]!;
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Transit card (test)', kind: 'item', valueCents: 200, stock: 50 })).json() as { id: string };
    const ack = { acknowledged: true, method: 'signature' };
    const days = ['2026-03-06', '2026-03-09', '2026-03-11', '2026-03-13', '2026-03-16'];
    const res = await Promise.all([
      ...days.map((d) => collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`))),
      ...Array.from({ length: 4 }, () => coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: ack })),
      coord.post(`/api/v1/specimens/${first.id}/corrections`, { method: 'confirmatory', results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'laboratory confirmation' }),
    ]);
    expect(res.map((r) => r.statusCode).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(res.slice(0, days.length).map((r) => r.statusCode)).toEqual(days.map(() => 200));
    const ledger = (await coord.get(`/api/v1/patients/${patientId}/ledger`)).json() as { balanceCents: number };
    expect(ledger.balanceCents).toBeGreaterThanOrEqual(0);
    expect(await n('select max(position) + 1 as n from cm_events where enrolment_id = $1', [enrolmentId])).toBe(2 + days.length + 1);
    // what is posted equals a replay of the whole history: recording once more posts nothing for the past
    const again = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-18T14:00:00Z'));
    expect(again.statusCode, again.body).toBe(200);
    // (a rise may shrink what the patient keeps from the corrected cup: a negative forgiven memo, never a payment for the past)
    expect((again.json() as Recorded).award.entries.every((e) => e.kind !== 'adjustment' && (e.kind !== 'forgiven' || e.cents <= 0))).toBe(true);
    // the award's balance counts prizes whose draws are not shown yet; the ledger read leaves them out
    expect((again.json() as Recorded).award.balanceCents).toBe(await ledgerBalanceWithUnshown(w, coord, patientId));
  });
});
