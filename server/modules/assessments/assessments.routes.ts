import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientChildParams, PatientParams, pageOf } from '../../../contracts/common.ts';
import {
  Assessment,
  AssessmentCreate,
  AssessmentListQuery,
  ConsentTabletStarted,
  ConsentTabletStatus,
  InstrumentListQuery,
  InstrumentParams,
  InstrumentSummary,
  PatientSessionCreate,
  PatientSessionParams,
  PatientSessionStarted,
  PatientSessionStatus,
  SafetyAlert,
  SafetyAlertAcknowledge,
  SafetyAlertQuery,
  StageRecord,
  StageTrajectory,
  TabletConsentSign,
  TabletConsentSigned,
  TabletHandoff,
  TabletHandoffExchanged,
  TabletReturn,
  TabletReturned,
  TabletSession,
  TabletSubmit,
  TabletSubmitted,
} from '../../../contracts/assessments.ts';
import type { Db } from '../../platform/db/database.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../platform/http/auth.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { administer, getAssessment, listAssessments, listInstruments } from './assessments.ts';
import {
  auditRefusal,
  bearerToken,
  cancelConsentTabletSession,
  cancelPatientSession,
  consentTabletStatus,
  endStaffSessionForTablet,
  exchangeHandoff,
  getPatientSession,
  PatientSessionRefused,
  returnToConsole,
  startConsentTabletSession,
  startPatientSession,
  tabletSession,
  tabletSignConsent,
  tabletSubmit,
} from './patient-sessions.ts';
import { questionnaireOf } from './questionnaires.ts';
import { acknowledgeSafetyAlert, listSafetyAlerts } from './safety-alerts.ts';
import { getStageTrajectory, recordStage } from './stage.ts';

