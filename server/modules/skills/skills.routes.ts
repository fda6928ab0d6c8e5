// Skills modules over HTTP (issue 13, docs/skills.md): the library and the programme's own
// modules, a patient's assignments, progress and homework, the homework work list and the
// completion funnel (staff, /api/v1); the patient app's own reads and writes (/api/patient);
// and the modules' content, public and immutable per version, for the app's offline cache.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { PatientParams } from '../../../contracts/common.ts';
import {
  AppCompletion,
  AppCompletionResult,
  AppEntry,
  AppEntryResult,
  AppScreen,
  AppScreenResult,
  AppSkills,
  Assignment,
  AssignmentCreate,
  AssignmentParams,
  EntryPage,
  EntryParams,
  EntryQuery,
  HomeworkPage,
  HomeworkQuery,
  ModuleDetail,
  ModuleDraft,
  ModuleKeyParams,
  ModuleLibrary,
  ModuleVersionQuery,
  PatientSkills,
  ReportQuery,
  Review,
  ReviewCreate,
  SkillsModule,
  SkillsReport,
  SuggestionQuery,
} from '../../../contracts/skills.ts';
import type { Db } from '../../platform/db/database.ts';
import { patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { notFound } from '../../platform/errors.ts';
import { findModule, getModule, listLibrary, publishModule, retireModule, saveDraft } from './modules.ts';
import { assignModule, cancelAssignment, homeworkToReview, listEntries, patientSkills, reviewEntry, skillsReport } from './patient-skills.ts';
import { completeModule, mySkills, reachScreen, saveEntry } from './patient-app.ts';
import { builtInModules } from './library.ts';

export function skillsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['skills'];

  r.get(
    '/skills/modules',
    {
      config: { permission: 'read:skills' },
      schema: { tags, summary: 'The modules staff can assign and patients can open (built-in and the programme’s published ones)', response: { 200: ModuleLibrary } },
    },
    async (req) => runInTx(db, req, (d) => listLibrary(d, { offered: true })),
  );
  r.get(
    '/skills/modules/:key',
    {
      config: { permission: 'read:skills' },
      schema: {
        tags,
        summary: 'One module’s content at a version (default: the one offered), its versions and the lint’s findings',
        params: ModuleKeyParams,
        querystring: ModuleVersionQuery,
        response: { 200: ModuleDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => getModule(d, req.params.key, req.query.version)),
  );
  r.get(
    '/skills/library',
    {
      config: { permission: 'manage:skills-library' },
      schema: { tags, summary: 'Every module with its latest version, drafts and retired ones included (the editors’ view)', response: { 200: ModuleLibrary } },
    },
    async (req) => runInTx(db, req, (d) => listLibrary(d, { offered: false })),
  );
  r.post(
    '/skills/library',
    {
      config: { permission: 'manage:skills-library' },
      schema: {
        tags,
        summary: 'A new programme module, as a draft (version 1); basedOn names the built-in module it was copied from',
        errors: [404, 409],
        body: ModuleDraft,
        response: { 200: ModuleDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => saveDraft(d, { content: req.body.content, basedOn: req.body.basedOn })),
  );
  r.put(
    '/skills/library/:key',
    {
      config: { permission: 'manage:skills-library' },
      schema: {
        tags,
        summary: 'Save the module’s draft (after a published version: the next version’s draft)',
        errors: [404, 409],
        params: ModuleKeyParams,
        body: ModuleDraft,
        response: { 200: ModuleDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => saveDraft(d, { key: req.params.key, content: req.body.content })),
  );
  r.post(
    '/skills/library/:key/publish',
    {
      config: { permission: 'manage:skills-library' },
      schema: {
        tags,
        summary: 'Publish the draft (422 module_not_ready with the lint’s problems); the version before it is retired',
        errors: [404, 422],
        params: ModuleKeyParams,
        response: { 200: ModuleDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => publishModule(d, req.params.key)),
  );
  r.post(
    '/skills/library/:key/retire',
    {
      config: { permission: 'manage:skills-library' },
      schema: { tags, summary: 'Retire a programme module: no longer offered or assignable (progress and entries stay)', errors: [404, 409], params: ModuleKeyParams, response: { 200: ModuleDetail } },
    },
    async (req) => runInTx(db, req, (d) => retireModule(d, req.params.key)),
  );

  r.get(
    '/patients/:patientId/skills',
    {
      config: { permission: 'read:skills' },
      schema: {
        tags,
        summary: 'The patient’s modules (assigned, started, completed, homework) and suggestions for their stage of change (and for a care-plan intervention)',
        params: PatientParams,
        querystring: SuggestionQuery,
        response: { 200: PatientSkills },
      },
    },
    async (req) => runInTx(db, req, (d) => patientSkills(d, req.params.patientId, req.query)),
  );
  r.post(
    '/patients/:patientId/skills/assignments',
    {
      config: { permission: 'write:skills' },
      schema: {
        tags,
        summary: 'Assign a module (with a due date; from a care plan’s intervention); 409 already_assigned',
        errors: [404, 409],
        params: PatientParams,
        body: AssignmentCreate,
        response: { 200: Assignment },
      },
    },
    async (req) => runInTx(db, req, (d) => assignModule(d, req.params.patientId, req.body)),
  );
  r.post(
    '/patients/:patientId/skills/assignments/:id/cancel',
    { config: { permission: 'write:skills' }, schema: { tags, summary: 'Cancel an open assignment', errors: [404], params: AssignmentParams, response: { 200: Assignment } } },
    async (req) => runInTx(db, req, (d) => cancelAssignment(d, req.params.patientId, req.params.id)),
  );
  r.get(
    '/patients/:patientId/skills/entries',
    {
      config: { permission: 'read:skills' },
      schema: { tags, summary: 'What the patient entered in exercises and homework, newest first, with the reviews', params: PatientParams, querystring: EntryQuery, response: { 200: EntryPage } },
    },
    async (req) => runInTx(db, req, (d) => listEntries(d, req.params.patientId, req.query)),
  );
  r.post(
    '/patients/:patientId/skills/entries/:id/reviews',
    {
      config: { permission: 'write:skills' },
      schema: { tags, summary: 'Review an entry, with a comment the patient sees (optional)', errors: [404], params: EntryParams, body: ReviewCreate, response: { 200: Review } },
    },
    async (req) => runInTx(db, req, (d) => reviewEntry(d, req.params.patientId, req.params.id, req.body)),
  );
  r.get(
    '/skills/homework',
    {
      config: { permission: 'read:skills' },
      schema: { tags, summary: 'Homework waiting for a review, newest first (mine: the patients on my caseload)', querystring: HomeworkQuery, response: { 200: HomeworkPage } },
    },
    async (req) => runInTx(db, req, (d) => homeworkToReview(d, req.query)),
  );
  r.get(
    '/skills/report',
    {
      config: { permission: 'read:skills' },
      schema: {
        tags,
        summary: 'The completion funnel by module for a period: assigned, started, completed, median minutes, where people stop, homework reviewed',
        querystring: ReportQuery,
        response: { 200: SkillsReport },
      },
    },
    async (req) => runInTx(db, req, (d) => skillsReport(d, req.query)),
  );
}

export function skillsPatientRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];
  r.get(
    '/skills',
    {
      config: { auth: 'patient' },
      schema: { tags, operationId: 'getPatientAppSkills', summary: 'The patient’s modules (assigned first, then the library) and their counsellor’s comments', response: { 200: AppSkills } },
    },
    async (req) => runInTx(db, req, (d) => mySkills(d, patientOf(req.ctx))),
  );
  r.post(
    '/skills/screens',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'reachPatientSkillsScreen',
        summary: 'A screen of a module reached (progress only moves forward; sent late from offline with its time)',
        errors: [404],
        body: AppScreen,
        response: { 200: AppScreenResult },
      },
    },
    async (req) => runInTx(db, req, (d) => reachScreen(d, patientOf(req.ctx), req.body)),
  );
  r.post(
    '/skills/entries',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'createPatientSkillsEntry',
        summary: 'What the patient entered in an exercise or as homework; stored once per id',
        errors: [404, 409],
        body: AppEntry,
        response: { 200: AppEntryResult },
      },
    },
    async (req) => runInTx(db, req, (d) => saveEntry(d, patientOf(req.ctx), req.body)),
  );
  r.post(
    '/skills/completions',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'completePatientSkillsModule',
        summary: 'Finish a module (every screen reached): an assigned module’s first completion posts the CM module event in the same transaction',
        errors: [404, 409],
        body: AppCompletion,
        response: { 200: AppCompletionResult },
      },
    },
    async (req) => runInTx(db, req, (d) => completeModule(d, patientOf(req.ctx), req.body)),
  );
}

