// The rotating attendance code of an in-house meeting (issue 15, ADR 048, docs/meetings.md).
// Staff show a QR code (and its 6 digits) that changes every STEP_SECONDS; a patient's app
// posts what it scanned. The code is an HMAC of (meeting, time step) under a per-meeting
// secret that never leaves the server, truncated to 6 digits as HOTP does (RFC 4226 §5.3):
// it is accepted for the current and the previous step, only while the meeting is on (in its
// own time zone, with a grace window either side), and a code of one meeting never verifies
// another (the meeting id is in the MAC and each meeting has its own secret). Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { addDays, localDate, zonedInstant } from '../cm/calendar.ts';

/** Seconds a code is shown for. */
export const STEP_SECONDS = 30;
/** Minutes before the start and after the end of a meeting a code is still accepted. */
export const GRACE_MINUTES = 30;
/** How long a meeting whose end time is not known is taken to last. */
export const DEFAULT_MINUTES = 60;
export const CODE_PATTERN = /^\d{6}$/;

export type How = 'self' | 'verified';

/** Only attendance verified with the meeting's code may count toward a CM attendance target. */
export function countsForCm(how: How): boolean {
  return how === 'verified';
}

export function stepOf(now: Date): number {
  return Math.floor(now.getTime() / 1000 / STEP_SECONDS);
}

/** The 6-digit code of a meeting for a time step. */
export function codeFor(secret: string, meetingId: string, step: number): string {
  const mac = createHmac('sha256', secret).update(`${meetingId}:${step}`).digest();
  const off = mac[mac.length - 1]! & 0x0f;
  const n = ((mac[off]! & 0x7f) << 24) | (mac[off + 1]! << 16) | (mac[off + 2]! << 8) | mac[off + 3]!;
  return String(n % 1_000_000).padStart(6, '0');
}

/** The code to show now, and when it changes. */
export function currentCode(secret: string, meetingId: string, now: Date): { code: string; step: number; expiresAt: Date } {
  const step = stepOf(now);
  return { code: codeFor(secret, meetingId, step), step, expiresAt: new Date((step + 1) * STEP_SECONDS * 1000) };
}

/** Whether a code is the meeting's code for the current or the previous step. */
export function codeMatches(secret: string, meetingId: string, code: string, now: Date): boolean {
  if (!CODE_PATTERN.test(code)) return false;
  const step = stepOf(now);
  let ok = false;
  for (const s of [step, step - 1]) {
    const want = Buffer.from(codeFor(secret, meetingId, s));
    // compare both steps, always, in constant time
    if (timingSafeEqual(want, Buffer.from(code))) ok = true;
  }
  return ok;
}

export type MeetingTime = { weekday: number; startTime: string; endTime: string | null; timeZone: string };

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** When one occurrence of a meeting starting on a local date starts and ends (an end before the start is the next day). */
export function occurrence(m: MeetingTime, date: string): { start: Date; end: Date } {
  const start = zonedInstant(date, m.startTime, m.timeZone);
  if (m.endTime === null) return { start, end: new Date(start.getTime() + DEFAULT_MINUTES * 60_000) };
  const endDate = m.endTime <= m.startTime ? addDays(date, 1) : date;
  return { start, end: zonedInstant(endDate, m.endTime, m.timeZone) };
}

/**
 * The occurrence of a meeting going on at `now` (within the grace window), as the local date
 * it started on, or null when the meeting is not on. Yesterday's is looked at too, for a
 * meeting that ends after midnight.
 */
export function meetingOnAt(m: MeetingTime, now: Date, graceMinutes = GRACE_MINUTES): string | null {
  const today = localDate(now, m.timeZone);
  const grace = graceMinutes * 60_000;
  for (const date of [today, addDays(today, -1), addDays(today, 1)]) {
    if (weekdayOf(date) !== m.weekday) continue;
    const { start, end } = occurrence(m, date);
    if (now.getTime() >= start.getTime() - grace && now.getTime() <= end.getTime() + grace) return date;
  }
  return null;
}

export type VerifyResult = { ok: true; attendedOn: string } | { ok: false; reason: 'wrong_code' | 'not_on_now' };

/** Verifies a scanned code for a meeting at `now`. */
export function verifyAttendanceCode(secret: string, meetingId: string, m: MeetingTime, code: string, now: Date): VerifyResult {
  const on = meetingOnAt(m, now);
  if (on === null) return { ok: false, reason: 'not_on_now' };
  if (!codeMatches(secret, meetingId, code, now)) return { ok: false, reason: 'wrong_code' };
  return { ok: true, attendedOn: on };
}
