// Requests from the app's catalogue (issue 12): the patient asks, staff fulfil it as a
// redemption with the patient present (redemption.ts: acknowledgement, threshold,
// approval), or decline it with a reason; the patient may withdraw it while it is open.
// What may be asked for is core/cm/requests.ts, against the balance the patient sees. A request and its outcome are append-only.
import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Caps } from '../../../core/cm/caps.ts';
import { requestProblem, type DeclineReason } from '../../../core/cm/requests.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { cmCatalogueItems, cmRedemptionOutcomes, cmRedemptionRequestOutcomes, cmRedemptionRequests } from './cm.tables.ts';
import { patientLedger } from './ledger.ts';
import { lockPatientEnrolments } from './settle.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type RequestStatus = 'open' | 'approval' | 'given' | 'declined' | 'withdrawn';

/** Requests with where each stands (its outcome, and the redemption that gave it) and whose it is. */
function selectRequests(tx: Tx, where: SQL | undefined) {
  return tx
    .select({
      id: cmRedemptionRequests.id,
      patientId: cmRedemptionRequests.patientId,
      itemId: cmRedemptionRequests.itemId,
      itemName: cmCatalogueItems.name,
      itemNameEs: cmCatalogueItems.nameEs,
      quantity: cmRedemptionRequests.quantity,
      cents: cmCatalogueItems.valueCents,
      requestedAt: cmRedemptionRequests.requestedAt,
      outcome: cmRedemptionRequestOutcomes.outcome,
      reasonCode: cmRedemptionRequestOutcomes.reasonCode,
      reason: cmRedemptionRequestOutcomes.reason,
      decidedAt: cmRedemptionRequestOutcomes.decidedAt,
      redemptionId: cmRedemptionRequestOutcomes.redemptionId,
      redemptionOutcome: cmRedemptionOutcomes.outcome,
      redemptionReasonCode: cmRedemptionOutcomes.reasonCode,
      redemptionReason: cmRedemptionOutcomes.reason,
      given: patients.legalGivenName,
      preferred: patients.preferredName,
      family: patients.legalFamilyName,
      mrn: patients.mrn,
    })
    .from(cmRedemptionRequests)
    .innerJoin(cmCatalogueItems, and(eq(cmCatalogueItems.programId, cmRedemptionRequests.programId), eq(cmCatalogueItems.id, cmRedemptionRequests.itemId)))
    .innerJoin(patients, and(eq(patients.programId, cmRedemptionRequests.programId), eq(patients.id, cmRedemptionRequests.patientId)))
    .leftJoin(cmRedemptionRequestOutcomes, and(eq(cmRedemptionRequestOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionRequestOutcomes.requestId, cmRedemptionRequests.id)))
    .leftJoin(cmRedemptionOutcomes, and(eq(cmRedemptionOutcomes.programId, cmRedemptionRequests.programId), eq(cmRedemptionOutcomes.redemptionId, cmRedemptionRequestOutcomes.redemptionId)))
    .where(where)
    .$dynamic();
}
type RequestRow = Awaited<ReturnType<typeof selectRequests>>[number];

const isOpen = isNull(cmRedemptionRequestOutcomes.requestId);
const ofPatient = (programId: string, patientId: string) => and(eq(cmRedemptionRequests.programId, programId), eq(cmRedemptionRequests.patientId, patientId));

const requestDto = (r: RequestRow) => {
  const status = statusOf(r.outcome, r.redemptionOutcome);
  // declined by the staff member who answered the request, or by the second approver of its
  // redemption: why (a decline without a code from the list reads 'other') and their note
  const decline = status !== 'declined' ? null : r.outcome === 'declined' ? { code: r.reasonCode, note: r.reason } : { code: r.redemptionReasonCode, note: r.redemptionReason };
  return {
    id: r.id,
    patientId: r.patientId,
    itemId: r.itemId,
    itemName: r.itemName,
    itemNameEs: r.itemNameEs,
    quantity: r.quantity,
    cents: r.cents * r.quantity,
    requestedAt: r.requestedAt.toISOString(),
    status,
    reasonCode: decline ? (decline.code ?? 'other') : null,
    reason: decline?.note ?? null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    redemptionId: r.redemptionId,
  };
};

async function requestById(tx: Tx, programId: string, id: string) {
  const [row] = await selectRequests(tx, and(eq(cmRedemptionRequests.programId, programId), eq(cmRedemptionRequests.id, id)));
  return requestDto(row!);
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
  if (existing) return requestById(tx, programId, existing.id);
  if (enrolments.length === 0) throw conflict('not_enrolled', 'Rewards start when you join the rewards programme at your clinic.', 'body.itemId');
  const [item] = await tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.id, input.itemId)));
  if (!item) throw notFound('Catalogue item');
  const open = (await selectRequests(tx, and(ofPatient(programId, patientId), isOpen))).map(requestDto);
  const problem = requestProblem({
    item,
    quantity: input.quantity,
    balanceCents: (await patientLedger(deps, patientId)).balanceCents,
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
  return requestById(tx, programId, id);
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

/** Ends an open request: the patient withdraws it, or staff decline it with a reason (and a note for the patient). */
export async function closeRequest(deps: Deps, id: string, how: { by: 'patient'; patientId: string } | { by: 'staff'; reasonCode: DeclineReason; reason: string | null }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const req = await openRequest(tx, programId, id, how.by === 'patient' ? how.patientId : undefined);
  await lockPatientEnrolments(tx, programId, req.patientId);
  const outcome = how.by === 'patient' ? 'withdrawn' : 'declined';
  const [inserted] = await tx
    .insert(cmRedemptionRequestOutcomes)
    .values({
      programId,
      requestId: id,
      outcome,
      decidedBy: how.by === 'staff' ? ctx.principal!.userId : null,
      decidedAt: ctx.now,
      reasonCode: how.by === 'staff' ? how.reasonCode : null,
      reason: how.by === 'staff' ? how.reason : null,
    })
    .onConflictDoNothing()
    .returning();
  if (!inserted) throw conflict('request_closed', 'This request was already answered or withdrawn.', 'params.id');
  await writeAudit(tx, auditContext(ctx), {
    action: outcome === 'withdrawn' ? 'cancel' : 'decline',
    entity: 'cm-redemption-request',
    entityId: id,
    patientId: req.patientId,
    ...(how.by === 'staff' ? { detail: { reasonCode: how.reasonCode } } : {}),
  });
  return requestById(tx, programId, id);
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
  const items = (await selectRequests(tx, ofPatient(programOf(ctx), patientId)).orderBy(desc(cmRedemptionRequests.requestedAt), desc(cmRedemptionRequests.id))).map(requestDto);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption-request', patientId, detail: { count: items.length } });
  return { items };
}

/** The programme's open requests, oldest first (paginated), with whose they are (reading names is audited). */
export async function listOpenRequests(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await selectRequests(
    tx,
    and(
      eq(cmRedemptionRequests.programId, programId),
      isOpen,
      after ? sql`(${cmRedemptionRequests.requestedAt}, ${cmRedemptionRequests.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
    ),
  )
    .orderBy(asc(cmRedemptionRequests.requestedAt), asc(cmRedemptionRequests.id))
    .limit(page.limit + 1);
  const paged = pageOf(rows, page.limit, (r) => [r.requestedAt.toISOString(), r.id]);
  const items = paged.items.map((r) => ({ ...requestDto(r), displayName: `${r.preferred ?? r.given} ${r.family}`, mrn: r.mrn }));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-redemption-request', detail: { count: items.length } });
  return { items, nextCursor: paged.nextCursor };
}