const ContentFile = z.strictObject({ file: z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}@\d{1,6}\.json$/) });
const ProgrammeContentFile = ContentFile.extend({ programId: z.uuid() });
const parseFile = (file: string) => {
  const at = file.lastIndexOf('@');
  return { key: file.slice(0, at), version: Number(file.slice(at + 1, -'.json'.length)) };
};

/**
 * A module's content, public (no patient data: the text every patient of the programme may
 * read) and immutable per version, so the app's service worker keeps it for offline use.
 */
export function skillsContentRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const immutable = 'public, max-age=31536000, immutable';
  r.get(
    '/content/skills/:file',
    {
      config: { auth: 'public' },
      schema: { tags: ['skills'], operationId: 'getBuiltInSkillsModuleContent', summary: 'A built-in module’s content (key@version.json)', params: ContentFile, response: { 200: SkillsModule } },
    },
    async (req, reply) => {
      const { key, version } = parseFile(req.params.file);
      const m = builtInModules().get(key);
      if (!m || m.version !== version) throw notFound('Module');
      void reply.header('cache-control', immutable);
      return m;
    },
  );
  r.get(
    '/content/skills/:programId/:file',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['skills'],
        operationId: 'getProgrammeSkillsModuleContent',
        summary: 'A programme module’s published content (key@version.json)',
        params: ProgrammeContentFile,
        response: { 200: SkillsModule },
      },
    },
    async (req, reply) => {
      const { key, version } = parseFile(req.params.file);
      const m = await runInTx(deps.db, req, ({ tx }) => findModule(tx, req.params.programId, key, version));
      if (!m || m.origin !== 'programme' || m.status === 'draft') throw notFound('Module');
      void reply.header('cache-control', immutable);
      return m.doc;
    },
  );
}
