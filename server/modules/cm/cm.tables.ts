// Contingency management in the clinic. Every table carries program_id and its keys
// include it (Citus distribution column, docs/scaling.md). Events, ledger entries,
// stock movements, draw reveals and decisions are append-only (custom migration:
// triggers refuse UPDATE/DELETE); enrolments, catalogue items (stock) and tokens
// carry the little mutable state there is.
import { sql } from 'drizzle-orm';
import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { programs } from '../programs/programs.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import type { DeclineReason } from '../../../core/cm/requests.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Programme CM settings (one row per programme, created on first use). */
export const cmSettings = pgTable('cm_settings', {
  programId: uuid('program_id')
    .primaryKey()
    .references(() => programs.id),
  approvalThresholdCents: integer('approval_threshold_cents').notNull().default(5000),
  budgetCents: integer('budget_cents'),
  seedRotationDays: integer('seed_rotation_days').notNull().default(90),
  updatedAt: ts('updated_at').notNull(),
});

/** Protocol library: one row per version, never edited (a change is a new version). */
export const cmProtocols = pgTable(
  'cm_protocols',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    id: uuid('id').notNull(),
    key: text('key').notNull(), // the protocol document's id
    version: text('version').notNull(),
    name: text('name').notNull(),
    document: jsonb('document').notNull(),
    preset: text('preset'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), uniqueIndex('cm_protocols_version_key').on(t.programId, t.key, t.version)],
);

/** Funding sources and their caps (a cap preset or explicit caps). */
export const cmFundingSources = pgTable(
  'cm_funding_sources',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    id: text('id').notNull(),
    name: text('name').notNull(),
    capsPreset: text('caps_preset'),
    caps: jsonb('caps').notNull(),
    budgetCents: integer('budget_cents'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] })],
);

export const cmEnrolments = pgTable(
  'cm_enrolments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    protocolId: uuid('protocol_id').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** { specimen: number[], attendance: number[], dose: number[] } (0 = Sunday) and windowStart/windowEnd "HH:MM" local. */
    calendar: jsonb('calendar').notNull(),
    fundingSourceId: text('funding_source_id'),
    /** The caps in force for this enrolment (from its funding source, else the protocol's), fixed at enrolment. */
    caps: jsonb('caps'),
    status: text('status').notNull(), // active | completed | withdrawn
    statusReason: text('status_reason'),
    statusChangedAt: ts('status_changed_at'),
    enrolledBy: uuid('enrolled_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
    /** Number of events recorded (position of the next one); bumped under the row lock. */
    eventCount: integer('event_count').notNull().default(0),
    /**
     * Bumped by every writer of the patient's CM history (events, ledger entries), under the
     * row lock or as the guard of a recording's single statement (ADR 018): a recording that
     * read version v writes only if it is still v.
     */
    historyVersion: integer('history_version').notNull().default(0),
    /** Missed-opportunity job: every slot up to and including this local date is closed. */
    closedThrough: date('closed_through', { mode: 'string' }),
    /** Cache of the last replay (rewritten under the row lock after every recording): pending specimens, streaks, next values. */
    state: jsonb('state'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_enrolments_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    foreignKey({ name: 'cm_enrolments_protocol_fk', columns: [t.programId, t.protocolId], foreignColumns: [cmProtocols.programId, cmProtocols.id] }),
    uniqueIndex('cm_enrolments_one_active')
      .on(t.programId, t.patientId)
      .where(sql`status = 'active'`),
    index('cm_enrolments_patient_idx').on(t.programId, t.patientId),
    index('cm_enrolments_status_idx').on(t.programId, t.status),
  ],
);

/**
 * Everything that happened in an enrolment, in the engine's vocabulary (kind, at,
 * engine payload) plus the clinical detail (collector, cup, LOINC results …).
 * Opportunity-making events hold a slot (kind + local date): one per day, so the
 * missed job and a late recording can never both close the same opportunity.
 */
export const cmEvents = pgTable(
  'cm_events',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    kind: text('kind').notNull(), // specimen | missed | attendance | dose | correction | adjudication
    at: ts('at').notNull(),
    position: integer('position').notNull(),
    slotKind: text('slot_kind'),
    slotDate: date('slot_date', { mode: 'string' }),
    refId: uuid('ref_id'), // correction: supersedes; adjudication: of
    engine: jsonb('engine').notNull(),
    detail: jsonb('detail'),
    externalId: text('external_id'),
    source: text('source').notNull(), // staff | integration | job | patient-app (a skills module completed)
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_events_enrolment_fk', columns: [t.programId, t.enrolmentId], foreignColumns: [cmEnrolments.programId, cmEnrolments.id] }),
    uniqueIndex('cm_events_position_key').on(t.programId, t.enrolmentId, t.position),
    uniqueIndex('cm_events_slot_key')
      .on(t.programId, t.enrolmentId, t.slotKind, t.slotDate)
      .where(sql`slot_date is not null`),
    uniqueIndex('cm_events_external_key')
      .on(t.programId, t.externalId)
      .where(sql`external_id is not null and kind = 'specimen'`),
    index('cm_events_ref_idx').on(t.programId, t.refId),
    index('cm_events_patient_idx').on(t.programId, t.patientId, t.at),
    index('cm_events_kind_at_idx').on(t.programId, t.kind, t.at),
  ],
);

