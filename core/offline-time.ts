// When something a patient did on their phone may be dated: a check-in or skills work sent
// later from the phone's offline queue keeps the time it was done, never ahead of the server
// (beyond a few minutes of clock slack) and at most a week back. One rule for every such write.
export const CLOCK_SLACK_MS = 5 * 60_000;
export const OFFLINE_MAX_AGE_DAYS = 7;

/** What is wrong with the time `at` for a write received at `now`, or null when it may stand. */
export function offlineTimeProblem(at: Date, now: Date): string | null {
  if (at.getTime() > now.getTime() + CLOCK_SLACK_MS) return 'is in the future';
  if (at.getTime() < now.getTime() - OFFLINE_MAX_AGE_DAYS * 86_400_000) return `is more than ${OFFLINE_MAX_AGE_DAYS} days ago`;
  return null;
}
