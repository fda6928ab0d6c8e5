// Recommendations, care plans (immutable versions), patient agreement, and the plan-review
// work list. Request schemas are strict: unknown fields are an error.
import { z } from 'zod';
import { patientContextSchema } from '../core/planning/context.ts';
import { INTERVENTION_CODES, CAUTION_CODES } from '../core/planning/types.ts';
import { Id, IsoDate, PageQuery } from './common.ts';

export const InterventionCodeSchema = z.enum(INTERVENTION_CODES);

// --- recommendations ----------------------------------------------------------------
export const RecommendationRequest = z.strictObject({
  /** Fields the clinician supplies; they override what Waypoint assembled from the record. */
  context: patientContextSchema.optional(),
});
const EvidenceOut = z.object({ id: z.string(), seed: z.string(), section: z.string(), summary: z.string(), citation: z.string().optional() });
export const Recommendations = z.object({
  /** The context the planner used, and where each field came from. */
  context: z.record(z.string(), z.unknown()),
  sources: z.record(z.string(), z.string()),
  recommendations: z.array(
    z.object({
      intervention: InterventionCodeSchema,
      priority: z.number().int(),
      /** clinician: for staff (English); patient: plain words in English and Spanish. */
      rationale: z.object({ clinician: z.string(), patient: z.object({ en: z.string(), es: z.string() }) }),
      evidence: z.array(EvidenceOut),
      rules: z.array(z.string()),
    }),
  ),
  cautions: z.array(z.object({ code: z.enum(CAUTION_CODES), text: z.string() })),
});

// --- care plans ---------------------------------------------------------------------
const text = (max: number) => z.string().trim().min(1, 'is required').max(max);
const localId = z.uuid({ message: 'must be a UUID' });

export const Problem = z.strictObject({
  /** Keep the id across versions; omit it for a new problem. */
  id: localId.optional(),
  text: text(500),
});
export const Goal = z
  .strictObject({
    id: localId.optional(),
    problemIds: z.array(localId).max(20).default([]),
    description: text(500),
    /** What is measured, e.g. "Days of opioid use in the past 30 days" or "PHQ-9 total". */
    measure: text(200),
    /** A number to reach (with a comparator), or a described target; at least one. */
    targetValue: z.number().finite().optional(),
    targetComparator: z.enum(['<', '<=', '>=', '>']).optional(),
    targetUnit: z.string().trim().max(40).optional(),
    targetText: z.string().trim().min(1).max(300).optional(),
    dueDate: IsoDate,
    status: z.enum(['proposed', 'active', 'achieved', 'not-achieved', 'cancelled']).default('active'),
    responsibleStaffIds: z.array(Id).max(10).default([]),
  })
  .refine((g) => g.targetValue !== undefined || g.targetText !== undefined, { message: 'needs a target: targetValue or targetText', path: ['targetValue'] });
export const Intervention = z
  .strictObject({
    id: localId.optional(),
    /** From the recommendations (source 'recommendation') or omitted for a written-in intervention. */
    code: InterventionCodeSchema.optional(),
    source: z.enum(['recommendation', 'free-text']),
    text: text(500),
    goalIds: z.array(localId).max(20).default([]),
    responsibleStaffIds: z.array(Id).min(1, 'needs at least one responsible staff member').max(10),
    /** How often, e.g. "weekly", "twice a week", "each dosing visit". */
    frequency: text(100),
    status: z.enum(['planned', 'in-progress', 'completed', 'stopped']).default('planned'),
  })
  .refine((i) => i.source !== 'recommendation' || i.code !== undefined, { message: 'is required for an intervention from the recommendations', path: ['code'] });

const planFields = {
  title: text(200).default('Treatment plan'),
  status: z.enum(['draft', 'active', 'completed', 'revoked']).default('active'),
  problems: z.array(Problem).max(30),
  goals: z.array(Goal).max(30),
  interventions: z.array(Intervention).max(50),
  reviewDate: IsoDate,
  /** Why this version (shown in the version history). */
  note: z.string().trim().max(2000).optional(),
};
export const CarePlanCreate = z.strictObject(planFields);
export const CarePlanRevise = z.strictObject({ ...planFields, /** The version you edited; a stale one is 409 stale_version. */ version: z.number().int().min(1) });

