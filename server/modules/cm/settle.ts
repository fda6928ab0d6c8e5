// Replay-and-diff (ADR 006): every recording appends its event, replays the whole
// enrolment through core/cm with the programme's draw seed, derives the ledger
// entries still owed against what is already posted, and inserts them — all in the
// caller's transaction, under the patient's enrolment rows locked FOR UPDATE.
import { and, asc, eq, getTableColumns, isNull, sql, type Column } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { extendEvents, parseEvents, type Enrolment as EngineEnrolment, type EventsDoc } from '../../../core/cm/events.ts';
import { parseProtocol, type Protocol } from '../../../core/cm/protocol.ts';
import { replay, replayRows, type DetailRow, type ReplayDetail } from '../../../core/cm/replay.ts';
import { balanceCents, kindsWith, paidCents, type ExternalUsage, type LedgerEntry } from '../../../core/cm/ledger.ts';
import { settleLedger, type TrackSettlement } from '../../../core/cm/settlement.ts';
import { commitment, seedFromHex, ZERO_SEED } from '../../../core/cm/draws.ts';
import type { Caps } from '../../../core/cm/caps.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditBindings, rowsOf, type AuditContext, type AuditRecord } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { programs } from '../programs/programs.tables.ts';
import { cmEnrolments, cmEvents, cmLedgerEntries, cmPrivilegeRecommendations, cmProtocols, cmSeeds } from './cm.tables.ts';
import { addDays, localDate, weekday, zonedInstant } from './time.ts';

export type EnrolmentRow = typeof cmEnrolments.$inferSelect;
export type EventRow = typeof cmEvents.$inferSelect;
export type LedgerRow = typeof cmLedgerEntries.$inferSelect;
export type SlotKind = 'specimen' | 'attendance' | 'dose';
export const SLOT_KINDS: readonly SlotKind[] = ['specimen', 'attendance', 'dose'];

export type CalendarDoc = { specimen: number[]; attendance: number[]; dose: number[]; windowStart: string; windowEnd: string };

/** A track's run now: the value of its latest success, in cents (cents tracks) or draws (draws tracks). */
export type TrackState = { track: string; payout: string; s: number; lastOutcome: string | null; currentCents: number; currentDraws: number; privilege: string | null; settlement: TrackSettlement | null };
export type NextOpp = { kind: SlotKind; date: string; tracks: Array<{ track: string; payout: string; cents: number; draws: number; privilege: string | null }> };
export type EnrolmentState = { tracks: TrackState[]; pending: string[]; next: NextOpp[]; earnedCents: number; settledAt: string };

export type SettleResult = { detail: ReplayDetail; inserted: LedgerRow[]; state: EnrolmentState; events: EventRow[]; ledger: LedgerRow[] };

// ---------- hot statements (fixed text, named, prepared once per connection) ----------

type RawStatement = { execute(values: Record<string, unknown>): Promise<unknown> };
const statements = new WeakMap<object, Map<string, RawStatement>>();

/**
 * A named prepared statement of fixed text with positional parameters $1…$n, built once
 * per database connection (the transaction's client; a PGlite transaction is its own
 * client) rather than per call: the recording path runs these on every request.
 */
async function run(tx: Tx, name: string, text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const session = tx._.session as unknown as { client?: object; prepareQuery: (q: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean) => RawStatement };
  const owner = session.client ?? tx;
  let byName = statements.get(owner);
  if (!byName) statements.set(owner, (byName = new Map()));
  let st = byName.get(name);
  if (!st) byName.set(name, (st = session.prepareQuery({ sql: text, params: params.map((_, i) => sql.placeholder(`p${i}`)) }, undefined, name, false)));
  const values: Record<string, unknown> = {};
  for (let i = 0; i < params.length; i++) values[`p${i}`] = params[i];
  return rowsOf<Record<string, unknown>>(await st.execute(values));
}

