// Contingency management API shapes (staff console, draw screen, laboratories and
// EHRs). Money is integer cents; times are RFC 3339 with offset; dates YYYY-MM-DD in
// the programme's time zone.
import { z } from 'zod';
import { Id, IdempotencyKey, IsoDate, PageQuery } from './common.ts';
import { SCOPE_DESCRIPTIONS, TOKEN_SCOPES } from '../core/access/scopes.ts';
import { DECLINE_NOTE_MAX, DECLINE_REASONS, declineNeedsNote, REQUEST_MAX_QUANTITY } from '../core/cm/requests.ts';
import { CALENDAR_STATUSES } from '../core/cm/calendar.ts';

/** Every CM collection pages like the rest of the API: limit (default 50, max 200), cursor → nextCursor. */
export const CmPageQuery = z.strictObject({ ...PageQuery });

const Cents = z.number().int().min(0);
const Text = (max: number) => z.string().trim().min(1, 'is required').max(max);
const DateTime = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time with offset, e.g. 2026-03-02T09:30:00-05:00' });
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM');
const Weekday = z.number().int().min(0).max(6);
const Json = z.unknown();

// ---------- protocols ----------
export const ProtocolCreate = z.strictObject({
  /** A protocol document (CM-SPEC §1). Omit to adopt a preset. */
  document: Json.optional(),
  /** A preset name (GET /cm/presets) to adopt into the programme's library. */
  preset: z.string().max(80).optional(),
});
export const ProtocolPreviewRequest = z.strictObject({ document: Json, schedule: z.record(z.string(), z.number().min(0).max(14)).optional() });
export const TrackPreview = z.object({
  id: z.string(),
  payout: z.string(),
  /** Value (cents or draws) of the 1st, 2nd, … consecutive success (first 24). */
  bySuccess: z.array(z.object({ s: z.number().int(), amount: z.number().int(), bonus: z.number().int(), privilege: z.string().nullable() })),
});
export const ProtocolPreview = z.object({
  tracks: z.array(TrackPreview),
  drawEvCents: z.number().nullable(),
  maxCents: z.number(),
  allSuccessExpectedCents: z.number(),
  maxDraws: z.number(),
  weeks: z.number(),
  cautions: z.array(z.object({ code: z.string(), message: z.string() }).loose()),
});
export const Protocol = z.object({
  id: Id,
  key: z.string(),
  version: z.string(),
  name: z.string(),
  preset: z.string().nullable(),
  document: Json,
  inUse: z.boolean(),
  createdAt: z.string(),
});
export const PresetSummary = z.object({
  name: z.string(),
  title: z.string(),
  citation: z.string(),
  targets: z.array(z.string()),
  weeks: z.number(),
  maxCents: z.number(),
  allSuccessExpectedCents: z.number(),
  maxDraws: z.number(),
  drawEvCents: z.number().nullable(),
});

// ---------- funding sources, caps, settings ----------
export const CapsShape = z.strictObject({
  noCash: z.boolean().nullable().optional(),
  perItemCents: Cents.nullable().optional(),
  totalCents: Cents.nullable().optional(),
  perMonthCents: Cents.nullable().optional(),
  perYearCents: Cents.nullable().optional(),
});
export const FundingSourceCreate = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
  name: Text(120),
  capsPreset: z.enum(['samhsa-2025', 'medicaid-style', 'oig-nominal', 'none']).optional(),
  caps: CapsShape.optional(),
  budgetCents: Cents.nullable().optional(),
});
export const FundingSource = z.object({
  id: z.string(),
  name: z.string(),
  capsPreset: z.string().nullable(),
  caps: z.record(z.string(), z.unknown()),
  budgetCents: z.number().nullable(),
});
export const CmSettings = z.object({ approvalThresholdCents: Cents, budgetCents: Cents.nullable(), seedRotationDays: z.number().int() });
export const CmSettingsUpdate = z.strictObject({
  approvalThresholdCents: Cents.optional(),
  budgetCents: Cents.nullable().optional(),
  seedRotationDays: z.number().int().min(1).max(3650).optional(),
});

