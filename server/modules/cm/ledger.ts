// The patient's ledger (read), draws (the draw screen reveals; never re-rolls),
// seeds (commitment, rotation with reveal, public verification) and caps year-to-date.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { commitment, drawSlip, seedFromHex, type Bowl } from '../../../core/cm/draws.ts';
import type { Caps } from '../../../core/cm/caps.ts';
import { ENTRY_EFFECT, type EntryKind } from '../../../core/cm/ledger.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, systemCtx, type Ctx } from '../../platform/http/context.ts';
import { notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { programs } from '../programs/programs.tables.ts';
import { cmDrawReveals, cmEnrolments, cmEvents, cmLedgerEntries, cmSeeds, cmSettings } from './cm.tables.ts';
import { entryEffectSql, activeSeed, enrolmentById, loadProtocol, lockPatientEnrolments, NOT_VOIDED, programTimeZone, type LedgerRow } from './settle.ts';
import { entryDto } from './specimens.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** What an entry does to the balance (the engine's rule): + credits, − debits and redemptions, 0 otherwise (forgiven, void). */
export function balanceEffect(r: { kind: string; cents: number }): number {
  return (ENTRY_EFFECT[r.kind as EntryKind]?.balance ?? 0) * r.cents;
}

/** A ledger row as the ledger read shows it: voided entries marked, void entries naming what they cancel. */
export function ledgerEntryDto(r: LedgerRow, links: { voidedBy?: LedgerRow | undefined; voids?: LedgerRow | undefined } = {}) {
  return {
    ...entryDto(r),
    voided: !!links.voidedBy,
    voidedByEntryId: links.voidedBy?.id ?? null,
    voidsEntryId: links.voids?.id ?? null,
    voidsKind: links.voids?.kind ?? null,
  };
}

/**
 * What a patient's ledger adds up to, from the engine's rule (ENTRY_EFFECT), voided entries
 * left out: money paid (credits − debits), spent (redemptions: paid − balance), the
 * balance (paid − spent), and what the patient keeps although it is no longer owed
 * (forgiven memos: cents on cents tracks, draws on draws tracks; part of paid, never extra).
 */
export function ledgerTotals(rows: readonly LedgerRow[]) {
  const voided = new Set(rows.filter((r) => r.kind === 'void' && r.voidsKey).map((r) => `${r.enrolmentId}/${r.voidsKey}`));
  let paidCents = 0;
  let balanceCents = 0;
  let keptCents = 0;
  let keptDraws = 0;
  for (const r of rows) {
    if (r.kind === 'void' || voided.has(`${r.enrolmentId}/${r.entryKey}`)) continue;
    const effect = ENTRY_EFFECT[r.kind as EntryKind];
    if (!effect) continue;
    paidCents += effect.paid * r.cents;
    balanceCents += effect.balance * r.cents;
    if (r.kind === 'forgiven') {
      if (r.draws != null) keptDraws += r.draws;
      else keptCents += r.cents;
    }
  }
  return { paidCents, spentCents: paidCents - balanceCents, balanceCents, keptCents, keptDraws };
}

/** The opportunity (calendar kind and local date) of each event that ledger rows name. */
async function opportunitiesOf(tx: Tx, programId: string, rows: readonly LedgerRow[]) {
  const ids = [...new Set(rows.map((r) => r.eventId).filter((id): id is string => id !== null))];
  const out = new Map<string, { date: string | null; kind: string | null }>();
  if (ids.length === 0) return out;
  const events = await tx
    .select({ id: cmEvents.id, slotDate: cmEvents.slotDate, slotKind: cmEvents.slotKind })
    .from(cmEvents)
    .where(and(eq(cmEvents.programId, programId), inArray(cmEvents.id, ids)));
  for (const e of events) out.set(e.id, { date: e.slotDate, kind: e.slotKind });
  return out;
}

/**
 * The draws of the patient's enrolments still waiting to be shown on the draw screen
 * ("enrolmentId/n"): the draw screen's own notion (drawsOf: a prize not taken back or
 * voided, with no reveal recorded).
 */
