// The engagement outcomes' reads (issue 17, docs/outcomes.md "Engagement"): for the admissions of
// a period, check-in days and skills-module activity by week since admission, by cohort (the
// decay curve), with the modules assigned, started and completed; and for the peer referrals made
// in a period, who was reached and what happened after (medication for OUD, naloxone, overdoses).
// Set-based: one statement each, whatever the numbers (the admissions with their check-in days,
// module activity days and modules as columns; the referrals with their attempts and outcomes).
// The measures are core/outcomes/engagement.ts. Aggregates only; one audit row per read.
import { sql, type SQL } from 'drizzle-orm';
import { cohortKey } from '../../../core/outcomes/dashboard.ts';
import { daysByWeek, engagementByWeek, moduleFigures, peerReferralFigures, type ModuleFacts, type ReferralFacts } from '../../../core/outcomes/engagement.ts';
import type { Engagement, EngagementQuery, PeerReferralOutcomes, PeerReferralsQuery } from '../../../contracts/outcomes-engagement.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { admissionsOf, cohortFacts, periodOf, type Period } from './admissions.ts';

type Deps = { tx: Tx; ctx: Ctx };

type EngagementColumns = { check_in_days: string[]; module_days: string[]; modules: ModuleFacts[] };

/**
 * The columns engagement adds to each admission `e`, from admission up to today (core clips them
 * to the discharge): `check_in_days`, the distinct check-in days; `module_days`, the days with
 * module activity (a module first opened, last active or completed, an exercise or homework
 * entered); `modules`, the patient's modules, each assigned during the admission (an assignment
 * not cancelled) or opened from the library, with the days first opened and completed.
 */
function engagementColumns(p: Period): SQL {
  const local = (col: string) => sql`(${sql.raw(col)} at time zone ${p.tz})::date`;
  const assignedIn = sql`select distinct sa.module_key from skill_assignments sa
                          where sa.program_id = e.program_id and sa.patient_id = e.patient_id and sa.status <> 'cancelled'
                            and ${local('sa.assigned_at')} between e.admitted_on and least(coalesce(e.discharged_on, ${p.asOf}::date), ${p.asOf}::date)`;
  return sql`
    (select coalesce(json_agg(distinct c.day::text), '[]'::json) from check_ins c
      where c.program_id = e.program_id and c.patient_id = e.patient_id and c.day between e.admitted_on and ${p.asOf}::date) as check_in_days,
    (select coalesce(json_agg(distinct d.day::text), '[]'::json) from (
        select ${local('sp.started_at')} as day from skill_progress sp where sp.program_id = e.program_id and sp.patient_id = e.patient_id
        union select ${local('sp.last_active_at')} from skill_progress sp where sp.program_id = e.program_id and sp.patient_id = e.patient_id
        union select ${local('sp.completed_at')} from skill_progress sp where sp.program_id = e.program_id and sp.patient_id = e.patient_id and sp.completed_at is not null
        union select ${local('se.entered_at')} from skill_entries se where se.program_id = e.program_id and se.patient_id = e.patient_id) d
      where d.day between e.admitted_on and ${p.asOf}::date) as module_days,
    (select coalesce(json_agg(json_build_object('assigned', a.module_key is not null, 'startedOn', ${local('sp.started_at')}::text, 'completedOn', ${local('sp.completed_at')}::text)), '[]'::json)
       from (${assignedIn}) a
       full join (select * from skill_progress sp0 where sp0.program_id = e.program_id and sp0.patient_id = e.patient_id) sp on sp.module_key = a.module_key) as modules`;
}

/** Check-ins and skills modules by week since admission, by cohort, with the module figures. */
export async function engagementOutcomes(deps: Deps, q: EngagementQuery): Promise<Engagement> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const rows = await admissionsOf<EngagementColumns>(tx, programId, p, engagementColumns(p));
  const admissions = rows.map((r) => {
    const until = r.discharged_on && r.discharged_on < p.asOf ? r.discharged_on : p.asOf;
    return {
      key: cohortKey(q.cohort, cohortFacts(r)),
      admittedOn: r.admitted_on,
      until,
      checkIns: daysByWeek(r.admitted_on, until, r.check_in_days),
      moduleWeeks: daysByWeek(r.admitted_on, until, r.module_days),
      modules: r.modules,
    };
  });
  // not recorded: no check-in at all (no module assigned or opened) in any admission of the period
  const recorded = {
    checkIns: admissions.some((a) => a.checkIns.some((n) => n > 0)),
    modules: admissions.some((a) => a.moduleWeeks.some((n) => n > 0) || a.modules.some((m) => m.assigned)),
  };
  const keys = [...new Set(admissions.map((a) => a.key))].sort();
  const cohorts = keys.map((key) => {
    const of = admissions.filter((a) => a.key === key);
    return {
      key,
      n: of.length,
      checkIns: {
        days: of.reduce((n, a) => n + a.checkIns.reduce((x, y) => x + y, 0), 0),
        weeks: engagementByWeek(
          of.map((a) => a.checkIns),
          recorded.checkIns,
        ),
      },
      modules: {
        ...moduleFigures(of),
        weeks: engagementByWeek(
          of.map((a) => a.moduleWeeks),
          recorded.modules,
        ),
      },
    };
  });
  const out: Engagement = { from: p.from, to: p.to, asOf: p.asOf, cohort: q.cohort, admissions: rows.length, recorded, cohorts };
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'outcomes',
    detail: {
      measure: 'engagement',
      from: p.from,
      to: p.to,
      cohort: q.cohort,
      admissions: out.admissions,
      checkInDays: cohorts.reduce((n, c) => n + c.checkIns.days, 0),
      modulesAssigned: cohorts.reduce((n, c) => n + c.modules.assigned, 0),
    },
  });
  return out;
}

type ReferralRow = { referred_on: string; attempts: ReferralFacts['attempts']; outcomes: ReferralFacts['outcomes'] };

/** The peer referrals made in the period (their own date, in the programme's zone): reached, medication for OUD and how soon, entered treatment, naloxone, overdoses after. */
export async function peerReferralOutcomes(deps: Deps, q: PeerReferralsQuery): Promise<PeerReferralOutcomes> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const day = sql`(r.referred_at at time zone ${p.tz})::date`;
  const rows = rowsOf<ReferralRow>(
    await tx.execute(sql`
      select ${day}::text as referred_on,
             (select coalesce(json_agg(json_build_object('id', a.id, 'outcome', a.outcome, 'corrects', a.corrects)), '[]'::json) from peer_outreach_attempts a
               where a.program_id = r.program_id and a.referral_id = r.id) as attempts,
             (select coalesce(json_agg(json_build_object('kind', o.kind, 'occurredOn', o.occurred_on::text)), '[]'::json) from peer_referral_outcomes o
               where o.program_id = r.program_id and o.referral_id = r.id) as outcomes
        from peer_referrals r
       where r.program_id = ${programId} and ${day} between ${p.from}::date and ${p.to}::date and ${day} <= ${p.asOf}::date`),
  );
  const figures = peerReferralFigures(rows.map((r) => ({ referredOn: r.referred_on, attempts: r.attempts, outcomes: r.outcomes })));
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'outcomes',
    detail: { measure: 'peer-referrals', from: p.from, to: p.to, referrals: figures.referrals, withOutcomes: figures.withOutcomes },
  });
  return { from: p.from, to: p.to, asOf: p.asOf, ...figures };
}
