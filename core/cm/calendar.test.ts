// Calendar arithmetic in a programme's time zone: the memoised local date agrees with a
// fresh Intl computation for any instant, including around DST changes and in zones with
// half- and quarter-hour offsets.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { localDate, zonedInstant } from './calendar.ts';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
const fresh = (t: number, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
// instants near local midnights and DST changes of 2026 (and anywhere in 2000–2040)
const NEAR = [Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15)];

describe('localDate', () => {
  it('equals a fresh Intl computation, asked in any order', () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.tuple(fc.constantFrom(...NEAR), fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 })).map(([a, d]) => a + d),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...ZONES)), { minLength: 1, maxLength: 40 }), (asks) => {
        for (const [t, tz] of asks) expect(localDate(new Date(t), tz)).toBe(fresh(t, tz));
      }),
      { numRuns: 300 },
    );
  });

  it('is consistent with zonedInstant on both sides of a DST change', () => {
    for (const date of ['2026-03-07', '2026-03-08', '2026-03-09', '2026-10-31', '2026-11-01', '2026-11-02']) {
      for (const hhmm of ['00:00', '01:30', '08:00', '23:59']) {
        expect(localDate(zonedInstant(date, hhmm, 'America/New_York'), 'America/New_York')).toBe(date);
      }
    }
  });
});
