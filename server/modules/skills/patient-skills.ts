// The staff side of a patient's skills: what the counsellor assigned (perhaps from a care
// plan's intervention, with a due date), how far the patient got, what they entered, and the
// reviews the counsellor leaves on it — plus the programme's homework work list and its
// completion funnel by module (where engagement decays and where modules lose people).
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { localDate } from '../../../core/cm/calendar.ts';
import { funnel, moduleStatus, suggestModules } from '../../../core/skills/progress.ts';
import type { ExerciseEntry } from '../../../core/skills/exercises.ts';
import type { InterventionCode, Stage } from '../../../core/planning/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { stageAssessments } from '../assessments/assessments.tables.ts';
import { carePlans } from '../planning/planning.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { decodeCursor, pageOf, type Page } from '../cm/page.ts';
import { caseloadAssignments } from '../counselling/counselling.tables.ts';
import { findModule, library } from './modules.ts';
import { skillAssignments, skillEntries, skillProgress, skillReviews } from './skills.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** Homework entries per module, and how many of them have a review. */
const homeworkCounts = {
  key: skillEntries.moduleKey,
  entries: sql<number>`count(distinct ${skillEntries.id})::int`,
  reviewed: sql<number>`count(distinct ${skillReviews.entryId})::int`,
};
const reviewOfEntry = and(eq(skillReviews.programId, skillEntries.programId), eq(skillReviews.entryId, skillEntries.id));
type AssignmentRow = typeof skillAssignments.$inferSelect;

const assignmentDto = (a: AssignmentRow, name: string | null) => ({
  id: a.id,
  moduleKey: a.moduleKey,
  dueOn: a.dueOn,
  carePlanId: a.carePlanId,
  interventionId: a.interventionId,
  status: a.status as 'open' | 'cancelled',
  assignedAt: a.assignedAt.toISOString(),
  assignedByName: name,
});

async function currentStage(tx: Tx, programId: string, patientId: string): Promise<Stage | null> {
  const [row] = await tx
    .select({ stage: stageAssessments.stage })
    .from(stageAssessments)
    .where(and(eq(stageAssessments.programId, programId), eq(stageAssessments.patientId, patientId)))
    .orderBy(desc(stageAssessments.assessedAt), desc(stageAssessments.createdAt))
    .limit(1);
  return (row?.stage as Stage | undefined) ?? null;
}

export async function patientSkills(deps: Deps, patientId: string, query: { intervention?: InterventionCode | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [offered, assigned, progress, homework, stage, tz] = await Promise.all([
    library(tx, programId, { offered: true }),
    tx
      .select({ a: skillAssignments, by: users.displayName })
      .from(skillAssignments)
      .leftJoin(users, eq(users.id, skillAssignments.assignedBy))
      .where(and(eq(skillAssignments.programId, programId), eq(skillAssignments.patientId, patientId), eq(skillAssignments.status, 'open'))),
    tx
      .select()
      .from(skillProgress)
      .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId))),
    tx
      .select(homeworkCounts)
      .from(skillEntries)
      .leftJoin(skillReviews, reviewOfEntry)
      .where(and(eq(skillEntries.programId, programId), eq(skillEntries.patientId, patientId), eq(skillEntries.homework, true)))
      .groupBy(skillEntries.moduleKey),
    currentStage(tx, programId, patientId),
    programTimeZone(tx, programId),
  ]);
  const today = localDate(ctx.now, tz);
  const byKey = new Map(offered.map((m) => [m.doc.key, m]));
  const prog = new Map(progress.map((p) => [p.moduleKey, p]));
  const hw = new Map(homework.map((h) => [h.key, h]));
  const keys = [...new Set([...assigned.map((a) => a.a.moduleKey), ...progress.map((p) => p.moduleKey)])];
  const modules = [];
  for (const key of keys) {
    const p = prog.get(key);
    const m = byKey.get(key) ?? (await findModule(tx, programId, key, p?.version));
    const a = assigned.find((x) => x.a.moduleKey === key);
    const status = moduleStatus(p);
    modules.push({
      key,
      title: m?.doc.title ?? { en: key },
      topic: m?.doc.topic ?? 'psychoeducation',
      status,
      overdue: !!a?.a.dueOn && status !== 'completed' && a.a.dueOn < today,
      assignment: a ? assignmentDto(a.a, a.by) : null,
      progress: p
        ? {
            version: p.version,
            screens: p.screens,
            furthestScreen: p.furthestScreen,
            startedAt: p.startedAt.toISOString(),
            lastActiveAt: p.lastActiveAt.toISOString(),
            completedAt: p.completedAt?.toISOString() ?? null,
            rewarded: p.cmEventId !== null,
          }
        : null,
      homework: { entries: hw.get(key)?.entries ?? 0, reviewed: hw.get(key)?.reviewed ?? 0 },
    });
  }
  const rank = { assigned: 0, started: 1, completed: 2 } as const;
  modules.sort((x, y) => rank[x.status] - rank[y.status] || (x.assignment?.dueOn ?? '9999').localeCompare(y.assignment?.dueOn ?? '9999') || x.key.localeCompare(y.key));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'skills', patientId, detail: { modules: modules.length } });
  return {
    stage,
    suggestions: suggestModules(
      offered.map((m) => m.doc),
      { stage, intervention: query.intervention ?? null },
    ).map((m) => m.key),
    modules,
  };
}

