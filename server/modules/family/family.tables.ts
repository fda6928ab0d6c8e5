// Work with the people around a patient (issue 16, docs/family.md, ADR 054): CRAFT for a
// concerned significant other (CSO) who is a client of their own, behavioural couples therapy
// (the recovery contract and the couple's daily trust discussion calendar), network therapy
// (the network's members, its meetings and doses a member witnessed) and the family education
// a family member reads in the app. A CSO is a `family_members` row (consent.tables.ts); CRAFT
// needs no patient at all. Every table carries the tenant key program_id.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { familyMembers } from '../consent/consent.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });
const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });
const memberRef = (t: { programId: AnyPgColumn; familyMemberId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] });

/**
 * A CRAFT course: the CSO is the client. The loved one is described in the CSO's words only
 * ("my son"); they need not be a patient and nothing here points to one.
 */
export const craftCourses = pgTable(
  'craft_courses',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    familyMemberId: uuid('family_member_id').notNull(),
    /** How the CSO speaks of their loved one, e.g. "my son"; no name. */
    lovedOne: text('loved_one').notNull(),
    counsellorId: uuid('counsellor_id')
      .notNull()
      .references(() => users.id),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    closedAt: ts('closed_at'),
    closedReason: text('closed_reason'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    memberRef(t, 'craft_courses_member_fk'),
    index('craft_courses_member_idx').on(t.programId, t.familyMemberId),
    index('craft_courses_counsellor_idx').on(t.programId, t.counsellorId),
  ],
);

/** The course's twelve sessions, scheduled when it starts (core/family/craft.ts); held, missed or moved. */
export const craftSessions = pgTable(
  'craft_sessions',
  {
    programId: uuid('program_id').notNull(),
    courseId: uuid('course_id').notNull(),
    /** 1..12 */
    number: smallint('number').notNull(),
    /** The topic's key in content/craft/sessions.json. */
    topic: text('topic').notNull(),
    scheduledOn: date('scheduled_on', { mode: 'string' }).notNull(),
    /** scheduled | held | missed */
    status: text('status').notNull(),
    heldOn: date('held_on', { mode: 'string' }),
    /** The counsellor's short note of the session (the CSO's record, not a patient's). */
    note: text('note'),
    /** When the CSO marked the session's homework done in the app (or staff did for them), and what they wrote. */
    homeworkDoneAt: ts('homework_done_at'),
    homeworkResponse: text('homework_response'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.courseId, t.number] }),
    foreignKey({ name: 'craft_sessions_course_fk', columns: [t.programId, t.courseId], foreignColumns: [craftCourses.programId, craftCourses.id] }),
    check('craft_sessions_number_check', sql`${t.number} between 1 and 12`),
    check('craft_sessions_status_check', sql`${t.status} in ('scheduled', 'held', 'missed')`),
    check('craft_sessions_held_check', sql`(${t.status} = 'held') = (${t.heldOn} is not null)`),
  ],
);

/** The outcome CRAFT is judged by: whether and when the loved one entered treatment (append-only; the latest counts). */
export const craftOutcomes = pgTable(
  'craft_outcomes',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    courseId: uuid('course_id').notNull(),
    enteredTreatment: boolean('entered_treatment').notNull(),
    enteredOn: date('entered_on', { mode: 'string' }),
    /** Where, in the CSO's words (e.g. "this clinic", "a detox in the county"). */
    setting: text('setting'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    foreignKey({ name: 'craft_outcomes_course_fk', columns: [t.programId, t.courseId], foreignColumns: [craftCourses.programId, craftCourses.id] }),
    index('craft_outcomes_course_idx').on(t.programId, t.courseId, t.recordedAt),
    check('craft_outcomes_entered_check', sql`${t.enteredTreatment} = (${t.enteredOn} is not null)`),
  ],
);

/** A family member's own wellbeing questionnaire (PHQ-9, GAD-7 from the instrument library), scored by core/instruments. */
export const familyAssessments = pgTable(
  'family_assessments',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    familyMemberId: uuid('family_member_id').notNull(),
    instrument: text('instrument').notNull(),
    answers: jsonb('answers').$type<Record<string, number>>().notNull(),
    score: smallint('score').notNull(),
    severity: text('severity').notNull(),
    /** 'app' (the family member on their phone) or 'staff' (entered with them). */
    source: text('source').notNull(),
    enteredBy: uuid('entered_by').references(() => users.id),
    completedAt: ts('completed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    memberRef(t, 'family_assessments_member_fk'),
    index('family_assessments_member_idx').on(t.programId, t.familyMemberId, t.completedAt),
    check('family_assessments_source_check', sql`${t.source} in ('app', 'staff') and (${t.source} = 'staff') = (${t.enteredBy} is not null)`),
  ],
);

