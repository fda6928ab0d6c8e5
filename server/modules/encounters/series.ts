// Recurring groups (issue 14, ADR 042): a weekly group for a number of weeks, its visits
// made at once (core/encounters/series.ts; at most MAX_SERIES_WEEKS), and a roster with a
// capacity. Joining the roster books the person on every visit still to come; leaving it
// takes them off the visits still to come that nobody recorded anything on.
import { and, asc, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { seriesOccurrences } from '../../../core/encounters/series.ts';
import { manyPatients, type Modality } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit, writeAudits } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { decodeCursor, pageOf, type Page } from '../cm/page.ts';
import { programTimeZone } from '../cm/settle.ts';
import { activeType, typesOf } from './encounter-types.ts';
import { activeRoom } from './rooms.ts';
import { assertPatients, assertStaff, patientName } from './schedule.ts';
import { encounterParticipants, encounters, groupSeries, groupSeriesMembers, rooms } from './encounters.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function createSeries(
  deps: Deps,
  input: {
    typeCode: string;
    title: string;
    modality: Modality;
    staffId: string;
    roomId: string | null;
    firstDate: string;
    weeks: number;
    startTime: string;
    durationMinutes: number;
    capacity: number;
    patientIds: string[];
  },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const type = await activeType(tx, programId, input.typeCode, 'body.typeCode');
  if (!manyPatients(type.category)) throw invalid('body.typeCode', 'must be a group or family visit type');
  if (new Set(input.patientIds).size !== input.patientIds.length) throw invalid('body.patientIds', 'names a patient twice');
  if (input.patientIds.length > input.capacity) throw invalid('body.patientIds', `has more people than the capacity (${input.capacity})`);
  await assertStaff(tx, programId, input.staffId, 'body.staffId');
  if (input.roomId) await activeRoom(tx, programId, input.roomId, 'body.roomId');
  await assertPatients(tx, programId, input.patientIds, 'body.patientIds');
  const id = randomUUID();
  await tx.insert(groupSeries).values({
    programId,
    id,
    typeCode: type.code,
    title: input.title,
    modality: input.modality,
    leadStaffId: input.staffId,
    roomId: input.roomId,
    firstDate: input.firstDate,
    weeks: input.weeks,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    capacity: input.capacity,
    createdBy: ctx.principal?.userId ?? null,
    createdAt: ctx.now,
  });
  const visits = seriesOccurrences(input, await programTimeZone(tx, programId)).map((o) => ({
    programId,
    id: randomUUID(),
    typeCode: type.code,
    modality: input.modality,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    staffId: input.staffId,
    roomId: input.roomId,
    seriesId: id,
    title: input.title,
    capacity: input.capacity,
    createdBy: ctx.principal?.userId ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }));
  await tx.insert(encounters).values(visits);
  if (input.patientIds.length > 0) {
    await tx.insert(groupSeriesMembers).values(input.patientIds.map((patientId) => ({ programId, seriesId: id, patientId, joinedAt: ctx.now })));
    await tx.insert(encounterParticipants).values(visits.flatMap((v) => input.patientIds.map((patientId) => ({ programId, encounterId: v.id, patientId, addedAt: ctx.now }))));
  }
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'group-series', entityId: id, detail: { visits: visits.length, members: input.patientIds.length } });
  await writeAudits(
    tx,
    auditContext(ctx),
    input.patientIds.map((patientId) => ({ action: 'update', entity: 'group-series', entityId: id, patientId, detail: { joined: true } })),
  );
  return seriesDto(tx, programId, id);
}

async function lockSeries(tx: Tx, programId: string, id: string) {
  const [row] = await tx
    .select()
    .from(groupSeries)
    .where(and(eq(groupSeries.programId, programId), eq(groupSeries.id, id)))
    .for('update');
  if (!row) throw notFound('Group');
  return row;
}

