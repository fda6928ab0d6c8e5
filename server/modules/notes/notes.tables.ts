// Notes (issue 14, ADR 041): progress notes on a visit, with their addenda, and SUD
// counselling notes kept apart (42 CFR Part 2) in tables of their own, with the explicit
// grants that are the only way anyone but the author reads one. A signed note is locked in
// the database itself (a trigger refuses UPDATE and DELETE of a signed row); addenda,
// co-signatures and grants' history are never removed.
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { TEMPLATES } from '../../../core/notes/templates.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const oneOf = (col: unknown, values: readonly string[]) => sql`${col} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

/** A progress note: a draft (its author edits it) until signed, then locked. A group's shared part has no patient. */
export const progressNotes = pgTable(
  'progress_notes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    /** The person the note is about (booked on the visit); null for a group's shared part. */
    patientId: uuid('patient_id'),
    template: text('template').notNull(),
    /** { sectionKey: text } for the template's sections (core/notes/templates.ts). */
    sections: jsonb('sections').notNull(),
    /** Care-plan goal ids (care_plan_goals of the patient's current plan when linked). */
    goalIds: uuid('goal_ids').array().notNull(),
    status: text('status').notNull().default('draft'),
    version: integer('version').notNull().default(1),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    /** Named at signing for staff under supervision; the note awaits their co-signature. */
    cosignerId: uuid('cosigner_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'progress_notes_encounter_fk', columns: [t.programId, t.encounterId], foreignColumns: [encounters.programId, encounters.id] }),
    foreignKey({ name: 'progress_notes_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    index('progress_notes_encounter_idx').on(t.programId, t.encounterId),
    index('progress_notes_patient_idx').on(t.programId, t.patientId),
    index('progress_notes_cosigner_idx').on(t.programId, t.cosignerId),
    check('progress_notes_template_check', oneOf(t.template, TEMPLATES)),
    check('progress_notes_status_check', sql`${t.status} in ('draft', 'signed')`),
    check('progress_notes_signed_check', sql`(${t.status} = 'draft') = (${t.signedAt} is null)`),
    check('progress_notes_shared_part_check', sql`(${t.template} = 'group') = (${t.patientId} is null)`),
  ],
);

/** A co-signature of a signed note (at most one per note; append-only). */
export const progressNoteCosignatures = pgTable(
  'progress_note_cosignatures',
  {
    programId: uuid('program_id').notNull(),
    noteId: uuid('note_id').notNull(),
    cosignedBy: uuid('cosigned_by')
      .notNull()
      .references(() => users.id),
    cosignedAt: timestamp('cosigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.noteId] }),
    foreignKey({ name: 'progress_note_cosignatures_note_fk', columns: [t.programId, t.noteId], foreignColumns: [progressNotes.programId, progressNotes.id] }),
  ],
);

/** What was added to a signed note afterwards (append-only). */
export const progressNoteAddenda = pgTable(
  'progress_note_addenda',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    noteId: uuid('note_id').notNull(),
    text: text('text').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'progress_note_addenda_note_fk', columns: [t.programId, t.noteId], foreignColumns: [progressNotes.programId, progressNotes.id] }),
    index('progress_note_addenda_note_idx').on(t.programId, t.noteId),
  ],
);

/**
 * SUD counselling notes kept apart (42 CFR Part 2 §2.11 "psychotherapy notes" as amended in
 * 2024): the contents of a counselling session, separate from the rest of the record. Read
 * by the author and those granted only; never exported, never FHIR, never in a disclosure.
 */
export const counsellingNotes = pgTable(
  'counselling_notes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    encounterId: uuid('encounter_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('draft'),
    version: integer('version').notNull().default(1),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'counselling_notes_encounter_fk', columns: [t.programId, t.encounterId], foreignColumns: [encounters.programId, encounters.id] }),
    foreignKey({ name: 'counselling_notes_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    index('counselling_notes_encounter_idx').on(t.programId, t.encounterId),
    check('counselling_notes_status_check', sql`${t.status} in ('draft', 'signed')`),
    check('counselling_notes_signed_check', sql`(${t.status} = 'draft') = (${t.signedAt} is null)`),
  ],
);

/** Who besides the author may read a counselling note: granted by the author or an administrator, until revoked. */
export const counsellingNoteGrants = pgTable(
  'counselling_note_grants',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    noteId: uuid('note_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    grantedBy: uuid('granted_by')
      .notNull()
      .references(() => users.id),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'counselling_note_grants_note_fk', columns: [t.programId, t.noteId], foreignColumns: [counsellingNotes.programId, counsellingNotes.id] }),
    index('counselling_note_grants_note_idx').on(t.programId, t.noteId, t.userId),
    /** At most one open grant per person and note. */
    uniqueIndex('counselling_note_grants_open_idx')
      .on(t.programId, t.noteId, t.userId)
      .where(sql`revoked_at is null`),
    check('counselling_note_grants_revoked_check', sql`(${t.revokedBy} is null) = (${t.revokedAt} is null)`),
  ],
);
