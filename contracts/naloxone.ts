// Naloxone over HTTP (issue 15, docs/naloxone.md): the stock by lot with its alerts, lots
// received, adjustments, kits given (with the five-step training checklist), trainings, a
// patient's kits and training, and the programme's settings (staff, /api/v1); and the patient's
// own kits in the patient app (/api/patient/naloxone).
import { z } from 'zod';
import { PRODUCTS, SETTINGS_LIMITS } from '../core/naloxone/stock.ts';
import { TRAINING_STEPS } from '../core/naloxone/steps.ts';
import { Id, IdempotencyKey, IsoDate, IsoDateTime, PageQuery, pageOf } from './common.ts';

export const RECIPIENT_KINDS = ['patient', 'family', 'community'] as const;
export const ADJUSTMENT_REASONS = ['count', 'lost', 'expired-discarded', 'other'] as const;

export const NaloxoneSettings = z.strictObject({
  reorderLevel: z.number().int().min(0).max(SETTINGS_LIMITS.reorderLevel),
  expiryWarningDays: z.number().int().min(0).max(SETTINGS_LIMITS.expiryWarningDays),
});

export const Lot = z.object({
  id: Id,
  product: z.enum(PRODUCTS),
  lotNumber: z.string(),
  expiresOn: z.string(),
  receivedOn: z.string(),
  received: z.number().int(),
  given: z.number().int(),
  adjusted: z.number().int(),
  onHand: z.number().int(),
  expired: z.boolean(),
  expiringSoon: z.boolean(),
  daysLeft: z.number().int(),
});

export const StockAlert = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reorder'), usable: z.number().int(), reorderLevel: z.number().int() }),
  z.object({ kind: z.literal('expiring'), lotId: Id, lotNumber: z.string(), expiresOn: z.string(), onHand: z.number().int(), daysLeft: z.number().int() }),
  z.object({ kind: z.literal('expired'), lotId: Id, lotNumber: z.string(), expiresOn: z.string(), onHand: z.number().int() }),
]);

/** Lots with kits on hand, or received in the last year (empty, older lots drop off). */
export const Stock = z.object({
  today: IsoDate,
  settings: NaloxoneSettings,
  usable: z.number().int(),
  lots: z.array(Lot),
  alerts: z.array(StockAlert),
  /** The lot to give the next kit from (first expiry, first out), or null when none is usable. */
  suggestedLotId: Id.nullable(),
});

export const LotCreate = z.strictObject({
  product: z.enum(PRODUCTS),
  lotNumber: z.string().trim().min(1).max(60),
  expiresOn: IsoDate,
  quantity: z.number().int().min(1).max(100_000),
  receivedOn: IsoDate.optional(),
});

export const AdjustmentCreate = z.strictObject({
  lotId: Id,
  delta: z.number().int().min(-100_000).max(100_000),
  reason: z.enum(ADJUSTMENT_REASONS),
  note: z.string().trim().max(280).optional(),
});

const Steps = z.array(z.enum(TRAINING_STEPS)).max(TRAINING_STEPS.length);

/** Whom a kit or a training is for: a patient of the programme, or someone not registered (an optional first name; no other identifying data). */
export const Recipient = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('patient'), patientId: Id }),
  z.strictObject({
    kind: z.literal('family'),
    firstName: z.string().trim().max(40).optional(),
    forPatientId: Id.optional(),
    /** A family member registered with the programme (issue 16): they then see the kit and training in their app. */
    familyMemberId: Id.optional(),
    note: z.string().trim().max(280).optional(),
  }),
  z.strictObject({ kind: z.literal('community'), firstName: z.string().trim().max(40).optional(), note: z.string().trim().max(280).optional() }),
]);

export const KitCreate = z.strictObject({
  lotId: Id,
  recipient: Recipient,
  givenOn: IsoDate.optional(),
  /** The training steps covered when the kit was given (empty or absent: no training recorded). */
  trainingSteps: Steps.optional(),
  idempotencyKey: IdempotencyKey.optional(),
});

export const Kit = z.object({
  id: Id,
  lotId: Id,
  lotNumber: z.string(),
  product: z.enum(PRODUCTS),
  expiresOn: z.string(),
  recipientKind: z.enum(RECIPIENT_KINDS),
  patientId: Id.nullable(),
  familyMemberId: Id.nullable(),
  firstName: z.string().nullable(),
  note: z.string().nullable(),
  givenOn: z.string(),
  givenByName: z.string().nullable(),
  trained: z.boolean(),
  createdAt: IsoDateTime,
});
export const KitPage = pageOf(Kit);
export const KitQuery = z.strictObject({ ...PageQuery, kind: z.enum(RECIPIENT_KINDS).optional() });

export const TrainingCreate = z.strictObject({ recipient: Recipient, steps: Steps.min(1), trainedOn: IsoDate.optional() });
export const Training = z.object({
  id: Id,
  recipientKind: z.enum(RECIPIENT_KINDS),
  patientId: Id.nullable(),
  familyMemberId: Id.nullable(),
  firstName: z.string().nullable(),
  kitId: Id.nullable(),
  steps: z.array(z.enum(TRAINING_STEPS)),
  trainedOn: z.string(),
  trainedByName: z.string().nullable(),
});

export const Adjustment = z.object({ id: Id, lotId: Id, delta: z.number().int(), reason: z.enum(ADJUSTMENT_REASONS), note: z.string().nullable(), createdAt: IsoDateTime });

/** The patient card: the patient's kits (newest first), trainings, and whether their newest usable kit has expired. */
export const PatientNaloxone = z.object({
  kits: z.array(Kit),
  trainings: z.array(Training),
  /** Every step covered in some training. */
  stepsCovered: z.array(z.enum(TRAINING_STEPS)),
  /** The patient has no kit that is still in date. */
  needsKit: z.boolean(),
});

/**
 * The patient app (GET /api/patient/naloxone): the signed-in patient's own kits, the one that
 * expires last first (the one to keep at hand), judged on the programme's today. No lot
 * numbers, no staff names.
 */
export const PatientOwnNaloxone = z.object({
  /** The programme's date the expiry is judged on. */
  today: IsoDate,
  kits: z.array(
    z.object({
      product: z.enum(PRODUCTS),
      givenOn: IsoDate,
      /** The lot's expiry: the last day the kit is in date. */
      expiresOn: IsoDate,
      /** Training was recorded with this kit. */
      trained: z.boolean(),
      expired: z.boolean(),
      /** Expired, or expires within 30 days (server/modules/naloxone/naloxone.ts): "Ask the clinic for a new one." */
      askForNew: z.boolean(),
    }),
  ),
  /** The patient has had naloxone training (with a kit or without). */
  trained: z.boolean(),
});
