import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate, weekday } from '../cm/calendar.ts';
import { seriesOccurrences } from './series.ts';

const TZS = ['America/New_York', 'America/Los_Angeles', 'America/Puerto_Rico', 'UTC'];

describe('a recurring group’s visits', () => {
  it('keeps the weekday and the local start time across clock changes', () => {
    // 2026-03-08 is the US spring-forward Sunday: a Thursday 18:00 group stays at 18:00 local
    const occ = seriesOccurrences({ firstDate: '2026-03-05', weeks: 3, startTime: '18:00', durationMinutes: 90 }, 'America/New_York');
    expect(occ.map((o) => o.startsAt.toISOString())).toEqual(['2026-03-05T23:00:00.000Z', '2026-03-12T22:00:00.000Z', '2026-03-19T22:00:00.000Z']);
    expect(occ[0]!.endsAt.toISOString()).toBe('2026-03-06T00:30:00.000Z');
  });

  it('gives one visit a week, on the same weekday and local date, each the series’ length', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 52 }),
        fc.integer({ min: 6, max: 21 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.integer({ min: 15, max: 240 }),
        fc.constantFrom(...TZS),
        (d, weeks, hour, minute, durationMinutes, tz) => {
          const firstDate = d.toISOString().slice(0, 10);
          const startTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const occ = seriesOccurrences({ firstDate, weeks, startTime, durationMinutes }, tz);
          expect(occ).toHaveLength(weeks);
          for (const o of occ) {
            expect(weekday(o.date)).toBe(weekday(firstDate));
            expect(localDate(o.startsAt, tz)).toBe(o.date);
            expect(o.endsAt.getTime() - o.startsAt.getTime()).toBe(durationMinutes * 60_000);
          }
        },
      ),
    );
  });
});
