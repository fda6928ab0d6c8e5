// The engagement outcomes' API (issue 17) on a hand-built cohort, the answers computed by hand.
//
// Programme A, today Mon 2026-03-02 (New York). Admitted in January–February 2026 (all OTP):
//   E1 admitted Mon 5 Jan, discharged Sun 25 Jan (3 complete weeks). Check-ins 5, 6, 7 Jan (week 1:
//      3 days), 14 Jan (week 2: 1), none in week 3; one on 27 Jan, after discharge, not counted.
//      Modules: A assigned 6 Jan, opened 7 Jan, completed 20 Jan; B assigned 8 Jan, never opened;
//      D assigned 9 Jan and cancelled (not counted).                        check-ins [3, 1, 0]
//   E2 admitted Mon 5 Jan, still in (8 complete weeks to today; week 9 began today). Check-ins every
//      day of week 1 (7), 12 and 13 Jan (week 2: 2), 24 Feb (week 8: 1), and today (week 9 under
//      way counts: it has a check-in). Module C opened from the library 15 Jan, last active 16 Jan,
//      an exercise entered 22 Jan; not completed.                check-ins [7, 2, 0, 0, 0, 0, 0, 1, 1]
//   E3 admitted Mon 12 Jan, still in (7 complete weeks): no check-ins, no modules.   [0 × 7]
//   E4 admitted Mon 23 Feb (1 complete week): a check-in on 23 Feb.                  [1]
//   P0 admitted 1 Dec 2025 (outside the period) and programme B's patient are never counted.
//
// Check-ins by week: week 1: 4 admissions, 3 checked in (75%), mean (3+7+0+1)/4 = 2.75 days;
// week 2: 3 (E1, E2, E3), 2 active, mean 1; week 3: 3, 0, mean 0; weeks 4–7: 2 (E2, E3), 0;
// week 8: 1, 1, mean 1; week 9: 1, 1, mean 1. Check-in days: 4 + 11 + 0 + 1 = 16.
// Module activity days: E1 7 Jan (week 1), 20 Jan (week 3) → [1, 0, 1]; E2 15, 16 Jan (week 2),
// 22 Jan (week 3) → [0, 2, 1, 0 × 5]; E3 and E4 none. Week 1: 4, 1 active, mean 0.25; week 2: 3,
// 1, mean 2/3; week 3: 3, 2, mean 2/3; weeks 4–7: 2, 0; week 8: 1, 0.
// Modules: 2 assigned (A, B), 1 started, 1 completed → 50%; from the library: 1 started, 0 completed.
// By start month: January (E1, E2, E3) has the modules; February (E4) has 1 check-in day.
//
// Peer referrals (their own date, in New York):
//   R1 10 Jan: reached; MOUD started 13 Jan (3 days), naloxone 10 Jan, overdoses 30 Jan and 14 Feb
//   R2 1 Feb: an attempt 'reached' corrected to 'no-answer', then reached on 2 Feb; MOUD 9 Feb
//      (8 days), an overdose 20 Feb
//   R3 3 Feb: no answer; nothing recorded
//   R4 31 Dec 2025 22:00 New York (1 Jan 03:00 UTC): outside the period; programme B's: not counted
// → 3 referrals, 2 reached, 2 with outcomes, 2 on MOUD (median (3 + 8) / 2 = 5.5 days), 0 entered
//   treatment, 1 naloxone, 2 with an overdose after the referral, 1 with two or more.
// From 3 Feb only R3: no outcome recorded at all → the outcome figures are not recorded (null).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { admit } from './support.ts';

let w: World;
let admin: Client;
const PERIOD = 'from=2026-01-01&to=2026-02-28';

/** Noon in New York on a day. */
const noon = (day: string) => `${day}T17:00:00Z`;

async function checkIns(programId: string, patientId: string, days: string[]) {
  for (const day of days)
    await w.database.query(
      `insert into check_ins (program_id, id, patient_id, day, made_at, answers, source, idempotency_key, outcome, recorded_at)
       values ($1, gen_random_uuid(), $2, $3, $4, '{}'::jsonb, 'app', gen_random_uuid()::text, '{}'::jsonb, $4)`,
      [programId, patientId, day, noon(day)],
    );
}

