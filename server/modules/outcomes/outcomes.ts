// The outcomes dashboard's reads (issue 17, docs/outcomes.md "Where to see them"): retention in
// treatment by cohort, and drug-screen outcomes by week since admission, for the admissions of a
// period, as of today in the programme's time zone. Both read one row per admission from the
// outcomes rollup, after folding in the patients whose records changed (rollup.ts, ADR 058); the
// statements a fold reads a patient's records with are here too (lastContact,
// scheduledScreensOf), and the measures themselves are core/outcomes. Aggregates only (no patient
// named); each read writes one audit row in the request's transaction.
import { and, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { isAnalyte } from '../../../core/cm/analytes.ts';
import { abstinentWeeks, CONTACT_ATTENDANCE, cohortKey, pooledWeeks, summariseAbstinence, type Cohort } from '../../../core/outcomes/dashboard.ts';
import { outcomesFromMarks, type AnalyteGroup, type AnalyteResult, type ScheduledScreen } from '../../../core/outcomes/screens.ts';
import { kaplanMeier, spellOf, survivalAt, type Spell } from '../../../core/outcomes/survival.ts';
import type { Retention, RetentionQuery, ScreenOutcomes, ScreensQuery } from '../../../contracts/outcomes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { periodOf, type Period } from './admissions.ts';
import { foldOutcomes, rolledUpIn } from './rollup.ts';
import { outcomeEpisodes } from './rollup.tables.ts';
import { inEffect } from '../screens/screens.ts';
import { screens, type StoredResult } from '../screens/screens.tables.ts';
import { episodes } from '../patients/patients.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** The retention figures the dashboard shows: S(30), S(90), S(180). */
export const RETENTION_DAYS = [30, 90, 180] as const;

/** The last contact after admission (an attended visit, a check-in, a screen, a naltrexone injection, a dose CM recorded as taken), as a column of the admissions' one statement. */
export function lastContact(p: Pick<Period, 'tz' | 'asOf'>): SQL {
  const attended = sql.join(
    CONTACT_ATTENDANCE.map((a) => sql`${a}`),
    sql`, `,
  );
  return sql`greatest(
               (select max((en.starts_at at time zone ${p.tz})::date)
                  from encounter_participants ep join encounters en on en.program_id = ep.program_id and en.id = ep.encounter_id
                 where ep.program_id = e.program_id and ep.patient_id = e.patient_id and ep.attendance in (${attended})
                   and (en.starts_at at time zone ${p.tz})::date between e.admitted_on and ${p.asOf}::date),
               (select max(c.day) from check_ins c
                 where c.program_id = e.program_id and c.patient_id = e.patient_id and c.day between e.admitted_on and ${p.asOf}::date),
               (select max(s.collected_on) from screens s
                 where s.program_id = e.program_id and s.patient_id = e.patient_id and s.collected_on between e.admitted_on and ${p.asOf}::date),
               (select max(n.given_on) from naltrexone_injections n
                 where n.program_id = e.program_id and n.patient_id = e.patient_id and n.kind = 'given' and n.given_on between e.admitted_on and ${p.asOf}::date),
               (select max((ce.at at time zone ${p.tz})::date) from cm_events ce
                 where ce.program_id = e.program_id and ce.patient_id = e.patient_id and ce.kind = 'dose' and ce.engine->>'taken' = 'true'
                   and (ce.at at time zone ${p.tz})::date between e.admitted_on and ${p.asOf}::date)
             )::text as last_contact`;
}

/** Retention in treatment of the period's admissions by cohort, as of the period's `asOf`, unaudited (the funders' report reads it too). */
export async function retentionOf(tx: Tx, programId: string, p: Period, cohort: Cohort): Promise<Retention> {
  await foldOutcomes(tx, programId, p.tz, p.asOf);
  const rows = await tx
    .select({
      admittedOn: outcomeEpisodes.admittedOn,
      dischargedOn: outcomeEpisodes.dischargedOn,
      lastContact: outcomeEpisodes.lastContact,
      levelOfCare: outcomeEpisodes.levelOfCare,
      medications: outcomeEpisodes.medications,
      cmProtocol: outcomeEpisodes.cmProtocol,
    })
    .from(outcomeEpisodes)
    .where(rolledUpIn(programId, p))
    .orderBy(outcomeEpisodes.admittedOn, outcomeEpisodes.episodeId);
  const byCohort = new Map<string, Spell[]>();
  for (const r of rows) {
    const spell = spellOf({ admittedOn: r.admittedOn, dischargedOn: r.dischargedOn, lastContactOn: r.lastContact }, p.asOf);
    if (!spell) continue;
    const key = cohortKey(cohort, { admittedOn: r.admittedOn, levelOfCare: r.levelOfCare, medications: r.medications, cmProtocol: r.cmProtocol });
    const spells = byCohort.get(key);
    if (spells) spells.push(spell);
    else byCohort.set(key, [spell]);
  }
  const cohorts = [...byCohort.keys()].sort().map((key) => {
    const spells = byCohort.get(key)!;
    const curve = kaplanMeier(spells);
    return {
      key,
      ...curve,
      at: RETENTION_DAYS.map((day) => ({ day, survival: survivalAt(curve, day), atRisk: spells.filter((s) => s.days >= day).length })),
    };
  });
  const admissions = cohorts.reduce((n, c) => n + c.n, 0);
  return { from: p.from, to: p.to, asOf: p.asOf, cohort, admissions, cohorts };
}

/** Retention in treatment by cohort: the Kaplan–Meier curve with its counts and S(30/90/180). */
export async function retention(deps: Deps, q: RetentionQuery): Promise<Retention> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const out = await retentionOf(tx, programId, p, q.cohort);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'outcomes', detail: { measure: 'retention', from: p.from, to: p.to, cohort: q.cohort, admissions: out.admissions } });
  return out;
}

