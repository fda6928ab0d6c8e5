// CM: cost and fairness (issue 17, GET /api/v1/outcomes/cm) on a hand-built programme, the
// answers computed by hand.
//
// Programme A, today Fri 2026-03-20 (New York). Funding sources: "State grant (test)" (no caps,
// budget $100.00) and "Waiver (test)" ($6.00 a year per patient, no budget recorded). Two
// protocols: CENTS (stimulant-negative screens pay 250, +125 a success, a 1000 bonus every third)
// and COIN (fentanyl-negative screens pay 1 draw, +1 a success, from a bowl of two tiers, heads
// and tails, one slip each, both worth 100 cents: every draw pays 100, whichever tier).
// Enrolments that started in the period (1–20 March), all on Mon 2 March:
//   E1 P1 CENTS, State: negatives Mon 2, Wed 4, Fri 6 → 250, 375, 500 + 1000 bonus; the 375 is
//      voided; P1 redeems a $5.00 item → earned 250 + 500 + 1000 = 1750, redeemed 500.
//   E2 P2 CENTS, Waiver: negatives Mon 2, Wed 4 → 250, then 375 cut to 350 by the $6.00 yearly
//      cap; cocaine positive Fri 6 (nothing) → earned 600, one enrolment capped.
//   E3 P3 COIN, State: negatives Mon 2, Wed 4 → 1 + 2 = 3 draws, all shown → earned 300.
//   E0 P4 CENTS, State, started Mon 2 February (outside the period): never counted.
// Spend: State 2 enrolments, earned 2050, redeemed 500, budget 10000 → remaining 7950, 20.5%
// used, none capped. Waiver 1 enrolment, earned 600, budget not recorded, 1 capped.
// Negative CM screens: E1 3 + E2 2 + E3 2 = 7. Patients: 3.
// CM-enrolled admissions: P1 admitted 23 Feb, still in treatment (last contact 6 March, within
// 30 days) → 25 days to 20 March; P1's earlier episode (Dec 2025) had no enrolment start in it;
// P2 admitted 2 March, discharged 13 March → 11 days; P3 has no admission. 36 days = 36/7 weeks.
// Cost: 2650 earned → per patient 2650/3, per negative screen 2650/7, per week 2650 × 7 / 36.
// Fairness (COIN): 3 draws shown, expected 1.5 heads and 1.5 tails; expected value 100 a draw
// and observed mean exactly 100; χ² = 2 (h − 1.5)² / 1.5 on 1 degree of freedom, with expected
// counts below 5: not reliable, no p-value. (Which tier came up is random, by design: the test
// reads the tiers drawn from the ledger.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { AFTER_RECORDINGS, enrolled, NEG, showDraws, specimen, type Recorded } from '../cm/support.ts';

let w: World;
let admin: Client;
let coord: Client;
let collector: Client;
let e3 = '';
const PERIOD = 'from=2026-03-01&to=2026-03-20';

let pseq = 0;
const cents = () => ({
  id: `cost-cents-${++pseq}`,
  version: 1,
  name: 'Cost test cents (fictional)',
  citation: 'test',
  weeks: 12,
  tracks: [
    {
      id: 'stim',
      target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000 } }],
    },
  ],
});
const COIN = {
  id: 'cost-coin',
  version: 1,
  name: 'Cost test coin (fictional)',
  citation: 'test',
  weeks: 12,
  bowl: {
    slips: [
      { tier: 'heads', label: 'Heads', count: 1, valueCents: 100 },
      { tier: 'tails', label: 'Tails', count: 1, valueCents: 100 },
    ],
  },
  tracks: [{ id: 'draws', target: { kind: 'negative', analytes: ['fentanyl'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 1, step: 1 } }] }],
};
const POS_COCAINE = NEG.map((x) => (x.analyte === 'cocaine' ? { ...x, result: 'positive' } : x));

async function record(patientId: string, at: string, results: unknown[] = NEG): Promise<Recorded> {
  const r = await collector.post('/api/v1/specimens', specimen(patientId, at, results));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
}

async function admit(patientId: string, admittedOn: string, dischargedOn?: string) {
  const e = await admin.post(`/api/v1/patients/${patientId}/episodes`, { levelOfCare: 'otp', admittedOn });
  expect(e.statusCode, e.body).toBe(200);
  if (dischargedOn) {
    const id = (e.json() as { id: string }).id;
    const d = await admin.post(`/api/v1/patients/${patientId}/episodes/${id}/discharge`, { dischargedOn, dischargeReason: 'completed' });
    expect(d.statusCode, d.body).toBe(200);
  }
}

beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  admin = await w.client('administrator');
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  expect((await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 1_000_000 })).statusCode).toBe(200);
  expect((await coord.post('/api/v1/cm/funding-sources', { id: 'cost-state', name: 'State grant (test)', capsPreset: 'none', budgetCents: 10_000 })).statusCode).toBe(200);
  expect((await coord.post('/api/v1/cm/funding-sources', { id: 'cost-waiver', name: 'Waiver (test)', caps: { perYearCents: 600 } })).statusCode).toBe(200);

  // E1: three negatives, the second earn voided, a $5.00 redemption
  const p1 = await enrolled(w, coord, { protocol: cents(), fundingSourceId: 'cost-state' });
  await admit(p1.patientId, '2025-12-01', '2025-12-20');
  await admit(p1.patientId, '2026-02-23');
  await record(p1.patientId, '2026-03-02T14:00:00Z');
  const second = await record(p1.patientId, '2026-03-04T14:00:00Z');
  await record(p1.patientId, '2026-03-06T14:00:00Z');
  const earn = second.award.entries.find((e) => e.kind === 'earn')!;
  expect(earn.cents).toBe(375);
  const v = await coord.post(`/api/v1/cm/ledger-entries/${earn.id}/void`, { reason: 'posted in error (test)' });
  expect(v.statusCode, v.body).toBe(200);
  const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Cost test item (fictional)', kind: 'item', valueCents: 500, stock: 5 })).json() as { id: string };
  const red = await coord.post(`/api/v1/cm/patients/${p1.patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } });
  expect(red.statusCode, red.body).toBe(200);

  // E2: the yearly cap cuts the second success; a positive pays nothing
  const p2 = await enrolled(w, coord, { protocol: cents(), fundingSourceId: 'cost-waiver' });
  await admit(p2.patientId, '2026-03-02', '2026-03-13');
  await record(p2.patientId, '2026-03-02T14:00:00Z');
  const capped = await record(p2.patientId, '2026-03-04T14:00:00Z');
  expect(capped.award.entries.find((e) => e.kind === 'earn')).toMatchObject({ cents: 350, capped: 'perYear' });
  await record(p2.patientId, '2026-03-06T14:00:00Z', POS_COCAINE);

  // E3: three draws, all shown
  const p3 = await enrolled(w, coord, { protocol: COIN, fundingSourceId: 'cost-state' });
  e3 = p3.enrolmentId;
  await record(p3.patientId, '2026-03-02T14:00:00Z');
  await record(p3.patientId, '2026-03-04T14:00:00Z');
  await showDraws(w, coord, p3.patientId);

  // E0: outside the period
  const p4 = await enrolled(w, coord, { protocol: cents(), fundingSourceId: 'cost-state', startDate: '2026-02-02' });
  await admit(p4.patientId, '2026-01-26');
  await record(p4.patientId, '2026-02-02T15:00:00Z');
}, 180_000);

afterAll(async () => w?.close());

type Body = {
  asOf: string;
  enrolments: number;
  admissions: number;
  redeemedCents: number;
  sources: Array<{
    fundingSourceId: string | null;
    name: string | null;
    enrolments: number;
    earnedCents: number;
    redeemedCents: number;
    budgetCents: number | null;
    remainingCents: number | null;
    percentUsed: number | null;
    enrolmentsCapped: number;
  }>;
  cost: Record<string, number | null>;
  fairness: Array<{
    protocol: string;
    draws: number;
    tiers: Array<{ tier: string; expected: number; observed: number; valueCents: number }>;
    expectedValueCents: number;
    observedMeanCents: number | null;
    chiSquare: number | null;
    degreesOfFreedom: number | null;
    pValue: number | null;
    reliable: boolean;
  }>;
};

describe('outcomes: CM cost and fairness', () => {
  it('spend per funding source against budget and caps, as computed by hand', async () => {
    const r = await admin.get(`/api/v1/outcomes/cm?${PERIOD}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Body;
    expect([body.asOf, body.enrolments, body.admissions, body.redeemedCents]).toEqual(['2026-03-20', 3, 2, 500]);
    expect(body.sources.map((s) => [s.fundingSourceId, s.name, s.enrolments, s.earnedCents, s.redeemedCents, s.budgetCents, s.remainingCents, s.percentUsed, s.enrolmentsCapped])).toEqual([
      ['cost-state', 'State grant (test)', 2, 2050, 500, 10_000, 7950, 20.5, 0],
      ['cost-waiver', 'Waiver (test)', 1, 600, 0, null, null, null, 1],
    ]);
  });

  it('cost per patient, per negative CM screen and per week in treatment', async () => {
    const body = (await admin.get(`/api/v1/outcomes/cm?${PERIOD}`)).json() as Body;
    expect(body.cost).toMatchObject({ earnedCents: 2650, patients: 3, negativeScreens: 7, retainedDays: 36 });
    expect(body.cost.retainedWeeks).toBeCloseTo(36 / 7, 10);
    expect(body.cost.perPatientCents).toBeCloseTo(2650 / 3, 10);
    expect(body.cost.perNegativeScreenCents).toBeCloseTo(2650 / 7, 10);
    expect(body.cost.perRetainedWeekCents).toBeCloseTo((2650 * 7) / 36, 10);
  });

  it('fairness: the tiers shown against the bowl, not reliable with so few draws', async () => {
    const body = (await admin.get(`/api/v1/outcomes/cm?${PERIOD}`)).json() as Body;
    const drawn = await w.database.query<{ tier: string }>(
      "select l.tier from cm_draw_reveals d join cm_ledger_entries l on l.enrolment_id = d.enrolment_id and l.kind = 'prize' and l.n = d.n where d.enrolment_id = $1",
      [e3],
    );
    expect(drawn).toHaveLength(3);
    const heads = drawn.filter((d) => d.tier === 'heads').length;
    expect(body.fairness).toHaveLength(1);
    const f = body.fairness[0]!;
    expect(f.tiers.map((t) => [t.tier, t.expected, t.observed, t.valueCents])).toEqual([
      ['heads', 1.5, heads, 100],
      ['tails', 1.5, 3 - heads, 100],
    ]);
    expect(f).toMatchObject({ protocol: 'Cost test coin (fictional)', draws: 3, expectedValueCents: 100, observedMeanCents: 100, degreesOfFreedom: 1, pValue: null, reliable: false });
    expect(f.chiSquare).toBeCloseTo((2 * (heads - 1.5) ** 2) / 1.5, 10);
  });

  it('a period with no enrolments: every cost figure not recorded, no fairness rows; one audit row per read, no patient named', async () => {
    const before = await w.database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null and detail->>'measure' = 'cm-cost'",
    );
    const body = (await admin.get('/api/v1/outcomes/cm?from=2025-01-01&to=2025-06-30')).json() as Body;
    expect(body.enrolments).toBe(0);
    expect(body.cost).toMatchObject({ earnedCents: 0, perPatientCents: null, perNegativeScreenCents: null, perRetainedWeekCents: null });
    expect(body.fairness).toEqual([]);
    expect(body.sources.map((s) => [s.fundingSourceId, s.earnedCents])).toEqual([
      ['cost-state', 0],
      ['cost-waiver', 0],
    ]);
    const after = await w.database.query<{ n: number }>(
      "select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null and detail->>'measure' = 'cm-cost'",
    );
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('400 naming the field; 403 without read:outcomes; programme B sees none of A', async () => {
    expectProblem(await admin.get('/api/v1/outcomes/cm?from=2026-02-30'), 400, 'invalid_input', 'querystring.from');
    expectProblem(await admin.get('/api/v1/outcomes/cm?to=soon'), 400, 'invalid_input', 'querystring.to');
    expectProblem(await admin.get('/api/v1/outcomes/cm?from=2026-03-20&to=2026-03-01'), 400, 'invalid_input', 'querystring.from');
    expectProblem(await (await w.client('counsellor')).get(`/api/v1/outcomes/cm?${PERIOD}`), 403);
    expectProblem(await coord.get(`/api/v1/outcomes/cm?${PERIOD}`), 403);
    const b = (await (await w.client('adminB')).get(`/api/v1/outcomes/cm?${PERIOD}`)).json() as Body;
    expect([b.enrolments, b.sources.length, b.cost.earnedCents]).toEqual([0, 0, 0]);
  });
});
