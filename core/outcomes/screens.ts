// Drug-screen outcomes (issue 17, docs/outcomes.md): the share of negative scheduled screens by
// analyte group, under both conventions the literature uses for a scheduled screen not given
// (counted positive; left out), by week since admission, and the longest duration of abstinence
// (the longest run of consecutive negative scheduled screens). Pure: results come in already
// as in effect (after corrections and adjudication) and reconciled with prescribed medication.
import type { Analyte } from '../cm/analytes.ts';
import { daysBetween } from '../cm/calendar.ts';

/** Analytes grouped as outcomes report them. Methadone and buprenorphine count only when not prescribed (`prescribed` on the result). */
export const ANALYTE_GROUPS = {
  opioids: ['opiates', 'fentanyl', 'oxycodone', 'methadone', 'buprenorphine'],
  stimulants: ['cocaine', 'amphetamine'],
  benzodiazepines: ['benzodiazepines'],
  cannabis: ['cannabis'],
  alcohol: ['alcohol'],
  xylazine: ['xylazine'],
} as const satisfies Record<string, readonly Analyte[]>;
export type AnalyteGroup = keyof typeof ANALYTE_GROUPS;

/** One analyte's result in effect; `prescribed`: a positive the patient's own prescription explains (adherence, not use). */
export type AnalyteResult = { analyte: Analyte; result: 'negative' | 'positive'; prescribed?: boolean };

/** A scheduled screen: its results, or null when it was not given (missed, refused, invalid). */
export type ScheduledScreen = { scheduledOn: string; results: readonly AnalyteResult[] | null };

export type Outcome = 'negative' | 'positive' | 'missing';

/** The screen's outcome for a group: missing when not given; null when given but no analyte of the group was tested. */
export function groupOutcome(screen: ScheduledScreen, group: AnalyteGroup): Outcome | null {
  if (screen.results === null) return 'missing';
  const members: readonly Analyte[] = ANALYTE_GROUPS[group];
  const tested = screen.results.filter((r) => members.includes(r.analyte));
  if (tested.length === 0) return null;
  return tested.some((r) => r.result === 'positive' && !r.prescribed) ? 'positive' : 'negative';
}

/** 'missing-positive': a scheduled screen not given counts as positive; 'missing-excluded': it is left out of the denominator. */
export type Convention = 'missing-positive' | 'missing-excluded';
export const CONVENTIONS: readonly Convention[] = ['missing-positive', 'missing-excluded'];

export type Rate = { negative: number; positive: number; missing: number; denominator: number; percent: number | null };

/** The share negative under a convention, with the counts behind it (percent null when the denominator is 0). */
export function negativeRate(outcomes: readonly Outcome[], convention: Convention): Rate {
  const negative = outcomes.filter((o) => o === 'negative').length;
  const positive = outcomes.filter((o) => o === 'positive').length;
  const missing = outcomes.length - negative - positive;
  const denominator = convention === 'missing-positive' ? outcomes.length : negative + positive;
  return { negative, positive, missing, denominator, percent: denominator === 0 ? null : (100 * negative) / denominator };
}

/** Week 1 is days 0–6 after admission; a screen before admission has no week (null). */
export const weekSinceAdmission = (admittedOn: string, day: string): number | null => {
  const d = daysBetween(admittedOn, day);
  return d < 0 ? null : Math.floor(d / 7) + 1;
};

/** % negative by week since admission over many patients: each week's outcomes pooled, under a convention; weeks in order. */
export function weeklyRates(patients: readonly { admittedOn: string; screens: readonly ScheduledScreen[] }[], group: AnalyteGroup, convention: Convention): ({ week: number } & Rate)[] {
  const byWeek = new Map<number, Outcome[]>();
  for (const p of patients)
    for (const s of p.screens) {
      const week = weekSinceAdmission(p.admittedOn, s.scheduledOn);
      const o = groupOutcome(s, group);
      if (week === null || o === null) continue;
      byWeek.set(week, [...(byWeek.get(week) ?? []), o]);
    }
  return [...byWeek.keys()].sort((a, b) => a - b).map((week) => ({ week, ...negativeRate(byWeek.get(week)!, convention) }));
}

/**
 * The longest duration of abstinence: the most consecutive negative scheduled screens, in the
 * order they were scheduled. A positive or a screen not given ends a run; a screen that did not
 * test the group neither counts nor ends one.
 */
export function longestAbstinence(screens: readonly ScheduledScreen[], group: AnalyteGroup): number {
  let best = 0;
  let run = 0;
  for (const s of [...screens].sort((a, b) => (a.scheduledOn < b.scheduledOn ? -1 : a.scheduledOn > b.scheduledOn ? 1 : 0))) {
    const o = groupOutcome(s, group);
    if (o === null) continue;
    run = o === 'negative' ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/**
 * A patient's weeks in treatment, each one expected screen (the programme tests weekly at least:
 * federal OTP rules ask for eight a year, CM protocols more): week n's outcome is positive when
 * a screen that week is positive for the group, negative when it had screens testing the group
 * and all were negative, missing when none was given. Weeks from admission up to `until` (the
 * discharge or the end of the data); a week not yet over at `until` counts only if it has a screen.
 */
export function weeklyOutcomes(admittedOn: string, until: string, screens: readonly ScheduledScreen[], group: AnalyteGroup): Outcome[] {
  return outcomesFromMarks(
    admittedOn,
    until,
    weekMarks(
      admittedOn,
      screens.filter((s) => s.scheduledOn <= until),
      group,
    ),
  );
}

/** A week's mark: a screen positive for the group that week, screens all negative, or none given that tested it. */
const MARK = { positive: 'P', negative: 'N', none: '.' } as const;

/**
 * The screens' part of weeklyOutcomes, kept by the outcomes rollup (docs/outcomes.md "Volume"):
 * one character per week since admission up to the last week with a screen testing the group
 * (P positive, N negative, . none), whatever the day it is read.
 */
export function weekMarks(admittedOn: string, screens: readonly ScheduledScreen[], group: AnalyteGroup): string {
  const weeks = new Map<number, 'positive' | 'negative'>();
  for (const s of screens) {
    const week = weekSinceAdmission(admittedOn, s.scheduledOn);
    const o = groupOutcome(s, group);
    if (week === null || o === null || o === 'missing') continue;
    if (weeks.get(week) !== 'positive') weeks.set(week, o);
  }
  const last = Math.max(0, ...weeks.keys());
  let marks = '';
  for (let w = 1; w <= last; w++) {
    const o = weeks.get(w);
    marks += o ? MARK[o] : MARK.none;
  }
  return marks;
}

/** weeklyOutcomes from the week marks of the screens up to `until`: weeks to `until` (a week not over counts only with a screen), missing where none was given. */
export function outcomesFromMarks(admittedOn: string, until: string, marks: string): Outcome[] {
  const span = daysBetween(admittedOn, until);
  if (span < 0) return [];
  const last = Math.max(Math.floor((span + 1) / 7), marks.length);
  const out: Outcome[] = [];
  for (let w = 0; w < last; w++) out.push(marks[w] === MARK.positive ? 'positive' : marks[w] === MARK.negative ? 'negative' : 'missing');
  return out;
}
