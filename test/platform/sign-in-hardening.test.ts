// Sign-in and sessions under attack (issue 11): the lock-out holds under concurrency
// (PostgreSQL: PGlite runs one transaction at a time), a session that still owes its
// second factor can do nothing but give it or sign out, a TOTP time-step is accepted
// once per account, unknown emails answer exactly as accounts do, and the idle time-out
// is exact to the second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { routesOf } from '../../server/app.ts';
import { pruneSignInThrottle } from '../../server/modules/identity/jobs.ts';
import { LOCKOUT_THRESHOLD } from '../../server/modules/identity/sign-in.ts';
import { currentTotp } from '../../server/platform/security.ts';
import { onPostgres } from '../support/db.ts';
import { makeWorld, PASSWORD, type World } from '../support/world.ts';

const SIGN_IN = '/api/v1/auth/sign-in';
const VERIFY = '/api/v1/auth/mfa/verify';

async function enableMfa(w: World, role: Parameters<World['client']>[0]): Promise<string> {
  const c = await w.client(role);
  const setup = await c.post('/api/v1/auth/mfa/setup');
  expect(setup.statusCode).toBe(200);
  const { secret } = setup.json() as { secret: string };
  const ok = await c.post('/api/v1/auth/mfa/confirm', { code: currentTotp(secret, w.clock.now) });
  expect(ok.statusCode).toBe(200);
  w.clock.advance(30_000); // the enrolment code's time-step is spent
  return secret;
}

/** A six-digit code that no time-step within the accepted window produces. */
function wrongCode(secret: string, now: Date): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => currentTotp(secret, new Date(now.getTime() + d))));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

async function pendingSession(w: World, email: string): Promise<string> {
  const s = await w.signIn(email);
  expect(s.status).toBe(200);
  expect(s.body).toMatchObject({ stage: 'mfa_pending' });
  return s.cookie;
}

const verify = (w: World, cookie: string, code: string) => w.app.inject({ method: 'POST', url: VERIFY, headers: { cookie }, payload: { code } });

const statuses = (rs: Array<{ statusCode: number } | { status: number }>) => {
  const tally: Record<number, number> = {};
  for (const r of rs) {
    const s = 'statusCode' in r ? r.statusCode : r.status;
    tally[s] = (tally[s] ?? 0) + 1;
  }
  return tally;
};

const auditCount = async (w: World, action: string, outcome: string, actorId: string) =>
  Number((await w.database.query<{ n: string }>('select count(*) as n from audit_events where action = $1 and outcome = $2 and actor_id = $3', [action, outcome, actorId]))[0]!.n);

describe.skipIf(!onPostgres())('lock-out under concurrency (PostgreSQL)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ poolSize: 12 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('20 concurrent wrong passwords: five are counted (the fifth locks), the other fifteen are refused as locked', async () => {
    const email = w.emailOf('counsellor');
    const results = await Promise.all(Array.from({ length: 20 }, () => w.signIn(email, 'wrong-password-concurrent')));
    expect(statuses(results)).toEqual({ 401: LOCKOUT_THRESHOLD - 1, 423: 20 - (LOCKOUT_THRESHOLD - 1) });
    // Only the evaluated attempts are audited as a wrong password; the rest as refused while locked.
    expect(await auditCount(w, 'sign-in', 'failure', w.users.counsellor)).toBe(LOCKOUT_THRESHOLD);
    expect(await auditCount(w, 'lock-out', 'denied', w.users.counsellor)).toBe(1);
    expect((await w.signIn(email)).status).toBe(423); // the right password, while locked
  });

  it('20 concurrent wrong TOTP codes: five are evaluated (the fifth locks), the other fifteen are refused unread', async () => {
    const secret = await enableMfa(w, 'prescriber');
    const email = w.emailOf('prescriber');
    const cookies: string[] = [];
    for (let i = 0; i < 20; i++) cookies.push(await pendingSession(w, email));
    const code = wrongCode(secret, w.clock.now);
    const results = await Promise.all(cookies.map((c) => verify(w, c, code)));
    expect(statuses(results)).toEqual({ 401: LOCKOUT_THRESHOLD - 1, 423: 20 - (LOCKOUT_THRESHOLD - 1) });
    expect(await auditCount(w, 'mfa-verify', 'failure', w.users.prescriber)).toBe(LOCKOUT_THRESHOLD);
    expect((await verify(w, cookies[0]!, currentTotp(secret, w.clock.now))).statusCode).toBe(423);
  });

  it('one TOTP code given by 10 sessions at once is accepted exactly once', async () => {
    const secret = await enableMfa(w, 'auditor');
    const email = w.emailOf('auditor');
    const cookies: string[] = [];
    for (let i = 0; i < 10; i++) cookies.push(await pendingSession(w, email));
    const code = currentTotp(secret, w.clock.now);
    const results = await Promise.all(cookies.map((c) => verify(w, c, code)));
    // One wins; the replays are failed attempts (counted towards the lock-out, so some answer 423).
    const tally = statuses(results);
    expect(tally[200]).toBe(1);
    expect((tally[401] ?? 0) + (tally[423] ?? 0)).toBe(9);
    const active = await w.database.query<{ n: string }>("select count(*) as n from auth_sessions where user_id = $1 and stage = 'active' and revoked_at is null", [w.users.auditor]);
    expect(Number(active[0]!.n)).toBe(2); // the enrolling session and the one winner
  });
});

