// CM reads screens (server/modules/screens) as events for the patients it enrols: a screen
// of an enrolled patient that reports what the protocol reads becomes a specimen event
// (same id) and is settled at once; a correction of it becomes a correction event. Also
// carry-over adjudication and the day's attendance / dose check-ins. Every recording holds
// the patient's enrolment rows locked and settles in the caller's transaction.
import { and, asc, eq, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../../core/cm/calendar.ts';
import { engineResults, screenIsOpportunity } from '../../../core/cm/clinic.ts';
import { paidCents } from '../../../core/cm/ledger.ts';
import type { Protocol } from '../../../core/cm/protocol.ts';
import { preparedOnce, type Db, type Tx } from '../../platform/db/database.ts';
import { auditedBy } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import type { CorrectionRow, ScreenRow } from '../screens/screens.ts';
import { medications, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { screens } from '../screens/screens.tables.ts';
import { cmDrawReveals, cmEnrolments, cmEvents, cmLedgerEntries, cmSeeds } from './cm.tables.ts';
import { refuseFutureTime } from './recorded-at.ts';
import {
  canonical,
  decideSettlement,
  enrolmentProtocol,
  lockPatientEnrolments,
  newEvent,
  notEnrolled,
  patientBalance,
  patientMoneyOfRows,
  programTimeZone,
  readHistory,
  settlementWrites,
  toEngine,
  writeTogether,
  type EnrolmentRow,
  type EnrolmentState,
  type EventRow,
  type History,
  type HistoryEntry,
  type HistoryEvent,
  type MedicationRow,
  type NewLedgerRow,
  type SeedRow,
  type SettleResult,
  type Settlement,
} from './settle.ts';
import { splitAward, withPrizes, type AwardSplit } from './award-view.ts';
import type { KeptRecording } from './kept-recording.ts';

type Deps = { tx: Tx; ctx: Ctx };

export function entryDto(r: NewLedgerRow) {
  return {
    id: r.id,
    kind: r.kind,
    cents: r.cents,
    draws: r.draws,
    track: r.track,
    eventId: r.eventId,
    n: r.n,
    tier: r.tier,
    capped: r.capped,
    reason: r.reason,
    enrolmentId: r.enrolmentId,
    createdAt: r.createdAt.toISOString(),
  };
}

/** An award: what a recording posted, with vouchers and prizes apart (award-view.ts). */
export type AwardDto = ReturnType<typeof awardOf> & AwardSplit;

const emptyState: EnrolmentState = { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' };

/** What a recording's entries did (money paid, draws posted), the outcomes on each track, and the patient's balance after. */
function awardOf(enr: EnrolmentRow, eventId: string, entries: readonly NewLedgerRow[], rows: SettleResult['detail']['rows'] | null, state: EnrolmentState, balanceCents: number) {
  const outcomes = (rows ?? []).filter((r) => r.out.event === eventId).map((r) => ({ track: r.out.track, outcome: r.out.outcome, s: r.out.s, level: r.out.level, privilege: r.out.privilege }));
  return {
    eventId,
    enrolmentId: enr.id,
    outcomes,
    entries: entries.map(entryDto),
    earnedCents: paidCents(entries.map(toEngine)),
    newDraws: entries.filter((e) => e.kind === 'prize').length,
    balanceCents,
    next: state.next,
    pendingAdjudication: state.pending.includes(eventId),
  };
}

/** The award of entries posted earlier (a retry, a duplicate check-in): the balance and the prizes the patient has seen are read. */
async function awardAsPosted(deps: Deps, enr: EnrolmentRow, eventId: string, entries: readonly NewLedgerRow[]): Promise<AwardDto> {
  return splitAward(deps, awardOf(enr, eventId, entries, null, (enr.state as EnrolmentState | null) ?? emptyState, await patientBalance(deps.tx, enr.programId, enr.patientId)));
}

/** An award and the settlement that posts it (the event, the entries, the enrolment's state), for the caller to write in one statement with its own (settlementWrites). */
export type PendingAward = { award: AwardDto; settlement: Settlement };

/**
 * Settles the enrolment with the event `ev` (newEvent) from the history read under the lock,
 * and answers the award of `awardFor` (the event, or the screen a correction corrects). The
 * balance after is the engine's, over the patient's ledger as read plus what is posted now.
 */
async function decideAward(deps: Deps, enr: EnrolmentRow, history: History, ev: EventRow, tz: string, awardFor = ev.id): Promise<PendingAward> {
  const { tx, ctx } = deps;
  const s = await decideSettlement({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz }, enr, history, ev);
  // the prizes posted now are not drawn on the draw screen yet
  const money = patientMoneyOfRows([...history.ledger, ...s.inserted], history.revealedPrizes);
  return {
    award: withPrizes(awardOf(enr, awardFor, s.inserted, s.detail.rows, s.state, money.balanceCents), { unrevealedCents: money.unrevealedPrizeCents, revealedHereCents: 0 }),
    settlement: s,
  };
}

/** The CM side of a screen, if CM read it: its enrolment, its adjudications and whether it waits for one. */
export async function cmOfScreen(tx: Tx, programId: string, screenId: string) {
  const [ev] = await tx
    .select()
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, screenId), eq(cmEvents.kind, 'specimen')));
  if (!ev) return null;
  const [enr] = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, ev.enrolmentId)));
  const adjudications = await tx
    .select()
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), eq(cmEvents.refId, screenId), eq(cmEvents.kind, 'adjudication')))
    .orderBy(asc(cmEvents.at), asc(cmEvents.position));
  const state = (enr!.state as EnrolmentState | null) ?? emptyState;
  return {
    enrolment: enr!,
    enrolmentId: enr!.id,
    adjudications: adjudications.map((e) => ({
      id: e.id,
      decision: (e.engine as { decision?: string }).decision ?? '',
      reason: (e.detail as { reason?: string } | null)?.reason ?? null,
      recordedBy: e.recordedBy,
      recordedAt: e.recordedAt.toISOString(),
    })),
    pending: state.pending.includes(screenId),
  };
}

