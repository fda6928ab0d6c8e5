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

describe('zonedInstant', () => {
  const wallOf = (t: Date, tz: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(t).replace(', ', 'T');

  it('a time the clock shows twice is its first showing, west and east of UTC', () => {
    // New York goes back at 02:00 EDT on 1 November; Auckland at 03:00 NZDT on 5 April; Lord Howe half an hour, at 02:00 on 5 April
    expect(zonedInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // EDT
    expect(zonedInstant('2026-04-05', '02:30', 'Pacific/Auckland').toISOString()).toBe('2026-04-04T13:30:00.000Z'); // NZDT
    expect(zonedInstant('2026-04-05', '01:45', 'Australia/Lord_Howe').toISOString()).toBe('2026-04-04T14:45:00.000Z'); // +11
  });

  it('a time the clock skips is read with the offset before the change', () => {
    expect(zonedInstant('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(zonedInstant('2026-09-27', '02:30', 'Pacific/Auckland').toISOString()).toBe('2026-09-26T14:30:00.000Z'); // 03:30 NZDT
    expect(zonedInstant('2026-10-04', '02:15', 'Australia/Lord_Howe').toISOString()).toBe('2026-10-03T15:45:00.000Z'); // 02:45 +11
  });

  it('any other local time comes back as itself, and no earlier instant shows it', () => {
    const date = fc.oneof(
      fc.integer({ min: 0, max: 365 * 3 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
      // the days of 2026's clock changes in ZONES (one day either side for the zones east of UTC)
      fc.constantFrom('2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-04', '2026-04-05', '2026-09-26', '2026-09-27', '2026-10-03', '2026-10-04'),
    );
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, hhmm, fc.constantFrom(...ZONES), (d, t, tz) => {
        const at = zonedInstant(d, t, tz);
        if (wallOf(at, tz) !== `${d}T${t}`) return; // skipped by the clock (above)
        for (const back of [30, 60]) expect(wallOf(new Date(at.getTime() - back * 60_000), tz)).not.toBe(`${d}T${t}`);
      }),
      { numRuns: 2000 },
    );
  });
});
