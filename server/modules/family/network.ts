// Network therapy (issue 16, docs/family.md): the patient's network of friends and relatives
// (a linked family member with the app, or just a name), its meetings, and the doses a member
// saw taken or missed, with adherence (core/family/network.ts). A dose is one per member and
// day: recording it again — by staff or by the member in their app — updates it (the latest word
// counts; the audit row keeps what it was). What a member reported is their own record.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lte, min } from 'drizzle-orm';
import type { z } from 'zod';
import { addDays } from '../../../core/cm/calendar.ts';
import { adherence, doseDayProblem, ADHERENCE_WINDOW_DAYS } from '../../../core/family/network.ts';
import type { DoseCreate, DoseList, DoseQuery, FamilyDoseRecord, MyNetworkMembership, NetworkLeave, NetworkMeetingCreate, NetworkMemberCreate } from '../../../contracts/together.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { familyLinks, familyMembers } from '../consent/consent.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { networkMeetings, networkMembers, witnessedDoses } from './family.tables.ts';
import { invalidAll, todayIn } from './days.ts';

type Deps = { tx: Tx; ctx: Ctx };
type MemberRow = typeof networkMembers.$inferSelect;

const missing = (entity: string, field: string) => new AppError({ code: 'not_found', status: 404, message: `${entity} not found.`, problems: [{ field, message: 'not found' }] });

const memberDto = (m: MemberRow) => ({
  id: m.id,
  familyMemberId: m.familyMemberId,
  displayName: m.displayName,
  relationship: m.relationship,
  role: m.role,
  joinedOn: m.joinedOn,
  leftOn: m.leftOn,
});

async function membersOf(tx: Tx, programId: string, patientId: string) {
  return tx
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId)))
    .orderBy(asc(networkMembers.joinedOn), asc(networkMembers.createdAt));
}

export async function listMembers(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await membersOf(tx, programId, patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', patientId, detail: { record: 'network-members', count: rows.length } });
  return { items: rows.map(memberDto), bounded: true as const };
}

export async function addMember(deps: Deps, patientId: string, input: z.infer<typeof NetworkMemberCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const { today } = await todayIn(tx, programId, ctx.now);
  const joinedOn = input.joinedOn ?? today;
  if (joinedOn > today) throw invalidAll([{ field: 'body.joinedOn', message: 'must not be in the future' }]);
  let displayName = input.displayName ?? null;
  if (input.familyMemberId) {
    const [fm] = await tx
      .select({ name: familyMembers.displayName })
      .from(familyLinks)
      .innerJoin(familyMembers, and(eq(familyMembers.programId, familyLinks.programId), eq(familyMembers.id, familyLinks.familyMemberId)))
      .where(and(eq(familyLinks.programId, programId), eq(familyLinks.patientId, patientId), eq(familyLinks.familyMemberId, input.familyMemberId), isNull(familyLinks.endedAt)));
    if (!fm) throw missing('Family member', 'body.familyMemberId');
    const [already] = await tx
      .select({ id: networkMembers.id })
      .from(networkMembers)
      .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId), eq(networkMembers.familyMemberId, input.familyMemberId), isNull(networkMembers.leftOn)));
    if (already) throw conflict('already_member', 'This person is already in the network.', 'body.familyMemberId');
    displayName ??= fm.name;
  }
  if (!displayName) throw invalidAll([{ field: 'body.displayName', message: 'is required when the member is not a linked family member' }]);
  const id = randomUUID();
  await tx.insert(networkMembers).values({
    programId,
    id,
    patientId,
    familyMemberId: input.familyMemberId ?? null,
    displayName,
    relationship: input.relationship,
    role: input.role?.trim() || null,
    joinedOn,
    createdBy: ctx.principal!.userId,
    createdAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'family', entityId: id, patientId, detail: { record: 'network-member', withApp: !!input.familyMemberId } });
  return listMembers(deps, patientId);
}

