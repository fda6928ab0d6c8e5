// Laboratory results as HL7 v2 (docs/lab-hl7v2.md): reading an ORU^R01 message into
// Waypoint's terms and answering it with an ACK. The text is split into segments, fields
// and components by @medplum/core's Hl7Message (ADR 017); this module checks the message
// against the profile Waypoint accepts, maps it (MRN, accession, collection time, LOINC
// results) and builds the acknowledgement. No database and no HTTP here.
//
// AR (rejected): the message cannot be read as the profile — not an ORU^R01, a required
// segment or field missing, a field in the wrong format. AE (application error): it was
// read but cannot be applied — an unknown LOINC code, a result that is not understood, a
// preliminary result, and (from the use case) an unknown MRN or a conflicting record.
// Problems name the segment and field, never the value sent (which may identify a patient).
import { Hl7Context, Hl7Message, Hl7Segment } from '@medplum/core';
import { ANALYTES, ANALYTE_INFO, type Analyte } from '../../../core/cm/analytes.ts';
import { AppError } from '../../platform/errors.ts';

export type AckCode = 'AA' | 'AE' | 'AR';

/** The HL7 table 0357 (message error condition) codes Waypoint answers with. */
export const ERROR_CODES = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  207: 'Application internal error',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Where a problem is (ERR-2): the segment id, which of its kind (1-based), the field and component. */
export type Location = { segment: string; sequence: number; field?: number; component?: number };
/** One ERR segment: where, the table 0357 code, Waypoint's own code (ERR-5) when it has one, and the text for people (ERR-8). */
export type Hl7Problem = { location: Location | null; code: ErrorCode; message: string; appCode?: string };

/** A message refused while it is read or applied; the route answers it with an ACK. */
export class Hl7Refusal extends Error {
  readonly ack: 'AE' | 'AR';
  readonly problems: Hl7Problem[];
  constructor(ack: 'AE' | 'AR', problems: Hl7Problem[]) {
    super(problems.map((p) => p.message).join(' '));
    this.ack = ack;
    this.problems = problems;
  }
}

/** What an ACK echoes from the message it answers: the header fields as sent, in the sender's delimiters. */
export type AckRequest = {
  context: Hl7Context;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  controlId: string;
  version: string;
};

export type LabResultIn = { obx: number; analyte: Analyte; loinc: string; result: 'positive' | 'negative' | 'inconclusive'; valueNgMl?: number };

/** An ORU^R01 message in Waypoint's terms. */
export type OruR01 = {
  /** MSH-10. */
  controlId: string;
  /** PID-3, first repetition, CX.1. */
  mrn: string;
  /** OBR-3 (filler order number): EI.1, with "^" and EI.2 (the filler's namespace) when it is given. */
  accession: string;
  /** OBR-7 as an RFC 3339 instant (UTC). */
  collectedAt: string;
  /** OBX-23 (performing organisation) of the first OBX that has one, else MSH-4, else MSH-3. */
  laboratory: string | null;
  /** 'corrected' when any OBX-11 is C, else 'final'. */
  status: 'final' | 'corrected';
  results: LabResultIn[];
};

export type ParsedOru = { request: AckRequest | null } & ({ ok: true; message: OruR01 } | { ok: false; refusal: Hl7Refusal });

/** Versions whose ORU^R01 has every field used here at the same position as 2.5.1. */
export const ACCEPTED_VERSIONS = ['2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'];

/** LOINC code → analyte, from core/cm/analytes.ts (as resolveResults in server/modules/cm/specimens.ts reads `loinc`). */
const BY_LOINC = new Map<string, Analyte>(ANALYTES.flatMap((a) => (ANALYTE_INFO[a].loinc ? [[ANALYTE_INFO[a].loinc!, a] as [string, Analyte]] : [])));

type Qualitative = 'positive' | 'negative' | 'inconclusive';