/** Maps raw rows (column names, driver values) to the table's typed rows, as drizzle's select() does. */
function rowMapper<T>(table: Parameters<typeof getTableColumns>[0]): (raw: Record<string, unknown>) => T {
  const cols = Object.entries(getTableColumns(table) as Record<string, Column>).map(([key, col]) => [key, col.name, col] as const);
  return (raw) => {
    const o: Record<string, unknown> = {};
    for (const [key, name, col] of cols) {
      const v = raw[name];
      o[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
    }
    return o as T;
  };
}

const toEnrolmentRow = rowMapper<EnrolmentRow>(cmEnrolments);
const toEventRow = rowMapper<EventRow>(cmEvents);
const toLedgerRow = rowMapper<LedgerRow>(cmLedgerEntries);
const toSeedRow = rowMapper<typeof cmSeeds.$inferSelect>(cmSeeds);

// ---------- protocols (immutable rows: parsed once per process) ----------

const protocolCache = new Map<string, Protocol>();

export async function loadProtocol(tx: Tx, programId: string, protocolId: string): Promise<Protocol> {
  const key = `${programId}/${protocolId}`;
  const hit = protocolCache.get(key);
  if (hit) return hit;
  const [row] = await tx.select({ document: cmProtocols.document }).from(cmProtocols).where(and(eq(cmProtocols.programId, programId), eq(cmProtocols.id, protocolId)));
  if (!row) throw notFound('Protocol');
  const parsed = parseProtocol(row.document);
  if (!parsed.ok) throw new AppError({ code: 'internal_error', status: 500, message: 'A stored protocol is not valid.' });
  protocolCache.set(key, parsed.protocol);
  return parsed.protocol;
}

const effectiveCache = new Map<string, Protocol>();
/** The protocol with the enrolment's caps (fixed at enrolment from its funding source). */
export function effectiveProtocol(protocol: Protocol, enr: EnrolmentRow): Protocol {
  if (enr.caps == null) return protocol;
  const key = `${enr.programId}/${enr.protocolId}/${JSON.stringify(enr.caps)}`;
  let p = effectiveCache.get(key);
  if (!p) {
    p = { ...protocol, caps: enr.caps as Caps };
    effectiveCache.set(key, p);
  }
  return p;
}

/** Analytes that adherence-from-specimen tracks read (must stay "positive" for them). */
export function adherenceAnalytes(p: Protocol): Set<string> {
  const out = new Set<string>();
  for (const t of p.tracks) if (t.target.kind === 'adherence' && t.target.source === 'specimen') for (const a of t.target.analytes ?? []) out.add(a);
  return out;
}

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

// ---------- locks, programme, seed ----------

const tzCache = new Map<string, { tz: string; until: number }>();
/** The programme's IANA time zone (cached for a minute: it changes rarely, and only by an administrator). */
export async function programTimeZone(tx: Tx, programId: string): Promise<string> {
  const hit = tzCache.get(programId);
  if (hit && hit.until > Date.now()) return hit.tz;
  const [p] = await tx.select({ tz: programs.timeZone }).from(programs).where(eq(programs.id, programId));
  const tz = p?.tz ?? 'UTC';
  tzCache.set(programId, { tz, until: Date.now() + 60_000 });
  return tz;
}

/** Locks every enrolment of the patient (in id order, so two writers never deadlock) and returns them. */
export async function lockPatientEnrolments(tx: Tx, programId: string, patientId: string): Promise<EnrolmentRow[]> {
  // locked in id order, and each one's history version bumped, so a recording that read
  // before this writer committed finds its guard failed (ADR 014)
  const rows = await run(tx, 'waypoint_cm_lock_enrolments', `with l as (select program_id, id from cm_enrolments where program_id = $1 and patient_id = $2 order by id for update)
    update cm_enrolments e set history_version = e.history_version + 1 from l where e.program_id = l.program_id and e.id = l.id returning e.*`, [programId, patientId]);
  return rows.map(toEnrolmentRow).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A recording's guard failed: another writer changed the enrolment's history after it was read. */
export class StaleHistory extends Error {
  constructor() {
    super('the enrolment history changed since it was read');
  }
}

export type SeedRow = typeof cmSeeds.$inferSelect;

/**
 * The programme's active draw seed (created, with its published commitment, on first use).
 * Not locked: a draw decided in a transaction that overlaps a rotation still used a seed
 * committed before it, so nobody could choose or foresee it (ADR 006).
 */
export async function activeSeed(tx: Tx, programId: string, now: Date): Promise<SeedRow> {
  let [seed] = (await run(tx, 'waypoint_cm_active_seed', 'select * from cm_seeds where program_id = $1 and retired_at is null', [programId])).map(toSeedRow);
  if (!seed) {
    const find = () => tx.select().from(cmSeeds).where(and(eq(cmSeeds.programId, programId), isNull(cmSeeds.retiredAt)));
    const hex = randomBytes(32).toString('hex');
    await tx.insert(cmSeeds).values({ programId, id: randomUUID(), seedHex: hex, commitment: commitment(hex), activeFrom: now }).onConflictDoNothing();
    [seed] = await find();
  }
  return seed!;
}

/** A seed's bytes, one object per seed, so the engine's draw memo recognises it across requests. */
const seedBytesCache = new Map<string, Uint8Array>();
function seedBytesOf(hex: string): Uint8Array {
  let bytes = seedBytesCache.get(hex);
  if (!bytes) {
    if (seedBytesCache.size >= 256) seedBytesCache.clear();
    seedBytesCache.set(hex, (bytes = seedFromHex(hex)));
  }
  return bytes;
}

// ---------- events ----------

export async function appendEvent(tx: Tx, enr: EnrolmentRow, values: Omit<typeof cmEvents.$inferInsert, 'programId' | 'enrolmentId' | 'patientId' | 'position'>): Promise<EventRow> {
  const [row] = await tx.insert(cmEvents).values({ ...values, programId: enr.programId, enrolmentId: enr.id, patientId: enr.patientId, position: enr.eventCount }).returning();
  enr.eventCount += 1; // written by settle(), which every caller runs before commit
  return row!;
}

export async function eventsOf(tx: Tx, enr: EnrolmentRow): Promise<EventRow[]> {
  const rows = await run(tx, 'waypoint_cm_events_of', 'select * from cm_events where program_id = $1 and enrolment_id = $2 order by at, position', [enr.programId, enr.id]);
  return rows.map(toEventRow);
}

const engineJson = (e: EventRow) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, ...(e.engine as Record<string, unknown>) });

