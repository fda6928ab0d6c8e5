import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../cm/calendar.ts';
import { groupOutcome, longestAbstinence, negativeRate, outcomesFromMarks, weekMarks, weekSinceAdmission, weeklyOutcomes, weeklyRates, type Outcome, type ScheduledScreen } from './screens.ts';

const neg = (analyte: 'opiates' | 'fentanyl' | 'cocaine') => ({ analyte, result: 'negative' as const });
const pos = (analyte: 'opiates' | 'fentanyl' | 'cocaine' | 'buprenorphine', prescribed = false) => ({ analyte, result: 'positive' as const, prescribed });

// patient A, admitted 1 January: eight scheduled screens, computed by hand below
const a: ScheduledScreen[] = [
  { scheduledOn: '2026-01-02', results: [neg('opiates')] }, // week 1, negative
  { scheduledOn: '2026-01-05', results: null }, // week 1, not given
  { scheduledOn: '2026-01-09', results: [pos('fentanyl')] }, // week 2, positive
  { scheduledOn: '2026-01-12', results: [neg('opiates'), pos('buprenorphine', true)] }, // week 2, negative: the buprenorphine is prescribed
  { scheduledOn: '2026-01-16', results: [neg('opiates'), pos('buprenorphine')] }, // week 3, positive: not prescribed
  { scheduledOn: '2026-01-19', results: [pos('cocaine')] }, // week 3, no opioid tested
  { scheduledOn: '2026-01-23', results: [neg('opiates')] }, // week 4
  { scheduledOn: '2026-01-26', results: [neg('opiates')] }, // week 4
];

describe('drug-screen outcomes, by hand', () => {
  it('a screen’s outcome for a group: missing, not tested, a prescribed medicine is not use', () => {
    expect(a.map((s) => groupOutcome(s, 'opioids'))).toEqual(['negative', 'missing', 'positive', 'negative', 'positive', null, 'negative', 'negative']);
    expect(a.map((s) => groupOutcome(s, 'stimulants'))).toEqual([null, 'missing', null, null, null, 'positive', null, null]);
  });

  it('both conventions, with the counts behind them', () => {
    const opioids = a.map((s) => groupOutcome(s, 'opioids')).filter((o): o is Outcome => o !== null);
    expect(negativeRate(opioids, 'missing-positive')).toEqual({ negative: 4, positive: 2, missing: 1, denominator: 7, percent: (100 * 4) / 7 });
    expect(negativeRate(opioids, 'missing-excluded')).toEqual({ negative: 4, positive: 2, missing: 1, denominator: 6, percent: (100 * 4) / 6 });
    expect(negativeRate(['missing'], 'missing-excluded')).toEqual({ negative: 0, positive: 0, missing: 1, denominator: 0, percent: null });
    expect(negativeRate([], 'missing-positive').percent).toBeNull();
  });

  it('the longest run of negative scheduled screens: a missed or positive one ends it, one not testing the group does not', () => {
    expect(longestAbstinence(a, 'opioids')).toBe(2);
    expect(longestAbstinence([...a].reverse(), 'opioids')).toBe(2); // scheduled order, not the order given
    expect(longestAbstinence(a, 'stimulants')).toBe(0);
    expect(longestAbstinence([], 'opioids')).toBe(0);
    const run = [a[3]!, a[5]!, a[6]!, a[7]!]; // negative, (no opioid tested), negative, negative
    expect(longestAbstinence(run, 'opioids')).toBe(3);
  });

  it('weeks since admission: week 1 is days 0–6; before admission has none', () => {
    expect(weekSinceAdmission('2026-01-01', '2026-01-01')).toBe(1);
    expect(weekSinceAdmission('2026-01-01', '2026-01-07')).toBe(1);
    expect(weekSinceAdmission('2026-01-01', '2026-01-08')).toBe(2);
    expect(weekSinceAdmission('2026-01-05', '2026-01-04')).toBeNull();
  });

  it('% negative by week over patients, pooled per week', () => {
    const b = {
      admittedOn: '2026-01-05',
      screens: [
        { scheduledOn: '2026-01-04', results: [pos('opiates')] },
        { scheduledOn: '2026-01-06', results: [neg('opiates')] },
      ],
    };
    const patients = [{ admittedOn: '2026-01-01', screens: a }, b];
    expect(weeklyRates(patients, 'opioids', 'missing-positive').map((w) => [w.week, w.negative, w.denominator])).toEqual([
      [1, 2, 3],
      [2, 1, 2],
      [3, 0, 1],
      [4, 2, 2],
    ]);
    expect(weeklyRates(patients, 'opioids', 'missing-excluded').map((w) => [w.week, w.percent])).toEqual([
      [1, 100],
      [2, 50],
      [3, 0],
      [4, 100],
    ]);
  });
});

