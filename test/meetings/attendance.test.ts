// A patient's meetings through the HTTP API (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): choosing meetings, the iCalendar file, self-reported attendance (one a
// day, never paid), verifying with an in-house meeting's rotating code (wrong code, another
// meeting's code, outside the meeting's time), the CM attendance event posted once for
// verified attendance only, the staff view, and the public Meeting Guide feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { clinicProtocol, enrolled } from '../cm/support.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
const NOW = '2026-03-04T15:00:00Z'; // Wednesday 10:00 in New York, in the enrolments' first week

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

async function phoneOf(patientId: string): Promise<Phone> {
  const invite = await admin.post(`/api/v1/patients/${patientId}/app-invites`);
  expect(invite.statusCode, invite.body).toBe(200);
  return activatePhone(w.app, (invite.json() as { code: string }).code);
}
const app = (phone: Phone) => ({
  get: (url: string) => w.app.inject({ method: 'GET', url, headers: { cookie: phone.cookie } }),
  post: (url: string, payload: object) => w.app.inject({ method: 'POST', url, headers: { cookie: phone.cookie }, payload }),
  delete: (url: string) => w.app.inject({ method: 'DELETE', url, headers: { cookie: phone.cookie } }),
});

async function meeting(body: Record<string, unknown>): Promise<string> {
  const r = await admin.post('/api/v1/meetings', {
    fellowship: 'programme',
    name: 'Wednesday group',
    weekday: 3,
    startTime: '09:30',
    endTime: '11:00',
    timeZone: 'America/New_York',
    mode: 'hybrid',
    locationName: 'Clinic room 2',
    address: '1 Main St, New York, NY',
    postalCode: '10001',
    conferenceUrl: 'https://meet.example.org/wed',
    languages: ['en'],
    ...body,
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { meeting: { id: string } }).meeting.id;
}
const codeOf = async (id: string) => {
  const r = await admin.get(`/api/v1/meetings/${id}/attendance-code`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { code: string; url: string; onNow: boolean; expiresAt: string };
};

type Result = { attendance: { id: string; how: string; attendedOn: string; countedForCm: boolean }; duplicate: boolean; cm: { posted: string; earnedCents: number } };

describe('a patient’s meetings and attendance', () => {
  let wed: string;
  let other: string;
  let thu: string;
  let ma: string;
  let patientId: string;
  let phone: Phone;

  beforeAll(async () => {
    wed = await meeting({});
    other = await meeting({ name: 'Morning check-in', startTime: '09:00', endTime: '12:00' });
    thu = await meeting({ name: 'Thursday group', weekday: 4 });
    ma = await meeting({ fellowship: 'ma', name: 'Downtown MA', mode: 'in-person', conferenceUrl: null });
    ({ patientId } = await enrolled(w, admin, { protocol: clinicProtocol() }));
    phone = await phoneOf(patientId);
  });

  it('chooses, lists and removes meetings; a repeat changes nothing', async () => {
    const a = await app(phone).post('/api/patient/my-meetings', { meetingId: wed });
    expect(a.statusCode, a.body).toBe(200);
    expect((await app(phone).post('/api/patient/my-meetings', { meetingId: wed })).statusCode).toBe(200);
    await app(phone).post('/api/patient/my-meetings', { meetingId: ma });
    const list = (await app(phone).get('/api/patient/my-meetings')).json() as { items: Array<{ meetingId: string; verifiable: boolean }> };
    expect(list.items.map((i) => i.meetingId).sort()).toEqual([wed, ma].sort());
    expect(list.items.find((i) => i.meetingId === wed)!.verifiable).toBe(true);
    const removed = (await app(phone).delete(`/api/patient/my-meetings/${ma}`)).json() as { items: unknown[] };
    expect(removed.items).toHaveLength(1);
    expect((await app(phone).post('/api/patient/my-meetings', { meetingId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const bad = await app(phone).post('/api/patient/my-meetings', { meetingId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('body.meetingId');
  });

  it('downloads the chosen meetings as a weekly iCalendar in the meeting’s time zone', async () => {
    await app(phone).post('/api/patient/my-meetings', { meetingId: ma });
    const late = await meeting({
      fellowship: 'ma',
      name: 'Late night',
      weekday: 6,
      startTime: '23:00',
      endTime: '00:30',
      mode: 'online',
      conferenceUrl: 'https://meet.example.org/late',
      address: null,
      postalCode: null,
    });
    await app(phone).post('/api/patient/my-meetings', { meetingId: late });
    const r = await app(phone).get('/api/patient/my-meetings/calendar.ics');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/calendar');
    const ics = r.body.replace(/\r\n /g, '');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('DTSTART;TZID=America/New_York:20260304T093000');
    expect(ics).toContain('DTEND;TZID=America/New_York:20260304T110000');
    expect(ics).toContain('RRULE:FREQ=WEEKLY;BYDAY=WE');
    expect(ics).toContain('LOCATION:Clinic room 2\\, 1 Main St\\, New York\\, NY');
    expect(ics).toContain('https://meet.example.org/wed');
    // Saturday 23:00 to 00:30: ends on Sunday
    expect(ics).toContain('DTSTART;TZID=America/New_York:20260307T230000');
    expect(ics).toContain('DTEND;TZID=America/New_York:20260308T003000');
    expect(ics).toContain('RRULE:FREQ=WEEKLY;BYDAY=SA');
    expect(ics).not.toContain(patientId);
  });

  it('self-reported attendance: one per meeting and day, never paid', async () => {
    const before = await count(`select count(*) n from cm_events where patient_id = $1`, [patientId]);
    const a = await app(phone).post(`/api/patient/my-meetings/${ma}/attended`, {});
    expect(a.statusCode, a.body).toBe(200);
    const first = a.json() as Result;
    expect(first).toMatchObject({ duplicate: false, attendance: { how: 'self', attendedOn: '2026-03-04', countedForCm: false }, cm: { posted: 'no-opportunity' } });
    const again = (await app(phone).post(`/api/patient/my-meetings/${ma}/attended`, {})).json() as Result;
    expect(again.duplicate).toBe(true);
    expect(again.attendance.id).toBe(first.attendance.id);
    expect(await count(`select count(*) n from cm_events where patient_id = $1`, [patientId])).toBe(before);
    const future = await app(phone).post(`/api/patient/my-meetings/${ma}/attended`, { date: '2026-03-11' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('body.date');
  });

  it('verifies with the rotating code: wrong code, another meeting’s code, outside the meeting’s time', async () => {
    const c = await codeOf(wed);
    expect(c.code).toMatch(/^\d{6}$/);
    expect(c.url).toBe(`/app/#verify-meeting=${wed}.${c.code}`);
    expect(c.onNow).toBe(true);
    const wrong = String((Number(c.code) + 1) % 1_000_000).padStart(6, '0');
    const r1 = await app(phone).post('/api/patient/my-meetings/verify', { meetingId: wed, code: wrong });
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({ code: 'wrong_code' });
    const otherCode = (await codeOf(other)).code;
    if (otherCode !== c.code) expect((await app(phone).post('/api/patient/my-meetings/verify', { meetingId: wed, code: otherCode })).statusCode).toBe(400);
    const thuCode = (await codeOf(thu)).code;
    const r3 = await app(phone).post('/api/patient/my-meetings/verify', { meetingId: thu, code: thuCode });
    expect(r3.statusCode).toBe(409);
    expect(r3.json()).toMatchObject({ code: 'meeting_not_on' });
    const r4 = await app(phone).post('/api/patient/my-meetings/verify', { meetingId: ma, code: '123456' });
    expect(r4.statusCode).toBe(409);
    expect((await admin.get(`/api/v1/meetings/${ma}/attendance-code`)).statusCode).toBe(409);
    expect(await count(`select count(*) n from meeting_attendance where patient_id = $1 and how = 'verified'`, [patientId])).toBe(0);
  });

  it('verified attendance posts the CM attendance event once; a repeat and the previous step’s code answer the same', async () => {
    const c = await codeOf(wed);
    const r = await app(phone).post('/api/patient/my-meetings/verify', { meetingId: wed, code: c.code });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json() as Result;
    expect(res).toMatchObject({ duplicate: false, attendance: { how: 'verified', attendedOn: '2026-03-04', countedForCm: true }, cm: { posted: 'earned' } });
    expect(res.cm.earnedCents).toBeGreaterThan(0);
    w.clock.advance(30_000); // the next step: the previous code still works
    const again = (await app(phone).post('/api/patient/my-meetings/verify', { meetingId: wed, code: c.code })).json() as Result;
    expect(again.duplicate).toBe(true);
    expect(await count(`select count(*) n from cm_events where patient_id = $1 and kind = 'attendance'`, [patientId])).toBe(1);
    w.clock.advance(90_000); // two steps on: that code is no longer accepted
    expect((await app(phone).post('/api/patient/my-meetings/verify', { meetingId: wed, code: c.code })).statusCode).toBe(400);
    // a second in-house meeting verified the same day: attendance recorded, CM's day already has its event
    const o = (await app(phone).post('/api/patient/my-meetings/verify', { meetingId: other, code: (await codeOf(other)).code })).json() as Result;
    expect(o).toMatchObject({ attendance: { how: 'verified' }, cm: { posted: 'day-already-recorded' } });
    expect(await count(`select count(*) n from cm_events where patient_id = $1 and kind = 'attendance'`, [patientId])).toBe(1);
  });

  it('the patient reads only their own attendance; staff read it on the patient page', async () => {
    const mine = (await app(phone).get('/api/patient/my-meetings/attendance')).json() as { items: Array<{ meetingId: string; how: string }> };
    expect(mine.items.map((i) => i.how).sort()).toEqual(['self', 'verified', 'verified']);
    const { patientId: otherPatient } = await enrolled(w, admin, { protocol: clinicProtocol() });
    const otherPhone = await phoneOf(otherPatient);
    expect(((await app(otherPhone).get('/api/patient/my-meetings/attendance')).json() as { items: unknown[] }).items).toEqual([]);
    expect(((await app(otherPhone).get('/api/patient/my-meetings')).json() as { items: unknown[] }).items).toEqual([]);
    // removing another's meeting is only ever removing one's own (nothing there)
    expect((await app(otherPhone).delete(`/api/patient/my-meetings/${wed}`)).statusCode).toBe(200);
    expect(((await app(phone).get('/api/patient/my-meetings')).json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const staff = await admin.get(`/api/v1/patients/${patientId}/meetings`);
    expect(staff.statusCode, staff.body).toBe(200);
    const view = staff.json() as { chosen: unknown[]; attendance: Array<{ countedForCm: boolean }> };
    expect(view.attendance.filter((a) => a.countedForCm)).toHaveLength(1);
    expect(await count(`select count(*) n from audit_events where entity = 'meeting-attendance' and action = 'read' and patient_id = $1`, [patientId])).toBeGreaterThan(0);
  });

  it('self-reported attendance of a meeting the patient later verifies is upgraded once', async () => {
    const { patientId: p2 } = await enrolled(w, admin, { protocol: clinicProtocol() });
    const ph = await phoneOf(p2);
    const s = (await app(ph).post(`/api/patient/my-meetings/${wed}/attended`, {})).json() as Result;
    const v = (await app(ph).post('/api/patient/my-meetings/verify', { meetingId: wed, code: (await codeOf(wed)).code })).json() as Result;
    expect(v.attendance.id).toBe(s.attendance.id);
    expect(v).toMatchObject({ duplicate: false, attendance: { how: 'verified', countedForCm: true }, cm: { posted: 'earned' } });
  });

  it('publishes the programme’s own groups as a public Meeting Guide feed', async () => {
    const r = await w.app.inject({ method: 'GET', url: `/meetings/feed/${w.programA}.json` });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toContain('public');
    const feed = r.json() as Array<{ name: string; day: number; time: string; timezone: string }>;
    const names = feed.map((m) => m.name);
    expect(names).toContain('Wednesday group');
    expect(names).not.toContain('Downtown MA');
    expect(feed.find((m) => m.name === 'Wednesday group')).toMatchObject({ day: 3, time: '09:30', timezone: 'America/New_York' });
    expect((await w.app.inject({ method: 'GET', url: '/meetings/feed/00000000-0000-4000-8000-000000000000.json' })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: '/meetings/feed/nope.json' })).statusCode).toBe(400);
  });
});
