// Recording a check-in: in ONE transaction, write it (once per idempotency key), evaluate
// the programme's risk rules against the patient's recent check-ins (core/checkins),
// raise alerts on the care team's work list (an open alert of the same rule is not
// raised twice), and write the audit rows. Returns what the patient's screen must show.
// The patient, programme and source are explicit so the patient app, the SMS webhook and
// the phone line call this the same way staff do. Self-report never touches CM.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, isNull, lt } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { offlineTimeProblem } from '../../../core/offline-time.ts';
import { answerProblems, normalizeAnswers, type CheckInAnswers, type CheckInSource } from '../../../core/checkins/answers.ts';
import { evaluateArrival, lookbackDays, type FiredRule, type RuleCode, type RuleCheckIn, type Severity } from '../../../core/checkins/rules.ts';
import { alertText, languageOf, patientMessages, type Language } from '../../../core/checkins/texts.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { safetyAlerts } from '../assessments/assessments.tables.ts';
import { checkIns } from './checkins.tables.ts';
import { readRiskRules } from './settings.ts';
import { checkInDto, selectCheckIn } from './list-check-ins.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type RecordCheckInInput = {
  programId: string;
  patientId: string;
  source: CheckInSource;
  answers: CheckInAnswers;
  /** Chosen by the sender (the app's offline queue, the SMS message id, the call id, or a new one). */
  idempotencyKey: string;
  /** The staff member taking it (source 'staff'), else null. */
  recordedBy: string | null;
  /** When the patient made it (an offline check-in sent later); defaults to now; at most 7 days back, never ahead. */
  madeAt?: Date | undefined;
  /** Where bad answers are named in a problem (e.g. 'body.answers'). */
  fieldPrefix?: string | undefined;
};

type Outcome = { fired: Array<{ code: RuleCode; severity: Severity }>; show: { crisis: boolean; naloxone: boolean }; alertIds: string[] };

export async function recordCheckIn(deps: Deps, input: RecordCheckInInput) {
  const { tx, ctx } = deps;
  const { programId, patientId } = input;
  const prefix = input.fieldPrefix ?? 'answers';
  const problems = answerProblems(input.answers);
  if (problems.length > 0)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'Some answers are not valid.',
      problems: problems.map((p) => ({ field: p.field ? `${prefix}.${p.field}` : prefix, message: p.message })),
    });
  if ((input.source === 'staff') !== (input.recordedBy !== null)) throw new Error('recordCheckIn: recordedBy is set exactly when the source is staff');
  const madeAt = input.madeAt ?? ctx.now;
  const late = offlineTimeProblem(madeAt, ctx.now);
  if (late) throw invalid('madeAt', late);

  // The patient's row, locked against other check-ins of the same patient (not against
  // reads or references): the rules see every earlier check-in, and a replay waits for the first.
  const [who] = await tx
    .select({ language: patients.preferredLanguage, timeZone: programs.timeZone })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)))
    .for('no key update', { of: patients });
  if (!who) throw notFound('Patient');
  const lang = languageOf(who.language);
  const answers = normalizeAnswers(input.answers);
  const audit = auditContext(ctx, { programId });

  const id = randomUUID();
  const day = localDate(madeAt, who.timeZone);
  const claimed = await tx
    .insert(checkIns)
    .values({ programId, id, patientId, day, madeAt, answers, source: input.source, idempotencyKey: input.idempotencyKey, recordedBy: input.recordedBy, outcome: {}, recordedAt: ctx.now })
    .onConflictDoNothing({ target: [checkIns.programId, checkIns.patientId, checkIns.idempotencyKey] })
    .returning({ id: checkIns.id });
  if (claimed.length === 0) return replay(deps, input, answers, lang);

  const rules = await readRiskRules(tx, programId);
  const from = addDays(day, -lookbackDays(rules));
  const cols = { id: checkIns.id, day: checkIns.day, madeAt: checkIns.madeAt, answers: checkIns.answers, outcome: checkIns.outcome };
  const window = await tx
    .select(cols)
    .from(checkIns)
    .where(and(eq(checkIns.programId, programId), eq(checkIns.patientId, patientId), gte(checkIns.day, from)));
  // the latest check-in before the window: enough for "use after N days without use" (core/checkins rules.property.test.ts)
  const older = await tx
    .select(cols)
    .from(checkIns)
    .where(and(eq(checkIns.programId, programId), eq(checkIns.patientId, patientId), lt(checkIns.day, from)))
    .orderBy(desc(checkIns.day), desc(checkIns.madeAt))
    .limit(1);
  const history: RuleCheckIn[] = [...window, ...older].map((c) => ({
    id: c.id,
    day: c.day,
    at: c.madeAt.toISOString(),
    answers: c.answers as CheckInAnswers,
    fired: ((c.outcome as Partial<Outcome>).fired ?? []).map((f) => f.code),
  }));
  const evaluation = evaluateArrival(
    rules,
    history,
    history.find((c) => c.id === id)!,
  );

  await writeAudit(tx, audit, { action: 'create', entity: 'check-in', entityId: id, patientId, detail: { source: input.source, fired: evaluation.fired.map((f) => f.code) } });

  const params = {
    threshold: rules.cravingRun.threshold,
    days: rules.cravingRun.days,
    count: rules.missedDoses.count,
    windowDays: rules.missedDoses.windowDays,
  };
  /** Raises an alert per rule fired for check-in `checkInId`, unless one for the same rule is still open ("not safe" always raises). */
  const raise = async (checkInId: string, fired: FiredRule[]) => {
    const raised: Array<{ id: string; code: RuleCode; severity: Severity; text: string }> = [];
    for (const f of fired) {
      const [open] = await tx
        .select({ id: safetyAlerts.id })
        .from(safetyAlerts)
        .where(
          and(eq(safetyAlerts.programId, programId), eq(safetyAlerts.patientId, patientId), eq(safetyAlerts.source, 'check-in'), eq(safetyAlerts.code, f.code), isNull(safetyAlerts.acknowledgedAt)),
        )
        .limit(1);
      if (open && f.code !== 'not-safe') continue;
      const p = f.code === 'use-after-abstinence' ? { ...params, days: rules.useAfterAbstinence.days } : params;
      const alert = { id: randomUUID(), code: f.code, severity: f.severity, text: alertText(f.code, p, 'en') };
      await tx
        .insert(safetyAlerts)
        .values({ programId, id: alert.id, patientId, source: 'check-in', checkInId, code: f.code, severity: f.severity, text: alert.text, textEs: alertText(f.code, p, 'es'), raisedAt: ctx.now });
      await writeAudit(tx, audit, { action: 'create', entity: 'safety-alert', entityId: alert.id, patientId, detail: { checkInId, code: f.code } });
      raised.push(alert);
    }
    return raised;
  };
  const setOutcome = (checkInId: string, outcome: Outcome) =>
    tx
      .update(checkIns)
      .set({ outcome })
      .where(and(eq(checkIns.programId, programId), eq(checkIns.id, checkInId)));

  const alerts = await raise(id, evaluation.fired);
  await setOutcome(id, { fired: evaluation.fired, show: evaluation.show, alertIds: alerts.map((a) => a.id) });
  // an offline check-in sent late can complete a run that ends on a check-in already recorded
  for (const l of evaluation.later) {
    const prior = window.find((c) => c.id === l.id)!.outcome as Outcome;
    const more = await raise(l.id, l.fired);
    await setOutcome(l.id, { ...prior, fired: [...prior.fired, ...l.fired], alertIds: [...prior.alertIds, ...more.map((a) => a.id)] });
    alerts.push(...more);
  }

  const [row] = await selectCheckIn(tx, programId, id);
  return { checkIn: checkInDto(row!), replayed: false, alerts, show: evaluation.show, messages: { language: lang, ...patientMessages(evaluation.show, lang) } };
}

