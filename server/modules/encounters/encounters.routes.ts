// Encounters over HTTP (issue 14, ADR 042). The schedule (read:schedule) carries no
// clinical detail and is what the front desk sees, with arrival (check-in:encounter);
// booking, moving and cancelling need write:schedule; a visit with everyone's attendance
// and a patient's visit history need read:encounter; attendance needs write:attendance.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { IdParams, PatientParams, pageOf } from '../../../contracts/common.ts';
import {
  Arrival,
  AttendanceCreate,
  AttendanceRecorded,
  Encounter,
  EncounterCancel,
  EncounterCreate,
  EncounterReschedule,
  EncounterType,
  EncounterTypeCreate,
  GroupSeries,
  GroupSeriesCreate,
  GroupSeriesQuery,
  GroupSeriesSummary,
  ParticipantAdd,
  PatientEncounter,
  PatientEncounterQuery,
  Room,
  RoomCreate,
  RosterAdd,
  RosterRemove,
  Schedule,
  ScheduledVisit,
  ScheduleQuery,
  SeriesMemberParams,
} from '../../../contracts/encounters.ts';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { recordAttendance } from './attendance.ts';
import { createType, listTypes } from './encounter-types.ts';
import { createRoom, listRooms } from './rooms.ts';
import { addParticipant, bookEncounter, cancelEncounter, daySchedule, getEncounter, patientEncounters, recordArrival, rescheduleEncounter } from './schedule.ts';
import { addToRoster, createSeries, getSeries, listSeries, removeFromRoster } from './series.ts';