export async function assignModule(deps: Deps, patientId: string, input: { moduleKey: string; dueOn?: string | undefined; carePlanId?: string | undefined; interventionId?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const m = await findModule(tx, programId, input.moduleKey);
  if (!m || m.status !== 'published') throw invalid('body.moduleKey', 'is not a module the programme offers');
  if ((input.carePlanId === undefined) !== (input.interventionId === undefined))
    throw invalid(input.carePlanId ? 'body.interventionId' : 'body.carePlanId', 'a care plan and its intervention go together');
  if (input.carePlanId) {
    const [plan] = await tx
      .select({ id: carePlans.id })
      .from(carePlans)
      .where(and(eq(carePlans.programId, programId), eq(carePlans.id, input.carePlanId), eq(carePlans.patientId, patientId)));
    if (!plan) throw invalid('body.carePlanId', 'is not one of this patient’s care plans');
  }
  if (input.dueOn && input.dueOn < localDate(ctx.now, await programTimeZone(tx, programId))) throw invalid('body.dueOn', 'is in the past');
  const row: AssignmentRow = {
    programId,
    id: randomUUID(),
    patientId,
    moduleKey: input.moduleKey,
    dueOn: input.dueOn ?? null,
    carePlanId: input.carePlanId ?? null,
    interventionId: input.interventionId ?? null,
    status: 'open',
    assignedBy: ctx.principal!.userId,
    assignedAt: ctx.now,
    cancelledBy: null,
    cancelledAt: null,
  };
  const inserted = await tx.insert(skillAssignments).values(row).onConflictDoNothing().returning({ id: skillAssignments.id });
  if (inserted.length === 0) throw conflict('already_assigned', 'This module is already assigned to the patient.', 'body.moduleKey');
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'skills-assignment', entityId: row.id, patientId, detail: { key: input.moduleKey, fromPlan: !!input.carePlanId } });
  return assignmentDto(row, ctx.principal?.displayName ?? null);
}

export async function cancelAssignment(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .update(skillAssignments)
    .set({ status: 'cancelled', cancelledBy: ctx.principal!.userId, cancelledAt: ctx.now })
    .where(and(eq(skillAssignments.programId, programId), eq(skillAssignments.patientId, patientId), eq(skillAssignments.id, id), eq(skillAssignments.status, 'open')))
    .returning();
  if (!row) throw notFound('Open assignment');
  await writeAudit(tx, auditContext(ctx), { action: 'cancel', entity: 'skills-assignment', entityId: id, patientId, detail: { key: row.moduleKey } });
  const [by] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, row.assignedBy));
  return assignmentDto(row, by?.name ?? null);
}

type EntryRow = typeof skillEntries.$inferSelect;

