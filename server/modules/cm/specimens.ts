// CM reads screens (server/modules/screens) as events for the patients it enrols: a screen
// of an enrolled patient that reports what the protocol reads becomes a specimen event
// (same id) and is settled at once; a correction of it becomes a correction event. Also
// carry-over adjudication and the day's attendance / dose check-ins. Every recording holds
// the patient's enrolment rows locked and settles in the caller's transaction.
import { and, asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../../core/cm/calendar.ts';
import { engineResults, prescribedOn, screenIsOpportunity } from '../../../core/cm/clinic.ts';
import { paidCents } from '../../../core/cm/ledger.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import type { CorrectionRow, ScreenRow } from '../screens/screens.ts';
import { cmEnrolments, cmEvents, cmLedgerEntries } from './cm.tables.ts';
import { refuseFutureTime } from './recorded-at.ts';
import {
  appendEvent, canonical, enrolmentProtocol, lockPatientEnrolments, medicationsOf, notEnrolled, patientBalance, programTimeZone, settle, toEngine,
  type EnrolmentRow, type EnrolmentState, type LedgerRow, type SettleResult,
} from './settle.ts';

type Deps = { tx: Tx; ctx: Ctx };

export function entryDto(r: LedgerRow) {
  return {
    id: r.id, kind: r.kind, cents: r.cents, draws: r.draws, track: r.track, eventId: r.eventId, n: r.n, tier: r.tier, capped: r.capped, reason: r.reason,
    enrolmentId: r.enrolmentId, createdAt: r.createdAt.toISOString(),
  };
}

export type AwardDto = Awaited<ReturnType<typeof awardOf>>;

const emptyState: EnrolmentState = { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' };

/** What a recording's entries did (money paid, draws posted), the outcomes on each track, and the patient's balance after. */
async function awardOf(tx: Tx, enr: EnrolmentRow, eventId: string, entries: readonly LedgerRow[], rows: SettleResult['detail']['rows'] | null, state: EnrolmentState) {
  const outcomes = (rows ?? []).filter((r) => r.out.event === eventId).map((r) => ({ track: r.out.track, outcome: r.out.outcome, s: r.out.s, level: r.out.level, privilege: r.out.privilege }));
  return {
    eventId, enrolmentId: enr.id, outcomes, entries: entries.map(entryDto),
    earnedCents: paidCents(entries.map(toEngine)), newDraws: entries.filter((e) => e.kind === 'prize').length,
    balanceCents: await patientBalance(tx, enr.programId, enr.patientId), next: state.next, pendingAdjudication: state.pending.includes(eventId),
  };
}

/** The CM side of a screen, if CM read it: its enrolment, its adjudications and whether it waits for one. */
export async function cmOfScreen(tx: Tx, programId: string, screenId: string) {
  const [ev] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, screenId), eq(cmEvents.kind, 'specimen')));
  if (!ev) return null;
  const [enr] = await tx.select().from(cmEnrolments).where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, ev.enrolmentId)));
  const adjudications = await tx.select().from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), eq(cmEvents.refId, screenId), eq(cmEvents.kind, 'adjudication'))).orderBy(asc(cmEvents.at), asc(cmEvents.position));
  const state = (enr!.state as EnrolmentState | null) ?? emptyState;
  return {
    enrolment: enr!, enrolmentId: enr!.id,
    adjudications: adjudications.map((e) => ({ id: e.id, decision: (e.engine as { decision?: string }).decision ?? '', reason: (e.detail as { reason?: string } | null)?.reason ?? null, recordedBy: e.recordedBy, recordedAt: e.recordedAt.toISOString() })),
    pending: state.pending.includes(screenId),
  };
}

/** The award a screen or one of its corrections caused (the entries that recording posted), read back for a retry. */
export async function awardOfScreen(deps: Deps, cm: NonNullable<Awaited<ReturnType<typeof cmOfScreen>>>, screenId: string, recordedAt: Date): Promise<AwardDto> {
  const { tx } = deps;
  const entries = await tx.select().from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, cm.enrolment.programId), eq(cmLedgerEntries.enrolmentId, cm.enrolmentId), eq(cmLedgerEntries.createdAt, recordedAt)))
    .orderBy(asc(cmLedgerEntries.seq));
  return awardOf(tx, cm.enrolment, screenId, entries, null, (cm.enrolment.state as EnrolmentState | null) ?? emptyState);
}