// ---------- enrolments ----------
export const Calendar = z.strictObject({
  /** Testing days, 0 = Sunday … 6 = Saturday, in the programme's time zone. */
  specimen: z.array(Weekday).max(7).default([]),
  attendance: z.array(Weekday).max(7).default([]),
  dose: z.array(Weekday).max(7).default([]),
  /** The window of each opportunity day (local time); it closes at windowEnd. */
  windowStart: HHMM.default('07:00'),
  windowEnd: HHMM.default('19:00'),
});
export const EnrolmentCreate = z.strictObject({
  patientId: Id,
  protocolId: Id,
  startDate: IsoDate,
  calendar: Calendar,
  fundingSourceId: z.string().max(40).nullable().optional(),
});
export const EnrolmentStatusChange = z.strictObject({
  status: z.enum(['completed', 'withdrawn']),
  reason: Text(500),
});
export const Enrolment = z.object({
  id: Id,
  patientId: Id,
  protocolId: Id,
  protocolName: z.string(),
  protocolVersion: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  calendar: Json,
  fundingSourceId: z.string().nullable(),
  caps: Json,
  status: z.string(),
  statusReason: z.string().nullable(),
  createdAt: z.string(),
});

// ---------- specimens ----------
export const AnalyteResultIn = z.strictObject({
  /** An analyte name (opiates, fentanyl, buprenorphine, methadone, oxycodone, cocaine, amphetamine, benzodiazepines, cannabis, xylazine) … */
  analyte: z.string().max(40).optional(),
  /** … or its LOINC code. */
  loinc: z.string().max(20).optional(),
  result: z.enum(['positive', 'negative', 'inconclusive']),
  valueNgMl: z.number().min(0).optional(),
  cutoffNgMl: z.number().min(0).optional(),
});
export const Validity = z.strictObject({
  creatinineMgDl: z.number().min(0).optional(),
  specificGravity: z.number().min(0.9).max(1.2).optional(),
  ph: z.number().min(0).max(14).optional(),
  nitriteUgMl: z.number().min(0).optional(),
  oxidants: z.boolean().optional(),
  adulterantDetected: z.boolean().optional(),
});
export const Cup = z.strictObject({
  brand: Text(80),
  lot: Text(40),
  expiry: IsoDate,
  cutoffs: z.record(z.string(), z.number().min(0)).optional(),
});
export const SpecimenCreate = z.strictObject({
  patientId: Id,
  collectedAt: DateTime,
  /** What was tested: urine (cup or laboratory), oral fluid (swab), or breath (alcohol). */
  matrix: z.enum(['urine', 'oral-fluid', 'breath']).default('urine'),
  /** The laboratory that reported it (confirmatory results). */
  laboratory: z.string().trim().max(120).optional(),
  /** The chain-of-custody form's id, when one was used. */
  chainOfCustodyId: z.string().trim().min(1).max(60).optional(),
  /** Who collected it (default: the caller). */
  collectorId: Id.optional(),
  observed: z.boolean().default(false),
  observerId: Id.nullable().optional(),
  temperatureC: z.number().min(0).max(50).nullable().optional(),
  validity: Validity.optional(),
  /** Staff judgement that the specimen is not valid (e.g. tampering seen), with the reason. */
  invalidReason: z.string().trim().max(300).optional(),
  cup: Cup.optional(),
  method: z.enum(['presumptive', 'confirmatory']).default('presumptive'),
  results: z.array(AnalyteResultIn).min(1, 'give at least one result').max(20),
  /** The laboratory accession or cup barcode: a specimen is recorded once per programme. */
  externalId: z.string().trim().min(1).max(100).optional(),
});
export const CorrectionCreate = z.strictObject({
  results: z.array(AnalyteResultIn).max(20).default([]),
  valid: z.boolean().optional(),
  method: z.enum(['presumptive', 'confirmatory']).default('confirmatory'),
  laboratory: z.string().trim().max(120).optional(),
  reason: Text(500),
  externalId: z.string().trim().min(1).max(100).optional(),
});
export const AdjudicationCreate = z.strictObject({
  decision: z.enum(['carry-over', 'new-use']),
  reason: Text(500),
});

