import { describe, expect, it } from 'vitest';
import { FUTURE_SKEW_MS, isInTheFuture } from './time-rules.ts';

const now = new Date('2026-03-02T15:00:00Z');
const plus = (ms: number) => new Date(now.getTime() + ms);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('isInTheFuture', () => {
  it('allows five minutes of clock skew', () => {
    expect(FUTURE_SKEW_MS).toBe(5 * MIN);
    expect(isInTheFuture(plus(4 * MIN), now)).toBe(false);
    expect(isInTheFuture(plus(5 * MIN), now)).toBe(false);
    expect(isInTheFuture(plus(5 * MIN + 1), now)).toBe(true);
  });
  it('refuses days ahead and accepts the past', () => {
    for (const d of [1, 7, 30]) expect(isInTheFuture(plus(d * DAY), now)).toBe(true);
    expect(isInTheFuture(now, now)).toBe(false);
    expect(isInTheFuture(plus(-30 * DAY), now)).toBe(false);
  });
  it('takes another skew when given one', () => {
    expect(isInTheFuture(plus(MIN), now, 0)).toBe(true);
    expect(isInTheFuture(plus(MIN), now, 2 * MIN)).toBe(false);
  });
});