async function drawsWaitingToBeShown(tx: Tx, programId: string, rows: readonly LedgerRow[]): Promise<Set<string>> {
  const enrolments = [...new Set(rows.filter((r) => r.kind === 'prize').map((r) => r.enrolmentId))];
  const waiting = new Set<string>();
  for (const enrolmentId of enrolments) {
    for (const d of (await drawsOf(tx, programId, enrolmentId)).items) if (!d.revealed) waiting.add(`${enrolmentId}/${d.n}`);
  }
  return waiting;
}

/** A prize whose draw the patient has not been shown: its tier, value and cap are withheld from every ledger reader. */
const withheld = <T extends { cents: number; tier: string | null; capped: string | null }>(dto: T) => ({ ...dto, cents: null, tier: null, capped: null, hidden: true });

/**
 * Every entry in posting order with the running balance. A void is a reversing entry:
 * the voided entry counted until it was voided, and the void takes its amount out of the
 * balance (or puts a voided debit back) from then on, so no earlier line changes and the
 * final balance excludes every voided entry.
 *
 * A prize stays a surprise until the patient's draw is shown: until then its line is
 * `hidden` (tier, cents and cap withheld), it is left out of the running balance and of
 * `balanceCents`, and `unshownDraws` counts such draws. Once the draw screen shows it, the
 * line shows its value and the balance includes it from its place in the ledger.
 */
export async function patientLedger(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.patientId, patientId)))
    .orderBy(asc(cmLedgerEntries.seq));
  const key = (enrolmentId: string, entryKey: string) => `${enrolmentId}/${entryKey}`;
  const byKey = new Map(rows.map((r) => [key(r.enrolmentId, r.entryKey), r]));
  const voidOf = new Map(rows.filter((r) => r.kind === 'void' && r.voidsKey).map((r) => [key(r.enrolmentId, r.voidsKey!), r]));
  const opportunities = await opportunitiesOf(tx, programId, rows);
  const opportunity = (r: LedgerRow) => {
    const o = r.eventId ? opportunities.get(r.eventId) : undefined;
    return { opportunityDate: o?.date ?? null, opportunityKind: o?.kind ?? null };
  };
  const waiting = await drawsWaitingToBeShown(tx, programId, rows);
  const hidden = (r: LedgerRow) => r.kind === 'prize' && waiting.has(`${r.enrolmentId}/${r.n}`);
  let balance = 0;
  const items = rows.map((r) => {
    if (r.kind === 'void') {
      const target = r.voidsKey ? byKey.get(key(r.enrolmentId, r.voidsKey)) : undefined;
      if (target && !hidden(target)) balance -= balanceEffect(target);
      return { ...ledgerEntryDto(r, { voids: target }), ...opportunity(r), balanceCents: balance, hidden: false };
    }
    if (hidden(r)) return withheld({ ...ledgerEntryDto(r, { voidedBy: voidOf.get(key(r.enrolmentId, r.entryKey)) }), ...opportunity(r), balanceCents: balance });
    balance += balanceEffect(r);
    return { ...ledgerEntryDto(r, { voidedBy: voidOf.get(key(r.enrolmentId, r.entryKey)) }), ...opportunity(r), balanceCents: balance, hidden: false };
  });
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-ledger', patientId, detail: { entries: rows.length, unshownDraws: waiting.size } });
  // the totals leave the prizes of draws not shown yet out too, so paid − spent = balance as shown
  return { patientId, balanceCents: balance, unshownDraws: waiting.size, totals: ledgerTotals(rows.filter((r) => !hidden(r))), items };
}

// ---------- draws ----------

/**
 * The prizes of one enrolment the draw screen shows, in the order given: not taken back by a
 * correction (a forgiven or debit entry for the draw) and not voided by staff. Every reader of
 * "a draw waiting to be shown" starts here (the ledger, the family card).
 */
