// The outcomes dashboard's figures as FHIR R4 (issue 17, docs/fhir.md "Measures"): two Measure
// definitions (static, the same in every programme) and the `$evaluate-measure` operation, which
// answers a summary MeasureReport built from the dashboard's own reads (retentionOf,
// screenOutcomesOf, periodOf: the same admissions, rules and figures as /api/v1/outcomes).
// Aggregates only: no patient is named or referenced. Each evaluation writes the dashboard's audit
// row (`read` of `outcomes`) with `via: 'fhir'`, in the request's transaction.
import { eq } from 'drizzle-orm';
import { ANALYTE_GROUP_NAMES } from '../../../contracts/outcomes.ts';
import { IsoDate } from '../../../contracts/common.ts';
import type { AnalyteGroup } from '../../../core/outcomes/screens.ts';
import type { Retention, ScreenOutcomes } from '../../../contracts/outcomes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { periodOf, type Period } from '../outcomes/admissions.ts';
import { RETENTION_DAYS, retentionOf, screenOutcomesOf } from '../outcomes/outcomes.ts';
import { programs } from '../programs/programs.tables.ts';
import { badParam, countOf, notFound, totalOf, values, type Query, type SearchResult } from './fhir.ts';
import { SECURITY_LABELS, WAYPOINT, type Resource } from './resources.ts';

type Deps = { tx: Tx; ctx: Ctx };

export const RETENTION_MEASURE = 'waypoint-retention';
export const SCREENS_MEASURE = 'waypoint-negative-screens';
export const MEASURE_IDS = [RETENTION_MEASURE, SCREENS_MEASURE] as const;
type MeasureId = (typeof MEASURE_IDS)[number];
const isMeasureId = (id: string): id is MeasureId => (MEASURE_IDS as readonly string[]).includes(id);

/** The canonical url of a Waypoint Measure (what MeasureReport.measure names). */
export const measureUrl = (id: MeasureId) => `${WAYPOINT}/Measure/${id}`;

/**
 * The parameters `$evaluate-measure` understands for a measure (what `Prefer: handling=strict`
 * accepts); `subject` and `practitioner` are understood in order to be refused (a 400, never ignored).
 */
export function evaluateParams(id: string): Set<string> {
  return new Set(['periodStart', 'periodEnd', 'reportType', 'subject', 'practitioner', ...(id === SCREENS_MEASURE ? ['group'] : [])]);
}

const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const MEASURE_POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const GROUP_CODES = `${WAYPOINT}/CodeSystem/measure-group`;
const labels = () => ({ security: SECURITY_LABELS.map((l) => ({ ...l })) });
const concept = (system: string, code: string, display?: string) => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });
const increase = () => concept('http://terminology.hl7.org/CodeSystem/measure-improvement-notation', 'increase', 'Increased score indicates improvement');
const population = (code: 'initial-population' | 'denominator' | 'numerator') => concept(MEASURE_POPULATION, code);
/** What the criteria are, in words: the figures are computed by Waypoint's code (docs/outcomes.md), not by an expression language. */
const criteria = (text: string) => ({ language: 'text/plain', expression: text });

// --- The Measure definitions (docs/outcomes.md "Retention in treatment", "Drug screens") -----------
const ADMISSIONS =
  'Admissions whose admission date falls in the reporting period (periodStart to periodEnd, inclusive), counted as of today in the programme’s time zone. Each admission counts once: a person admitted twice counts twice.';

const retentionGroupText = (day: number) => `Retention in treatment at ${day} days`;

const RETENTION_DESCRIPTION = [
  'Retention in treatment of the people admitted in the reporting period: for 30, 90 and 180 days after admission, the share still in treatment that many days after admission.',
  '',
  'The score is a **Kaplan–Meier estimate** (the product-limit method), **not a simple proportion** of the admissions: people still in treatment who have not yet been followed that long count for as long as they were followed, so the score is not a count divided by the initial population.',
  '',
  'A person leaves treatment on the day they are discharged, or, after more than 30 days with no contact (an attended visit, a check-in, a drug screen, a naltrexone injection, or a dose taken under contingency management), on the day of their last contact. Anyone else is still in treatment today.',
  '',
  'When nobody has been followed that long yet, the score is not given (the group carries the data-absent-reason extension, not-applicable).',
].join('\n');

const SCREENS_DESCRIPTION = [
  'Drug screens negative for a group of substances (opioids unless the `group` parameter names stimulants, benzodiazepines, cannabis, alcohol or xylazine), for the people admitted in the reporting period.',
  '',
  'Waypoint expects one screen a week in treatment. Every week since admission of every admission, up to discharge or today, is one week counted: **negative** when the week’s screens for the group were all negative, **positive** when one was positive, **missing** when no screen was given. Results are those in effect after corrections; a methadone or buprenorphine result the person is prescribed is not counted as use.',
  '',
  'The score is the number of negative weeks divided by the weeks counted, in two ways (one group each): with missing weeks counted as positive, and with missing weeks left out. The initial population is every week counted, pooled over all weeks since admission. When no week is counted, the score is not given (data-absent-reason extension, not-applicable).',
].join('\n');

