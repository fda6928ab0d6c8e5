import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../cm/calendar.ts';
import { daysByWeek, engagementByWeek, median, moduleFigures, peerReferralFigures, wasReached, type ReferralFacts } from './engagement.ts';

describe('engagement, by hand', () => {
  it('check-in days by week since admission, a week under way counting only with a check-in', () => {
    // admitted Mon 5 Jan, until Wed 28 Jan (span 23 days: 3 complete weeks, week 4 under way)
    // week 1 (5–11 Jan): 5, 6, 6 (twice the same day), 11 → 3 days; week 2: none; week 3 (19–25): 25 → 1
    // 4 Jan (before admission) and 29 Jan (after until) do not count; week 4 has none → not counted
    expect(daysByWeek('2026-01-05', '2026-01-28', ['2026-01-04', '2026-01-05', '2026-01-06', '2026-01-06', '2026-01-11', '2026-01-25', '2026-01-29'])).toEqual([3, 0, 1]);
    // the same with a check-in on 27 Jan: week 4 under way now counts
    expect(daysByWeek('2026-01-05', '2026-01-28', ['2026-01-27'])).toEqual([0, 0, 0, 1]);
    // discharged the day after admission, no check-ins: no week at all
    expect(daysByWeek('2026-01-05', '2026-01-06', [])).toEqual([]);
    expect(daysByWeek('2026-01-05', '2026-01-04', ['2026-01-05'])).toEqual([]);
  });

  it('pools the weeks: share active and mean days, zeros included; not recorded without a source', () => {
    // week 1: 3, 0, 7 → 2 of 3 active (66.7%), mean 10/3; week 2: 1, 0 → 1 of 2, mean 0.5
    const weeks = engagementByWeek([[3, 1], [0, 0], [7]], true);
    expect(weeks.map((w) => [w.week, w.admissions, w.active, w.meanDays])).toEqual([
      [1, 3, 2, 10 / 3],
      [2, 2, 1, 0.5],
    ]);
    expect(weeks[0]!.percent).toBeCloseTo(200 / 3, 12);
    expect(engagementByWeek([[0, 0], [0]], false)).toEqual([
      { week: 1, admissions: 2, active: null, percent: null, meanDays: null },
      { week: 2, admissions: 1, active: null, percent: null, meanDays: null },
    ]);
    expect(engagementByWeek([], true)).toEqual([]);
  });

  it('modules: assigned, started and completed by the end of the admission; library modules apart', () => {
    const figures = moduleFigures([
      {
        admittedOn: '2026-01-05',
        until: '2026-02-01',
        modules: [
          { assigned: true, startedOn: '2026-01-10', completedOn: '2026-01-20' }, // assigned, started, completed
          { assigned: true, startedOn: '2026-01-12', completedOn: '2026-02-03' }, // completed after discharge: started only
          { assigned: true, startedOn: null, completedOn: null }, // never opened
          { assigned: false, startedOn: '2026-01-15', completedOn: '2026-01-16' }, // from the library
          { assigned: false, startedOn: '2025-12-01', completedOn: null }, // opened before this admission: not its own
        ],
      },
      { admittedOn: '2026-01-12', until: '2026-03-02', modules: [] },
    ]);
    expect(figures.assigned).toBe(3);
    expect([figures.started, figures.completed]).toEqual([2, 1]);
    expect(figures.completionPercent).toBeCloseTo(100 / 3, 12);
    expect(figures.unassigned).toEqual({ started: 1, completed: 1 });
    expect(moduleFigures([{ admittedOn: '2026-01-05', until: '2026-02-01', modules: [] }]).completionPercent).toBeNull();
  });

  it('median', () => {
    expect([median([]), median([5]), median([9, 1, 4]), median([1, 2, 3, 10])]).toEqual([null, 5, 4, 2.5]);
  });

  it('a reached attempt replaced by a correction is not reached', () => {
    expect(wasReached([{ id: 'a', outcome: 'reached', corrects: null }])).toBe(true);
    expect(
      wasReached([
        { id: 'a', outcome: 'reached', corrects: null },
        { id: 'b', outcome: 'wrong-number', corrects: 'a' },
      ]),
    ).toBe(false);
    expect(wasReached([{ id: 'a', outcome: 'declined', corrects: null }])).toBe(false);
  });

  it('peer referrals: reached, medication and how soon, naloxone, overdoses after the referral', () => {
    const reached = [{ id: 'x', outcome: 'reached' as const, corrects: null }];
    const refs: ReferralFacts[] = [
      // R1 reached; MOUD on day 3 and again later (the first counts); naloxone; two overdoses after → repeat
      {
        referredOn: '2026-01-10',
        attempts: reached,
        outcomes: [
          { kind: 'moud-started', occurredOn: '2026-01-13' },
          { kind: 'moud-started', occurredOn: '2026-01-20' },
          { kind: 'naloxone-received', occurredOn: '2026-01-10' },
          { kind: 'repeat-overdose', occurredOn: '2026-01-30' },
          { kind: 'repeat-overdose', occurredOn: '2026-02-14' },
        ],
      },
      // R2 reached; MOUD on day 8; one overdose after, one dated before the referral (not counted)
      {
        referredOn: '2026-02-01',
        attempts: reached,
        outcomes: [
          { kind: 'moud-started', occurredOn: '2026-02-09' },
          { kind: 'repeat-overdose', occurredOn: '2026-01-20' },
          { kind: 'repeat-overdose', occurredOn: '2026-02-20' },
        ],
      },
      // R3 not reached, nothing recorded
      { referredOn: '2026-02-03', attempts: [{ id: 'y', outcome: 'no-answer', corrects: null }], outcomes: [] },
      // R4 entered treatment, MOUD dated before the referral (not counted)
      {
        referredOn: '2026-02-05',
        attempts: [],
        outcomes: [
          { kind: 'entered-treatment', occurredOn: '2026-02-06' },
          { kind: 'moud-started', occurredOn: '2026-02-01' },
        ],
      },
    ];
    expect(peerReferralFigures(refs)).toEqual({
      referrals: 4,
      reached: 2,
      withOutcomes: 3,
      moudStarted: 2,
      medianDaysToMoud: 5.5, // days 3 and 8
      enteredTreatment: 1,
      naloxoneReceived: 1,
      overdoseAfter: 2,
      repeatOverdoses: 1,
    });
  });

  it('peer referrals with no outcome recorded at all: the outcome figures are not recorded', () => {
    const f = peerReferralFigures([{ referredOn: '2026-02-03', attempts: [{ id: 'y', outcome: 'reached', corrects: null }], outcomes: [] }]);
    expect(f).toMatchObject({ referrals: 1, reached: 1, withOutcomes: 0, moudStarted: null, medianDaysToMoud: null, naloxoneReceived: null, overdoseAfter: null, repeatOverdoses: null });
    expect(peerReferralFigures([])).toMatchObject({ referrals: 0, reached: 0, moudStarted: null });
  });
});

