// What the outcomes dashboard adds to the measures (issue 17, docs/outcomes.md "Where to see
// them"): which attendance counts as contact, how admissions are grouped into cohorts, the
// weekly outcomes of many admissions pooled by week since admission under both conventions,
// and the longest run of abstinent weeks summarised. Pure; dates are programme-local.
import { CONVENTIONS, negativeRate, type Outcome, type Rate } from './screens.ts';

/** Attendance that is contact with the programme (present for the visit, even late or leaving early). */
export const CONTACT_ATTENDANCE = ['attended', 'late', 'left-early'] as const;

/** How admissions are grouped: all together, by the month of admission, or by the level of care admitted to. */
export const COHORTS = ['all', 'start-month', 'level-of-care'] as const;
export type Cohort = (typeof COHORTS)[number];

/** The cohort an admission belongs to: 'all', its admission month (YYYY-MM), or its level of care. */
export function cohortKey(cohort: Cohort, a: { admittedOn: string; levelOfCare: string }): string {
  if (cohort === 'start-month') return a.admittedOn.slice(0, 7);
  if (cohort === 'level-of-care') return a.levelOfCare;
  return 'all';
}

/** Week-by-week pooled outcomes: every admission's week n together, with both conventions. */
export type WeekRates = { week: number; admissions: number; missingPositive: Rate; missingExcluded: Rate };

/** Pools each admission's weekly outcomes (index 0 = week 1) by week since admission. */
export function pooledWeeks(perAdmission: readonly (readonly Outcome[])[]): WeekRates[] {
  const byWeek: Outcome[][] = [];
  for (const weeks of perAdmission) weeks.forEach((o, i) => (byWeek[i] ??= []).push(o));
  const [missingPositive, missingExcluded] = CONVENTIONS;
  return byWeek.map((os, i) => ({ week: i + 1, admissions: os.length, missingPositive: negativeRate(os, missingPositive!), missingExcluded: negativeRate(os, missingExcluded!) }));
}

/** The longest run of consecutive negative weeks; a positive or a missing week ends a run. */
export function abstinentWeeks(weeks: readonly Outcome[]): number {
  let best = 0;
  let run = 0;
  for (const o of weeks) {
    run = o === 'negative' ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** Milestones of abstinence reported: how many admissions reached at least this many negative weeks in a row. */
export const ABSTINENCE_MILESTONES = [4, 8, 12] as const;

export type AbstinenceSummary = { admissions: number; medianWeeks: number | null; reached: { weeks: number; admissions: number }[] };

/** The median of the longest runs (null with none) and how many reached each milestone. */
export function summariseAbstinence(longest: readonly number[]): AbstinenceSummary {
  const sorted = [...longest].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianWeeks = sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { admissions: sorted.length, medianWeeks, reached: ABSTINENCE_MILESTONES.map((weeks) => ({ weeks, admissions: sorted.filter((n) => n >= weeks).length })) };
}
