// Audit events: written by use cases in their own transaction (no shared lock, so
// requests of one programme never queue behind each other), sealed into a per-chain
// SHA-256 hash chain afterwards in batches, and verified link by link.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { auditChainHeads, auditEvents, auditSealHorizon, auditSeals } from '../modules/audit/audit.tables.ts';
import { signBytes, verifyBytes, type AuditSigner, type AuditVerifier } from './audit-key.ts';
import { type Db, type Tx, inTransaction } from './db/database.ts';
import type { AuditAction, AuditEntity, AuditPurpose } from '../../core/audit/entities.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export type AuditRecord = {
  /** What was done: one of core/audit/entities.ts AUDIT_ACTIONS. */
  action: AuditAction;
  /** The kind of record it was done to: one of core/audit/entities.ts AUDIT_ENTITIES, each named in the console. */
  entity: AuditEntity;
  entityId?: string | null;
  patientId?: string | null;
  outcome?: AuditOutcome;
  purpose?: AuditPurpose | null;
  /** Identifiers and counts only: never names, dates of birth or free text about a patient. */
  detail?: Record<string, unknown> | null;
};

export type AuditContext = {
  orgId: string | null;
  programId: string | null;
  actorId: string | null;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  now: Date;
};

export const GENESIS = '0'.repeat(64);
/** The chain of events that belong to no organisation (a sign-in with an unknown email). */
export const INSTALLATION_CHAIN = '00000000-0000-0000-0000-000000000000';

function auditRow(ctx: AuditContext, rec: AuditRecord) {
  return {
    chainId: ctx.programId ?? ctx.orgId ?? INSTALLATION_CHAIN,
    orgId: ctx.orgId,
    programId: ctx.programId,
    at: ctx.now.toISOString(),
    actorId: ctx.actorId,
    actorRole: ctx.actorRole,
    action: rec.action,
    entity: rec.entity,
    entityId: rec.entityId ?? null,
    patientId: rec.patientId ?? null,
    outcome: rec.outcome ?? 'success',
    purpose: rec.purpose ?? 'treatment',
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    detail: rec.detail ?? null,
  };
}

export async function writeAudit(tx: Tx, ctx: AuditContext, rec: AuditRecord): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(ctx, rec));
}

/** Several audit rows in one insert (e.g. one per patient a list shows); nothing when the list is empty. */
export async function writeAudits(tx: Tx, ctx: AuditContext, recs: readonly AuditRecord[]): Promise<void> {
  if (recs.length === 0) return;
  await tx.insert(auditEvents).values(recs.map((r) => auditRow(ctx, r)));
}

const AUDIT_FIELDS = [
  'chainId',
  'orgId',
  'programId',
  'at',
  'actorId',
  'actorRole',
  'action',
  'entity',
  'entityId',
  'patientId',
  'outcome',
  'purpose',
  'ip',
  'userAgent',
  'requestId',
  'detail',
] as const;
type AuditValues = Record<(typeof AUDIT_FIELDS)[number], unknown>;

function auditCte(tx: Db, r: AuditValues, onlyIf?: SQL) {
  const insert = sql`insert into ${auditEvents} (chain_id, org_id, program_id, at, actor_id, actor_role, action, entity, entity_id, patient_id, outcome, purpose, ip, user_agent, request_id, detail)
    select ${r.chainId}::uuid, ${r.orgId}::uuid, ${r.programId}::uuid, ${r.at}::timestamptz, ${r.actorId}::uuid, ${r.actorRole}::text, ${r.action}::text, ${r.entity}::text, ${r.entityId}::text, ${r.patientId}::uuid, ${r.outcome}::text, ${r.purpose}::text, ${r.ip}::text, ${r.userAgent}::text, ${r.requestId}::text, ${r.detail}::jsonb
    ${onlyIf ? sql`where exists (${onlyIf})` : sql``}
    returning 1 as audited`;
  return tx.$with('audit', { audited: sql<number>`audited` }).as(insert);
}

function auditValues(ctx: AuditContext, rec: AuditRecord, detailSql?: SQL): AuditValues {
  const r = auditRow(ctx, rec);
  return { ...r, detail: detailSql ?? (r.detail === null ? null : JSON.stringify(r.detail)) };
}

