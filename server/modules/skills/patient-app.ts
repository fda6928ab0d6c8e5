// The patient's side of skills (the patient app, /api/patient/skills): what they can open
// (their assigned modules first, then the library), the screens they reached, what they
// entered, and completing a module — which, for a module their counsellor assigned, posts the
// CM `module` event in the same transaction. Offline work arrives later with the time it was
// done (at most 7 days back); screens only move forward, entries are stored once per id.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { advance, canComplete, completionEarns } from '../../../core/skills/progress.ts';
import { hasContent } from '../../../core/skills/exercises.ts';
import { offlineTimeProblem } from '../../../core/offline-time.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { postModuleEvent } from '../cm/specimens.ts';
import { contentUrl, findModule, library } from './modules.ts';
import { skillAssignments, skillEntries, skillProgress, skillReviews } from './skills.tables.ts';
import type { ExerciseEntry } from '../../../core/skills/exercises.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** When the patient did it (see core/offline-time.ts), or a 400 naming body.at. */
function madeAt(ctx: Ctx, at: string): Date {
  const t = new Date(at);
  const problem = offlineTimeProblem(t, ctx.now);
  if (problem) throw invalid('body.at', problem);
  return t;
}

export async function mySkills(deps: Deps, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const [modules, assigned, progress, comments] = await Promise.all([
    library(tx, programId, { offered: true }),
    tx
      .select({ moduleKey: skillAssignments.moduleKey, dueOn: skillAssignments.dueOn, assignedAt: skillAssignments.assignedAt })
      .from(skillAssignments)
      .where(and(eq(skillAssignments.programId, programId), eq(skillAssignments.patientId, patientId), eq(skillAssignments.status, 'open'))),
    tx
      .select()
      .from(skillProgress)
      .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId))),
    tx
      .select({ r: skillReviews, e: { moduleKey: skillEntries.moduleKey, stepId: skillEntries.stepId }, by: users.displayName })
      .from(skillReviews)
      .innerJoin(skillEntries, and(eq(skillEntries.programId, skillReviews.programId), eq(skillEntries.id, skillReviews.entryId)))
      .leftJoin(users, eq(users.id, skillReviews.reviewedBy))
      // the comments they can read: a review without one is for the clinic's work list only
      .where(and(eq(skillReviews.programId, programId), eq(skillReviews.patientId, patientId), isNotNull(skillReviews.comment)))
      .orderBy(desc(skillReviews.reviewedAt))
      .limit(50),
  ]);
  const due = new Map(assigned.map((a) => [a.moduleKey, a]));
  const prog = new Map(progress.map((p) => [p.moduleKey, p]));
  const items = modules.map((m) => {
    const p = prog.get(m.doc.key);
    const a = due.get(m.doc.key);
    return {
      key: m.doc.key,
      version: m.doc.version,
      title: m.doc.title,
      goal: m.doc.goal,
      topic: m.doc.topic,
      minutes: m.doc.minutes,
      screens: m.doc.screens.length,
      contentUrl: contentUrl(programId, m),
      dueOn: a?.dueOn ?? null,
      assigned: a !== undefined,
      status: p ? (p.completedAt ? ('completed' as const) : ('started' as const)) : ('new' as const),
      furthestScreen: p && p.version === m.doc.version ? p.furthestScreen : null,
    };
  });
  // assigned and not finished first (soonest due first), then the rest of the library
  const rank = (x: (typeof items)[number]) => (x.assigned && x.status !== 'completed' ? 0 : x.status === 'started' ? 1 : 2);
  items.sort((a, b) => rank(a) - rank(b) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.key.localeCompare(b.key));
  await writeAudit(tx, auditContext(ctx, { programId }), { action: 'read', entity: 'skills', patientId, detail: { assigned: assigned.length, comments: comments.length } });
  return {
    modules: items,
    comments: comments.map((c) => ({ entryId: c.r.entryId, moduleKey: c.e.moduleKey, stepId: c.e.stepId, comment: c.r.comment!, reviewedAt: c.r.reviewedAt.toISOString(), by: c.by })),
  };
}

/** The module at the version the patient works on (a retired version keeps working for those who started it). */
async function moduleFor(tx: Tx, programId: string, key: string, version: number) {
  const m = await findModule(tx, programId, key, version);
  if (!m || m.status === 'draft') throw notFound('Module');
  return m;
}

