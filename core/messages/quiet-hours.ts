// Quiet hours: a patient's local time span in which no message is delivered. Pure: the
// time zone arithmetic is Intl's (core/cm/calendar.ts), time comes in as an argument.
import { addDays, localDate, zonedInstant } from '../cm/calendar.ts';

/** Local "HH:MM" (24-hour). */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** From `start` up to (not including) `end`, local time; when start > end it spans midnight. Equal: none. */
export type QuietHours = { start: string; end: string };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const localMinuteFormat = new Map<string, Intl.DateTimeFormat>();
/** The local minute of the day (0–1439) of an instant in a time zone. */
export function localMinute(at: Date, tz: string): number {
  let f = localMinuteFormat.get(tz);
  if (!f) localMinuteFormat.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return Number(p.hour) * 60 + Number(p.minute);
}

/** Whether a local minute of the day lies in quiet hours. */
export function inQuietHours(minute: number, quiet: QuietHours): boolean {
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return false;
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}

/**
 * When a message due at `now` may be delivered: `null` when now is outside quiet hours,
 * otherwise the first instant at or after the local end of the quiet hours that is
 * itself outside them (a daylight-saving jump can move a wall time: the search steps on).
 */
export function quietHoursEnd(now: Date, tz: string, quiet: QuietHours | null): Date | null {
  if (!quiet || !inQuietHours(localMinute(now, tz), quiet)) return null;
  const today = localDate(now, tz);
  for (let days = 0; days <= 2; days++) {
    const candidate = zonedInstant(addDays(today, days), quiet.end, tz);
    if (candidate.getTime() > now.getTime() && !inQuietHours(localMinute(candidate, tz), quiet)) return candidate;
  }
  // unreachable for real zones (the end of quiet hours occurs every local day); never block forever
  return new Date(now.getTime() + 24 * 3600_000);
}
