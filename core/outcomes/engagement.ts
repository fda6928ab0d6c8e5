// Engagement outcomes (issue 17, docs/outcomes.md "Engagement"): check-ins and skills-module
// activity by week since admission (the decay curve), the modules assigned, started and
// completed, and what happened after a peer referral (reached, medication for OUD started and
// how soon, naloxone received, overdoses after the referral). Pure: dates are programme-local
// days; a figure whose source was never recorded is null ("not recorded"), never 0.
import { daysBetween } from '../cm/calendar.ts';
import type { AttemptOutcome, ReferralOutcome } from '../peers/outreach.ts';
import { weekSinceAdmission } from './screens.ts';

/**
 * How many distinct days of `days` fall in each week since admission (index 0 = week 1, days
 * 0–6), from admission up to `until` (the discharge or the end of the data). As weeklyOutcomes
 * does for screens: a week not yet over at `until` counts only if it has one of the days; days
 * before admission or after `until` are not counted.
 */
export function daysByWeek(admittedOn: string, until: string, days: readonly string[]): number[] {
  const span = daysBetween(admittedOn, until);
  if (span < 0) return [];
  const complete = Math.floor((span + 1) / 7);
  const weeks = new Map<number, Set<string>>();
  for (const day of days) {
    const week = weekSinceAdmission(admittedOn, day);
    if (week === null || day > until) continue;
    weeks.set(week, (weeks.get(week) ?? new Set()).add(day));
  }
  const last = Math.max(complete, ...weeks.keys());
  const out: number[] = [];
  for (let w = 1; w <= last; w++) out.push(weeks.get(w)?.size ?? 0);
  return out;
}

/**
 * One week since admission over many admissions: how many admissions had that week in
 * treatment, how many were active in it (≥ 1 day), the share active and the mean active days
 * (zeros included). `active`, `percent` and `meanDays` are null when the source is not recorded.
 */
export type EngagementWeek = { week: number; admissions: number; active: number | null; percent: number | null; meanDays: number | null };

/** Pools each admission's days per week (index 0 = week 1) by week since admission; `recorded` false: the source has nothing for the period, so only the admissions are counted. */
export function engagementByWeek(perAdmission: readonly (readonly number[])[], recorded: boolean): EngagementWeek[] {
  const byWeek: number[][] = [];
  for (const weeks of perAdmission) weeks.forEach((n, i) => (byWeek[i] ??= []).push(n));
  return byWeek.map((ns, i) => {
    const admissions = ns.length;
    if (!recorded) return { week: i + 1, admissions, active: null, percent: null, meanDays: null };
    const active = ns.filter((n) => n > 0).length;
    return { week: i + 1, admissions, active, percent: (100 * active) / admissions, meanDays: ns.reduce((a, b) => a + b, 0) / admissions };
  });
}

/** A skills module of an admission: assigned during it (or not), and the days it was first opened and completed (null: not yet). */
export type ModuleFacts = { assigned: boolean; startedOn: string | null; completedOn: string | null };

export type ModuleFigures = {
  /** Modules assigned during the admissions (one per patient and module). */
  assigned: number;
  /** Of those, opened and completed by the end of the admission. */
  started: number;
  completed: number;
  /** completed ÷ assigned, in percent; null when none was assigned. */
  completionPercent: number | null;
  /** Modules opened from the library without an assignment during the admission, and of those completed. */
  unassigned: { started: number; completed: number };
};

/** The module figures of one admission's modules up to `until`: an assigned module counts as started or completed when that happened by `until`; an unassigned one counts when opened from admission to `until`. */
export function moduleFigures(admissions: readonly { admittedOn: string; until: string; modules: readonly ModuleFacts[] }[]): ModuleFigures {
  let assigned = 0;
  let started = 0;
  let completed = 0;
  let uStarted = 0;
  let uCompleted = 0;
  for (const a of admissions)
    for (const m of a.modules) {
      const startedBy = m.startedOn !== null && m.startedOn <= a.until;
      const completedBy = m.completedOn !== null && m.completedOn <= a.until;
      if (m.assigned) {
        assigned += 1;
        if (startedBy) started += 1;
        if (completedBy) completed += 1;
      } else if (startedBy && m.startedOn! >= a.admittedOn) {
        uStarted += 1;
        if (completedBy) uCompleted += 1;
      }
    }
  return { assigned, started, completed, completionPercent: assigned === 0 ? null : (100 * completed) / assigned, unassigned: { started: uStarted, completed: uCompleted } };
}

/** The median of some numbers; null with none. */
export function median(xs: readonly number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? null : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A peer referral as the outcomes read it: its day, its contact attempts (a correction names the one it replaces) and the outcomes recorded. */
export type ReferralFacts = {
  referredOn: string;
  attempts: readonly { id: string; outcome: AttemptOutcome; corrects: string | null }[];
  outcomes: readonly { kind: ReferralOutcome; occurredOn: string }[];
};

/** Whether a peer reached the person: an attempt in effect (not replaced by a correction) whose outcome is `reached`. */
export function wasReached(attempts: ReferralFacts['attempts']): boolean {
  const replaced = new Set(attempts.flatMap((a) => (a.corrects ? [a.corrects] : [])));
  return attempts.some((a) => a.outcome === 'reached' && !replaced.has(a.id));
}

export type PeerReferralFigures = {
  referrals: number;
  reached: number;
  /** Referrals with at least one outcome recorded; when 0 (and there are referrals), the outcome figures below are not recorded (null). */
  withOutcomes: number;
  moudStarted: number | null;
  /** Median days from the referral to the first medication for OUD started on or after it, over those who started; null with none. */
  medianDaysToMoud: number | null;
  enteredTreatment: number | null;
  naloxoneReceived: number | null;
  /** Referrals with at least one, and with two or more, overdoses recorded on or after the referral day. */
  overdoseAfter: number | null;
  repeatOverdoses: number | null;
};

/**
 * The peer-referral figures. Only outcomes dated on or after the referral day count (the
 * referral is the start). The outcome figures are null ("not recorded") when no referral has
 * any outcome recorded: outcomes are recorded when they happen, so their absence everywhere
 * says the peers are not recording them, not that nothing happened.
 */
export function peerReferralFigures(referrals: readonly ReferralFacts[]): PeerReferralFigures {
  const after = (r: ReferralFacts, kind: ReferralOutcome) => r.outcomes.filter((o) => o.kind === kind && o.occurredOn >= r.referredOn).map((o) => o.occurredOn);
  const withOutcomes = referrals.filter((r) => r.outcomes.length > 0).length;
  const recorded = withOutcomes > 0;
  const count = (pred: (r: ReferralFacts) => boolean) => (recorded ? referrals.filter(pred).length : null);
  const toMoud = referrals.flatMap((r) => {
    const days = after(r, 'moud-started').sort();
    return days.length ? [daysBetween(r.referredOn, days[0]!)] : [];
  });
  return {
    referrals: referrals.length,
    reached: referrals.filter((r) => wasReached(r.attempts)).length,
    withOutcomes,
    moudStarted: count((r) => after(r, 'moud-started').length > 0),
    medianDaysToMoud: median(toMoud),
    enteredTreatment: count((r) => after(r, 'entered-treatment').length > 0),
    naloxoneReceived: count((r) => after(r, 'naloxone-received').length > 0),
    overdoseAfter: count((r) => new Set(after(r, 'repeat-overdose')).size >= 1),
    repeatOverdoses: count((r) => new Set(after(r, 'repeat-overdose')).size >= 2),
  };
}
