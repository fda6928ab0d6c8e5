// Meeting Guide feeds (the code4recovery/spec JSON format; docs/meetings.md "Sources and import"):
// a flat array of records, read into Waypoint meetings, and meetings written back as a feed.
// A bad record is rejected with its index and problems, never a throw; the rest are read.
import { contentHash, meetingKey } from './diff.ts';
import type { AttendanceMode, Fellowship, Meeting } from './model.ts';
import { languagesOfTypes } from './types.ts';

/** One record of a Meeting Guide feed (the fields Waypoint reads and writes; others are ignored). */
export type MeetingGuideRecord = {
  slug: string;
  name: string;
  /** 0–6, Sunday 0; several days as an array. */
  day: number | number[];
  /** `HH:MM`. */
  time: string;
  end_time?: string;
  timezone?: string;
  types?: string[];
  location?: string;
  address?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  formatted_address?: string;
  latitude?: number;
  longitude?: number;
  conference_url?: string;
  conference_phone?: string;
  notes?: string;
};

export type Rejected = { index: number; problems: string[] };
export type ParseResult = { meetings: Meeting[]; rejected: Rejected[] };
export type ParseOptions = {
  /** The time zone of records that name none. */
  defaultTimeZone: string;
  /** The source's fellowship; Meeting Guide feeds are mostly AA's, so `aa` when not said. */
  fellowship?: Fellowship;
};

const zoneCache = new Map<string, boolean>();
/** Whether a string is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = tz.length > 0;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

/** `H:MM`, `HH:MM` or `HH:MM:SS` → `HH:MM`, or null. */
export function normaliseTime(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{1,2}):([0-5]\d)(?::[0-5]\d)?$/.exec(v.trim());
  if (!m) return null;
  const h = Number(m[1]);
  return h <= 23 ? `${String(h).padStart(2, '0')}:${m[2]}` : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** A coordinate from a number or a numeric string; 0, '' and missing → null; out of range → undefined (a problem). */
export function coordinate(v: unknown, max: number): number | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > max) return undefined;
  return n === 0 ? null : n;
}

/** Whether an address line says the meeting has no room (legacy feeds write "Online"). */
const isOnlineAddress = (a: string | null) => a !== null && /^(online|virtual|zoom)$/i.test(a);

export function modeOf(online: boolean, hasPlace: boolean): AttendanceMode {
  return online ? (hasPlace ? 'hybrid' : 'online') : 'in-person';
}

