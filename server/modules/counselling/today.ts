// The counsellor's today (issue 14, ADR 043): the signed-in staff member's visits and groups of
// a day, and for each person booked the things a counsellor looks at before a session — stage
// of change, plan goals and whether the plan's review is due, CM enrolment and balance, the
// latest drug screen and check-in, counselling compliance, and what changed since the person's
// last counselling visit. Every item is one statement for all the day's patients together (a
// fixed number of statements however many people are booked), and each patient shown is
// audited in the same transaction.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import { DEFAULT_ENCOUNTER_TYPES, type Category } from '../../../core/encounters/types.ts';
import { stageLabel } from '../../../core/planning/index.ts';
import type { Stage } from '../../../core/planning/types.ts';
import type { Permission } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudits } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { patientBalances, programTimeZone } from '../cm/settle.ts';
import { screenIsNegative } from '../cm/summaries.ts';
import { encounterParticipants, encounters, encounterTypes } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { REVIEW_HORIZON_DAYS } from '../planning/care-plans.ts';
import { correctionsOf, inEffect } from '../screens/screens.ts';
import { screens } from '../screens/screens.tables.ts';
import { complianceOf } from '../../../core/counselling/compliance.ts';
import { countsAsCounselling, episodeCurrentOn } from './compliance.ts';
import { readCounsellingRules } from './rules.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** With no counselling visit yet, "what changed" covers this many days. */
export const CHANGES_WINDOW_DAYS = 30;

