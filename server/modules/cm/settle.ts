// Replay and settle (ADR 006, CM-SPEC §5.1): every recording appends its event under the
// patient's enrolment rows locked FOR UPDATE, replays the whole enrolment through core/cm
// with the programme's draw seed, settles every track against what the ledger already
// moved, and inserts the entries — all in the caller's transaction. The rules are core's;
// this file reads and writes (ADR 018: the straightforward locked path).
import { and, asc, desc, eq, isNull, sql, type WithSubquery } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { enrolmentState, nextOpportunities, privilegeRecommendations, type CalendarDoc, type EnrolmentState } from '../../../core/cm/clinic.ts';
import { commitment, seedFromHex, ZERO_SEED } from '../../../core/cm/draws.ts';
import { parseEvents, type Enrolment as EngineEnrolment } from '../../../core/cm/events.ts';
import { balanceCents, kindsWith, voidedKeys, type EntryKind, type ExternalUsage, type LedgerEntry } from '../../../core/cm/ledger.ts';
import { parseProtocol, type Protocol } from '../../../core/cm/protocol.ts';
import { replayRows, type ReplayDetail } from '../../../core/cm/replay.ts';
import { settleLedger } from '../../../core/cm/settlement.ts';
import type { Caps } from '../../../core/cm/caps.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { rowsOf } from '../../platform/audit.ts';
import { AppError, notFound, pgErrorOf } from '../../platform/errors.ts';
import { medications, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { cmDrawReveals, cmEnrolments, cmEvents, cmLedgerEntries, cmPrivilegeRecommendations, cmProtocols, cmSeeds } from './cm.tables.ts';

export type EnrolmentRow = typeof cmEnrolments.$inferSelect;
export type EventRow = typeof cmEvents.$inferSelect;
export type LedgerRow = typeof cmLedgerEntries.$inferSelect;
export type SeedRow = typeof cmSeeds.$inferSelect;
export type { CalendarDoc, EnrolmentState, NextOpp, SlotKind, TrackState } from '../../../core/cm/clinic.ts';
export { SLOT_KINDS } from '../../../core/cm/clinic.ts';

/** A ledger entry as a settlement writes it (its sequence number is the database's). */
export type NewLedgerRow = Omit<LedgerRow, 'seq'>;
/** What replay, settlement and an award read of an event and of a ledger entry (a recording's one-statement read carries just these). */
export type HistoryEvent = Pick<EventRow, 'id' | 'kind' | 'at' | 'position' | 'slotKind' | 'slotDate' | 'engine'>;
export type HistoryEntry = Pick<LedgerRow, 'id' | 'enrolmentId' | 'entryKey' | 'kind' | 'eventId' | 'track' | 'month' | 'cents' | 'draws' | 'n' | 'tier' | 'capped' | 'voidsKey'>;
export type SettleResult = { detail: ReplayDetail; inserted: NewLedgerRow[]; state: EnrolmentState };
/**
 * A settlement decided in memory: with the replay, the entries to post and the enrolment's
 * new state, the event it appends (if any), the enrolment's event count after it, and the
 * privilege recommendations it calls for. settlementWrites makes it so.
 */
export type Settlement = SettleResult & {
  enrolment: Pick<EnrolmentRow, 'programId' | 'id'>;
  append: EventRow | null;
  eventCount: number;
  recommendations: Array<typeof cmPrivilegeRecommendations.$inferInsert>;
};

// ---------- protocols ----------

/**
 * Protocol versions are immutable rows (a trigger refuses edits), and an enrolment's caps are
 * fixed at enrolment: the protocol in force for an enrolment is parsed once per process. The
 * same object comes back each time, so the engine's compiled form of it is reused too.
 */
const protocolCache = new Map<string, Protocol>();

export async function loadProtocol(tx: Tx, programId: string, protocolId: string, caps: unknown = null): Promise<Protocol> {
  const key = `${programId}/${protocolId}/${caps == null ? '' : JSON.stringify(caps)}`;
  const hit = protocolCache.get(key);
  if (hit) return hit;
  const [row] = await tx
    .select({ document: cmProtocols.document })
    .from(cmProtocols)
    .where(and(eq(cmProtocols.programId, programId), eq(cmProtocols.id, protocolId)));
  if (!row) throw notFound('Protocol');
  const parsed = parseProtocol(row.document);
  if (!parsed.ok) throw new AppError({ code: 'internal_error', status: 500, message: 'A stored protocol is not valid.' });
  const protocol = caps == null ? parsed.protocol : { ...parsed.protocol, caps: caps as Caps };
  if (protocolCache.size >= 1024) protocolCache.clear();
  protocolCache.set(key, protocol);
  return protocol;
}

/** The protocol in force for an enrolment: its version, with the caps fixed at enrolment from its funding source. */
export const enrolmentProtocol = (tx: Tx, enr: EnrolmentRow): Promise<Protocol> => loadProtocol(tx, enr.programId, enr.protocolId, enr.caps);

// ---------- programme, locks, seed ----------

// The statements every recording runs are named (drizzle's `.prepare(name)` with placeholders):
// PostgreSQL parses and plans each once per connection instead of on every call. A prepared
// query belongs to the transaction it was made in, so drizzle still builds it per call (ADR 018).
const p = sql.placeholder;

/** The programme's IANA time zone. */
export async function programTimeZone(tx: Tx, programId: string): Promise<string> {
  const [row] = await tx
    .select({ tz: programs.timeZone })
    .from(programs)
    .where(eq(programs.id, p('programId')))
    .prepare('waypoint_program_time_zone')
    .execute({ programId });
  return row?.tz ?? 'UTC';
}

/**
 * Locks every enrolment of the patient (in id order, so two writers never deadlock), bumps
 * each one's history version, and returns them. Every writer of a patient's events or ledger
 * entries comes through here, so a recording that read the history without a lock finds its
 * guard failed if any of them wrote since (ADR 018).
 */
export async function lockPatientEnrolments(tx: Tx, programId: string, patientId: string): Promise<EnrolmentRow[]> {
  const locked = tx.$with('locked').as(
    tx
      .select({ id: cmEnrolments.id })
      .from(cmEnrolments)
      .where(and(eq(cmEnrolments.programId, p('programId')), eq(cmEnrolments.patientId, p('patientId'))))
      .orderBy(asc(cmEnrolments.id))
      .for('update'),
  );
  const rows = await tx
    .with(locked)
    .update(cmEnrolments)
    .set({ historyVersion: sql`${cmEnrolments.historyVersion} + 1` })
    .from(locked)
    .where(and(eq(cmEnrolments.programId, p('programId')), eq(cmEnrolments.id, locked.id)))
    .returning()
    .prepare('waypoint_cm_lock_enrolments')
    .execute({ programId, patientId });
  // (RETURNING of an UPDATE … FROM also names the FROM list's row: not part of the enrolment)
  return rows.map(({ locked: _, ...enrolment }) => enrolment).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The programme's active draw seed (created, with its published commitment, on first use).
 * Not locked: a draw decided in a transaction that overlaps a rotation still used a seed
 * committed before it, so nobody could choose or foresee it (ADR 006).
 */
export async function activeSeed(tx: Tx, programId: string, now: Date): Promise<SeedRow> {
  const find = () =>
    tx
      .select()
      .from(cmSeeds)
      .where(and(eq(cmSeeds.programId, p('programId')), isNull(cmSeeds.retiredAt)))
      .prepare('waypoint_cm_active_seed')
      .execute({ programId });
  let [seed] = await find();
  if (!seed) {
    const hex = randomBytes(32).toString('hex');
    await tx
      .insert(cmSeeds)
      .values({ programId, id: randomUUID(), seedHex: hex, commitment: commitment(hex), activeFrom: now })
      .onConflictDoNothing();
    [seed] = await find();
  }
  return seed!;
}

/** Enrolment by id in the programme, or 404. */
export async function enrolmentById(tx: Tx, programId: string, id: string): Promise<EnrolmentRow> {
  const [row] = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, id)));
  if (!row) throw notFound('Enrolment');
  return row;
}

