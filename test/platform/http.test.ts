// The HTTP surface: OpenAPI 3.1 document, problem+json errors for bad input (and
// nothing written), security headers, the Origin check, request ids, and logs that
// carry no patient data.
import fs from 'node:fs';
import { validate, compileErrors } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, routesOf } from '../../server/app.ts';
import { count, expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});

const patientCount = async () => count(await w.database.query<{ n: string }>('select count(*) as n from patients'));
const auditCount = async () => count(await w.database.query<{ n: string }>('select count(*) as n from audit_events'));

describe('OpenAPI', () => {
  it('serves a document at /api/openapi.json that validates as OpenAPI 3.1', async () => {
    const r = await w.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('documents every /api/v1 route', async () => {
    const doc = (await w.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const api = routesOf(w.app).filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
    expect(api.length).toBeGreaterThan(10);
    const missing = api.map((r) => `${r.method} ${r.url}`).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('paginates every top-level collection (limit, cursor → nextCursor)', async () => {
    const doc = (await w.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> }
        >
      >;
    };
    // Collections that are fixed and small by construction, so paging them would be pretence. Each needs a reason.
    const bounded: Record<string, string> = {
      'GET /api/v1/cm/presets': 'the published protocol presets compiled into core/cm/presets.ts (a handful); no programme adds to them and they hold no patient data',
      'GET /api/v1/encounter-types': 'the built-in visit types in core/encounters/types.ts and the few an administrator adds by hand in Settings; no patient data',
      'GET /api/v1/rooms': 'the programme’s rooms, added by an administrator in Settings; no patient data',
      'GET /api/v1/skills/modules': 'the skills library: the built-in modules in content/skills and the few a programme writes in its editor; no patient data',
      'GET /api/v1/skills/library': 'the same library with the programme’s drafts and retired modules (one line per module); no patient data',
      'GET /api/v1/skills/report': 'one line per module of the library (counts only, no patient rows)',
      'GET /api/v1/meetings': 'a search answering the nearest or soonest N meetings (limit ≤ 50, core/meetings/search.ts); no patient data',
      'GET /api/patient/meetings': 'the same search from the patient app (limit ≤ 50); the directory holds no patient data',
      'GET /api/patient/my-meetings': 'the meetings the signed-in patient chose: at most 50 (server/modules/meetings/my-meetings.ts MAX_CHOSEN)',
      'GET /api/patient/my-meetings/attendance': 'the signed-in patient’s own meeting attendance, newest first, limit ≤ 200',
      'GET /api/v1/consent-templates': 'the consent templates in content/consent-templates (four); no patient data',
      'GET /api/v1/disclosures/exceptions': 'the newest 200 disclosures made under an exception, for review (exceptions are rare by nature)',
      'GET /api/patient/family/shared': 'one card per patient linked to the signed-in family member (a handful)',
      'GET /api/patient/family/lessons': 'the family education lessons in content/family-education (six); no patient data',
      'GET /api/patient/family/meetings': 'the patient app’s meeting search held to the family fellowships (limit ≤ 50); the directory holds no patient data',
      'GET /api/v1/craft-courses': 'the programme’s CRAFT courses, newest 500 (server/modules/family/craft.ts COURSE_LIST_LIMIT); a programme runs a few dozen',
      'GET /api/patient/consents': 'the signed-in patient’s own consents, every version (a handful in a lifetime of care)',
      'GET /api/patient/disclosures': 'the signed-in patient’s accounting of disclosures: three years by law, shown whole as the accounting',
    };
    const unpaginated: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path.includes('{')) continue; // per-record sub-lists (a patient's medications) are bounded by the record
      for (const [method, op] of Object.entries(ops)) {
        if (method !== 'get' || bounded[`GET ${path}`]) continue;
        const props = op.responses?.['200']?.content?.['application/json']?.schema?.properties ?? {};
        if (!('items' in props)) continue;
        const params = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
        if (!('nextCursor' in props) || !params.has('limit') || !params.has('cursor')) unpaginated.push(`GET ${path}`);
      }
    }
    expect(unpaginated).toEqual([]);
    // an exemption must name a route that still exists
    expect(Object.keys(bounded).filter((k) => !doc.paths[k.slice(4)]?.get)).toEqual([]);
  });
});

describe('bad input: 4xx naming the problem, nothing written', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const [p, a] = [await patientCount(), await auditCount()];
    const r = await admin.request({ method: 'POST', url: '/api/v1/patients', headers: { 'content-type': 'application/json' }, payload: '{"mrn": "X-1", "legalGivenName": ' });
    expectProblem(r, 400, 'malformed_json', 'body');
    expect([await patientCount(), await auditCount()]).toEqual([p, a]);
  });

  it('wrong types → 400 invalid_input naming each field', async () => {
    const p = await patientCount();
    const r = await admin.post('/api/v1/patients', { ...newPatient('wt1'), birthDate: 19900115, contactConsent: 'yes' });
    const body = expectProblem(r, 400, 'invalid_input', 'body.birthDate');
    expect(body.problems!.map((x) => x.field)).toContain('body.contactConsent');
    expect(await patientCount()).toBe(p);
  });

  it('says why each field was refused, with the limit it passed, for clients that word it themselves', async () => {
    const p = await patientCount();
    const { legalFamilyName: _left, ...rest } = newPatient('why1');
    const r = await admin.post('/api/v1/patients', {
      ...rest,
      mrn: 'M'.repeat(41),
      legalGivenName: '   ',
      birthDate: 19900115,
      administrativeSex: 'x',
      phone: 'call me',
      isVip: true,
    });
    const body = expectProblem(r, 400, 'invalid_input', 'body.mrn');
    const why = Object.fromEntries(body.problems!.map((x) => [x.field, { reason: x.reason, limit: x.limit }]));
    expect(why).toEqual({
      'body.mrn': { reason: 'too_long', limit: 40 },
      'body.legalGivenName': { reason: 'required', limit: undefined },
      'body.legalFamilyName': { reason: 'required', limit: undefined },
      'body.birthDate': { reason: 'invalid_type', limit: undefined },
      'body.administrativeSex': { reason: 'not_allowed', limit: undefined },
      'body.phone': { reason: 'invalid_format', limit: undefined },
      'body.isVip': { reason: 'unknown_field', limit: undefined },
    });
    // the message stays, in English, for every client that shows it as it is
    expect(body.problems!.find((x) => x.field === 'body.phone')!.message).toBe('must be a phone number');
    expect(await patientCount()).toBe(p);
  });

  it('unknown fields → 400 naming the field', async () => {
    const p = await patientCount();
    const r = await admin.post('/api/v1/patients', { ...newPatient('uf1'), isVip: true });
    expectProblem(r, 400, 'invalid_input', 'body.isVip');
    expect(await patientCount()).toBe(p);
  });

  it('an invalid calendar date → 400 naming the field', async () => {
    const p = await patientCount();
    expectProblem(await admin.post('/api/v1/patients', newPatient('cd1', { birthDate: '1990-02-30' })), 400, 'invalid_input', 'body.birthDate');
    expectProblem(await admin.post('/api/v1/patients', newPatient('cd2', { birthDate: '1990-13-01' })), 400, 'invalid_input', 'body.birthDate');
    expect(await patientCount()).toBe(p);
  });

  it('a body over 256 KB → 413 body_too_large', async () => {
    const p = await patientCount();
    const r = await admin.post('/api/v1/patients', newPatient('big', { address: 'x'.repeat(300 * 1024) }));
    expectProblem(r, 413, 'body_too_large', 'body');
    expect(await patientCount()).toBe(p);
  });

  it('a body that is not JSON → 4xx naming the body, nothing written', async () => {
    const p = await patientCount();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await admin.request({ method: 'POST', url: '/api/v1/patients', headers: { 'content-type': type }, payload: 'mrn=1' });
      expect([400, 415], `${type}: ${r.statusCode}`).toContain(r.statusCode);
      const b = expectProblem(r, r.statusCode);
      expect(b.problems?.[0]?.field ?? '').toMatch(/^(body|content-type)/);
    }
    expect(await patientCount()).toBe(p);
  });

  it('bad ids in the path → 400 naming the parameter', async () => {
    expectProblem(await admin.get('/api/v1/patients/not-a-uuid'), 400, 'invalid_input', 'params.id');
    expectProblem(await admin.get('/api/v1/patients/123/medications'), 400, 'invalid_input', 'params.patientId');
    const a = await auditCount();
    expectProblem(await admin.patch('/api/v1/patients/%27%3B--', { version: 1 }), 400, 'invalid_input', 'params.id');
    expect(await auditCount()).toBe(a);
  });

  it('a bad Waypoint-Program header → 400 naming the header', async () => {
    const r = await admin.request({ method: 'POST', url: '/api/v1/patients/search', payload: {}, headers: { 'waypoint-program': 'programme-a' } });
    expectProblem(r, 400, 'invalid_input', 'header.waypoint-program');
  });

  it('a bad Idempotency-Key → 400 naming the header, nothing written', async () => {
    const p = await patientCount();
    const r = await admin.post('/api/v1/patients', newPatient('ik1'), { 'idempotency-key': 'x'.repeat(300) });
    expectProblem(r, 400, 'invalid_input', 'header.idempotency-key');
    expect(await patientCount()).toBe(p);
  });

  it('an unknown endpoint → 404 route_not_found as problem+json', async () => {
    expectProblem(await admin.get('/api/v1/no-such-thing'), 404, 'route_not_found');
  });

  it('no session → 401 unauthenticated; a forged session → 401', async () => {
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/patients/search', payload: {} }), 401, 'unauthenticated');
    const forged = await w.app.inject({ method: 'POST', url: '/api/v1/patients/search', payload: {}, headers: { cookie: 'wp_session=forged' } });
    expectProblem(forged, 401, 'session_ended');
  });
});

