// The schedule (issue 14, ADR 042): booking a visit, rescheduling and cancelling it with a
// reason (each kept in encounter_changes), adding someone to it, the front desk's arrival,
// the day's schedule (no clinical detail) and one visit with its attendance and history.
// Times are stored UTC; "the day" is the programme's local day.
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import { isCancelled, manyPatients, type Attendance, type Category, type EncounterStatus, type Modality } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit, writeAudits } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { pageOf, decodeCursor, type Page } from '../cm/page.ts';
import { activeType, typesOf, type TypeDto } from './encounter-types.ts';
import { activeRoom } from './rooms.ts';
import { encounterChanges, encounterParticipants, encounters, rooms } from './encounters.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type EncounterRow = typeof encounters.$inferSelect;
type ParticipantRow = typeof encounterParticipants.$inferSelect;

/** A patient's name as the schedule shows it. */
export const patientName = (r: { preferred: string | null; given: string; family: string }) => `${r.preferred ?? r.given} ${r.family}`;

/** The staff member, active and holding a role in the programme, or a 400 naming `field`. */
export async function assertStaff(tx: Tx, programId: string, userId: string, field: string): Promise<void> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roleAssignments, and(eq(roleAssignments.userId, users.id), eq(roleAssignments.programId, programId)))
    .where(and(eq(users.id, userId), eq(users.active, true)))
    .limit(1);
  if (!row) throw invalid(field, 'is not an active staff member of the programme');
}

/** Every named patient exists in the programme (404, as for any patient not in it, naming the first that does not). */
export async function assertPatients(tx: Tx, programId: string, ids: readonly string[], field: string, indexed = true): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, programId), inArray(patients.id, [...ids])));
  const known = new Set(found.map((r) => r.id));
  const i = ids.findIndex((id) => !known.has(id));
  if (i >= 0)
    throw new AppError({ code: 'not_found', status: 404, message: 'Patient not found.', problems: [{ field: indexed ? `${field}[${i}]` : field, message: 'is not a patient of the programme' }] });
}

function checkPeople(type: TypeDto, patientIds: readonly string[], capacity: number | null) {
  if (new Set(patientIds).size !== patientIds.length) throw invalid('body.patientIds', 'names a patient twice');
  if (!manyPatients(type.category) && patientIds.length !== 1) throw invalid('body.patientIds', 'must name exactly one patient for this visit type');
  if (capacity !== null && patientIds.length > capacity) throw invalid('body.patientIds', `has more people than the visit's capacity (${capacity})`);
}

export async function lockEncounter(tx: Tx, programId: string, id: string): Promise<EncounterRow> {
  const [row] = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.programId, programId), eq(encounters.id, id)))
    .for('update');
  if (!row) throw notFound('Visit');
  return row;
}

function checkVersion(row: EncounterRow, version: number) {
  if (row.version !== version) throw conflict('stale_version', `This visit was changed since it was opened (it is now at version ${row.version}). Reload it, then try again.`, 'body.version');
}

function openForChange(row: EncounterRow) {
  if (row.status === 'cancelled') throw conflict('encounter_cancelled', 'This visit was cancelled.');
  if (row.status === 'completed') throw conflict('encounter_completed', 'Attendance for this visit is recorded; it can no longer be moved or cancelled.');
}

