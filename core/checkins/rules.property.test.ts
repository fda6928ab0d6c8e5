// Properties of the risk rules over random check-in histories: deterministic, independent
// of the order check-ins are given, no rule fires without its condition, thresholds are
// monotone, later check-ins never matter, and days are the programme's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../cm/calendar.ts';
import { daysBetween } from '../cm/calendar.ts';
import { DEFAULT_RISK_RULES, evaluateArrival, evaluateCheckIn, type RiskRuleSettings, type RuleCheckIn } from './rules.ts';
import { SUBSTANCES, type CheckInAnswers } from './answers.ts';

const RUNS = { numRuns: 300 };
const answersArb: fc.Arbitrary<CheckInAnswers> = fc.record(
  {
    mood: fc.integer({ min: 1, max: 5 }),
    craving: fc.integer({ min: 0, max: 10 }),
    use: fc.oneof(
      fc.constant({ any: false as const }),
      fc.subarray([...SUBSTANCES]).map((substances) => ({ any: true as const, substances })),
    ),
    medication: fc.constantFrom('taken' as const, 'missed' as const, 'not-applicable' as const),
    notSafe: fc.boolean(),
  },
  { requiredKeys: [] },
);
const historyArb = fc.array(fc.record({ offset: fc.integer({ min: 0, max: 40 }), minute: fc.integer({ min: 0, max: 1439 }), answers: answersArb }), { minLength: 1, maxLength: 25 }).map((xs) =>
  xs.map((x, i): RuleCheckIn => {
    const day = addDays('2026-02-01', x.offset);
    return { id: `c${String(i).padStart(3, '0')}`, day, at: `${day}T${String(Math.floor(x.minute / 60)).padStart(2, '0')}:${String(x.minute % 60).padStart(2, '0')}:00.000Z`, answers: x.answers };
  }),
);
const settingsArb: fc.Arbitrary<RiskRuleSettings> = fc.record({
  cravingRun: fc.record({
    enabled: fc.boolean(),
    threshold: fc.integer({ min: 1, max: 10 }),
    days: fc.integer({ min: 1, max: 5 }),
    severity: fc.constantFrom('urgent' as const, 'warning' as const, 'info' as const),
  }),
  missedDoses: fc.integer({ min: 1, max: 10 }).chain((windowDays) =>
    fc.record({
      enabled: fc.boolean(),
      count: fc.integer({ min: 1, max: windowDays }),
      windowDays: fc.constant(windowDays),
      severity: fc.constantFrom('urgent' as const, 'warning' as const, 'info' as const),
    }),
  ),
  useAfterAbstinence: fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 3, max: 30 }), severity: fc.constantFrom('urgent' as const, 'warning' as const, 'info' as const) }),
});
const caseArb = fc.tuple(settingsArb, historyArb).chain(([s, h]) => fc.tuple(fc.constant(s), fc.constant(h), fc.nat({ max: h.length - 1 }), fc.func(fc.integer())));