export const LedgerEntry = z.object({
  id: Id,
  kind: z.string(),
  /** Integer cents; on a `forgiven` memo the change in what the patient keeps although it is no longer owed (negative when it is owed again). */
  cents: z.number().int(),
  /** On a `forgiven` memo of a draws track: the change in draws kept (signed); else null. */
  draws: z.number().int().nullable().optional(),
  track: z.string().nullable(),
  eventId: Id.nullable(),
  n: z.number().int().nullable(),
  tier: z.string().nullable(),
  capped: z.string().nullable(),
  reason: z.string().nullable(),
  enrolmentId: Id,
  createdAt: z.string(),
  /** Balance after this entry (patient, all enrolments). */
  balanceCents: z.number().int().optional(),
  /** Ledger reads: true when a later `void` entry cancelled this one (it no longer counts in the balance). */
  voided: z.boolean().optional(),
  /** Ledger reads: the `void` entry that cancelled this one. */
  voidedByEntryId: Id.nullable().optional(),
  /** Ledger reads, on a `void` entry: the entry it cancels (`reason` says why; `cents` is the amount it takes out of, or for a voided debit puts back into, the balance). */
  voidsEntryId: Id.nullable().optional(),
  /** Ledger reads, on a `void` entry: the kind of the entry it cancels. */
  voidsKind: z.string().nullable().optional(),
  /** Ledger reads: the local date of the opportunity the entry is for (null for a redemption, or an entry of no opportunity). */
  opportunityDate: z.string().nullable().optional(),
  /** Ledger reads: that opportunity's calendar kind (specimen, attendance, dose). */
  opportunityKind: z.string().nullable().optional(),
});
export const TrackOutcome = z.object({
  track: z.string(),
  outcome: z.string(),
  s: z.number().int(),
  level: z.number().int().nullable(),
  privilege: z.string().nullable(),
});
export const NextOpportunity = z
  .object({
    kind: z.string(),
    date: z.string(),
    tracks: z.array(z.object({ track: z.string(), payout: z.string(), cents: z.number().int(), draws: z.number().int(), privilege: z.string().nullable() })),
  })
  .nullable();
