// Administering instruments (staff-entered and patient-tablet), scores with missing items,
// 400s naming each bad answer, the PHQ-9 item 9 safety alert, stage history and override,
// tenancy and permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, PASSWORD, type Client, type World } from '../support/world.ts';

let w: World;
let counsellor: Client;
let prescriber: Client;
let peer: Client;
let frontDesk: Client;
let adminB: Client;

const phq9 = (item9: number, rest = 1) => Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? item9 : rest]));
const urica = (pc: number, c: number, a: number, m: number) => {
  const sub: Record<string, number[]> = { pc: [1, 5, 11, 13, 23, 26, 29], c: [2, 8, 12, 15, 19, 21, 24], a: [3, 7, 10, 14, 17, 25, 30], m: [6, 16, 18, 22, 27, 28, 32] };
  const out: Record<string, number> = { '4': 3, '9': 3, '20': 3, '31': 3 };
  for (const i of sub.pc!) out[String(i)] = pc;
  for (const i of sub.c!) out[String(i)] = c;
  for (const i of sub.a!) out[String(i)] = a;
  for (const i of sub.m!) out[String(i)] = m;
  return out;
};
const audit = (action: string, entity: string) =>
  w.database.query<{ actor_id: string | null; actor_role: string | null; patient_id: string | null; detail: unknown }>(
    'select actor_id, actor_role, patient_id, detail from audit_events where action = $1 and entity = $2 order by id',
    [action, entity],
  );

beforeAll(async () => {
  w = await makeWorld();
  [counsellor, prescriber, peer, frontDesk, adminB] = await Promise.all([w.client('counsellor'), w.client('prescriber'), w.client('peer-specialist'), w.client('front-desk'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

describe('administering an instrument', () => {
  it('lists instruments and serves their Questionnaires', async () => {
    const list = await counsellor.get('/api/v1/instruments');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain('phq-9');
    const q = await counsellor.get('/api/v1/instruments/gad-7/questionnaire');
    expect(q.json()).toMatchObject({ resourceType: 'Questionnaire', url: 'http://waypoint.health/fhir/Questionnaire/gad-7' });
    expect((await counsellor.get('/api/v1/instruments/dast-10/questionnaire')).statusCode).toBe(400);
  });

  it('scores a complete PHQ-9 with its band, audited without values', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers: phq9(0, 2) });
    expect(r.statusCode).toBe(200);
    const a = r.json();
    expect(a).toMatchObject({ instrument: 'phq-9', complete: true, missing: [], scores: { total: 16 }, band: { code: 'moderately-severe' }, mode: 'staff', safetyAlertIds: [] });
    expect(a.administeredBy).toBe(w.users.counsellor);
    const rows = await audit('create', 'assessment');
    expect(rows.at(-1)).toMatchObject({ actor_id: w.users.counsellor, patient_id: w.patientA });
    expect(JSON.stringify(rows.at(-1)!.detail)).not.toMatch(/"answers"|16/);
  });

  it('computes a score only when its items are answered, and says which are missing', async () => {
    const answers = { ...phq9(0), '3': null } as Record<string, number | null>;
    delete answers['5'];
    const a = (await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers })).json();
    expect(a).toMatchObject({ complete: false, missing: ['3', '5'], scores: { total: null }, band: null });
    const u = (await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'urica', answers: { ...urica(2, 4, 3, 2), '2': null } })).json();
    expect(u.missing).toEqual(['2']);
    expect(u.scores.contemplation).toBeNull();
    expect(u.scores.precontemplation).toBe(2);
    expect(u.stage).toBeNull();
    expect(u.stageAssessmentId).toBeNull();
  });

  it('refuses out-of-range and unknown answers with 400 naming each item', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers: { ...phq9(0), '7': 4, '2': 1.5, '99': 1 } });
    const body = expectProblem(r, 400, 'invalid_input', 'body.answers.7');
    const fields = body.problems!.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['body.answers.7', 'body.answers.2', 'body.answers.99']));
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'nope', answers: {} }), 400, 'invalid_input', 'body.instrument');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'gad-7', answers: {}, extra: 1 }), 400, 'invalid_input', 'body.extra');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'gad-7', answers: { '1': 'x' } }), 400, 'invalid_input');
    const count = await w.database.query<{ n: number }>("select count(*)::int as n from assessments where answers ? '99'");
    expect(count[0]!.n).toBe(0);
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const body = { instrument: 'gad-7', answers: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [String(i + 1), 1])) };
    const a = await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, body, { 'idempotency-key': 'gad7-once' });
    const b = await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, body, { 'idempotency-key': 'gad7-once' });
    expect(b.json().id).toBe(a.json().id);
    expect(a.json()).toMatchObject({ scores: { total: 7 }, band: { code: 'mild' } });
  });

  it('lists administrations newest first with paging and an instrument filter, and reads one', async () => {
    const page1 = (await counsellor.get(`/api/v1/patients/${w.patientA}/assessments?limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = (await counsellor.get(`/api/v1/patients/${w.patientA}/assessments?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].id).not.toBe(page1.items[1].id);
    const onlyPhq = (await counsellor.get(`/api/v1/patients/${w.patientA}/assessments?instrument=phq-9`)).json();
    expect(onlyPhq.items.every((i: { instrument: string }) => i.instrument === 'phq-9')).toBe(true);
    const one = await counsellor.get(`/api/v1/patients/${w.patientA}/assessments/${page1.items[0].id}`);
    expect(one.statusCode).toBe(200);
    expectProblem(await counsellor.get(`/api/v1/patients/${w.patientA}/assessments?cursor=garbage`), 400, 'invalid_input', 'query.cursor');
  });
});

