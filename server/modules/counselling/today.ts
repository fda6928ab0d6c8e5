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
import { complianceStatuses, counsellingTypeCodes, SEEN_ATTENDANCE } from './compliance.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** With no counselling visit yet, "what changed" covers this many days. */
export const CHANGES_WINDOW_DAYS = 30;

const uuids = (ids: readonly string[]) => sql.join(
  ids.map((id) => sql`${id}::uuid`),
  sql`, `,
);
const texts = (values: readonly string[]) => sql.join(
  values.map((v) => sql`${v}`),
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
  const facts = await patientFacts(tx, programId, date, dayStart, patientIds);

  const byEncounter = new Map<string, { e: typeof encounters.$inferSelect; people: typeof booked }>();
  for (const b of booked) {
    const entry = byEncounter.get(b.e.id) ?? { e: b.e, people: [] };
    if (b.patientId) entry.people.push(b);
    byEncounter.set(b.e.id, entry);
  }
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
        ...facts.get(p.patientId!)!,
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

type Facts = {
  stage: { stage: string; label: string; assessedAt: string } | null;
  plan: { planId: string; title: string; status: string; reviewDate: string; reviewDue: boolean; goals: Array<{ id: string; description: string; status: string; dueDate: string | null }> } | null;
  cm: { enrolmentId: string; protocolName: string; status: string; startDate: string; endDate: string; balanceCents: number } | null;
  latestScreen: { id: string; collectedOn: string; valid: boolean; negative: boolean; positive: string[] } | null;
  latestCheckIn: { id: string; day: string; craving: number | null; mood: number | null; usedSince: boolean | null; medication: string | null } | null;
  compliance: Awaited<ReturnType<typeof complianceStatuses>>['rows'][number]['compliance'];
  sinceLastSession: { since: string | null; screens: number; checkIns: number; alerts: number; planChanges: number };
};

/** Everything the day's cards show, for all of the day's patients at once. */
export async function patientFacts(tx: Tx, programId: string, date: string, dayStart: Date, ids: readonly string[]): Promise<Map<string, Facts>> {
  const out = new Map<string, Facts>();
  if (ids.length === 0) return out;
  const inIds = sql`program_id = ${programId}::uuid and patient_id in (${uuids(ids)})`;

  const stages = rowsOf<{ patient_id: string; stage: string; assessed_at: Date | string }>(
    await tx.execute(sql`select distinct on (patient_id) patient_id, stage, assessed_at from stage_assessments where ${inIds} order by patient_id, assessed_at desc, created_at desc`),
  );
  const plans = rowsOf<{ patient_id: string; id: string; title: string; status: string; review_date: string }>(
    await tx.execute(sql`select distinct on (patient_id) patient_id, id, title, status, review_date::text from care_plans
                          where ${inIds} and status in ('active', 'draft') order by patient_id, (status = 'active') desc, updated_at desc`),
  );
  const goals = plans.length
    ? rowsOf<{ plan_id: string; id: string; goal: { description?: string; status?: string; dueDate?: string } }>(
        await tx.execute(sql`select plan_id, id, goal from care_plan_goals where program_id = ${programId}::uuid and plan_id in (${uuids(plans.map((p) => p.id))}) order by id`),
      )
    : [];
  const enrolments = rowsOf<{ patient_id: string; id: string; status: string; start_date: string; end_date: string; name: string }>(
    await tx.execute(sql`select distinct on (e.patient_id) e.patient_id, e.id, e.status, e.start_date::text, e.end_date::text, p.name
                           from cm_enrolments e join cm_protocols p on p.program_id = e.program_id and p.id = e.protocol_id
                          where e.program_id = ${programId}::uuid and e.patient_id in (${uuids(ids)})
                          order by e.patient_id, (e.status = 'active') desc, e.created_at desc`),
  );
  const balances = enrolments.length ? await patientBalances(tx, programId, enrolments.map((e) => e.patient_id)) : new Map<string, number>();
  const screenRows = rowsOf<{ id: string }>(
    await tx.execute(sql`select distinct on (patient_id) id from screens where ${inIds} order by patient_id, collected_at desc, id desc`),
  );
  const latestScreens = screenRows.length
    ? await tx
        .select()
        .from(screens)
        .where(and(eq(screens.programId, programId), inArray(screens.id, screenRows.map((s) => s.id))))
    : [];
  const corrections = await correctionsOf(tx, programId, latestScreens.map((s) => s.id));
  const checkIns = rowsOf<{ patient_id: string; id: string; day: string; answers: { craving?: number; mood?: number; use?: { any: boolean }; medication?: string } }>(
    await tx.execute(sql`select distinct on (patient_id) patient_id, id, day::text, answers from check_ins where ${inIds} order by patient_id, made_at desc, id desc`),
  );
  // the last counselling visit each person was seen at before the day
  const codes = await counsellingTypeCodes(tx, programId);
  const lastSeen = rowsOf<{ patient_id: string; at: Date | string }>(
    await tx.execute(sql`select p.patient_id, max(en.starts_at) as at
                           from encounter_participants p join encounters en on en.program_id = p.program_id and en.id = p.encounter_id
                          where p.program_id = ${programId}::uuid and p.patient_id in (${uuids(ids)})
                            and p.attendance in (${texts(SEEN_ATTENDANCE)}) and en.status <> 'cancelled' and en.type_code in (${texts(codes)})
                            and en.starts_at < ${dayStart.toISOString()}::timestamptz
                          group by p.patient_id`),
  );
  const sinceOf = new Map(lastSeen.map((r) => [r.patient_id, new Date(r.at)]));
  const fallback = new Date(dayStart.getTime() - CHANGES_WINDOW_DAYS * 86_400_000);
  const since = sql.join(
    ids.map((id) => sql`(${id}::uuid, ${(sinceOf.get(id) ?? fallback).toISOString()}::timestamptz)`),
    sql`, `,
  );
  const changes = rowsOf<{ patient_id: string; kind: string; n: number | string }>(
    await tx.execute(sql`
      with since(patient_id, at) as (values ${since})
      select s.patient_id, 'screens' as kind, count(x.id) as n from since s join screens x on x.program_id = ${programId}::uuid and x.patient_id = s.patient_id and x.collected_at > s.at group by s.patient_id
      union all
      select s.patient_id, 'checkIns', count(x.id) from since s join check_ins x on x.program_id = ${programId}::uuid and x.patient_id = s.patient_id and x.made_at > s.at group by s.patient_id
      union all
      select s.patient_id, 'alerts', count(x.id) from since s join safety_alerts x on x.program_id = ${programId}::uuid and x.patient_id = s.patient_id and x.raised_at > s.at group by s.patient_id
      union all
      select s.patient_id, 'planChanges', count(*) from since s
        join care_plans cp on cp.program_id = ${programId}::uuid and cp.patient_id = s.patient_id
        join care_plan_versions v on v.program_id = cp.program_id and v.plan_id = cp.id and v.changed_at > s.at
       group by s.patient_id`),
  );
  const { rows: compliance } = await complianceStatuses(tx, programId, date, { patientIds: ids });

  for (const id of ids) {
    out.set(id, {
      stage: null,
      plan: null,
      cm: null,
      latestScreen: null,
      latestCheckIn: null,
      compliance: null,
      sinceLastSession: { since: sinceOf.get(id)?.toISOString() ?? null, screens: 0, checkIns: 0, alerts: 0, planChanges: 0 },
    });
  }
  const f = (id: string) => out.get(id)!;
  for (const s of stages) f(s.patient_id).stage = { stage: s.stage, label: stageLabel(s.stage as Stage), assessedAt: new Date(s.assessed_at).toISOString() };
  const horizon = addDays(date, REVIEW_HORIZON_DAYS);
  for (const p of plans) {
    f(p.patient_id).plan = {
      planId: p.id,
      title: p.title,
      status: p.status,
      reviewDate: p.review_date,
      reviewDue: p.review_date <= horizon,
      goals: goals.filter((g) => g.plan_id === p.id).map((g) => ({ id: g.id, description: g.goal.description ?? '', status: g.goal.status ?? '', dueDate: g.goal.dueDate ?? null })),
    };
  }
  for (const e of enrolments)
    f(e.patient_id).cm = { enrolmentId: e.id, protocolName: e.name, status: e.status, startDate: e.start_date, endDate: e.end_date, balanceCents: balances.get(e.patient_id) ?? 0 };
  for (const s of latestScreens) {
    const effect = inEffect(s, corrections.get(s.id) ?? []);
    f(s.patientId).latestScreen = {
      id: s.id,
      collectedOn: s.collectedOn,
      valid: effect.valid,
      negative: screenIsNegative(effect),
      positive: effect.results.filter((r) => r.result === 'positive' && !r.prescribed).map((r) => r.analyte),
    };
  }
  for (const c of checkIns) {
    const a = c.answers;
    f(c.patient_id).latestCheckIn = { id: c.id, day: c.day, craving: a.craving ?? null, mood: a.mood ?? null, usedSince: a.use ? a.use.any : null, medication: a.medication ?? null };
  }
  for (const c of changes) f(c.patient_id).sinceLastSession[c.kind as 'screens' | 'checkIns' | 'alerts' | 'planChanges'] = Number(c.n);
  for (const c of compliance) f(c.patientId).compliance = c.compliance;
  return out;
}
