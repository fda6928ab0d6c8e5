import { describe, expect, it } from 'vitest';
import { afterFailure, CLEARED, FAILURE_MEMORY_HOURS, isLocked, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, type LockoutState } from './lockout.ts';

const t0 = new Date('2026-03-02T15:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function fail(s: LockoutState, now: Date) {
  return afterFailure(s, now);
}

describe('lock-out rule', () => {
  it('locks on the fifth failure in a row, for 15 minutes, and counts again from zero afterwards', () => {
    let s = CLEARED;
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      const r = fail(s, at(i * 1000));
      expect(r.lockedNow).toBe(false);
      expect(r.state.failures).toBe(i);
      s = r.state;
    }
    const r = fail(s, at(10_000));
    expect(r.lockedNow).toBe(true);
    expect(isLocked(r.state, at(10_000 + LOCKOUT_MINUTES * 60_000 - 1))).toBe(true);
    expect(isLocked(r.state, at(10_000 + LOCKOUT_MINUTES * 60_000))).toBe(false);
    const after = fail(r.state, at(10_000 + LOCKOUT_MINUTES * 60_000));
    expect(after).toEqual({ state: { failures: 1, lastFailureAt: at(10_000 + LOCKOUT_MINUTES * 60_000), lockedUntil: null }, lockedNow: false });
  });

  it('forgets failures a day after the latest', () => {
    const s: LockoutState = { failures: LOCKOUT_THRESHOLD - 1, lastFailureAt: t0, lockedUntil: null };
    expect(fail(s, at(FAILURE_MEMORY_HOURS * 3600_000 - 1)).lockedNow).toBe(true);
    expect(fail(s, at(FAILURE_MEMORY_HOURS * 3600_000)).state.failures).toBe(1);
  });
});