/** The award a screen or one of its corrections caused (the entries that recording posted), read back for a retry. */
export async function awardOfScreen(deps: Deps, cm: NonNullable<Awaited<ReturnType<typeof cmOfScreen>>>, screenId: string, recordedAt: Date): Promise<AwardDto> {
  const { tx } = deps;
  const entries = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, cm.enrolment.programId), eq(cmLedgerEntries.enrolmentId, cm.enrolmentId), eq(cmLedgerEntries.createdAt, recordedAt)))
    .orderBy(asc(cmLedgerEntries.seq));
  return awardAsPosted(deps, cm.enrolment, screenId, entries);
}

/** What recording a screen has read before CM decides: the programme's time zone and draw seed, the medications prescribed that day, the patient's active enrolment. */
export type KnownForScreen = {
  tz: string;
  prescribed: ReadonlySet<string>;
  seed: SeedRow | null;
  enrolment: EnrolmentRow | null;
  /** Read without a lock (readForRecording): the caller writes the settlement guarded by the enrolment's history version as read (ADR 018). */
  unlocked?: History;
};

/**
 * A screen of a patient with an active enrolment, that reports at least one analyte the
 * protocol reads, is a specimen opportunity (one per calendar day): its specimen event,
 * settled now, for the caller to write with the screen (PendingAward). Null when CM does not
 * read it — and, from a read without a lock, when the settlement would read more than that
 * read holds (a funding source's other enrolments, privilege recommendations, a programme's
 * first draw seed): the caller then records under the locks.
 */
export async function awardForScreen(deps: Deps, screen: ScreenRow, known: KnownForScreen): Promise<PendingAward | null> {
  const { tx, ctx } = deps;
  const enr = known.enrolment;
  if (!enr || enr.status !== 'active') return null;
  const protocol = await enrolmentProtocol(tx, enr);
  if (
    !screenIsOpportunity(
      protocol,
      screen.results.map((r) => r.analyte),
    )
  )
    return null;
  if (known.unlocked && !settlesFromRead(protocol, enr, known.seed)) return null;
  const slotDate = screen.collectedOn;
  const history = known.unlocked ?? (await readHistory(tx, enr, known.seed));
  const taken = history.events.find((e) => e.slotKind === 'specimen' && e.slotDate === slotDate);
  if (taken?.kind === 'missed') throw conflict('opportunity_closed', `The opportunity on ${slotDate} was already closed as missed (its window ended with nothing recorded).`, 'body.collectedAt');
  if (taken) throw conflict('specimen_exists', `A specimen is already recorded for this patient on ${slotDate}. To change its results, post a correction to it.`, 'body.collectedAt');
  const ev = newEvent(enr, {
    id: screen.id,
    kind: 'specimen',
    at: screen.collectedAt,
    slotKind: 'specimen',
    slotDate,
    refId: screen.id,
    engine: { results: engineResults(screen.results, known.prescribed, protocol), valid: screen.valid },
    externalId: screen.externalId,
    source: screen.source,
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  });
  return decideAward(deps, enr, { ...history, seed: known.seed }, ev, known.tz);
}

