// Peer recovery support after overdose (issue 15, docs/peers.md, ADR 049): referrals of people
// after an overdose (a patient of the programme, or a community member known only by a name
// and a way to reach them), the peer specialist who holds each one, the contact attempts
// (immutable; a correction is a new row naming the one it replaces), the outcomes the outcomes
// report reads, the escalations of overdue contacts (one per contact), and the programme's
// schedule settings. The schedule itself is derived (core/peers/outreach.ts).
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** The programme's outreach schedule (core/peers/outreach.ts OutreachSettings); defaults when no row. */
export const peerOutreachSettings = pgTable('peer_outreach_settings', {
  programId: uuid('program_id').primaryKey(),
  firstContactHours: integer('first_contact_hours').notNull(),
  followUpDays: integer('follow_up_days').array().notNull(),
  /** first-contact | referral */
  followUpsFrom: text('follow_ups_from').notNull(),
  retryHours: integer('retry_hours').notNull(),
  maxTries: integer('max_tries').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * A referral after an overdose. `schedule` is the settings in force when it was made, so a
 * later change of settings does not move contacts already planned. Contact details of a
 * community member are the minimum to reach them (a name they go by, a phone); they never
 * appear in URLs, logs or job payloads.
 */
export const peerReferrals = pgTable(
  'peer_referrals',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    /** The programme's patient, when the person is one. */
    patientId: uuid('patient_id'),
    /** The name the person goes by (a community member's only identifier here). */
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone'),
    /** emergency-department | hospital | outreach | self | other */
    source: text('source').notNull(),
    referredAt: ts('referred_at').notNull(),
    consent: boolean('consent').notNull(),
    /** phone | sms | in-person: how the person agreed to be contacted. */
    contactMethod: text('contact_method'),
    schedule: jsonb('schedule').notNull(),
    /** The peer specialist holding the referral (null: unassigned, anyone may take it). */
    assignedTo: uuid('assigned_to').references(() => users.id),
    assignedAt: ts('assigned_at'),
    /** Closed by hand (the schedule's own closings are derived). */
    closedAt: ts('closed_at'),
    closedReason: text('closed_reason'),
    closedBy: uuid('closed_by').references(() => users.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'peer_referrals_patient_fk', columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] }),
    check('peer_referrals_source_check', sql`${t.source} in ('emergency-department', 'hospital', 'outreach', 'self', 'other')`),
    check('peer_referrals_method_check', sql`${t.contactMethod} is null or ${t.contactMethod} in ('phone', 'sms', 'in-person')`),
    index('peer_referrals_open')
      .on(t.programId, t.referredAt)
      .where(sql`closed_at is null`),
    index('peer_referrals_patient').on(t.programId, t.patientId),
  ],
);

/** One contact attempt, never changed; `corrects` names an attempt this one replaces. */
export const peerOutreachAttempts = pgTable(
  'peer_outreach_attempts',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    at: ts('at').notNull(),
    /** phone | sms | in-person */
    method: text('method').notNull(),
    /** reached | no-answer | voicemail | wrong-number | declined | not-safe-to-talk | other */
    outcome: text('outcome').notNull(),
    note: text('note'),
    corrects: uuid('corrects'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'peer_outreach_attempts_referral_fk', columns: [t.programId, t.referralId], foreignColumns: [peerReferrals.programId, peerReferrals.id] }),
    check('peer_outreach_attempts_method_check', sql`${t.method} in ('phone', 'sms', 'in-person')`),
    check('peer_outreach_attempts_outcome_check', sql`${t.outcome} in ('reached', 'no-answer', 'voicemail', 'wrong-number', 'declined', 'not-safe-to-talk', 'other')`),
    index('peer_outreach_attempts_referral').on(t.programId, t.referralId, t.at),
    uniqueIndex('peer_outreach_attempts_one_correction').on(t.programId, t.corrects),
  ],
);

/** What happened for the person (read by the outcomes report): one row per outcome and date. */
export const peerReferralOutcomes = pgTable(
  'peer_referral_outcomes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    /** moud-started | entered-treatment | naloxone-received | repeat-overdose */
    kind: text('kind').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'peer_referral_outcomes_referral_fk', columns: [t.programId, t.referralId], foreignColumns: [peerReferrals.programId, peerReferrals.id] }),
    check('peer_referral_outcomes_kind_check', sql`${t.kind} in ('moud-started', 'entered-treatment', 'naloxone-received', 'repeat-overdose')`),
    uniqueIndex('peer_referral_outcomes_once').on(t.programId, t.referralId, t.kind, t.occurredOn),
    index('peer_referral_outcomes_kind').on(t.programId, t.kind),
  ],
);

/** An overdue or missed contact a supervisor was told about: once per contact (the unique index). */
export const peerOutreachEscalations = pgTable(
  'peer_outreach_escalations',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    /** 0: the first contact; 1..n: the follow-ups. */
    contactIndex: integer('contact_index').notNull(),
    /** overdue | missed */
    reason: text('reason').notNull(),
    /** When the contact became overdue (or was missed): the same whenever the job runs. */
    since: ts('since').notNull(),
    escalatedAt: ts('escalated_at').notNull(),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'peer_outreach_escalations_referral_fk', columns: [t.programId, t.referralId], foreignColumns: [peerReferrals.programId, peerReferrals.id] }),
    uniqueIndex('peer_outreach_escalations_once').on(t.programId, t.referralId, t.contactIndex),
    index('peer_outreach_escalations_open')
      .on(t.programId, t.escalatedAt)
      .where(sql`acknowledged_at is null`),
  ],
);
