// Instruments, administrations (staff-entered or patient-tablet), stage of change and
// safety alerts. Request schemas are strict: unknown fields are an error.
import { z } from 'zod';
import { INSTRUMENT_IDS } from '../core/instruments/types.ts';
import { STAGES } from '../core/planning/types.ts';
import { Id, PageQuery } from './common.ts';

export const InstrumentIdSchema = z.enum(INSTRUMENT_IDS);
const StageSchema = z.enum(STAGES);
const Answer = z.union([z.number(), z.null()]);
/** linkId (the published item number) → answer; null or absent = unanswered. Ranges are checked by the scorer (400 naming body.answers.<item>). */
const Answers = z.record(z.string().min(1).max(10), Answer).refine((a) => Object.keys(a).length <= 60, 'has too many items');
const when = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const InstrumentListQuery = z.strictObject({ ...PageQuery });
export const InstrumentParams = z.strictObject({ instrumentId: InstrumentIdSchema });

export const InstrumentSummary = z.object({
  id: InstrumentIdSchema,
  title: z.string(),
  questionnaireUrl: z.string(),
  scoreNames: z.array(z.string()),
});

export const AssessmentCreate = z.strictObject({
  instrument: InstrumentIdSchema,
  answers: Answers,
  /** Readiness rulers: the behaviour the rulers are about. */
  targetBehavior: z.string().trim().min(1).max(200).optional(),
  /** When it was administered (default: now). Not in the future. */
  administeredAt: when.optional(),
  /** URICA only: how the stage is assigned (default highest-subscale). */
  uricaStageMethod: z.enum(['highest-subscale', 'readiness-cutoffs', 'nearest-group-mean']).optional(),
});

export const AssessmentListQuery = z.strictObject({ ...PageQuery, instrument: InstrumentIdSchema.optional() });

const AlertOut = z.object({ code: z.string(), severity: z.enum(['urgent', 'warning', 'info']), text: z.string() });
const BandOut = z.object({
  code: z.string(),
  label: z.string(),
  /** SOCRATES only: decile placement per scale, and the norm sample. */
  deciles: z.record(z.string(), z.object({ decile: z.number(), label: z.string().nullable() }).nullable()).optional(),
  norms: z.string().optional(),
});

export const Assessment = z.object({
  id: Id,
  patientId: Id,
  instrument: InstrumentIdSchema,
  title: z.string(),
  questionnaireUrl: z.string(),
  answers: z.record(z.string(), Answer),
  targetBehavior: z.string().nullable(),
  complete: z.boolean(),
  /** Unanswered items (linkIds) that a score needs; scores that depend on them are null. */
  missing: z.array(z.string()),
  scores: z.record(z.string(), z.number().nullable()),
  band: BandOut.nullable(),
  stage: z.object({ code: StageSchema, method: z.string(), validated: z.boolean(), note: z.string(), tiedWith: z.array(StageSchema).optional() }).nullable(),
  alerts: z.array(AlertOut),
  safetyAlertIds: z.array(Id),
  stageAssessmentId: Id.nullable(),
  mode: z.enum(['staff', 'patient-tablet']),
  administeredBy: Id,
  administeredByName: z.string().nullable(),
  administeredAt: z.string(),
});

// --- patient-tablet sessions --------------------------------------------------------
export const PatientSessionCreate = z.strictObject({
  instrument: InstrumentIdSchema,
  targetBehavior: z.string().trim().min(1).max(200).optional(),
});
export const PatientSessionStarted = z.object({
  id: Id,
  patientId: Id,
  instrument: InstrumentIdSchema,
  /** The single-use hand-off code for the tablet's link / QR code (shown once; only its hash is stored). */
  handoffCode: z.string(),
  /** The tablet's link, relative to the console's origin: /tablet#<handoffCode> (the code stays out of server logs). */
  handoffPath: z.string(),
  /** The code must be exchanged by then (10 minutes). */
  expiresAt: z.string(),
});
export const PatientSessionParams = z.strictObject({ patientId: Id, id: Id });
export const PatientSessionStatus = z.object({
  id: Id,
  /** The form: an instrument, or a consent to sign (exactly one is set). */
  instrument: InstrumentIdSchema.nullable(),
  consentId: Id.nullable(),
  status: z.enum(['open', 'submitted', 'expired', 'cancelled']),
  /** Whether the tablet has exchanged the hand-off code. */
  handedOff: z.boolean(),
  expiresAt: z.string(),
  assessmentId: Id.nullable(),
});
/** What the tablet sees: the form, nothing about the patient. */
export const TabletHandoff = z.strictObject({
  code: z.string().min(1).max(200),
});
export const TabletHandoffExchanged = z.object({
  /** The form token: send it as Authorization: Bearer to /tablet/session and /tablet/answers. */
  token: z.string(),
  expiresAt: z.string(),
  /** A staff session in this browser was signed out by the hand-off. */
  staffSignedOut: z.boolean(),
});
export const TabletReturn = z.strictObject({
  password: z.string().min(1).max(200),
});
export const TabletReturned = z.object({
  stage: z.enum(['active', 'mfa_pending', 'mfa_setup']),
  mustChangePassword: z.boolean(),
});
const TabletInstrumentForm = z.object({
  kind: z.literal('instrument'),
  instrument: InstrumentIdSchema,
  title: z.string(),
  targetBehavior: z.string().nullable(),
  expiresAt: z.string(),
  questionnaire: z.record(z.string(), z.unknown()),
});
/** A consent to sign on the tablet (issue 16): its words as written, and the patient notice (§2.22) in the consent's language. */
const TabletConsentForm = z.object({
  kind: z.literal('consent'),
  title: z.string(),
  language: z.enum(['en', 'es']),
  expiresAt: z.string(),
  /** The consent as the patient reads it: every element §2.31 requires, in order. */
  text: z.array(z.object({ heading: z.string(), body: z.string() })),
  notice: z.object({
    version: z.string(),
    /** Whether this patient already acknowledged this version of the notice (then the tablet does not ask again). */
    acknowledged: z.boolean(),
    title: z.string(),
    paragraphs: z.array(z.string()),
  }),
});
export const TabletSession = z.discriminatedUnion('kind', [TabletInstrumentForm, TabletConsentForm]);
export const TabletSubmit = z.strictObject({
  answers: Answers,
  targetBehavior: z.string().trim().min(1).max(200).optional(),
});
export const TabletSubmitted = z.object({
  received: z.literal(true),
  complete: z.boolean(),
  missing: z.array(z.string()),
});