/** Draw seeds: a secret while active, its sha256 published; revealed when rotated. */
export const cmSeeds = pgTable(
  'cm_seeds',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    id: uuid('id').notNull(),
    seedHex: text('seed_hex').notNull(),
    commitment: text('commitment').notNull(),
    activeFrom: ts('active_from').notNull(),
    retiredAt: ts('retired_at'),
    revealedAt: ts('revealed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    uniqueIndex('cm_seeds_commitment_key').on(t.commitment),
    uniqueIndex('cm_seeds_one_active')
      .on(t.programId)
      .where(sql`retired_at is null`),
  ],
);

/** The ledger: immutable entries; `entry_key` is the engine's idempotency identity (event/track/kind[/n]). */
export const cmLedgerEntries = pgTable(
  'cm_ledger_entries',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    enrolmentId: uuid('enrolment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    entryKey: text('entry_key').notNull(),
    kind: text('kind').notNull(), // earn | bonus | prize | adjustment | forgiven | debit | redemption | void
    eventId: uuid('event_id'),
    track: text('track'),
    month: text('month'),
    cents: integer('cents').notNull(),
    /** forgiven memos on a draws track: the change in draws kept although no longer owed (signed). */
    draws: integer('draws'),
    n: integer('n'),
    tier: text('tier'),
    capped: text('capped'),
    voidsKey: text('voids_key'),
    seedId: uuid('seed_id'),
    fundingSourceId: text('funding_source_id'),
    redemptionId: uuid('redemption_id'),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_ledger_enrolment_fk', columns: [t.programId, t.enrolmentId], foreignColumns: [cmEnrolments.programId, cmEnrolments.id] }),
    uniqueIndex('cm_ledger_entry_key').on(t.programId, t.enrolmentId, t.entryKey),
    uniqueIndex('cm_ledger_draw_key')
      .on(t.programId, t.enrolmentId, t.n)
      .where(sql`kind = 'prize'`),
    index('cm_ledger_patient_idx').on(t.programId, t.patientId, t.seq),
    index('cm_ledger_event_idx').on(t.programId, t.eventId),
  ],
);

/** A draw shown on the draw screen (recorded once; a draw is never re-rolled or re-shown as new). */
export const cmDrawReveals = pgTable(
  'cm_draw_reveals',
  {
    programId: uuid('program_id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    n: integer('n').notNull(),
    revealedBy: uuid('revealed_by').references(() => users.id),
    revealedAt: ts('revealed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.enrolmentId, t.n] })],
);

/** Privilege-track levels as recommendations; a prescriber approves or declines (cm_privilege_decisions). */
export const cmPrivilegeRecommendations = pgTable(
  'cm_privilege_recommendations',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    track: text('track').notNull(),
    eventId: uuid('event_id').notNull(),
    level: text('level').notNull(),
    levelIndex: integer('level_index').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), uniqueIndex('cm_privilege_rec_key').on(t.programId, t.enrolmentId, t.track, t.eventId)],
);

export const cmPrivilegeDecisions = pgTable(
  'cm_privilege_decisions',
  {
    programId: uuid('program_id').notNull(),
    recommendationId: uuid('recommendation_id').notNull(),
    decision: text('decision').notNull(), // approved | declined
    reason: text('reason').notNull(),
    decidedBy: uuid('decided_by')
      .notNull()
      .references(() => users.id),
    decidedAt: ts('decided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.recommendationId] })],
);

export const cmCatalogueItems = pgTable(
  'cm_catalogue_items',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** The name patients who read Spanish see (null: they see `name`). */
    nameEs: text('name_es'),
    kind: text('kind').notNull(), // item | gift-card
    valueCents: integer('value_cents').notNull(),
    cashEquivalent: boolean('cash_equivalent').notNull().default(false),
    prizeTier: text('prize_tier'),
    stock: integer('stock').notNull().default(0),
    reorderLevel: integer('reorder_level').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] })],
);

export const cmStockMovements = pgTable(
  'cm_stock_movements',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    itemId: uuid('item_id').notNull(),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(), // received | redemption | count-correction | damaged
    redemptionId: uuid('redemption_id'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_stock_item_fk', columns: [t.programId, t.itemId], foreignColumns: [cmCatalogueItems.programId, cmCatalogueItems.id] }),
    index('cm_stock_item_idx').on(t.programId, t.itemId),
  ],
);

