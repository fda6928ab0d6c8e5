// Replay of an enrolment (CM-SPEC §4, §7): final state of every specimen, ordered
// events → one row per opportunity and track → caps and ledger (ledger.ts).
// Pure: time comes from the events, randomness from the seed.
import { DEFAULT_CARRY_OVER_DAYS, ANALYTES } from './analytes.ts';
import type { CapName } from './caps.ts';
import { prepareBowl, enrolmentDraws, ZERO_SEED, seedFromHex, type PreparedBowl } from './draws.ts';
import { resolveEscalation, baseOf, bonusOf, privilegeIndexOf, newRun, succeed, fail, phaseIndexForWeek, type ResolvedEscalation, type RunState } from './escalation.ts';
import { civilFromDays, parseEvents, type CmEvent, type Enrolment, type EventsDoc, type EventProblem } from './events.ts';
import { allocate, CapState, type ExternalUsage, type LedgerEntry } from './ledger.ts';
import { parseProtocol, type Protocol, type Problem, type Track } from './protocol.ts';

export type Outcome = 'success' | 'failure' | 'excused' | 'pending';

/** One row of `waypoint cm replay` output (§7), field for field. */
export interface OpportunityRow {
  event: string;
  track: string;
  outcome: Outcome;
  s: number;
  level: number | null;
  amountCents: number;
  bonusCents: number;
  draws: number;
  prizes: string[];
  privilege: string | null;
  capped: CapName | null;
}

export interface Totals {
  earnedCents: number;
  draws: number;
  prizeCents: number;
}

/** The output object of `waypoint cm replay` (§7). */
export interface ReplayOutput {
  opportunities: OpportunityRow[];
  totals: Totals;
  ledger: LedgerEntry[];
}

/** A prize drawn for a row (before caps decide what it pays). */
export interface RowDraw {
  n: number;
  slipIndex: number;
  tier: string;
  valueCents: number;
}

/** A row with what the ledger needs: uncapped amounts, draw numbers, calendar month. */
export interface DetailRow {
  out: OpportunityRow;
  trackIndex: number;
  payout: 'cents' | 'draws' | 'privilege';
  /** `at` of the opportunity event, as written. */
  at: string;
  /** Calendar month "YYYY-MM" of the opportunity in the caps time zone (UTC unless the enrolment says). */
  month: string;
  /** Cents track: base + extra before caps; else 0. */
  earn: number;
  /** Cents track: bonus before caps; else 0. */
  bonus: number;
  /** Draws track: the draws of this row in order (numbers from the shared counter). */
  drawList: RowDraw[];
}

export interface ReplayDetail {
  protocol: Protocol;
  enrolment: Enrolment;
  seed: Uint8Array;
  bowl: PreparedBowl | null;
  rows: DetailRow[];
  /** The rows that events after the last one replayed would add, from the replay's final state (which stays as it is). */
  rowsAfter(events: readonly CmEvent[]): DetailRow[];
}

/** Where a replay is after some events: each track's run and privilege level, each analyte's latest valid result (carry-over), the next draw's number. */
interface ReplayState {
  runs: RunState[];
  priv: Int32Array;
  /** 0 none, 1 positive, 2 not positive */
  lastState: Uint8Array;
  lastT: Float64Array;
  lastNs: Float64Array;
  nextDraw: number;
}

export interface ReplayOptions {
  /** Draw key bytes (or hex); default 32 zero bytes. */
  seed?: Uint8Array | string;
  /** Money already paid to this patient by other enrolments of the same funding source (per-year/month caps). */
  external?: ExternalUsage;
}

// ---------- compiled protocol ----------

const enum Reads {
  Negative,
  AdherenceSpecimen,
  Dose,
  Attendance,
  Module,
}
const enum Out {
  Success,
  Failure,
  Excused,
  Pending,
}
const OUTCOME_NAMES: readonly Outcome[] = ['success', 'failure', 'excused', 'pending'];