/** Behavioural couples therapy: the recovery contract a patient and their partner agreed (a new contract ends the old). */
export const recoveryContracts = pgTable(
  'recovery_contracts',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The partner (a family member linked to the patient). */
    familyMemberId: uuid('family_member_id').notNull(),
    /** The parts of the contract (keys in core/family/couples.ts) and the couple's own words. */
    terms: jsonb('terms').$type<string[]>().notNull(),
    ownTerms: text('own_terms'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endedAt: ts('ended_at'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'recovery_contracts_patient_fk'),
    memberRef(t, 'recovery_contracts_member_fk'),
    index('recovery_contracts_patient_idx').on(t.programId, t.patientId),
    index('recovery_contracts_member_idx').on(t.programId, t.familyMemberId),
    uniqueIndex('recovery_contracts_one_open')
      .on(t.programId, t.patientId)
      .where(sql`${t.endedAt} is null`),
  ],
);

/** The couple's calendar: one row per day, the latest word from either of them (or staff) counts. */
export const trustDiscussions = pgTable(
  'trust_discussions',
  {
    programId: uuid('program_id').notNull(),
    contractId: uuid('contract_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    held: boolean('held').notNull(),
    /** Whether the partner saw the day's medication taken; null when the contract has no such part or nobody said. */
    medicationWitnessed: boolean('medication_witnessed'),
    /** patient | partner | staff */
    recordedByKind: text('recorded_by_kind').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.contractId, t.day] }),
    foreignKey({ name: 'trust_discussions_contract_fk', columns: [t.programId, t.contractId], foreignColumns: [recoveryContracts.programId, recoveryContracts.id] }),
    check('trust_discussions_kind_check', sql`${t.recordedByKind} in ('patient', 'partner', 'staff') and (${t.recordedByKind} = 'staff') = (${t.recordedBy} is not null)`),
  ],
);

/** Network therapy: the friends and relatives who are part of the patient's team (an app user or not). */
export const networkMembers = pgTable(
  'network_members',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** Set when the member is a family member with the app (they may then record doses they witness). */
    familyMemberId: uuid('family_member_id'),
    displayName: text('display_name').notNull(),
    relationship: text('relationship').notNull(),
    /** What they do for the team, in plain words (e.g. "watches the morning dose"). */
    role: text('role'),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    leftOn: date('left_on', { mode: 'string' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'network_members_patient_fk'),
    memberRef(t, 'network_members_family_member_fk'),
    index('network_members_patient_idx').on(t.programId, t.patientId),
    index('network_members_family_member_idx').on(t.programId, t.familyMemberId),
  ],
);

/** A network meeting: the patient, the counsellor and the members who came. */
export const networkMeetings = pgTable(
  'network_meetings',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    /** Network member ids who attended. */
    attendees: jsonb('attendees').$type<string[]>().notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.id] }), patientRef(t, 'network_meetings_patient_fk'), index('network_meetings_patient_idx').on(t.programId, t.patientId, t.heldOn)],
);

/** A dose a network member saw the patient take (or saw missed): medication adherence outside the clinic. One per member and day. */
export const witnessedDoses = pgTable(
  'witnessed_doses',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    networkMemberId: uuid('network_member_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    taken: boolean('taken').notNull(),
    /** 'app' (the member on their phone) or 'staff' (told to staff). */
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'witnessed_doses_patient_fk'),
    foreignKey({ name: 'witnessed_doses_member_fk', columns: [t.programId, t.networkMemberId], foreignColumns: [networkMembers.programId, networkMembers.id] }),
    uniqueIndex('witnessed_doses_member_day').on(t.programId, t.networkMemberId, t.day),
    index('witnessed_doses_patient_idx').on(t.programId, t.patientId, t.day),
    check('witnessed_doses_source_check', sql`${t.source} in ('app', 'staff') and (${t.source} = 'staff') = (${t.recordedBy} is not null)`),
  ],
);

/** The family education lessons a family member finished in the app (content/family-education). */
export const familyLessons = pgTable(
  'family_lessons',
  {
    programId: uuid('program_id').notNull(),
    familyMemberId: uuid('family_member_id').notNull(),
    lesson: text('lesson').notNull(),
    finishedAt: ts('finished_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.familyMemberId, t.lesson] }), memberRef(t, 'family_lessons_member_fk')],
);
