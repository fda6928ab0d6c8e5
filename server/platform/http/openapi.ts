// The OpenAPI 3.1 document at /api/openapi.json, as generated clients (openapi-typescript,
// openapi-fetch) read it (ADR 022). The route schemas give the paths, parameters, bodies and
// success responses; this file adds, in one place and from what each route declares, what a
// client needs besides:
//   - the problem+json error responses the operation can answer (a shared Problem schema);
//   - the Waypoint-Program header (routes that act in a programme: config.permission) and
//     the Idempotency-Key header (routes that honour it: config.idempotent);
//   - who may call it: the session cookie, an integration token (Authorization: Bearer, only
//     on the operations open to tokens, with the scope they need: auth.ts and
//     core/access/scopes.ts), the tablet's token, or no one in particular (security: []);
//   - an operationId derived from the method and path (schema.operationId overrides it).
// Nothing here is written by hand per route; a route that can answer a status the rules
// below cannot see names it in schema.errors.
import type { SwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform } from '@fastify/type-provider-zod';
import type { FastifySchema, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ProblemDetails } from '../../../contracts/common.ts';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../contracts/common.ts';

declare module 'fastify' {
  interface FastifySchema {
    /** Error statuses this route can answer that the rules in openapi.ts do not infer (e.g. 423 on sign-in). */
    errors?: ErrorStatus[];
  }
}

export const ERROR_RESPONSES = {
  400: { name: 'BadRequest', description: 'The request is not valid: `problems` names each field at fault (`body.x`, `query.x`, `params.x`, `header.x`).' },
  401: { name: 'Unauthorized', description: 'No valid credential: sign in (session cookie) or send a valid token.' },
  403: { name: 'Forbidden', description: "Not allowed: no permission in this programme, another site's Origin, or a sign-in step still owed (`code` says which)." },
  404: { name: 'NotFound', description: 'No such record in this programme (a record of another programme is also 404).' },
  409: { name: 'Conflict', description: 'The change conflicts with the current state (`code` says how, e.g. `stale_version`, `possible_duplicate`); nothing was written.' },
  413: { name: 'PayloadTooLarge', description: 'The request body is over 256 KB.' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not JSON in UTF-8 (or, for HL7 routes, not HL7 text).' },
  422: { name: 'UnprocessableContent', description: 'This Idempotency-Key was already used for a different request (`idempotency_key_reused`).' },
  423: { name: 'Locked', description: 'Too many failed attempts: the account is locked for a while.' },
  429: { name: 'TooManyRequests', description: 'Too many requests: wait the number of seconds in Retry-After.' },
  500: { name: 'InternalServerError', description: 'Something failed on the server; nothing was saved if the request failed. Quote `requestId` when reporting it.' },
  503: { name: 'ServiceUnavailable', description: 'The server was busy with a conflicting change (`retry`); send the same request again.' },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

export const SECURITY_SCHEMES = {
  session: { type: 'apiKey', in: 'cookie', name: 'wp_session', description: 'The session cookie set by POST /api/v1/auth/sign-in.' },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'wpt_…',
    description:
      'An integration token (created by an administrator at POST /api/v1/integration-tokens), bound to one programme, with the scopes chosen at creation (screens:write, ledger:read). Only operations that list apiToken in their security accept it, and only with the scope they name; any other answers 403 insufficient_scope (ADR 021).',
  },
  tabletToken: { type: 'http', scheme: 'bearer', description: 'The single-use token of a patient-tablet session; accepted only by the /tablet operations.' },
  patientSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'wp_patient',
    description: 'The patient app’s session cookie (path /api/patient), set by POST /api/patient/activate and /api/patient/unlock; accepted only by /api/patient operations (ADR 030).',
  },
} as const;

