import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../cm/calendar.ts';
import { daysBetween } from '../cm/calendar.ts';
import { complianceOf, DEFAULT_COUNSELLING_RULES as DEFAULT, monthOf, requiredBetween, rulesProblems, type CounsellingRules } from './compliance.ts';

const RANK = { 'on-track': 0, due: 1, overdue: 2 } as const;

const rulesArb: fc.Arbitrary<CounsellingRules> = fc
  .array(fc.record({ gap: fc.integer({ min: 1, max: 200 }), everyDays: fc.integer({ min: 4, max: 45 }) }), { minLength: 1, maxLength: 4 })
  .chain((raw) => {
    let from = 0;
    const phases = raw.map((r, i) => {
      if (i > 0) from += r.gap;
      return { fromDay: from, everyDays: r.everyDays };
    });
    const shortest = Math.min(...phases.map((p) => p.everyDays));
    return fc.integer({ min: 0, max: shortest - 1 }).map((dueSoonDays) => ({ phases, dueSoonDays }));
  });

const scenarioArb = fc.record({
  rules: rulesArb,
  admittedOffset: fc.integer({ min: 0, max: 2000 }),
  todayAfter: fc.integer({ min: 0, max: 800 }),
  visits: fc.array(fc.integer({ min: -30, max: 900 }), { maxLength: 20 }),
});
const BASE = '2022-01-01';
const build = (s: { rules: CounsellingRules; admittedOffset: number; todayAfter: number; visits: number[] }) => {
  const admittedOn = addDays(BASE, s.admittedOffset);
  return { admittedOn, today: addDays(admittedOn, s.todayAfter), rules: s.rules, seenOn: s.visits.map((v) => addDays(admittedOn, v)) };
};

