// The outcomes rollup (docs/outcomes.md "Volume", ADR 058): one row per episode with what the
// dashboard's retention and screens reads need, computed by core's rules when a patient's
// records change, so that a read at volume scans these rows instead of every screen and contact.
// Triggers (custom migration) only mark which patients changed (outcome_stale); the next read
// (or the fold job) folds those patients in, in its own transaction, before it reads.
import { date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/** An episode as the outcomes read it: its cohort facts, its last contact and its screens by week, per analyte group. */
export const outcomeEpisodes = pgTable(
  'outcome_episodes',
  {
    programId: uuid('program_id').notNull(),
    episodeId: uuid('episode_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    levelOfCare: text('level_of_care').notNull(),
    admittedOn: date('admitted_on', { mode: 'string' }).notNull(),
    dischargedOn: date('discharged_on', { mode: 'string' }),
    /** The medications in effect in the first days (cohortColumns), in start order. */
    medications: jsonb('medications').$type<string[]>().notNull(),
    cmProtocol: text('cm_protocol'),
    /** The last contact on or after admission (lastContact), as of the day it was folded. */
    lastContact: date('last_contact', { mode: 'string' }),
    /** The screens from admission to discharge: all, corrected, invalid. */
    screens: integer('screens').notNull(),
    screensCorrected: integer('screens_corrected').notNull(),
    screensInvalid: integer('screens_invalid').notNull(),
    /** Per analyte group, the week marks of core/outcomes/screens `weekMarks`. */
    weeks: jsonb('weeks').$type<Record<string, string>>().notNull(),
    /** The programme's time zone the dates above were computed in. */
    timeZone: text('time_zone').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.episodeId] }),
    index('outcome_episodes_admitted_idx').on(t.programId, t.admittedOn),
    index('outcome_episodes_patient_idx').on(t.programId, t.patientId),
  ],
);

/**
 * Patients whose records changed since their episodes were last folded, written by triggers. A
 * write inserts its patient's row or, when one is there, updates it (counting the changes): the
 * update locks the row, so a fold deleting it waits for the write to commit and then sees it.
 */
export const outcomeStale = pgTable('outcome_stale', { programId: uuid('program_id').notNull(), patientId: uuid('patient_id').notNull(), changes: integer('changes').notNull().default(1) }, (t) => [
  primaryKey({ columns: [t.programId, t.patientId] }),
]);
