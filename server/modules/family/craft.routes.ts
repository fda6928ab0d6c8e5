// CRAFT over HTTP (issue 16, docs/family.md): staff (/api/v1, read:family / write:family) and the
// CSO's own part of the app (/api/patient/family/craft, auth 'family').
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../../contracts/common.ts';
import {
  CraftClose,
  CraftCourseCreate,
  CraftCourseList,
  CraftCourseView,
  CraftHomework,
  CraftOutcomeCreate,
  CraftSessionUpdate,
  MyCraft,
  WellbeingCreate,
  WellbeingResult,
} from '../../../contracts/craft.ts';
import { PatientAppAccess, PatientInviteIssued } from '../../../contracts/patient-app.ts';
import type { Db } from '../../platform/db/database.ts';
import { familyOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import {
  closeCourse,
  courseAppAccess,
  createCourse,
  getCourse,
  inviteCourseClient,
  listCourses,
  myCraft,
  myHomework,
  myWellbeing,
  recordOutcome,
  revokeCourseDevice,
  staffWellbeing,
  updateSession,
} from './craft.ts';

const Number12 = z.coerce
  .number({ message: 'must be a session number from 1 to 12' })
  .int()
  .min(1, { message: 'must be a session number from 1 to 12' })
  .max(12, { message: 'must be a session number from 1 to 12' });
const SessionParams = z.strictObject({ id: Id, number: Number12 });
const DeviceParams = z.strictObject({ id: Id, deviceId: Id });

/** Staff (/api/v1). */
export function craftRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['craft'];
  r.get(
    '/craft-courses',
    {
      config: { permission: 'read:family' },
      schema: { tags, summary: 'The programme’s CRAFT courses (open first), each with its progress, latest outcome and a Help now flag', response: { 200: CraftCourseList } },
    },
    async (req) => runInTx(db, req, (d) => listCourses(d)),
  );
  r.post(
    '/craft-courses',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'A new CRAFT client (a family member linked to no patient) or an existing family member, and their course with its twelve sessions',
        errors: [404, 409],
        body: CraftCourseCreate,
        response: { 200: CraftCourseView },
      },
    },
    async (req) => runInTx(db, req, (d) => createCourse(d, req.body)),
  );
  r.get(
    '/craft-courses/:id',
    {
      config: { permission: 'read:family' },
      schema: { tags, summary: 'A CRAFT course: sessions with topics and the CSO’s homework, wellbeing with its trend, outcomes', errors: [404], params: IdParams, response: { 200: CraftCourseView } },
    },
    async (req) => runInTx(db, req, (d) => getCourse(d, req.params.id)),
  );
  r.patch(
    '/craft-courses/:id/sessions/:number',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'Record a session held or missed, move it (only it), or note it',
        errors: [404, 409],
        params: SessionParams,
        body: CraftSessionUpdate,
        response: { 200: CraftCourseView },
      },
    },
    async (req) => runInTx(db, req, (d) => updateSession(d, req.params.id, req.params.number, req.body)),
  );
  r.post(
    '/craft-courses/:id/outcomes',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'Whether, when and where the loved one entered treatment (the latest counts)',
        errors: [404],
        params: IdParams,
        body: CraftOutcomeCreate,
        response: { 200: CraftCourseView },
      },
    },
    async (req) => runInTx(db, req, (d) => recordOutcome(d, req.params.id, req.body)),
  );
  r.post(
    '/craft-courses/:id/close',
    {
      config: { permission: 'write:family' },
      schema: { tags, summary: 'Close the course, with the reason', errors: [404, 409], params: IdParams, body: CraftClose, response: { 200: CraftCourseView } },
    },
    async (req) => runInTx(db, req, (d) => closeCourse(d, req.params.id, req.body)),
  );
  r.post(
    '/craft-courses/:id/wellbeing',
    {
      config: { permission: 'write:family' },
      schema: {
        tags,
        summary: 'The CSO’s PHQ-9 or GAD-7, entered with them (scored by the instrument library)',
        errors: [404],
        params: IdParams,
        body: WellbeingCreate,
        response: { 200: CraftCourseView },
      },
    },
    async (req) => runInTx(db, req, (d) => staffWellbeing(d, req.params.id, req.body)),
  );
  r.get(
    '/craft-courses/:id/app',
    { config: { permission: 'read:family' }, schema: { tags, summary: 'The CSO’s app invite and phones', errors: [404], params: IdParams, response: { 200: PatientAppAccess } } },
    async (req) => runInTx(db, req, (d) => courseAppAccess(d, req.params.id)),
  );
  r.post(
    '/craft-courses/:id/app/invite',
    {
      config: { permission: 'write:family' },
      schema: { tags, summary: 'An app invite for the CSO: a single-use code (7 days); the open one is revoked', errors: [404], params: IdParams, response: { 200: PatientInviteIssued } },
    },
    async (req) => runInTx(db, req, (d) => inviteCourseClient(d, req.params.id)),
  );
  r.post(
    '/craft-courses/:id/app/devices/:deviceId/revoke',
    { config: { permission: 'write:family' }, schema: { tags, summary: 'Revoke a CSO’s phone: its sessions end at once', errors: [404], params: DeviceParams, response: { 200: PatientAppAccess } } },
    async (req) => runInTx(db, req, (d) => revokeCourseDevice(d, req.params.id, req.params.deviceId)),
  );
}

/** The CSO's own course in the app (/api/patient/family/craft). */
export function craftAppRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['family app'];
  r.get(
    '/family/craft',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'My CRAFT course (or null) in my language (or `lang`, the app’s): sessions, homework, what I wrote, next session; my wellbeing and its questionnaires',
        querystring: z.strictObject({ lang: z.enum(['en', 'es']).optional() }),
        response: { 200: MyCraft },
      },
    },
    async (req) => runInTx(db, req, (d) => myCraft(d, familyOf(req.ctx), req.query.lang)),
  );
  r.post(
    '/family/craft/sessions/:number/homework',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'Write (or rewrite) a session’s homework, once its day has come or it was held',
        errors: [404, 409],
        params: z.strictObject({ number: Number12 }),
        querystring: z.strictObject({ lang: z.enum(['en', 'es']).optional() }),
        body: CraftHomework,
        response: { 200: MyCraft },
      },
    },
    async (req) => runInTx(db, req, (d) => myHomework(d, familyOf(req.ctx), req.params.number, req.body, req.query.lang)),
  );
  r.post(
    '/family/craft/wellbeing',
    {
      config: { auth: 'family' },
      schema: { tags, summary: 'My own PHQ-9 or GAD-7: the score in plain words, and Help now when item 9 is above "not at all"', body: WellbeingCreate, response: { 200: WellbeingResult } },
    },
    async (req) => runInTx(db, req, (d) => myWellbeing(d, familyOf(req.ctx), req.body)),
  );
}
