// Events of an enrolment (CM-SPEC §7): validated once, up front, by hand (no zod in
// the hot path), with problems that name the event; then ordered by instant, ties
// by file position.
import { isAnalyte, ANALYTES } from './analytes.ts';

export type EventKind = 'specimen' | 'missed' | 'dose' | 'attendance' | 'module' | 'correction' | 'adjudication';
export type OpportunityKind = 'specimen' | 'dose' | 'attendance' | 'module';
export type Decision = 'carry-over' | 'new-use';
export type Results = Record<string, string>;

export interface Enrolment {
  id: string;
  /** Start date, "YYYY-MM-DD" (a full RFC 3339 time is accepted and its UTC date used). */
  start: string;
  /** Analytes this patient is prescribed (count as not positive, §4 rule 2). */
  prescribed?: string[];
  /** IANA time zone for calendar months/years of caps (default UTC). Weeks always use UTC dates (§7). */
  timeZone?: string;
}

/** One parsed event. One shape for every kind (monomorphic for the replay loop). */
export interface CmEvent {
  id: string;
  kind: EventKind;
  /** `at` exactly as written. */
  at: string;
  /** Instant in milliseconds since 1970-01-01T00:00:00Z (exact integer). */
  t: number;
  /** Nanoseconds within the millisecond (0–999 999). */
  ns: number;
  /** Position in the file (0-based). */
  pos: number;
  /** UTC day number (days since 1970-01-01) of `at`. */
  day: number;
  /** specimen/correction: results as written. */
  results: Results | null;
  /** specimen/correction: validity as written (null when absent). */
  valid: boolean | null;
  /** missed: what was missed. */
  of: OpportunityKind | null;
  /** dose: taken; attendance: attended; module: completed (null when absent). */
  flag: boolean | null;
  /** correction: the specimen id; adjudication: the specimen id. */
  ref: string | null;
  decision: Decision | null;
  // Final state of a specimen after every correction and adjudication (set by finalize):
  finalResults: Results | null;
  finalValid: boolean;
  adjudication: Decision | null;
}

export interface EventProblem {
  /** JSON path in the events file, e.g. "events[3].at". */
  path: string;
  /** The event's id when it has one. */
  event: string | null;
  message: string;
}

export interface EventsDoc {
  enrolment: Enrolment;
  /** Sorted by (t, ns, pos); corrections merged and adjudications attached to their specimens. */
  events: CmEvent[];
  /** Enrolment start as a UTC day number. */
  startDay: number;
}

export type ParseEventsResult = { ok: true; doc: EventsDoc } | { ok: false; problems: EventProblem[] };

// ---------- RFC 3339 ----------

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1–12, day] of a day number. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Parses "YYYY-MM-DD"; returns the day number or null. */
export function parseDate(s: string): number | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

const scratch = { t: 0, ns: 0, day: 0 };

/**
 * Parses an RFC 3339 date-time with its offset into `scratch` (ms instant, ns
 * within the ms, UTC day). Returns false when it is not RFC 3339. Leap seconds (":60")
 * are rejected.
 */
function parseInstant(s: string): boolean {
  const len = s.length;
  if (len < 20) return false;
  const date = parseDate(s.slice(0, 10));
  if (date === null) return false;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return false; // T t space
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const hh = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const ss = digits(s, 17, 2);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return false;
  let i = 19;
  let ms = 0;
  let ns = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    const from = i;
    while (i < len) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      const k = i - from;
      if (k < 3) ms = ms * 10 + c;
      else if (k < 9) ns = ns * 10 + c;
      i++;
    }
    const n = i - from;
    if (n === 0) return false;
    for (let k = n; k < 3; k++) ms *= 10;
    for (let k = Math.max(n, 3); k < 9; k++) ns *= 10;
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return false;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== len || s.charCodeAt(i + 3) !== 58) return false;
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
  } else return false;
  const secs = date * 86400 + hh * 3600 + mi * 60 + ss - offsetMin * 60;
  scratch.t = secs * 1000 + ms;
  scratch.ns = ns;
  scratch.day = Math.floor(secs / 86400);
  return true;
}

/** Parses an RFC 3339 date-time; returns { ms since the epoch, ns within the ms, UTC day } or null. */
export function parseRfc3339(s: string): { t: number; ns: number; day: number } | null {
  return parseInstant(s) ? { t: scratch.t, ns: scratch.ns, day: scratch.day } : null;
}

// ---------- validation ----------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const OPPORTUNITY_KINDS: ReadonlySet<string> = new Set(['specimen', 'dose', 'attendance', 'module']);
const EVENT_KINDS = 'specimen, missed, dose, attendance, module, correction, adjudication';

function checkResults(v: unknown, path: string, id: string | null, problems: EventProblem[]): Results | null {
  if (!isObj(v)) {
    problems.push({ path, event: id, message: 'results must be an object of analyte → result' });
    return null;
  }
  let ok = true;
  for (const k in v) {
    if (!isAnalyte(k)) {
      problems.push({ path: `${path}.${k}`, event: id, message: `unknown analyte "${k}" (known: ${ANALYTES.join(', ')})` });
      ok = false;
    } else if (typeof v[k] !== 'string') {
      problems.push({ path: `${path}.${k}`, event: id, message: 'a result must be a string such as "positive" or "negative"' });
      ok = false;
    }
  }
  return ok ? (v as Results) : null;
}

