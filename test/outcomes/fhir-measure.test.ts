// The outcomes dashboard's figures as FHIR R4 (issue 17): Measure read and search, and
// Measure/<id>/$evaluate-measure answering a summary MeasureReport. The cohort is the one of
// test/outcomes/outcomes.test.ts, the answers computed by hand:
//
// Programme A, today 2026-03-02 (New York). Admitted in January–February 2026:
//   P1 admitted Mon 5 Jan, discharged 25 Jan            → left on day 20 (an event)
//   P2 admitted Mon 5 Jan, weekly screens to Fri 27 Feb  → still in: censored on day 56
//   P3 admitted Mon 12 Jan, one screen on 14 Jan, nothing since → lost: left on its last contact, day 2
//   P4 admitted Mon 23 Feb, no screens, no contact       → censored on day 7
//   P0 admitted 1 Dec 2025 (outside January–February) and programme B's patient are never counted there.
//
// Retention, periodStart=2026-01-01, periodEnd=2026-02-28: 4 admissions. Kaplan–Meier: day 2:
// 4 at risk, 1 left → 3/4; day 7: 1 censored; day 20: 2 at risk, 1 left → 3/4 × 1/2 = 0.375;
// day 56: 1 censored. S(30) = 0.375; S(90) and S(180) not recorded (nobody followed 90 days).
//
// Opioid screens, one outcome per week since admission:
//   P1 [N, N, M] (the week-2 positive fentanyl corrected to negative); P2 [N, P, N, N, N, N, N, N];
//   P3 [P, M×6]; P4 [M].
// Pooled over every week: weeks counted 3 + 8 + 7 + 1 = 19; negative 2 + 7 = 9; positive 1 + 1 = 2;
// missing 1 + 6 + 1 = 8.
//   missing counted positive: denominator 19, numerator 9 → 9/19
//   missing left out:         denominator 9 + 2 = 11, numerator 9 → 9/11
// Xylazine (nobody tested): the same 19 weeks, all missing → 0/19 = 0; and 0/0 → no score.
// Default period (no parameters): periodEnd = today 2026-03-02, periodStart = a year before,
// 2025-03-02: P0 (admitted 1 Dec 2025) is in it too → 5 admissions.
import fhirPackage from 'fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { dashboardCohort } from './support.ts';

const validator = new fhirPackage.Fhir();
type Res = { resourceType: string; id?: string; meta?: { security?: Array<{ system: string; code: string }> }; [k: string]: unknown };
type Group = {
  code: { coding: Array<{ code: string }>; text: string };
  population: Array<{ code: { coding: Array<{ system: string; code: string }> }; count: number }>;
  measureScore?: { value: number };
  extension?: Array<{ url: string; valueCode: string }>;
};
type Report = Res & { status: string; type: string; measure: string; date: string; reporter: { display: string }; period: { start: string; end: string }; group: Group[] };
type Outcome = Res & { issue: Array<{ code: string; diagnostics: string; expression?: string[] }> };

/** Valid R4 (no errors, no unknown properties), labelled for 42 CFR Part 2 unless `labelled` is false. */
function expectValidFhir(resource: Res, labelled = true) {
  const r = validator.validate(resource);
  const problems = r.messages.filter((m) => m.severity === 'error' || (m.severity === 'warning' && /Unexpected property/.test(m.message ?? '')));
  expect(problems, `${resource.resourceType}: ${JSON.stringify(problems)}`).toEqual([]);
  expect(r.valid).toBe(true);
  if (labelled) expect((resource.meta?.security ?? []).map((s) => s.code)).toEqual(expect.arrayContaining(['R', 'ETH', '42CFRPart2']));
}

const DAR = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const RETENTION = '/fhir/R4/Measure/waypoint-retention';
const SCREENS = '/fhir/R4/Measure/waypoint-negative-screens';
const PERIOD = 'periodStart=2026-01-01&periodEnd=2026-02-28';

/** The group's populations as code → count. */
const counts = (g: Group) => Object.fromEntries(g.population.map((p) => [p.code.coding[0]!.code, p.count]));

let w: World;
let admin: Client;

