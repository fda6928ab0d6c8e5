// FHIR R4 under /fhir/R4: read and search for Questionnaire, QuestionnaireResponse,
// Observation, CarePlan, Goal, Encounter, Appointment, Schedule, Consent and Measure, Patient read, and
// Measure/<id>/$evaluate-measure (the outcomes dashboard's figures as a MeasureReport). Same session, programme header and
// permissions as the API; responses are application/fhir+json; errors are
// OperationOutcome. An API token with fhir:read is an application outside the programme: its
// reads and searches are disclosures checked against each patient's consents (outside.ts). A separate plugin so its error and not-found handlers are its own;
// every other path under /fhir (another type, Patient search, a write) is answered by
// sendFhirNotFound, which app.ts also uses so the console's page never answers there.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../../../core/access/roles.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { runInTx, runStatement, type UseCaseDeps } from '../../platform/http/tx.ts';
import { publicBase } from '../../platform/http/origin.ts';
import {
  acceptedParams,
  COMMON_PARAMS,
  readCarePlan,
  readGoal,
  readObservation,
  readPatient,
  readQuestionnaire,
  readQuestionnaireResponse,
  SEARCH_PARAMS,
  searchCarePlans,
  searchGoals,
  searchObservations,
  searchQuestionnaireResponses,
  searchQuestionnaires,
  wantsTotal,
  type Query,
  type SearchResult,
} from './fhir.ts';
import { readAppointment, readEncounter, readSchedule, searchAppointments, searchEncounters, searchSchedules } from './encounters.ts';
import { SECURITY_LABELS, type Resource } from './resources.ts';
import { readConsent, searchConsents } from './consent.ts';
import { isOutsideClient, NO_REDISCLOSURE, outsideRead, outsideSearch, redisclosureOutcome } from './outside.ts';
import { evaluateMeasure, evaluateParams, readMeasure, searchMeasures } from './measures.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const ISSUE_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  429: 'throttled',
};

function operationOutcome(status: number, code: string, diagnostics: string, requestId: string, fields: string[] = []) {
  return {
    resourceType: 'OperationOutcome',
    id: requestId,
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: ISSUE_CODE[status] ?? 'exception',
        details: { coding: [{ system: 'https://waypoint.health/problems', code }], text: code },
        diagnostics,
        ...(fields.length > 0 ? { expression: fields } : {}),
      },
    ],
  };
}

function sendOutcome(reply: FastifyReply, req: FastifyRequest, status: number, code: string, message: string, fields: string[] = []) {
  return reply
    .code(status)
    .header('content-type', FHIR_JSON)
    .header('cache-control', 'no-store')
    .send(operationOutcome(status, code, message, req.id, fields));
}

/** The types served here: every one is read; those in SEARCH_PARAMS are also searched. */
const TYPES = ['Patient', 'Questionnaire', 'QuestionnaireResponse', 'Observation', 'CarePlan', 'Goal', 'Encounter', 'Appointment', 'Schedule', 'Consent', 'Measure'];

/**
 * What a path under /fhir that no route serves gets: 405 for an interaction a served type
 * does not support (Patient search, any write), else 404; always an OperationOutcome.
 */
export function sendFhirNotFound(req: FastifyRequest, reply: FastifyReply) {
  const m = /^\/fhir\/R4\/([A-Za-z]+)(?:\/([^/]+))?\/?$/.exec(req.url.split('?')[0]!);
  const type = m?.[1];
  if (type && TYPES.includes(type)) {
    const interaction = req.method === 'GET' || req.method === 'HEAD' ? (m[2] ? null : 'search') : req.method === 'DELETE' ? 'delete' : m[2] ? 'update' : 'create';
    if (interaction && (interaction !== 'search' || !SEARCH_PARAMS[type])) {
      void reply.header('allow', m[2] || SEARCH_PARAMS[type] ? 'GET, HEAD' : '');
      return sendOutcome(reply, req, 405, 'interaction_not_supported', `The ${interaction} interaction is not supported for ${type} (see /fhir/R4/metadata).`);
    }
  }
  return sendOutcome(reply, req, 404, 'route_not_found', 'This FHIR interaction is not supported here (see /fhir/R4/metadata).');
}

