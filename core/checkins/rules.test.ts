// Each risk rule, by example: it fires when its condition holds and not otherwise.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_RULES, evaluateCheckIn, riskRuleProblems, type RiskRuleSettings, type RuleCheckIn } from './rules.ts';
import type { CheckInAnswers } from './answers.ts';

let n = 0;
const ci = (day: string, answers: CheckInAnswers, at = `${day}T15:00:00.000Z`): RuleCheckIn => ({ id: `c${String(++n).padStart(4, '0')}`, day, at, answers });
const codes = (history: RuleCheckIn[], current: RuleCheckIn, s: RiskRuleSettings = DEFAULT_RISK_RULES) => evaluateCheckIn(s, [...history, current], current).fired.map((f) => f.code);

describe('craving on days running', () => {
  it('fires on the second day running at or above 8', () => {
    expect(codes([ci('2026-03-01', { craving: 8 })], ci('2026-03-02', { craving: 9 }))).toEqual(['craving-run']);
  });
  it('does not fire with a gap day, a lower craving, or only one day', () => {
    expect(codes([ci('2026-03-01', { craving: 9 })], ci('2026-03-03', { craving: 9 }))).toEqual([]);
    expect(codes([ci('2026-03-01', { craving: 7 })], ci('2026-03-02', { craving: 9 }))).toEqual([]);
    expect(codes([], ci('2026-03-02', { craving: 10 }))).toEqual([]);
    // two high check-ins on one day are one day
    expect(codes([ci('2026-03-02', { craving: 9 }, '2026-03-02T10:00:00.000Z')], ci('2026-03-02', { craving: 9 }))).toEqual([]);
  });
  it('uses the programme threshold and run length', () => {
    const s = { ...DEFAULT_RISK_RULES, cravingRun: { ...DEFAULT_RISK_RULES.cravingRun, threshold: 6, days: 3 } };
    const h = [ci('2026-03-01', { craving: 6 }), ci('2026-03-02', { craving: 7 })];
    expect(codes(h, ci('2026-03-03', { craving: 6 }), s)).toEqual(['craving-run']);
    expect(codes(h.slice(1), ci('2026-03-03', { craving: 6 }), s)).toEqual([]);
  });
  it('can be switched off', () => {
    const s = { ...DEFAULT_RISK_RULES, cravingRun: { ...DEFAULT_RISK_RULES.cravingRun, enabled: false } };
    expect(codes([ci('2026-03-01', { craving: 10 })], ci('2026-03-02', { craving: 10 }), s)).toEqual([]);
  });
});

describe('missed doses', () => {
  it('fires on the second missed dose within 7 days', () => {
    expect(codes([ci('2026-03-01', { medication: 'missed' })], ci('2026-03-07', { medication: 'missed' }))).toEqual(['missed-doses']);
  });
  it('does not fire outside the window, on a taken dose, or on not-applicable', () => {
    expect(codes([ci('2026-03-01', { medication: 'missed' })], ci('2026-03-08', { medication: 'missed' }))).toEqual([]);
    expect(codes([ci('2026-03-01', { medication: 'missed' })], ci('2026-03-02', { medication: 'taken' }))).toEqual([]);
    expect(codes([ci('2026-03-01', { medication: 'not-applicable' })], ci('2026-03-02', { medication: 'missed' }))).toEqual([]);
  });
});

describe('use after a stretch without use', () => {
  it('fires (urgent) with naloxone steps when use follows 14 days without reported use', () => {
    const r = evaluateCheckIn(DEFAULT_RISK_RULES, [ci('2026-03-01', { use: { any: false } })], ci('2026-03-15', { use: { any: true, substances: ['fentanyl'] } }));
    expect(r.fired).toEqual([{ code: 'use-after-abstinence', severity: 'urgent' }]);
    expect(r.show).toEqual({ crisis: false, naloxone: true });
  });
  it('counts from the last reported use', () => {
    expect(codes([ci('2026-02-01', { use: { any: true, substances: [] } }), ci('2026-02-20', { use: { any: false } })], ci('2026-02-14', { use: { any: true, substances: [] } }))).toEqual([]);
    expect(codes([ci('2026-02-01', { use: { any: true, substances: [] } })], ci('2026-02-15', { use: { any: true, substances: [] } }))).toEqual(['use-after-abstinence']);
    expect(codes([ci('2026-02-02', { use: { any: true, substances: [] } })], ci('2026-02-15', { use: { any: true, substances: [] } }))).toEqual([]);
  });
  it('does not fire on a first check-in (nothing is known before it), nor on "no use"', () => {
    const r = evaluateCheckIn(DEFAULT_RISK_RULES, [], ci('2026-03-15', { use: { any: true, substances: [] } }));
    expect(r).toEqual({ fired: [], show: { crisis: false, naloxone: false } });
    expect(codes([ci('2026-02-01', { use: { any: false } })], ci('2026-03-15', { use: { any: false } }))).toEqual([]);
  });
  it('ignores check-ins made after the current one', () => {
    expect(codes([ci('2026-03-01', { mood: 3 }), ci('2026-03-20', { use: { any: true, substances: [] } })], ci('2026-03-16', { use: { any: true, substances: [] } }))).toEqual([
      'use-after-abstinence',
    ]);
  });
});

describe('not safe right now', () => {
  it('is urgent, shows the crisis screen, and comes first', () => {
    const r = evaluateCheckIn(DEFAULT_RISK_RULES, [ci('2026-03-01', { craving: 9 })], ci('2026-03-02', { craving: 9, notSafe: true }));
    expect(r.fired).toEqual([
      { code: 'not-safe', severity: 'urgent' },
      { code: 'craving-run', severity: 'warning' },
    ]);
    expect(r.show.crisis).toBe(true);
  });
});

describe('settings validation', () => {
  it('accepts the defaults and names each bad field', () => {
    expect(riskRuleProblems(DEFAULT_RISK_RULES)).toEqual([]);
    const bad = { ...DEFAULT_RISK_RULES, cravingRun: { ...DEFAULT_RISK_RULES.cravingRun, threshold: 11 }, useAfterAbstinence: { ...DEFAULT_RISK_RULES.useAfterAbstinence, days: 1.5 } };
    expect(riskRuleProblems(bad).map((p) => p.field)).toEqual(['cravingRun.threshold', 'useAfterAbstinence.days']);
    expect(riskRuleProblems({ ...DEFAULT_RISK_RULES, missedDoses: { enabled: true, count: 5, windowDays: 3, severity: 'info' } }).map((p) => p.field)).toEqual(['missedDoses.count']);
  });
});
