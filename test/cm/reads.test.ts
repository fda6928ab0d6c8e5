// Reads the clinic needs around the test day: one specimen with its corrections
// (GET /specimens/{id}), the programme's redemptions waiting for approval
// (GET /cm/redemptions?status=pending), the carry-over queue with whose specimen it is,
// and an award that keeps vouchers apart from prizes not yet revealed. Reads of patient
// data are audited in the same transaction.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { AFTER_RECORDINGS, enrolled, NEG, specimen, type Award, type Recorded } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
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
const withResult = (analyte: string, result: string) => NEG.map((x) => (x.analyte === analyte ? { ...x, result } : x));
const nameOf = async (patientId: string) => {
  const p = (await admin.get(`/api/v1/patients/${patientId}`)).json() as { legalGivenName: string; legalFamilyName: string; preferredName: string | null; mrn: string };
  return { displayName: `${p.preferredName ?? p.legalGivenName} ${p.legalFamilyName}`, mrn: p.mrn };
};

type Result = { analyte: string; loinc: string | null; result: string; prescribed: boolean; valueNgMl: number | null; cutoffNgMl: number | null };
type SpecimenDetail = {
  id: string;
  patientId: string;
  valid: boolean;
  temperatureC: number | null;
  observed: boolean | null;
  method: string | null;
  validity: Record<string, unknown> | null;
  cup: { brand: string; lot: string; expiry: string } | null;
  recordedResults: Result[];
  corrections: Array<{ id: string; reason: string | null; laboratory: string | null; valid: boolean | null; results: Result[]; recordedAt: string }>;
  adjudications: Array<{ id: string; decision: string }>;
  effective: { valid: boolean; results: Array<Result & { correctedBy: string | null }> };
  pendingAdjudication: boolean;
};