function engineEnrolment(enr: EnrolmentRow, tz: string): EngineEnrolment {
  return { id: enr.id, start: enr.startDate, timeZone: tz };
}

function parseDoc(enr: EnrolmentRow, tz: string, list: unknown[]) {
  const r = parseEvents({ enrolment: engineEnrolment(enr, tz), events: list });
  if (!r.ok) throw new AppError({ code: 'invalid_input', status: 400, message: `The event cannot be replayed: ${r.problems.map((p) => p.message).join('; ')}`, internal: JSON.stringify(r.problems) });
  return r.doc;
}

/** What a replay reads: the enrolment's events (replay order), its ledger (posting order), and the programme's active seed. */
export type EnrolmentHistory = { events: EventRow[]; ledger: LedgerRow[]; seed: SeedRow | null };
export type MedicationRow = { medication: string; startedOn: string; endedOn: string | null };
/** Everything a recording reads, from one snapshot: the patient's enrolments, the active one's history, the seed, the medication history. */
export type RecordingRead = {
  enrolments: EnrolmentRow[]; active: EnrolmentRow | null; history: EnrolmentHistory | null; medications: MedicationRow[];
  /** Draw numbers of the active enrolment already shown on the draw screen. */
  revealed: ReadonlySet<number>;
};

/**
 * One statement. The active enrolment's events and entries come whole, or — when this
 * server has them cached ($3 is that enrolment) — only those after the cached position
 * and sequence number, with two checks that the cached part is still this enrolment's
 * history in this database: the total number of entries, and the last cached event at
 * its position (ADR 012).
 */