export function prizesShown<R extends { kind: string; n: number | null; entryKey: string; voidsKey: string | null }>(entries: readonly R[]): R[] {
  const voided = new Set(entries.filter((e) => e.kind === 'void').map((e) => e.voidsKey));
  const prizes = entries.filter((e) => e.kind === 'prize');
  const taken = new Set([...entries.filter((e) => (e.kind === 'forgiven' || e.kind === 'debit') && e.n !== null).map((e) => e.n), ...prizes.filter((p) => voided.has(p.entryKey)).map((p) => p.n)]);
  return prizes.filter((p) => !taken.has(p.n));
}

async function drawsOf(tx: Tx, programId: string, enrolmentId: string) {
  const enr = await enrolmentById(tx, programId, enrolmentId);
  const protocol = await loadProtocol(tx, programId, enr.protocolId);
  const prizes = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.enrolmentId, enrolmentId), eq(cmLedgerEntries.kind, 'prize')))
    .orderBy(asc(cmLedgerEntries.n));
  const takenRows = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.enrolmentId, enrolmentId), inArray(cmLedgerEntries.kind, ['forgiven', 'debit', 'void'])));
  const reveals = new Set(
    (
      await tx
        .select({ n: cmDrawReveals.n })
        .from(cmDrawReveals)
        .where(and(eq(cmDrawReveals.programId, programId), eq(cmDrawReveals.enrolmentId, enrolmentId)))
    ).map((r) => r.n),
  );
  const seedIds = [...new Set(prizes.map((p) => p.seedId).filter((x): x is string => !!x))];
  const seeds = seedIds.length
    ? await tx
        .select()
        .from(cmSeeds)
        .where(and(eq(cmSeeds.programId, programId), inArray(cmSeeds.id, seedIds)))
    : [];
  const seedById = new Map(seeds.map((s) => [s.id, s]));
  const label = (tier: string | null) => protocol.bowl?.slips.find((s) => s.tier === tier)?.label ?? tier;
  const items = prizesShown([...prizes, ...takenRows]).map((p) => {
    const s = p.seedId ? seedById.get(p.seedId) : undefined;
    const revealed = reveals.has(p.n!);
    return {
      n: p.n!,
      tier: p.tier,
      label: label(p.tier) ?? null,
      valueCents: p.cents,
      capped: p.capped,
      eventId: p.eventId,
      track: p.track,
      revealed,
      commitment: s?.commitment ?? null,
      seedRevealed: !!s?.revealedAt,
    };
  });
  return { enr, items };
}

