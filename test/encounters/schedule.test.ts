// The schedule, recurring groups, arrival and attendance through the HTTP API (PGlite by
// default, PostgreSQL with TEST_DATABASE_URL): booking rules and their errors, reschedule and
// cancel history, what the front desk may and may not see, a group's attendance in one action
// posting CM attendance awards in the same transaction, and one CM attendance per day.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { clinicProtocol, enrolled } from '../cm/support.ts';
import { onPostgres } from '../support/db.ts';
import { activatePhone } from '../support/patient-device.ts';
import { enqueueVisitReminders, visitWhen } from '../../server/modules/encounters/reminders.ts';

let w: World;
let admin: Client;
let counsellor: Client;
let desk: Client;
let coord: Client;
const NOW = '2026-03-02T15:00:00Z'; // Monday 10:00 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
});
afterAll(async () => {
  await w?.close();
});
beforeEach(async () => {
  await at(NOW);
});

/** Moves the server's clock and signs everyone in again (a jump of hours ends idle sessions). */
async function at(iso: string) {
  w.clock.now = new Date(iso);
  [admin, counsellor, desk, coord] = await Promise.all([w.client('administrator'), w.client('counsellor'), w.client('front-desk'), w.client('cm-coordinator')]);
}

let n = 0;
async function patient(): Promise<string> {
  const r = await admin.post('/api/v1/patients', newPatient(`enc${Date.now() % 100000}${++n}`));
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
}

type Visit = {
  id: string;
  version: number;
  status: string;
  participants: Array<{ patientId: string; attendance: string | null; arrivedAt: string | null; cancelled: boolean; cmEventId: string | null }>;
  changes: Array<{ kind: string; reason: string }>;
};
const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

function individual(patientId: string, extra: Record<string, unknown> = {}) {
  return { typeCode: 'individual-counselling', modality: 'in-person', startsAt: '2026-03-02T16:00:00Z', durationMinutes: 50, staffId: counsellor.userId, patientIds: [patientId], ...extra };
}

