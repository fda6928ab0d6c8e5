// Risk rules over a patient's check-ins, as data a programme configures. Evaluation is a
// pure function: the check-in just recorded and the patient's other check-ins (in any
// order) in, the rules it fires and what the patient must see at once out. Day
// boundaries are the programme's (each check-in carries its programme-local day).
import { addDays, daysBetween } from '../cm/calendar.ts';
import type { CheckInAnswers } from './answers.ts';

export const SEVERITIES = ['urgent', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Urgent first: the order of the care team's work list. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export const RULE_CODES = ['craving-run', 'missed-doses', 'use-after-abstinence', 'not-safe'] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** A programme's risk-rule settings. "I am not safe right now" is always urgent and cannot be switched off. */
export type RiskRuleSettings = {
  /** Craving at or above `threshold` on `days` programme days running. */
  cravingRun: { enabled: boolean; threshold: number; days: number; severity: Severity };
  /** `count` days with a missed dose within the last `windowDays` programme days. */
  missedDoses: { enabled: boolean; count: number; windowDays: number; severity: Severity };
  /** Use reported after at least `days` days without reported use: overdose risk (lost tolerance). */
  useAfterAbstinence: { enabled: boolean; days: number; severity: Severity };
};

export const DEFAULT_RISK_RULES: RiskRuleSettings = {
  cravingRun: { enabled: true, threshold: 8, days: 2, severity: 'warning' },
  missedDoses: { enabled: true, count: 2, windowDays: 7, severity: 'warning' },
  useAfterAbstinence: { enabled: true, days: 14, severity: 'urgent' },
};

/** The bounds an administrator may set (the contract and the Settings page use these). */
export const RULE_LIMITS = {
  cravingThreshold: { min: 1, max: 10 },
  cravingDays: { min: 1, max: 14 },
  missedCount: { min: 1, max: 14 },
  missedWindowDays: { min: 1, max: 30 },
  abstinentDays: { min: 3, max: 365 },
} as const;

/** Problems with a settings document (field paths as the API names them), empty when valid. */
export function riskRuleProblems(s: RiskRuleSettings): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  const check = (field: string, v: number, lim: { min: number; max: number }) => {
    if (!Number.isInteger(v) || v < lim.min || v > lim.max) out.push({ field, message: `must be a whole number from ${lim.min} to ${lim.max}` });
  };
  check('cravingRun.threshold', s.cravingRun.threshold, RULE_LIMITS.cravingThreshold);
  check('cravingRun.days', s.cravingRun.days, RULE_LIMITS.cravingDays);
  check('missedDoses.count', s.missedDoses.count, RULE_LIMITS.missedCount);
  check('missedDoses.windowDays', s.missedDoses.windowDays, RULE_LIMITS.missedWindowDays);
  check('useAfterAbstinence.days', s.useAfterAbstinence.days, RULE_LIMITS.abstinentDays);
  if (out.length === 0 && s.missedDoses.count > s.missedDoses.windowDays) out.push({ field: 'missedDoses.count', message: 'cannot be more than the window in days' });
  return out;
}

/** One check-in as the rules see it: its programme-local day, when it was made, its answers, and the rules it has fired so far. */
export type RuleCheckIn = { id: string; day: string; at: string; answers: CheckInAnswers; fired?: readonly RuleCode[] | undefined };

export type FiredRule = { code: RuleCode; severity: Severity };
export type Evaluation = {
  fired: FiredRule[];
  /** What the patient's screen must show at once. */
  show: { crisis: boolean; naloxone: boolean };
};

/** The canonical order of check-ins: by day, then instant, then id (so input order never matters). */
const before = (a: RuleCheckIn, b: RuleCheckIn) => a.day < b.day || (a.day === b.day && (a.at < b.at || (a.at === b.at && a.id < b.id)));

/**
 * The rules `current` fires, given the patient's check-ins (which may include `current`
 * and check-ins made later; only those up to `current` count).
 */
export function evaluateCheckIn(settings: RiskRuleSettings, checkIns: readonly RuleCheckIn[], current: RuleCheckIn): Evaluation {
  const earlier = checkIns.filter((c) => c.id !== current.id && before(c, current));
  const upTo = [...earlier, current];
  const a = current.answers;
  const fired: FiredRule[] = [];

  if (a.notSafe === true) fired.push({ code: 'not-safe', severity: 'urgent' });

  const { cravingRun, missedDoses, useAfterAbstinence } = settings;
  if (cravingRun.enabled && a.craving !== undefined && a.craving >= cravingRun.threshold) {
    const high = new Set(upTo.filter((c) => c.answers.craving !== undefined && c.answers.craving >= cravingRun.threshold).map((c) => c.day));
    let run = 0;
    while (run < cravingRun.days && high.has(addDays(current.day, -run))) run += 1;
    if (run >= cravingRun.days) fired.push({ code: 'craving-run', severity: cravingRun.severity });
  }

  if (missedDoses.enabled && a.medication === 'missed') {
    const from = addDays(current.day, -(missedDoses.windowDays - 1));
    const missedDays = new Set(upTo.filter((c) => c.answers.medication === 'missed' && c.day >= from).map((c) => c.day));
    if (missedDays.size >= missedDoses.count) fired.push({ code: 'missed-doses', severity: missedDoses.severity });
  }

  let naloxone = false;
  if (useAfterAbstinence.enabled && a.use?.any === true && earlier.length > 0) {
    const uses = earlier.filter((c) => c.answers.use?.any === true).map((c) => c.day);
    // without use reported before, the span runs from the patient's first check-in
    const since = uses.length > 0 ? uses.reduce((x, y) => (x > y ? x : y)) : earlier.reduce((x, y) => (before(x, y) ? x : y)).day;
    if (daysBetween(since, current.day) >= useAfterAbstinence.days) {
      fired.push({ code: 'use-after-abstinence', severity: useAfterAbstinence.severity });
      naloxone = true;
    }
  }

  fired.sort((x, y) => severityRank(x.severity) - severityRank(y.severity) || RULE_CODES.indexOf(x.code) - RULE_CODES.indexOf(y.code));
  return { fired, show: { crisis: a.notSafe === true, naloxone } };
}

export type Arrival = Evaluation & {
  /** Later check-ins that fire a rule now that `arrived` is known (an offline check-in sent late can complete a run). */
  later: Array<{ id: string; fired: FiredRule[] }>;
};

/**
 * A check-in has arrived: the rules it fires, and the rules that check-ins made after it
 * (already recorded) fire now and had not fired before. With this, no rule is missed
 * because check-ins arrived out of order (rules.property.test.ts).
 */
export function evaluateArrival(settings: RiskRuleSettings, checkIns: readonly RuleCheckIn[], arrived: RuleCheckIn): Arrival {
  const own = evaluateCheckIn(settings, checkIns, arrived);
  const later: Arrival['later'] = [];
  for (const c of [...checkIns].filter((c) => c.id !== arrived.id && before(arrived, c)).sort((a, b) => (before(a, b) ? -1 : 1))) {
    // what matters to a later check-in is its own answers (notSafe stays with the check-in that said it)
    const fresh = evaluateCheckIn(settings, checkIns, c).fired.filter((f) => f.code !== 'not-safe' && !(c.fired ?? []).includes(f.code));
    if (fresh.length > 0) later.push({ id: c.id, fired: fresh });
  }
  return { ...own, later };
}

/** How many days of history the rules need before `day` (the server reads no further back). */
export function lookbackDays(settings: RiskRuleSettings): number {
  return Math.max(settings.cravingRun.days, settings.missedDoses.windowDays, settings.useAfterAbstinence.days, 1);
}