/** The draw history of an enrolment (the draw screen hides tiers of draws not yet revealed). */
export async function listDraws(deps: Deps, enrolmentId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { enr, items } = await drawsOf(tx, programId, enrolmentId);
  const seed = await activeSeed(tx, programId, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-draws', entityId: enrolmentId, patientId: enr.patientId, detail: { count: items.length } });
  return {
    items: items.map((d) => (d.revealed ? d : { ...d, tier: null, label: null, valueCents: 0 })),
    commitment: seed.commitment,
    undrawn: items.filter((d) => !d.revealed).length,
  };
}

/** Reveals the next draws in number order and records that they were shown. A draw is decided when it is owed; revealing can never change or repeat it. */
export async function revealDraws(deps: Deps, enrolmentId: string, count: number) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { enr, items } = await drawsOf(tx, programId, enrolmentId);
  // a draw shown changes what a recording's award may show: it moves the history version on (kept-recording.ts)
  await lockPatientEnrolments(tx, programId, enr.patientId);
  const next = items.filter((d) => !d.revealed).slice(0, count);
  const shown = [];
  for (const d of next) {
    const [ok] = await tx
      .insert(cmDrawReveals)
      .values({ programId, enrolmentId, n: d.n, revealedBy: ctx.principal?.userId ?? null, revealedAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (ok) shown.push({ ...d, revealed: true });
  }
  const seed = await activeSeed(tx, programId, ctx.now);
  await writeAudit(tx, auditContext(ctx), {
    action: 'draw',
    entity: 'cm-draws',
    entityId: enrolmentId,
    patientId: enr.patientId,
    detail: { draws: shown.map((d) => d.n), cents: shown.reduce((a, d) => a + d.valueCents, 0) },
  });
  return { items: shown, commitment: seed.commitment, undrawn: items.filter((d) => !d.revealed).length - shown.length };
}

// ---------- seeds ----------

const seedDto = (s: typeof cmSeeds.$inferSelect) => ({
  id: s.id,
  commitment: s.commitment,
  activeFrom: s.activeFrom.toISOString(),
  retiredAt: s.retiredAt?.toISOString() ?? null,
  seedHex: s.revealedAt ? s.seedHex : null,
});

/** Oldest first (keyset on activeFrom, id). */
export async function listSeeds(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await activeSeed(tx, programId, ctx.now);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await tx
    .select()
    .from(cmSeeds)
    .where(and(eq(cmSeeds.programId, programId), after ? sql`(${cmSeeds.activeFrom}, ${cmSeeds.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(cmSeeds.activeFrom), asc(cmSeeds.id))
    .limit(page.limit + 1);
  return pageOf(rows, page.limit, (s) => [s.activeFrom.toISOString(), s.id], seedDto);
}

/** Retires the active seed, reveals it (anyone can now re-derive its draws) and commits to a new one. */
export async function rotateSeed(tx: Tx, ctx: Ctx): Promise<ReturnType<typeof seedDto>> {
  const programId = programOf(ctx);
  const [cur] = await tx
    .select()
    .from(cmSeeds)
    .where(and(eq(cmSeeds.programId, programId), isNull(cmSeeds.retiredAt)))
    .for('update');
  if (cur)
    await tx
      .update(cmSeeds)
      .set({ retiredAt: ctx.now, revealedAt: ctx.now })
      .where(and(eq(cmSeeds.programId, programId), eq(cmSeeds.id, cur.id)));
  const hex = randomBytes(32).toString('hex');
  const [row] = await tx
    .insert(cmSeeds)
    .values({ programId, id: randomUUID(), seedHex: hex, commitment: commitment(hex), activeFrom: ctx.now })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'rotate', entity: 'cm-seed', entityId: row!.id, detail: { revealed: cur?.id ?? null, commitment: row!.commitment } });
  return seedDto(row!);
}

/** Scheduled rotation: every programme whose active seed is older than its rotation period. */
export async function rotateDueSeeds(db: Db, now: Date): Promise<number> {
  const due = rowsOf<{ program_id: string; org_id: string }>(
    await db.execute(sql`
    select s.program_id, p.org_id from ${cmSeeds} s join ${programs} p on p.id = s.program_id
    left join ${cmSettings} c on c.program_id = s.program_id
    where s.retired_at is null and s.active_from <= ${now.toISOString()}::timestamptz - make_interval(days => coalesce(c.seed_rotation_days, 90))`),
  );
  for (const d of due) {
    await inTransaction(db, (tx) => rotateSeed(tx, { ...systemCtx({ orgId: d.org_id, programId: d.program_id, now, requestId: 'job:seed-rotation' }) }));
  }
  return due.length;
}

/** Public: a commitment, and once revealed its seed and every draw made with it, each re-derived here too. */
export async function verifyCommitment(db: Db, hash: string) {
  return inTransaction(db, async (tx) => {
    const [s] = await tx.select().from(cmSeeds).where(eq(cmSeeds.commitment, hash.toLowerCase()));
    if (!s) throw notFound('Commitment');
    const draws: Array<{ enrolmentId: string; n: number; tier: string | null; bowl: unknown; verified: boolean | null }> = [];
    if (s.revealedAt) {
      const prizes = await tx
        .select()
        .from(cmLedgerEntries)
        .where(and(eq(cmLedgerEntries.programId, s.programId), eq(cmLedgerEntries.seedId, s.id), eq(cmLedgerEntries.kind, 'prize')))
        .orderBy(asc(cmLedgerEntries.enrolmentId), asc(cmLedgerEntries.n));
      const bowls = new Map<string, Bowl | undefined>();
      for (const p of prizes) {
        if (!bowls.has(p.enrolmentId)) {
          const [e] = await tx
            .select({ protocolId: cmEnrolments.protocolId })
            .from(cmEnrolments)
            .where(and(eq(cmEnrolments.programId, s.programId), eq(cmEnrolments.id, p.enrolmentId)));
          bowls.set(p.enrolmentId, e ? (await loadProtocol(tx, s.programId, e.protocolId)).bowl : undefined);
        }
        const bowl = bowls.get(p.enrolmentId);
        const verified = bowl ? drawSlip(seedFromHex(s.seedHex), p.enrolmentId, p.n!, bowl).tier === p.tier : null;
        draws.push({ enrolmentId: p.enrolmentId, n: p.n!, tier: p.tier, bowl: bowl ?? null, verified });
      }
    }
    const timeZone = await programTimeZone(tx, s.programId);
    return {
      commitment: s.commitment,
      revealed: !!s.revealedAt,
      seedHex: s.revealedAt ? s.seedHex : null,
      activeFrom: s.activeFrom.toISOString(),
      retiredAt: s.retiredAt?.toISOString() ?? null,
      timeZone,
      algorithm:
        'CM-SPEC §3: h = HMAC-SHA256(key = seed bytes, message = UTF-8(enrolmentId + ":" + n)); first of four 64-bit big-endian words u < floor(2^64/T)·T; slip = u mod T in bowl order; sha256(seed) = commitment',
      draws,
    };
  });
}

/** Public: every seed of the programme that made commitment `hash`, newest first (the most recent 200); a seed only once revealed. */
export async function publicSeedsOf(db: Db, hash: string) {
  return inTransaction(db, async (tx) => {
    const [s] = await tx.select({ programId: cmSeeds.programId }).from(cmSeeds).where(eq(cmSeeds.commitment, hash.toLowerCase()));
    if (!s) throw notFound('Commitment');
    const rows = await tx.select().from(cmSeeds).where(eq(cmSeeds.programId, s.programId)).orderBy(desc(cmSeeds.activeFrom), desc(cmSeeds.id)).limit(200);
    return {
      items: rows.map((r) => ({
        commitment: r.commitment,
        activeFrom: r.activeFrom.toISOString(),
        retiredAt: r.retiredAt?.toISOString() ?? null,
        revealed: !!r.revealedAt,
        seedHex: r.revealedAt ? r.seedHex : null,
      })),
    };
  });
}

// ---------- caps ----------

export async function capsStatus(tx: Tx, programId: string, patientId: string, now: Date) {
  const tz = await programTimeZone(tx, programId);
  const year = localDate(now, tz).slice(0, 4);
  const enrs = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.patientId, patientId)));
  const bySource = new Map<string | null, Caps | null>();
  for (const e of enrs) if (!bySource.has(e.fundingSourceId) || e.status === 'active') bySource.set(e.fundingSourceId, (e.caps as Caps | null) ?? null);
  const paid = rowsOf<{ fs: string | null; paid: string | number }>(
    await tx.execute(sql`
    select funding_source_id as fs, sum(${entryEffectSql('paid')}) as paid
    from ${cmLedgerEntries} l where program_id = ${programId} and patient_id = ${patientId} and month like ${year + '-%'}
      and ${NOT_VOIDED}
    group by funding_source_id`),
  );
  return [...bySource.entries()].map(([fs, caps]) => {
    const p = Number(paid.find((r) => r.fs === fs)?.paid ?? 0);
    const cap = caps?.perYearCents ?? null;
    return { fundingSourceId: fs, year, paidCents: p, perYearCents: cap, remainingCents: cap === null ? null : Math.max(cap - p, 0), reached: cap !== null && p >= cap, noCash: !!caps?.noCash };
  });
}

export async function patientCaps(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const out = await capsStatus(tx, programOf(ctx), patientId, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-caps', patientId });
  return out;
}
