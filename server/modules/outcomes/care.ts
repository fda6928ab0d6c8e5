// Care outcomes (issue 17, docs/outcomes.md "Care: attendance, counselling compliance,
// medication adherence, stage of change"): for the admissions of a period, by cohort, as of today
// in the programme's time zone — the visits each was booked on and what happened, the counselling
// months met (the counselling module's rule and its definition of a counselling visit), the doses
// CM recorded and those a network member witnessed, the naltrexone injections given on time, and
// the stage of change first → latest. Set-based: the programme's settings (time zone, counselling
// rules, its own visit types) and then one statement for the admissions with every source as a
// JSON column, whatever the cohort's size; the measures are core/outcomes/care.ts. Aggregates only
// (no patient named); each read writes one audit row in the request's transaction.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Attendance } from '../../../core/encounters/types.ts';
import { DEFAULT_ENCOUNTER_TYPES } from '../../../core/encounters/types.ts';
import { careFigures, type AdmissionCare } from '../../../core/outcomes/care.ts';
import { cohortKey } from '../../../core/outcomes/dashboard.ts';
import { STAGES, type Stage } from '../../../core/planning/types.ts';
import type { CareOutcomes, CareQuery } from '../../../contracts/outcomes-care.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { countsAsCounselling, counsellingTypeCodes } from '../counselling/compliance.ts';
import { readCounsellingRules } from '../counselling/rules.ts';
import { encounterTypes } from '../encounters/encounters.tables.ts';
import { admissionsOf, cohortFacts, periodOf, type Period } from './admissions.ts';

type Deps = { tx: Tx; ctx: Ctx };

type Sources = {
  bookings: { day: string; type: string; attendance: Attendance | null; counselling: boolean }[];
  doses: { day: string; kind: 'dose' | 'missed'; taken: string | null; doseType: string | null }[];
  witnessed: { day: string; taken: boolean; member: string }[];
  injections: { day: string; kind: 'given' | 'stopped' }[];
  stages: { at: string; day: string; stage: string }[];
};

/** Each source of an admission `e`, from admission to discharge (or today), as JSON columns of the admissions' one statement. */
function careSources(p: Period, counsellingCodes: readonly string[]): SQL {
  const until = sql`least(coalesce(e.discharged_on, ${p.asOf}::date), ${p.asOf}::date)`;
  const visitDay = sql`(en.starts_at at time zone ${p.tz})::date`;
  const doseDay = sql`coalesce(ce.slot_date, (ce.at at time zone ${p.tz})::date)`;
  const stageDay = sql`(sa.assessed_at at time zone ${p.tz})::date`;
  return sql`
    (select coalesce(json_agg(json_build_object('day', ${visitDay}::text, 'type', en.type_code, 'attendance', p.attendance, 'counselling', (${countsAsCounselling(counsellingCodes)}))
                              order by en.starts_at, en.id), '[]'::json)
       from encounter_participants p join encounters en on en.program_id = p.program_id and en.id = p.encounter_id
      where p.program_id = e.program_id and p.patient_id = e.patient_id and ${visitDay} between e.admitted_on and ${until}) as bookings,
    (select coalesce(json_agg(json_build_object('day', ${doseDay}::text, 'kind', ce.kind, 'taken', ce.engine->>'taken', 'doseType', ce.detail->>'doseType')), '[]'::json)
       from cm_events ce
      where ce.program_id = e.program_id and ce.patient_id = e.patient_id
        and (ce.kind = 'dose' or (ce.kind = 'missed' and ce.engine->>'of' = 'dose'))
        and ${doseDay} between e.admitted_on and ${until}) as doses,
    (select coalesce(json_agg(json_build_object('day', w.day::text, 'taken', w.taken, 'member', w.network_member_id)), '[]'::json)
       from witnessed_doses w
      where w.program_id = e.program_id and w.patient_id = e.patient_id and w.day between e.admitted_on and ${until}) as witnessed,
    (select coalesce(json_agg(json_build_object('day', n.given_on::text, 'kind', n.kind) order by n.given_on, n.recorded_at), '[]'::json)
       from naltrexone_injections n
      where n.program_id = e.program_id and n.patient_id = e.patient_id and n.given_on between e.admitted_on and ${until}) as injections,
    (select coalesce(json_agg(json_build_object('at', to_char(sa.assessed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'day', ${stageDay}::text, 'stage', sa.stage)
                              order by sa.assessed_at, sa.created_at), '[]'::json)
       from stage_assessments sa
      where sa.program_id = e.program_id and sa.patient_id = e.patient_id and ${stageDay} between e.admitted_on and ${until}) as stages`;
}

const isStage = (s: string): s is Stage => (STAGES as readonly string[]).includes(s);

/** Attendance, counselling compliance, medication adherence and stage-of-change transitions of the period's admissions, by cohort. */
export async function careOutcomes(deps: Deps, q: CareQuery): Promise<CareOutcomes> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const { rules } = await readCounsellingRules(tx, programId);
  const codes = await counsellingTypeCodes(tx, programId);
  // the kind of a visit is its type's category: the built-in types and the programme's own
  const own = await tx.select({ code: encounterTypes.code, category: encounterTypes.category }).from(encounterTypes).where(eq(encounterTypes.programId, programId));
  const kindOf = new Map<string, string>([...DEFAULT_ENCOUNTER_TYPES.map((t) => [t.code, t.category] as const), ...own.map((t) => [t.code, t.category] as const)]);
  const rows = await admissionsOf<Sources>(tx, programId, p, careSources(p, codes));
  const byCohort = new Map<string, AdmissionCare[]>();
  for (const r of rows) {
    const care: AdmissionCare = {
      admittedOn: r.admitted_on,
      dischargedOn: r.discharged_on,
      bookings: r.bookings.map((b) => ({ day: b.day, kind: kindOf.get(b.type) ?? b.type, attendance: b.attendance })),
      counsellingSeenOn: r.bookings.filter((b) => b.counselling).map((b) => b.day),
      cmDoses: r.doses.map((d) => ({ day: d.day, outcome: d.kind === 'missed' ? 'missed' : d.taken === 'true' ? 'taken' : 'not-taken', observed: d.doseType === 'observed' })),
      witnessed: r.witnessed.map((w) => ({ day: w.day, taken: w.taken, memberId: w.member })),
      injections: r.injections,
      stages: r.stages.flatMap((s) => (isStage(s.stage) ? [{ at: s.at, day: s.day, stage: s.stage }] : [])),
    };
    const key = cohortKey(q.cohort, cohortFacts(r));
    byCohort.set(key, [...(byCohort.get(key) ?? []), care]);
  }
  const cohorts = [...byCohort.keys()].sort().map((key) => ({ key, ...careFigures(byCohort.get(key)!, rules, p.asOf) }));
  const admissions = rows.length;
  const visits = cohorts.reduce((n, c) => n + c.attendance.visits, 0);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'outcomes', detail: { measure: 'care', from: p.from, to: p.to, cohort: q.cohort, admissions, visits } });
  return { from: p.from, to: p.to, asOf: p.asOf, cohort: q.cohort, admissions, stages: [...STAGES], cohorts };
}
