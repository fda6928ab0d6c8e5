// Network therapy (issue 16, docs/family.md): friends and relatives who form the patient's team
// (Galanter 1993, network therapy for office practice; tested as an adjunct to buprenorphine).
// One job a member may take is to see the day's dose taken; this turns the doses members
// witnessed into medication adherence outside the clinic. Pure: dates are YYYY-MM-DD strings in
// the programme's calendar and "today" is an argument.
import { addDays, datesBetween } from '../cm/calendar.ts';

/** How many days back the adherence figure looks (today included). */
export const ADHERENCE_WINDOW_DAYS = 28;

export type WitnessedDose = { day: string; taken: boolean; memberId: string };

/** What one day shows: a member saw the dose taken, members saw it missed (and nobody saw it taken), or nobody said. */
export type DoseDay = { day: string; status: 'taken' | 'missed' | 'unrecorded' };

/**
 * Per day, over every member: taken when any member saw the dose taken (one member may have been
 * there when another was not), missed when members said missed and none said taken.
 */
export function doseDays(doses: readonly WitnessedDose[]): Map<string, 'taken' | 'missed'> {
  const out = new Map<string, 'taken' | 'missed'>();
  for (const d of doses) {
    if (d.taken) out.set(d.day, 'taken');
    else if (!out.has(d.day)) out.set(d.day, 'missed');
  }
  return out;
}

export type Adherence = {
  /** The window's first and last day (the window starts no earlier than `since`). */
  from: string;
  to: string;
  days: number;
  daysTaken: number;
  daysMissed: number;
  daysUnrecorded: number;
  /** Days witnessed taken as a whole percentage of the window's days; null when the window is empty. */
  percentTaken: number | null;
  /** The longest run of consecutive days witnessed taken, over every dose given. */
  longestRun: number;
  /** The run of days witnessed taken up to today (today not yet reported does not break it). */
  currentRun: number;
  window: DoseDay[];
};

/**
 * Adherence from witnessed doses: over the last `windowDays` days up to today (from `since`, the
 * day the network began, if later), the days a dose was witnessed taken, missed or not reported,
 * the percentage taken, and the runs of consecutive days taken. Doses after today are ignored.
 */
export function adherence(doses: readonly WitnessedDose[], today: string, opts: { since?: string | null; windowDays?: number } = {}): Adherence {
  const windowDays = opts.windowDays ?? ADHERENCE_WINDOW_DAYS;
  const byDay = doseDays(doses.filter((d) => d.day <= today));
  let from = addDays(today, -(windowDays - 1));
  if (opts.since && opts.since > from) from = opts.since;
  const window: DoseDay[] = from <= today ? [...datesBetween(from, today)].map((day) => ({ day, status: byDay.get(day) ?? 'unrecorded' })) : [];
  const daysTaken = window.filter((d) => d.status === 'taken').length;
  const daysMissed = window.filter((d) => d.status === 'missed').length;
  const takenDays = [...byDay].filter(([, s]) => s === 'taken').map(([d]) => d);
  return {
    from,
    to: today,
    days: window.length,
    daysTaken,
    daysMissed,
    daysUnrecorded: window.length - daysTaken - daysMissed,
    percentTaken: window.length === 0 ? null : Math.round((100 * daysTaken) / window.length),
    longestRun: longestRun(takenDays),
    currentRun: currentRun(new Set(takenDays), today),
    window,
  };
}

/** The longest run of consecutive calendar days in `days` (any order, repeats allowed). */
export function longestRun(days: readonly string[]): number {
  const sorted = [...new Set(days)].sort();
  let best = 0;
  let run = 0;
  let prev: string | null = null;
  for (const d of sorted) {
    run = prev !== null && addDays(prev, 1) === d ? run + 1 : 1;
    best = Math.max(best, run);
    prev = d;
  }
  return best;
}

function currentRun(taken: ReadonlySet<string>, today: string): number {
  let day = taken.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (taken.has(day)) {
    n += 1;
    day = addDays(day, -1);
  }
  return n;
}

/** Whether a member may report a dose for `day`: not in the future, not before they joined, not after they left. */
export function doseDayProblem(member: { joinedOn: string; leftOn: string | null }, day: string, today: string, field = 'params.day'): { field: string; message: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) return { field, message: 'must be a date (YYYY-MM-DD)' };
  if (day > today) return { field, message: 'must not be in the future' };
  if (day < member.joinedOn) return { field, message: 'must not be before the member joined the network' };
  if (member.leftOn && day > member.leftOn) return { field, message: 'must not be after the member left the network' };
  return null;
}