describe('TOTP: each time-step is accepted once per account', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('a code accepted for one session is refused for another; the next time-step is accepted', async () => {
    const secret = await enableMfa(w, 'counsellor');
    const email = w.emailOf('counsellor');
    const first = await pendingSession(w, email);
    const second = await pendingSession(w, email);
    const code = currentTotp(secret, w.clock.now);
    expect((await verify(w, first, code)).statusCode).toBe(200);
    const replay = await verify(w, second, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_code');
    // An earlier step that is still inside the clock-drift window is refused as well.
    expect((await verify(w, second, currentTotp(secret, new Date(w.clock.now.getTime() - 30_000)))).statusCode).toBe(401);
    w.clock.advance(30_000);
    expect((await verify(w, second, currentTotp(secret, w.clock.now))).statusCode).toBe(200);
  });

  it('the code that confirmed enrolment cannot be used again to sign in', async () => {
    const c = await w.client('peer-specialist');
    const { secret } = (await c.post('/api/v1/auth/mfa/setup')).json() as { secret: string };
    const code = currentTotp(secret, w.clock.now);
    expect((await c.post('/api/v1/auth/mfa/confirm', { code })).statusCode).toBe(200);
    const pending = await pendingSession(w, w.emailOf('peer-specialist'));
    expect((await verify(w, pending, code)).statusCode).toBe(401);
  });
});

