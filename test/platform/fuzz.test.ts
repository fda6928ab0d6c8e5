// No 500 for anything a client can send: random JSON bodies and path parameters at
// every POST, PATCH and PUT route (taken from the app's route table), as an
// administrator who holds every permission. Every answer is < 500, and every 4xx is
// application/problem+json with a code.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf, type RegisteredRoute } from '../../server/app.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';

let w: World;
let admin: Client;
let orgAdmin: Client;
beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  orgAdmin = await w.client('orgAdmin');
});
afterAll(async () => {
  await w?.close();
});

/** Strings that have broken servers: NUL, lone surrogates, SQL, dates out of range, huge numbers. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '%',
  '_',
  '\\',
  "'; drop table patients; --",
  '0000-01-01',
  '1990-02-30',
  '9999-12-31',
  '-0001-01-01',
  '2026-02-29',
  '10000-01-01',
  'NaN',
  '1e309',
  '__proto__',
  'constructor',
  '{}',
  '[]',
  'null',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '=1+1',
  'Ω≈ç√',
  '😀',
);
const scalar = fc.oneof(fc.string(), nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 2 ** 31, -(2 ** 31) - 1, 1e21));
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
);

/** Field names the routes know, so random objects often get past "unknown field". */
const FIELDS = [
  'mrn',
  'legalGivenName',
  'legalFamilyName',
  'preferredName',
  'pronouns',
  'birthDate',
  'administrativeSex',
  'sex',
  'genderIdentity',
  'preferredLanguage',
  'phone',
  'email',
  'address',
  'contactConsent',
  'emergencyContactName',
  'emergencyContactPhone',
  'emergencyContactRelationship',
  'confirmNotDuplicate',
  'version',
  'q',
  'limit',
  'cursor',
  'medication',
  'dose',
  'startedOn',
  'endedOn',
  'prescriberId',
  'prescriberName',
  'levelOfCare',
  'admittedOn',
  'dischargedOn',
  'dischargeReason',
  'userId',
  'role',
  'since',
  'displayName',
  'roles',
  'active',
  'resetMfa',
  'idleTimeoutMinutes',
  'sessionLifetimeHours',
  'mfaRequired',
  'code',
  'recoveryCode',
  'currentPassword',
  'newPassword',
  'password',
];

/** Valid bodies to mutate one field at a time (the likeliest way to reach the database with odd values). */
const VALID: Record<string, Record<string, unknown>> = {
  '/api/v1/patients': { mrn: 'FZ-1', legalGivenName: 'Fuzz', legalFamilyName: 'Tester', birthDate: '1990-01-01', confirmNotDuplicate: true },
  '/api/v1/patients/search': { q: 'al', limit: 10 },
  '/api/v1/audit-events/patients': { q: 'al' },
  '/api/v1/patients/duplicates': { legalGivenName: 'Fuzz', legalFamilyName: 'Tester', birthDate: '1990-01-01' },
  '/api/v1/patients/:id': { version: 1, pronouns: 'they/them' },
  '/api/v1/patients/:patientId/medications': { medication: 'methadone', startedOn: '2025-01-01' },
  '/api/v1/patients/:patientId/medications/:id/end': { endedOn: '2026-01-01' },
  '/api/v1/patients/:patientId/episodes': { levelOfCare: 'otp', admittedOn: '2025-01-01' },
  '/api/v1/patients/:patientId/episodes/:id/discharge': { dischargedOn: '2026-01-01', dischargeReason: 'completed' },
  '/api/v1/patients/:patientId/care-team': { userId: '00000000-0000-0000-0000-000000000000', role: 'nurse' },
  '/api/v1/staff': { email: 'fuzz@test.example', displayName: 'Fuzz', roles: ['auditor'] },
  '/api/v1/staff/:id': { displayName: 'Fuzz' },
  '/api/v1/organization/settings': { idleTimeoutMinutes: 30, sessionLifetimeHours: 12, mfaRequired: false },
  '/api/v1/auth/sign-in': { email: 'nobody@test.example', password: 'wrong-password' },
  '/api/v1/auth/password': { currentPassword: 'wrong-password', newPassword: 'another-long-password' },
};

const body: fc.Arbitrary<(url: string) => unknown> = fc.oneof(
  { weight: 2, arbitrary: jsonish.map((v) => () => v) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), jsonish, { maxKeys: 6 }).map((v) => () => v) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...FIELDS), jsonish, fc.boolean()).map(([k, v, drop]) => (url: string) => {
      const base = { ...(VALID[url] ?? {}) };
      if (drop && k in base) delete base[k];
      else base[k] = v;
      return base;
    }),
  },
);

const param = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), nasty, fc.constant('primary-counsellor'), fc.constantFrom('__WORLD_PATIENT__', '__WORLD_USER__'));

function fill(url: string, params: string[]): string {
  let i = 0;
  return url
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg;
      let v = params[i++ % params.length] ?? 'x';
      if (v === '__WORLD_PATIENT__') v = w.patientA;
      if (v === '__WORLD_USER__') v = w.users['peer-specialist'];
      try {
        return encodeURIComponent(v);
      } catch {
        return '%ED%A0%80'; // a lone surrogate: send the invalid UTF-8 a client could send
      }
    })
    .join('/');
}

/** Routes that end the caller's session get a fresh one each time. */
const ENDS_SESSION = new Set(['/api/v1/auth/sign-out', '/api/v1/auth/sign-out-everywhere']);

