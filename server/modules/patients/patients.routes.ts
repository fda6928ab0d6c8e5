import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientChildParams, PatientParams, pageOf } from '../../../contracts/common.ts';
import {
  CareTeamAdd,
  CareTeamMember,
  CareTeamParams,
  DuplicateCandidates,
  DuplicateCheck,
  Episode,
  EpisodeCreate,
  EpisodeDischarge,
  Medication,
  MedicationCreate,
  MedicationEnd,
  Patient,
  PatientCreate,
  PatientSearchQuery,
  PatientSummary,
  PatientUpdate,
} from '../../../contracts/patients.ts';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx, runStatement } from '../../platform/http/tx.ts';
import { findPossibleDuplicates, getPatient, registerPatient, searchPatients, updatePatient } from './patients.ts';
import { addToCareTeam, admit, discharge, endMedication, listCareTeam, listEpisodes, listMedications, recordMedication, removeFromCareTeam } from './treatment-history.ts';

export function patientsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patients'];

  // Search is a POST so that names and birth dates never appear in URLs or access logs.
  r.post(
    '/patients/search',
    {
      config: { permission: 'read:patient' },
      schema: { tags, summary: 'Search by name, birth date or MRN (paginated)', body: PatientSearchQuery, response: { 200: pageOf(PatientSummary) } },
    },
    async (req) => runInTx(db, req, (d) => searchPatients(d, req.body)),
  );

  r.post(
    '/patients/duplicates',
    {
      config: { permission: 'create:patient' },
      schema: { tags, operationId: 'findPossibleDuplicatePatients', summary: 'Possible duplicates of a patient about to be registered', body: DuplicateCheck, response: { 200: DuplicateCandidates } },
    },
    async (req) => ({ candidates: await runInTx(db, req, (d) => findPossibleDuplicates(d, req.body)) }),
  );

  r.post(
    '/patients',
    {
      config: { permission: 'create:patient', idempotent: true },
      schema: { tags, summary: 'Register a patient (409 possible_duplicate until confirmNotDuplicate)', body: PatientCreate, response: { 200: Patient } },
    },
    async (req) => (await runIdempotent(db, req, (d) => registerPatient(d, req.body), { singleStatement: true })).body,
  );

  r.get(
    '/patients/:id',
    {
      config: { permission: 'read:patient' },
      schema: { tags, summary: 'A patient’s demographics and contact details', params: IdParams, response: { 200: Patient } },
    },
    async (req) => runStatement(db, req, (d) => getPatient(d, req.params.id)),
  );

  r.patch(
    '/patients/:id',
    {
      config: { permission: 'update:patient' },
      schema: { tags, summary: 'Update a patient (optimistic: send the version you edited)', params: IdParams, body: PatientUpdate, response: { 200: Patient } },
    },
    async (req) => runInTx(db, req, (d) => updatePatient(d, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/medications',
    {
      config: { permission: 'read:medication' },
      schema: { tags, summary: 'Medication for OUD history', params: PatientParams, response: { 200: z.object({ items: z.array(Medication) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listMedications(d, req.params.patientId)) }),
  );

  r.post(
    '/patients/:patientId/medications',
    {
      config: { permission: 'write:medication', idempotent: true },
      schema: { tags, summary: 'Record a medication for OUD', params: PatientParams, body: MedicationCreate, response: { 200: Medication } },
    },
    async (req) => (await runIdempotent(db, req, (d) => recordMedication(d, req.params.patientId, req.body))).body,
  );

  r.post(
    '/patients/:patientId/medications/:id/end',
    {
      config: { permission: 'write:medication' },
      schema: { tags, summary: 'Record the end of a medication', params: PatientChildParams, body: MedicationEnd, response: { 200: Medication } },
    },
    async (req) => runInTx(db, req, (d) => endMedication(d, req.params.patientId, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/episodes',
    {
      config: { permission: 'read:episode' },
      schema: { tags, summary: 'Episodes of care', params: PatientParams, response: { 200: z.object({ items: z.array(Episode) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listEpisodes(d, req.params.patientId)) }),
  );

  r.post(
    '/patients/:patientId/episodes',
    {
      config: { permission: 'write:episode', idempotent: true },
      schema: { tags, summary: 'Admit: open an episode of care', params: PatientParams, body: EpisodeCreate, response: { 200: Episode } },
    },
    async (req) => (await runIdempotent(db, req, (d) => admit(d, req.params.patientId, req.body))).body,
  );

  r.post(
    '/patients/:patientId/episodes/:id/discharge',
    {
      config: { permission: 'write:episode' },
      schema: { tags, summary: 'Discharge: close an episode of care', params: PatientChildParams, body: EpisodeDischarge, response: { 200: Episode } },
    },
    async (req) => runInTx(db, req, (d) => discharge(d, req.params.patientId, req.params.id, req.body)),
  );

  r.get(
    '/patients/:patientId/care-team',
    {
      config: { permission: 'read:care-team' },
      schema: { tags, summary: 'The patient’s care team', params: PatientParams, response: { 200: z.object({ items: z.array(CareTeamMember) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listCareTeam(d, req.params.patientId)) }),
  );

  r.post(
    '/patients/:patientId/care-team',
    {
      config: { permission: 'write:care-team' },
      schema: { tags, summary: 'Add a staff member to the care team', params: PatientParams, body: CareTeamAdd, response: { 200: z.object({ items: z.array(CareTeamMember) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => addToCareTeam(d, req.params.patientId, req.body)) }),
  );

  r.delete(
    '/patients/:patientId/care-team/:userId/:role',
    {
      config: { permission: 'write:care-team' },
      schema: { tags, summary: 'Remove a care team role', params: CareTeamParams, response: { 200: z.object({ items: z.array(CareTeamMember) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => removeFromCareTeam(d, req.params.patientId, req.params.userId, req.params.role)) }),
  );
}
