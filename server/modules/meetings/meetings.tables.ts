// The meeting directory (issue 15, docs/meetings.md): where a programme's meetings come from
// (a Meeting Guide feed, a BMLT server, an uploaded file) and the meetings themselves, one
// row per meeting and weekday in the model of core/meetings/model.ts. Manual entries have no
// source. A meeting a source no longer lists is kept, inactive.
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A feed the programme imports meetings from: by URL (re-imported on a schedule) or by upload. */
export const meetingSources = pgTable(
  'meeting_sources',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    /** The programme's name for it (`waypoint meetings import --source NAME`), unique in the programme. */
    name: text('name').notNull(),
    /** meeting-guide | bmlt */
    format: text('format').notNull(),
    /** Where it is fetched from; null for a source fed by uploads or the command line only. */
    url: text('url'),
    /** The time zone of records that name none. */
    defaultTimeZone: text('default_time_zone').notNull(),
    /** Hours between scheduled re-imports of a URL source. */
    refreshHours: integer('refresh_hours').notNull().default(24),
    /** The fellowship of its meetings (core/meetings/model.ts FELLOWSHIPS); null: `aa` for Meeting Guide, `na` for BMLT. */
    defaultFellowship: text('default_fellowship'),
    /** The last answer's validators, sent back as If-None-Match / If-Modified-Since. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    lastImportAt: ts('last_import_at'),
    /** When a URL source was last fetched (a 304 included): the schedule counts from here. */
    lastFetchAt: ts('last_fetch_at'),
    /** The last import's counts and rejected records ({added, updated, inactivated, rejected}). */
    lastImportResult: jsonb('last_import_result'),
    /** Why the last fetch failed, if it did (no patient data: a status or a network error). */
    lastError: text('last_error'),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    uniqueIndex('meeting_sources_name').on(t.programId, t.name),
    check('meeting_sources_format_check', sql`${t.format} in ('meeting-guide', 'bmlt')`),
  ],
);

/** One meeting on one weekday. */
export const meetings = pgTable(
  'meetings',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    /** The source it was imported from; null for a manual entry. */
    sourceId: uuid('source_id'),
    /** Its key within the source (core/meetings/model.ts Meeting.key); null for a manual entry. */
    sourceKey: text('source_key'),
    fellowship: text('fellowship').notNull(),
    name: text('name').notNull(),
    weekday: smallint('weekday').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time'),
    timeZone: text('time_zone').notNull(),
    mode: text('mode').notNull(),
    locationName: text('location_name'),
    address: text('address'),
    postalCode: text('postal_code'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    conferenceUrl: text('conference_url'),
    conferencePhone: text('conference_phone'),
    languages: text('languages').array().notNull(),
    types: text('types').array().notNull(),
    notes: text('notes'),
    /** A digest of the fields above as last imported: a re-import compares it to find what changed. */
    contentHash: text('content_hash'),
    /** False once its source stops listing it (kept for attendance already recorded), or retired by staff. */
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    inactivatedAt: ts('inactivated_at'),
    /** Who entered or last edited a manual entry. */
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    uniqueIndex('meetings_source_key').on(t.programId, t.sourceId, t.sourceKey),
    index('meetings_search_idx').on(t.programId, t.active, t.weekday),
    check('meetings_weekday_check', sql`${t.weekday} between 0 and 6`),
    check('meetings_mode_check', sql`${t.mode} in ('in-person', 'online', 'hybrid')`),
    check('meetings_source_check', sql`(${t.sourceId} is null) = (${t.sourceKey} is null)`),
  ],
);

// ---------- a patient's meetings and attendance (M3, docs/meetings.md, ADR 048) ----------

/** A meeting a patient chose (their list, and their calendar); removing it keeps the row, with removedAt. */
export const patientMeetings = pgTable(
  'patient_meetings',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    addedAt: ts('added_at').notNull(),
    removedAt: ts('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId, t.meetingId] })],
);

/** A meeting a patient attended, one per meeting and local day: self-reported, or verified with the meeting's rotating code. */
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    /** The local date (YYYY-MM-DD) in the meeting's time zone. */
    attendedOn: text('attended_on').notNull(),
    /** self | verified */
    how: text('how').notNull(),
    recordedAt: ts('recorded_at').notNull(),
    verifiedAt: ts('verified_at'),
    /** The CM attendance event it posted (verified attendance of an enrolled patient only). */
    cmEventId: uuid('cm_event_id'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    uniqueIndex('meeting_attendance_day').on(t.programId, t.patientId, t.meetingId, t.attendedOn),
    index('meeting_attendance_patient_idx').on(t.programId, t.patientId, t.attendedOn),
    check('meeting_attendance_how_check', sql`${t.how} in ('self', 'verified')`),
  ],
);

/** The secret an in-house meeting's rotating attendance code is made from (never sent to patients). */
export const meetingCodeSecrets = pgTable(
  'meeting_code_secrets',
  {
    programId: uuid('program_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    /** 32 random bytes, base64url. */
    secret: text('secret').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.meetingId] })],
);

/** A MOUD-friendliness judgement of a meeting (history kept; the latest unexpired one is current, core/meetings/friendliness.ts). */
export const meetingFriendliness = pgTable(
  'meeting_friendliness',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    /** welcoming | mixed | restrictive | unknown */
    friendliness: text('friendliness').notNull(),
    /** stated-policy | staff-visit | patient-reports */
    evidence: text('evidence').notNull(),
    /** What was seen or read (no patient data). */
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
    /** After this it counts as unknown; null: does not expire. */
    expiresAt: ts('expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    index('meeting_friendliness_meeting').on(t.programId, t.meetingId, t.recordedAt),
    check('meeting_friendliness_value_check', sql`${t.friendliness} in ('welcoming', 'mixed', 'restrictive', 'unknown')`),
    check('meeting_friendliness_evidence_check', sql`${t.evidence} in ('stated-policy', 'staff-visit', 'patient-reports')`),
  ],
);

/** A patient's answer to "Did you feel welcome as someone on medication?": one per patient and meeting, the latest wins. */
export const meetingWelcomeReports = pgTable(
  'meeting_welcome_reports',
  {
    programId: uuid('program_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** yes | somewhat | no */
    answer: text('answer').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.meetingId, t.patientId] }), check('meeting_welcome_reports_answer_check', sql`${t.answer} in ('yes', 'somewhat', 'no')`)],
);
