// CM in the clinic: the rules the server applies around a replay, written once here with
// time as an argument — which screens results a protocol reads, prescribed medication,
// the next open opportunity on the calendar and what it would pay, the enrolment's state
// after a settlement, and when a privilege level becomes a recommendation.
import { addDays, localDate, weekday, zonedInstant } from './calendar.ts';
import { parseEvents } from './events.ts';
import type { CapState, LedgerEntry } from './ledger.ts';
import { paidCents } from './ledger.ts';
import type { Protocol } from './protocol.ts';
import { replayAfter, type DetailRow, type ReplayDetail } from './replay.ts';
import type { TrackSettlement } from './settlement.ts';

export type SlotKind = 'specimen' | 'attendance' | 'dose';
export const SLOT_KINDS: readonly SlotKind[] = ['specimen', 'attendance', 'dose'];

/** An enrolment's calendar: weekdays (0 = Sunday) per kind, and the daily window in local "HH:MM". */
export type CalendarDoc = { specimen: number[]; attendance: number[]; dose: number[]; windowStart: string; windowEnd: string };

/** A track's run now: the value of its latest success, in cents (cents tracks) or draws (draws tracks), and its settlement (§5.1). */
export type TrackState = {
  track: string;
  payout: string;
  s: number;
  lastOutcome: string | null;
  currentCents: number;
  currentDraws: number;
  privilege: string | null;
  settlement: TrackSettlement | null;
};
export type NextOpp = { kind: SlotKind; date: string; tracks: Array<{ track: string; payout: string; cents: number; draws: number; privilege: string | null }> };
export type EnrolmentState = { tracks: TrackState[]; pending: string[]; next: NextOpp[]; earnedCents: number; settledAt: string };

/** Analytes that adherence-from-specimen tracks read (a positive there is the goal, never "prescribed"). */
export function adherenceAnalytes(p: Protocol): Set<string> {
  const out = new Set<string>();
  for (const t of p.tracks) if (t.target.kind === 'adherence' && t.target.source === 'specimen') for (const a of t.target.analytes ?? []) out.add(a);
  return out;
}

/** Every analyte a protocol reads from a specimen (targets, adherence and bonus targets). */
export function specimenAnalytes(p: Protocol): Set<string> {
  const out = adherenceAnalytes(p);
  for (const t of p.tracks) {
    if (t.target.kind === 'negative') for (const a of t.target.analytes) out.add(a);
    for (const b of t.bonusTargets ?? []) for (const a of b.target.analytes) out.add(a);
  }
  return out;
}

/** The calendar kinds whose opportunities a protocol pays. */
export function slotKindsOf(p: Protocol): SlotKind[] {
  const out = new Set<SlotKind>();
  for (const t of p.tracks) {
    const k = t.target.kind;
    if (k === 'negative' || (k === 'adherence' && t.target.source === 'specimen')) out.add('specimen');
    else if (k === 'adherence') out.add('dose');
    else if (k === 'attendance') out.add('attendance');
  }
  return [...out];
}

/** A medication for OUD with its dates (inclusive; endedOn null while it goes on). */
export type MedicationSpan = { medication: string; startedOn: string; endedOn: string | null };

/** Analytes the patient is prescribed on a date: a positive for them is adherence, not use (CM-SPEC §4 rule 2). */
export function prescribedOn(medications: readonly MedicationSpan[], date: string): Set<string> {
  const out = new Set<string>();
  for (const r of medications) {
    if (r.startedOn > date || (r.endedOn !== null && r.endedOn < date)) continue;
    const m = r.medication.toLowerCase();
    if (m.includes('buprenorphine')) out.add('buprenorphine');
    if (m.includes('methadone')) out.add('methadone');
  }
  return out;
}

/** Results in the engine's vocabulary: a positive for a prescribed medication reads "prescribed", except where a track wants it positive. */
export function engineResults(results: ReadonlyArray<{ analyte: string; result: string }>, prescribed: ReadonlySet<string>, protocol: Protocol): Record<string, string> {
  const adh = adherenceAnalytes(protocol);
  const out: Record<string, string> = {};
  for (const r of results) out[r.analyte] = r.result === 'positive' && prescribed.has(r.analyte) && !adh.has(r.analyte) ? 'prescribed' : r.result;
  return out;
}

/** Whether a screen is an opportunity for the protocol: it reports at least one analyte the protocol reads (a breath-alcohol test is none for a stimulant protocol). */
export function screenIsOpportunity(protocol: Protocol, analytes: Iterable<string>): boolean {
  const read = specimenAnalytes(protocol);
  for (const a of analytes) if (read.has(a)) return true;
  return false;
}

