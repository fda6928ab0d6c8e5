import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, localDate, zonedInstant } from '../cm/calendar.ts';
import { injectionDue, injectionDueAt, INJECTION_INTERVAL_DAYS, DUE_SOON_DAYS } from './injections.ts';
import { DEFAULT_TC_TEMPLATE, nextPhaseIndex, templateProblems } from './phases.ts';
import { dayOfTreatment, FEDERAL_TAKE_HOME_TIERS, maxTakeHomeDoses, tierProblems } from './take-homes.ts';
import { isHousingTrack } from './housing.ts';

const TZS = ['America/New_York', 'America/Los_Angeles', 'America/Puerto_Rico', 'Pacific/Honolulu', 'UTC'];
const dateArb = fc.date({ min: new Date('2025-01-01'), max: new Date('2029-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('take-home tiers (42 CFR 8.12(i))', () => {
  it('allows 7 in the first 14 days, 14 from day 15, 28 from day 31', () => {
    const at = (d: number) => maxTakeHomeDoses(FEDERAL_TAKE_HOME_TIERS, d);
    expect([at(0), at(1), at(14), at(15), at(30), at(31), at(400)]).toEqual([0, 7, 7, 14, 14, 28, 28]);
    expect(dayOfTreatment('2026-01-01', '2026-01-01')).toBe(1);
    expect(dayOfTreatment('2026-01-01', '2026-01-15')).toBe(15);
    expect(tierProblems(FEDERAL_TAKE_HOME_TIERS)).toEqual([]);
  });

  it('never falls as treatment goes on, and a stricter programme stays within the federal rule every day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 2, max: 60 }), (day, a, b, second) => {
        expect(maxTakeHomeDoses(FEDERAL_TAKE_HOME_TIERS, day + 1)).toBeGreaterThanOrEqual(maxTakeHomeDoses(FEDERAL_TAKE_HOME_TIERS, day));
        const tiers = [
          { fromDay: 1, maxDoses: a },
          { fromDay: second, maxDoses: b },
        ];
        const ok = tierProblems(tiers).length === 0;
        const withinEveryDay = Array.from({ length: 90 }, (_, i) => i + 1).every((d) => maxTakeHomeDoses(tiers, d) <= maxTakeHomeDoses(FEDERAL_TAKE_HOME_TIERS, d));
        expect(ok).toBe(withinEveryDay);
      }),
    );
  });

  it('names the field of a bad tier', () => {
    expect(tierProblems([{ fromDay: 1, maxDoses: 8 }]).map((p) => p.field)).toEqual(['takeHomeTiers[0].maxDoses']);
    expect(tierProblems([{ fromDay: 2, maxDoses: 1 }]).map((p) => p.field)).toEqual(['takeHomeTiers[0].fromDay']);
    expect(tierProblems([]).map((p) => p.field)).toEqual(['takeHomeTiers']);
  });
});

describe('extended-release naltrexone: due and overdue', () => {
  it('is due 28 days after the last, due soon the week before, overdue from the day after', () => {
    expect(injectionDue('2026-03-01', '2026-03-21')).toEqual({ dueOn: '2026-03-29', status: 'not-due', daysUntilDue: 8 });
    expect(injectionDue('2026-03-01', '2026-03-22').status).toBe('due-soon');
    expect(injectionDue('2026-03-01', '2026-03-28').status).toBe('due-soon');
    expect(injectionDue('2026-03-01', '2026-03-29').status).toBe('due');
    expect(injectionDue('2026-03-01', '2026-03-30')).toEqual({ dueOn: '2026-03-29', status: 'overdue', daysUntilDue: -1 });
  });

  it('changes status exactly at local midnight in the programme’s time zone, across clock changes', () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...TZS), fc.integer({ min: -3, max: 10 }), (given, tz, offset) => {
        const due = addDays(given, INJECTION_INTERVAL_DAYS);
        const day = addDays(due, -offset);
        const start = zonedInstant(day, '00:00', tz);
        const justBefore = new Date(start.getTime() - 1);
        expect(localDate(start, tz)).toBe(day);
        const here = injectionDueAt(given, start, tz);
        const before = injectionDueAt(given, justBefore, tz);
        expect(here.daysUntilDue).toBe(offset);
        expect(before.daysUntilDue).toBe(offset + 1);
        expect(here.status).toBe(offset < 0 ? 'overdue' : offset === 0 ? 'due' : offset <= DUE_SOON_DAYS ? 'due-soon' : 'not-due');
        // still the same status at the last millisecond of that local day
        const end = new Date(zonedInstant(addDays(day, 1), '00:00', tz).getTime() - 1);
        expect(injectionDueAt(given, end, tz)).toEqual(here);
      }),
    );
  });

  it('the status only gets more urgent as days pass', () => {
    const rank = { 'not-due': 0, 'due-soon': 1, due: 2, overdue: 3 };
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), (given, n) => {
        const a = injectionDue(given, addDays(given, n));
        const b = injectionDue(given, addDays(given, n + 1));
        expect(rank[b.status]).toBeGreaterThanOrEqual(rank[a.status]);
        expect(b.daysUntilDue).toBe(a.daysUntilDue - 1);
      }),
    );
  });
});

describe('phases', () => {
  it('moves one phase at a time and never past either end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.constantFrom('advance' as const, 'reduce' as const), (count, i, dir) => {
        const index = i % count;
        const to = nextPhaseIndex(count, index, dir);
        if (to === null) expect(dir === 'advance' ? index === count - 1 : index === 0).toBe(true);
        else expect(Math.abs(to - index)).toBe(1);
      }),
    );
  });

  it('the default therapeutic-community template is valid; a bad one names its fields', () => {
    expect(templateProblems(DEFAULT_TC_TEMPLATE)).toEqual([]);
    const bad = { name: '', phases: [DEFAULT_TC_TEMPLATE.phases[0]!, { ...DEFAULT_TC_TEMPLATE.phases[0]!, privileges: [''] }] };
    expect(templateProblems(bad).map((p) => p.field)).toEqual(['name', 'phases[1].code', 'phases[1].privileges[0]']);
  });

  it('recognises a housing privilege track', () => {
    expect(isHousingTrack({ id: 'housing', payout: 'privilege' })).toBe(true);
    expect(isHousingTrack({ id: 'rbt', name: 'Abstinence-contingent housing', payout: 'privilege' })).toBe(true);
    expect(isHousingTrack({ id: 'housing', payout: 'cents' })).toBe(false);
    expect(isHousingTrack({ id: 'take-homes', payout: 'privilege' })).toBe(false);
  });
});
