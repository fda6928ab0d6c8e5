// What happens to an outbox message after a delivery attempt: retried with exponential
// backoff, or a dead letter after MAX_ATTEMPTS or a permanent refusal. Pure.

/** Attempts before a message becomes a dead letter (about 4¼ hours of trying at the delays below). */
export const MAX_ATTEMPTS = 8;
/** The first retry waits this long; each next one twice as long, up to MAX_RETRY_DELAY_SECONDS. */
export const BASE_RETRY_DELAY_SECONDS = 30;
export const MAX_RETRY_DELAY_SECONDS = 3600;

/** The wait before attempt `attempt + 1`, after `attempt` (1-based) failed: 30 s, 60 s, 120 s, … capped at an hour. */
export function retryDelaySeconds(attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(MAX_RETRY_DELAY_SECONDS, BASE_RETRY_DELAY_SECONDS * 2 ** Math.min(n - 1, 20));
}

/** How a provider's answer is read: `permanent` will never succeed (a bad number), `transient` may (a time-out, 5xx, 429). */
export type FailureKind = 'transient' | 'permanent';

export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'dead' };

/** After attempt number `attempts` failed at `now`. */
export function afterFailure(attempts: number, kind: FailureKind, now: Date): AfterFailure {
  if (kind === 'permanent' || attempts >= MAX_ATTEMPTS) return { status: 'dead' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempts) * 1000) };
}

/** An HTTP status from a provider: 408, 425, 429 and 5xx may pass; any other 4xx will not. */
export function failureKindOfStatus(status: number): FailureKind {
  return status >= 400 && status < 500 && ![408, 425, 429].includes(status) ? 'permanent' : 'transient';
}
