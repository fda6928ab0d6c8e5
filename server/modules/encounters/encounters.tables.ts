// Encounters (issue 14): the clinic's visits — individual sessions, groups, family
// sessions, medication visits — and who was booked on each, with what happened to them.
// The kinds of visit and the attendance rules are in core/encounters/types.ts; a
// programme's own visit types are rows here (the built-in ones are not stored).
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid, date } from 'drizzle-orm/pg-core';
import { ATTENDANCE, CANCELLED_BY, CATEGORIES, ENCOUNTER_STATUSES, MODALITIES } from '../../../core/encounters/types.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const oneOf = (col: unknown, values: readonly string[]) => sql`${col} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

/** A programme's own visit types, beside the built-in ones (core DEFAULT_ENCOUNTER_TYPES). */
export const encounterTypes = pgTable(
  'encounter_types',
  {
    programId: uuid('program_id').notNull(),
    code: text('code').notNull(),
    category: text('category').notNull(),
    counselling: boolean('counselling').notNull(),
    labelEn: text('label_en').notNull(),
    labelEs: text('label_es').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.code] }), check('encounter_types_category_check', oneOf(t.category, CATEGORIES))],
);

/** Rooms a visit can be held in. */
export const rooms = pgTable(
  'rooms',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    capacity: integer('capacity'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] })],
);

/** A recurring group: one visit a week on the first date's weekday, for a number of weeks, with a roster. */
export const groupSeries = pgTable(
  'group_series',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    typeCode: text('type_code').notNull(),
    title: text('title').notNull(),
    modality: text('modality').notNull(),
    leadStaffId: uuid('lead_staff_id')
      .notNull()
      .references(() => users.id),
    roomId: uuid('room_id'),
    firstDate: date('first_date', { mode: 'string' }).notNull(),
    weeks: integer('weeks').notNull(),
    /** Local start time in the programme's time zone, HH:MM. */
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    capacity: integer('capacity').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'group_series_room_fk', columns: [t.programId, t.roomId], foreignColumns: [rooms.programId, rooms.id] }),
    check('group_series_modality_check', oneOf(t.modality, MODALITIES)),
  ],
);

/** Who is on a group's roster, from when (and until when, once they leave it). */
export const groupSeriesMembers = pgTable(
  'group_series_members',
  {
    programId: uuid('program_id').notNull(),
    seriesId: uuid('series_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** Why they left the roster (staff words), and who took them off it. */
    leftReason: text('left_reason'),
    leftBy: uuid('left_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.seriesId, t.patientId] }),
    foreignKey({ name: 'group_series_members_series_fk', columns: [t.programId, t.seriesId], foreignColumns: [groupSeries.programId, groupSeries.id] }),
    foreignKey({ name: 'group_series_members_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
  ],
);

/** One visit on the schedule. */
export const encounters = pgTable(
  'encounters',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    typeCode: text('type_code').notNull(),
    modality: text('modality').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** The staff member who leads it (whose calendar it is on). */
    staffId: uuid('staff_id')
      .notNull()
      .references(() => users.id),
    roomId: uuid('room_id'),
    seriesId: uuid('series_id'),
    /** A group's own name (null for a one-patient visit). */
    title: text('title'),
    capacity: integer('capacity'),
    status: text('status').notNull().default('scheduled'),
    cancelledBy: text('cancelled_by'),
    cancelReason: text('cancel_reason'),
    /** Moved by every change (optimistic concurrency for rescheduling and cancelling). */
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'encounters_room_fk', columns: [t.programId, t.roomId], foreignColumns: [rooms.programId, rooms.id] }),
    foreignKey({ name: 'encounters_series_fk', columns: [t.programId, t.seriesId], foreignColumns: [groupSeries.programId, groupSeries.id] }),
    index('encounters_starts_idx').on(t.programId, t.startsAt),
    index('encounters_staff_starts_idx').on(t.programId, t.staffId, t.startsAt),
    index('encounters_series_idx').on(t.programId, t.seriesId),
    check('encounters_modality_check', oneOf(t.modality, MODALITIES)),
    check('encounters_status_check', oneOf(t.status, ENCOUNTER_STATUSES)),
    check('encounters_cancelled_by_check', oneOf(t.cancelledBy, CANCELLED_BY)),
    check('encounters_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A person booked on a visit: arrival (the front desk) and attendance (the clinician), each once. */
export const encounterParticipants = pgTable(
  'encounter_participants',
  {
    programId: uuid('program_id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** Checked in at the front desk. */
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    arrivalRecordedBy: uuid('arrival_recorded_by').references(() => users.id),
    attendance: text('attendance'),
    attendanceReason: text('attendance_reason'),
    attendanceRecordedBy: uuid('attendance_recorded_by').references(() => users.id),
    attendanceRecordedAt: timestamp('attendance_recorded_at', { withTimezone: true }),
    /** The CM attendance event this attendance posted (null when none). */
    cmEventId: uuid('cm_event_id'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.encounterId, t.patientId] }),
    foreignKey({ name: 'encounter_participants_encounter_fk', columns: [t.programId, t.encounterId], foreignColumns: [encounters.programId, encounters.id] }),
    foreignKey({ name: 'encounter_participants_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    index('encounter_participants_patient_idx').on(t.programId, t.patientId),
    check('encounter_participants_attendance_check', oneOf(t.attendance, ATTENDANCE)),
  ],
);

/** Every reschedule and cancellation of a visit, with its reason (append-only: a trigger refuses UPDATE and DELETE). */
export const encounterChanges = pgTable(
  'encounter_changes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    kind: text('kind').notNull(),
    fromStartsAt: timestamp('from_starts_at', { withTimezone: true }),
    toStartsAt: timestamp('to_starts_at', { withTimezone: true }),
    reason: text('reason').notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'encounter_changes_encounter_fk', columns: [t.programId, t.encounterId], foreignColumns: [encounters.programId, encounters.id] }),
    index('encounter_changes_encounter_idx').on(t.programId, t.encounterId),
    check('encounter_changes_kind_check', sql`${t.kind} in ('rescheduled', 'cancelled')`),
  ],
);