/** A redemption request; completed at once, or awaiting a second person's approval over the threshold. */
export const cmRedemptions = pgTable(
  'cm_redemptions',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    itemId: uuid('item_id').notNull(),
    quantity: integer('quantity').notNull(),
    cents: integer('cents').notNull(),
    kind: text('kind').notNull(), // voucher | prize
    prizeEntryId: uuid('prize_entry_id'),
    acknowledgement: jsonb('acknowledgement').notNull(),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: ts('requested_at').notNull(),
    needsApproval: boolean('needs_approval').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_redemptions_item_fk', columns: [t.programId, t.itemId], foreignColumns: [cmCatalogueItems.programId, cmCatalogueItems.id] }),
    uniqueIndex('cm_redemptions_prize_key')
      .on(t.programId, t.prizeEntryId)
      .where(sql`prize_entry_id is not null`),
    index('cm_redemptions_patient_idx').on(t.programId, t.patientId),
  ],
);

/** The outcome of a redemption: completed (ledger + stock posted) or declined. One per redemption. */
export const cmRedemptionOutcomes = pgTable(
  'cm_redemption_outcomes',
  {
    programId: uuid('program_id').notNull(),
    redemptionId: uuid('redemption_id').notNull(),
    outcome: text('outcome').notNull(), // completed | declined
    decidedBy: uuid('decided_by')
      .notNull()
      .references(() => users.id),
    decidedAt: ts('decided_at').notNull(),
    /** Declined: why, from the list (core/cm/requests.ts DECLINE_REASONS); null when approved, or declined without one (before the list, or by a client that sent none). */
    reasonCode: text('reason_code').$type<DeclineReason>(),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.programId, t.redemptionId] })],
);

/**
 * What a patient asked for from the catalogue in the app (issue 12). Asking moves no money
 * and no stock: staff fulfil it as a redemption with the patient present (acknowledgement,
 * threshold and approval as for any redemption), or decline it with a reason; the patient
 * may withdraw it. The request row is append-only; its one outcome is its own row.
 */
export const cmRedemptionRequests = pgTable(
  'cm_redemption_requests',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    itemId: uuid('item_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** The app's key for this request: a request sent twice is recorded once. */
    idempotencyKey: text('idempotency_key').notNull(),
    requestedAt: ts('requested_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'cm_redemption_requests_item_fk', columns: [t.programId, t.itemId], foreignColumns: [cmCatalogueItems.programId, cmCatalogueItems.id] }),
    foreignKey({ name: 'cm_redemption_requests_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    uniqueIndex('cm_redemption_requests_key').on(t.programId, t.patientId, t.idempotencyKey),
    index('cm_redemption_requests_patient_idx').on(t.programId, t.patientId),
  ],
);

/** How a request ended: fulfilled (the redemption that did it), declined by staff (reason), or withdrawn by the patient. One per request. */
export const cmRedemptionRequestOutcomes = pgTable(
  'cm_redemption_request_outcomes',
  {
    programId: uuid('program_id').notNull(),
    requestId: uuid('request_id').notNull(),
    outcome: text('outcome').notNull(), // fulfilled | declined | withdrawn
    redemptionId: uuid('redemption_id'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: ts('decided_at').notNull(),
    /** Declined by staff: why (core/cm/requests.ts DECLINE_REASONS); null for a decline recorded before there was a list ('other'). */
    reasonCode: text('reason_code').$type<DeclineReason>(),
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.requestId] }),
    foreignKey({ name: 'cm_redemption_request_outcomes_request_fk', columns: [t.programId, t.requestId], foreignColumns: [cmRedemptionRequests.programId, cmRedemptionRequests.id] }),
    uniqueIndex('cm_redemption_request_outcomes_redemption_key')
      .on(t.programId, t.redemptionId)
      .where(sql`redemption_id is not null`),
  ],
);

/** Programme-scoped API tokens of service accounts (users.kind = 'service'); only the SHA-256 is kept. */
export const integrationTokens = pgTable(
  'integration_tokens',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    id: uuid('id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** The scopes chosen at creation (core/access/scopes.ts TOKEN_SCOPES); a token reaches only their operations. */
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    tokenHash: text('token_hash').notNull(),
    /**
     * The organisation outside the programme whose application uses this token (issue 16): set
     * with the fhir:read scope, whose reads are disclosures to it, each checked against the
     * patient's consents. Null for the programme's own systems (its laboratory, its EHR).
     */
    recipientOrganization: text('recipient_organization'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), uniqueIndex('integration_tokens_hash_key').on(t.tokenHash)],
);
