// Screens routes. Stable integration paths (API token or session), kept from before screens
// were their own record: POST /specimens, GET /specimens/{id}, POST /specimens/{id}/corrections.
// GET /patients/{patientId}/screens lists a patient's screens with the results in effect.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { IdParams, PatientParams } from '../../../contracts/common.ts';
import { CorrectionCreate, PatientScreens, SpecimenCreate, SpecimenDetail, SpecimenRecorded } from '../../../contracts/cm.ts';
import type { Db } from '../../platform/db/database.ts';
import { compiledSerializer } from '../../platform/http/compiled-serializer.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { correctScreen, getScreen, patientScreens, recordScreen } from './screens.ts';

export function screensRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['screens', 'integration'];
  const source = (roles: readonly string[] | undefined) => (roles?.includes('integration') ? 'integration' : 'staff');

  r.post(
    '/specimens',
    {
      config: { permission: 'write:specimen', idempotent: true },
      // the hot path of CM: its answer is written by code compiled from the contract (ADR 061)
      serializerCompiler: compiledSerializer,
      schema: {
        tags,
        summary: 'Record a drug or alcohol screen for any patient; returns it and, for a patient in CM, the award it caused (award null otherwise; 400 unknown_analyte). Honours Idempotency-Key.',
        errors: [404],
        body: SpecimenCreate,
        response: { 200: SpecimenRecorded },
      },
    },
    // no Idempotency-Key: no transaction around the use case, which records optimistically (ADR 018)
    async (req) => (await runIdempotent(db, req, (d) => recordScreen(d, req.body, source(req.ctx.program?.roles), { outsideTransaction: d.tx === db }), { singleStatement: true })).body,
  );
  r.get(
    '/specimens/:id',
    {
      config: { permission: 'read:cm' },
      schema: {
        tags,
        summary: 'One screen as recorded (results, validity checks, cup), its corrections (oldest first) and CM adjudications, and the result now in effect',
        params: IdParams,
        response: { 200: SpecimenDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => getScreen(d, req.params.id)),
  );
  r.post(
    '/specimens/:id/corrections',
    {
      config: { permission: 'write:specimen', idempotent: true },
      schema: {
        tags,
        summary: 'Correct a screen (e.g. laboratory confirmation); a new record, never an edit. Honours Idempotency-Key.',
        params: IdParams,
        body: CorrectionCreate,
        response: { 200: SpecimenRecorded },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => correctScreen(d, req.params.id, req.body, source(req.ctx.program?.roles)))).body,
  );
  r.get(
    '/patients/:patientId/screens',
    {
      config: { permission: 'read:cm' },
      schema: { tags: ['screens'], summary: 'A patient’s screens over time, newest first, with the results in effect', params: PatientParams, response: { 200: PatientScreens } },
    },
    async (req) => runInTx(db, req, (d) => patientScreens(d, req.params.patientId)),
  );
}
