// What the outcomes dashboard adds to the measures (issue 17, docs/outcomes.md "Where to see
// them"): which attendance counts as contact, how admissions are grouped into cohorts, the
// weekly outcomes of many admissions pooled by week since admission under both conventions,
// and the longest run of abstinent weeks summarised. Pure; dates are programme-local.
import { CONVENTIONS, negativeRate, type Outcome, type Rate } from './screens.ts';

/** Attendance that is contact with the programme (present for the visit, even late or leaving early). */
export const CONTACT_ATTENDANCE = ['attended', 'late', 'left-early'] as const;

/** How admissions are grouped: all together, by the month of admission, the level of care admitted to, the medication for OUD, or the CM protocol. */
export const COHORTS = ['all', 'start-month', 'level-of-care', 'medication', 'cm-protocol'] as const;
export type Cohort = (typeof COHORTS)[number];

/** The medications for OUD, as an admission's medication cohort names them; 'none' without one. */
export const MOUD = ['methadone', 'buprenorphine', 'naltrexone'] as const;

/** How long after admission a medication started still makes it the admission's medication. */
export const MEDICATION_COHORT_DAYS = 30;

/** The medication for OUD of the admission: the first of its medications (in the order given: by start date) that names one, else 'none'. */
export function medicationOf(names: readonly string[]): string {
  for (const n of names) {
    const m = MOUD.find((x) => n.toLowerCase().includes(x));
    if (m) return m;
  }
  return 'none';
}

/** Cohort key of an admission without a CM enrolment. */
export const NO_CM = 'no-cm';

export type CohortFacts = { admittedOn: string; levelOfCare: string; medications: readonly string[]; cmProtocol: string | null };

/** The cohort an admission belongs to: 'all', its admission month (YYYY-MM), its level of care, its medication for OUD or its CM protocol's name. */
export function cohortKey(cohort: Cohort, a: CohortFacts): string {
  if (cohort === 'start-month') return a.admittedOn.slice(0, 7);
  if (cohort === 'level-of-care') return a.levelOfCare;
  if (cohort === 'medication') return medicationOf(a.medications);
  if (cohort === 'cm-protocol') return a.cmProtocol ?? NO_CM;
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
