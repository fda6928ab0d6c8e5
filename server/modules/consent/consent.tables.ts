// 42 CFR Part 2 consents, the disclosures made under them (or under an exception), the
// patient notice acknowledged at intake, and the family members and friends (CSOs) a consent
// may name (issue 16, docs/consent.md, ADR 052). Consents are immutable once signed: revoking,
// ending (a condition met) or superseding sets its one timestamp and never deletes; a
// disclosure row is never changed. Every table carries the tenant key program_id.
import { sql } from 'drizzle-orm';
import { check, customType, date, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DataClass, DisclosureChannel, Exception, Purpose, SignatureMethod } from '../../../core/consent/consent.ts';
import type { FamilyRelationship } from '../../../core/consent/templates.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

/** A family member, partner or friend (a concerned significant other): a person of their own, not a patient. */
export const familyMembers = pgTable(
  'family_members',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    displayName: text('display_name').notNull(),
    /** E.164, for the app invite by text; optional. */
    phone: text('phone'),
    language: text('language').$type<'en' | 'es'>().notNull().default('en'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] })],
);

/** A family member linked to a patient, with how they are related. The link alone discloses nothing: a consent does. */
export const familyLinks = pgTable(
  'family_links',
  {
    programId: uuid('program_id').notNull(),
    familyMemberId: uuid('family_member_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    relationship: text('relationship').$type<FamilyRelationship>().notNull(),
    createdAt: ts('created_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.familyMemberId, t.patientId] }),
    foreignKey({ name: 'family_links_member_fk', columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] }),
    patientRef(t, 'family_links_patient_fk'),
    index('family_links_patient_idx').on(t.programId, t.patientId),
  ],
);

/**
 * A written consent with every element §2.31 requires. Written (awaiting signature) by staff,
 * signed on paper (the scan kept here), in the patient's app or on the clinic's tablet.
 */
export const consents = pgTable(
  'consents',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The template and its version the words came from (content/consent-templates). */
    template: text('template').notNull(),
    templateVersion: text('template_version').notNull(),
    language: text('language').$type<'en' | 'es'>().notNull(),
    discloser: text('discloser').notNull(),
    recipientKind: text('recipient_kind').$type<'family-member' | 'organization' | 'individual' | 'tpo-designation'>().notNull(),
    recipientName: text('recipient_name'),
    familyMemberId: uuid('family_member_id'),
    purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
    dataClasses: jsonb('data_classes').$type<DataClass[]>().notNull(),
    dataDescription: text('data_description').notNull(),
    expiryKind: text('expiry_kind').$type<'date' | 'end-of-treatment' | 'condition' | 'none'>().notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    expiryCondition: text('expiry_condition'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
    /** The consent this one replaces (a new version); the old one is superseded when this is signed. */
    supersedesId: uuid('supersedes_id'),
    signedAt: ts('signed_at'),
    signatureMethod: text('signature_method').$type<SignatureMethod>(),
    /** The name typed (app, tablet) or written (paper) by the signer. */
    signerName: text('signer_name'),
    /** 'patient', or the authorised representative's relation (e.g. guardian). */
    signerRole: text('signer_role'),
    scan: bytea('scan'),
    scanType: text('scan_type'),
    revokedAt: ts('revoked_at'),
    /** 'staff' (the patient told staff, orally or in writing), 'app' (the patient in the app). */
    revokedVia: text('revoked_via'),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revocationNote: text('revocation_note'),
    /** When staff recorded that the expiry event or condition was met. */
    endedAt: ts('ended_at'),
    supersededAt: ts('superseded_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'consents_patient_fk'),
    foreignKey({ name: 'consents_family_member_fk', columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] }),
    index('consents_patient_idx').on(t.programId, t.patientId),
    index('consents_family_member_idx').on(t.programId, t.familyMemberId),
    check('consents_recipient_check', sql`(${t.recipientKind} = 'family-member') = (${t.familyMemberId} is not null)`),
    check('consents_signed_check', sql`(${t.signedAt} is null) = (${t.signatureMethod} is null) and (${t.signedAt} is null) = (${t.signerName} is null)`),
    check('consents_expiry_check', sql`(${t.expiryKind} = 'date') = (${t.expiresOn} is not null) and (${t.expiryKind} = 'condition') = (${t.expiryCondition} is not null)`),
  ],
);

/**
 * One disclosure: what left the programme, to whom, why, by which channel, and on what basis —
 * an active consent, or an exception with its reason. Never changed; the accounting reads it.
 * The recipient is copied as it was, so the accounting stays true if a family member is renamed.
 */
export const disclosures = pgTable(
  'disclosures',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    at: ts('at').notNull(),
    channel: text('channel').$type<DisclosureChannel>().notNull(),
    recipientKind: text('recipient_kind').notNull(),
    recipientName: text('recipient_name').notNull(),
    familyMemberId: uuid('family_member_id'),
    purpose: text('purpose').$type<Purpose>(),
    dataClasses: jsonb('data_classes').$type<DataClass[]>().notNull(),
    consentId: uuid('consent_id'),
    exception: text('exception').$type<Exception>(),
    reason: text('reason'),
    /** Who made it: a staff member, or null for the family member's own view or an API client. */
    actorId: uuid('actor_id').references(() => users.id),
    actorKind: text('actor_kind').$type<'staff' | 'family-member' | 'api-client'>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'disclosures_patient_fk'),
    foreignKey({ name: 'disclosures_consent_fk', columns: [t.programId, t.consentId], foreignColumns: [consents.programId, consents.id] }),
    index('disclosures_patient_idx').on(t.programId, t.patientId, t.at),
    check('disclosures_basis_check', sql`(${t.consentId} is null) <> (${t.exception} is null)`),
  ],
);

/** The patient notice of confidentiality (§2.22): given and acknowledged at intake, per version. */
export const patientNotices = pgTable(
  'patient_notices',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    version: text('version').notNull(),
    language: text('language').$type<'en' | 'es'>().notNull(),
    /** paper | app | tablet | read-aloud */
    method: text('method').notNull(),
    acknowledgedAt: ts('acknowledged_at').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId, t.version] }), patientRef(t, 'patient_notices_patient_fk')],
);
