// Staff administration within a programme: accounts (global to the organisation) and
// their roles in this programme, password resets and unlocks. Administrators cannot
// lock themselves out (no removing their own administrator role or deactivating
// themselves).
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { isStaffRole, type StaffRole } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/security.ts';
import { roleAssignments, users } from './identity.tables.ts';
import { temporaryPassword } from './passwords.ts';
import { forgetSessions, revokeAllSessions } from './sessions.ts';

export type StaffDto = {
  id: string;
  email: string;
  displayName: string;
  active: boolean;
  mfaEnabled: boolean;
  locked: boolean;
  roles: StaffRole[];
};

function toDto(u: typeof users.$inferSelect, roles: string[], now: Date): StaffDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    active: u.active,
    mfaEnabled: u.mfaEnabled,
    locked: !!u.lockedUntil && u.lockedUntil.getTime() > now.getTime(),
    roles: roles.filter(isStaffRole).sort(),
  };
}

/** Staff with a role in the programme, by name, keyset-paginated (cursor = last id on the page). */
export async function listStaff(deps: { tx: Tx; ctx: Ctx }, page: { limit: number; cursor?: string | undefined }): Promise<{ items: StaffDto[]; nextCursor: string | null }> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const inProgram = sql`exists (select 1 from ${roleAssignments} ra where ra.user_id = ${users.id} and ra.program_id = ${programId})`;
  let after: SQL | undefined;
  if (page.cursor) {
    if (!/^[0-9a-f-]{36}$/i.test(page.cursor)) throw invalid('query.cursor', 'The page cursor is not valid.');
    after = sql`(${users.displayName}, ${users.id}) > (select u.display_name, u.id from ${users} u where u.id = ${page.cursor})`;
  }
  const rows = await tx.select().from(users).where(and(inProgram, after)).orderBy(asc(users.displayName), asc(users.id)).limit(page.limit + 1);
  const more = rows.length > page.limit;
  const people = more ? rows.slice(0, page.limit) : rows;
  const roles = people.length === 0 ? [] : await tx.select().from(roleAssignments)
    .where(and(eq(roleAssignments.programId, programId), inArray(roleAssignments.userId, people.map((u) => u.id))));
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'staff', detail: { count: people.length } });
  return {
    items: people.map((u) => toDto(u, roles.filter((r) => r.userId === u.id).map((r) => r.role), ctx.now)),
    nextCursor: more ? people[people.length - 1]!.id : null,
  };
}

async function loadInProgram(tx: Tx, programId: string, userId: string) {
  const rows = await tx
    .select({ user: users, role: roleAssignments.role })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, userId)));
  const first = rows[0];
  if (!first) throw notFound('Staff member');
  return { user: first.user, roles: rows.map((r) => r.role) };
}

export async function createStaff(
  deps: { tx: Tx; ctx: Ctx },
  input: { email: string; displayName: string; roles: StaffRole[] },
): Promise<{ staff: StaffDto; temporaryPassword: string }> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const email = input.email.trim().toLowerCase();
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw conflict('email_taken', 'An account with this email already exists.', 'body.email');
  const id = randomUUID();
  const password = temporaryPassword();
  await tx.insert(users).values({
    id, orgId: ctx.orgId!, email, displayName: input.displayName.trim(), passwordHash: await hashPassword(password),
    mustChangePassword: true, createdAt: ctx.now, updatedAt: ctx.now,
  });
  const roles = [...new Set(input.roles)];
  await tx.insert(roleAssignments).values(roles.map((role) => ({ userId: id, programId, role, createdAt: ctx.now })));
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'user', entityId: id, detail: { roles } });
  const { user } = await loadInProgram(tx, programId, id);
  return { staff: toDto(user, roles, ctx.now), temporaryPassword: password };
}

export async function updateStaff(
  deps: { tx: Tx; ctx: Ctx },
  userId: string,
  input: { displayName?: string | undefined; roles?: StaffRole[] | undefined; active?: boolean | undefined },
): Promise<StaffDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const current = await loadInProgram(tx, programId, userId);
  const self = userId === ctx.principal?.userId;
  if (self && input.active === false) throw conflict('cannot_deactivate_self', 'You cannot deactivate your own account.', 'body.active');
  if (self && input.roles && !input.roles.includes('administrator') && current.roles.includes('administrator')) {
    throw conflict('cannot_remove_own_admin', 'You cannot remove your own administrator role. Ask another administrator.', 'body.roles');
  }
  if (input.roles && input.roles.length === 0) {
    throw new AppError({ code: 'invalid_input', status: 400, message: 'Give at least one role.', problems: [{ field: 'body.roles', message: 'give at least one role' }] });
  }
  const changes: Record<string, unknown> = {};
  if (input.displayName !== undefined || input.active !== undefined) {
    await tx.update(users).set({
      ...(input.displayName !== undefined ? { displayName: input.displayName.trim() } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updatedAt: ctx.now,
    }).where(eq(users.id, userId));
    if (input.displayName !== undefined) changes.displayName = true;
    if (input.active !== undefined) changes.active = input.active;
    if (input.active === false) await revokeAllSessions(tx, userId, ctx.now);
  }
  if (input.roles) {
    const roles = [...new Set(input.roles)];
    await tx.delete(roleAssignments).where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, userId)));
    await tx.insert(roleAssignments).values(roles.map((role) => ({ userId, programId, role, createdAt: ctx.now })));
    changes.roles = roles;
  }
  forgetSessions({ userId }); // roles, name or state changed: the next request reads them afresh
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'user', entityId: userId, detail: changes });
  const after = await loadInProgram(tx, programId, userId);
  return toDto(after.user, after.roles, ctx.now);
}

/** Administrator reset: a temporary password, MFA optionally cleared, lock lifted, sessions ended. */
export async function resetStaffPassword(
  deps: { tx: Tx; ctx: Ctx },
  userId: string,
  opts: { resetMfa: boolean },
): Promise<{ temporaryPassword: string }> {
  const { tx, ctx } = deps;
  await loadInProgram(tx, programOf(ctx), userId);
  const password = temporaryPassword();
  await tx.update(users).set({
    passwordHash: await hashPassword(password), mustChangePassword: true, failedSignIns: 0, lastFailedSignInAt: null, lockedUntil: null, updatedAt: ctx.now,
    ...(opts.resetMfa ? { mfaEnabled: false, mfaSecret: null } : {}),
  }).where(eq(users.id, userId));
  await revokeAllSessions(tx, userId, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'password-reset', entity: 'user', entityId: userId, detail: { resetMfa: opts.resetMfa } });
  return { temporaryPassword: password };
}