/** The enrolment's state after a settlement: runs, pending specimens, the next opportunities, what was paid. */
export function enrolmentState(protocol: Protocol, detail: ReplayDetail, ledger: readonly LedgerEntry[], settlement: Record<string, TrackSettlement>, next: NextOpp[], now: Date): EnrolmentState {
  const tracks: TrackState[] = protocol.tracks.map((t) => ({
    track: t.id,
    payout: t.payout,
    s: 0,
    lastOutcome: null,
    currentCents: 0,
    currentDraws: 0,
    privilege: t.payout === 'privilege' ? (t.levels?.[0] ?? null) : null,
    settlement: settlement[t.id] ?? null,
  }));
  const byId = new Map(tracks.map((t) => [t.track, t]));
  const pending = new Set<string>();
  for (const r of detail.rows) {
    const st = byId.get(r.out.track)!;
    st.s = r.out.s;
    st.lastOutcome = r.out.outcome;
    if (r.out.outcome === 'success') {
      if (r.payout === 'draws') st.currentDraws = r.out.draws;
      else st.currentCents = r.earn + r.bonus;
    }
    if (r.out.privilege !== null) st.privilege = r.out.privilege;
    if (r.out.outcome === 'pending') pending.add(r.out.event);
  }
  return { tracks, pending: [...pending], next, earnedCents: paidCents(ledger), settledAt: now.toISOString() };
}

export type CalendarEnrolment = { id: string; startDate: string; endDate: string; status: string; calendar: CalendarDoc };

/**
 * The calendar's next open slot of each kind the protocol reads (within 14 days, today's
 * only while its window is open), and what a success there would pay: a hypothetical
 * success after the enrolment's replay (`detail`), caps applied after its settlement's
 * (`owedCaps`), draws counted, never their prizes.
 */
export function nextOpportunities(protocol: Protocol, enr: CalendarEnrolment, tz: string, taken: ReadonlySet<string>, detail: ReplayDetail, owedCaps: CapState, now: Date): NextOpp[] {
  if (enr.status !== 'active') return [];
  const cal = enr.calendar;
  const today = localDate(now, tz);
  const found: Array<{ kind: SlotKind; date: string; at: string }> = [];
  for (const kind of slotKindsOf(protocol)) {
    const days = cal[kind] ?? [];
    if (days.length === 0) continue;
    let d = today < enr.startDate ? enr.startDate : today;
    for (let i = 0; i < 14 && d <= enr.endDate; i++, d = addDays(d, 1)) {
      if (!days.includes(weekday(d)) || taken.has(`${kind}/${d}`)) continue;
      if (d === today && zonedInstant(d, cal.windowEnd, tz).getTime() <= now.getTime()) continue;
      found.push({ kind, date: d, at: zonedInstant(d, cal.windowStart, tz).toISOString() });
      break;
    }
  }
  if (found.length === 0) return [];
  const results: Record<string, string> = {};
  for (const a of specimenAnalytes(protocol)) results[a] = 'negative';
  for (const a of adherenceAnalytes(protocol)) results[a] = 'positive';
  const hyp = found.map((f) => {
    const base = { id: `next-${f.kind}`, at: f.at, kind: f.kind };
    return f.kind === 'specimen' ? { ...base, results, valid: true } : f.kind === 'dose' ? { ...base, taken: true } : { ...base, attended: true };
  });
  const parsed = parseEvents({ enrolment: detail.enrolment, events: hyp });
  if (!parsed.ok) return [];
  // after everything recorded, in the order of their slots
  const rows = replayAfter(detail, parsed.doc.events, owedCaps);
  return found.map((f) => ({
    kind: f.kind,
    date: f.date,
    tracks: rows
      .filter((o) => o.event === `next-${f.kind}`)
      .map((o) => ({
        track: o.track,
        payout: protocol.tracks.find((t) => t.id === o.track)?.payout ?? 'cents',
        cents: o.amountCents + o.bonusCents,
        draws: o.draws,
        privilege: o.privilege,
      })),
  }));
}

/**
 * Privilege levels to recommend now (CM-SPEC §2): per privilege track, the level its latest
 * opportunity gives, when it differs from the latest recommendation (or, with none yet,
 * when it is above the first level). A recommendation is never a change of dose by itself.
 */
export function privilegeRecommendations(
  protocol: Protocol,
  rows: readonly DetailRow[],
  latest: ReadonlyMap<string, string>,
): Array<{ track: string; eventId: string; level: string; levelIndex: number }> {
  const out = [];
  for (const t of protocol.tracks) {
    if (t.payout !== 'privilege') continue;
    let last: DetailRow | undefined;
    for (const r of rows) if (r.out.track === t.id) last = r;
    if (!last || last.out.privilege === null) continue;
    const index = (t.levels ?? []).indexOf(last.out.privilege);
    const prior = latest.get(t.id);
    if (prior !== undefined ? prior === last.out.privilege : index <= 0) continue;
    out.push({ track: t.id, eventId: last.out.event, level: last.out.privilege, levelIndex: index });
  }
  return out;
}