async function assign(patientId: string, moduleKey: string, day: string, status = 'open') {
  await w.database.query(`insert into skill_assignments (program_id, id, patient_id, module_key, status, assigned_by, assigned_at) values ($1, gen_random_uuid(), $2, $3, $4, $5, $6)`, [
    w.programA,
    patientId,
    moduleKey,
    status,
    w.users.counsellor,
    noon(day),
  ]);
}

async function progress(patientId: string, moduleKey: string, started: string, lastActive: string, completed: string | null) {
  await w.database.query(
    `insert into skill_progress (program_id, patient_id, module_key, version, screens, furthest_screen, started_at, last_active_at, completed_at)
     values ($1, $2, $3, 1, 5, $4, $5, $6, $7)`,
    [w.programA, patientId, moduleKey, completed ? 4 : 1, noon(started), noon(lastActive), completed ? noon(completed) : null],
  );
}

async function referral(programId: string, referredAt: string, attempts: { outcome: string; at: string; corrects?: number }[], outcomes: [string, string][]) {
  const id = crypto.randomUUID();
  await w.database.query(
    `insert into peer_referrals (program_id, id, contact_name, source, referred_at, consent, schedule, created_at)
     values ($1, $2, 'Sam (fictional)', 'emergency-department', $3, true, '{}'::jsonb, $3)`,
    [programId, id, referredAt],
  );
  const ids: string[] = [];
  for (const a of attempts) {
    const aid = crypto.randomUUID();
    ids.push(aid);
    await w.database.query(`insert into peer_outreach_attempts (program_id, id, referral_id, at, method, outcome, corrects, recorded_at) values ($1, $2, $3, $4, 'phone', $5, $6, $4)`, [
      programId,
      aid,
      id,
      a.at,
      a.outcome,
      a.corrects === undefined ? null : ids[a.corrects]!,
    ]);
  }
  for (const [kind, on] of outcomes)
    await w.database.query(`insert into peer_referral_outcomes (program_id, id, referral_id, kind, occurred_on, recorded_at) values ($1, gen_random_uuid(), $2, $3, $4, now())`, [
      programId,
      id,
      kind,
      on,
    ]);
}

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  const e1 = await admit(admin, 'One', '2026-01-05');
  await checkIns(w.programA, e1.patientId, ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-14', '2026-01-27']);
  await assign(e1.patientId, 'module-a', '2026-01-06');
  await progress(e1.patientId, 'module-a', '2026-01-07', '2026-01-20', '2026-01-20');
  await assign(e1.patientId, 'module-b', '2026-01-08');
  await assign(e1.patientId, 'module-d', '2026-01-09', 'cancelled');
  const d = await admin.post(`/api/v1/patients/${e1.patientId}/episodes/${e1.episodeId}/discharge`, { dischargedOn: '2026-01-25', dischargeReason: 'completed' });
  expect(d.statusCode, d.body).toBe(200);

  const e2 = await admit(admin, 'Two', '2026-01-05');
  const week1 = ['05', '06', '07', '08', '09', '10', '11'].map((dd) => `2026-01-${dd}`);
  await checkIns(w.programA, e2.patientId, [...week1, '2026-01-12', '2026-01-13', '2026-02-24', '2026-03-02']);
  await progress(e2.patientId, 'module-c', '2026-01-15', '2026-01-16', null);
  await w.database.query(
    `insert into skill_entries (program_id, id, patient_id, module_key, version, step_id, homework, type, data, entered_at, received_at)
     values ($1, gen_random_uuid(), $2, 'module-c', 1, 'homework', true, 'free-text', '{}'::jsonb, $3, $3)`,
    [w.programA, e2.patientId, noon('2026-01-22')],
  );

  await admit(admin, 'Three', '2026-01-12');
  const e4 = await admit(admin, 'Four', '2026-02-23');
  await checkIns(w.programA, e4.patientId, ['2026-02-23']);

  const p0 = await admit(admin, 'Zero', '2025-12-01');
  await checkIns(w.programA, p0.patientId, ['2026-01-08']);

  const adminB = await w.client('adminB');
  const b = await admit(adminB, 'Bee', '2026-01-05');
  await checkIns(w.programB, b.patientId, ['2026-01-06']);

  await referral(
    w.programA,
    '2026-01-10T15:00:00Z',
    [{ outcome: 'reached', at: '2026-01-10T16:00:00Z' }],
    [
      ['moud-started', '2026-01-13'],
      ['naloxone-received', '2026-01-10'],
      ['repeat-overdose', '2026-01-30'],
      ['repeat-overdose', '2026-02-14'],
    ],
  );
  await referral(
    w.programA,
    '2026-02-01T15:00:00Z',
    [
      { outcome: 'reached', at: '2026-02-01T16:00:00Z' },
      { outcome: 'no-answer', at: '2026-02-01T16:00:00Z', corrects: 0 },
      { outcome: 'reached', at: '2026-02-02T16:00:00Z' },
    ],
    [
      ['moud-started', '2026-02-09'],
      ['repeat-overdose', '2026-02-20'],
    ],
  );
  await referral(w.programA, '2026-02-03T15:00:00Z', [{ outcome: 'no-answer', at: '2026-02-03T16:00:00Z' }], []);
  await referral(w.programA, '2026-01-01T03:00:00Z', [{ outcome: 'reached', at: '2026-01-01T16:00:00Z' }], [['moud-started', '2026-01-02']]);
  await referral(w.programB, '2026-01-10T15:00:00Z', [{ outcome: 'reached', at: '2026-01-10T16:00:00Z' }], [['moud-started', '2026-01-11']]);
}, 120_000);

