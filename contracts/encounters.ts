// Encounters over HTTP (issue 14, ADR 042): visit types and rooms, the day's schedule, one
// visit, recurring groups and their rosters, arrival at the front desk and attendance.
import { z } from 'zod';
import { ATTENDANCE, CANCELLED_BY, CATEGORIES, ENCOUNTER_STATUSES, MAX_CAPACITY, MAX_DURATION_MINUTES, MAX_SERIES_WEEKS, MODALITIES, TYPE_CODE } from '../core/encounters/types.ts';
import { HHMM } from '../core/messages/quiet-hours.ts';
import { Id, IsoDate, PageQuery } from './common.ts';

const Reason = z.string().trim().min(1, { message: 'must not be empty' }).max(500);
const Instant = z.iso.datetime({ offset: true, message: 'must be a date and time with its offset, e.g. 2026-03-02T15:00:00Z' });
const Duration = z.number().int().min(5, { message: 'must be at least 5 minutes' }).max(MAX_DURATION_MINUTES);
const Capacity = z.number().int().min(1).max(MAX_CAPACITY);
const Label = z.string().trim().min(1, { message: 'must not be empty' }).max(120);

export const EncounterType = z.object({
  code: z.string(),
  category: z.enum(CATEGORIES),
  counselling: z.boolean(),
  label: z.object({ en: z.string(), es: z.string() }),
  builtIn: z.boolean(),
  active: z.boolean(),
});
export const EncounterTypeCreate = z.strictObject({
  code: z.string().regex(TYPE_CODE, { message: 'must be lower-case words joined by hyphens, e.g. women-s-group' }).max(60),
  category: z.enum(CATEGORIES),
  counselling: z.boolean(),
  label: z.strictObject({ en: Label, es: Label }),
});

export const Room = z.object({ id: Id, name: z.string(), capacity: z.number().int().nullable(), active: z.boolean() });
export const RoomCreate = z.strictObject({ name: Label, capacity: Capacity.nullable().default(null) });

const Person = z.object({ id: Id, name: z.string() });

/** Someone booked on a visit as the schedule shows them: who, and whether they have arrived. No clinical detail. */
export const ScheduledParticipant = z.object({ patientId: Id, name: z.string(), arrivedAt: z.string().nullable(), cancelled: z.boolean() });

export const ScheduledVisit = z.object({
  id: Id,
  typeCode: z.string(),
  typeLabel: z.object({ en: z.string(), es: z.string() }),
  category: z.enum(CATEGORIES),
  title: z.string().nullable(),
  modality: z.enum(MODALITIES),
  startsAt: z.string(),
  endsAt: z.string(),
  staff: Person,
  room: z.object({ id: Id, name: z.string() }).nullable(),
  seriesId: Id.nullable(),
  capacity: z.number().int().nullable(),
  status: z.enum(ENCOUNTER_STATUSES),
  participants: z.array(ScheduledParticipant),
});
export const ScheduleQuery = z.strictObject({ date: IsoDate.optional(), staffId: Id.optional(), ...PageQuery });
export const Schedule = z.object({ date: z.string(), timeZone: z.string(), items: z.array(ScheduledVisit), nextCursor: z.string().nullable() });

export const Participant = ScheduledParticipant.extend({
  attendance: z.enum(ATTENDANCE).nullable(),
  attendanceReason: z.string().nullable(),
  attendanceRecordedAt: z.string().nullable(),
  attendanceRecordedBy: z.string().nullable(),
  cmEventId: Id.nullable(),
});
export const EncounterChange = z.object({
  kind: z.enum(['rescheduled', 'cancelled']),
  fromStartsAt: z.string().nullable(),
  toStartsAt: z.string().nullable(),
  reason: z.string(),
  by: z.string().nullable(),
  at: z.string(),
});

export const Encounter = ScheduledVisit.extend({
  participants: z.array(Participant),
  cancelledBy: z.enum(CANCELLED_BY).nullable(),
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  changes: z.array(EncounterChange),
});