const uuids = (ids: readonly string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

type TypeInfo = { label: { en: string; es: string }; category: Category; counselling: boolean };

async function visitTypes(tx: Tx, programId: string): Promise<Map<string, TypeInfo>> {
  const out = new Map<string, TypeInfo>(DEFAULT_ENCOUNTER_TYPES.map((t) => [t.code, { label: t.label, category: t.category, counselling: t.counselling }]));
  const own = await tx.select().from(encounterTypes).where(eq(encounterTypes.programId, programId));
  for (const t of own) out.set(t.code, { label: { en: t.labelEn, es: t.labelEs }, category: t.category as Category, counselling: t.counselling });
  return out;
}

export async function counsellorToday(deps: Deps, input: { date?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const me = ctx.principal!.userId;
  const tz = await programTimeZone(tx, programId);
  const date = input.date ?? localDate(ctx.now, tz);
  const dayStart = zonedInstant(date, '00:00', tz);
  const dayEnd = zonedInstant(addDays(date, 1), '00:00', tz);

  const types = await visitTypes(tx, programId);
  const booked = await tx
    .select({
      e: encounters,
      patientId: encounterParticipants.patientId,
      arrivedAt: encounterParticipants.arrivedAt,
      attendance: encounterParticipants.attendance,
      given: patients.legalGivenName,
      family: patients.legalFamilyName,
      preferred: patients.preferredName,
    })
    .from(encounters)
    .leftJoin(encounterParticipants, and(eq(encounterParticipants.programId, encounters.programId), eq(encounterParticipants.encounterId, encounters.id)))
    .leftJoin(patients, and(eq(patients.programId, encounterParticipants.programId), eq(patients.id, encounterParticipants.patientId)))
    .where(and(eq(encounters.programId, programId), eq(encounters.staffId, me), gte(encounters.startsAt, dayStart), lt(encounters.startsAt, dayEnd)))
    .orderBy(encounters.startsAt, encounters.id, patients.legalFamilyName, patients.legalGivenName);

  const patientIds = [...new Set(booked.flatMap((b) => (b.patientId ? [b.patientId] : [])))];
  const codes = [...types].filter(([, t]) => t.counselling).map(([code]) => code);
  const facts = await patientFacts(tx, programId, date, dayStart, patientIds, { tz, codes });

  const byEncounter = new Map<string, { e: typeof encounters.$inferSelect; people: typeof booked }>();
  for (const b of booked) {
    const entry = byEncounter.get(b.e.id) ?? { e: b.e, people: [] };
    if (b.patientId) entry.people.push(b);
    byEncounter.set(b.e.id, entry);
  }
  const mask = minimumNecessary(ctx);
  const out = [...byEncounter.values()].map(({ e, people }) => {
    const type = types.get(e.typeCode) ?? { label: { en: e.typeCode, es: e.typeCode }, category: 'individual' as Category, counselling: false };
    return {
      id: e.id,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      typeCode: e.typeCode,
      typeLabel: type.label,
      category: type.category,
      counselling: type.counselling,
      modality: e.modality,
      title: e.title,
      status: e.status,
      noteUrl: `/encounters/${e.id}`,
      patients: people.map((p) => ({
        patientId: p.patientId!,
        patientName: `${p.preferred ?? p.given ?? ''} ${p.family ?? ''}`.trim(),
        arrivedAt: p.arrivedAt?.toISOString() ?? null,
        attendance: p.attendance,
        ...mask(facts.get(p.patientId!)!),
      })),
    };
  });
  await writeAudits(
    tx,
    auditContext(ctx),
    patientIds.map((patientId) => ({ action: 'read' as const, entity: 'encounter' as const, patientId, purpose: 'treatment' as const, detail: { view: 'counsellor-today', date } })),
  );
  return { date, timeZone: tz, encounters: out, informsOnly: true as const };
}

/**
 * Minimum necessary: each item shows only to a role that may read that kind of record anyway
 * (a peer specialist sees the day's stage, plan and check-ins, not CM, screens or compliance).
 */
function minimumNecessary(ctx: Ctx) {
  const may = (p: Permission) => ctx.program?.permissions.has(p) ?? false;
  return (f: Facts): Facts => ({
    stage: may('read:stage') ? f.stage : null,
    plan: may('read:care-plan') ? f.plan : null,
    cm: may('read:cm') ? f.cm : null,
    latestScreen: may('read:cm') ? f.latestScreen : null,
    latestCheckIn: may('read:check-in') ? f.latestCheckIn : null,
    compliance: may('read:counselling-compliance') ? f.compliance : null,
    sinceLastSession: {
      since: f.sinceLastSession.since,
      screens: may('read:cm') ? f.sinceLastSession.screens : null,
      checkIns: may('read:check-in') ? f.sinceLastSession.checkIns : null,
      alerts: may('read:safety-alert') ? f.sinceLastSession.alerts : null,
      planChanges: may('read:care-plan') ? f.sinceLastSession.planChanges : null,
    },
  });
}

type Facts = {
  stage: { stage: string; label: string; assessedAt: string } | null;
  plan: { planId: string; title: string; status: string; reviewDate: string; reviewDue: boolean; goals: Array<{ id: string; description: string; status: string; dueDate: string | null }> } | null;
  cm: { enrolmentId: string; protocolName: string; status: string; startDate: string; endDate: string; balanceCents: number } | null;
  latestScreen: { id: string; collectedOn: string; valid: boolean; negative: boolean; positive: string[] } | null;
  latestCheckIn: { id: string; day: string; craving: number | null; mood: number | null; usedSince: boolean | null; medication: string | null } | null;
  compliance: ReturnType<typeof complianceOf>;
  sinceLastSession: { since: string | null; screens: number | null; checkIns: number | null; alerts: number | null; planChanges: number | null };
};

/**
 * Everything the day's cards show, for all of the day's patients at once: one statement for the
 * latest stage, plan, CM enrolment, screen and check-in, the last counselling visit seen before
 * the day and what changed since (lateral joins over the day's patients), then the plans' goals,
 * the screens' corrections, CM balances and the rules (compliance is core's rule over the first
 * statement's episode and last seen date) — six statements however many patients.
 */
export async function patientFacts(tx: Tx, programId: string, date: string, dayStart: Date, ids: readonly string[], known: { tz: string; codes: string[] }): Promise<Map<string, Facts>> {
  const out = new Map<string, Facts>();
  if (ids.length === 0) return out;
  const fallback = new Date(dayStart.getTime() - CHANGES_WINDOW_DAYS * 86_400_000).toISOString();
  const P = sql`${programId}::uuid`;
  const rows = rowsOf<{
    patient_id: string;
    stage: string | null;
    assessed_at: Date | string | null;
    plan_id: string | null;
    plan_title: string | null;
    plan_status: string | null;
    review_date: string | null;
    enrolment_id: string | null;
    enrolment_status: string | null;
    start_date: string | null;
    end_date: string | null;
    protocol_name: string | null;
    screen_id: string | null;
    check_in_id: string | null;
    check_in_day: string | null;
    answers: { craving?: number; mood?: number; use?: { any: boolean }; medication?: string } | null;
    last_seen: Date | string | null;
    admitted_on: string | null;
    discharged_on: string | null;
    seen_on: string | null;
    new_screens: number | string;
    new_check_ins: number | string;
    new_alerts: number | string;
    plan_changes: number | string;
  }>(
    await tx.execute(sql`
      select ids.patient_id, st.stage, st.assessed_at, pl.id as plan_id, pl.title as plan_title, pl.status as plan_status, pl.review_date::text as review_date,
             en.id as enrolment_id, en.status as enrolment_status, en.start_date::text as start_date, en.end_date::text as end_date, en.name as protocol_name,
             sc.id as screen_id, ci.id as check_in_id, ci.day::text as check_in_day, ci.answers, ls.at as last_seen,
             ep.admitted_on::text as admitted_on, ep.discharged_on::text as discharged_on, ls.seen_on::text as seen_on,
             (select count(*) from screens x where x.program_id = ${P} and x.patient_id = ids.patient_id and x.collected_at > coalesce(ls.at, ${fallback}::timestamptz)) as new_screens,
             (select count(*) from check_ins x where x.program_id = ${P} and x.patient_id = ids.patient_id and x.made_at > coalesce(ls.at, ${fallback}::timestamptz)) as new_check_ins,
             (select count(*) from safety_alerts x where x.program_id = ${P} and x.patient_id = ids.patient_id and x.raised_at > coalesce(ls.at, ${fallback}::timestamptz)) as new_alerts,
             (select count(*) from care_plans cp join care_plan_versions v on v.program_id = cp.program_id and v.plan_id = cp.id
               where cp.program_id = ${P} and cp.patient_id = ids.patient_id and v.changed_at > coalesce(ls.at, ${fallback}::timestamptz)) as plan_changes
        from (values ${sql.join(
          ids.map((id) => sql`(${id}::uuid)`),
          sql`, `,
        )}) ids(patient_id)
        left join lateral (select stage, assessed_at from stage_assessments x where x.program_id = ${P} and x.patient_id = ids.patient_id order by assessed_at desc, created_at desc limit 1) st on true
        left join lateral (select id, title, status, review_date from care_plans x where x.program_id = ${P} and x.patient_id = ids.patient_id and status in ('active', 'draft')
                            order by (status = 'active') desc, updated_at desc limit 1) pl on true
        left join lateral (select e.id, e.status, e.start_date, e.end_date, p.name from cm_enrolments e join cm_protocols p on p.program_id = e.program_id and p.id = e.protocol_id
                            where e.program_id = ${P} and e.patient_id = ids.patient_id order by (e.status = 'active') desc, e.created_at desc limit 1) en on true
        left join lateral (select id from screens x where x.program_id = ${P} and x.patient_id = ids.patient_id order by collected_at desc, id desc limit 1) sc on true
        left join lateral (select id, day, answers from check_ins x where x.program_id = ${P} and x.patient_id = ids.patient_id order by made_at desc, id desc limit 1) ci on true
        left join lateral (select e.admitted_on, e.discharged_on from episodes e where e.program_id = ${P} and e.patient_id = ids.patient_id and ${episodeCurrentOn(date)}
                            order by e.admitted_on desc limit 1) ep on true
        -- one pass over the person's counselling visits: the last before the day (what changed since), and the last seen in this episode up to the day (compliance)
        left join lateral (select max(en.starts_at) filter (where en.starts_at < ${dayStart.toISOString()}::timestamptz) as at,
                                  max((en.starts_at at time zone ${known.tz})::date) filter (where (en.starts_at at time zone ${known.tz})::date between ep.admitted_on and ${date}::date) as seen_on
                             from encounter_participants p join encounters en on en.program_id = p.program_id and en.id = p.encounter_id
                            where p.program_id = ${P} and p.patient_id = ids.patient_id and ${countsAsCounselling(known.codes)}) ls on true`),
  );
  const planIds = rows.flatMap((r) => (r.plan_id ? [r.plan_id] : []));
  const goals = planIds.length
    ? rowsOf<{ plan_id: string; id: string; goal: { description?: string; status?: string; dueDate?: string } }>(
        await tx.execute(sql`select plan_id, id, goal from care_plan_goals where program_id = ${P} and plan_id in (${uuids(planIds)}) order by id`),
      )
    : [];
  const screenIds = rows.flatMap((r) => (r.screen_id ? [r.screen_id] : []));
  const latestScreens = screenIds.length
    ? await tx
        .select()
        .from(screens)
        .where(and(eq(screens.programId, programId), inArray(screens.id, screenIds)))
    : [];
  const corrections = await correctionsOf(tx, programId, screenIds);
  const enrolled = rows.flatMap((r) => (r.enrolment_id ? [r.patient_id] : []));
  const balances = enrolled.length ? await patientBalances(tx, programId, enrolled) : new Map<string, number>();
  const { rules } = await readCounsellingRules(tx, programId);
  const screenOf = new Map(latestScreens.map((sc) => [sc.id, sc]));
  const horizon = addDays(date, REVIEW_HORIZON_DAYS);

  for (const r of rows) {
    const screen = r.screen_id ? screenOf.get(r.screen_id) : undefined;
    const effect = screen ? inEffect(screen, corrections.get(screen.id) ?? []) : null;
    const a = r.answers ?? {};
    out.set(r.patient_id, {
      stage: r.stage ? { stage: r.stage, label: stageLabel(r.stage as Stage), assessedAt: new Date(r.assessed_at!).toISOString() } : null,
      plan: r.plan_id
        ? {
            planId: r.plan_id,
            title: r.plan_title!,
            status: r.plan_status!,
            reviewDate: r.review_date!,
            reviewDue: r.review_date! <= horizon,
            goals: goals.filter((g) => g.plan_id === r.plan_id).map((g) => ({ id: g.id, description: g.goal.description ?? '', status: g.goal.status ?? '', dueDate: g.goal.dueDate ?? null })),
          }
        : null,
      cm: r.enrolment_id
        ? { enrolmentId: r.enrolment_id, protocolName: r.protocol_name!, status: r.enrolment_status!, startDate: r.start_date!, endDate: r.end_date!, balanceCents: balances.get(r.patient_id) ?? 0 }
        : null,
      latestScreen:
        screen && effect
          ? {
              id: screen.id,
              collectedOn: screen.collectedOn,
              valid: effect.valid,
              negative: screenIsNegative(effect),
              positive: effect.results.filter((x) => x.result === 'positive' && !x.prescribed).map((x) => x.analyte),
            }
          : null,
      latestCheckIn: r.check_in_id
        ? { id: r.check_in_id, day: r.check_in_day!, craving: a.craving ?? null, mood: a.mood ?? null, usedSince: a.use ? a.use.any : null, medication: a.medication ?? null }
        : null,
      compliance: r.admitted_on ? complianceOf({ admittedOn: r.admitted_on, dischargedOn: r.discharged_on, today: date, rules, seenOn: r.seen_on ? [r.seen_on] : [] }) : null,
      sinceLastSession: {
        since: r.last_seen ? new Date(r.last_seen).toISOString() : null,
        screens: Number(r.new_screens),
        checkIns: Number(r.new_check_ins),
        alerts: Number(r.new_alerts),
        planChanges: Number(r.plan_changes),
      },
    });
  }
  return out;
}
