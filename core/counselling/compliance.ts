// Counselling frequency (issue 14, ADR 043): how often a person in treatment should have a
// counselling visit, by phase of treatment (days since the episode's admission), and where
// each person stands: on track, due or overdue, with the date the next visit is due.
//
// The status informs; it never blocks anything. Since the 2024 federal rule (42 CFR 8.12 as
// amended), medication for opioid use disorder may not be made contingent on counselling:
// no dose, take-home or enrolment reads this status as a condition.
//
// Pure: dates are calendar dates (YYYY-MM-DD) in the programme's time zone, passed in.
import { addDays, daysBetween } from '../cm/calendar.ts';

/** One phase of treatment: from this many days after admission, a counselling visit at least every `everyDays` days. */
export type CounsellingPhase = { fromDay: number; everyDays: number };

export type CounsellingRules = {
  /** Ordered by `fromDay`; the first starts at day 0 (the admission date). */
  phases: CounsellingPhase[];
  /** A visit is "due" from this many days before its due date (0: only on the day). */
  dueSoonDays: number;
};

/** The default: weekly in the first 90 days, then twice a month (every 14 days); due from 3 days ahead. */
export const DEFAULT_COUNSELLING_RULES: CounsellingRules = {
  phases: [
    { fromDay: 0, everyDays: 7 },
    { fromDay: 90, everyDays: 14 },
  ],
  dueSoonDays: 3,
};

export const MAX_PHASES = 10;
export const MAX_EVERY_DAYS = 365;
export const MAX_FROM_DAY = 3650;

