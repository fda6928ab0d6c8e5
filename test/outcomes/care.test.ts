// Care outcomes over the API (issue 17, docs/outcomes.md "Care: …") on a hand-built cohort, the
// answers computed by hand.
//
// Programme A, today Mon 2 Mar 2026 (New York); default counselling rules (a visit a week in the
// first 90 days). Admitted 1 Jan – 28 Feb 2026:
//   P1 admitted Mon 5 Jan, discharged Sun 25 Jan, in CM.
//      Visits: 6 Jan individual counselling attended; 13 Jan CBT group no-show; 20 Jan individual
//      counselling late; 22 Jan dosing visit the clinic cancelled; 27 Jan (after discharge, left out).
//      Counselling: January 5–25 = 21 days → 3 visits required; seen 6 and 20 Jan → 2: not met.
//      CM doses: 6 Jan taken (observed), 7 Jan taken (take-home), 8 Jan not taken, 9 Jan missed
//      (the window closed); 27 Jan taken is after discharge → 4 expected, 2 taken, 1 observed: 50%.
//      Witnessed: 10 Jan taken; 11 Jan one member missed, another taken → taken; 12 Jan missed
//      → 3 days, 2 taken: 66.7%.
//      Stage: 5 Jan contemplation → 19 Jan preparation: forward.
//   P2 admitted Mon 5 Jan, still in treatment.
//      Visits: individual counselling attended 3, 10, 17, 24 Feb; MI session 11 Feb excused.
//      Counselling: January 5–31 = 27 days → 3 required, 0 held: not met; February (days 27–54)
//      → 28/7 = 4 required, 4 held: met; 1–2 March → 2/7 of a visit: nothing required.
//      Naltrexone: given 5 Jan (starts the course), 1 Feb (27 days: on time), due 1 Mar and not
//      given by today (overdue) → 2 due, 1 on time, 1 not given: 50%.
//      Stage: 10 Dec 2025 precontemplation (before admission, left out), 6 Jan action, 20 Feb
//      preparation: back.
//   P3 admitted Mon 23 Feb: no visits, no doses, one stage assessment (24 Feb). February 23–28
//      asks 6/7 of a visit and 1–2 March 2/7: nothing required → every rate not recorded (null).
//   P0 admitted 1 Dec 2025 (outside the period) and never counted.
//
// Everyone (3 admissions): visits 9 = attended 6 (P1 2 + P2 4), missed 1, cancelled by the clinic
// 1, excused 1 → 6/7 = 85.7%; by kind: group 1 visit 0%, individual 6 visits 100%, medication 1
// (cancelled) and mi 1 (excused) not recorded. Counselling: 3 months asked, 1 met (33.3%), 10
// visits required, 6 held. Stage: 2 admissions with two assessments (1 forward, 1 back), 1 with
// fewer. Take-homes returned: not recorded.
// By start month: January (P1, P2) has all of the above; February (P3) has every rate null and
// no stage figures (null, not 0).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { enrolled } from '../cm/support.ts';

let w: World;
let admin: Client;
const PERIOD = 'from=2026-01-01&to=2026-02-28';

async function episode(patientId: string, admittedOn: string, dischargedOn?: string) {
  const e = await admin.post(`/api/v1/patients/${patientId}/episodes`, { levelOfCare: 'otp', admittedOn });
  expect(e.statusCode, e.body).toBe(200);
  if (!dischargedOn) return;
  const d = await admin.post(`/api/v1/patients/${patientId}/episodes/${(e.json() as { id: string }).id}/discharge`, { dischargedOn, dischargeReason: 'completed' });
  expect(d.statusCode, d.body).toBe(200);
}

async function patient(n: string) {
  const p = await admin.post('/api/v1/patients', newPatient(`care${n}`));
  expect(p.statusCode, p.body).toBe(200);
  return (p.json() as { id: string }).id;
}

