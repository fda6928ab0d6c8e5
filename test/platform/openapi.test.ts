// The API contract as a generated client (openapi-typescript + openapi-fetch) reads it
// (ADR 022): every operation has an operationId, its problem+json error responses, the
// headers it reads and who may call it; @redocly/cli lint finds nothing; and the Problem
// schema is what the server really sends.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../contracts/common.ts';
import { buildApp, routesOf } from '../../server/app.ts';
import { installProblemHandlers } from '../../server/platform/http/problems.ts';
import { runIdempotent } from '../../server/platform/http/tx.ts';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/platform/db/database.ts';
import { lintOpenApi } from '../../scripts/openapi.ts';

type Ref = { $ref: string };
type Operation = {
  operationId?: string;
  parameters?: Array<Ref | { name: string; in: string }>;
  requestBody?: unknown;
  responses: Record<string, Ref | { content?: Record<string, unknown> }>;
  security?: Array<Record<string, string[]>>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  security?: unknown;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content: Record<string, { schema: Ref }> }>;
    parameters: Record<string, { name: string; in: string }>;
    securitySchemes: Record<string, Record<string, string>>;
  };
};

/** The document is built from route declarations only: no route runs, so no database is needed. */
const noDatabase = new Proxy(
  {},
  {
    get: () => {
      throw new Error('no database in this test');
    },
  },
) as Db;

let app: FastifyInstance;
let doc: Document;
const operations: Array<{ method: string; path: string; op: Operation; config: Record<string, unknown> }> = [];
beforeAll(async () => {
  app = await buildApp({ db: noDatabase, webRoot: null, logLevel: 'silent' });
  const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(r.statusCode).toBe(200);
  doc = r.json() as Document;
  const configs = new Map(routesOf(app).map((route) => [`${route.method.toLowerCase()} ${route.url.replace(/:(\w+)/g, '{$1}')}`, route.config ?? {}]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const config = configs.get(`${method} ${path}`);
      if (!config) throw new Error(`no route for ${method} ${path}`);
      operations.push({ method, path, op, config: config as Record<string, unknown> });
    }
  }
});
afterAll(async () => {
  await app?.close();
});

const refName = (x: unknown) => (x as Partial<Ref>).$ref?.split('/').pop();
const headerNames = (op: Operation) =>
  (op.parameters ?? [])
    .map((p) => ('$ref' in p ? doc.components.parameters[refName(p)!] : p))
    .filter((p) => p?.in === 'header')
    .map((p) => p!.name);

