// Retention in treatment as a survival curve (issue 17, docs/outcomes.md): the Kaplan–Meier
// product-limit estimate over each patient's days in treatment, with censoring for those still
// in treatment when the data end. Pure; dates are programme-local calendar dates (YYYY-MM-DD).
import { addDays, daysBetween } from '../cm/calendar.ts';

/** One patient's time in treatment: `days` from admission; `ended` when they left (an event), false when still in treatment at the data's end (censored). */
export type Spell = { days: number; ended: boolean };

/** One step of the curve: on `day`, of `atRisk` still in treatment, `events` left and `censored` were last seen; `survival` is the share still in treatment after the day. */
export type Step = { day: number; atRisk: number; events: number; censored: number; survival: number };

export type Curve = { n: number; events: number; censored: number; steps: Step[] };

/**
 * The Kaplan–Meier estimate. Each distinct day with an event or a censoring is a step; on a day
 * with both, the events are counted first (a patient censored that day was still at risk), the
 * usual convention. S(t) = Π over event days d ≤ t of (1 − events_d / atRisk_d).
 */
export function kaplanMeier(spells: readonly Spell[]): Curve {
  for (const s of spells) if (!Number.isInteger(s.days) || s.days < 0) throw new RangeError(`days must be a whole number ≥ 0, got ${s.days}`);
  const byDay = new Map<number, { events: number; censored: number }>();
  for (const s of spells) {
    const d = byDay.get(s.days) ?? { events: 0, censored: 0 };
    if (s.ended) d.events += 1;
    else d.censored += 1;
    byDay.set(s.days, d);
  }
  let atRisk = spells.length;
  let survival = 1;
  const steps: Step[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const { events, censored } = byDay.get(day)!;
    if (events > 0) survival *= 1 - events / atRisk;
    steps.push({ day, atRisk, events, censored, survival });
    atRisk -= events + censored;
  }
  const events = spells.filter((s) => s.ended).length;
  return { n: spells.length, events, censored: spells.length - events, steps };
}

/**
 * The share still in treatment on `day` (S(day)), or null when the curve cannot say: no
 * patients, or `day` is after the longest follow-up while some were still in treatment then.
 */
export function survivalAt(curve: Curve, day: number): number | null {
  const last = curve.steps.at(-1);
  if (!last) return null;
  let s = 1;
  for (const step of curve.steps) {
    if (step.day > day) break;
    s = step.survival;
  }
  return day > last.day && s > 0 ? null : s;
}

/** A patient's admission and what ended (or did not end) their time in treatment. */
export type Admission = { admittedOn: string; dischargedOn: string | null; lastContactOn: string | null };

/** Days with no contact after which a patient who was not discharged counts as having left, at their last contact. */
export const LOST_AFTER_DAYS = 30;

/**
 * Time in treatment from admission, as of `asOf` (the end of the data): discharged → an event on
 * the discharge day; not discharged but no contact for more than LOST_AFTER_DAYS → an event on
 * the last contact (or on admission, with none); otherwise censored at `asOf`. An admission after
 * `asOf` has no spell (null).
 */
export function spellOf(a: Admission, asOf: string): Spell | null {
  if (a.admittedOn > asOf) return null;
  if (a.dischargedOn && a.dischargedOn <= asOf) return { days: Math.max(0, daysBetween(a.admittedOn, a.dischargedOn)), ended: true };
  const last = a.lastContactOn && a.lastContactOn >= a.admittedOn ? (a.lastContactOn > asOf ? asOf : a.lastContactOn) : a.admittedOn;
  if (addDays(last, LOST_AFTER_DAYS) < asOf) return { days: daysBetween(a.admittedOn, last), ended: true };
  return { days: daysBetween(a.admittedOn, asOf), ended: false };
}
