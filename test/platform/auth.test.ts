import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../server/platform/security.ts';
import { makeWorld, PASSWORD, type World } from '../support/world.ts';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.close();
});

const auditRows = (action: string) => w.database.query<{ outcome: string; actor_id: string | null }>('select outcome, actor_id from audit_events where action = $1 order by id', [action]);

describe('sign-in', () => {
  it('signs in, reads /me, and audits the sign-in', async () => {
    const { cookie, status, body } = await w.signIn(w.emailOf('counsellor'));
    expect(status).toBe(200);
    expect(body).toEqual({ stage: 'active', mustChangePassword: false });
    const me = await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().programs).toHaveLength(1);
    expect(me.json().programs[0].roles).toEqual(['counsellor']);
    expect((await auditRows('sign-in')).some((r) => r.outcome === 'success' && r.actor_id === w.users.counsellor)).toBe(true);
  });

  it('sets an httpOnly SameSite=Lax cookie and stores only the token hash', async () => {
    const r = await w.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: w.emailOf('auditor'), password: PASSWORD } });
    const c = r.cookies.find((x) => x.name === 'wp_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    const rows = await w.database.query<{ token_hash: string }>('select token_hash from auth_sessions');
    expect(rows.every((x) => x.token_hash !== c.value && /^[0-9a-f]{64}$/.test(x.token_hash))).toBe(true);
  });

  it('refuses a wrong password with 401 and locks the account after five failures', async () => {
    const email = w.emailOf('peer-specialist');
    for (let i = 0; i < 4; i++) expect((await w.signIn(email, 'wrong-password-xyz')).status).toBe(401);
    const fifth = await w.signIn(email, 'wrong-password-xyz');
    expect(fifth.status).toBe(423);
    expect((await w.signIn(email)).status).toBe(423); // even the right password, while locked
    expect((await auditRows('lock-out')).length).toBeGreaterThanOrEqual(1);
    w.clock.advance(16 * 60_000);
    expect((await w.signIn(email)).status).toBe(200);
  });

  it('ends a session after the idle time-out', async () => {
    const c = await w.client('front-desk');
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    w.clock.advance(16 * 60_000);
    const r = await c.get('/api/v1/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('session_ended');
  });

  it('requires a TOTP code once MFA is on, and accepts a recovery code once', async () => {
    const c = await w.client('cm-coordinator');
    const setup = await c.post('/api/v1/auth/mfa/setup');
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json() as { secret: string };
    const bad = await c.post('/api/v1/auth/mfa/confirm', { code: '000000' });
    expect(bad.statusCode).toBe(400);
    const ok = await c.post('/api/v1/auth/mfa/confirm', { code: currentTotp(secret, w.clock.now) });
    expect(ok.statusCode).toBe(200);
    const codes = (ok.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);

    w.clock.advance(30_000); // the enrolment code's time-step is spent (each is accepted once)
    const s = await w.signIn(w.emailOf('cm-coordinator'));
    expect(s.body).toMatchObject({ stage: 'mfa_pending' });
    const blocked = await w.app.inject({ method: 'POST', url: '/api/v1/patients/search', headers: { cookie: s.cookie }, payload: { limit: 5 } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('mfa_required');
    const verify = await w.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: { cookie: s.cookie }, payload: { code: currentTotp(secret, w.clock.now) } });
    expect(verify.statusCode).toBe(200);
    const after = await w.app.inject({ method: 'POST', url: '/api/v1/patients/search', headers: { cookie: s.cookie }, payload: { limit: 5 } });
    expect(after.statusCode).toBe(200);

    const s2 = await w.signIn(w.emailOf('cm-coordinator'));
    const rc = await w.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: { cookie: s2.cookie }, payload: { recoveryCode: codes[0] } });
    expect(rc.statusCode).toBe(200);
    const s3 = await w.signIn(w.emailOf('cm-coordinator'));
    const reused = await w.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: { cookie: s3.cookie }, payload: { recoveryCode: codes[0] } });
    expect(reused.statusCode).toBe(401);
  });
});

describe('session cache (ADR 011)', () => {
  it('a session revoked by another server is refused once the cache entry expires; a sign-out here at once', async () => {
    const c = await w.client('prescriber');
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    // Another server revokes every session of this user: only the database changes here.
    await w.database.query('update auth_sessions set revoked_at = now() where user_id = $1', [w.users.prescriber]);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200); // still within the cache's moment
    w.clock.advance(2_001);
    const after = await c.get('/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('session_ended');

    const d = await w.client('prescriber');
    expect((await d.get('/api/v1/me')).statusCode).toBe(200);
    expect((await d.post('/api/v1/auth/sign-out')).statusCode).toBe(200);
    expect((await d.get('/api/v1/me')).statusCode).toBe(401); // no waiting on this server
  });
});