/** Visits of the series still to come and still scheduled. */
const comingVisits = (programId: string, seriesId: string, now: Date) =>
  and(eq(encounters.programId, programId), eq(encounters.seriesId, seriesId), eq(encounters.status, 'scheduled'), gt(encounters.startsAt, now));

export async function addToRoster(deps: Deps, id: string, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const series = await lockSeries(tx, programId, id);
  await assertPatients(tx, programId, [patientId], 'body.patientId', false);
  const members = await tx
    .select()
    .from(groupSeriesMembers)
    .where(and(eq(groupSeriesMembers.programId, programId), eq(groupSeriesMembers.seriesId, id)));
  const current = members.filter((m) => m.leftAt === null);
  if (current.some((m) => m.patientId === patientId)) throw conflict('already_member', 'This person is already on the group’s roster.', 'body.patientId');
  if (current.length >= series.capacity) throw conflict('group_full', `The group is full (capacity ${series.capacity}).`, 'body.patientId');
  if (members.some((m) => m.patientId === patientId))
    await tx
      .update(groupSeriesMembers)
      .set({ joinedAt: ctx.now, leftAt: null, leftReason: null, leftBy: null })
      .where(and(eq(groupSeriesMembers.programId, programId), eq(groupSeriesMembers.seriesId, id), eq(groupSeriesMembers.patientId, patientId)));
  else await tx.insert(groupSeriesMembers).values({ programId, seriesId: id, patientId, joinedAt: ctx.now });
  const coming = await tx
    .select({ id: encounters.id })
    .from(encounters)
    .where(comingVisits(programId, id, ctx.now));
  if (coming.length > 0)
    await tx
      .insert(encounterParticipants)
      .values(coming.map((v) => ({ programId, encounterId: v.id, patientId, addedAt: ctx.now })))
      .onConflictDoNothing();
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'group-series', entityId: id, patientId, detail: { joined: true, visits: coming.length } });
  return seriesDto(tx, programId, id);
}

export async function removeFromRoster(deps: Deps, id: string, patientId: string, reason: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await lockSeries(tx, programId, id);
  const left = await tx
    .update(groupSeriesMembers)
    .set({ leftAt: ctx.now, leftReason: reason, leftBy: ctx.principal?.userId ?? null })
    .where(and(eq(groupSeriesMembers.programId, programId), eq(groupSeriesMembers.seriesId, id), eq(groupSeriesMembers.patientId, patientId), isNull(groupSeriesMembers.leftAt)))
    .returning({ patientId: groupSeriesMembers.patientId });
  if (left.length === 0) throw invalid('params.patientId', 'is not on the group’s roster');
  const coming = tx
    .select({ id: encounters.id })
    .from(encounters)
    .where(comingVisits(programId, id, ctx.now));
  const removed = await tx
    .delete(encounterParticipants)
    .where(
      and(
        eq(encounterParticipants.programId, programId),
        eq(encounterParticipants.patientId, patientId),
        inArray(encounterParticipants.encounterId, coming),
        isNull(encounterParticipants.arrivedAt),
        isNull(encounterParticipants.attendance),
      ),
    )
    .returning({ id: encounterParticipants.encounterId });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'group-series', entityId: id, patientId, detail: { left: true, visits: removed.length } });
  return seriesDto(tx, programId, id);
}

function seriesRows(tx: Tx, programId: string, where: ReturnType<typeof and>) {
  return tx
    .select({ s: groupSeries, staffName: users.displayName, roomName: rooms.name })
    .from(groupSeries)
    .innerJoin(users, eq(users.id, groupSeries.leadStaffId))
    .leftJoin(rooms, and(eq(rooms.programId, groupSeries.programId), eq(rooms.id, groupSeries.roomId)))
    .where(and(eq(groupSeries.programId, programId), where))
    .orderBy(asc(groupSeries.title), asc(groupSeries.id));
}