async function report(c: Client, url: string): Promise<Report> {
  const r = await c.get(url);
  expect(r.statusCode, r.body.slice(0, 400)).toBe(200);
  expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  const body = r.json() as Report;
  expectValidFhir(body);
  return body;
}

/** A 400 (or other) OperationOutcome naming `query.<param>`. */
async function expectOutcome(c: Client, url: string, status: number, param?: string, headers: Record<string, string> = {}) {
  const r = await c.request({ method: 'GET', url, headers });
  expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(status);
  expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  const o = r.json() as Outcome;
  expect(o.resourceType).toBe('OperationOutcome');
  expectValidFhir(o, false);
  if (param) expect(o.issue[0]!.expression, r.body).toEqual([`query.${param}`]);
  return o;
}

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  await dashboardCohort(w);
}, 120_000);

afterAll(async () => w?.close());

describe('FHIR Measure: definitions', () => {
  it('the CapabilityStatement lists Measure (read, search-type) and $evaluate-measure', async () => {
    const r = await w.app.inject({ method: 'GET', url: '/fhir/R4/metadata' });
    const cap = r.json() as Res & { rest: Array<{ resource: Array<{ type: string; interaction: Array<{ code: string }>; operation?: Array<{ name: string; definition: string }> }> }> };
    expectValidFhir(cap, false);
    const measure = cap.rest[0]!.resource.find((x) => x.type === 'Measure');
    expect(measure?.interaction.map((i) => i.code)).toEqual(['read', 'search-type']);
    expect(measure?.operation).toEqual([{ name: 'evaluate-measure', definition: 'http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure' }]);
  });

  it('search returns the two Measures; read returns each, active, with its scoring and a plain description', async () => {
    const s = await admin.get('/fhir/R4/Measure');
    expect(s.statusCode, s.body).toBe(200);
    const bundle = s.json() as Res & { entry: Array<{ fullUrl: string; resource: Res }> };
    expectValidFhir(bundle);
    expect(bundle.entry.map((e) => e.resource.id)).toEqual(['waypoint-retention', 'waypoint-negative-screens']);
    for (const e of bundle.entry) expectValidFhir(e.resource);
    const only = (await admin.get('/fhir/R4/Measure?_id=waypoint-negative-screens')).json() as { entry: Array<{ resource: Res }> };
    expect(only.entry.map((e) => e.resource.id)).toEqual(['waypoint-negative-screens']);

    type Measure = Res & { url: string; status: string; scoring: { coding: Array<{ code: string }> }; description: string; group: Array<{ code: { text: string }; population: unknown[] }> };
    const retention = (await admin.get(RETENTION)).json() as Measure;
    expectValidFhir(retention);
    expect([retention.url, retention.status, retention.scoring.coding[0]!.code]).toEqual(['http://waypoint.health/fhir/Measure/waypoint-retention', 'active', 'continuous-variable']);
    expect(retention.description).toMatch(/Kaplan–Meier estimate/);
    expect(retention.description).toMatch(/not a simple proportion/);
    expect(retention.group.map((g) => g.code.text)).toEqual(['Retention in treatment at 30 days', 'Retention in treatment at 90 days', 'Retention in treatment at 180 days']);
    const screens = (await admin.get(SCREENS)).json() as Measure;
    expectValidFhir(screens);
    expect([screens.url, screens.status, screens.scoring.coding[0]!.code]).toEqual(['http://waypoint.health/fhir/Measure/waypoint-negative-screens', 'active', 'proportion']);
    expect(screens.group.map((g) => g.population.length)).toEqual([3, 3]);
  });

  it('an unknown Measure is a 404, read or evaluated', async () => {
    await expectOutcome(admin, '/fhir/R4/Measure/waypoint-happiness', 404);
    await expectOutcome(admin, `/fhir/R4/Measure/waypoint-happiness/$evaluate-measure?${PERIOD}`, 404);
  });
});