/** `Prefer: handling=strict` (RFC 7240, FHIR search): refuse what would otherwise be ignored. */
const strictHandling = (req: FastifyRequest) =>
  String(req.headers.prefer ?? '')
    .toLowerCase()
    .split(/[,;]/)
    .some((p) => p.replace(/\s+/g, '') === 'handling=strict');

function bundle(req: FastifyRequest, type: string, query: Query, result: SearchResult, publicUrl: string | undefined, outside = false): Resource {
  const base = `${publicBase(req, publicUrl)}/fhir/R4`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of [v ?? []].flat()) params.append(k, one);
  const self = `${base}/${type}${params.size > 0 ? `?${params}` : ''}`;
  const link: Array<{ relation: string; url: string }> = [{ relation: 'self', url: self }];
  if (result.next) {
    const next = new URLSearchParams(params);
    next.set('_cursor', result.next);
    link.push({ relation: 'next', url: `${base}/${type}?${next}` });
  }
  const entry: Array<Record<string, unknown>> = result.resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } }));
  // an outside client's answer carries the notice against redisclosure (§2.32)
  if (outside) entry.push({ resource: redisclosureOutcome(), search: { mode: 'outcome' } });
  return {
    resourceType: 'Bundle',
    id: req.id,
    meta: { lastUpdated: req.ctx.now.toISOString(), security: [...SECURITY_LABELS.map((l) => ({ ...l })), ...(outside ? [{ ...NO_REDISCLOSURE }] : [])] },
    type: 'searchset',
    ...(result.total === undefined ? {} : { total: result.total }),
    link,
    entry,
  };
}

export async function fhirRoutes(app: FastifyInstance, opts: { db: Db; publicUrl?: string | undefined }) {
  const { db, publicUrl } = opts;

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError)
      return sendOutcome(
        reply,
        req,
        err.status,
        err.code,
        err.publicMessage,
        err.problems.map((p) => p.field),
      );
    const fe = err as FastifyError;
    if (fe.statusCode === 429) return sendOutcome(reply, req, 429, 'rate_limited', 'Too many requests. Wait a minute and try again.');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendOutcome(reply, req, fe.statusCode, 'bad_request', 'The request could not be processed.');
    req.log.error({ err: { name: err.name, code: (fe as { code?: string }).code } }, 'unhandled FHIR error');
    return sendOutcome(reply, req, 500, 'internal_error', 'Something went wrong on our side.');
  });
  app.setNotFoundHandler(sendFhirNotFound);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  const send = (reply: FastifyReply, body: Resource) => reply.header('content-type', FHIR_JSON).send(body);
  const config = (permission: Permission) => ({ permission });
  const hide = { hide: true };

  /**
   * Parameters a search (or an operation: `what`, `accepted`) does not support are refused under
   * `Prefer: handling=strict` (400 naming them) and otherwise ignored: left out of the search and of its `self` link.
   */
  const supportedQuery = (req: FastifyRequest, name: string, accepted = acceptedParams(name), what = `${name} search`): Query => {
    const query = req.query as Query;
    const unknown = Object.keys(query).filter((k) => !accepted.has(k));
    if (unknown.length > 0 && strictHandling(req)) {
      const names = unknown.map((k) => k.slice(0, 60));
      throw new AppError({
        code: 'unsupported_search_parameter',
        status: 400,
        message: `${what} does not support the parameter${names.length > 1 ? 's' : ''} ${names.join(', ')} (see /fhir/R4/metadata).`,
        problems: names.map((k) => ({ field: `query.${k}`, message: `is not a supported ${what.endsWith(' search') ? 'search ' : ''}parameter` })),
      });
    }
    return Object.fromEntries(Object.entries(query).filter(([k]) => accepted.has(k)));
  };

  // `oneStatement`: the search is a single statement with its audit event, so it runs without BEGIN/COMMIT
  // (unless it also counts a total, a second statement, or an outside client's disclosure goes with it).
  // `origin`: the public origin, for URLs a resource carries (a consent's scan).
  // An outside client (an API token with fhir:read) reads under the patient's consent: the disclosure
  // is checked and recorded in the same transaction (outside.ts); staff sessions are unchanged.
  const origin = (req: FastifyRequest) => publicBase(req, publicUrl);
  const type = (
    name: string,
    permission: Permission,
    read: (d: UseCaseDeps, id: string, origin: string) => Promise<Resource>,
    search?: (d: UseCaseDeps, q: Query, origin: string) => Promise<SearchResult>,
    oneStatement = false,
  ) => {
    app.get<{ Params: { id: string } }>(`/${name}/:id`, { config: config(permission), schema: hide }, async (req, reply) =>
      send(
        reply,
        await runInTx(db, req, async (d) => {
          const resource = await read(d, req.params.id, origin(req));
          return isOutsideClient(req.ctx) ? outsideRead(d, name, resource) : resource;
        }),
      ),
    );
    if (search) {
      app.get(`/${name}`, { config: config(permission), schema: hide }, async (req, reply) => {
        const query = supportedQuery(req, name);
        if (isOutsideClient(req.ctx)) {
          const result = await runInTx(db, req, (d) => outsideSearch(d, name, query, (q) => search(d, q, origin(req))));
          return send(reply, bundle(req, name, query, result, publicUrl, true));
        }
        const run = oneStatement && !wantsTotal(query) ? runStatement : runInTx;
        return send(reply, bundle(req, name, query, await run(db, req, (d) => search(d, query, origin(req))), publicUrl));
      });
    }
  };

  type('Patient', 'read:patient', readPatient);
  type('Questionnaire', 'read:assessment', readQuestionnaire, searchQuestionnaires);
  type('QuestionnaireResponse', 'read:assessment', readQuestionnaireResponse, searchQuestionnaireResponses);
  type('Observation', 'read:assessment', readObservation, searchObservations, true);
  type('CarePlan', 'read:care-plan', readCarePlan, searchCarePlans);
  type('Goal', 'read:care-plan', readGoal, searchGoals);
  // encounters (ADR 044): the clinical side of visits needs read:encounter; a staff calendar is the schedule
  type('Encounter', 'read:encounter', readEncounter, searchEncounters);
  type('Appointment', 'read:encounter', readAppointment, searchAppointments);
  type('Schedule', 'read:schedule', readSchedule, searchSchedules);
  // 42 CFR Part 2 consents (issue 16): staff only, never an API token (core/access/scopes.ts)
  type('Consent', 'read:consent', readConsent, searchConsents);
  // the outcomes dashboard's figures (issue 17, docs/fhir.md "Measures"): staff with read:outcomes, never an API token;
  // aggregates only, each evaluation audited as the dashboard's read
  type('Measure', 'read:outcomes', readMeasure, searchMeasures);
  app.get<{ Params: { id: string } }>('/Measure/:id/$evaluate-measure', { config: config('read:outcomes'), schema: hide }, async (req, reply) => {
    const query = supportedQuery(req, 'Measure', evaluateParams(req.params.id), '$evaluate-measure');
    return send(reply, await runInTx(db, req, (d) => evaluateMeasure(d, req.params.id, query)));
  });

  app.get('/metadata', { config: { auth: 'public' }, schema: hide }, async (req, reply) => send(reply, capabilityStatement(req, publicUrl)));
}

