// FHIR R4 under /fhir/R4: read and search for Questionnaire, QuestionnaireResponse,
// Observation, CarePlan and Goal, and Patient read. Same session, programme header and
// permissions as the API; responses are application/fhir+json; errors are
// OperationOutcome. A separate plugin so its error and not-found handlers are its own.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../../../core/access/roles.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { runInTx, runStatement, type UseCaseDeps } from '../../platform/http/tx.ts';
import {
  readCarePlan, readGoal, readObservation, readPatient, readQuestionnaire, readQuestionnaireResponse, searchCarePlans, searchGoals, searchObservations,
  searchQuestionnaireResponses, searchQuestionnaires, type Query, type SearchResult,
} from './fhir.ts';
import { SECURITY_LABELS, type Resource } from './resources.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const ISSUE_CODE: Record<number, string> = { 400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 405: 'not-supported', 409: 'conflict', 413: 'too-costly', 415: 'not-supported', 429: 'throttled' };

function operationOutcome(status: number, code: string, diagnostics: string, requestId: string, fields: string[] = []) {
  return {
    resourceType: 'OperationOutcome',
    id: requestId,
    issue: [{
      severity: status >= 500 ? 'fatal' : 'error',
      code: ISSUE_CODE[status] ?? 'exception',
      details: { coding: [{ system: 'https://waypoint.health/problems', code }], text: code },
      diagnostics,
      ...(fields.length > 0 ? { expression: fields } : {}),
    }],
  };
}

function sendOutcome(reply: FastifyReply, req: FastifyRequest, status: number, code: string, message: string, fields: string[] = []) {
  return reply.code(status).header('content-type', FHIR_JSON).header('cache-control', 'no-store').send(operationOutcome(status, code, message, req.id, fields));
}

const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost'}/fhir/R4`;

function bundle(req: FastifyRequest, type: string, result: SearchResult): Resource {
  const base = baseUrl(req);
  const params = new URLSearchParams();
  for (const [k, vs] of Object.entries(result.used)) for (const v of vs) params.append(k, v);
  const self = `${base}/${type}${params.size > 0 ? `?${params}` : ''}`;
  const link: Array<{ relation: string; url: string }> = [{ relation: 'self', url: self }];
  if (result.next) {
    const next = new URLSearchParams(params);
    next.set('_cursor', result.next);
    link.push({ relation: 'next', url: `${base}/${type}?${next}` });
  }
  return {
    resourceType: 'Bundle',
    id: req.id,
    meta: { lastUpdated: req.ctx.now.toISOString(), security: SECURITY_LABELS.map((l) => ({ ...l })) },
    type: 'searchset',
    link,
    entry: result.resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
  };
}

export async function fhirRoutes(app: FastifyInstance, opts: { db: Db }) {
  const { db } = opts;

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) return sendOutcome(reply, req, err.status, err.code, err.publicMessage, err.problems.map((p) => p.field));
    const fe = err as FastifyError;
    if (fe.statusCode === 429) return sendOutcome(reply, req, 429, 'rate_limited', 'Too many requests. Wait a minute and try again.');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendOutcome(reply, req, fe.statusCode, 'bad_request', 'The request could not be processed.');
    req.log.error({ err: { name: err.name, code: (fe as { code?: string }).code } }, 'unhandled FHIR error');
    return sendOutcome(reply, req, 500, 'internal_error', 'Something went wrong on our side.');
  });
  app.setNotFoundHandler((req, reply) => sendOutcome(reply, req, 404, 'route_not_found', 'This FHIR interaction is not supported here.'));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  const send = (reply: FastifyReply, body: Resource) => reply.header('content-type', FHIR_JSON).send(body);
  const config = (permission: Permission) => ({ permission });
  const hide = { hide: true };

  // `oneStatement`: the search is a single statement with its audit event, so it runs without BEGIN/COMMIT.
  const type = (name: string, permission: Permission, read: (d: UseCaseDeps, id: string) => Promise<Resource>, search?: (d: UseCaseDeps, q: Query) => Promise<SearchResult>, oneStatement = false) => {
    app.get<{ Params: { id: string } }>(`/${name}/:id`, { config: config(permission), schema: hide }, async (req, reply) =>
      send(reply, await runInTx(db, req, (d) => read(d, req.params.id))));
    if (search) {
      app.get(`/${name}`, { config: config(permission), schema: hide }, async (req, reply) =>
        send(reply, bundle(req, name, await (oneStatement ? runStatement : runInTx)(db, req, (d) => search(d, req.query as Query)))));
    }
  };

  type('Patient', 'read:patient', readPatient);
  type('Questionnaire', 'read:assessment', readQuestionnaire, searchQuestionnaires);
  type('QuestionnaireResponse', 'read:assessment', readQuestionnaireResponse, searchQuestionnaireResponses);
  type('Observation', 'read:assessment', readObservation, searchObservations, true);
  type('CarePlan', 'read:care-plan', readCarePlan, searchCarePlans);
  type('Goal', 'read:care-plan', readGoal, searchGoals);

  app.get('/metadata', { config: { auth: 'public' }, schema: hide }, async (req, reply) => send(reply, capabilityStatement(req)));
}

function capabilityStatement(req: FastifyRequest): Resource {
  const search = (names: Array<[string, string]>) => names.map(([name, type]) => ({ name, type }));
  const common: Array<[string, string]> = [['_id', 'token'], ['_count', 'number']];
  const resource = (type: string, params: Array<[string, string]>, searchable = true, profile?: string) => ({
    type,
    ...(profile ? { supportedProfile: [profile] } : {}),
    interaction: searchable ? [{ code: 'read' }, { code: 'search-type' }] : [{ code: 'read' }],
    ...(searchable ? { searchParam: search([...common, ...params]) } : {}),
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-03-01',
    kind: 'instance',
    implementation: { description: 'Waypoint FHIR R4 facade (read and search)', url: baseUrl(req) },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [{
      mode: 'server',
      security: { description: 'Session cookie from POST /api/v1/auth/sign-in and the Waypoint-Program header. Every resource carries the 42 CFR Part 2 security labels.' },
      resource: [
        resource('Patient', [], false),
        resource('Questionnaire', [['url', 'uri']]),
        resource('QuestionnaireResponse', [['patient', 'reference'], ['subject', 'reference'], ['questionnaire', 'reference'], ['authored', 'date']]),
        resource('Observation', [['patient', 'reference'], ['subject', 'reference'], ['code', 'token'], ['date', 'date'], ['category', 'token']], true, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment'),
        resource('CarePlan', [['patient', 'reference'], ['subject', 'reference'], ['status', 'token']]),
        resource('Goal', [['patient', 'reference'], ['subject', 'reference']]),
      ],
    }],
  };
}