describe('FHIR Measure: $evaluate-measure, retention', () => {
  it('a summary MeasureReport: 4 admissions, S(30) = 0.375, S(90) and S(180) absent (not recorded)', async () => {
    const r = await report(admin, `${RETENTION}/$evaluate-measure?${PERIOD}&reportType=summary`);
    expect(r).toMatchObject({
      resourceType: 'MeasureReport',
      status: 'complete',
      type: 'summary',
      measure: 'http://waypoint.health/fhir/Measure/waypoint-retention',
      date: '2026-03-02T15:00:00.000Z',
      reporter: { display: 'Programme A' },
      period: { start: '2026-01-01', end: '2026-02-28' },
    });
    expect(r.group.map((g) => [g.code.text, counts(g)])).toEqual([
      ['Retention in treatment at 30 days', { 'initial-population': 4 }],
      ['Retention in treatment at 90 days', { 'initial-population': 4 }],
      ['Retention in treatment at 180 days', { 'initial-population': 4 }],
    ]);
    expect(r.group[0]!.measureScore?.value).toBe(0.375);
    expect(r.group[0]!.extension).toBeUndefined();
    for (const g of r.group.slice(1)) {
      expect(g.measureScore).toBeUndefined();
      expect(g.extension).toEqual([{ url: DAR, valueCode: 'not-applicable' }]);
    }
    // aggregates only: nothing that points to a patient
    expect(JSON.stringify(r)).not.toMatch(/Patient\/|"subject"/);
  });

  it('writes the dashboard’s audit row (read of outcomes, no patient), with the measure, the period and via fhir', async () => {
    const rows = () => w.database.query<{ n: number }>("select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null");
    const before = (await rows())[0]!.n;
    await report(admin, `${RETENTION}/$evaluate-measure?${PERIOD}`);
    expect((await rows())[0]!.n).toBe(before + 1);
    const [last] = await w.database.query<{ detail: Record<string, unknown>; actor_id: string }>(
      "select detail, actor_id from audit_events where entity = 'outcomes' and action = 'read' order by id desc limit 1",
    );
    expect(last!.actor_id).toBe(admin.userId);
    expect(last!.detail).toEqual({ measure: 'retention', from: '2026-01-01', to: '2026-02-28', cohort: 'all', admissions: 4, via: 'fhir' });
  });

  it('without a period: the dashboard’s default, the year to today (P0 of December counted: 5 admissions)', async () => {
    const r = await report(admin, `${RETENTION}/$evaluate-measure`);
    expect(r.period).toEqual({ start: '2025-03-02', end: '2026-03-02' });
    expect(counts(r.group[0]!)).toEqual({ 'initial-population': 5 });
  });

  it('reportType population (R4’s name for a summary) is the same report', async () => {
    const r = await report(admin, `${RETENTION}/$evaluate-measure?${PERIOD}&reportType=population`);
    expect(r.type).toBe('summary');
    expect(r.group[0]!.measureScore?.value).toBe(0.375);
  });
});

describe('FHIR Measure: $evaluate-measure, negative screens', () => {
  it('opioids by default: 19 weeks counted; 9/19 with missing counted positive, 9/11 with missing left out', async () => {
    const r = await report(admin, `${SCREENS}/$evaluate-measure?${PERIOD}`);
    expect(r.measure).toBe('http://waypoint.health/fhir/Measure/waypoint-negative-screens');
    expect(r.group.map((g) => [g.code.coding[0]!.code, counts(g)])).toEqual([
      ['negative-screens-missing-positive', { 'initial-population': 19, denominator: 19, numerator: 9 }],
      ['negative-screens-missing-excluded', { 'initial-population': 19, denominator: 11, numerator: 9 }],
    ]);
    expect(r.group[0]!.code.text).toMatch(/opioids/);
    expect(r.group[0]!.measureScore?.value).toBeCloseTo(9 / 19, 12);
    expect(r.group[1]!.measureScore?.value).toBeCloseTo(9 / 11, 12);
    const [last] = await w.database.query<{ detail: Record<string, unknown> }>("select detail from audit_events where entity = 'outcomes' and action = 'read' order by id desc limit 1");
    expect(last!.detail).toEqual({ measure: 'screens', from: '2026-01-01', to: '2026-02-28', group: 'opioids', admissions: 4, screens: 11, via: 'fhir' });
  });

  it('a group nobody was tested for: 0 with missing counted positive; no score (data absent) when nothing is left to count', async () => {
    const r = await report(admin, `${SCREENS}/$evaluate-measure?${PERIOD}&group=xylazine`);
    expect(r.group.map(counts)).toEqual([
      { 'initial-population': 19, denominator: 19, numerator: 0 },
      { 'initial-population': 19, denominator: 0, numerator: 0 },
    ]);
    expect(r.group[0]!.measureScore?.value).toBe(0);
    expect(r.group[1]!.measureScore).toBeUndefined();
    expect(r.group[1]!.extension).toEqual([{ url: DAR, valueCode: 'not-applicable' }]);
  });
});

