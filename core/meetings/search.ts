// The meeting directory's search rule (issue 15, docs/meetings.md "The directory and search"),
// pure: which meetings match a query and in what order. The server prefilters in SQL
// (programme, active, a bounding box, the weekdays) and passes the rest through here. Times are
// a meeting's wall-clock times in its own time zone; "now" is an instant, turned into each
// meeting's local weekday and minute.
import { utcOffsetMinutes, zonedInstant } from '../cm/calendar.ts';
import type { AttendanceMode, Fellowship, Friendliness, Meeting } from './model.ts';

const MINUTES_PER_WEEK = 7 * 24 * 60;
const KM_PER_MILE = 1.609344;
const EARTH_RADIUS_KM = 6371.0088;

export type SearchQuery = {
  /** Near a point, within radiusKm (distance is computed whenever a point is given). */
  near?: { latitude: number; longitude: number; radiusKm: number } | undefined;
  /** Only these weekdays (0–6, Sunday 0), in the meeting's time zone. */
  weekdays?: number[] | undefined;
  /** Only meetings starting in [from, to) minutes of the day (`HH:MM` each; to < from crosses midnight). */
  timeWindow?: { from: string; to: string } | undefined;
  /** Only meetings starting within this many minutes from now (crossing midnight and the week's end). */
  startingWithinMinutes?: number | undefined;
  /** Only online or hybrid meetings in progress now. */
  onlineNow?: boolean | undefined;
  fellowships?: Fellowship[] | undefined;
  /** A meeting matches when it is held in any of these languages. */
  languages?: string[] | undefined;
  modes?: AttendanceMode[] | undefined;
  /** Welcoming meetings first (then distance, then next start). */
  friendlyFirst?: boolean | undefined;
  /** How many to return (the nearest / soonest N). */
  limit: number;
};

export type Searchable = Pick<Meeting, 'weekday' | 'startTime' | 'endTime' | 'timeZone' | 'mode' | 'latitude' | 'longitude' | 'fellowship' | 'languages'> & {
  friendliness: Friendliness;
};

export type Hit<M> = { meeting: M; distanceKm: number | null; startsInMinutes: number; inProgress: boolean };

