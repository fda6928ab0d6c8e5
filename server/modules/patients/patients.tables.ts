// Patients and what a programme keeps about them. Every table carries program_id and
// its keys include it, so a state-wide deployment can distribute by programme.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ADMINISTRATIVE_SEXES, GENDER_IDENTITIES, SEXES } from '../../../contracts/patients.ts';
import { users } from '../identity/identity.tables.ts';

/** `col in ('a', 'b', …)` from the one list of codes in contracts/patients.ts. */
const oneOf = (col: unknown, values: readonly string[]) => sql`${col} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

export const patients = pgTable(
  'patients',
  {
    // No foreign key to programs: it would take a share lock on the programme's row for
    // every registration. A trigger checks the programme exists, and programmes are
    // never deleted (ADR 015).
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    mrn: text('mrn').notNull(),
    legalGivenName: text('legal_given_name').notNull(),
    legalFamilyName: text('legal_family_name').notNull(),
    preferredName: text('preferred_name'),
    pronouns: text('pronouns'),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    // Sex and gender (ADR 023): administrative sex is always recorded (unknown when not
    // given); sex and gender identity are null until recorded.
    administrativeSex: text('administrative_sex').$type<(typeof ADMINISTRATIVE_SEXES)[number]>().notNull().default('unknown'),
    sex: text('sex').$type<(typeof SEXES)[number]>(),
    genderIdentity: text('gender_identity').$type<(typeof GENDER_IDENTITIES)[number]>(),
    preferredLanguage: text('preferred_language').notNull().default('en'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    contactConsent: boolean('contact_consent').notNull().default(false),
    emergencyContactName: text('emergency_contact_name'),
    emergencyContactPhone: text('emergency_contact_phone'),
    emergencyContactRelationship: text('emergency_contact_relationship'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    // One index serves uniqueness and search: an MRN is the same MRN in any letter case.
    uniqueIndex('patients_mrn_key').on(t.programId, sql`lower(${t.mrn})`),
    index('patients_family_idx').on(t.programId, sql`lower(${t.legalFamilyName}) text_pattern_ops`),
    index('patients_given_idx').on(t.programId, sql`lower(${t.legalGivenName}) text_pattern_ops`),
    // Only records that have a preferred name: a prefix search on it implies one.
    index('patients_preferred_idx')
      .on(t.programId, sql`lower(${t.preferredName}) text_pattern_ops`)
      .where(sql`${t.preferredName} is not null`),
    index('patients_birth_idx').on(t.programId, t.birthDate),
    check('patients_administrative_sex_check', oneOf(t.administrativeSex, ADMINISTRATIVE_SEXES)),
    check('patients_sex_check', oneOf(t.sex, SEXES)),
    check('patients_gender_identity_check', oneOf(t.genderIdentity, GENDER_IDENTITIES)),
  ],
);

const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

export const medications = pgTable(
  'medications',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    medication: text('medication').notNull(),
    dose: text('dose'),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    prescriberId: uuid('prescriber_id').references(() => users.id),
    prescriberName: text('prescriber_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'medications_patient_fk'), index('medications_patient_idx').on(t.programId, t.patientId)],
);

export const episodes = pgTable(
  'episodes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    levelOfCare: text('level_of_care').notNull(),
    admittedOn: date('admitted_on', { mode: 'string' }).notNull(),
    dischargedOn: date('discharged_on', { mode: 'string' }),
    dischargeReason: text('discharge_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'episodes_patient_fk'), index('episodes_patient_idx').on(t.programId, t.patientId)],
);

export const careTeam = pgTable(
  'care_team_members',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId, t.userId, t.role] }), patientRef(t, 'care_team_patient_fk')],
);