const READ_FOR_RECORDING = `with act as (select id from cm_enrolments where program_id = $1 and patient_id = $2 and status = 'active'),
  since as (select case when (select id from act) = $3::uuid then $4::int else 0 end as pos, case when (select id from act) = $3::uuid then $5::bigint else 0 end as seq)
select
  (select coalesce(json_agg(x order by x.id), '[]'::json) from cm_enrolments x where x.program_id = $1 and x.patient_id = $2) as enrolments,
  (select coalesce(json_agg(e order by e.position), '[]'::json) from cm_events e where e.program_id = $1 and e.enrolment_id = (select id from act) and e.position >= (select pos from since)) as events,
  (select coalesce(json_agg(l order by l.seq), '[]'::json) from cm_ledger_entries l where l.program_id = $1 and l.patient_id = $2 and l.enrolment_id = (select id from act) and l.seq > (select seq from since)) as ledger,
  (select count(*) from cm_ledger_entries l where l.program_id = $1 and l.enrolment_id = (select id from act))::int as ledger_total,
  ($6::uuid is null or exists (select 1 from cm_events e where e.program_id = $1 and e.id = $6::uuid and e.enrolment_id = (select id from act) and e.position = $4 - 1)) as same_events,
  (select row_to_json(s) from cm_seeds s where s.program_id = $1 and s.retired_at is null) as seed,
  (select coalesce(json_agg(json_build_object('medication', m.medication, 'startedOn', m.started_on, 'endedOn', m.ended_on)), '[]'::json) from medications m where m.program_id = $1 and m.patient_id = $2) as medications,
  (select coalesce(json_agg(d.n), '[]'::json) from cm_draw_reveals d where d.program_id = $1 and d.enrolment_id = (select id from act)) as revealed`;

type CachedHistory = { enrolmentId: string; events: readonly EventRow[]; ledger: readonly LedgerRow[] };
/**
 * Per patient, the active enrolment's history as this server last read it (committed rows
 * only: read before the recording writes). Events and entries are append-only, so the
 * next recording reads only what came after (ADR 012). Least recently used first out.
 */
const historyCache = new Map<string, CachedHistory>();
const HISTORY_CACHE_SIZE = 2048;

const byReplayOrder = (a: EventRow, b: EventRow) => a.at.getTime() - b.at.getTime() || a.position - b.position;
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) as unknown : v);
const frozen = <T extends object>(rows: unknown, map: (r: Record<string, unknown>) => T): T[] => (json(rows) as Record<string, unknown>[]).map((r) => Object.freeze(map(r)));

/** What a recording reads, in one round trip (two when the cached history no longer matches). */
export async function readForRecording(tx: Tx, programId: string, patientId: string): Promise<RecordingRead> {
  const key = `${programId}/${patientId}`;
  const cached = historyCache.get(key);
  const read = async (c: CachedHistory | undefined) => {
    const lastEvent = c?.events.reduce<EventRow | null>((m, e) => (m === null || e.position > m.position ? e : m), null) ?? null;
    const [r] = await run(tx, 'waypoint_cm_read_for_recording', READ_FOR_RECORDING, [programId, patientId, c?.enrolmentId ?? null, c?.events.length ?? 0, c?.ledger.at(-1)?.seq ?? 0, lastEvent?.id ?? null]);
    const enrolments = (json(r!.enrolments) as Record<string, unknown>[]).map(toEnrolmentRow);
    const active = enrolments.find((e) => e.status === 'active') ?? null;
    const medications = json(r!.medications) as MedicationRow[];
    const revealed = new Set(json(r!.revealed) as number[]);
    if (!active) return { enrolments, active, history: null, medications, revealed };
    const seed = r!.seed == null ? null : toSeedRow(json(r!.seed) as Record<string, unknown>);
    let events = frozen(r!.events, toEventRow);
    let ledger = frozen(r!.ledger, toLedgerRow);
    if (c && c.enrolmentId === active.id) {
      events = [...c.events, ...events];
      ledger = [...c.ledger, ...ledger];
      if (r!.same_events !== true || events.length !== active.eventCount || ledger.length !== Number(r!.ledger_total)) return null; // not what was cached: read it whole
    }
    return { enrolments, active, history: { events: events.sort(byReplayOrder), ledger, seed }, medications, revealed };
  };
  const result = (await read(cached)) ?? (await read(undefined))!;
  historyCache.delete(key);
  if (result.active && result.history) {
    if (historyCache.size >= HISTORY_CACHE_SIZE) historyCache.delete(historyCache.keys().next().value!);
    historyCache.set(key, { enrolmentId: result.active.id, events: result.history.events, ledger: result.history.ledger });
    result.history = { ...result.history, events: [...result.history.events], ledger: [...result.history.ledger] };
  }
  return result;
}