/**
 * The audit insert as a common table expression, for a use case that is one statement:
 * `tx.with(auditedBy(tx, ctx, rec, onlyIf)).select()…` reads (or writes) and audits in
 * one round trip, atomically. With `onlyIf`, the event is written only when that
 * subquery finds a row (a read of a record that exists); `detail` may be an SQL
 * expression over the statement's other CTEs (e.g. how many rows a search returned).
 */
export function auditedBy(tx: Db, ctx: AuditContext, rec: AuditRecord, opts: { onlyIf?: SQL; detail?: SQL } = {}) {
  return auditCte(tx, auditValues(ctx, rec, opts.detail), opts.onlyIf);
}

/** The same CTE with placeholders, for a prepared statement; bind with `auditBindings`. */
export function auditedByPlaceholders(tx: Db, opts: { onlyIf?: SQL; detail?: SQL } = {}) {
  const values = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, sql.placeholder(`audit_${f}`)])) as AuditValues;
  return auditCte(tx, opts.detail ? { ...values, detail: opts.detail } : values, opts.onlyIf);
}

/** The values of `auditedByPlaceholders`, by placeholder name (spelled out: it runs on every audited request). */
export function auditBindings(ctx: AuditContext, rec: AuditRecord): Record<string, unknown> {
  const r = auditRow(ctx, rec);
  return {
    audit_chainId: r.chainId,
    audit_orgId: r.orgId,
    audit_programId: r.programId,
    audit_at: r.at,
    audit_actorId: r.actorId,
    audit_actorRole: r.actorRole,
    audit_action: r.action,
    audit_entity: r.entity,
    audit_entityId: r.entityId,
    audit_patientId: r.patientId,
    audit_outcome: r.outcome,
    audit_purpose: r.purpose,
    audit_ip: r.ip,
    audit_userAgent: r.userAgent,
    audit_requestId: r.requestId,
    audit_detail: r.detail === null ? null : JSON.stringify(r.detail),
  } satisfies Record<`audit_${(typeof AUDIT_FIELDS)[number]}`, unknown>;
}

type EventRow = typeof auditEvents.$inferSelect;

