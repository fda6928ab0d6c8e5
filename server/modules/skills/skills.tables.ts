// Skills (issue 13): the programme's own modules (built-in ones are files in content/skills),
// what a counsellor assigned, how far each patient got in each module, what they entered in
// the exercises and homework, and the counsellor's comments on it.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

/**
 * A programme's own module, one row per version. A draft may be edited; publishing freezes
 * it (patients' progress names the version they worked on); a change is a new version.
 */
export const skillModules = pgTable(
  'skill_modules',
  {
    programId: uuid('program_id').notNull(),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    /** draft | published | retired (retired: no longer offered or assignable; progress kept). */
    status: text('status').notNull(),
    /** The module document (core/skills/module.ts SkillsModule), its key and version equal to the row's. */
    content: jsonb('content').notNull(),
    /** The built-in module it was started from, if any. */
    basedOn: text('based_on'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: ts('published_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.key, t.version] }),
    check('skill_modules_status_check', sql`${t.status} in ('draft', 'published', 'retired')`),
    uniqueIndex('skill_modules_one_draft')
      .on(t.programId, t.key)
      .where(sql`status = 'draft'`),
  ],
);

/** A module a counsellor assigned to a patient, with a due date, perhaps from a care plan's intervention. */
export const skillAssignments = pgTable(
  'skill_assignments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    moduleKey: text('module_key').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    carePlanId: uuid('care_plan_id'),
    interventionId: text('intervention_id'),
    /** open | cancelled */
    status: text('status').notNull(),
    assignedBy: uuid('assigned_by')
      .notNull()
      .references(() => users.id),
    assignedAt: ts('assigned_at').notNull(),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'skill_assignments_patient_fk'),
    check('skill_assignments_status_check', sql`${t.status} in ('open', 'cancelled')`),
    uniqueIndex('skill_assignments_one_open')
      .on(t.programId, t.patientId, t.moduleKey)
      .where(sql`status = 'open'`),
    index('skill_assignments_module_idx').on(t.programId, t.moduleKey),
  ],
);

/**
 * How far a patient got in a module: one row per patient and module, from the first screen
 * they opened. Screens only move forward (a screen sent late changes nothing); completing
 * posts the CM `module` event once (cmEventId) when the patient's protocol rewards modules.
 */
export const skillProgress = pgTable(
  'skill_progress',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    moduleKey: text('module_key').notNull(),
    version: integer('version').notNull(),
    /** How many screens the version has, and the furthest the patient reached (0-based). */
    screens: integer('screens').notNull(),
    furthestScreen: integer('furthest_screen').notNull(),
    startedAt: ts('started_at').notNull(),
    lastActiveAt: ts('last_active_at').notNull(),
    completedAt: ts('completed_at'),
    /** The assignment that was open when it was completed (a completion of an assigned module earns). */
    assignmentId: uuid('assignment_id'),
    cmEventId: uuid('cm_event_id'),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId, t.moduleKey] }), patientRef(t, 'skill_progress_patient_fk'), index('skill_progress_module_idx').on(t.programId, t.moduleKey)],
);

/** What a patient entered in an exercise or as homework (core/skills/exercises.ts), once per id the app chose. */
export const skillEntries = pgTable(
  'skill_entries',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    moduleKey: text('module_key').notNull(),
    version: integer('version').notNull(),
    /** The screen's id, or 'homework'. */
    stepId: text('step_id').notNull(),
    homework: boolean('homework').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    /** When the patient made it (on the phone, perhaps offline); when the server got it. */
    enteredAt: ts('entered_at').notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'skill_entries_patient_fk'), index('skill_entries_patient_idx').on(t.programId, t.patientId, t.enteredAt)],
);

/** A counsellor's review of an entry, with the comment the patient sees (never edited; a new one adds). */
export const skillReviews = pgTable(
  'skill_reviews',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    entryId: uuid('entry_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    comment: text('comment'),
    reviewedBy: uuid('reviewed_by')
      .notNull()
      .references(() => users.id),
    reviewedAt: ts('reviewed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'skill_reviews_entry_fk', columns: [t.programId, t.entryId], foreignColumns: [skillEntries.programId, skillEntries.id] }),
    index('skill_reviews_entry_idx').on(t.programId, t.entryId),
    index('skill_reviews_patient_idx').on(t.programId, t.patientId),
  ],
);