describe('drug-screen outcomes, properties', () => {
  const outcomes = fc.array(fc.constantFrom<Outcome>('negative', 'positive', 'missing'), { maxLength: 80 });

  it('leaving missing screens out never lowers the share negative', () => {
    fc.assert(
      fc.property(outcomes, (os) => {
        const kept = negativeRate(os, 'missing-positive');
        const left = negativeRate(os, 'missing-excluded');
        if (kept.percent !== null && left.percent !== null) expect(left.percent).toBeGreaterThanOrEqual(kept.percent - 1e-9);
        expect(kept.negative + kept.positive + kept.missing).toBe(os.length);
      }),
    );
  });

  it('the longest run is at most the number of negatives, and all negatives make one run', () => {
    fc.assert(
      fc.property(outcomes, (os) => {
        const screens: ScheduledScreen[] = os.map((o, i) => ({
          scheduledOn: `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
          results: o === 'missing' ? null : [o === 'negative' ? neg('opiates') : pos('opiates')],
        }));
        const n = os.filter((o) => o === 'negative').length;
        const lda = longestAbstinence(screens, 'opioids');
        expect(lda).toBeLessThanOrEqual(n);
        if (n === os.length) expect(lda).toBe(n);
      }),
    );
  });
});

describe('weekly outcomes: one expected screen a week', () => {
  it('each week positive if any screen was, negative if all were, missing with none; an unfinished week only with a screen', () => {
    // admitted 1 Jan; until 27 Jan = day 26: three complete weeks (days 0–20) and week 4 under way
    expect(weeklyOutcomes('2026-01-01', '2026-01-27', a, 'opioids')).toEqual(['negative', 'positive', 'positive', 'negative']);
    expect(weeklyOutcomes('2026-01-01', '2026-01-22', a, 'opioids')).toEqual(['negative', 'positive', 'positive']); // week 4's screens come after
    expect(weeklyOutcomes('2026-01-01', '2026-01-27', [], 'opioids')).toEqual(['missing', 'missing', 'missing']);
    expect(weeklyOutcomes('2026-01-01', '2026-01-27', a, 'stimulants')).toEqual(['missing', 'missing', 'positive']);
    expect(weeklyOutcomes('2026-01-05', '2026-01-04', a, 'opioids')).toEqual([]);
  });
});

describe('the rollup’s week marks (ADR 058)', () => {
  // weeklyOutcomes as written before the rollup: the oracle the marks must reproduce
  const reference = (admittedOn: string, until: string, screens: readonly ScheduledScreen[]): Outcome[] => {
    const span = daysBetween(admittedOn, until);
    if (span < 0) return [];
    const weeks = new Map<number, Outcome[]>();
    for (const s of screens) {
      const week = weekSinceAdmission(admittedOn, s.scheduledOn);
      const o = groupOutcome(s, 'opioids');
      if (week === null || s.scheduledOn > until || o === null || o === 'missing') continue;
      weeks.set(week, [...(weeks.get(week) ?? []), o]);
    }
    const last = Math.max(Math.floor((span + 1) / 7), ...weeks.keys());
    return Array.from({ length: last }, (_, i) => {
      const os = weeks.get(i + 1);
      return !os ? 'missing' : os.includes('positive') ? 'positive' : 'negative';
    });
  };
  const day = (max: number) => fc.integer({ min: -10, max }).map((n) => addDays('2026-01-01', n));
  const result = fc.record({
    analyte: fc.constantFrom('opiates' as const, 'fentanyl' as const, 'cocaine' as const, 'buprenorphine' as const),
    result: fc.constantFrom('negative' as const, 'positive' as const),
    prescribed: fc.boolean(),
  });
  const screen = fc.record({ scheduledOn: day(120), results: fc.option(fc.array(result, { maxLength: 3 }), { nil: null }) });

  it('the marks of the screens up to a day, read on any later day, give the weeks weeklyOutcomes gives', () => {
    fc.assert(
      fc.property(fc.array(screen, { maxLength: 30 }), day(120), fc.integer({ min: 0, max: 60 }), (screens, until, later) => {
        const upTo = screens.filter((s) => s.scheduledOn <= until);
        const marks = weekMarks('2026-01-01', upTo, 'opioids');
        // read the day it was folded, and after: weeks with no screen since are missing, none are lost
        expect(outcomesFromMarks('2026-01-01', until, marks)).toEqual(reference('2026-01-01', until, upTo));
        expect(outcomesFromMarks('2026-01-01', addDays(until, later), marks)).toEqual(reference('2026-01-01', addDays(until, later), upTo));
        expect(weeklyOutcomes('2026-01-01', until, screens, 'opioids')).toEqual(reference('2026-01-01', until, screens));
      }),
    );
  });
});
