import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { PatientParams } from '../../../contracts/common.ts';
import {
  AgreementCreate,
  CarePlan,
  CarePlanCreate,
  CarePlanRevise,
  CarePlanSummary,
  CarePlanVersion,
  CarePlanVersionSummary,
  PlanParams,
  PlanReviewList,
  PlanReviewQuery,
  PlanVersionParams,
  RecommendationRequest,
  Recommendations,
} from '../../../contracts/planning.ts';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { createCarePlan, getCarePlan, getPlanVersion, listCarePlans, listPlanVersions, planReviewWorkList, recordAgreement, reviseCarePlan } from './care-plans.ts';
import { printCarePlan } from './print.ts';
import { recommendForPatient } from './recommendations.ts';

export function planningRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['planning'];

  r.post(
    '/patients/:patientId/recommendations',
    {
      config: { permission: 'read:care-plan' },
      schema: {
        tags,
        summary: 'Recommendations with rationale and evidence, from the record plus the context fields you supply',
        params: PatientParams,
        body: RecommendationRequest,
        response: { 200: Recommendations },
      },
    },
    async (req) => runInTx(db, req, (d) => recommendForPatient(d, req.params.patientId, req.body)),
  );

  r.get(
    '/patients/:patientId/care-plans',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, summary: 'The patient’s care plans', params: PatientParams, response: { 200: z.object({ items: z.array(CarePlanSummary) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listCarePlans(d, req.params.patientId)) }),
  );

  r.post(
    '/patients/:patientId/care-plans',
    {
      config: { permission: 'write:care-plan', idempotent: true },
      schema: { tags, summary: 'Create a care plan (version 1)', params: PatientParams, body: CarePlanCreate, response: { 200: CarePlan } },
    },
    async (req) => (await runIdempotent(db, req, (d) => createCarePlan(d, req.params.patientId, req.body))).body,
  );

  r.get(
    '/patients/:patientId/care-plans/:id',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, summary: 'A care plan: the current version and the patient’s agreement', params: PlanParams, response: { 200: CarePlan } },
    },
    async (req) => runInTx(db, req, (d) => getCarePlan(d, req.params.patientId, req.params.id)),
  );

  r.put(
    '/patients/:patientId/care-plans/:id',
    {
      config: { permission: 'write:care-plan' },
      schema: { tags, summary: 'Save a new version (send the version you edited; a stale one is 409)', params: PlanParams, body: CarePlanRevise, response: { 200: CarePlan } },
    },
    async (req) => runInTx(db, req, (d) => reviseCarePlan(d, req.params.patientId, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/care-plans/:id/versions',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, summary: 'Version history: who changed what, when', params: PlanParams, response: { 200: z.object({ items: z.array(CarePlanVersionSummary) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listPlanVersions(d, req.params.patientId, req.params.id)) }),
  );

  r.get(
    '/patients/:patientId/care-plans/:id/versions/:version',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, summary: 'One version as it was saved', params: PlanVersionParams, response: { 200: CarePlanVersion } },
    },
    async (req) => runInTx(db, req, (d) => getPlanVersion(d, req.params.patientId, req.params.id, req.params.version)),
  );

  r.post(
    '/patients/:patientId/care-plans/:id/agreements',
    {
      config: { permission: 'write:care-plan' },
      schema: { tags, summary: 'Record the patient’s agreement to a version (who, when, how)', params: PlanParams, body: AgreementCreate, response: { 200: CarePlan } },
    },
    async (req) => runInTx(db, req, (d) => recordAgreement(d, req.params.patientId, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/care-plans/:id/print',
    {
      config: { permission: 'read:care-plan' },
      schema: { tags, summary: 'Printable view (text/html)', params: PlanParams, produces: ['text/html'] },
    },
    async (req, reply) => {
      const html = await runInTx(db, req, (d) => printCarePlan(d, req.params.patientId, req.params.id));
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  r.get(
    '/work-list/plan-reviews',
    {
      config: { permission: 'read:care-plan' },
      schema: {
        tags,
        summary: 'Care plans due for review within 7 days (programme time zone) where you are responsible or on the care team',
        querystring: PlanReviewQuery,
        response: { 200: PlanReviewList },
      },
    },
    async (req) => runInTx(db, req, (d) => planReviewWorkList(d, req.query)),
  );
}
