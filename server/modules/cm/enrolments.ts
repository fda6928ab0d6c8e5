// Enrolment: a patient on one protocol version, with a testing calendar in the
// programme's time zone, a funding source (whose caps are fixed on the enrolment) and
// a status. One active enrolment per patient (partial unique index).
import { and, desc, eq, gt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { capPreset, type Caps } from '../../../core/cm/caps.ts';
import { courseWeeks } from '../../../core/cm/cost.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { cmEnrolments, cmFundingSources, cmProtocols, cmSettings } from './cm.tables.ts';
import { loadProtocol, lockPatientEnrolments, programTimeZone, settle, type CalendarDoc, type EnrolmentRow } from './settle.ts';
import { slotKindsOf } from '../../../core/cm/clinic.ts';
import { addDays } from '../../../core/cm/calendar.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function enrolmentDto(tx: Tx, r: EnrolmentRow) {
  const [p] = await tx
    .select({ name: cmProtocols.name, version: cmProtocols.version })
    .from(cmProtocols)
    .where(and(eq(cmProtocols.programId, r.programId), eq(cmProtocols.id, r.protocolId)));
  return {
    id: r.id,
    patientId: r.patientId,
    protocolId: r.protocolId,
    protocolName: p?.name ?? '',
    protocolVersion: p?.version ?? '',
    startDate: r.startDate,
    endDate: r.endDate,
    calendar: r.calendar,
    fundingSourceId: r.fundingSourceId,
    caps: r.caps ?? null,
    status: r.status,
    statusReason: r.statusReason,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function enrol(deps: Deps, input: { patientId: string; protocolId: string; startDate: string; calendar: CalendarDoc; fundingSourceId?: string | null | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, input.patientId);
  const protocol = await loadProtocol(tx, programId, input.protocolId);
  if (input.calendar.windowEnd <= input.calendar.windowStart) {
    throw new AppError({ code: 'invalid_input', status: 400, message: 'The window must end after it starts.', problems: [{ field: 'body.calendar.windowEnd', message: 'must be after windowStart' }] });
  }
  const needed = slotKindsOf(protocol).filter((k) => (input.calendar[k] ?? []).length === 0);
  if (needed.length > 0) {
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `This protocol needs testing days for: ${needed.join(', ')}.`,
      problems: needed.map((k) => ({ field: `body.calendar.${k}`, message: 'needs at least one day of the week for this protocol' })),
    });
  }
  let caps: Caps | null = protocol.caps ?? null;
  if (input.fundingSourceId) {
    const [fs] = await tx
      .select()
      .from(cmFundingSources)
      .where(and(eq(cmFundingSources.programId, programId), eq(cmFundingSources.id, input.fundingSourceId)));
    if (!fs)
      throw new AppError({
        code: 'invalid_input',
        status: 400,
        message: 'Unknown funding source.',
        problems: [{ field: 'body.fundingSourceId', message: 'is not a funding source of this programme' }],
      });
    caps = { ...(fs.caps as Caps), fundingSource: fs.id };
  }
  const existing = await lockPatientEnrolments(tx, programId, input.patientId);
  if (existing.some((e) => e.status === 'active')) {
    throw conflict('already_enrolled', 'This patient already has an active CM enrolment. Complete or withdraw it first.', 'body.patientId');
  }
  const endDate = addDays(input.startDate, courseWeeks(protocol) * 7 - 1);
  const [row] = await tx
    .insert(cmEnrolments)
    .values({
      programId,
      id: randomUUID(),
      patientId: input.patientId,
      protocolId: input.protocolId,
      startDate: input.startDate,
      endDate,
      calendar: input.calendar,
      fundingSourceId: input.fundingSourceId ?? null,
      caps,
      status: 'active',
      enrolledBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
    })
    .returning();
  await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz: await programTimeZone(tx, programId) }, row!);
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'cm-enrolment',
    entityId: row!.id,
    patientId: input.patientId,
    detail: { protocolId: input.protocolId, fundingSourceId: input.fundingSourceId ?? null },
  });
  return enrolmentDto(tx, row!);
}

export async function listEnrolments(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.patientId, patientId)))
    .orderBy(desc(cmEnrolments.createdAt));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-enrolment', patientId, detail: { count: rows.length } });
  return Promise.all(rows.map((r) => enrolmentDto(tx, r)));
}

