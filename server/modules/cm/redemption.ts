// Catalogue (items and gift cards, value, stock, cash-equivalent flag) and redemption:
// spending voucher balance or fulfilling a prize, with the patient's acknowledgement,
// stock movements, and separation of duties over the programme's threshold (whoever
// recorded a result for the patient cannot approve their redemption).
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Caps } from '../../../core/cm/caps.ts';
import type { DeclineReason } from '../../../core/cm/requests.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { cmCatalogueItems, cmDrawReveals, cmEvents, cmLedgerEntries, cmRedemptionOutcomes, cmRedemptions, cmStockMovements } from './cm.tables.ts';
import { getSettings } from './enrolments.ts';
import { fulfilRequest } from './redemption-requests.ts';
import { entryEffectSql, lockPatientEnrolments, NOT_VOIDED, patientBalance, patientBalances, type EnrolmentRow } from './settle.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Item = typeof cmCatalogueItems.$inferSelect;

export const itemDto = (i: Item) => ({
  id: i.id,
  name: i.name,
  nameEs: i.nameEs,
  kind: i.kind,
  valueCents: i.valueCents,
  cashEquivalent: i.cashEquivalent,
  prizeTier: i.prizeTier,
  stock: i.stock,
  reorderLevel: i.reorderLevel,
  active: i.active,
});

export async function createItem(
  deps: Deps,
  input: { name: string; nameEs?: string | null | undefined; kind: string; valueCents: number; cashEquivalent: boolean; prizeTier?: string | null | undefined; stock: number; reorderLevel: number },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .insert(cmCatalogueItems)
    .values({
      programId,
      id: randomUUID(),
      name: input.name,
      nameEs: input.nameEs ?? null,
      kind: input.kind,
      valueCents: input.valueCents,
      cashEquivalent: input.cashEquivalent,
      prizeTier: input.prizeTier ?? null,
      stock: input.stock,
      reorderLevel: input.reorderLevel,
      createdAt: ctx.now,
    })
    .returning();
  if (input.stock !== 0) {
    await tx.insert(cmStockMovements).values({ programId, id: randomUUID(), itemId: row!.id, delta: input.stock, reason: 'received', createdBy: ctx.principal?.userId ?? null, createdAt: ctx.now });
  }
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'cm-catalogue-item', entityId: row!.id, detail: { valueCents: input.valueCents, stock: input.stock } });
  return itemDto(row!);
}

