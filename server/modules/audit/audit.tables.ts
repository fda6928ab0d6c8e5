// The audit trail. audit_events and audit_seals are append-only (triggers refuse
// UPDATE and DELETE). Events are written in the transaction of what they record,
// without any shared lock; a sealer later appends seals that chain the events of one
// chain (a programme, or an organisation for sign-ins) with SHA-256, so altering or
// removing a row breaks a link that `waypoint audit verify` reports.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chainId: uuid('chain_id').notNull(),
    orgId: uuid('org_id'),
    programId: uuid('program_id'),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    patientId: uuid('patient_id'),
    outcome: text('outcome').notNull(),
    purpose: text('purpose'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_events_chain_idx').on(t.chainId, t.id), index('audit_events_program_at_idx').on(t.programId, t.at), index('audit_events_patient_idx').on(t.programId, t.patientId)],
);

export const auditSeals = pgTable(
  'audit_seals',
  {
    chainId: uuid('chain_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
    // Ed25519 signature of the seal (ADR 024) by a key the database does not hold, and the
    // SHA-256 fingerprint of its public key. Null only on seals written before signing began.
    signature: text('signature'),
    keyFingerprint: text('key_fingerprint'),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.seq] }), uniqueIndex('audit_seals_event_key').on(t.eventId)],
);

// The head of each chain: a cache the sealer locks (FOR UPDATE) so that two sealers
// never extend one chain at once. Verification never trusts it.
export const auditChainHeads = pgTable('audit_chain_heads', {
  chainId: uuid('chain_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

// How far back the sealer must look (ADR 016): every event with an id up to
// `sealed_through` is sealed or was never committed, so a sealing pass reads only newer
// ids. `candidate_id` (the last event id handed out when it was read) becomes the next
// `sealed_through` once every transaction older than `candidate_xmax` has ended. One row.
export const auditSealHorizon = pgTable(
  'audit_seal_horizon',
  {
    id: smallint('id').primaryKey().default(1),
    sealedThrough: bigint('sealed_through', { mode: 'number' }).notNull().default(0),
    candidateId: bigint('candidate_id', { mode: 'number' }).notNull().default(0),
    candidateXmax: bigint('candidate_xmax', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('audit_seal_horizon_one_row', sql`${t.id} = 1`)],
);