describe('GET /specimens/{id}', () => {
  it('answers the specimen as recorded, its corrections oldest first, and the result in effect; audited as a read', async () => {
    const { patientId } = await enrolled(w, coord);
    const rec = (
      await collector.post(
        '/api/v1/specimens',
        specimen(patientId, '2026-03-02T14:00:00Z', NEG, {
          temperatureC: 34.5,
          validity: { creatinineMgDl: 80, ph: 6.5 },
          cup: { brand: 'Example Cup (fictional)', lot: 'LOT-1', expiry: '2027-01-01', cutoffs: { cocaine: 150 } },
        }),
      )
    ).json() as Recorded;
    const id = rec.specimen.id;
    const c1 = await coord.post(`/api/v1/specimens/${id}/corrections`, { results: [{ analyte: 'cocaine', result: 'positive' }], laboratory: 'Test Lab (fictional)', reason: 'LC-MS/MS confirmation' });
    expect(c1.statusCode, c1.body).toBe(200);
    w.clock.advance(60_000);
    const c2 = await coord.post(`/api/v1/specimens/${id}/corrections`, {
      results: [
        { analyte: 'cocaine', result: 'negative' },
        { analyte: 'fentanyl', result: 'positive' },
      ],
      valid: true,
      reason: 'second confirmation',
    });
    expect(c2.statusCode, c2.body).toBe(200);
    const c1Id = (c1.json() as Recorded).specimen.id;
    const c2Id = (c2.json() as Recorded).specimen.id;

    const r = await coord.get(`/api/v1/specimens/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json() as SpecimenDetail;
    expect(s).toMatchObject({ id, patientId, valid: true, temperatureC: 34.5, observed: true, method: 'presumptive', cup: { brand: 'Example Cup (fictional)', lot: 'LOT-1', expiry: '2027-01-01' } });
    expect(s.validity).toMatchObject({ creatinineMgDl: 80, ph: 6.5 });
    // as recorded: every analyte negative, the cup's cut-off kept
    expect(s.recordedResults.map((x) => `${x.analyte}:${x.result}`)).toEqual(NEG.map((x) => `${x.analyte}:negative`));
    expect(s.recordedResults.find((x) => x.analyte === 'cocaine')!.cutoffNgMl).toBe(150);
    // corrections as recorded, newest last
    expect(s.corrections.map((c) => c.id)).toEqual([c1Id, c2Id]);
    expect(s.corrections[0]).toMatchObject({ laboratory: 'Test Lab (fictional)', reason: 'LC-MS/MS confirmation', valid: null });
    expect(s.corrections[0]!.results.map((x) => `${x.analyte}:${x.result}`)).toEqual(['cocaine:positive']);
    // in effect: analyte by analyte, the latest wins; the others stand
    const eff = Object.fromEntries(s.effective.results.map((x) => [x.analyte, `${x.result}/${x.correctedBy ?? 'cup'}`]));
    expect(eff).toEqual({ cocaine: `negative/${c2Id}`, fentanyl: `positive/${c2Id}`, amphetamine: 'negative/cup', opiates: 'negative/cup' });
    expect(s.effective.valid).toBe(true);
    expect(s.pendingAdjudication).toBe(false);
    expect(await n("select count(*) as n from audit_events where action = 'read' and entity = 'screen' and entity_id = $1 and patient_id = $2", [id, patientId])).toBe(1);
    // a correction is not a specimen; nobody else's specimen; a bad id names the parameter
    expectProblem(await coord.get(`/api/v1/specimens/${c1Id}`), 404, 'not_found');
    expectProblem(await coord.get('/api/v1/specimens/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await coord.get('/api/v1/specimens/nope'), 400, 'invalid_input', 'params.id');
    expectProblem(await (await w.client('front-desk')).get(`/api/v1/specimens/${id}`), 403, 'forbidden');
    // the specimen collector (read:cm) reads it too
    expect((await collector.get(`/api/v1/specimens/${id}`)).statusCode).toBe(200);
  });

  it('an invalid specimen made valid by a correction is valid in effect; a pending carry-over says so', async () => {
    const { patientId } = await enrolled(w, coord);
    const bad = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', NEG, { temperatureC: 30 }))).json() as Recorded;
    expect(bad.specimen.valid).toBe(false);
    await coord.post(`/api/v1/specimens/${bad.specimen.id}/corrections`, { valid: true, reason: 'thermometer fault' });
    const s = (await coord.get(`/api/v1/specimens/${bad.specimen.id}`)).json() as SpecimenDetail;
    expect(s.valid).toBe(false);
    expect(s.effective.valid).toBe(true);
    const pos = withResult('cocaine', 'positive');
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', pos));
    const second = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z', pos))).json() as Recorded;
    expect(second.award.pendingAdjudication).toBe(true);
    expect(((await coord.get(`/api/v1/specimens/${second.specimen.id}`)).json() as SpecimenDetail).pendingAdjudication).toBe(true);
  });
});

describe('the adjudication queue says whose specimen it is', () => {
  it('carries the patient’s display name and MRN, and the read is audited', async () => {
    const { patientId } = await enrolled(w, coord);
    const pos = withResult('cocaine', 'positive');
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', pos));
    const rec = (await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', pos))).json() as Recorded;
    const before = await n("select count(*) as n from audit_events where action = 'read' and entity = 'cm-adjudication-queue'");
    const res = await coord.get('/api/v1/cm/adjudications?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    const item = (res.json() as { items: Array<{ id: string; patientId: string; displayName: string; mrn: string }> }).items.find((i) => i.id === rec.specimen.id)!;
    expect(item).toMatchObject({ patientId, ...(await nameOf(patientId)) });
    expect(await n("select count(*) as n from audit_events where action = 'read' and entity = 'cm-adjudication-queue'")).toBe(before + 1);
  });
});

type ListItem = {
  id: string;
  patientId: string;
  displayName: string;
  mrn: string;
  itemName: string;
  quantity: number;
  cents: number;
  status: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  balanceCents: number;
  separationOfDuties: string | null;
  reasonCode: string | null;
  reason: string | null;
};

describe('GET /cm/redemptions: the programme’s approvals list', () => {
  it('lists redemptions waiting for approval, oldest first, paged, with whose they are and why the caller may not approve', async () => {
    expect((await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 200 })).statusCode).toBe(200);
    const a = await enrolled(w, coord);
    const b = await enrolled(w, coord);
    for (const p of [a, b]) for (const d of ['2026-03-02', '2026-03-04', '2026-03-06']) await collector.post('/api/v1/specimens', specimen(p.patientId, `${d}T14:00:00Z`));
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Grocery card (fictional)', kind: 'gift-card', valueCents: 500, stock: 10 })).json() as { id: string };
    const ack = { acknowledged: true, method: 'initials' };
    // three pending (over the threshold): A by the administrator, B by the coordinator, A again by the administrator; one completed under it
    const ids: string[] = [];
    for (const [c, p] of [
      [admin, a],
      [coord, b],
      [admin, a],
    ] as const) {
      const r = await c.post(`/api/v1/cm/patients/${p.patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: ack });
      expect(r.json()).toMatchObject({ status: 'pending-approval' });
      ids.push((r.json() as { id: string }).id);
      w.clock.advance(1000);
    }
    const small = (await coord.post('/api/v1/cm/catalogue', { name: 'Bus token (fictional)', kind: 'item', valueCents: 100, stock: 10 })).json() as { id: string };
    expect((await coord.post(`/api/v1/cm/patients/${a.patientId}/redemptions`, { itemId: small.id, quantity: 1, acknowledgement: ack })).json()).toMatchObject({ status: 'completed' });

    const auditBefore = await n("select count(*) as n from audit_events where action = 'read' and entity = 'cm-redemption-list'");
    const p1 = await coord.get('/api/v1/cm/redemptions?status=pending&limit=2');
    expect(p1.statusCode, p1.body).toBe(200);
    const page1 = p1.json() as { items: ListItem[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await coord.get(`/api/v1/cm/redemptions?status=pending&limit=2&cursor=${encodeURIComponent(page1.nextCursor!)}`)).json() as { items: ListItem[]; nextCursor: string | null };
    const all = [...page1.items, ...page2.items];
    expect(all.map((i) => i.id).filter((id) => ids.includes(id))).toEqual(ids);
    expect(all.every((i) => i.status === 'pending-approval')).toBe(true);
    const times = all.map((i) => i.requestedAt);
    expect([...times].sort()).toEqual(times);
    const first = all.find((i) => i.id === ids[0])!;
    expect(first).toMatchObject({
      patientId: a.patientId,
      ...(await nameOf(a.patientId)),
      itemName: 'Grocery card (fictional)',
      quantity: 1,
      cents: 500,
      requestedBy: w.users.administrator,
      requestedByName: 'Test administrator',
    });
    expect(first.balanceCents).toBeGreaterThan(500);
    // the coordinator requested B's and recorded nothing: may approve A's, not B's
    expect(all.find((i) => i.id === ids[0])!.separationOfDuties).toBeNull();
    expect(all.find((i) => i.id === ids[1])!.separationOfDuties).toBe('you-requested');
    expect(await n("select count(*) as n from audit_events where action = 'read' and entity = 'cm-redemption-list'")).toBe(auditBefore + 2);
    // the collector recorded A's results: separation of duties, shown in the list and enforced by the decision
    const forAdmin = (await admin.get('/api/v1/cm/redemptions?status=pending&limit=200')).json() as { items: ListItem[] };
    expect(forAdmin.items.find((i) => i.id === ids[0])!.separationOfDuties).toBe('you-requested');
    expect(forAdmin.items.find((i) => i.id === ids[1])!.separationOfDuties).toBeNull();
    const fromCollector = (await collector.get('/api/v1/cm/redemptions?status=pending&limit=200')).json() as { items: ListItem[] };
    expect(fromCollector.items.find((i) => i.id === ids[1])!.separationOfDuties).toBe('you-recorded-results');

    // decide from the list (the existing decision route): approve A's first, decline A's second
    expectProblem(await coord.post(`/api/v1/cm/redemptions/${ids[1]}/decision`, { approve: true }), 403, 'separation_of_duties');
    expect((await coord.post(`/api/v1/cm/redemptions/${ids[0]}/decision`, { approve: true })).json()).toMatchObject({ status: 'completed' });
    expect((await coord.post(`/api/v1/cm/redemptions/${ids[2]}/decision`, { approve: false, reasonCode: 'other', reason: 'patient changed their mind' })).json()).toMatchObject({ status: 'declined' });
    expectProblem(await coord.post(`/api/v1/cm/redemptions/${ids[0]}/decision`, { approve: true }), 409, 'already_decided');
    const after = (await coord.get('/api/v1/cm/redemptions?status=pending&limit=200')).json() as { items: ListItem[] };
    expect(after.items.map((i) => i.id)).toEqual(all.map((i) => i.id).filter((id) => id === ids[1] || !ids.includes(id)));
    const completed = (await coord.get('/api/v1/cm/redemptions?status=completed&limit=200')).json() as { items: ListItem[] };
    expect(completed.items.map((i) => i.id)).toContain(ids[0]);
    expect(completed.items.every((i) => i.status === 'completed' && i.separationOfDuties === null)).toBe(true);
    const declined = (await coord.get('/api/v1/cm/redemptions?status=declined')).json() as { items: ListItem[] };
    expect(declined.items.map((i) => [i.id, i.reasonCode, i.reason])).toEqual([[ids[2], 'other', 'patient changed their mind']]);
    expect(completed.items.every((i) => i.reasonCode === null && i.reason === null)).toBe(true);
    const everything = (await coord.get('/api/v1/cm/redemptions?limit=200')).json() as { items: ListItem[] };
    expect(everything.items.length).toBeGreaterThanOrEqual(4);
    // bad input names the parameter; front desk may not read it
    expectProblem(await coord.get('/api/v1/cm/redemptions?status=waiting'), 400, 'invalid_input', 'querystring.status');
    expectProblem(await coord.get('/api/v1/cm/redemptions?limit=0'), 400, 'invalid_input', 'querystring.limit');
    expectProblem(await coord.get('/api/v1/cm/redemptions?cursor=abc'), 400, 'invalid_input', 'query.cursor');
    expectProblem(await (await w.client('front-desk')).get('/api/v1/cm/redemptions'), 403, 'forbidden');
  });
});