describe('booking', () => {
  it('books a visit and names each bad field', async () => {
    const p = await patient();
    const ok = await counsellor.post('/api/v1/encounters', individual(p));
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as Visit).participants.map((x) => x.patientId)).toEqual([p]);
    // a group visit: one audit row per person booked, and per person read
    const q = await patient();
    const group = (await counsellor.post('/api/v1/encounters', individual(p, { typeCode: 'group-mi', patientIds: [p, q] }))).json() as Visit;
    await counsellor.get(`/api/v1/encounters/${group.id}`);
    const audited = (action: string) => count("select count(distinct patient_id) as n from audit_events where entity = 'encounter' and entity_id = $1 and action = $2", [group.id, action]);
    expect([await audited('create'), await audited('read')]).toEqual([2, 2]);
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { typeCode: 'yoga' })), 400, 'invalid_input', 'body.typeCode');
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { patientIds: [p, await patient()] })), 400, 'invalid_input', 'body.patientIds');
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { patientIds: [w.patientB] })), 404, 'not_found', 'body.patientIds[0]');
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { staffId: w.adminB })), 400, 'invalid_input', 'body.staffId');
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { durationMinutes: 0 })), 400, 'invalid_input', 'body.durationMinutes');
    expectProblem(await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-02 16:00' })), 400, 'invalid_input', 'body.startsAt');
  });

  it('a programme adds its own visit type; the built-in codes are its own already', async () => {
    const t = await admin.post('/api/v1/encounter-types', { code: 'womens-group', category: 'group', counselling: true, label: { en: 'Women’s group', es: 'Grupo de mujeres' } });
    expect(t.statusCode, t.body).toBe(200);
    expectProblem(await admin.post('/api/v1/encounter-types', { code: 'group-cbt', category: 'group', counselling: true, label: { en: 'x', es: 'x' } }), 409, 'type_exists', 'body.code');
    expectProblem(await admin.post('/api/v1/encounter-types', { code: 'Bad Code', category: 'group', counselling: true, label: { en: 'x', es: 'x' } }), 400, 'invalid_input', 'body.code');
    expectProblem(await counsellor.post('/api/v1/encounter-types', { code: 'x', category: 'group', counselling: true, label: { en: 'x', es: 'x' } }), 403);
    const list = (await desk.get('/api/v1/encounter-types')).json() as { items: Array<{ code: string; builtIn: boolean }> };
    expect(list.items.find((i) => i.code === 'womens-group')?.builtIn).toBe(false);
    expect(list.items.filter((i) => i.builtIn).length).toBeGreaterThanOrEqual(15);
  });

  it('reschedules and cancels with reasons, kept as history; a stale version is 409', async () => {
    const p = await patient();
    const v = (await counsellor.post('/api/v1/encounters', individual(p))).json() as Visit;
    const moved = await desk.post(`/api/v1/encounters/${v.id}/reschedule`, { startsAt: '2026-03-03T16:00:00Z', reason: 'Patient asked for Tuesday', version: v.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expectProblem(await desk.post(`/api/v1/encounters/${v.id}/cancel`, { by: 'patient', reason: 'Sick', version: v.version }), 409, 'stale_version', 'body.version');
    const c = await desk.post(`/api/v1/encounters/${v.id}/cancel`, { by: 'patient', reason: 'Sick', version: v.version + 1 });
    expect(c.statusCode, c.body).toBe(200);
    const read = (await counsellor.get(`/api/v1/encounters/${v.id}`)).json() as Visit;
    expect(read.status).toBe('cancelled');
    expect(read.participants[0]!.attendance).toBe('cancelled-patient');
    expect(read.changes.map((x) => [x.kind, x.reason])).toEqual([
      ['rescheduled', 'Patient asked for Tuesday'],
      ['cancelled', 'Sick'],
    ]);
    expectProblem(await desk.post(`/api/v1/encounters/${v.id}/reschedule`, { startsAt: '2026-03-04T16:00:00Z', reason: 'x', version: read.version }), 409, 'encounter_cancelled');
    await expect(w.database.query('update encounter_changes set reason = $1', ['edited'])).rejects.toThrow(/append-only|refuse/i);
  });
});

describe('the front desk', () => {
  it('sees the day’s schedule and checks people in, and nothing clinical', async () => {
    const p = await patient();
    const v = (await counsellor.post('/api/v1/encounters', individual(p))).json() as Visit;
    const day = await desk.get('/api/v1/schedule?date=2026-03-02');
    expect(day.statusCode, day.body).toBe(200);
    const item = (day.json() as { items: Array<{ id: string; participants: Array<Record<string, unknown>> }> }).items.find((i) => i.id === v.id)!;
    expect(Object.keys(item.participants[0]!).sort()).toEqual(['arrivedAt', 'cancelled', 'name', 'patientId']);
    const arrived = await desk.post(`/api/v1/encounters/${v.id}/arrivals`, { patientId: p });
    expect(arrived.statusCode, arrived.body).toBe(200);
    const first = (arrived.json() as { participants: Array<{ arrivedAt: string }> }).participants[0]!.arrivedAt;
    w.clock.advance(60_000);
    const again = await desk.post(`/api/v1/encounters/${v.id}/arrivals`, { patientId: p });
    expect((again.json() as { participants: Array<{ arrivedAt: string }> }).participants[0]!.arrivedAt).toBe(first);
    expectProblem(await desk.get(`/api/v1/encounters/${v.id}`), 403);
    expectProblem(await desk.post(`/api/v1/encounters/${v.id}/attendance`, { records: [{ patientId: p, attendance: 'attended' }] }), 403);
    expectProblem(await desk.get(`/api/v1/patients/${p}/encounters`), 403);
    expectProblem(await desk.post(`/api/v1/encounters/${v.id}/arrivals`, { patientId: await patient() }), 400, 'invalid_input', 'body.patientId');
    expectProblem(await desk.post(`/api/v1/encounters/${v.id}/arrivals`, { patientId: w.patientB }), 400, 'invalid_input', 'body.patientId');
  });
});