describe('security headers', () => {
  it('sends a CSP without inline script, frame denial and no-store on API responses', async () => {
    for (const r of [await admin.get('/api/v1/me'), await admin.get('/api/v1/patients/not-a-uuid'), await w.app.inject({ method: 'GET', url: '/api/health' })]) {
      const csp = String(r.headers['content-security-policy']);
      const scriptSrc = csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src'));
      expect(scriptSrc).toBe("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(String(r.headers['x-frame-options']).toUpperCase()).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['cache-control'])).toContain('no-store');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS only in production, and marks the session cookie Secure there', async () => {
    const prod = await buildApp({ db: w.database.db, production: true, logLevel: 'silent', webRoot: null, clock: () => w.clock.now });
    try {
      const r = await prod.inject({ method: 'GET', url: '/api/health' });
      expect(String(r.headers['strict-transport-security'])).toMatch(/max-age=\d{7,}/);
      const s = await prod.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: w.emailOf('auditor'), password: 'correct-horse-battery-test' } });
      expect(s.statusCode).toBe(200);
      expect(s.cookies.find((c) => c.name === 'wp_session')?.secure).toBe(true);
    } finally {
      await prod.close();
    }
  });

  it('refuses a state-changing request from a foreign Origin with 403 bad_origin, writing nothing', async () => {
    const [p, a] = [await patientCount(), await auditCount()];
    const r = await admin.post('/api/v1/patients', newPatient('origin1'), { origin: 'https://evil.example' });
    expectProblem(r, 403, 'bad_origin');
    const garbage = await admin.post('/api/v1/patients', newPatient('origin2'), { origin: 'null' });
    expectProblem(garbage, 403, 'bad_origin');
    expect([await patientCount(), await auditCount()]).toEqual([p, a]);
    // same origin (scheme, host and port; inject's requests arrive over plain HTTP) is fine
    const ok = await admin.post('/api/v1/patients', newPatient('origin3'), { host: 'clinic.test:8443', origin: 'http://clinic.test:8443' });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a foreign-Origin sign-in (login CSRF)', async () => {
    const r = await w.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { email: w.emailOf('auditor'), password: 'correct-horse-battery-test' },
    });
    expectProblem(r, 403, 'bad_origin');
    expect(r.cookies.find((c) => c.name === 'wp_session')).toBeUndefined();
  });
});

