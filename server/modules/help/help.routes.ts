// Help now and My plan over HTTP (ADR 037). Staff (under /api/v1): the programme's help
// settings, and a patient's safety plan with its versions. The patient app (under
// /api/patient): the public help a locked phone fetches (rate-limited, programme data
// only), and — signed in — the patient's own safety plan, plan and care-team roles.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { PatientParams } from '../../../contracts/common.ts';
import { HelpSettings, HelpSettingsRead, PatientCareTeam, PatientPlan, PublicHelp, PublicHelpQuery, SafetyPlan, SafetyPlanSave, SafetyPlanVersions } from '../../../contracts/help.ts';
import type { Db } from '../../platform/db/database.ts';
import { patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { patientCareTeam, patientPlan } from './my-plan.ts';
import { patientSafetyPlan, safetyPlanVersionsOf, savePatientSafetyPlan, saveStaffSafetyPlan, staffSafetyPlan } from './safety-plan.ts';
import { getHelpSettings, publicHelp, updateHelpSettings } from './settings.ts';

export function helpStaffRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['help now'];

  r.get(
    '/help-settings',
    {
      config: { permission: 'manage:help-settings' },
      schema: {
        tags,
        operationId: 'getHelpSettings',
        summary: 'The programme’s help settings: crisis and after-hours lines, the clinic’s number, naloxone places',
        response: { 200: HelpSettingsRead },
      },
    },
    async (req) => runInTx(db, req, (d) => getHelpSettings(d)),
  );

  r.put(
    '/help-settings',
    {
      config: { permission: 'manage:help-settings' },
      schema: {
        tags,
        operationId: 'updateHelpSettings',
        summary: 'Replace the programme’s help settings (administrators); 400 names each bad field',
        body: HelpSettings,
        response: { 200: HelpSettingsRead },
      },
    },
    async (req) => runInTx(db, req, (d) => updateHelpSettings(d, req.body)),
  );

  r.get(
    '/patients/:patientId/safety-plan',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, operationId: 'getSafetyPlan', summary: 'The patient’s current safety plan (version 0 and empty when none was saved)', params: PatientParams, response: { 200: SafetyPlan } },
    },
    async (req) => runInTx(db, req, (d) => staffSafetyPlan(d, req.params.patientId)),
  );

  r.put(
    '/patients/:patientId/safety-plan',
    {
      config: { permission: 'write:care-plan' },
      schema: {
        tags,
        operationId: 'saveSafetyPlan',
        summary: 'Save the patient’s safety plan as a new version; a version saved since this edit began is a 409 stale_version',
        params: PatientParams,
        body: SafetyPlanSave,
        response: { 200: SafetyPlan },
      },
    },
    async (req) => runInTx(db, req, (d) => saveStaffSafetyPlan(d, req.params.patientId, req.body)),
  );

  r.get(
    '/patients/:patientId/safety-plan/versions',
    {
      config: { permission: 'read:care-plan' },
      schema: {
        tags,
        operationId: 'listSafetyPlanVersions',
        summary: 'Every saved version of the patient’s safety plan, newest first: who saved it, when, what changed',
        params: PatientParams,
        response: { 200: SafetyPlanVersions },
      },
    },
    async (req) => runInTx(db, req, (d) => safetyPlanVersionsOf(d, req.params.patientId)),
  );
}

export function helpPatientRoutes(app: FastifyInstance, deps: { db: Db; publicRateLimit: { max: number; timeWindow: string } }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];

  r.get(
    '/help',
    {
      config: { auth: 'public', rateLimit: deps.publicRateLimit },
      schema: {
        tags,
        operationId: 'getPublicHelp',
        summary: 'Help for a locked phone: the programme’s crisis and after-hours lines, clinic number and naloxone places (no patient data; rate-limited)',
        security: [],
        querystring: PublicHelpQuery,
        response: { 200: PublicHelp },
      },
    },
    async (req) => runInTx(db, req, ({ tx }) => publicHelp(tx, req.query.programId)),
  );

  r.get('/safety-plan', { config: { auth: 'patient' }, schema: { tags, operationId: 'getPatientSafetyPlan', summary: 'The patient’s own safety plan', response: { 200: SafetyPlan } } }, async (req) =>
    runInTx(db, req, (d) => patientSafetyPlan(d, patientOf(req.ctx))),
  );

  r.put(
    '/safety-plan',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'savePatientSafetyPlan',
        summary: 'Save the patient’s own safety plan as a new version; a version saved since (e.g. by the counsellor) is a 409 stale_version',
        body: SafetyPlanSave,
        response: { 200: SafetyPlan },
      },
    },
    async (req) => runInTx(db, req, (d) => savePatientSafetyPlan(d, patientOf(req.ctx), req.body)),
  );

  r.get(
    '/plan',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientPlan',
        summary: 'The patient’s current care plan in plain words: goals and agreed interventions with the patient-facing rationale (null when there is none)',
        response: { 200: PatientPlan },
      },
    },
    async (req) => runInTx(db, req, (d) => patientPlan(d, patientOf(req.ctx))),
  );

  r.get(
    '/care-team',
    { config: { auth: 'patient' }, schema: { tags, operationId: 'getPatientCareTeam', summary: 'The roles on the patient’s care team (no names)', response: { 200: PatientCareTeam } } },
    async (req) => runInTx(db, req, (d) => patientCareTeam(d, patientOf(req.ctx))),
  );
}