export function encountersRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['encounters'];

  // ---- visit types and rooms ----
  r.get(
    '/encounter-types',
    {
      config: { permission: 'read:schedule' },
      schema: { tags, summary: 'The programme’s visit types: the built-in ones and its own', response: { 200: z.object({ items: z.array(EncounterType) }) } },
    },
    async (req) => ({ items: await runInTx(db, req, (d) => listTypes(d)) }),
  );
  r.post(
    '/encounter-types',
    {
      config: { permission: 'manage:encounter-settings' },
      schema: { tags, summary: 'Add a visit type of the programme’s own (a built-in code or one in use is 409)', body: EncounterTypeCreate, response: { 200: EncounterType } },
    },
    async (req) => runInTx(db, req, (d) => createType(d, req.body)),
  );
  r.get('/rooms', { config: { permission: 'read:schedule' }, schema: { tags, summary: 'The programme’s rooms', response: { 200: z.object({ items: z.array(Room) }) } } }, async (req) =>
    runInTx(db, req, (d) => listRooms(d)),
  );
  r.post('/rooms', { config: { permission: 'manage:encounter-settings' }, schema: { tags, summary: 'Add a room', body: RoomCreate, response: { 200: Room } } }, async (req) =>
    runInTx(db, req, (d) => createRoom(d, req.body)),
  );

  // ---- the schedule ----
  r.get(
    '/schedule',
    {
      config: { permission: 'read:schedule' },
      schema: {
        tags,
        summary: 'A day’s visits in time order (default today, in the programme’s time zone; optionally one staff member’s; paginated): who is booked and who has arrived',
        querystring: ScheduleQuery,
        response: { 200: Schedule },
      },
    },
    async (req) => runInTx(db, req, (d) => daySchedule(d, req.query)),
  );
  r.post(
    '/encounters',
    {
      config: { permission: 'write:schedule', idempotent: true },
      schema: { tags, summary: 'Book a visit for one patient, or a group or family visit for several', body: EncounterCreate, response: { 200: Encounter } },
    },
    async (req) => (await runIdempotent(db, req, (d) => bookEncounter(d, req.body))).body,
  );
  r.get(
    '/encounters/:id',
    { config: { permission: 'read:encounter' }, schema: { tags, summary: 'A visit with everyone’s attendance and its reschedules and cancellation', params: IdParams, response: { 200: Encounter } } },
    async (req) => runInTx(db, req, (d) => getEncounter(d, req.params.id)),
  );
  r.post(
    '/encounters/:id/reschedule',
    {
      config: { permission: 'write:schedule' },
      schema: {
        tags,
        summary: 'Move a visit (time, length, staff, room) with a reason; the version it was read at (409 stale_version)',
        params: IdParams,
        body: EncounterReschedule,
        response: { 200: Encounter },
      },
    },
    async (req) => runInTx(db, req, (d) => rescheduleEncounter(d, req.params.id, req.body)),
  );
  r.post(
    '/encounters/:id/cancel',
    {
      config: { permission: 'write:schedule' },
      schema: { tags, summary: 'Cancel a visit, by the patient or the clinic, with a reason', params: IdParams, body: EncounterCancel, response: { 200: Encounter } },
    },
    async (req) => runInTx(db, req, (d) => cancelEncounter(d, req.params.id, req.body)),
  );
  r.post(
    '/encounters/:id/participants',
    {
      config: { permission: 'write:schedule' },
      schema: { tags, summary: 'Book one more person on a group or family visit (409 when full)', params: IdParams, body: ParticipantAdd, response: { 200: Encounter } },
    },
    async (req) => runInTx(db, req, (d) => addParticipant(d, req.params.id, req.body.patientId)),
  );
  r.post(
    '/encounters/:id/arrivals',
    {
      config: { permission: 'check-in:encounter' },
      schema: { tags, summary: 'The front desk: a booked person has arrived (once; a repeat answers the first)', params: IdParams, body: Arrival, response: { 200: ScheduledVisit } },
    },
    async (req) => runInTx(db, req, (d) => recordArrival(d, req.params.id, req.body.patientId)),
  );
  r.post(
    '/encounters/:id/attendance',
    {
      config: { permission: 'write:attendance', idempotent: true },
      schema: {
        tags,
        summary: 'Attendance for one person or a whole group in one action; posts the CM attendance event for each enrolled patient in the same transaction',
        params: IdParams,
        body: AttendanceCreate,
        response: { 200: AttendanceRecorded },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => recordAttendance(d, req.params.id, req.body))).body,
  );
  r.get(
    '/patients/:patientId/encounters',
    {
      config: { permission: 'read:encounter' },
      schema: { tags, summary: 'A patient’s visits, newest first (paginated)', params: PatientParams, querystring: PatientEncounterQuery, response: { 200: pageOf(PatientEncounter) } },
    },
    async (req) => runInTx(db, req, (d) => patientEncounters(d, req.params.patientId, req.query)),
  );

  // ---- recurring groups ----
  r.get(
    '/group-series',
    {
      config: { permission: 'read:schedule' },
      schema: { tags, summary: 'The programme’s recurring groups by title (paginated)', querystring: GroupSeriesQuery, response: { 200: pageOf(GroupSeriesSummary) } },
    },
    async (req) => runInTx(db, req, (d) => listSeries(d, req.query)),
  );
  r.post(
    '/group-series',
    {
      config: { permission: 'write:schedule', idempotent: true },
      schema: { tags, summary: 'A weekly group for a number of weeks, with its roster: every visit is booked at once', body: GroupSeriesCreate, response: { 200: GroupSeries } },
    },
    async (req) => (await runIdempotent(db, req, (d) => createSeries(d, req.body))).body,
  );
  r.get(
    '/group-series/:id',
    { config: { permission: 'read:schedule' }, schema: { tags, summary: 'A recurring group with its roster and visits', params: IdParams, response: { 200: GroupSeries } } },
    async (req) => runInTx(db, req, (d) => getSeries(d, req.params.id)),
  );
  r.post(
    '/group-series/:id/members',
    {
      config: { permission: 'write:schedule' },
      schema: { tags, summary: 'Add someone to the roster: booked on every visit still to come (409 when full)', params: IdParams, body: RosterAdd, response: { 200: GroupSeries } },
    },
    async (req) => runInTx(db, req, (d) => addToRoster(d, req.params.id, req.body.patientId)),
  );
  r.post(
    '/group-series/:id/members/:patientId/remove',
    {
      config: { permission: 'write:schedule' },
      schema: { tags, summary: 'Take someone off the roster, with a reason: off the visits still to come', params: SeriesMemberParams, body: RosterRemove, response: { 200: GroupSeries } },
    },
    async (req) => runInTx(db, req, (d) => removeFromRoster(d, req.params.id, req.params.patientId, req.body.reason)),
  );
}
