// 42 CFR Part 2 consent and disclosures over HTTP (issue 16, docs/consent.md): a patient's
// consents (written, signed, revoked, ended, replaced), the patient notice acknowledged at
// intake, family members and friends linked to a patient, disclosures made under a consent or
// an exception, and the accounting of disclosures. Staff (/api/v1).
import { z } from 'zod';
import { DATA_CLASSES, EXCEPTIONS, PURPOSES, SIGNATURE_METHODS, DISCLOSURE_CHANNELS } from '../core/consent/consent.ts';
import { FAMILY_RELATIONSHIPS } from '../core/consent/templates.ts';
import { Id, IsoDate, IsoDateTime } from './common.ts';

const Name = z.string().trim().min(1).max(160);
const Lang = z.enum(['en', 'es']);

export const RecipientInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('family-member'), familyMemberId: Id }),
  z.strictObject({ kind: z.literal('organization'), name: Name }),
  z.strictObject({ kind: z.literal('individual'), name: Name }),
  z.strictObject({ kind: z.literal('tpo-designation') }),
]);

export const Recipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('family-member'), familyMemberId: Id, name: z.string() }),
  z.object({ kind: z.literal('organization'), name: z.string() }),
  z.object({ kind: z.literal('individual'), name: z.string() }),
  z.object({ kind: z.literal('tpo-designation') }),
]);

export const Expiry = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('date'), on: IsoDate }),
  z.strictObject({ kind: z.literal('end-of-treatment') }),
  z.strictObject({ kind: z.literal('condition'), text: z.string().trim().min(1).max(280) }),
  z.strictObject({ kind: z.literal('none') }),
]);

/** A paper signature: the scan (PDF, PNG or JPEG, base64, at most 5 MB) and the name as signed. */
export const PaperSignature = z.strictObject({
  signerName: Name,
  signerRole: z.string().trim().min(1).max(60).default('patient'),
  signedOn: IsoDate,
  scan: z.strictObject({ contentType: z.enum(['application/pdf', 'image/png', 'image/jpeg']), base64: z.string().min(1).max(7_000_000) }),
});

export const ConsentCreate = z.strictObject({
  template: z.string().min(1).max(60),
  language: Lang,
  recipient: RecipientInput,
  purposes: z.array(z.enum(PURPOSES)).min(1).max(PURPOSES.length),
  dataClasses: z.array(z.enum(DATA_CLASSES)).min(1).max(DATA_CLASSES.length),
  dataDescription: z.string().trim().min(1).max(500),
  expiry: Expiry,
  /** The consent this one replaces; it is superseded when this one is signed. */
  supersedesId: Id.optional(),
  /** Given when the patient signed on paper: the consent is recorded signed. */
  paper: PaperSignature.optional(),
});

/** Signing on the clinic's tablet or (later) in the app: the name the patient typed and that they agree. */
export const ConsentSign = z.strictObject({
  signerName: Name,
  signerRole: z.string().trim().min(1).max(60).default('patient'),
  agree: z.literal(true, { message: 'must be true: the patient agrees to the consent as written' }),
});

export const ConsentRevoke = z.strictObject({
  /** How the patient told us: in writing, orally (recorded by staff) */
  note: z.string().trim().max(500).optional(),
});

export const ConsentEnd = z.strictObject({ note: z.string().trim().min(1).max(500) });

export const ConsentView = z.object({
  id: Id,
  patientId: Id,
  status: z.enum(['awaiting-signature', 'active', 'expired', 'revoked', 'superseded']),
  template: z.string(),
  templateVersion: z.string(),
  title: z.string(),
  language: Lang,
  discloser: z.string(),
  recipient: Recipient,
  purposes: z.array(z.enum(PURPOSES)),
  dataClasses: z.array(z.enum(DATA_CLASSES)),
  dataDescription: z.string(),
  expiry: Expiry,
  expiresAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  signedAt: IsoDateTime.nullable(),
  signatureMethod: z.enum(SIGNATURE_METHODS).nullable(),
  signerName: z.string().nullable(),
  signerRole: z.string().nullable(),
  hasScan: z.boolean(),
  revokedAt: IsoDateTime.nullable(),
  revocationNote: z.string().nullable(),
  endedAt: IsoDateTime.nullable(),
  supersedesId: Id.nullable(),
  supersededAt: IsoDateTime.nullable(),
  /** The consent as the patient reads it, in its language: every element §2.31 requires, in order. */
  text: z.array(z.object({ heading: z.string(), body: z.string() })),
});

export const ConsentList = z.object({ items: z.array(ConsentView), bounded: z.literal(true) });