/** Whether an enrolment's settlement needs nothing but its history, the patient's ledger and the draw seed (so it can be decided from a read without locks). */
function settlesFromRead(protocol: Protocol, enr: EnrolmentRow, seed: SeedRow | null): boolean {
  return enr.fundingSourceId === null && !protocol.tracks.some((t) => t.payout === 'privilege') && (!protocol.bowl || seed !== null);
}

/**
 * A correction of a screen CM read: a correction event, settled now, for the caller to write
 * with the correction (PendingAward). Null when CM never read the screen. `prescribed`: the
 * medications prescribed on the collection date (correctScreen read them).
 */
export async function awardForCorrection(deps: Deps, screen: ScreenRow, correction: CorrectionRow, prescribed: ReadonlySet<string>): Promise<PendingAward | null> {
  const { tx } = deps;
  const [spec] = await tx
    .select({ enrolmentId: cmEvents.enrolmentId })
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, screen.programId), eq(cmEvents.id, screen.id), eq(cmEvents.kind, 'specimen')));
  if (!spec) return null;
  const enrolments = await lockPatientEnrolments(tx, screen.programId, screen.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  const protocol = await enrolmentProtocol(tx, enr);
  const engine: Record<string, unknown> = { supersedes: screen.id, results: engineResults(correction.results, prescribed, protocol) };
  if (correction.valid !== null) engine.valid = correction.valid;
  const history = await readHistory(tx, enr);
  const ev = newEvent(enr, {
    id: correction.id,
    kind: 'correction',
    at: correction.recordedAt,
    refId: screen.id,
    engine,
    externalId: correction.externalId,
    source: correction.source,
    recordedBy: correction.recordedBy,
    recordedAt: correction.recordedAt,
  });
  return decideAward(deps, enr, history, ev, await programTimeZone(tx, enr.programId), screen.id);
}

// ---------- what recording a screen reads without locks (ADR 018) ----------

/** Columns as a JSON object keyed like a drizzle selection (rows of several tables in one statement's read). */
const jsonObject = (fields: Record<string, SQLWrapper>) =>
  sql`json_build_object(${sql.join(
    Object.entries(fields).map(([key, value]) => sql`${key}::text, ${value}`),
    sql`, `,
  )})`;
const jsonArray = (fields: Record<string, SQLWrapper>, order?: SQLWrapper) => sql`coalesce(json_agg(${jsonObject(fields)}${order ? sql` order by ${order}` : sql``}), '[]'::json)`;
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const EVENT_FIELDS = {
  id: cmEvents.id,
  kind: cmEvents.kind,
  at: cmEvents.at,
  position: cmEvents.position,
  slotKind: cmEvents.slotKind,
  slotDate: cmEvents.slotDate,
  engine: cmEvents.engine,
} satisfies Record<keyof HistoryEvent, SQLWrapper>;
const LEDGER_FIELDS = {
  id: cmLedgerEntries.id,
  enrolmentId: cmLedgerEntries.enrolmentId,
  entryKey: cmLedgerEntries.entryKey,
  kind: cmLedgerEntries.kind,
  eventId: cmLedgerEntries.eventId,
  track: cmLedgerEntries.track,
  month: cmLedgerEntries.month,
  cents: cmLedgerEntries.cents,
  draws: cmLedgerEntries.draws,
  n: cmLedgerEntries.n,
  tier: cmLedgerEntries.tier,
  capped: cmLedgerEntries.capped,
  voidsKey: cmLedgerEntries.voidsKey,
} satisfies Record<keyof HistoryEntry, SQLWrapper>;
const MEDICATION_FIELDS = { medication: medications.medication, startedOn: medications.startedOn, endedOn: medications.endedOn } satisfies Record<keyof MedicationRow, SQLWrapper>;

/** The patient's medications as JSON, ordered by id: the read parses them, and the write compares their text with the text read. */
const medicationsOf = (programId: SQLWrapper, patientId: SQLWrapper) =>
  sql`(select ${jsonArray(MEDICATION_FIELDS, medications.id)} from ${medications} where ${medications.programId} = ${programId} and ${medications.patientId} = ${patientId})::text`;

