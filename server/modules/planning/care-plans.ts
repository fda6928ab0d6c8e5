// Care plans: problems, measurable goals (target and due date), interventions (from the
// recommendations or written in) with responsible staff and frequency, and a review date.
// Every save is a new immutable version recording who changed what (ids and field names);
// the patient's agreement is recorded against a version.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { InterventionCode } from '../../../core/planning/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound, AppError, type Problem as FieldProblem } from '../../platform/errors.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { programs } from '../programs/programs.tables.ts';
import { carePlanAgreements, carePlanGoals, carePlans, carePlanVersions } from './planning.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type ProblemC = { id: string; text: string };
export type GoalC = {
  id: string;
  problemIds: string[];
  description: string;
  measure: string;
  targetValue: number | null;
  targetComparator: string | null;
  targetUnit: string | null;
  targetText: string | null;
  dueDate: string;
  status: string;
  responsibleStaffIds: string[];
};
export type InterventionC = {
  id: string;
  code: InterventionCode | null;
  source: 'recommendation' | 'free-text';
  text: string;
  goalIds: string[];
  responsibleStaffIds: string[];
  frequency: string;
  status: string;
};
export type PlanContent = { title: string; status: string; problems: ProblemC[]; goals: GoalC[]; interventions: InterventionC[]; reviewDate: string };
export type Change = { path: string; change: 'added' | 'removed' | 'changed' };

export type PlanInput = {
  title: string;
  status: 'draft' | 'active' | 'completed' | 'revoked';
  problems: Array<{ id?: string | undefined; text: string }>;
  goals: Array<{
    id?: string | undefined;
    problemIds: string[];
    description: string;
    measure: string;
    targetValue?: number | undefined;
    targetComparator?: string | undefined;
    targetUnit?: string | undefined;
    targetText?: string | undefined;
    dueDate: string;
    status: string;
    responsibleStaffIds: string[];
  }>;
  interventions: Array<{
    id?: string | undefined;
    code?: InterventionCode | undefined;
    source: 'recommendation' | 'free-text';
    text: string;
    goalIds: string[];
    responsibleStaffIds: string[];
    frequency: string;
    status: string;
  }>;
  reviewDate: string;
  note?: string | undefined;
};