/** Analytes the patient is prescribed at a date, from their medication for OUD history. */
export function prescribedFrom(rows: readonly MedicationRow[], date: string): Set<string> {
  const out = new Set<string>();
  for (const r of rows) {
    if (r.startedOn > date || (r.endedOn !== null && r.endedOn < date)) continue;
    const m = r.medication.toLowerCase();
    if (m.includes('buprenorphine')) out.add('buprenorphine');
    if (m.includes('methadone')) out.add('methadone');
  }
  return out;
}

// ---------- ledger ----------

/** Ledger rows in the engine's vocabulary, kept per row object (cached history rows are frozen and reused across recordings). */
const engineForm = new WeakMap<LedgerRow, LedgerEntry>();

/** A ledger row in the engine's vocabulary (core/cm/ledger.ts rules apply to it). */
export function toEngine(r: LedgerRow): LedgerEntry {
  let e = engineForm.get(r);
  if (!e) {
    e = {
      id: r.entryKey, kind: r.kind as LedgerEntry['kind'], event: r.eventId, track: r.track, month: r.month, cents: r.cents, n: r.n, tier: r.tier,
      capped: r.capped as LedgerEntry['capped'], draws: r.draws, ...(r.voidsKey ? { voids: r.voidsKey } : {}),
    };
    engineForm.set(r, Object.freeze(e));
  }
  return e;
}

export async function ledgerOfEnrolment(tx: Tx, enr: EnrolmentRow): Promise<LedgerRow[]> {
  const rows = await run(tx, 'waypoint_cm_ledger_of', 'select * from cm_ledger_entries where program_id = $1 and enrolment_id = $2 order by seq', [enr.programId, enr.id]);
  return rows.map(toLedgerRow);
}

/** Money paid to the patient by their other enrolments of the same funding source (per month and year), for the cross-protocol caps. */
async function externalUsage(tx: Tx, enr: EnrolmentRow): Promise<ExternalUsage | undefined> {
  if (!enr.fundingSourceId) return undefined;
  const rows = rowsOf<{ month: string; paid: string | number }>(await tx.execute(sql`
    select month, sum(${entryEffectSql('paid')}) as paid
    from ${cmLedgerEntries} l
    where program_id = ${enr.programId} and patient_id = ${enr.patientId} and funding_source_id = ${enr.fundingSourceId}
      and enrolment_id <> ${enr.id} and month is not null and kind <> 'void'
      and ${NOT_VOIDED}
    group by month`));
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

/** Balance from ledger rows in memory (the engine's rule; patientBalance is the same in SQL). */
export const balanceOfRows = (rows: readonly LedgerRow[]): number => balanceCents(rows.map(toEngine));

const sqlKinds = (kinds: readonly string[]) => sql.join(kinds.map((k) => sql`${k}`), sql`, `);

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
  const rows = rowsOf<{ patient_id: string; b: string | number | null }>(await tx.execute(sql`
    select patient_id, sum(${entryEffectSql('balance')}) as b
    from ${cmLedgerEntries} l
    where program_id = ${programId} and patient_id in (${sql.join(patientIds.map((id) => sql`${id}::uuid`), sql`, `)}) and kind <> 'void'
      and ${NOT_VOIDED}
    group by patient_id`));
  for (const r of rows) out.set(r.patient_id, Number(r.b ?? 0));
  return out;
}

// ---------- settle ----------

export type SettleDeps = { tx: Tx; now: Date; actorId: string | null; tz: string };

/** For a caller that has already read the enrolment's events under the lock, and whose audit row can go with the ledger write. */
export type SettleOptions = {
  /** The enrolment's history as read (by readForRecording) before the recording. */
  history?: EnrolmentHistory;
  /** The event being recorded, not yet written: it is replayed with the history and inserted with the entries. */
  append?: typeof cmEvents.$inferInsert & { position: number };
  /** The audit event of the recording, from what is about to be posted (written in the same statement as the entries). */
  audit?: (fresh: readonly LedgerEntry[], state: EnrolmentState) => { ctx: AuditContext; rec: AuditRecord };
};