/** A visit at 9:00 New York time on `day`, with the patient's attendance. */
async function visit(patientId: string, day: string, type: string, attendance: string, cancelledBy?: 'clinic') {
  const id = randomUUID();
  await w.database.query(
    `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, cancelled_by, created_at, updated_at)
     values ($1, $2, $3, 'in-person', $4, $4::timestamptz + interval '50 minutes', $5, $6, $7, now(), now())`,
    [w.programA, id, type, `${day}T14:00:00Z`, w.users.counsellor, cancelledBy ? 'cancelled' : 'completed', cancelledBy ?? null],
  );
  await w.database.query('insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at) values ($1, $2, $3, $4, now())', [w.programA, id, patientId, attendance]);
}

async function stage(patientId: string, day: string, s: string) {
  await w.database.query(`insert into stage_assessments (program_id, id, patient_id, stage, source, assessed_by, assessed_at, created_at) values ($1, $2, $3, $4, 'clinician', $5, $6, now())`, [
    w.programA,
    randomUUID(),
    patientId,
    s,
    w.users.counsellor,
    `${day}T15:00:00Z`,
  ]);
}

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  const coord = await w.client('cm-coordinator');

  // P1, in CM from 5 Jan
  const cm = await enrolled(w, coord, { startDate: '2026-01-05' });
  const p1 = cm.patientId;
  await episode(p1, '2026-01-05', '2026-01-25');
  await visit(p1, '2026-01-06', 'individual-counselling', 'attended');
  await visit(p1, '2026-01-13', 'group-cbt', 'no-show');
  await visit(p1, '2026-01-20', 'individual-counselling', 'late');
  await visit(p1, '2026-01-22', 'medication-dosing', 'cancelled-clinic', 'clinic');
  await visit(p1, '2026-01-27', 'individual-counselling', 'attended');
  const doses: [string, 'dose' | 'missed', object, object | null][] = [
    ['2026-01-06', 'dose', { taken: true }, { doseType: 'observed' }],
    ['2026-01-07', 'dose', { taken: true }, { doseType: 'take-home' }],
    ['2026-01-08', 'dose', { taken: false }, { doseType: null }],
    ['2026-01-09', 'missed', { of: 'dose' }, null],
    ['2026-01-27', 'dose', { taken: true }, { doseType: 'observed' }],
  ];
  let position = 1000;
  for (const [day, kind, engine, detail] of doses)
    await w.database.query(
      `insert into cm_events (program_id, id, enrolment_id, patient_id, kind, at, position, slot_kind, slot_date, engine, detail, source, recorded_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'dose', $8, $9, $10, 'staff', now())`,
      [w.programA, randomUUID(), cm.enrolmentId, p1, kind, `${day}T15:00:00Z`, position++, day, JSON.stringify(engine), detail === null ? null : JSON.stringify(detail)],
    );
  const member = async (name: string) => {
    const id = randomUUID();
    await w.database.query(
      `insert into network_members (program_id, id, patient_id, display_name, relationship, joined_on, created_by, created_at) values ($1, $2, $3, $4, 'friend', '2026-01-05', $5, now())`,
      [w.programA, id, p1, name, w.users.counsellor],
    );
    return id;
  };
  const m1 = await member('Member one');
  const m2 = await member('Member two');
  for (const [m, day, taken] of [
    [m1, '2026-01-10', true],
    [m1, '2026-01-11', false],
    [m2, '2026-01-11', true],
    [m1, '2026-01-12', false],
  ] as const)
    await w.database.query(
      `insert into witnessed_doses (program_id, id, patient_id, network_member_id, day, taken, source, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, 'staff', $7, now())`,
      [w.programA, randomUUID(), p1, m, day, taken, w.users.counsellor],
    );
  await stage(p1, '2026-01-05', 'contemplation');
  await stage(p1, '2026-01-19', 'preparation');

  // P2
  const p2 = await patient('Two');
  await episode(p2, '2026-01-05');
  for (const day of ['2026-02-03', '2026-02-10', '2026-02-17', '2026-02-24']) await visit(p2, day, 'individual-counselling', 'attended');
  await visit(p2, '2026-02-11', 'mi-session', 'excused');
  for (const givenOn of ['2026-01-05', '2026-02-01']) {
    const r = await admin.post(`/api/v1/patients/${p2}/naltrexone-injections`, { kind: 'given', givenOn, doseMg: 380, site: 'left-gluteal' });
    expect(r.statusCode, r.body).toBe(200);
  }
  await stage(p2, '2025-12-10', 'precontemplation');
  await stage(p2, '2026-01-06', 'action');
  await stage(p2, '2026-02-20', 'preparation');

  // P3, and P0 outside the period
  const p3 = await patient('Three');
  await episode(p3, '2026-02-23');
  await stage(p3, '2026-02-24', 'preparation');
  const p0 = await patient('Zero');
  await episode(p0, '2025-12-01');
  await visit(p0, '2026-01-06', 'individual-counselling', 'no-show');
}, 120_000);