// --- a consent signed on the tablet (issue 16) ---------------------------------------
/** Staff start a tablet session for a consent awaiting the patient's signature: the hand-off as for an instrument. */
export const ConsentTabletStarted = z.object({
  id: Id,
  patientId: Id,
  consentId: Id,
  /** The single-use hand-off code for the tablet's link / QR code (shown once; only its hash is stored). */
  handoffCode: z.string(),
  /** The tablet's link, relative to the console's origin: /tablet#<handoffCode>. */
  handoffPath: z.string(),
  /** The code must be exchanged by then (10 minutes). */
  expiresAt: z.string(),
});
/** The consent's latest tablet session, or null when it never had one. */
export const ConsentTabletStatus = z.object({ session: PatientSessionStatus.nullable() });
/** The patient signs on the tablet: the name they typed, that they agree, and whether they read the notice. */
export const TabletConsentSign = z.strictObject({
  signerName: z.string().trim().min(1).max(160),
  agree: z.literal(true, { message: 'must be true: the patient agrees to the consent as written' }),
  noticeAcknowledged: z.boolean(),
});
export const TabletConsentSigned = z.object({
  signed: z.literal(true),
  noticeAcknowledged: z.boolean(),
});

// --- stage of change ---------------------------------------------------------------
export const StageRecord = z.strictObject({
  stage: StageSchema,
  informedBy: z
    .array(z.enum(['urica', 'socrates-8d', 'readiness-ruler', 'interview']))
    .max(4)
    .default([]),
  /** Required when this judgement differs from the current URICA-derived stage (an override). */
  reason: z.string().trim().min(1).max(2000).optional(),
  note: z.string().trim().max(2000).optional(),
  assessedAt: when.optional(),
});
export const StagePoint = z.object({
  id: Id,
  stage: StageSchema,
  /** 0 (precontemplation) … 4 (maintenance), for a chart axis. */
  rank: z.number().int(),
  label: z.string(),
  source: z.enum(['urica', 'clinician']),
  method: z.string().nullable(),
  informedBy: z.array(z.string()),
  assessmentId: Id.nullable(),
  overridesId: Id.nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  assessedBy: Id,
  assessedByName: z.string().nullable(),
  assessedAt: z.string(),
});
export const StageTrajectory = z.object({
  current: StagePoint.nullable(),
  points: z.array(StagePoint),
  changes: z.array(z.object({ fromId: Id, toId: Id, direction: z.enum(['forward', 'back', 'same']), text: z.string() })),
});

// --- safety alerts -----------------------------------------------------------------
export const SafetyAlertQuery = z.strictObject({
  ...PageQuery,
  status: z.enum(['open', 'acknowledged', 'all']).default('open'),
  /** care-team (default): patients on whose care team you are, and patients with no care team yet; all: the programme. */
  scope: z.enum(['care-team', 'all']).default('care-team'),
  patientId: Id.optional(),
});
export const SafetyAlert = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  mrn: z.string(),
  /** What raised it: an assessment (assessmentId, instrument) or a check-in's risk rule (checkInId). */
  source: z.enum(['assessment', 'check-in']),
  assessmentId: Id.nullable(),
  instrument: z.string().nullable(),
  checkInId: Id.nullable(),
  code: z.string(),
  /** urgent | warning | info; lists show urgent first. */
  severity: z.enum(['urgent', 'warning', 'info']),
  text: z.string(),
  /** The Spanish text when the source wrote one (check-in alerts), else null. */
  textEs: z.string().nullable(),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: Id.nullable(),
  acknowledgedByName: z.string().nullable(),
  acknowledgementNote: z.string().nullable(),
});
export const SafetyAlertAcknowledge = z.strictObject({ note: z.string().trim().max(2000).optional() });