export const Award = z.object({
  eventId: Id,
  enrolmentId: Id,
  outcomes: z.array(TrackOutcome),
  entries: z.array(LedgerEntry),
  /** Everything this award posted, in cents: vouchers and the value of its prizes (decided when earned, shown on the draw screen). Use voucherCents and prizeDrawsEarned to tell a patient what they earned. */
  earnedCents: z.number().int(),
  newDraws: z.number().int(),
  /** The patient's balance, including the value of prizes not yet revealed on the draw screen. Tell the patient balanceRevealedCents. */
  balanceCents: z.number().int(),
  next: z.array(NextOpportunity),
  pendingAdjudication: z.boolean(),
  /** Voucher money this award posted (earn + bonus + adjustment − forgiven − debit on cents tracks; prizes and draw take-backs excluded). */
  voucherCents: z.number().int(),
  /** Prize draws this award posted (make-up draws included): their prizes are shown on the draw screen, never here. */
  prizeDrawsEarned: z.number().int(),
  /** Value of this award's prizes already revealed on the draw screen (0 when just recorded). */
  prizeCentsRevealed: z.number().int(),
  /** The balance without the value of prizes not yet revealed: what the patient may be told now. */
  balanceRevealedCents: z.number().int(),
});
export const Specimen = z.object({
  id: Id,
  patientId: Id,
  /** The CM enrolment that read this screen (null: the patient is not in CM, or the protocol does not read it). */
  enrolmentId: Id.nullable(),
  kind: z.string(),
  at: z.string(),
  valid: z.boolean().nullable(),
  invalidReasons: z.array(z.string()),
  results: z.array(z.object({ analyte: z.string(), loinc: z.string().nullable(), result: z.string(), prescribed: z.boolean() }).loose()),
  detail: Json,
  externalId: z.string().nullable(),
  source: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
/** A recorded screen, and the CM award it caused (null when the patient is not enrolled in CM or the protocol does not read this screen). */
export const SpecimenRecorded = z.object({ specimen: Specimen, award: Award.nullable(), duplicate: z.boolean() });

/** An adjudication-queue item: the specimen and whose it is (reading names is audited). */
export const AdjudicationQueueItem = Specimen.extend({ displayName: z.string(), mrn: z.string() });

export const AnalyteResult = z.object({
  analyte: z.string(),
  loinc: z.string().nullable(),
  /** As read: positive, negative or inconclusive. */
  result: z.string(),
  /** A prescribed medication (methadone, buprenorphine) on the collection date: a positive for it is not use. */
  prescribed: z.boolean(),
  valueNgMl: z.number().nullable(),
  cutoffNgMl: z.number().nullable(),
});
export const CorrectionRecord = z.object({
  id: Id,
  at: z.string(),
  method: z.string().nullable(),
  laboratory: z.string().nullable(),
  reason: z.string().nullable(),
  /** The validity it sets, or null when it leaves validity as it was. */
  valid: z.boolean().nullable(),
  /** The analytes it replaces (the others stand). */
  results: z.array(AnalyteResult),
  externalId: z.string().nullable(),
  source: z.string(),
  recordedBy: Id.nullable(),
  recordedAt: z.string(),
});
export const AdjudicationRecord = z.object({ id: Id, decision: z.string(), reason: z.string().nullable(), recordedBy: Id.nullable(), recordedAt: z.string() });
/** One specimen as recorded (results, validity checks, cup), its corrections (oldest first) and adjudications, and the result now in effect. */
export const SpecimenDetail = Specimen.extend({
  matrix: z.string(),
  laboratory: z.string().nullable(),
  chainOfCustodyId: z.string().nullable(),
  method: z.string().nullable(),
  observed: z.boolean().nullable(),
  observerId: Id.nullable(),
  collectorId: Id.nullable(),
  temperatureC: z.number().nullable(),
  validity: z
    .object({
      creatinineMgDl: z.number().optional(),
      specificGravity: z.number().optional(),
      ph: z.number().optional(),
      nitriteUgMl: z.number().optional(),
      oxidants: z.boolean().optional(),
      adulterantDetected: z.boolean().optional(),
    })
    .nullable(),
  cup: z.object({ brand: z.string(), lot: z.string(), expiry: z.string(), cutoffs: z.record(z.string(), z.number()).optional() }).nullable(),
  /** The results as recorded on the cup (never changed). */
  recordedResults: z.array(AnalyteResult),
  corrections: z.array(CorrectionRecord),
  adjudications: z.array(AdjudicationRecord),
  /** The result in effect: corrections merged analyte by analyte in order (the latest wins); validity replaced when a correction sets it. */
  effective: z.object({
    valid: z.boolean(),
    results: z.array(AnalyteResult.extend({ correctedBy: Id.nullable() })),
  }),
  /** Waiting for a carry-over decision now. */
  pendingAdjudication: z.boolean(),
});

/** Every screen of a patient, newest first, each with the result in effect (after corrections). */
export const PatientScreens = z.object({
  patientId: Id,
  items: z.array(
    z.object({
      id: Id,
      collectedAt: z.string(),
      collectedOn: z.string(),
      matrix: z.string(),
      method: z.string(),
      observed: z.boolean(),
      valid: z.boolean(),
      /** A correction changed it. */
      corrected: z.boolean(),
      results: z.array(AnalyteResult.extend({ correctedBy: Id.nullable() })),
    }),
  ),
});

// ---------- check-ins ----------
export const CheckInCreate = z.strictObject({
  patientId: Id,
  kind: z.enum(['attendance', 'dose']),
  at: DateTime.optional(),
  /** attendance: attended; dose: taken. */
  done: z.boolean(),
  doseType: z.enum(['observed', 'take-home']).optional(),
});
export const CheckInRecorded = z.object({ eventId: Id, award: Award, duplicate: z.boolean() });
export const DayQuery = z.strictObject({ date: IsoDate.optional(), ...PageQuery });
export const QueueItem = z.object({
  patientId: Id,
  enrolmentId: Id,
  displayName: z.string(),
  mrn: z.string(),
  kinds: z.array(z.string()),
  recorded: z.array(z.object({ kind: z.string(), eventId: Id, eventKind: z.string() })),
  streaks: z.array(z.object({ track: z.string(), s: z.number().int() })),
  next: z.array(NextOpportunity),
  /** The balance, including prizes not yet revealed on the draw screen. */
  balanceCents: z.number().int(),
  /** The balance without the value of prizes not yet revealed: what the test-day and check-in screens show. */
  balanceRevealedCents: z.number().int(),
  undrawn: z.number().int(),
});

// ---------- privileges ----------
export const PrivilegeRecommendation = z.object({
  id: Id,
  enrolmentId: Id,
  patientId: Id,
  track: z.string(),
  level: z.string(),
  levelIndex: z.number().int(),
  eventId: Id,
  createdAt: z.string(),
  decision: z.object({ decision: z.string(), reason: z.string(), decidedBy: Id, decidedAt: z.string() }).nullable(),
});
export const PrivilegeRecommendationQuery = z.strictObject({ pending: z.enum(['true', 'false']).optional(), ...PageQuery });
export const PrivilegeDecisionCreate = z.strictObject({ decision: z.enum(['approved', 'declined']), reason: Text(500) });

// ---------- draws ----------
export const Draw = z.object({
  n: z.number().int(),
  tier: z.string().nullable(),
  label: z.string().nullable(),
  valueCents: z.number().int(),
  capped: z.string().nullable(),
  eventId: Id.nullable(),
  track: z.string().nullable(),
  revealed: z.boolean(),
  commitment: z.string().nullable(),
  seedRevealed: z.boolean(),
});
export const DrawList = z.object({ items: z.array(Draw), commitment: z.string(), undrawn: z.number().int() });
export const RevealRequest = z.strictObject({ count: z.number().int().min(1).max(50).default(1) });
export const SeedInfo = z.object({ id: Id, commitment: z.string(), activeFrom: z.string(), retiredAt: z.string().nullable(), seedHex: z.string().nullable() });
/** Public: a programme's draw seeds, newest first: each commitment, and the seed once it is revealed (retired). */
export const PublicSeedList = z.object({
  items: z.array(z.object({ commitment: z.string(), activeFrom: z.string(), retiredAt: z.string().nullable(), revealed: z.boolean(), seedHex: z.string().nullable() })),
});
export const PublicVerification = z.object({
  commitment: z.string(),
  revealed: z.boolean(),
  seedHex: z.string().nullable(),
  activeFrom: z.string(),
  retiredAt: z.string().nullable(),
  /** The programme's IANA time zone, in which the page shows these times. */
  timeZone: z.string(),
  algorithm: z.string(),
  draws: z.array(z.object({ enrolmentId: z.string(), n: z.number().int(), tier: z.string().nullable(), bowl: Json, verified: z.boolean().nullable() })),
});

// ---------- ledger, caps ----------
/**
 * What a ledger adds up to (voided entries left out): paidCents − spentCents = balanceCents.
 * keptCents (and keptDraws) is the part of what was paid that the patient keeps although a
 * result changed and it is no longer owed (forgiven memos); it is inside paidCents, never extra.
 * In a ledger read, prizes of draws not shown yet are left out (see LedgerItem.hidden).
 */
export const LedgerTotals = z.object({
  /** Money paid to the patient: earn, bonus, prize and adjustment credits less debits. */
  paidCents: z.number().int(),
  /** Money spent on redemptions. */
  spentCents: z.number().int(),
  balanceCents: z.number().int(),
  keptCents: z.number().int(),
  keptDraws: z.number().int(),
});
/**
 * A ledger read's line. A prize whose draw the patient has not been shown yet is `hidden`:
 * its tier, cents and cap are null and it is left out of the running balance and the totals,
 * until the draw screen shows it (a prize is a surprise for the patient, and for staff too).
 */
export const LedgerItem = LedgerEntry.extend({
  cents: z.number().int().nullable(),
  /** A prize whose draw has not been shown to the patient: tier, cents and cap withheld. */
  hidden: z.boolean(),
});
export const Ledger = z.object({
  patientId: Id,
  /** The balance without the prizes of draws not shown yet (see unshownDraws). */
  balanceCents: z.number().int(),
  /** Draws earned but not yet shown on the draw screen: their prizes are hidden and left out of the balance and the totals. */
  unshownDraws: z.number().int(),
  totals: LedgerTotals.optional(),
  items: z.array(LedgerItem),
});
export const LedgerVoidCreate = z.strictObject({
  /** Why the entry is void (kept on the void entry itself, never in the audit trail). */
  reason: Text(500),
});
export const LedgerVoided = z.object({
  /** The new `void` entry. */
  entry: LedgerEntry,
  /** The entry it cancels, now marked voided. */
  voided: LedgerEntry,
  balanceCents: z.number().int(),
});
export const CapStatus = z.object({
  fundingSourceId: z.string().nullable(),
  year: z.string(),
  paidCents: z.number().int(),
  perYearCents: z.number().int().nullable(),
  remainingCents: z.number().int().nullable(),
  reached: z.boolean(),
  noCash: z.boolean(),
});

// ---------- catalogue, redemption ----------
/** The name patients who read Spanish see in the app; null: they see `name`. */
const NameEs = z.string().trim().min(1, 'must not be blank (send null for no Spanish name)').max(120).nullable();
export const CatalogueItemCreate = z.strictObject({
  name: Text(120),
  nameEs: NameEs.optional(),
  kind: z.enum(['item', 'gift-card']),
  valueCents: z.number().int().min(1),
  cashEquivalent: z.boolean().default(false),
  prizeTier: z.string().max(40).nullable().optional(),
  stock: z.number().int().min(0).default(0),
  reorderLevel: z.number().int().min(0).default(0),
});
/** Staff change an item's names, or stop offering it (or offer it again). Value and kind stay: redemptions priced by them stay explainable. */
export const CatalogueItemUpdate = z
  .strictObject({
    name: Text(120).optional(),
    nameEs: NameEs.optional(),
    active: z.boolean().optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'name, nameEs or active is required');
export const CatalogueItem = z.object({
  id: Id,
  name: z.string(),
  nameEs: z.string().nullable(),
  kind: z.string(),
  valueCents: z.number().int(),
  cashEquivalent: z.boolean(),
  prizeTier: z.string().nullable(),
  stock: z.number().int(),
  reorderLevel: z.number().int(),
  active: z.boolean(),
});
export const StockMovementCreate = z.strictObject({
  delta: z
    .number()
    .int()
    .refine((n) => n !== 0, 'must not be 0'),
  reason: z.enum(['received', 'count-correction', 'damaged']),
});
export const RedemptionCreate = z.strictObject({
  itemId: Id,
  quantity: z.number().int().min(1).max(50).default(1),
  /** Fulfil this prize (a prize ledger entry) instead of spending voucher balance. */
  prizeEntryId: Id.optional(),
  /** The patient's request from the app that this redemption fulfils (same patient and item; it must be open). */
  requestId: Id.optional(),
  acknowledgement: z.strictObject({ acknowledged: z.literal(true, 'the patient must acknowledge the redemption'), method: z.enum(['signature', 'initials', 'verbal']) }),
});
/**
 * Approve, or decline saying why: a reason from the list (as for a patient's request, which the
 * app words in the patient's language when the redemption fulfilled one) and a note, required
 * with 'other'. A decline without a reason code is accepted as before (the note optional).
 */
export const RedemptionDecision = z
  .strictObject({
    approve: z.boolean(),
    reasonCode: z.enum(DECLINE_REASONS).optional(),
    reason: z.string().trim().max(DECLINE_NOTE_MAX.redemption).optional(),
  })
  .superRefine((d, c) => {
    if (d.approve && d.reasonCode !== undefined) c.addIssue({ code: 'custom', path: ['reasonCode'], message: 'only a decline says why' });
    if (declineNeedsNote(d.reasonCode) && !d.reason) c.addIssue({ code: 'custom', path: ['reason'], message: 'say why' });
  });
export const RedemptionListQuery = z.strictObject({
  /** pending: waiting for a second person's approval (over the threshold). Without it, every redemption. */
  status: z.enum(['pending', 'completed', 'declined']).optional(),
  ...PageQuery,
});
/** A redemption in the programme-wide list (oldest first), with whose it is (reading names is audited). */
export const RedemptionListItem = z.object({
  id: Id,
  patientId: Id,
  displayName: z.string(),
  mrn: z.string(),
  itemId: Id,
  itemName: z.string(),
  quantity: z.number().int(),
  cents: z.number().int(),
  kind: z.string(),
  status: z.enum(['pending-approval', 'completed', 'declined']),
  requestedBy: Id,
  requestedByName: z.string(),
  requestedAt: z.string(),
  decidedBy: Id.nullable(),
  decidedAt: z.string().nullable(),
  /** Declined: why, from the list (null when no reason was chosen), and the note. Null otherwise. */
  reasonCode: z.enum(DECLINE_REASONS).nullable(),
  reason: z.string().nullable(),
  /** The patient's balance now (does it still cover the redemption?). */
  balanceCents: z.number().int(),
  /** Why the caller may not approve it (separation of duties), or null. */
  separationOfDuties: z.enum(['you-requested', 'you-recorded-results']).nullable(),
});
export const Redemption = z.object({
  id: Id,
  patientId: Id,
  itemId: Id,
  itemName: z.string(),
  quantity: z.number().int(),
  cents: z.number().int(),
  kind: z.string(),
  status: z.enum(['pending-approval', 'completed', 'declined']),
  requestedBy: Id,
  requestedAt: z.string(),
  /** Declined: why, from the list (null when no reason was chosen), and the note. Null otherwise. */
  reasonCode: z.enum(DECLINE_REASONS).nullable(),
  reason: z.string().nullable(),
  balanceCents: z.number().int(),
});

/** A patient's request from the app's catalogue. open: waiting for the clinic; approval: redeemed, waiting for a second person; given; declined (with the reason); withdrawn by the patient. */
export const RedemptionRequest = z.object({
  id: Id,
  patientId: Id,
  itemId: Id,
  itemName: z.string(),
  itemNameEs: z.string().nullable(),
  quantity: z.number().int(),
  cents: z.number().int(),
  requestedAt: z.string(),
  status: z.enum(['open', 'approval', 'given', 'declined', 'withdrawn']),
  /** Declined by staff: why, from a list the app words in the patient's language ('other': only the note says). Null otherwise. */
  reasonCode: z.enum(DECLINE_REASONS).nullable(),
  /** Declined: staff's note for the patient (or the second person's reason), as written. */
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  redemptionId: Id.nullable(),
});
export const OpenRedemptionRequest = RedemptionRequest.extend({ displayName: z.string(), mrn: z.string() });
/** Why, from the list (default 'other', for clients that send only a reason), and a note for the patient: required with 'other'. */
export const RedemptionRequestDecline = z
  .strictObject({
    reasonCode: z.enum(DECLINE_REASONS).default('other'),
    reason: z.string().trim().min(1, 'say why, for the patient').max(DECLINE_NOTE_MAX.request).optional(),
  })
  .superRefine((d, c) => {
    if (declineNeedsNote(d.reasonCode) && !d.reason) c.addIssue({ code: 'custom', path: ['reason'], message: 'say why, for the patient' });
  });
/** The patient asks from the app. */
export const RedemptionRequestCreate = z.strictObject({
  itemId: Id,
  quantity: z.number().int().min(1).max(REQUEST_MAX_QUANTITY).default(1),
  idempotencyKey: IdempotencyKey,
});

// ---------- summaries ----------
export const CalendarCell = z.object({
  date: z.string(),
  kind: z.string(),
  eventId: Id.nullable(),
  /**
   * scheduled (future), open (today, not yet recorded), unrecorded (past, not yet closed), or
   * the outcome in effect (a replay of the enrolment, after corrections and adjudications),
   * the worst across tracks: pending, missed, invalid (a specimen not valid), positive (a
   * specimen that fails with a positive result), failure, excused, success.
   */
  status: z.enum(CALENDAR_STATUSES),
  /** Money paid for this opportunity on cents tracks (earn, bonus, adjustments less debits; voided entries left out). */
  cents: z.number().int(),
  /** Draws standing for this opportunity. */
  draws: z.number().int(),
  /** Of `cents`, what the patient keeps although a result changed and it is no longer owed (forgiven memos). */
  keptCents: z.number().int(),
  /** Of `draws`, the draws kept although no longer owed. */
  keptDraws: z.number().int(),
  /** The outcome in effect on each track that read this opportunity. */
  outcomes: z.array(z.object({ track: z.string(), outcome: z.string() })),
});
/** A track's settlement (CM-SPEC §5.1) in its unit (cents on a cents track, draws on a draws track): paid = owed + forgiven once paid reaches owed. */
export const TrackSettlementView = z.object({
  track: z.string(),
  payout: z.string(),
  /** What the results in effect give now. */
  owed: z.number().int(),
  /** What the ledger has moved for the track. */
  paid: z.number().int(),
  /** Kept although no longer owed (a memo; moves no money). */
  forgiven: z.number().int(),
});
export const PatientCmSummary = z.object({
  patientId: Id,
  enrolment: Enrolment.nullable(),
  calendar: z.array(CalendarCell),
  streaks: z.array(
    z.object({ track: z.string(), s: z.number().int(), lastOutcome: z.string().nullable(), currentCents: z.number().int(), currentDraws: z.number().int(), privilege: z.string().nullable() }),
  ),
  next: z.array(NextOpportunity),
  balanceCents: z.number().int(),
  /** Money paid on this enrolment (credits − debits, prizes included; the same as money paid, never "owed"). */
  earnedCents: z.number().int(),
  /** The enrolment's tracks as settled: owed, paid and kept, in each track's unit. */
  tracks: z.array(TrackSettlementView),
  /** The patient's ledger, all enrolments: paid − spent = balance; kept is part of paid. */
  money: LedgerTotals,
  draws: z.array(Draw),
  pendingAdjudications: z.array(Id),
  caps: z.array(CapStatus),
});
export const ProgrammeCmSummary = z.object({
  enrolled: z.object({ active: z.number().int(), completed: z.number().int(), withdrawn: z.number().int() }),
  negativeByWeek: z.array(z.object({ weekStart: z.string(), specimens: z.number().int(), negative: z.number().int(), percentNegative: z.number().nullable() })),
  spend: z.object({
    yearToDateCents: z.number().int(),
    budgetCents: z.number().int().nullable(),
    byFundingSource: z.array(z.object({ fundingSourceId: z.string().nullable(), cents: z.number().int(), budgetCents: z.number().int().nullable() })),
  }),
  capsReached: z.number().int(),
  redemptions: z.object({ last30Days: z.number().int(), cents: z.number().int(), pendingApproval: z.number().int() }),
  reorder: z.array(CatalogueItem),
  pendingAdjudications: z.number().int(),
  pendingPrivilegeDecisions: z.number().int(),
});

// ---------- integration tokens ----------
export const TokenScope = z.enum(TOKEN_SCOPES).describe(TOKEN_SCOPES.map((s) => `${s}: ${SCOPE_DESCRIPTIONS[s]}`).join('; '));
export const TokenCreate = z.strictObject({
  name: Text(120),
  /** Least privilege: the administrator names every scope the token gets (ADR 021). */
  scopes: z
    .array(TokenScope)
    .min(1, 'choose at least one scope')
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a scope'),
  /**
   * The organisation outside the programme whose application uses the token (issue 16): required
   * with fhir:read (each read is a disclosure to it, checked against the patient's consents), and
   * given only then.
   */
  recipientOrganization: Text(160).optional(),
});
export const Token = z.object({
  id: Id,
  name: z.string(),
  userId: Id,
  scopes: z.array(TokenScope),
  /** The outside organisation a fhir:read token discloses to; null for the programme's own systems. */
  recipientOrganization: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const TokenCreated = Token.extend({ token: z.string() });