const LEDGER_INSERT_COLUMNS = 'program_id, id, enrolment_id, patient_id, entry_key, kind, event_id, track, month, cents, draws, n, tier, capped, voids_key, seed_id, funding_source_id, created_by, created_at';
const LEDGER_RECORDSET = `program_id uuid, id uuid, enrolment_id uuid, patient_id uuid, entry_key text, kind text, event_id uuid, track text, month text, cents integer, draws integer, n integer, tier text, capped text, voids_key text, seed_id uuid, funding_source_id text, created_by uuid, created_at timestamptz`;
// u: the guard — the enrolment still at the history version the caller read (ADR 014); every insert happens only with it
const SETTLE_WRITE = `with u as (update cm_enrolments set state = $2::jsonb, event_count = $3, history_version = history_version + 1
      where program_id = $4 and id = $5 and history_version = $6 returning 1),
  l as (insert into cm_ledger_entries (${LEDGER_INSERT_COLUMNS})
    select ${LEDGER_INSERT_COLUMNS} from jsonb_to_recordset($1::jsonb) as x(${LEDGER_RECORDSET}) where exists (select 1 from u) returning *)`;
const AUDIT_INSERT = `a as (insert into audit_events (chain_id, org_id, program_id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome, purpose, ip, user_agent, request_id, detail)
    select $7::uuid, $8::uuid, $9::uuid, $10::timestamptz, $11::uuid, $12::text, $13::text, $14::text, $15::text, $16::uuid, $17::text, $18::text, $19::text, $20::text, $21::text, $22::jsonb
    where exists (select 1 from u) returning 1)`;
const EVENT_COLUMNS = 'program_id, id, enrolment_id, patient_id, kind, at, position, slot_kind, slot_date, ref_id, engine, detail, external_id, source, recorded_by, recorded_at';
const EVENT_TYPES = ['uuid', 'uuid', 'uuid', 'uuid', 'text', 'timestamptz', 'integer', 'text', 'date', 'uuid', 'jsonb', 'jsonb', 'text', 'text', 'uuid', 'timestamptz'];
const AUDIT_KEYS = ['chainId', 'orgId', 'programId', 'at', 'actorId', 'actorRole', 'action', 'entity', 'entityId', 'patientId', 'outcome', 'purpose', 'ip', 'userAgent', 'requestId', 'detail'] as const;

/**
 * Replays the enrolment and posts what is owed and not yet posted. Caller holds the
 * enrolment lock. Returns the entries inserted now and the refreshed state cache.
 */
