// Caseloads (ADR 043): each patient's counsellor and peer. Assigning someone when the patient
// already has someone of that kind is a transfer: the current assignment is ended with the
// reason and the new one starts, in one transaction; nothing is deleted. The care team
// (care_team_members) follows: the new person is added as primary counsellor or peer
// specialist and the previous one's row of that role is removed, so the places that read the
// care team (alert routing, the plan-review work list, the patient's care-team roles) agree.
import { pageOfList, type Page } from '../cm/page.ts';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { CASELOAD_KINDS } from '../../../contracts/counselling.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound, pgErrorOf } from '../../platform/errors.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { careTeam } from '../patients/patients.tables.ts';
import { complianceStatuses, programToday } from './compliance.ts';
import { caseloadAssignments } from './counselling.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Kind = (typeof CASELOAD_KINDS)[number];
type Row = typeof caseloadAssignments.$inferSelect;

/** The programme role a person needs to carry each kind of caseload, and the care-team role it gives. */
const ROLE_FOR: Record<Kind, { role: string; careTeamRole: string }> = {
  counsellor: { role: 'counsellor', careTeamRole: 'primary-counsellor' },
  peer: { role: 'peer-specialist', careTeamRole: 'peer-specialist' },
};

const dto = (r: Row, name: string) => ({
  id: r.id,
  kind: r.kind,
  staff: { id: r.userId, name },
  startedAt: r.startedAt.toISOString(),
  startedBy: r.startedBy,
  reason: r.reason,
  endedAt: r.endedAt?.toISOString() ?? null,
  endedBy: r.endedBy,
  endReason: r.endReason,
});

async function readCaseload(tx: Tx, programId: string, patientId: string) {
  const rows = await tx
    .select({ a: caseloadAssignments, name: users.displayName })
    .from(caseloadAssignments)
    .innerJoin(users, eq(users.id, caseloadAssignments.userId))
    .where(and(eq(caseloadAssignments.programId, programId), eq(caseloadAssignments.patientId, patientId)))
    .orderBy(desc(caseloadAssignments.startedAt), desc(caseloadAssignments.id));
  const history = rows.map((r) => dto(r.a, r.name));
  const current = (kind: Kind) => history.find((h) => h.kind === kind && h.endedAt === null) ?? null;
  return { patientId, counsellor: current('counsellor'), peer: current('peer'), history };
}

export async function patientCaseload(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const out = await readCaseload(tx, programOf(ctx), patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'caseload', patientId, detail: { count: out.history.length } });
  return out;
}

async function endCurrent(tx: Tx, ctx: Ctx, current: Row, reason: string) {
  const programId = programOf(ctx);
  await tx
    .update(caseloadAssignments)
    .set({ endedAt: ctx.now, endedBy: ctx.principal?.userId ?? null, endReason: reason })
    .where(and(eq(caseloadAssignments.programId, programId), eq(caseloadAssignments.id, current.id)));
  await tx
    .delete(careTeam)
    .where(and(eq(careTeam.programId, programId), eq(careTeam.patientId, current.patientId), eq(careTeam.userId, current.userId), eq(careTeam.role, ROLE_FOR[current.kind].careTeamRole)));
}

async function currentOf(tx: Tx, programId: string, patientId: string, kind: Kind) {
  const [row] = await tx
    .select()
    .from(caseloadAssignments)
    .where(and(eq(caseloadAssignments.programId, programId), eq(caseloadAssignments.patientId, patientId), eq(caseloadAssignments.kind, kind), isNull(caseloadAssignments.endedAt)))
    .for('update');
  return row ?? null;
}

/** Assign a counsellor or a peer; when the patient has one already, a transfer (the reason is required). */
export async function assignCaseload(deps: Deps, patientId: string, input: { kind: Kind; userId: string; reason?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const reason = input.reason?.trim() || null;
  const [holder] = await tx
    .select({ id: roleAssignments.userId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, input.userId), eq(roleAssignments.role, ROLE_FOR[input.kind].role)))
    .limit(1);
  if (!holder) throw invalid('body.userId', input.kind === 'counsellor' ? 'This person is not a counsellor in this programme.' : 'This person is not a peer specialist in this programme.');
  const current = await currentOf(tx, programId, patientId, input.kind);
  if (current?.userId === input.userId) throw conflict('already_assigned', 'The patient is already on this person’s caseload.', 'body.userId');
  if (current && !reason) throw invalid('body.reason', 'A transfer needs a reason.');
  if (current) await endCurrent(tx, ctx, current, reason!);
  const id = randomUUID();
  try {
    await tx.insert(caseloadAssignments).values({ programId, id, patientId, kind: input.kind, userId: input.userId, startedAt: ctx.now, startedBy: ctx.principal?.userId ?? null, reason });
  } catch (err) {
    if (pgErrorOf(err)?.code === '23505') throw conflict('caseload_changed', 'Someone changed this patient’s caseload at the same time; reload and try again.', 'body.userId');
    throw err;
  }
  await tx
    .insert(careTeam)
    .values({ programId, patientId, userId: input.userId, role: ROLE_FOR[input.kind].careTeamRole, since: await programToday(tx, ctx), createdAt: ctx.now })
    .onConflictDoNothing();
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'caseload',
    entityId: id,
    patientId,
    detail: { kind: input.kind, transfer: current !== null, to: input.userId, from: current?.userId ?? null },
  });
  return readCaseload(tx, programId, patientId);
}