export async function bookEncounter(
  deps: Deps,
  input: {
    typeCode: string;
    modality: Modality;
    startsAt: string;
    durationMinutes: number;
    staffId: string;
    roomId: string | null;
    patientIds: string[];
    title: string | null;
    capacity: number | null;
  },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const type = await activeType(tx, programId, input.typeCode, 'body.typeCode');
  checkPeople(type, input.patientIds, input.capacity);
  await assertStaff(tx, programId, input.staffId, 'body.staffId');
  if (input.roomId) await activeRoom(tx, programId, input.roomId, 'body.roomId');
  await assertPatients(tx, programId, input.patientIds, 'body.patientIds');
  const startsAt = new Date(input.startsAt);
  const id = randomUUID();
  await tx.insert(encounters).values({
    programId,
    id,
    typeCode: type.code,
    modality: input.modality,
    startsAt,
    endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000),
    staffId: input.staffId,
    roomId: input.roomId,
    title: input.title,
    capacity: input.capacity,
    createdBy: ctx.principal?.userId ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await tx.insert(encounterParticipants).values(input.patientIds.map((patientId) => ({ programId, encounterId: id, patientId, addedAt: ctx.now })));
  await writeAudits(
    tx,
    auditContext(ctx),
    input.patientIds.map((patientId) => ({ action: 'create', entity: 'encounter', entityId: id, patientId, detail: { typeCode: type.code } })),
  );
  return getEncounterDto(tx, programId, id);
}

export async function rescheduleEncounter(
  deps: Deps,
  id: string,
  input: { startsAt: string; durationMinutes?: number | undefined; staffId?: string | undefined; roomId?: string | null | undefined; reason: string; version: number },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const row = await lockEncounter(tx, programId, id);
  checkVersion(row, input.version);
  openForChange(row);
  if (input.staffId) await assertStaff(tx, programId, input.staffId, 'body.staffId');
  if (input.roomId) await activeRoom(tx, programId, input.roomId, 'body.roomId');
  const startsAt = new Date(input.startsAt);
  const minutes = input.durationMinutes ?? (row.endsAt.getTime() - row.startsAt.getTime()) / 60_000;
  await tx
    .update(encounters)
    .set({
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      staffId: input.staffId ?? row.staffId,
      roomId: input.roomId === undefined ? row.roomId : input.roomId,
      version: row.version + 1,
      updatedAt: ctx.now,
    })
    .where(and(eq(encounters.programId, programId), eq(encounters.id, id)));
  await tx.insert(encounterChanges).values({
    programId,
    id: randomUUID(),
    encounterId: id,
    kind: 'rescheduled',
    fromStartsAt: row.startsAt,
    toStartsAt: startsAt,
    reason: input.reason,
    changedBy: ctx.principal?.userId ?? null,
    changedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'encounter', entityId: id, detail: { rescheduled: true } });
  return getEncounterDto(tx, programId, id);
}

export async function cancelEncounter(deps: Deps, id: string, input: { by: 'patient' | 'clinic'; reason: string; version: number }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const row = await lockEncounter(tx, programId, id);
  checkVersion(row, input.version);
  openForChange(row);
  await tx
    .update(encounters)
    .set({ status: 'cancelled', cancelledBy: input.by, cancelReason: input.reason, version: row.version + 1, updatedAt: ctx.now })
    .where(and(eq(encounters.programId, programId), eq(encounters.id, id)));
  // everyone not yet given an attendance is recorded as cancelled by whoever cancelled the visit
  await tx
    .update(encounterParticipants)
    .set({
      attendance: input.by === 'patient' ? 'cancelled-patient' : 'cancelled-clinic',
      attendanceReason: input.reason,
      attendanceRecordedBy: ctx.principal?.userId ?? null,
      attendanceRecordedAt: ctx.now,
    })
    .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, id), sql`${encounterParticipants.attendance} is null`));
  await tx
    .insert(encounterChanges)
    .values({ programId, id: randomUUID(), encounterId: id, kind: 'cancelled', fromStartsAt: row.startsAt, reason: input.reason, changedBy: ctx.principal?.userId ?? null, changedAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'cancel', entity: 'encounter', entityId: id, detail: { by: input.by } });
  return getEncounterDto(tx, programId, id);
}

export async function addParticipant(deps: Deps, id: string, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const row = await lockEncounter(tx, programId, id);
  openForChange(row);
  const type = await activeType(tx, programId, row.typeCode, 'params.id').catch(() => null);
  if (type && !manyPatients(type.category)) throw conflict('one_patient_visit', 'This kind of visit is for one patient.', 'body.patientId');
  await assertPatients(tx, programId, [patientId], 'body.patientId', false);
  const booked = await participantsOf(tx, programId, [id]);
  if (booked.some((p) => p.patientId === patientId)) throw conflict('already_booked', 'This person is already booked on the visit.', 'body.patientId');
  const capacity = row.capacity;
  if (capacity !== null && booked.filter((p) => !isCancelled(p.attendance)).length >= capacity) throw conflict('visit_full', `The visit is full (capacity ${capacity}).`, 'body.patientId');
  await tx.insert(encounterParticipants).values({ programId, encounterId: id, patientId, addedAt: ctx.now });
  await tx
    .update(encounters)
    .set({ version: row.version + 1, updatedAt: ctx.now })
    .where(and(eq(encounters.programId, programId), eq(encounters.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'encounter', entityId: id, patientId, detail: { booked: true } });
  return getEncounterDto(tx, programId, id);
}

/** The front desk: the person has arrived. Once; a repeat answers the first arrival. */
export async function recordArrival(deps: Deps, id: string, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const row = await lockEncounter(tx, programId, id);
  if (row.status === 'cancelled') throw conflict('encounter_cancelled', 'This visit was cancelled.');
  const [p] = await tx
    .select()
    .from(encounterParticipants)
    .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, id), eq(encounterParticipants.patientId, patientId)));
  if (!p) throw invalid('body.patientId', 'is not booked on this visit');
  if (isCancelled(p.attendance)) throw conflict('booking_cancelled', 'This person’s place on the visit was cancelled.', 'body.patientId');
  if (!p.arrivedAt) {
    await tx
      .update(encounterParticipants)
      .set({ arrivedAt: ctx.now, arrivalRecordedBy: ctx.principal?.userId ?? null })
      .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, id), eq(encounterParticipants.patientId, patientId)));
    await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'schedule', entityId: id, patientId, detail: { arrived: true } });
  }
  const day = localDate(row.startsAt, await programTimeZone(tx, programId));
  const schedule = await scheduleOf(tx, programId, { day, encounterIds: [id] });
  return schedule[0]!;
}