const CONVENTIONS = [
  { key: 'missingPositive', code: 'negative-screens-missing-positive', words: 'a week without a screen counted as positive' },
  { key: 'missingExcluded', code: 'negative-screens-missing-excluded', words: 'weeks without a screen left out' },
] as const;

function measureResource(id: MeasureId): Resource {
  const common = {
    resourceType: 'Measure',
    id,
    meta: labels(),
    url: measureUrl(id),
    version: '1',
    status: 'active',
    experimental: false,
    date: '2026-03-01',
    publisher: 'Waypoint',
    type: [concept('http://terminology.hl7.org/CodeSystem/measure-type', 'outcome')],
    improvementNotation: increase(),
  };
  if (id === RETENTION_MEASURE)
    return {
      ...common,
      name: 'WaypointRetention',
      title: 'Retention in treatment at 30, 90 and 180 days',
      description: RETENTION_DESCRIPTION,
      scoring: concept('http://terminology.hl7.org/CodeSystem/measure-scoring', 'continuous-variable', 'Continuous Variable'),
      group: RETENTION_DAYS.map((day) => ({
        code: { ...concept(GROUP_CODES, `retention-${day}`), text: retentionGroupText(day) },
        description: `The Kaplan–Meier estimate of the share of admissions still in treatment ${day} days after admission.`,
        population: [{ code: population('initial-population'), description: ADMISSIONS, criteria: criteria(ADMISSIONS) }],
      })),
    };
  const weeks = 'Every week since admission of the admissions in the period, up to discharge or today (a week still under way counts once it has a screen).';
  return {
    ...common,
    name: 'WaypointNegativeScreens',
    title: 'Weeks with a negative drug screen',
    description: SCREENS_DESCRIPTION,
    scoring: concept('http://terminology.hl7.org/CodeSystem/measure-scoring', 'proportion', 'Proportion'),
    group: CONVENTIONS.map((c) => {
      const denominator =
        c.key === 'missingPositive' ? 'Every week counted (a week without a screen is counted as positive).' : 'Every week counted with a screen for the group (weeks without a screen are left out).';
      return {
        code: { ...concept(GROUP_CODES, c.code), text: `Weeks with a negative screen, ${c.words}` },
        description: `Negative weeks divided by weeks counted, ${c.words}.`,
        population: [
          { code: population('initial-population'), description: weeks, criteria: criteria(weeks) },
          { code: population('denominator'), description: denominator, criteria: criteria(denominator) },
          { code: population('numerator'), description: 'Weeks whose screens for the group were all negative.', criteria: criteria('Weeks whose screens for the group were all negative.') },
        ],
      };
    }),
  };
}

export async function readMeasure(_deps: Deps, id: string): Promise<Resource> {
  if (!isMeasureId(id)) throw notFound('Measure', id);
  return measureResource(id);
}

/** Measure search: the two definitions (`_id` and `_count` as everywhere; definitions, so not audited, like Questionnaire). */
export async function searchMeasures(_deps: Deps, q: Query): Promise<SearchResult> {
  const ids = values(q, '_id').flatMap((v) => v.split(','));
  const count = countOf(q);
  const [rawCursor] = values(q, '_cursor');
  const afterId = rawCursor ? Buffer.from(rawCursor, 'base64url').toString('utf8') : null;
  if (afterId !== null && !isMeasureId(afterId)) throw badParam('_cursor', 'is not valid; start the search again');
  let list = MEASURE_IDS.filter((id) => ids.length === 0 || ids.includes(id));
  const total = await totalOf(q, async () => [{ n: list.length }]);
  if (afterId) list = list.slice(list.indexOf(afterId) + 1);
  const page = list.slice(0, count);
  return {
    resources: page.map(measureResource),
    next: count > 0 && list.length > count ? Buffer.from(page[page.length - 1]!).toString('base64url') : null,
    ...(total === undefined ? {} : { total }),
  };
}

// --- $evaluate-measure -------------------------------------------------------------------------
/** A bad operation parameter: 400 naming it (`query.<name>`), as a bad search parameter is. */
const badInput = (name: string, message: string) => new AppError({ code: 'invalid_input', status: 400, message: `Parameter ${name}: ${message}`, problems: [{ field: `query.${name}`, message }] });

function single(q: Query, name: string): string | undefined {
  const all = values(q, name);
  if (all.length > 1) throw badInput(name, 'give it once');
  return all[0];
}

function dateParam(q: Query, name: string): string | undefined {
  const v = single(q, name);
  if (v !== undefined && !IsoDate.safeParse(v).success) throw badInput(name, 'must be a date as YYYY-MM-DD');
  return v;
}

async function periodParams(deps: Deps, q: Query): Promise<Period> {
  const from = dateParam(q, 'periodStart');
  const to = dateParam(q, 'periodEnd');
  return periodOf(deps.tx, programOf(deps.ctx), deps.ctx.now, { from, to }, { from: 'query.periodStart', to: 'query.periodEnd' });
}

