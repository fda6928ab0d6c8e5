// CM reads screens (server/modules/screens) as events for the patients it enrols: a screen
// of an enrolled patient that reports what the protocol reads becomes a specimen event
// (same id) and is settled at once; a correction of it becomes a correction event. Also
// carry-over adjudication and the day's attendance / dose check-ins. Every recording holds
// the patient's enrolment rows locked and settles in the caller's transaction.
import { and, asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../../core/cm/calendar.ts';
import { engineResults, screenIsOpportunity } from '../../../core/cm/clinic.ts';
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
  appendEvent, canonical, enrolmentProtocol, lockPatientEnrolments, notEnrolled, patientBalance, patientBalanceOfRows, programTimeZone,
  readHistory, settle, toEngine, unrevealedPrizeCentsOfPatient, withEvent, type EnrolmentRow, type EnrolmentState, type EventRow, type History, type LedgerRow,
  type SeedRow, type SettleResult,
} from './settle.ts';
import { splitAward, withPrizes, type AwardSplit } from './award-view.ts';

type Deps = { tx: Tx; ctx: Ctx };

export function entryDto(r: LedgerRow) {
  return {
    id: r.id, kind: r.kind, cents: r.cents, draws: r.draws, track: r.track, eventId: r.eventId, n: r.n, tier: r.tier, capped: r.capped, reason: r.reason,
    enrolmentId: r.enrolmentId, createdAt: r.createdAt.toISOString(),
  };
}

/** An award: what a recording posted, with vouchers and prizes apart (award-view.ts). */
export type AwardDto = ReturnType<typeof awardOf> & AwardSplit;

const emptyState: EnrolmentState = { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' };

/** What a recording's entries did (money paid, draws posted), the outcomes on each track, and the patient's balance after. */
function awardOf(enr: EnrolmentRow, eventId: string, entries: readonly LedgerRow[], rows: SettleResult['detail']['rows'] | null, state: EnrolmentState, balanceCents: number) {
  const outcomes = (rows ?? []).filter((r) => r.out.event === eventId).map((r) => ({ track: r.out.track, outcome: r.out.outcome, s: r.out.s, level: r.out.level, privilege: r.out.privilege }));
  return {
    eventId, enrolmentId: enr.id, outcomes, entries: entries.map(entryDto),
    earnedCents: paidCents(entries.map(toEngine)), newDraws: entries.filter((e) => e.kind === 'prize').length,
    balanceCents, next: state.next, pendingAdjudication: state.pending.includes(eventId),
  };
}

/** The award of entries posted earlier (a retry, a duplicate check-in): the balance and the prizes the patient has seen are read. */
async function awardAsPosted(deps: Deps, enr: EnrolmentRow, eventId: string, entries: readonly LedgerRow[]): Promise<AwardDto> {
  return splitAward(deps, awardOf(enr, eventId, entries, null, (enr.state as EnrolmentState | null) ?? emptyState, await patientBalance(deps.tx, enr.programId, enr.patientId)));
}

/**
 * Settles the enrolment after `ev` was appended under the lock, from the history read under
 * it, and answers the award of `awardFor` (the event, or the screen a correction corrects).
 * The balance after is the engine's, over the patient's ledger as read plus what was posted.
 */
async function settleAndAward(deps: Deps, enr: EnrolmentRow, history: History, ev: EventRow, tz: string, awardFor = ev.id) {
  const { tx, ctx } = deps;
  const read = withEvent(history, ev);
  const s = await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr, read);
  const ledger = [...read.ledger, ...s.inserted];
  // the prizes this recording posted are not drawn on the draw screen yet
  return withPrizes(awardOf(enr, awardFor, s.inserted, s.detail.rows, s.state, patientBalanceOfRows(ledger)), { unrevealedCents: unrevealedPrizeCentsOfPatient(ledger, read.revealedPrizes), revealedHereCents: 0 });
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
  return awardAsPosted(deps, cm.enrolment, screenId, entries);
}

/**
 * A screen of a patient with an active enrolment, that reports at least one analyte the
 * protocol reads, is a specimen opportunity (one per calendar day): recorded and settled now.
 * Null when CM does not read it. `known` is what recordScreen already read: the programme's
 * time zone and active draw seed, the medications prescribed on the collection date.
 */