describe('FHIR Measure: refusals and isolation', () => {
  it('a bad period, reportType, group or subject is a 400 OperationOutcome naming the parameter', async () => {
    const ev = `${RETENTION}/$evaluate-measure`;
    await expectOutcome(admin, `${ev}?periodStart=2026-02-30`, 400, 'periodStart');
    await expectOutcome(admin, `${ev}?periodEnd=March`, 400, 'periodEnd');
    await expectOutcome(admin, `${ev}?periodStart=2026-01-01&periodStart=2026-02-01`, 400, 'periodStart');
    const after = await expectOutcome(admin, `${ev}?periodStart=2026-03-01&periodEnd=2026-02-01`, 400, 'periodStart');
    expect(after.issue[0]!.diagnostics).toMatch(/periodEnd/);
    // MAX_PERIOD_DAYS = 3 × 366 = 1098: 2020-01-01 + 1098 days = 2023-01-03, before 2026-02-28
    await expectOutcome(admin, `${ev}?periodStart=2020-01-01&periodEnd=2026-02-28`, 400, 'periodStart');
    // only periodStart, after today (the default periodEnd)
    await expectOutcome(admin, `${ev}?periodStart=2026-04-01`, 400, 'periodStart');
    await expectOutcome(admin, `${ev}?${PERIOD}&reportType=subject-list`, 400, 'reportType');
    await expectOutcome(admin, `${ev}?${PERIOD}&reportType=individual`, 400, 'reportType');
    await expectOutcome(admin, `${ev}?${PERIOD}&subject=Patient/example`, 400, 'subject');
    await expectOutcome(admin, `${ev}?${PERIOD}&practitioner=Practitioner/example`, 400, 'practitioner');
    await expectOutcome(admin, `${SCREENS}/$evaluate-measure?${PERIOD}&group=sugar`, 400, 'group');
  });

  it('an unknown parameter is ignored, or refused under Prefer: handling=strict', async () => {
    await report(admin, `${RETENTION}/$evaluate-measure?${PERIOD}&cohort=medication`);
    await expectOutcome(admin, `${RETENTION}/$evaluate-measure?${PERIOD}&group=opioids`, 400, 'group', { prefer: 'handling=strict' });
  });

  it('403 for a role without read:outcomes; the auditor may evaluate', async () => {
    const counsellor = await w.client('counsellor');
    await expectOutcome(counsellor, `${RETENTION}/$evaluate-measure?${PERIOD}`, 403);
    await expectOutcome(counsellor, RETENTION, 403);
    await expectOutcome(counsellor, '/fhir/R4/Measure', 403);
    const auditor = await w.client('auditor');
    expect((await report(auditor, `${SCREENS}/$evaluate-measure?${PERIOD}`)).group).toHaveLength(2);
  });

  it('programme B counts only its own admission, reported under its own name', async () => {
    const adminB = await w.client('adminB');
    const r = await report(adminB, `${RETENTION}/$evaluate-measure?${PERIOD}`);
    expect(r.reporter.display).toBe('Programme B');
    expect(counts(r.group[0]!)).toEqual({ 'initial-population': 1 });
    // B's patient: admitted 5 Jan, one screen on 6 Jan, nothing since → weeks to today (Chicago), one positive then missing
    const s = await report(adminB, `${SCREENS}/$evaluate-measure?${PERIOD}`);
    expect(counts(s.group[0]!).numerator).toBe(0);
  });

  it('writes are not supported: 405', async () => {
    const r = await admin.post('/fhir/R4/Measure', { resourceType: 'Measure' });
    expect(r.statusCode).toBe(405);
    expect((r.json() as Res).resourceType).toBe('OperationOutcome');
  });
});
