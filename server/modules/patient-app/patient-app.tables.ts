// The patient app's identity (ADR 030, docs/patient-app.md): invites staff give a patient,
// the devices a patient activated (each with its own public key, PIN hash and lock-out
// state; or, for a passkey, its WebAuthn credential, ADR 039), the unlock challenges those
// devices sign, the passkey registration challenges, and patient sessions. Every table
// carries the tenant key program_id and its keys include it; only SHA-256 hashes of
// codes and tokens and argon2id hashes of PINs are stored.
import { bigint, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { familyMembers } from '../consent/consent.tables.ts';

const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });
const familyRef = (t: { programId: AnyPgColumn; familyMemberId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.familyMemberId], foreignColumns: [familyMembers.programId, familyMembers.id] });
/** The app is used by patients and by family members (issue 16, ADR 053): each row is one person's, exactly one of the two. */
const oneHolder = (t: { patientId: AnyPgColumn; familyMemberId: AnyPgColumn }, name: string) => check(name, sql`(${t.patientId} is null) <> (${t.familyMemberId} is null)`);

/** A single-use activation code (7 days). Issuing a new one revokes the patient's open one. */
export const patientInvites = pgTable(
  'patient_invites',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id'),
    familyMemberId: uuid('family_member_id'),
    codeHash: text('code_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'patient_invites_patient_fk'),
    familyRef(t, 'patient_invites_family_member_fk'),
    oneHolder(t, 'patient_invites_holder_check'),
    // The code the patient types names no programme: this index finds it (once per activation).
    uniqueIndex('patient_invites_code_key').on(t.codeHash),
    index('patient_invites_patient_idx').on(t.programId, t.patientId),
    index('patient_invites_family_member_idx').on(t.programId, t.familyMemberId),
  ],
);

/** How a device unlocks: its own key and a PIN (ADR 030), or a passkey, the phone's screen lock (ADR 039). */
export const DEVICE_KINDS = ['pin', 'passkey'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A phone (or other browser) a patient activated, and its lock-out state. A 'pin' device has its
 * public key (ECDSA P-256, JWK) and its PIN's hash; a 'passkey' device has its WebAuthn
 * credential (id, COSE public key, signature counter, transports) and the random user handle
 * it was made for. A check constraint keeps each kind's columns filled.
 */
export const patientDevices = pgTable(
  'patient_devices',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id'),
    familyMemberId: uuid('family_member_id'),
    inviteId: uuid('invite_id').notNull(),
    kind: text('kind').$type<DeviceKind>().notNull().default('pin'),
    publicKey: jsonb('public_key').$type<JsonWebKey>(),
    pinHash: text('pin_hash'),
    /** The passkey's credential id (base64url), as the authenticator made it. */
    credentialId: text('credential_id'),
    /** The passkey's public key: a COSE key, base64url. */
    credentialPublicKey: text('credential_public_key'),
    /** The authenticator's signature counter at the last unlock (0 when it keeps none). */
    signCount: bigint('sign_count', { mode: 'number' }),
    transports: jsonb('transports').$type<string[]>(),
    /** The WebAuthn user handle: random, never the patient's name or id. */
    userHandle: text('user_handle'),
    /** A short description of the browser from its User-Agent ("Chrome on Android"), for staff to tell devices apart. */
    label: text('label').notNull(),
    // The lock-out state (core/access/lockout.ts), read and written under the row's lock.
    failedUnlocks: integer('failed_unlocks').notNull().default(0),
    lastFailedUnlockAt: timestamp('last_failed_unlock_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUnlockedAt: timestamp('last_unlocked_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'patient_devices_patient_fk'),
    familyRef(t, 'patient_devices_family_member_fk'),
    oneHolder(t, 'patient_devices_holder_check'),
    index('patient_devices_patient_idx').on(t.programId, t.patientId),
    index('patient_devices_family_member_idx').on(t.programId, t.familyMemberId),
    uniqueIndex('patient_devices_credential_key').on(t.programId, t.credentialId),
    check(
      'patient_devices_kind_check',
      sql`(${t.kind} = 'pin' and ${t.publicKey} is not null and ${t.pinHash} is not null) or (${t.kind} = 'passkey' and ${t.credentialId} is not null and ${t.credentialPublicKey} is not null and ${t.signCount} is not null and ${t.userHandle} is not null)`,
    ),
  ],
);

const deviceRef = (t: { programId: AnyPgColumn; deviceId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.deviceId], foreignColumns: [patientDevices.programId, patientDevices.id] });

/** A random challenge a device must sign to unlock: used once, within CHALLENGE_SECONDS. */
export const patientUnlockChallenges = pgTable(
  'patient_unlock_challenges',
  {
    programId: uuid('program_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    challengeHash: text('challenge_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.deviceId, t.challengeHash] }), deviceRef(t, 'patient_unlock_challenges_device_fk'), index('patient_unlock_challenges_expires_idx').on(t.expiresAt)],
);

/** A patient's signed-in session on one device (cookie wp_patient, path /api/patient). */
export const patientAppSessions = pgTable(
  'patient_app_sessions',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id'),
    familyMemberId: uuid('family_member_id'),
    deviceId: uuid('device_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    deviceRef(t, 'patient_app_sessions_device_fk'),
    oneHolder(t, 'patient_app_sessions_holder_check'),
    uniqueIndex('patient_app_sessions_token_key').on(t.programId, t.tokenHash),
    index('patient_app_sessions_device_idx').on(t.programId, t.deviceId),
  ],
);

/**
 * A passkey registration in progress (ADR 039): the challenge the phone's authenticator must
 * sign, bound to the invite whose code was given and to the random user handle offered; used
 * once, within CHALLENGE_SECONDS. Only the challenge's SHA-256 is kept.
 */
export const patientPasskeyRegistrations = pgTable(
  'patient_passkey_registrations',
  {
    programId: uuid('program_id').notNull(),
    inviteId: uuid('invite_id').notNull(),
    challengeHash: text('challenge_hash').notNull(),
    userHandle: text('user_handle').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.inviteId, t.challengeHash] }),
    foreignKey({ name: 'patient_passkey_registrations_invite_fk', columns: [t.programId, t.inviteId], foreignColumns: [patientInvites.programId, patientInvites.id] }),
    index('patient_passkey_registrations_expires_idx').on(t.expiresAt),
  ],
);

/**
 * Which patients' live streams a server process holds (ADR 063): one row per process (`hub_id`,
 * random at start) and patient while at least one of the patient's streams is open there. The
 * CM tables' trigger notifies only patients listed here, so a recording for a patient whose app
 * is not open takes no part in NOTIFY's database-wide commit lock. Two ids and a time; the
 * process refreshes `seen_at` and removes rows of processes gone for 10 minutes.
 */
export const patientEventListeners = pgTable(
  'patient_event_listeners',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    hubId: uuid('hub_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.patientId, t.hubId] }), index('patient_event_listeners_hub_idx').on(t.hubId)],
);
