import { describe, expect, it } from 'vitest';
import { checkInStreak } from './streak.ts';

describe('checkInStreak', () => {
  it('counts days in a row ending today, or yesterday when there is none yet today', () => {
    expect(checkInStreak([], '2026-03-20')).toEqual({ days: 0, lastCheckInOn: null });
    expect(checkInStreak(['2026-03-19', '2026-03-18', '2026-03-18', '2026-03-10'], '2026-03-20')).toEqual({ days: 2, lastCheckInOn: '2026-03-19' });
    expect(checkInStreak(['2026-03-20', '2026-03-19', '2026-03-17'], '2026-03-20')).toEqual({ days: 2, lastCheckInOn: '2026-03-20' });
    expect(checkInStreak(['2026-03-18'], '2026-03-20')).toEqual({ days: 0, lastCheckInOn: '2026-03-18' });
    // across a month end, and a date after today ignored
    expect(checkInStreak(['2026-03-01', '2026-02-28', '2026-02-27', '2026-03-05'], '2026-03-02')).toEqual({ days: 3, lastCheckInOn: '2026-03-01' });
  });
});