export const notEnrolled = () =>
  new AppError({
    code: 'not_enrolled',
    status: 409,
    message: 'This patient is not enrolled in contingency management (no active enrolment), so nothing was recorded. Enrol the patient first.',
    problems: [{ field: 'body.patientId', message: 'has no active CM enrolment' }],
  });

export type MedicationRow = { medication: string; startedOn: string; endedOn: string | null };
/** What recording a screen starts from: the patient's row locked, the programme's time zone and active draw seed, the patient's medications. */
export type PatientForRecording = { tz: string; seed: SeedRow | null; medications: MedicationRow[] };

/**
 * Locks the patient's row FOR NO KEY UPDATE for a screen being recorded (recordings for one
 * patient take turns, so the same screen posted twice at once is found by the second; the
 * screens foreign key's KEY SHARE lock does not conflict with it), and reads in the same
 * statement what does not depend on the lock: the programme's time zone and active draw
 * seed, and the patient's medications (one row per medication). Null when the patient is
 * not in the programme.
 */
export async function lockPatientForRecording(tx: Tx, programId: string, patientId: string): Promise<PatientForRecording | null> {
  const rows = await tx
    .select({
      tz: programs.timeZone,
      seed: cmSeeds,
      medication: { medication: medications.medication, startedOn: medications.startedOn, endedOn: medications.endedOn },
    })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .leftJoin(cmSeeds, and(eq(cmSeeds.programId, patients.programId), isNull(cmSeeds.retiredAt)))
    .leftJoin(medications, and(eq(medications.programId, patients.programId), eq(medications.patientId, patients.id)))
    .where(and(eq(patients.programId, p('programId')), eq(patients.id, p('patientId'))))
    .for('no key update', { of: patients })
    .prepare('waypoint_lock_patient_for_recording')
    .execute({ programId, patientId });
  const [first] = rows;
  if (!first) return null;
  return { tz: first.tz, seed: first.seed, medications: rows.flatMap((r) => (r.medication ? [r.medication] : [])) };
}