afterAll(async () => w?.close());

type Week = { week: number; admissions: number; active: number | null; percent: number | null; meanDays: number | null };
type Engagement = {
  asOf: string;
  admissions: number;
  recorded: { checkIns: boolean; modules: boolean };
  cohorts: {
    key: string;
    n: number;
    checkIns: { days: number; weeks: Week[] };
    modules: { assigned: number; started: number; completed: number; completionPercent: number | null; unassigned: { started: number; completed: number }; weeks: Week[] };
  }[];
};
const row = (wk: Week) => [wk.week, wk.admissions, wk.active, wk.meanDays];

describe('outcomes: engagement', () => {
  it('check-ins by week since admission (the decay curve), as computed by hand', async () => {
    const r = await admin.get(`/api/v1/outcomes/engagement?${PERIOD}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Engagement;
    expect([body.asOf, body.admissions]).toEqual(['2026-03-02', 4]);
    expect(body.recorded).toEqual({ checkIns: true, modules: true });
    expect(body.cohorts).toHaveLength(1);
    const all = body.cohorts[0]!;
    expect([all.key, all.n, all.checkIns.days]).toEqual(['all', 4, 16]);
    expect(all.checkIns.weeks.map(row)).toEqual([
      [1, 4, 3, 2.75],
      [2, 3, 2, 1],
      [3, 3, 0, 0],
      [4, 2, 0, 0],
      [5, 2, 0, 0],
      [6, 2, 0, 0],
      [7, 2, 0, 0],
      [8, 1, 1, 1],
      [9, 1, 1, 1],
    ]);
    expect(all.checkIns.weeks[0]!.percent).toBe(75);
  });

  it('modules: assigned, started, completed, and activity by week', async () => {
    const all = ((await admin.get(`/api/v1/outcomes/engagement?${PERIOD}`)).json() as Engagement).cohorts[0]!;
    expect(all.modules).toMatchObject({ assigned: 2, started: 1, completed: 1, completionPercent: 50, unassigned: { started: 1, completed: 0 } });
    expect(all.modules.weeks.map((wk) => [wk.week, wk.admissions, wk.active])).toEqual([
      [1, 4, 1],
      [2, 3, 1],
      [3, 3, 2],
      [4, 2, 0],
      [5, 2, 0],
      [6, 2, 0],
      [7, 2, 0],
      [8, 1, 0],
    ]);
    expect(all.modules.weeks[0]!.meanDays).toBe(0.25);
    expect(all.modules.weeks[1]!.meanDays).toBeCloseTo(2 / 3, 12);
  });

  it('by start month: January has the modules, February one check-in day', async () => {
    const body = (await admin.get(`/api/v1/outcomes/engagement?${PERIOD}&cohort=start-month`)).json() as Engagement;
    expect(body.cohorts.map((c) => [c.key, c.n, c.checkIns.days, c.modules.assigned, c.checkIns.weeks.length])).toEqual([
      ['2026-01', 3, 15, 2, 9],
      ['2026-02', 1, 1, 0, 1],
    ]);
    expect(body.cohorts[1]!.modules.completionPercent).toBeNull();
  });

  it('E3 alone (no check-ins, no modules): weeks counted, every figure not recorded', async () => {
    const body = (await admin.get('/api/v1/outcomes/engagement?from=2026-01-12&to=2026-01-12')).json() as Engagement;
    expect([body.admissions, body.recorded]).toEqual([1, { checkIns: false, modules: false }]);
    const c = body.cohorts[0]!;
    expect(c.checkIns.weeks).toHaveLength(7);
    expect(c.checkIns.weeks[0]).toEqual({ week: 1, admissions: 1, active: null, percent: null, meanDays: null });
    expect(c.modules).toMatchObject({ assigned: 0, completionPercent: null });
  });

  it('programme B sees only its own admission', async () => {
    const adminB = await w.client('adminB');
    const body = (await adminB.get(`/api/v1/outcomes/engagement?${PERIOD}`)).json() as Engagement;
    expect([body.admissions, body.cohorts[0]!.checkIns.days]).toEqual([1, 1]);
  });
});

describe('outcomes: peer referrals', () => {
  it('reached, medication and how soon, naloxone, overdoses after the referral, as computed by hand', async () => {
    const r = await admin.get(`/api/v1/outcomes/peer-referrals?${PERIOD}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      from: '2026-01-01',
      to: '2026-02-28',
      asOf: '2026-03-02',
      referrals: 3,
      reached: 2,
      withOutcomes: 2,
      moudStarted: 2,
      medianDaysToMoud: 5.5,
      enteredTreatment: 0,
      naloxoneReceived: 1,
      overdoseAfter: 2,
      repeatOverdoses: 1,
    });
  });

  it('no outcome recorded for the referrals of the period: not recorded, not 0', async () => {
    const body = (await admin.get('/api/v1/outcomes/peer-referrals?from=2026-02-03&to=2026-02-28')).json() as Record<string, unknown>;
    expect(body).toMatchObject({ referrals: 1, reached: 0, withOutcomes: 0, moudStarted: null, medianDaysToMoud: null, naloxoneReceived: null, overdoseAfter: null, repeatOverdoses: null });
  });
});

