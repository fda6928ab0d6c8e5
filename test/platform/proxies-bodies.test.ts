// Headers, proxies and bodies (issue 11): the Origin check compares scheme, host and port
// and believes X-Forwarded-* only from a proxy WAYPOINT_TRUST_PROXY names; public links
// come from WAYPOINT_PUBLIC_URL, never from an untrusted forwarded header; JSON in another
// charset than UTF-8 is refused (415); a body sent to a route that takes none is refused
// (400); and nothing under /api or /fhir is ever answered with the console's page.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { count, expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let admin: Client;
let cookie: string; // a counsellor's session
let adminCookie: string;
const apps: FastifyInstance[] = [];
let webRoot: string;
const PUBLIC = 'https://waypoint.clinic.example';

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  cookie = (await w.signIn(w.emailOf('counsellor'))).cookie;
  adminCookie = (await w.signIn(w.emailOf('administrator'))).cookie;
  webRoot = mkdtempSync(path.join(tmpdir(), 'waypoint-web-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Waypoint console</title>');
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await w?.close();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** Another app on the same database (sessions are in the database, so cookies carry over). */
async function appWith(opts: { publicUrl?: string; trustProxy?: string[]; webRoot?: string }) {
  const app = await buildApp({ db: w.database.db, logLevel: 'silent', clock: () => w.clock.now, signInRateLimit: 100_000, webRoot: opts.webRoot ?? null, ...opts });
  apps.push(app);
  return app;
}
const patientCount = async () => count(await w.database.query<{ n: string }>('select count(*) as n from patients'));

describe('configuration', () => {
  it('WAYPOINT_TRUST_PROXY takes addresses and CIDR ranges; WAYPOINT_PUBLIC_URL an http(s) origin', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ WAYPOINT_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,loopback,192.168.0.0/255.255.0.0' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'loopback',
      '192.168.0.0/255.255.0.0',
    ]);
    for (const bad of ['true', '*', 'proxy.example', '10.0.0.0/33', '2', ' , ']) {
      expect(() => loadConfig({ WAYPOINT_TRUST_PROXY: bad }), bad).toThrow(/WAYPOINT_TRUST_PROXY/);
    }
    expect(loadConfig({ WAYPOINT_PUBLIC_URL: 'https://Clinic.Example:443/' }).publicUrl).toBe('https://clinic.example');
    expect(loadConfig({ WAYPOINT_PUBLIC_URL: 'http://clinic.example:8080' }).publicUrl).toBe('http://clinic.example:8080');
    for (const bad of ['clinic.example', 'ftp://clinic.example', 'https://clinic.example/waypoint', 'https://clinic.example/?a=1']) {
      expect(() => loadConfig({ WAYPOINT_PUBLIC_URL: bad }), bad).toThrow(/WAYPOINT_PUBLIC_URL/);
    }
  });
});

