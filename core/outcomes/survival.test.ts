import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kaplanMeier, spellOf, survivalAt, type Spell } from './survival.ts';

describe('kaplanMeier, by hand', () => {
  // six patients: left on days 2, 5, 5 and 8; still in treatment when last seen on days 3 and 5
  const spells: Spell[] = [
    { days: 2, ended: true },
    { days: 3, ended: false },
    { days: 5, ended: true },
    { days: 5, ended: true },
    { days: 5, ended: false },
    { days: 8, ended: true },
  ];
  const curve = kaplanMeier(spells);

  it('steps: events before censorings on the same day', () => {
    expect(curve).toMatchObject({ n: 6, events: 4, censored: 2 });
    expect(curve.steps.map((s) => [s.day, s.atRisk, s.events, s.censored])).toEqual([
      [2, 6, 1, 0],
      [3, 5, 0, 1],
      [5, 4, 2, 1],
      [8, 1, 1, 0],
    ]);
    // S(2) = 5/6; S(5) = 5/6 × (1 − 2/4) = 5/12; S(8) = 0
    expect(curve.steps.map((s) => s.survival)).toEqual([5 / 6, 5 / 6, 5 / 12, 0]);
  });

  it('survivalAt reads the step at or before the day', () => {
    expect(survivalAt(curve, 0)).toBe(1);
    expect(survivalAt(curve, 1)).toBe(1);
    expect(survivalAt(curve, 4)).toBe(5 / 6);
    expect(survivalAt(curve, 7)).toBe(5 / 12);
    expect(survivalAt(curve, 8)).toBe(0);
    expect(survivalAt(curve, 365)).toBe(0); // everyone has left: zero, not unknown
  });

  it('unknown past the longest follow-up while some were still in treatment, and with nobody', () => {
    const censored = kaplanMeier([
      { days: 10, ended: false },
      { days: 10, ended: false },
      { days: 4, ended: true },
    ]);
    expect(survivalAt(censored, 10)).toBeCloseTo(2 / 3, 12);
    expect(survivalAt(censored, 11)).toBeNull();
    expect(survivalAt(kaplanMeier([]), 30)).toBeNull();
  });

  it('refuses a negative or fractional time', () => {
    expect(() => kaplanMeier([{ days: -1, ended: true }])).toThrow(RangeError);
    expect(() => kaplanMeier([{ days: 1.5, ended: true }])).toThrow(RangeError);
  });
});

describe('kaplanMeier, properties', () => {
  const spellArb = fc.record({ days: fc.integer({ min: 0, max: 400 }), ended: fc.boolean() });

  it('the curve never rises and stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(spellArb, { maxLength: 60 }), (spells) => {
        const { steps } = kaplanMeier(spells);
        let prev = 1;
        for (const s of steps) {
          expect(s.survival).toBeLessThanOrEqual(prev + 1e-12);
          expect(s.survival).toBeGreaterThanOrEqual(0);
          prev = s.survival;
        }
      }),
    );
  });

  it('without censoring it is the share still in treatment after each day', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 400 }), (days, t) => {
        const curve = kaplanMeier(days.map((d) => ({ days: d, ended: true })));
        const still = days.filter((d) => d > t).length / days.length;
        expect(survivalAt(curve, t)).toBeCloseTo(still, 12);
      }),
    );
  });

  it('counts every patient once: at risk falls by the events and censorings of each step', () => {
    fc.assert(
      fc.property(fc.array(spellArb, { maxLength: 60 }), (spells) => {
        const { steps, n } = kaplanMeier(spells);
        let atRisk = n;
        for (const s of steps) {
          expect(s.atRisk).toBe(atRisk);
          atRisk -= s.events + s.censored;
        }
        expect(atRisk).toBe(0);
      }),
    );
  });
});

describe('spellOf: time in treatment from admission', () => {
  const asOf = '2026-03-01';
  it('a discharge is an event on its day', () => {
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: '2026-01-31', lastContactOn: '2026-01-30' }, asOf)).toEqual({ days: 30, ended: true });
  });
  it('still coming: censored at the end of the data', () => {
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: null, lastContactOn: '2026-02-25' }, asOf)).toEqual({ days: 59, ended: false });
    expect(spellOf({ admittedOn: '2026-02-20', dischargedOn: null, lastContactOn: null }, asOf)).toEqual({ days: 9, ended: false });
  });
  it('no contact for more than 30 days: left at the last contact', () => {
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: null, lastContactOn: '2026-01-15' }, asOf)).toEqual({ days: 14, ended: true });
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: null, lastContactOn: null }, asOf)).toEqual({ days: 0, ended: true });
    // exactly 30 days since the last contact is not yet lost
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: null, lastContactOn: '2026-01-30' }, asOf)).toEqual({ days: 59, ended: false });
  });
  it('what happens after the end of the data does not count; an admission after it has no spell', () => {
    expect(spellOf({ admittedOn: '2026-01-01', dischargedOn: '2026-04-01', lastContactOn: '2026-02-28' }, asOf)).toEqual({ days: 59, ended: false });
    expect(spellOf({ admittedOn: '2026-03-02', dischargedOn: null, lastContactOn: null }, asOf)).toBeNull();
  });
});