describe('risk rules (properties)', () => {
  it('are deterministic and independent of the order check-ins are given', () => {
    fc.assert(
      fc.property(caseArb, fc.infiniteStream(fc.nat()), ([s, h, i], order) => {
        const current = h[i]!;
        const keys = order.take(h.length);
        const shuffled = h
          .map((c) => ({ c, k: keys.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.c);
        expect(evaluateCheckIn(s, shuffled, current)).toEqual(evaluateCheckIn(s, h, current));
        expect(evaluateCheckIn(s, h, current)).toEqual(evaluateCheckIn(s, h, current));
      }),
      RUNS,
    );
  });

  it('fire no rule without its condition', () => {
    fc.assert(
      fc.property(caseArb, ([s, h, i]) => {
        const current = h[i]!;
        const fired = new Set(evaluateCheckIn(s, h, current).fired.map((f) => f.code));
        const a = current.answers;
        if (fired.has('not-safe')) expect(a.notSafe).toBe(true);
        if (a.notSafe === true) expect(fired.has('not-safe')).toBe(true);
        if (fired.has('craving-run')) {
          expect(s.cravingRun.enabled && (a.craving ?? -1) >= s.cravingRun.threshold).toBe(true);
          for (let d = 0; d < s.cravingRun.days; d++) {
            const day = addDays(current.day, -d);
            expect(h.some((c) => c.day === day && (c.answers.craving ?? -1) >= s.cravingRun.threshold)).toBe(true);
          }
        }
        if (fired.has('missed-doses')) {
          expect(s.missedDoses.enabled && a.medication === 'missed').toBe(true);
          const days = new Set(h.filter((c) => c.answers.medication === 'missed' && c.day <= current.day && daysBetween(c.day, current.day) < s.missedDoses.windowDays).map((c) => c.day));
          expect(days.size).toBeGreaterThanOrEqual(s.missedDoses.count);
        }
        if (fired.has('use-after-abstinence')) {
          expect(s.useAfterAbstinence.enabled && a.use?.any).toBe(true);
          // no other use reported in the stretch before it, and a check-in at least that long ago
          const others = h.filter((c) => c !== current && c.day <= current.day);
          expect(
            others.some((c) => c.answers.use?.any === true && daysBetween(c.day, current.day) < s.useAfterAbstinence.days && c.day <= current.day && (c.day < current.day || c.at <= current.at)),
          ).toBe(false);
          expect(others.some((c) => daysBetween(c.day, current.day) >= s.useAfterAbstinence.days)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('threshold monotonicity: a lower craving threshold or fewer days fires whenever a higher one does; more missed doses needed fires less', () => {
    fc.assert(
      fc.property(caseArb, ([s, h, i]) => {
        const current = h[i]!;
        const fires = (x: RiskRuleSettings, code: string) => evaluateCheckIn(x, h, current).fired.some((f) => f.code === code);
        const c = s.cravingRun;
        if (fires(s, 'craving-run')) {
          if (c.threshold > 1) expect(fires({ ...s, cravingRun: { ...c, threshold: c.threshold - 1 } }, 'craving-run')).toBe(true);
          if (c.days > 1) expect(fires({ ...s, cravingRun: { ...c, days: c.days - 1 } }, 'craving-run')).toBe(true);
        }
        const m = s.missedDoses;
        if (!fires(s, 'missed-doses') && m.count < m.windowDays) expect(fires({ ...s, missedDoses: { ...m, count: m.count + 1 } }, 'missed-doses')).toBe(false);
        const u = s.useAfterAbstinence;
        if (fires(s, 'use-after-abstinence') && u.days > 3) expect(fires({ ...s, useAfterAbstinence: { ...u, days: u.days - 1 } }, 'use-after-abstinence')).toBe(true);
      }),
      RUNS,
    );
  });

  it('check-ins after the current one never change its result', () => {
    fc.assert(
      fc.property(caseArb, ([s, h, i]) => {
        const current = h[i]!;
        const upTo = h.filter((c) => c.day < current.day || (c.day === current.day && (c.at < current.at || (c.at === current.at && c.id <= current.id))));
        expect(evaluateCheckIn(s, upTo, current)).toEqual(evaluateCheckIn(s, h, current));
      }),
      RUNS,
    );
  });

  it('what the server reads (the look-back window and the latest check-in before it) gives the same result as the whole history', () => {
    fc.assert(
      fc.property(caseArb, ([s, h, i]) => {
        const current = h[i]!;
        const from = addDays(current.day, -Math.max(s.cravingRun.days, s.missedDoses.windowDays, s.useAfterAbstinence.days, 1));
        const window = h.filter((c) => c.day >= from);
        const older = h.filter((c) => c.day < from).sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : a.at < b.at ? 1 : -1));
        const read = older[0] ? [...window, older[0]] : window;
        expect(evaluateCheckIn(s, read, current)).toEqual(evaluateCheckIn(s, h, current));
      }),
      RUNS,
    );
  });

  it('day boundaries are the programme time zone: the same instants on either side of local midnight are different days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.constantFrom('America/New_York', 'America/Los_Angeles', 'America/Puerto_Rico', 'Pacific/Honolulu'), (offset, tz) => {
        // 23:30 and 00:30 local on consecutive local days, craving 9 each: a two-day run in the programme's zone
        const d1 = addDays('2026-01-01', offset);
        const d2 = addDays(d1, 1);
        const at1 = zoned(d1, 23, 30, tz);
        const at2 = zoned(d2, 0, 30, tz);
        expect(localDate(at1, tz)).toBe(d1);
        expect(localDate(at2, tz)).toBe(d2);
        const a: RuleCheckIn = { id: 'a', day: localDate(at1, tz), at: at1.toISOString(), answers: { craving: 9 } };
        const b: RuleCheckIn = { id: 'b', day: localDate(at2, tz), at: at2.toISOString(), answers: { craving: 9 } };
        expect(evaluateCheckIn(DEFAULT_RISK_RULES, [a, b], b).fired.map((f) => f.code)).toEqual(['craving-run']);
      }),
      { numRuns: 100 },
    );
  });
});

/** The instant of a local wall time in a zone (test helper; searches the two possible offsets). */
function zoned(date: string, h: number, m: number, tz: string): Date {
  for (let off = -14 * 60; off <= 14 * 60; off += 30) {
    const t = new Date(Date.parse(`${date}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`) - off * 60_000);
    const p = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(t);
    const get = (k: string) => p.find((x) => x.type === k)?.value;
    if (`${get('year')}-${get('month')}-${get('day')}` === date && Number(get('hour')) === h && Number(get('minute')) === m) return t;
  }
  throw new Error('no such local time');
}

describe('arrival order (properties)', () => {
  it('no rule is missed because check-ins arrive out of order: every rule a check-in fires on the whole history was fired for it on some arrival', () => {
    fc.assert(
      fc.property(settingsArb, historyArb, fc.func(fc.integer()), (s, h, key) => {
        const arrivalOrder = [...h].sort((a, b) => key(a.id) - key(b.id) || (a.id < b.id ? -1 : 1));
        const seen: RuleCheckIn[] = [];
        const fired = new Map<string, Set<string>>();
        for (const arrived of arrivalOrder) {
          seen.push(arrived);
          const r = evaluateArrival(s, seen, arrived);
          fired.set(arrived.id, new Set(r.fired.map((f) => f.code)));
          for (const l of r.later) for (const f of l.fired) fired.get(l.id)!.add(f.code);
          // the record of what each check-in fired, as the server keeps it
          for (let i = 0; i < seen.length; i++) seen[i] = { ...seen[i]!, fired: [...fired.get(seen[i]!.id)!] as RuleCheckIn['fired'] };
        }
        for (const c of h) for (const f of evaluateCheckIn(s, h, c).fired) expect(fired.get(c.id)!.has(f.code)).toBe(true);
      }),
      RUNS,
    );
  });

  it('in arrival order by time, nothing later fires again', () => {
    fc.assert(
      fc.property(settingsArb, historyArb, (s, h) => {
        const ordered = [...h].sort((a, b) => (a.day < b.day || (a.day === b.day && (a.at < b.at || (a.at === b.at && a.id < b.id))) ? -1 : 1));
        const seen: RuleCheckIn[] = [];
        for (const c of ordered) {
          seen.push(c);
          expect(evaluateArrival(s, seen, c).later).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});