describe('outcomes: engagement refusals and audit', () => {
  it('a bad cohort or period is a 400 naming the field', async () => {
    expectProblem(await admin.get(`/api/v1/outcomes/engagement?${PERIOD}&cohort=zodiac`), 400, 'invalid_input', 'querystring.cohort');
    expectProblem(await admin.get('/api/v1/outcomes/engagement?from=2026-02-01&to=2026-01-01'), 400, 'invalid_input', 'querystring.from');
    expectProblem(await admin.get('/api/v1/outcomes/peer-referrals?to=2026-02-30'), 400, 'invalid_input', 'querystring.to');
  });

  it('403 without read:outcomes', async () => {
    const counsellor = await w.client('counsellor');
    expectProblem(await counsellor.get(`/api/v1/outcomes/engagement?${PERIOD}`), 403);
    expectProblem(await counsellor.get(`/api/v1/outcomes/peer-referrals?${PERIOD}`), 403);
  });

  it('one audit row per read, with no patient named', async () => {
    const count = async () =>
      (
        await w.database.query<{ n: number }>(
          "select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null and detail->>'measure' in ('engagement', 'peer-referrals')",
        )
      )[0]!.n;
    const before = await count();
    await admin.get(`/api/v1/outcomes/engagement?${PERIOD}`);
    await admin.get(`/api/v1/outcomes/peer-referrals?${PERIOD}`);
    expect(await count()).toBe(before + 2);
  });
});