// ---------- reads ----------

function participantsOf(tx: Tx, programId: string, encounterIds: readonly string[]) {
  if (encounterIds.length === 0) return Promise.resolve([]);
  return tx
    .select({ p: encounterParticipants, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName })
    .from(encounterParticipants)
    .innerJoin(patients, and(eq(patients.programId, encounterParticipants.programId), eq(patients.id, encounterParticipants.patientId)))
    .where(and(eq(encounterParticipants.programId, programId), inArray(encounterParticipants.encounterId, [...encounterIds])))
    .orderBy(asc(patients.legalFamilyName), asc(patients.legalGivenName))
    .then((rows) => rows.map((r) => ({ ...r.p, name: patientName(r) })));
}

type Named = ParticipantRow & { name: string };

function visitDto(r: { e: EncounterRow; staffName: string; roomName: string | null }, types: ReadonlyMap<string, TypeDto>) {
  const type = types.get(r.e.typeCode);
  return {
    id: r.e.id,
    typeCode: r.e.typeCode,
    typeLabel: type?.label ?? { en: r.e.typeCode, es: r.e.typeCode },
    category: (type?.category ?? 'individual') as Category,
    title: r.e.title,
    modality: r.e.modality as Modality,
    startsAt: r.e.startsAt.toISOString(),
    endsAt: r.e.endsAt.toISOString(),
    staff: { id: r.e.staffId, name: r.staffName },
    room: r.e.roomId && r.roomName ? { id: r.e.roomId, name: r.roomName } : null,
    seriesId: r.e.seriesId,
    capacity: r.e.capacity,
    status: r.e.status as EncounterStatus,
  };
}

const scheduledPerson = (p: Named) => ({ patientId: p.patientId, name: p.name, arrivedAt: p.arrivedAt?.toISOString() ?? null, cancelled: isCancelled(p.attendance) });

function encounterRows(tx: Tx, programId: string, where: ReturnType<typeof and>) {
  return tx
    .select({ e: encounters, staffName: users.displayName, roomName: rooms.name })
    .from(encounters)
    .innerJoin(users, eq(users.id, encounters.staffId))
    .leftJoin(rooms, and(eq(rooms.programId, encounters.programId), eq(rooms.id, encounters.roomId)))
    .where(and(eq(encounters.programId, programId), where))
    .orderBy(asc(encounters.startsAt), asc(encounters.id));
}

async function typeMap(tx: Tx, programId: string) {
  return new Map((await typesOf(tx, programId)).map((t) => [t.code, t]));
}

/** The visits of a local day (optionally one staff member's, or the named ones), as the schedule shows them. */
async function scheduleOf(tx: Tx, programId: string, q: { day: string; staffId?: string | undefined; encounterIds?: string[]; after?: string[] | null; limit?: number }) {
  const tz = await programTimeZone(tx, programId);
  const from = zonedInstant(q.day, '00:00', tz);
  const to = zonedInstant(addDays(q.day, 1), '00:00', tz);
  const rows = await encounterRows(
    tx,
    programId,
    and(
      gte(encounters.startsAt, from),
      lt(encounters.startsAt, to),
      q.staffId ? eq(encounters.staffId, q.staffId) : undefined,
      q.encounterIds ? inArray(encounters.id, q.encounterIds) : undefined,
      q.after ? sql`(${encounters.startsAt}, ${encounters.id}) > (${q.after[0]}::timestamptz, ${q.after[1]}::uuid)` : undefined,
    ),
  ).limit(q.limit ?? 1000);
  const types = await typeMap(tx, programId);
  const people = await participantsOf(
    tx,
    programId,
    rows.map((r) => r.e.id),
  );
  return rows.map((r) => ({ ...visitDto(r, types), participants: people.filter((p) => p.encounterId === r.e.id).map(scheduledPerson) }));
}

