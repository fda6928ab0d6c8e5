// Engagement outcomes over HTTP (issue 17, docs/outcomes.md "Engagement"): check-ins and skills
// modules by week since admission for the admissions of a period, by cohort (the decay curve),
// with the module figures; and what happened after the peer referrals made in a period.
// Aggregates only: no patient names or identifiers. null = not recorded.
import { z } from 'zod';
import { COHORTS } from '../core/outcomes/dashboard.ts';
import { IsoDate } from './common.ts';

const Period = { from: IsoDate.optional(), to: IsoDate.optional() };

export const EngagementQuery = z.strictObject({ ...Period, cohort: z.enum(COHORTS).default('all') });
/** Referrals made from `from` to `to` (their own date, inclusive; default the year to today). */
export const PeerReferralsQuery = z.strictObject(Period);

const Count = z.number().int().min(0);

/** One week since admission: admissions with that week in treatment; of them, how many were active (≥ 1 day), the share and the mean active days (null: not recorded). */
export const EngagementWeek = z.object({ week: z.number().int().min(1), admissions: Count, active: Count.nullable(), percent: z.number().nullable(), meanDays: z.number().nullable() });

export const EngagementCohort = z.object({
  key: z.string(),
  n: Count,
  /** Check-in days by week since admission: the decay curve. */
  checkIns: z.object({ days: Count, weeks: z.array(EngagementWeek) }),
  modules: z.object({
    assigned: Count,
    started: Count,
    completed: Count,
    completionPercent: z.number().nullable(),
    unassigned: z.object({ started: Count, completed: Count }),
    /** Days with module activity by week since admission. */
    weeks: z.array(EngagementWeek),
  }),
});

export const Engagement = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  cohort: z.enum(COHORTS),
  admissions: Count,
  /** Whether the period's admissions have any check-in, and any module assigned or opened: false = not recorded (the weekly figures are null). */
  recorded: z.object({ checkIns: z.boolean(), modules: z.boolean() }),
  cohorts: z.array(EngagementCohort),
});

export const PeerReferralOutcomes = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  referrals: Count,
  reached: Count,
  withOutcomes: Count,
  moudStarted: Count.nullable(),
  medianDaysToMoud: z.number().nullable(),
  enteredTreatment: Count.nullable(),
  naloxoneReceived: Count.nullable(),
  overdoseAfter: Count.nullable(),
  repeatOverdoses: Count.nullable(),
});

export type EngagementQuery = z.infer<typeof EngagementQuery>;
export type PeerReferralsQuery = z.infer<typeof PeerReferralsQuery>;
export type Engagement = z.infer<typeof Engagement>;
export type PeerReferralOutcomes = z.infer<typeof PeerReferralOutcomes>;
