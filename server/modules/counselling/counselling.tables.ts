// Counselling compliance and caseloads (issue 14, ADR 043): a programme's counselling-frequency
// rules (one row per programme; none means core's default), and who each patient's counsellor
// and peer are — one row per assignment, ended (never deleted) when the patient moves to
// someone else, so the history stays.
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CASELOAD_KINDS } from '../../../contracts/counselling.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';

/** A programme's rules (core/counselling/compliance.ts CounsellingRules); no row: the default. */
export const counsellingRules = pgTable('counselling_rules', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  rules: jsonb('rules').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export type CaseloadKind = (typeof CASELOAD_KINDS)[number];

/** A patient on a staff member's caseload, from when, until when and why (a transfer ends one and starts the next). */
export const caseloadAssignments = pgTable(
  'caseload_assignments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').$type<CaseloadKind>().notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    startedBy: uuid('started_by').references(() => users.id),
    /** Why the patient came to this person (a transfer's reason; optional for a first assignment). */
    reason: text('reason'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by').references(() => users.id),
    endReason: text('end_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'caseload_assignments_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    // one current counsellor and one current peer per patient
    uniqueIndex('caseload_assignments_current_key')
      .on(t.programId, t.patientId, t.kind)
      .where(sql`${t.endedAt} is null`),
    index('caseload_assignments_user_idx')
      .on(t.programId, t.userId, t.kind)
      .where(sql`${t.endedAt} is null`),
    index('caseload_assignments_patient_idx').on(t.programId, t.patientId),
    check('caseload_assignments_kind_check', sql`${t.kind} in (${sql.raw(CASELOAD_KINDS.map((k) => `'${k}'`).join(', '))})`),
    check('caseload_assignments_end_check', sql`(${t.endedAt} is null) = (${t.endReason} is null)`),
  ],
);