/** The patient's medications for OUD (for prescribed-medication reconciliation). */
export function medicationsOf(tx: Tx, programId: string, patientId: string) {
  return tx
    .select({ medication: medications.medication, startedOn: medications.startedOn, endedOn: medications.endedOn })
    .from(medications)
    .where(and(eq(medications.programId, p('programId')), eq(medications.patientId, p('patientId'))))
    .prepare('waypoint_medications_of')
    .execute({ programId, patientId });
}

// ---------- events and ledger ----------

export type EventValues = Omit<typeof cmEvents.$inferInsert, 'programId' | 'enrolmentId' | 'patientId' | 'position'>;

/**
 * An event for the enrolment as it will be stored (its position is the enrolment's event
 * count: the next one), written by the settlement it is passed to (decideSettlement). Changes
 * nothing: the enrolment may be a copy other recordings decide from too (kept-recording.ts).
 */
export function newEvent(enr: EnrolmentRow, v: EventValues): EventRow {
  const row: EventRow = {
    programId: enr.programId,
    id: v.id,
    enrolmentId: enr.id,
    patientId: enr.patientId,
    kind: v.kind,
    at: v.at,
    position: enr.eventCount,
    slotKind: v.slotKind ?? null,
    slotDate: v.slotDate ?? null,
    refId: v.refId ?? null,
    engine: v.engine,
    detail: v.detail ?? null,
    externalId: v.externalId ?? null,
    source: v.source,
    recordedBy: v.recordedBy ?? null,
    recordedAt: v.recordedAt,
  };
  return row;
}

/**
 * Writes an event of the enrolment now (newEvent) and counts it on `enr`, the caller's own
 * locked row, so that row stays what is written; the caller settles before commit.
 */
export async function appendEvent(tx: Tx, enr: EnrolmentRow, values: EventValues): Promise<EventRow> {
  const [row] = await tx.insert(cmEvents).values(newEvent(enr, values)).returning();
  enr.eventCount += 1;
  return row!;
}

/** The enrolment's events in replay order (time, then the order they were recorded). */
export function eventsOf(tx: Tx, enr: EnrolmentRow): Promise<EventRow[]> {
  return tx
    .select()
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, p('programId')), eq(cmEvents.enrolmentId, p('enrolmentId'))))
    .orderBy(asc(cmEvents.at), asc(cmEvents.position))
    .prepare('waypoint_cm_events_of')
    .execute({ programId: enr.programId, enrolmentId: enr.id });
}

/**
 * What a recording reads once it holds the patient's enrolment locks: the enrolment's
 * events (replay order), the patient's ledger (every enrolment's, posting order) with the
 * prizes whose draw the patient has seen, and — when the caller already read it — the
 * programme's active draw seed. The locks keep events and entries as read until commit
 * (every writer of either takes them), so the slot check, the replay, the settlement, the
 * balance and what the award may show all work from this one read.
 */
export type History = { events: HistoryEvent[]; ledger: HistoryEntry[]; revealedPrizes: ReadonlySet<string>; seed?: SeedRow | null };

