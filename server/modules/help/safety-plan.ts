// The personal safety plan (core/help/safety-plan.ts; ADR 037): the patient edits it in the
// app, the care team in the console. Every save is a new immutable version naming who saved
// it (the patient, or a staff member) and which parts changed; a save names the version it
// was made from and is refused (409 stale_version) when another was saved since, so one
// edit never silently overwrites the other. Reads and saves are audited in the same
// transaction, a patient's with the patient as the actor.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { changedSections, EMPTY_SAFETY_PLAN, nextVersion, safetyPlanProblems, tidySafetyPlan, type SafetyPlanContent, type SafetyPlanSection } from '../../../core/help/safety-plan.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { safetyPlans, safetyPlanVersions } from './help.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Saver = { kind: 'patient' } | { kind: 'staff'; userId: string };
/** Who may see staff names: the console does; the patient app is told "your care team". */
type View = 'staff' | 'patient';

const stale = (current: number) =>
  conflict('stale_version', `This safety plan was changed since it was opened (it is now at version ${current}). Reload it, then make your change again.`, 'body.version');

async function names(tx: Tx, ids: Array<string | null>): Promise<Record<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => x !== null))];
  if (list.length === 0) return {};
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

const savedByOf = (kind: string, userId: string | null, view: View, n: Record<string, string>) => ({
  kind: kind === 'staff' ? ('staff' as const) : ('patient' as const),
  name: view === 'staff' && userId ? (n[userId] ?? null) : null,
});

async function current(tx: Tx, programId: string, patientId: string, view: View) {
  const [row] = await tx
    .select({ version: safetyPlanVersions.version, content: safetyPlanVersions.content, savedAt: safetyPlanVersions.savedAt, kind: safetyPlanVersions.savedByKind, by: safetyPlanVersions.savedBy })
    .from(safetyPlans)
    .innerJoin(
      safetyPlanVersions,
      and(eq(safetyPlanVersions.programId, safetyPlans.programId), eq(safetyPlanVersions.patientId, safetyPlans.patientId), eq(safetyPlanVersions.version, safetyPlans.currentVersion)),
    )
    .where(and(eq(safetyPlans.programId, programId), eq(safetyPlans.patientId, patientId)));
  if (!row) return { version: 0, plan: EMPTY_SAFETY_PLAN, savedAt: null, savedBy: null };
  return { version: row.version, plan: row.content as SafetyPlanContent, savedAt: row.savedAt.toISOString(), savedBy: savedByOf(row.kind, row.by, view, await names(tx, [row.by])) };
}

async function save(deps: Deps, programId: string, patientId: string, input: { version: number; plan: SafetyPlanContent }, by: Saver, view: View) {
  const { tx, ctx } = deps;
  const plan = tidySafetyPlan(input.plan);
  const problems = safetyPlanProblems(plan);
  if (problems.length > 0)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `The safety plan is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems: problems.map((p) => ({ field: `body.plan.${p.field}`, message: p.message })),
    });
  const [row] = await tx
    .select({ version: safetyPlans.currentVersion })
    .from(safetyPlans)
    .where(and(eq(safetyPlans.programId, programId), eq(safetyPlans.patientId, patientId)));
  const at = row?.version ?? 0;
  const next = nextVersion(at, input.version);
  if (!next.ok) throw stale(next.current);
  // the check again in the write itself: a concurrent save moved the row (or made it) first → refused
  const moved =
    at === 0
      ? await tx.insert(safetyPlans).values({ programId, patientId, currentVersion: next.version, updatedAt: ctx.now }).onConflictDoNothing().returning({ v: safetyPlans.currentVersion })
      : await tx
          .update(safetyPlans)
          .set({ currentVersion: next.version, updatedAt: ctx.now })
          .where(and(eq(safetyPlans.programId, programId), eq(safetyPlans.patientId, patientId), eq(safetyPlans.currentVersion, at)))
          .returning({ v: safetyPlans.currentVersion });
  if (moved.length === 0) throw stale(at + 1);
  let before: SafetyPlanContent | null = null;
  if (at > 0) {
    const [prev] = await tx
      .select({ content: safetyPlanVersions.content })
      .from(safetyPlanVersions)
      .where(and(eq(safetyPlanVersions.programId, programId), eq(safetyPlanVersions.patientId, patientId), eq(safetyPlanVersions.version, at)));
    before = (prev?.content as SafetyPlanContent | undefined) ?? null;
  }
  const changed = changedSections(before, plan);
  await tx.insert(safetyPlanVersions).values({
    programId,
    patientId,
    version: next.version,
    content: plan,
    changedSections: changed,
    savedByKind: by.kind,
    savedBy: by.kind === 'staff' ? by.userId : null,
    savedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'safety-plan', patientId, detail: { version: next.version, sections: changed } });
  return current(tx, programId, patientId, view);
}

// --- the patient, in the app -------------------------------------------------------

export async function patientSafetyPlan(deps: Deps, me: PatientPrincipal) {
  const out = await current(deps.tx, me.programId, me.patientId, 'patient');
  await writeAudit(deps.tx, auditContext(deps.ctx), { action: 'read', entity: 'safety-plan', patientId: me.patientId, detail: { version: out.version } });
  return out;
}

export function savePatientSafetyPlan(deps: Deps, me: PatientPrincipal, input: { version: number; plan: SafetyPlanContent }) {
  return save(deps, me.programId, me.patientId, input, { kind: 'patient' }, 'patient');
}

// --- the care team, in the console ---------------------------------------------------

export async function staffSafetyPlan(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const out = await current(tx, programOf(ctx), patientId, 'staff');
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'safety-plan', patientId, detail: { version: out.version } });
  return out;
}

export async function saveStaffSafetyPlan(deps: Deps, patientId: string, input: { version: number; plan: SafetyPlanContent }) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  return save(deps, programOf(ctx), patientId, input, { kind: 'staff', userId: ctx.principal!.userId }, 'staff');
}

/** Every saved version, newest first (the console's history), with its words: a counsellor compares them with the patient. */
export async function safetyPlanVersionsOf(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(safetyPlanVersions)
    .where(and(eq(safetyPlanVersions.programId, programId), eq(safetyPlanVersions.patientId, patientId)))
    .orderBy(desc(safetyPlanVersions.version))
    .limit(100);
  const n = await names(
    tx,
    rows.map((r) => r.savedBy),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'safety-plan-version', patientId, detail: { count: rows.length } });
  return {
    items: rows.map((r) => ({
      version: r.version,
      savedAt: r.savedAt.toISOString(),
      savedBy: savedByOf(r.savedByKind, r.savedBy, 'staff', n),
      changedSections: r.changedSections as SafetyPlanSection[],
      plan: r.content as SafetyPlanContent,
    })),
  };
}