const mutatingRoutes = () => routesOf(w.app).filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method) && r.url.startsWith('/api/'));

async function send(route: RegisteredRoute, payload: unknown, params: string[], raw: boolean) {
  const c = ENDS_SESSION.has(route.url) ? await w.client('front-desk') : route.url === '/api/v1/organization/settings' ? orgAdmin : admin;
  const url = fill(route.url, params);
  return c.request({
    method: route.method as 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: raw ? String(payload) : JSON.stringify(payload),
  });
}

function check(route: RegisteredRoute, payload: unknown, res: Awaited<ReturnType<typeof send>>) {
  const what = `${route.method} ${route.url} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json/);
    expect((res.json() as { code?: string }).code, what).toBeTypeOf('string');
  }
}

describe('no 500 for any input', () => {
  it('covers every mutating route', () => {
    expect(mutatingRoutes().length).toBeGreaterThanOrEqual(15);
  });

  it('random JSON bodies and path parameters at every POST/PATCH/PUT route', async () => {
    const routes = mutatingRoutes();
    const runs = Number(process.env.FUZZ_RUNS ?? 40);
    const failures: string[] = [];
    for (const route of routes) {
      try {
        await fc.assert(
          fc.asyncProperty(body, fc.array(param, { minLength: 1, maxLength: 3 }), async (make, params) => {
            const payload = make(route.url);
            check(route, payload, await send(route, payload, params, false));
          }),
          { numRuns: ENDS_SESSION.has(route.url) ? 5 : runs, endOnFailure: true },
        );
      } catch (err) {
        const cause = (err as Error & { cause?: Error }).cause;
        failures.push((cause?.message ?? (err as Error).message).split('\n')[0]!.slice(0, 700));
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('random raw bytes as a JSON body', async () => {
    const routes = mutatingRoutes().filter((r) => !ENDS_SESSION.has(r.url));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.string({ maxLength: 200 }), async (route, raw) => {
        check(route, raw, await send(route, raw, [w.patientA], true));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('random query strings at the audit browser', async () => {
    const auditor = await w.client('auditor');
    const key = fc.constantFrom('from', 'to', 'actorId', 'patientId', 'action', 'entity', 'outcome', 'limit', 'cursor', 'junk');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.oneof(fc.string({ maxLength: 30 }), nasty), { maxKeys: 4 }), fc.boolean(), async (q, csv) => {
        const qs = new URLSearchParams(q as Record<string, string>).toString();
        const res = await auditor.get(`/api/v1/audit-events${csv ? '.csv' : ''}?${qs}`);
        check({ method: 'GET', url: '/api/v1/audit-events', config: undefined }, q, res);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('inputs that once reached the database', () => {
  // Each of these passes the contract's validation; the database must not be the one to refuse it.
  const cases: Array<[string, 'POST' | 'PATCH', () => string, () => unknown]> = [
    ['a NUL character in a name', 'POST', () => '/api/v1/patients', () => ({ ...VALID['/api/v1/patients'], mrn: 'NUL-1', legalGivenName: 'A\u0000B' })],
    ['a NUL character in a search', 'POST', () => '/api/v1/patients/search', () => ({ q: 'a\u0000' })],
    ['birth year 0000', 'POST', () => '/api/v1/patients', () => ({ ...VALID['/api/v1/patients'], mrn: 'Y0-1', birthDate: '0000-01-01' })],
    ['admission year 0000', 'POST', () => `/api/v1/patients/${w.patientA}/episodes`, () => ({ levelOfCare: 'otp', admittedOn: '0000-06-01' })],
    ['a version beyond int4', 'PATCH', () => `/api/v1/patients/${w.patientA}`, () => ({ version: 2 ** 31 })],
    ['a NUL character in a staff name', 'POST', () => '/api/v1/staff', () => ({ email: 'nul@test.example', displayName: 'N\u0000L', roles: ['auditor'] })],
    ['a NUL character in a password', 'POST', () => '/api/v1/auth/sign-in', () => ({ email: 'x\u0000@test.example', password: 'p\u0000' })],
  ];
  for (const [name, method, url, payload] of cases) {
    it(`${name} → 4xx, not 500`, async () => {
      const res = await admin.request({ method, url: url(), payload: payload() as object });
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode >= 400) expectProblem(res, res.statusCode);
    });
  }

  it('audit browser: a from date in year 0000 or a NUL in a filter → 4xx, not 500', async () => {
    const auditor = await w.client('auditor');
    for (const q of ['from=0000-01-01', 'to=0000-01-01', 'entity=a%00b', 'action=%00']) {
      for (const path of ['/api/v1/audit-events', '/api/v1/audit-events.csv']) {
        const res = await auditor.get(`${path}?${q}`);
        expect(res.statusCode, `${path}?${q}: ${res.body}`).toBeLessThan(500);
      }
    }
  });

  it('router errors (over-long or badly encoded path parameters) are problem+json too', async () => {
    const long = await admin.get(`/api/v1/patients/${'x'.repeat(150)}`);
    expect(long.statusCode).toBeLessThan(500);
    expectProblem(long, long.statusCode);
    const bad = await admin.get('/api/v1/patients/%ED%A0%80');
    expect(bad.statusCode).toBeLessThan(500);
    expectProblem(bad, bad.statusCode);
  });
});
