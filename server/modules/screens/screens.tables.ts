// Drug and alcohol screens: every patient's, whether or not they are in contingency
// management (federal rules test every patient of an opioid treatment programme; outcomes
// count them all). Append-only: a correction is a new row, never an edit (custom
// migration: triggers refuse UPDATE, DELETE and TRUNCATE). CM reads screens as events for
// the patients it enrols (cm_events.id = the screen's or correction's id); enrolling,
// leaving or changing CM never changes a screen.
import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One analyte's result as read, with whether it was a prescribed medication on the collection date. */
export type StoredResult = { analyte: string; loinc: string | null; result: string; valueNgMl: number | null; cutoffNgMl: number | null; prescribed: boolean };

export const screens = pgTable(
  'screens',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    collectedAt: ts('collected_at').notNull(),
    /** The programme-local date of collection. */
    collectedOn: date('collected_on', { mode: 'string' }).notNull(),
    /** urine | oral-fluid | breath */
    matrix: text('matrix').notNull(),
    /** presumptive (point-of-care cup, swab or breath device) | confirmatory (laboratory) */
    method: text('method').notNull(),
    laboratory: text('laboratory'),
    observed: boolean('observed').notNull(),
    observerId: uuid('observer_id'),
    collectorId: uuid('collector_id'),
    temperatureC: doublePrecision('temperature_c'),
    /** Validity checks: creatinine, specific gravity, pH, nitrite, oxidants, adulterant strips. */
    validity: jsonb('validity'),
    /** Point-of-care device: brand, lot, expiry, cut-offs. */
    cup: jsonb('cup'),
    chainOfCustodyId: text('chain_of_custody_id'),
    valid: boolean('valid').notNull(),
    invalidReasons: jsonb('invalid_reasons').$type<string[]>().notNull(),
    results: jsonb('results').$type<StoredResult[]>().notNull(),
    externalId: text('external_id'),
    source: text('source').notNull(), // staff | integration
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'screens_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    uniqueIndex('screens_external_key')
      .on(t.programId, t.externalId)
      .where(sql`external_id is not null`),
    index('screens_patient_idx').on(t.programId, t.patientId, t.collectedAt),
    index('screens_collected_idx').on(t.programId, t.collectedOn),
    // a patient's screens by date (the outcomes' last contact and screens by admission: docs/outcomes.md "Volume")
    index('screens_patient_day_idx').on(t.programId, t.patientId, t.collectedOn),
  ],
);

/** A correction of a screen (e.g. a laboratory confirming or overturning a cup): the analytes it lists replace the screen's; `valid`, when set, replaces its validity. */
export const screenCorrections = pgTable(
  'screen_corrections',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    screenId: uuid('screen_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    results: jsonb('results').$type<StoredResult[]>().notNull(),
    valid: boolean('valid'),
    method: text('method').notNull(),
    laboratory: text('laboratory'),
    reason: text('reason').notNull(),
    externalId: text('external_id'),
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'screen_corrections_screen_fk', columns: [t.programId, t.screenId], foreignColumns: [screens.programId, screens.id] }),
    uniqueIndex('screen_corrections_external_key')
      .on(t.programId, t.screenId, t.externalId)
      .where(sql`external_id is not null`),
    index('screen_corrections_screen_idx').on(t.programId, t.screenId, t.recordedAt),
  ],
);
