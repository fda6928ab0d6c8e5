// TOTP enrolment: the user gets a secret (shown as a key and an otpauth:// link), proves
// it with one code, and receives ten one-time recovery codes.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, sha256, totpStep, totpUri } from '../../platform/security.ts';
import { recoveryCodes, users } from './identity.tables.ts';
import { setSessionStage } from './sessions.ts';

/** The signed-in user's row, locked until the transaction ends (two confirmations at once: one wins). */
async function currentUser(tx: Tx, ctx: Ctx) {
  const [user] = await tx.select().from(users).where(eq(users.id, ctx.principal!.userId)).for('update');
  if (!user) throw new Error('session without user');
  return user;
}

export async function beginMfaSetup(deps: { tx: Tx; ctx: Ctx }): Promise<{ secret: string; uri: string }> {
  const { tx, ctx } = deps;
  const user = await currentUser(tx, ctx);
  if (user.mfaEnabled) throw new AppError({ code: 'mfa_already_enabled', status: 409, message: 'Two-step sign-in is already on for this account.' });
  const secret = newTotpSecret();
  await tx.update(users).set({ mfaSecret: secret, updatedAt: ctx.now }).where(eq(users.id, user.id));
  await writeAudit(tx, auditContext(ctx, { programId: null }), { action: 'mfa-setup-start', entity: 'user', entityId: user.id });
  return { secret, uri: totpUri(secret, user.email) };
}

export async function confirmMfaSetup(deps: { tx: Tx; ctx: Ctx }, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const { tx, ctx } = deps;
  const user = await currentUser(tx, ctx);
  if (user.mfaEnabled) throw new AppError({ code: 'mfa_already_enabled', status: 409, message: 'Two-step sign-in is already on for this account.' });
  if (!user.mfaSecret) throw new AppError({ code: 'mfa_setup_not_started', status: 409, message: 'Start two-step sign-in set-up first.' });
  const step = totpStep(user.mfaSecret, input.code, ctx.now);
  if (step === null) {
    throw new AppError({
      code: 'invalid_code',
      status: 400,
      message: 'That code is not correct. Check the time on your phone and try again.',
      problems: [{ field: 'body.code', message: 'is not correct' }],
    });
  }
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: sha256(normaliseRecoveryCode(c)) })));
  // The confirming code's time-step is spent: it cannot also pass a sign-in.
  await tx.update(users).set({ mfaEnabled: true, totpLastStep: step, updatedAt: ctx.now }).where(eq(users.id, user.id));
  await setSessionStage(tx, ctx.principal!.sessionId, 'active');
  await writeAudit(tx, auditContext(ctx, { programId: null }), { action: 'mfa-enable', entity: 'user', entityId: user.id });
  return { recoveryCodes: codes };
}
