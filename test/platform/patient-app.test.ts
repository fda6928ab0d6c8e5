// The patient app's identity (issue 12, ADR 030): invites, activation with a device key and
// a PIN, unlock with a signed challenge, lock-out (also under concurrency, on PostgreSQL),
// the idle lock, revocation by staff, sign-out, and the patient principal kept apart from
// staff in both directions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT_THRESHOLD } from '../../core/access/lockout.ts';
import { unlockProof } from '../../core/access/patient-app.ts';
import { onPostgres } from '../support/db.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, activationBody, GOOD_PIN, unlockBody, unlockPhone } from '../support/patient-device.ts';
import { makeWorld, type World } from '../support/world.ts';

const ME = '/api/patient/me';
const invitePath = (patientId: string) => `/api/v1/patients/${patientId}/app-invites`;
const accessPath = (patientId: string) => `/api/v1/patients/${patientId}/app-access`;

/** Signs a counsellor in afresh (the tests move the clock past the staff idle time-out) and invites the patient. */
async function invite(w: World, patientId: string) {
  const c = await w.client('counsellor');
  const r = await c.post(invitePath(patientId));
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { id: string; code: string; activationPath: string; expiresAt: string };
}

const statuses = (rs: Array<{ statusCode: number }>) => {
  const tally: Record<number, number> = {};
  for (const r of rs) tally[r.statusCode] = (tally[r.statusCode] ?? 0) + 1;
  return tally;
};