describe('a session that still owes its second factor', () => {
  let w: World;
  let secret: string;
  beforeAll(async () => {
    w = await makeWorld();
    secret = await enableMfa(w, 'administrator');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('cannot change the password or sign out everywhere', async () => {
    const email = w.emailOf('administrator');
    // The owner, signed in fully elsewhere.
    const owner = await pendingSession(w, email);
    expect((await verify(w, owner, currentTotp(secret, w.clock.now))).statusCode).toBe(200);
    w.clock.advance(30_000);

    const thief = await pendingSession(w, email); // knows the password, not the code
    const change = await w.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: thief },
      payload: { currentPassword: PASSWORD, newPassword: 'a-completely-new-passphrase-42' },
    });
    expect(change.statusCode).toBe(403);
    expect(change.json().code).toBe('mfa_required');
    const everywhere = await w.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out-everywhere', headers: { cookie: thief } });
    expect(everywhere.statusCode).toBe(403);
    expect(everywhere.json().code).toBe('mfa_required');

    // The owner's session still works and the password is unchanged.
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/staff', headers: { cookie: owner } })).statusCode).toBe(200);
    expect((await w.signIn(email)).status).toBe(200);
  });

  it('every route but giving the code, signing out and reading /me answers 403 mfa_required', async () => {
    const allowed = new Set(['POST /api/v1/auth/mfa/verify', 'POST /api/v1/auth/sign-out', 'GET /api/v1/me']);
    // (patient-app routes never look at a staff session: 401, walked in authorization.test.ts)
    const routes = routesOf(w.app).filter(
      (r) => (r.url.startsWith('/api/') || r.url.startsWith('/fhir/R4/')) && r.method !== 'HEAD' && !['public', 'patient', 'family', 'app'].includes(r.config?.auth ?? ''),
    );
    expect(routes.length).toBeGreaterThan(20);
    const cookie = await pendingSession(w, w.emailOf('administrator'));
    const wrong: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      if (allowed.has(key)) continue;
      const url = r.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res: LightMyRequestResponse = await w.app.inject({ method: r.method as 'GET', url, headers: { cookie, 'waypoint-program': w.programA } });
      // problem+json names the code in `code`; a FHIR OperationOutcome in its issue's details
      type Body = { code?: string; issue?: Array<{ details?: { text?: string } }> };
      const body = res.headers['content-type']?.toString().includes('json') ? (res.json() as Body) : {};
      const code = body.code ?? body.issue?.[0]?.details?.text;
      if (res.statusCode !== 403 || code !== 'mfa_required') wrong.push(`${key}: ${res.statusCode} ${code}`);
    }
    expect(wrong).toEqual([]);
    // Abandoning the sign-in works, and ends the session.
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().stage).toBe('mfa_pending');
    expect((await w.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } })).statusCode).toBe(200);
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('unknown emails answer exactly as accounts do', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  const attempt = async (email: string, password: string) => {
    const r = await w.app.inject({ method: 'POST', url: SIGN_IN, payload: { email, password } });
    const { requestId: _, ...body } = r.json() as Record<string, unknown>;
    return { status: r.statusCode, body, contentType: r.headers['content-type'] };
  };

  it('the same statuses and bodies, failure after failure, and while locked', async () => {
    const real = w.emailOf('front-desk');
    const unknown = 'nobody-here@test.example';
    const inactive = w.emailOf('specimen-collector');
    await w.database.query('update users set active = false where id = $1', [w.users['specimen-collector']]);
    for (let i = 0; i < LOCKOUT_THRESHOLD + 2; i++) {
      const a = await attempt(real, 'wrong-password-enum');
      const b = await attempt(unknown, 'wrong-password-enum');
      const c = await attempt(inactive, 'wrong-password-enum');
      expect({ i, status: b.status, body: b.body, type: b.contentType }).toEqual({ i, status: a.status, body: a.body, type: a.contentType });
      expect({ i, status: c.status, body: c.body }).toEqual({ i, status: a.status, body: a.body });
    }
    // Locked: the right password of the account answers as any password of an unknown email.
    const a = await attempt(real, PASSWORD);
    const b = await attempt(unknown, PASSWORD);
    expect(a.status).toBe(423);
    expect({ status: b.status, body: b.body }).toEqual({ status: a.status, body: a.body });
    // The lock-out of an unknown email ends when an account's would.
    w.clock.advance(16 * 60_000);
    expect((await attempt(real, PASSWORD)).status).toBe(200);
    expect((await attempt(unknown, PASSWORD)).status).toBe(401);
  });

  it("an unknown email's lock-out state is deleted a day after its last failure, when it no longer counts", async () => {
    const rows = async () => Number((await w.database.query<{ n: string }>('select count(*) as n from sign_in_throttle'))[0]!.n);
    await attempt('pruned-later@test.example', 'wrong-password-prune');
    const before = await rows();
    expect(before).toBeGreaterThan(0);
    expect(await pruneSignInThrottle(w.database.db, new Date(w.clock.now.getTime() + 23 * 3600_000))).toBe(0);
    w.clock.advance(24 * 3600_000 + 1_000);
    expect(await pruneSignInThrottle(w.database.db, w.clock.now)).toBe(before);
    expect(await rows()).toBe(0);
  });
});

describe('idle time-out, exact to the second', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(async () => {
    await w?.close();
  });
  const IDLE_MS = 15 * 60_000; // the organisation's default

  it('a session lives the full idle time-out after its last request, and not a second more', async () => {
    const c = await w.client('counsellor');
    w.clock.advance(20_000);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200); // the last request
    w.clock.advance(IDLE_MS);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200); // exactly the time-out later
    w.clock.advance(IDLE_MS + 1_000);
    const r = await c.get('/api/v1/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('session_ended');
  });

  it('a request answered from the session cache counts as activity', async () => {
    const c = await w.client('prescriber');
    w.clock.advance(500);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200); // read from the database, cached
    w.clock.advance(1_000);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200); // from the cache, one second later
    w.clock.advance(IDLE_MS);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    w.clock.advance(IDLE_MS + 1_000);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
  });
});
