import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../cm/ledger.ts';
import { chiSquareSurvival, costFigures, enrolmentMoney, fairness, gammaQ, lnGammaHalf, spendBySource, type EnrolmentMoney } from './cost.ts';

const e = (id: string, kind: LedgerEntry['kind'], cents: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  kind,
  event: null,
  track: null,
  month: '2026-03',
  cents,
  n: null,
  tier: null,
  capped: null,
  ...extra,
});

describe('enrolmentMoney, by hand', () => {
  it('earned is paid money net of voids and debits (forgiven is a memo); redeemed is paid − balance; a cap cut counts unless voided', () => {
    const entries = [
      e('a/stim/earn', 'earn', 250),
      e('b/stim/earn', 'earn', 375),
      e('c/stim/earn', 'earn', 500),
      e('c/stim/bonus', 'bonus', 1000),
      e('void/1', 'void', 375, { voids: 'b/stim/earn' }),
      e('d/draws/prize/1', 'prize', 100, { n: 1, tier: 'small' }),
      e('a/stim/forgiven/1', 'forgiven', 50),
      e('a/stim/debit/1', 'debit', 25),
      e('redemption/r/1', 'redemption', 500),
    ];
    // paid = 250 + 500 + 1000 + 100 − 25 = 1825; balance = 1825 − 500 = 1325
    expect(enrolmentMoney(entries)).toEqual({ earnedCents: 1825, redeemedCents: 500, capped: false });
    expect(enrolmentMoney([...entries, e('x/stim/earn', 'earn', 0, { capped: 'perYear' })]).capped).toBe(true);
    expect(enrolmentMoney([e('x/stim/earn', 'earn', 10, { capped: 'perYear' }), e('v', 'void', 10, { voids: 'x/stim/earn' })]).capped).toBe(false);
  });
});

describe('spendBySource, by hand', () => {
  const m = (earnedCents: number, redeemedCents = 0, capped = false): EnrolmentMoney => ({ earnedCents, redeemedCents, capped });
  const sources = [
    { id: 'state', name: 'State grant', budgetCents: 10_000, capsPreset: 'none', perYearCents: null },
    { id: 'waiver', name: 'Waiver', budgetCents: null, capsPreset: 'medicaid-style', perYearCents: 59_900 },
    { id: 'idle', name: 'Unused', budgetCents: 0, capsPreset: null, perYearCents: null },
  ];
  const rows = spendBySource(sources, [
    { fundingSourceId: 'state', money: m(1750, 500) },
    { fundingSourceId: 'state', money: m(800, 0, true) },
    { fundingSourceId: 'waiver', money: m(600, 0, true) },
    { fundingSourceId: null, money: m(125) },
  ]);

  it('sums each source, against its budget (null budget: not recorded), with the enrolments capped', () => {
    expect(rows.map((r) => [r.fundingSourceId, r.enrolments, r.earnedCents, r.redeemedCents, r.budgetCents, r.remainingCents, r.percentUsed, r.enrolmentsCapped])).toEqual([
      ['state', 2, 2550, 500, 10_000, 7450, 25.5, 1],
      ['waiver', 1, 600, 0, null, null, null, 1],
      ['idle', 0, 0, 0, 0, 0, null, 0],
      [null, 1, 125, 0, null, null, null, 0],
    ]);
  });

  it('no row for "no funding source" when every enrolment has one', () => {
    expect(spendBySource(sources, [{ fundingSourceId: 'state', money: m(1) }]).map((r) => r.fundingSourceId)).toEqual(['state', 'waiver', 'idle']);
  });
});

describe('costFigures, by hand', () => {
  it('per patient, per negative screen, per week in treatment', () => {
    // 36 days in treatment = 36/7 weeks; 2475 cents ÷ 36/7 = 481.25
    expect(costFigures(2475, 3, 5, 25 + 11)).toEqual({
      earnedCents: 2475,
      patients: 3,
      negativeScreens: 5,
      retainedDays: 36,
      retainedWeeks: 36 / 7,
      perPatientCents: 825,
      perNegativeScreenCents: 495,
      perRetainedWeekCents: 481.25,
    });
  });
  it('null (not recorded) when a denominator is 0, never 0', () => {
    expect(costFigures(0, 0, 0, 0)).toMatchObject({ perPatientCents: null, perNegativeScreenCents: null, perRetainedWeekCents: null });
  });
});

describe('the chi-square distribution', () => {
  it('known values', () => {
    expect(lnGammaHalf(1)).toBe(0);
    expect(lnGammaHalf(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGammaHalf(10)).toBeCloseTo(Math.log(362_880), 12);
    // Γ(5/2) = 3√π / 4
    expect(lnGammaHalf(2.5)).toBeCloseTo(Math.log((3 * Math.sqrt(Math.PI)) / 4), 14);
    // the 5% critical values of the tables
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(7.814728, 3)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(23.209251, 10)).toBeCloseTo(0.01, 6);
    // df 1 at 4: erfc(√2) = 0.0455002638
    expect(chiSquareSurvival(4, 1)).toBeCloseTo(0.0455002638, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
  it('property: with 2 degrees of freedom Q is exp(−x/2); Q falls as x grows and stays in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), (x) => {
        expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 10);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 1, max: 40 }), (x, y, df) => {
        const [lo, hi] = x < y ? [x, y] : [y, x];
        const a = chiSquareSurvival(lo, df);
        const b = chiSquareSurvival(hi, df);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(a + 1e-12);
        // the two halves of the incomplete gamma agree where they meet
        expect(gammaQ(df / 2, df / 2 + 1 - 1e-9)).toBeCloseTo(gammaQ(df / 2, df / 2 + 1 + 1e-9), 6);
      }),
    );
  });
});