export const EncounterCreate = z.strictObject({
  typeCode: z.string().min(1).max(60),
  modality: z.enum(MODALITIES),
  startsAt: Instant,
  durationMinutes: Duration,
  staffId: Id,
  roomId: Id.nullable().default(null),
  patientIds: z.array(Id).min(1, { message: 'must name at least one patient' }).max(MAX_CAPACITY),
  title: Label.nullable().default(null),
  capacity: Capacity.nullable().default(null),
});
export const EncounterReschedule = z.strictObject({
  startsAt: Instant,
  durationMinutes: Duration.optional(),
  staffId: Id.optional(),
  roomId: Id.nullable().optional(),
  reason: Reason,
  version: z.number().int().min(1),
});
export const EncounterCancel = z.strictObject({ by: z.enum(CANCELLED_BY), reason: Reason, version: z.number().int().min(1) });
export const ParticipantAdd = z.strictObject({ patientId: Id });
export const Arrival = z.strictObject({ patientId: Id });

export const AttendanceRecord = z.strictObject({ patientId: Id, attendance: z.enum(ATTENDANCE), reason: Reason.optional() });
/** One action for a whole group: everyone's attendance in one transaction. */
export const AttendanceCreate = z.strictObject({ records: z.array(AttendanceRecord).min(1).max(MAX_CAPACITY) });
export const AttendanceResult = z.object({
  patientId: Id,
  attendance: z.enum(ATTENDANCE),
  /** What contingency management did with it: earned (cents, draws), not earned, or why nothing was posted. */
  cm: z.object({
    posted: z.enum(['earned', 'not-earned', 'no-opportunity', 'not-enrolled', 'not-rewarded', 'day-already-recorded', 'recorded-before']),
    eventId: Id.nullable(),
    earnedCents: z.number().int(),
    newDraws: z.number().int(),
  }),
  duplicate: z.boolean(),
});
export const AttendanceRecorded = z.object({ encounter: Encounter, results: z.array(AttendanceResult) });

export const PatientEncounterQuery = z.strictObject({ ...PageQuery });
export const PatientEncounter = z.object({
  id: Id,
  typeCode: z.string(),
  typeLabel: z.object({ en: z.string(), es: z.string() }),
  title: z.string().nullable(),
  modality: z.enum(MODALITIES),
  startsAt: z.string(),
  staff: Person,
  status: z.enum(ENCOUNTER_STATUSES),
  attendance: z.enum(ATTENDANCE).nullable(),
});

export const GroupSeriesCreate = z.strictObject({
  typeCode: z.string().min(1).max(60),
  title: Label,
  modality: z.enum(MODALITIES),
  staffId: Id,
  roomId: Id.nullable().default(null),
  firstDate: IsoDate,
  weeks: z.number().int().min(1).max(MAX_SERIES_WEEKS),
  startTime: z.string().regex(HHMM, { message: 'must be a time as HH:MM (24-hour)' }),
  durationMinutes: Duration,
  capacity: Capacity,
  patientIds: z.array(Id).max(MAX_CAPACITY).default([]),
});
export const GroupSeries = z.object({
  id: Id,
  typeCode: z.string(),
  typeLabel: z.object({ en: z.string(), es: z.string() }),
  title: z.string(),
  modality: z.enum(MODALITIES),
  staff: Person,
  room: z.object({ id: Id, name: z.string() }).nullable(),
  firstDate: z.string(),
  weeks: z.number().int(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  capacity: z.number().int(),
  roster: z.array(z.object({ patientId: Id, name: z.string(), joinedAt: z.string() })),
  visits: z.array(z.object({ id: Id, startsAt: z.string(), status: z.enum(ENCOUNTER_STATUSES) })),
});
export const GroupSeriesSummary = GroupSeries.omit({ roster: true, visits: true }).extend({ members: z.number().int(), nextVisitAt: z.string().nullable() });
export const GroupSeriesQuery = z.strictObject({ ...PageQuery });
export const RosterAdd = z.strictObject({ patientId: Id });
export const RosterRemove = z.strictObject({ reason: Reason });
export const SeriesMemberParams = z.strictObject({ id: Id, patientId: Id });
export const TypeCodeParams = z.strictObject({ code: z.string().min(1).max(60) });