function summaryOf(r: Awaited<ReturnType<typeof seriesRows>>[number], labels: Map<string, { en: string; es: string }>) {
  const s = r.s;
  return {
    id: s.id,
    typeCode: s.typeCode,
    typeLabel: labels.get(s.typeCode) ?? { en: s.typeCode, es: s.typeCode },
    title: s.title,
    modality: s.modality as Modality,
    staff: { id: s.leadStaffId, name: r.staffName },
    room: s.roomId && r.roomName ? { id: s.roomId, name: r.roomName } : null,
    firstDate: s.firstDate,
    weeks: s.weeks,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    capacity: s.capacity,
  };
}

/** A timestamptz aggregate as the drivers return it (a Date or a string) → ISO. */
const nextAt = (v: string | Date | undefined) => (v ? new Date(v).toISOString() : null);

const labelsOf = async (tx: Tx, programId: string) => new Map((await typesOf(tx, programId)).map((t) => [t.code, t.label]));

async function seriesDto(tx: Tx, programId: string, id: string) {
  const [row] = await seriesRows(tx, programId, eq(groupSeries.id, id));
  if (!row) throw notFound('Group');
  const roster = await tx
    .select({ m: groupSeriesMembers, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName })
    .from(groupSeriesMembers)
    .innerJoin(patients, and(eq(patients.programId, groupSeriesMembers.programId), eq(patients.id, groupSeriesMembers.patientId)))
    .where(and(eq(groupSeriesMembers.programId, programId), eq(groupSeriesMembers.seriesId, id), isNull(groupSeriesMembers.leftAt)))
    .orderBy(asc(patients.legalFamilyName), asc(patients.legalGivenName));
  const visits = await tx
    .select({ id: encounters.id, startsAt: encounters.startsAt, status: encounters.status })
    .from(encounters)
    .where(and(eq(encounters.programId, programId), eq(encounters.seriesId, id)))
    .orderBy(asc(encounters.startsAt));
  return {
    ...summaryOf(row, await labelsOf(tx, programId)),
    roster: roster.map((r) => ({ patientId: r.m.patientId, name: patientName(r), joinedAt: r.m.joinedAt.toISOString() })),
    visits: visits.map((v) => ({ id: v.id, startsAt: v.startsAt.toISOString(), status: v.status as 'scheduled' | 'completed' | 'cancelled' })),
  };
}

export async function getSeries(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const dto = await seriesDto(tx, programId, id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'group-series', entityId: id, detail: { members: dto.roster.length } });
  return dto;
}

/** The programme's recurring groups, by title (paginated), with how many are on each roster and the next visit. */
export async function listSeries(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['text', 'uuid']);
  const shown = await seriesRows(tx, programId, after ? sql`(${groupSeries.title}, ${groupSeries.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined).limit(page.limit + 1);
  const ids = shown.map((r) => r.s.id);
  const members = ids.length
    ? await tx
        .select({ id: groupSeriesMembers.seriesId, n: count() })
        .from(groupSeriesMembers)
        .where(and(eq(groupSeriesMembers.programId, programId), inArray(groupSeriesMembers.seriesId, ids), isNull(groupSeriesMembers.leftAt)))
        .groupBy(groupSeriesMembers.seriesId)
    : [];
  const next = ids.length
    ? await tx
        .select({ id: encounters.seriesId, at: sql<string>`min(${encounters.startsAt})` })
        .from(encounters)
        .where(and(eq(encounters.programId, programId), inArray(encounters.seriesId, ids), eq(encounters.status, 'scheduled'), gt(encounters.startsAt, ctx.now)))
        .groupBy(encounters.seriesId)
    : [];
  const labels = await labelsOf(tx, programId);
  return pageOf(
    shown,
    page.limit,
    (r) => [r.s.title, r.s.id],
    (r) => ({
      ...summaryOf(r, labels),
      members: members.find((m) => m.id === r.s.id)?.n ?? 0,
      nextVisitAt: nextAt(next.find((n) => n.id === r.s.id)?.at),
    }),
  );
}
