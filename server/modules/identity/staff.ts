// Staff administration within a programme: accounts (global to the organisation) and
// their roles in this programme, password resets and unlocks. Administrators cannot
// lock themselves out (no removing their own administrator role or deactivating
// themselves). Acting on an existing account needs more than `manage:staff` here: the
// account's every role must lie in a programme the caller administers, unless the
// caller is an organisation administrator (core/access/roles.ts mayActOnAccount, ADR 020).
// Only an organisation administrator grants or takes away that role.
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { isStaffRole, mayActOnAccount, type AccountRoles, type StaffRole } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/security.ts';
import { toE164 } from '../../../core/messages/phone.ts';
import { organizationRoleAssignments, roleAssignments, users } from './identity.tables.ts';
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
  workPhone: string | null;
  /** Holds the organisation-administrator role (organisation-wide, not in this programme). */
  organizationAdministrator: boolean;
  /** Whether the caller may act on this account (edit, deactivate, reset): see mayActOnAccount. */
  manageable: boolean;
};

const ORG_ADMIN = 'organization-administrator';

function toDto(u: typeof users.$inferSelect, roles: string[], account: AccountRoles, actor: AccountRoles, now: Date): StaffDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    active: u.active,
    mfaEnabled: u.mfaEnabled,
    locked: !!u.lockedUntil && u.lockedUntil.getTime() > now.getTime(),
    roles: roles.filter(isStaffRole).sort(),
    workPhone: u.workPhone,
    organizationAdministrator: account.organizationRoles.includes(ORG_ADMIN),
    manageable: mayActOnAccount(actor, account),
  };
}

/** Every role of these accounts, in every programme and in the organisation. */
async function accountRolesOf(tx: Tx, orgId: string, userIds: string[]): Promise<Map<string, AccountRoles>> {
  const out = new Map<string, { programRoles: Array<{ programId: string; role: string }>; organizationRoles: string[] }>(userIds.map((id) => [id, { programRoles: [], organizationRoles: [] }]));
  if (userIds.length === 0) return out;
  const programRows = await tx
    .select({ userId: roleAssignments.userId, programId: roleAssignments.programId, role: roleAssignments.role })
    .from(roleAssignments)
    .where(inArray(roleAssignments.userId, userIds));
  const orgRows = await tx
    .select({ userId: organizationRoleAssignments.userId, role: organizationRoleAssignments.role })
    .from(organizationRoleAssignments)
    .where(and(eq(organizationRoleAssignments.orgId, orgId), inArray(organizationRoleAssignments.userId, userIds)));
  for (const r of programRows) out.get(r.userId)!.programRoles.push({ programId: r.programId, role: r.role });
  for (const r of orgRows) out.get(r.userId)!.organizationRoles.push(r.role);
  return out;
}

const actorOf = (ctx: Ctx) => ctx.principal?.userId ?? '';

/** The caller and the account acted on, with all their roles; refuses (audited, 403) an account outside the caller's reach. */
async function requireActOnAccount(tx: Tx, ctx: Ctx, userId: string, action: string) {
  const roles = await accountRolesOf(tx, ctx.orgId!, [actorOf(ctx), userId]);
  const actor = roles.get(actorOf(ctx))!;
  const target = roles.get(userId)!;
  if (!mayActOnAccount(actor, target)) {
    throw new AppError({
      code: 'account_outside_your_programmes',
      status: 403,
      message: 'This account also works in programmes you do not administer (or is an organisation administrator). Ask an organisation administrator.',
      audit: { action: 'access-denied', entity: 'user', entityId: userId, outcome: 'denied', detail: { attempted: action, reason: 'account-outside-your-programmes' } },
    });
  }
  return { actor, target };
}

/** Granting or taking away the organisation-administrator role is for organisation administrators only (audited, 403). */
function requireOrganizationAdministrator(actor: AccountRoles, userId: string | null, field: string) {
  if (actor.organizationRoles.includes(ORG_ADMIN)) return;
  throw new AppError({
    code: 'organization_administrator_required',
    status: 403,
    message: 'Only an organisation administrator can grant or remove the organisation-administrator role.',
    problems: [{ field, message: 'only an organisation administrator can change this' }],
    audit: { action: 'access-denied', entity: 'user', entityId: userId, outcome: 'denied', detail: { attempted: 'organization-role', reason: 'organization-administrator-required' } },
  });
}