describe('the award keeps vouchers apart from prizes not yet revealed', () => {
  it('voucher cents, draws, revealed prize value and the balance without unrevealed prizes', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    const body = specimen(patientId, '2026-03-02T14:00:00Z');
    const rec = (await collector.post('/api/v1/specimens', body)).json() as Recorded;
    const a: Award = rec.award;
    const prize = a.entries.find((e) => e.kind === 'prize')!;
    expect(a.voucherCents).toBe(250);
    expect(a.prizeDrawsEarned).toBe(1);
    expect(a.newDraws).toBe(1);
    expect(a.prizeCentsRevealed).toBe(0);
    // earnedCents and balanceCents keep their meaning (everything posted, prizes included)
    expect(a.earnedCents).toBe(250 + prize.cents);
    expect(a.balanceCents).toBe(250 + prize.cents);
    expect(a.balanceRevealedCents).toBe(250);
    // the test-day queue keeps the unshown prize out of the balance it shows, too
    const queue = (await collector.get('/api/v1/cm/queue?limit=200')).json() as { items: Array<{ patientId: string; balanceCents: number; balanceRevealedCents: number; undrawn: number }> };
    expect(queue.items.find((i) => i.patientId === patientId)).toMatchObject({ balanceCents: 250 + prize.cents, balanceRevealedCents: 250, undrawn: 1 });
    // once the draw is shown, the same cup posted again reports its prize as revealed
    expect((await collector.post(`/api/v1/cm/enrolments/${enrolmentId}/draws/reveal`, { count: 1 })).statusCode).toBe(200);
    const again = (await collector.post('/api/v1/specimens', body)).json() as Recorded;
    expect(again.duplicate).toBe(true);
    expect(again.award).toMatchObject({ voucherCents: 250, prizeDrawsEarned: 1, prizeCentsRevealed: prize.cents, balanceRevealedCents: 250 + prize.cents });
    // a check-in pays vouchers only
    const ci = await collector.post('/api/v1/cm/check-ins', { patientId, kind: 'attendance', at: '2026-03-03T15:00:00Z', done: true });
    expect(ci.statusCode, ci.body).toBe(200);
    expect((ci.json() as { award: Award }).award).toMatchObject({ voucherCents: 100, prizeDrawsEarned: 0, prizeCentsRevealed: 0, balanceRevealedCents: 350 + prize.cents });
    // a correction that lowers what is owed: no money moves (the patient keeps it, a forgiven memo), prizes untouched
    const cor = (await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result: 'positive' }], reason: 'lab confirmation (test)' })).json() as Recorded;
    expect(cor.award.voucherCents).toBe(0);
    expect(cor.award.entries.map((e) => `${e.kind}:${e.cents}`)).toEqual(['forgiven:250']);
    expect(cor.award.prizeDrawsEarned).toBe(0);
  });
});
