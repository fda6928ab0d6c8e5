// Recording a specimen (and its award, in the same transaction), corrections
// (laboratory confirmation supersedes the cup; never an edit in place), carry-over
// adjudication, and the day's attendance / dose check-ins.
import { and, eq, or } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { ANALYTES, ANALYTE_INFO, isAnalyte } from '../../../core/cm/analytes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { medications } from '../patients/patients.tables.ts';
import { cmEvents, cmLedgerEntries } from './cm.tables.ts';
import {
  adherenceAnalytes, appendEvent, balanceOfRows, canonical, effectiveProtocol, loadProtocol, lockPatientEnrolments, notEnrolled, patientBalance, prescribedFrom, programTimeZone, readForRecording, settle, StaleHistory, toEngine, unrevealedPrizeCentsOfRows,
  type EnrolmentRow, type EnrolmentState, type EventRow, type LedgerRow, type SettleResult,
} from './settle.ts';
import { localDate } from './time.ts';
import { paidCents, type LedgerEntry } from '../../../core/cm/ledger.ts';
import { splitAward, voucherAndDraws } from './award-view.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type AnalyteResultIn = { analyte?: string | undefined; loinc?: string | undefined; result: 'positive' | 'negative' | 'inconclusive'; valueNgMl?: number | undefined; cutoffNgMl?: number | undefined };
export type ValidityIn = { creatinineMgDl?: number | undefined; specificGravity?: number | undefined; ph?: number | undefined; nitriteUgMl?: number | undefined; oxidants?: boolean | undefined; adulterantDetected?: boolean | undefined };
export type SpecimenIn = {
  patientId: string; collectedAt: string; collectorId?: string | undefined; observed: boolean; observerId?: string | null | undefined;
  temperatureC?: number | null | undefined; validity?: ValidityIn | undefined; invalidReason?: string | undefined;
  cup?: { brand: string; lot: string; expiry: string; cutoffs?: Record<string, number> | undefined } | undefined;
  method: 'presumptive' | 'confirmatory'; results: AnalyteResultIn[]; externalId?: string | undefined;
};

const BY_LOINC = new Map<string, string>(ANALYTES.flatMap((a) => (ANALYTE_INFO[a].loinc ? [[ANALYTE_INFO[a].loinc!, a] as [string, string]] : [])));