describe('every operation, as a generated client sees it', () => {
  it('has a unique camelCase operationId', () => {
    expect(operations.length).toBeGreaterThan(50);
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.filter((id) => typeof id !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const byName = Object.fromEntries(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op.operationId]));
    expect(byName).toMatchObject({
      'POST /api/v1/auth/sign-in': 'signIn',
      'GET /api/v1/patients/{id}': 'getPatient',
      'POST /api/v1/patients': 'createPatient',
      'POST /api/v1/patients/search': 'searchPatients',
      'GET /api/v1/cm/protocols': 'listCmProtocols',
      'POST /api/v1/cm/ledger-entries/{id}/void': 'voidCmLedgerEntry',
      'PATCH /api/v1/staff/{id}': 'updateStaff',
    });
  });

  it('documents its errors as application/problem+json with the shared Problem schema', () => {
    const expected = (o: (typeof operations)[number]) => {
      const writes = o.method !== 'get';
      const s = ['400', '500'];
      if (o.config.auth !== 'public') s.push('401', '403');
      if (o.path.includes('{')) s.push('404');
      if (writes && o.config.auth !== 'public') s.push('409', '503');
      if (o.op.requestBody) s.push('413', '415');
      if (o.config.idempotent === true) s.push('422');
      if (o.config.rateLimit !== undefined) s.push('429');
      return s;
    };
    const missing: string[] = [];
    const notProblems: string[] = [];
    for (const o of operations) {
      const statuses = Object.keys(o.op.responses);
      for (const status of expected(o)) if (!statuses.includes(status)) missing.push(`${o.method.toUpperCase()} ${o.path} ${status}`);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const response = doc.components.responses[refName(o.op.responses[status]) ?? ''];
        if (!response || Object.keys(response.content).join() !== 'application/problem+json' || refName(response.content['application/problem+json']!.schema) !== 'Problem') {
          notProblems.push(`${o.method.toUpperCase()} ${o.path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(notProblems).toEqual([]);
    expect(doc.components.schemas['Problem']).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code', 'detail', 'requestId']) });
    // what the route says besides the rules: sign-in's wrong password and lock-out
    const signIn = operations.find((o) => o.op.operationId === 'signIn')!.op;
    expect(Object.keys(signIn.responses)).toEqual(expect.arrayContaining(['401', '423', '429']));
  });

  it('names the Waypoint-Program header where the route acts in a programme, and Idempotency-Key where it honours one', () => {
    const wrong: string[] = [];
    for (const o of operations) {
      const headers = headerNames(o.op);
      if (headers.includes('Waypoint-Program') !== (o.config.permission !== undefined)) wrong.push(`${o.path} Waypoint-Program`);
      if (headers.includes('Idempotency-Key') !== (o.config.idempotent === true)) wrong.push(`${o.path} Idempotency-Key`);
    }
    expect(wrong).toEqual([]);
    const idempotent = operations.filter((o) => headerNames(o.op).includes('Idempotency-Key')).map((o) => o.op.operationId);
    expect(idempotent).toEqual(expect.arrayContaining(['createPatient', 'createSpecimen', 'createSpecimenCorrection', 'voidCmLedgerEntry', 'createCmCheckIn']));
  });

  it('says who may call it: session cookie, integration token (with the scope it needs), the tablet token, or anyone', () => {
    expect(doc.security).toBeUndefined();
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'wp_session' },
      apiToken: { type: 'http', scheme: 'bearer' },
      tabletToken: { type: 'http', scheme: 'bearer' },
    });
    const security = (id: string) => operations.find((o) => o.op.operationId === id)!.op.security;
    expect(security('signIn')).toEqual([]);
    expect(security('getPublicDrawVerification')).toEqual([]);
    expect(security('getMe')).toEqual([{ session: [] }]);
    expect(security('createSpecimen')).toEqual([{ session: [] }, { apiToken: ['screens:write'] }]);
    // a programme route not open to tokens does not offer the bearer scheme (ADR 021)
    expect(operations.find((o) => o.method === 'get' && o.path === '/api/v1/cm/queue')!.op.security).toEqual([{ session: [] }]);
    expect(security('getTabletSession')).toEqual([{ tabletToken: [] }]);
    const at = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)!.op.security;
    expect(at('post', '/api/v1/tablet/handoff')).toEqual([]); // the link's code is in the body (ADR 027)
    expect(at('post', '/api/v1/tablet/return')).toEqual([{ tabletToken: [] }]);
    expect(operations.filter((o) => o.op.security === undefined).map((o) => o.path)).toEqual([]);
  });
});

describe('the Problem schema is what the server sends', () => {
  it('an unknown route, bad input and a missing credential all parse as Problem', async () => {
    const strict = ProblemDetails.strict();
    const answers = [
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
      await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 42 } }),
      await app.inject({ method: 'GET', url: '/api/v1/me' }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([404, 400, 401]);
    for (const r of answers) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(strict.safeParse(r.json()).error).toBeUndefined();
    }
  });
});

describe('@redocly/cli lint (redocly.yaml)', () => {
  it('reports 0 errors and 0 warnings for the served document', () => {
    const { problems } = lintOpenApi(doc);
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`)).toEqual([]);
  }, 120_000);

  it('does find problems (the lint is not silent): a document without operationIds', () => {
    const broken = structuredClone(doc);
    for (const item of Object.values(broken.paths)) for (const op of Object.values(item)) delete op.operationId;
    const { problems } = lintOpenApi(broken);
    expect(problems.filter((p) => p.ruleId === 'operation-operationId')).toHaveLength(operations.length);
  }, 120_000);
});

describe('Idempotency-Key is documented only where it works', () => {
  it('a route that runs runIdempotent without declaring config.idempotent fails loudly, before touching the database', async () => {
    let touched = 0;
    const countingDb = new Proxy(
      {},
      {
        get: () => {
          touched++;
          throw new Error('no database in this test');
        },
      },
    ) as Db;
    const bare = Fastify({ logger: false });
    installProblemHandlers(bare);
    bare.decorateRequest('ctx', null as never);
    bare.addHook('onRequest', async (req) => {
      req.ctx = { principal: null, orgId: 'org-1', program: null, meta: { requestId: req.id, ip: null, userAgent: null }, now: new Date() };
    });
    bare.post('/undeclared', async (req) => (await runIdempotent(countingDb, req, async () => ({ ok: true }))).body);
    bare.post('/declared', { config: { idempotent: true } }, async (req) => (await runIdempotent(countingDb, req, async () => ({ ok: true }))).body);
    const undeclared = await bare.inject({ method: 'POST', url: '/undeclared', headers: { 'idempotency-key': 'k-1' }, payload: {} });
    expect(undeclared.statusCode).toBe(500);
    expect(undeclared.json()).toMatchObject({ code: 'internal_error' });
    expect(touched).toBe(0);
    // a declared route goes on to its transaction (here: no database, hence the 500)
    expect((await bare.inject({ method: 'POST', url: '/declared', payload: {} })).statusCode).toBe(500);
    expect(touched).toBe(1);
    await bare.close();
  });
});
