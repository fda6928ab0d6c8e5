// Calendar arithmetic in a programme's IANA time zone (pure: Intl only, no I/O). Formatters and local dates are memoised (measured on the recording path).
const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    fmtCache.set(tz, f);
  }
  return f;
}

function parts(t: number, tz: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const o: Record<string, number> = {};
  for (const p of fmt(tz).formatToParts(t)) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return { y: o.year!, m: o.month!, d: o.day!, h: o.hour!, mi: o.minute!, s: o.second! };
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateAt(t: number, tz: string): string {
  const p = parts(t, tz);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** Per time zone, the local date of each quarter-hour already seen that lies wholly in one local day. */
const quarterDates = new Map<string, Map<number, string>>();

/** The local calendar date "YYYY-MM-DD" of an instant in a time zone. */
export function localDate(at: Date, tz: string): string {
  const t = at.getTime();
  const q = Math.floor(t / 900_000);
  let dates = quarterDates.get(tz);
  if (!dates) {
    if (quarterDates.size >= 64) quarterDates.clear();
    quarterDates.set(tz, (dates = new Map()));
  }
  const hit = dates.get(q);
  if (hit !== undefined) return hit;
  const date = dateAt(t, tz);
  // kept only when the quarter-hour starts and ends on that date (offsets change at most once in it)
  if (dateAt(q * 900_000, tz) === date && dateAt(q * 900_000 + 899_999, tz) === date) {
    if (dates.size >= 65_536) dates.clear();
    dates.set(q, date);
  }
  return date;
}

/** The instant of a local date and "HH:MM" in a time zone (the first showing when the clock shows it twice; zonedInstantMs). */
export function zonedInstant(date: string, hhmm: string, tz: string): Date {
  const key = `${tz}|${date}|${hhmm}`;
  let t = instantCache.get(key);
  if (t === undefined) {
    t = zonedInstantMs(date, hhmm, tz);
    if (instantCache.size >= 10_000) instantCache.clear();
    instantCache.set(key, t);
  }
  return new Date(t);
}

/** zonedInstant is a pure function of its arguments (each calendar day's window is asked for on every recording). */
const instantCache = new Map<string, number>();

/** Milliseconds a time zone's clock is ahead of UTC at an instant (New York in winter: -5 h). */
function offsetMs(t: number, tz: string): number {
  const p = parts(t, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000;
}

/** Minutes a time zone's clock is ahead of UTC at an instant (New York in winter: -300). */
export const utcOffsetMinutes = (at: Date, tz: string): number => Math.round(offsetMs(at.getTime(), tz) / 60_000);

/**
 * The offsets in force a day either side of the wall time give its candidate instants; one
 * fits when the zone has that offset at it. Two fit when the clock shows the time twice (it
 * went back): the earlier is taken. None fits when the clock skipped it (it went forward):
 * it is read with the offset before the change, so 02:30 on the night New York springs
 * forward is 03:30 EDT, as Temporal's "compatible" reading does.
 */
function zonedInstantMs(date: string, hhmm: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const before = offsetMs(wall - 86_400_000, tz);
  const after = offsetMs(wall + 86_400_000, tz);
  // the larger offset gives the earlier instant
  for (const o of before > after ? [before, after] : [after, before]) if (offsetMs(wall - o, tz) === o) return wall - o;
  return wall - before;
}

/** Day of the week of a date, 0 = Sunday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Dates from..to inclusive (YYYY-MM-DD strings compare in calendar order). */
export function* datesBetween(from: string, to: string): Generator<string> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/** Monday of the ISO week containing the date. */
export function weekStart(date: string): string {
  const wd = weekday(date);
  return addDays(date, wd === 0 ? -6 : 1 - wd);
}

/**
 * What a calendar cell shows: scheduled (future), open (today, not yet recorded),
 * unrecorded (past, not yet closed), or the outcome in effect after corrections and
 * adjudications: pending, missed, invalid, positive, failure, excused, success, and
 * negative / positive for a specimen outside the protocol's tracks.
 */
export const CALENDAR_STATUSES = ['scheduled', 'open', 'unrecorded', 'pending', 'missed', 'invalid', 'positive', 'failure', 'excused', 'success', 'negative'] as const;
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number];
