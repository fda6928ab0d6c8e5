// The server side of core/cm/time-rules.ts: a recorded time later than the server's clock
// (beyond the allowed skew) is refused with 400 naming the field, before anything is read
// or written.
import { FUTURE_SKEW_MS, isInTheFuture } from '../../../core/cm/time-rules.ts';
import { invalid } from '../../platform/errors.ts';
import type { Ctx } from '../../platform/http/context.ts';

/** Throws 400 invalid_input naming `field` when `value` (an ISO date-time; absent = now) lies in the future. */
export function refuseFutureTime(ctx: Pick<Ctx, 'now'>, value: string | Date | undefined, field: string): void {
  if (value === undefined) return;
  const at = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(at.getTime()) || !isInTheFuture(at, ctx.now)) return;
  throw invalid(
    field,
    `is later than now (${ctx.now.toISOString()}, the server's clock, with ${FUTURE_SKEW_MS / 60_000} minutes allowed for a device's clock): a time that has not happened yet cannot be recorded. Check the date, the time (AM/PM) and the device's clock.`,
  );
}
