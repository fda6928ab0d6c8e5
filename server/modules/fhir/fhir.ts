// FHIR R4 read and search over Waypoint's records (a facade: resources are built from the
// module tables on each request). Every query is filtered by the caller's programme and
// every read or search is audited in the same transaction.
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { INSTRUMENT_IDS } from '../../../core/instruments/index.ts';
import { preparedOnce, type Db, type Tx } from '../../platform/db/database.ts';
import { auditBindings, auditedBy, auditedByPlaceholders, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { assessments, scoreObservations } from '../assessments/assessments.tables.ts';
import { allQuestionnaires } from '../assessments/questionnaires.ts';
import { carePlanAgreements, carePlanGoals, carePlans, carePlanVersions } from '../planning/planning.tables.ts';
import type { GoalC, PlanContent } from '../planning/care-plans.ts';
import type { AuditEntity } from '../../../core/audit/entities.ts';
import { carePlanResource, goalResource, observationResource, patientResource, questionnaireResource, questionnaireResponseResource, type Resource } from './resources.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type Query = Record<string, string | string[] | undefined>;
/** A page of matches, the cursor of the next page, and the number of all matches when asked for (`_total`, `_count=0`). */
export type SearchResult = { resources: Resource[]; next: string | null; total?: number };

/**
 * The search parameters each searchable type understands (besides COMMON_PARAMS), with
 * their FHIR types: what the CapabilityStatement lists, what `self` links keep, and what
 * `Prefer: handling=strict` accepts.
 */
const SUBJECT: Array<[string, string]> = [
  ['patient', 'reference'],
  ['subject', 'reference'],
];
export const SEARCH_PARAMS: Record<string, Array<[string, string]>> = {
  Questionnaire: [['url', 'uri']],
  QuestionnaireResponse: [...SUBJECT, ['questionnaire', 'reference'], ['authored', 'date']],
  Observation: [...SUBJECT, ['code', 'token'], ['date', 'date'], ['category', 'token']],
  CarePlan: [...SUBJECT, ['status', 'token']],
  Goal: SUBJECT,
  // encounters (issue 14, ADR 044): server/modules/fhir/encounters.ts
  Encounter: [...SUBJECT, ['date', 'date'], ['appointment', 'reference']],
  Appointment: [
    ['patient', 'reference'],
    ['actor', 'reference'],
    ['date', 'date'],
    ['status', 'token'],
  ],
  Schedule: [['actor', 'reference']],
  // 42 CFR Part 2 consents (issue 16): server/modules/fhir/consent.ts
  Consent: [['patient', 'reference']],
  // the outcomes dashboard's measures (issue 17): server/modules/fhir/measures.ts; the common parameters only
  Measure: [],
};
/** `_id` and `_count` are search parameters of every type; `_total` and `_cursor` (the next-page token) are result parameters. */
export const COMMON_PARAMS: Array<[string, string]> = [
  ['_id', 'token'],
  ['_count', 'number'],
];
const RESULT_PARAMS = ['_total', '_cursor'];
/** The query parameter names a search of `type` accepts (`subject:Patient` is `subject` with its type modifier). */
export function acceptedParams(type: string): Set<string> {
  const names = [...COMMON_PARAMS, ...(SEARCH_PARAMS[type] ?? [])].map(([n]) => n);
  return new Set([...names, ...RESULT_PARAMS, ...(names.includes('subject') ? ['subject:Patient'] : [])]);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NONE = '00000000-0000-0000-0000-000000000000';

export const fhirError = (status: number, code: string, message: string) => new AppError({ code, status, message });
export const badParam = (name: string, message: string) =>
  new AppError({ code: 'invalid_input', status: 400, message: `Search parameter ${name}: ${message}`, problems: [{ field: `query.${name}`, message }] });

export const values = (q: Query, name: string): string[] => {
  const v = q[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** _count: 0–100, default 20; 0 is a count-only search (Bundle.total and no entries). */
export function countOf(q: Query): number {
  const [raw, ...rest] = values(q, '_count');
  if (rest.length > 0) throw badParam('_count', 'give it once');
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0) throw badParam('_count', 'must be a whole number from 0');
  return Math.min(n, 100);
}

/** Whether the search answers Bundle.total: `_total=accurate` (or `estimate`, answered exactly), or a count-only `_count=0`. */
export function wantsTotal(q: Query): boolean {
  const [total] = values(q, '_total');
  const [count] = values(q, '_count');
  return total === 'accurate' || total === 'estimate' || (count !== undefined && count.trim() !== '' && Number(count) === 0);
}
function checkTotal(q: Query) {
  const all = values(q, '_total');
  if (all.length > 1) throw badParam('_total', 'give it once');
  if (all[0] !== undefined && !['none', 'estimate', 'accurate'].includes(all[0])) throw badParam('_total', 'must be none, estimate or accurate');
}

/** The number of rows matching `where` (the search's filters without its cursor), when the search answers a total. */
export async function totalOf(q: Query, rows: () => Promise<Array<{ n: number }>>): Promise<number | undefined> {
  checkTotal(q);
  if (!wantsTotal(q)) return undefined;
  return Number((await rows())[0]?.n ?? 0);
}
export const countAll = sql<number>`count(*)::int`;

export type Cursor = { at?: string; id: string };
export const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
export function cursorOf(q: Query): Cursor | null {
  const [raw] = values(q, '_cursor');
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.id === 'string' && UUID.test(c.id) && (c.at === undefined || !Number.isNaN(Date.parse(c.at)))) return c;
  } catch {
    /* fall through */
  }
  throw badParam('_cursor', 'is not valid; start the search again');
}

/** Ids from _id (comma-separated, repeated = AND). Non-UUIDs match nothing. */
export function idsOf(q: Query): string[] | null {
  const all = values(q, '_id');
  if (all.length === 0) return null;
  let ids: string[] | null = null;
  for (const v of all) {
    const these = v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => UUID.test(s));
    ids = ids === null ? these : ids.filter((i) => these.includes(i));
  }
  return ids && ids.length > 0 ? ids : [NONE];
}