/** By name (keyset on name, id). */
export async function listItems(deps: Deps, page: Page) {
  const after = decodeCursor(page.cursor, ['text', 'uuid']);
  const rows = await deps.tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, programOf(deps.ctx)), after ? sql`(${cmCatalogueItems.name}, ${cmCatalogueItems.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(cmCatalogueItems.name), asc(cmCatalogueItems.id))
    .limit(page.limit + 1);
  return pageOf(rows, page.limit, (r) => [r.name, r.id], itemDto);
}

async function lockItem(tx: Tx, programId: string, id: string): Promise<Item> {
  const [item] = await tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, id)))
    .for('update');
  if (!item) throw notFound('Catalogue item');
  return item;
}

export async function moveStock(deps: Deps, itemId: string, input: { delta: number; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const item = await lockItem(tx, programId, itemId);
  if (item.stock + input.delta < 0) throw conflict('stock_negative', `Only ${item.stock} in stock.`, 'body.delta');
  await tx.insert(cmStockMovements).values({ programId, id: randomUUID(), itemId, delta: input.delta, reason: input.reason, createdBy: ctx.principal?.userId ?? null, createdAt: ctx.now });
  const [row] = await tx
    .update(cmCatalogueItems)
    .set({ stock: item.stock + input.delta })
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, itemId)))
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'stock', entity: 'cm-catalogue-item', entityId: itemId, detail: { delta: input.delta, reason: input.reason } });
  return itemDto(row!);
}

/**
 * Staff change an item's names (the Spanish one is what patients who read Spanish see) or
 * stop offering it; value and kind never change, so every redemption stays priced as given.
 * An item no longer offered cannot be asked for or given (core/cm/requests.ts, redeem); requests already open for it can be declined.
 */
export async function updateItem(deps: Deps, itemId: string, input: { name?: string | undefined; nameEs?: string | null | undefined; active?: boolean | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.nameEs !== undefined ? { nameEs: input.nameEs } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  const [row] = await tx
    .update(cmCatalogueItems)
    .set(changes)
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, itemId)))
    .returning();
  if (!row) throw notFound('Catalogue item');
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'cm-catalogue-item', entityId: itemId, detail: changes });
  return itemDto(row);
}

type RedemptionRow = typeof cmRedemptions.$inferSelect;

type Why = { reasonCode: DeclineReason | null; reason: string | null };
const noWhy: Why = { reasonCode: null, reason: null };

/** A redemption as the API answers it; `why`: a decline's reason code and note. */
async function redemptionDto(tx: Tx, r: RedemptionRow, status: 'pending-approval' | 'completed' | 'declined', why: Why = noWhy) {
  const [item] = await tx
    .select({ name: cmCatalogueItems.name })
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, r.programId), eq(cmCatalogueItems.id, r.itemId)));
  return {
    id: r.id,
    patientId: r.patientId,
    itemId: r.itemId,
    itemName: item?.name ?? '',
    quantity: r.quantity,
    cents: r.cents,
    kind: r.kind,
    status,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    reasonCode: status === 'declined' ? why.reasonCode : null,
    reason: status === 'declined' ? why.reason : null,
    balanceCents: await patientBalance(tx, r.programId, r.patientId),
  };
}

/** Per-enrolment balances (redemptions are posted against enrolments, oldest first). */
async function enrolmentBalances(tx: Tx, programId: string, patientId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ enrolment_id: string; b: string | number }>(
    await tx.execute(sql`
    select enrolment_id, sum(${entryEffectSql('balance')}) as b
    from ${cmLedgerEntries} l where program_id = ${programId} and patient_id = ${patientId} and kind <> 'void'
      and ${NOT_VOIDED}
    group by enrolment_id`),
  );
  return new Map(rows.map((r) => [r.enrolment_id, Number(r.b)]));
}

/** Posts the redemption: ledger entries (never below zero), stock movement, outcome. Caller holds the patient's and item's locks. */
async function complete(tx: Tx, ctx: Ctx, r: RedemptionRow, item: Item, enrolments: EnrolmentRow[], decidedBy: string) {
  const programId = r.programId;
  if (item.stock < r.quantity) throw conflict('out_of_stock', `Only ${item.stock} of this item in stock.`, 'body.quantity');
  const balances = await enrolmentBalances(tx, programId, r.patientId);
  let total = 0;
  for (const v of balances.values()) total += v;
  if (total < r.cents) throw conflict('insufficient_balance', `The patient's balance (${total} cents) does not cover ${r.cents} cents.`, 'body.itemId');
  let rest = r.cents;
  let k = 0;
  const ordered = r.prizeEntryId ? [] : [...enrolments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  if (r.prizeEntryId) {
    const [prize] = await tx
      .select()
      .from(cmLedgerEntries)
      .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.id, r.prizeEntryId)));
    const e = enrolments.find((x) => x.id === prize!.enrolmentId);
    if (e) ordered.push(e);
  }
  for (const e of ordered) {
    const avail = balances.get(e.id) ?? 0;
    const take = Math.min(avail, rest);
    if (take <= 0) continue;
    await tx.insert(cmLedgerEntries).values({
      programId,
      id: randomUUID(),
      enrolmentId: e.id,
      patientId: r.patientId,
      entryKey: `redemption/${r.id}/${++k}`,
      kind: 'redemption',
      cents: take,
      redemptionId: r.id,
      fundingSourceId: e.fundingSourceId,
      reason: `redeemed ${r.quantity} × ${item.name}`,
      createdBy: decidedBy,
      createdAt: ctx.now,
    });
    rest -= take;
    if (rest === 0) break;
  }
  if (rest > 0) throw conflict('insufficient_balance', 'The balance of the enrolment that won this prize does not cover it.', 'body.prizeEntryId');
  await tx.insert(cmStockMovements).values({ programId, id: randomUUID(), itemId: item.id, delta: -r.quantity, reason: 'redemption', redemptionId: r.id, createdBy: decidedBy, createdAt: ctx.now });
  await tx
    .update(cmCatalogueItems)
    .set({ stock: item.stock - r.quantity })
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, item.id)));
  await tx.insert(cmRedemptionOutcomes).values({ programId, redemptionId: r.id, outcome: 'completed', decidedBy, decidedAt: ctx.now });
}