interface CTrack {
  index: number;
  id: string;
  payout: 'cents' | 'draws' | 'privilege';
  reads: Reads;
  analytes: string[];
  analyteIdx: number[];
  bonusTargets: { analytes: string[]; analyteIdx: number[]; extra: number }[];
  missed: Out;
  invalid: Out;
  phases: ResolvedEscalation[];
  rawPhases: Track['phases'];
  table: Int32Array;
  levels: string[];
}

interface Compiled {
  tracks: CTrack[];
  specimenTracks: CTrack[];
  doseTracks: CTrack[];
  attendanceTracks: CTrack[];
  moduleTracks: CTrack[];
  /** Carry-over window per analyte index in ms; −1 = none. */
  windowMs: Float64Array;
  bowl: PreparedBowl | null;
}

const ANALYTE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(ANALYTES.map((a, i) => [a, i]));
const TABLE_LIMIT = 10_000;
const compiledCache = new WeakMap<Protocol, Compiled>();

function compile(p: Protocol): Compiled {
  const hit = compiledCache.get(p);
  if (hit) return hit;
  const tracks: CTrack[] = p.tracks.map((t, index) => {
    const target = t.target;
    let reads: Reads;
    let analytes: string[] = [];
    switch (target.kind) {
      case 'negative':
        reads = Reads.Negative;
        analytes = target.analytes;
        break;
      case 'adherence':
        if (target.source === 'specimen') {
          reads = Reads.AdherenceSpecimen;
          analytes = target.analytes ?? [];
        } else reads = Reads.Dose;
        break;
      case 'attendance':
        reads = Reads.Attendance;
        break;
      default:
        reads = Reads.Module;
    }
    const phases = t.phases.map((ph) => resolveEscalation(ph.escalation));
    let maxWeek = 0;
    for (const ph of t.phases) if (ph.toWeek > maxWeek) maxWeek = ph.toWeek;
    const table = new Int32Array(Math.min(maxWeek, TABLE_LIMIT) + 1).fill(-1);
    for (let w = 1; w < table.length; w++) table[w] = phaseIndexForWeek(t.phases, w);
    return {
      index,
      id: t.id,
      payout: t.payout,
      reads,
      analytes,
      analyteIdx: analytes.map((a) => ANALYTE_INDEX[a]!),
      bonusTargets: (t.bonusTargets ?? []).map((b) => ({ analytes: b.target.analytes, analyteIdx: b.target.analytes.map((a) => ANALYTE_INDEX[a]!), extra: b.extra })),
      missed: t.missed === 'excused' ? Out.Excused : Out.Failure,
      invalid: t.invalid === 'excused' ? Out.Excused : Out.Failure,
      phases,
      rawPhases: t.phases,
      table,
      levels: t.levels ?? [],
    };
  });
  const windowMs = new Float64Array(ANALYTES.length).fill(-1);
  for (let i = 0; i < ANALYTES.length; i++) {
    const a = ANALYTES[i]!;
    const own = p.carryOverWindows && Object.prototype.hasOwnProperty.call(p.carryOverWindows, a) ? p.carryOverWindows[a] : undefined;
    const days = own !== undefined ? own : DEFAULT_CARRY_OVER_DAYS[a];
    windowMs[i] = days == null ? -1 : days * 86_400_000;
  }
  const c: Compiled = {
    tracks,
    specimenTracks: tracks.filter((t) => t.reads === Reads.Negative || t.reads === Reads.AdherenceSpecimen),
    doseTracks: tracks.filter((t) => t.reads === Reads.Dose),
    attendanceTracks: tracks.filter((t) => t.reads === Reads.Attendance),
    moduleTracks: tracks.filter((t) => t.reads === Reads.Module),
    windowMs,
    bowl: p.bowl ? prepareBowl(p.bowl) : null,
  };
  compiledCache.set(p, c);
  return c;
}

function phaseOf(t: CTrack, week: number): number {
  if (week < 1) return -1;
  if (week < t.table.length) return t.table[week]!;
  return phaseIndexForWeek(t.rawPhases, week);
}

