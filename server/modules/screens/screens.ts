// Drug and alcohol screens: recording one (every patient, in CM or not), correcting it (a
// laboratory confirmation supersedes a cup; never an edit in place), and reading them. CM
// reacts to a screen of a patient it enrols (server/modules/cm/specimens.ts) in the same
// transaction; the API keeps its stable integration paths (/specimens, ADR 018).
import { and, asc, eq, inArray, sql, type WithSubquery } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { ANALYTES, ANALYTE_INFO, isAnalyte } from '../../../core/cm/analytes.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import { prescribedOn } from '../../../core/cm/clinic.ts';
import { type Db, type Tx, inTransaction, preparedOnce } from '../../platform/db/database.ts';
import { insertFromJson, jsonRows } from '../../platform/db/json-rows.ts';
import { auditBindings, auditedBy, auditedByPlaceholders, writeAudit, type AuditRecord } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound, pgErrorOf } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { forgetRecording, keepRecording, keptRecording, type KeptRecording } from '../cm/kept-recording.ts';
import { awardForCorrection, awardForScreen, awardOfScreen, cmOfScreen, readForRecording, recordingStillHolds, stillHoldsBindings, type AwardDto, type PendingAward } from '../cm/specimens.ts';
import {
  canonical,
  historyWith,
  lockPatientEnrolments,
  lockPatientForRecording,
  medicationsOf,
  REQUIRE_CURRENT_HISTORY,
  settlementWrites,
  writeIfHistoryCurrent,
  writeTogether,
} from '../cm/settle.ts';
import { cmEnrolments, cmEvents, cmLedgerEntries } from '../cm/cm.tables.ts';
import { refuseFutureTime } from '../cm/recorded-at.ts';
import { screenCorrections, screens, type StoredResult } from './screens.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type ScreenRow = typeof screens.$inferSelect;
export type CorrectionRow = typeof screenCorrections.$inferSelect;

export type AnalyteResultIn = {
  analyte?: string | undefined;
  loinc?: string | undefined;
  result: 'positive' | 'negative' | 'inconclusive';
  valueNgMl?: number | undefined;
  cutoffNgMl?: number | undefined;
};
export type ValidityIn = {
  creatinineMgDl?: number | undefined;
  specificGravity?: number | undefined;
  ph?: number | undefined;
  nitriteUgMl?: number | undefined;
  oxidants?: boolean | undefined;
  adulterantDetected?: boolean | undefined;
};
export type ScreenIn = {
  patientId: string;
  collectedAt: string;
  matrix?: 'urine' | 'oral-fluid' | 'breath' | undefined;
  collectorId?: string | undefined;
  observed: boolean;
  observerId?: string | null | undefined;
  temperatureC?: number | null | undefined;
  validity?: ValidityIn | undefined;
  invalidReason?: string | undefined;
  cup?: { brand: string; lot: string; expiry: string; cutoffs?: Record<string, number> | undefined } | undefined;
  chainOfCustodyId?: string | undefined;
  laboratory?: string | undefined;
  method: 'presumptive' | 'confirmatory';
  results: AnalyteResultIn[];
  externalId?: string | undefined;
};
export type CorrectionIn = { results: AnalyteResultIn[]; valid?: boolean | undefined; method: string; laboratory?: string | undefined; reason: string; externalId?: string | undefined };
type Source = 'staff' | 'integration';

const BY_LOINC = new Map<string, string>(ANALYTES.flatMap((a) => (ANALYTE_INFO[a].loinc ? [[ANALYTE_INFO[a].loinc!, a] as [string, string]] : [])));

