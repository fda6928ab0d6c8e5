// The HTTP application: security headers (server/platform/http/headers.ts), the API under /api/v1 with its OpenAPI
// document, the one problem+json error handler, and the web console as static files.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { serializerCompiler, validatorCompiler } from '@fastify/type-provider-zod';
import type { Db } from './platform/db/database.ts';
import { installAuth, PATIENT_API_PREFIX } from './platform/http/auth.ts';
import { installProblemHandlers, sendProblem } from './platform/http/problems.ts';
import { installInputGuard } from './platform/http/input-guard.ts';
import { installResponseHeaders } from './platform/http/headers.ts';
import { installOriginCheck } from './platform/http/origin.ts';
import { openApiOptions } from './platform/http/openapi.ts';
import { resolveSession } from './modules/identity/sessions.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { programsRoutes } from './modules/programs/programs.routes.ts';
import { patientsRoutes } from './modules/patients/patients.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { cmRoutes } from './modules/cm/cm.routes.ts';
import { assessmentsRoutes } from './modules/assessments/assessments.routes.ts';
import { planningRoutes } from './modules/planning/planning.routes.ts';
import { checkInsRoutes } from './modules/checkins/checkins.routes.ts';
import { fhirRoutes, sendFhirNotFound } from './modules/fhir/fhir.routes.ts';
import { labRoutes } from './modules/screens/lab.routes.ts';
import { screensRoutes } from './modules/screens/screens.routes.ts';
import { resolveToken } from './modules/cm/tokens.ts';
import { messagesRoutes } from './modules/messages/messages.routes.ts';
import { smsCheckIns } from './modules/checkins/sms-check-in.ts';
import { voiceCheckIns } from './modules/checkins/voice-check-in.ts';
import type { Channel } from '../core/messages/consent.ts';
import { patientAppRoutes, patientAppStaffRoutes } from './modules/patient-app/patient-app.routes.ts';
import { encountersRoutes } from './modules/encounters/encounters.routes.ts';
import { helpPatientRoutes, helpStaffRoutes } from './modules/help/help.routes.ts';
import { levelsOfCareRoutes } from './modules/levels-of-care/levels-of-care.routes.ts';
import { notesRoutes } from './modules/notes/notes.routes.ts';
import { skillsContentRoutes, skillsPatientRoutes, skillsRoutes } from './modules/skills/skills.routes.ts';
import { counsellingRoutes } from './modules/counselling/counselling.routes.ts';
import { meetingsPatientRoutes, meetingsRoutes } from './modules/meetings/meetings.routes.ts';
import { peersRoutes } from './modules/peers/peers.routes.ts';
import { meetingSourcesRoutes } from './modules/meetings/sources.routes.ts';
import { meetingFeedRoutes, myMeetingsPatientRoutes, myMeetingsStaffRoutes } from './modules/meetings/my-meetings.routes.ts';
import { naloxonePatientRoutes, naloxoneRoutes } from './modules/naloxone/naloxone.routes.ts';
import { outcomesRoutes } from './modules/outcomes/outcomes.routes.ts';
import { careOutcomesRoutes } from './modules/outcomes/care.routes.ts';
import { cmCostRoutes } from './modules/outcomes/cm-cost.routes.ts';
import { engagementRoutes } from './modules/outcomes/engagement.routes.ts';
import { funderReportRoutes } from './modules/outcomes/report.routes.ts';
import { researchExportRoutes } from './modules/outcomes/research-export.routes.ts';
import { consentPatientRoutes, consentRoutes, familyAppRoutes } from './modules/consent/consent.routes.ts';
import { familyEducationAppRoutes, familyEducationRoutes } from './modules/family/education.routes.ts';
import { craftAppRoutes, craftRoutes } from './modules/family/craft.routes.ts';
import { togetherAppRoutes, togetherRoutes } from './modules/family/together.routes.ts';
import { resolvePatientSession } from './modules/patient-app/sessions.ts';