export async function awardForScreen(deps: Deps, screen: ScreenRow, known: { tz: string; prescribed: ReadonlySet<string>; seed: SeedRow | null }): Promise<AwardDto | null> {
  const { tx, ctx } = deps;
  const enrolments = await lockPatientEnrolments(tx, screen.programId, screen.patientId);
  const enr = enrolments.find((e) => e.status === 'active');
  if (!enr) return null;
  const protocol = await enrolmentProtocol(tx, enr);
  if (!screenIsOpportunity(protocol, screen.results.map((r) => r.analyte))) return null;
  const slotDate = screen.collectedOn;
  const history = await readHistory(tx, enr, known.seed);
  const taken = history.events.find((e) => e.slotKind === 'specimen' && e.slotDate === slotDate);
  if (taken?.kind === 'missed') throw conflict('opportunity_closed', `The opportunity on ${slotDate} was already closed as missed (its window ended with nothing recorded).`, 'body.collectedAt');
  if (taken) throw conflict('specimen_exists', `A specimen is already recorded for this patient on ${slotDate}. To change its results, post a correction to it.`, 'body.collectedAt');
  const ev = await appendEvent(tx, enr, {
    id: screen.id, kind: 'specimen', at: screen.collectedAt, slotKind: 'specimen', slotDate, refId: screen.id,
    engine: { results: engineResults(screen.results, known.prescribed, protocol), valid: screen.valid },
    externalId: screen.externalId, source: screen.source, recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  return settleAndAward(deps, enr, history, ev, known.tz);
}

/** A correction of a screen CM read: a correction event, settled now. Null when CM never read the screen. `prescribed`: the medications prescribed on the collection date (correctScreen read them). */
export async function awardForCorrection(deps: Deps, screen: ScreenRow, correction: CorrectionRow, prescribed: ReadonlySet<string>): Promise<AwardDto | null> {
  const { tx } = deps;
  const [spec] = await tx.select({ enrolmentId: cmEvents.enrolmentId }).from(cmEvents).where(and(eq(cmEvents.programId, screen.programId), eq(cmEvents.id, screen.id), eq(cmEvents.kind, 'specimen')));
  if (!spec) return null;
  const enrolments = await lockPatientEnrolments(tx, screen.programId, screen.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  const protocol = await enrolmentProtocol(tx, enr);
  const engine: Record<string, unknown> = { supersedes: screen.id, results: engineResults(correction.results, prescribed, protocol) };
  if (correction.valid !== null) engine.valid = correction.valid;
  const history = await readHistory(tx, enr);
  const ev = await appendEvent(tx, enr, {
    id: correction.id, kind: 'correction', at: correction.recordedAt, refId: screen.id, engine,
    externalId: correction.externalId, source: correction.source, recordedBy: correction.recordedBy, recordedAt: correction.recordedAt,
  });
  return settleAndAward(deps, enr, history, ev, await programTimeZone(tx, enr.programId), screen.id);
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
  const history = await readHistory(tx, enr);
  const ev = await appendEvent(tx, enr, {
    id: randomUUID(), kind: 'adjudication', at: ctx.now, refId: id, engine: { of: id, decision: input.decision },
    detail: { reason: input.reason }, source: 'staff', recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const award = await settleAndAward(deps, enr, history, ev, tz, id);
  await writeAudit(tx, auditContext(ctx), { action: 'adjudicate', entity: 'cm-specimen', entityId: id, patientId: enr.patientId, detail: { adjudicationId: ev.id, decision: input.decision, entries: award.entries.length, cents: award.earnedCents } });
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
  const history = await readHistory(tx, enr);
  const dup = history.events.find((e) => e.slotKind === input.kind && e.slotDate === slotDate);
  if (dup) {
    if (dup.kind === input.kind && canonical(dup.engine) === canonical(engine)) {
      const entries = await tx.select().from(cmLedgerEntries).where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.eventId, dup.id)));
      return { eventId: dup.id, award: await awardAsPosted(deps, enr, dup.id, entries), duplicate: true };
    }
    throw conflict(dup.kind === 'missed' ? 'opportunity_closed' : 'already_checked_in', `A ${input.kind} check-in for ${slotDate} is already closed (${dup.kind}).`, 'body.at');
  }
  const ev = await appendEvent(tx, enr, {
    id: randomUUID(), kind: input.kind, at, slotKind: input.kind, slotDate, engine, detail: { doseType: input.doseType ?? null },
    source: 'staff', recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now,
  });
  const award = await settleAndAward(deps, enr, history, ev, tz);
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: `cm-${input.kind}`, entityId: ev.id, patientId: enr.patientId, detail: { enrolmentId: enr.id, done: input.done, entries: award.entries.length, cents: award.earnedCents } });
  return { eventId: ev.id, award, duplicate: false };
}
