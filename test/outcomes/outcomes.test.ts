// The outcomes dashboard's API (issue 17) on a hand-built cohort, the answers computed by hand.
//
// Programme A, today 2026-03-02 (New York). Admitted in January–February 2026:
//   P1 admitted Mon 5 Jan, discharged 25 Jan            → left on day 20 (an event)
//   P2 admitted Mon 5 Jan, weekly screens to Fri 27 Feb  → still in: censored on day 56 (5 Jan → 2 Mar)
//   P3 admitted Mon 12 Jan, one screen on 14 Jan, nothing since: no contact for > 30 days
//                                                        → lost: left on its last contact, day 2
//   P4 admitted Mon 23 Feb, no screens, no contact       → censored on day 7 (within 30 days of admission)
//   P0 admitted 1 Dec 2025 (outside the period) and programme B's patient are never counted.
//
// Kaplan–Meier: day 2: 4 at risk, 1 left → S = 3/4; day 7: 3 at risk, 1 censored; day 20: 2 at
// risk, 1 left → S = 3/4 × 1/2 = 0.375; day 56: 1 at risk, 1 censored. S(30) = 0.375 with 1
// followed that long; S(90) and S(180) are not recorded (null: the one left in was followed 56 days).
//
// Opioid screens, one outcome per week since admission (week 1 = days 0–6):
//   P1 until 25 Jan (3 complete weeks): wk1 negative; wk2 a positive fentanyl the laboratory
//      corrected to negative → negative; wk3 none → missing                     [N, N, M]
//   P2 until today (8 weeks): N, P (opiates), N, N, N, N, N, N (27 Feb is in week 8)
//   P3 until today (7 weeks): wk1 positive, then six missing                     [P, M×6]
//   P4 until today (1 week): no screens                                          [M]
// Week 1: N N P M → missing counted positive 2/4; missing excluded 2/3
// Week 2: N P M   → 1/3; 1/2.   Week 3: M N M → 1/3; 1/1.   Weeks 4–7: N M → 1/2; 1/1.   Week 8: N → 1/1.
// Longest run of negative weeks: P1 2, P2 6, P3 0, P4 0 → median 1; reached 4 weeks: 1; 8 and 12: 0.
// Screens read: P1 2 + P2 8 + P3 1 = 11, one corrected, none invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { dashboardCohort } from './support.ts';
import { clinicProtocol } from '../cm/support.ts';

let w: World;
let admin: Client;
let p1Id = '';
let p2Id = '';
let p3Id = '';
let p4Id = '';
const PERIOD = 'from=2026-01-01&to=2026-02-28';

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  ({ p1: p1Id, p2: p2Id, p3: p3Id, p4: p4Id } = await dashboardCohort(w));
}, 120_000);

afterAll(async () => w?.close());

type Retention = {
  asOf: string;
  admissions: number;
  cohorts: {
    key: string;
    n: number;
    events: number;
    censored: number;
    steps: { day: number; atRisk: number; events: number; censored: number; survival: number }[];
    at: { day: number; survival: number | null; atRisk: number }[];
  }[];
};
type Rate = { negative: number; positive: number; missing: number; denominator: number; percent: number | null };
type Screens = {
  admissions: number;
  screens: { total: number; corrected: number; invalid: number };
  weeks: { week: number; admissions: number; missingPositive: Rate; missingExcluded: Rate }[];
  abstinence: { admissions: number; medianWeeks: number | null; reached: { weeks: number; admissions: number }[] };
};