describe('PHQ-9 item 9 safety alert', () => {
  it('raises an urgent alert for the care team in the same transaction, and it is acknowledged once', async () => {
    const r = (await prescriber.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers: { '9': 1 } })).json();
    expect(r.alerts.map((a: { code: string }) => a.code)).toContain('phq9-item9-positive');
    expect(r.complete).toBe(false);
    expect(r.safetyAlertIds).toHaveLength(1);
    const alertId = r.safetyAlertIds[0];
    // patient A has no care team yet: everyone with the permission sees it
    const seenByPeer = (await peer.get('/api/v1/safety-alerts')).json();
    expect(seenByPeer.items.map((a: { id: string }) => a.id)).toContain(alertId);
    expect(seenByPeer.items[0]).toMatchObject({ patientId: w.patientA, code: 'phq9-item9-positive', severity: 'urgent', instrument: 'phq-9', acknowledgedAt: null });
    // once the counsellor is on the care team, the peer (not on it) no longer sees it by default
    expect((await counsellor.post(`/api/v1/patients/${w.patientA}/care-team`, { userId: w.users.counsellor, role: 'primary-counsellor' })).statusCode).toBe(200);
    expect((await peer.get('/api/v1/safety-alerts')).json().items.map((a: { id: string }) => a.id)).not.toContain(alertId);
    expect((await peer.get('/api/v1/safety-alerts?scope=all')).json().items.map((a: { id: string }) => a.id)).toContain(alertId);
    expect((await counsellor.get('/api/v1/safety-alerts')).json().items.map((a: { id: string }) => a.id)).toContain(alertId);
    // peers may not acknowledge; the counsellor does, once
    expectProblem(await peer.post(`/api/v1/safety-alerts/${alertId}/acknowledge`, {}), 403, 'forbidden');
    const ack = await counsellor.post(`/api/v1/safety-alerts/${alertId}/acknowledge`, { note: 'Same-day risk assessment done' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedBy: w.users.counsellor, acknowledgedByName: 'Test counsellor' });
    expectProblem(await prescriber.post(`/api/v1/safety-alerts/${alertId}/acknowledge`, {}), 409, 'already_acknowledged');
    expect((await counsellor.get('/api/v1/safety-alerts')).json().items.map((a: { id: string }) => a.id)).not.toContain(alertId);
    expect((await counsellor.get('/api/v1/safety-alerts?status=acknowledged')).json().items.map((a: { id: string }) => a.id)).toContain(alertId);
    expect((await audit('acknowledge', 'safety-alert')).length).toBe(1);
  });

  it('rolls the alert back with the administration when the request fails', async () => {
    const before = await w.database.query<{ n: number }>('select count(*)::int as n from safety_alerts');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'phq-9', answers: { '9': 2, '1': 9 } }), 400, 'invalid_input', 'body.answers.1');
    expect(await w.database.query<{ n: number }>('select count(*)::int as n from safety_alerts')).toEqual(before);
  });
});