export async function leaveNetwork(deps: Deps, patientId: string, id: string, input: z.infer<typeof NetworkLeave>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [m] = await tx
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId), eq(networkMembers.id, id)));
  if (!m) throw notFound('Network member');
  if (m.leftOn) throw conflict('already_left', 'This person has already left the network.');
  const { today } = await todayIn(tx, programId, ctx.now);
  const leftOn = input.leftOn ?? today;
  if (leftOn > today) throw invalidAll([{ field: 'body.leftOn', message: 'must not be in the future' }]);
  if (leftOn < m.joinedOn) throw invalidAll([{ field: 'body.leftOn', message: 'must not be before the member joined' }]);
  await tx
    .update(networkMembers)
    .set({ leftOn })
    .where(and(eq(networkMembers.programId, programId), eq(networkMembers.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'family', entityId: id, patientId, detail: { record: 'network-member', leftOn } });
  return listMembers(deps, patientId);
}

export async function listMeetings(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [rows, members] = await Promise.all([
    tx
      .select()
      .from(networkMeetings)
      .where(and(eq(networkMeetings.programId, programId), eq(networkMeetings.patientId, patientId)))
      .orderBy(desc(networkMeetings.heldOn), desc(networkMeetings.recordedAt))
      .limit(100),
    membersOf(tx, programId, patientId),
  ]);
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', patientId, detail: { record: 'network-meetings', count: rows.length } });
  return {
    items: rows.map((r) => ({
      id: r.id,
      heldOn: r.heldOn,
      attendees: r.attendees.map((a) => ({ id: a, displayName: names.get(a) ?? '' })),
      note: r.note,
      recordedAt: r.recordedAt.toISOString(),
    })),
    bounded: true as const,
  };
}

export async function recordMeeting(deps: Deps, patientId: string, input: z.infer<typeof NetworkMeetingCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const { today } = await todayIn(tx, programId, ctx.now);
  if (input.heldOn > today) throw invalidAll([{ field: 'body.heldOn', message: 'must not be in the future' }]);
  const attendees = [...new Set(input.attendees)];
  const members = await tx
    .select({ id: networkMembers.id })
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId), inArray(networkMembers.id, attendees)));
  if (members.length !== attendees.length) throw invalidAll([{ field: 'body.attendees', message: 'must all be members of this patient’s network' }]);
  const id = randomUUID();
  await tx.insert(networkMeetings).values({ programId, id, patientId, heldOn: input.heldOn, attendees, note: input.note?.trim() || null, recordedBy: ctx.principal!.userId, recordedAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'family', entityId: id, patientId, detail: { record: 'network-meeting', attendees: attendees.length } });
  return listMeetings(deps, patientId);
}

/** Upserts a member's dose for a day (one per member and day; the latest word counts). */
async function upsertDose(tx: Tx, ctx: Ctx, m: MemberRow, day: string, taken: boolean, by: { source: 'app' | 'staff'; userId: string | null }) {
  const { today } = await todayIn(tx, m.programId, ctx.now);
  const p = doseDayProblem(m, day, today, by.source === 'staff' ? 'body.day' : 'params.day');
  if (p) throw invalidAll([p]);
  const [before] = await tx
    .select({ id: witnessedDoses.id, taken: witnessedDoses.taken, source: witnessedDoses.source })
    .from(witnessedDoses)
    .where(and(eq(witnessedDoses.programId, m.programId), eq(witnessedDoses.networkMemberId, m.id), eq(witnessedDoses.day, day)));
  const id = before?.id ?? randomUUID();
  const set = { taken, source: by.source, recordedBy: by.userId, recordedAt: ctx.now };
  await tx
    .insert(witnessedDoses)
    .values({ programId: m.programId, id, patientId: m.patientId, networkMemberId: m.id, day, ...set })
    .onConflictDoUpdate({ target: [witnessedDoses.programId, witnessedDoses.networkMemberId, witnessedDoses.day], set });
  await writeAudit(tx, auditContext(ctx, { programId: m.programId }), {
    action: before ? 'update' : 'create',
    entity: 'family',
    entityId: id,
    patientId: m.patientId,
    detail: { record: 'witnessed-dose', member: m.id, day, taken, source: by.source, ...(before ? { before: { taken: before.taken, source: before.source } } : {}) },
  });
  return { day, taken };
}