/** patient / subject: "Patient/<id>" or "<id>". */
export function patientOf(q: Query): string | null {
  const all = [...values(q, 'patient'), ...values(q, 'subject'), ...values(q, 'subject:Patient')];
  if (all.length === 0) return null;
  const ids = new Set(all.map((v) => v.replace(/^(?:.*\/)?Patient\//, '')));
  if (ids.size > 1) return NONE;
  const [id] = [...ids];
  return id && UUID.test(id) ? id : NONE;
}

/** FHIR date search: prefix (eq, gt, ge, lt, le) and a date of year, month, day or second precision. */
export function dateConds(q: Query, col: AnyPgColumn, name = 'date'): SQL[] {
  const out: SQL[] = [];
  for (const raw of values(q, name)) {
    const m = /^(eq|gt|ge|lt|le)?(\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?)$/.exec(raw);
    if (!m) throw badParam(name, 'must be a FHIR date with an optional prefix eq, gt, ge, lt or le (e.g. ge2026-01-01)');
    const prefix = m[1] ?? 'eq';
    const v = m[2]!;
    let start: Date;
    let end: Date;
    if (v.length === 4) {
      start = new Date(Date.UTC(+v, 0, 1));
      end = new Date(Date.UTC(+v + 1, 0, 1));
    } else if (v.length === 7) {
      start = new Date(Date.UTC(+v.slice(0, 4), +v.slice(5, 7) - 1, 1));
      end = new Date(Date.UTC(+v.slice(0, 4), +v.slice(5, 7), 1));
    } else if (v.length === 10) {
      start = new Date(`${v}T00:00:00Z`);
      end = new Date(start.getTime() + 86_400_000);
    } else {
      start = new Date(v);
      end = new Date(start.getTime() + 1000);
    }
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw badParam(name, 'is not a valid date');
    if (prefix === 'eq') out.push(and(gte(col, start), lt(col, end))!);
    else if (prefix === 'gt') out.push(gte(col, end));
    else if (prefix === 'ge') out.push(gte(col, start));
    else if (prefix === 'lt') out.push(lt(col, start));
    else out.push(lt(col, end));
  }
  return out;
}

/** code: token system|code, |code or code; comma = OR, repeated = AND. */
function codeConds(q: Query): SQL[] {
  const out: SQL[] = [];
  for (const raw of values(q, 'code')) {
    const alternatives = raw.split(',').map((t) => {
      const bar = t.indexOf('|');
      if (bar < 0) return eq(scoreObservations.code, t);
      const system = t.slice(0, bar);
      const code = t.slice(bar + 1);
      if (!code) return eq(scoreObservations.codeSystem, system);
      return system ? and(eq(scoreObservations.codeSystem, system), eq(scoreObservations.code, code))! : eq(scoreObservations.code, code);
    });
    out.push(or(...alternatives)!);
  }
  return out;
}

export async function auditSearch(deps: Deps, entity: AuditEntity, patientId: string | null, count: number, total?: number) {
  await writeAudit(deps.tx, auditContext(deps.ctx), {
    action: 'search',
    entity,
    ...(patientId && patientId !== NONE ? { patientId } : {}),
    detail: { count, ...(total === undefined ? {} : { total }), via: 'fhir' },
  });
}
export async function auditRead(deps: Deps, entity: AuditEntity, id: string, patientId: string | null) {
  await writeAudit(deps.tx, auditContext(deps.ctx), { action: 'read', entity, entityId: id, ...(patientId ? { patientId } : {}), detail: { via: 'fhir' } });
}

export const notFound = (type: string, id: string) => fhirError(404, 'not_found', `${type}/${id} is not known.`);

// --- Patient ---------------------------------------------------------------------------
export async function readPatient(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Patient', id);
  const [p] = await tx
    .select()
    .from(patients)
    .where(and(eq(patients.programId, programOf(ctx)), eq(patients.id, id)));
  if (!p) throw notFound('Patient', id);
  await auditRead(deps, 'patient', id, id);
  return patientResource(p);
}

// --- Questionnaire -----------------------------------------------------------------------
export async function readQuestionnaire(_deps: Deps, id: string): Promise<Resource> {
  if (!(INSTRUMENT_IDS as readonly string[]).includes(id)) throw notFound('Questionnaire', id);
  return questionnaireResource(allQuestionnaires().find((q) => q.id === id)!);
}

export async function searchQuestionnaires(_deps: Deps, q: Query): Promise<SearchResult> {
  const ids = values(q, '_id').flatMap((v) => v.split(','));
  const urls = values(q, 'url').flatMap((v) => v.split(','));
  const count = countOf(q);
  const [rawCursor] = values(q, '_cursor');
  const afterId = rawCursor ? Buffer.from(rawCursor, 'base64url').toString('utf8') : null;
  if (afterId !== null && !(INSTRUMENT_IDS as readonly string[]).includes(afterId)) throw badParam('_cursor', 'is not valid; start the search again');
  let list = allQuestionnaires().filter((x) => (ids.length === 0 || ids.includes(x.id)) && (urls.length === 0 || urls.includes(x.url) || urls.includes(`${x.url}|${x.version}`)));
  const total = await totalOf(q, async () => [{ n: list.length }]);
  if (afterId) list = list.slice(list.findIndex((x) => x.id === afterId) + 1);
  const page = list.slice(0, count);
  return {
    resources: page.map(questionnaireResource),
    next: count > 0 && list.length > count ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- QuestionnaireResponse ---------------------------------------------------------------
const qrSelect = {
  id: assessments.id,
  patientId: assessments.patientId,
  instrument: assessments.instrument,
  questionnaireVersion: assessments.questionnaireVersion,
  answers: assessments.answers,
  targetBehavior: assessments.targetBehavior,
  complete: assessments.complete,
  mode: assessments.mode,
  administeredAt: assessments.administeredAt,
  administeredByName: users.displayName,
};

export async function readQuestionnaireResponse(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('QuestionnaireResponse', id);
  const [a] = await tx
    .select(qrSelect)
    .from(assessments)
    .leftJoin(users, eq(users.id, assessments.administeredBy))
    .where(and(eq(assessments.programId, programOf(ctx)), eq(assessments.id, id)));
  if (!a) throw notFound('QuestionnaireResponse', id);
  await auditRead(deps, 'assessment', id, a.patientId);
  return questionnaireResponseResource(a);
}

export async function searchQuestionnaireResponses(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const conds: SQL[] = [eq(assessments.programId, programOf(ctx))];
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(assessments.patientId, patientId));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(assessments.id, ids));
  const questionnaires = values(q, 'questionnaire').flatMap((v) => v.split(','));
  if (questionnaires.length > 0) {
    const instruments = INSTRUMENT_IDS.filter((i) => questionnaires.some((u) => u.replace(/\|.*$/, '') === `http://waypoint.health/fhir/Questionnaire/${i}`));
    conds.push(inArray(assessments.instrument, instruments.length > 0 ? instruments : ['none']));
  }
  conds.push(...dateConds(q, assessments.administeredAt, 'authored'));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(assessments)
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after?.at) conds.push(or(lt(assessments.administeredAt, new Date(after.at)), and(eq(assessments.administeredAt, new Date(after.at)), lt(assessments.id, after.id)))!);
  const rows =
    count === 0
      ? []
      : await tx
          .select(qrSelect)
          .from(assessments)
          .leftJoin(users, eq(users.id, assessments.administeredBy))
          .where(and(...conds))
          .orderBy(desc(assessments.administeredAt), desc(assessments.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  await auditSearch(deps, 'assessment', patientId, page.length, total);
  return {
    resources: page.map(questionnaireResponseResource),
    next: rows.length > count && last ? encode({ at: last.administeredAt.toISOString(), id: last.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- Observation -------------------------------------------------------------------------
const obsSelect = {
  id: scoreObservations.id,
  patientId: scoreObservations.patientId,
  assessmentId: scoreObservations.assessmentId,
  kind: scoreObservations.kind,
  scoreName: scoreObservations.scoreName,
  codeSystem: scoreObservations.codeSystem,
  code: scoreObservations.code,
  display: scoreObservations.display,
  value: scoreObservations.value,
  band: scoreObservations.band,
  members: scoreObservations.members,
  complete: scoreObservations.complete,
  effectiveAt: scoreObservations.effectiveAt,
  instrument: assessments.instrument,
};
const obsFrom = (tx: Db) =>
  tx
    .select(obsSelect)
    .from(scoreObservations)
    .innerJoin(assessments, and(eq(assessments.programId, scoreObservations.programId), eq(assessments.id, scoreObservations.assessmentId)));

export async function readObservation(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Observation', id);
  const [o] = await obsFrom(tx).where(and(eq(scoreObservations.programId, programOf(ctx)), eq(scoreObservations.id, id)));
  if (!o) throw notFound('Observation', id);
  await auditRead(deps, 'observation', id, o.patientId);
  return observationResource(o);
}

const countDetail = (found: unknown, max: SQL) => sql`jsonb_build_object('count', (select least(count(*), ${max}) from ${found}), 'via', 'fhir')`;

const patientObservations = preparedOnce((tx) => {
  const found = tx.$with('found').as(
    obsFrom(tx)
      .where(and(eq(scoreObservations.programId, sql.placeholder('programId')), eq(scoreObservations.patientId, sql.placeholder('patientId'))))
      .orderBy(desc(scoreObservations.effectiveAt), desc(scoreObservations.id))
      .limit(sql.placeholder('limit')),
  );
  const audited = auditedByPlaceholders(tx, { detail: countDetail(found, sql`${sql.placeholder('limit')}::int - 1`) });
  return tx.with(found, audited).select().from(found).orderBy(desc(found.effectiveAt), desc(found.id)).prepare('waypoint_fhir_patient_observations');
});

export async function searchObservations(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const conds: SQL[] = [eq(scoreObservations.programId, programOf(ctx))];
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(scoreObservations.patientId, patientId));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(scoreObservations.id, ids));
  conds.push(...codeConds(q), ...dateConds(q, scoreObservations.effectiveAt));
  for (const c of values(q, 'category')) {
    // Every Waypoint score observation is a survey; any other category matches nothing.
    if (!c.split(',').some((t) => t === 'survey' || t.endsWith('|survey'))) conds.push(eq(scoreObservations.id, NONE));
  }
  const count = countOf(q);
  // A total is a second statement: the route runs such a search in a transaction (wantsTotal).
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(scoreObservations)
      .innerJoin(assessments, and(eq(assessments.programId, scoreObservations.programId), eq(assessments.id, scoreObservations.assessmentId)))
      .where(and(...conds)),
  );
  if (count === 0) {
    await auditSearch(deps, 'observation', patientId, 0, total);
    return { resources: [], next: null, ...(total === undefined ? {} : { total }) };
  }
  const after = cursorOf(q);
  if (after?.at) conds.push(or(lt(scoreObservations.effectiveAt, new Date(after.at)), and(eq(scoreObservations.effectiveAt, new Date(after.at)), lt(scoreObservations.id, after.id)))!);
  // One statement: the page, and its audit event counting what the page returned. The
  // everyday shape (one patient's observations, first page) is a prepared statement.
  const commonShape = conds.length === 2 && patientId && patientId !== NONE && !after;
  const audit = { action: 'search', entity: 'observation', ...(patientId && patientId !== NONE ? { patientId } : {}) } as const;
  const rows = commonShape
    ? await patientObservations(tx).execute({ programId: programOf(ctx), patientId, limit: count + 1, ...auditBindings(auditContext(ctx), audit) })
    : await (() => {
        const found = tx.$with('found').as(
          obsFrom(tx)
            .where(and(...conds))
            .orderBy(desc(scoreObservations.effectiveAt), desc(scoreObservations.id))
            .limit(count + 1),
        );
        const audited = auditedBy(tx, auditContext(ctx), audit, { detail: countDetail(found, sql`${count}`) });
        return tx.with(found, audited).select().from(found).orderBy(desc(found.effectiveAt), desc(found.id));
      })();
  const page = rows.slice(0, count);
  const last = page[page.length - 1];
  return {
    resources: page.map(observationResource),
    next: rows.length > count && last ? encode({ at: last.effectiveAt.toISOString(), id: last.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- CarePlan and Goal --------------------------------------------------------------------
async function planResources(tx: Tx, programId: string, rows: Array<typeof carePlans.$inferSelect>): Promise<Resource[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const versions = await tx
    .select({ planId: carePlanVersions.planId, version: carePlanVersions.version, content: carePlanVersions.content, changedBy: carePlanVersions.changedBy })
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programId), inArray(carePlanVersions.planId, ids)));
  const agreements = await tx
    .select()
    .from(carePlanAgreements)
    .where(and(eq(carePlanAgreements.programId, programId), inArray(carePlanAgreements.planId, ids)))
    .orderBy(desc(carePlanAgreements.recordedAt));
  const staffIds = new Set<string>(rows.map((r) => r.createdBy));
  for (const v of versions) {
    const c = v.content as PlanContent;
    for (const i of c.interventions) for (const s of i.responsibleStaffIds) staffIds.add(s);
  }
  const names = Object.fromEntries(
    (
      await tx
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(inArray(users.id, [...staffIds]))
    ).map((u) => [u.id, u.name]),
  );
  return rows.map((p) => {
    const v = versions.find((x) => x.planId === p.id && x.version === p.currentVersion)!;
    const a = agreements.find((x) => x.planId === p.id && x.version === p.currentVersion) ?? null;
    return carePlanResource({
      id: p.id,
      patientId: p.patientId,
      version: p.currentVersion,
      content: v.content as PlanContent,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      authorName: names[p.createdBy] ?? null,
      staff: names,
      agreement: a ? { agreedBy: a.agreedBy, method: a.method, agreedAt: a.agreedAt, version: a.version } : null,
    });
  });
}

export async function readCarePlan(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('CarePlan', id);
  const rows = await tx
    .select()
    .from(carePlans)
    .where(and(eq(carePlans.programId, programOf(ctx)), eq(carePlans.id, id)));
  if (rows.length === 0) throw notFound('CarePlan', id);
  await auditRead(deps, 'care-plan', id, rows[0]!.patientId);
  return (await planResources(tx, programOf(ctx), rows))[0]!;
}

export async function searchCarePlans(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const conds: SQL[] = [eq(carePlans.programId, programId)];
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(carePlans.patientId, patientId));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(carePlans.id, ids));
  const statuses = values(q, 'status').flatMap((v) => v.split(','));
  if (statuses.length > 0) conds.push(inArray(carePlans.status, statuses));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(carePlans)
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after) conds.push(lt(carePlans.id, after.id));
  const rows =
    count === 0
      ? []
      : await tx
          .select()
          .from(carePlans)
          .where(and(...conds))
          .orderBy(desc(carePlans.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  await auditSearch(deps, 'care-plan', patientId, page.length, total);
  return {
    resources: await planResources(tx, programId, page),
    next: rows.length > count ? encode({ id: page[page.length - 1]!.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}

async function goalResources(tx: Tx, programId: string, rows: Array<typeof carePlanGoals.$inferSelect>): Promise<Resource[]> {
  if (rows.length === 0) return [];
  const keys = [...new Set(rows.map((r) => `${r.planId}:${r.planVersion}`))];
  const versions = await tx
    .select({ planId: carePlanVersions.planId, version: carePlanVersions.version, content: carePlanVersions.content })
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, programId), inArray(carePlanVersions.planId, [...new Set(rows.map((r) => r.planId))])));
  const problems = new Map<string, Record<string, string>>();
  for (const v of versions) {
    if (!keys.includes(`${v.planId}:${v.version}`)) continue;
    problems.set(`${v.planId}:${v.version}`, Object.fromEntries((v.content as PlanContent).problems.map((p) => [p.id, p.text])));
  }
  return rows.map((r) => goalResource({ goal: r.goal as GoalC, patientId: r.patientId, problems: problems.get(`${r.planId}:${r.planVersion}`) ?? {}, updatedAt: r.updatedAt }));
}

export async function readGoal(deps: Deps, id: string): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!UUID.test(id)) throw notFound('Goal', id);
  const rows = await tx
    .select()
    .from(carePlanGoals)
    .where(and(eq(carePlanGoals.programId, programOf(ctx)), eq(carePlanGoals.id, id)));
  if (rows.length === 0) throw notFound('Goal', id);
  await auditRead(deps, 'care-plan-goal', id, rows[0]!.patientId);
  return (await goalResources(tx, programOf(ctx), rows))[0]!;
}

export async function searchGoals(deps: Deps, q: Query): Promise<SearchResult> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const conds: SQL[] = [eq(carePlanGoals.programId, programId)];
  const patientId = patientOf(q);
  if (patientId) conds.push(eq(carePlanGoals.patientId, patientId));
  const ids = idsOf(q);
  if (ids) conds.push(inArray(carePlanGoals.id, ids));
  const count = countOf(q);
  const total = await totalOf(q, () =>
    tx
      .select({ n: countAll })
      .from(carePlanGoals)
      .where(and(...conds)),
  );
  const after = cursorOf(q);
  if (after) conds.push(lt(carePlanGoals.id, after.id));
  const rows =
    count === 0
      ? []
      : await tx
          .select()
          .from(carePlanGoals)
          .where(and(...conds))
          .orderBy(desc(carePlanGoals.id))
          .limit(count + 1);
  const page = rows.slice(0, count);
  await auditSearch(deps, 'care-plan-goal', patientId, page.length, total);
  return {
    resources: await goalResources(tx, programId, page),
    next: rows.length > count ? encode({ id: page[page.length - 1]!.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}