/** Gives new items ids, checks cross-references and that responsible staff work in the programme. */
async function normalise(tx: Tx, programId: string, input: PlanInput): Promise<PlanContent> {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const idFor = (given: string | undefined, field: string) => {
    const id = given ?? randomUUID();
    if (seen.has(id)) problems.push({ field, message: 'is used twice' });
    seen.add(id);
    return id;
  };
  const content: PlanContent = {
    title: input.title,
    status: input.status,
    reviewDate: input.reviewDate,
    problems: input.problems.map((p, i) => ({ id: idFor(p.id, `body.problems.${i}.id`), text: p.text })),
    goals: input.goals.map((g, i) => ({
      id: idFor(g.id, `body.goals.${i}.id`),
      problemIds: [...new Set(g.problemIds)],
      description: g.description,
      measure: g.measure,
      targetValue: g.targetValue ?? null,
      targetComparator: g.targetComparator ?? null,
      targetUnit: g.targetUnit ?? null,
      targetText: g.targetText ?? null,
      dueDate: g.dueDate,
      status: g.status,
      responsibleStaffIds: [...new Set(g.responsibleStaffIds)],
    })),
    interventions: input.interventions.map((v, i) => ({
      id: idFor(v.id, `body.interventions.${i}.id`),
      code: v.code ?? null,
      source: v.source,
      text: v.text,
      goalIds: [...new Set(v.goalIds)],
      responsibleStaffIds: [...new Set(v.responsibleStaffIds)],
      frequency: v.frequency,
      status: v.status,
    })),
  };
  const problemIds = new Set(content.problems.map((p) => p.id));
  const goalIds = new Set(content.goals.map((g) => g.id));
  input.goals.forEach((g, i) =>
    g.problemIds.forEach((p, j) => {
      if (!problemIds.has(p)) problems.push({ field: `body.goals.${i}.problemIds.${j}`, message: 'is not a problem in this plan' });
    }),
  );
  input.interventions.forEach((v, i) =>
    v.goalIds.forEach((g, j) => {
      if (!goalIds.has(g)) problems.push({ field: `body.interventions.${i}.goalIds.${j}`, message: 'is not a goal in this plan' });
    }),
  );
  const staff = new Set([...content.goals.flatMap((g) => g.responsibleStaffIds), ...content.interventions.flatMap((v) => v.responsibleStaffIds)]);
  const known =
    staff.size === 0
      ? new Set<string>()
      : new Set(
          (
            await tx
              .selectDistinct({ id: roleAssignments.userId })
              .from(roleAssignments)
              .innerJoin(users, eq(users.id, roleAssignments.userId))
              .where(and(eq(roleAssignments.programId, programId), inArray(roleAssignments.userId, [...staff]), eq(users.active, true)))
          ).map((r) => r.id),
        );
  input.goals.forEach((g, i) =>
    g.responsibleStaffIds.forEach((s, j) => {
      if (!known.has(s)) problems.push({ field: `body.goals.${i}.responsibleStaffIds.${j}`, message: 'is not a staff member of this programme' });
    }),
  );
  input.interventions.forEach((v, i) =>
    v.responsibleStaffIds.forEach((s, j) => {
      if (!known.has(s)) problems.push({ field: `body.interventions.${i}.responsibleStaffIds.${j}`, message: 'is not a staff member of this programme' });
    }),
  );
  if (problems.length > 0) {
    throw new AppError({ code: 'invalid_input', status: 400, message: `The plan is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems });
  }
  return content;
}

const responsibleOf = (c: PlanContent) => [...new Set([...c.goals.flatMap((g) => g.responsibleStaffIds), ...c.interventions.flatMap((v) => v.responsibleStaffIds)])];

/** What changed between two versions: ids and field names, never values. */
export function diffPlans(before: PlanContent | null, after: PlanContent): Change[] {
  if (!before) return [{ path: 'plan', change: 'added' }];
  const out: Change[] = [];
  for (const k of ['title', 'status', 'reviewDate'] as const) if (before[k] !== after[k]) out.push({ path: k, change: 'changed' });
  const lists = ['problems', 'goals', 'interventions'] as const;
  for (const list of lists) {
    const prev = new Map<string, Record<string, unknown>>((before[list] as Array<{ id: string }>).map((x) => [x.id, x as Record<string, unknown>]));
    const next = new Map<string, Record<string, unknown>>((after[list] as Array<{ id: string }>).map((x) => [x.id, x as Record<string, unknown>]));
    for (const [id, item] of next) {
      const old = prev.get(id);
      if (!old) {
        out.push({ path: `${list}.${id}`, change: 'added' });
        continue;
      }
      for (const field of Object.keys(item)) if (JSON.stringify(item[field]) !== JSON.stringify(old[field])) out.push({ path: `${list}.${id}.${field}`, change: 'changed' });
    }
    for (const id of prev.keys()) if (!next.has(id)) out.push({ path: `${list}.${id}`, change: 'removed' });
  }
  return out;
}

async function staffNames(tx: Tx, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await tx
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

async function replaceGoals(tx: Tx, programId: string, planId: string, patientId: string, version: number, content: PlanContent, now: Date) {
  await tx.delete(carePlanGoals).where(and(eq(carePlanGoals.programId, programId), eq(carePlanGoals.planId, planId)));
  if (content.goals.length > 0) {
    await tx.insert(carePlanGoals).values(content.goals.map((g) => ({ programId, id: g.id, planId, patientId, planVersion: version, goal: g, updatedAt: now })));
  }
}

async function planRow(tx: Tx, ctx: Ctx, patientId: string, id: string) {
  const [row] = await tx
    .select()
    .from(carePlans)
    .where(and(eq(carePlans.programId, programOf(ctx)), eq(carePlans.patientId, patientId), eq(carePlans.id, id)));
  if (!row) throw notFound('Care plan');
  return row;
}

export async function createCarePlan(deps: Deps, patientId: string, input: PlanInput) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const content = await normalise(tx, programId, input);
  const id = randomUUID();
  const me = ctx.principal!.userId;
  await tx.insert(carePlans).values({
    programId,
    id,
    patientId,
    status: content.status,
    title: content.title,
    currentVersion: 1,
    reviewDate: content.reviewDate,
    responsibleStaffIds: responsibleOf(content),
    createdBy: me,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await tx
    .insert(carePlanVersions)
    .values({ programId, planId: id, version: 1, status: content.status, content, changes: diffPlans(null, content), note: input.note ?? null, changedBy: me, changedAt: ctx.now });
  await replaceGoals(tx, programId, id, patientId, 1, content, ctx.now);
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'care-plan',
    entityId: id,
    patientId,
    detail: { version: 1, problems: content.problems.length, goals: content.goals.length, interventions: content.interventions.length },
  });
  return readPlan(tx, ctx, patientId, id);
}

export async function reviseCarePlan(deps: Deps, patientId: string, id: string, input: PlanInput & { version: number }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const plan = await planRow(tx, ctx, patientId, id);
  if (plan.currentVersion !== input.version) {
    throw conflict('stale_version', 'Someone else changed this plan since you opened it. Reload it and make your change again.', 'body.version');
  }
  const content = await normalise(tx, programId, input);
  const [prev] = await tx
    .select({ content: carePlanVersions.content })
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programId), eq(carePlanVersions.planId, id), eq(carePlanVersions.version, plan.currentVersion)));
  const changes = diffPlans((prev?.content as PlanContent | undefined) ?? null, content);
  const version = plan.currentVersion + 1;
  const updated = await tx
    .update(carePlans)
    .set({
      status: content.status,
      title: content.title,
      currentVersion: version,
      reviewDate: content.reviewDate,
      responsibleStaffIds: responsibleOf(content),
      updatedAt: ctx.now,
    })
    .where(and(eq(carePlans.programId, programId), eq(carePlans.id, id), eq(carePlans.currentVersion, plan.currentVersion)))
    .returning({ id: carePlans.id });
  if (updated.length === 0) throw conflict('stale_version', 'Someone else changed this plan since you opened it. Reload it and make your change again.', 'body.version');
  await tx
    .insert(carePlanVersions)
    .values({ programId, planId: id, version, status: content.status, content, changes, note: input.note ?? null, changedBy: ctx.principal!.userId, changedAt: ctx.now });
  await replaceGoals(tx, programId, id, patientId, version, content, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'care-plan', entityId: id, patientId, detail: { version, fields: changes.map((c) => c.path) } });
  return readPlan(tx, ctx, patientId, id);
}

type AgreementRow = typeof carePlanAgreements.$inferSelect;
const agreementDto = (a: AgreementRow, names: Record<string, string>) => ({
  id: a.id,
  version: a.version,
  agreedBy: a.agreedBy as 'patient' | 'legal-representative',
  representativeName: a.representativeName,
  method: a.method as 'verbal' | 'signed-paper' | 'signed-electronic',
  agreedAt: a.agreedAt.toISOString(),
  note: a.note,
  recordedBy: a.recordedBy,
  recordedByName: names[a.recordedBy] ?? null,
  recordedAt: a.recordedAt.toISOString(),
});

export async function readPlan(tx: Tx, ctx: Ctx, patientId: string, id: string) {
  const programId = programOf(ctx);
  const plan = await planRow(tx, ctx, patientId, id);
  const [v] = await tx
    .select()
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programId), eq(carePlanVersions.planId, id), eq(carePlanVersions.version, plan.currentVersion)));
  const content = v!.content as PlanContent;
  const agreements = await tx
    .select()
    .from(carePlanAgreements)
    .where(and(eq(carePlanAgreements.programId, programId), eq(carePlanAgreements.planId, id)))
    .orderBy(desc(carePlanAgreements.version), desc(carePlanAgreements.recordedAt));
  const current = agreements.find((a) => a.version === plan.currentVersion) ?? null;
  const previous = agreements.find((a) => a.version < plan.currentVersion) ?? null;
  const names = await staffNames(tx, [...responsibleOf(content), v!.changedBy, ...agreements.map((a) => a.recordedBy)]);
  return {
    id,
    patientId,
    version: plan.currentVersion,
    ...content,
    staff: Object.fromEntries(responsibleOf(content).map((s) => [s, names[s] ?? ''])),
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
    changedBy: v!.changedBy,
    changedByName: names[v!.changedBy] ?? null,
    agreement: current ? agreementDto(current, names) : null,
    previousAgreement: previous ? agreementDto(previous, names) : null,
  };
}
export type CarePlanDto = Awaited<ReturnType<typeof readPlan>>;

export async function getCarePlan(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  const dto = await readPlan(tx, ctx, patientId, id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan', entityId: id, patientId, detail: { version: dto.version } });
  return dto;
}

export async function listCarePlans(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select({
      p: carePlans,
      agreed: sql<boolean>`exists (select 1 from care_plan_agreements a where a.program_id = care_plans.program_id and a.plan_id = care_plans.id and a.version = care_plans.current_version)`,
    })
    .from(carePlans)
    .where(and(eq(carePlans.programId, programId), eq(carePlans.patientId, patientId)))
    .orderBy(desc(carePlans.updatedAt), desc(carePlans.id));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan', patientId, detail: { count: rows.length } });
  return rows.map(({ p, agreed }) => ({
    id: p.id,
    patientId: p.patientId,
    title: p.title,
    status: p.status,
    version: p.currentVersion,
    reviewDate: p.reviewDate,
    agreedToCurrent: agreed,
    updatedAt: p.updatedAt.toISOString(),
  }));
}

type VersionRow = typeof carePlanVersions.$inferSelect;
const versionDto = (v: VersionRow, names: Record<string, string>) => ({
  version: v.version,
  status: v.status,
  content: v.content as PlanContent,
  changes: v.changes as Change[],
  note: v.note,
  changedBy: v.changedBy,
  changedByName: names[v.changedBy] ?? null,
  changedAt: v.changedAt.toISOString(),
});

export async function listPlanVersions(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  await planRow(tx, ctx, patientId, id);
  const rows = await tx
    .select()
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programOf(ctx)), eq(carePlanVersions.planId, id)))
    .orderBy(desc(carePlanVersions.version));
  const names = await staffNames(
    tx,
    rows.map((r) => r.changedBy),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan-version', entityId: id, patientId, detail: { count: rows.length } });
  return rows.map((r) => {
    const { content: _, ...rest } = versionDto(r, names);
    return rest;
  });
}

export async function getPlanVersion(deps: Deps, patientId: string, id: string, version: number) {
  const { tx, ctx } = deps;
  await planRow(tx, ctx, patientId, id);
  const [row] = await tx
    .select()
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programOf(ctx)), eq(carePlanVersions.planId, id), eq(carePlanVersions.version, version)));
  if (!row) throw notFound('Care plan version');
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan-version', entityId: id, patientId, detail: { version } });
  return versionDto(row, await staffNames(tx, [row.changedBy]));
}

export async function recordAgreement(
  deps: Deps,
  patientId: string,
  id: string,
  input: { version: number; agreedBy: 'patient' | 'legal-representative'; representativeName?: string | undefined; method: string; agreedAt?: string | undefined; note?: string | undefined },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const plan = await planRow(tx, ctx, patientId, id);
  if (input.version > plan.currentVersion) throw invalid('body.version', `is not a version of this plan (the current version is ${plan.currentVersion})`);
  const agreedAt = input.agreedAt ? new Date(input.agreedAt) : ctx.now;
  if (agreedAt.getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('body.agreedAt', 'must not be in the future');
  const agreementId = randomUUID();
  await tx.insert(carePlanAgreements).values({
    programId,
    id: agreementId,
    planId: id,
    version: input.version,
    patientId,
    agreedBy: input.agreedBy,
    representativeName: input.representativeName ?? null,
    method: input.method,
    agreedAt,
    note: input.note ?? null,
    recordedBy: ctx.principal!.userId,
    recordedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'care-plan-agreement', entityId: agreementId, patientId, detail: { planId: id, version: input.version } });
  return readPlan(tx, ctx, patientId, id);
}

// --- work list: plans due for review -----------------------------------------------

/** The calendar date in a time zone (YYYY-MM-DD). */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export const REVIEW_HORIZON_DAYS = 7;

export async function planReviewWorkList(deps: Deps, page: { limit: number; cursor?: string | undefined } = { limit: 50 }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [prog] = await tx.select({ timeZone: programs.timeZone }).from(programs).where(eq(programs.id, programId));
  const timeZone = prog?.timeZone ?? 'UTC';
  const me = ctx.principal!.userId;
  const today = localDate(ctx.now, timeZone);
  const horizon = addDays(today, REVIEW_HORIZON_DAYS);
  let after: [string, string] | null = null;
  if (page.cursor) {
    try {
      const v = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(v) && v.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(String(v[0])) && /^[0-9a-f-]{36}$/i.test(String(v[1]))) after = [String(v[0]), String(v[1])];
    } catch {
      /* fall through */
    }
    if (!after) throw invalid('query.cursor', 'is not valid');
  }
  const afterCond = after ? sql`and (p.review_date, p.id) > (${after[0]}::date, ${after[1]}::uuid)` : sql``;
  const rows = await tx.execute(sql`
    select p.id as plan_id, p.patient_id, p.title, p.review_date::text as review_date, pt.legal_given_name as given, pt.legal_family_name as family,
           pt.preferred_name as preferred, pt.mrn, (${me}::uuid = any(p.responsible_staff_ids)) as responsible,
           exists (select 1 from care_team_members ct where ct.program_id = p.program_id and ct.patient_id = p.patient_id and ct.user_id = ${me}::uuid) as on_team
      from care_plans p
      join patients pt on pt.program_id = p.program_id and pt.id = p.patient_id
     where p.program_id = ${programId}::uuid and p.status in ('active', 'draft') and p.review_date <= ${horizon}::date
       and (${me}::uuid = any(p.responsible_staff_ids)
            or exists (select 1 from care_team_members ct where ct.program_id = p.program_id and ct.patient_id = p.patient_id and ct.user_id = ${me}::uuid))
       ${afterCond}
     order by p.review_date, p.id
     limit ${page.limit + 1}`);
  type WorkRow = {
    plan_id: string;
    patient_id: string;
    title: string;
    review_date: string;
    given: string;
    family: string;
    preferred: string | null;
    mrn: string;
    responsible: boolean;
    on_team: boolean;
  };
  const all = rowsOf<WorkRow>(rows);
  const more = all.length > page.limit;
  const list = more ? all.slice(0, page.limit) : all;
  const lastRow = list[list.length - 1];
  const items = list.map((r) => {
    const dueInDays = daysBetween(today, r.review_date);
    const why: Array<'responsible' | 'care-team'> = [];
    if (r.responsible) why.push('responsible');
    if (r.on_team) why.push('care-team');
    return {
      planId: r.plan_id,
      patientId: r.patient_id,
      patientName: `${r.preferred ?? r.given} ${r.family}`,
      mrn: r.mrn,
      title: r.title,
      reviewDate: r.review_date,
      dueInDays,
      overdue: dueInDays < 0,
      why,
    };
  });
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'care-plan', purpose: 'work-list', detail: { count: items.length } });
  return { today, horizon, items, nextCursor: more && lastRow ? Buffer.from(JSON.stringify([lastRow.review_date, lastRow.plan_id])).toString('base64url') : null };
}