export const milesToKm = (mi: number) => mi * KM_PER_MILE;
export const kmToMiles = (km: number) => km / KM_PER_MILE;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A latitude/longitude box that contains every point within radiusKm of the centre (for the SQL prefilter). */
export function boundingBox(c: { latitude: number; longitude: number }, radiusKm: number) {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cos = Math.cos((c.latitude * Math.PI) / 180);
  const dLon = cos < 1e-6 ? 180 : Math.min(180, dLat / cos);
  return { minLat: c.latitude - dLat, maxLat: c.latitude + dLat, minLon: c.longitude - dLon, maxLon: c.longitude + dLon };
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

let memoAt = NaN;
const memo = new Map<string, number>();

/** The instant's weekday and minute of the week (Sunday 00:00 = 0) in a time zone (remembered for the last instant asked). */
export function localWeekMinute(now: Date, timeZone: string): number {
  if (now.getTime() !== memoAt) {
    memoAt = now.getTime();
    memo.clear();
  }
  const known = memo.get(timeZone);
  if (known !== undefined) return known;
  const m = computeWeekMinute(now, timeZone);
  memo.set(timeZone, m);
  return m;
}

function computeWeekMinute(now: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return DAYS.indexOf(get('weekday')) * 1440 + Number(get('hour')) * 60 + Number(get('minute'));
}

/** How long a meeting lasts in minutes (an end before the start ends after midnight; unknown: an hour). */
export function durationMinutes(m: Pick<Meeting, 'startTime' | 'endTime'>): number {
  if (!m.endTime) return 60;
  const d = minutesOf(m.endTime) - minutesOf(m.startTime);
  return d > 0 ? d : d + 1440;
}

const WEEK_MS = MINUTES_PER_WEEK * 60_000;
const steadyMemo = new Map<string, boolean>();
let steadyAt = NaN;

/** Whether the zone keeps one offset for a week either side of `now` (most days of the year: no daylight-saving change to allow for). */
function steadyAround(now: Date, timeZone: string): boolean {
  if (now.getTime() !== steadyAt) {
    steadyAt = now.getTime();
    steadyMemo.clear();
  }
  let steady = steadyMemo.get(timeZone);
  if (steady === undefined) {
    const here = utcOffsetMinutes(now, timeZone);
    steady = utcOffsetMinutes(new Date(now.getTime() - WEEK_MS), timeZone) === here && utcOffsetMinutes(new Date(now.getTime() + WEEK_MS), timeZone) === here;
    steadyMemo.set(timeZone, steady);
  }
  return steady;
}

/**
 * The instant, in minutes since the epoch, when a zone's clock shows `wall` (a wall-clock time
 * in minutes since the epoch, as if the zone were UTC), by the calendar's rule (zonedInstant):
 * a time the clock shows twice is its first showing; a time it skips is read with the offset
 * before the change (02:30 on the night New York springs forward is 03:30 EDT).
 */
function instantOfWall(wall: number, timeZone: string): number {
  const iso = new Date(wall * 60_000).toISOString();
  return Math.floor(zonedInstant(iso.slice(0, 10), iso.slice(11, 16), timeZone).getTime() / 60_000);
}

/**
 * Minutes from now to the meeting's next start (0 when it starts this minute), and whether it is
 * on now. Counted on the local clock; when a daylight-saving change falls within a week of now,
 * the last and next starts are turned into instants and counted in real minutes instead (at
 * 00:46 on the night clocks go forward, a 03:00 meeting is 74 minutes away, not 134; at 01:15
 * in the hour the clock repeats, a 01:00 meeting started 75 minutes ago, at the first 01:00).
 */
export function timing(m: Pick<Meeting, 'weekday' | 'startTime' | 'endTime' | 'timeZone'>, now: Date): { startsInMinutes: number; inProgress: boolean } {
  const here = localWeekMinute(now, m.timeZone);
  const start = m.weekday * 1440 + minutesOf(m.startTime);
  let startsIn = (start - here + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  let sinceStart = (here - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  if (!steadyAround(now, m.timeZone)) {
    const nowMinute = Math.floor(now.getTime() / 60_000);
    const wallNow = nowMinute + utcOffsetMinutes(now, m.timeZone);
    // the starts on the local clock just before and after now, and the one a week after that
    // (the next start on the clock may already have been shown once, in a repeated hour)
    const starts = [wallNow - sinceStart, wallNow + startsIn, wallNow + startsIn + MINUTES_PER_WEEK].map((w) => instantOfWall(w, m.timeZone));
    startsIn = Math.min(...starts.filter((s) => s >= nowMinute)) - nowMinute;
    sinceStart = nowMinute - Math.max(...starts.filter((s) => s <= nowMinute));
  }
  return { startsInMinutes: startsIn, inProgress: sinceStart < durationMinutes(m) };
}

function inWindow(startTime: string, w: { from: string; to: string }): boolean {
  const s = minutesOf(startTime);
  const from = minutesOf(w.from);
  const to = minutesOf(w.to);
  return from <= to ? s >= from && s < to : s >= from || s < to;
}

const FRIENDLY_RANK: Record<Friendliness, number> = { welcoming: 0, mixed: 1, unknown: 2, restrictive: 3 };

/** Whether one meeting matches every filter of the query (distance aside from `near`). */
export function matches(m: Searchable, q: SearchQuery, now: Date): Hit<Searchable> | null {
  let dist: number | null = null;
  if (q.near) {
    if (m.latitude === null || m.longitude === null) return null;
    dist = distanceKm(q.near, { latitude: m.latitude, longitude: m.longitude });
    if (dist > q.near.radiusKm) return null;
  }
  if (q.weekdays && !q.weekdays.includes(m.weekday)) return null;
  if (q.timeWindow && !inWindow(m.startTime, q.timeWindow)) return null;
  if (q.fellowships && !q.fellowships.includes(m.fellowship)) return null;
  if (q.languages && !m.languages.some((l) => q.languages!.includes(l))) return null;
  if (q.modes && !q.modes.includes(m.mode)) return null;
  const t = timing(m, now);
  if (q.startingWithinMinutes !== undefined && t.startsInMinutes > q.startingWithinMinutes) return null;
  if (q.onlineNow && (m.mode === 'in-person' || !t.inProgress)) return null;
  return { meeting: m, distanceKm: dist, ...t };
}

/** The meetings matching every filter, ordered (welcoming first when asked, then distance, then next start), at most `limit`. */
export function search<M extends Searchable>(meetings: readonly M[], q: SearchQuery, now: Date): Hit<M>[] {
  const hits: Hit<M>[] = [];
  for (const m of meetings) {
    const h = matches(m, q, now);
    if (h) hits.push(h as Hit<M>);
  }
  hits.sort(
    (a, b) =>
      (q.friendlyFirst ? FRIENDLY_RANK[a.meeting.friendliness] - FRIENDLY_RANK[b.meeting.friendliness] : 0) || (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.startsInMinutes - b.startsInMinutes,
  );
  return hits.slice(0, q.limit);
}
