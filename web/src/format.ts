// Dates and times for display. Dates from the API are calendar dates (YYYY-MM-DD),
// shown as such in the user's language; instants are shown in the programme's time zone.
import { utcOffsetMinutes, zonedInstant } from '../../core/cm/calendar.ts';

export function formatDate(isoDate: string | null | undefined, lang: string): string {
  if (!isoDate) return '';
  const d = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/**
 * An instant (RFC 3339) as date and time in the programme's IANA time zone, whatever the
 * browser's own zone: every time the console shows goes through here, so an assessment and
 * a care plan recorded at the same moment read the same. Without a programme (an
 * organisation administrator with none), UTC, never the browser's zone.
 */
export function formatDateTime(iso: string, lang: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: zoneOrUtc(timeZone) }).format(d);
}

/** The calendar date on which an instant fell in the programme's time zone, for display. */
export function formatInstantDate(iso: string, lang: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: zoneOrUtc(timeZone) }).format(d);
}

/** A valid IANA zone, or UTC when there is none or it is not one this browser knows. */
function zoneOrUtc(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The wall-clock parts of an instant in a time zone. */
function partsIn(d: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** Today as YYYY-MM-DD in a time zone (the programme's day boundaries). */
export function todayIn(timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whole cents as money in the user's language ("$12.50"). */
export function formatCents(cents: number | null | undefined, lang: string): string {
  if (cents === null || cents === undefined) return '';
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/**
 * An instant as the value of <input type="datetime-local"> (to the minute), on the
 * programme's wall clock: the field reads programme time whatever the browser's zone.
 */
export function toZonedInput(d: Date, timeZone: string | undefined): string {
  const p = partsIn(d, zoneOrUtc(timeZone));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * A datetime-local value read on the programme's wall clock, as RFC 3339 with the
 * programme's offset at that moment ("2026-03-02T09:30:00-05:00"); null when it is not a
 * date-time. Read by the calendar's rule (core/cm/calendar.ts zonedInstant), as the server
 * reads local times: a time the clock shows twice, when it goes back, is its first showing;
 * a time it skips, when it goes forward, is read with the offset before the change (02:30
 * on the night New York springs forward is 03:30 EDT, and is written so).
 */
export function zonedInputToRfc3339(value: string, timeZone: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const zone = zoneOrUtc(timeZone);
  const at = new Date(zonedInstant(`${m[1]}-${m[2]}-${m[3]}`, `${m[4]}:${m[5]}`, zone).getTime() + Number(m[6] ?? 0) * 1000);
  const p = partsIn(at, zone);
  const offset = utcOffsetMinutes(at, zone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