/**
 * One statement, so one snapshot and no lock: the patient's programme time zone and active
 * draw seed, medications, active enrolment with its events and the patient's ledger (with
 * which prizes' draws were shown), and whether this screen is already recorded. Prepared
 * once per database handle: it runs outside a transaction (ADR 010), and its plan is the
 * same whatever the parameters.
 */
const recordingRead = preparedOnce((db: Db) => {
  const ph = sql.placeholder;
  return db
    .select({
      tz: programs.timeZone,
      seed: cmSeeds,
      enrolment: cmEnrolments,
      medications: sql<string>`${medicationsOf(patients.programId, patients.id)}`,
      history: sql`case when ${cmEnrolments.id} is not null then json_build_object(
        'events', (select ${jsonArray(EVENT_FIELDS, sql`${cmEvents.at}, ${cmEvents.position}`)} from ${cmEvents}
          where ${cmEvents.programId} = ${cmEnrolments.programId} and ${cmEvents.enrolmentId} = ${cmEnrolments.id}),
        'ledger', (select ${jsonArray({ ...LEDGER_FIELDS, revealed: sql`${cmDrawReveals.n} is not null` }, cmLedgerEntries.seq)} from ${cmLedgerEntries}
          left join ${cmDrawReveals} on ${cmLedgerEntries.kind} = 'prize' and ${cmDrawReveals.programId} = ${cmLedgerEntries.programId}
            and ${cmDrawReveals.enrolmentId} = ${cmLedgerEntries.enrolmentId} and ${cmDrawReveals.n} = ${cmLedgerEntries.n}
          where ${cmLedgerEntries.programId} = ${patients.programId} and ${cmLedgerEntries.patientId} = ${patients.id})) end`.mapWith((v) => {
        const h = parsed<{ events: Array<Omit<HistoryEvent, 'at'> & { at: string }>; ledger: Array<HistoryEntry & { revealed: boolean }> } | null>(v);
        return (
          h && {
            events: h.events.map((e) => ({ ...e, at: new Date(e.at) })),
            ledger: h.ledger.map(({ revealed: _, ...entry }) => entry),
            revealedPrizes: new Set(h.ledger.filter((e) => e.revealed).map((e) => e.id)),
          }
        );
      }),
      // two lookups, each by an index whatever the parameters (the prepared plan is generic)
      recorded: sql<boolean>`exists (select 1 from ${screens} where ${screens.programId} = ${patients.programId} and ${screens.externalId} = ${ph('externalId')}::text)
      or (${ph('externalId')}::text is null and exists (select 1 from ${screens} where ${screens.programId} = ${patients.programId}
        and ${screens.patientId} = ${patients.id} and ${screens.collectedAt} = ${ph('collectedAt')}::timestamptz))`,
    })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .leftJoin(cmEnrolments, and(eq(cmEnrolments.programId, patients.programId), eq(cmEnrolments.patientId, patients.id), eq(cmEnrolments.status, 'active')))
    .leftJoin(cmSeeds, and(eq(cmSeeds.programId, patients.programId), isNull(cmSeeds.retiredAt)))
    .where(and(eq(patients.programId, ph('programId')), eq(patients.id, ph('patientId'))))
    .prepare('waypoint_cm_recording_read');
});

/**
 * What recording a screen reads in one statement without locks: null when there is no such
 * patient in the programme, `recorded` when this screen is already, `recording` null when the
 * patient has no active enrolment.
 */
export async function readForRecording(db: Db, programId: string, screen: { patientId: string; externalId: string | null; collectedAt: Date }) {
  const [r] = await recordingRead(db).execute({ programId, patientId: screen.patientId, externalId: screen.externalId, collectedAt: screen.collectedAt.toISOString() });
  if (!r) return null;
  const recording: KeptRecording | null =
    r.enrolment && r.history ? { tz: r.tz, seed: r.seed, medications: parsed<MedicationRow[]>(r.medications), medicationsText: r.medications, enrolment: r.enrolment, history: r.history } : null;
  return { recorded: r.recorded, recording };
}

/**
 * Whether what a recording decided from (KeptRecording) still holds as the write's statement
 * sees it, for the guard of the write's update of the enrolment (ADR 060): its history
 * version (ADR 018) and as many events and ledger entries (both append-only: rows another
 * server wrote show in the count), the same programme time zone and active seed, the same
 * medications, and no screen of the patient at the same instant (the same screen posted
 * again: the locks answer it). Bound by stillHoldsBindings.
 */
