import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abstinentWeeks, cohortKey, COHORTS, medicationOf, NO_CM, pooledWeeks, summariseAbstinence } from './dashboard.ts';
import type { Outcome } from './screens.ts';

describe('the outcomes dashboard, by hand', () => {
  it('cohorts: all, admission month, level of care, medication, CM protocol', () => {
    const a = { admittedOn: '2026-03-14', levelOfCare: 'otp', medications: ['Sertraline 50 mg', 'Buprenorphine/naloxone 16 mg', 'Methadone'], cmProtocol: 'Weekly cups' };
    expect(COHORTS.map((c) => cohortKey(c, a))).toEqual(['all', '2026-03', 'otp', 'buprenorphine', 'Weekly cups']);
    const b = { ...a, medications: ['Sertraline'], cmProtocol: null };
    expect([cohortKey('medication', b), cohortKey('cm-protocol', b)]).toEqual(['none', NO_CM]);
    expect(medicationOf(['Vivitrol (naltrexone ER)'])).toBe('naltrexone');
  });

  it('pools week n of every admission, with both conventions', () => {
    // week 1: negative, positive, missing → 1/3 counting missing as positive, 1/2 leaving it out
    // week 2: negative, negative (the third admission has no week 2) → 2/2 both ways
    const weeks = pooledWeeks([['negative', 'negative'], ['positive', 'negative'], ['missing']]);
    expect(weeks.map((w) => [w.week, w.admissions, w.missingPositive.negative, w.missingPositive.denominator, w.missingExcluded.denominator])).toEqual([
      [1, 3, 1, 3, 2],
      [2, 2, 2, 2, 2],
    ]);
    expect(weeks[0]!.missingExcluded.percent).toBe(50);
    expect(pooledWeeks([[], []])).toEqual([]);
  });

  it('the longest run of negative weeks, and its summary', () => {
    expect(abstinentWeeks(['negative', 'negative', 'missing', 'negative', 'negative', 'negative', 'positive'])).toBe(3);
    expect(abstinentWeeks([])).toBe(0);
    expect(summariseAbstinence([0, 4, 9, 12])).toEqual({
      admissions: 4,
      medianWeeks: 6.5,
      reached: [
        { weeks: 4, admissions: 3 },
        { weeks: 8, admissions: 2 },
        { weeks: 12, admissions: 1 },
      ],
    });
    expect(summariseAbstinence([5]).medianWeeks).toBe(5);
    expect(summariseAbstinence([]).medianWeeks).toBeNull();
  });

  it('pooled counts add up to every admission’s weeks, and a run never exceeds its negative weeks', () => {
    const outcome = fc.constantFrom<Outcome>('negative', 'positive', 'missing');
    fc.assert(
      fc.property(fc.array(fc.array(outcome, { maxLength: 20 }), { maxLength: 10 }), (all) => {
        const weeks = pooledWeeks(all);
        const total = weeks.reduce((n, w) => n + w.missingPositive.denominator, 0);
        expect(total).toBe(all.reduce((n, a) => n + a.length, 0));
        for (const w of weeks) expect(w.missingExcluded.denominator).toBe(w.missingPositive.denominator - w.missingPositive.missing);
        for (const a of all) expect(abstinentWeeks(a)).toBeLessThanOrEqual(a.filter((o) => o === 'negative').length);
      }),
    );
  });
});
