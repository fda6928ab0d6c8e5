// Daily check-ins (patient self-report, from the app, an SMS reply, the phone line or
// staff on a call) and each programme's risk-rule settings. Self-report never touches
// CM: nothing here is read by the incentives module (docs/check-ins.md).
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SOURCES } from '../../../core/checkins/answers.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';

export const checkIns = pgTable(
  'check_ins',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The programme-local calendar day the check-in was made on (its time zone's midnight bounds it). */
    day: date('day', { mode: 'string' }).notNull(),
    /** When the check-in was made (for an offline check-in, when the patient made it). */
    madeAt: timestamp('made_at', { withTimezone: true }).notNull(),
    /** The answers (core/checkins CheckInAnswers, normalised). */
    answers: jsonb('answers').notNull(),
    /** 'app' | 'sms' | 'voice' | 'staff'. */
    source: text('source').notNull(),
    /** Chosen by the sender: an offline check-in replayed is recorded once. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** The staff member who took it (source 'staff'), else null. */
    recordedBy: uuid('recorded_by').references(() => users.id),
    /** The rules it fired and what the patient was shown: returned again to a replay. */
    outcome: jsonb('outcome').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'check_ins_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    uniqueIndex('check_ins_idempotency_key').on(t.programId, t.patientId, t.idempotencyKey),
    index('check_ins_patient_day_idx').on(t.programId, t.patientId, t.day),
    check('check_ins_source_check', sql.raw(`source in (${SOURCES.map((s) => `'${s}'`).join(', ')})`)),
  ],
);

/** A programme's risk-rule settings (core/checkins RiskRuleSettings); no row = the defaults. */
export const checkInSettings = pgTable('check_in_settings', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  rules: jsonb('rules').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
