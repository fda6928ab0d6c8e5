// Sign-in with email and password, then (when enrolled) a TOTP code or a recovery
// code. Five failures in a row lock the account for 15 minutes. Every sign-in,
// failure and lock-out is audited, including those that fail.
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { checkTotp, dummyPasswordHash, normaliseRecoveryCode, sha256, verifyPassword } from '../../platform/security.ts';
import { organizations } from '../programs/programs.tables.ts';
import { recoveryCodes, users } from './identity.tables.ts';
import { createSession, setSessionStage, type SessionStage } from './sessions.ts';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

export type SignInResult =
  | { ok: true; token: string; stage: SessionStage; mustChangePassword: boolean }
  | { ok: false; error: AppError };

const badCredentials = () =>
  new AppError({ code: 'invalid_credentials', status: 401, message: 'The email or password is not correct.' });
const locked = () =>
  new AppError({
    code: 'account_locked',
    status: 423,
    message: `This account is locked for ${LOCKOUT_MINUTES} minutes after too many failed attempts. Try again later or ask an administrator to unlock it.`,
  });

type UserRow = typeof users.$inferSelect;

/** Counts a failed attempt; returns true when this one locked the account. */
async function recordFailure(tx: Tx, ctx: Ctx, user: UserRow): Promise<boolean> {
  const failures = user.failedSignIns + 1;
  const lockNow = failures >= LOCKOUT_THRESHOLD;
  await tx
    .update(users)
    .set(lockNow
      ? { failedSignIns: 0, lockedUntil: new Date(ctx.now.getTime() + LOCKOUT_MINUTES * 60_000) }
      : { failedSignIns: failures })
    .where(eq(users.id, user.id));
  const a = auditContext(ctx, { orgId: user.orgId, actorId: user.id, programId: null });
  if (lockNow) await writeAudit(tx, a, { action: 'lock-out', entity: 'user', entityId: user.id, outcome: 'denied', detail: { minutes: LOCKOUT_MINUTES } });
  return lockNow;
}

export async function signIn(deps: { tx: Tx; ctx: Ctx }, input: { email: string; password: string }): Promise<SignInResult> {
  const { tx, ctx } = deps;
  const email = input.email.trim().toLowerCase();
  const [user] = await tx.select().from(users).where(eq(users.email, email));
  if (!user || !user.active || user.kind !== 'person') {
    await verifyPassword(await dummyPasswordHash(), input.password); // same time either way
    await writeAudit(tx, auditContext(ctx, { orgId: user?.orgId ?? null, programId: null }), {
      action: 'sign-in', entity: 'session', outcome: 'failure', detail: { reason: user ? 'inactive' : 'unknown-account' },
    });
    return { ok: false, error: badCredentials() };
  }
  const a = auditContext(ctx, { orgId: user.orgId, actorId: user.id, programId: null });
  if (user.lockedUntil && user.lockedUntil.getTime() > ctx.now.getTime()) {
    await writeAudit(tx, a, { action: 'sign-in', entity: 'session', outcome: 'denied', detail: { reason: 'locked' } });
    return { ok: false, error: locked() };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await writeAudit(tx, a, { action: 'sign-in', entity: 'session', outcome: 'failure', detail: { reason: 'password' } });
    const nowLocked = await recordFailure(tx, ctx, user);
    return { ok: false, error: nowLocked ? locked() : badCredentials() };
  }
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, user.orgId));
  if (!org) throw new Error('user without organisation');
  const stage: SessionStage = user.mfaEnabled ? 'mfa_pending' : org.mfaRequired ? 'mfa_setup' : 'active';
  await tx.update(users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(users.id, user.id));
  const { token, sessionId } = await createSession(tx, {
    userId: user.id, stage, lifetimeHours: org.sessionLifetimeHours, ip: ctx.meta.ip, userAgent: ctx.meta.userAgent, now: ctx.now,
  });
  await writeAudit(tx, a, { action: 'sign-in', entity: 'session', entityId: sessionId, outcome: 'success', detail: { stage } });
  return { ok: true, token, stage, mustChangePassword: user.mustChangePassword };
}

/** The second factor: a 6-digit TOTP code, or one of the user's unused recovery codes. */
export async function verifySecondFactor(
  deps: { tx: Tx; ctx: Ctx },
  input: { code: string } | { recoveryCode: string },
): Promise<{ ok: true } | { ok: false; error: AppError }> {
  const { tx, ctx } = deps;
  const p = ctx.principal!;
  if (p.stage !== 'mfa_pending') {
    return { ok: false, error: new AppError({ code: 'mfa_not_pending', status: 409, message: 'No second factor is being asked for.' }) };
  }
  const [user] = await tx.select().from(users).where(eq(users.id, p.userId));
  if (!user) throw new Error('session without user');
  const a = auditContext(ctx, { programId: null });
  if (user.lockedUntil && user.lockedUntil.getTime() > ctx.now.getTime()) return { ok: false, error: locked() };
  let passed = false;
  let method = 'totp';
  if ('code' in input) {
    passed = !!user.mfaSecret && checkTotp(user.mfaSecret, input.code, ctx.now);
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
    await writeAudit(tx, a, { action: 'mfa-verify', entity: 'session', entityId: p.sessionId, outcome: 'failure', detail: { method } });
    const nowLocked = await recordFailure(tx, ctx, user);
    return {
      ok: false,
      error: nowLocked ? locked() : new AppError({ code: 'invalid_code', status: 401, message: 'That code is not correct. Check your authenticator app and try again.', problems: [{ field: 'body.code', message: 'is not correct' }] }),
    };
  }
  await tx.update(users).set({ failedSignIns: 0 }).where(eq(users.id, user.id));
  await setSessionStage(tx, p.sessionId, 'active');
  await writeAudit(tx, a, { action: 'mfa-verify', entity: 'session', entityId: p.sessionId, outcome: 'success', detail: { method } });
  return { ok: true };
}
