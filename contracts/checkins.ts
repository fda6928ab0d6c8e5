// Daily check-ins and the programme's risk-rule settings. The answer ranges and rule
// bounds come from core/checkins (one copy of each rule). Request schemas are strict.
import { z } from 'zod';
import { MEDICATION_ANSWERS, NOTE_MAX, RANGES, SOURCES, SUBSTANCES } from '../core/checkins/answers.ts';
import { RULE_CODES, RULE_LIMITS, SEVERITIES } from '../core/checkins/rules.ts';
import { Id, IdempotencyKey, IsoDate, IsoDateTime } from './common.ts';

const scaled = (r: { min: number; max: number }) => z.number().int().min(r.min).max(r.max);
const int = (r: { min: number; max: number }) => z.number().int().min(r.min).max(r.max);

export const CheckInAnswers = z.strictObject({
  /** 1 = very low … 5 = very good. */
  mood: scaled(RANGES.mood).optional(),
  /** 0 = none … 10 = the strongest. */
  craving: scaled(RANGES.craving).optional(),
  /** Any use since the last check-in, and which substances (may be empty). */
  use: z.discriminatedUnion('any', [z.strictObject({ any: z.literal(false) }), z.strictObject({ any: z.literal(true), substances: z.array(z.enum(SUBSTANCES)).max(SUBSTANCES.length) })]).optional(),
  medication: z.enum(MEDICATION_ANSWERS).optional(),
  /** 1 = very poor … 5 = very good. */
  sleep: scaled(RANGES.sleep).optional(),
  /** 0 = none … 10 = the most. */
  stress: scaled(RANGES.stress).optional(),
  note: z.string().max(NOTE_MAX).optional(),
  /** "I am not safe right now": an urgent alert and the crisis screen at once. */
  notSafe: z.boolean().optional(),
});

/** Staff record a check-in the patient gave by phone (source 'staff'). */
export const StaffCheckInCreate = z.strictObject({
  answers: CheckInAnswers,
  /** Any string unique to this check-in (1–200 visible characters); a repeat with the same key is recorded once. */
  idempotencyKey: IdempotencyKey.optional(),
});

/** The patient's own check-in from the app (source 'app'): the key comes from the app's queue, so a check-in sent again after being offline is recorded once. */
export const PatientCheckInCreate = z.strictObject({
  answers: CheckInAnswers,
  idempotencyKey: IdempotencyKey,
  /** When the patient made it, if it waited offline (at most 7 days back, never ahead). */
  madeAt: z.iso.datetime({ offset: true }).optional(),
});

export const CheckIn = z.object({
  id: Id,
  patientId: Id,
  day: IsoDate,
  madeAt: IsoDateTime,
  recordedAt: IsoDateTime,
  source: z.enum(SOURCES),
  answers: CheckInAnswers,
  recordedBy: Id.nullable(),
  recordedByName: z.string().nullable(),
  /** Rule codes this check-in fired. */
  fired: z.array(z.enum(RULE_CODES)),
});

const Severity = z.enum(SEVERITIES);
export const CheckInResult = z.object({
  checkIn: CheckIn,
  /** True when this was a repeat of a check-in already recorded (same idempotency key). */
  replayed: z.boolean(),
  /** Alerts raised on the care team's work list (none when an open alert of the same rule exists). */
  alerts: z.array(z.object({ id: Id, code: z.enum(RULE_CODES), severity: Severity, text: z.string() })),
  /** What the patient's screen must show at once. */
  show: z.object({ crisis: z.boolean(), naloxone: z.boolean() }),
  /** What to tell the patient, in their language. */
  messages: z.object({
    language: z.enum(['en', 'es']),
    thanks: z.string(),
    crisis: z.object({ title: z.string(), body: z.string(), call: z.string(), text: z.string() }).nullable(),
    naloxone: z.object({ title: z.string(), steps: z.array(z.string()) }).nullable(),
  }),
});

export const CheckInQuery = z.strictObject({
  /** How many programme days back from today (1–366, default 60). */
  days: z.coerce.number().int().min(1).max(366).default(60),
});
export const CheckInList = z.object({ items: z.array(CheckIn), from: IsoDate, to: IsoDate });

export const RiskRuleSettings = z.strictObject({
  cravingRun: z.strictObject({ enabled: z.boolean(), threshold: int(RULE_LIMITS.cravingThreshold), days: int(RULE_LIMITS.cravingDays), severity: Severity }),
  missedDoses: z.strictObject({ enabled: z.boolean(), count: int(RULE_LIMITS.missedCount), windowDays: int(RULE_LIMITS.missedWindowDays), severity: Severity }),
  useAfterAbstinence: z.strictObject({ enabled: z.boolean(), days: int(RULE_LIMITS.abstinentDays), severity: Severity }),
});

/** The patient's own check-ins in the app: the answers that make trends, day by day (no staff names, no alert codes). */
export const PatientCheckInTrends = z.object({
  from: IsoDate,
  to: IsoDate,
  days: z.array(
    z.object({
      day: IsoDate,
      mood: z.number().int().nullable(),
      craving: z.number().int().nullable(),
      sleep: z.number().int().nullable(),
      stress: z.number().int().nullable(),
      medication: z.enum(MEDICATION_ANSWERS).nullable(),
      /** Any use reported that day (never which substances: the app need not show them again). */
      used: z.boolean().nullable(),
    }),
  ),
});
export const PatientCheckInTrendsQuery = z.strictObject({
  /** How many days back from today (7–90, default 28). */
  days: z.coerce.number().int().min(7).max(90).default(28),
});
