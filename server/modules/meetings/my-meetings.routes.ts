// A patient's chosen meetings, attendance and the programme's public feed over HTTP (issue 15,
// ADR 048, docs/meetings.md).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { PatientParams } from '../../../contracts/common.ts';
import {
  AttendanceCode,
  AttendanceList,
  AttendanceQuery,
  AttendanceResult,
  ChooseMeeting,
  ChosenMeetings,
  MeetingIdParams,
  PatientMeetingsView,
  SelfAttendance,
  VerifyAttendance,
} from '../../../contracts/my-meetings.ts';
import type { Db } from '../../platform/db/database.ts';
import { patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { attendanceCode, markAttended, myAttendance, verifyAttendance } from './attendance.ts';
import { programmeFeed } from './feed.ts';
import { chooseMeeting, myCalendar, myMeetings, patientMeetingsView, removeMeeting } from './my-meetings.ts';

/** Staff (/api/v1). */
export function myMeetingsStaffRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['meetings'];
  r.get(
    '/meetings/:id/attendance-code',
    {
      config: { permission: 'write:meetings' },
      schema: {
        tags,
        summary: 'The rotating attendance code an in-house meeting shows now (as a QR code of the app URL and 6 digits); it changes every stepSeconds',
        errors: [404, 409],
        params: MeetingIdParams,
        response: { 200: AttendanceCode },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return runInTx(db, req, (d) => attendanceCode(d, req.params.id));
    },
  );
  r.get(
    '/patients/:patientId/meetings',
    {
      config: { permission: 'read:meetings' },
      schema: { tags, summary: 'The patient’s chosen meetings and their meeting attendance (newest 100), bounded', errors: [404], params: PatientParams, response: { 200: PatientMeetingsView } },
    },
    async (req) => runInTx(db, req, (d) => patientMeetingsView(d, req.params.patientId)),
  );
}

/** The patient app (/api/patient). */
export function myMeetingsPatientRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];
  r.get(
    '/my-meetings',
    { config: { auth: 'patient' }, schema: { tags, operationId: 'getPatientChosenMeetings', summary: 'The meetings the patient chose (bounded: at most 50)', response: { 200: ChosenMeetings } } },
    async (req) => runInTx(db, req, (d) => myMeetings(d, patientOf(req.ctx))),
  );
  r.post(
    '/my-meetings',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'choosePatientMeeting',
        summary: 'Add a meeting to the patient’s list (again: no change)',
        errors: [404, 409],
        body: ChooseMeeting,
        response: { 200: ChosenMeetings },
      },
    },
    async (req) => runInTx(db, req, (d) => chooseMeeting(d, patientOf(req.ctx), req.body.meetingId)),
  );
  r.delete(
    '/my-meetings/:id',
    {
      config: { auth: 'patient' },
      schema: { tags, operationId: 'removePatientMeeting', summary: 'Remove a meeting from the patient’s list', params: MeetingIdParams, response: { 200: ChosenMeetings } },
    },
    async (req) => runInTx(db, req, (d) => removeMeeting(d, patientOf(req.ctx), req.params.id)),
  );
  r.get(
    '/my-meetings/calendar.ics',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientMeetingsCalendar',
        summary: 'The patient’s meetings as an iCalendar file (weekly events in each meeting’s time zone)',
        querystring: z.strictObject({ lang: z.enum(['en', 'es']).default('en') }),
        response: { 200: z.string() },
      },
    },
    async (req, reply) => {
      const body = await runInTx(db, req, (d) => myCalendar(d, patientOf(req.ctx), req.query.lang));
      void reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="meetings.ics"').header('cache-control', 'no-store');
      return body;
    },
  );
  r.post(
    '/my-meetings/:id/attended',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'markPatientMeetingAttended',
        summary: 'Mark a meeting attended (self-report: one per meeting and day; never counts for CM)',
        errors: [404],
        params: MeetingIdParams,
        body: SelfAttendance,
        response: { 200: AttendanceResult },
      },
    },
    async (req) => runInTx(db, req, (d) => markAttended(d, patientOf(req.ctx), req.params.id, req.body)),
  );
  r.post(
    '/my-meetings/verify',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'verifyPatientMeetingAttendance',
        summary: 'Verify attendance with the code an in-house meeting shows; verified attendance may count for a CM attendance target (once a day)',
        errors: [404, 409],
        body: VerifyAttendance,
        response: { 200: AttendanceResult },
      },
    },
    async (req) => runInTx(db, req, (d) => verifyAttendance(d, patientOf(req.ctx), req.body)),
  );
  r.get(
    '/my-meetings/attendance',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'getPatientMeetingAttendance',
        summary: 'The patient’s own meeting attendance, newest first (limit)',
        querystring: AttendanceQuery,
        response: { 200: AttendanceList },
      },
    },
    async (req) => runInTx(db, req, (d) => myAttendance(d, patientOf(req.ctx), req.query)),
  );
}

/** Public (no session): the programme's own groups as a Meeting Guide feed. */
export function meetingFeedRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/meetings/feed/:file',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['meetings'],
        operationId: 'getProgrammeMeetingFeed',
        summary: 'The programme’s own groups as a Meeting Guide JSON feed (PROGRAMME-ID.json); bounded; no patient data',
        params: z.strictObject({ file: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/, { message: 'must be PROGRAMME-ID.json' }) }),
        response: { 200: z.array(z.record(z.string(), z.unknown())) },
      },
    },
    async (req, reply) => {
      const programId = req.params.file.slice(0, -'.json'.length);
      const feed = await runInTx(db, req, ({ tx }) => programmeFeed(tx, programId));
      void reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
      return feed;
    },
  );
}
