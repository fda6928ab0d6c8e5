// Naloxone use cases (issue 15, docs/naloxone.md, ADR 050): the stock by lot with its alerts,
// receiving a lot, adjusting a lot's count, giving a kit (drawn from a lot, with the training
// checklist), recording a training, the kits given, a patient's kits and training, the
// programme's settings, and the patient app's own view of the patient's kits. Each runs in the request's transaction with its audit row; a kit
// locks its lot's row, so two kits given at once never take the same last one.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { localDate } from '../../../core/cm/calendar.ts';
import { daysBetween } from '../../../core/cm/calendar.ts';
import { canAdjust, canGive, DEFAULT_SETTINGS, stockReport, suggestLot, type LotMovements, type NaloxoneSettings, type Product } from '../../../core/naloxone/stock.ts';
import { TRAINING_STEPS, type TrainingStep } from '../../../core/naloxone/steps.ts';
import type { AdjustmentCreate, KitCreate, KitQuery, LotCreate, Recipient, TrainingCreate } from '../../../contracts/naloxone.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal, type PatientPrincipal } from '../../platform/http/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { programTimeZone } from '../cm/settle.ts';
import { decodeCursor, pageOf } from '../cm/page.ts';
import { familyMembers } from '../consent/consent.tables.ts';
import { naloxoneAdjustments, naloxoneKits, naloxoneLots, naloxoneSettings, naloxoneTrainings } from './naloxone.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type RecipientT = z.infer<typeof Recipient>;

const staffId = (ctx: Ctx) => {
  if (!ctx.principal) throw new AppError({ code: 'unauthenticated', status: 401, message: 'Sign in to continue.' });
  return ctx.principal.userId;
};

/** A record named in the body that is not this programme's: 404, like any record not found, naming the field. */
const missing = (entity: string, field: string) => new AppError({ code: 'not_found', status: 404, message: `${entity} not found.`, problems: [{ field, message: 'not found' }] });

async function today(tx: Tx, programId: string, now: Date): Promise<string> {
  return localDate(now, await programTimeZone(tx, programId));
}

export async function getSettings(tx: Tx, programId: string): Promise<NaloxoneSettings> {
  const [row] = await tx.select().from(naloxoneSettings).where(eq(naloxoneSettings.programId, programId));
  return row ? { reorderLevel: row.reorderLevel, expiryWarningDays: row.expiryWarningDays } : { ...DEFAULT_SETTINGS };
}

export async function saveSettings(deps: Deps, input: NaloxoneSettings): Promise<NaloxoneSettings> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const values = { programId, ...input, updatedBy: staffId(ctx), updatedAt: ctx.now };
  await tx
    .insert(naloxoneSettings)
    .values(values)
    .onConflictDoUpdate({ target: naloxoneSettings.programId, set: { reorderLevel: input.reorderLevel, expiryWarningDays: input.expiryWarningDays, updatedBy: values.updatedBy, updatedAt: ctx.now } });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'naloxone', detail: { ...input } });
  return input;
}

/** Lots with their movements: those with kits on hand, or received within the last year. */
async function lotMovements(tx: Tx, programId: string, opts: { ids?: string[]; since?: string; lock?: boolean } = {}) {
  const given = tx
    .select({ lotId: naloxoneKits.lotId, n: sql<number>`count(*)::int`.as('given_n') })
    .from(naloxoneKits)
    .where(eq(naloxoneKits.programId, programId))
    .groupBy(naloxoneKits.lotId)
    .as('given');
  const adjusted = tx
    .select({ lotId: naloxoneAdjustments.lotId, n: sql<number>`sum(${naloxoneAdjustments.delta})::int`.as('adjusted_n') })
    .from(naloxoneAdjustments)
    .where(eq(naloxoneAdjustments.programId, programId))
    .groupBy(naloxoneAdjustments.lotId)
    .as('adjusted');
  const rows = await tx
    .select({ lot: naloxoneLots, given: sql<number>`coalesce(${given.n}, 0)::int`, adjusted: sql<number>`coalesce(${adjusted.n}, 0)::int` })
    .from(naloxoneLots)
    .leftJoin(given, eq(given.lotId, naloxoneLots.id))
    .leftJoin(adjusted, eq(adjusted.lotId, naloxoneLots.id))
    .where(and(eq(naloxoneLots.programId, programId), opts.ids ? inArray(naloxoneLots.id, opts.ids) : undefined));
  const out = rows.map((r) => ({
    id: r.lot.id,
    product: r.lot.product as Product,
    lotNumber: r.lot.lotNumber,
    expiresOn: r.lot.expiresOn,
    receivedOn: r.lot.receivedOn,
    received: r.lot.quantity,
    given: r.given,
    adjusted: r.adjusted,
  }));
  return opts.since ? out.filter((l) => l.received - l.given + l.adjusted > 0 || l.receivedOn >= opts.since!) : out;
}