export const ConsentTemplate = z.object({
  key: z.string(),
  version: z.string(),
  title: z.object({ en: z.string(), es: z.string() }),
  description: z.string(),
  recipientKinds: z.array(z.string()),
  purposes: z.array(z.enum(PURPOSES)),
  dataClasses: z.array(z.enum(DATA_CLASSES)),
  dataDescription: z.object({ en: z.string(), es: z.string() }),
  expiryKind: z.enum(['date', 'end-of-treatment', 'condition', 'none']),
});
export const ConsentTemplates = z.object({ items: z.array(ConsentTemplate), dataClasses: z.array(z.object({ key: z.enum(DATA_CLASSES), en: z.string(), es: z.string() })) });

export const NoticeRecord = z.strictObject({ language: Lang, method: z.enum(['paper', 'tablet', 'app', 'read-aloud']) });
export const NoticeStatus = z.object({
  version: z.string(),
  acknowledged: z.object({ at: IsoDateTime, method: z.string(), language: Lang }).nullable(),
  text: z.object({ en: z.object({ title: z.string(), paragraphs: z.array(z.string()) }), es: z.object({ title: z.string(), paragraphs: z.array(z.string()) }) }),
});

export const FamilyMemberCreate = z.strictObject({
  displayName: Name,
  relationship: z.enum(FAMILY_RELATIONSHIPS),
  phone: z.string().trim().max(40).optional(),
  language: Lang.default('en'),
});
export const FamilyMemberView = z.object({
  id: Id,
  displayName: z.string(),
  relationship: z.enum(FAMILY_RELATIONSHIPS),
  phone: z.string().nullable(),
  language: Lang,
  linkedAt: IsoDateTime,
  /** What an active consent lets this person see now (empty: nothing). */
  consentedDataClasses: z.array(z.enum(DATA_CLASSES)),
});
export const FamilyList = z.object({ items: z.array(FamilyMemberView), bounded: z.literal(true) });

/** A disclosure staff make: a printout or an export for someone outside the programme, under a consent or, in an emergency, an exception. */
export const DisclosureCreate = z.strictObject({
  recipient: RecipientInput,
  purpose: z.enum(PURPOSES).optional(),
  dataClasses: z.array(z.enum(DATA_CLASSES)).min(1).max(DATA_CLASSES.length),
  channel: z.enum(['print', 'export']),
  /** An exception instead of a consent: a medical emergency (with its reason). */
  exception: z.enum(['medical-emergency']).optional(),
  reason: z.string().trim().min(10).max(500).optional(),
});

export const Disclosure = z.object({
  id: Id,
  at: IsoDateTime,
  channel: z.enum(DISCLOSURE_CHANNELS),
  recipient: z.object({ kind: z.string(), name: z.string() }),
  purpose: z.enum(PURPOSES).nullable(),
  dataClasses: z.array(z.enum(DATA_CLASSES)),
  consentId: Id.nullable(),
  exception: z.enum(EXCEPTIONS).nullable(),
  reason: z.string().nullable(),
  by: z.string(),
});

/** The accounting of disclosures (§2.24): the last 3 years, newest first. */
export const Accounting = z.object({ from: IsoDate, to: IsoDate, items: z.array(Disclosure), bounded: z.literal(true) });

export const DisclosureResult = z.object({
  disclosure: Disclosure,
  /** The document that leaves the programme (HTML, printable), with the notice and, under a consent, the consent attached. */
  documentHtml: z.string(),
});

/** The family part of the app (auth 'family', /api/patient/family). */
/** `linked`: someone shares (or may share) with them; `craft`: they have a CRAFT course of their own (the app shows My sessions). */
export const FamilyMe = z.object({ displayName: z.string(), language: Lang, idleMinutes: z.number().int(), linked: z.boolean(), craft: z.boolean() });

export const FamilySummary = z.object({
  /** `timeZone`: the programme's, in which the visit's time is shown (not the phone's). */
  nextAppointment: z.object({ startsAt: IsoDateTime, kind: z.string(), timeZone: z.string() }).nullable().optional(),
  checkInStreak: z.object({ days: z.number().int(), lastCheckInOn: z.string().nullable() }).optional(),
  cmProgress: z.object({ balanceCents: z.number().int(), earnedCents: z.number().int(), streak: z.number().int() }).nullable().optional(),
  safetyPlan: z
    .object({ sections: z.array(z.object({ heading: z.string(), items: z.array(z.string()) })) })
    .nullable()
    .optional(),
});

/** What one patient shares with the signed-in family member now, with the notice against redisclosure (each view a recorded disclosure). */
export const SharedCard = z.object({
  patientId: Id,
  firstName: z.string(),
  relationship: z.enum(FAMILY_RELATIONSHIPS),
  dataClasses: z.array(z.enum(DATA_CLASSES)),
  summary: FamilySummary,
  notice: z.object({ statement: z.string(), plain: z.string() }),
});
export const SharedList = z.object({ items: z.array(SharedCard), bounded: z.literal(true) });
