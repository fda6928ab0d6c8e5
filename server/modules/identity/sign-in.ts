// Sign-in with email and password, then (when enrolled) a TOTP code or a recovery
// code. Five failures in a row lock the account for 15 minutes (core/access/lockout.ts).
// Every sign-in, failure and lock-out is audited, including those that fail.
//
// Under concurrency: the lock-out state is read under the row's lock (FOR UPDATE) and
// the failure is counted before that lock is released, so however many attempts arrive
// at once, only the first LOCKOUT_THRESHOLD failures are decided and the rest are
// refused as locked. The password hash is verified before the lock is taken (it takes
// tens of milliseconds; a lock held that long would let a burst of attempts on one
// account tie up the connection pool); its result is used only if the account is not
// locked at the moment of counting.
//
// Unknown emails: every attempt costs one argon2id verification (against a dummy hash
// when there is no usable account), and an email that is no account has a lock-out
// state of its own (sign_in_throttle), so the status, body and time of every answer are
// the same whether or not the email is an account.
import { and, eq, isNull } from 'drizzle-orm';
import { afterFailure, CLEARED, isLocked, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, type LockoutState } from '../../../core/access/lockout.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit, type AuditContext } from '../../platform/audit.ts';
import { auditContext, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { dummyPasswordHash, normaliseRecoveryCode, sha256, totpStep, verifyPassword } from '../../platform/security.ts';
import { organizations } from '../programs/programs.tables.ts';
import { recoveryCodes, signInThrottle, users } from './identity.tables.ts';
import { createSession, setSessionStage, type SessionStage } from './sessions.ts';

export { LOCKOUT_MINUTES, LOCKOUT_THRESHOLD };

export type SignInResult = { ok: true; token: string; stage: SessionStage; mustChangePassword: boolean } | { ok: false; error: AppError };

const badCredentials = () => new AppError({ code: 'invalid_credentials', status: 401, message: 'The email or password is not correct.' });
const locked = () =>
  new AppError({
    code: 'account_locked',
    status: 423,
    message: `This account is locked for ${LOCKOUT_MINUTES} minutes after too many failed attempts. Try again later or ask an administrator to unlock it.`,
  });

type UserRow = typeof users.$inferSelect;

/** Whose lock-out state an attempt counts against: an account, or an email that is none. */
type Subject = { kind: 'user'; userId: string } | { kind: 'email'; emailSha256: string };

const lockoutOf = (u: UserRow): LockoutState => ({ failures: u.failedSignIns, lastFailureAt: u.lastFailedSignInAt, lockedUntil: u.lockedUntil });

/** Reads the subject's lock-out state and holds its row's lock until the transaction ends (one statement either way). */
async function lockedState(tx: Tx, subject: Subject): Promise<LockoutState> {
  if (subject.kind === 'user') {
    const [u] = await tx
      .select({ failures: users.failedSignIns, lastFailureAt: users.lastFailedSignInAt, lockedUntil: users.lockedUntil })
      .from(users)
      .where(eq(users.id, subject.userId))
      .for('update');
    if (!u) throw new Error('user vanished during sign-in');
    return u;
  }
  // Insert the email's row, or lock the existing one (the no-op update takes the row lock).
  const [t] = await tx
    .insert(signInThrottle)
    .values({ emailSha256: subject.emailSha256, failures: 0 })
    .onConflictDoUpdate({ target: signInThrottle.emailSha256, set: { emailSha256: subject.emailSha256 } })
    .returning({ failures: signInThrottle.failures, lastFailureAt: signInThrottle.lastFailureAt, lockedUntil: signInThrottle.lockedUntil });
  return t!;
}

async function writeState(tx: Tx, subject: Subject, s: LockoutState, extra: { totpLastStep?: number } = {}): Promise<void> {
  if (subject.kind === 'user') {
    await tx
      .update(users)
      .set({ failedSignIns: s.failures, lastFailedSignInAt: s.lastFailureAt, lockedUntil: s.lockedUntil, ...extra })
      .where(eq(users.id, subject.userId));
  } else {
    await tx.update(signInThrottle).set({ failures: s.failures, lastFailureAt: s.lastFailureAt, lockedUntil: s.lockedUntil }).where(eq(signInThrottle.emailSha256, subject.emailSha256));
  }
}

/** Counts a failed attempt (the row is locked by the caller); returns true when this one locked. */
async function countFailure(tx: Tx, a: AuditContext, subject: Subject, state: LockoutState, now: Date): Promise<boolean> {
  const { state: next, lockedNow } = afterFailure(state, now);
  await writeState(tx, subject, next);
  if (lockedNow) {
    await writeAudit(
      tx,
      a,
      subject.kind === 'user'
        ? { action: 'lock-out', entity: 'user', entityId: subject.userId, outcome: 'denied', detail: { minutes: LOCKOUT_MINUTES } }
        : { action: 'lock-out', entity: 'email', outcome: 'denied', detail: { minutes: LOCKOUT_MINUTES, account: false } },
    );
  }
  return lockedNow;
}

export async function signIn(deps: { tx: Tx; ctx: Ctx }, input: { email: string; password: string }): Promise<SignInResult> {
  const { tx, ctx } = deps;
  const email = input.email.trim().toLowerCase();
  const [found] = await tx.select().from(users).where(eq(users.email, email));
  const user = found && found.active && found.kind === 'person' ? found : undefined;
  // One argon2id verification on every path, before any lock is taken.
  const passwordOk = (await verifyPassword(user ? user.passwordHash : await dummyPasswordHash(), input.password)) && !!user;
  const subject: Subject = user ? { kind: 'user', userId: user.id } : { kind: 'email', emailSha256: sha256(email) };
  const a = user ? auditContext(ctx, { orgId: user.orgId, actorId: user.id, programId: null }) : auditContext(ctx, { orgId: found?.orgId ?? null, programId: null });
  const why = user ? {} : { account: found ? 'inactive' : 'unknown-account' };

  const state = await lockedState(tx, subject);
  if (isLocked(state, ctx.now)) {
    await writeAudit(tx, a, { action: 'sign-in', entity: 'session', outcome: 'denied', detail: { reason: 'locked', ...why } });
    return { ok: false, error: locked() };
  }
  if (!user || !passwordOk) {
    await writeAudit(tx, a, { action: 'sign-in', entity: 'session', outcome: 'failure', detail: user ? { reason: 'password' } : { reason: why.account } });
    const nowLocked = await countFailure(tx, a, subject, state, ctx.now);
    return { ok: false, error: nowLocked ? locked() : badCredentials() };
  }
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, user.orgId));
  if (!org) throw new Error('user without organisation');
  const stage: SessionStage = user.mfaEnabled ? 'mfa_pending' : org.mfaRequired ? 'mfa_setup' : 'active';
  await writeState(tx, subject, CLEARED);
  const { token, sessionId } = await createSession(tx, {
    userId: user.id,
    stage,
    lifetimeHours: org.sessionLifetimeHours,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    now: ctx.now,
  });
  await writeAudit(tx, a, { action: 'sign-in', entity: 'session', entityId: sessionId, outcome: 'success', detail: { stage } });
  return { ok: true, token, stage, mustChangePassword: user.mustChangePassword };
}