/** End an assignment without a successor (e.g. the person leaves the programme's counselling). */
export async function endCaseload(deps: Deps, patientId: string, input: { kind: Kind; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const reason = input.reason.trim();
  if (!reason) throw invalid('body.reason', 'Give a reason.');
  const current = await currentOf(tx, programId, patientId, input.kind);
  if (!current) throw notFound('Caseload assignment');
  await endCurrent(tx, ctx, current, reason);
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'caseload', entityId: current.id, patientId, detail: { kind: input.kind, ended: true } });
  return readCaseload(tx, programId, patientId);
}

/** Supervisors' view: how many patients each staff member carries, and how many in a current episode have no one. */
export async function caseloadSizes(deps: Deps) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const today = await programToday(tx, ctx);
  const sizes = await tx
    .select({ userId: caseloadAssignments.userId, name: users.displayName, kind: caseloadAssignments.kind, n: sql<number>`count(*)::int` })
    .from(caseloadAssignments)
    .innerJoin(users, eq(users.id, caseloadAssignments.userId))
    .where(and(eq(caseloadAssignments.programId, programId), isNull(caseloadAssignments.endedAt)))
    .groupBy(caseloadAssignments.userId, users.displayName, caseloadAssignments.kind);
  const [unassigned] = rowsOf<{ counsellor: number; peer: number }>(
    await tx.execute(sql`
      select count(*) filter (where not exists (select 1 from caseload_assignments c where c.program_id = ep.program_id and c.patient_id = ep.patient_id and c.kind = 'counsellor' and c.ended_at is null))::int as counsellor,
             count(*) filter (where not exists (select 1 from caseload_assignments c where c.program_id = ep.program_id and c.patient_id = ep.patient_id and c.kind = 'peer' and c.ended_at is null))::int as peer
        from (select distinct e.program_id, e.patient_id from episodes e
               where e.program_id = ${programId}::uuid and e.admitted_on <= ${today}::date and (e.discharged_on is null or e.discharged_on >= ${today}::date)) ep`),
  );
  const byUser = new Map<string, { staff: { id: string; name: string }; counsellor: number; peer: number }>();
  for (const s of sizes) {
    const e = byUser.get(s.userId) ?? { staff: { id: s.userId, name: s.name }, counsellor: 0, peer: 0 };
    e[s.kind] = Number(s.n);
    byUser.set(s.userId, e);
  }
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'caseload', detail: { staff: byUser.size } });
  return { staff: [...byUser.values()].sort((a, b) => a.staff.name.localeCompare(b.staff.name)), unassigned: unassigned ?? { counsellor: 0, peer: 0 } };
}

/** The patients on one person's caseload, with their compliance today. */
export async function caseloadPatients(deps: Deps, input: { userId?: string | undefined; kind: Kind } & Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const q = { kind: input.kind, userId: input.userId ?? ctx.principal!.userId };
  const rows = await tx
    .select({ patientId: caseloadAssignments.patientId, since: caseloadAssignments.startedAt })
    .from(caseloadAssignments)
    .where(and(eq(caseloadAssignments.programId, programId), eq(caseloadAssignments.userId, q.userId), eq(caseloadAssignments.kind, q.kind), isNull(caseloadAssignments.endedAt)));
  const ids = rows.map((r) => r.patientId);
  const today = await programToday(tx, ctx);
  const { rows: statuses } = await complianceStatuses(tx, programId, today, { patientIds: ids });
  const status = new Map(statuses.map((s) => [s.patientId, s.compliance]));
  const names = ids.length
    ? await tx.execute(
        sql`select id, mrn, coalesce(preferred_name, legal_given_name) || ' ' || legal_family_name as name from patients where program_id = ${programId}::uuid and id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      )
    : [];
  const byId = new Map(rowsOf<{ id: string; mrn: string; name: string }>(names).map((n) => [n.id, n]));
  const items = rows
    .map((r) => ({
      patientId: r.patientId,
      patientName: byId.get(r.patientId)?.name ?? '',
      mrn: byId.get(r.patientId)?.mrn ?? '',
      since: r.since.toISOString(),
      compliance: status.get(r.patientId) ?? null,
    }))
    .sort((a, b) => a.patientName.localeCompare(b.patientName) || a.patientId.localeCompare(b.patientId));
  const shown = pageOfList(items, input, (x) => x.patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'caseload', purpose: 'work-list', detail: { kind: q.kind, count: shown.items.length } });
  return shown;
}
