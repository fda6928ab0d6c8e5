// Administering an instrument: score it (core/instruments), store the administration, its
// score observations (the FHIR projection), a URICA-derived stage and — for an urgent alert
// such as PHQ-9 item 9 > 0 — a safety alert for the care team, all in one transaction
// with the audit event. Reading and listing administrations is audited too.
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import {
  hasAnyAnswer,
  INSTRUMENTS,
  InstrumentInputError,
  scoreInstrument,
  type Alert,
  type Band,
  type InstrumentId,
  type ScoreResult,
  type StageResult,
  type UricaStageMethod,
} from '../../../core/instruments/index.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { assessments, safetyAlerts, scoreObservations, stageAssessments } from './assessments.tables.ts';
import { codesOf, questionnaireOf } from './questionnaires.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof assessments.$inferSelect;

export type AssessmentDto = {
  id: string;
  patientId: string;
  instrument: InstrumentId;
  title: string;
  questionnaireUrl: string;
  answers: Record<string, number | null>;
  targetBehavior: string | null;
  complete: boolean;
  missing: string[];
  scores: Record<string, number | null>;
  band: Band | null;
  stage: StageResult | null;
  alerts: Alert[];
  safetyAlertIds: string[];
  stageAssessmentId: string | null;
  mode: 'staff' | 'patient-tablet';
  administeredBy: string;
  administeredByName: string | null;
  administeredAt: string;
};

/** The instrument registry (no patient data), paged like every collection; the cursor is the last id. */
export function listInstruments(page: { limit: number; cursor?: string | undefined } = { limit: 50 }) {
  const all = Object.values(INSTRUMENTS).map((i) => ({ id: i.id, title: i.title, questionnaireUrl: i.questionnaireUrl, scoreNames: [...i.scoreNames] }));
  const start = page.cursor ? all.findIndex((i) => i.id === page.cursor) + 1 : 0;
  if (page.cursor && start === 0) throw invalid('query.cursor', 'is not valid');
  const items = all.slice(start, start + page.limit);
  return { items, nextCursor: start + page.limit < all.length ? items[items.length - 1]!.id : null };
}