export async function readHistory(tx: Tx, enr: EnrolmentRow, seed?: SeedRow | null): Promise<History> {
  const events = await eventsOf(tx, enr);
  const rows = await tx
    .select({ entry: cmLedgerEntries, revealedAt: cmDrawReveals.revealedAt })
    .from(cmLedgerEntries)
    .leftJoin(
      cmDrawReveals,
      and(
        eq(cmLedgerEntries.kind, 'prize'),
        eq(cmDrawReveals.programId, cmLedgerEntries.programId),
        eq(cmDrawReveals.enrolmentId, cmLedgerEntries.enrolmentId),
        eq(cmDrawReveals.n, cmLedgerEntries.n),
      ),
    )
    .where(and(eq(cmLedgerEntries.programId, p('programId')), eq(cmLedgerEntries.patientId, p('patientId'))))
    .orderBy(asc(cmLedgerEntries.seq))
    .prepare('waypoint_cm_ledger_of_patient')
    .execute({ programId: enr.programId, patientId: enr.patientId });
  return {
    events,
    ledger: rows.map((r) => r.entry),
    revealedPrizes: new Set(rows.filter((r) => r.revealedAt !== null).map((r) => r.entry.id)),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/** Replay order: time, then the order they were recorded. */
const byReplayOrder = (a: HistoryEvent, b: HistoryEvent) => a.at.getTime() - b.at.getTime() || a.position - b.position;

/** The history once an event and the entries its settlement posts are written (new arrays; `history` is left as it was). */
export function historyWith(history: History, ev: EventRow, inserted: readonly NewLedgerRow[]): History {
  const { id, kind, at, position, slotKind, slotDate, engine } = ev;
  const entries = inserted.map(({ id, enrolmentId, entryKey, kind, eventId, track, month, cents, draws, n, tier, capped, voidsKey }) => ({
    id,
    enrolmentId,
    entryKey,
    kind,
    eventId,
    track,
    month,
    cents,
    draws,
    n,
    tier,
    capped,
    voidsKey,
  }));
  return {
    events: [...history.events, { id, kind, at, position, slotKind, slotDate, engine }].sort(byReplayOrder),
    ledger: [...history.ledger, ...entries],
    revealedPrizes: history.revealedPrizes,
  };
}

/** The enrolment's ledger in posting order. */
export function ledgerOfEnrolment(tx: Tx, enr: EnrolmentRow): Promise<LedgerRow[]> {
  return tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, enr.programId), eq(cmLedgerEntries.enrolmentId, enr.id)))
    .orderBy(asc(cmLedgerEntries.seq));
}

/**
 * A ledger row in the engine's vocabulary (core/cm/ledger.ts rules apply to it), built once per
 * row object, as engineEvent is for events: a kept copy's ledger rows are the same objects from
 * one recording of the patient to the next, and every recording reads the whole ledger twice
 * (the settlement, and the patient's money). Ledger rows are append-only and never changed in
 * memory; the engine's form is frozen, so code that changed it would fail at once.
 */
const engineEntries = new WeakMap<HistoryEntry, LedgerEntry>();
export function toEngine(r: HistoryEntry): LedgerEntry {
  let v = engineEntries.get(r);
  if (!v) {
    const e: LedgerEntry = {
      id: r.entryKey,
      kind: r.kind as EntryKind,
      event: r.eventId,
      track: r.track,
      month: r.month,
      cents: r.cents,
      n: r.n,
      tier: r.tier,
      capped: r.capped as LedgerEntry['capped'],
      draws: r.draws,
    };
    if (r.voidsKey) e.voids = r.voidsKey;
    engineEntries.set(r, (v = Object.freeze(e)));
  }
  return v;
}

/** A patient's ledger rows per enrolment: entry keys, and so voids, are an enrolment's. */
function perEnrolment<R extends HistoryEntry>(rows: readonly R[]): R[][] {
  const by = new Map<string, R[]>();
  for (const r of rows) {
    const list = by.get(r.enrolmentId);
    if (list) list.push(r);
    else by.set(r.enrolmentId, [r]);
  }
  return [...by.values()];
}

/**
 * From all the patient's ledger rows in memory, by the engine's rules per enrolment: the
 * balance (patientBalance is the same in SQL), and the prize money in it whose draw has not
 * been shown yet (voided prizes excluded).
 */