export async function settle(deps: SettleDeps, enr: EnrolmentRow, opts: SettleOptions = {}): Promise<SettleResult> {
  const { tx, now, tz } = deps;
  const protocol = effectiveProtocol(await loadProtocol(tx, enr.programId, enr.protocolId), enr);
  const h = opts.history;
  let events = h ? h.events : await eventsOf(tx, enr);
  if (opts.append) {
    // replay order (at, position): the new event has the highest position, so it goes after every event at or before its instant
    const ev = opts.append;
    const row: EventRow = {
      programId: ev.programId, id: ev.id, enrolmentId: ev.enrolmentId, patientId: ev.patientId, kind: ev.kind, at: ev.at, position: ev.position,
      slotKind: ev.slotKind ?? null, slotDate: ev.slotDate ?? null, refId: ev.refId ?? null, engine: ev.engine, detail: ev.detail ?? null,
      externalId: ev.externalId ?? null, source: ev.source, recordedBy: ev.recordedBy ?? null, recordedAt: ev.recordedAt,
    };
    let i = events.length;
    while (i > 0 && events[i - 1]!.at.getTime() > row.at.getTime()) i--;
    events = [...events.slice(0, i), row, ...events.slice(i)];
    enr.eventCount += 1;
  }
  const list = events.map(engineJson);
  const doc = parseDoc(enr, tz, list);
  const seed = protocol.bowl ? (h?.seed ?? await activeSeed(tx, enr.programId, now)) : null;
  const seedBytes = seed ? seedBytesOf(seed.seedHex) : ZERO_SEED;
  const detail = replayRows(protocol, doc, seedBytes);
  const posted = h ? h.ledger : await ledgerOfEnrolment(tx, enr);
  const external = await externalUsage(tx, enr);
  const postedEntries = posted.map(toEngine);
  const { entries: fresh, tracks: settlement } = settleLedger(postedEntries, detail, external ? { external } : {});
  await recommendPrivileges(tx, enr, protocol, detail.rows, now);
  // the state counts what is posted now: the fresh entries' kinds and amounts are the rows about to be inserted
  const state = computeState(protocol, detail, [...postedEntries, ...fresh], settlement, nextOpportunities(protocol, enr, tz, events, list, doc, seedBytes, external, now));
  const rows = fresh.map((e) => ({
    program_id: enr.programId, id: randomUUID(), enrolment_id: enr.id, patient_id: enr.patientId, entry_key: e.id, kind: e.kind,
    event_id: e.event, track: e.track, month: e.month, cents: e.cents, draws: e.draws ?? null, n: e.n, tier: e.tier, capped: e.capped,
    voids_key: e.voids ?? null, seed_id: e.kind === 'prize' ? seed?.id ?? null : null, funding_source_id: enr.fundingSourceId,
    created_by: deps.actorId, created_at: now.toISOString(),
  }));
  // one statement: the entries, the enrolment's state cache and event count, and (if given) the audit event
  const params: unknown[] = [JSON.stringify(rows), JSON.stringify(state), enr.eventCount, enr.programId, enr.id, enr.historyVersion];
  let ctes = SETTLE_WRITE;
  let name = 'waypoint_cm_settle_write';
  if (opts.audit) {
    const { ctx, rec } = opts.audit(fresh, state);
    const b = auditBindings(ctx, rec);
    for (const k of AUDIT_KEYS) params.push(b[`audit_${k}`]);
    ctes += `, ${AUDIT_INSERT}`;
    name += '_audited';
  }
  let inserted: LedgerRow[];
  if (opts.append) {
    const v = opts.append;
    params.push(v.programId, v.id, v.enrolmentId, v.patientId, v.kind, v.at.toISOString(), v.position, v.slotKind ?? null, v.slotDate ?? null, v.refId ?? null,
      JSON.stringify(v.engine), v.detail == null ? null : JSON.stringify(v.detail), v.externalId ?? null, v.source, v.recordedBy ?? null, v.recordedAt.toISOString());
    const n = params.length - 16;
    const ph = Array.from({ length: 16 }, (_, i) => `$${n + i + 1}::${EVENT_TYPES[i]}`).join(', ');
    // the event first, so the ledger's reference to it holds when the statement's constraints are checked
    const text = `${ctes}, ev as (insert into cm_events (${EVENT_COLUMNS}) select ${ph} where exists (select 1 from u) returning *)
      select exists (select 1 from u) as ok, (select row_to_json(ev) from ev) as event, (select coalesce(json_agg(l order by l.seq), '[]'::json) from l) as ledger`;
    const [r] = await run(tx, `${name}_event`, text, params);
    if (r!.ok !== true) throw new StaleHistory();
    inserted = (json(r!.ledger) as Record<string, unknown>[]).map(toLedgerRow);
    const written = toEventRow(json(r!.event) as Record<string, unknown>);
    // the response shows the event as stored (jsonb), as if read back
    const at = events.findIndex((e) => e.id === written.id);
    if (at >= 0) events[at] = written;
  } else {
    const [r] = await run(tx, name, `${ctes} select exists (select 1 from u) as ok, (select coalesce(json_agg(l order by l.seq), '[]'::json) from l) as ledger`, params);
    if (r!.ok !== true) throw new StaleHistory();
    inserted = (json(r!.ledger) as Record<string, unknown>[]).map(toLedgerRow);
  }
  enr.historyVersion += 1;
  enr.state = state;
  return { detail, inserted, state, events, ledger: [...posted, ...inserted] };
}