/** Resolves analyte names / LOINC codes; unknown analyte → 400 naming every bad entry. */
export function resolveResults(results: AnalyteResultIn[], field: string) {
  const problems: Array<{ field: string; message: string }> = [];
  const out: Array<Omit<AnalyteResultIn, 'analyte' | 'loinc'> & { analyte: string; loinc: string | null }> = [];
  const seen = new Set<string>();
  results.forEach((r, i) => {
    let a = r.analyte?.trim().toLowerCase();
    if (a === 'methamphetamine' || a === 'amphetamines') a = 'amphetamine';
    if (a === 'eddp') a = 'methadone';
    if (a === undefined && r.loinc !== undefined) a = BY_LOINC.get(r.loinc);
    if (a === undefined || !isAnalyte(a)) {
      const what = r.analyte ?? r.loinc ?? '(none)';
      problems.push({ field: `${field}[${i}].${r.analyte !== undefined ? 'analyte' : 'loinc'}`, message: `unknown analyte "${what}" (known: ${ANALYTES.join(', ')}, or their LOINC codes)` });
      return;
    }
    if (r.loinc !== undefined && ANALYTE_INFO[a].loinc !== undefined && BY_LOINC.get(r.loinc) !== undefined && BY_LOINC.get(r.loinc) !== a) {
      problems.push({ field: `${field}[${i}].loinc`, message: `LOINC ${r.loinc} is not ${a}` });
      return;
    }
    if (seen.has(a)) {
      problems.push({ field: `${field}[${i}].analyte`, message: `${a} is listed twice` });
      return;
    }
    seen.add(a);
    out.push({ ...r, analyte: a, loinc: r.loinc ?? ANALYTE_INFO[a].loinc ?? null });
  });
  if (problems.length > 0) {
    throw new AppError({ code: 'unknown_analyte', status: 400, message: `The results are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems });
  }
  return out;
}

/** Validity checks (SAMHSA/HHS-style cut-offs for point-of-care strips). */
export function validityOf(input: SpecimenIn): string[] {
  const reasons: string[] = [];
  const t = input.temperatureC;
  if (t != null && (t < 32 || t > 38)) reasons.push('temperature outside 32–38 °C');
  const v = input.validity ?? {};
  if (v.creatinineMgDl !== undefined && v.creatinineMgDl < 20) reasons.push('creatinine below 20 mg/dL (dilute or substituted)');
  if (v.specificGravity !== undefined && (v.specificGravity < 1.002 || v.specificGravity >= 1.035)) reasons.push('specific gravity out of range');
  if (v.ph !== undefined && (v.ph < 4.5 || v.ph >= 9)) reasons.push('pH out of range (4.5–9)');
  if (v.nitriteUgMl !== undefined && v.nitriteUgMl >= 500) reasons.push('nitrite ≥ 500 µg/mL (adulterant)');
  if (v.oxidants) reasons.push('oxidants detected (adulterant)');
  if (v.adulterantDetected) reasons.push('adulterant detected');
  if (input.cup && input.cup.expiry < input.collectedAt.slice(0, 10)) reasons.push('cup expired');
  if (input.invalidReason) reasons.push(input.invalidReason);
  return reasons;
}

/** Analytes the patient is prescribed at a date (medication for OUD history). */
async function prescribedAt(tx: Tx, programId: string, patientId: string, date: string): Promise<Set<string>> {
  const rows = await tx.select({ medication: medications.medication, startedOn: medications.startedOn, endedOn: medications.endedOn })
    .from(medications).where(and(eq(medications.programId, programId), eq(medications.patientId, patientId)));
  return prescribedFrom(rows, date);
}

// ---------- the award shown at once ----------

export function entryDto(r: LedgerRow) {
  return {
    id: r.id, kind: r.kind, cents: r.cents, track: r.track, eventId: r.eventId, n: r.n, tier: r.tier, capped: r.capped, reason: r.reason,
    enrolmentId: r.enrolmentId, createdAt: r.createdAt.toISOString(),
  };
}

export type AwardDto = Awaited<ReturnType<typeof awardOf>>;

/** What an award's entries pay (the engine's rule) and how many draws they hold. */
function earnedOf(entries: readonly LedgerEntry[]) {
  return { earned: paidCents(entries), draws: entries.filter((e) => e.kind === 'prize').length };
}

async function awardOf(tx: Tx, enr: EnrolmentRow, eventId: string, entries: LedgerRow[], rows: SettleResult['detail']['rows'] | null, state: EnrolmentState, balance?: number) {
  const { earned, draws } = earnedOf(entries.map(toEngine));
  const outcomes = (rows ?? []).filter((r) => r.out.event === eventId).map((r) => ({ track: r.out.track, outcome: r.out.outcome, s: r.out.s, level: r.out.level, privilege: r.out.privilege }));
  return {
    eventId, enrolmentId: enr.id, outcomes, entries: entries.map(entryDto), earnedCents: earned, newDraws: draws,
    balanceCents: balance ?? await patientBalance(tx, enr.programId, enr.patientId), next: state.next, pendingAdjudication: state.pending.includes(eventId),
  };
}

export function specimenDto(e: EventRow) {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  return {
    id: e.id, patientId: e.patientId, enrolmentId: e.enrolmentId, kind: e.kind, at: e.at.toISOString(),
    valid: (d.valid as boolean | undefined) ?? null, invalidReasons: (d.invalidReasons as string[] | undefined) ?? [],
    results: (d.results as Array<{ analyte: string; loinc: string | null; result: string; prescribed: boolean }> | undefined) ?? [],
    detail: d, externalId: e.externalId, source: e.source, recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString(),
  };
}

/** A retry or a second screen posting the same specimen gets the first one back, with the award it caused. */
async function existingResponse(tx: Tx, enr: EnrolmentRow, ev: EventRow) {
  const entries = await tx.select().from(cmLedgerEntries).where(and(eq(cmLedgerEntries.programId, enr.programId), eq(cmLedgerEntries.eventId, ev.id)));
  const state = (enr.state ?? { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' }) as EnrolmentState;
  return { specimen: specimenDto(ev), award: await awardOf(tx, enr, ev.id, entries, null, state), duplicate: true };
}

const sameSpecimen = (a: EventRow, engine: Record<string, unknown>, at: Date) =>
  a.at.getTime() === at.getTime() && canonical(a.engine) === canonical(engine);

/**
 * Records a specimen and its award. First optimistically (ADR 014): one read, the replay,
 * and one guarded statement that writes the event, the entries, the enrolment's state and
 * the audit row only if no other writer changed the patient's CM history since the read —
 * no transaction held open across the replay. If another writer got there first (or the
 * protocol needs writes the statement does not carry), it runs again under the patient's
 * enrolment locks in a transaction.
 */
export async function recordSpecimen(deps: Deps, input: SpecimenIn, source: 'staff' | 'integration' = 'staff') {
  const results = resolveResults(input.results, 'body.results');
  try {
    const fast = await recordOnce(deps, input, results, source, false);
    if (fast) return fast;
  } catch (err) {
    if (!(err instanceof StaleHistory)) throw err;
  }
  return deps.tx.transaction(async (tx) => (await recordOnce({ tx, ctx: deps.ctx }, input, results, source, true))!);
}

async function recordOnce(deps: Deps, input: SpecimenIn, results: ReturnType<typeof resolveResults>, source: 'staff' | 'integration', locked: boolean) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const at = new Date(input.collectedAt);
  if (locked) await lockPatientEnrolments(tx, programId, input.patientId);
  const read = await readForRecording(tx, programId, input.patientId);
  const { enrolments, active: enr, history } = read;
  if (enrolments.length === 0) await assertPatient(tx, ctx, input.patientId); // 404 for no such patient here
  if (!enr || !history) throw notEnrolled();
  const tz = await programTimeZone(tx, programId);
  const slotDate = localDate(at, tz);
  const protocol = effectiveProtocol(await loadProtocol(tx, programId, enr.protocolId), enr);
  // privilege recommendations and a programme's first seed are written outside the guarded statement: only under the lock
  if (!locked && (protocol.tracks.some((t) => t.payout === 'privilege') || (protocol.bowl && !history.seed))) return null;
  const prescribed = prescribedFrom(read.medications, slotDate);
  const adh = adherenceAnalytes(protocol);
  const invalidReasons = validityOf(input);
  const valid = invalidReasons.length === 0;
  const engineResults: Record<string, string> = {};
  for (const r of results) engineResults[r.analyte] = r.result === 'positive' && prescribed.has(r.analyte) && !adh.has(r.analyte) ? 'prescribed' : r.result;
  const engine = { results: engineResults, valid };

  // the same specimen again (retry without a key, or a second screen): one specimen, one award
  let dups: EventRow[];
  if (input.externalId) {
    const dupWhere = [and(eq(cmEvents.enrolmentId, enr.id), eq(cmEvents.slotKind, 'specimen'), eq(cmEvents.slotDate, slotDate))!];
    dupWhere.push(and(eq(cmEvents.externalId, input.externalId), eq(cmEvents.kind, 'specimen'))!);
    dups = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), or(...dupWhere)));
  } else {
    dups = history.events.filter((e) => e.slotKind === 'specimen' && e.slotDate === slotDate); // at most one (cm_events_slot_key)
  }
  for (const d of dups) {
    if (d.kind === 'specimen' && (sameSpecimen(d, engine, at) || (input.externalId !== undefined && d.externalId === input.externalId))) {
      if (!sameSpecimen(d, engine, at)) throw conflict('specimen_exists', 'A different specimen with this externalId is already recorded. Post a correction to change it.', 'body.externalId');
      const existing = await existingResponse(tx, enrolments.find((e) => e.id === d.enrolmentId) ?? enr, d);
      return { ...existing, award: await splitAward(deps, existing.award) };
    }
    if (d.kind === 'missed') throw conflict('opportunity_closed', `The opportunity on ${slotDate} was already closed as missed (its window ended with nothing recorded).`, 'body.collectedAt');
    throw conflict('specimen_exists', `A specimen is already recorded for this patient on ${slotDate}. To change its results, post a correction to it.`, 'body.collectedAt');
  }

  const detail = {
    valid, invalidReasons, method: input.method, observed: input.observed, observerId: input.observerId ?? null,
    collectorId: input.collectorId ?? ctx.principal?.userId ?? null, temperatureC: input.temperatureC ?? null, validity: input.validity ?? null,
    cup: input.cup ?? null,
    results: results.map((r) => ({ analyte: r.analyte, loinc: r.loinc, result: r.result, valueNgMl: r.valueNgMl ?? null, cutoffNgMl: r.cutoffNgMl ?? input.cup?.cutoffs?.[r.analyte] ?? null, prescribed: prescribed.has(r.analyte) })),
  };
  // the event is written with its entries and the audit row, in one statement
  const append = {
    programId: enr.programId, id: randomUUID(), enrolmentId: enr.id, patientId: enr.patientId, position: enr.eventCount,
    kind: 'specimen', at, slotKind: 'specimen', slotDate, engine, detail, externalId: input.externalId ?? null,
    source, recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  };
  const evId = append.id;
  // one audit row for the specimen and the award it caused (ids, counts and amounts only), written with the entries
  const audit = (fresh: readonly LedgerEntry[], state: EnrolmentState) => {
    const { earned, draws } = earnedOf(fresh);
    return {
      ctx: auditContext(ctx),
      rec: {
        action: 'create', entity: 'cm-specimen', entityId: evId, patientId: enr.patientId,
        detail: { enrolmentId: enr.id, source, valid, analytes: results.length, pending: state.pending.includes(evId), entries: fresh.length, cents: earned, draws },
      },
    };
  };
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr, { history, append, audit });
  const ev = s.events.find((e) => e.id === evId)!;
  if (enrolments.length > 1) {
    const award = await awardOf(tx, enr, ev.id, s.inserted, s.detail.rows, s.state);
    return { specimen: specimenDto(ev), award: await splitAward(deps, award), duplicate: false };
  }
  // one enrolment: balance and vouchers-apart from the ledger in hand (this award's prizes are not revealed yet)
  const award = await awardOf(tx, enr, ev.id, s.inserted, s.detail.rows, s.state, balanceOfRows(s.ledger));
  const split = { ...voucherAndDraws(award.entries), prizeCentsRevealed: 0, balanceRevealedCents: award.balanceCents - unrevealedPrizeCentsOfRows(s.ledger, read.revealed) };
  return { specimen: specimenDto(ev), award: { ...award, ...split }, duplicate: false };
}

async function specimenForChange(tx: Tx, ctx: Ctx, id: string) {
  const programId = programOf(ctx);
  const [spec] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, id), eq(cmEvents.kind, 'specimen')));
  if (!spec) throw notFound('Specimen');
  const enrolments = await lockPatientEnrolments(tx, programId, spec.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  return { spec, enr, tz: await programTimeZone(tx, programId) };
}

export async function correctSpecimen(deps: Deps, id: string, input: { results: AnalyteResultIn[]; valid?: boolean | undefined; method: string; laboratory?: string | undefined; reason: string; externalId?: string | undefined }, source: 'staff' | 'integration' = 'staff') {
  const { tx, ctx } = deps;
  const results = resolveResults(input.results, 'body.results');
  if (results.length === 0 && input.valid === undefined) {
    throw new AppError({ code: 'invalid_input', status: 400, message: 'A correction changes results or validity: give at least one.', problems: [{ field: 'body.results', message: 'give results or valid' }] });
  }
  const { spec, enr, tz } = await specimenForChange(tx, ctx, id);
  if (input.externalId) {
    const [prior] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, enr.programId), eq(cmEvents.refId, id), eq(cmEvents.externalId, input.externalId), eq(cmEvents.kind, 'correction')));
    if (prior) {
      const entries = await tx.select().from(cmLedgerEntries).where(and(eq(cmLedgerEntries.programId, enr.programId), eq(cmLedgerEntries.eventId, id)));
      return { specimen: specimenDto(prior), award: await awardOf(tx, enr, id, entries.filter((e) => e.createdAt.getTime() === prior.recordedAt.getTime()), null, enr.state as EnrolmentState), duplicate: true };
    }
  }
  const protocol = effectiveProtocol(await loadProtocol(tx, enr.programId, enr.protocolId), enr);
  const prescribed = await prescribedAt(tx, enr.programId, enr.patientId, spec.slotDate ?? localDate(spec.at, tz));
  const adh = adherenceAnalytes(protocol);
  const engineResults: Record<string, string> = {};
  for (const r of results) engineResults[r.analyte] = r.result === 'positive' && prescribed.has(r.analyte) && !adh.has(r.analyte) ? 'prescribed' : r.result;
  const engine: Record<string, unknown> = { supersedes: id, results: engineResults };
  if (input.valid !== undefined) engine.valid = input.valid;
  const ev = await appendEvent(tx, enr, {
    id: randomUUID(), kind: 'correction', at: ctx.now, refId: id, engine,
    detail: { method: input.method, laboratory: input.laboratory ?? null, reason: input.reason, valid: input.valid ?? null, results: results.map((r) => ({ analyte: r.analyte, loinc: r.loinc, result: r.result, valueNgMl: r.valueNgMl ?? null, cutoffNgMl: r.cutoffNgMl ?? null, prescribed: prescribed.has(r.analyte) })) },
    externalId: input.externalId ?? null, source, recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr);
  const award = await awardOf(tx, enr, id, s.inserted, s.detail.rows, s.state);
  await writeAudit(tx, auditContext(ctx), { action: 'correct', entity: 'cm-specimen', entityId: id, patientId: enr.patientId, detail: { correctionId: ev.id, source, analytes: results.length } });
  if (s.inserted.length > 0) await writeAudit(tx, auditContext(ctx), { action: 'award', entity: 'cm-ledger', entityId: ev.id, patientId: enr.patientId, detail: { enrolmentId: enr.id, entries: s.inserted.length, cents: award.earnedCents } });
  return { specimen: specimenDto(ev), award, duplicate: false };
}

export async function adjudicateSpecimen(deps: Deps, id: string, input: { decision: 'carry-over' | 'new-use'; reason: string }) {
  const { tx, ctx } = deps;
  const { enr, tz } = await specimenForChange(tx, ctx, id);
  const ev = await appendEvent(tx, enr, {
    id: randomUUID(), kind: 'adjudication', at: ctx.now, refId: id, engine: { of: id, decision: input.decision },
    detail: { reason: input.reason }, source: 'staff', recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr);
  const award = await awardOf(tx, enr, id, s.inserted, s.detail.rows, s.state);
  await writeAudit(tx, auditContext(ctx), { action: 'adjudicate', entity: 'cm-specimen', entityId: id, patientId: enr.patientId, detail: { adjudicationId: ev.id, decision: input.decision, entries: s.inserted.length, cents: award.earnedCents } });
  return award;
}

// adjudicationQueue (the carry-over queue, with patient names) is in specimen-reads.ts.

// ---------- check-ins ----------

export async function checkIn(deps: Deps, input: { patientId: string; kind: 'attendance' | 'dose'; at?: string | undefined; done: boolean; doseType?: 'observed' | 'take-home' | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, input.patientId);
  const at = input.at ? new Date(input.at) : ctx.now;
  const enrolments = await lockPatientEnrolments(tx, programId, input.patientId);
  const enr = enrolments.find((e) => e.status === 'active');
  if (!enr) throw notEnrolled();
  const tz = await programTimeZone(tx, programId);
  const slotDate = localDate(at, tz);
  const engine = input.kind === 'dose' ? { taken: input.done } : { attended: input.done };
  const [dup] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.enrolmentId, enr.id), eq(cmEvents.slotKind, input.kind), eq(cmEvents.slotDate, slotDate)));
  if (dup) {
    if (dup.kind === input.kind && canonical(dup.engine) === canonical(engine)) {
      const entries = await tx.select().from(cmLedgerEntries).where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.eventId, dup.id)));
      return { eventId: dup.id, award: await awardOf(tx, enr, dup.id, entries, null, enr.state as EnrolmentState), duplicate: true };
    }
    throw conflict(dup.kind === 'missed' ? 'opportunity_closed' : 'already_checked_in', `A ${input.kind} check-in for ${slotDate} is already closed (${dup.kind}).`, 'body.at');
  }
  const ev = await appendEvent(tx, enr, {
    id: randomUUID(), kind: input.kind, at, slotKind: input.kind, slotDate, engine, detail: { doseType: input.doseType ?? null },
    source: 'staff', recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr);
  const award = await awardOf(tx, enr, ev.id, s.inserted, s.detail.rows, s.state);
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: `cm-${input.kind}`, entityId: ev.id, patientId: enr.patientId, detail: { enrolmentId: enr.id, done: input.done, entries: s.inserted.length, cents: award.earnedCents } });
  return { eventId: ev.id, award, duplicate: false };
}