/** The canonical bytes of an event: every column, in a fixed order. */
export function eventHash(prevHash: string, e: EventRow): string {
  const canonical = JSON.stringify([
    e.id,
    e.chainId,
    e.orgId,
    e.programId,
    new Date(e.at).toISOString(),
    e.actorId,
    e.actorRole,
    e.action,
    e.entity,
    e.entityId,
    e.patientId,
    e.outcome,
    e.purpose,
    e.ip,
    e.userAgent,
    e.requestId,
    canonicalJson(e.detail),
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Canonical JSON: object keys sorted, no spaces (also what a checkpoint's signature covers). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** What a seal's signature covers (ADR 024): its place in the chain, its event and both hashes. */
export function sealMessage(s: { chainId: string; seq: number; eventId: number; prevHash: string; hash: string }): string {
  return ['waypoint-audit-seal/1', s.chainId, s.seq, s.eventId, s.prevHash, s.hash].join('\n');
}

/**
 * Seals up to `batch` unsealed events of one chain with an id above `after` (0: all),
 * signing each seal with `signer`. The chain head row is locked FOR UPDATE, so concurrent
 * sealers (several servers) extend a chain one at a time; the writers of events are never
 * blocked. Returns how many were sealed.
 */
export async function sealChain(db: Db, signer: AuditSigner, chainId: string, now: Date, batch = 1000, after = 0): Promise<number> {
  return inTransaction(db, async (tx) => {
    await tx.insert(auditChainHeads).values({ chainId, seq: 0, hash: GENESIS }).onConflictDoNothing();
    const [head] = await tx.select().from(auditChainHeads).where(eq(auditChainHeads.chainId, chainId)).for('update');
    if (!head) return 0;
    const pending = await tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainId, chainId), gt(auditEvents.id, after), unsealed))
      .orderBy(asc(auditEvents.id))
      .limit(batch);
    if (pending.length === 0) return 0;
    let seq = head.seq;
    let prev = head.hash;
    const seals = pending.map((e) => {
      seq += 1;
      const hash = eventHash(prev, e);
      const link = { chainId, seq, eventId: e.id, prevHash: prev, hash };
      const row = { ...link, sealedAt: now, signature: signBytes(signer, sealMessage(link)), keyFingerprint: signer.fingerprint };
      prev = hash;
      return row;
    });
    await tx.insert(auditSeals).values(seals);
    await tx.update(auditChainHeads).set({ seq, hash: prev }).where(eq(auditChainHeads.chainId, chainId));
    return pending.length;
  });
}

const unsealed = sql`not exists (select 1 from ${auditSeals} s where s.event_id = ${auditEvents.id})`;
const bigintOf = (rows: unknown, col: string) => Number((rowsOf<Record<string, string | number | null>>(rows)[0] ?? {})[col] ?? 0);

/**
 * Seals every chain that has unsealed events, reading only events above the seal
 * horizon (ADR 016), so a pass costs what was written since the last one, not the
 * size of the trail. The horizon moves to the last event id handed out before the
 * previous pass once every transaction that could still commit such an event has ended.
 */
export async function sealAll(db: Db, signer: AuditSigner, now: Date): Promise<number> {
  const [horizon] = await db.select().from(auditSealHorizon);
  if (!horizon) await db.insert(auditSealHorizon).values({ id: 1 }).onConflictDoNothing();
  const after = horizon?.sealedThrough ?? 0;
  const oldestRunning = bigintOf(await db.execute(sql`select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as x`), 'x');
  const settled = !!horizon && oldestRunning >= horizon.candidateXmax;
  const chains = rowsOf<{ chain_id: string }>(await db.execute<{ chain_id: string }>(sql`select distinct chain_id from ${auditEvents} where ${auditEvents.id} > ${after} and ${unsealed}`));
  let total = 0;
  for (const { chain_id } of chains) {
    for (;;) {
      const n = await sealChain(db, signer, chain_id, now, 1000, after);
      total += n;
      if (n === 0) break;
    }
  }
  // The next candidate: first the last id handed out, then (a later statement) the next
  // transaction id: every event with an id up to the candidate belongs to an older transaction.
  const candidateId = bigintOf(await db.execute(sql`select coalesce(pg_sequence_last_value('audit_events_id_seq'::regclass), 0) as id`), 'id');
  const candidateXmax = bigintOf(await db.execute(sql`select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as x`), 'x');
  await db
    .update(auditSealHorizon)
    .set({
      ...(settled ? { sealedThrough: sql`greatest(${auditSealHorizon.sealedThrough}, ${horizon.candidateId})` } : {}),
      candidateId,
      candidateXmax,
    })
    .where(eq(auditSealHorizon.id, 1));
  return total;
}

/** A point a chain must still pass through: the chain head row, or a seal an auditor's checkpoint saw. */
export type ChainMark = { seq: number; eventId: number; hash: string };

export type ChainReport = {
  chainId: string;
  sealed: number;
  unsealed: number;
  /** Seals from before signing began, at the start of the chain; the first signed seal covers them. */
  unsigned: number;
  ok: boolean;
  /** The newest verified seal (null: no seal yet). */
  last: ChainMark | null;
  /** The first problem: the seal's sequence number, its event and what is wrong, in plain words. */
  firstBreak?: { seq: number; eventId: number | null; problem: string };
};

export type VerifyOptions = {
  /** The public key every seal must be signed with. */
  verifier: AuditVerifier;
  /** The chain heads an auditor's checkpoint saw, by chain id (ADR 024). */
  checkpoint?: Map<string, ChainMark> | undefined;
};

/**
 * Walks every chain from its genesis, recomputing each hash from the event rows and
 * checking each seal's signature against the public key. Every chain must still reach its
 * head row and every seal a checkpoint saw, with the same hash: a rewrite, a removal of
 * the newest events with their seals, or seals recomputed without the key is reported at
 * the first seal it touches.
 */
export async function verifyChains(db: Db, opts: VerifyOptions): Promise<ChainReport[]> {
  // The heads first: a sealer running meanwhile only adds seals after them.
  const heads = new Map((await db.select().from(auditChainHeads)).map((h) => [h.chainId, h]));
  const chains = rowsOf<{ chain_id: string }>(
    await db.execute<{ chain_id: string }>(sql`select chain_id from ${auditSeals} union select chain_id from ${auditEvents} union select chain_id from ${auditChainHeads} order by 1`),
  ).map((r) => r.chain_id);
  for (const chainId of opts.checkpoint?.keys() ?? []) if (!chains.includes(chainId)) chains.push(chainId);
  const reports: ChainReport[] = [];
  for (const chainId of chains) {
    const report: ChainReport = { chainId, sealed: 0, unsealed: 0, unsigned: 0, ok: true, last: null };
    const fail = (seq: number, eventId: number | null, problem: string) => {
      report.ok = false;
      report.firstBreak = { seq, eventId, problem };
    };
    // Where the chain must still pass: its head row, and what the checkpoint saw.
    const marks: Array<ChainMark & { source: 'head' | 'checkpoint' }> = [];
    const head = heads.get(chainId);
    if (head && head.seq > 0) marks.push({ seq: head.seq, eventId: 0, hash: head.hash, source: 'head' });
    const seen = opts.checkpoint?.get(chainId);
    if (seen) marks.push({ ...seen, source: 'checkpoint' });

    let prev = GENESIS;
    let expectSeq = 1;
    let signedSince = 0; // the first signed seal; every later one must be signed too
    const pageSize = 5000;
    outer: for (;;) {
      const rows = await db
        .select({ seal: auditSeals, event: auditEvents })
        .from(auditSeals)
        .leftJoin(auditEvents, eq(auditEvents.id, auditSeals.eventId))
        .where(and(eq(auditSeals.chainId, chainId), sql`${auditSeals.seq} >= ${expectSeq}`))
        .orderBy(asc(auditSeals.seq))
        .limit(pageSize);
      for (const { seal, event } of rows) {
        const broken = (problem: string) => fail(seal.seq, seal.eventId, problem);
        if (seal.seq !== expectSeq) {
          fail(expectSeq, null, 'a seal is missing (gap in the sequence)');
          break outer;
        }
        if (seal.prevHash !== prev) {
          broken('the seal does not follow the previous one');
          break outer;
        }
        if (!event) {
          broken('the event was removed');
          break outer;
        }
        if (event.chainId !== chainId) {
          broken('the event was moved to another chain');
          break outer;
        }
        if (eventHash(prev, event) !== seal.hash) {
          broken('the event was altered after it was sealed');
          break outer;
        }
        if (seal.signature === null) {
          if (signedSince > 0) {
            broken('the seal is not signed (signatures were removed, or the seal was written without the key)');
            break outer;
          }
          report.unsigned += 1;
        } else {
          if (seal.keyFingerprint !== opts.verifier.fingerprint) {
            broken(`the seal is signed with another key (${seal.keyFingerprint ?? 'none named'}), not ${opts.verifier.fingerprint}`);
            break outer;
          }
          if (!verifyBytes(opts.verifier, sealMessage(seal), seal.signature)) {
            broken("the seal's signature does not match: the seal was rewritten without the signing key");
            break outer;
          }
          if (signedSince === 0) signedSince = seal.seq;
        }
        for (const m of marks) {
          if (m.seq !== seal.seq) continue;
          if (m.hash !== seal.hash || (m.source === 'checkpoint' && m.eventId !== seal.eventId)) {
            broken(m.source === 'checkpoint' ? 'the seal differs from the one the checkpoint saw: the trail was rewritten' : 'the seal differs from the chain head: the trail was rewritten');
            break outer;
          }
        }
        prev = seal.hash;
        report.last = { seq: seal.seq, eventId: seal.eventId, hash: seal.hash };
        report.sealed += 1;
        expectSeq += 1;
      }
      if (rows.length < pageSize) break;
    }
    const ends = report.last?.seq ?? 0;
    if (report.ok) {
      for (const m of marks) {
        if (m.seq <= ends) continue;
        fail(
          ends + 1,
          null,
          m.source === 'checkpoint'
            ? `the chain ends at ${ends} but the checkpoint saw ${m.seq}: the newest events were removed`
            : `the chain ends at ${ends} but its head row says ${m.seq}: the newest events were removed`,
        );
        break;
      }
    }
    // Unsigned seals before the first signed one are covered by its hash; a chain with none signed is not.
    if (report.ok && report.sealed > 0 && report.unsigned === report.sealed) {
      fail(ends, report.last?.eventId ?? null, 'no seal of this chain is signed (sealed before signing began, or the signatures were removed)');
    }
    const [unsealed] = rowsOf<{ n: string | number }>(
      await db.execute<{ n: string | number }>(sql`select count(*) as n from ${auditEvents} e where e.chain_id = ${chainId} and not exists (select 1 from ${auditSeals} s where s.event_id = e.id)`),
    );
    report.unsealed = Number(unsealed?.n ?? 0);
    reports.push(report);
  }
  return reports;
}

/** drizzle's execute returns rows directly on one driver and { rows } on the other. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