// ---------- calendar months for caps ----------

function pad(n: number, w: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
}

/** Month key "YYYY-MM" of an instant, in UTC or an IANA zone; memoised for runs of events in the same day/quarter-hour. */
function monthKeyer(timeZone: string | undefined): (e: CmEvent) => string {
  let lastKey = NaN;
  let lastMonth = '';
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return (e) => {
      if (e.day !== lastKey) {
        const [y, m] = civilFromDays(e.day);
        lastKey = e.day;
        lastMonth = `${pad(y, 4)}-${pad(m, 2)}`;
      }
      return lastMonth;
    };
  }
  let zone = zoneMonths.get(timeZone);
  if (!zone) {
    if (zoneMonths.size >= 64) zoneMonths.clear();
    zone = { fmt: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', era: 'short' }), months: new Map() };
    zoneMonths.set(timeZone, zone);
  }
  const { fmt, months } = zone;
  return (e) => {
    const q = Math.floor(e.t / 900_000);
    if (q !== lastKey) {
      let month = months.get(q);
      if (month === undefined) {
        month = monthAt(fmt, e.t);
        // cached for other runs only when the whole quarter-hour is in one month (so the answer cannot depend on which instant came first)
        const start = q * 900_000;
        if (monthAt(fmt, start) === month && monthAt(fmt, start + 899_999) === month) {
          if (months.size >= 65_536) months.clear();
          months.set(q, month);
        }
      }
      lastKey = q;
      lastMonth = month;
    }
    return lastMonth;
  };
}

function monthAt(fmt: Intl.DateTimeFormat, t: number): string {
  let y = 0;
  let m = 0;
  let bc = false;
  for (const part of fmt.formatToParts(t)) {
    if (part.type === 'year') y = Number(part.value);
    else if (part.type === 'month') m = Number(part.value);
    else if (part.type === 'era') bc = part.value.startsWith('B');
  }
  return `${pad(bc ? 1 - y : y, 4)}-${pad(m, 2)}`;
}

/** Per time zone: its formatter (costly to build) and the month of each quarter-hour already seen that lies wholly in one month. */
const zoneMonths = new Map<string, { fmt: Intl.DateTimeFormat; months: Map<number, string> }>();

// ---------- replay ----------

const NO_PRIZES: string[] = Object.freeze([]) as unknown as string[];
const NO_DRAWS: RowDraw[] = Object.freeze([]) as unknown as RowDraw[];

