// The daily check-in reminder's time: due from the chosen local time for a window, in the
// patient's zone, never in quiet hours, once per local day across daylight-saving changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate } from '../cm/calendar.ts';
import { localMinute } from './quiet-hours.ts';
import { dueReminder, REMINDER_WINDOW_MINUTES } from './reminder-time.ts';

const NY = 'America/New_York';

describe('check-in reminder time', () => {
  it('is due from the chosen local time for the window, then not', () => {
    expect(dueReminder(new Date('2026-03-04T23:59:00Z'), NY, '19:00', null)).toBeNull(); // 18:59 EST
    expect(dueReminder(new Date('2026-03-05T00:00:00Z'), NY, '19:00', null)).toEqual({ day: '2026-03-04', at: new Date('2026-03-05T00:00:00Z') });
    expect(dueReminder(new Date('2026-03-05T01:59:00Z'), NY, '19:00', null)?.day).toBe('2026-03-04');
    expect(dueReminder(new Date('2026-03-05T02:00:00Z'), NY, '19:00', null)).toBeNull();
  });

  it('a window that crosses midnight belongs to the day of the chosen time', () => {
    expect(dueReminder(new Date('2026-03-05T05:10:00Z'), NY, '23:30', null)?.day).toBe('2026-03-04'); // 00:10 on the 5th
  });

  it('a time in quiet hours is never due', () => {
    expect(dueReminder(new Date('2026-03-05T03:30:00Z'), NY, '22:30', { start: '21:00', end: '08:00' })).toBeNull();
    expect(dueReminder(new Date('2026-03-04T14:30:00Z'), NY, '09:30', { start: '21:00', end: '08:00' })?.day).toBe('2026-03-04');
  });

  it('daylight saving: 02:30 on the spring-forward day is due once, after the gap; 01:30 on the fall-back day once', () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT
    const spring = [];
    for (let m = 0; m < 24 * 60; m += 5) {
      const now = new Date(Date.parse('2026-03-08T05:00:00Z') + m * 60_000);
      const d = dueReminder(now, NY, '02:30', null);
      if (d) spring.push(d.at.getTime());
    }
    expect(new Set(spring).size).toBe(1);
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST, 01:30 occurs twice
    const days = new Set<string>();
    for (let m = 0; m < 24 * 60; m += 5) {
      const d = dueReminder(new Date(Date.parse('2026-11-01T04:00:00Z') + m * 60_000), NY, '01:30', null);
      if (d) days.add(`${d.day} ${d.at.toISOString()}`);
    }
    expect(days.size).toBe(1);
  });

  it('property: when due, it is the patient’s local day of the chosen time, and now is within the window after it', () => {
    const zones = ['America/New_York', 'America/Los_Angeles', 'America/Puerto_Rico', 'Europe/Madrid', 'Pacific/Honolulu'];
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }), fc.constantFrom(...zones), fc.integer({ min: 0, max: 1439 }), (now, tz, minute) => {
        const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        const d = dueReminder(now, tz, time, null);
        if (!d) return;
        const since = now.getTime() - d.at.getTime();
        expect(since).toBeGreaterThanOrEqual(0);
        expect(since).toBeLessThan(REMINDER_WINDOW_MINUTES * 60_000);
        expect(localDate(d.at, tz)).toBe(d.day);
        // off a daylight-saving gap, the instant is the chosen wall time
        if (Math.abs(localMinute(d.at, tz) - minute) > 0) expect(Math.abs(localMinute(d.at, tz) - minute)).toBeLessThanOrEqual(60);
      }),
      { numRuns: 1000 },
    );
  });
});
