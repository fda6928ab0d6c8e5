// Instrument administrations, their score observations (the FHIR projection, written in
// the same transaction), stage-of-change history, safety alerts for the care team and
// single-use patient-tablet sessions. Every table carries program_id and its keys
// include it (docs/scaling.md).
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { checkIns } from '../checkins/checkins.tables.ts';
import { consents } from '../consent/consent.tables.ts';

const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

/** One administration of an instrument (complete or partial). Never updated. */
export const assessments = pgTable(
  'assessments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    instrument: text('instrument').notNull(),
    questionnaireVersion: text('questionnaire_version').notNull(),
    /** linkId → answer (numbers; null = unanswered), as submitted. */
    answers: jsonb('answers').notNull(),
    targetBehavior: text('target_behavior'),
    complete: boolean('complete').notNull(),
    missing: jsonb('missing').notNull(),
    scores: jsonb('scores').notNull(),
    /** The instrument's band ({ code, label, … }) or null. */
    band: jsonb('band'),
    /** URICA only: the stage result (code, method, validated, note). */
    stage: jsonb('stage'),
    alerts: jsonb('alerts').notNull(),
    /** 'staff' (entered by staff) | 'patient-tablet' (the patient answered on a tablet). */
    mode: text('mode').notNull(),
    /** The staff member who administered it (or started the tablet session). */
    administeredBy: uuid('administered_by')
      .notNull()
      .references(() => users.id),
    patientSessionId: uuid('patient_session_id'),
    administeredAt: timestamp('administered_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'assessments_patient_fk'), index('assessments_patient_idx').on(t.programId, t.patientId, t.administeredAt)],
);

/**
 * Score observations: one panel per administration and one member per computed score,
 * the rows behind FHIR Observation search. Written with the administration, never updated.
 */
export const scoreObservations = pgTable(
  'score_observations',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    assessmentId: uuid('assessment_id').notNull(),
    /** 'panel' | 'score' */
    kind: text('kind').notNull(),
    /** The score name (null for the panel). */
    scoreName: text('score_name'),
    codeSystem: text('code_system').notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    value: doublePrecision('value'),
    /** The band of a total ({ code, label }) or null. */
    band: jsonb('band'),
    /** Panel only: ids of the member observations. */
    members: jsonb('members'),
    complete: boolean('complete').notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'score_observations_assessment_fk', columns: [t.programId, t.assessmentId], foreignColumns: [assessments.programId, assessments.id] }),
    index('score_observations_patient_idx').on(t.programId, t.patientId, t.effectiveAt.desc(), t.id.desc()),
    index('score_observations_code_idx').on(t.programId, t.patientId, t.code),
  ],
);

/** Stage-of-change history: from a URICA or a clinician's judgement (an override carries its reason). */
export const stageAssessments = pgTable(
  'stage_assessments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    stage: text('stage').notNull(),
    /** 'urica' | 'clinician' */
    source: text('source').notNull(),
    /** URICA: the stage-assignment method. */
    method: text('method'),
    /** Clinician: what informed the judgement (urica, socrates-8d, readiness-ruler, interview). */
    informedBy: jsonb('informed_by')
      .notNull()
      .default(sql`'[]'::jsonb`),
    assessmentId: uuid('assessment_id'),
    /** The URICA stage this clinician judgement overrides, if any; then `reason` is required. */
    overridesId: uuid('overrides_id'),
    reason: text('reason'),
    note: text('note'),
    assessedBy: uuid('assessed_by')
      .notNull()
      .references(() => users.id),
    assessedAt: timestamp('assessed_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'stage_assessments_patient_fk'), index('stage_assessments_patient_idx').on(t.programId, t.patientId, t.assessedAt)],
);

/**
 * Alerts for the care team, on one work list with one acknowledge path (ADR 034): raised
 * by an assessment (e.g. PHQ-9 item 9 > 0) or by a check-in's risk rules. Exactly one of
 * assessment_id and check_in_id is set, as `source` says.
 */
export const safetyAlerts = pgTable(
  'safety_alerts',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** 'assessment' | 'check-in'. */
    source: text('source').notNull().default('assessment'),
    assessmentId: uuid('assessment_id'),
    checkInId: uuid('check_in_id'),
    code: text('code').notNull(),
    /** 'urgent' | 'warning' | 'info'; the work list shows urgent first. */
    severity: text('severity').notNull(),
    text: text('text').notNull(),
    /** The Spanish text, when the source writes one (check-in alerts do). */
    textEs: text('text_es'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    acknowledgementNote: text('acknowledgement_note'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'safety_alerts_patient_fk'),
    foreignKey({ name: 'safety_alerts_check_in_fk', columns: [t.programId, t.checkInId], foreignColumns: [checkIns.programId, checkIns.id] }),
    check(
      'safety_alerts_source_check',
      sql`(source = 'assessment' and assessment_id is not null and check_in_id is null) or (source = 'check-in' and check_in_id is not null and assessment_id is null)`,
    ),
    check('safety_alerts_severity_check', sql`severity in ('urgent', 'warning', 'info')`),
    index('safety_alerts_check_in_idx').on(t.programId, t.checkInId),
    index('safety_alerts_open_idx')
      .on(t.programId, t.raisedAt)
      .where(sql`acknowledged_at is null`),
    index('safety_alerts_patient_idx').on(t.programId, t.patientId),
  ],
);

/**
 * A patient-tablet session: a single-use hand-off code (link / QR code, 10 min) that the
 * tablet exchanges once for a short-lived form token, which lets it submit one instrument
 * for one patient and nothing else (ADR 009, 027). Only SHA-256 hashes are stored.
 */
export const patientSessions = pgTable(
  'patient_sessions',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The form: an instrument, or a consent to sign (issue 16); exactly one. */
    instrument: text('instrument'),
    consentId: uuid('consent_id'),
    targetBehavior: text('target_behavior'),
    /** SHA-256 of the form token; null until the hand-off code is exchanged (ADR 027). */
    tokenHash: text('token_hash'),
    /** SHA-256 of the single-use hand-off code in the link / QR code. */
    handoffHash: text('handoff_hash'),
    handoffExpiresAt: timestamp('handoff_expires_at', { withTimezone: true }),
    handedOffAt: timestamp('handed_off_at', { withTimezone: true }),
    startedBy: uuid('started_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    assessmentId: uuid('assessment_id'),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'patient_sessions_patient_fk'),
    uniqueIndex('patient_sessions_token_key').on(t.programId, t.tokenHash),
    uniqueIndex('patient_sessions_handoff_key').on(t.programId, t.handoffHash),
    foreignKey({ name: 'patient_sessions_consent_fk', columns: [t.programId, t.consentId], foreignColumns: [consents.programId, consents.id] }),
    check('patient_sessions_form_check', sql`(${t.instrument} is null) <> (${t.consentId} is null)`),
  ],
);
