// My plan and my care team, for the patient (issue 12, ADR 037): the current active care
// plan narrowed to what the patient should see — goals, and the agreed interventions with
// the patient-facing rationale of core/planning (from the same context the console's
// recommendations use; no second copy of a rule), in English and Spanish (the app shows the
// one the patient reads in) — with roles and never staff names, and never the clinician
// rationale. The read is audited with the patient as the actor.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { recommend, type Bilingual, type InterventionCode } from '../../../core/planning/index.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { careTeam, patients } from '../patients/patients.tables.ts';
import type { GoalC, InterventionC, PlanContent } from '../planning/care-plans.ts';
import { carePlans, carePlanVersions } from '../planning/planning.tables.ts';
import { assembleContext } from '../planning/recommendations.ts';
import { CARE_TEAM_ROLES } from '../../../contracts/patients.ts';

type Deps = { tx: Tx; ctx: Ctx };
type CareTeamRole = (typeof CARE_TEAM_ROLES)[number];

/** Goals the patient sees: not the cancelled ones. Interventions: not the stopped ones. */
const shownGoal = (g: GoalC) => g.status !== 'cancelled';
const shownIntervention = (v: InterventionC) => v.status !== 'stopped';

const COMPARATORS = ['<', '<=', '>=', '>'] as const;
const comparatorOf = (c: string | null) => ((COMPARATORS as readonly string[]).includes(c ?? '') ? (c as (typeof COMPARATORS)[number]) : null);

async function languageOf(tx: Tx, me: PatientPrincipal): Promise<'en' | 'es'> {
  const [p] = await tx
    .select({ language: patients.preferredLanguage })
    .from(patients)
    .where(and(eq(patients.programId, me.programId), eq(patients.id, me.patientId)));
  return p?.language === 'es' ? 'es' : 'en';
}

/** Each staff member's role for this patient: their care-team role, else their programme role. */
async function rolesOf(tx: Tx, me: PatientPrincipal, staff: string[]): Promise<Record<string, string>> {
  if (staff.length === 0) return {};
  const team = await tx
    .select({ userId: careTeam.userId, role: careTeam.role })
    .from(careTeam)
    .where(and(eq(careTeam.programId, me.programId), eq(careTeam.patientId, me.patientId), inArray(careTeam.userId, staff)));
  const programme = await tx
    .select({ userId: roleAssignments.userId, role: roleAssignments.role })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.programId, me.programId), inArray(roleAssignments.userId, staff)));
  const out: Record<string, string> = {};
  for (const r of programme) out[r.userId] ??= r.role;
  for (const r of team) out[r.userId] = r.role;
  return out;
}

export async function patientPlan(deps: Deps, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const language = await languageOf(tx, me);
  const [plan] = await tx
    .select()
    .from(carePlans)
    .where(and(eq(carePlans.programId, me.programId), eq(carePlans.patientId, me.patientId), eq(carePlans.status, 'active')))
    .orderBy(desc(carePlans.updatedAt), desc(carePlans.id))
    .limit(1);
  if (!plan) {
    await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan', patientId: me.patientId, detail: { view: 'patient-app', count: 0 } });
    return { plan: null, language };
  }
  const [v] = await tx
    .select({ content: carePlanVersions.content })
    .from(carePlanVersions)
    .where(and(eq(carePlanVersions.programId, me.programId), eq(carePlanVersions.planId, plan.id), eq(carePlanVersions.version, plan.currentVersion)));
  const content = v!.content as PlanContent;
  const interventions = content.interventions.filter(shownIntervention);
  // the patient-facing rationale of each recommended intervention, from the record's context
  const rationale = new Map<InterventionCode, Bilingual>();
  if (interventions.some((i) => i.code)) {
    const { context } = await assembleContext(tx, ctx, me.patientId);
    for (const r of recommend(context).recommendations) rationale.set(r.intervention, { en: r.rationale.patient.en.trim(), es: r.rationale.patient.es.trim() });
  }
  const roles = await rolesOf(tx, me, [...new Set(interventions.flatMap((i) => i.responsibleStaffIds))]);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-plan', entityId: plan.id, patientId: me.patientId, detail: { view: 'patient-app', version: plan.currentVersion } });
  return {
    language,
    plan: {
      title: content.title,
      reviewDate: content.reviewDate,
      updatedAt: plan.updatedAt.toISOString(),
      goals: content.goals.filter(shownGoal).map((g) => ({
        id: g.id,
        description: g.description,
        targetText: g.targetText,
        targetValue: g.targetValue,
        targetComparator: comparatorOf(g.targetComparator),
        targetUnit: g.targetUnit,
        dueDate: g.dueDate,
        status: g.status,
      })),
      interventions: interventions.map((i) => {
        const why = i.code ? (rationale.get(i.code) ?? null) : null;
        return {
          id: i.id,
          text: i.text,
          frequency: i.frequency,
          roles: [...new Set(i.responsibleStaffIds.map((s) => roles[s]).filter((r): r is string => !!r))],
          rationale: why,
        };
      }),
    },
  };
}

/** The roles on the patient's care team (for "call my counsellor / my peer"), never names. */
export async function patientCareTeam(deps: Deps, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const rows = await tx
    .select({ role: careTeam.role, workPhone: users.workPhone })
    .from(careTeam)
    .innerJoin(users, eq(users.id, careTeam.userId))
    .where(and(eq(careTeam.programId, me.programId), eq(careTeam.patientId, me.patientId), eq(users.active, true)))
    .orderBy(desc(careTeam.since), asc(careTeam.userId));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'care-team', patientId: me.patientId, detail: { view: 'patient-app', count: rows.length } });
  const have = new Set(rows.map((r) => r.role));
  // a role's direct number: the latest member of that role with one (no names: a number only)
  const phones: Partial<Record<CareTeamRole, string>> = {};
  for (const r of rows) if (r.workPhone && !phones[r.role as CareTeamRole]) phones[r.role as CareTeamRole] = r.workPhone;
  return { roles: CARE_TEAM_ROLES.filter((r): r is CareTeamRole => have.has(r)), phones };
}
