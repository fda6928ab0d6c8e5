// Staff administration and sessions: accounts with temporary passwords, the password
// policy, roles, self-lock-out guards, deactivation and resets ending sessions,
// sign-out (everywhere), and organisation settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, PASSWORD, type Client, type World } from '../support/world.ts';

let w: World;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});

const asCookie = (cookie: string) => ({
  get: (url: string) => w.app.inject({ method: 'GET', url, headers: { cookie, 'waypoint-program': w.programA } }),
  post: (url: string, payload?: object) => w.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }), headers: { cookie, 'waypoint-program': w.programA } }),
});

async function createStaff(email: string, displayName: string, roles: string[]) {
  const r = await admin.post('/api/v1/staff', { email, displayName, roles });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { staff: { id: string; roles: string[]; active: boolean }; temporaryPassword: string };
}

describe('staff accounts', () => {
  it('creates an account with a temporary password that must be changed before anything else', async () => {
    const created = await createStaff('New.Person@Test.Example', 'Nova Newperson', ['counsellor']);
    expect(created.staff).toMatchObject({ roles: ['counsellor'], active: true });
    expect(created.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    const s = await w.signIn('new.person@test.example', created.temporaryPassword);
    expect(s.body).toEqual({ stage: 'active', mustChangePassword: true });
    const me = asCookie(s.cookie);
    expectProblem(await me.post('/api/v1/patients/search', {}), 403, 'password_change_required');
    expect((await me.get('/api/v1/me')).statusCode).toBe(200); // partial routes still work
    expectProblem(await me.post('/api/v1/auth/password', { currentPassword: 'wrong-one-entirely', newPassword: 'a-brand-new-passphrase' }), 400, 'invalid_credentials', 'body.currentPassword');
    expect((await me.post('/api/v1/auth/password', { currentPassword: created.temporaryPassword, newPassword: 'a-brand-new-passphrase' })).statusCode).toBe(200);
    expect((await me.post('/api/v1/patients/search', {})).statusCode).toBe(200);
    const rows = await w.database.query("select 1 from audit_events where action = 'create' and entity = 'user' and entity_id = $1", [created.staff.id]);
    expect(rows).toHaveLength(1);
  });

  it('refuses an email already in use with 409 naming body.email', async () => {
    expectProblem(await admin.post('/api/v1/staff', { email: w.emailOf('auditor').toUpperCase(), displayName: 'Dup', roles: ['auditor'] }), 409, 'email_taken', 'body.email');
  });

  it('refuses weak passwords: too short, common, containing the name', async () => {
    const created = await createStaff('weak.pw@test.example', 'Quillonwy Weakling', ['front-desk']);
    const s = await w.signIn('weak.pw@test.example', created.temporaryPassword);
    const me = asCookie(s.cookie);
    const change = (newPassword: string) => me.post('/api/v1/auth/password', { currentPassword: created.temporaryPassword, newPassword });
    for (const [pw, reason] of [
      ['short-pw', /at least 12/],
      ['password1234', /common/],
      ['quillonwy-2024!', /name or email/],
      ['aaaaaaaaaaaaaaa', /repeats/],
      ['abcdefghijklmnop', /sequence/],
    ] as const) {
      const r = await change(pw);
      const b = expectProblem(r, 400, 'weak_password', 'body.newPassword');
      expect(b.detail ?? b.problems?.[0]?.message, pw).toMatch(reason);
    }
    expectProblem(await change(created.temporaryPassword), 400, 'weak_password');
  });

  it('changes roles; an administrator cannot remove their own administrator role or deactivate themselves', async () => {
    const created = await createStaff('roles@test.example', 'Robin Roles', ['peer-specialist']);
    const r = await admin.patch(`/api/v1/staff/${created.staff.id}`, { roles: ['cm-coordinator', 'peer-specialist'] });
    expect(r.json()).toMatchObject({ roles: ['cm-coordinator', 'peer-specialist'] });
    expectProblem(await admin.patch(`/api/v1/staff/${created.staff.id}`, { roles: [] }), 400, 'invalid_input', 'body.roles');
    expectProblem(await admin.patch(`/api/v1/staff/${w.users.administrator}`, { roles: ['counsellor'] }), 409, 'cannot_remove_own_admin', 'body.roles');
    expectProblem(await admin.patch(`/api/v1/staff/${w.users.administrator}`, { active: false }), 409, 'cannot_deactivate_self', 'body.active');
    const me = (await admin.get('/api/v1/me')).json() as { programs: Array<{ roles: string[] }> };
    expect(me.programs[0]!.roles).toEqual(['administrator']);
    const list = (await admin.get('/api/v1/staff')).json() as { items: Array<{ id: string }> };
    expect(list.items.map((i) => i.id)).toContain(created.staff.id);
    expect(list.items.map((i) => i.id)).not.toContain(w.adminB);
  });

  it('deactivation ends the account’s sessions and stops sign-in', async () => {
    const created = await createStaff('deact@test.example', 'Dana Deactivated', ['counsellor']);
    const s = await w.signIn('deact@test.example', created.temporaryPassword);
    const me = asCookie(s.cookie);
    expect((await me.get('/api/v1/me')).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/staff/${created.staff.id}`, { active: false })).json()).toMatchObject({ active: false });
    expectProblem(await me.get('/api/v1/me'), 401, 'session_ended');
    expect((await w.signIn('deact@test.example', created.temporaryPassword)).status).toBe(401);
    const open = await w.database.query('select 1 from auth_sessions where user_id = $1 and revoked_at is null', [created.staff.id]);
    expect(open).toHaveLength(0);
  });

  it('a password reset unlocks the account and ends its sessions', async () => {
    const email = w.emailOf('specimen-collector');
    const live = await w.signIn(email);
    for (let i = 0; i < 5; i++) await w.signIn(email, 'wrong-password-xyz');
    expect((await w.signIn(email)).status).toBe(423);
    const reset = await admin.post(`/api/v1/staff/${w.users['specimen-collector']}/password-reset`, {});
    expect(reset.statusCode).toBe(200);
    const { temporaryPassword } = reset.json() as { temporaryPassword: string };
    expectProblem(await asCookie(live.cookie).get('/api/v1/me'), 401, 'session_ended');
    expect((await w.signIn(email, PASSWORD)).status).toBe(401);
    const s = await w.signIn(email, temporaryPassword);
    expect(s.body).toEqual({ stage: 'active', mustChangePassword: true });
    expect(await w.database.query("select 1 from audit_events where action = 'password-reset' and entity_id = $1", [w.users['specimen-collector']])).toHaveLength(1);
  });
});

describe('sign-out', () => {
  it('sign-out ends this session only', async () => {
    const a = await w.signIn(w.emailOf('peer-specialist'));
    const b = await w.signIn(w.emailOf('peer-specialist'));
    const r = await asCookie(a.cookie).post('/api/v1/auth/sign-out');
    expect(r.statusCode).toBe(200);
    expect(r.cookies.find((c) => c.name === 'wp_session')?.value).toBe('');
    expectProblem(await asCookie(a.cookie).get('/api/v1/me'), 401, 'session_ended');
    expect((await asCookie(b.cookie).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('sign-out-everywhere ends every session of the account', async () => {
    const a = await w.signIn(w.emailOf('cm-coordinator'));
    const b = await w.signIn(w.emailOf('cm-coordinator'));
    expect((await asCookie(a.cookie).post('/api/v1/auth/sign-out-everywhere')).statusCode).toBe(200);
    expectProblem(await asCookie(a.cookie).get('/api/v1/me'), 401, 'session_ended');
    expectProblem(await asCookie(b.cookie).get('/api/v1/me'), 401, 'session_ended');
    expect(await w.database.query("select 1 from audit_events where action = 'sign-out-everywhere' and actor_id = $1", [w.users['cm-coordinator']])).toHaveLength(1);
  });
});

describe('organisation settings', () => {
  it('changes the idle time-out and requires MFA of new sign-ins', async () => {
    const admin = await w.client('orgAdmin'); // organisation policy is the organisation administrator's (ADR 020)
    const settings = await admin.get('/api/v1/organization/settings');
    expect(settings.json()).toEqual({ idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: false });
    expectProblem(await admin.put('/api/v1/organization/settings', { idleTimeoutMinutes: 1, sessionLifetimeHours: 12, mfaRequired: false }), 400, 'invalid_input', 'body.idleTimeoutMinutes');

    const put = await admin.put('/api/v1/organization/settings', { idleTimeoutMinutes: 5, sessionLifetimeHours: 12, mfaRequired: false });
    expect(put.json()).toEqual({ idleTimeoutMinutes: 5, sessionLifetimeHours: 12, mfaRequired: false });
    const c = await w.client('counsellor');
    w.clock.advance(6 * 60_000);
    expectProblem(await c.get('/api/v1/me'), 401, 'session_ended');

    const admin2 = await w.client('orgAdmin');
    expect((await admin2.put('/api/v1/organization/settings', { idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: true })).statusCode).toBe(200);
    const s = await w.signIn(w.emailOf('front-desk'));
    expect(s.body).toMatchObject({ stage: 'mfa_setup' });
    expectProblem(await asCookie(s.cookie).post('/api/v1/patients/search', {}), 403, 'mfa_setup_required');
    expect((await asCookie(s.cookie).post('/api/v1/auth/mfa/setup')).statusCode).toBe(200);
    const audit = await w.database.query<{ detail: { mfaRequired: boolean } }>("select detail from audit_events where action = 'update' and entity = 'organization' order by id desc limit 1");
    expect(audit[0]?.detail.mfaRequired).toBe(true);
    await admin2.put('/api/v1/organization/settings', { idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: false });
  });
});