export function patientMoneyOfRows(rows: readonly HistoryEntry[], revealedPrizes: ReadonlySet<string>): { balanceCents: number; unrevealedPrizeCents: number } {
  let balance = 0;
  let unrevealed = 0;
  for (const list of perEnrolment(rows)) {
    const entries = list.map(toEngine);
    balance += balanceCents(entries);
    const voided = voidedKeys(entries);
    for (const r of list) if (r.kind === 'prize' && r.cents > 0 && !revealedPrizes.has(r.id) && !voided.has(r.entryKey)) unrevealed += r.cents;
  }
  return { balanceCents: balance, unrevealedPrizeCents: unrevealed };
}

const sqlKinds = (kinds: readonly string[]) =>
  sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );

/**
 * What an entry of alias `l` does to the balance or to the money paid, in cents, as SQL: generated
 * from the engine's rule (core/cm/ledger.ts ENTRY_EFFECT), never written out by hand.
 */
export function entryEffectSql(effect: 'balance' | 'paid') {
  return sql`case when l.kind in (${sqlKinds(kindsWith(effect, 1))}) then l.cents when l.kind in (${sqlKinds(kindsWith(effect, -1))}) then -l.cents else 0 end`;
}

/** An entry of alias `l` of cm_ledger_entries that no void cancels (the SQL form of the engine's rule). */
export const NOT_VOIDED = sql`not exists (select 1 from ${cmLedgerEntries} v where v.program_id = l.program_id and v.enrolment_id = l.enrolment_id and v.kind = 'void' and v.voids_key = l.entry_key)`;

/** Prize money in ledger rows whose draw has not been shown yet (voided prizes excluded). */
export function unrevealedPrizeCentsOfRows(rows: readonly LedgerRow[], revealed: ReadonlySet<number>): number {
  const voided = new Set(rows.filter((r) => r.kind === 'void' && r.voidsKey).map((r) => r.voidsKey));
  let cents = 0;
  for (const r of rows) if (r.kind === 'prize' && r.cents > 0 && r.n !== null && !revealed.has(r.n) && !voided.has(r.entryKey)) cents += r.cents;
  return cents;
}

/** Balance of the patient across enrolments: credits − debits − redemptions (voided entries excluded). */
export async function patientBalance(tx: Tx, programId: string, patientId: string): Promise<number> {
  return (await patientBalances(tx, programId, [patientId])).get(patientId) ?? 0;
}

/** The same for several patients at once (one query): patient id → balance (0 when they have no entries). */
export async function patientBalances(tx: Tx, programId: string, patientIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(patientIds.map((id) => [id, 0]));
  if (patientIds.length === 0) return out;
  const rows = rowsOf<{ patient_id: string; b: string | number | null }>(
    await tx.execute(sql`
    select patient_id, sum(${entryEffectSql('balance')}) as b
    from ${cmLedgerEntries} l
    where program_id = ${programId} and patient_id in (${sql.join(
      patientIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and kind <> 'void'
      and ${NOT_VOIDED}
    group by patient_id`),
  );
  for (const r of rows) out.set(r.patient_id, Number(r.b ?? 0));
  return out;
}

/** Money paid to the patient by their other enrolments of the same funding source (per month and year), for the cross-protocol caps. */
async function externalUsage(tx: Tx, enr: EnrolmentRow): Promise<ExternalUsage | undefined> {
  if (!enr.fundingSourceId) return undefined;
  const rows = rowsOf<{ month: string; paid: string | number }>(
    await tx.execute(sql`
    select month, sum(${entryEffectSql('paid')}) as paid
    from ${cmLedgerEntries} l
    where program_id = ${enr.programId} and patient_id = ${enr.patientId} and funding_source_id = ${enr.fundingSourceId}
      and enrolment_id <> ${enr.id} and month is not null and kind <> 'void'
      and ${NOT_VOIDED}
    group by month`),
  );
  if (rows.length === 0) return undefined;
  const perMonth: Record<string, number> = {};
  const perYear: Record<string, number> = {};
  for (const r of rows) {
    const v = Number(r.paid);
    perMonth[r.month] = (perMonth[r.month] ?? 0) + v;
    const y = r.month.slice(0, 4);
    perYear[y] = (perYear[y] ?? 0) + v;
  }
  return { perMonth, perYear };
}

// ---------- settle ----------

export type SettleDeps = { tx: Tx; now: Date; actorId: string | null; tz: string };