describe('outcomes: retention', () => {
  it('the Kaplan–Meier curve with its counts, and S(30/90/180), as computed by hand', async () => {
    const r = await admin.get(`/api/v1/outcomes/retention?${PERIOD}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Retention;
    expect(body.asOf).toBe('2026-03-02');
    expect(body.admissions).toBe(4);
    expect(body.cohorts).toHaveLength(1);
    const all = body.cohorts[0]!;
    expect([all.key, all.n, all.events, all.censored]).toEqual(['all', 4, 2, 2]);
    expect(all.steps).toEqual([
      { day: 2, atRisk: 4, events: 1, censored: 0, survival: 0.75 },
      { day: 7, atRisk: 3, events: 0, censored: 1, survival: 0.75 },
      { day: 20, atRisk: 2, events: 1, censored: 0, survival: 0.375 },
      { day: 56, atRisk: 1, events: 0, censored: 1, survival: 0.375 },
    ]);
    expect(all.at).toEqual([
      { day: 30, survival: 0.375, atRisk: 1 },
      { day: 90, survival: null, atRisk: 0 },
      { day: 180, survival: null, atRisk: 0 },
    ]);
  });

  it('by start month: January’s three admissions and February’s one', async () => {
    const body = (await admin.get(`/api/v1/outcomes/retention?${PERIOD}&cohort=start-month`)).json() as Retention;
    expect(body.cohorts.map((c) => [c.key, c.n, c.events])).toEqual([
      ['2026-01', 3, 2],
      ['2026-02', 1, 0],
    ]);
  });

  it('writes one audit row per read, with no patient named', async () => {
    const before = await w.database.query<{ n: number }>("select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null");
    await admin.get(`/api/v1/outcomes/retention?${PERIOD}`);
    const after = await w.database.query<{ n: number }>("select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null");
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });
});

describe('outcomes: screens', () => {
  it('% negative by week under both conventions, the corrected screen counted as corrected, abstinence summarised', async () => {
    const r = await admin.get(`/api/v1/outcomes/screens?${PERIOD}&group=opioids`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Screens;
    expect(body.admissions).toBe(4);
    expect(body.screens).toEqual({ total: 11, corrected: 1, invalid: 0 });
    const rows = body.weeks.map((wk) => [wk.week, wk.admissions, wk.missingPositive.negative, wk.missingPositive.denominator, wk.missingExcluded.negative, wk.missingExcluded.denominator]);
    expect(rows).toEqual([
      [1, 4, 2, 4, 2, 3],
      [2, 3, 1, 3, 1, 2],
      [3, 3, 1, 3, 1, 1],
      [4, 2, 1, 2, 1, 1],
      [5, 2, 1, 2, 1, 1],
      [6, 2, 1, 2, 1, 1],
      [7, 2, 1, 2, 1, 1],
      [8, 1, 1, 1, 1, 1],
    ]);
    expect(body.weeks[0]!.missingPositive.percent).toBe(50);
    expect(body.weeks[0]!.missingExcluded.percent).toBeCloseTo(200 / 3, 10);
    expect(body.weeks[0]!.missingPositive).toMatchObject({ positive: 1, missing: 1 });
    expect(body.abstinence).toEqual({
      admissions: 4,
      medianWeeks: 1,
      reached: [
        { weeks: 4, admissions: 1 },
        { weeks: 8, admissions: 0 },
        { weeks: 12, admissions: 0 },
      ],
    });
  });

  it('a group nobody was tested for: every week missing, percent not recorded when nothing was read', async () => {
    const body = (await admin.get(`/api/v1/outcomes/screens?${PERIOD}&group=xylazine`)).json() as Screens;
    expect(body.weeks[0]!.missingPositive).toEqual({ negative: 0, positive: 0, missing: 4, denominator: 4, percent: 0 });
    expect(body.weeks[0]!.missingExcluded).toEqual({ negative: 0, positive: 0, missing: 4, denominator: 0, percent: null });
    expect(body.abstinence.medianWeeks).toBe(0);
  });
});

describe('outcomes: cohorts by medication and by CM protocol', () => {
  it('the medication for OUD of the first 30 days, and the protocol of a CM enrolment that started during the episode', async () => {
    const medication = async (patientId: string, body: Record<string, unknown>) => {
      const r = await admin.post(`/api/v1/patients/${patientId}/medications`, body);
      expect(r.statusCode, r.body).toBe(200);
    };
    // P1: buprenorphine since before admission, still taken; P2: methadone from its admission day;
    // P3 (admitted 12 Jan): naltrexone from 1 March, after its first 30 days → none; P4: no record → none
    await medication(p1Id, { medication: 'buprenorphine', startedOn: '2025-06-01' });
    await medication(p2Id, { medication: 'methadone', startedOn: '2026-01-05' });
    await medication(p3Id, { medication: 'naltrexone', startedOn: '2026-03-01' });
    const byMedication = (await admin.get(`/api/v1/outcomes/retention?${PERIOD}&cohort=medication`)).json() as Retention;
    expect(byMedication.cohorts.map((c) => [c.key, c.n])).toEqual([
      ['buprenorphine', 1],
      ['methadone', 1],
      ['none', 2],
    ]);
    // P2 enrolled in CM on 12 Jan, during its episode; the others are not in CM
    const proto = await admin.post('/api/v1/cm/protocols', { document: clinicProtocol() });
    expect(proto.statusCode, proto.body).toBe(200);
    const { id: protocolId, name } = proto.json() as { id: string; name: string };
    const e = await admin.post('/api/v1/cm/enrolments', {
      patientId: p2Id,
      protocolId,
      startDate: '2026-01-12',
      calendar: { specimen: [1, 3, 5], attendance: [1, 2, 3, 4, 5], windowStart: '08:00', windowEnd: '17:00' },
    });
    expect(e.statusCode, e.body).toBe(200);
    const byProtocol = (await admin.get(`/api/v1/outcomes/retention?${PERIOD}&cohort=cm-protocol`)).json() as Retention;
    expect(byProtocol.cohorts.map((c) => [c.key, c.n]).sort()).toEqual(
      [
        [name, 1],
        ['no-cm', 3],
      ].sort(),
    );
  });
});

describe('outcomes: refusals and isolation', () => {
  it('a bad group, cohort or period is a 400 naming the field', async () => {
    expectProblem(await admin.get(`/api/v1/outcomes/screens?${PERIOD}&group=sugar`), 400, 'invalid_input', 'querystring.group');
    expectProblem(await admin.get(`/api/v1/outcomes/retention?${PERIOD}&cohort=zodiac`), 400, 'invalid_input', 'querystring.cohort');
    expectProblem(await admin.get('/api/v1/outcomes/retention?from=2026-02-01&to=2026-01-01'), 400, 'invalid_input', 'querystring.from');
    expectProblem(await admin.get('/api/v1/outcomes/screens?from=2026-02-30'), 400, 'invalid_input', 'querystring.from');
  });

  it('403 for a role without read:outcomes; the auditor may read', async () => {
    const counsellor = await w.client('counsellor');
    expectProblem(await counsellor.get(`/api/v1/outcomes/retention?${PERIOD}`), 403);
    expectProblem(await counsellor.get(`/api/v1/outcomes/screens?${PERIOD}`), 403);
    const auditor = await w.client('auditor');
    expect((await auditor.get(`/api/v1/outcomes/retention?${PERIOD}`)).statusCode).toBe(200);
  });

  it('programme B sees only its own admission', async () => {
    const adminB = await w.client('adminB');
    const r = (await adminB.get(`/api/v1/outcomes/retention?${PERIOD}`)).json() as Retention;
    expect(r.admissions).toBe(1);
    const s = (await adminB.get(`/api/v1/outcomes/screens?${PERIOD}`)).json() as Screens;
    expect([s.admissions, s.screens.total, s.weeks[0]!.missingPositive.positive]).toEqual([1, 1, 1]);
  });
});

describe('outcomes: contact by an attended visit', () => {
  it('a visit attended on 20 Feb keeps P3 in treatment (censored on day 49); a no-show is no contact', async () => {
    const visit = async (patientId: string, startsAt: string, attendance: string) => {
      const id = crypto.randomUUID();
      await w.database.query(
        `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, created_at, updated_at)
         values ($1, $2, 'individual-counselling', 'in-person', $3, $3::timestamptz + interval '50 minutes', $4, 'completed', now(), now())`,
        [w.programA, id, startsAt, w.users.counsellor],
      );
      await w.database.query(`insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at) values ($1, $2, $3, $4, now())`, [w.programA, id, patientId, attendance]);
    };
    // 20 Feb 9:00 in New York; and a no-show for P3 later still, which must not count
    await visit(p3Id, '2026-02-20T14:00:00Z', 'attended');
    await visit(p3Id, '2026-02-27T14:00:00Z', 'no-show');
    await visit(p4Id, '2026-02-24T14:00:00Z', 'no-show');
    // spells now: P4 day 7 censored, P1 day 20 left, P3 day 49 censored (12 Jan → 2 Mar), P2 day 56 censored
    const all = ((await admin.get(`/api/v1/outcomes/retention?${PERIOD}`)).json() as Retention).cohorts[0]!;
    expect([all.events, all.censored]).toEqual([1, 3]);
    expect(all.steps.map((s) => [s.day, s.atRisk, s.events, s.censored])).toEqual([
      [7, 4, 0, 1],
      [20, 3, 1, 0],
      [49, 2, 0, 1],
      [56, 1, 0, 1],
    ]);
    // S(30) = 1 × (1 − 1/3) = 2/3, with P3 and P2 followed that long
    expect(all.at[0]).toMatchObject({ day: 30, atRisk: 2 });
    expect(all.at[0]!.survival).toBeCloseTo(2 / 3, 12);
  });
});
