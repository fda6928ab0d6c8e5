// CRAFT through the HTTP API (PGlite by default, PostgreSQL with TEST_DATABASE_URL): a counsellor
// creates a CRAFT client and their course (twelve sessions, twice a week then weekly), records
// sessions held, missed and moved; the CSO on their phone reads their course and writes a
// session's homework once its day has come; wellbeing questionnaires are scored by the instrument
// library (PHQ-9 item 9 flags the course); the outcome is validated naming the field; a family
// member of another course or programme sees none of it; a patient's session is refused on the
// family routes; every write leaves an audit row, with no names in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreInstrument } from '../../core/instruments/index.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let counsellor: Client;
let adminB: Client;
const NOW = '2026-03-04T15:00:00Z'; // Wednesday 2026-03-04 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [counsellor, adminB] = await Promise.all([w.client('counsellor'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

type Session = { number: number; topic: string; scheduledOn: string; status: string; heldOn: string | null; homeworkResponse: string | null; homeworkDoneAt: string | null; note: string | null };
type Course = {
  id: string;
  familyMemberId: string;
  displayName: string;
  summary: { held: number; missed: number; homeworkDone: number; next: { number: number; scheduledOn: string } | null; onTrack: boolean };
  sessions: Session[];
  wellbeing: Array<{ instrument: string; score: number; severity: string; source: string; helpNow: boolean }>;
  trend: Array<{ instrument: string; first: number; latest: number; direction: string }>;
  outcomes: Array<{ enteredTreatment: boolean; enteredOn: string | null; setting: string | null }>;
  helpNowFlag: boolean;
};
type Mine = {
  course: null | { sessions: Array<{ number: number; title: string; open: boolean; homeworkResponse: string | null; homework: { prompt: string } }>; summary: { next: { number: number } | null } };
  wellbeing: unknown[];
};

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);
const appGet = (phone: Phone, url: string) => w.app.inject({ method: 'GET', url, headers: { cookie: phone.cookie } });
const appPost = (phone: Phone, url: string, payload: unknown) => w.app.inject({ method: 'POST', url, headers: { cookie: phone.cookie }, payload: payload as object });
const phq = (v: number, item9 = 0) => Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? item9 : v]));

let course: Course;
let phone: Phone;

