// BMLT (Basic Meeting List Toolbox) answers (docs/meetings.md "Sources and import"):
// GetSearchResults — an array of meetings, or { meetings, formats } — read with the server's
// GetFormats, whose `world_id`s map its formats to Meeting Guide type codes (key strings differ
// per server). Every BMLT value is a string. Bad records are rejected, never thrown.
import { contentHash, meetingKey } from './diff.ts';
import type { Fellowship, Meeting } from './model.ts';
import { coordinate, isTimeZone, modeOf, type ParseResult } from './meeting-guide.ts';
import { languagesOfTypes } from './types.ts';

/** BMLT world ids (the NAWS format codes) → Meeting Guide type codes. */
export const WORLD_ID_TO_TYPE: Readonly<Record<string, string>> = {
  BEG: 'BE',
  CLOSED: 'C',
  OPEN: 'O',
  DISC: 'D',
  SPK: 'SP',
  STEP: 'ST',
  TRAD: 'TR',
  W: 'W',
  M: 'M',
  Y: 'Y',
  GL: 'LGBTQ',
  WCHR: 'X',
  LIT: 'LIT',
  MED: 'MED',
  CAN: 'CAN',
  NS: 'SM',
  CH: 'CF',
  LANG: 'S',
};

export type BmltFormat = { id?: string; key_string?: string; world_id?: string; lang?: string };
export type BmltOptions = { defaultTimeZone: string; fellowship?: Fellowship; formats?: unknown };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** HH:MM:SS → minutes since midnight, or null. */
function minutes(v: unknown): number | null {
  const s = str(v);
  const m = s === null ? null : /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}
const hhmm = (min: number) => `${String(Math.floor(min / 60) % 24).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** Format id and key string → Meeting Guide code, from a GetFormats answer. */
export function formatMap(formats: unknown): { byId: Map<string, string>; byKey: Map<string, string> } {
  const byId = new Map<string, string>();
  const byKey = new Map<string, string>();
  if (Array.isArray(formats))
    for (const f of formats as BmltFormat[]) {
      const code = f && typeof f === 'object' ? WORLD_ID_TO_TYPE[str(f.world_id) ?? ''] : undefined;
      if (!code) continue;
      const id = str(f.id);
      const key = str(f.key_string);
      if (id !== null) byId.set(id, code);
      if (key !== null) byKey.set(key, code);
    }
  return { byId, byKey };
}

/** Reads a GetSearchResults answer. */
export function parseBmlt(answer: unknown, opts: BmltOptions): ParseResult {
  let list: unknown = answer;
  let formats = opts.formats;
  if (answer && typeof answer === 'object' && !Array.isArray(answer) && 'meetings' in answer) {
    list = (answer as { meetings: unknown }).meetings;
    formats ??= (answer as { formats?: unknown }).formats;
  }
  if (!Array.isArray(list)) return { meetings: [], rejected: [{ index: -1, problems: ['the answer must be an array of meetings or { meetings, formats }'] }] };
  const { byId, byKey } = formatMap(formats);
  const out: ParseResult = { meetings: [], rejected: [] };
  const seen = new Map<string, { index: number; hash: string }>();
  list.forEach((rec: unknown, index) => {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      out.rejected.push({ index, problems: ['the record must be an object'] });
      return;
    }
    const r = rec as Record<string, unknown>;
    const problems: string[] = [];
    const id = str(r.id_bigint);
    if (id === null) problems.push('id_bigint: required');
    const name = str(r.meeting_name);
    if (name === null) problems.push('meeting_name: required');
    const day = Number(str(r.weekday_tinyint));
    if (!Number.isInteger(day) || day < 1 || day > 7) problems.push('weekday_tinyint: must be 1–7 (Sunday 1)');
    const start = minutes(r.start_time);
    if (start === null || start >= 24 * 60) problems.push('start_time: must be HH:MM:SS');
    const duration = r.duration_time === undefined || str(r.duration_time) === null ? null : minutes(r.duration_time);
    if (duration === null && str(r.duration_time) !== null) problems.push('duration_time: must be HH:MM:SS');
    const tz = str(r.time_zone) ?? opts.defaultTimeZone;
    if (!isTimeZone(tz)) problems.push('time_zone: not a known IANA time zone');
    const venue = str(r.venue_type) ?? '1';
    if (!['1', '2', '3'].includes(venue)) problems.push('venue_type: must be 1, 2 or 3');
    const latitude = coordinate(r.latitude, 90);
    const longitude = coordinate(r.longitude, 180);
    if (latitude === undefined) problems.push('latitude: must be a number between -90 and 90');
    if (longitude === undefined) problems.push('longitude: must be a number between -180 and 180');
    if (problems.length > 0) {
      out.rejected.push({ index, problems });
      return;
    }
    const codes = new Set<string>();
    for (const fid of (str(r.format_shared_id_list) ?? '').split(',')) {
      const c = byId.get(fid.trim());
      if (c) codes.add(c);
    }
    for (const k of (str(r.formats) ?? '').split(',')) {
      const c = byKey.get(k.trim());
      if (c) codes.add(c);
    }
    const types = [...codes].sort();
    const street = [str(r.location_street), str(r.location_municipality), str(r.location_province)].filter((x) => x !== null).join(', ') || null;
    const inPerson = venue !== '2';
    const address = inPerson ? street : null;
    const conferenceUrl = str(r.virtual_meeting_link);
    const conferencePhone = str(r.phone_meeting_number);
    const online = venue !== '1' || ((conferenceUrl !== null || conferencePhone !== null) && street === null);
    const m: Meeting = {
      key: meetingKey(id!, day - 1, false),
      fellowship: opts.fellowship ?? 'na',
      name: name!,
      weekday: day - 1,
      startTime: hhmm(start!),
      endTime: duration === null || duration === 0 ? null : hhmm((start! + duration) % (24 * 60)),
      timeZone: tz,
      mode: modeOf(online, address !== null),
      locationName: inPerson ? str(r.location_text) : null,
      address,
      postalCode: inPerson ? str(r.location_postal_code_1) : null,
      latitude: inPerson ? (latitude ?? null) : null,
      longitude: inPerson ? (longitude ?? null) : null,
      conferenceUrl: online ? conferenceUrl : null,
      conferencePhone: online ? conferencePhone : null,
      languages: languagesOfTypes(types),
      types,
      notes: str(r.virtual_meeting_additional_info) ?? str(r.comments),
    };
    const hash = contentHash(m);
    const first = seen.get(m.key);
    if (first) {
      if (first.hash !== hash) out.rejected.push({ index, problems: [`id_bigint: "${id}" is already used by record ${first.index} with different content`] });
      return;
    }
    seen.set(m.key, { index, hash });
    out.meetings.push(m);
  });
  return out;
}