export const recordingStillHolds = (() => {
  const ph = sql.placeholder;
  const programId = sql`${ph('programId')}::uuid`;
  const patientId = sql`${ph('patientId')}::uuid`;
  return sql`${cmEnrolments.historyVersion} = ${ph('historyVersion')}::int
  and (select count(*) from ${cmEvents} where ${cmEvents.programId} = ${programId} and ${cmEvents.enrolmentId} = ${ph('enrolmentId')}::uuid) = ${ph('keptEvents')}::int
  and (select count(*) from ${cmLedgerEntries} where ${cmLedgerEntries.programId} = ${programId} and ${cmLedgerEntries.patientId} = ${patientId}) = ${ph('keptEntries')}::int
  and exists (select 1 from ${programs} where ${programs.id} = ${programId} and ${programs.timeZone} = ${ph('tz')}::text)
  and (${ph('seedId')}::uuid is null or exists (select 1 from ${cmSeeds} where ${cmSeeds.programId} = ${programId} and ${cmSeeds.id} = ${ph('seedId')}::uuid and ${cmSeeds.retiredAt} is null))
  and ${medicationsOf(programId, patientId)} = ${ph('medications')}::text
  and not exists (select 1 from ${screens} where ${screens.programId} = ${programId} and ${screens.patientId} = ${patientId} and ${screens.collectedAt} = ${ph('collectedAt')}::timestamptz)`;
})();

/** The bindings of recordingStillHolds for what a recording decided from. */
export function stillHoldsBindings(kept: KeptRecording, collectedAt: Date) {
  return {
    programId: kept.enrolment.programId,
    patientId: kept.enrolment.patientId,
    enrolmentId: kept.enrolment.id,
    historyVersion: kept.enrolment.historyVersion,
    keptEvents: kept.history.events.length,
    keptEntries: kept.history.ledger.length,
    tz: kept.tz,
    seedId: kept.seed?.id ?? null,
    medications: kept.medicationsText,
    collectedAt: collectedAt.toISOString(),
  };
}

async function specimenForChange(tx: Tx, ctx: Ctx, id: string) {
  const programId = programOf(ctx);
  const [spec] = await tx
    .select()
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), eq(cmEvents.id, id), eq(cmEvents.kind, 'specimen')));
  if (!spec) throw notFound('Specimen');
  const enrolments = await lockPatientEnrolments(tx, programId, spec.patientId);
  const enr = enrolments.find((e) => e.id === spec.enrolmentId)!;
  return { spec, enr, tz: await programTimeZone(tx, programId) };
}

export async function adjudicateSpecimen(deps: Deps, id: string, input: { decision: 'carry-over' | 'new-use'; reason: string }) {
  const { tx, ctx } = deps;
  const { enr, tz } = await specimenForChange(tx, ctx, id);
  const history = await readHistory(tx, enr);
  const ev = newEvent(enr, {
    id: randomUUID(),
    kind: 'adjudication',
    at: ctx.now,
    refId: id,
    engine: { of: id, decision: input.decision },
    detail: { reason: input.reason },
    source: 'staff',
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  });
  const { award, settlement } = await decideAward(deps, enr, history, ev, tz, id);
  await writeTogether(tx, [
    ...settlementWrites(tx, settlement),
    auditedBy(tx, auditContext(ctx), {
      action: 'adjudicate',
      entity: 'cm-specimen',
      entityId: id,
      patientId: enr.patientId,
      detail: { adjudicationId: ev.id, decision: input.decision, entries: award.entries.length, cents: award.earnedCents },
    }),
  ]);
  return award;
}

// adjudicationQueue (the carry-over queue, with patient names) is in specimen-reads.ts.

// ---------- check-ins ----------

export async function checkIn(deps: Deps, input: { patientId: string; kind: 'attendance' | 'dose'; at?: string | undefined; done: boolean; doseType?: 'observed' | 'take-home' | undefined }) {
  refuseFutureTime(deps.ctx, input.at, 'body.at');
  await assertPatient(deps.tx, deps.ctx, input.patientId);
  const posted = await postCheckIn(deps, { ...input, at: input.at ? new Date(input.at) : deps.ctx.now });
  if (posted === 'not-enrolled' || posted === 'not-rewarded') throw notEnrolled();
  if ('closedBy' in posted)
    throw conflict(posted.closedBy === 'missed' ? 'opportunity_closed' : 'already_checked_in', `A ${input.kind} check-in for ${posted.slotDate} is already closed (${posted.closedBy}).`, 'body.at');
  return posted;
}

