import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../cm/calendar.ts';
import { fleschKincaidGrade } from '../readability.ts';
import { CONTRACT_PART_WORDS, CONTRACT_PARTS, contractProblems, contractSummary, dayProblem, heldStreak, monthBounds, monthCalendar, orderedParts, type DayEntry } from './couples.ts';

const TODAY = '2026-03-18';
const span = { startsOn: '2026-03-05', endsOn: null };
const entries = (pairs: Array<[string, boolean]>) => new Map<string, DayEntry>(pairs.map(([d, held]) => [d, { held, medicationWitnessed: null }]));

describe('the recovery contract', () => {
  it('needs the daily trust discussion, known parts, and a start not in the future', () => {
    expect(contractProblems({ terms: ['trust-discussion', 'drug-screens'], startsOn: TODAY }, TODAY)).toEqual([]);
    expect(contractProblems({ terms: ['drug-screens'], startsOn: TODAY }, TODAY).map((p) => p.field)).toEqual(['terms']);
    expect(contractProblems({ terms: ['trust-discussion', 'hugs'], startsOn: TODAY }, TODAY)[0]!.message).toContain('hugs');
    expect(contractProblems({ terms: ['trust-discussion', 'trust-discussion'], startsOn: TODAY }, TODAY).map((p) => p.field)).toEqual(['terms']);
    expect(contractProblems({ terms: ['trust-discussion'], startsOn: '2026-03-19' }, TODAY)).toEqual([{ field: 'startsOn', message: 'must not be in the future' }]);
    expect(contractProblems({ terms: ['trust-discussion'], startsOn: '2026-02-30' }, TODAY).map((p) => p.field)).toEqual(['startsOn']);
    expect(contractProblems({ terms: ['trust-discussion'], startsOn: TODAY, ownTerms: 'x'.repeat(1001) }, TODAY).map((p) => p.field)).toEqual(['ownTerms']);
    expect(orderedParts(['drug-screens', 'trust-discussion'])).toEqual(['trust-discussion', 'drug-screens']);
  });

  it('says each part in plain English and in Spanish', () => {
    for (const p of CONTRACT_PARTS) {
      const w = CONTRACT_PART_WORDS[p];
      expect(w.title.es && w.detail.es).toBeTruthy();
      expect(fleschKincaidGrade(w.detail.en), `${p}: ${w.detail.en}`).toBeLessThanOrEqual(7);
      expect(`${w.title.en} ${w.detail.en}`).not.toMatch(/\b(addict|abuser|clean|dirty)\b/i);
    }
  });

  it('refuses days in the future, before the start and after the end', () => {
    expect(dayProblem(span, TODAY, TODAY)).toBeNull();
    expect(dayProblem(span, '2026-03-19', TODAY)?.message).toBe('must not be in the future');
    expect(dayProblem(span, '2026-03-04', TODAY)?.message).toBe('must not be before the contract started');
    expect(dayProblem({ startsOn: '2026-03-05', endsOn: '2026-03-10' }, '2026-03-11', TODAY)?.message).toBe('must not be after the contract ended');
    expect(dayProblem(span, 'yesterday', TODAY)?.field).toBe('params.day');
  });
});

describe('the calendar', () => {
  it('shows each day of the month: before the start, held, not held, nobody said, future', () => {
    const cal = monthCalendar(
      span,
      '2026-03',
      entries([
        ['2026-03-05', true],
        ['2026-03-06', false],
      ]),
      TODAY,
    );
    expect(cal).toHaveLength(31);
    const at = (d: string) => cal.find((c) => c.day === d)!.status;
    expect(at('2026-03-04')).toBe('before-start');
    expect(at('2026-03-05')).toBe('held');
    expect(at('2026-03-06')).toBe('not-held');
    expect(at('2026-03-07')).toBe('unrecorded');
    expect(at(TODAY)).toBe('unrecorded');
    expect(at('2026-03-19')).toBe('future');
    expect(monthCalendar(span, '2026-02', new Map(), TODAY)).toHaveLength(28);
    expect(monthBounds('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(monthBounds('2026-13')).toBeNull();
  });

  it('counts the streak back from today (an unrecorded today does not break it) and the share of days held', () => {
    const e = entries([
      ['2026-03-14', true],
      ['2026-03-15', false],
      ['2026-03-16', true],
      ['2026-03-17', true],
    ]);
    expect(heldStreak(span, e, TODAY)).toBe(2);
    e.set(TODAY, { held: true, medicationWitnessed: true });
    expect(heldStreak(span, e, TODAY)).toBe(3);
    e.set(TODAY, { held: false, medicationWitnessed: null });
    expect(heldStreak(span, e, TODAY)).toBe(0);
    // 5 Mar .. 18 Mar = 14 days counted (today is recorded); 3 held
    expect(contractSummary(span, e, TODAY)).toEqual({ daysSoFar: 14, daysHeld: 3, percentHeld: 21, streak: 0 });
    expect(contractSummary({ startsOn: TODAY, endsOn: null }, new Map(), TODAY)).toEqual({ daysSoFar: 0, daysHeld: 0, percentHeld: null, streak: 0 });
  });

  const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-01-01', n));
  const arb = fc.record({
    start: day,
    today: day,
    ended: fc.option(day, { nil: null }),
    held: fc.array(fc.tuple(day, fc.boolean()), { maxLength: 80 }),
  });

  it('property: days held ≤ days so far, the percentage is 0..100, the streak never exceeds the held days', () => {
    fc.assert(
      fc.property(arb, ({ start, today, ended, held }) => {
        const s = { startsOn: start, endsOn: ended && ended >= start ? ended : null };
        const e = entries(held.filter(([d]) => d >= s.startsOn && d <= today && (!s.endsOn || d <= s.endsOn)));
        const sum = contractSummary(s, e, today);
        expect(sum.daysHeld).toBeLessThanOrEqual(sum.daysSoFar);
        expect(sum.streak).toBeLessThanOrEqual(sum.daysHeld);
        if (sum.percentHeld !== null) expect(sum.percentHeld).toBeGreaterThanOrEqual(0);
        if (sum.percentHeld !== null) expect(sum.percentHeld).toBeLessThanOrEqual(100);
        expect(sum.daysHeld).toBe([...e.values()].filter((x) => x.held).length);
      }),
    );
  });

  it('property: the month calendar marks exactly the recorded days held or not held, and no day after today', () => {
    fc.assert(
      fc.property(arb, ({ start, today, held }) => {
        const s = { startsOn: start, endsOn: null };
        const e = entries(held.filter(([d]) => d >= start && d <= today));
        for (const month of ['2026-01', '2026-02', '2026-03']) {
          for (const c of monthCalendar(s, month, e, today)) {
            if (c.day > today) expect(c.status).toBe('future');
            else if (c.day < start) expect(c.status).toBe('before-start');
            else expect(c.status).toBe(e.has(c.day) ? (e.get(c.day)!.held ? 'held' : 'not-held') : 'unrecorded');
          }
        }
      }),
    );
  });
});