describe('a weekly group', () => {
  it('books every visit with the roster; capacity holds; leaving takes someone off the visits to come', async () => {
    const members = await Promise.all(Array.from({ length: 3 }, () => patient()));
    const s = await counsellor.post('/api/v1/group-series', {
      typeCode: 'group-cbt',
      title: 'Tuesday CBT group',
      modality: 'in-person',
      staffId: counsellor.userId,
      firstDate: '2026-03-03',
      weeks: 8,
      startTime: '18:00',
      durationMinutes: 90,
      capacity: 4,
      patientIds: members,
    });
    expect(s.statusCode, s.body).toBe(200);
    const series = s.json() as { id: string; visits: Array<{ id: string; startsAt: string }>; roster: Array<{ patientId: string }> };
    expect(series.visits).toHaveLength(8);
    expect(series.visits[0]!.startsAt).toBe('2026-03-03T23:00:00.000Z'); // 18:00 EST
    expect(series.visits[1]!.startsAt).toBe('2026-03-10T22:00:00.000Z'); // 18:00 EDT after the clock change
    expect(await count('select count(*) as n from encounter_participants where encounter_id in (select id from encounters where series_id = $1)', [series.id])).toBe(24);
    const fourth = await patient();
    expect((await counsellor.post(`/api/v1/group-series/${series.id}/members`, { patientId: fourth })).statusCode).toBe(200);
    expectProblem(await counsellor.post(`/api/v1/group-series/${series.id}/members`, { patientId: await patient() }), 409, 'group_full', 'body.patientId');
    expectProblem(
      await counsellor.post('/api/v1/group-series', {
        typeCode: 'individual-counselling',
        title: 'x',
        modality: 'in-person',
        staffId: counsellor.userId,
        firstDate: '2026-03-03',
        weeks: 2,
        startTime: '18:00',
        durationMinutes: 60,
        capacity: 4,
      }),
      400,
      'invalid_input',
      'body.typeCode',
    );
    // a week in, the first member leaves: off the seven visits to come, kept on the first
    await at('2026-03-05T12:00:00Z');
    const left = await counsellor.post(`/api/v1/group-series/${series.id}/members/${members[0]}/remove`, { reason: 'Moved to an evening job' });
    expect(left.statusCode, left.body).toBe(200);
    expect(await count('select count(*) as n from encounter_participants where patient_id = $1', [members[0]])).toBe(1);
    const [roster] = await w.database.query<{ left_reason: string; left_by: string }>('select left_reason, left_by from group_series_members where patient_id = $1', [members[0]]);
    expect(roster).toEqual({ left_reason: 'Moved to an evening job', left_by: counsellor.userId });
    const list = (await desk.get('/api/v1/group-series')).json() as { items: Array<{ id: string; members: number; nextVisitAt: string | null }> };
    const mine = list.items.find((i) => i.id === series.id)!;
    expect(mine.members).toBe(3);
    expect(mine.nextVisitAt).toBe('2026-03-10T22:00:00.000Z');
  });
});

