// Passkeys for the patient app (issue 12, ADR 039), driven with real WebAuthn bytes from a
// software authenticator (test/support/soft-authenticator.ts) and verified by
// @simplewebauthn/server: activation with a passkey, unlock, and every refusal the brief
// names — wrong, reused and expired challenge, wrong origin, wrong RP ID, no user
// verification, a counter that goes back (a possible clone), a revoked device, another
// patient's credential — each a clear 4xx problem+json, audited, with nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT_THRESHOLD } from '../../core/access/lockout.ts';
import { onPostgres } from '../support/db.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone } from '../support/patient-device.ts';
import { SoftAuthenticator, type Overrides } from '../support/soft-authenticator.ts';
import { makeWorld, type World } from '../support/world.ts';

const P = '/api/patient';

type CreationOptions = {
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  challenge: string;
  timeout?: number;
  authenticatorSelection?: { residentKey?: string; userVerification?: string; authenticatorAttachment?: string };
  attestation?: string;
};
type RequestOptions = { challenge: string; rpId?: string; userVerification?: string; allowCredentials?: Array<{ id: string; type: string }> };
type PasskeyPhone = { programId: string; deviceId: string; cookie: string; auth: SoftAuthenticator };

const cookieOf = (r: { cookies: Array<{ name: string; value: string }> }) => {
  const c = r.cookies.find((x) => x.name === 'wp_patient');
  return c && c.value ? `wp_patient=${c.value}` : '';
};

