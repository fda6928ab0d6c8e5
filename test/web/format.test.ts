// The console's time helpers (web/src/format.ts): every instant shown or entered on the
// programme's clock, whatever zone the machine running them is in.
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatInstantDate, toZonedInput, zonedInputToRfc3339 } from '../../web/src/format.ts';

const at = '2026-03-02T03:30:00Z'; // 22:30 on 1 March in New York, 16:30 on 2 March in Auckland

describe('times in the programme time zone', () => {
  it('formats an instant in the zone given, not the machine’s', () => {
    expect(formatDateTime(at, 'en', 'America/New_York')).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'America/New_York' }).format(new Date(at)));
    expect(formatDateTime(at, 'en', 'America/New_York')).toContain('10:30:00');
    expect(formatDateTime(at, 'en', 'Pacific/Auckland')).toContain('4:30:00');
  });

  it('without a programme (or with an unknown zone), UTC', () => {
    expect(formatDateTime(at, 'en', undefined)).toContain('3:30:00');
    expect(formatDateTime(at, 'en', 'Not/AZone')).toBe(formatDateTime(at, 'en', 'UTC'));
  });

  it('the day an instant fell on is the programme’s day', () => {
    expect(formatInstantDate(at, 'en', 'America/New_York')).toBe('Mar 1, 2026');
    expect(formatInstantDate(at, 'en', 'Pacific/Auckland')).toBe('Mar 2, 2026');
  });

  it('a datetime-local field reads and writes the programme’s wall clock, with its offset', () => {
    expect(toZonedInput(new Date(at), 'America/New_York')).toBe('2026-03-01T22:30');
    expect(zonedInputToRfc3339('2026-03-01T22:30', 'America/New_York')).toBe('2026-03-01T22:30:00-05:00');
    expect(zonedInputToRfc3339('2026-07-01T09:15', 'America/New_York')).toBe('2026-07-01T09:15:00-04:00');
    expect(zonedInputToRfc3339('2026-03-02T16:30', 'Pacific/Auckland')).toBe('2026-03-02T16:30:00+13:00');
    expect(new Date(zonedInputToRfc3339(toZonedInput(new Date(at), 'Asia/Kolkata'), 'Asia/Kolkata')!).toISOString()).toBe('2026-03-02T03:30:00.000Z');
    expect(zonedInputToRfc3339('not a time', 'America/New_York')).toBeNull();
  });

  it('around a daylight-saving change', () => {
    // New York springs forward at 02:00 on 8 March 2026; falls back at 02:00 on 1 November.
    expect(zonedInputToRfc3339('2026-03-08T01:30', 'America/New_York')).toBe('2026-03-08T01:30:00-05:00');
    expect(zonedInputToRfc3339('2026-03-08T03:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
    expect(zonedInputToRfc3339('2026-11-01T12:00', 'America/New_York')).toBe('2026-11-01T12:00:00-05:00');
    // read as the server reads local times (zonedInstant): 01:30 shown twice is the first 01:30 (EDT);
    // 02:30, which the clock skips, is 03:30 EDT and is written so
    expect(zonedInputToRfc3339('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
    expect(zonedInputToRfc3339('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
    expect(zonedInputToRfc3339('2026-03-08T02:30:15', 'America/New_York')).toBe('2026-03-08T03:30:15-04:00');
    expect(zonedInputToRfc3339('2026-04-05T02:30', 'Pacific/Auckland')).toBe('2026-04-05T02:30:00+13:00');
  });
});