describe('fairness, by hand', () => {
  const coin = {
    slips: [
      { tier: 'none', label: 'Good job!', count: 1, valueCents: 0 },
      { tier: 'small', count: 1, valueCents: 100 },
    ],
  };

  it('100 draws of a two-tier bowl: 60 none, 40 small', () => {
    const f = fairness(coin, [...Array<string>(60).fill('none'), ...Array<string>(40).fill('small')]);
    expect(f.tiers).toEqual([
      { tier: 'none', label: 'Good job!', valueCents: 0, probability: 0.5, expected: 50, observed: 60 },
      { tier: 'small', label: null, valueCents: 100, probability: 0.5, expected: 50, observed: 40 },
    ]);
    // EV = 50 cents a draw; observed mean = 40 × 100 / 100 = 40; χ² = (10² + 10²) / 50 = 4 on 1 df
    expect(f).toMatchObject({ draws: 100, unknownTier: 0, expectedValueCents: 50, observedMeanCents: 40, chiSquare: 4, degreesOfFreedom: 1, reliable: true });
    expect(f.pValue).toBeCloseTo(0.0455002638, 9);
  });

  it('the published bowl: a tier expecting fewer than 5 draws makes the test not reliable (no p-value)', () => {
    const bowl = {
      slips: [
        { tier: 'none', count: 250, valueCents: 0 },
        { tier: 'small', count: 209, valueCents: 100 },
        { tier: 'large', count: 40, valueCents: 2000 },
        { tier: 'jumbo', count: 1, valueCents: 10000 },
      ],
    };
    const f = fairness(bowl, ['none', 'small', 'small', 'large', 'none']);
    // expected for 5 draws: 2.5, 2.09, 0.4, 0.01; EV = (209·100 + 40·2000 + 10000) / 500 = 221.8
    expect(f.tiers.map((t) => [t.tier, t.expected, t.observed])).toEqual([
      ['none', 2.5, 2],
      ['small', 2.09, 2],
      ['large', 0.4, 1],
      ['jumbo', 0.01, 0],
    ]);
    expect(f.expectedValueCents).toBeCloseTo(221.8, 10);
    expect(f.observedMeanCents).toBe((2 * 100 + 2000) / 5);
    // χ² = 0.25/2.5 + 0.0081/2.09 + 0.36/0.4 + 0.0001/0.01 (each (o − e)² / e)
    expect(f.chiSquare).toBeCloseTo(0.1 + 0.0081 / 2.09 + 0.9 + 0.01, 10);
    expect(f).toMatchObject({ degreesOfFreedom: 3, reliable: false, pValue: null });
  });

  it('no draws: nothing observed, the statistic not recorded; a one-tier bowl has no test', () => {
    expect(fairness(coin, [])).toMatchObject({ draws: 0, observedMeanCents: null, chiSquare: null, degreesOfFreedom: null, pValue: null, reliable: false });
    expect(fairness({ slips: [{ tier: 'only', count: 3, valueCents: 5 }] }, ['only', 'only'])).toMatchObject({ draws: 2, observedMeanCents: 5, chiSquare: null, pValue: null });
    expect(fairness(coin, ['none', 'mystery']).unknownTier).toBe(1);
  });

  it('property: observed counts sum to the draws, expected counts too; exactly the expected counts give χ² = 0 and p = 1', () => {
    const slip = fc.record({ tier: fc.constantFrom('a', 'b', 'c', 'd', 'e'), count: fc.integer({ min: 1, max: 50 }), valueCents: fc.integer({ min: 0, max: 5000 }) });
    fc.assert(
      fc.property(fc.array(slip, { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 200 }), (slips, drawn) => {
        const f = fairness({ slips }, drawn);
        expect(f.tiers.reduce((a, t) => a + t.observed, 0)).toBe(f.draws);
        expect(f.draws + f.unknownTier).toBe(drawn.length);
        expect(f.tiers.reduce((a, t) => a + t.expected, 0)).toBeCloseTo(f.draws, 8);
        if (f.pValue !== null) {
          expect(f.reliable).toBe(true);
          expect(f.pValue).toBeGreaterThanOrEqual(0);
          expect(f.pValue).toBeLessThanOrEqual(1);
        }
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }), fc.integer({ min: 5, max: 20 }), (counts, k) => {
        // k draws per slip of each tier: observed is exactly expected
        const slips = counts.map((count, i) => ({ tier: `t${i}`, count, valueCents: i * 100 }));
        const drawn = slips.flatMap((s) => Array<string>(s.count * k).fill(s.tier));
        const f = fairness({ slips }, drawn);
        expect(f.chiSquare).toBeCloseTo(0, 10);
        expect(f.pValue).toBeCloseTo(1, 10);
        expect(f.observedMeanCents!).toBeCloseTo(f.expectedValueCents, 8);
      }),
    );
  });
});