describe('patient app identity', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w?.close();
  });
  const get = (cookie: string, url = ME) => w.app.inject({ method: 'GET', url, headers: { cookie } });

  it('an invite is a 12-character code in groups of four, valid 7 days, in the QR link’s fragment, stored only as a hash and audited', async () => {
    const inv = await invite(w, w.patientA);
    expect(inv.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(inv.activationPath).toBe(`/app/#activate=${inv.code}`);
    expect(new Date(inv.expiresAt).getTime() - w.clock.now.getTime()).toBe(7 * 86_400_000);
    const stored = await w.database.query<{ code_hash: string }>('select code_hash from patient_invites where id = $1', [inv.id]);
    expect(stored[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await w.database.query('select * from patient_invites'));
    expect(dump).not.toContain(inv.code.replace(/-/g, ''));
    const audit = await w.database.query('select 1 from audit_events where action = $1 and entity = $2 and entity_id = $3 and patient_id = $4', ['create', 'patient-invite', inv.id, w.patientA]);
    expect(audit).toHaveLength(1);
    const access = (await (await w.client('counsellor')).get(accessPath(w.patientA))).json() as { invite: { status: string } };
    expect(access.invite.status).toBe('open');
  });

  it('a new invite revokes the open one; a code works once; an unknown code is refused naming body.code', async () => {
    const first = await invite(w, w.patientA);
    const second = await invite(w, w.patientA);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: (await activationBody(first.code)).body }), 400, 'invalid_activation_code', 'body.code');
    // typed in lower case with spaces: the same code
    const phone = await activatePhone(w.app, second.code.toLowerCase().replace(/-/g, ' '));
    expect(phone.cookie).toMatch(/^wp_patient=wpp\./);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: (await activationBody(second.code)).body }), 400, 'invalid_activation_code', 'body.code');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: (await activationBody('2222-3333-4444')).body }), 400, 'invalid_activation_code', 'body.code');
    const refusals = await w.database.query<{ detail: { reason: string } }>("select detail from audit_events where entity = 'patient-invite' and action = 'sign-in' and outcome = 'failure'");
    expect(refusals.map((r) => r.detail.reason).sort()).toEqual(['revoked', 'unknown-code', 'used']);
  });

  it('an invite expires after 7 days', async () => {
    w.clock.advance(1000); // after the invites of the tests above
    const inv = await invite(w, w.patientA);
    w.clock.advance(7 * 86_400_000);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: (await activationBody(inv.code)).body }), 400, 'invalid_activation_code', 'body.code');
    expect(((await (await w.client('counsellor')).get(accessPath(w.patientA))).json() as { invite: { status: string } }).invite.status).toBe('expired');
  });

  it('bad activation input is a 400 naming the field, and nothing is written', async () => {
    const inv = await invite(w, w.patientA);
    const { body } = await activationBody(inv.code);
    const before = await w.database.query('select id from patient_devices');
    for (const pin of ['123456', '000000', '12345', '12a456', '121212'])
      expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, pin } }), 400, 'weak_pin', 'body.pin');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, code: 'ABC' } }), 400, 'invalid_input', 'body.code');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, proof: 'A'.repeat(86) } }), 400, 'invalid_input', 'body.proof');
    const other = await activationBody(inv.code);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, publicKey: other.body.publicKey } }), 400, 'invalid_input', 'body.proof');
    expectProblem(
      await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, publicKey: { ...body.publicKey, x: 'A'.repeat(43) } } }),
      400,
      'invalid_input',
      'body.publicKey',
    );
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: { ...body, extra: 1 } }), 400);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: 'not json', headers: { 'content-type': 'application/json' } }), 400);
    expect(await w.database.query('select id from patient_devices')).toEqual(before);
    // the invite was not spent by the refused attempts
    await activatePhone(w.app, inv.code);
  });

  it('the patient cookie is HttpOnly, SameSite=Strict and sent only to /api/patient; it reaches the patient’s own data and no staff route', async () => {
    const inv = await invite(w, w.patientA);
    const { body } = await activationBody(inv.code);
    const r = await w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: body });
    const c = r.cookies.find((x) => x.name === 'wp_patient')!;
    expect(c).toMatchObject({ path: '/api/patient', httpOnly: true, sameSite: 'Strict' });
    const cookie = `wp_patient=${c.value}`;
    const me = await get(cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ language: 'en', idleMinutes: 5 });
    // not in CM: Today has nothing to show, and says so
    const today = await get(cookie, '/api/patient/today');
    expect(today.statusCode).toBe(200);
    expect(today.json()).toMatchObject({ visits: [], cm: null });
    for (const url of [`/api/v1/patients/${w.patientA}`, '/api/v1/me', accessPath(w.patientA)]) expectProblem(await get(cookie, url), 401);
    // a staff session (cookie) and both at once: the patient routes look only at wp_patient
    const staff = await w.signIn(w.emailOf('administrator'));
    expectProblem(await get(staff.cookie), 401, 'unauthenticated');
    expect((await get(`${staff.cookie}; ${cookie}`)).statusCode).toBe(200);
  });

  it('locks after the programme’s idle minutes (default 5), exact to the second; the PIN opens it again', async () => {
    const phone = await activatePhone(w.app, (await invite(w, w.patientA)).code);
    w.clock.advance(5 * 60_000);
    expect((await get(phone.cookie)).statusCode).toBe(200);
    w.clock.advance(5 * 60_000 + 1000);
    expectProblem(await get(phone.cookie), 401, 'locked_idle');
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(200);
    expect((await get(phone.cookie)).statusCode).toBe(200);
    // the programme's administrator sets 2 minutes in Settings: it applies from the next request
    const admin = await w.client('administrator');
    expectProblem(await admin.put('/api/v1/patient-app/settings', { idleMinutes: 0 }), 400, 'invalid_input', 'body.idleMinutes');
    expectProblem(await admin.put('/api/v1/patient-app/settings', { idleMinutes: 16 }), 400, 'invalid_input', 'body.idleMinutes');
    expect((await (await w.client('counsellor')).put('/api/v1/patient-app/settings', { idleMinutes: 2 })).statusCode).toBe(403);
    expect((await admin.put('/api/v1/patient-app/settings', { idleMinutes: 2 })).json()).toEqual({ idleMinutes: 2 });
    try {
      expect((await admin.get('/api/v1/patient-app/settings')).json()).toEqual({ idleMinutes: 2 });
      const audit = await w.database.query<{ detail: unknown }>("select detail from audit_events where entity = 'patient-app-settings' and action = 'update' order by id desc limit 1");
      expect(audit[0]!.detail).toEqual({ idleMinutes: { from: 5, to: 2 } });
      expect((await unlockPhone(w.app, phone)).statusCode).toBe(200);
      w.clock.advance(2 * 60_000 + 1000);
      expectProblem(await get(phone.cookie), 401, 'locked_idle');
    } finally {
      await w.database.query('update programs set patient_idle_minutes = 5 where id = $1', [w.programA]);
    }
  });

  it('unlock: wrong PINs count and lock the device; a signature by another key or a reused challenge is refused without looking at the PIN', async () => {
    const phone = await activatePhone(w.app, (await invite(w, w.patientA)).code);
    // a thief with the code-less challenge but not the key
    const b = await unlockBody(w.app, phone, GOOD_PIN);
    const thief = await activationBody('AAAA-AAAA-AAAA');
    const forged = await w.app.inject({ method: 'POST', url: '/api/patient/unlock', payload: { ...b.body, signature: await thief.sign(unlockProof(phone.deviceId, b.body.challenge)) } });
    expectProblem(forged, 401, 'invalid_device_proof');
    // the challenge was used by the forged attempt
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/unlock', payload: b.body }), 401, 'invalid_device_proof');
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++)
      expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/unlock', payload: (await unlockBody(w.app, phone, '730264')).body }), 401, 'wrong_pin', 'body.pin');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/unlock', payload: (await unlockBody(w.app, phone, '730264')).body }), 423, 'device_locked');
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(423); // the right PIN, while locked
    const access = (await (await w.client('counsellor')).get(accessPath(w.patientA))).json() as { devices: Array<{ id: string; lockedUntil: string | null }> };
    expect(access.devices.find((d) => d.id === phone.deviceId)!.lockedUntil).not.toBeNull();
    w.clock.advance(15 * 60_000);
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(200);
    const lockOuts = await w.database.query("select 1 from audit_events where action = 'lock-out' and entity = 'patient-device' and entity_id = $1", [phone.deviceId]);
    expect(lockOuts).toHaveLength(1);
  });

  it('staff revoke a device: its session ends at once and it cannot unlock; audited', async () => {
    const phone = await activatePhone(w.app, (await invite(w, w.patientA)).code);
    expect((await get(phone.cookie)).statusCode).toBe(200);
    const r = await (await w.client('counsellor')).post(`/api/v1/patients/${w.patientA}/app-devices/${phone.deviceId}/revoke`);
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as { devices: Array<{ id: string; revokedAt: string | null }> }).devices.find((d) => d.id === phone.deviceId)!.revokedAt).not.toBeNull();
    expectProblem(await get(phone.cookie), 401, 'session_ended');
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(401);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/challenge', payload: { programId: phone.programId, deviceId: phone.deviceId } }), 401, 'device_revoked');
    expect(await w.database.query("select 1 from audit_events where action = 'revoke' and entity = 'patient-device' and entity_id = $1", [phone.deviceId])).toHaveLength(1);
    // another programme's administrator: the device is not there
    const adminB = await w.client('adminB');
    expectProblem(await adminB.post(`/api/v1/patients/${w.patientA}/app-devices/${phone.deviceId}/revoke`), 404);
  });

  it('lock ends the session and keeps the device; sign-out forgets the device', async () => {
    const phone = await activatePhone(w.app, (await invite(w, w.patientA)).code);
    const lock = await w.app.inject({ method: 'POST', url: '/api/patient/lock', headers: { cookie: phone.cookie } });
    expect(lock.statusCode).toBe(200);
    expect(lock.cookies.find((c) => c.name === 'wp_patient')?.value).toBe('');
    expectProblem(await get(phone.cookie), 401, 'session_ended');
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(200);
    expect((await w.app.inject({ method: 'POST', url: '/api/patient/sign-out', headers: { cookie: phone.cookie } })).statusCode).toBe(200);
    expectProblem(await get(phone.cookie), 401);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/challenge', payload: { programId: phone.programId, deviceId: phone.deviceId } }), 401, 'device_revoked');
  });
});

