// The funders' monthly report (issue 17, docs/outcomes.md "The funders' monthly report"): which
// month a report covers and the window of admissions its retention figures follow, the census
// of the month, which weeks since admission fall in the month, and what of each figure may leave
// the programme (small cells suppressed; a rate whose numerator or denominator is suppressed is
// not shown, nor is a money figure per person or per screen over a suppressed count). Pure;
// dates are programme-local calendar dates (YYYY-MM-DD).
import { addDays } from '../cm/calendar.ts';
import { monthBounds } from '../counselling/compliance.ts';
import { suppressed } from './cells.ts';
import type { Outcome, Rate } from './screens.ts';

/** A month as YYYY-MM. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** How many months of admissions, to the end of the report's month, the retention figures follow. */
export const RETENTION_WINDOW_MONTHS = 12;

/** How many weeks since admission the trend of % negative shows. */
export const TREND_WEEKS = 12;

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The last full month before `today` (YYYY-MM-DD): the report's default. */
export const lastFullMonth = (today: string): string => addMonths(today.slice(0, 7), -1);

/**
 * What a report of `month` covers, as of `today`: the month's first and last day; the data read
 * up to `asOf` (the month's last day, or today for the month under way); the admissions whose
 * retention is followed (`from`, the first day of the 12 months ending with the month, to its
 * last day). Null for a month after today's.
 */
export function reportPeriod(month: string, today: string): { first: string; last: string; asOf: string; from: string; to: string } | null {
  if (month > today.slice(0, 7)) return null;
  const { first, last } = monthBounds(month);
  return { first, last, asOf: last < today ? last : today, from: monthBounds(addMonths(month, 1 - RETENTION_WINDOW_MONTHS)).first, to: last };
}

export type EpisodeDates = { patientId: string; admittedOn: string; dischargedOn: string | null };

/** An episode open at some time from `first` to `last`: admitted on or before the last day, not discharged before the first. */
export const openIn = (e: EpisodeDates, first: string, last: string): boolean => e.admittedOn <= last && (e.dischargedOn === null || e.dischargedOn >= first);

export type Census = { inTreatment: number; admissions: number; discharges: number };

/** The month's census: patients with an episode open in the month (each once), episodes admitted in it, episodes discharged in it. */
export function census(episodes: readonly EpisodeDates[], first: string, last: string): Census {
  const open = episodes.filter((e) => openIn(e, first, last));
  return {
    inTreatment: new Set(open.map((e) => e.patientId)).size,
    admissions: open.filter((e) => e.admittedOn >= first).length,
    discharges: open.filter((e) => e.dischargedOn !== null && e.dischargedOn <= last).length,
  };
}

/** Of an admission's weekly outcomes (index 0 = week 1, starting on the admission day), those of the weeks that start from `first` to `last`. */
export function weeksStartingIn(admittedOn: string, weeks: readonly Outcome[], first: string, last: string): Outcome[] {
  return weeks.filter((_, i) => {
    const start = addDays(admittedOn, 7 * i);
    return start >= first && start <= last;
  });
}

/** A count that may leave the programme: null when it is a small cell (shown as "<11"). */
export const shownCount = (n: number): number | null => suppressed(n);

/** A rate that may leave the programme: the percent only when neither its numerator nor its denominator is a small cell (and it has one). */
export function shownRate(r: Pick<Rate, 'negative' | 'denominator' | 'percent'>): { negative: number | null; denominator: number | null; percent: number | null } {
  const negative = shownCount(r.negative);
  const denominator = shownCount(r.denominator);
  return { negative, denominator, percent: negative === null || denominator === null ? null : r.percent };
}

/**
 * A retention figure S(day) that may leave the programme: shown only when neither the cohort's
 * admissions nor those followed that long are a small cell (and it was recorded).
 */
export function shownSurvival(n: number, atRisk: number, survival: number | null): { n: number | null; atRisk: number | null; survival: number | null } {
  const shownN = shownCount(n);
  const shownAtRisk = shownCount(atRisk);
  return { n: shownN, atRisk: shownAtRisk, survival: shownN === null || shownAtRisk === null ? null : survival };
}

/**
 * A money figure per person or per screen (a cost ÷ `denominator`) that may leave the programme:
 * hidden when the denominator is a small cell, as an amount spread over 1–10 people or screens
 * can point to them (and, beside the total, gives back the count shown as "<11"); otherwise the
 * figure as it is (null, not recorded, when there is none).
 */
export function shownPer(cents: number | null, denominator: number): { cents: number | null; hidden: boolean } {
  const hidden = shownCount(denominator) === null;
  return { cents: hidden ? null : cents, hidden };
}