export const COMPLIANCE_STATUSES = ['on-track', 'due', 'overdue'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export type Problem = { field: string; message: string };

/** What is wrong with a rule set (field paths relative to the rules object); empty when it is valid. */
export function rulesProblems(rules: CounsellingRules): Problem[] {
  const out: Problem[] = [];
  if (rules.phases.length === 0) out.push({ field: 'phases', message: 'needs at least one phase' });
  if (rules.phases.length > MAX_PHASES) out.push({ field: 'phases', message: `may have at most ${MAX_PHASES} phases` });
  rules.phases.forEach((p, i) => {
    if (!Number.isInteger(p.fromDay) || p.fromDay < 0 || p.fromDay > MAX_FROM_DAY) out.push({ field: `phases.${i}.fromDay`, message: `must be a whole number of days from 0 to ${MAX_FROM_DAY}` });
    if (!Number.isInteger(p.everyDays) || p.everyDays < 1 || p.everyDays > MAX_EVERY_DAYS)
      out.push({ field: `phases.${i}.everyDays`, message: `must be a whole number of days from 1 to ${MAX_EVERY_DAYS}` });
    if (i === 0 && p.fromDay !== 0) out.push({ field: 'phases.0.fromDay', message: 'the first phase starts at admission (day 0)' });
    const prev = rules.phases[i - 1];
    if (prev && p.fromDay <= prev.fromDay) out.push({ field: `phases.${i}.fromDay`, message: 'must be later than the phase before it' });
  });
  const shortest = Math.min(...rules.phases.map((p) => p.everyDays));
  if (!Number.isInteger(rules.dueSoonDays) || rules.dueSoonDays < 0) out.push({ field: 'dueSoonDays', message: 'must be a whole number of days, 0 or more' });
  else if (rules.phases.length > 0 && rules.dueSoonDays >= shortest) out.push({ field: 'dueSoonDays', message: 'must be shorter than the shortest interval between visits' });
  return out;
}

/** The phase in effect on `day` days after admission (the last phase whose start has come). */
export function phaseAt(rules: CounsellingRules, day: number): CounsellingPhase {
  let found = rules.phases[0]!;
  for (const p of rules.phases) if (p.fromDay <= day) found = p;
  return found;
}

export type ComplianceInput = {
  admittedOn: string;
  /** When the episode ended (no status after it). */
  dischargedOn?: string | null;
  today: string;
  rules: CounsellingRules;
  /** Dates of counselling visits the person was seen at (any order, repeats allowed; dates after today are ignored). */
  seenOn: readonly string[];
};

export type Compliance = {
  status: ComplianceStatus;
  /** The date the next counselling visit is due by. */
  dueOn: string;
  /** The latest counselling visit the person was seen at in this episode (null: none yet). */
  lastSeenOn: string | null;
  /** Days since admission, and the interval of the phase in effect today. */
  dayOfTreatment: number;
  everyDays: number;
  /** Days past the due date (0 unless overdue). */
  daysOverdue: number;
};

/**
 * Where a person stands today. The next visit is due `everyDays` after the last one they were
 * seen at in this episode (or after admission when none), `everyDays` being the phase in
 * effect on that visit's day: a visit in the weekly phase asks for the next within a week.
 * Null when today is outside the episode (before admission or after discharge).
 */
export function complianceOf(input: ComplianceInput): Compliance | null {
  const { admittedOn, today, rules } = input;
  if (today < admittedOn) return null;
  if (input.dischargedOn && today > input.dischargedOn) return null;
  let lastSeenOn: string | null = null;
  for (const d of input.seenOn) if (d >= admittedOn && d <= today && (lastSeenOn === null || d > lastSeenOn)) lastSeenOn = d;
  const anchor = lastSeenOn ?? admittedOn;
  const interval = phaseAt(rules, daysBetween(admittedOn, anchor)).everyDays;
  const dueOn = addDays(anchor, interval);
  const untilDue = daysBetween(today, dueOn);
  const status: ComplianceStatus = untilDue < 0 ? 'overdue' : untilDue <= rules.dueSoonDays ? 'due' : 'on-track';
  const dayOfTreatment = daysBetween(admittedOn, today);
  return { status, dueOn, lastSeenOn, dayOfTreatment, everyDays: phaseAt(rules, dayOfTreatment).everyDays, daysOverdue: Math.max(0, -untilDue) };
}

/**
 * How many counselling visits the rules ask for between `from` and `to` (inclusive) for an
 * episode: each day in treatment counts 1/everyDays of a visit (the phase of that day), and
 * the sum is rounded down — a calendar month in the weekly phase asks for 4, in a
 * fortnightly phase 2; a person admitted on the 20th of a 30-day month, weekly, for 1.
 */
export function requiredBetween(rules: CounsellingRules, episode: { admittedOn: string; dischargedOn?: string | null }, from: string, to: string): number {
  const start = from > episode.admittedOn ? from : episode.admittedOn;
  const end = episode.dischargedOn && episode.dischargedOn < to ? episode.dischargedOn : to;
  if (end < start) return 0;
  let owed = 0;
  let day = daysBetween(episode.admittedOn, start);
  const last = daysBetween(episode.admittedOn, end);
  // walk phase by phase, not day by day
  while (day <= last) {
    const phase = phaseAt(rules, day);
    const next = rules.phases.find((p) => p.fromDay > day)?.fromDay ?? Infinity;
    const segmentEnd = Math.min(last, next - 1);
    owed += (segmentEnd - day + 1) / phase.everyDays;
    day = segmentEnd + 1;
  }
  return Math.floor(owed + 1e-9);
}

/** The first and last dates of a month given as YYYY-MM. */
export function monthBounds(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = `${month}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { first, last };
}

/**
 * One person's month: visits required and held, and the status on the month's last day (or
 * on the day of discharge, or today when the month is not over: `today` caps the month).
 */
export function monthOf(
  rules: CounsellingRules,
  episode: { admittedOn: string; dischargedOn?: string | null },
  month: string,
  seenOn: readonly string[],
  today?: string,
): { required: number; held: number; statusAtMonthEnd: ComplianceStatus | null; dueOn: string | null } {
  const { first, last } = monthBounds(month);
  let end = episode.dischargedOn && episode.dischargedOn < last ? episode.dischargedOn : last;
  if (today && today < end) end = today;
  const inEpisode = (d: string) => d >= episode.admittedOn && (!episode.dischargedOn || d <= episode.dischargedOn);
  const held = new Set(seenOn.filter((d) => d >= first && d <= end && inEpisode(d))).size;
  const at = end >= first ? complianceOf({ admittedOn: episode.admittedOn, dischargedOn: episode.dischargedOn ?? null, today: end, rules, seenOn }) : null;
  return { required: requiredBetween(rules, episode, first, end), held, statusAtMonthEnd: at?.status ?? null, dueOn: at?.dueOn ?? null };
}
