// What a programme keeps about a patient's treatment: medication for OUD as a history,
// episodes of care with their level of care, and the care team.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { assertPatient } from './patients.ts';
import { careTeam, episodes, medications } from './patients.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
const today = (ctx: Ctx) => ctx.now.toISOString().slice(0, 10);

// --- medication for OUD -------------------------------------------------------------
type MedRow = typeof medications.$inferSelect;
const medDto = (r: MedRow) => ({
  id: r.id,
  patientId: r.patientId,
  medication: r.medication as 'methadone' | 'buprenorphine' | 'naltrexone' | 'none',
  dose: r.dose,
  startedOn: r.startedOn,
  endedOn: r.endedOn,
  prescriberId: r.prescriberId,
  prescriberName: r.prescriberName,
});

export async function listMedications(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(medications)
    .where(and(eq(medications.programId, programOf(ctx)), eq(medications.patientId, patientId)))
    .orderBy(desc(medications.startedOn), desc(medications.createdAt));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'medication', patientId, detail: { count: rows.length } });
  return rows.map(medDto);
}

export async function recordMedication(
  deps: Deps,
  patientId: string,
  input: {
    medication: string;
    dose?: string | null | undefined;
    startedOn: string;
    endedOn?: string | null | undefined;
    prescriberId?: string | null | undefined;
    prescriberName?: string | null | undefined;
  },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  if (input.endedOn && input.endedOn < input.startedOn) throw invalid('body.endedOn', 'The end date is before the start date.');
  let prescriberName = input.prescriberName ?? null;
  if (input.prescriberId) {
    const [p] = await tx
      .select({ name: users.displayName })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, input.prescriberId), eq(roleAssignments.role, 'prescriber')));
    if (!p) throw invalid('body.prescriberId', 'This person is not a prescriber in this programme.');
    prescriberName ??= p.name;
  }
  const [row] = await tx
    .insert(medications)
    .values({
      programId,
      id: randomUUID(),
      patientId,
      medication: input.medication,
      dose: input.dose || null,
      startedOn: input.startedOn,
      endedOn: input.endedOn ?? null,
      prescriberId: input.prescriberId ?? null,
      prescriberName,
      createdAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'medication', entityId: row!.id, patientId });
  return medDto(row!);
}

export async function endMedication(deps: Deps, patientId: string, id: string, input: { endedOn: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .select()
    .from(medications)
    .where(and(eq(medications.programId, programId), eq(medications.patientId, patientId), eq(medications.id, id)));
  if (!row) throw notFound('Medication');
  if (row.endedOn) throw conflict('already_ended', 'This medication already has an end date.', 'body.endedOn');
  if (input.endedOn < row.startedOn) throw invalid('body.endedOn', 'The end date is before the start date.');
  const [updated] = await tx
    .update(medications)
    .set({ endedOn: input.endedOn })
    .where(and(eq(medications.programId, programId), eq(medications.id, id)))
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'medication', entityId: id, patientId, detail: { fields: ['endedOn'] } });
  return medDto(updated!);
}

// --- episodes of care ---------------------------------------------------------------
type EpisodeRow = typeof episodes.$inferSelect;
const episodeDto = (r: EpisodeRow) => ({
  id: r.id,
  patientId: r.patientId,
  levelOfCare: r.levelOfCare as 'otp' | 'office-based' | 'intensive-outpatient' | 'residential' | 'therapeutic-community',
  admittedOn: r.admittedOn,
  dischargedOn: r.dischargedOn,
  dischargeReason: r.dischargeReason,
});

export async function listEpisodes(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(episodes)
    .where(and(eq(episodes.programId, programOf(ctx)), eq(episodes.patientId, patientId)))
    .orderBy(desc(episodes.admittedOn));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'episode', patientId, detail: { count: rows.length } });
  return rows.map(episodeDto);
}

/** Admission: a patient has at most one open episode in a programme. */
export async function admit(deps: Deps, patientId: string, input: { levelOfCare: string; admittedOn: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [open] = await tx
    .select({ id: episodes.id })
    .from(episodes)
    .where(and(eq(episodes.programId, programId), eq(episodes.patientId, patientId), isNull(episodes.dischargedOn)));
  if (open)
    throw conflict(
      'episode_open',
      'This patient already has an open episode of care. Discharge it first, or record the change of level of care as a discharge and a new admission.',
      'body.admittedOn',
    );
  const [row] = await tx
    .insert(episodes)
    .values({
      programId,
      id: randomUUID(),
      patientId,
      levelOfCare: input.levelOfCare,
      admittedOn: input.admittedOn,
      createdAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'episode', entityId: row!.id, patientId });
  return episodeDto(row!);
}

export async function discharge(deps: Deps, patientId: string, id: string, input: { dischargedOn: string; dischargeReason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .select()
    .from(episodes)
    .where(and(eq(episodes.programId, programId), eq(episodes.patientId, patientId), eq(episodes.id, id)));
  if (!row) throw notFound('Episode');
  if (row.dischargedOn) throw conflict('already_discharged', 'This episode is already closed.', 'body.dischargedOn');
  if (input.dischargedOn < row.admittedOn) throw invalid('body.dischargedOn', 'The discharge date is before the admission date.');
  const [updated] = await tx
    .update(episodes)
    .set({ dischargedOn: input.dischargedOn, dischargeReason: input.dischargeReason })
    .where(and(eq(episodes.programId, programId), eq(episodes.id, id)))
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'episode', entityId: id, patientId, detail: { fields: ['dischargedOn', 'dischargeReason'] } });
  return episodeDto(updated!);
}

// --- care team ----------------------------------------------------------------------
export async function listCareTeam(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select({ userId: careTeam.userId, displayName: users.displayName, role: careTeam.role, since: careTeam.since })
    .from(careTeam)
    .innerJoin(users, eq(users.id, careTeam.userId))
    .where(and(eq(careTeam.programId, programOf(ctx)), eq(careTeam.patientId, patientId)))
    .orderBy(asc(careTeam.role), asc(users.displayName));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-team', patientId, detail: { count: rows.length } });
  return rows.map((r) => ({ ...r, role: r.role as 'primary-counsellor' }));
}

export async function addToCareTeam(deps: Deps, patientId: string, input: { userId: string; role: string; since?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [member] = await tx
    .select({ id: roleAssignments.userId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, input.userId)))
    .limit(1);
  if (!member) throw invalid('body.userId', 'This person does not work in this programme.');
  const inserted = await tx
    .insert(careTeam)
    .values({
      programId,
      patientId,
      userId: input.userId,
      role: input.role,
      since: input.since ?? today(ctx),
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted.length === 0) throw conflict('already_on_team', 'This person already has this role on the care team.', 'body.userId');
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'care-team', entityId: input.userId, patientId, detail: { role: input.role } });
  return listCareTeam(deps, patientId);
}

export async function removeFromCareTeam(deps: Deps, patientId: string, userId: string, role: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const removed = await tx
    .delete(careTeam)
    .where(and(eq(careTeam.programId, programId), eq(careTeam.patientId, patientId), eq(careTeam.userId, userId), eq(careTeam.role, role)))
    .returning();
  if (removed.length === 0) throw notFound('Care team member');
  await writeAudit(tx, auditContext(ctx), { action: 'delete', entity: 'care-team', entityId: userId, patientId, detail: { role } });
  return listCareTeam(deps, patientId);
}
