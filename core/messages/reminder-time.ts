// When a patient's daily check-in reminder is due (issue 12, ADR 038). The patient (or staff)
// chooses a local time; the reminder for a local day is due from that time for
// REMINDER_WINDOW_MINUTES — a job that runs every few minutes enqueues it once (the outbox's
// dedupe key names the patient and the local day). Outside that window nothing is due:
// a time chosen at 08:00 and saved at 15:00 starts tomorrow, not now. A chosen time that
// falls in the patient's quiet hours is never due (the reminder would land the next
// morning, about a day already gone). Daylight-saving days are handled by zonedInstant: a
// wall time skipped by the spring change is due at the instant after the gap, and a wall
// time that occurs twice in the autumn is due once. Pure.
import { addDays, localDate, zonedInstant } from '../cm/calendar.ts';
import { inQuietHours, type QuietHours } from './quiet-hours.ts';

/** How long after the chosen time the reminder may still be enqueued (a job that was down catches up within this). */
export const REMINDER_WINDOW_MINUTES = 120;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The local day whose reminder is due at `now`, and the instant it became due; null when
 * none is (before the time, after the window, or the time lies in quiet hours).
 */
export function dueReminder(now: Date, tz: string, time: string, quiet: QuietHours | null): { day: string; at: Date } | null {
  if (quiet && inQuietHours(minutesOf(time), quiet)) return null;
  const today = localDate(now, tz);
  // the window can span local midnight (a time at 23:30): yesterday's day may still be due
  for (const day of [today, addDays(today, -1)]) {
    const at = zonedInstant(day, time, tz);
    const since = now.getTime() - at.getTime();
    if (since >= 0 && since < REMINDER_WINDOW_MINUTES * 60_000) return { day, at };
  }
  return null;
}
