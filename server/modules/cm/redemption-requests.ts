// Requests from the app's catalogue (issue 12): the patient asks, staff fulfil it as a
// redemption with the patient present (redemption.ts: acknowledgement, threshold,
// approval), or decline it with a reason; the patient may withdraw it while it is open.
// What may be asked for is core/cm/requests.ts, against the balance the patient sees. A request and its outcome are append-only.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Caps } from '../../../core/cm/caps.ts';
import { requestProblem } from '../../../core/cm/requests.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { cmCatalogueItems, cmRedemptionOutcomes, cmRedemptionRequestOutcomes, cmRedemptionRequests } from './cm.tables.ts';
import { shownBalance } from './ledger.ts';
import { lockPatientEnrolments } from './settle.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type RequestStatus = 'open' | 'approval' | 'given' | 'declined' | 'withdrawn';

/** The patient's requests, newest first, each with where it stands. */
async function requestsOf(tx: Tx, programId: string, patientIds: string[], onlyOpen: boolean) {
  if (patientIds.length === 0) return [];
  const rows = await tx
    .select({
      id: cmRedemptionRequests.id,
      patientId: cmRedemptionRequests.patientId,
      itemId: cmRedemptionRequests.itemId,
      itemName: cmCatalogueItems.name,
      quantity: cmRedemptionRequests.quantity,
      cents: cmCatalogueItems.valueCents,
      requestedAt: cmRedemptionRequests.requestedAt,
      outcome: cmRedemptionRequestOutcomes.outcome,
      reason: cmRedemptionRequestOutcomes.reason,
      decidedAt: cmRedemptionRequestOutcomes.decidedAt,
      redemptionId: cmRedemptionRequestOutcomes.redemptionId,
      redemptionOutcome: cmRedemptionOutcomes.outcome,
    })
    .from(cmRedemptionRequests)
    .innerJoin(cmCatalogueItems, and(eq(cmCatalogueItems.programId, cmRedemptionRequests.programId), eq(cmCatalogueItems.id, cmRedemptionRequests.itemId)))
    .leftJoin(cmRedemptionRequestOutcomes, and(eq(cmRedemptionRequestOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionRequestOutcomes.requestId, cmRedemptionRequests.id)))
    .leftJoin(cmRedemptionOutcomes, and(eq(cmRedemptionOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionOutcomes.redemptionId, cmRedemptionRequestOutcomes.redemptionId)))
    .where(and(eq(cmRedemptionRequests.programId, programId), inArray(cmRedemptionRequests.patientId, patientIds), onlyOpen ? isNull(cmRedemptionRequestOutcomes.requestId) : undefined))
    .orderBy(onlyOpen ? asc(cmRedemptionRequests.requestedAt) : desc(cmRedemptionRequests.requestedAt));
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patientId,
    itemId: r.itemId,
    itemName: r.itemName,
    quantity: r.quantity,
    cents: r.cents * r.quantity,
    requestedAt: r.requestedAt.toISOString(),
    status: statusOf(r.outcome, r.redemptionOutcome),
    reason: r.outcome === 'declined' ? r.reason : null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    redemptionId: r.redemptionId,
  }));
}

function statusOf(outcome: string | null, redemption: string | null): RequestStatus {
  if (outcome === null) return 'open';
  if (outcome === 'fulfilled') return redemption === 'completed' ? 'given' : redemption === 'declined' ? 'declined' : 'approval';
  return outcome as 'declined' | 'withdrawn';
}

/** The patient asks for an item (from the app). A repeat with the same key returns the first. */
export async function requestRedemption(deps: Deps, patientId: string, input: { itemId: string; quantity: number; idempotencyKey: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  // one patient's requests and redemptions are decided one at a time (the enrolment lock)
  const enrolments = await lockPatientEnrolments(tx, programId, patientId);
  const [existing] = await tx
    .select({ id: cmRedemptionRequests.id })
    .from(cmRedemptionRequests)
    .where(and(eq(cmRedemptionRequests.programId, programId), eq(cmRedemptionRequests.patientId, patientId), eq(cmRedemptionRequests.idempotencyKey, input.idempotencyKey)));
  if (existing) return (await requestsOf(tx, programId, [patientId], false)).find((r) => r.id === existing.id)!;
  if (enrolments.length === 0) throw conflict('not_enrolled', 'Rewards start when you join the rewards programme at your clinic.', 'body.itemId');
  const [item] = await tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, input.itemId)));
  if (!item) throw notFound('Catalogue item');
  const open = await requestsOf(tx, programId, [patientId], true);
  const problem = requestProblem({
    item,
    quantity: input.quantity,
    balanceCents: await shownBalance(tx, programId, patientId),
    openRequestCents: open.reduce((sum, r) => sum + r.cents, 0),
    openRequests: open.length,
    noCash: enrolments.some((e) => (e.caps as Caps | null)?.noCash),
  });
  if (problem) throw conflict(problem.code, problem.message, problem.field);
  const id = randomUUID();
  await tx.insert(cmRedemptionRequests).values({ programId, id, patientId, itemId: item.id, quantity: input.quantity, idempotencyKey: input.idempotencyKey, requestedAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'cm-redemption-request',
    entityId: id,
    patientId,
    detail: { quantity: input.quantity, cents: item.valueCents * input.quantity },
  });
  return (await requestsOf(tx, programId, [patientId], false)).find((r) => r.id === id)!;
}