describe('request ids', () => {
  it('puts the request id in problem bodies', async () => {
    const b = expectProblem(await admin.get('/api/v1/patients/not-a-uuid'), 400);
    expect(b.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('every API response carries its request id in a header, the same one as its audit row', async () => {
    const r = await admin.get(`/api/v1/patients/${w.patientA}`);
    expect(r.statusCode).toBe(200);
    const header = r.headers['request-id'] ?? r.headers['x-request-id'];
    expect(header, 'a request-id (or x-request-id) response header').toBeTypeOf('string');
    const rows = await w.database.query<{ request_id: string }>("select request_id from audit_events where action = 'read' and entity = 'patient' and entity_id = $1 order by id desc limit 1", [
      w.patientA,
    ]);
    expect(rows[0]?.request_id).toBe(header);
    const err = await admin.get('/api/v1/patients/not-a-uuid');
    expect(err.headers['request-id'] ?? err.headers['x-request-id']).toBe((err.json() as { requestId: string }).requestId);
  });
});

describe('logs', () => {
  it('carry request ids but no patient data, even at trace level and on errors', async () => {
    const lines: string[] = [];
    const origWrite = fs.write;
    const origWriteSync = fs.writeSync;
    const capture = (fd: unknown, data: unknown) => {
      if (fd === 1 || fd === 2) lines.push(typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    };
    const app = await buildApp({ db: w.database.db, logLevel: 'trace', webRoot: null, clock: () => w.clock.now, signInRateLimit: 1000 });
    await app.ready();
    (fs as { write: unknown }).write = (fd: unknown, data: unknown, ...rest: unknown[]) => {
      capture(fd, data);
      const cb = rest.find((x) => typeof x === 'function') as ((e: null, n: number) => void) | undefined;
      const n = typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      if (cb) process.nextTick(() => cb(null, n));
    };
    (fs as { writeSync: unknown }).writeSync = (fd: unknown, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        capture(fd, data);
        return typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      }
      return (origWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    };
    const secretName = 'Zyxwvutsonian';
    const secretMrn = 'LOGSECRET-77';
    const secretBirth = '1961-07-23';
    try {
      const s = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: w.emailOf('administrator'), password: 'correct-horse-battery-test' } });
      const cookie = `wp_session=${s.cookies.find((c) => c.name === 'wp_session')!.value}`;
      const h = { cookie, 'waypoint-program': w.programA };
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: h,
        payload: { mrn: secretMrn, legalGivenName: secretName, legalFamilyName: secretName, birthDate: secretBirth, confirmNotDuplicate: true, phone: '555-0199' },
      });
      expect(created.statusCode).toBe(200);
      const id = (created.json() as { id: string }).id;
      await app.inject({ method: 'POST', url: '/api/v1/patients/search', headers: h, payload: { q: secretName, birthDate: secretBirth } });
      await app.inject({ method: 'GET', url: `/api/v1/patients/${id}?name=${secretName}`, headers: h });
      await app.inject({ method: 'POST', url: '/api/v1/patients', headers: h, payload: { mrn: secretMrn, legalGivenName: secretName, legalFamilyName: secretName, birthDate: secretBirth } });
      await app.inject({ method: 'POST', url: '/api/v1/patients', headers: h, payload: { mrn: secretMrn, legalGivenName: secretName, legalFamilyName: 42, birthDate: secretBirth } });
      await app.inject({ method: 'POST', url: '/api/v1/patients', headers: { ...h, 'content-type': 'application/json' }, payload: `{"legalGivenName": "${secretName}", ` });
      await app.inject({ method: 'PATCH', url: `/api/v1/patients/${id}`, headers: h, payload: { version: 99, legalFamilyName: secretName } });
    } finally {
      (fs as { write: unknown }).write = origWrite;
      (fs as { writeSync: unknown }).writeSync = origWriteSync;
      await app.close();
    }
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    for (const secret of [secretName, secretMrn, secretBirth, '555-0199']) expect(log).not.toContain(secret);
  });
});
