import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../cm/calendar.ts';
import { adherence, doseDayProblem, doseDays, longestRun } from './network.ts';

const TODAY = '2026-03-18';

describe('witnessed doses', () => {
  it('a day is taken when any member saw it taken, missed when members saw it missed only', () => {
    const days = doseDays([
      { day: '2026-03-10', taken: false, memberId: 'a' },
      { day: '2026-03-10', taken: true, memberId: 'b' },
      { day: '2026-03-11', taken: false, memberId: 'a' },
    ]);
    expect(days.get('2026-03-10')).toBe('taken');
    expect(days.get('2026-03-11')).toBe('missed');
  });

  it('adherence over the last 28 days: taken, missed, not reported, the percentage and the runs', () => {
    const doses = [
      ...Array.from({ length: 10 }, (_, i) => ({ day: addDays(TODAY, -i), taken: true, memberId: 'a' })),
      { day: addDays(TODAY, -10), taken: false, memberId: 'a' },
      ...Array.from({ length: 12 }, (_, i) => ({ day: addDays(TODAY, -40 - i), taken: true, memberId: 'b' })),
      { day: addDays(TODAY, 1), taken: true, memberId: 'a' },
    ];
    const a = adherence(doses, TODAY);
    expect(a).toMatchObject({ from: addDays(TODAY, -27), to: TODAY, days: 28, daysTaken: 10, daysMissed: 1, daysUnrecorded: 17, percentTaken: 36, longestRun: 12, currentRun: 10 });
    expect(a.window).toHaveLength(28);
    // a network that began 5 days ago is judged over those 5 days only
    expect(adherence(doses, TODAY, { since: addDays(TODAY, -4) })).toMatchObject({ days: 5, daysTaken: 5, percentTaken: 100 });
    expect(adherence([], TODAY, { since: addDays(TODAY, 3) })).toMatchObject({ days: 0, percentTaken: null, longestRun: 0 });
  });

  it('today not yet reported does not break the current run', () => {
    const doses = [1, 2, 3].map((i) => ({ day: addDays(TODAY, -i), taken: true, memberId: 'a' }));
    expect(adherence(doses, TODAY).currentRun).toBe(3);
  });

  it('refuses future days and days outside the membership', () => {
    const m = { joinedOn: '2026-03-01', leftOn: '2026-03-15' };
    expect(doseDayProblem(m, '2026-03-10', TODAY)).toBeNull();
    expect(doseDayProblem(m, '2026-03-19', TODAY)?.message).toBe('must not be in the future');
    expect(doseDayProblem(m, '2026-02-28', TODAY)?.message).toContain('joined');
    expect(doseDayProblem(m, '2026-03-16', TODAY)?.message).toContain('left');
  });

  const day = fc.integer({ min: 0, max: 90 }).map((n) => addDays('2026-01-01', n));
  const dose = fc.record({ day, taken: fc.boolean(), memberId: fc.constantFrom('a', 'b', 'c') });

  it('property: the window adds up, the percentage is 0..100 and the runs are bounded', () => {
    fc.assert(
      fc.property(fc.array(dose, { maxLength: 120 }), day, (doses, today) => {
        const a = adherence(doses, today);
        expect(a.daysTaken + a.daysMissed + a.daysUnrecorded).toBe(a.days);
        expect(a.days).toBe(28);
        expect(a.percentTaken).toBeGreaterThanOrEqual(0);
        expect(a.percentTaken).toBeLessThanOrEqual(100);
        const taken = new Set(doses.filter((d) => d.taken && d.day <= today).map((d) => d.day));
        expect(a.longestRun).toBeLessThanOrEqual(taken.size);
        expect(a.currentRun).toBeLessThanOrEqual(a.longestRun);
        expect(a.longestRun > 0).toBe(taken.size > 0);
      }),
    );
  });

  it('property: the longest run does not depend on order or repeats', () => {
    fc.assert(
      fc.property(fc.array(day, { maxLength: 60 }), (days) => {
        expect(longestRun([...days].reverse())).toBe(longestRun(days));
        expect(longestRun([...days, ...days])).toBe(longestRun(days));
        // brute force: the run ending at each day
        const set = new Set(days);
        let best = 0;
        for (const d of set) {
          let n = 0;
          while (set.has(addDays(d, -n))) n += 1;
          best = Math.max(best, n);
        }
        expect(longestRun(days)).toBe(best);
      }),
    );
  });
});
