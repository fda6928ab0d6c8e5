// Levels of care (issue 14, ADR 044): residential and therapeutic-community stays with their
// phases (the current phase on the stay, every move in an append-only history), and
// medication visits — take-home schedules as the prescriber records them and
// extended-release naltrexone injections, both append-only. The rules are in
// core/levels-of-care; a programme's phase template and take-home tiers are one settings row.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ASAM_LEVELS } from '../../../core/levels-of-care/asam.ts';
import { users } from '../identity/identity.tables.ts';
import { episodes, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';

const oneOf = (col: unknown, values: readonly string[]) => sql`${col} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

/** One row per programme (none until an administrator saves: the core defaults apply). */
export const levelOfCareSettings = pgTable('level_of_care_settings', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  /** core/levels-of-care/phases.ts PhaseTemplate: what a new stay starts with. */
  phaseTemplate: jsonb('phase_template').notNull(),
  /** core/levels-of-care/take-homes.ts TakeHomeTier[]. */
  takeHomeTiers: jsonb('take_home_tiers').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A residential or therapeutic-community stay: part of an episode of care, with its phases. */
export const stays = pgTable(
  'stays',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The episode (residential or therapeutic-community) this stay is the living part of. */
    episodeId: uuid('episode_id').notNull(),
    asamLevel: text('asam_level').notNull(),
    /** The programme's phase template when the stay began (a later change to the template does not move a stay). */
    template: jsonb('template').notNull(),
    phaseIndex: integer('phase_index').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'stays_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    foreignKey({ name: 'stays_episode_fk', columns: [t.programId, t.episodeId], foreignColumns: [episodes.programId, episodes.id] }),
    index('stays_patient_idx').on(t.programId, t.patientId),
    uniqueIndex('stays_one_open')
      .on(t.programId, t.patientId)
      .where(sql`ended_on is null`),
    check('stays_asam_level_check', oneOf(t.asamLevel, ASAM_LEVELS)),
    check('stays_phase_index_check', sql`${t.phaseIndex} >= 0`),
  ],
);

/** Every start, phase move and end of a stay, with its reason (append-only: a trigger refuses UPDATE and DELETE). */
export const stayPhaseChanges = pgTable(
  'stay_phase_changes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    stayId: uuid('stay_id').notNull(),
    kind: text('kind').notNull(),
    fromIndex: integer('from_index'),
    toIndex: integer('to_index'),
    reason: text('reason').notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'stay_phase_changes_stay_fk', columns: [t.programId, t.stayId], foreignColumns: [stays.programId, stays.id] }),
    index('stay_phase_changes_stay_idx').on(t.programId, t.stayId),
    check('stay_phase_changes_kind_check', sql`${t.kind} in ('started', 'advanced', 'reduced', 'ended')`),
  ],
);

/** A take-home schedule as the prescriber recorded it; the latest by effective date is in force (append-only). */
export const takeHomeSchedules = pgTable(
  'take_home_schedules',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    medication: text('medication').notNull(),
    /** The dose as prescribed, e.g. "80 mg". */
    dose: text('dose').notNull(),
    /** Day 1 of treatment: the take-home tiers count from it. */
    treatmentStartedOn: date('treatment_started_on', { mode: 'string' }).notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    /** How many take-home doses may be dispensed at once. */
    takeHomeDoses: integer('take_home_doses').notNull(),
    /** Local weekdays the person doses at the clinic (0 = Sunday). */
    clinicDays: integer('clinic_days').array().notNull(),
    note: text('note'),
    prescriberId: uuid('prescriber_id')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'take_home_schedules_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    index('take_home_schedules_patient_idx').on(t.programId, t.patientId, t.effectiveOn),
    check('take_home_schedules_medication_check', sql`${t.medication} in ('methadone', 'buprenorphine')`),
    check('take_home_schedules_doses_check', sql`${t.takeHomeDoses} >= 0`),
  ],
);

/** Extended-release naltrexone: each injection given, and the prescriber's stop (append-only). */
export const naltrexoneInjections = pgTable(
  'naltrexone_injections',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** 'given' (an injection) or 'stopped' (no more are due until the next is given). */
    kind: text('kind').notNull(),
    /** The local date it was given (or stopped). */
    givenOn: date('given_on', { mode: 'string' }).notNull(),
    doseMg: integer('dose_mg'),
    site: text('site'),
    /** The medication visit it was given at, when there was one. */
    encounterId: uuid('encounter_id'),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'naltrexone_injections_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    foreignKey({ name: 'naltrexone_injections_encounter_fk', columns: [t.programId, t.encounterId], foreignColumns: [encounters.programId, encounters.id] }),
    index('naltrexone_injections_patient_idx').on(t.programId, t.patientId, t.givenOn),
    check('naltrexone_injections_kind_check', sql`${t.kind} in ('given', 'stopped')`),
    check('naltrexone_injections_site_check', sql`${t.site} in ('left-gluteal', 'right-gluteal')`),
    check('naltrexone_injections_given_check', sql`${t.kind} = 'stopped' or (${t.doseMg} is not null and ${t.site} is not null)`),
  ],
);
