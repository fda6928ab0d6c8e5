import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.ts';

const name = z.string().trim().min(1, 'is required').max(100);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const LANGUAGES = ['en', 'es'] as const;

/**
 * Sex and gender (ADR 023, US Core 6.1.0). Three separate facts, never derived from one another:
 * - administrative sex: FHIR Patient.gender (administrative-gender); US Core requires it, so a
 *   registration without it records `unknown`, never a guess;
 * - sex: the USCDI v3 "Sex" element (US Core Sex extension); `asked-declined` when the person was
 *   asked and chose not to say;
 * - gender identity: the US Core Gender Identity extension; `other` when none of the listed
 *   identities fits, `asked-declined` when the person chose not to say.
 * Sex and gender identity are optional: null means not recorded.
 */
export const ADMINISTRATIVE_SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const SEXES = ['female', 'male', 'unknown', 'asked-declined'] as const;
export const GENDER_IDENTITIES = ['female', 'male', 'non-binary', 'other', 'asked-declined', 'unknown'] as const;
export type AdministrativeSex = (typeof ADMINISTRATIVE_SEXES)[number];
export type Sex = (typeof SEXES)[number];
export type GenderIdentity = (typeof GENDER_IDENTITIES)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });

const patientFields = {
  mrn: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(40)
    .regex(/^[A-Za-z0-9-]+$/, 'may contain letters, digits and hyphens'),
  legalGivenName: name,
  legalFamilyName: name,
  preferredName: optionalText(100),
  pronouns: optionalText(40),
  birthDate: IsoDate,
  administrativeSex: oneOf(ADMINISTRATIVE_SEXES).default('unknown'),
  sex: oneOf(SEXES).nullable().optional(),
  genderIdentity: oneOf(GENDER_IDENTITIES).nullable().optional(),
  preferredLanguage: z.enum(LANGUAGES).default('en'),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9+()\-. ]*$/, 'must be a phone number')
    .nullable()
    .optional(),
  email: z.email({ message: 'must be an email address' }).max(254).nullable().optional(),
  address: optionalText(400),
  contactConsent: z.boolean().default(false),
  emergencyContactName: optionalText(200),
  emergencyContactPhone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9+()\-. ]*$/, 'must be a phone number')
    .nullable()
    .optional(),
  emergencyContactRelationship: optionalText(100),
};

export const PatientCreate = z.strictObject({
  ...patientFields,
  /** Set after the user has seen the possible duplicates and decided this is a new person. */
  confirmNotDuplicate: z.boolean().default(false),
});

export const PatientUpdate = z.strictObject({
  /** The version the editor started from; a stale version is a 409. */
  version: z.number().int().min(1).max(2_147_483_647),
  mrn: patientFields.mrn.optional(),
  legalGivenName: name.optional(),
  legalFamilyName: name.optional(),
  preferredName: patientFields.preferredName,
  pronouns: patientFields.pronouns,
  birthDate: IsoDate.optional(),
  administrativeSex: oneOf(ADMINISTRATIVE_SEXES).optional(),
  sex: patientFields.sex,
  genderIdentity: patientFields.genderIdentity,
  preferredLanguage: z.enum(LANGUAGES).optional(),
  phone: patientFields.phone,
  email: patientFields.email,
  address: patientFields.address,
  contactConsent: z.boolean().optional(),
  emergencyContactName: patientFields.emergencyContactName,
  emergencyContactPhone: patientFields.emergencyContactPhone,
  emergencyContactRelationship: patientFields.emergencyContactRelationship,
});

export const Patient = z.object({
  id: Id,
  programId: Id,
  mrn: z.string(),
  legalGivenName: z.string(),
  legalFamilyName: z.string(),
  preferredName: z.string().nullable(),
  pronouns: z.string().nullable(),
  birthDate: z.string(),
  administrativeSex: z.enum(ADMINISTRATIVE_SEXES),
  sex: z.enum(SEXES).nullable(),
  genderIdentity: z.enum(GENDER_IDENTITIES).nullable(),
  preferredLanguage: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  contactConsent: z.boolean(),
  emergencyContactName: z.string().nullable(),
  emergencyContactPhone: z.string().nullable(),
  emergencyContactRelationship: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const PatientSummary = z.object({
  id: Id,
  mrn: z.string(),
  legalGivenName: z.string(),
  legalFamilyName: z.string(),
  preferredName: z.string().nullable(),
  birthDate: z.string(),
});

export const PatientSearchQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  birthDate: IsoDate.optional(),
  mrn: z.string().trim().max(40).optional(),
  ...PageQuery,
});

export const DuplicateCheck = z.strictObject({
  legalGivenName: name,
  legalFamilyName: name,
  birthDate: IsoDate,
  mrn: patientFields.mrn.optional(),
});
export const DuplicateCandidates = z.object({ candidates: z.array(PatientSummary) });

export const MEDICATIONS = ['methadone', 'buprenorphine', 'naltrexone', 'none'] as const;
export const Medication = z.object({
  id: Id,
  patientId: Id,
  medication: z.enum(MEDICATIONS),
  dose: z.string().nullable(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  prescriberId: Id.nullable(),
  prescriberName: z.string().nullable(),
});
export const MedicationCreate = z.strictObject({
  medication: z.enum(MEDICATIONS),
  dose: optionalText(100),
  startedOn: IsoDate,
  endedOn: IsoDate.nullable().optional(),
  prescriberId: Id.nullable().optional(),
  prescriberName: optionalText(200),
});
export const MedicationEnd = z.strictObject({ endedOn: IsoDate });

export const LEVELS_OF_CARE = ['otp', 'office-based', 'intensive-outpatient', 'residential', 'therapeutic-community'] as const;
export const Episode = z.object({
  id: Id,
  patientId: Id,
  levelOfCare: z.enum(LEVELS_OF_CARE),
  admittedOn: z.string(),
  dischargedOn: z.string().nullable(),
  dischargeReason: z.string().nullable(),
});
export const EpisodeCreate = z.strictObject({ levelOfCare: z.enum(LEVELS_OF_CARE), admittedOn: IsoDate });
export const EpisodeDischarge = z.strictObject({ dischargedOn: IsoDate, dischargeReason: z.string().trim().min(1).max(200) });

export const CARE_TEAM_ROLES = ['primary-counsellor', 'prescriber', 'cm-coordinator', 'peer-specialist', 'case-manager', 'nurse'] as const;
export const CareTeamMember = z.object({
  userId: Id,
  displayName: z.string(),
  role: z.enum(CARE_TEAM_ROLES),
  since: z.string(),
});
export const CareTeamAdd = z.strictObject({ userId: Id, role: z.enum(CARE_TEAM_ROLES), since: IsoDate.optional() });
export const CareTeamParams = z.strictObject({ patientId: Id, userId: Id, role: z.enum(CARE_TEAM_ROLES) });
