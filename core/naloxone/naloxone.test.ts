// The naloxone stock rules (property tests) and the five training steps' texts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysBetween } from '../cm/calendar.ts';
import { canAdjust, canGive, onHand, stockReport, suggestLot, type LotMovements } from './stock.ts';
import { NALOXONE_PATIENT_ENGLISH, STEP_TEXTS, TRAINING_STEPS, trainingSteps } from './steps.ts';
import { fleschKincaidGrade } from '../readability.ts';

const date = fc.integer({ min: 0, max: 3000 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const lot = fc.record({
  id: fc.uuid(),
  product: fc.constant('nasal-4mg' as const),
  lotNumber: fc.string({ minLength: 1, maxLength: 8 }),
  expiresOn: date,
  received: fc.integer({ min: 1, max: 500 }),
  given: fc.integer({ min: 0, max: 500 }),
  adjusted: fc.integer({ min: -500, max: 500 }),
}) satisfies fc.Arbitrary<LotMovements>;
const settings = fc.record({ reorderLevel: fc.integer({ min: 0, max: 1000 }), expiryWarningDays: fc.integer({ min: 0, max: 365 }) });

describe('naloxone stock', () => {
  it('on hand is received − given + adjusted', () => {
    fc.assert(fc.property(lot, (l) => onHand(l) === l.received - l.given + l.adjusted));
  });

  it('a kit is given only from a lot in date with one on hand; giving one lowers it by one', () => {
    fc.assert(
      fc.property(lot, date, (l, today) => {
        const r = canGive(l, today);
        if (today > l.expiresOn) return r?.code === 'lot_expired';
        if (onHand(l) < 1) return r?.code === 'lot_empty';
        return r === null && onHand({ ...l, given: l.given + 1 }) === onHand(l) - 1;
      }),
    );
  });

  it('an adjustment never leaves a lot below zero', () => {
    fc.assert(fc.property(lot, fc.integer({ min: -600, max: 600 }), (l, d) => (canAdjust(l, d) === null) === (d !== 0 && onHand(l) + d >= 0)));
  });

  it('usable counts in-date kits only; reorder alert exactly when usable is below the level; expiry alerts only for lots with kits', () => {
    fc.assert(
      fc.property(fc.array(lot, { maxLength: 8 }), date, settings, (lots, today, s) => {
        const r = stockReport(lots, today, s);
        const usable = lots.filter((l) => l.expiresOn >= today).reduce((n, l) => n + Math.max(0, onHand(l)), 0);
        expect(r.usable).toBe(usable);
        expect(r.alerts.some((a) => a.kind === 'reorder')).toBe(usable < s.reorderLevel);
        for (const a of r.alerts) {
          if (a.kind === 'reorder') continue;
          const l = lots.find((x) => x.id === a.lotId)!;
          expect(onHand(l)).toBeGreaterThan(0);
          if (a.kind === 'expired') expect(l.expiresOn < today).toBe(true);
          else expect(daysBetween(today, l.expiresOn)).toBeLessThanOrEqual(s.expiryWarningDays);
        }
      }),
    );
  });

  it('suggests the usable lot that expires first', () => {
    fc.assert(
      fc.property(fc.array(lot, { maxLength: 8 }), date, (lots, today) => {
        const s = suggestLot(lots, today);
        const usable = lots.filter((l) => canGive(l, today) === null);
        if (usable.length === 0) return s === null;
        return s !== null && canGive(s, today) === null && usable.every((l) => l.expiresOn >= s.expiresOn);
      }),
    );
  });
});

describe('the five steps', () => {
  it('has five steps in English and Spanish, in teaching order', () => {
    expect(TRAINING_STEPS).toHaveLength(5);
    expect(trainingSteps('es').map((s) => s.key)).toEqual([...TRAINING_STEPS]);
    for (const k of TRAINING_STEPS) expect(STEP_TEXTS.es[k].body.length).toBeGreaterThan(10);
  });
  it('English is plain (about 6th grade) and non-stigmatising', () => {
    expect(fleschKincaidGrade(NALOXONE_PATIENT_ENGLISH.filter((s) => s.includes('.')).join(' '))).toBeLessThanOrEqual(6.5);
    expect(NALOXONE_PATIENT_ENGLISH.join(' ')).not.toMatch(/addict|clean|dirty|abuser/i);
  });
});