/** Maps the scorer's input error to a 400 naming each item: body.answers.<item>. */
export function scoreOr400(instrument: InstrumentId, answers: Record<string, number | null>, targetBehavior: string | undefined, method: UricaStageMethod | undefined): ScoreResult {
  try {
    return scoreInstrument(instrument, { answers, ...(targetBehavior !== undefined ? { targetBehavior } : {}) }, method ? { uricaStageMethod: method } : undefined);
  } catch (err) {
    if (err instanceof InstrumentInputError) {
      const problems = err.problems.map((p) => ({ field: `body.answers.${p.item}`, message: p.message }));
      throw new AppError({
        code: 'invalid_input',
        status: 400,
        message: `Some answers are not valid for ${INSTRUMENTS[instrument].title}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
        problems,
      });
    }
    throw err;
  }
}

export type AdministerInput = {
  instrument: InstrumentId;
  answers: Record<string, number | null>;
  targetBehavior?: string | undefined;
  administeredAt?: string | undefined;
  uricaStageMethod?: UricaStageMethod | undefined;
};
export type AdministerOptions = {
  mode: 'staff' | 'patient-tablet';
  /** The staff member responsible (the one who started a tablet session). */
  administeredBy: string;
  patientSessionId?: string;
};

export async function administer(deps: Deps, patientId: string, input: AdministerInput, opts?: AdministerOptions): Promise<AssessmentDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const o: AdministerOptions = opts ?? { mode: 'staff', administeredBy: ctx.principal!.userId };
  const audit = auditContext(ctx, o.mode === 'patient-tablet' ? { actorId: null, actorRole: 'patient-tablet' } : {});
  await assertPatient(tx, ctx, patientId);
  let at = ctx.now;
  if (input.administeredAt) {
    at = new Date(input.administeredAt);
    if (at.getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('body.administeredAt', 'must not be in the future');
  }
  if (!hasAnyAnswer(input.answers)) throw invalid('body.answers', 'has no answers: answer at least one question (an instrument with no answers is not saved)');
  const result = scoreOr400(input.instrument, input.answers, input.targetBehavior, input.uricaStageMethod);
  const id = randomUUID();
  const q = questionnaireOf(input.instrument);
  const [row] = await tx
    .insert(assessments)
    .values({
      programId,
      id,
      patientId,
      instrument: input.instrument,
      questionnaireVersion: q.version,
      answers: input.answers,
      targetBehavior: result.targetBehavior ?? null,
      complete: result.complete,
      missing: result.missing,
      scores: result.scores,
      band: result.band ?? null,
      stage: result.stage ?? null,
      alerts: result.alerts,
      mode: o.mode,
      administeredBy: o.administeredBy,
      patientSessionId: o.patientSessionId ?? null,
      administeredAt: at,
      createdAt: ctx.now,
    })
    .returning();

  // Score observations: a panel, and one member per computed score.
  const codes = codesOf(input.instrument);
  const members = Object.entries(result.scores)
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([name, value]) => {
      const c = codes.scores[name]!;
      return {
        programId,
        id: randomUUID(),
        patientId,
        assessmentId: id,
        kind: 'score',
        scoreName: name,
        codeSystem: c.system,
        code: c.code,
        display: c.display,
        value,
        band: result.band && INSTRUMENTS[input.instrument].scoreNames.length === 1 ? { code: result.band.code, label: result.band.label } : null,
        members: null,
        complete: true,
        effectiveAt: at,
      };
    });
  await tx.insert(scoreObservations).values([
    {
      programId,
      id: randomUUID(),
      patientId,
      assessmentId: id,
      kind: 'panel',
      scoreName: null,
      codeSystem: codes.panel.system,
      code: codes.panel.code,
      display: codes.panel.display,
      value: null,
      band: null,
      members: members.map((m) => m.id),
      complete: result.complete,
      effectiveAt: at,
    },
    ...members,
  ]);

  // An urgent alert goes to the care team now, in this transaction.
  const safetyAlertIds: string[] = [];
  for (const alert of result.alerts.filter((a) => a.severity === 'urgent')) {
    const alertId = randomUUID();
    await tx.insert(safetyAlerts).values({ programId, id: alertId, patientId, assessmentId: id, code: alert.code, severity: alert.severity, text: alert.text, raisedAt: ctx.now });
    safetyAlertIds.push(alertId);
    await writeAudit(tx, audit, { action: 'create', entity: 'safety-alert', entityId: alertId, patientId, detail: { assessmentId: id } });
  }

  // A URICA with a stage adds a point to the stage history.
  let stageAssessmentId: string | null = null;
  if (input.instrument === 'urica' && result.stage) {
    stageAssessmentId = randomUUID();
    await tx.insert(stageAssessments).values({
      programId,
      id: stageAssessmentId,
      patientId,
      stage: result.stage.code,
      source: 'urica',
      method: result.stage.method,
      informedBy: [],
      assessmentId: id,
      overridesId: null,
      reason: null,
      note: null,
      assessedBy: o.administeredBy,
      assessedAt: at,
      createdAt: ctx.now,
    });
  }

  await writeAudit(tx, audit, {
    action: 'create',
    entity: 'assessment',
    entityId: id,
    patientId,
    detail: {
      instrument: input.instrument,
      mode: o.mode,
      missingCount: result.missing.length,
      safetyAlertCount: safetyAlertIds.length,
      ...(o.patientSessionId ? { patientSessionId: o.patientSessionId } : {}),
    },
  });
  const [who] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, o.administeredBy));
  return toDto(row!, who?.name ?? null, safetyAlertIds, stageAssessmentId);
}

function toDto(r: Row, administeredByName: string | null, safetyAlertIds: string[], stageAssessmentId: string | null): AssessmentDto {
  const instrument = r.instrument as InstrumentId;
  return {
    id: r.id,
    patientId: r.patientId,
    instrument,
    title: INSTRUMENTS[instrument].title,
    questionnaireUrl: INSTRUMENTS[instrument].questionnaireUrl,
    answers: r.answers as Record<string, number | null>,
    targetBehavior: r.targetBehavior,
    complete: r.complete,
    missing: r.missing as string[],
    scores: r.scores as Record<string, number | null>,
    band: (r.band as Band | null) ?? null,
    stage: (r.stage as StageResult | null) ?? null,
    alerts: r.alerts as Alert[],
    safetyAlertIds,
    stageAssessmentId,
    mode: r.mode as 'staff' | 'patient-tablet',
    administeredBy: r.administeredBy,
    administeredByName,
    administeredAt: r.administeredAt.toISOString(),
  };
}

async function decorate(tx: Tx, programId: string, rows: Array<{ a: Row; name: string | null }>): Promise<AssessmentDto[]> {
  const ids = rows.map((r) => r.a.id);
  if (ids.length === 0) return [];
  const alerts = await tx
    .select({ id: safetyAlerts.id, assessmentId: safetyAlerts.assessmentId })
    .from(safetyAlerts)
    .where(and(eq(safetyAlerts.programId, programId), inArray(safetyAlerts.assessmentId, ids)));
  const stages = await tx
    .select({ id: stageAssessments.id, assessmentId: stageAssessments.assessmentId })
    .from(stageAssessments)
    .where(and(eq(stageAssessments.programId, programId), inArray(stageAssessments.assessmentId, ids)));
  return rows.map(({ a, name }) =>
    toDto(
      a,
      name,
      alerts.filter((x) => x.assessmentId === a.id).map((x) => x.id),
      stages.find((x) => x.assessmentId === a.id)?.id ?? null,
    ),
  );
}

export async function getAssessment(deps: Deps, patientId: string, id: string): Promise<AssessmentDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const rows = await tx
    .select({ a: assessments, name: users.displayName })
    .from(assessments)
    .leftJoin(users, eq(users.id, assessments.administeredBy))
    .where(and(eq(assessments.programId, programId), eq(assessments.patientId, patientId), eq(assessments.id, id)));
  if (rows.length === 0) throw notFound('Assessment');
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'assessment', entityId: id, patientId });
  return (await decorate(tx, programId, rows))[0]!;
}

export async function listAssessments(
  deps: Deps,
  patientId: string,
  input: { limit: number; cursor?: string | undefined; instrument?: InstrumentId | undefined },
): Promise<{ items: AssessmentDto[]; nextCursor: string | null }> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const conds: SQL[] = [eq(assessments.programId, programId), eq(assessments.patientId, patientId)];
  if (input.instrument) conds.push(eq(assessments.instrument, input.instrument));
  const after = decodeCursor(input.cursor, 'query.cursor');
  if (after) conds.push(or(lt(assessments.administeredAt, new Date(after.at)), and(eq(assessments.administeredAt, new Date(after.at)), lt(assessments.id, after.id)))!);
  const rows = await tx
    .select({ a: assessments, name: users.displayName })
    .from(assessments)
    .leftJoin(users, eq(users.id, assessments.administeredBy))
    .where(and(...conds))
    .orderBy(desc(assessments.administeredAt), desc(assessments.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'assessment', patientId, detail: { count: page.length } });
  return {
    items: await decorate(tx, programId, page),
    nextCursor: more && last ? encodeCursor({ at: last.a.administeredAt.toISOString(), id: last.a.id }) : null,
  };
}

export const encodeCursor = (v: { at: string; id: string }) => Buffer.from(JSON.stringify([v.at, v.id])).toString('base64url');
export function decodeCursor(c: string | undefined, field: string): { at: string; id: string } | null {
  if (!c) return null;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1])) {
      return { at: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw invalid(field, 'is not valid');
}