/** Replays validated input; returns rows with the detail the ledger needs (caps not yet applied to `out`). */
export function replayRows(protocol: Protocol, doc: EventsDoc, seed: Uint8Array = ZERO_SEED): ReplayDetail {
  const c = compile(protocol);
  const { enrolment, events, startDay } = doc;
  const prescribed = new Uint8Array(ANALYTES.length);
  for (const a of enrolment.prescribed ?? []) {
    const i = ANALYTE_INDEX[a];
    if (i !== undefined) prescribed[i] = 1;
  }
  const nT = c.tracks.length;
  const windowMs = c.windowMs;
  const monthOf = monthKeyer(enrolment.timeZone);
  const draw = c.bowl ? enrolmentDraws(seed, enrolment.id, c.bowl) : null;
  const positive = (res: Record<string, string>, a: string, idx: number): boolean => res[a] === 'positive' && prescribed[idx] === 0;

  // whether a positive result of analyte idx may carry over from the latest earlier one (CM-SPEC §4)
  const candidate = (st: ReplayState, e: CmEvent, idx: number): boolean => {
    if (st.lastState[idx] !== 1) return false;
    const w = windowMs[idx]!;
    if (w < 0) return false;
    const d = e.t - st.lastT[idx]!;
    if (d !== w) return d < w;
    return e.ns - st.lastNs[idx]! <= 0;
  };

  /** The rows of one event, from the state after the events before it, which it moves on. */
  const step = (st: ReplayState, e: CmEvent, rows: DetailRow[]): void => {
    const { runs, priv, lastState, lastT, lastNs } = st;
    let list: CTrack[];
    const kind = e.kind;
    const missed = kind === 'missed';
    switch (missed ? e.of : kind) {
      case 'specimen':
        list = c.specimenTracks;
        break;
      case 'dose':
        list = c.doseTracks;
        break;
      case 'attendance':
        list = c.attendanceTracks;
        break;
      case 'module':
        list = c.moduleTracks;
        break;
      default:
        return; // corrections and adjudications make no rows
    }
    const isSpecimen = kind === 'specimen';
    const res = isSpecimen ? e.finalResults! : null;
    const valid = isSpecimen ? e.finalValid : false;
    if (list.length > 0) {
      const week = Math.floor((e.day - startDay) / 7) + 1;
      let month: string | null = null;
      for (let k = 0; k < list.length; k++) {
        const t = list[k]!;
        const ph = phaseOf(t, week);
        if (ph < 0) continue;
        const esc = t.phases[ph]!;
        // outcome
        let o: Out;
        if (missed) o = t.missed;
        else if (isSpecimen) {
          if (!valid) o = t.invalid;
          else if (t.reads === Reads.Negative) {
            let anyPos = false;
            let fresh = false;
            const an = t.analytes;
            for (let j = 0; j < an.length; j++) {
              const idx = t.analyteIdx[j]!;
              if (positive(res!, an[j]!, idx)) {
                anyPos = true;
                if (!candidate(st, e, idx)) {
                  fresh = true;
                  break;
                }
              }
            }
            o = fresh ? Out.Failure : anyPos ? Out.Pending : Out.Success;
            if (o === Out.Pending && e.adjudication !== null) o = e.adjudication === 'carry-over' ? Out.Excused : Out.Failure;
          } else {
            // adherence from specimens: every listed analyte "positive" (prescription not consulted)
            o = Out.Success;
            for (const a of t.analytes)
              if (res![a] !== 'positive') {
                o = Out.Failure;
                break;
              }
          }
        } else o = e.flag === false || (e.flag === null && kind !== 'module') ? Out.Failure : Out.Success;

        const run = runs[t.index]!;
        let level: number | null = null;
        let earn = 0;
        let bonus = 0;
        let draws = 0;
        if (o === Out.Success) {
          level = succeed(run, esc.recoverAfter);
          let extra = 0;
          if (t.bonusTargets.length > 0) {
            for (const b of t.bonusTargets) {
              let holds = true;
              for (let j = 0; j < b.analytes.length; j++)
                if (positive(res!, b.analytes[j]!, b.analyteIdx[j]!)) {
                  holds = false;
                  break;
                }
              if (holds) extra += b.extra;
            }
          }
          if (t.payout === 'cents') {
            earn = baseOf(esc, level) + extra;
            bonus = bonusOf(esc, run.s);
          } else if (t.payout === 'draws') {
            draws = baseOf(esc, level) + extra + bonusOf(esc, run.s);
          } else {
            priv[t.index] = privilegeIndexOf(esc, level, t.levels.length);
          }
        } else if (o === Out.Failure) {
          fail(run);
          priv[t.index] = 0;
        }
        let prizes = NO_PRIZES;
        let drawList = NO_DRAWS;
        if (draws > 0) {
          prizes = new Array<string>(draws);
          drawList = new Array<RowDraw>(draws);
          for (let d = 0; d < draws; d++) {
            const r = draw!(st.nextDraw);
            prizes[d] = r.tier;
            drawList[d] = { n: st.nextDraw, slipIndex: r.slipIndex, tier: r.tier, valueCents: r.valueCents };
            st.nextDraw++;
          }
        }
        if (month === null) month = monthOf(e);
        rows.push({
          out: {
            event: e.id,
            track: t.id,
            outcome: OUTCOME_NAMES[o]!,
            s: run.s,
            level,
            amountCents: earn,
            bonusCents: bonus,
            draws,
            prizes,
            privilege: t.payout === 'privilege' ? (t.levels[priv[t.index]!] ?? null) : null,
            capped: null,
          },
          trackIndex: t.index,
          payout: t.payout,
          at: e.at,
          month,
          earn,
          bonus,
          drawList,
        });
      }
    }
    // this specimen now counts as the latest result of each analyte it reports (valid ones only)
    if (isSpecimen && valid) {
      for (const a in res!) {
        const idx = ANALYTE_INDEX[a]!;
        lastState[idx] = res![a] === 'positive' && prescribed[idx] === 0 ? 1 : 2;
        lastT[idx] = e.t;
        lastNs[idx] = e.ns;
      }
    }
  };

  const state: ReplayState = {
    runs: c.tracks.map(() => newRun()),
    priv: new Int32Array(nT), // privilege index per track (starts at levels[0])
    lastState: new Uint8Array(ANALYTES.length),
    lastT: new Float64Array(ANALYTES.length),
    lastNs: new Float64Array(ANALYTES.length),
    nextDraw: 1,
  };
  const rows: DetailRow[] = [];
  for (const e of events) step(state, e, rows);
  const rowsAfter = (more: readonly CmEvent[]): DetailRow[] => {
    const st: ReplayState = {
      runs: state.runs.map((r) => ({ ...r })),
      priv: state.priv.slice(),
      lastState: state.lastState.slice(),
      lastT: state.lastT.slice(),
      lastNs: state.lastNs.slice(),
      nextDraw: state.nextDraw,
    };
    const out: DetailRow[] = [];
    for (const e of more) step(st, e, out);
    return out;
  };
  return { protocol, enrolment, seed, bowl: c.bowl, rows, rowsAfter };
}

