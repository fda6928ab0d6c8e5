// Identity tables are global (Citus reference tables): staff accounts, their roles
// per programme, auth sessions and MFA recovery codes. An auth session is a sign-in,
// never a clinical visit (those are encounters).
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, programs } from '../programs/programs.tables.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** A direct work number (E.164) patients on the person's caseloads may call from Help now; null: the clinic's number. */
    workPhone: text('work_phone'),
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    mfaSecret: text('mfa_secret'),
    mfaEnabled: boolean('mfa_enabled').notNull().default(false),
    /** The TOTP time-step (Unix time / 30 s) of the last code accepted: each is accepted once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    // The lock-out state (core/access/lockout.ts), read and written under the row's lock.
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lastFailedSignInAt: timestamp('last_failed_sign_in_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    kind: text('kind').notNull().default('person'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email), index('users_org_idx').on(t.orgId)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    role: text('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.programId, t.role] }), index('role_assignments_program_idx').on(t.programId)],
);

/**
 * Roles held in the whole organisation, not in one programme (core/access/roles.ts
 * ORGANIZATION_ROLES): the organisation administrator (ADR 020).
 */
export const organizationRoleAssignments = pgTable(
  'organization_role_assignments',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    role: text('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgId, t.role] }), index('organization_role_assignments_org_idx').on(t.orgId)],
);

export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    // 'active' | 'mfa_pending' (password accepted, second factor not yet) |
    // 'mfa_setup' (organisation requires MFA, user must enrol before anything else)
    stage: text('stage').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('auth_sessions_token_key').on(t.tokenHash), index('auth_sessions_user_idx').on(t.userId)],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * The lock-out state of an email that is no usable account (unknown, inactive or a
 * service account), kept exactly as an account's is so that the answers to sign-in
 * attempts do not tell which emails are accounts. Keyed by the SHA-256 of the
 * normalised email; rows without a failure for FAILURE_MEMORY_HOURS are deleted.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    emailSha256: text('email_sha256').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [index('sign_in_throttle_last_failure_idx').on(t.lastFailureAt)],
);