describe('stage of change', () => {
  it('records a URICA stage, requires a reason to override it, and describes movement back without blame', async () => {
    const u = (await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'urica', answers: urica(2, 5, 3, 2), administeredAt: '2026-02-01T15:00:00Z' })).json();
    expect(u.stage).toMatchObject({ code: 'contemplation', method: 'highest-subscale', validated: false });
    expect(u.stageAssessmentId).toBeTruthy();
    let t = (await peer.get(`/api/v1/patients/${w.patientA}/stage`)).json();
    expect(t.current).toMatchObject({ stage: 'contemplation', source: 'urica', method: 'highest-subscale', rank: 1, assessmentId: u.id });

    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/stage`, { stage: 'preparation', informedBy: ['readiness-ruler'] }), 400, 'invalid_input', 'body.reason');
    const o = await counsellor.post(`/api/v1/patients/${w.patientA}/stage`, {
      stage: 'preparation',
      informedBy: ['readiness-ruler', 'interview'],
      reason: 'Has set a start date and booked groups',
      assessedAt: '2026-02-15T15:00:00Z',
    });
    expect(o.statusCode).toBe(200);
    t = o.json();
    expect(t.current).toMatchObject({ stage: 'preparation', source: 'clinician', overridesId: u.stageAssessmentId, reason: 'Has set a start date and booked groups', assessedBy: w.users.counsellor });
    expect(t.changes.at(-1)).toMatchObject({ direction: 'forward' });

    // a later clinician judgement that agrees with no URICA needs no reason; moving back is described neutrally
    const back = (await counsellor.post(`/api/v1/patients/${w.patientA}/stage`, { stage: 'contemplation', informedBy: ['interview'], note: 'Return to use after a loss' })).json();
    const last = back.changes.at(-1);
    expect(last.direction).toBe('back');
    expect(last.text).toMatch(/common and expected/);
    expect(last.text).not.toMatch(/relapse|fail|non-?complian/i);
    expect(back.points.map((p: { stage: string }) => p.stage)).toEqual(['contemplation', 'preparation', 'contemplation']);
    expect(back.points.map((p: { rank: number }) => p.rank)).toEqual([1, 2, 1]);
  });

  it('front desk and auditor see no stage, assessments or plans; peers cannot write', async () => {
    expectProblem(await frontDesk.get(`/api/v1/patients/${w.patientA}/stage`), 403);
    expectProblem(await frontDesk.get(`/api/v1/patients/${w.patientA}/assessments`), 403);
    expectProblem(await (await w.client('auditor')).get(`/api/v1/patients/${w.patientA}/assessments`), 403);
    expectProblem(await peer.post(`/api/v1/patients/${w.patientA}/stage`, { stage: 'action', informedBy: [] }), 403);
    expectProblem(await peer.get(`/api/v1/patients/${w.patientA}/assessments`), 403);
    expectProblem(await peer.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'gad-7', answers: {} }), 403);
  });
});

describe('tenancy', () => {
  it('another programme’s patient and records answer 404', async () => {
    const mine = (await counsellor.get(`/api/v1/patients/${w.patientA}/assessments`)).json().items[0];
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientA}/assessments`), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientA}/assessments/${mine.id}`), 404);
    expectProblem(await adminB.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'gad-7', answers: {} }), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientA}/stage`), 404);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientB}/assessments`, { instrument: 'phq-9', answers: { '9': 3 } }), 404);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientB}/patient-sessions`, { instrument: 'phq-9' }), 404);
    const alertsB = (await adminB.get('/api/v1/safety-alerts?scope=all&status=all')).json();
    expect(alertsB.items).toEqual([]);
    const anyAlert = (await counsellor.get('/api/v1/safety-alerts?scope=all&status=all')).json().items[0];
    expectProblem(await adminB.post(`/api/v1/safety-alerts/${anyAlert.id}/acknowledge`, {}), 404);
  });
});