describe.skipIf(!onPostgres())('patient app under concurrency (PostgreSQL)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ poolSize: 12 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('20 concurrent wrong PINs on one device: four are counted, the fifth locks, the other fifteen are refused as locked', async () => {
    const phone = await activatePhone(w.app, (await invite(w, w.patientA)).code);
    const bodies = await Promise.all(Array.from({ length: 20 }, () => unlockBody(w.app, phone, '730264')));
    const results = await Promise.all(bodies.map((b) => w.app.inject({ method: 'POST', url: '/api/patient/unlock', payload: b.body })));
    expect(statuses(results)).toEqual({ 401: LOCKOUT_THRESHOLD - 1, 423: 20 - (LOCKOUT_THRESHOLD - 1) });
    const failures = await w.database.query("select 1 from audit_events where action = 'sign-in' and entity = 'patient-app' and outcome = 'failure' and detail->>'deviceId' = $1", [phone.deviceId]);
    expect(failures).toHaveLength(LOCKOUT_THRESHOLD);
    expect((await unlockPhone(w.app, phone)).statusCode).toBe(423);
  });

  it('one code sent by 10 phones at once activates exactly one', async () => {
    const inv = await invite(w, w.patientA);
    const bodies = await Promise.all(Array.from({ length: 10 }, () => activationBody(inv.code)));
    const results = await Promise.all(bodies.map((b) => w.app.inject({ method: 'POST', url: '/api/patient/activate', payload: b.body })));
    expect(statuses(results)).toEqual({ 200: 1, 400: 9 });
    expect(await w.database.query('select 1 from patient_devices where invite_id = $1', [inv.id])).toHaveLength(1);
  });
});
