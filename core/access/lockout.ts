// The sign-in lock-out rule, for an account and, identically, for an email that is no
// account (so the answers do not tell which emails are accounts). Five failures in a row
// (wrong password or wrong second factor) lock for 15 minutes; a success, an
// administrator's reset, or a day without a failure starts the count again.
// The caller reads the state under a row lock, applies one of these functions and writes
// the result before the lock is released: the check and the count are one step.
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
/** Failures older than this (counted from the latest) are forgotten. */
export const FAILURE_MEMORY_HOURS = 24;

export type LockoutState = { failures: number; lastFailureAt: Date | null; lockedUntil: Date | null };

export const CLEARED: LockoutState = { failures: 0, lastFailureAt: null, lockedUntil: null };

export function isLocked(s: LockoutState, now: Date): boolean {
  return !!s.lockedUntil && s.lockedUntil.getTime() > now.getTime();
}

/** Failures that still count at `now`. */
export function failuresAt(s: LockoutState, now: Date): number {
  if (!s.lastFailureAt || now.getTime() - s.lastFailureAt.getTime() >= FAILURE_MEMORY_HOURS * 3600_000) return 0;
  return s.failures;
}

/** The state after one more failure (only called while not locked); `lockedNow` when this one locked. */
export function afterFailure(s: LockoutState, now: Date): { state: LockoutState; lockedNow: boolean } {
  const failures = failuresAt(s, now) + 1;
  if (failures >= LOCKOUT_THRESHOLD) {
    return { state: { failures: 0, lastFailureAt: now, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) }, lockedNow: true };
  }
  return { state: { failures, lastFailureAt: now, lockedUntil: null }, lockedNow: false };
}