describe('patient-tablet sessions', () => {
  const tablet = (token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    w.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload: payload as object } : {}) });
  /** The tablet opens the link: a browser without the staff session exchanges the hand-off code. */
  const exchange = (code: string, cookie?: string) => w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code }, ...(cookie ? { headers: { cookie } } : {}) });
  const start = async (body: object) => {
    const s = await counsellor.post(`/api/v1/patients/${w.patientA}/patient-sessions`, body);
    expect(s.statusCode).toBe(200);
    return s.json() as { id: string; handoffCode: string; handoffPath: string; expiresAt: string };
  };
  const handOff = async (body: object) => {
    const s = await start(body);
    const r = await exchange(s.handoffCode);
    expect(r.statusCode).toBe(200);
    return { ...s, token: r.json().token as string };
  };

  it('hands the tablet a single-use link whose code is exchanged once for a form token', async () => {
    const s = await start({ instrument: 'phq-9' });
    expect(s.handoffCode).toMatch(/^wph\./);
    expect(s.handoffPath).toBe(`/tablet#${s.handoffCode}`);
    expect(s).not.toHaveProperty('token');
    expect(Date.parse(s.expiresAt) - w.clock.now.getTime()).toBe(10 * 60_000);
    const rows = await w.database.query<{ handoff_hash: string; token_hash: string | null }>('select handoff_hash, token_hash from patient_sessions where id = $1', [s.id]);
    expect(rows[0]!.handoff_hash).not.toContain(s.handoffCode.split('.')[2]);
    expect(rows[0]!.token_hash).toBeNull();
    // the hand-off code is no form token
    expectProblem(await tablet(s.handoffCode, 'GET', '/api/v1/tablet/session'), 401, 'patient_session_invalid');
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${s.id}`)).json()).toMatchObject({ status: 'open', handedOff: false });

    const first = await exchange(s.handoffCode);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ staffSignedOut: false });
    expect(first.json().token).toMatch(/^wpt\./);
    expect(Date.parse(first.json().expiresAt) - w.clock.now.getTime()).toBe(30 * 60_000);
    expect(first.body).not.toContain(w.patientA);
    // a second use of the link is refused, clearly, and audited
    const second = expectProblem(await exchange(s.handoffCode), 409, 'tablet_link_used');
    expect(second.detail).toMatch(/already used/);
    expect((await audit('patient-session-refused', 'patient-session')).at(-1)).toMatchObject({ detail: { reason: 'used', step: 'hand-off' } });
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${s.id}`)).json()).toMatchObject({ status: 'open', handedOff: true });
    expect((await audit('hand-off', 'patient-session')).at(-1)).toMatchObject({ actor_id: null, actor_role: 'patient-tablet', patient_id: w.patientA });
    // two tablets opening one link at once: one token
    const race = await start({ instrument: 'gad-7' });
    const both = await Promise.all([exchange(race.handoffCode), exchange(race.handoffCode)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('refuses an expired, cancelled or forged hand-off code', async () => {
    const s = await start({ instrument: 'phq-9' });
    w.clock.advance(10 * 60_000);
    expectProblem(await exchange(s.handoffCode), 401, 'tablet_link_expired');
    counsellor = await w.client('counsellor');
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${s.id}`)).json().status).toBe('expired');
    const c = await start({ instrument: 'gad-7' });
    await counsellor.post(`/api/v1/patients/${w.patientA}/patient-sessions/${c.id}/cancel`);
    expectProblem(await exchange(c.handoffCode), 401, 'tablet_link_cancelled');
    expectProblem(await exchange(`wph.${w.programA}.${'A'.repeat(43)}`), 401, 'tablet_link_invalid');
    expectProblem(await exchange('garbage'), 401, 'tablet_link_invalid');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: {} }), 400, undefined, 'body.code');
  });

  it('signs out a staff session in the browser that opens the link', async () => {
    const s = await start({ instrument: 'phq-9' });
    expect((await counsellor.get('/api/v1/me')).statusCode).toBe(200);
    // the staff member opened the link in their own signed-in browser
    const r = await counsellor.post('/api/v1/tablet/handoff', { code: s.handoffCode });
    expect(r.statusCode).toBe(200);
    expect(r.json().staffSignedOut).toBe(true);
    expect(r.cookies.find((c) => c.name === 'wp_session')?.value).toBe('');
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}`)).statusCode).toBe(401);
    expect((await audit('sign-out', 'session')).at(-1)).toMatchObject({ actor_id: w.users.counsellor, detail: { reason: 'tablet-hand-off' } });
    // also when the link is refused (opened a second time in a signed-in browser)
    counsellor = await w.client('counsellor');
    const refused = await counsellor.post('/api/v1/tablet/handoff', { code: s.handoffCode });
    expectProblem(refused, 409, 'tablet_link_used');
    expect(refused.cookies.find((c) => c.name === 'wp_session')?.value).toBe('');
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}`)).statusCode).toBe(401);
    counsellor = await w.client('counsellor');
  });

  it('lets the form token read one form and submit it once', async () => {
    const { token, id } = await handOff({ instrument: 'phq-9' });
    const form = await tablet(token, 'GET', '/api/v1/tablet/session');
    expect(form.statusCode).toBe(200);
    expect(form.json()).toMatchObject({ instrument: 'phq-9', questionnaire: { resourceType: 'Questionnaire' } });
    expect(form.body).not.toContain('Alder');
    expect(form.body).not.toContain(w.patientA);

    // the token is no staff session: it opens nothing else
    for (const url of [`/api/v1/patients/${w.patientA}`, `/api/v1/patients/${w.patientA}/assessments`, '/api/v1/safety-alerts', `/fhir/R4/Patient/${w.patientA}`]) {
      expect((await tablet(token, 'GET', url)).statusCode, url).toBe(401);
    }
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: { '1': 7 } }), 400, 'invalid_input', 'body.answers.1');

    const sent = await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: { ...phq9(2, 1) } });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toEqual({ received: true, complete: true, missing: [] });
    expect(sent.body).not.toContain('total');

    const again = await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: phq9(0) });
    expectProblem(again, 409, 'patient_session_used');
    expectProblem(await tablet(token, 'GET', '/api/v1/tablet/session'), 409, 'patient_session_used');

    const status = (await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${id}`)).json();
    expect(status.status).toBe('submitted');
    const a = (await counsellor.get(`/api/v1/patients/${w.patientA}/assessments/${status.assessmentId}`)).json();
    expect(a).toMatchObject({ mode: 'patient-tablet', administeredBy: w.users.counsellor, scores: { total: 10 } });
    expect(a.safetyAlertIds).toHaveLength(1);
    const submits = await audit('submit', 'patient-session');
    expect(submits.at(-1)).toMatchObject({ actor_id: null, actor_role: 'patient-tablet', patient_id: w.patientA });
    const created = await audit('create', 'assessment');
    expect(created.at(-1)).toMatchObject({ actor_role: 'patient-tablet' });
    expect((await audit('patient-session-refused', 'patient-session')).length).toBeGreaterThanOrEqual(2);
  });

  it('does not save an instrument with no answers', async () => {
    const { token, id } = await handOff({ instrument: 'gad-7' });
    const count = async () => (await w.database.query<{ n: number }>('select count(*)::int as n from assessments where patient_id = $1', [w.patientA]))[0]!.n;
    const before = await count();
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: {} }), 400, 'invalid_input', 'body.answers');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: { '1': null, '2': null } }), 400, 'invalid_input', 'body.answers');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, { instrument: 'gad-7', answers: {} }), 400, 'invalid_input', 'body.answers');
    expect(await count()).toBe(before);
    // nothing was claimed: the patient can still answer
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${id}`)).json().status).toBe('open');
    expect((await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: { '1': 1 } })).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('returns to the console only with the password of the staff member who started it', async () => {
    const { token, id } = await handOff({ instrument: 'phq-9' });
    const back = (password: string, t: string | null = token) => tablet(t, 'POST', '/api/v1/tablet/return', { password });
    const wrong = expectProblem(await back('not-the-password'), 401, 'invalid_credentials', 'body.password');
    expect(wrong.detail).not.toContain('@');
    expect((await back('not-the-password')).cookies.find((c) => c.name === 'wp_session')).toBeUndefined();
    // another staff member's password does not open it
    expectProblem(await back('correct-horse-battery-test-other'), 401, 'invalid_credentials');
    expectProblem(await back(PASSWORD, 'garbage'), 401, 'patient_session_invalid');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/return', {}), 400, undefined, 'body.password');
    const failures = await audit('return-to-console', 'patient-session');
    expect(failures.at(-1)).toMatchObject({ actor_role: 'patient-tablet', patient_id: w.patientA, detail: { startedBy: w.users.counsellor } });

    const ok = await back(PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'active' });
    const cookie = ok.cookies.find((c) => c.name === 'wp_session');
    expect(cookie?.value).toBeTruthy();
    const me = await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `wp_session=${cookie!.value}` } });
    expect(me.json()).toMatchObject({ user: { id: w.users.counsellor } });
    // the form left open is closed
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${id}`)).json().status).toBe('cancelled');
    expect((await audit('return-to-console', 'patient-session')).at(-1)).toMatchObject({ detail: { startedBy: w.users.counsellor } });
  });

  it('locks the account after repeated wrong passwords at the tablet, like sign-in', async () => {
    const { token } = await handOff({ instrument: 'phq-9' });
    for (let i = 0; i < 4; i++) expectProblem(await tablet(token, 'POST', '/api/v1/tablet/return', { password: `wrong-${i}` }), 401, 'invalid_credentials');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/return', { password: 'wrong-5' }), 423, 'account_locked');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/return', { password: PASSWORD }), 423, 'account_locked');
    w.clock.advance(16 * 60_000);
    expect((await tablet(token, 'POST', '/api/v1/tablet/return', { password: PASSWORD })).statusCode).toBe(200);
    counsellor = await w.client('counsellor');
  });
});
