// CM: cost and fairness over HTTP (issue 17, docs/outcomes.md "CM: cost and fairness"): for the
// CM enrolments that started in a period, the spend per funding source against its budget and
// caps, the cost per patient, per negative CM screen and per week in treatment, and the prize
// tiers drawn against what each protocol's bowl expects. Aggregates only: no patient named.
import { z } from 'zod';
import { IsoDate } from './common.ts';

/** The enrolments counted: those that started from `from` to `to` (inclusive; default the year to today). */
export const CmCostQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });

const Count = z.number().int().min(0);
const Cents = z.number().int();

export const CmSourceSpend = z.object({
  /** null: the enrolments with no funding source. */
  fundingSourceId: z.string().nullable(),
  name: z.string().nullable(),
  enrolments: Count,
  /** Money credited to patients (credits − debits, voided entries left out; forgiven money stays paid, pending is never paid). */
  earnedCents: Cents,
  /** Of it, what patients redeemed (goods and gift cards at their cost). */
  redeemedCents: Cents,
  /** null: not recorded. */
  budgetCents: Cents.nullable(),
  remainingCents: Cents.nullable(),
  percentUsed: z.number().nullable(),
  capsPreset: z.string().nullable(),
  perYearCents: Cents.nullable(),
  /** Enrolments with an entry a cap cut, or a prize a cap stopped. */
  enrolmentsCapped: Count,
});

export const CmCostFigures = z.object({
  earnedCents: Cents,
  patients: Count,
  negativeScreens: Count,
  retainedDays: Count,
  retainedWeeks: z.number(),
  /** Each null (not recorded) when its denominator is 0; cents, unrounded. */
  perPatientCents: z.number().nullable(),
  perNegativeScreenCents: z.number().nullable(),
  perRetainedWeekCents: z.number().nullable(),
});

export const CmTierCount = z.object({ tier: z.string(), label: z.string().nullable(), valueCents: z.number(), probability: z.number(), expected: z.number(), observed: Count });

export const CmFairness = z.object({
  protocolId: z.string(),
  protocol: z.string(),
  version: z.string(),
  draws: Count,
  unknownTier: Count,
  tiers: z.array(CmTierCount),
  expectedValueCents: z.number(),
  observedMeanCents: z.number().nullable(),
  chiSquare: z.number().nullable(),
  degreesOfFreedom: z.number().int().nullable(),
  /** null when the test is not reliable (a tier expects fewer than 5 draws) or cannot be made. */
  pValue: z.number().nullable(),
  reliable: z.boolean(),
});

export const CmCost = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  enrolments: Count,
  /** CM-enrolled admissions: the episodes during which an enrolment counted started. */
  admissions: Count,
  sources: z.array(CmSourceSpend),
  redeemedCents: Cents,
  cost: CmCostFigures,
  /** One per protocol version with a bowl among the enrolments counted. */
  fairness: z.array(CmFairness),
});

export type CmCostQuery = z.infer<typeof CmCostQuery>;
export type CmCost = z.infer<typeof CmCost>;