/**
 * The second factor: a 6-digit TOTP code, or one of the user's unused recovery codes.
 * Checked under the account's row lock: a locked account is refused before the code is
 * looked at, failures count towards the same lock-out as passwords, and a TOTP code is
 * accepted only for a time-step later than the last one accepted for this account (so
 * one code, given by two sessions at once, is accepted once).
 */
export async function verifySecondFactor(deps: { tx: Tx; ctx: Ctx }, input: { code: string } | { recoveryCode: string }): Promise<{ ok: true } | { ok: false; error: AppError }> {
  const { tx, ctx } = deps;
  const p = ctx.principal!;
  if (p.stage !== 'mfa_pending') {
    return { ok: false, error: new AppError({ code: 'mfa_not_pending', status: 409, message: 'No second factor is being asked for.' }) };
  }
  const [user] = await tx.select().from(users).where(eq(users.id, p.userId)).for('update');
  if (!user) throw new Error('session without user');
  const a = auditContext(ctx, { programId: null });
  const subject: Subject = { kind: 'user', userId: user.id };
  const state = lockoutOf(user);
  if (isLocked(state, ctx.now)) {
    await writeAudit(tx, a, { action: 'mfa-verify', entity: 'session', entityId: p.sessionId, outcome: 'denied', detail: { reason: 'locked' } });
    return { ok: false, error: locked() };
  }
  let passed = false;
  let method = 'totp';
  let acceptedStep: number | undefined;
  let replayed = false;
  if ('code' in input) {
    const step = user.mfaSecret ? totpStep(user.mfaSecret, input.code, ctx.now) : null;
    replayed = step !== null && user.totpLastStep !== null && step <= user.totpLastStep;
    passed = step !== null && !replayed;
    if (passed) acceptedStep = step!;
  } else {
    method = 'recovery-code';
    const used = await tx
      .update(recoveryCodes)
      .set({ usedAt: ctx.now })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, sha256(normaliseRecoveryCode(input.recoveryCode))), isNull(recoveryCodes.usedAt)))
      .returning({ h: recoveryCodes.codeHash });
    passed = used.length === 1;
  }
  if (!passed) {
    await writeAudit(tx, a, { action: 'mfa-verify', entity: 'session', entityId: p.sessionId, outcome: 'failure', detail: { method, ...(replayed ? { reason: 'code-already-used' } : {}) } });
    const nowLocked = await countFailure(tx, a, subject, state, ctx.now);
    return {
      ok: false,
      error: nowLocked
        ? locked()
        : replayed
          ? new AppError({
              code: 'invalid_code',
              status: 401,
              message: 'That code was already used. Wait for the next code in your authenticator app.',
              problems: [{ field: 'body.code', message: 'was already used' }],
            })
          : new AppError({
              code: 'invalid_code',
              status: 401,
              message: 'That code is not correct. Check your authenticator app and try again.',
              problems: [{ field: 'body.code', message: 'is not correct' }],
            }),
    };
  }
  await writeState(tx, subject, CLEARED, acceptedStep === undefined ? {} : { totpLastStep: acceptedStep });
  await setSessionStage(tx, p.sessionId, 'active');
  await writeAudit(tx, a, { action: 'mfa-verify', entity: 'session', entityId: p.sessionId, outcome: 'success', detail: { method } });
  return { ok: true };
}