export async function reachScreen(deps: Deps, me: PatientPrincipal, input: { moduleKey: string; version: number; screen: number; at: string }) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const at = madeAt(ctx, input.at);
  const m = await moduleFor(tx, programId, input.moduleKey, input.version);
  const screens = m.doc.screens.length;
  if (input.screen >= screens) throw invalid('body.screen', `is past the module’s last screen (${screens - 1})`);
  const [row] = await tx
    .select()
    .from(skillProgress)
    .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId), eq(skillProgress.moduleKey, input.moduleKey)))
    .for('update');
  let result: { furthestScreen: number; screens: number };
  if (!row) {
    await tx.insert(skillProgress).values({ programId, patientId, moduleKey: input.moduleKey, version: input.version, screens, furthestScreen: input.screen, startedAt: at, lastActiveAt: at });
    result = { furthestScreen: input.screen, screens };
    await writeAudit(tx, auditContext(ctx, { programId }), { action: 'create', entity: 'skills-progress', patientId, detail: { key: input.moduleKey, version: input.version } });
  } else if (row.version !== input.version) {
    // a newer version of a module the patient had begun (or finished): they start it again from here
    const furthest = input.screen;
    await tx
      .update(skillProgress)
      .set({ version: input.version, screens, furthestScreen: furthest, lastActiveAt: at, ...(row.completedAt ? {} : { startedAt: at }) })
      .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId), eq(skillProgress.moduleKey, input.moduleKey)));
    result = { furthestScreen: furthest, screens };
  } else {
    const furthest = advance(row.furthestScreen, input.screen);
    const last = at > row.lastActiveAt ? at : row.lastActiveAt;
    if (furthest !== row.furthestScreen || last !== row.lastActiveAt)
      await tx
        .update(skillProgress)
        .set({ furthestScreen: furthest, lastActiveAt: last })
        .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId), eq(skillProgress.moduleKey, input.moduleKey)));
    result = { furthestScreen: furthest, screens };
  }
  return result;
}

export async function saveEntry(deps: Deps, me: PatientPrincipal, input: { id: string; moduleKey: string; version: number; stepId: string; homework: boolean; entry: ExerciseEntry; at: string }) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const at = madeAt(ctx, input.at);
  const m = await moduleFor(tx, programId, input.moduleKey, input.version);
  const step = input.homework ? (input.stepId === 'homework' ? m.doc.homework.exercise : null) : m.doc.screens.find((s) => s.id === input.stepId && s.kind === 'exercise');
  const expected = step ? ('type' in step ? step.type : step.kind === 'exercise' ? step.exercise.type : null) : null;
  if (!expected) throw invalid('body.stepId', input.homework ? 'homework is sent with stepId "homework"' : 'is not an exercise screen of this module');
  if (input.entry.type !== expected) throw invalid('body.entry.type', `this step is a ${expected} exercise`);
  if (!hasContent(input.entry)) throw invalid('body.entry.data', 'is empty: write something first');
  const inserted = await tx
    .insert(skillEntries)
    .values({
      programId,
      id: input.id,
      patientId,
      moduleKey: input.moduleKey,
      version: input.version,
      stepId: input.stepId,
      homework: input.homework,
      type: input.entry.type,
      data: input.entry.data,
      enteredAt: at,
      receivedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ patientId: skillEntries.patientId });
  if (inserted.length === 0) {
    // the same id again: the phone resending what it already sent, never someone else's entry
    const [mine] = await tx
      .select({ patientId: skillEntries.patientId })
      .from(skillEntries)
      .where(and(eq(skillEntries.programId, programId), eq(skillEntries.id, input.id)));
    if (mine?.patientId !== patientId) throw conflict('entry_id_taken', 'Send this entry with a new id.', 'body.id');
    return { id: input.id, duplicate: true };
  }
  await writeAudit(tx, auditContext(ctx, { programId }), {
    action: 'create',
    entity: 'skills-entry',
    entityId: input.id,
    patientId,
    detail: { key: input.moduleKey, homework: input.homework, type: input.entry.type },
  });
  return { id: input.id, duplicate: false };
}

export async function completeModule(deps: Deps, me: PatientPrincipal, input: { moduleKey: string; version: number; at: string }) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const at = madeAt(ctx, input.at);
  await moduleFor(tx, programId, input.moduleKey, input.version);
  const [row] = await tx
    .select()
    .from(skillProgress)
    .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId), eq(skillProgress.moduleKey, input.moduleKey)))
    .for('update');
  if (!row || row.version !== input.version || !canComplete(row)) throw conflict('module_not_finished', 'Every screen of the module comes before finishing it.', 'body.moduleKey');
  if (row.completedAt) return { completedAt: row.completedAt.toISOString(), duplicate: true, earned: null };

  const [assignment] = await tx
    .select({ id: skillAssignments.id })
    .from(skillAssignments)
    .where(and(eq(skillAssignments.programId, programId), eq(skillAssignments.patientId, patientId), eq(skillAssignments.moduleKey, input.moduleKey), eq(skillAssignments.status, 'open')));
  const posted = completionEarns({ assignmentOpen: assignment !== undefined }) ? await postModuleEvent(deps, { patientId, moduleKey: input.moduleKey, version: input.version }) : null;
  await tx
    .update(skillProgress)
    .set({ completedAt: at, lastActiveAt: at > row.lastActiveAt ? at : row.lastActiveAt, assignmentId: assignment?.id ?? null, cmEventId: posted?.eventId ?? null })
    .where(and(eq(skillProgress.programId, programId), eq(skillProgress.patientId, patientId), eq(skillProgress.moduleKey, input.moduleKey)));
  await writeAudit(tx, auditContext(ctx, { programId }), {
    action: 'submit',
    entity: 'skills-progress',
    patientId,
    detail: { key: input.moduleKey, version: input.version, assigned: assignment !== undefined, cmEventId: posted?.eventId ?? null },
  });
  return {
    completedAt: at.toISOString(),
    duplicate: false,
    earned: posted ? { voucherCents: posted.award.voucherCents, draws: posted.award.prizeDrawsEarned } : null,
  };
}