describe('engagement, properties', () => {
  const day = fc.integer({ min: -10, max: 120 }).map((n) => addDays('2026-01-05', n));

  it('days by week: each week 0–7 days, no week past `until`, every day in range counted once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.array(day, { maxLength: 60 }), (span, days) => {
        const until = addDays('2026-01-05', span);
        const weeks = daysByWeek('2026-01-05', until, days);
        expect(weeks.every((n) => n >= 0 && n <= 7)).toBe(true);
        expect(weeks.length).toBeLessThanOrEqual(Math.floor(span / 7) + 1);
        expect(weeks.length).toBeGreaterThanOrEqual(Math.floor((span + 1) / 7));
        const inRange = new Set(days.filter((d) => d >= '2026-01-05' && d <= until));
        expect(weeks.reduce((a, b) => a + b, 0)).toBe(inRange.size);
      }),
    );
  });

  it('pooled weeks: admissions never grow with the week; active ≤ admissions; mean between 0 and 7', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 20 }), { maxLength: 12 }), (all) => {
        const weeks = engagementByWeek(all, true);
        weeks.forEach((w, i) => {
          expect(w.admissions).toBe(all.filter((a) => a.length > i).length);
          expect(w.active!).toBeLessThanOrEqual(w.admissions);
          expect(w.meanDays!).toBeGreaterThanOrEqual(0);
          expect(w.meanDays!).toBeLessThanOrEqual(7);
          if (i > 0) expect(w.admissions).toBeLessThanOrEqual(weeks[i - 1]!.admissions);
        });
      }),
    );
  });

  it('modules: completed ≤ started-or-completed ≤ assigned; peer figures nest (repeat ≤ once ≤ referrals)', () => {
    const maybe = fc.option(day, { nil: null });
    const mod = fc.record({ assigned: fc.boolean(), startedOn: maybe, completedOn: maybe });
    fc.assert(
      fc.property(fc.array(mod, { maxLength: 20 }), (modules) => {
        const f = moduleFigures([{ admittedOn: '2026-01-05', until: '2026-03-01', modules }]);
        expect(f.completed).toBeLessThanOrEqual(f.assigned);
        expect(f.started).toBeLessThanOrEqual(f.assigned);
        expect(f.unassigned.completed).toBeLessThanOrEqual(f.unassigned.started);
        expect(f.assigned).toBe(modules.filter((m) => m.assigned).length);
      }),
    );
    const kind = fc.constantFrom('moud-started', 'entered-treatment', 'naloxone-received', 'repeat-overdose' as const);
    const ref = fc.record({
      referredOn: day,
      attempts: fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c'), outcome: fc.constantFrom('reached', 'no-answer' as const), corrects: fc.constantFrom(null, 'a', 'b') }), { maxLength: 3 }),
      outcomes: fc.array(fc.record({ kind, occurredOn: day }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(ref, { maxLength: 12 }), (refs) => {
        const f = peerReferralFigures(refs);
        expect(f.reached).toBeLessThanOrEqual(f.referrals);
        if (f.withOutcomes === 0) expect([f.moudStarted, f.overdoseAfter, f.repeatOverdoses]).toEqual([null, null, null]);
        else {
          expect(f.repeatOverdoses!).toBeLessThanOrEqual(f.overdoseAfter!);
          expect(f.overdoseAfter!).toBeLessThanOrEqual(f.referrals);
          expect(f.medianDaysToMoud === null).toBe(f.moudStarted === 0);
          if (f.medianDaysToMoud !== null) expect(f.medianDaysToMoud).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