/**
 * A stored event as the engine reads it, built once per row object: a kept copy's events are
 * the same objects from one recording of the patient to the next, and building the time's ISO
 * text and the spread for every event again cost 41–58 µs a recording at 84 events (1–2 µs
 * memoised, measured in a loop; about 4.5% of the Node thread in a profile of deep histories).
 * Events are never edited (a trigger refuses it), and neither the rows nor these objects are
 * changed in memory: parseEvents only reads them (replay.property.test.ts checks it frozen).
 */
const engineEvents = new WeakMap<HistoryEvent, Record<string, unknown>>();
function engineEvent(e: HistoryEvent): Record<string, unknown> {
  let v = engineEvents.get(e);
  if (!v) engineEvents.set(e, (v = { id: e.id, at: e.at.toISOString(), kind: e.kind, ...(e.engine as Record<string, unknown>) }));
  return v;
}
const engineEnrolment = (enr: EnrolmentRow, tz: string): EngineEnrolment => ({ id: enr.id, start: enr.startDate, timeZone: tz });

/**
 * Replays the enrolment and decides what is owed and not yet posted (CM-SPEC §5.1), the
 * privilege recommendations a level change calls for, and the enrolment's new state and
 * event count — in memory. The caller holds the enrolment lock and writes it with
 * settlementWrites, or read the history without one and writes it with its own statement
 * guarded by the history version it read (ADR 018, ADR 059). A caller that read the
 * history passes it, with the event it appends (newEvent), instead of having it read
 * again; the event is written with the rest. Changes neither the enrolment nor the history
 * it is given (a kept copy may be deciding other recordings at the same moment).
 */
export async function decideSettlement(deps: SettleDeps, enr: EnrolmentRow, history?: History, append?: EventRow): Promise<Settlement> {
  const { tx, now, tz } = deps;
  const protocol = await enrolmentProtocol(tx, enr);
  const read = history ? history.events : await eventsOf(tx, enr);
  const events = append ? [...read, append].sort(byReplayOrder) : read;
  const enrolment = engineEnrolment(enr, tz);
  const parsed = parseEvents({ enrolment, events: events.map(engineEvent) });
  if (!parsed.ok)
    throw new AppError({ code: 'invalid_input', status: 400, message: `The event cannot be replayed: ${parsed.problems.map((p) => p.message).join('; ')}`, internal: JSON.stringify(parsed.problems) });
  const seed = protocol.bowl ? (history?.seed ?? (await activeSeed(tx, enr.programId, now))) : null;
  const seedBytes = seed ? seedFromHex(seed.seedHex) : ZERO_SEED;
  const detail = replayRows(protocol, parsed.doc, seedBytes);
  const posted = history ? history.ledger.filter((r) => r.enrolmentId === enr.id) : await ledgerOfEnrolment(tx, enr);
  const postedEntries = posted.map(toEngine);
  const external = await externalUsage(tx, enr);
  const settlement = settleLedger(postedEntries, detail, external ? { external } : {});
  const inserted: NewLedgerRow[] = settlement.entries.map((e) => ({
    programId: enr.programId,
    id: randomUUID(),
    enrolmentId: enr.id,
    patientId: enr.patientId,
    entryKey: e.id,
    kind: e.kind,
    eventId: e.event,
    track: e.track,
    month: e.month,
    cents: e.cents,
    draws: e.draws ?? null,
    n: e.n,
    tier: e.tier,
    capped: e.capped,
    voidsKey: e.voids ?? null,
    seedId: e.kind === 'prize' ? (seed?.id ?? null) : null,
    fundingSourceId: enr.fundingSourceId,
    redemptionId: null,
    reason: null,
    createdBy: deps.actorId,
    createdAt: now,
  }));
  const recommendations = await privilegeRecommendationsOwed(tx, enr, protocol, detail, now);

  const taken = new Set(events.filter((e) => e.slotDate).map((e) => `${e.slotKind}/${e.slotDate}`));
  const next = nextOpportunities(protocol, { ...enr, calendar: enr.calendar as CalendarDoc }, tz, taken, detail, settlement.owedCaps, now);
  const state = enrolmentState(protocol, detail, [...postedEntries, ...settlement.entries], settlement.tracks, next, now);
  const eventCount = enr.eventCount + (append ? 1 : 0);
  return { detail, inserted, state, enrolment: { programId: enr.programId, id: enr.id }, append: append ?? null, eventCount, recommendations };
}

