// Check-in routes for staff: record a check-in a patient gives by phone, read a
// patient's check-ins, and the programme's risk-rule settings. The patient app and the
// SMS / phone webhooks call recordCheckIn with their own source (docs/check-ins.md).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { PatientParams } from '../../../contracts/common.ts';
import { CheckInList, CheckInQuery, CheckInResult, RiskRuleSettings, StaffCheckInCreate } from '../../../contracts/checkins.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { listCheckIns } from './list-check-ins.ts';
import { recordStaffCheckIn } from './record-check-in.ts';
import { getRiskRules, updateRiskRules } from './settings.ts';

export function checkInsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['check-ins'];

  r.post(
    '/patients/:patientId/check-ins',
    {
      config: { permission: 'write:check-in' },
      schema: {
        tags,
        summary: 'Record a check-in the patient gave by phone (source staff): evaluates the risk rules, raises alerts, returns what to tell the patient; a repeated idempotencyKey is recorded once',
        params: PatientParams,
        body: StaffCheckInCreate,
        response: { 200: CheckInResult },
      },
    },
    async (req) => runInTx(db, req, (d) => recordStaffCheckIn(d, req.params.patientId, req.body)),
  );

  r.get(
    '/patients/:patientId/check-ins',
    {
      config: { permission: 'read:check-in' },
      schema: { tags, summary: 'The patient’s check-ins over the last N programme days, oldest first', params: PatientParams, querystring: CheckInQuery, response: { 200: CheckInList } },
    },
    async (req) => runInTx(db, req, (d) => listCheckIns(d, req.params.patientId, req.query)),
  );

  r.get('/check-ins/settings', { config: { permission: 'read:check-in' }, schema: { tags, summary: 'The programme’s check-in risk rules', response: { 200: RiskRuleSettings } } }, async (req) =>
    runInTx(db, req, (d) => getRiskRules(d)),
  );

  r.put(
    '/check-ins/settings',
    {
      config: { permission: 'manage:check-in-settings' },
      schema: { tags, summary: 'Change the programme’s check-in risk rules (administrators); 400 names each bad field', body: RiskRuleSettings, response: { 200: RiskRuleSettings } },
    },
    async (req) => runInTx(db, req, (d) => updateRiskRules(d, req.body)),
  );
}
