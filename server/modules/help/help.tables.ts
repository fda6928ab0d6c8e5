// Help now (issue 12, ADR 037): a programme's help settings (crisis and after-hours lines,
// the clinic's number, naloxone places) and each patient's personal safety plan — the
// plan's current version, and every saved version, immutable (a trigger refuses UPDATE and
// DELETE), with who saved it: the patient (from the app) or a staff member (the console).
import { check, foreignKey, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';

/** One row per programme (none until an administrator saves): core/help/settings.ts HelpSettings. */
export const programHelpSettings = pgTable('program_help_settings', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  settings: jsonb('settings').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A patient's safety plan: which version is current (the optimistic-concurrency check reads and moves it). */
export const safetyPlans = pgTable(
  'safety_plans',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    currentVersion: integer('current_version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId] }), foreignKey({ name: 'safety_plans_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] })],
);

/** Every saved version of a safety plan (core/help/safety-plan.ts SafetyPlanContent), never changed. */
export const safetyPlanVersions = pgTable(
  'safety_plan_versions',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    version: integer('version').notNull(),
    content: jsonb('content').notNull(),
    /** Which parts changed against the version before (names only). */
    changedSections: text('changed_sections').array().notNull(),
    /** 'patient' (the app) or 'staff' (the console). */
    savedByKind: text('saved_by_kind').notNull(),
    /** The staff member, when savedByKind is 'staff'. */
    savedBy: uuid('saved_by').references(() => users.id),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.patientId, t.version] }),
    foreignKey({ name: 'safety_plan_versions_plan_fk', columns: [t.programId, t.patientId], foreignColumns: [safetyPlans.programId, safetyPlans.patientId] }),
    check('safety_plan_versions_saved_by_check', sql`(${t.savedByKind} = 'patient' and ${t.savedBy} is null) or (${t.savedByKind} = 'staff' and ${t.savedBy} is not null)`),
  ],
);