export async function getEnrolment(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const [row] = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programOf(ctx)), eq(cmEnrolments.id, id)));
  if (!row) throw notFound('Enrolment');
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-enrolment', entityId: id, patientId: row.patientId });
  return enrolmentDto(tx, row);
}

export async function changeEnrolmentStatus(deps: Deps, id: string, input: { status: 'completed' | 'withdrawn'; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [found] = await tx
    .select({ patientId: cmEnrolments.patientId })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, id)));
  if (!found) throw notFound('Enrolment');
  const rows = await lockPatientEnrolments(tx, programId, found.patientId);
  const row = rows.find((r) => r.id === id)!;
  if (row.status !== 'active') throw conflict('not_active', `This enrolment is already ${row.status}.`, 'body.status');
  const [updated] = await tx
    .update(cmEnrolments)
    .set({ status: input.status, statusReason: input.reason, statusChangedAt: ctx.now })
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.id, id)))
    .returning();
  await settle({ tx, now: ctx.now, actorId: ctx.principal?.userId ?? null, tz: await programTimeZone(tx, programId) }, updated!);
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'cm-enrolment', entityId: id, patientId: row.patientId, detail: { status: input.status } });
  return enrolmentDto(tx, updated!);
}

// ---------- funding sources and settings ----------

export async function createFundingSource(deps: Deps, input: { id: string; name: string; capsPreset?: string | undefined; caps?: Caps | undefined; budgetCents?: number | null | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const preset = input.capsPreset ? capPreset(input.capsPreset) : undefined;
  const caps: Caps = { ...(preset ?? {}), ...(input.caps ?? {}) };
  delete caps.fundingSource;
  const [row] = await tx
    .insert(cmFundingSources)
    .values({
      programId,
      id: input.id,
      name: input.name,
      capsPreset: input.capsPreset ?? null,
      caps,
      budgetCents: input.budgetCents ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict('funding_source_exists', 'A funding source with this id already exists.', 'body.id');
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'cm-funding-source', entityId: input.id, detail: { capsPreset: input.capsPreset ?? null } });
  return { id: row.id, name: row.name, capsPreset: row.capsPreset, caps: row.caps as Record<string, unknown>, budgetCents: row.budgetCents };
}

/** By id (keyset). */
export async function listFundingSources(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const after = decodeCursor(page.cursor, ['text']);
  const rows = await tx
    .select()
    .from(cmFundingSources)
    .where(and(eq(cmFundingSources.programId, programOf(ctx)), after ? gt(cmFundingSources.id, after[0]!) : undefined))
    .orderBy(cmFundingSources.id)
    .limit(page.limit + 1);
  return pageOf(
    rows,
    page.limit,
    (row) => [row.id],
    (row) => ({ id: row.id, name: row.name, capsPreset: row.capsPreset, caps: row.caps as Record<string, unknown>, budgetCents: row.budgetCents }),
  );
}

export async function getSettings(tx: Tx, programId: string, now: Date) {
  await tx.insert(cmSettings).values({ programId, updatedAt: now }).onConflictDoNothing();
  const [s] = await tx.select().from(cmSettings).where(eq(cmSettings.programId, programId));
  return s!;
}

export async function readSettings(deps: Deps) {
  const s = await getSettings(deps.tx, programOf(deps.ctx), deps.ctx.now);
  return { approvalThresholdCents: s.approvalThresholdCents, budgetCents: s.budgetCents, seedRotationDays: s.seedRotationDays };
}

export async function updateSettings(deps: Deps, input: { approvalThresholdCents?: number | undefined; budgetCents?: number | null | undefined; seedRotationDays?: number | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await getSettings(tx, programId, ctx.now);
  const set: Partial<typeof cmSettings.$inferInsert> = { updatedAt: ctx.now };
  if (input.approvalThresholdCents !== undefined) set.approvalThresholdCents = input.approvalThresholdCents;
  if (input.budgetCents !== undefined) set.budgetCents = input.budgetCents;
  if (input.seedRotationDays !== undefined) set.seedRotationDays = input.seedRotationDays;
  await tx.update(cmSettings).set(set).where(eq(cmSettings.programId, programId));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'cm-settings', detail: { fields: Object.keys(input) } });
  return readSettings(deps);
}
