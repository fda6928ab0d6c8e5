// Recommendations for a patient: a planning context assembled from the record (latest
// stage, current medication for OUD, latest PHQ-9 and GAD-7, whether the programme runs
// contingency management), overridden field by field
// by what the clinician supplies, then core/planning's recommend(). The result says where
// each context field came from.
import { and, desc, eq } from 'drizzle-orm';
import { cmAvailabilityOf, parseContext, recommend, type PatientContext } from '../../../core/planning/index.ts';
import type { Moud, Stage } from '../../../core/planning/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { assertPatient } from '../patients/patients.ts';
import { medications } from '../patients/patients.tables.ts';
import { assessments, stageAssessments } from '../assessments/assessments.tables.ts';
import { cmEnrolments, cmProtocols } from '../cm/cm.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function assembleContext(tx: Tx, ctx: Ctx, patientId: string): Promise<{ context: PatientContext; sources: Record<string, string> }> {
  const programId = programOf(ctx);
  const context: PatientContext = {};
  const sources: Record<string, string> = {};
  const [stage] = await tx
    .select({ id: stageAssessments.id, stage: stageAssessments.stage, source: stageAssessments.source })
    .from(stageAssessments)
    .where(and(eq(stageAssessments.programId, programId), eq(stageAssessments.patientId, patientId)))
    .orderBy(desc(stageAssessments.assessedAt), desc(stageAssessments.createdAt))
    .limit(1);
  if (stage) {
    context.stage = stage.stage as Stage;
    sources.stage = `stage:${stage.id}`;
  }
  const today = ctx.now.toISOString().slice(0, 10);
  const meds = await tx
    .select({ id: medications.id, medication: medications.medication, endedOn: medications.endedOn })
    .from(medications)
    .where(and(eq(medications.programId, programId), eq(medications.patientId, patientId)))
    .orderBy(desc(medications.startedOn), desc(medications.createdAt));
  if (meds.length > 0) {
    const current = meds.find((m) => m.endedOn === null || m.endedOn > today);
    context.moud = (current ? current.medication : 'none') as Moud;
    sources.moud = current ? `medication:${current.id}` : 'medications (all ended)';
  }
  for (const [instrument, key] of [
    ['phq-9', 'phq9'],
    ['gad-7', 'gad7'],
  ] as const) {
    const [a] = await tx
      .select({ id: assessments.id, scores: assessments.scores, answers: assessments.answers })
      .from(assessments)
      .where(and(eq(assessments.programId, programId), eq(assessments.patientId, patientId), eq(assessments.instrument, instrument)))
      .orderBy(desc(assessments.administeredAt), desc(assessments.id))
      .limit(1);
    if (!a) continue;
    const total = (a.scores as Record<string, number | null>).total ?? null;
    if (total !== null) {
      context[key] = total;
      sources[key] = `assessment:${a.id}`;
    }
    if (instrument === 'phq-9') {
      const item9 = (a.answers as Record<string, number | null>)['9'];
      if (typeof item9 === 'number') {
        context.phq9Item9 = item9;
        sources.phq9Item9 = `assessment:${a.id}`;
      }
    }
  }
  // the programme runs CM when it has a CM protocol or a patient enrolled now (core's rule)
  const [protocol] = await tx.select({ id: cmProtocols.id }).from(cmProtocols).where(eq(cmProtocols.programId, programId)).limit(1);
  const [enrolment] = await tx
    .select({ id: cmEnrolments.id })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.status, 'active')))
    .limit(1);
  const cmAvailable = cmAvailabilityOf({ protocols: protocol ? 1 : 0, activeEnrolments: enrolment ? 1 : 0 });
  if (cmAvailable !== undefined) {
    context.cmAvailable = cmAvailable;
    sources.cmAvailable = protocol ? 'programme:cm-protocols' : 'programme:cm-enrolments';
  }
  return { context, sources };
}

export async function recommendForPatient(deps: Deps, patientId: string, input: { context?: Record<string, unknown> | undefined }) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const assembled = await assembleContext(tx, ctx, patientId);
  const supplied = Object.fromEntries(Object.entries(input.context ?? {}).filter(([, v]) => v !== undefined));
  const merged = parseContext({ ...assembled.context, ...supplied });
  const sources = { ...assembled.sources };
  for (const k of Object.keys(supplied)) sources[k] = 'clinician';
  const result = recommend(merged);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'recommendation',
    patientId,
    detail: { recommendations: result.recommendations.length, cautions: result.cautions.length, supplied: Object.keys(supplied) },
  });
  return { context: merged as Record<string, unknown>, sources, ...result };
}