describe('counselling compliance', () => {
  it('scripted: weekly for 90 days, then every 14 days', () => {
    const at = (today: string, seenOn: string[] = []) => complianceOf({ admittedOn: '2026-01-01', today, rules: DEFAULT, seenOn });
    expect(at('2026-01-02')).toMatchObject({ status: 'on-track', dueOn: '2026-01-08', lastSeenOn: null });
    expect(at('2026-01-05')).toMatchObject({ status: 'due', dueOn: '2026-01-08' });
    expect(at('2026-01-08')).toMatchObject({ status: 'due', daysOverdue: 0 });
    expect(at('2026-01-10')).toMatchObject({ status: 'overdue', daysOverdue: 2 });
    expect(at('2026-01-10', ['2026-01-09'])).toMatchObject({ status: 'on-track', dueOn: '2026-01-16', lastSeenOn: '2026-01-09' });
    // day 95: the fortnightly phase; a visit on day 92 asks for the next by day 106
    expect(at('2026-04-06', ['2026-04-03'])).toMatchObject({ status: 'on-track', dueOn: '2026-04-17', everyDays: 14 });
    // a visit before admission (another episode) does not count; one after today is ignored
    expect(at('2026-01-10', ['2025-12-31', '2026-01-11'])).toMatchObject({ status: 'overdue', lastSeenOn: null });
    expect(at('2025-12-31')).toBeNull();
    expect(complianceOf({ admittedOn: '2026-01-01', dischargedOn: '2026-01-20', today: '2026-01-21', rules: DEFAULT, seenOn: [] })).toBeNull();
  });

  it('is overdue exactly when today is past the due date, and due within the window before it', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = build(s);
        const c = complianceOf(input)!;
        const left = daysBetween(input.today, c.dueOn);
        expect(c.status === 'overdue').toBe(left < 0);
        expect(c.status === 'due').toBe(left >= 0 && left <= input.rules.dueSoonDays);
        expect(c.daysOverdue).toBe(Math.max(0, -left));
        // the due date is after the last visit (or admission), by at most the longest interval
        const anchor = c.lastSeenOn ?? input.admittedOn;
        const gap = daysBetween(anchor, c.dueOn);
        expect(gap).toBeGreaterThanOrEqual(Math.min(...input.rules.phases.map((p) => p.everyDays)));
        expect(gap).toBeLessThanOrEqual(Math.max(...input.rules.phases.map((p) => p.everyDays)));
      }),
    );
  });

  it('one more visit never makes the status worse (rules whose intervals never shrink); the passing of time without visits never makes it better', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 400 }), (s, extra, later) => {
        const input = build(s);
        const before = complianceOf(input)!;
        const withVisit = complianceOf({ ...input, seenOn: [...input.seenOn, addDays(input.admittedOn, extra)] })!;
        // when a later phase asks for visits more often, a visit in it rightly brings the next one closer;
        // with intervals that never shrink (rules that step down over time), one more visit never hurts
        const widening = input.rules.phases.every((p, i, all) => i === 0 || p.everyDays >= all[i - 1]!.everyDays);
        if (widening) {
          expect(RANK[withVisit.status]).toBeLessThanOrEqual(RANK[before.status]);
          expect(withVisit.dueOn >= before.dueOn).toBe(true);
        }
        const afterWait = complianceOf({ ...input, today: addDays(input.today, later) })!;
        // visits after the earlier today could count later: only compare when there are none
        if (input.seenOn.every((d) => d <= input.today)) expect(RANK[afterWait.status]).toBeGreaterThanOrEqual(RANK[before.status]);
      }),
    );
  });

  it('a visit seen today is on track', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = build(s);
        expect(complianceOf({ ...input, seenOn: [...input.seenOn, input.today] })!.status).toBe('on-track');
      }),
    );
  });

  it('required visits: a month in each phase, partial months, and additivity over adjacent ranges', () => {
    expect(requiredBetween(DEFAULT, { admittedOn: '2026-01-01' }, '2026-01-01', '2026-01-31')).toBe(4);
    expect(requiredBetween(DEFAULT, { admittedOn: '2025-01-01' }, '2026-02-01', '2026-02-28')).toBe(2);
    expect(requiredBetween(DEFAULT, { admittedOn: '2026-04-20' }, '2026-04-01', '2026-04-30')).toBe(1);
    expect(requiredBetween(DEFAULT, { admittedOn: '2026-05-01' }, '2026-04-01', '2026-04-30')).toBe(0);
    expect(requiredBetween(DEFAULT, { admittedOn: '2026-01-01', dischargedOn: '2026-01-10' }, '2026-01-01', '2026-01-31')).toBe(1);
    fc.assert(
      fc.property(rulesArb, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (rules, startAfter, len1, len2) => {
        const ep = { admittedOn: BASE };
        const a = addDays(BASE, startAfter);
        const b = addDays(a, len1);
        const c = addDays(b, len2 + 1);
        const whole = requiredBetween(rules, ep, a, c);
        const parts = requiredBetween(rules, ep, a, b) + requiredBetween(rules, ep, addDays(b, 1), c);
        // flooring each part loses less than one visit per part
        expect(whole).toBeGreaterThanOrEqual(parts);
        expect(whole).toBeLessThanOrEqual(parts + 1);
        const days = daysBetween(a, c) + 1;
        const shortest = Math.min(...rules.phases.map((p) => p.everyDays));
        const longest = Math.max(...rules.phases.map((p) => p.everyDays));
        expect(whole).toBeLessThanOrEqual(Math.floor(days / shortest));
        expect(whole).toBeGreaterThanOrEqual(Math.floor(days / longest) - 1);
      }),
    );
  });

  it('a month counts each visit day once and gives the status on its last day', () => {
    const m = monthOf(DEFAULT, { admittedOn: '2026-01-01' }, '2026-01', ['2026-01-02', '2026-01-02', '2026-01-09', '2026-01-16', '2026-02-01']);
    expect(m).toEqual({ required: 4, held: 3, statusAtMonthEnd: 'overdue', dueOn: '2026-01-23' });
    expect(monthOf(DEFAULT, { admittedOn: '2026-03-01' }, '2026-01', [])).toEqual({ required: 0, held: 0, statusAtMonthEnd: null, dueOn: null });
  });

  it('validates rule sets, naming each bad field', () => {
    expect(rulesProblems(DEFAULT)).toEqual([]);
    const fields = (r: CounsellingRules) => rulesProblems(r).map((p) => p.field);
    expect(fields({ phases: [], dueSoonDays: 0 })).toEqual(['phases']);
    expect(fields({ phases: [{ fromDay: 5, everyDays: 7 }], dueSoonDays: 0 })).toEqual(['phases.0.fromDay']);
    expect(
      fields({
        phases: [
          { fromDay: 0, everyDays: 7 },
          { fromDay: 0, everyDays: 0 },
        ],
        dueSoonDays: 1,
      }),
    ).toEqual(['phases.1.everyDays', 'phases.1.fromDay', 'dueSoonDays']);
    expect(fields({ phases: [{ fromDay: 0, everyDays: 7 }], dueSoonDays: 7 })).toEqual(['dueSoonDays']);
    fc.assert(
      fc.property(rulesArb, (r) => {
        expect(rulesProblems(r)).toEqual([]);
      }),
    );
  });
});

describe('a month not over yet', () => {
  it('counts up to today only', () => {
    const m = monthOf(DEFAULT, { admittedOn: '2026-01-01' }, '2026-01', ['2026-01-02', '2026-01-09'], '2026-01-14');
    expect(m).toEqual({ required: 2, held: 2, statusAtMonthEnd: 'due', dueOn: '2026-01-16' });
  });
});