/** Resolves analyte names / LOINC codes; unknown analyte → 400 naming every bad entry. */
export function resolveResults(results: AnalyteResultIn[], field: string) {
  const problems: Array<{ field: string; message: string }> = [];
  const out: Array<Omit<AnalyteResultIn, 'analyte' | 'loinc'> & { analyte: string; loinc: string | null }> = [];
  const seen = new Set<string>();
  results.forEach((r, i) => {
    let a = r.analyte?.trim().toLowerCase();
    if (a === 'methamphetamine' || a === 'amphetamines') a = 'amphetamine';
    if (a === 'eddp') a = 'methadone';
    if (a === 'ethanol' || a === 'etoh') a = 'alcohol';
    if (a === undefined && r.loinc !== undefined) a = BY_LOINC.get(r.loinc);
    if (a === undefined || !isAnalyte(a)) {
      const what = r.analyte ?? r.loinc ?? '(none)';
      problems.push({ field: `${field}[${i}].${r.analyte !== undefined ? 'analyte' : 'loinc'}`, message: `unknown analyte "${what}" (known: ${ANALYTES.join(', ')}, or their LOINC codes)` });
      return;
    }
    if (r.loinc !== undefined && ANALYTE_INFO[a].loinc !== undefined && BY_LOINC.get(r.loinc) !== undefined && BY_LOINC.get(r.loinc) !== a) {
      problems.push({ field: `${field}[${i}].loinc`, message: `LOINC ${r.loinc} is not ${a}` });
      return;
    }
    if (seen.has(a)) {
      problems.push({ field: `${field}[${i}].analyte`, message: `${a} is listed twice` });
      return;
    }
    seen.add(a);
    out.push({ ...r, analyte: a, loinc: r.loinc ?? ANALYTE_INFO[a].loinc ?? null });
  });
  if (problems.length > 0) {
    throw new AppError({ code: 'unknown_analyte', status: 400, message: `The results are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems });
  }
  return out;
}

/** Validity checks (SAMHSA/HHS-style cut-offs for point-of-care urine strips; temperature within 4 minutes of voiding). */
export function validityOf(input: ScreenIn): string[] {
  const reasons: string[] = [];
  const t = input.temperatureC;
  if (t != null && (t < 32 || t > 38)) reasons.push('temperature outside 32–38 °C');
  const v = input.validity ?? {};
  if (v.creatinineMgDl !== undefined && v.creatinineMgDl < 20) reasons.push('creatinine below 20 mg/dL (dilute or substituted)');
  if (v.specificGravity !== undefined && (v.specificGravity < 1.002 || v.specificGravity >= 1.035)) reasons.push('specific gravity out of range');
  if (v.ph !== undefined && (v.ph < 4.5 || v.ph >= 9)) reasons.push('pH out of range (4.5–9)');
  if (v.nitriteUgMl !== undefined && v.nitriteUgMl >= 500) reasons.push('nitrite ≥ 500 µg/mL (adulterant)');
  if (v.oxidants) reasons.push('oxidants detected (adulterant)');
  if (v.adulterantDetected) reasons.push('adulterant detected');
  if (input.cup && input.cup.expiry < input.collectedAt.slice(0, 10)) reasons.push('cup expired');
  if (input.invalidReason) reasons.push(input.invalidReason);
  return reasons;
}

const stored = (results: ReturnType<typeof resolveResults>, prescribed: ReadonlySet<string>, cutoffs?: Record<string, number>): StoredResult[] =>
  results.map((r) => ({
    analyte: r.analyte,
    loinc: r.loinc,
    result: r.result,
    valueNgMl: r.valueNgMl ?? null,
    cutoffNgMl: r.cutoffNgMl ?? cutoffs?.[r.analyte] ?? null,
    prescribed: prescribed.has(r.analyte),
  }));

/** A screen as the specimen API has always shown it (CM's enrolment id when CM read it). */
export function specimenDto(s: ScreenRow, enrolmentId: string | null = null) {
  return {
    id: s.id,
    patientId: s.patientId,
    enrolmentId,
    kind: 'specimen',
    at: s.collectedAt.toISOString(),
    valid: s.valid,
    invalidReasons: s.invalidReasons,
    results: s.results,
    detail: {
      matrix: s.matrix,
      method: s.method,
      laboratory: s.laboratory,
      observed: s.observed,
      observerId: s.observerId,
      collectorId: s.collectorId,
      temperatureC: s.temperatureC,
      validity: s.validity,
      cup: s.cup,
      chainOfCustodyId: s.chainOfCustodyId,
    },
    externalId: s.externalId,
    source: s.source,
    recordedBy: s.recordedBy,
    recordedAt: s.recordedAt.toISOString(),
  };
}

/** A correction in the specimen API's shape (kind "correction"). */
function correctionAsSpecimen(c: CorrectionRow, enrolmentId: string | null) {
  return {
    id: c.id,
    patientId: c.patientId,
    enrolmentId,
    kind: 'correction',
    at: c.recordedAt.toISOString(),
    valid: c.valid,
    invalidReasons: [],
    results: c.results,
    detail: { supersedes: c.screenId, method: c.method, laboratory: c.laboratory, reason: c.reason, valid: c.valid },
    externalId: c.externalId,
    source: c.source,
    recordedBy: c.recordedBy,
    recordedAt: c.recordedAt.toISOString(),
  };
}

/** The same screen posted again (a retry without a key, or a second device): the first one back, with its award. */
async function sameScreen(tx: Tx, programId: string, input: ScreenIn, at: Date, results: StoredResult[]): Promise<ScreenRow | null> {
  const ph = sql.placeholder;
  const candidates = input.externalId
    ? await tx
        .select()
        .from(screens)
        .where(and(eq(screens.programId, ph('programId')), eq(screens.externalId, ph('externalId'))))
        .prepare('waypoint_screen_by_external_id')
        .execute({ programId, externalId: input.externalId })
    : await tx
        .select()
        .from(screens)
        .where(and(eq(screens.programId, ph('programId')), eq(screens.patientId, ph('patientId')), eq(screens.collectedAt, ph('at'))))
        .prepare('waypoint_screen_at')
        .execute({ programId, patientId: input.patientId, at });
  for (const c of candidates) {
    if (
      c.patientId === input.patientId &&
      c.collectedAt.getTime() === at.getTime() &&
      canonical(c.results.map(({ prescribed: _, ...r }) => r)) === canonical(results.map(({ prescribed: _, ...r }) => r))
    )
      return c;
    if (input.externalId) throw conflict('specimen_exists', 'A different specimen with this externalId is already recorded. Post a correction to change it.', 'body.externalId');
  }
  return null;
}

type Recorded = { specimen: ReturnType<typeof specimenDto>; award: AwardDto | null; duplicate: boolean };
type Resolved = ReturnType<typeof resolveResults>;

/**
 * Records a screen for any patient of the programme; when the patient is enrolled in CM and
 * the screen reports what the protocol reads, CM settles its award with it (award null
 * otherwise). One audit row for the screen and its award, written in the same statement.
 *
 * Called outside a transaction (`outsideTransaction`: the route, when no Idempotency-Key
 * asks for one), it first records without locks, from what this server kept of the patient's
 * last recording or else from one read, keeping the write only if no other writer touched
 * the patient's CM history since (ADRs 018, 060); when that cannot settle the screen, or
 * another writer came first, it records under the locks in a transaction of its own. Inside
 * the caller's transaction it records under the locks.
 */
export async function recordScreen(deps: Deps, input: ScreenIn, source: Source = 'staff', opts: { outsideTransaction?: boolean } = {}): Promise<Recorded> {
  refuseFutureTime(deps.ctx, input.collectedAt, 'body.collectedAt');
  const results = resolveResults(input.results, 'body.results');
  if (!opts.outsideTransaction) return recordUnderLocks(deps, input, results, source);
  return (await recordUnlocked(deps, input, results, source)) ?? inTransaction(deps.tx, (tx) => recordUnderLocks({ tx, ctx: deps.ctx }, input, results, source));
}

/** The screen row as it will be stored. */
function newScreen(ctx: Ctx, input: ScreenIn, source: Source, at: Date, collectedOn: string, results: StoredResult[]): ScreenRow {
  const invalidReasons = validityOf(input);
  return {
    programId: programOf(ctx),
    id: randomUUID(),
    patientId: input.patientId,
    collectedAt: at,
    collectedOn,
    matrix: input.matrix ?? 'urine',
    method: input.method,
    laboratory: input.laboratory ?? null,
    observed: input.observed,
    observerId: input.observerId ?? null,
    collectorId: input.collectorId ?? ctx.principal?.userId ?? null,
    temperatureC: input.temperatureC ?? null,
    validity: input.validity ?? null,
    cup: input.cup ?? null,
    chainOfCustodyId: input.chainOfCustodyId ?? null,
    valid: invalidReasons.length === 0,
    invalidReasons,
    results,
    externalId: input.externalId ?? null,
    source,
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  };
}

/** The audit record of one recording: the screen and what CM posted for it. */
function recordingAudit(screen: ScreenRow, award: AwardDto | null): AuditRecord {
  return {
    action: 'create',
    entity: 'screen',
    entityId: screen.id,
    patientId: screen.patientId,
    detail: {
      source: screen.source,
      valid: screen.valid,
      analytes: screen.results.length,
      cm: award ? { enrolmentId: award.enrolmentId, entries: award.entries.length, cents: award.earnedCents, draws: award.newDraws } : null,
    },
  };
}

/** The writes of one recording under the locks, for one statement: the screen, what CM posts for it, and the audit row for both. */
function screenWrites(db: Db, ctx: Ctx, screen: ScreenRow, cm: PendingAward | null): WithSubquery[] {
  return [db.$with('screen').as(db.insert(screens).values(screen)), ...(cm ? settlementWrites(db, cm.settlement) : []), auditedBy(db, auditContext(ctx), recordingAudit(screen, cm?.award ?? null))];
}

/**
 * The same writes for a recording decided without locks, as one statement prepared once
 * per database handle (ADR 059): the screen, its specimen event and ledger entries (JSON
 * parameters, however many rows), the enrolment's new state, and the audit row. The state
 * is written only if what the recording decided from still holds (recordingStillHolds,
 * ADR 060); the statement selects REQUIRE_CURRENT_HISTORY, so none of
 * it is kept when that matched nothing (ADR 018).
 */
const unlockedRecording = preparedOnce((db: Db) => {
  const ph = sql.placeholder;
  const enrolmentState = db.$with('enrolment_state').as(
    db
      .update(cmEnrolments)
      .set({ state: sql`${ph('state')}::jsonb`, eventCount: sql`${ph('eventCount')}::int`, historyVersion: sql`${cmEnrolments.historyVersion} + 1` })
      .where(and(eq(cmEnrolments.programId, ph('programId')), eq(cmEnrolments.id, ph('enrolmentId')), recordingStillHolds))
      .returning({ id: cmEnrolments.id }),
  );
  return db
    .with(
      db.$with('screen', {}).as(insertFromJson(screens, ph('screen'))),
      db.$with('event', {}).as(insertFromJson(cmEvents, ph('event'))),
      db.$with('entries', {}).as(insertFromJson(cmLedgerEntries, ph('entries'), ['seq'])),
      enrolmentState,
      auditedByPlaceholders(db),
    )
    .select({ written: REQUIRE_CURRENT_HISTORY })
    .from(enrolmentState)
    .prepare('waypoint_record_screen_unlocked');
});

async function recordUnderLocks(deps: Deps, input: ScreenIn, results: Resolved, source: Source): Promise<Recorded> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const patient = await lockPatientForRecording(tx, programId, input.patientId);
  if (!patient) throw notFound('Patient');
  // the enrolments too, before looking for the same screen: a recording made without locks
  // either committed before (and is found) or fails its guard on the history version
  const enrolment = (await lockPatientEnrolments(tx, programId, input.patientId)).find((e) => e.status === 'active') ?? null;
  const { tz, seed } = patient;
  const at = new Date(input.collectedAt);
  const collectedOn = localDate(at, tz);
  const prescribed = prescribedOn(patient.medications, collectedOn);
  const rows = stored(results, prescribed, input.cup?.cutoffs);
  const prior = await sameScreen(tx, programId, input, at, rows);
  if (prior) {
    const cm = await cmOfScreen(tx, programId, prior.id);
    return { specimen: specimenDto(prior, cm?.enrolmentId ?? null), award: cm ? await awardOfScreen(deps, cm, prior.id, prior.recordedAt) : null, duplicate: true };
  }
  const screen = newScreen(ctx, input, source, at, collectedOn, rows);
  const cm = await awardForScreen(deps, screen, { tz, prescribed, seed, enrolment });
  await writeTogether(tx, screenWrites(tx, ctx, screen, cm));
  return { specimen: specimenDto(screen, cm?.award.enrolmentId ?? null), award: cm?.award ?? null, duplicate: false };
}

/**
 * Without locks: from what this server kept of the patient's last recording (kept-recording.ts),
 * else from one read (readForRecording), the screen and its award written in one statement,
 * with no transaction around it, that keeps them only if what they were decided from still
 * holds (unlockedRecording). Null when the locked path must answer: an unknown patient (404),
 * the same screen posted again (the first one's answer), a patient CM does not read it for
 * (no history version to guard the write with), a settlement that needs more than the read,
 * or another writer that came first (the kept copy is then forgotten).
 */
async function recordUnlocked(deps: Deps, input: ScreenIn, results: Resolved, source: Source): Promise<Recorded | null> {
  const { tx: db, ctx } = deps;
  const programId = programOf(ctx);
  const at = new Date(input.collectedAt);
  let known = keptRecording(db, programId, input.patientId);
  if (known) {
    // a specimen at the same instant may be this screen posted again: the locks tell
    if (known.history.events.some((e) => e.kind === 'specimen' && e.at.getTime() === at.getTime())) return null;
  } else {
    const read = await readForRecording(db, programId, { patientId: input.patientId, externalId: input.externalId ?? null, collectedAt: at });
    if (!read || read.recorded || !read.recording) return null;
    known = read.recording;
  }
  const written = await writeUnlocked(deps, input, results, source, known, at);
  if (!written) forgetRecording(db, programId, input.patientId);
  return written;
}

async function writeUnlocked(deps: Deps, input: ScreenIn, results: Resolved, source: Source, known: KeptRecording, at: Date): Promise<Recorded | null> {
  const { tx: db, ctx } = deps;
  const { enrolment } = known;
  const collectedOn = localDate(at, known.tz);
  const prescribed = prescribedOn(known.medications, collectedOn);
  const screen = newScreen(ctx, input, source, at, collectedOn, stored(results, prescribed, input.cup?.cutoffs));
  const cm = await awardForScreen(deps, screen, { tz: known.tz, prescribed, seed: known.seed, enrolment, unlocked: known.history });
  // (the prepared statement writes no privilege recommendations: settlesFromRead leaves those to the locks)
  if (!cm || cm.settlement.recommendations.length > 0) return null;
  const { append: event, inserted: entries, state, eventCount } = cm.settlement;
  // another writer came first: what the recording was decided from no longer holds, or it took the slot or a key
  try {
    const written = await writeIfHistoryCurrent(
      unlockedRecording(db).execute({
        ...stillHoldsBindings(known, at),
        screen: jsonRows(screens, [screen]),
        event: jsonRows(cmEvents, [event!]),
        entries: jsonRows(cmLedgerEntries, entries),
        state: JSON.stringify(state),
        eventCount,
        ...auditBindings(auditContext(ctx), recordingAudit(screen, cm.award)),
      }),
    );
    if (!written) return null;
  } catch (err) {
    if (pgErrorOf(err)?.code === '23505') return null;
    throw err;
  }
  // the write moved the history version on by one: what was known and what it wrote is the history at that version
  keepRecording(db, screen.programId, screen.patientId, {
    ...known,
    enrolment: { ...enrolment, state, eventCount, historyVersion: enrolment.historyVersion + 1 },
    history: historyWith(known.history, event!, entries),
  });
  return { specimen: specimenDto(screen, cm.award.enrolmentId), award: cm.award, duplicate: false };
}

/** Corrects a screen: a new row (the analytes it lists replace the screen's), and CM settles again if it read the screen. */
export async function correctScreen(deps: Deps, id: string, input: CorrectionIn, source: Source = 'staff') {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const results = resolveResults(input.results, 'body.results');
  if (results.length === 0 && input.valid === undefined) {
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'A correction changes results or validity: give at least one.',
      problems: [{ field: 'body.results', message: 'give results or valid' }],
    });
  }
  const [screen] = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.id, id)));
  if (!screen) throw notFound('Specimen');
  if (input.externalId) {
    const [prior] = await tx
      .select()
      .from(screenCorrections)
      .where(and(eq(screenCorrections.programId, programId), eq(screenCorrections.screenId, id), eq(screenCorrections.externalId, input.externalId)));
    if (prior) {
      const cm = await cmOfScreen(tx, programId, id);
      return { specimen: correctionAsSpecimen(prior, cm?.enrolmentId ?? null), award: cm ? await awardOfScreen(deps, cm, id, prior.recordedAt) : null, duplicate: true };
    }
  }
  const prescribed = prescribedOn(await medicationsOf(tx, programId, screen.patientId), screen.collectedOn);
  const correction: CorrectionRow = {
    programId,
    id: randomUUID(),
    screenId: id,
    patientId: screen.patientId,
    results: stored(results, prescribed),
    valid: input.valid ?? null,
    method: input.method,
    laboratory: input.laboratory ?? null,
    reason: input.reason,
    externalId: input.externalId ?? null,
    source,
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  };
  const cm = await awardForCorrection(deps, screen, correction, prescribed);
  const award = cm?.award ?? null;
  // one statement: the correction, what CM posts for it, and the audit row for both
  await writeTogether(tx, [
    tx.$with('correction').as(tx.insert(screenCorrections).values(correction)),
    ...(cm ? settlementWrites(tx, cm.settlement) : []),
    auditedBy(tx, auditContext(ctx), {
      action: 'correct',
      entity: 'screen',
      entityId: id,
      patientId: screen.patientId,
      detail: { correctionId: correction.id, source, analytes: results.length, cm: award ? { entries: award.entries.length, cents: award.earnedCents } : null },
    }),
  ]);
  return { specimen: correctionAsSpecimen(correction, award?.enrolmentId ?? null), award, duplicate: false };
}

// ---------- reads ----------

/** A screen's result in effect: corrections merged analyte by analyte in order (the latest wins); validity replaced when a correction sets it. */
export function inEffect(screen: Pick<ScreenRow, 'results' | 'valid'>, corrections: readonly Pick<CorrectionRow, 'id' | 'results' | 'valid'>[]) {
  const results = new Map(screen.results.map((r) => [r.analyte, { ...r, correctedBy: null as string | null }]));
  let valid = screen.valid;
  for (const c of corrections) {
    for (const r of c.results) results.set(r.analyte, { ...r, correctedBy: c.id });
    if (c.valid !== null) valid = c.valid;
  }
  return { valid, results: [...results.values()] };
}

function correctionDto(c: CorrectionRow) {
  return {
    id: c.id,
    at: c.recordedAt.toISOString(),
    method: c.method,
    laboratory: c.laboratory,
    reason: c.reason,
    valid: c.valid,
    results: c.results,
    externalId: c.externalId,
    source: c.source,
    recordedBy: c.recordedBy,
    recordedAt: c.recordedAt.toISOString(),
  };
}

/** Corrections of these screens, oldest first. */
export async function correctionsOf(tx: Tx, programId: string, screenIds: readonly string[]): Promise<Map<string, CorrectionRow[]>> {
  const out = new Map<string, CorrectionRow[]>(screenIds.map((id) => [id, []]));
  if (screenIds.length === 0) return out;
  const rows = await tx
    .select()
    .from(screenCorrections)
    .where(and(eq(screenCorrections.programId, programId), inArray(screenCorrections.screenId, [...screenIds])))
    .orderBy(asc(screenCorrections.recordedAt), asc(screenCorrections.id));
  for (const r of rows) out.get(r.screenId)!.push(r);
  return out;
}

/** One screen as recorded, its corrections (oldest first), CM's adjudications of it, and the result in effect (to a token, only a screen it recorded or corrected). */
export async function getScreen(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [screen] = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.id, id)));
  if (!screen) throw notFound('Specimen');
  const corrections = (await correctionsOf(tx, programId, [id])).get(id)!;
  // an API token reads back only what it wrote: a screen it recorded or corrected (ADR 021)
  if (ctx.program?.scopes) {
    const self = ctx.principal?.userId;
    if (screen.recordedBy !== self && !corrections.some((c) => c.recordedBy === self)) throw notFound('Specimen');
  }
  const cm = await cmOfScreen(tx, programId, id);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'screen',
    entityId: id,
    patientId: screen.patientId,
    detail: { corrections: corrections.length, adjudications: cm?.adjudications.length ?? 0 },
  });
  return {
    ...specimenDto(screen, cm?.enrolmentId ?? null),
    matrix: screen.matrix,
    method: screen.method,
    laboratory: screen.laboratory,
    observed: screen.observed,
    observerId: screen.observerId,
    collectorId: screen.collectorId,
    temperatureC: screen.temperatureC,
    validity: screen.validity as Record<string, number | boolean> | null,
    cup: screen.cup as { brand: string; lot: string; expiry: string } | null,
    chainOfCustodyId: screen.chainOfCustodyId,
    recordedResults: screen.results,
    corrections: corrections.map(correctionDto),
    adjudications: cm?.adjudications ?? [],
    effective: inEffect(screen, corrections),
    pendingAdjudication: cm?.pending ?? false,
  };
}

/** Every screen of a patient over time, newest first, with the result in effect (for the results grid). */
export async function patientScreens(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select()
    .from(screens)
    .where(and(eq(screens.programId, programId), eq(screens.patientId, patientId)))
    .orderBy(asc(screens.collectedAt));
  const corrections = await correctionsOf(
    tx,
    programId,
    rows.map((r) => r.id),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'screen', patientId, detail: { count: rows.length } });
  return {
    patientId,
    items: rows.reverse().map((s) => {
      const effect = inEffect(s, corrections.get(s.id)!);
      return {
        id: s.id,
        collectedAt: s.collectedAt.toISOString(),
        collectedOn: s.collectedOn,
        matrix: s.matrix,
        method: s.method,
        observed: s.observed,
        valid: effect.valid,
        corrected: corrections.get(s.id)!.length > 0,
        results: effect.results,
      };
    }),
  };
}