/** OBX-5 words (upper case, single spaces) and SNOMED CT qualifier codes. */
const RESULT_VALUES = new Map<string, Qualitative>([
  ['POSITIVE', 'positive'],
  ['POS', 'positive'],
  ['DETECTED', 'positive'],
  ['PRESENT', 'positive'],
  ['NEGATIVE', 'negative'],
  ['NEG', 'negative'],
  ['NOT DETECTED', 'negative'],
  ['ND', 'negative'],
  ['NONE DETECTED', 'negative'],
  ['ABSENT', 'negative'],
  ['NOT PRESENT', 'negative'],
  ['INCONCLUSIVE', 'inconclusive'],
  ['INDETERMINATE', 'inconclusive'],
  ['EQUIVOCAL', 'inconclusive'],
  // SNOMED CT: positive, detected, present; negative, not detected, absent; inconclusive, indeterminate
  ['10828004', 'positive'],
  ['260373001', 'positive'],
  ['52101004', 'positive'],
  ['260385009', 'negative'],
  ['260415000', 'negative'],
  ['2667000', 'negative'],
  ['419984006', 'inconclusive'],
  ['82334004', 'inconclusive'],
]);

/** OBX-8 abnormal flags that say what the result is; other flags (L, <, …) say nothing about it. */
const FLAG_VALUES = new Map<string, 'positive' | 'negative'>([
  ['A', 'positive'],
  ['AA', 'positive'],
  ['H', 'positive'],
  ['HH', 'positive'],
  ['POS', 'positive'],
  ['N', 'negative'],
  ['NEG', 'negative'],
]);

const at = (segment: string, sequence: number, field?: number, component?: number): Location => ({ segment, sequence, ...(field ? { field } : {}), ...(component ? { component } : {}) });
const problem = (location: Location | null, code: ErrorCode, message: string): Hl7Problem => ({ location, code, message });

/** A field's component (1-based) of its first repetition, trimmed; '' when the field or component is absent. */
function component(seg: Hl7Segment, field: number, comp: number): string {
  const f = seg.getField(field) as ReturnType<Hl7Segment['getField']> | undefined;
  return (f?.getComponent(comp) ?? '').trim();
}

/** The first component of every repetition of a field. */
function repetitions(seg: Hl7Segment, field: number): string[] {
  const f = seg.getField(field) as ReturnType<Hl7Segment['getField']> | undefined;
  return (f?.components ?? []).map((rep) => (rep[0] ?? '').trim()).filter((v) => v !== '');
}

/**
 * The HL7 escape sequences for the delimiters, decoded (the library leaves them encoded).
 * Used on the laboratory's name, the one free text Waypoint keeps from the message.
 */
function decodeDelimiters(text: string, c: Hl7Context): string {
  const e = c.escapeCharacter;
  const map: Record<string, string> = { F: c.fieldSeparator, S: c.componentSeparator, R: c.repetitionSeparator, T: c.subcomponentSeparator, E: e };
  return text
    .split(e)
    .map((part, i) => (i % 2 === 1 ? (map[part] ?? '') : part))
    .join('');
}

/** Text of ours placed in an ACK field: delimiters escaped, no line breaks. */
export function encodeText(text: string, c: Hl7Context): string {
  const e = c.escapeCharacter;
  const codes = new Map([
    [e, 'E'],
    [c.fieldSeparator, 'F'],
    [c.componentSeparator, 'S'],
    [c.repetitionSeparator, 'R'],
    [c.subcomponentSeparator, 'T'],
  ]);
  let out = '';
  for (const ch of text.replace(/[\r\n]+/g, ' ')) {
    const code = codes.get(ch);
    out += code ? `${e}${code}${e}` : ch;
  }
  return out;
}

const TS = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?([+-]\d{4})?$/;
const OFFSET = /^([+-])(\d{2})(\d{2})$/;