function capabilityStatement(req: FastifyRequest, publicUrl: string | undefined): Resource {
  const search = (names: Array<[string, string]>) => names.map(([name, type]) => ({ name, type }));
  const resource = (type: string, profile?: string) => {
    const params = SEARCH_PARAMS[type];
    return {
      type,
      ...(profile ? { supportedProfile: [profile] } : {}),
      interaction: params ? [{ code: 'read' }, { code: 'search-type' }] : [{ code: 'read' }],
      ...(params ? { searchParam: search([...COMMON_PARAMS, ...params]) } : {}),
      ...(type === 'Measure' ? { operation: [{ name: 'evaluate-measure', definition: 'http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure' }] } : {}),
    };
  };
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-03-01',
    kind: 'instance',
    implementation: { description: 'Waypoint FHIR R4 facade (read and search; Measure $evaluate-measure)', url: `${publicBase(req, publicUrl)}/fhir/R4` },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Session cookie from POST /api/v1/auth/sign-in and the Waypoint-Program header; or an API token with the fhir:read scope (Authorization: Bearer), for an organisation outside the programme: it reads one patient at a time (search needs patient=), never Consent or Schedule, and only what that patient’s consent allows for the organisation and treatment; each read is recorded as a disclosure. Every resource carries the 42 CFR Part 2 security labels; an outside client’s also carry NORDSCLCD (no redisclosure).',
        },
        resource: TYPES.map((type) => resource(type, type === 'Observation' ? 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment' : undefined)),
      },
    ],
  };
}