async function recommendPrivileges(tx: Tx, enr: EnrolmentRow, protocol: Protocol, rows: DetailRow[], now: Date): Promise<void> {
  const privTracks = protocol.tracks.filter((t) => t.payout === 'privilege');
  if (privTracks.length === 0) return;
  const recs = await tx.select().from(cmPrivilegeRecommendations)
    .where(and(eq(cmPrivilegeRecommendations.programId, enr.programId), eq(cmPrivilegeRecommendations.enrolmentId, enr.id)))
    .orderBy(asc(cmPrivilegeRecommendations.createdAt));
  for (const t of privTracks) {
    let last: DetailRow | undefined;
    for (const r of rows) if (r.out.track === t.id) last = r;
    if (!last || last.out.privilege === null) continue;
    const levels = t.levels ?? [];
    const index = levels.indexOf(last.out.privilege);
    const latest = recs.filter((r) => r.track === t.id).at(-1);
    if (latest ? latest.level === last.out.privilege : index <= 0) continue;
    await tx.insert(cmPrivilegeRecommendations).values({
      programId: enr.programId, id: randomUUID(), enrolmentId: enr.id, patientId: enr.patientId, track: t.id,
      eventId: last.out.event, level: last.out.privilege, levelIndex: index, createdAt: now,
    }).onConflictDoNothing();
  }
}

function computeState(protocol: Protocol, detail: ReplayDetail, ledger: readonly LedgerEntry[], settlement: Record<string, TrackSettlement>, next: NextOpp[]): EnrolmentState {
  const tracks: TrackState[] = protocol.tracks.map((t) => ({
    track: t.id, payout: t.payout, s: 0, lastOutcome: null, currentCents: 0, currentDraws: 0, privilege: t.payout === 'privilege' ? (t.levels?.[0] ?? null) : null, settlement: settlement[t.id] ?? null,
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
  return { tracks, pending: [...pending], next, earnedCents: paidCents(ledger), settledAt: new Date().toISOString() };
}

/** The calendar's next open slot of each kind the protocol reads, and what a success there would pay (caps applied, draws counted, never their prizes). */
function nextOpportunities(protocol: Protocol, enr: EnrolmentRow, tz: string, events: EventRow[], list: unknown[], parsed: EventsDoc, seed: Uint8Array, external: ExternalUsage | undefined, now: Date): NextOpp[] {
  if (enr.status !== 'active') return [];
  const cal = enr.calendar as CalendarDoc;
  const taken = new Set(events.filter((e) => e.slotDate).map((e) => `${e.slotKind}/${e.slotDate}`));
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
  const adh = adherenceAnalytes(protocol);
  const results: Record<string, string> = {};
  for (const t of protocol.tracks) {
    if (t.target.kind === 'negative') for (const a of t.target.analytes) results[a] = 'negative';
    for (const b of t.bonusTargets ?? []) for (const a of b.target.analytes) results[a] = 'negative';
  }
  for (const a of adh) results[a] = 'positive';
  const hyp = found.map((f) => {
    const base = { id: `next-${f.kind}`, at: f.at, kind: f.kind };
    return f.kind === 'specimen' ? { ...base, results, valid: true } : f.kind === 'dose' ? { ...base, taken: true } : { ...base, attended: true };
  });
  // latest instant wins ordering only among equal instants; the hypothetical events go last
  // (only the hypothetical events are validated: the rest were, in `parsed`)
  const doc = extendEvents(parsed, list.length, { enrolment: engineEnrolment(enr, tz), events: hyp }) ?? parseDoc(enr, tz, [...list, ...hyp]);
  const out = replay(protocol, doc, { seed, ...(external ? { external } : {}) });
  return found.map((f) => ({
    kind: f.kind,
    date: f.date,
    tracks: out.opportunities.filter((o) => o.event === `next-${f.kind}`).map((o) => ({
      track: o.track, payout: protocol.tracks.find((t) => t.id === o.track)?.payout ?? 'cents', cents: o.amountCents + o.bonusCents, draws: o.draws, privilege: o.privilege,
    })),
  }));
}

/** JSON with object keys sorted (jsonb does not keep key order). */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/** Enrolment by id in the programme, or 404. */
export async function enrolmentById(tx: Tx, programId: string, id: string): Promise<EnrolmentRow> {
  const [row] = await tx.select().from(cmEnrolments).where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, id)));
  if (!row) throw notFound('Enrolment');
  return row;
}

export const notEnrolled = () => new AppError({
  code: 'not_enrolled', status: 409,
  message: 'This patient is not enrolled in contingency management (no active enrolment), so nothing was recorded. Enrol the patient first.',
  problems: [{ field: 'body.patientId', message: 'has no active CM enrolment' }],
});