export function assessmentsRoutes(app: FastifyInstance, deps: { db: Db; secureCookies: boolean; signInRateLimit: { max: number; timeWindow: string } }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['assessments'];

  r.get(
    '/instruments',
    {
      config: { permission: 'read:assessment' },
      schema: { tags, summary: 'Instruments that can be administered', querystring: InstrumentListQuery, response: { 200: pageOf(InstrumentSummary) } },
    },
    async (req) => listInstruments(req.query),
  );

  r.get(
    '/instruments/:instrumentId/questionnaire',
    {
      config: { permission: 'read:assessment' },
      schema: { tags, summary: 'The instrument’s FHIR R4 Questionnaire (to render the form)', params: InstrumentParams, response: { 200: z.record(z.string(), z.unknown()) } },
    },
    async (req) => questionnaireOf(req.params.instrumentId),
  );

  r.post(
    '/patients/:patientId/assessments',
    {
      config: { permission: 'write:assessment', idempotent: true },
      schema: {
        tags,
        summary: 'Administer an instrument (staff-entered): scores, band, alerts; 400 names each bad answer (body.answers.<item>)',
        params: PatientParams,
        body: AssessmentCreate,
        response: { 200: Assessment },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => administer(d, req.params.patientId, req.body))).body,
  );

  r.get(
    '/patients/:patientId/assessments',
    {
      config: { permission: 'read:assessment' },
      schema: {
        tags,
        summary: 'Administrations, newest first (filter by instrument for a score chart)',
        params: PatientParams,
        querystring: AssessmentListQuery,
        response: { 200: pageOf(Assessment) },
      },
    },
    async (req) => runInTx(db, req, (d) => listAssessments(d, req.params.patientId, req.query)),
  );

  r.get(
    '/patients/:patientId/assessments/:id',
    {
      config: { permission: 'read:assessment' },
      schema: { tags, summary: 'One administration', params: PatientChildParams, response: { 200: Assessment } },
    },
    async (req) => runInTx(db, req, (d) => getAssessment(d, req.params.patientId, req.params.id)),
  );

  // --- patient-tablet sessions --------------------------------------------------------
  r.post(
    '/patients/:patientId/patient-sessions',
    {
      config: { permission: 'write:assessment' },
      schema: {
        tags,
        summary: 'Start a patient-tablet session: a single-use hand-off code (10 min) for the tablet’s link / QR code',
        params: PatientParams,
        body: PatientSessionCreate,
        response: { 200: PatientSessionStarted },
      },
    },
    async (req) => runInTx(db, req, (d) => startPatientSession(d, req.params.patientId, req.body)),
  );

  r.get(
    '/patients/:patientId/patient-sessions/:id',
    {
      config: { permission: 'read:assessment' },
      schema: { tags, summary: 'Status of a patient-tablet session (open, submitted, expired, cancelled; handed off or not)', params: PatientSessionParams, response: { 200: PatientSessionStatus } },
    },
    async (req) => runInTx(db, req, (d) => getPatientSession(d, req.params.patientId, req.params.id)),
  );

  r.post(
    '/patients/:patientId/patient-sessions/:id/cancel',
    {
      config: { permission: 'write:assessment' },
      schema: { tags, summary: 'Close an open patient-tablet session', params: PatientSessionParams, response: { 200: PatientSessionStatus } },
    },
    async (req) => runInTx(db, req, (d) => cancelPatientSession(d, req.params.patientId, req.params.id)),
  );

  // A consent awaiting the patient's signature, signed on the tablet (issue 16): the same hand-off, under the consent permissions.
  r.post(
    '/patients/:patientId/consents/:id/tablet',
    {
      config: { permission: 'write:consent' },
      schema: {
        tags: ['consent'],
        summary: 'Hand a consent awaiting signature to the patient on the tablet: a single-use hand-off code (10 min) for the link / QR code (an earlier open tablet session for it is closed)',
        errors: [404, 409],
        params: PatientChildParams,
        response: { 200: ConsentTabletStarted },
      },
    },
    async (req) => runInTx(db, req, (d) => startConsentTabletSession(d, req.params.patientId, req.params.id)),
  );
  r.get(
    '/patients/:patientId/consents/:id/tablet',
    {
      config: { permission: 'read:consent' },
      schema: {
        tags: ['consent'],
        summary: 'The consent’s tablet session (an open one, else the latest; null if none): open, submitted, expired or cancelled; handed off or not',
        errors: [404],
        params: PatientChildParams,
        response: { 200: ConsentTabletStatus },
      },
    },
    async (req) => runInTx(db, req, (d) => consentTabletStatus(d, req.params.patientId, req.params.id)),
  );
  r.post(
    '/patients/:patientId/consents/:id/tablet/cancel',
    {
      config: { permission: 'write:consent' },
      schema: { tags: ['consent'], summary: 'Close the consent’s open tablet session (409 if none is open)', errors: [404, 409], params: PatientChildParams, response: { 200: PatientSessionStatus } },
    },
    async (req) => runInTx(db, req, (d) => cancelConsentTabletSession(d, req.params.patientId, req.params.id)),
  );

  // The tablet: no staff session; the bearer token is the only credential and allows only these calls (its form, submitted once).
  const tabletConfig = { auth: 'public' as const, rateLimit: { max: 30, timeWindow: '1 minute' } };
  const refusedAudited = async <T>(req: Parameters<typeof runInTx>[1], fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PatientSessionRefused) await runInTx(db, req, (d) => auditRefusal(d, err));
      throw err;
    }
  };
  r.post(
    '/tablet/handoff',
    {
      config: tabletConfig,
      schema: {
        tags: ['patient tablet'],
        security: [],
        errors: [401, 409],
        body: TabletHandoff,
        response: { 200: TabletHandoffExchanged },
        summary: 'Exchange the link’s single-use hand-off code for the form token (once; a staff session in this browser is signed out)',
      },
    },
    async (req, reply) => {
      // A staff session in this browser ends first, even if the code is then refused (ADR 027).
      const staffCookie = req.cookies?.[SESSION_COOKIE];
      const staffSignedOut = staffCookie ? await runInTx(db, req, (d) => endStaffSessionForTablet(d, staffCookie)) : false;
      if (staffCookie) clearSessionCookie(reply, deps.secureCookies);
      const result = await refusedAudited(req, () => runInTx(db, req, (d) => exchangeHandoff(d, req.body.code)));
      return { ...result, staffSignedOut };
    },
  );

  r.post(
    '/tablet/return',
    {
      config: { auth: 'public', rateLimit: deps.signInRateLimit },
      schema: {
        tags: ['patient tablet'],
        security: [{ tabletToken: [] }],
        errors: [401, 409, 423],
        body: TabletReturn,
        response: { 200: TabletReturned },
        summary: 'Staff: return to the console — the password of the staff member who started the session (a sign-in: lock-out, audit, second factor)',
      },
    },
    async (req, reply) => {
      // Failures are audited and counted, so the transaction commits before the error is sent.
      const result = await refusedAudited(req, () => runInTx(db, req, (d) => returnToConsole(d, bearerToken(req.headers.authorization), req.body)));
      if (!result.ok) throw result.error;
      setSessionCookie(reply, result.sessionToken, deps.secureCookies, 24);
      return { stage: result.stage, mustChangePassword: result.mustChangePassword };
    },
  );

  r.get(
    '/tablet/session',
    {
      config: tabletConfig,
      schema: {
        tags: ['patient tablet'],
        summary: 'The form for this tablet session (Authorization: Bearer <token>)',
        security: [{ tabletToken: [] }],
        errors: [401, 409],
        response: { 200: TabletSession },
      },
    },
    async (req) => refusedAudited(req, () => runInTx(db, req, (d) => tabletSession(d, bearerToken(req.headers.authorization)))),
  );

  r.post(
    '/tablet/answers',
    {
      config: tabletConfig,
      schema: {
        tags: ['patient tablet'],
        summary: 'Submit the answers, once (Authorization: Bearer <token>)',
        security: [{ tabletToken: [] }],
        errors: [401, 409],
        body: TabletSubmit,
        response: { 200: TabletSubmitted },
      },
    },
    async (req) => refusedAudited(req, () => runInTx(db, req, (d) => tabletSubmit(d, bearerToken(req.headers.authorization), req.body))),
  );

  r.post(
    '/tablet/consent',
    {
      config: tabletConfig,
      schema: {
        tags: ['patient tablet'],
        summary: 'Sign the consent, once, and acknowledge the patient notice if read (Authorization: Bearer <token>)',
        security: [{ tabletToken: [] }],
        errors: [401, 409],
        body: TabletConsentSign,
        response: { 200: TabletConsentSigned },
      },
    },
    async (req) => refusedAudited(req, () => runInTx(db, req, (d) => tabletSignConsent(d, bearerToken(req.headers.authorization), req.body))),
  );

  // --- stage of change ------------------------------------------------------------------
  r.get(
    '/patients/:patientId/stage',
    {
      config: { permission: 'read:stage' },
      schema: { tags, summary: 'Stage-of-change history as a trajectory (current, points, described changes)', params: PatientParams, response: { 200: StageTrajectory } },
    },
    async (req) => runInTx(db, req, (d) => getStageTrajectory(d, req.params.patientId)),
  );

  r.post(
    '/patients/:patientId/stage',
    {
      config: { permission: 'write:stage' },
      schema: {
        tags,
        summary: 'Record a clinician’s stage judgement (a reason is required when it overrides the URICA stage)',
        params: PatientParams,
        body: StageRecord,
        response: { 200: StageTrajectory },
      },
    },
    async (req) => runInTx(db, req, (d) => recordStage(d, req.params.patientId, req.body)),
  );

  // --- safety alerts --------------------------------------------------------------------
  r.get(
    '/safety-alerts',
    {
      config: { permission: 'read:safety-alert' },
      schema: { tags, summary: 'Safety alerts for the care team (default: open, for your patients)', querystring: SafetyAlertQuery, response: { 200: pageOf(SafetyAlert) } },
    },
    async (req) => runInTx(db, req, (d) => listSafetyAlerts(d, req.query)),
  );

  r.post(
    '/safety-alerts/:id/acknowledge',
    {
      config: { permission: 'write:safety-alert' },
      schema: { tags, summary: 'Acknowledge a safety alert (409 if already acknowledged)', params: IdParams, body: SafetyAlertAcknowledge, response: { 200: SafetyAlert } },
    },
    async (req) => runInTx(db, req, (d) => acknowledgeSafetyAlert(d, req.params.id, req.body)),
  );
}