/**
 * Posts a `module` event (CM-SPEC §4: succeeds when completed) for a skills module the patient
 * completed, and settles it, in the caller's transaction — only where the patient's active
 * enrolment pays modules. Modules hold no calendar slot: the skills module posts each module's
 * first assigned completion once (core/skills/progress.ts completionEarns).
 */
export async function postModuleEvent(deps: Deps, input: { patientId: string; moduleKey: string; version: number }): Promise<{ eventId: string; award: AwardDto } | null> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const enr = (await lockPatientEnrolments(tx, programId, input.patientId)).find((e) => e.status === 'active');
  if (!enr || !(await enrolmentProtocol(tx, enr)).tracks.some((t) => t.target.kind === 'module')) return null;
  const tz = await programTimeZone(tx, programId);
  const history = await readHistory(tx, enr);
  const ev = newEvent(enr, {
    id: randomUUID(),
    kind: 'module',
    at: ctx.now,
    engine: { completed: true },
    detail: { moduleKey: input.moduleKey, version: input.version },
    source: 'patient-app',
    recordedBy: null,
    recordedAt: ctx.now,
  });
  return { eventId: ev.id, award: await settleNewEvent(deps, enr, history, ev, tz, 'cm-module', {}) };
}

/** Settles a new attendance, dose or module event and writes it, its ledger entries and its audit row together. */
async function settleNewEvent(deps: Deps, enr: EnrolmentRow, history: History, ev: EventRow, tz: string, entity: 'cm-attendance' | 'cm-dose' | 'cm-module', detail: Record<string, unknown>) {
  const { award, settlement } = await decideAward(deps, enr, history, ev, tz);
  await writeTogether(deps.tx, [
    ...settlementWrites(deps.tx, settlement),
    auditedBy(deps.tx, auditContext(deps.ctx), {
      action: 'create',
      entity,
      entityId: ev.id,
      patientId: enr.patientId,
      detail: { enrolmentId: enr.id, ...detail, entries: award.entries.length, cents: award.earnedCents },
    }),
  ]);
  return award;
}

/**
 * Posts the day's attendance or dose event for a patient's active enrolment and settles it,
 * in the caller's transaction (the check-in list, and attendance recorded on a visit). The
 * day already has one: the same outcome answers it again (duplicate); another outcome is
 * left as it is and named (`closedBy`), for the caller to refuse or accept.
 */
export async function postCheckIn(
  deps: Deps,
  input: { patientId: string; kind: 'attendance' | 'dose'; at: Date; done: boolean; doseType?: 'observed' | 'take-home' | undefined; source?: string; onlyIfRewarded?: boolean },
): Promise<{ eventId: string; award: AwardDto; duplicate: boolean } | { closedBy: string; slotDate: string } | 'not-enrolled' | 'not-rewarded'> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const at = input.at;
  const enrolments = await lockPatientEnrolments(tx, programId, input.patientId);
  const enr = enrolments.find((e) => e.status === 'active');
  if (!enr) return 'not-enrolled';
  // a visit's attendance is posted only where the patient's protocol rewards attendance
  if (input.onlyIfRewarded && !(await enrolmentProtocol(tx, enr)).tracks.some((t) => t.target.kind === input.kind)) return 'not-rewarded';
  const tz = await programTimeZone(tx, programId);
  const slotDate = localDate(at, tz);
  const engine = input.kind === 'dose' ? { taken: input.done } : { attended: input.done };
  const history = await readHistory(tx, enr);
  const dup = history.events.find((e) => e.slotKind === input.kind && e.slotDate === slotDate);
  if (dup) {
    if (dup.kind === input.kind && canonical(dup.engine) === canonical(engine)) {
      const entries = await tx
        .select()
        .from(cmLedgerEntries)
        .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.eventId, dup.id)));
      return { eventId: dup.id, award: await awardAsPosted(deps, enr, dup.id, entries), duplicate: true };
    }
    return { closedBy: dup.kind, slotDate };
  }
  const ev = newEvent(enr, {
    id: randomUUID(),
    kind: input.kind,
    at,
    slotKind: input.kind,
    slotDate,
    engine,
    detail: { doseType: input.doseType ?? null, source: input.source ?? null },
    source: 'staff',
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  });
  const award = await settleNewEvent(deps, enr, history, ev, tz, `cm-${input.kind}`, { done: input.done });
  return { eventId: ev.id, award, duplicate: false };
}