/** The summary (population) report is the only one: `reportType` summary (R5's word, and MeasureReport.type) or population (R4's). */
function checkReportType(q: Query) {
  const t = single(q, 'reportType');
  if (t !== undefined && t !== 'summary' && t !== 'population') throw badInput('reportType', 'only summary reports are produced (aggregates, never one patient’s or a list of patients)');
  for (const name of ['subject', 'practitioner']) if (values(q, name).length > 0) throw badInput(name, 'is not supported: the report is for the whole programme, never one patient or practitioner');
}

function analyteGroup(q: Query): AnalyteGroup {
  const g = single(q, 'group') ?? 'opioids';
  if (!(ANALYTE_GROUP_NAMES as readonly string[]).includes(g)) throw badInput('group', `must be one of ${ANALYTE_GROUP_NAMES.join(', ')}`);
  return g as AnalyteGroup;
}

const absent = () => [{ url: DATA_ABSENT_REASON, valueCode: 'not-applicable' }];
const score = (value: number | null) => (value === null ? { extension: absent() } : { measureScore: { value, unit: '1', system: 'http://unitsofmeasure.org', code: '1' } });

type ReportHead = { id: MeasureId; p: Period; now: Date; programme: string };
const reportOf = (h: ReportHead, group: Array<Record<string, unknown>>): Resource => ({
  resourceType: 'MeasureReport',
  meta: labels(),
  status: 'complete',
  type: 'summary',
  measure: measureUrl(h.id),
  date: h.now.toISOString(),
  reporter: { display: h.programme },
  period: { start: h.p.from, end: h.p.to },
  improvementNotation: increase(),
  group,
});

/** The retention MeasureReport: one group per day (30, 90, 180), the admissions and S(day) (absent when not recorded). */
export function retentionReport(h: ReportHead, r: Retention): Resource {
  const all = r.cohorts.find((c) => c.key === 'all');
  return reportOf(
    h,
    RETENTION_DAYS.map((day) => ({
      code: { ...concept(GROUP_CODES, `retention-${day}`), text: retentionGroupText(day) },
      population: [{ code: population('initial-population'), count: r.admissions }],
      ...score(all?.at.find((a) => a.day === day)?.survival ?? null),
    })),
  );
}

/** Every week since admission pooled under each convention: weeks counted, weeks in the denominator, negative weeks. */
export function pooledScreens(s: ScreenOutcomes) {
  const sum = (f: (w: ScreenOutcomes['weeks'][number]) => number) => s.weeks.reduce((n, w) => n + f(w), 0);
  const weeks = sum((w) => w.admissions);
  return Object.fromEntries(CONVENTIONS.map((c) => [c.key, { weeks, denominator: sum((w) => w[c.key].denominator), numerator: sum((w) => w[c.key].negative) }])) as Record<
    (typeof CONVENTIONS)[number]['key'],
    { weeks: number; denominator: number; numerator: number }
  >;
}

/** The negative-screens MeasureReport: one group per convention, with its three populations and numerator ÷ denominator (absent when 0). */
export function screensReport(h: ReportHead, s: ScreenOutcomes): Resource {
  const pooled = pooledScreens(s);
  return reportOf(
    h,
    CONVENTIONS.map((c) => {
      const { weeks, denominator, numerator } = pooled[c.key];
      return {
        code: { ...concept(GROUP_CODES, c.code), text: `Weeks with a negative screen for ${s.group}, ${c.words}` },
        population: [
          { code: population('initial-population'), count: weeks },
          { code: population('denominator'), count: denominator },
          { code: population('numerator'), count: numerator },
        ],
        ...score(denominator === 0 ? null : numerator / denominator),
      };
    }),
  );
}

/** `GET Measure/<id>/$evaluate-measure`: the summary MeasureReport for the admissions of the period, audited as the dashboard's read. */
export async function evaluateMeasure(deps: Deps, id: string, q: Query): Promise<Resource> {
  const { tx, ctx } = deps;
  if (!isMeasureId(id)) throw notFound('Measure', id);
  checkReportType(q);
  const group = id === SCREENS_MEASURE ? analyteGroup(q) : null;
  const programId = programOf(ctx);
  const p = await periodParams(deps, q);
  const [programme] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, programId));
  const head: ReportHead = { id, p, now: ctx.now, programme: programme?.name ?? '' };
  const audit = (detail: Record<string, unknown>) => writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'outcomes', detail: { ...detail, from: p.from, to: p.to, via: 'fhir' } });
  if (group === null) {
    const r = await retentionOf(tx, programId, p, 'all');
    await audit({ measure: 'retention', cohort: 'all', admissions: r.admissions });
    return retentionReport(head, r);
  }
  const s = await screenOutcomesOf(tx, programId, p, group);
  await audit({ measure: 'screens', group, admissions: s.admissions, screens: s.screens.total });
  return screensReport(head, s);
}