const PARAMETERS = {
  WaypointProgram: {
    name: 'Waypoint-Program',
    in: 'header',
    required: false,
    description: 'The programme to act in (its id). Optional for someone with exactly one programme, and for an integration token (which acts in its own programme only).',
    schema: { type: 'string', format: 'uuid' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Any unique string (1–200 visible ASCII characters). A retry with the same key and the same request gets the first answer and changes nothing; the same key with a different request is 422.',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  },
} as const;

/** What the document needs to know about a route beyond its schema; carried from transform to transformObject. */
type RouteFacts = { auth: 'public' | 'partial' | 'session' | 'patient'; programme: boolean; idempotent: boolean; rateLimited: boolean; errors: ErrorStatus[] };
const FACTS = 'x-waypoint-route';

type Json = Record<string, unknown>;
type Operation = {
  operationId?: string;
  parameters?: Json[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  [FACTS]?: RouteFacts;
};
type Document = { paths?: Record<string, Record<string, Operation>>; components?: Json & { schemas?: Json; responses?: Json; parameters?: Json; securitySchemes?: Json } };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The statuses an operation can answer, from what its route declares. */
export function errorStatusesOf(method: string, op: Operation, facts: RouteFacts, path: string): ErrorStatus[] {
  const writes = method !== 'get' && method !== 'head';
  const statuses = new Set<ErrorStatus>([400, 500, ...facts.errors]); // bad input, a bad URL or header; the unexpected
  if (facts.auth !== 'public') statuses.add(401).add(403);
  if (writes) statuses.add(403); // a browser's foreign Origin, even on public routes
  if (path.includes('{')) statuses.add(404);
  if (writes && facts.auth !== 'public') statuses.add(409).add(503); // a unique key or a changed record; a deadlock to retry
  if (op.requestBody) statuses.add(413).add(415);
  if (facts.idempotent) statuses.add(422);
  if (facts.rateLimited) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

/** camelCase words of a path segment: "ledger-entries" → ["ledger", "entries"]. */
const words = (segment: string) =>
  segment
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
const singular = (w: string) => (/ies$/.test(w) ? w.replace(/ies$/, 'y') : /(ss|us)$/.test(w) ? w : w.replace(/s$/, ''));
const camel = (parts: string[]) => parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');

/** Path segments that act on what comes before them rather than name a collection. */
const ACTIONS = new Set([
  'sign-in',
  'sign-out',
  'sign-out-everywhere',
  'void',
  'end',
  'discharge',
  'acknowledge',
  'revoke',
  'cancel',
  'reveal',
  'rotate',
  'verify',
  'setup',
  'confirm',
  'search',
  'preview',
  'print',
]);

/** Path segments that only group operations and add nothing to their names. */
const NAMESPACES = new Set(['auth']);

/**
 * A readable, stable operationId from the method and path (without /api/v1):
 *   GET /patients/{id} → getPatient · GET /patients (a page) → listPatients ·
 *   POST /patients → createPatient · PATCH /staff/{id} → updateStaff ·
 *   POST /cm/ledger-entries/{id}/void → voidCmLedgerEntry · POST /patients/search → searchPatients ·
 *   POST /auth/sign-in → signIn.
 */
export function operationIdOf(method: string, path: string, returnsList: boolean): string {
  const segments = path
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean);
  const nouns: string[][] = [];
  let action: string | null = null;
  segments.forEach((s, i) => {
    if (s.startsWith('{') || NAMESPACES.has(s)) return;
    const itemFollows = segments[i + 1]?.startsWith('{') ?? false;
    const last = i === segments.length - 1;
    if (last && ACTIONS.has(s)) {
      action = camel(words(s));
      return;
    }
    const w = words(s);
    // a segment that an id follows names one item of it: patients/{id} → patient
    nouns.push(itemFollows ? [...w.slice(0, -1), singular(w[w.length - 1]!)] : w);
  });
  const lastSegment = segments[segments.length - 1] ?? '';
  const item = lastSegment.startsWith('{');
  const noun = nouns.flat();
  const one = noun.length > 0 ? [...noun.slice(0, -1), singular(noun[noun.length - 1]!)] : noun;
  if (action) return camel([action, ...noun]);
  switch (method) {
    case 'get':
      return returnsList ? camel(['list', ...noun]) : camel(['get', ...noun]);
    case 'post':
      return item ? camel(['post', ...noun]) : camel(['create', ...one]);
    case 'put':
      return camel(['replace', ...noun]);
    case 'patch':
      return camel(['update', ...noun]);
    case 'delete':
      return camel(['delete', ...noun]);
    default:
      return camel([method, ...noun]);
  }
}

const refTo = (kind: 'responses' | 'parameters' | 'schemas', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The Problem schema (contracts/common.ts ProblemDetails) as JSON Schema 2020-12. */
function problemSchema(): Json {
  const { $schema: _schema, ...schema } = z.toJSONSchema(ProblemDetails, { target: 'draft-2020-12', io: 'output' }) as Json;
  return schema;
}

/** Adds errors, headers, security and operationIds to every operation of the generated document. */
export function completeDocument(doc: Document): Document {
  const usedResponses = new Set<ErrorStatus>();
  const usedParameters = new Set<keyof typeof PARAMETERS>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const facts = op[FACTS];
      delete op[FACTS];
      if (!facts) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} was not seen by the route transform`);

      const ok = op.responses?.['200'] as { content?: Record<string, { schema?: { properties?: Json } }> } | undefined;
      const returnsList = method === 'get' && 'items' in (ok?.content?.['application/json']?.schema?.properties ?? {});
      op.operationId ??= operationIdOf(method, path, returnsList);

      const headers: Array<keyof typeof PARAMETERS> = [];
      if (facts.programme) headers.push('WaypointProgram');
      if (facts.idempotent) headers.push('IdempotencyKey');
      for (const h of headers) usedParameters.add(h);
      if (headers.length > 0) op.parameters = [...(op.parameters ?? []), ...headers.map((h) => refTo('parameters', h))];

      // who may call: an explicit route choice wins (the tablet's token); else from the route's auth
      if (!op.security || op.security.length === 0) {
        // (operations open to integration tokens say so themselves, with their scope: auth.ts, ADR 021)
        op.security = facts.auth === 'public' ? [] : facts.auth === 'patient' ? [{ patientSession: [] }] : [{ session: [] }];
      }

      const responses: Record<string, unknown> = { ...(op.responses ?? {}) };
      for (const status of errorStatusesOf(method, op, facts, path)) {
        usedResponses.add(status);
        responses[String(status)] ??= refTo('responses', ERROR_RESPONSES[status].name);
      }
      op.responses = responses;
    }
  }

  const components = doc.components ?? {};
  components.schemas = { ...(components.schemas ?? {}), Problem: problemSchema() };
  components.responses = { ...(components.responses ?? {}) };
  for (const status of [...usedResponses].sort((a, b) => a - b)) {
    const { name, description } = ERROR_RESPONSES[status];
    components.responses[name] = {
      description,
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } } } } : {}),
      content: { 'application/problem+json': { schema: refTo('schemas', 'Problem') } },
    };
  }
  components.parameters = { ...(components.parameters ?? {}) };
  for (const name of usedParameters) components.parameters[name] = PARAMETERS[name];
  doc.components = components;
  return doc;
}

/** The options of @fastify/swagger: the zod schemas as JSON Schema, then completeDocument. */
export function openApiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Waypoint API',
        version: '1',
        description:
          'Psychosocial treatment for opioid use disorder. Sign in with POST /api/v1/auth/sign-in (a session cookie), or send an ' +
          'integration token as `Authorization: Bearer`. Programme-scoped operations take the Waypoint-Program header. Every error ' +
          'is application/problem+json (the Problem schema) with a stable `code`. Operations that create records accept an ' +
          'Idempotency-Key header. See docs/api.md.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      servers: [{ url: '/' }],
      // here, not added afterwards: @fastify/swagger looks the schemes up while it builds each operation
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: (args) => {
      const out = jsonSchemaTransform(args);
      const route = args.route as RouteOptions;
      const config = (route.config ?? {}) as { auth?: RouteFacts['auth']; permission?: string; idempotent?: boolean; rateLimit?: unknown };
      const facts: RouteFacts = {
        auth: config.auth ?? 'session',
        programme: config.permission !== undefined,
        idempotent: config.idempotent === true,
        rateLimited: config.rateLimit !== undefined,
        errors: args.schema?.errors ?? [],
      };
      if (!out.schema) return out;
      const { errors: _errors, ...schema } = out.schema as Json & { errors?: unknown };
      return { ...out, schema: { ...schema, [FACTS]: facts } as FastifySchema };
    },
    // the object is built afresh for each rendering, so completing it in place is safe
    transformObject: ((documentObject) => {
      if (!('openapiObject' in documentObject)) throw new Error('OpenAPI: expected an OpenAPI 3 document');
      return completeDocument(documentObject.openapiObject as Document);
    }) as SwaggerTransformObject,
  };
}