/** A day's visits in time order (paginated: a large clinic's day is long). */
export async function daySchedule(deps: Deps, q: { date?: string | undefined; staffId?: string | undefined } & Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const timeZone = await programTimeZone(tx, programId);
  const day = q.date ?? localDate(ctx.now, timeZone);
  const fetched = await scheduleOf(tx, programId, { day, staffId: q.staffId, after: decodeCursor(q.cursor, ['time', 'uuid']), limit: q.limit + 1 });
  const page = pageOf(fetched, q.limit, (v) => [v.startsAt, v.id]);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'schedule', entityId: null, detail: { date: day, visits: page.items.length } });
  return { date: day, timeZone, ...page };
}

/** One visit with everyone's attendance and its history of changes (no audit row: the caller writes it). */
export async function getEncounterDto(tx: Tx, programId: string, id: string) {
  const [row] = await encounterRows(tx, programId, eq(encounters.id, id));
  if (!row) throw notFound('Visit');
  const [types, people, changes] = await Promise.all([
    typeMap(tx, programId),
    participantsOf(tx, programId, [id]),
    tx
      .select({ c: encounterChanges, by: users.displayName })
      .from(encounterChanges)
      .leftJoin(users, eq(users.id, encounterChanges.changedBy))
      .where(and(eq(encounterChanges.programId, programId), eq(encounterChanges.encounterId, id)))
      .orderBy(asc(encounterChanges.changedAt)),
  ]);
  const recorders = await namesOf(
    tx,
    people.map((p) => p.attendanceRecordedBy),
  );
  return {
    ...visitDto(row, types),
    cancelledBy: row.e.cancelledBy as 'patient' | 'clinic' | null,
    cancelReason: row.e.cancelReason,
    version: row.e.version,
    participants: people.map((p) => ({
      ...scheduledPerson(p),
      attendance: p.attendance as Attendance | null,
      attendanceReason: p.attendanceReason,
      attendanceRecordedAt: p.attendanceRecordedAt?.toISOString() ?? null,
      attendanceRecordedBy: p.attendanceRecordedBy ? (recorders.get(p.attendanceRecordedBy) ?? null) : null,
      cmEventId: p.cmEventId,
    })),
    changes: changes.map(({ c, by }) => ({
      kind: c.kind as 'rescheduled' | 'cancelled',
      fromStartsAt: c.fromStartsAt?.toISOString() ?? null,
      toStartsAt: c.toStartsAt?.toISOString() ?? null,
      reason: c.reason,
      by,
      at: c.changedAt.toISOString(),
    })),
  };
}

async function namesOf(tx: Tx, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => !!x))];
  if (list.length === 0) return new Map();
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function getEncounter(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const dto = await getEncounterDto(tx, programId, id);
  await writeAudits(
    tx,
    auditContext(ctx),
    dto.participants.map((p) => ({ action: 'read', entity: 'encounter', entityId: id, patientId: p.patientId })),
  );
  return dto;
}

/** A patient's visits, newest first (paginated). */
export async function patientEncounters(deps: Deps, patientId: string, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatients(tx, programId, [patientId], 'params.patientId', false);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await tx
    .select({ e: encounters, attendance: encounterParticipants.attendance, staffName: users.displayName })
    .from(encounterParticipants)
    .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)))
    .innerJoin(users, eq(users.id, encounters.staffId))
    .where(
      and(
        eq(encounterParticipants.programId, programId),
        eq(encounterParticipants.patientId, patientId),
        after ? sql`(${encounters.startsAt}, ${encounters.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(encounters.startsAt), desc(encounters.id))
    .limit(page.limit + 1);
  const types = await typeMap(tx, programId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'encounter', entityId: null, patientId, detail: { list: true } });
  return pageOf(
    rows,
    page.limit,
    (r) => [r.e.startsAt.toISOString(), r.e.id],
    (r) => ({
      id: r.e.id,
      typeCode: r.e.typeCode,
      typeLabel: types.get(r.e.typeCode)?.label ?? { en: r.e.typeCode, es: r.e.typeCode },
      title: r.e.title,
      modality: r.e.modality as Modality,
      startsAt: r.e.startsAt.toISOString(),
      staff: { id: r.e.staffId, name: r.staffName },
      status: r.e.status as 'scheduled' | 'completed' | 'cancelled',
      attendance: r.attendance as Attendance | null,
    }),
  );
}