describe('patient app passkeys', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => w.app.inject({ method: 'POST', url: `${P}${url}`, payload: payload as object, headers });
  const invite = async (patientId = w.patientA, who: 'counsellor' | 'adminB' = 'counsellor') => {
    const r = await (await w.client(who)).post(`/api/v1/patients/${patientId}/app-invites`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { id: string; code: string };
  };
  const registrationOptions = async (code: string) => {
    const r = await post('/passkey/registration-options', { code });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as CreationOptions;
  };
  /** Invites, registers a new passkey and activates with it. */
  const activatePasskeyPhone = async (patientId = w.patientA, who: 'counsellor' | 'adminB' = 'counsellor'): Promise<PasskeyPhone> => {
    const { code } = await invite(patientId, who);
    const auth = new SoftAuthenticator();
    const r = await post('/passkey/activate', { code, response: auth.register(await registrationOptions(code)) });
    expect(r.statusCode, r.body).toBe(200);
    const { programId, deviceId } = r.json() as { programId: string; deviceId: string };
    return { programId, deviceId, cookie: cookieOf(r), auth };
  };
  const unlockOptions = async (phone: { programId: string; deviceId: string }) => {
    const r = await post('/passkey/unlock-options', { programId: phone.programId, deviceId: phone.deviceId });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as RequestOptions;
  };
  const unlock = async (phone: PasskeyPhone, o: Overrides = {}, auth = phone.auth) => {
    const r = await post('/passkey/unlock', { programId: phone.programId, deviceId: phone.deviceId, response: auth.authenticate(await unlockOptions(phone), o) });
    const cookie = cookieOf(r);
    if (cookie) phone.cookie = cookie;
    return r;
  };
  const failures = (deviceId: string) =>
    w.database.query<{ outcome: string; detail: { reason: string } }>(
      "select outcome, detail from audit_events where action = 'sign-in' and entity = 'patient-app' and outcome <> 'success' and detail->>'deviceId' = $1 order by id",
      [deviceId],
    );

  it('registration options: the invite’s challenge for 2 minutes, the screen lock required, a random user handle, and only "Waypoint" for names', async () => {
    const { code, id } = await invite();
    const o = await registrationOptions(code.toLowerCase());
    expect(o.rp).toEqual({ name: 'Waypoint', id: 'localhost' });
    expect(o.user.name).toBe('Waypoint');
    expect(o.user.displayName).toBe('Waypoint');
    expect(Buffer.from(o.user.id, 'base64url')).toHaveLength(32);
    expect(o.user.id).not.toContain(w.patientA);
    expect(o.timeout).toBe(120_000);
    expect(o.attestation).toBe('none');
    expect(o.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'required', authenticatorAttachment: 'platform' });
    const rows = await w.database.query<{ challenge_hash: string; user_handle: string }>('select challenge_hash, user_handle from patient_passkey_registrations where invite_id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.challenge_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.challenge_hash).not.toBe(o.challenge);
    // asking does not use the invite
    expect(await w.database.query('select used_at from patient_invites where id = $1 and used_at is null', [id])).toHaveLength(1);
    // a code that is not an open invite is refused naming body.code, and audited
    expectProblem(await post('/passkey/registration-options', { code: '2222-3333-4444' }), 400, 'invalid_activation_code', 'body.code');
    expectProblem(await post('/passkey/registration-options', { code: 'ABC' }), 400, 'invalid_input', 'body.code');
    expectProblem(await post('/passkey/registration-options', { code, extra: 1 }), 400);
  });

  it('activate with a passkey: a device of kind passkey with its credential and no PIN, signed in as with a PIN; audited without credential material', async () => {
    const { code, id } = await invite();
    const auth = new SoftAuthenticator();
    const options = await registrationOptions(code);
    const r = await post('/passkey/activate', { code, response: auth.register(options) });
    expect(r.statusCode, r.body).toBe(200);
    const c = r.cookies.find((x) => x.name === 'wp_patient')!;
    expect(c).toMatchObject({ path: '/api/patient', httpOnly: true, sameSite: 'Strict' });
    const { deviceId } = r.json() as { deviceId: string };
    expect((await w.app.inject({ method: 'GET', url: `${P}/me`, headers: { cookie: `wp_patient=${c.value}` } })).statusCode).toBe(200);
    const [row] = await w.database.query<Record<string, unknown>>('select * from patient_devices where id = $1', [deviceId]);
    expect(row).toMatchObject({ kind: 'passkey', pin_hash: null, public_key: null, credential_id: auth.id, invite_id: id, user_handle: options.user.id });
    expect(Number(row!.sign_count)).toBe(0);
    expect(row!.transports).toEqual(['internal']);
    expect(await w.database.query('select 1 from patient_passkey_registrations where invite_id = $1', [id])).toHaveLength(0);
    // staff see it, as a passkey
    const access = (await (await w.client('counsellor')).get(`/api/v1/patients/${w.patientA}/app-access`)).json() as { devices: Array<{ id: string; kind: string }>; invite: { status: string } };
    expect(access.devices.find((d) => d.id === deviceId)!.kind).toBe('passkey');
    expect(access.invite.status).toBe('used');
    const audit = await w.database.query<{ action: string; entity: string; detail: unknown }>(
      "select action, entity, detail from audit_events where patient_id = $1 and actor_role = 'patient' and action <> 'read' and (entity_id = $2 or detail->>'deviceId' = $2)",
      [w.patientA, deviceId],
    );
    expect(audit.map((a) => `${a.action} ${a.entity}`).sort()).toEqual(['create patient-device', 'sign-in patient-app']);
    const trail = JSON.stringify(await w.database.query('select * from audit_events'));
    expect(trail).not.toContain(String(row!.credential_public_key));
    expect(trail).not.toContain(options.challenge);
    // the code is spent: the same registration again is refused as a used code
    expectProblem(await post('/passkey/activate', { code, response: auth.register(options) }), 400, 'invalid_activation_code', 'body.code');
  });

  it('registration refused: wrong challenge, reused challenge, expired challenge, wrong origin, wrong RP ID, no screen lock, wrong type — 400 naming body.response, the invite still open', async () => {
    const { code, id } = await invite();
    const auth = new SoftAuthenticator();
    const cases: Array<[string, Overrides]> = [
      ['challenge', { challenge: Buffer.alloc(32, 7).toString('base64url') }],
      ['origin', { origin: 'https://evil.example' }],
      ['rp-id', { rpId: 'evil.example' }],
      ['user-verification', { userVerified: false }],
      ['response', { type: 'webauthn.get' }],
    ];
    const reasons: string[] = [];
    for (const [reason, o] of cases) {
      const options = await registrationOptions(code);
      expectProblem(await post('/passkey/activate', { code, response: auth.register(options, o) }), 400, 'invalid_passkey', 'body.response');
      reasons.push(reason);
      // the challenge was used by the refused attempt: the right answer to it is refused too
      if (reason === 'origin') {
        expectProblem(await post('/passkey/activate', { code, response: auth.register(options) }), 400, 'invalid_passkey', 'body.response');
        reasons.push('challenge');
      }
    }
    // an expired challenge (2 minutes)
    const late = await registrationOptions(code);
    w.clock.advance(120_000 + 1000);
    expectProblem(await post('/passkey/activate', { code, response: auth.register(late) }), 400, 'invalid_passkey', 'body.response');
    reasons.push('challenge');
    const audited = await w.database.query<{ detail: { method: string; reason: string } }>(
      "select detail from audit_events where action = 'sign-in' and entity = 'patient-invite' and entity_id = $1 and outcome = 'failure' order by id",
      [id],
    );
    expect(audited.map((a) => a.detail)).toEqual(reasons.map((reason) => ({ method: 'passkey', reason })));
    expect(await w.database.query("select 1 from patient_devices where invite_id = $1 and kind = 'passkey'", [id])).toHaveLength(0);
    // malformed responses: 400 naming the field, never a 500
    const good = auth.register(await registrationOptions(code));
    expectProblem(
      await post('/passkey/activate', { code, response: { ...good, response: { ...good.response, clientDataJSON: 'not base64url!' } } }),
      400,
      undefined,
      'body.response.response.clientDataJSON',
    );
    expectProblem(await post('/passkey/activate', { code, response: { ...good, response: { ...good.response, attestationObject: 'AAAA' } } }), 400, 'invalid_passkey', 'body.response');
    expectProblem(
      await post('/passkey/activate', { code, response: { ...good, response: { ...good.response, clientDataJSON: Buffer.from('{').toString('base64url') } } }),
      400,
      'invalid_passkey',
      'body.response',
    );
    expectProblem(await post('/passkey/activate', { code }), 400, undefined, 'body.response');
    // the invite is still open: the right answer to fresh options works
    const r = await post('/passkey/activate', { code, response: auth.register(await registrationOptions(code)) });
    expect(r.statusCode, r.body).toBe(200);
  });

  it('unlock with the passkey: options name only this device’s credential with the screen lock required; the counter is kept; no PIN', async () => {
    const phone = await activatePasskeyPhone();
    expect((await w.app.inject({ method: 'POST', url: `${P}/lock`, headers: { cookie: phone.cookie } })).statusCode).toBe(200);
    const o = await unlockOptions(phone);
    expect(o).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [{ id: phone.auth.id, type: 'public-key' }] });
    const r = await post('/passkey/unlock', { programId: phone.programId, deviceId: phone.deviceId, response: phone.auth.authenticate(o) });
    expect(r.statusCode, r.body).toBe(200);
    expect((await w.app.inject({ method: 'GET', url: `${P}/me`, headers: { cookie: cookieOf(r) } })).statusCode).toBe(200);
    expect(Number((await w.database.query<{ sign_count: string }>('select sign_count from patient_devices where id = $1', [phone.deviceId]))[0]!.sign_count)).toBe(1);
    expect(
      await w.database.query("select 1 from audit_events where action = 'sign-in' and entity = 'patient-app' and outcome = 'success' and detail->>'deviceId' = $1 and detail->>'method' = 'passkey'", [
        phone.deviceId,
      ]),
    ).toHaveLength(2); // activation and this unlock
    // the PIN path is not open to a passkey device, nor the passkey path to a PIN device
    expectProblem(await post('/challenge', { programId: phone.programId, deviceId: phone.deviceId }), 400, 'wrong_unlock_method', 'body.deviceId');
    const pinPhone = await activatePhone(w.app, (await invite()).code);
    expectProblem(await post('/passkey/unlock-options', { programId: pinPhone.programId, deviceId: pinPhone.deviceId }), 400, 'wrong_unlock_method', 'body.deviceId');
  });

  it('unlock refused: wrong, reused and expired challenge, wrong origin, wrong RP ID, no screen lock, another patient’s credential — 401, audited', async () => {
    const phone = await activatePasskeyPhone();
    const other = await activatePasskeyPhone(w.patientB, 'adminB');
    const body = async (o: Overrides = {}, auth = phone.auth) => ({ programId: phone.programId, deviceId: phone.deviceId, response: auth.authenticate(await unlockOptions(phone), o) });
    expectProblem(await post('/passkey/unlock', await body({ challenge: Buffer.alloc(32, 9).toString('base64url') })), 401, 'invalid_passkey', 'body.response');
    const reused = await body({ origin: 'https://evil.example' });
    expectProblem(await post('/passkey/unlock', reused), 401, 'invalid_passkey');
    // the same challenge again, now answered rightly: used already
    const again = { ...reused, response: phone.auth.authenticate({ challenge: JSON.parse(Buffer.from(reused.response.response.clientDataJSON, 'base64url').toString()).challenge }) };
    expectProblem(await post('/passkey/unlock', again), 401, 'invalid_passkey');
    expectProblem(await post('/passkey/unlock', await body({ rpId: 'evil.example' })), 401, 'invalid_passkey');
    // another patient's passkey (another programme's, even) answering this device's challenge
    expectProblem(await post('/passkey/unlock', await body({}, other.auth)), 401, 'invalid_passkey');
    // this device's credential id with another user handle
    const wrongHandle = await body();
    wrongHandle.response.response.userHandle = other.auth.userHandle!;
    expectProblem(await post('/passkey/unlock', wrongHandle), 401, 'invalid_passkey');
    const late = await unlockOptions(phone);
    w.clock.advance(120_000 + 1000);
    expectProblem(await post('/passkey/unlock', { programId: phone.programId, deviceId: phone.deviceId, response: phone.auth.authenticate(late) }), 401, 'invalid_passkey');
    expect((await failures(phone.deviceId)).map((f) => f.detail.reason)).toEqual(['challenge', 'origin', 'challenge', 'rp-id', 'credential', 'credential', 'challenge']);
    // four of those reached a challenge of the device's and were counted; a fifth locks it
    expectProblem(await post('/passkey/unlock', await body({ userVerified: false })), 423, 'device_locked');
    expect((await failures(phone.deviceId)).at(-1)!.detail.reason).toBe('user-verification');
    expect(LOCKOUT_THRESHOLD).toBe(5);
    expectProblem(await unlock(phone), 423, 'device_locked'); // the right passkey, while locked
    expect(await w.database.query("select 1 from audit_events where action = 'lock-out' and entity_id = $1", [phone.deviceId])).toHaveLength(1);
    w.clock.advance(15 * 60_000);
    expect((await unlock(phone)).statusCode).toBe(200);
    // the other patient's device was not touched
    expect((await unlock(other)).statusCode).toBe(200);
  });

  it('a counter that goes back is refused and audited as a possible clone; the stored counter stays', async () => {
    const phone = await activatePasskeyPhone();
    for (let i = 0; i < 3; i++) expect((await unlock(phone)).statusCode).toBe(200);
    expectProblem(await unlock(phone, { counter: 2 }), 401, 'passkey_counter', 'body.response');
    expectProblem(await unlock(phone, { counter: 3 }), 401, 'passkey_counter'); // the same value is not "up" either
    const clones = (await failures(phone.deviceId)).filter((f) => f.detail.reason === 'possible-clone');
    expect(clones).toHaveLength(2);
    expect(clones[0]).toMatchObject({ outcome: 'denied', detail: { storedCounter: 3, receivedCounter: 2 } });
    expect(Number((await w.database.query<{ sign_count: string }>('select sign_count from patient_devices where id = $1', [phone.deviceId]))[0]!.sign_count)).toBe(3);
    expect((await unlock(phone)).statusCode).toBe(200); // the real one goes on: 4
  });

  it('an authenticator that keeps no counter (always 0) unlocks again and again', async () => {
    const phone = await activatePasskeyPhone();
    for (let i = 0; i < 3; i++) expect((await unlock(phone, { counter: 0 })).statusCode).toBe(200);
  });

  it('staff revoke a passkey device: its session ends, it gets no options and cannot unlock; sign-out does the same', async () => {
    const phone = await activatePasskeyPhone();
    const stale = await unlockOptions(phone);
    const r = await (await w.client('counsellor')).post(`/api/v1/patients/${w.patientA}/app-devices/${phone.deviceId}/revoke`);
    expect(r.statusCode, r.body).toBe(200);
    expectProblem(await w.app.inject({ method: 'GET', url: `${P}/me`, headers: { cookie: phone.cookie } }), 401, 'session_ended');
    expectProblem(await post('/passkey/unlock-options', { programId: phone.programId, deviceId: phone.deviceId }), 401, 'device_revoked');
    expectProblem(await post('/passkey/unlock', { programId: phone.programId, deviceId: phone.deviceId, response: phone.auth.authenticate(stale) }), 401, 'device_revoked');
    const second = await activatePasskeyPhone();
    expect((await w.app.inject({ method: 'POST', url: `${P}/sign-out`, headers: { cookie: second.cookie } })).statusCode).toBe(200);
    expectProblem(await post('/passkey/unlock-options', { programId: second.programId, deviceId: second.deviceId }), 401, 'device_revoked');
  });

  it('at an IP address there is no relying party: passkeys are refused with a clear 400, and the PIN still works', async () => {
    const { code } = await invite();
    expectProblem(await post('/passkey/registration-options', { code }, { host: '127.0.0.1:3000' }), 400, 'passkeys_unavailable');
    await activatePhone(w.app, code);
  });
});

