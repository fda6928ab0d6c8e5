// Care plans: the plan row (current state, for lists and the review work list), its
// immutable versions (who changed what), a projection of the current goals (FHIR Goal),
// and the patient's agreement to a version. Every key includes program_id.
import { date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

export const carePlans = pgTable(
  'care_plans',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** 'draft' | 'active' | 'completed' | 'revoked' (of the current version). */
    status: text('status').notNull(),
    title: text('title').notNull(),
    currentVersion: integer('current_version').notNull(),
    reviewDate: date('review_date', { mode: 'string' }).notNull(),
    /** Every staff member responsible for a goal or an intervention in the current version. */
    responsibleStaffIds: uuid('responsible_staff_ids').array().notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'care_plans_patient_fk'),
    index('care_plans_patient_idx').on(t.programId, t.patientId),
    index('care_plans_review_idx').on(t.programId, t.reviewDate),
  ],
);

/** Immutable (a trigger refuses UPDATE and DELETE): one row per saved version. */
export const carePlanVersions = pgTable(
  'care_plan_versions',
  {
    programId: uuid('program_id').notNull(),
    planId: uuid('plan_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    /** { title, problems, goals, interventions, reviewDate } as saved. */
    content: jsonb('content').notNull(),
    /** What changed against the previous version: [{ path, change }] (ids and field names only). */
    changes: jsonb('changes').notNull(),
    note: text('note'),
    changedBy: uuid('changed_by')
      .notNull()
      .references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.planId, t.version] }),
    foreignKey({ name: 'care_plan_versions_plan_fk', columns: [t.programId, t.planId], foreignColumns: [carePlans.programId, carePlans.id] }),
  ],
);

/** The goals of each plan's current version (FHIR Goal read and search). Replaced on every new version. */
export const carePlanGoals = pgTable(
  'care_plan_goals',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    planVersion: integer('plan_version').notNull(),
    goal: jsonb('goal').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'care_plan_goals_plan_fk', columns: [t.programId, t.planId], foreignColumns: [carePlans.programId, carePlans.id] }),
    index('care_plan_goals_patient_idx').on(t.programId, t.patientId),
  ],
);

/** The patient's agreement to one version of a plan: who, when, how, recorded by whom. */
export const carePlanAgreements = pgTable(
  'care_plan_agreements',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    version: integer('version').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** 'patient' | 'legal-representative' */
    agreedBy: text('agreed_by').notNull(),
    representativeName: text('representative_name'),
    /** 'verbal' | 'signed-paper' | 'signed-electronic' */
    method: text('method').notNull(),
    agreedAt: timestamp('agreed_at', { withTimezone: true }).notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({
      name: 'care_plan_agreements_version_fk',
      columns: [t.programId, t.planId, t.version],
      foreignColumns: [carePlanVersions.programId, carePlanVersions.planId, carePlanVersions.version],
    }),
    index('care_plan_agreements_plan_idx').on(t.programId, t.planId),
  ],
);