afterAll(async () => w?.close());

type Counts = { visits: number; attended: number; missed: number; cancelledByPatient: number; cancelledByClinic: number; excused: number; notRecorded: number; percent: number | null };
type Cohort = {
  key: string;
  admissions: number;
  attendance: Counts & { admissions: number; byKind: (Counts & { kind: string })[] };
  counselling: { admissions: number; months: number; monthsMet: number; required: number; held: number; percent: number | null };
  medication: {
    cmDoses: { admissions: number; expected: number; taken: number; observed: number; notTaken: number; missed: number; percent: number | null };
    witnessed: { admissions: number; days: number; taken: number; missed: number; percent: number | null };
    injections: { admissions: number; due: number; onTime: number; late: number; notGiven: number; percent: number | null };
    takeHomesReturned: null;
  };
  stage: { admissions: number; fewer: number; forward: number | null; same: number | null; back: number | null; matrix: { from: string; to: number[] }[] | null };
};
type Care = { asOf: string; admissions: number; stages: string[]; cohorts: Cohort[] };

describe('outcomes: care', () => {
  it('everyone: attendance, counselling months, medication adherence and stage of change, as computed by hand', async () => {
    const r = await admin.get(`/api/v1/outcomes/care?${PERIOD}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Care;
    expect([body.asOf, body.admissions, body.cohorts.length]).toEqual(['2026-03-02', 3, 1]);
    const all = body.cohorts[0]!;
    expect(all.key).toBe('all');
    expect(all.attendance).toMatchObject({ admissions: 2, visits: 9, attended: 6, missed: 1, cancelledByPatient: 0, cancelledByClinic: 1, excused: 1, notRecorded: 0 });
    expect(all.attendance.percent).toBeCloseTo(600 / 7, 10);
    expect(all.attendance.byKind.map((k) => [k.kind, k.visits, k.attended, k.missed, k.percent])).toEqual([
      ['group', 1, 0, 1, 0],
      ['individual', 6, 6, 0, 100],
      ['medication', 1, 0, 0, null],
      ['mi', 1, 0, 0, null],
    ]);
    expect(all.counselling).toMatchObject({ admissions: 2, months: 3, monthsMet: 1, required: 10, held: 6 });
    expect(all.counselling.percent).toBeCloseTo(100 / 3, 10);
    expect(all.medication.cmDoses).toEqual({ admissions: 1, expected: 4, taken: 2, observed: 1, notTaken: 1, missed: 1, percent: 50 });
    expect(all.medication.witnessed).toMatchObject({ admissions: 1, days: 3, taken: 2, missed: 1 });
    expect(all.medication.witnessed.percent).toBeCloseTo(200 / 3, 10);
    expect(all.medication.injections).toEqual({ admissions: 1, due: 2, onTime: 1, late: 0, notGiven: 1, percent: 50 });
    expect(all.medication.takeHomesReturned).toBeNull();
    expect(body.stages).toEqual(['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance']);
    expect(all.stage).toMatchObject({ admissions: 2, fewer: 1, forward: 1, same: 0, back: 1 });
    expect(all.stage.matrix).toEqual([
      { from: 'precontemplation', to: [0, 0, 0, 0, 0] },
      { from: 'contemplation', to: [0, 0, 1, 0, 0] },
      { from: 'preparation', to: [0, 0, 0, 0, 0] },
      { from: 'action', to: [0, 0, 1, 0, 0] },
      { from: 'maintenance', to: [0, 0, 0, 0, 0] },
    ]);
  });

  it('by start month: February’s one admission, with no visits and one stage assessment, is not recorded (null), not 0', async () => {
    const body = (await admin.get(`/api/v1/outcomes/care?${PERIOD}&cohort=start-month`)).json() as Care;
    expect(body.cohorts.map((c) => [c.key, c.admissions])).toEqual([
      ['2026-01', 2],
      ['2026-02', 1],
    ]);
    const jan = body.cohorts[0]!;
    expect([jan.attendance.visits, jan.counselling.months, jan.stage.admissions, jan.stage.fewer]).toEqual([9, 3, 2, 0]);
    const feb = body.cohorts[1]!;
    expect(feb.attendance).toEqual({ admissions: 0, visits: 0, attended: 0, missed: 0, cancelledByPatient: 0, cancelledByClinic: 0, excused: 0, notRecorded: 0, percent: null, byKind: [] });
    expect(feb.counselling).toEqual({ admissions: 0, months: 0, monthsMet: 0, required: 0, held: 0, percent: null });
    expect([feb.medication.cmDoses.percent, feb.medication.witnessed.percent, feb.medication.injections.percent, feb.medication.takeHomesReturned]).toEqual([null, null, null, null]);
    expect(feb.stage).toEqual({ admissions: 0, fewer: 1, forward: null, same: null, back: null, matrix: null });
  });

  it('writes one audit row per read, with no patient named', async () => {
    const q = "select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'read' and patient_id is null and detail->>'measure' = 'care'";
    const before = await w.database.query<{ n: number }>(q);
    await admin.get(`/api/v1/outcomes/care?${PERIOD}`);
    const after = await w.database.query<{ n: number }>(q);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    const [row] = await w.database.query<{ detail: Record<string, unknown> }>(
      "select detail from audit_events where entity = 'outcomes' and detail->>'measure' = 'care' order by at desc, id desc limit 1",
    );
    expect(row!.detail).toMatchObject({ measure: 'care', cohort: 'all', admissions: 3, visits: 9 });
  });

  it('a bad cohort or period is a 400 naming the field; 403 without read:outcomes', async () => {
    expectProblem(await admin.get(`/api/v1/outcomes/care?${PERIOD}&cohort=zodiac`), 400, 'invalid_input', 'querystring.cohort');
    expectProblem(await admin.get('/api/v1/outcomes/care?from=2026-02-01&to=2026-01-01'), 400, 'invalid_input', 'querystring.from');
    expectProblem(await admin.get('/api/v1/outcomes/care?to=2026-02-30'), 400, 'invalid_input', 'querystring.to');
    expectProblem(await admin.get(`/api/v1/outcomes/care?${PERIOD}&patientId=x`), 400, 'invalid_input');
    const counsellor = await w.client('counsellor');
    expectProblem(await counsellor.get(`/api/v1/outcomes/care?${PERIOD}`), 403);
    const auditor = await w.client('auditor');
    expect((await auditor.get(`/api/v1/outcomes/care?${PERIOD}`)).statusCode).toBe(200);
  });

  it('programme B sees none of programme A’s admissions', async () => {
    const adminB = await w.client('adminB');
    const body = (await adminB.get(`/api/v1/outcomes/care?${PERIOD}`)).json() as Care;
    expect([body.admissions, body.cohorts.length]).toEqual([0, 0]);
  });
});
