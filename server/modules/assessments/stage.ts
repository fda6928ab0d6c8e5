// Stage of change: the history per patient (from URICA administrations and clinicians'
// judgements), shown as a trajectory; a clinician's judgement that differs from the
// current URICA-derived stage is an override and must give its reason. Movement back is
// described without blame (core/planning describeTrajectory).
import { and, asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { describeTrajectory, stageLabel, type StageAssessment } from '../../../core/planning/index.ts';
import { STAGES, type Stage } from '../../../core/planning/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { stageAssessments } from './assessments.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof stageAssessments.$inferSelect;

const pointDto = (r: Row, name: string | null) => ({
  id: r.id,
  stage: r.stage as Stage,
  rank: STAGES.indexOf(r.stage as Stage),
  label: stageLabel(r.stage as Stage),
  source: r.source as 'urica' | 'clinician',
  method: r.method,
  informedBy: r.informedBy as string[],
  assessmentId: r.assessmentId,
  overridesId: r.overridesId,
  reason: r.reason,
  note: r.note,
  assessedBy: r.assessedBy,
  assessedByName: name,
  assessedAt: r.assessedAt.toISOString(),
});
export type StagePointDto = ReturnType<typeof pointDto>;

async function history(tx: Tx, programId: string, patientId: string) {
  return tx
    .select({ s: stageAssessments, name: users.displayName })
    .from(stageAssessments)
    .leftJoin(users, eq(users.id, stageAssessments.assessedBy))
    .where(and(eq(stageAssessments.programId, programId), eq(stageAssessments.patientId, patientId)))
    .orderBy(asc(stageAssessments.assessedAt), asc(stageAssessments.createdAt));
}

function trajectory(rows: Array<{ s: Row; name: string | null }>) {
  const points = rows.map((r) => pointDto(r.s, r.name));
  const core: Array<StageAssessment & { id: string }> = rows.map((r) => ({
    id: r.s.id,
    stage: r.s.stage as Stage,
    source: r.s.source as 'urica' | 'clinician',
    assessedAt: r.s.assessedAt.toISOString(),
  }));
  const t = describeTrajectory(core);
  const idOf = (a: StageAssessment) => (a as StageAssessment & { id: string }).id;
  const byId = new Map(points.map((p) => [p.id, p]));
  const ordered = t.points.map((p) => byId.get(idOf(p))!);
  return {
    current: ordered[ordered.length - 1] ?? null,
    points: ordered,
    changes: t.changes.map((c) => ({ fromId: idOf(c.from), toId: idOf(c.to), direction: c.direction, text: c.text })),
  };
}

export async function getStageTrajectory(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const rows = await history(tx, programOf(ctx), patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'stage', patientId, detail: { count: rows.length } });
  return trajectory(rows);
}

export async function recordStage(
  deps: Deps,
  patientId: string,
  input: { stage: Stage; informedBy: Array<'urica' | 'socrates-8d' | 'readiness-ruler' | 'interview'>; reason?: string | undefined; note?: string | undefined; assessedAt?: string | undefined },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const at = input.assessedAt ? new Date(input.assessedAt) : ctx.now;
  if (at.getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('body.assessedAt', 'must not be in the future');
  const rows = await history(tx, programId, patientId);
  const latest = rows[rows.length - 1]?.s;
  // Differing from the current URICA-derived stage is an override: say why.
  const overrides = latest && latest.source === 'urica' && latest.stage !== input.stage ? latest : null;
  if (overrides && !input.reason) throw invalid('body.reason', `is required: this overrides the URICA stage (${overrides.stage}); say why`);
  const id = randomUUID();
  await tx.insert(stageAssessments).values({
    programId,
    id,
    patientId,
    stage: input.stage,
    source: 'clinician',
    method: null,
    informedBy: [...new Set(input.informedBy)],
    assessmentId: null,
    overridesId: overrides?.id ?? null,
    reason: input.reason ?? null,
    note: input.note ?? null,
    assessedBy: ctx.principal!.userId,
    assessedAt: at,
    createdAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'stage', entityId: id, patientId, detail: { source: 'clinician', override: overrides !== null } });
  return trajectory(await history(tx, programId, patientId));
}