async function lockedLot(tx: Tx, programId: string, lotId: string, field: string): Promise<LotMovements> {
  // the lot's row is locked first, so counting its kits and adding one is one step for concurrent requests
  const [locked] = await tx
    .select({ id: naloxoneLots.id })
    .from(naloxoneLots)
    .where(and(eq(naloxoneLots.programId, programId), eq(naloxoneLots.id, lotId)))
    .for('update');
  if (!locked) throw missing('Lot', field);
  const [lot] = await lotMovements(tx, programId, { ids: [lotId] });
  return lot!;
}

export async function stock(deps: Deps) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const day = await today(tx, programId, ctx.now);
  const yearAgo = new Date(Date.parse(`${day}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const [settings, lots] = await Promise.all([getSettings(tx, programId), lotMovements(tx, programId, { since: yearAgo })]);
  const report = stockReport(lots, day, settings);
  const receivedOn = new Map(lots.map((l) => [l.id, l.receivedOn]));
  return {
    today: day,
    settings,
    usable: report.usable,
    lots: report.lots.map((l) => ({ ...l, receivedOn: receivedOn.get(l.id)! })),
    alerts: report.alerts,
    suggestedLotId: suggestLot(lots, day)?.id ?? null,
  };
}

/** How many stock alerts the programme has now (for a count on the work list). */
export async function alertCount(deps: Deps): Promise<number> {
  return (await stock(deps)).alerts.length;
}

export async function receiveLot(deps: Deps, input: z.infer<typeof LotCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const day = await today(tx, programId, ctx.now);
  const receivedOn = input.receivedOn ?? day;
  if (receivedOn > day) throw invalid('body.receivedOn', 'must not be in the future');
  const id = randomUUID();
  await tx
    .insert(naloxoneLots)
    .values({ programId, id, product: input.product, lotNumber: input.lotNumber, expiresOn: input.expiresOn, quantity: input.quantity, receivedOn, receivedBy: staffId(ctx), createdAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'naloxone', entityId: id, detail: { lot: input.lotNumber, quantity: input.quantity, expiresOn: input.expiresOn } });
  const settings = await getSettings(tx, programId);
  const [lot] = stockReport(await lotMovements(tx, programId, { ids: [id] }), day, settings).lots;
  return { ...lot!, receivedOn };
}

export async function adjustLot(deps: Deps, input: z.infer<typeof AdjustmentCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const lot = await lockedLot(tx, programId, input.lotId, 'body.lotId');
  const problem = canAdjust(lot, input.delta);
  if (problem) throw invalid('body.delta', problem, 'invalid_adjustment');
  const id = randomUUID();
  const note = input.note ? input.note : null;
  await tx.insert(naloxoneAdjustments).values({ programId, id, lotId: lot.id, delta: input.delta, reason: input.reason, note, adjustedBy: staffId(ctx), createdAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'naloxone', entityId: id, detail: { lotId: lot.id, delta: input.delta, reason: input.reason } });
  return { id, lotId: lot.id, delta: input.delta, reason: input.reason, note, createdAt: ctx.now.toISOString() };
}

function recipientColumns(r: RecipientT) {
  return r.kind === 'patient'
    ? { recipientKind: 'patient', patientId: r.patientId, firstName: null, note: null, forPatientId: null, familyMemberId: null }
    : {
        recipientKind: r.kind,
        patientId: null,
        firstName: r.firstName || null,
        note: r.note || null,
        forPatientId: r.kind === 'family' ? (r.forPatientId ?? null) : null,
        familyMemberId: r.kind === 'family' ? (r.familyMemberId ?? null) : null,
      };
}

async function checkRecipient(tx: Tx, ctx: Ctx, r: RecipientT) {
  // a family member named as the recipient is one of this programme's (they see the kit in their app)
  if (r.kind === 'family' && r.familyMemberId) {
    const [m] = await tx
      .select({ id: familyMembers.id })
      .from(familyMembers)
      .where(and(eq(familyMembers.programId, programOf(ctx)), eq(familyMembers.id, r.familyMemberId)));
    if (!m) throw invalid('body.recipient.familyMemberId', 'must be a family member of this programme');
  }
  const id = r.kind === 'patient' ? r.patientId : r.kind === 'family' ? r.forPatientId : undefined;
  if (!id) return;
  try {
    await assertPatient(tx, ctx, id);
  } catch {
    throw missing('Patient', r.kind === 'patient' ? 'body.recipient.patientId' : 'body.recipient.forPatientId');
  }
}

const orderSteps = (steps: readonly TrainingStep[]) => TRAINING_STEPS.filter((s) => steps.includes(s));

type KitRow = typeof naloxoneKits.$inferSelect;
type LotRow = typeof naloxoneLots.$inferSelect;
const kitDto = (k: KitRow, lot: Pick<LotRow, 'lotNumber' | 'product' | 'expiresOn'>, by: string | null) => ({
  id: k.id,
  lotId: k.lotId,
  lotNumber: lot.lotNumber,
  product: lot.product as Product,
  expiresOn: lot.expiresOn,
  recipientKind: k.recipientKind as 'patient' | 'family' | 'community',
  patientId: k.patientId,
  familyMemberId: k.familyMemberId,
  firstName: k.firstName,
  note: k.note,
  givenOn: k.givenOn,
  givenByName: by,
  trained: k.trained,
  createdAt: k.createdAt.toISOString(),
});

export async function giveKit(deps: Deps, input: z.infer<typeof KitCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (input.idempotencyKey) {
    const [again] = await tx
      .select({ k: naloxoneKits, lot: naloxoneLots, by: users.displayName })
      .from(naloxoneKits)
      .innerJoin(naloxoneLots, and(eq(naloxoneLots.programId, naloxoneKits.programId), eq(naloxoneLots.id, naloxoneKits.lotId)))
      .leftJoin(users, eq(users.id, naloxoneKits.givenBy))
      .where(and(eq(naloxoneKits.programId, programId), eq(naloxoneKits.idempotencyKey, input.idempotencyKey)));
    if (again) return kitDto(again.k, again.lot, again.by);
  }
  await checkRecipient(tx, ctx, input.recipient);
  const day = await today(tx, programId, ctx.now);
  const givenOn = input.givenOn ?? day;
  if (givenOn > day) throw invalid('body.givenOn', 'must not be in the future');
  const lot = await lockedLot(tx, programId, input.lotId, 'body.lotId');
  // a kit must be in date on the day it is given (a kit recorded late is judged on its day)
  const refusal = canGive(lot, givenOn);
  if (refusal) throw new AppError({ code: refusal.code, status: 409, message: refusal.message, problems: [{ field: 'body.lotId', message: refusal.message }] });
  const steps = orderSteps(input.trainingSteps ?? []);
  const id = randomUUID();
  const who = recipientColumns(input.recipient);
  const [row] = await tx
    .insert(naloxoneKits)
    .values({ programId, id, lotId: lot.id, ...who, givenOn, givenBy: staffId(ctx), trained: steps.length > 0, idempotencyKey: input.idempotencyKey ?? null, createdAt: ctx.now })
    .returning();
  if (steps.length > 0)
    await tx.insert(naloxoneTrainings).values({
      programId,
      id: randomUUID(),
      recipientKind: who.recipientKind,
      patientId: who.patientId,
      familyMemberId: who.familyMemberId,
      firstName: who.firstName,
      kitId: id,
      steps,
      trainedOn: givenOn,
      trainedBy: staffId(ctx),
      createdAt: ctx.now,
    });
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'naloxone-kit',
    entityId: id,
    ...(who.patientId ? { patientId: who.patientId } : {}),
    detail: { lotId: lot.id, recipient: who.recipientKind, steps: steps.length },
  });
  return kitDto(row!, { lotNumber: lot.lotNumber, product: lot.product, expiresOn: lot.expiresOn }, ctx.principal?.displayName ?? null);
}

export async function recordTraining(deps: Deps, input: z.infer<typeof TrainingCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await checkRecipient(tx, ctx, input.recipient);
  const day = await today(tx, programId, ctx.now);
  const trainedOn = input.trainedOn ?? day;
  if (trainedOn > day) throw invalid('body.trainedOn', 'must not be in the future');
  const who = recipientColumns(input.recipient);
  const steps = orderSteps(input.steps);
  const id = randomUUID();
  await tx.insert(naloxoneTrainings).values({
    programId,
    id,
    recipientKind: who.recipientKind,
    patientId: who.patientId,
    familyMemberId: who.familyMemberId,
    firstName: who.firstName,
    kitId: null,
    steps,
    trainedOn,
    trainedBy: staffId(ctx),
    createdAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'naloxone-training',
    entityId: id,
    ...(who.patientId ? { patientId: who.patientId } : {}),
    detail: { recipient: who.recipientKind, steps: steps.length },
  });
  return {
    id,
    recipientKind: who.recipientKind as 'patient' | 'family' | 'community',
    patientId: who.patientId,
    familyMemberId: who.familyMemberId,
    firstName: who.firstName,
    kitId: null,
    steps,
    trainedOn,
    trainedByName: ctx.principal?.displayName ?? null,
  };
}

const kitSelect = { k: naloxoneKits, lot: naloxoneLots, by: users.displayName };
const kitLotJoin = and(eq(naloxoneLots.programId, naloxoneKits.programId), eq(naloxoneLots.id, naloxoneKits.lotId));

/** The kits given, newest first (by kind of recipient). */
export async function listKits(deps: Deps, q: z.infer<typeof KitQuery>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(q.cursor, ['time', 'uuid']);
  const rows = await tx
    .select(kitSelect)
    .from(naloxoneKits)
    .innerJoin(naloxoneLots, kitLotJoin)
    .leftJoin(users, eq(users.id, naloxoneKits.givenBy))
    .where(
      and(
        eq(naloxoneKits.programId, programId),
        q.kind ? eq(naloxoneKits.recipientKind, q.kind) : undefined,
        after ? or(lt(naloxoneKits.createdAt, new Date(after[0]!)), and(eq(naloxoneKits.createdAt, new Date(after[0]!)), lt(naloxoneKits.id, after[1]!))) : undefined,
      ),
    )
    .orderBy(desc(naloxoneKits.createdAt), desc(naloxoneKits.id))
    .limit(q.limit + 1);
  const page = pageOf(
    rows,
    q.limit,
    (r) => [r.k.createdAt.toISOString(), r.k.id],
    (r) => kitDto(r.k, r.lot, r.by),
  );
  const patientIds = [...new Set(page.items.flatMap((k) => (k.patientId ? [k.patientId] : [])))];
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'naloxone-kit', detail: { count: page.items.length, patients: patientIds.length } });
  return page;
}

/** A patient's kits and training (the patient card). */
export async function patientNaloxone(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [kits, trainings, day] = await Promise.all([
    tx
      .select(kitSelect)
      .from(naloxoneKits)
      .innerJoin(naloxoneLots, kitLotJoin)
      .leftJoin(users, eq(users.id, naloxoneKits.givenBy))
      .where(and(eq(naloxoneKits.programId, programId), eq(naloxoneKits.patientId, patientId)))
      .orderBy(desc(naloxoneKits.givenOn), desc(naloxoneKits.createdAt))
      .limit(100),
    tx
      .select({ t: naloxoneTrainings, by: users.displayName })
      .from(naloxoneTrainings)
      .leftJoin(users, eq(users.id, naloxoneTrainings.trainedBy))
      .where(and(eq(naloxoneTrainings.programId, programId), eq(naloxoneTrainings.patientId, patientId)))
      .orderBy(desc(naloxoneTrainings.trainedOn), desc(naloxoneTrainings.createdAt))
      .limit(100),
    today(tx, programId, ctx.now),
  ]);
  const covered = new Set(trainings.flatMap((t) => t.t.steps));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'naloxone', patientId, detail: { kits: kits.length, trainings: trainings.length } });
  return {
    kits: kits.map((r) => kitDto(r.k, r.lot, r.by)),
    trainings: trainings.map((r) => ({
      id: r.t.id,
      recipientKind: r.t.recipientKind as 'patient' | 'family' | 'community',
      patientId: r.t.patientId,
      familyMemberId: r.t.familyMemberId,
      firstName: r.t.firstName,
      kitId: r.t.kitId,
      steps: orderSteps(r.t.steps as TrainingStep[]),
      trainedOn: r.t.trainedOn,
      trainedByName: r.by,
    })),
    stepsCovered: TRAINING_STEPS.filter((s) => covered.has(s)),
    needsKit: !kits.some((r) => r.lot.expiresOn >= day),
  };
}

/** The patient app says "Ask the clinic for a new one" when a kit has expired or expires within this many days. */
export const PATIENT_RENEW_DAYS = 30;

/**
 * The kits a person holds, as their own app shows them (the patient's Help now, a family
 * member's Learn): the one that expires last first, with whether to ask for a new one (expired,
 * or within PATIENT_RENEW_DAYS of the programme's today). One rule for both apps.
 */
async function heldKits(tx: Tx, programId: string, holder: SQL, day: string) {
  const kits = await tx
    .select({ product: naloxoneLots.product, givenOn: naloxoneKits.givenOn, expiresOn: naloxoneLots.expiresOn, trained: naloxoneKits.trained })
    .from(naloxoneKits)
    .innerJoin(naloxoneLots, kitLotJoin)
    .where(and(eq(naloxoneKits.programId, programId), holder))
    .orderBy(desc(naloxoneLots.expiresOn), desc(naloxoneKits.givenOn), desc(naloxoneKits.createdAt))
    .limit(20);
  return kits.map((k) => {
    const daysLeft = daysBetween(day, k.expiresOn);
    return { product: k.product as Product, givenOn: k.givenOn, expiresOn: k.expiresOn, trained: k.trained, expired: daysLeft < 0, askForNew: daysLeft <= PATIENT_RENEW_DAYS };
  });
}

/**
 * The signed-in patient's own kits for the patient app (Help now): product, the day given, the
 * lot's expiry, training — the one that expires last first — and whether to ask for a new one
 * (expired, or within PATIENT_RENEW_DAYS of the programme's today). Only kits given to the
 * patient themselves (not to their family); no lot numbers, no staff names. Audited as a read
 * by the patient.
 */
export async function myNaloxone(deps: Deps, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const day = await today(tx, programId, ctx.now);
  const [kits, [trainedRow]] = await Promise.all([
    heldKits(tx, programId, and(eq(naloxoneKits.recipientKind, 'patient'), eq(naloxoneKits.patientId, patientId))!, day),
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(naloxoneTrainings)
      .where(and(eq(naloxoneTrainings.programId, programId), eq(naloxoneTrainings.patientId, patientId))),
  ]);
  await writeAudit(tx, auditContext(ctx, { programId }), { action: 'read', entity: 'naloxone', patientId, detail: { view: 'patient-app', kits: kits.length } });
  return { today: day, kits, trained: (trainedRow?.n ?? 0) > 0 || kits.some((k) => k.trained) };
}

/**
 * The signed-in family member's own kits and trainings (given to them by family_member_id,
 * issue 16): the family member's own record, not a patient's, so no consent is asked and no
 * disclosure recorded. No lot numbers, no staff names, no patient.
 */
export async function familyMemberNaloxone(deps: Deps, me: FamilyPrincipal) {
  const { tx, ctx } = deps;
  const { programId, familyMemberId } = me;
  const day = await today(tx, programId, ctx.now);
  const [kits, trainings] = await Promise.all([
    heldKits(tx, programId, eq(naloxoneKits.familyMemberId, familyMemberId), day),
    tx
      .select({ trainedOn: naloxoneTrainings.trainedOn, steps: naloxoneTrainings.steps })
      .from(naloxoneTrainings)
      .where(and(eq(naloxoneTrainings.programId, programId), eq(naloxoneTrainings.familyMemberId, familyMemberId)))
      .orderBy(desc(naloxoneTrainings.trainedOn), desc(naloxoneTrainings.createdAt))
      .limit(20),
  ]);
  await writeAudit(tx, auditContext(ctx, { programId }), { action: 'read', entity: 'naloxone', entityId: familyMemberId, detail: { view: 'family-app', kits: kits.length } });
  return {
    today: day,
    kits,
    trainings: trainings.map((t) => ({ trainedOn: t.trainedOn, steps: orderSteps(t.steps as TrainingStep[]) })),
    trained: trainings.length > 0 || kits.some((k) => k.trained),
  };
}