/** A repeat of a recorded check-in: the first one's result again (the same key with other answers is refused). */
async function replay(deps: Deps, input: RecordCheckInInput, answers: CheckInAnswers, lang: Language) {
  const { tx } = deps;
  const [row] = await tx
    .select({ id: checkIns.id })
    .from(checkIns)
    .where(and(eq(checkIns.programId, input.programId), eq(checkIns.patientId, input.patientId), eq(checkIns.idempotencyKey, input.idempotencyKey)));
  const [prior] = row ? await selectCheckIn(tx, input.programId, row.id) : [];
  if (!prior || canonical(prior.c.answers) !== canonical(answers) || prior.c.source !== input.source)
    throw new AppError({
      code: 'idempotency_key_reused',
      status: 422,
      message: 'This check-in key was already used for different answers.',
      problems: [{ field: 'idempotencyKey', message: 'was used for a different check-in' }],
    });
  const outcome = prior.c.outcome as Outcome;
  const alerts = outcome.alertIds.length
    ? await tx
        .select({ id: safetyAlerts.id, code: safetyAlerts.code, severity: safetyAlerts.severity, text: safetyAlerts.text })
        .from(safetyAlerts)
        .where(and(eq(safetyAlerts.programId, input.programId), eq(safetyAlerts.checkInId, prior.c.id)))
    : [];
  return {
    checkIn: checkInDto(prior),
    replayed: true,
    alerts: alerts.map((a) => ({ ...a, code: a.code as RuleCode, severity: a.severity as Severity })),
    show: outcome.show,
    messages: { language: lang, ...patientMessages(outcome.show, lang) },
  };
}

/** JSON with object keys sorted (jsonb does not keep the order they were written in). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

/** The signed-in patient's own check-in from the app (source 'app'). */
export function recordPatientCheckIn(deps: Deps, patient: { programId: string; patientId: string }, body: { answers: CheckInAnswers; idempotencyKey: string; madeAt?: string | undefined }) {
  return recordCheckIn(deps, {
    programId: patient.programId,
    patientId: patient.patientId,
    source: 'app',
    answers: body.answers,
    idempotencyKey: body.idempotencyKey,
    recordedBy: null,
    madeAt: body.madeAt === undefined ? undefined : new Date(body.madeAt),
    fieldPrefix: 'body.answers',
  });
}

/** Staff record a check-in the patient gave by phone: source 'staff', in the request's programme. */
export function recordStaffCheckIn(deps: Deps, patientId: string, body: { answers: CheckInAnswers; idempotencyKey?: string | undefined }) {
  const { ctx } = deps;
  return recordCheckIn(deps, {
    programId: programOf(ctx),
    patientId,
    source: 'staff',
    answers: body.answers,
    idempotencyKey: body.idempotencyKey ?? randomUUID(),
    recordedBy: ctx.principal!.userId,
    fieldPrefix: 'body.answers',
  });
}
