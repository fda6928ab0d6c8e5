// When a recorded time is acceptable. A specimen is collected, and a patient attends or
// takes a dose, at or before the moment it is recorded: a time later than the server's
// clock is a typing or device-clock mistake (a wrong day, month or AM/PM), and letting it
// in would fill a future opportunity that the patient has not reached yet. A few minutes
// of difference between a device's clock and the server's are allowed.

/** How far past the server's clock a recorded time may lie (device clocks drift). */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** True when `at` lies more than `skewMs` after `now` (exactly `skewMs` later is still accepted). */
export function isInTheFuture(at: Date, now: Date, skewMs: number = FUTURE_SKEW_MS): boolean {
  return at.getTime() - now.getTime() > skewMs;
}