/** Reads a Meeting Guide feed. Anything but an array is one rejected record at index -1. */
export function parseMeetingGuide(feed: unknown, opts: ParseOptions): ParseResult {
  const out: ParseResult = { meetings: [], rejected: [] };
  if (!Array.isArray(feed)) return { meetings: [], rejected: [{ index: -1, problems: ['the feed must be a JSON array of meetings'] }] };
  const firstIndex = new Map<string, { index: number; hash: string }>();
  feed.forEach((rec: unknown, index) => {
    const problems: string[] = [];
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      out.rejected.push({ index, problems: ['the record must be an object'] });
      return;
    }
    const r = rec as Record<string, unknown>;
    const slug = typeof r.slug === 'number' ? String(r.slug) : text(r.slug);
    if (slug === null) problems.push('slug: required');
    const name = text(r.name);
    if (name === null) problems.push('name: required');
    const days = Array.isArray(r.day) ? r.day : [r.day];
    const weekdays = days.map((d) => (typeof d === 'string' && /^\d$/.test(d) ? Number(d) : d));
    if (weekdays.length === 0 || !weekdays.every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 6)) problems.push('day: must be 0–6 (Sunday 0) or an array of them');
    const start = normaliseTime(r.time);
    if (start === null) problems.push('time: must be HH:MM');
    const end = r.end_time === undefined || r.end_time === null || r.end_time === '' ? null : normaliseTime(r.end_time);
    if (end === null && text(r.end_time) !== null) problems.push('end_time: must be HH:MM');
    const tz = text(r.timezone) ?? opts.defaultTimeZone;
    if (!isTimeZone(tz)) problems.push('timezone: not a known IANA time zone');
    const rawTypes = r.types === undefined || r.types === null ? [] : r.types;
    if (!Array.isArray(rawTypes) || !rawTypes.every((t) => typeof t === 'string')) problems.push('types: must be an array of codes');
    const latitude = coordinate(r.latitude, 90);
    const longitude = coordinate(r.longitude, 180);
    if (latitude === undefined) problems.push('latitude: must be a number between -90 and 90');
    if (longitude === undefined) problems.push('longitude: must be a number between -180 and 180');
    const conferenceUrl = text(r.conference_url);
    if (conferenceUrl !== null && !/^https?:\/\/\S+$/i.test(conferenceUrl)) problems.push('conference_url: must be an http(s) link');
    if (problems.length > 0) {
      out.rejected.push({ index, problems });
      return;
    }
    const codes = [...new Set((rawTypes as string[]).map((t) => t.trim()).filter((t) => t !== ''))];
    const legacyOnline = codes.includes('ONL');
    const types = codes.filter((t) => t !== 'ONL').sort();
    const street = text(r.formatted_address) ?? ([text(r.address), text(r.city), text(r.state)].filter((x) => x !== null).join(', ') || null);
    const onlineAddress = isOnlineAddress(text(r.address));
    const address = onlineAddress ? null : street;
    const conferencePhone = text(r.conference_phone);
    const online = conferenceUrl !== null || conferencePhone !== null || legacyOnline || onlineAddress;
    const several = weekdays.length > 1;
    for (const weekday of [...new Set(weekdays as number[])]) {
      const m: Meeting = {
        key: meetingKey(slug!, weekday, several),
        fellowship: opts.fellowship ?? 'aa',
        name: name!,
        weekday,
        startTime: start!,
        endTime: end,
        timeZone: tz,
        mode: modeOf(online, address !== null),
        locationName: text(r.location),
        address,
        postalCode: text(r.postal_code),
        latitude: latitude ?? null,
        longitude: longitude ?? null,
        conferenceUrl,
        conferencePhone,
        languages: languagesOfTypes(types),
        types,
        notes: text(r.notes),
      };
      const hash = contentHash(m);
      const first = firstIndex.get(m.key);
      if (first) {
        // the same meeting listed twice is read once; a different one under the same key is refused
        if (first.hash !== hash) out.rejected.push({ index, problems: [`slug: "${m.key}" is already used by record ${first.index} with different content`] });
        continue;
      }
      firstIndex.set(m.key, { index, hash });
      out.meetings.push(m);
    }
  });
  return out;
}

/** Meetings as a Meeting Guide feed: one record per meeting, its key as the slug (import → export → import keeps every meeting). */
export function toMeetingGuide(meetings: readonly Meeting[]): MeetingGuideRecord[] {
  return meetings.map((m) => {
    const rec: MeetingGuideRecord = { slug: m.key, name: m.name, day: m.weekday, time: m.startTime };
    if (m.endTime !== null) rec.end_time = m.endTime;
    rec.timezone = m.timeZone;
    rec.types = [...m.types];
    if (m.locationName !== null) rec.location = m.locationName;
    if (m.address !== null) rec.address = m.address;
    if (m.postalCode !== null) rec.postal_code = m.postalCode;
    if (m.latitude !== null) rec.latitude = m.latitude;
    if (m.longitude !== null) rec.longitude = m.longitude;
    if (m.conferenceUrl !== null) rec.conference_url = m.conferenceUrl;
    if (m.conferencePhone !== null) rec.conference_phone = m.conferencePhone;
    // an online meeting with neither link nor phone (a legacy feed's "Online") keeps the legacy code
    if (m.mode !== 'in-person' && m.conferenceUrl === null && m.conferencePhone === null) rec.types = [...rec.types, 'ONL'];
    if (m.notes !== null) rec.notes = m.notes;
    return rec;
  });
}