export async function redeem(
  deps: Deps,
  patientId: string,
  input: { itemId: string; quantity: number; prizeEntryId?: string | undefined; requestId?: string | undefined; acknowledgement: { acknowledged: true; method: string } },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const userId = ctx.principal!.userId;
  await assertPatient(tx, ctx, patientId);
  const enrolments = await lockPatientEnrolments(tx, programId, patientId);
  if (enrolments.length === 0) throw conflict('not_enrolled', 'This patient has never been enrolled in contingency management.', 'body.itemId');
  const item = await lockItem(tx, programId, input.itemId);
  if (!item.active) throw conflict('item_inactive', 'This item is no longer offered.', 'body.itemId');
  const noCash = enrolments.some((e) => (e.caps as Caps | null)?.noCash);
  if (noCash && item.cashEquivalent) throw conflict('cash_not_allowed', 'The patient’s funding source forbids cash or cash-equivalent incentives.', 'body.itemId');
  let cents = item.valueCents * input.quantity;
  let kind = 'voucher';
  if (input.prizeEntryId) {
    kind = 'prize';
    const [prize] = await tx
      .select()
      .from(cmLedgerEntries)
      .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.id, input.prizeEntryId), eq(cmLedgerEntries.patientId, patientId), eq(cmLedgerEntries.kind, 'prize')));
    if (!prize) throw notFound('Prize');
    const [voided] = await tx
      .select({ id: cmLedgerEntries.id })
      .from(cmLedgerEntries)
      .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.enrolmentId, prize.enrolmentId), eq(cmLedgerEntries.kind, 'void'), eq(cmLedgerEntries.voidsKey, prize.entryKey)));
    if (voided) throw conflict('prize_voided', 'This prize was voided, so it cannot be fulfilled.', 'body.prizeEntryId');
    // a prize is a surprise until the patient sees the draw: no fulfilling (nor naming its tier) before that
    const [shown] = await tx
      .select({ n: cmDrawReveals.n })
      .from(cmDrawReveals)
      .where(and(eq(cmDrawReveals.programId, programId), eq(cmDrawReveals.enrolmentId, prize.enrolmentId), eq(cmDrawReveals.n, prize.n!)));
    if (!shown) throw conflict('draw_not_shown', 'This draw has not been shown to the patient yet: show it on the draw screen first, then fulfil its prize.', 'body.prizeEntryId');
    if (item.prizeTier !== prize.tier) throw conflict('wrong_tier', `This item fulfils the "${item.prizeTier ?? 'none'}" tier, not "${prize.tier}".`, 'body.itemId');
    if (input.quantity !== 1)
      throw new AppError({ code: 'invalid_input', status: 400, message: 'A prize is fulfilled with one item.', problems: [{ field: 'body.quantity', message: 'must be 1 for a prize' }] });
    const [done] = await tx
      .select({ id: cmRedemptions.id })
      .from(cmRedemptions)
      .where(and(eq(cmRedemptions.programId, programId), eq(cmRedemptions.prizeEntryId, prize.id)));
    if (done) throw conflict('prize_fulfilled', 'This prize was already fulfilled.', 'body.prizeEntryId');
    cents = prize.cents;
  }
  if (item.stock < input.quantity) throw conflict('out_of_stock', `Only ${item.stock} of this item in stock.`, 'body.quantity');
  const balance = await patientBalance(tx, programId, patientId);
  if (balance < cents) throw conflict('insufficient_balance', `The patient's balance (${balance} cents) does not cover ${cents} cents.`, 'body.itemId');
  const settings = await getSettings(tx, programId, ctx.now);
  const needsApproval = cents > settings.approvalThresholdCents;
  const [r] = await tx
    .insert(cmRedemptions)
    .values({
      programId,
      id: randomUUID(),
      patientId,
      itemId: item.id,
      quantity: input.quantity,
      cents,
      kind,
      prizeEntryId: input.prizeEntryId ?? null,
      acknowledgement: { ...input.acknowledgement, at: ctx.now.toISOString() },
      requestedBy: userId,
      requestedAt: ctx.now,
      needsApproval,
    })
    .returning();
  if (input.requestId) await fulfilRequest(tx, ctx, { requestId: input.requestId, patientId, itemId: item.id, redemptionId: r!.id });
  if (!needsApproval) await complete(tx, ctx, r!, item, enrolments, userId);
  await writeAudit(tx, auditContext(ctx), { action: 'redeem', entity: 'cm-redemption', entityId: r!.id, patientId, detail: { cents, quantity: input.quantity, kind, needsApproval } });
  return redemptionDto(tx, r!, needsApproval ? 'pending-approval' : 'completed');
}