describe('a CRAFT course', () => {
  it('creates the CSO (no patient link) and twelve sessions, twice a week then weekly', async () => {
    const links = await count('select count(*) n from family_links');
    const r = await counsellor.post('/api/v1/craft-courses', { displayName: 'Rosa Example (fictional)', phone: '(555) 010-7788', language: 'es', lovedOne: 'my son', startedOn: '2026-03-02' });
    expect(r.statusCode, r.body).toBe(200);
    course = r.json() as Course;
    expect(course.sessions.map((s) => s.scheduledOn)).toEqual([
      '2026-03-02',
      '2026-03-05',
      '2026-03-09',
      '2026-03-12',
      '2026-03-16',
      '2026-03-19',
      '2026-03-23',
      '2026-03-26',
      '2026-03-30',
      '2026-04-06',
      '2026-04-13',
      '2026-04-20',
    ]);
    expect(course.sessions[0]!.topic).toBe('motivation');
    expect(course.summary.next).toEqual({ number: 2, scheduledOn: '2026-03-05' });
    expect(await count('select count(*) n from family_links')).toBe(links);
    expect(await count(`select count(*) n from audit_events where entity = 'craft-course' and action = 'create' and entity_id = $1`, [course.id])).toBe(1);
    const list = (await counsellor.get('/api/v1/craft-courses')).json() as { items: Array<{ id: string }>; bounded: boolean };
    expect(list.bounded).toBe(true);
    expect(list.items.map((i) => i.id)).toContain(course.id);
  });

  it('refuses bad input with a 400 naming the field and writes nothing', async () => {
    const before = await count('select count(*) n from craft_courses');
    expectProblem(await counsellor.post('/api/v1/craft-courses', { lovedOne: 'my son', startedOn: '2026-03-02' }), 400, 'invalid_input', 'body.displayName');
    expectProblem(await counsellor.post('/api/v1/craft-courses', { displayName: 'X', lovedOne: 'my son', startedOn: '2026-02-30' }), 400, undefined, 'body.startedOn');
    expectProblem(await counsellor.post('/api/v1/craft-courses', { displayName: 'X', phone: 'call me', lovedOne: 'my son', startedOn: '2026-03-02' }), 400, 'invalid_input', 'body.phone');
    expectProblem(await counsellor.post('/api/v1/craft-courses', { familyMemberId: course.familyMemberId, lovedOne: 'my son', startedOn: '2026-03-02' }), 409, 'course_open', 'body.familyMemberId');
    expect(await count('select count(*) n from craft_courses')).toBe(before);
  });

  it('records sessions held and missed, moves one (only it), refuses a day taken and a future held date', async () => {
    let r = await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/1`, { status: 'held', note: 'Went well.' });
    expect(r.statusCode, r.body).toBe(200);
    course = r.json() as Course;
    expect(course.sessions[0]).toMatchObject({ status: 'held', heldOn: '2026-03-02', note: 'Went well.' });
    r = await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/3`, { scheduledOn: '2026-03-10' });
    expect(r.statusCode, r.body).toBe(200);
    const moved = r.json() as Course;
    expect(moved.sessions.map((s) => s.scheduledOn)).toEqual(course.sessions.map((s) => (s.number === 3 ? '2026-03-10' : s.scheduledOn)));
    course = moved;
    expectProblem(await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/4`, { scheduledOn: '2026-03-05' }), 400, 'invalid_input', 'body.scheduledOn');
    expectProblem(await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/2`, { status: 'held', heldOn: '2026-03-05' }), 400, 'invalid_input', 'body.heldOn');
    expectProblem(await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/13`, { status: 'missed' }), 400, undefined, 'params.number');
    r = await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/2`, { status: 'missed' });
    expect((r.json() as Course).summary).toMatchObject({ held: 1, missed: 1 });
    r = await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/2`, { status: 'scheduled' });
    course = r.json() as Course;
    expect(course.summary).toMatchObject({ held: 1, missed: 0, next: { number: 2 } });
    expect(await count(`select count(*) n from audit_events where entity = 'craft-session' and entity_id = $1`, [course.id])).toBe(4);
  });

  it('the CSO activates their phone, reads their course in Spanish and writes homework once the day has come', async () => {
    const access = await counsellor.get(`/api/v1/craft-courses/${course.id}/app`);
    expect(access.statusCode, access.body).toBe(200);
    expect((access.json() as { invite: unknown }).invite).toBeNull();
    const invite = await counsellor.post(`/api/v1/craft-courses/${course.id}/app/invite`);
    expect(invite.statusCode, invite.body).toBe(200);
    phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
    expect(((await counsellor.get(`/api/v1/craft-courses/${course.id}/app`)).json() as { devices: unknown[] }).devices).toHaveLength(1);

    // the app opens on My sessions: a CRAFT course of their own, no one they are linked to
    expect((await appGet(phone, '/api/patient/family/me')).json()).toMatchObject({ linked: false, craft: true });
    const mine = (await appGet(phone, '/api/patient/family/craft')).json() as Mine;
    expect(mine.course!.sessions).toHaveLength(12);
    expect(mine.course!.sessions[0]!.title).toBe('Por qué está aquí y qué esperar');
    // the app's language when the CSO switches it
    expect(((await appGet(phone, '/api/patient/family/craft?lang=en')).json() as Mine).course!.sessions[0]!.title).toBe('Why you are here and what to expect');
    expect(mine.course!.sessions.map((s) => s.open)).toEqual([true, false, false, false, false, false, false, false, false, false, false, false]);
    const disclosures = await count('select count(*) n from disclosures');

    const hw = await appPost(phone, '/api/patient/family/craft/sessions/1/homework', { response: 'Que mi hijo hable conmigo.' });
    expect(hw.statusCode, hw.body).toBe(200);
    expect((hw.json() as Mine).course!.sessions[0]!.homeworkResponse).toBe('Que mi hijo hable conmigo.');
    expectProblem(await appPost(phone, '/api/patient/family/craft/sessions/2/homework', { response: 'Todavía no.' }), 409, 'session_not_yet');
    expectProblem(await appPost(phone, '/api/patient/family/craft/sessions/1/homework', { response: '   ' }), 400, undefined, 'body.response');
    // edited later: still done, the new words kept
    expect((await appPost(phone, '/api/patient/family/craft/sessions/1/homework', { response: 'Hablar más.' })).statusCode).toBe(200);

    const staffView = (await counsellor.get(`/api/v1/craft-courses/${course.id}`)).json() as Course;
    expect(staffView.sessions[0]).toMatchObject({ homeworkResponse: 'Hablar más.' });
    expect(staffView.summary.homeworkDone).toBe(1);
    // the CSO's own record: not a disclosure of anyone's
    expect(await count('select count(*) n from disclosures')).toBe(disclosures);
    expect(await count(`select count(*) n from audit_events where entity = 'craft-homework' and entity_id = $1`, [course.id])).toBe(2);
  });

  it('scores wellbeing with the instrument library, with a trend; PHQ-9 item 9 flags the course', async () => {
    let r = await counsellor.post(`/api/v1/craft-courses/${course.id}/wellbeing`, { instrument: 'phq-9', answers: phq(2) });
    expect(r.statusCode, r.body).toBe(200);
    const lib = scoreInstrument('phq-9', { answers: phq(2) });
    expect((r.json() as Course).wellbeing[0]).toMatchObject({ instrument: 'phq-9', score: lib.scores.total, severity: lib.band!.code, source: 'staff', helpNow: false });
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/wellbeing`, { instrument: 'gad-7', answers: { '1': 1 } }), 400, 'invalid_input', 'body.answers.2');
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/wellbeing`, { instrument: 'gad-7', answers: { '1': 7 } }), 400, 'invalid_input', 'body.answers.1');
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/wellbeing`, { instrument: 'audit-c', answers: {} }), 400, undefined, 'body.instrument');

    w.clock.advance(60_000);
    r = await appPost(phone, '/api/patient/family/craft/wellbeing', { instrument: 'phq-9', answers: phq(1, 1) });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json() as { assessment: { score: number; helpNow: boolean; source: string }; trend: Array<{ instrument: string; first: number; latest: number; direction: string }> };
    expect(res.assessment).toMatchObject({ score: 9, helpNow: true, source: 'app' });
    expect(res.trend.find((t) => t.instrument === 'phq-9')).toMatchObject({ first: 16, latest: 9, direction: 'better' });
    const view = (await counsellor.get(`/api/v1/craft-courses/${course.id}`)).json() as Course;
    expect(view.helpNowFlag).toBe(true);
    expect(await count(`select count(*) n from safety_alerts`)).toBe(0);
  });

  it('the outcome: entered treatment needs a date within the course and not in the future (400 naming the field)', async () => {
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/outcomes`, { enteredTreatment: true }), 400, 'invalid_input', 'body.enteredOn');
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/outcomes`, { enteredTreatment: true, enteredOn: '2026-03-01' }), 400, 'invalid_input', 'body.enteredOn');
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/outcomes`, { enteredTreatment: true, enteredOn: '2026-03-05' }), 400, 'invalid_input', 'body.enteredOn');
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/outcomes`, { enteredTreatment: false, enteredOn: '2026-03-03' }), 400, 'invalid_input', 'body.enteredOn');
    expect(await count('select count(*) n from craft_outcomes')).toBe(0);
    const r = await counsellor.post(`/api/v1/craft-courses/${course.id}/outcomes`, { enteredTreatment: true, enteredOn: '2026-03-04', setting: 'this clinic' });
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as Course).outcomes[0]).toMatchObject({ enteredTreatment: true, enteredOn: '2026-03-04', setting: 'this clinic' });
  });

  it('another course’s CSO, another programme and a patient session see none of it', async () => {
    const other = (await counsellor.post('/api/v1/craft-courses', { displayName: 'Other Example (fictional)', lovedOne: 'my partner', startedOn: '2026-03-04' })).json() as Course;
    const otherPhone = await activatePhone(w.app, ((await counsellor.post(`/api/v1/craft-courses/${other.id}/app/invite`)).json() as { code: string }).code);
    const theirs = (await appGet(otherPhone, '/api/patient/family/craft')).json() as Mine;
    expect(JSON.stringify(theirs)).not.toContain('Hablar más.');
    expect(theirs.course!.sessions[0]!.homeworkResponse).toBeNull();

    // programme B's administrator: 404 for A's course, and A's courses are not in B's list
    expectProblem(await adminB.get(`/api/v1/craft-courses/${course.id}`), 404, 'not_found');
    expectProblem(await adminB.patch(`/api/v1/craft-courses/${course.id}/sessions/2`, { status: 'missed' }), 404, 'not_found');
    expect((await adminB.get('/api/v1/craft-courses')).body).not.toContain(course.id);

    // a relative linked to a patient, with no course: nothing
    const rel = (await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Linked Example (fictional)', relationship: 'sibling' })).json() as { items: Array<{ id: string }> };
    const relPhone = await activatePhone(w.app, ((await counsellor.post(`/api/v1/patients/${w.patientA}/family/${rel.items[0]!.id}/invite`)).json() as { code: string }).code);
    expect(((await appGet(relPhone, '/api/patient/family/craft')).json() as Mine).course).toBeNull();
    expectProblem(await appPost(relPhone, '/api/patient/family/craft/sessions/1/homework', { response: 'x' }), 404, 'not_found');

    // a patient's session: 403 on every family route
    const patientPhone = await activatePhone(w.app, ((await counsellor.post(`/api/v1/patients/${w.patientA}/app-invites`)).json() as { code: string }).code);
    expect((await appGet(patientPhone, '/api/patient/family/craft')).statusCode).toBe(403);
    expect((await appPost(patientPhone, '/api/patient/family/craft/sessions/1/homework', { response: 'x' })).statusCode).toBe(403);
    expect((await appPost(patientPhone, '/api/patient/family/craft/wellbeing', { instrument: 'phq-9', answers: phq(0) })).statusCode).toBe(403);
    // staff without a family session: 401
    expect((await counsellor.get('/api/patient/family/craft')).statusCode).toBe(401);
  });

  it('closes the course; then no more session changes; audit rows carry no names', async () => {
    expectProblem(await counsellor.post(`/api/v1/craft-courses/${course.id}/close`, { reason: '' }), 400, undefined, 'body.reason');
    const r = await counsellor.post(`/api/v1/craft-courses/${course.id}/close`, { reason: 'Course finished early: their son started treatment.' });
    expect(r.statusCode, r.body).toBe(200);
    expectProblem(await counsellor.patch(`/api/v1/craft-courses/${course.id}/sessions/2`, { status: 'missed' }), 409, 'course_closed');
    const rows = await w.database.query<{ detail: unknown }>(
      `select detail from audit_events where entity in ('craft-course', 'craft-session', 'craft-outcome', 'craft-homework', 'family-assessment')`,
    );
    expect(rows.length).toBeGreaterThan(8);
    const text = JSON.stringify(rows);
    for (const s of ['Rosa', 'my son', 'Hablar', 'this clinic', 'Went well']) expect(text).not.toContain(s);
  });
});
