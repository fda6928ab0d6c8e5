// Password change by the user, and reset by an administrator (a temporary password
// the user must change at next sign-in). Both end the user's other sessions.
import { eq } from 'drizzle-orm';
import { checkPassword } from '../../../core/access/password-policy.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx } from '../../platform/http/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { commonPasswords, hashPassword, newToken, verifyPassword } from '../../platform/security.ts';
import { users } from './identity.tables.ts';
import { revokeAllSessions } from './sessions.ts';

export function assertAcceptablePassword(password: string, who: { email: string; displayName: string }, field = 'body.newPassword') {
  const verdict = checkPassword(password, { common: commonPasswords(), email: who.email, displayName: who.displayName });
  if (!verdict.ok) throw invalid(field, verdict.reason, 'weak_password');
}

export async function changePassword(deps: { tx: Tx; ctx: Ctx }, input: { currentPassword: string; newPassword: string }) {
  const { tx, ctx } = deps;
  const [user] = await tx.select().from(users).where(eq(users.id, ctx.principal!.userId));
  if (!user) throw new Error('session without user');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError({ code: 'invalid_credentials', status: 400, message: 'Your current password is not correct.', problems: [{ field: 'body.currentPassword', message: 'is not correct' }] });
  }
  if (input.newPassword === input.currentPassword) throw invalid('body.newPassword', 'Choose a password different from the current one.', 'weak_password');
  assertAcceptablePassword(input.newPassword, user);
  await tx
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, updatedAt: ctx.now })
    .where(eq(users.id, user.id));
  const ended = await revokeAllSessions(tx, user.id, ctx.now, ctx.principal!.sessionId);
  await writeAudit(tx, auditContext(ctx, { programId: null }), { action: 'password-change', entity: 'user', entityId: user.id, detail: { otherSessionsEnded: ended } });
}

/** A readable temporary password that passes the policy. */
export function temporaryPassword(): string {
  return `wp-${newToken(12)}`;
}