/** Minutes east of UTC for "+HHMM"/"-HHMM", or null when it is not a real offset. */
function offsetMinutes(text: string): number | null {
  const m = OFFSET.exec(text);
  if (!m) return null;
  const [h, mi] = [Number(m[2]), Number(m[3])];
  if (h > 14 || mi > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

/**
 * An HL7 TS/DTM value with at least minutes (YYYYMMDDHHMM[SS[.S[S[S[S]]]]][+/-ZZZZ]) as an
 * instant. Without its own offset it takes `fallbackOffset` (the offset of MSH-7: HL7 reads
 * a time without one in the sender's zone). The library's date parser accepts impossible
 * dates (month 13) and misreads fractions of a second, so the value is checked here.
 */
export function parseTimestamp(value: string, fallbackOffset: string | null): { ok: true; iso: string } | { ok: false; reason: 'format' | 'offset' } {
  const m = TS.exec(value);
  if (!m) return { ok: false, reason: 'format' };
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return { ok: false, reason: 'format' };
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return { ok: false, reason: 'format' };
  const offsetText = m[8] ?? fallbackOffset;
  if (!offsetText) return { ok: false, reason: 'offset' };
  const offset = offsetMinutes(offsetText);
  if (offset === null) return { ok: false, reason: 'format' };
  return { ok: true, iso: new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000).toISOString() };
}

/** The offset of a TS value ("+0100"), or null. */
function offsetOf(value: string): string | null {
  const m = TS.exec(value);
  return m?.[8] && offsetMinutes(m[8]) !== null ? m[8] : null;
}

/**
 * Field separator and the four encoding characters: distinct, and none a letter, digit or
 * space (2.7 and later may add a fifth, the truncation character, which is left as it is).
 */
function delimitersValid(text: string): boolean {
  const chars = [...text.slice(3, 8)];
  if (chars.length !== 5 || new Set(chars).size !== 5) return false;
  if (chars.some((ch) => /[\p{L}\p{N}\s]/u.test(ch))) return false;
  const [after, next] = [text.charAt(8), text.charAt(9)];
  const truncation = after !== '' && !chars.includes(after) && !/[\p{L}\p{N}\s]/u.test(after) && next === chars[0];
  return after === '' || after === chars[0] || /[\r\n]/.test(after) || truncation;
}

const refuse = (request: AckRequest | null, ack: 'AE' | 'AR', problems: Hl7Problem[]): ParsedOru => ({ request, ok: false, refusal: new Hl7Refusal(ack, problems) });

/** The result one OBX gives (OBX-5 and/or OBX-8), or the problem with it. */
function resultOf(obx: Hl7Segment, n: number): { result: Qualitative; valueNgMl?: number } | Hl7Problem {
  const valueType = component(obx, 2, 1).toUpperCase();
  const words = [component(obx, 5, 1), component(obx, 5, 2)].map((v) => v.toUpperCase().replace(/\s+/g, ' '));
  const fromValue = valueType === 'NM' ? undefined : words.map((w) => RESULT_VALUES.get(w)).find((v) => v !== undefined);
  const flags = [
    ...new Set(
      repetitions(obx, 8)
        .map((f) => FLAG_VALUES.get(f.toUpperCase()))
        .filter((v) => v !== undefined),
    ),
  ];
  if (flags.length > 1) return problem(at('OBX', n, 8), 103, `OBX-8 of OBX ${n} has abnormal flags that disagree (one says positive, another negative).`);
  const fromFlag = flags[0];
  if (fromValue && fromFlag && fromValue !== 'inconclusive' && fromValue !== fromFlag) {
    return problem(at('OBX', n, 5), 103, `OBX-5 and OBX-8 of OBX ${n} disagree (one says positive, the other negative).`);
  }
  const result = fromValue ?? fromFlag;
  if (!result) {
    const empty = words.every((w) => w === '') && repetitions(obx, 8).length === 0;
    return empty
      ? problem(at('OBX', n, 5), 101, `OBX ${n} has no result: give OBX-5 (e.g. POSITIVE, NEGATIVE, Detected, Not detected) or an OBX-8 abnormal flag.`)
      : problem(
          at('OBX', n, 5),
          103,
          `OBX-5 of OBX ${n} is not a result Waypoint understands (POSITIVE, NEGATIVE, Detected, Not detected, Inconclusive), and OBX-8 has no flag that says (A, AA, H, HH, POS, N, NEG).`,
        );
  }
  // a quantitative value in ng/mL is kept with the result
  const number = Number(component(obx, 5, 1));
  const units = component(obx, 6, 1).toLowerCase();
  const quantitative = valueType === 'NM' && component(obx, 5, 1) !== '' && Number.isFinite(number) && number >= 0 && units === 'ng/ml';
  return quantitative ? { result, valueNgMl: number } : { result };
}

/** Reads an ORU^R01 message; every OBX is checked before anything is answered, and every problem is named. */
export function parseOruR01(raw: string): ParsedOru {
  // MLLP framing characters and blank lines around the message are not part of it
  const text = raw.replace(/^[\s\u000b\ufeff]+/, '').replace(/[\s\u001c]+$/, '');
  if (!text.startsWith('MSH')) return refuse(null, 'AR', [problem(at('MSH', 1), 100, 'The message must start with an MSH segment.')]);
  if (!delimitersValid(text))
    return refuse(null, 'AR', [problem(at('MSH', 1, 2), 102, 'MSH-1 and MSH-2 must give the field separator and four distinct encoding characters, none a letter, digit or space.')]);
  let msg: Hl7Message;
  try {
    msg = Hl7Message.parse(text);
  } catch {
    return refuse(null, 'AR', [problem(at('MSH', 1), 100, 'The message could not be read as HL7 v2.')]);
  }
  const ctx = msg.context;
  const msh = msg.header;
  const request: AckRequest = {
    context: ctx,
    sendingApplication: msh.getField(3)?.toString() ?? '',
    sendingFacility: msh.getField(4)?.toString() ?? '',
    receivingApplication: msh.getField(5)?.toString() ?? '',
    receivingFacility: msh.getField(6)?.toString() ?? '',
    controlId: component(msh, 10, 1),
    version: component(msh, 12, 1),
  };

  // ---- the header: an ORU^R01 in production, of a version read the same way ----
  const header: Hl7Problem[] = [];
  const [type, trigger] = [component(msh, 9, 1).toUpperCase(), component(msh, 9, 2).toUpperCase()];
  if (!type) header.push(problem(at('MSH', 1, 9), 101, 'MSH-9 (message type) is required.'));
  else if (type !== 'ORU') header.push(problem(at('MSH', 1, 9, 1), 200, 'Only ORU (observation result) messages are accepted (MSH-9).'));
  else if (trigger !== 'R01') header.push(problem(at('MSH', 1, 9, 2), 201, 'Only the R01 trigger event is accepted (MSH-9).'));
  if (!request.controlId) header.push(problem(at('MSH', 1, 10), 101, 'MSH-10 (message control id) is required.'));
  else if (request.controlId.length > 50) header.push(problem(at('MSH', 1, 10), 102, 'MSH-10 (message control id) is longer than 50 characters.'));
  const processing = component(msh, 11, 1).toUpperCase();
  if (!processing) header.push(problem(at('MSH', 1, 11), 101, 'MSH-11 (processing id) is required.'));
  else if (processing !== 'P') header.push(problem(at('MSH', 1, 11), 202, 'Only production messages (MSH-11 = P) are recorded; send test messages as P to a test installation.'));
  if (!request.version) header.push(problem(at('MSH', 1, 12), 101, 'MSH-12 (version id) is required.'));
  else if (!ACCEPTED_VERSIONS.includes(request.version)) header.push(problem(at('MSH', 1, 12), 203, `HL7 version in MSH-12 is not accepted (accepted: ${ACCEPTED_VERSIONS.join(', ')}).`));
  if (header.length > 0) return refuse(request, 'AR', header);

  // ---- the segments: one patient, one specimen (OBR), its OBX after it ----
  const structure: Hl7Problem[] = [];
  msg.segments.forEach((s, i) => {
    if (!/^[A-Z][A-Z0-9]{2}$/.test(s.name)) structure.push(problem(null, 100, `Segment ${i + 1} of the message does not start with a segment id (three capital letters or digits).`));
  });
  const index = (s: Hl7Segment) => msg.segments.indexOf(s);
  const pids = msg.getAllSegments('PID');
  const obrs = msg.getAllSegments('OBR');
  const obxs = msg.getAllSegments('OBX');
  if (pids.length === 0) structure.push(problem(at('PID', 1), 100, 'The PID segment (the patient) is required.'));
  if (pids.length > 1) structure.push(problem(at('PID', 2), 100, 'One patient per message: a second PID segment was sent.'));
  if (obrs.length === 0) structure.push(problem(at('OBR', 1), 100, 'The OBR segment (the specimen) is required.'));
  if (obrs.length > 1) structure.push(problem(at('OBR', 2), 100, 'One specimen per message: a second OBR segment was sent.'));
  if (obrs.length === 1 && obxs.length === 0) structure.push(problem(at('OBX', 1), 100, 'At least one OBX segment (a result) is required after the OBR.'));
  const pid = pids[0];
  const obr = obrs[0];
  if (pid && obr && index(pid) > index(obr)) structure.push(problem(at('PID', 1), 100, 'The PID segment must come before the OBR segment.'));
  if (obr)
    obxs.forEach((o, i) => {
      if (index(o) < index(obr)) structure.push(problem(at('OBX', i + 1), 100, `OBX ${i + 1} must come after the OBR segment.`));
    });
  if (structure.length > 0 || !pid || !obr) return refuse(request, 'AR', structure);

  // ---- required fields and formats (AR), then values Waypoint cannot apply (AE) ----
  const rejected: Hl7Problem[] = [];
  const errors: Hl7Problem[] = [];
  const mrn = component(pid, 3, 1);
  if (!mrn) rejected.push(problem(at('PID', 1, 3, 1), 101, 'PID-3 (patient identifier list) must give the MRN in its first repetition (CX.1).'));
  const [entity, namespace] = [component(obr, 3, 1), component(obr, 3, 2)];
  const accession = namespace ? `${entity}^${namespace}` : entity;
  if (!entity) rejected.push(problem(at('OBR', 1, 3, 1), 101, 'OBR-3 (filler order number: the laboratory accession) is required.'));
  else if (accession.length > 49) rejected.push(problem(at('OBR', 1, 3), 102, 'OBR-3 (filler order number) is longer than 49 characters.'));
  const collected = component(obr, 7, 1);
  let collectedAt = '';
  if (!collected) rejected.push(problem(at('OBR', 1, 7), 101, 'OBR-7 (observation date/time: when the specimen was collected) is required.'));
  else {
    const t = parseTimestamp(collected, offsetOf(component(msh, 7, 1)));
    if (t.ok) collectedAt = t.iso;
    else if (t.reason === 'offset') rejected.push(problem(at('OBR', 1, 7), 102, 'OBR-7 needs a UTC offset (+/-ZZZZ), in OBR-7 itself or in MSH-7.'));
    else rejected.push(problem(at('OBR', 1, 7), 102, 'OBR-7 must be a date and time to the minute or better: YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ].'));
  }

  const results: LabResultIn[] = [];
  const seen = new Map<Analyte, number>();
  let corrected = false;
  obxs.forEach((obx, i) => {
    const n = i + 1;
    // OBX-3: LOINC in the first triplet (CWE.1–3) or the alternate one (CWE.4–6)
    const [code, system, altCode, altSystem] = [component(obx, 3, 1), component(obx, 3, 3), component(obx, 3, 4), component(obx, 3, 6)];
    const status = component(obx, 11, 1).toUpperCase();
    const result = resultOf(obx, n);
    if (!code && !altCode) rejected.push(problem(at('OBX', n, 3), 101, `OBX-3 (observation identifier) of OBX ${n} is required.`));
    if (!status) rejected.push(problem(at('OBX', n, 11), 101, `OBX-11 (result status) of OBX ${n} is required.`));
    if ('code' in result && result.code === 101) rejected.push(result);
    if (!code && !altCode) return;
    const [loinc, where] = system.toUpperCase() === 'LN' ? [code, 1] : altSystem.toUpperCase() === 'LN' ? [altCode, 4] : [null, 3];
    const analyte = loinc ? BY_LOINC.get(loinc) : undefined;
    if (!loinc) errors.push(problem(at('OBX', n, 3, where), 103, `OBX-3 of OBX ${n} is not a LOINC code (coding system LN in CWE.3 or CWE.6).`));
    else if (!analyte) errors.push(problem(at('OBX', n, 3, where), 103, `The LOINC code in OBX-3 of OBX ${n} is not an analyte Waypoint records (see the LOINC table in docs/lab-hl7v2.md).`));
    else if (seen.has(analyte)) errors.push(problem(at('OBX', n, 3, where), 205, `OBX ${n} reports the same analyte as OBX ${seen.get(analyte)}.`));
    if (status === 'P') errors.push(problem(at('OBX', n, 11), 103, `OBX ${n} is preliminary (OBX-11 = P); Waypoint records final (F) and corrected (C) results only.`));
    else if (status && status !== 'F' && status !== 'C') errors.push(problem(at('OBX', n, 11), 103, `OBX-11 (result status) of OBX ${n} is not F (final) or C (corrected).`));
    if (status === 'C') corrected = true;
    if ('code' in result) {
      if (result.code !== 101) errors.push(result);
      return;
    }
    if (analyte && loinc && !seen.has(analyte)) {
      seen.set(analyte, n);
      results.push({ obx: n, analyte, loinc, ...result });
    }
  });
  if (rejected.length > 0) return refuse(request, 'AR', rejected);
  if (errors.length > 0) return refuse(request, 'AE', errors);

  const performing = obxs.map((o) => component(o, 23, 1)).find((v) => v !== '');
  const laboratory = performing || component(msh, 4, 1) || component(msh, 4, 2) || component(msh, 3, 1);
  return {
    request,
    ok: true,
    message: {
      controlId: request.controlId,
      mrn,
      accession,
      collectedAt,
      laboratory: laboratory ? decodeDelimiters(laboratory, ctx).trim().slice(0, 120) || null : null,
      status: corrected ? 'corrected' : 'final',
      results,
    },
  };
}

// ---------- the acknowledgement ----------

/** What the use case did with a message, as far as the ACK says. */
export type Recorded = { kind: 'specimen' | 'cup-correction' | 'lab-correction'; duplicate: boolean };

const ACCEPTED_TEXT: Record<Recorded['kind'], string> = {
  specimen: 'Recorded as a laboratory specimen',
  'cup-correction': "Recorded as the laboratory confirmation of the day's cup",
  'lab-correction': 'Recorded as a correction of the laboratory result',
};

/** Text cut to the length a field allows, marked with "..." when cut. */
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/** An HL7 timestamp in UTC: YYYYMMDDHHMMSS+0000. */
export function hl7Timestamp(t: Date): string {
  return `${t.toISOString().slice(0, 19).replace(/[-T:]/g, '')}+0000`;
}

/** ERR-2 (ERL): segment id ^ sequence ^ field ^ field repetition ^ component. */
function location(l: Location | null, c: Hl7Context): string {
  if (!l) return '';
  const parts = [l.segment, String(l.sequence)];
  if (l.field) parts.push(String(l.field));
  if (l.field && l.component) parts.push('1', String(l.component));
  return parts.join(c.componentSeparator);
}

/**
 * The ACK for a message: MSH (the sender's applications swapped, the message's delimiters),
 * MSA (the code, the message's control id, a short text), and one ERR per problem (ERR-2
 * where, ERR-3 the table 0357 code, ERR-4 severity E, ERR-5 Waypoint's code, ERR-8 the text).
 */
export function buildAck(input: { request: AckRequest | null; code: AckCode; text: string; problems?: Hl7Problem[]; controlId: string; now: Date }): string {
  const r = input.request;
  const c = r?.context ?? new Hl7Context();
  const cs = c.componentSeparator;
  const version = r && ACCEPTED_VERSIONS.includes(r.version) ? r.version : '2.5.1';
  const segments = [
    new Hl7Segment(
      [
        'MSH',
        c.getMsh2(),
        r?.receivingApplication || 'WAYPOINT',
        r?.receivingFacility ?? '',
        r?.sendingApplication ?? '',
        r?.sendingFacility ?? '',
        hl7Timestamp(input.now),
        '',
        ['ACK', 'R01', 'ACK'].join(cs),
        encodeText(input.controlId, c),
        'P',
        version,
      ],
      c,
    ),
    // MSA-3 is 80 characters at most in 2.5.1, ERR-8 250: MSA-3 gives the first problem, each ERR-8 one in full
    new Hl7Segment(['MSA', input.code, r?.controlId ?? '', encodeText(shorten(input.text, 80), c)], c),
    ...(input.problems ?? []).map(
      (p) =>
        new Hl7Segment(
          [
            'ERR',
            '',
            location(p.location, c),
            [String(p.code), ERROR_CODES[p.code], 'HL70357'].join(cs),
            'E',
            p.appCode ? encodeText(p.appCode, c) : '',
            '',
            '',
            encodeText(shorten(p.message, 250), c),
          ],
          c,
        ),
    ),
  ];
  return segments.map((s) => s.toString()).join('\r');
}

// ---------- from a failure to what the sender is told ----------

const PID3 = at('PID', 1, 3, 1);

/** The message field each input field of the screen use cases came from. */
const FROM_FIELD: Array<[RegExp, Location, string]> = [
  [/collectedAt$/, at('OBR', 1, 7), 'OBR-7'],
  [/externalId$/, at('OBR', 1, 3), 'OBR-3'],
  [/patientId$/, PID3, 'PID-3'],
  [/results/, at('OBX', 1, 3), 'OBX-3'],
];

/** A refusal from the screen use cases (AppError), said in HL7 terms: where in the message, and what the sender can do. */
function fromAppError(err: AppError): Hl7Refusal {
  const field = err.problems[0]?.field ?? '';
  const ae = (location: Location | null, code: ErrorCode, message: string) => new Hl7Refusal('AE', [{ location, code, message, appCode: err.code }]);
  switch (err.code) {
    case 'specimen_exists':
      return field.endsWith('externalId')
        ? ae(at('OBR', 1, 3), 205, 'A different specimen with this accession (OBR-3) is already recorded. Send changes as a corrected result (OBX-11 = C).')
        : ae(
            at('OBR', 1, 7),
            207,
            'Contingency management already has a specimen of that day for this patient, and it is not a point-of-care cup this result could confirm; the clinic must reconcile it. Nothing was recorded.',
          );
    case 'opportunity_closed':
      return ae(at('OBR', 1, 7), 207, "The patient's contingency-management screen of that day was already closed as missed, so nothing was recorded.");
    case 'unknown_analyte':
      return ae(at('OBX', 1, 3), 103, 'A LOINC code in OBX-3 is not an analyte Waypoint records.');
    case 'not_found':
      return ae(PID3, 204, 'The patient or specimen was not found in this programme.');
    default: {
      // a rule about one input field (e.g. a collection time later than now): name the message field it came from
      const from = FROM_FIELD.find(([pattern]) => pattern.test(field));
      const detail = err.problems[0]?.message;
      return from && detail ? ae(from[1], 207, `${from[2]} ${detail} Nothing was recorded.`) : ae(null, 207, `${err.publicMessage} Nothing was recorded.`);
    }
  }
}

const INTERNAL = new Hl7Refusal('AE', [{ location: null, code: 207, message: "The message could not be recorded because of an error on Waypoint's side. Nothing was recorded; send it again later." }]);

export type Acknowledgement = { code: AckCode; text: string; problems: Hl7Problem[]; internalError: unknown };

/**
 * Reads the message, has `record` apply it (in its own transaction, so a refusal from it has
 * written nothing), and answers with the ACK. Never throws: a failure of Waypoint's own is an
 * AE (207) and is handed back in `internalError` for the log.
 */
export async function acknowledge(raw: string, ids: { controlId: string; now: Date }, record: (message: OruR01) => Promise<Recorded>): Promise<Acknowledgement> {
  const parsed = parseOruR01(raw);
  const answer = (code: AckCode, text: string, problems: Hl7Problem[], internalError: unknown = null): Acknowledgement => ({
    code,
    problems,
    internalError,
    text: buildAck({ request: parsed.request, code, text, problems, controlId: ids.controlId, now: ids.now }),
  });
  const refused = (r: Hl7Refusal) => answer(r.ack, r.problems[0]?.message ?? 'Refused', r.problems);
  if (!parsed.ok) return refused(parsed.refusal);
  try {
    const done = await record(parsed.message);
    return answer('AA', done.duplicate ? 'Already recorded; nothing changed' : ACCEPTED_TEXT[done.kind], []);
  } catch (err) {
    const refusal = err instanceof Hl7Refusal ? err : err instanceof AppError && err.status < 500 ? fromAppError(err) : null;
    if (refusal) return refused(refusal);
    return answer('AE', INTERNAL.problems[0]!.message, INTERNAL.problems, err);
  }
}
