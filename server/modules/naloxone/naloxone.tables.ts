// Naloxone kits given, training delivered and the programme's stock (issue 15, docs/naloxone.md,
// ADR 050). Every row is immutable: stock on hand is derived (received − kits given ±
// adjustments, core/naloxone/stock.ts); a mistake is corrected by a new adjustment row.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { familyMembers } from '../consent/consent.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** A lot received: product, lot number, expiry, how many kits. */
export const naloxoneLots = pgTable(
  'naloxone_lots',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    product: text('product').notNull(),
    lotNumber: text('lot_number').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    quantity: integer('quantity').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    receivedBy: uuid('received_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), check('naloxone_lots_quantity_check', sql`${t.quantity} > 0`), index('naloxone_lots_expiry_idx').on(t.programId, t.expiresOn)],
);

/** A correction to a lot's count (a count found more or fewer, kits lost, expired kits thrown away). */
export const naloxoneAdjustments = pgTable(
  'naloxone_adjustments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    lotId: uuid('lot_id').notNull(),
    delta: integer('delta').notNull(),
    /** count | lost | expired-discarded | other */
    reason: text('reason').notNull(),
    note: text('note'),
    adjustedBy: uuid('adjusted_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'naloxone_adjustments_lot_fk', columns: [t.programId, t.lotId], foreignColumns: [naloxoneLots.programId, naloxoneLots.id] }),
    check('naloxone_adjustments_delta_check', sql`${t.delta} <> 0`),
    index('naloxone_adjustments_lot_idx').on(t.programId, t.lotId),
  ],
);

/**
 * A kit given from a lot: to a patient of the programme (patientId), or to a family member or
 * community member, who are not registered — no identifying data beyond an optional first
 * name and a short note.
 */
export const naloxoneKits = pgTable(
  'naloxone_kits',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    lotId: uuid('lot_id').notNull(),
    /** patient | family | community */
    recipientKind: text('recipient_kind').notNull(),
    patientId: uuid('patient_id'),
    /** For a family member: the patient whose family it is (optional). */
    forPatientId: uuid('for_patient_id'),
    /** A family member registered with the programme (they see the kit in the app); optional for recipient 'family'. */
    familyMemberId: uuid('family_member_id'),
    firstName: text('first_name'),
    note: text('note'),
    givenOn: date('given_on', { mode: 'string' }).notNull(),
    givenBy: uuid('given_by')
      .notNull()
      .references(() => users.id),
    trained: boolean('trained').notNull(),
    idempotencyKey: text('idempotency_key'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'naloxone_kits_lot_fk', columns: [t.programId, t.lotId], foreignColumns: [naloxoneLots.programId, naloxoneLots.id] }),
    foreignKey({ name: 'naloxone_kits_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    check('naloxone_kits_kind_check', sql`${t.recipientKind} in ('patient', 'family', 'community')`),
    check('naloxone_kits_patient_check', sql`(${t.recipientKind} = 'patient') = (${t.patientId} is not null)`),
    foreignKey({ name: 'naloxone_kits_family_member_fk', columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] }),
    check('naloxone_kits_family_member_check', sql`${t.familyMemberId} is null or ${t.recipientKind} = 'family'`),
    index('naloxone_kits_family_member_idx').on(t.programId, t.familyMemberId),
    index('naloxone_kits_lot_idx').on(t.programId, t.lotId),
    index('naloxone_kits_patient_idx').on(t.programId, t.patientId),
    index('naloxone_kits_given_idx').on(t.programId, t.createdAt, t.id),
    uniqueIndex('naloxone_kits_idempotency').on(t.programId, t.idempotencyKey),
  ],
);

/** Training delivered: which of the five steps (core/naloxone/steps.ts) were covered, to whom, by whom. */
export const naloxoneTrainings = pgTable(
  'naloxone_trainings',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    recipientKind: text('recipient_kind').notNull(),
    patientId: uuid('patient_id'),
    /** A family member registered with the programme (they see the training in the app); optional for recipient 'family'. */
    familyMemberId: uuid('family_member_id'),
    firstName: text('first_name'),
    /** The kit given at the same time, if any. */
    kitId: uuid('kit_id'),
    steps: jsonb('steps').$type<string[]>().notNull(),
    trainedOn: date('trained_on', { mode: 'string' }).notNull(),
    trainedBy: uuid('trained_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'naloxone_trainings_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    check('naloxone_trainings_kind_check', sql`${t.recipientKind} in ('patient', 'family', 'community')`),
    check('naloxone_trainings_patient_check', sql`(${t.recipientKind} = 'patient') = (${t.patientId} is not null)`),
    foreignKey({ name: 'naloxone_trainings_family_member_fk', columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] }),
    check('naloxone_trainings_family_member_check', sql`${t.familyMemberId} is null or ${t.recipientKind} = 'family'`),
    index('naloxone_trainings_family_member_idx').on(t.programId, t.familyMemberId),
    index('naloxone_trainings_patient_idx').on(t.programId, t.patientId),
  ],
);

/** The programme's reorder level and expiry warning (one row; defaults until an administrator saves). */
export const naloxoneSettings = pgTable('naloxone_settings', {
  programId: uuid('program_id').primaryKey(),
  reorderLevel: integer('reorder_level').notNull(),
  expiryWarningDays: integer('expiry_warning_days').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: ts('updated_at').notNull(),
});