async function openRequest(tx: Tx, programId: string, id: string, patientId?: string) {
  const [row] = await tx
    .select({
      id: cmRedemptionRequests.id,
      patientId: cmRedemptionRequests.patientId,
      itemId: cmRedemptionRequests.itemId,
      quantity: cmRedemptionRequests.quantity,
      done: cmRedemptionRequestOutcomes.outcome,
    })
    .from(cmRedemptionRequests)
    .leftJoin(cmRedemptionRequestOutcomes, and(eq(cmRedemptionRequestOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionRequestOutcomes.requestId, cmRedemptionRequests.id)))
    .where(and(eq(cmRedemptionRequests.programId, programId), eq(cmRedemptionRequests.id, id), patientId ? eq(cmRedemptionRequests.patientId, patientId) : undefined));
  if (!row) throw notFound('Request');
  if (row.done) throw conflict('request_closed', 'This request was already answered or withdrawn.', 'params.id');
  return row;
}

/** Ends an open request: the patient withdraws it, or staff decline it with a reason. */
export async function closeRequest(deps: Deps, id: string, how: { by: 'patient'; patientId: string } | { by: 'staff'; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const req = await openRequest(tx, programId, id, how.by === 'patient' ? how.patientId : undefined);
  await lockPatientEnrolments(tx, programId, req.patientId);
  const outcome = how.by === 'patient' ? 'withdrawn' : 'declined';
  const [inserted] = await tx
    .insert(cmRedemptionRequestOutcomes)
    .values({ programId, requestId: id, outcome, decidedBy: how.by === 'staff' ? ctx.principal!.userId : null, decidedAt: ctx.now, reason: how.by === 'staff' ? how.reason : null })
    .onConflictDoNothing()
    .returning();
  if (!inserted) throw conflict('request_closed', 'This request was already answered or withdrawn.', 'params.id');
  await writeAudit(tx, auditContext(ctx), { action: outcome === 'withdrawn' ? 'cancel' : 'decline', entity: 'cm-redemption-request', entityId: id, patientId: req.patientId });
  return (await requestsOf(tx, programId, [req.patientId], false)).find((r) => r.id === id)!;
}

/** Called by redeem() in its transaction: the redemption fulfils this open request of the same patient and item. */
export async function fulfilRequest(tx: Tx, ctx: Ctx, input: { requestId: string; patientId: string; itemId: string; redemptionId: string }) {
  const programId = programOf(ctx);
  const req = await openRequest(tx, programId, input.requestId, input.patientId);
  if (req.itemId !== input.itemId) throw conflict('request_item_mismatch', 'This request is for another item.', 'body.requestId');
  await tx.insert(cmRedemptionRequestOutcomes).values({ programId, requestId: req.id, outcome: 'fulfilled', redemptionId: input.redemptionId, decidedBy: ctx.principal!.userId, decidedAt: ctx.now });
}

/** A patient's requests (staff: the patient page; the patient: the app). */
export async function listPatientRequests(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const items = await requestsOf(tx, programOf(ctx), [patientId], false);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption-request', patientId, detail: { count: items.length } });
  return { items };
}

/** The programme's open requests, oldest first (paginated), with whose they are (reading names is audited). */
export async function listOpenRequests(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await tx
    .select({
      id: cmRedemptionRequests.id,
      requestedAt: cmRedemptionRequests.requestedAt,
      patientId: patients.id,
      given: patients.legalGivenName,
      preferred: patients.preferredName,
      family: patients.legalFamilyName,
      mrn: patients.mrn,
    })
    .from(cmRedemptionRequests)
    .innerJoin(patients, and(eq(patients.programId, cmRedemptionRequests.programId), eq(patients.id, cmRedemptionRequests.patientId)))
    .leftJoin(cmRedemptionRequestOutcomes, and(eq(cmRedemptionRequestOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionRequestOutcomes.requestId, cmRedemptionRequests.id)))
    .where(
      and(
        eq(cmRedemptionRequests.programId, programId),
        isNull(cmRedemptionRequestOutcomes.requestId),
        after ? sql`(${cmRedemptionRequests.requestedAt}, ${cmRedemptionRequests.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(cmRedemptionRequests.requestedAt), asc(cmRedemptionRequests.id))
    .limit(page.limit + 1);
  const paged = pageOf(rows, page.limit, (r) => [r.requestedAt.toISOString(), r.id]);
  const who = new Map(paged.items.map((r) => [r.id, { displayName: `${r.preferred ?? r.given} ${r.family}`, mrn: r.mrn }]));
  const details = new Map((await requestsOf(tx, programId, [...new Set(paged.items.map((r) => r.patientId))], true)).map((r) => [r.id, r]));
  const items = paged.items.map((r) => ({ ...details.get(r.id)!, ...who.get(r.id)! }));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption-request', detail: { count: items.length } });
  return { items, nextCursor: paged.nextCursor };
}