async function setOrganizationAdministrator(tx: Tx, ctx: Ctx, userId: string, on: boolean) {
  if (on) {
    await tx.insert(organizationRoleAssignments).values({ userId, orgId: ctx.orgId!, role: ORG_ADMIN, createdAt: ctx.now }).onConflictDoNothing();
  } else {
    await tx
      .delete(organizationRoleAssignments)
      .where(and(eq(organizationRoleAssignments.userId, userId), eq(organizationRoleAssignments.orgId, ctx.orgId!), eq(organizationRoleAssignments.role, ORG_ADMIN)));
  }
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
  const rows = await tx
    .select()
    .from(users)
    .where(and(inProgram, after))
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const people = more ? rows.slice(0, page.limit) : rows;
  const accounts = await accountRolesOf(tx, ctx.orgId!, [...new Set([actorOf(ctx), ...people.map((u) => u.id)])]);
  const actor = accounts.get(actorOf(ctx))!;
  const inThisProgram = (id: string) =>
    accounts
      .get(id)!
      .programRoles.filter((r) => r.programId === programId)
      .map((r) => r.role);
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'staff', detail: { count: people.length } });
  return {
    items: people.map((u) => toDto(u, inThisProgram(u.id), accounts.get(u.id)!, actor, ctx.now)),
    nextCursor: more ? people[people.length - 1]!.id : null,
  };
}

