// Counselling compliance, caseloads and the counsellor's today over HTTP (ADR 043). The
// compliance status informs and never blocks: nothing else in the API reads it as a condition.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { PatientParams } from '../../../contracts/common.ts';
import {
  CaseloadAssign,
  CaseloadEnd,
  CaseloadPatients,
  CaseloadQuery,
  CaseloadSizes,
  ComplianceReport,
  CounsellingRules,
  CounsellingRulesRead,
  CounsellorToday,
  OverdueList,
  OverdueQuery,
  PatientCaseload,
  PatientCompliance,
  ReportQuery,
  TodayQuery,
} from '../../../contracts/counselling.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { assignCaseload, caseloadPatients, caseloadSizes, endCaseload, patientCaseload } from './caseloads.ts';
import { monthlyReport, monthlyReportCsv, overdueList, patientCompliance } from './compliance.ts';
import { getCounsellingRules, updateCounsellingRules } from './rules.ts';
import { counsellorToday } from './today.ts';

export function counsellingRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['counselling'];

  r.get(
    '/counselling/today',
    {
      config: { permission: 'read:encounter' },
      schema: {
        tags,
        operationId: 'getCounsellorToday',
        summary: 'The signed-in staff member’s visits and groups of a day, with each patient’s stage, plan, CM status, latest screen and check-in, compliance and changes since the last session',
        querystring: TodayQuery,
        response: { 200: CounsellorToday },
      },
    },
    async (req) => runInTx(db, req, (d) => counsellorToday(d, req.query)),
  );

  r.get(
    '/counselling/rules',
    {
      config: { permission: 'read:counselling-compliance' },
      schema: { tags, operationId: 'getCounsellingRules', summary: 'The programme’s counselling-frequency rules (the default until an administrator saves)', response: { 200: CounsellingRulesRead } },
    },
    async (req) => runInTx(db, req, (d) => getCounsellingRules(d)),
  );

  r.put(
    '/counselling/rules',
    {
      config: { permission: 'manage:encounter-settings' },
      schema: {
        tags,
        operationId: 'updateCounsellingRules',
        summary: 'Replace the programme’s counselling-frequency rules; 400 names each bad field',
        body: CounsellingRules,
        response: { 200: CounsellingRulesRead },
      },
    },
    async (req) => runInTx(db, req, (d) => updateCounsellingRules(d, req.body)),
  );

  r.get(
    '/counselling/compliance/overdue',
    {
      config: { permission: 'read:counselling-compliance' },
      schema: {
        tags,
        operationId: 'listCounsellingOverdue',
        summary: 'Patients overdue (or due) for counselling, by counsellor; informs, never blocks',
        querystring: OverdueQuery,
        response: { 200: OverdueList },
      },
    },
    async (req) => runInTx(db, req, (d) => overdueList(d, req.query)),
  );

  r.get(
    '/counselling/compliance/report',
    {
      config: { permission: 'read:counselling-compliance' },
      schema: {
        tags,
        operationId: 'getCounsellingComplianceReport',
        summary: 'The monthly compliance report per patient and per counsellor (JSON, or CSV with Accept: text/csv or format=csv)',
        querystring: ReportQuery,
        response: { 200: ComplianceReport },
      },
    },
    async (req, reply) => {
      const wantsCsv = req.query.format === 'csv' || (req.query.format === undefined && /\btext\/csv\b/.test(req.headers.accept ?? ''));
      if (!wantsCsv) return runInTx(db, req, (d) => monthlyReport(d, req.query.month));
      const csv = await runInTx(db, req, (d) => monthlyReportCsv(d, req.query.month));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="counselling-compliance-${req.query.month ?? 'this-month'}.csv"`)
        .serializer((s: unknown) => s as string)
        .send(csv as never);
    },
  );

  r.get(
    '/patients/:patientId/counselling-compliance',
    {
      config: { permission: 'read:counselling-compliance' },
      schema: {
        tags,
        operationId: 'getPatientCounsellingCompliance',
        summary: 'One patient’s counselling status today (informs, never blocks)',
        params: PatientParams,
        response: { 200: PatientCompliance },
      },
    },
    async (req) => runInTx(db, req, (d) => patientCompliance(d, req.params.patientId)),
  );

  r.get(
    '/patients/:patientId/caseload',
    {
      config: { permission: 'read:care-team' },
      schema: { tags, operationId: 'getPatientCaseload', summary: 'The patient’s counsellor and peer, and every earlier assignment', params: PatientParams, response: { 200: PatientCaseload } },
    },
    async (req) => runInTx(db, req, (d) => patientCaseload(d, req.params.patientId)),
  );

  r.post(
    '/patients/:patientId/caseload',
    {
      config: { permission: 'write:caseload' },
      schema: {
        tags,
        operationId: 'assignCaseload',
        summary: 'Assign the patient’s counsellor or peer; when there is one already, a transfer (reason required, history kept)',
        params: PatientParams,
        body: CaseloadAssign,
        response: { 200: PatientCaseload },
      },
    },
    async (req) => runInTx(db, req, (d) => assignCaseload(d, req.params.patientId, req.body)),
  );

  r.post(
    '/patients/:patientId/caseload/end',
    {
      config: { permission: 'write:caseload' },
      schema: {
        tags,
        operationId: 'endCaseload',
        summary: 'End the patient’s counsellor or peer assignment with a reason',
        params: PatientParams,
        body: CaseloadEnd,
        response: { 200: PatientCaseload },
      },
    },
    async (req) => runInTx(db, req, (d) => endCaseload(d, req.params.patientId, req.body)),
  );

  r.get(
    '/counselling/caseloads',
    {
      config: { permission: 'read:care-team' },
      schema: { tags, operationId: 'getCaseloadSizes', summary: 'How many patients each counsellor and peer carries, and how many have no one', response: { 200: CaseloadSizes } },
    },
    async (req) => runInTx(db, req, (d) => caseloadSizes(d)),
  );

  r.get(
    '/counselling/caseloads/patients',
    {
      config: { permission: 'read:care-team' },
      schema: {
        tags,
        operationId: 'listCaseloadPatients',
        summary: 'The patients on one person’s caseload, with their counselling status',
        querystring: CaseloadQuery,
        response: { 200: CaseloadPatients },
      },
    },
    async (req) => runInTx(db, req, (d) => caseloadPatients(d, req.query)),
  );
}