export async function listEntries(deps: Deps, patientId: string, query: Page & { homework?: 'true' | 'false' | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const after = decodeCursor(query.cursor, ['time', 'uuid']);
  const rows = await tx
    .select()
    .from(skillEntries)
    .where(
      and(
        eq(skillEntries.programId, programId),
        eq(skillEntries.patientId, patientId),
        query.homework === undefined ? undefined : eq(skillEntries.homework, query.homework === 'true'),
        after ? or(lt(skillEntries.enteredAt, new Date(after[0]!)), and(eq(skillEntries.enteredAt, new Date(after[0]!)), lt(skillEntries.id, after[1]!))) : undefined,
      ),
    )
    .orderBy(desc(skillEntries.enteredAt), desc(skillEntries.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => [r.enteredAt.toISOString(), r.id]);
  const reviews = page.items.length
    ? await tx
        .select({ r: skillReviews, by: users.displayName })
        .from(skillReviews)
        .leftJoin(users, eq(users.id, skillReviews.reviewedBy))
        .where(
          and(
            eq(skillReviews.programId, programId),
            inArray(
              skillReviews.entryId,
              page.items.map((e) => e.id),
            ),
          ),
        )
        .orderBy(skillReviews.reviewedAt)
    : [];
  const titles = new Map<string, Awaited<ReturnType<typeof findModule>>>();
  for (const e of page.items) if (!titles.has(`${e.moduleKey}@${e.version}`)) titles.set(`${e.moduleKey}@${e.version}`, await findModule(tx, programId, e.moduleKey, e.version));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'skills-entry', patientId, detail: { count: page.items.length } });
  return {
    items: page.items.map((e: EntryRow) => ({
      id: e.id,
      moduleKey: e.moduleKey,
      moduleTitle: titles.get(`${e.moduleKey}@${e.version}`)?.doc.title ?? { en: e.moduleKey },
      version: e.version,
      stepId: e.stepId,
      homework: e.homework,
      entry: { type: e.type, data: e.data } as ExerciseEntry,
      enteredAt: e.enteredAt.toISOString(),
      reviews: reviews.filter((r) => r.r.entryId === e.id).map((r) => ({ id: r.r.id, comment: r.r.comment, reviewedAt: r.r.reviewedAt.toISOString(), reviewedByName: r.by })),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function reviewEntry(deps: Deps, patientId: string, entryId: string, input: { comment?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [entry] = await tx
    .select({ id: skillEntries.id })
    .from(skillEntries)
    .where(and(eq(skillEntries.programId, programId), eq(skillEntries.patientId, patientId), eq(skillEntries.id, entryId)));
  if (!entry) throw notFound('Entry');
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const id = randomUUID();
  await tx.insert(skillReviews).values({ programId, id, entryId, patientId, comment, reviewedBy: ctx.principal!.userId, reviewedAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'skills-review', entityId: id, patientId, detail: { entryId, comment: comment !== null } });
  return { id, comment, reviewedAt: ctx.now.toISOString(), reviewedByName: ctx.principal?.displayName ?? null };
}

/** Homework not yet reviewed, newest first; `mine`: only the patients on my caseload. */
export async function homeworkToReview(deps: Deps, query: Page & { mine?: 'true' | 'false' | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(query.cursor, ['time', 'uuid']);
  // my caseload: the patients I carry now (as counsellor or peer)
  const mine =
    query.mine === 'true'
      ? tx
          .select({ id: caseloadAssignments.patientId })
          .from(caseloadAssignments)
          .where(and(eq(caseloadAssignments.programId, programId), eq(caseloadAssignments.userId, ctx.principal!.userId), isNull(caseloadAssignments.endedAt)))
      : null;
  const rows = await tx
    .select({ e: skillEntries, given: patients.preferredName, first: patients.legalGivenName, family: patients.legalFamilyName })
    .from(skillEntries)
    .innerJoin(patients, and(eq(patients.programId, skillEntries.programId), eq(patients.id, skillEntries.patientId)))
    .leftJoin(skillReviews, and(eq(skillReviews.programId, skillEntries.programId), eq(skillReviews.entryId, skillEntries.id)))
    .where(
      and(
        eq(skillEntries.programId, programId),
        eq(skillEntries.homework, true),
        isNull(skillReviews.id),
        mine ? inArray(skillEntries.patientId, mine) : undefined,
        after ? or(lt(skillEntries.enteredAt, new Date(after[0]!)), and(eq(skillEntries.enteredAt, new Date(after[0]!)), lt(skillEntries.id, after[1]!))) : undefined,
      ),
    )
    .orderBy(desc(skillEntries.enteredAt), desc(skillEntries.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => [r.e.enteredAt.toISOString(), r.e.id]);
  const titles = new Map((await library(tx, programId, { offered: false })).map((m) => [m.doc.key, m.doc.title]));
  await writeAudit(tx, auditContext(ctx, {}), { action: 'read', entity: 'skills-entry', purpose: 'work-list', detail: { count: page.items.length, mine: !!mine } });
  return {
    items: page.items.map((r) => ({
      id: r.e.id,
      patientId: r.e.patientId,
      patientName: `${r.given ?? r.first} ${r.family}`,
      moduleKey: r.e.moduleKey,
      moduleTitle: titles.get(r.e.moduleKey) ?? { en: r.e.moduleKey },
      enteredAt: r.e.enteredAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

/** The completion funnel of every module, for modules started (or assigned) in the period (programme days, inclusive). */
export async function skillsReport(deps: Deps, query: { from?: string | undefined; to?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const to = query.to ?? localDate(ctx.now, tz);
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw invalid('query.from', 'is after query.to');
  // the period's bounds as instants: from the start of `from` to the end of `to`, in the programme's zone
  const start = sql`(${from}::date)::timestamp at time zone ${tz}`;
  const end = sql`((${to}::date + 1))::timestamp at time zone ${tz}`;
  const [mods, assigned, started, homework] = await Promise.all([
    library(tx, programId, { offered: false }),
    tx
      .select({ key: skillAssignments.moduleKey, n: sql<number>`count(*)::int` })
      .from(skillAssignments)
      .where(and(eq(skillAssignments.programId, programId), gte(skillAssignments.assignedAt, start), lt(skillAssignments.assignedAt, end)))
      .groupBy(skillAssignments.moduleKey),
    tx
      .select({
        key: skillProgress.moduleKey,
        furthestScreen: skillProgress.furthestScreen,
        screens: skillProgress.screens,
        startedAt: skillProgress.startedAt,
        completedAt: skillProgress.completedAt,
      })
      .from(skillProgress)
      .where(and(eq(skillProgress.programId, programId), gte(skillProgress.startedAt, start), lt(skillProgress.startedAt, end))),
    tx
      .select(homeworkCounts)
      .from(skillEntries)
      .leftJoin(skillReviews, reviewOfEntry)
      .where(and(eq(skillEntries.programId, programId), eq(skillEntries.homework, true), gte(skillEntries.enteredAt, start), lt(skillEntries.enteredAt, end)))
      .groupBy(skillEntries.moduleKey),
  ]);
  const nAssigned = new Map(assigned.map((a) => [a.key, a.n]));
  const hw = new Map(homework.map((h) => [h.key, h]));
  const items = mods.map((m) => {
    const f = funnel(
      m.doc.screens.length,
      nAssigned.get(m.doc.key) ?? 0,
      started.filter((s) => s.key === m.doc.key),
    );
    return {
      key: m.doc.key,
      title: m.doc.title,
      origin: m.origin,
      screens: m.doc.screens.length,
      screenTitles: m.doc.screens.map((s) => (s.kind === 'check' ? s.question : s.title)),
      ...f,
      homeworkEntries: hw.get(m.doc.key)?.entries ?? 0,
      homeworkReviewed: hw.get(m.doc.key)?.reviewed ?? 0,
    };
  });
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'skills', purpose: 'work-list', detail: { report: 'funnel', from, to } });
  return { from, to, items };
}