describe('attendance', () => {
  it('a group’s attendance is one action; enrolled patients earn, others are recorded without CM', async () => {
    const cm1 = (await enrolled(w, coord)).patientId;
    const cm2 = (await enrolled(w, coord)).patientId;
    const plain = await patient();
    const v = (
      await counsellor.post('/api/v1/encounters', { ...individual(cm1), typeCode: 'group-mi', patientIds: [cm1, cm2, plain], startsAt: '2026-03-02T14:00:00Z', title: 'MI group' })
    ).json() as Visit;
    const before = await count('select count(*) as n from cm_events where patient_id = any($1)', [[cm1, cm2]]);
    const r = await counsellor.post(`/api/v1/encounters/${v.id}/attendance`, {
      records: [
        { patientId: cm1, attendance: 'late' },
        { patientId: cm2, attendance: 'no-show' },
        { patientId: plain, attendance: 'attended' },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { encounter: Visit; results: Array<{ patientId: string; cm: { posted: string; earnedCents: number; eventId: string | null } }> };
    const of = (id: string) => body.results.find((x) => x.patientId === id)!.cm;
    expect(of(cm1)).toMatchObject({ posted: 'earned', earnedCents: 100 });
    expect(of(cm2)).toMatchObject({ posted: 'not-earned', earnedCents: 0 });
    expect(of(plain)).toMatchObject({ posted: 'not-enrolled', eventId: null });
    expect(body.encounter.status).toBe('completed');
    expect(await count('select count(*) as n from cm_events where patient_id = any($1)', [[cm1, cm2]])).toBe(before + 2);
    // the same again is a retry; another answer is refused and changes nothing
    const again = await counsellor.post(`/api/v1/encounters/${v.id}/attendance`, { records: [{ patientId: cm1, attendance: 'late' }] });
    expect((again.json() as { results: Array<{ duplicate: boolean }> }).results[0]!.duplicate).toBe(true);
    expectProblem(await counsellor.post(`/api/v1/encounters/${v.id}/attendance`, { records: [{ patientId: cm2, attendance: 'attended' }] }), 409, 'attendance_recorded', 'body.records[0].attendance');
    expect(await count('select count(*) as n from cm_events where patient_id = any($1)', [[cm1, cm2]])).toBe(before + 2);
    // a second visit the same day keeps the day's CM attendance as it was
    const v2 = (await counsellor.post('/api/v1/encounters', individual(cm2, { startsAt: '2026-03-02T14:30:00Z' }))).json() as Visit;
    const r2 = await counsellor.post(`/api/v1/encounters/${v2.id}/attendance`, { records: [{ patientId: cm2, attendance: 'attended' }] });
    expect((r2.json() as { results: Array<{ cm: { posted: string } }> }).results[0]!.cm.posted).toBe('day-already-recorded');
  });

  it('posts nothing to CM when the patient’s protocol does not reward attendance', async () => {
    const noAttendance = clinicProtocol();
    noAttendance.tracks = noAttendance.tracks.filter((t) => t.target.kind !== 'attendance');
    const p = (await enrolled(w, coord, { protocol: noAttendance })).patientId;
    const v = (await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-02T13:00:00Z' }))).json() as Visit;
    const r = await counsellor.post(`/api/v1/encounters/${v.id}/attendance`, { records: [{ patientId: p, attendance: 'attended' }] });
    expect((r.json() as { results: Array<{ cm: { posted: string } }> }).results[0]!.cm.posted).toBe('not-rewarded');
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'attendance'", [p])).toBe(0);
  });

  it('refuses a person not booked, an unknown attendance and a visit not started — writing nothing', async () => {
    const p = await patient();
    const later = (await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-02T20:00:00Z' }))).json() as Visit;
    expectProblem(await counsellor.post(`/api/v1/encounters/${later.id}/attendance`, { records: [{ patientId: p, attendance: 'attended' }] }), 409, 'not_started');
    await at('2026-03-02T21:00:00Z');
    expectProblem(
      await counsellor.post(`/api/v1/encounters/${later.id}/attendance`, {
        records: [
          { patientId: p, attendance: 'attended' },
          { patientId: await patient(), attendance: 'attended' },
        ],
      }),
      400,
      'invalid_input',
      'body.records[1].patientId',
    );
    expect(await count('select count(*) as n from encounter_participants where encounter_id = $1 and attendance is not null', [later.id])).toBe(0);
    expectProblem(await counsellor.post(`/api/v1/encounters/${later.id}/attendance`, { records: [{ patientId: p, attendance: 'present' }] }), 400, 'invalid_input', 'body.records.0.attendance');
  });

  it.runIf(onPostgres())('two visits the same day recorded at once post one CM attendance (PostgreSQL)', async () => {
    const p = (await enrolled(w, coord)).patientId;
    const a = (await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-02T13:00:00Z' }))).json() as Visit;
    const b = (await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-02T14:00:00Z' }))).json() as Visit;
    const [ra, rb] = await Promise.all([
      counsellor.post(`/api/v1/encounters/${a.id}/attendance`, { records: [{ patientId: p, attendance: 'attended' }] }),
      counsellor.post(`/api/v1/encounters/${b.id}/attendance`, { records: [{ patientId: p, attendance: 'attended' }] }),
    ]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'attendance'", [p])).toBe(1);
    expect(await count("select count(*) as n from cm_ledger_entries where patient_id = $1 and track = 'attend'", [p])).toBe(1);
  });
});

describe('visit reminders', () => {
  it('the day before, from 7 a.m. on the patient’s clock, once, with the day and time in their language', async () => {
    const p = await patient();
    await w.database.query("update patients set preferred_language = 'es' where id = $1", [p]);
    const v = (await counsellor.post('/api/v1/encounters', individual(p, { startsAt: '2026-03-03T20:00:00Z' }))).json() as Visit; // Tuesday 15:00 in New York
    const reminders = () => w.database.query<{ id: string }>("select id from outbox_messages where patient_id = $1 and cause = 'reminder:visit'", [p]);
    expect((await enqueueVisitReminders(w.database.db, new Date('2026-03-02T11:30:00Z'))).enqueued).toBe(0); // 6:30 a.m. the day before
    expect((await enqueueVisitReminders(w.database.db, new Date('2026-03-02T13:00:00Z'))).enqueued).toBeGreaterThanOrEqual(1); // 8 a.m.
    expect(await reminders()).toHaveLength(1);
    await enqueueVisitReminders(w.database.db, new Date('2026-03-02T14:00:00Z'));
    expect(await reminders()).toHaveLength(1);
    expect(visitWhen(new Date('2026-03-03T20:00:00Z'), 'es', 'America/New_York')).toBe('martes, 3 de marzo a las 15:00');
    expect(visitWhen(new Date('2026-03-03T20:00:00Z'), 'en', 'America/New_York')).toBe('Tuesday, March 3 at 3:00 PM');
    // cancelled: no reminder for its new day
    const moved = await counsellor.post(`/api/v1/encounters/${v.id}/cancel`, { by: 'clinic', reason: 'Counsellor away', version: v.version });
    expect(moved.statusCode).toBe(200);
    expect((await enqueueVisitReminders(w.database.db, new Date('2026-03-02T15:00:00Z'))).enqueued).toBe(0);
  });
});

describe('the patient app', () => {
  it('Today lists the patient’s next visits (booked, not cancelled, not begun), with the kind of visit in both languages', async () => {
    const p = await patient();
    const invite = await counsellor.post(`/api/v1/patients/${p}/app-invites`);
    const phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
    const today = async () =>
      (await w.app.inject({ url: '/api/patient/today', headers: { cookie: phone.cookie } })).json() as {
        timeZone: string;
        visits: Array<{ startsAt: string; type: { en: string; es: string }; modality: string }>;
        cm: unknown;
      };
    expect(await today()).toEqual({ timeZone: 'America/New_York', visits: [], cm: null });
    const book = async (startsAt: string, extra: Record<string, unknown> = {}) => (await counsellor.post('/api/v1/encounters', individual(p, { startsAt, ...extra }))).json() as Visit;
    await book('2026-03-02T14:00:00Z'); // an hour ago: not next
    await book('2026-03-05T15:00:00Z', { modality: 'video' });
    const cancelled = await book('2026-03-03T15:00:00Z');
    expect((await desk.post(`/api/v1/encounters/${cancelled.id}/cancel`, { by: 'patient', reason: 'Away', version: cancelled.version })).statusCode).toBe(200);
    await book('2026-03-04T16:00:00Z', { typeCode: 'intake' });
    const t = await today();
    expect(t.visits).toEqual([
      { startsAt: '2026-03-04T16:00:00.000Z', endsAt: '2026-03-04T16:50:00.000Z', type: { en: 'Intake', es: 'Admisión' }, modality: 'in-person' },
      { startsAt: '2026-03-05T15:00:00.000Z', endsAt: '2026-03-05T15:50:00.000Z', type: { en: 'Individual counselling', es: 'Consejería individual' }, modality: 'video' },
    ]);
    // another patient's visits never show
    await book('2026-03-04T17:00:00Z', { patientIds: [await patient()] });
    expect((await today()).visits).toHaveLength(2);
  });
});