export async function listDoses(deps: Deps, patientId: string, q: z.infer<typeof DoseQuery>): Promise<z.infer<typeof DoseList>> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const { today } = await todayIn(tx, programId, ctx.now);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -(ADHERENCE_WINDOW_DAYS - 1));
  if (from > to) throw invalidAll([{ field: 'querystring.from', message: 'must not be after querystring.to' }]);
  if (from < addDays(to, -366)) throw invalidAll([{ field: 'querystring.from', message: 'must be within a year of querystring.to' }]);
  const [members, rows, windowRows, [first]] = await Promise.all([
    membersOf(tx, programId, patientId),
    tx
      .select()
      .from(witnessedDoses)
      .where(and(eq(witnessedDoses.programId, programId), eq(witnessedDoses.patientId, patientId), gte(witnessedDoses.day, from), lte(witnessedDoses.day, to)))
      .orderBy(desc(witnessedDoses.day), asc(witnessedDoses.recordedAt)),
    // the longest run looks back a year
    tx
      .select({ day: witnessedDoses.day, taken: witnessedDoses.taken, memberId: witnessedDoses.networkMemberId })
      .from(witnessedDoses)
      .where(and(eq(witnessedDoses.programId, programId), eq(witnessedDoses.patientId, patientId), gte(witnessedDoses.day, addDays(today, -366)), lte(witnessedDoses.day, today))),
    tx
      .select({ since: min(networkMembers.joinedOn) })
      .from(networkMembers)
      .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId))),
  ]);
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', patientId, detail: { record: 'witnessed-doses', from, to, count: rows.length } });
  return {
    from,
    to,
    items: rows.map((r) => ({
      id: r.id,
      networkMemberId: r.networkMemberId,
      memberName: names.get(r.networkMemberId) ?? '',
      day: r.day,
      taken: r.taken,
      source: r.source as 'app' | 'staff',
      recordedAt: r.recordedAt.toISOString(),
    })),
    adherence: adherence(windowRows, today, { since: first?.since ?? today }),
    bounded: true,
  };
}

export async function staffRecordDose(deps: Deps, patientId: string, input: z.infer<typeof DoseCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [m] = await tx
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, programId), eq(networkMembers.patientId, patientId), eq(networkMembers.id, input.networkMemberId)));
  if (!m) throw missing('Network member', 'body.networkMemberId');
  await upsertDose(tx, ctx, m, input.day, input.taken, { source: 'staff', userId: ctx.principal!.userId });
  return listDoses(deps, patientId, {});
}

// ---------- the family member's app ----------

/** My network memberships (not left) with the doses I reported in the last 28 days: my own record. */
export async function myMemberships(tx: Tx, me: FamilyPrincipal, today: string): Promise<z.infer<typeof MyNetworkMembership>[]> {
  const rows = await tx
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, me.programId), eq(networkMembers.familyMemberId, me.familyMemberId), isNull(networkMembers.leftOn)))
    .orderBy(asc(networkMembers.createdAt));
  if (rows.length === 0) return [];
  const doses = await tx
    .select({ memberId: witnessedDoses.networkMemberId, day: witnessedDoses.day, taken: witnessedDoses.taken })
    .from(witnessedDoses)
    .where(
      and(
        eq(witnessedDoses.programId, me.programId),
        inArray(
          witnessedDoses.networkMemberId,
          rows.map((r) => r.id),
        ),
        gte(witnessedDoses.day, addDays(today, -(ADHERENCE_WINDOW_DAYS - 1))),
      ),
    )
    .orderBy(desc(witnessedDoses.day));
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    joinedOn: r.joinedOn,
    myDoses: doses.filter((d) => d.memberId === r.id).map((d) => ({ day: d.day, taken: d.taken })),
  }));
}

export async function memberRecordDose(deps: Deps, me: FamilyPrincipal, memberId: string, day: string, input: z.infer<typeof FamilyDoseRecord>) {
  const [m] = await deps.tx
    .select()
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, me.programId), eq(networkMembers.id, memberId), eq(networkMembers.familyMemberId, me.familyMemberId)));
  if (!m) throw notFound('Network membership');
  return upsertDose(deps.tx, deps.ctx, m, day, input.taken, { source: 'app', userId: null });
}