export type AppOptions = {
  db: Db;
  clock?: () => Date;
  production?: boolean;
  logLevel?: string;
  /** Sign-in attempts per IP per minute (tests raise it). */
  signInRateLimit?: number;
  webRoot?: string | null;
  /** WAYPOINT_PUBLIC_URL's origin: the base of public links and the one Origin a browser may post from. */
  publicUrl?: string | undefined;
  /** WAYPOINT_TRUST_PROXY: the proxies whose X-Forwarded-* headers are believed (Fastify's trustProxy). */
  trustProxy?: string[] | undefined;
  /** Inbound SMS: the provider's auth token (none: a secret made at start, for the simulator) and where the provider reaches us. */
  sms?: { authToken?: string | undefined; webhookBase?: string | undefined };
  /** The VAPID public key the patient app subscribes to Web Push with (none: push is not set up). */
  pushPublicKey?: string | undefined;
  /** Channels with no provider configured; by default all (their messages are read in the console's outbox view). */
  consoleChannels?: Channel[];
};

/** Every route as registered: the authorisation test walks this table, so new routes are covered. */
export type RegisteredRoute = { method: string; url: string; config: FastifyContextConfig | undefined };
const routeTables = new WeakMap<FastifyInstance, RegisteredRoute[]>();
export const routesOf = (app: FastifyInstance): readonly RegisteredRoute[] => routeTables.get(app) ?? [];

const defaultWebRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const production = opts.production ?? false;
  const clock = opts.clock ?? (() => new Date());
  const app = Fastify({
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    // Forwarded headers only from the proxies named; from anyone else they are ignored.
    ...(opts.trustProxy && opts.trustProxy.length > 0 ? { trustProxy: opts.trustProxy } : {}),
    // Errors the router raises before any route runs (bad URL encoding, over-long parameters).
    frameworkErrors: (err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void sendProblem(reply, req, status >= 400 && status < 500 ? status : 400, 'bad_request', 'The address of this request is not valid.', [{ field: 'url', message: 'is not valid' }]);
    },
    logger: {
      level: opts.logLevel ?? 'info',
      // Log the path only: a query string could carry something about a patient.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    },
  });
  const routeTable: RegisteredRoute[] = [];
  routeTables.set(app, routeTable);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routeTable.push({ method, url: r.url, config: r.config as FastifyContextConfig | undefined });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  installInputGuard(app);

  installResponseHeaders(app, { production });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, openApiOptions());

  installAuth(app, {
    db: opts.db,
    clock,
    secureCookies: production,
    resolveSession: (token, now) => resolveSession(opts.db, token, now),
    resolveToken: (token, now) => resolveToken(opts.db, token, now),
    resolvePatientSession: (token, now) => resolvePatientSession(opts.db, token, now),
  });
  installOriginCheck(app, { publicUrl: opts.publicUrl });

  app.get('/api/health', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const signInRateLimit = { max: opts.signInRateLimit ?? 10, timeWindow: '1 minute' };
  await app.register(
    async (api) => {
      identityRoutes(api, { db: opts.db, secureCookies: production, signInRateLimit });
      programsRoutes(api, { db: opts.db });
      patientsRoutes(api, { db: opts.db });
      auditRoutes(api, { db: opts.db });
      cmRoutes(api, { db: opts.db });
      assessmentsRoutes(api, { db: opts.db, secureCookies: production, signInRateLimit });
      planningRoutes(api, { db: opts.db });
      checkInsRoutes(api, { db: opts.db });
      screensRoutes(api, { db: opts.db });
      labRoutes(api, { db: opts.db });
      messagesRoutes(api, {
        db: opts.db,
        smsAuthToken: opts.sms?.authToken,
        webhookBase: opts.sms?.webhookBase ?? opts.publicUrl ?? 'http://localhost',
        consoleChannels: opts.consoleChannels ?? ['sms', 'email', 'push'],
        otherText: smsCheckIns,
        voice: voiceCheckIns,
      });
      patientAppStaffRoutes(api, { db: opts.db, publicBase: opts.publicUrl ?? opts.sms?.webhookBase ?? 'http://localhost' });
      helpStaffRoutes(api, { db: opts.db });
      levelsOfCareRoutes(api, { db: opts.db });
      encountersRoutes(api, { db: opts.db });
      notesRoutes(api, { db: opts.db });
      counsellingRoutes(api, { db: opts.db });
      skillsRoutes(api, { db: opts.db });
      meetingsRoutes(api, { db: opts.db });
      peersRoutes(api, { db: opts.db });
      meetingSourcesRoutes(api, { db: opts.db });
      myMeetingsStaffRoutes(api, { db: opts.db });
      naloxoneRoutes(api, { db: opts.db });
      outcomesRoutes(api, { db: opts.db });
      careOutcomesRoutes(api, { db: opts.db });
      engagementRoutes(api, { db: opts.db });
      cmCostRoutes(api, { db: opts.db });
      researchExportRoutes(api, { db: opts.db });
      funderReportRoutes(api, { db: opts.db });
      consentRoutes(api, { db: opts.db });
      familyEducationRoutes(api, { db: opts.db });
      craftRoutes(api, { db: opts.db });
      togetherRoutes(api, { db: opts.db });
    },
    { prefix: '/api/v1' },
  );
  // The patient app's API: its own principal kind and cookie, scoped to this path (ADR 030).
  await app.register(
    async (api) => {
      patientAppRoutes(api, { db: opts.db, clock, secureCookies: production, signInRateLimit, publicUrl: opts.publicUrl, pushPublicKey: opts.pushPublicKey });
      // Help now on a locked phone: public, programme data only, 60 a minute per address (ADR 037)
      helpPatientRoutes(api, { db: opts.db, publicRateLimit: { max: 60, timeWindow: '1 minute' } });
      skillsPatientRoutes(api, { db: opts.db });
      meetingsPatientRoutes(api, { db: opts.db });
      myMeetingsPatientRoutes(api, { db: opts.db });
      naloxonePatientRoutes(api, { db: opts.db });
      familyAppRoutes(api, { db: opts.db });
      familyEducationAppRoutes(api, { db: opts.db });
      craftAppRoutes(api, { db: opts.db });
      consentPatientRoutes(api, { db: opts.db });
      togetherAppRoutes(api, { db: opts.db });
    },
    { prefix: PATIENT_API_PREFIX },
  );
  // skills modules' content: public and immutable per version, for the patient app's offline cache
  skillsContentRoutes(app, { db: opts.db });
  // the programme's own groups as a public Meeting Guide feed other apps can read
  meetingFeedRoutes(app, { db: opts.db });
  await app.register(fhirRoutes, { prefix: '/fhir/R4', db: opts.db, publicUrl: opts.publicUrl });

  const webRoot = opts.webRoot === undefined ? defaultWebRoot : opts.webRoot;
  if (webRoot && existsSync(webRoot)) {
    // The console's files are public (the sign-in page must load without a session).
    await app.register(async (web) => {
      web.addHook('onRoute', (r) => {
        r.config = { ...(r.config ?? {}), auth: 'public' };
      });
      // Brotli or gzip copies written at build time (scripts/build-web.mjs) when the browser
      // accepts them. Files under /assets/ have content hashes in their names, so they never
      // change: cached for a year, immutable. index.html names the current ones: no-cache.
      await web.register(fastifyStatic, {
        root: webRoot,
        prefix: '/',
        wildcard: false,
        index: ['index.html'],
        preCompressed: true,
        cacheControl: false,
        setHeaders: (reply, path) => {
          reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      // The console is a single-page app: unknown paths get index.html, except under /api
      // (problem+json 404) and /fhir (an OperationOutcome), which never answer with the page.
      web.get('/*', { schema: { hide: true } }, (req, reply) => {
        const path = `/${(req.params as Record<string, string | undefined>)['*'] ?? ''}`; // decoded
        if (/^\/fhir(\/|$)/.test(path)) return sendFhirNotFound(req, reply);
        if (/^\/api(\/|$)/.test(path)) return reply.callNotFound();
        // the patient app (its own page and bundle, ADR 031) never answers with the console
        if (/^\/app(\/|$)/.test(path)) return reply.type('text/html').sendFile('app/index.html');
        return reply.type('text/html').sendFile('index.html');
      });
    });
  }
  return app;
}