export async function decideRedemption(deps: Deps, id: string, input: { approve: boolean; reasonCode?: DeclineReason | undefined; reason?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const userId = ctx.principal!.userId;
  const [found] = await tx
    .select()
    .from(cmRedemptions)
    .where(and(eq(cmRedemptions.programId, programId), eq(cmRedemptions.id, id)));
  if (!found) throw notFound('Redemption');
  const enrolments = await lockPatientEnrolments(tx, programId, found.patientId);
  const [outcome] = await tx
    .select()
    .from(cmRedemptionOutcomes)
    .where(and(eq(cmRedemptionOutcomes.programId, programId), eq(cmRedemptionOutcomes.redemptionId, id)));
  if (outcome) throw conflict('already_decided', `This redemption is already ${outcome.outcome}.`, 'body.approve');
  if (input.approve) {
    if (userId === found.requestedBy)
      throw new AppError({ code: 'separation_of_duties', status: 403, message: 'A second person must approve a redemption over the threshold: you requested this one.' });
    const [recorded] = await tx
      .select({ id: cmEvents.id })
      .from(cmEvents)
      .where(and(eq(cmEvents.programId, programId), eq(cmEvents.patientId, found.patientId), eq(cmEvents.recordedBy, userId), inArray(cmEvents.kind, ['specimen', 'correction', 'adjudication'])))
      .limit(1);
    if (recorded) throw new AppError({ code: 'separation_of_duties', status: 403, message: 'You recorded a test result for this patient, so someone else must approve this redemption.' });
    const item = await lockItem(tx, programId, found.itemId);
    await complete(tx, ctx, found, item, enrolments, userId);
  }
  const why: Why = { reasonCode: input.reasonCode ?? null, reason: input.reason || null };
  if (!input.approve) await tx.insert(cmRedemptionOutcomes).values({ programId, redemptionId: id, outcome: 'declined', decidedBy: userId, decidedAt: ctx.now, ...why });
  // the audit row names the reason code, not the note (it may describe the patient's circumstances)
  const detail = input.approve ? { cents: found.cents } : { cents: found.cents, reasonCode: why.reasonCode };
  await writeAudit(tx, auditContext(ctx), { action: input.approve ? 'approve' : 'decline', entity: 'cm-redemption', entityId: id, patientId: found.patientId, detail });
  return redemptionDto(tx, found, input.approve ? 'completed' : 'declined', why);
}

export async function listRedemptions(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select({ r: cmRedemptions, o: cmRedemptionOutcomes.outcome, reasonCode: cmRedemptionOutcomes.reasonCode, reason: cmRedemptionOutcomes.reason })
    .from(cmRedemptions)
    .leftJoin(cmRedemptionOutcomes, and(eq(cmRedemptionOutcomes.programId, cmRedemptions.programId), eq(cmRedemptionOutcomes.redemptionId, cmRedemptions.id)))
    .where(and(eq(cmRedemptions.programId, programId), eq(cmRedemptions.patientId, patientId)))
    .orderBy(asc(cmRedemptions.requestedAt));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption', patientId, detail: { count: rows.length } });
  return Promise.all(rows.map((x) => redemptionDto(tx, x.r, x.o === 'completed' ? 'completed' : x.o === 'declined' ? 'declined' : 'pending-approval', x)));
}

/**
 * The programme's redemptions, oldest first (keyset on requestedAt, id), with whose they
 * are: `pending` = waiting for a second person's approval. Each item says whether the
 * caller may approve it (separation of duties), so the approvals list can explain why not.
 */
export async function listProgrammeRedemptions(deps: Deps, query: Page & { status?: 'pending' | 'completed' | 'declined' | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const userId = ctx.principal?.userId ?? null;
  const after = decodeCursor(query.cursor, ['time', 'uuid']);
  const status = query.status === 'pending' ? isNull(cmRedemptionOutcomes.redemptionId) : query.status ? eq(cmRedemptionOutcomes.outcome, query.status) : undefined;
  const rows = await tx
    .select({
      r: cmRedemptions,
      outcome: cmRedemptionOutcomes.outcome,
      decidedBy: cmRedemptionOutcomes.decidedBy,
      decidedAt: cmRedemptionOutcomes.decidedAt,
      reasonCode: cmRedemptionOutcomes.reasonCode,
      reason: cmRedemptionOutcomes.reason,
      itemName: cmCatalogueItems.name,
      requestedByName: users.displayName,
      given: patients.legalGivenName,
      preferred: patients.preferredName,
      family: patients.legalFamilyName,
      mrn: patients.mrn,
    })
    .from(cmRedemptions)
    .leftJoin(cmRedemptionOutcomes, and(eq(cmRedemptionOutcomes.programId, cmRedemptions.programId), eq(cmRedemptionOutcomes.redemptionId, cmRedemptions.id)))
    .innerJoin(patients, and(eq(patients.programId, cmRedemptions.programId), eq(patients.id, cmRedemptions.patientId)))
    .innerJoin(cmCatalogueItems, and(eq(cmCatalogueItems.programId, cmRedemptions.programId), eq(cmCatalogueItems.id, cmRedemptions.itemId)))
    .innerJoin(users, eq(users.id, cmRedemptions.requestedBy))
    .where(and(eq(cmRedemptions.programId, programId), status, after ? sql`(${cmRedemptions.requestedAt}, ${cmRedemptions.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(asc(cmRedemptions.requestedAt), asc(cmRedemptions.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (x) => [x.r.requestedAt.toISOString(), x.r.id]);
  const patientIds = [...new Set(page.items.map((x) => x.r.patientId))];
  const balances = await patientBalances(tx, programId, patientIds);
  const recordedFor = new Set<string>();
  if (patientIds.length > 0 && userId) {
    const mine = await tx
      .selectDistinct({ patientId: cmEvents.patientId })
      .from(cmEvents)
      .where(and(eq(cmEvents.programId, programId), inArray(cmEvents.patientId, patientIds), eq(cmEvents.recordedBy, userId), inArray(cmEvents.kind, ['specimen', 'correction', 'adjudication'])));
    for (const m of mine) recordedFor.add(m.patientId);
  }
  const items = page.items.map((x) => {
    const st = x.outcome === 'completed' ? ('completed' as const) : x.outcome === 'declined' ? ('declined' as const) : ('pending-approval' as const);
    return {
      id: x.r.id,
      patientId: x.r.patientId,
      displayName: `${x.preferred ?? x.given} ${x.family}`,
      mrn: x.mrn,
      itemId: x.r.itemId,
      itemName: x.itemName,
      quantity: x.r.quantity,
      cents: x.r.cents,
      kind: x.r.kind,
      status: st,
      requestedBy: x.r.requestedBy,
      requestedByName: x.requestedByName,
      requestedAt: x.r.requestedAt.toISOString(),
      decidedBy: x.decidedBy ?? null,
      decidedAt: x.decidedAt?.toISOString() ?? null,
      reasonCode: st === 'declined' ? x.reasonCode : null,
      reason: st === 'declined' ? x.reason : null,
      balanceCents: balances.get(x.r.patientId) ?? 0,
      separationOfDuties: st !== 'pending-approval' ? null : x.r.requestedBy === userId ? ('you-requested' as const) : recordedFor.has(x.r.patientId) ? ('you-recorded-results' as const) : null,
    };
  });
  // names and MRNs were read: one audit row for the list (ids and counts only)
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption-list', detail: { status: query.status ?? 'all', count: items.length } });
  return { items, nextCursor: page.nextCursor };
}