export const PlanParams = z.strictObject({ patientId: Id, id: Id });
export const PlanVersionParams = z.strictObject({ patientId: Id, id: Id, version: z.coerce.number().int().min(1) });

const ProblemOut = z.object({ id: Id, text: z.string() });
const GoalOut = z.object({
  id: Id,
  problemIds: z.array(Id),
  description: z.string(),
  measure: z.string(),
  targetValue: z.number().nullable(),
  targetComparator: z.string().nullable(),
  targetUnit: z.string().nullable(),
  targetText: z.string().nullable(),
  dueDate: z.string(),
  status: z.string(),
  responsibleStaffIds: z.array(Id),
});
const InterventionOut = z.object({
  id: Id,
  code: InterventionCodeSchema.nullable(),
  source: z.enum(['recommendation', 'free-text']),
  text: z.string(),
  goalIds: z.array(Id),
  responsibleStaffIds: z.array(Id),
  frequency: z.string(),
  status: z.string(),
});
export const PlanContent = z.object({
  title: z.string(),
  status: z.string(),
  problems: z.array(ProblemOut),
  goals: z.array(GoalOut),
  interventions: z.array(InterventionOut),
  reviewDate: z.string(),
});
export const Agreement = z.object({
  id: Id,
  version: z.number().int(),
  agreedBy: z.enum(['patient', 'legal-representative']),
  representativeName: z.string().nullable(),
  method: z.enum(['verbal', 'signed-paper', 'signed-electronic']),
  agreedAt: z.string(),
  note: z.string().nullable(),
  recordedBy: Id,
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
});
export const CarePlan = z.object({
  id: Id,
  patientId: Id,
  version: z.number().int(),
  ...PlanContent.shape,
  staff: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  changedBy: Id,
  changedByName: z.string().nullable(),
  /** The patient's agreement to the current version, if recorded. */
  agreement: Agreement.nullable(),
  /** The latest agreement to any earlier version (the plan changed since). */
  previousAgreement: Agreement.nullable(),
});
export const CarePlanSummary = z.object({
  id: Id,
  patientId: Id,
  title: z.string(),
  status: z.string(),
  version: z.number().int(),
  reviewDate: z.string(),
  agreedToCurrent: z.boolean(),
  updatedAt: z.string(),
});
export const CarePlanVersion = z.object({
  version: z.number().int(),
  status: z.string(),
  content: PlanContent,
  changes: z.array(z.object({ path: z.string(), change: z.enum(['added', 'removed', 'changed']) })),
  note: z.string().nullable(),
  changedBy: Id,
  changedByName: z.string().nullable(),
  changedAt: z.string(),
});
export const CarePlanVersionSummary = CarePlanVersion.omit({ content: true });

export const AgreementCreate = z
  .strictObject({
    /** The version the patient agreed to (normally the current one). */
    version: z.number().int().min(1),
    agreedBy: z.enum(['patient', 'legal-representative']).default('patient'),
    representativeName: z.string().trim().min(1).max(200).optional(),
    method: z.enum(['verbal', 'signed-paper', 'signed-electronic']),
    agreedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((a) => a.agreedBy !== 'legal-representative' || a.representativeName !== undefined, { message: 'is required when a legal representative agreed', path: ['representativeName'] });

// --- work list ----------------------------------------------------------------------
export const PlanReviewItem = z.object({
  planId: Id,
  patientId: Id,
  patientName: z.string(),
  mrn: z.string(),
  title: z.string(),
  reviewDate: z.string(),
  /** Days from today (programme time zone) to the review date; negative = overdue. */
  dueInDays: z.number().int(),
  overdue: z.boolean(),
  why: z.array(z.enum(['responsible', 'care-team'])),
});
export const PlanReviewQuery = z.strictObject({ ...PageQuery });
export const PlanReviewList = z.object({ today: z.string(), horizon: z.string(), items: z.array(PlanReviewItem), nextCursor: z.string().nullable() });