describe.skipIf(!onPostgres())('patient app passkeys under concurrency (PostgreSQL)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ poolSize: 12 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('one invite registered by 6 passkeys at once activates exactly one device', async () => {
    const r0 = await (await w.client('counsellor')).post(`/api/v1/patients/${w.patientA}/app-invites`);
    const { code, id } = r0.json() as { code: string; id: string };
    const bodies = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const o = (await w.app.inject({ method: 'POST', url: `${P}/passkey/registration-options`, payload: { code } })).json() as CreationOptions;
        return { code, response: new SoftAuthenticator().register(o) };
      }),
    );
    const results = await Promise.all(bodies.map((b) => w.app.inject({ method: 'POST', url: `${P}/passkey/activate`, payload: b })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    expect(await w.database.query('select 1 from patient_devices where invite_id = $1', [id])).toHaveLength(1);
  });

  it('the same assertion sent 8 times at once unlocks once (the challenge is used once)', async () => {
    const r0 = await (await w.client('counsellor')).post(`/api/v1/patients/${w.patientA}/app-invites`);
    const { code } = r0.json() as { code: string };
    const auth = new SoftAuthenticator();
    const o = (await w.app.inject({ method: 'POST', url: `${P}/passkey/registration-options`, payload: { code } })).json() as CreationOptions;
    const a = await w.app.inject({ method: 'POST', url: `${P}/passkey/activate`, payload: { code, response: auth.register(o) } });
    const { programId, deviceId } = a.json() as { programId: string; deviceId: string };
    const ro = (await w.app.inject({ method: 'POST', url: `${P}/passkey/unlock-options`, payload: { programId, deviceId } })).json() as RequestOptions;
    const payload = { programId, deviceId, response: auth.authenticate(ro) };
    const results = await Promise.all(Array.from({ length: 8 }, () => w.app.inject({ method: 'POST', url: `${P}/passkey/unlock`, payload })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
  });
});