/** The screens read for some admissions: total, those a correction changed, those invalid (counted as not given). */
export type ScreensRead = { total: number; corrected: number; invalid: number };

/** A correction as the screens read carries it. */
type Fix = { id: string; valid: boolean | null; results: StoredResult[] };

/**
 * The screens of the admissions that `admitted` (a condition on `episodes`) selects, from
 * admission to discharge or `asOf`, read as scheduled screens by episode, with each episode's
 * screens counted: results in effect (corrections applied); an invalid screen is one not given,
 * an inconclusive analyte one not read. One query whatever the number of admissions.
 */
export async function scheduledScreensOf(tx: Tx, programId: string, admitted: SQL, asOf: string): Promise<{ byEpisode: Map<string, ScheduledScreen[]>; readByEpisode: Map<string, ScreensRead> }> {
  // One statement: only what the measures read (at volume the whole rows cost more to carry
  // than to find), each screen's corrections beside it (oldest first).
  const rows = await tx
    .select({
      episodeId: episodes.id,
      collectedOn: screens.collectedOn,
      valid: screens.valid,
      results: screens.results,
      corrections: sql<Fix[]>`(select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'valid', c.valid, 'results', c.results) order by c.recorded_at, c.id), '[]'::jsonb)
                    from screen_corrections c where c.program_id = "screens"."program_id" and c.screen_id = "screens"."id")`,
    })
    .from(screens)
    .innerJoin(episodes, and(eq(episodes.programId, screens.programId), eq(episodes.patientId, screens.patientId)))
    .where(
      and(
        eq(screens.programId, programId),
        admitted,
        gte(screens.collectedOn, episodes.admittedOn),
        lte(screens.collectedOn, sql`least(coalesce(${episodes.dischargedOn}, ${asOf}::date), ${asOf}::date)`),
      ),
    );
  const byEpisode = new Map<string, ScheduledScreen[]>();
  const readByEpisode = new Map<string, ScreensRead>();
  for (const screen of rows) {
    const effect = inEffect(screen, screen.corrections);
    const read = readByEpisode.get(screen.episodeId) ?? { total: 0, corrected: 0, invalid: 0 };
    readByEpisode.set(screen.episodeId, {
      total: read.total + 1,
      corrected: read.corrected + (screen.corrections.length > 0 ? 1 : 0),
      invalid: read.invalid + (effect.valid ? 0 : 1),
    });
    // an invalid screen is one not given; an inconclusive analyte was not read
    const results: AnalyteResult[] | null = effect.valid
      ? effect.results.flatMap((r) => (isAnalyte(r.analyte) && (r.result === 'positive' || r.result === 'negative') ? [{ analyte: r.analyte, result: r.result, prescribed: r.prescribed }] : []))
      : null;
    const list = byEpisode.get(screen.episodeId);
    if (list) list.push({ scheduledOn: screen.collectedOn, results });
    else byEpisode.set(screen.episodeId, [{ scheduledOn: screen.collectedOn, results }]);
  }
  return { byEpisode, readByEpisode };
}

/** Drug-screen outcomes of the period's admissions for one analyte group, as of the period's `asOf`, unaudited (the funders' report reads it too). */
export async function screenOutcomesOf(tx: Tx, programId: string, p: Period, group: AnalyteGroup): Promise<ScreenOutcomes> {
  await foldOutcomes(tx, programId, p.tz, p.asOf);
  const admitted = await tx
    .select({
      admittedOn: outcomeEpisodes.admittedOn,
      dischargedOn: outcomeEpisodes.dischargedOn,
      screens: outcomeEpisodes.screens,
      screensCorrected: outcomeEpisodes.screensCorrected,
      screensInvalid: outcomeEpisodes.screensInvalid,
      marks: sql<string | null>`${outcomeEpisodes.weeks}->>${group}`,
    })
    .from(outcomeEpisodes)
    .where(rolledUpIn(programId, p))
    .orderBy(outcomeEpisodes.admittedOn, outcomeEpisodes.episodeId);
  const read: ScreensRead = { total: 0, corrected: 0, invalid: 0 };
  const perAdmission = admitted.map((a) => {
    read.total += a.screens;
    read.corrected += a.screensCorrected;
    read.invalid += a.screensInvalid;
    const until = a.dischargedOn && a.dischargedOn < p.asOf ? a.dischargedOn : p.asOf;
    return outcomesFromMarks(a.admittedOn, until, a.marks ?? '');
  });
  return {
    from: p.from,
    to: p.to,
    asOf: p.asOf,
    group,
    admissions: admitted.length,
    screens: read,
    weeks: pooledWeeks(perAdmission),
    abstinence: summariseAbstinence(perAdmission.map(abstinentWeeks)),
  };
}

/** Drug-screen outcomes of the period's admissions for one analyte group: % negative by week since admission (both conventions) and the longest run of abstinent weeks. */
export async function screenOutcomes(deps: Deps, q: ScreensQuery): Promise<ScreenOutcomes> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const out = await screenOutcomesOf(tx, programId, p, q.group);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'outcomes',
    detail: { measure: 'screens', from: p.from, to: p.to, group: q.group, admissions: out.admissions, screens: out.screens.total },
  });
  return out;
}