/** Replays validated input and produces the §7 output object (caps applied, ledger on an empty ledger). */
export function replay(protocol: Protocol, doc: EventsDoc, options: ReplayOptions = {}): ReplayOutput {
  const seed = options.seed === undefined ? ZERO_SEED : typeof options.seed === 'string' ? seedFromHex(options.seed) : options.seed;
  const detail = replayRows(protocol, doc, seed);
  const entries: LedgerEntry[] = [];
  const prizeCents = allocate(detail, new CapState(protocol.caps, options.external), entries);
  const opportunities = new Array<OpportunityRow>(detail.rows.length);
  let earnedCents = 0;
  let draws = 0;
  for (let i = 0; i < detail.rows.length; i++) {
    const r = detail.rows[i]!.out;
    opportunities[i] = r;
    earnedCents += r.amountCents + r.bonusCents;
    draws += r.draws;
  }
  return { opportunities, totals: { earnedCents, draws, prizeCents }, ledger: entries };
}

/**
 * What events after the last one replayed would come to (§7 rows: caps applied after the
 * replayed rows', as `replay` would with them added at the end). `owedCaps` is the caps'
 * usage after allocating the replayed rows (a settlement's `owedCaps`); neither it nor the
 * replay is changed.
 */
export function replayAfter(detail: ReplayDetail, events: readonly CmEvent[], owedCaps: CapState): OpportunityRow[] {
  const more = { ...detail, rows: detail.rowsAfter(events) }; // new rows, so allocate may write into them
  allocate(more, owedCaps.copy());
  return more.rows.map((r) => r.out);
}

export type ReplayInputResult = { ok: true; output: ReplayOutput } | { ok: false; problems: { protocol: Problem[]; events: EventProblem[] } };

/** Validates raw JSON (protocol and events) and replays. Every problem of both files is reported. */
export function replayJson(protocolJson: unknown, eventsJson: unknown, options: ReplayOptions = {}): ReplayInputResult {
  const p = parseProtocol(protocolJson);
  const ev = parseEvents(eventsJson);
  if (!p.ok || !ev.ok) return { ok: false, problems: { protocol: p.ok ? [] : p.problems, events: ev.ok ? [] : ev.problems } };
  return { ok: true, output: replay(p.protocol, ev.doc, options) };
}
