// Programme outcomes over HTTP (issue 17, docs/outcomes.md "Where to see them"): the retention
// curve by cohort and the drug-screen outcomes by week since admission, each with the counts
// behind every figure. Aggregates only: no patient names or identifiers.
import { z } from 'zod';
import { COHORTS } from '../core/outcomes/dashboard.ts';
import { ANALYTE_GROUPS } from '../core/outcomes/screens.ts';
import { IsoDate } from './common.ts';

export const ANALYTE_GROUP_NAMES = Object.keys(ANALYTE_GROUPS) as [keyof typeof ANALYTE_GROUPS, ...(keyof typeof ANALYTE_GROUPS)[]];

/** The admissions counted: admitted from `from` to `to` (inclusive; default the year to today). */
const Period = { from: IsoDate.optional(), to: IsoDate.optional() };

export const RetentionQuery = z.strictObject({ ...Period, cohort: z.enum(COHORTS).default('all') });
export const ScreensQuery = z.strictObject({ ...Period, group: z.enum(ANALYTE_GROUP_NAMES).default('opioids') });

const Count = z.number().int().min(0);

export const RetentionStep = z.object({ day: Count, atRisk: Count, events: Count, censored: Count, survival: z.number() });
/** S(day): null when not recorded (nobody followed that long while some were still in treatment); atRisk: admissions followed at least that long. */
export const RetentionAt = z.object({ day: Count, survival: z.number().nullable(), atRisk: Count });

export const RetentionCohort = z.object({
  key: z.string(),
  n: Count,
  events: Count,
  censored: Count,
  steps: z.array(RetentionStep),
  at: z.array(RetentionAt),
});

export const Retention = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  cohort: z.enum(COHORTS),
  admissions: Count,
  cohorts: z.array(RetentionCohort),
});

export const Rate = z.object({ negative: Count, positive: Count, missing: Count, denominator: Count, percent: z.number().nullable() });
export const ScreenWeek = z.object({ week: z.number().int().min(1), admissions: Count, missingPositive: Rate, missingExcluded: Rate });

export const ScreenOutcomes = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  group: z.enum(ANALYTE_GROUP_NAMES),
  admissions: Count,
  /** Screens read for these admissions: all of them, those a correction changed, those invalid (counted as not given). */
  screens: z.object({ total: Count, corrected: Count, invalid: Count }),
  weeks: z.array(ScreenWeek),
  abstinence: z.object({
    admissions: Count,
    medianWeeks: z.number().nullable(),
    reached: z.array(z.object({ weeks: z.number().int(), admissions: Count })),
  }),
});

export type RetentionQuery = z.infer<typeof RetentionQuery>;
export type ScreensQuery = z.infer<typeof ScreensQuery>;
export type Retention = z.infer<typeof Retention>;
export type ScreenOutcomes = z.infer<typeof ScreenOutcomes>;