describe('the Origin check', () => {
  it('refuses a foreign Origin even when X-Forwarded-Host names it (no trusted proxy)', async () => {
    const p = await patientCount();
    const r = await admin.post('/api/v1/patients', newPatient('xfh1'), { host: 'clinic.test', origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expectProblem(r, 403, 'bad_origin');
    expect(await patientCount()).toBe(p);
  });

  it('compares the scheme and the port, not only the host name', async () => {
    const p = await patientCount();
    // the request arrived over plain HTTP: an https page is another origin
    expectProblem(await admin.post('/api/v1/patients', newPatient('sch1'), { host: 'clinic.test', origin: 'https://clinic.test' }), 403, 'bad_origin');
    expectProblem(await admin.post('/api/v1/patients', newPatient('prt1'), { host: 'clinic.test:8443', origin: 'http://clinic.test:9443' }), 403, 'bad_origin');
    expectProblem(await admin.post('/api/v1/patients', newPatient('prt2'), { host: 'clinic.test', origin: 'http://clinic.test:8080' }), 403, 'bad_origin');
    expect(await patientCount()).toBe(p);
    // same scheme, host and port (a default port written out is the same origin)
    expect((await admin.post('/api/v1/patients', newPatient('same1'), { host: 'clinic.test:8443', origin: 'http://clinic.test:8443' })).statusCode).toBe(200);
    expect((await admin.post('/api/v1/patients', newPatient('same2'), { host: 'clinic.test', origin: 'http://clinic.test:80' })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-Proto and -Host only from the proxy WAYPOINT_TRUST_PROXY names', async () => {
    const app = await appWith({ trustProxy: ['10.1.2.3', '127.0.0.1'] });
    const headers = {
      cookie: adminCookie,
      'waypoint-program': w.programA,
      host: 'app-internal:3000',
      origin: 'https://clinic.example',
      'x-forwarded-host': 'clinic.example',
      'x-forwarded-proto': 'https',
    };
    const viaProxy = await app.inject({ method: 'POST', url: '/api/v1/patients', remoteAddress: '10.1.2.3', headers, payload: newPatient('tp1') });
    expect(viaProxy.statusCode, viaProxy.body).toBe(200);
    const p = await patientCount();
    const direct = await app.inject({ method: 'POST', url: '/api/v1/patients', remoteAddress: '203.0.113.9', headers, payload: newPatient('tp2') });
    expectProblem(direct, 403, 'bad_origin');
    // through the proxy, a foreign page is still refused
    expectProblem(
      await app.inject({ method: 'POST', url: '/api/v1/patients', remoteAddress: '10.1.2.3', headers: { ...headers, origin: 'https://evil.example' }, payload: newPatient('tp3') }),
      403,
      'bad_origin',
    );
    expect(await patientCount()).toBe(p);
  });

  it('with WAYPOINT_PUBLIC_URL, only that origin may post', async () => {
    const app = await appWith({ publicUrl: PUBLIC });
    const base = { cookie: adminCookie, 'waypoint-program': w.programA, host: 'app-internal:3000' };
    const ok = await app.inject({ method: 'POST', url: '/api/v1/patients', headers: { ...base, origin: PUBLIC }, payload: newPatient('pu1') });
    expect(ok.statusCode, ok.body).toBe(200);
    const p = await patientCount();
    for (const origin of ['http://waypoint.clinic.example', 'https://waypoint.clinic.example:8443', 'http://app-internal:3000', 'https://evil.example']) {
      expectProblem(
        await app.inject({ method: 'POST', url: '/api/v1/patients', headers: { ...base, origin, 'x-forwarded-host': new URL(origin).host }, payload: newPatient('pu2') }),
        403,
        'bad_origin',
      );
    }
    expect(await patientCount()).toBe(p);
  });
});

describe('public links in FHIR', () => {
  type Bundle = { link: Array<{ relation: string; url: string }>; entry?: Array<{ fullUrl: string }> };
  const fhir = (app: FastifyInstance, url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers: { cookie, 'waypoint-program': w.programA, ...headers } });

  it('never come from an untrusted X-Forwarded-Host', async () => {
    const r = await fhir(w.app, '/fhir/R4/Questionnaire?_count=2', { host: 'clinic.test:3000', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json() as Bundle;
    const urls = [...b.link.map((l) => l.url), ...(b.entry ?? []).map((e) => e.fullUrl)];
    expect(urls.length).toBeGreaterThan(2);
    for (const u of urls) expect(u.startsWith('http://clinic.test:3000/fhir/R4/'), u).toBe(true);
    const meta = await w.app.inject({ method: 'GET', url: '/fhir/R4/metadata', headers: { host: 'clinic.test:3000', 'x-forwarded-host': 'evil.example' } });
    expect(meta.json().implementation.url).toBe('http://clinic.test:3000/fhir/R4');
  });

  it('are built from WAYPOINT_PUBLIC_URL when it is set, whatever Host and X-Forwarded-Host say', async () => {
    const app = await appWith({ publicUrl: PUBLIC, trustProxy: ['127.0.0.1'] });
    const r = await fhir(app, '/fhir/R4/Questionnaire?_count=2', { host: 'evil.example', 'x-forwarded-host': 'evil2.example' });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json() as Bundle;
    for (const u of [...b.link.map((l) => l.url), ...(b.entry ?? []).map((e) => e.fullUrl)]) expect(u.startsWith(`${PUBLIC}/fhir/R4/`), u).toBe(true);
    const meta = await app.inject({ method: 'GET', url: '/fhir/R4/metadata', headers: { host: 'evil.example' } });
    expect(meta.json().implementation.url).toBe(`${PUBLIC}/fhir/R4`);
  });

  it('follow a trusted proxy when no public URL is set', async () => {
    const app = await appWith({ trustProxy: ['127.0.0.1'] });
    const r = await fhir(app, '/fhir/R4/Questionnaire?_count=1', { host: 'app-internal:3000', 'x-forwarded-host': 'clinic.example', 'x-forwarded-proto': 'https' });
    expect((r.json() as Bundle).link[0]!.url.startsWith('https://clinic.example/fhir/R4/Questionnaire')).toBe(true);
  });
});

describe('bodies', () => {
  it('refuses JSON in a charset other than UTF-8 with 415 naming the content type', async () => {
    const utf8 = Buffer.from(JSON.stringify({ limit: 5 }), 'utf8');
    for (const type of ['application/json; charset=utf-16', 'application/json; charset=ISO-8859-1', 'application/json;charset="utf-16le"']) {
      const r = await admin.request({ method: 'POST', url: '/api/v1/patients/search', headers: { 'content-type': type }, payload: utf8 });
      const b = expectProblem(r, 415, 'unsupported_media_type', 'content-type');
      expect(b.detail).toContain(type);
    }
    const utf16 = Buffer.from(JSON.stringify(newPatient('u16')), 'utf16le');
    const p = await patientCount();
    expectProblem(await admin.request({ method: 'POST', url: '/api/v1/patients', headers: { 'content-type': 'application/json; charset=utf-16le' }, payload: utf16 }), 415, 'unsupported_media_type');
    expect(await patientCount()).toBe(p);
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8']) {
      const r = await admin.request({ method: 'POST', url: '/api/v1/patients/search', headers: { 'content-type': type }, payload: utf8 });
      expect(r.statusCode, `${type}: ${r.body}`).toBe(200);
    }
  });

  it('refuses a body sent to a route that takes none (400), doing nothing', async () => {
    const s = await w.signIn(w.emailOf('auditor'));
    const as = (payload?: unknown, headers: Record<string, string> = {}) =>
      w.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: s.cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
    expectProblem(await as({}), 400, 'body_not_allowed', 'body');
    expectProblem(await as('x', { 'content-type': 'text/plain' }), 400, 'body_not_allowed', 'body');
    // the session was not ended
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    // a GET with a body, too
    expectProblem(await w.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie, 'content-type': 'application/json' }, payload: '{"x":1}' }), 400, 'body_not_allowed');
    // without a body it works
    expect((await as()).statusCode).toBe(200);
  });
});

describe('the console page never answers under /api or /fhir', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({ webRoot });
  });
  const get = (url: string, method: 'GET' | 'POST' | 'DELETE' = 'GET') => app.inject({ method, url, headers: { cookie, 'waypoint-program': w.programA } });
  const outcome = (r: Awaited<ReturnType<typeof get>>, status: number) => {
    expect(r.statusCode, `${r.statusCode} ${r.body.slice(0, 200)}`).toBe(status);
    expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    expect(r.json().resourceType).toBe('OperationOutcome');
  };

  it('serves the console for its own paths', async () => {
    const r = await get('/patients/123');
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/html/);
  });

  it('answers FHIR paths no route serves with an OperationOutcome: 405 for Patient search and writes, else 404', async () => {
    outcome(await get('/fhir/R4/Patient'), 405);
    outcome(await get('/fhir/R4/Patient?name=Example'), 405);
    outcome(await get('/fhir/R4/Observation', 'POST'), 405);
    outcome(await get(`/fhir/R4/Patient/${w.patientA}`, 'DELETE'), 405);
    outcome(await get('/fhir/R4/Practitioner'), 404);
    outcome(await get('/fhir/R4/Practitioner/123'), 404);
    outcome(await get('/fhir/R4/Observation/a/b/c'), 404);
    outcome(await get('/fhir/R5/Patient'), 404);
    outcome(await get('/fhir'), 404);
    // the supported interactions still answer
    expect((await get(`/fhir/R4/Patient/${w.patientA}`)).statusCode).toBe(200);
  });

  it('answers unknown API paths with problem+json 404', async () => {
    for (const url of ['/api/v1/no-such-thing', '/api/v2/patients', '/api/nothing', '/api']) {
      expectProblem(await get(url), 404, 'route_not_found');
    }
  });
});