/** The account as this programme's staff list shows it (refuses one with no role here: 404). */
async function staffDto(tx: Tx, ctx: Ctx, userId: string): Promise<StaffDto> {
  const { user, roles } = await loadInProgram(tx, programOf(ctx), userId);
  const accounts = await accountRolesOf(tx, ctx.orgId!, [actorOf(ctx), userId]);
  return toDto(user, roles, accounts.get(userId)!, accounts.get(actorOf(ctx))!, ctx.now);
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

/** A work phone as typed, in E.164 (undefined: not given; null: none); a 400 naming the field when it cannot be a number. */
function workPhoneOf(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return null;
  const phone = toE164(raw);
  if (!phone) throw new AppError({ code: 'invalid_input', status: 400, message: 'Give a phone number, e.g. +1 555 555 0123.', problems: [{ field: 'body.workPhone', message: 'not a phone number' }] });
  return phone;
}

export async function createStaff(
  deps: { tx: Tx; ctx: Ctx },
  input: { email: string; displayName: string; roles: StaffRole[]; workPhone?: string | null | undefined; organizationAdministrator?: boolean | undefined },
): Promise<{ staff: StaffDto; temporaryPassword: string }> {
  const { tx, ctx } = deps;
  const workPhone = workPhoneOf(input.workPhone);
  const programId = programOf(ctx);
  if (input.organizationAdministrator) {
    const actor = (await accountRolesOf(tx, ctx.orgId!, [actorOf(ctx)])).get(actorOf(ctx))!;
    requireOrganizationAdministrator(actor, null, 'body.organizationAdministrator');
  }
  const email = input.email.trim().toLowerCase();
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw conflict('email_taken', 'An account with this email already exists.', 'body.email');
  const id = randomUUID();
  const password = temporaryPassword();
  await tx.insert(users).values({
    id,
    orgId: ctx.orgId!,
    email,
    displayName: input.displayName.trim(),
    workPhone: workPhone ?? null,
    passwordHash: await hashPassword(password),
    mustChangePassword: true,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  const roles = [...new Set(input.roles)];
  await tx.insert(roleAssignments).values(roles.map((role) => ({ userId: id, programId, role, createdAt: ctx.now })));
  if (input.organizationAdministrator) await setOrganizationAdministrator(tx, ctx, id, true);
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'user',
    entityId: id,
    detail: { roles, ...(input.organizationAdministrator ? { organizationAdministrator: true } : {}) },
  });
  return { staff: await staffDto(tx, ctx, id), temporaryPassword: password };
}

export async function updateStaff(
  deps: { tx: Tx; ctx: Ctx },
  userId: string,
  input: {
    displayName?: string | undefined;
    workPhone?: string | null | undefined;
    roles?: StaffRole[] | undefined;
    active?: boolean | undefined;
    organizationAdministrator?: boolean | undefined;
  },
): Promise<StaffDto> {
  const { tx, ctx } = deps;
  const workPhone = workPhoneOf(input.workPhone);
  const programId = programOf(ctx);
  const current = await loadInProgram(tx, programId, userId);
  const { actor, target } = await requireActOnAccount(tx, ctx, userId, 'update');
  const self = userId === ctx.principal?.userId;
  const wasOrgAdmin = target.organizationRoles.includes(ORG_ADMIN);
  if (input.organizationAdministrator !== undefined && input.organizationAdministrator !== wasOrgAdmin) {
    requireOrganizationAdministrator(actor, userId, 'body.organizationAdministrator');
    if (self && !input.organizationAdministrator) {
      throw conflict('cannot_remove_own_organization_admin', 'You cannot remove your own organisation-administrator role. Ask another organisation administrator.', 'body.organizationAdministrator');
    }
  }
  if (self && input.active === false) throw conflict('cannot_deactivate_self', 'You cannot deactivate your own account.', 'body.active');
  if (self && input.roles && !input.roles.includes('administrator') && current.roles.includes('administrator')) {
    throw conflict('cannot_remove_own_admin', 'You cannot remove your own administrator role. Ask another administrator.', 'body.roles');
  }
  if (input.roles && input.roles.length === 0) {
    throw new AppError({ code: 'invalid_input', status: 400, message: 'Give at least one role.', problems: [{ field: 'body.roles', message: 'give at least one role' }] });
  }
  const changes: Record<string, unknown> = {};
  if (input.displayName !== undefined || input.active !== undefined || workPhone !== undefined) {
    await tx
      .update(users)
      .set({
        ...(input.displayName !== undefined ? { displayName: input.displayName.trim() } : {}),
        ...(workPhone !== undefined ? { workPhone } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updatedAt: ctx.now,
      })
      .where(eq(users.id, userId));
    if (input.displayName !== undefined) changes.displayName = true;
    if (workPhone !== undefined) changes.workPhone = true;
    if (input.active !== undefined) changes.active = input.active;
    if (input.active === false) await revokeAllSessions(tx, userId, ctx.now);
  }
  if (input.roles) {
    const roles = [...new Set(input.roles)];
    await tx.delete(roleAssignments).where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, userId)));
    await tx.insert(roleAssignments).values(roles.map((role) => ({ userId, programId, role, createdAt: ctx.now })));
    changes.roles = roles;
  }
  if (input.organizationAdministrator !== undefined && input.organizationAdministrator !== wasOrgAdmin) {
    await setOrganizationAdministrator(tx, ctx, userId, input.organizationAdministrator);
    changes.organizationAdministrator = input.organizationAdministrator;
  }
  forgetSessions({ userId }); // roles, name or state changed: the next request reads them afresh
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'user', entityId: userId, detail: changes });
  return staffDto(tx, ctx, userId);
}

/** Administrator reset: a temporary password, MFA optionally cleared, lock lifted, sessions ended. */
export async function resetStaffPassword(deps: { tx: Tx; ctx: Ctx }, userId: string, opts: { resetMfa: boolean }): Promise<{ temporaryPassword: string }> {
  const { tx, ctx } = deps;
  await loadInProgram(tx, programOf(ctx), userId);
  await requireActOnAccount(tx, ctx, userId, opts.resetMfa ? 'password-and-mfa-reset' : 'password-reset');
  const password = temporaryPassword();
  await tx
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      failedSignIns: 0,
      lastFailedSignInAt: null,
      lockedUntil: null,
      updatedAt: ctx.now,
      ...(opts.resetMfa ? { mfaEnabled: false, mfaSecret: null } : {}),
    })
    .where(eq(users.id, userId));
  await revokeAllSessions(tx, userId, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'password-reset', entity: 'user', entityId: userId, detail: { resetMfa: opts.resetMfa } });
  return { temporaryPassword: password };
}