/**
 * A screen of a patient with an active enrolment, that reports at least one analyte the
 * protocol reads, is a specimen opportunity (one per calendar day): recorded and settled now.
 * Null when CM does not read it.
 */
export async function awardForScreen(deps: Deps, screen: ScreenRow, tz: string): Promise<AwardDto | null> {
  const { tx, ctx } = deps;
  const enrolments = await lockPatientEnrolments(tx, screen.programId, screen.patientId);
  const enr = enrolments.find((e) => e.status === 'active');
  if (!enr) return null;
  const protocol = await enrolmentProtocol(tx, enr);
  if (!screenIsOpportunity(protocol, screen.results.map((r) => r.analyte))) return null;
  const slotDate = screen.collectedOn;
  const [taken] = await tx.select({ kind: cmEvents.kind }).from(cmEvents)
    .where(and(eq(cmEvents.programId, enr.programId), eq(cmEvents.enrolmentId, enr.id), eq(cmEvents.slotKind, 'specimen'), eq(cmEvents.slotDate, slotDate)));
  if (taken?.kind === 'missed') throw conflict('opportunity_closed', `The opportunity on ${slotDate} was already closed as missed (its window ended with nothing recorded).`, 'body.collectedAt');
  if (taken) throw conflict('specimen_exists', `A specimen is already recorded for this patient on ${slotDate}. To change its results, post a correction to it.`, 'body.collectedAt');
  const prescribed = prescribedOn(await medicationsOf(tx, enr.programId, enr.patientId), slotDate);
  await appendEvent(tx, enr, {
    id: screen.id, kind: 'specimen', at: screen.collectedAt, slotKind: 'specimen', slotDate, refId: screen.id,
    engine: { results: engineResults(screen.results, prescribed, protocol), valid: screen.valid },
    externalId: screen.externalId, source: screen.source, recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr);
  return awardOf(tx, enr, screen.id, s.inserted, s.detail.rows, s.state);
}

/** A correction of a screen CM read: a correction event, settled now. Null when CM never read the screen. */
export async function awardForCorrection(deps: Deps, screen: ScreenRow, correction: CorrectionRow): Promise<AwardDto | null> {
  const { tx, ctx } = deps;
  const [spec] = await tx.select({ enrolmentId: cmEvents.enrolmentId }).from(cmEvents).where(and(eq(cmEvents.programId, screen.programId), eq(cmEvents.id, screen.id), eq(cmEvents.kind, 'specimen')));
  if (!spec) return null;
  const enrolments = await lockPatientEnrolments(tx, screen.programId, screen.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  const protocol = await enrolmentProtocol(tx, enr);
  const prescribed = prescribedOn(await medicationsOf(tx, enr.programId, enr.patientId), screen.collectedOn);
  const engine: Record<string, unknown> = { supersedes: screen.id, results: engineResults(correction.results, prescribed, protocol) };
  if (correction.valid !== null) engine.valid = correction.valid;
  await appendEvent(tx, enr, {
    id: correction.id, kind: 'correction', at: correction.recordedAt, refId: screen.id, engine,
    externalId: correction.externalId, source: correction.source, recordedBy: correction.recordedBy, recordedAt: correction.recordedAt,
  });
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz: await programTimeZone(tx, enr.programId) }, enr);
  return awardOf(tx, enr, screen.id, s.inserted, s.detail.rows, s.state);
}

async function specimenForChange(tx: Tx, ctx: Ctx, id: string) {
  const programId = programOf(ctx);
  const [spec] = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, id), eq(cmEvents.kind, 'specimen')));
  if (!spec) throw notFound('Specimen');
  const enrolments = await lockPatientEnrolments(tx, programId, spec.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  return { spec, enr, tz: await programTimeZone(tx, programId) };
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
  refuseFutureTime(deps.ctx, input.at, 'body.at');
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
      return { eventId: dup.id, award: await awardOf(tx, enr, dup.id, entries, null, (enr.state as EnrolmentState | null) ?? emptyState), duplicate: true };
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