/**
 * The writes that make a settlement so, as data-modifying CTEs for the caller to run in one
 * statement with its own (writeTogether): the event, the entries, the recommendations, and
 * last the enrolment's new state, which returns its row.
 */
export function settlementWrites(tx: Db, s: Settlement): WithSubquery[] {
  const writes: WithSubquery[] = [];
  if (s.append) writes.push(tx.$with('event').as(tx.insert(cmEvents).values(s.append)));
  if (s.inserted.length > 0) writes.push(tx.$with('entries').as(tx.insert(cmLedgerEntries).values(s.inserted)));
  s.recommendations.forEach((r, i) => writes.push(tx.$with(`recommendation_${i}`).as(tx.insert(cmPrivilegeRecommendations).values(r).onConflictDoNothing())));
  writes.push(
    tx.$with('enrolment_state').as(
      tx
        .update(cmEnrolments)
        .set({ state: s.state, eventCount: s.eventCount, historyVersion: sql`${cmEnrolments.historyVersion} + 1` })
        .where(and(eq(cmEnrolments.programId, s.enrolment.programId), eq(cmEnrolments.id, s.enrolment.id)))
        .returning({ id: cmEnrolments.id }),
    ),
  );
  return writes;
}

/**
 * Runs writes in one statement: each is a data-modifying CTE, which PostgreSQL runs whatever
 * the statement selects, all or none. The statement selects the rows `counted` returns (by
 * default the last write; it must have a RETURNING clause, as a settlement's enrolment state
 * and an audit row do) and answers how many there were.
 */
export async function writeTogether(tx: Tx, writes: readonly WithSubquery[], counted = writes[writes.length - 1]): Promise<number> {
  if (!counted) return 0;
  return (
    await tx
      .with(...writes)
      .select({ written: sql<number>`1` })
      .from(counted)
  ).length;
}

/**
 * What a statement selects when it writes a settlement decided from a read without locks,
 * with the enrolment's state updated only if its history version is still the one read
 * (ADR 018): it keeps its writes only if that update matched. When it did not,
 * cm_require_current_history (migration 0013) raises a serialization failure and PostgreSQL
 * undoes the whole statement. Run with writeIfHistoryCurrent.
 */
export const REQUIRE_CURRENT_HISTORY = sql<number>`cm_require_current_history(count(*))`;

/** Runs such a statement, with no transaction around it. Answers false when another writer came first. */
export async function writeIfHistoryCurrent(statement: PromiseLike<unknown>): Promise<boolean> {
  try {
    await statement;
    return true;
  } catch (err) {
    if (pgErrorOf(err)?.code === '40001') return false;
    throw err;
  }
}

/** Decides the settlement (decideSettlement) and writes it, for a caller with nothing to write alongside. */
export async function settle(deps: SettleDeps, enr: EnrolmentRow, history?: History, append?: EventRow): Promise<SettleResult> {
  const s = await decideSettlement(deps, enr, history, append);
  await writeTogether(deps.tx, settlementWrites(deps.tx, s));
  return { detail: s.detail, inserted: s.inserted, state: s.state };
}

/** The privilege-track recommendations a level change calls for (the rule is core's), as rows to insert. */
async function privilegeRecommendationsOwed(tx: Tx, enr: EnrolmentRow, protocol: Protocol, detail: ReplayDetail, now: Date): Promise<Array<typeof cmPrivilegeRecommendations.$inferInsert>> {
  if (!protocol.tracks.some((t) => t.payout === 'privilege')) return [];
  const recs = await tx
    .select({ track: cmPrivilegeRecommendations.track, level: cmPrivilegeRecommendations.level })
    .from(cmPrivilegeRecommendations)
    .where(and(eq(cmPrivilegeRecommendations.programId, enr.programId), eq(cmPrivilegeRecommendations.enrolmentId, enr.id)))
    .orderBy(desc(cmPrivilegeRecommendations.createdAt));
  const latest = new Map<string, string>();
  for (const r of recs) if (!latest.has(r.track)) latest.set(r.track, r.level);
  return privilegeRecommendations(protocol, detail.rows, latest).map((rec) => ({
    programId: enr.programId,
    id: randomUUID(),
    enrolmentId: enr.id,
    patientId: enr.patientId,
    track: rec.track,
    eventId: rec.eventId,
    level: rec.level,
    levelIndex: rec.levelIndex,
    createdAt: now,
  }));
}

/** JSON with object keys sorted (jsonb does not keep key order). */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