function boolField(r: Obj, name: string, required: boolean, pos: number, id: string | null, problems: EventProblem[]): boolean | null {
  const v = r[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ path: `events[${pos}].${name}`, event: id, message: `${String(r.kind)} needs "${name}": true or false` });
    return null;
  }
  if (typeof v !== 'boolean') {
    problems.push({ path: `events[${pos}].${name}`, event: id, message: `${name} must be true or false` });
    return null;
  }
  return v;
}

/** Validates an events document, orders it and applies corrections and adjudications (final state, §7). */
/** Time zones already accepted (building a formatter to check one is costly; the zone data do not change while running). */
const knownZones = new Set<string>();

export function parseEvents(json: unknown): ParseEventsResult {
  const problems: EventProblem[] = [];
  if (!isObj(json)) return { ok: false, problems: [{ path: '', event: null, message: 'the events file must be a JSON object with "enrolment" and "events"' }] };

  // enrolment
  let enrolment: Enrolment | null = null;
  let startDay = 0;
  const e = json.enrolment;
  if (!isObj(e)) problems.push({ path: 'enrolment', event: null, message: 'enrolment must be an object with "id" and "start"' });
  else {
    let ok = true;
    if (typeof e.id !== 'string' || e.id === '') {
      problems.push({ path: 'enrolment.id', event: null, message: 'must be a non-empty string' });
      ok = false;
    }
    if (typeof e.start !== 'string') {
      problems.push({ path: 'enrolment.start', event: null, message: 'must be a date "YYYY-MM-DD"' });
      ok = false;
    } else {
      const d = parseDate(e.start);
      if (d !== null) startDay = d;
      else if (parseInstant(e.start)) startDay = scratch.day;
      else {
        problems.push({ path: 'enrolment.start', event: null, message: `unparsable date "${e.start}" (expected "YYYY-MM-DD")` });
        ok = false;
      }
    }
    if (e.prescribed !== undefined && e.prescribed !== null) {
      if (!Array.isArray(e.prescribed)) {
        problems.push({ path: 'enrolment.prescribed', event: null, message: 'must be a list of analytes' });
        ok = false;
      } else
        e.prescribed.forEach((a, i) => {
          if (!isAnalyte(a)) {
            problems.push({ path: `enrolment.prescribed[${i}]`, event: null, message: `unknown analyte ${JSON.stringify(a)}` });
            ok = false;
          }
        });
    }
    if (e.timeZone !== undefined && e.timeZone !== null) {
      let tzOk = typeof e.timeZone === 'string';
      if (tzOk && !knownZones.has(e.timeZone as string)) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: e.timeZone as string });
          if (knownZones.size >= 1024) knownZones.clear();
          knownZones.add(e.timeZone as string);
        } catch {
          tzOk = false;
        }
      }
      if (!tzOk) {
        problems.push({ path: 'enrolment.timeZone', event: null, message: `unknown IANA time zone ${JSON.stringify(e.timeZone)}` });
        ok = false;
      }
    }
    if (ok) {
      enrolment = { id: e.id as string, start: e.start as string };
      if (Array.isArray(e.prescribed)) enrolment.prescribed = e.prescribed as string[];
      if (typeof e.timeZone === 'string') enrolment.timeZone = e.timeZone;
    }
  }

  const raw = json.events;
  if (!Array.isArray(raw)) {
    problems.push({ path: 'events', event: null, message: 'events must be a list' });
    return { ok: false, problems };
  }

  const events: CmEvent[] = new Array(raw.length);
  let n = 0;
  const ids = new Map<string, number>();
  const specimenIds = new Map<string, number>();
  const refs: number[] = []; // positions of corrections/adjudications to check after the pass
  for (let pos = 0; pos < raw.length; pos++) {
    const r = raw[pos];
    if (!isObj(r)) {
      problems.push({ path: `events[${pos}]`, event: null, message: 'an event must be an object' });
      continue;
    }
    const id = typeof r.id === 'string' && r.id !== '' ? r.id : null;
    const before = problems.length;
    if (id === null) problems.push({ path: `events[${pos}].id`, event: null, message: 'an event needs a non-empty string id' });
    else {
      const prev = ids.get(id);
      if (prev !== undefined) problems.push({ path: `events[${pos}].id`, event: id, message: `duplicate event id "${id}" (also events[${prev}])` });
      else ids.set(id, pos);
    }
    let t = 0;
    let ns = 0;
    let day = 0;
    if (typeof r.at !== 'string') problems.push({ path: `events[${pos}].at`, event: id, message: 'at must be an RFC 3339 date-time with offset, e.g. "2026-01-05T09:00:00Z"' });
    else if (!parseInstant(r.at)) problems.push({ path: `events[${pos}].at`, event: id, message: `unparsable time "${r.at}" (expected RFC 3339 with offset, e.g. "2026-01-05T09:00:00Z")` });
    else {
      t = scratch.t;
      ns = scratch.ns;
      day = scratch.day;
    }
    const kind = r.kind;
    let results: Results | null = null;
    let valid: boolean | null = null;
    let of: OpportunityKind | null = null;
    let flag: boolean | null = null;
    let ref: string | null = null;
    let decision: Decision | null = null;
    switch (kind) {
      case 'specimen':
        results = checkResults(r.results, `events[${pos}].results`, id, problems);
        valid = boolField(r, 'valid', false, pos, id, problems);
        if (id !== null && !specimenIds.has(id)) specimenIds.set(id, pos);
        break;
      case 'missed':
        if (typeof r.of !== 'string' || !OPPORTUNITY_KINDS.has(r.of)) {
          problems.push({ path: `events[${pos}].of`, event: id, message: `missed needs "of": one of specimen, attendance, dose, module (got ${JSON.stringify(r.of)})` });
        } else of = r.of as OpportunityKind;
        break;
      case 'dose':
        flag = boolField(r, 'taken', true, pos, id, problems);
        break;
      case 'attendance':
        flag = boolField(r, 'attended', true, pos, id, problems);
        break;
      case 'module':
        flag = boolField(r, 'completed', false, pos, id, problems);
        break;
      case 'correction':
        if (typeof r.supersedes !== 'string') problems.push({ path: `events[${pos}].supersedes`, event: id, message: 'a correction needs "supersedes": the id of a specimen' });
        else ref = r.supersedes;
        if (r.results === undefined) results = {};
        else results = checkResults(r.results, `events[${pos}].results`, id, problems);
        valid = boolField(r, 'valid', false, pos, id, problems);
        refs.push(pos);
        break;
      case 'adjudication':
        if (typeof r.of !== 'string') problems.push({ path: `events[${pos}].of`, event: id, message: 'an adjudication needs "of": the id of a specimen' });
        else ref = r.of;
        if (r.decision !== 'carry-over' && r.decision !== 'new-use') {
          problems.push({ path: `events[${pos}].decision`, event: id, message: `decision must be "carry-over" or "new-use" (got ${JSON.stringify(r.decision)})` });
        } else decision = r.decision;
        refs.push(pos);
        break;
      default:
        problems.push({ path: `events[${pos}].kind`, event: id, message: `unknown event kind ${JSON.stringify(kind)} (known: ${EVENT_KINDS})` });
    }
    if (problems.length !== before) continue;
    events[n++] = {
      id: id!,
      kind: kind as EventKind,
      at: r.at as string,
      t,
      ns,
      pos,
      day,
      results,
      valid,
      of,
      flag,
      ref,
      decision,
      finalResults: results,
      finalValid: valid !== false,
      adjudication: null,
    };
  }
  for (const pos of refs) {
    const r = raw[pos] as Obj;
    const target = r.kind === 'correction' ? r.supersedes : r.of;
    if (typeof target !== 'string') continue;
    if (!specimenIds.has(target)) {
      const what = r.kind === 'correction' ? 'a correction' : 'an adjudication';
      const field = r.kind === 'correction' ? 'supersedes' : 'of';
      const other = ids.get(target);
      const why = other === undefined ? 'no event has that id' : `events[${other}] is not a specimen`;
      problems.push({ path: `events[${pos}].${field}`, event: typeof r.id === 'string' ? r.id : null, message: `${what} of "${target}", which is not a known specimen (${why})` });
    }
  }
  if (problems.length > 0 || enrolment === null) {
    problems.sort((a, b) => pathOrder(a.path) - pathOrder(b.path));
    return { ok: false, problems };
  }
  events.length = n;
  sortEvents(events);
  finalize(events);
  return { ok: true, doc: { enrolment, events, startDay } };
}

function pathOrder(p: string): number {
  if (!p.startsWith('events[')) return -1;
  return parseInt(p.slice(7), 10);
}

function compare(a: CmEvent, b: CmEvent): number {
  return a.t - b.t || a.ns - b.ns || a.pos - b.pos;
}

/** Orders by instant, ties by file position; skips the sort when already ordered. */
export function sortEvents(events: CmEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    if (compare(events[i - 1]!, events[i]!) > 0) {
      events.sort(compare);
      return;
    }
  }
}

/** Applies corrections (merged analyte by analyte in event order) and the latest adjudication of each specimen. */
function finalize(events: CmEvent[]): void {
  let byId: Map<string, CmEvent> | null = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'correction' && e.kind !== 'adjudication') continue;
    if (byId === null) {
      byId = new Map();
      for (const x of events) if (x.kind === 'specimen' && !byId.has(x.id)) byId.set(x.id, x);
    }
    const s = byId.get(e.ref!)!;
    if (e.kind === 'correction') {
      if (s.finalResults === s.results) s.finalResults = { ...s.results };
      Object.assign(s.finalResults!, e.results);
      if (e.valid !== null) s.finalValid = e.valid;
    } else s.adjudication = e.decision;
  }
}
