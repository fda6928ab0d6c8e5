// Quiet hours: a patient's local time span in which no message is delivered. Pure: the
// time zone arithmetic is Intl's, time comes in as an argument.

/** Local "HH:MM" (24-hour). */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** From `start` up to (not including) `end`, local time; when start > end it spans midnight. Equal: none. */
export type QuietHours = { start: string; end: string };

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
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
 * otherwise the first whole minute after now that is outside them, in the patient's zone.
 * Without a daylight-saving change in between, that is when the local clock reaches `end`.
 * When the clocks change in between, the end may be skipped (spring) or come twice (autumn),
 * so the minutes are stepped through: at most two days of them, a night or two a year.
 */
export function quietHoursEnd(now: Date, tz: string, quiet: QuietHours | null): Date | null {
  const minute = localMinute(now, tz);
  if (!quiet || !inQuietHours(minute, quiet)) return null;
  const end = minutesOf(quiet.end);
  const fromMinute = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const atEnd = new Date(fromMinute + ((end - minute + DAY_MINUTES) % DAY_MINUTES) * MINUTE);
  if (localMinute(atEnd, tz) === end) return atEnd; // the offset did not change on the way
  for (let t = fromMinute + MINUTE; t <= fromMinute + 2 * DAY_MINUTES * MINUTE; t += MINUTE) {
    if (!inQuietHours(localMinute(new Date(t), tz), quiet)) return new Date(t);
  }
  // unreachable for real zones (a day always has minutes outside quiet hours); never block forever
  return new Date(now.getTime() + 24 * 3600_000);
}
