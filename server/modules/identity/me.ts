// Who is signed in, their organisation, and the programmes they work in with the
// roles and permissions they hold in each, and their roles in the organisation (the
// console builds its menus from this).
import { and, asc, eq } from 'drizzle-orm';
import { isOrganizationRole, isRole, organizationPermissionsOf, permissionsOf } from '../../../core/access/roles.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Ctx } from '../../platform/http/context.ts';
import { organizations, programs } from '../programs/programs.tables.ts';
import { authSessions, organizationRoleAssignments, roleAssignments, users } from './identity.tables.ts';

export async function membershipsOf(db: Db | Tx, userId: string) {
  const rows = await db
    .select({ id: programs.id, name: programs.name, timeZone: programs.timeZone, role: roleAssignments.role })
    .from(roleAssignments)
    .innerJoin(programs, eq(programs.id, roleAssignments.programId))
    .where(eq(roleAssignments.userId, userId))
    .orderBy(asc(programs.name));
  const map = new Map<string, { id: string; name: string; timeZone: string; roles: string[] }>();
  for (const r of rows) {
    const e = map.get(r.id) ?? { id: r.id, name: r.name, timeZone: r.timeZone, roles: [] };
    e.roles.push(r.role);
    map.set(r.id, e);
  }
  return [...map.values()].map((p) => {
    const roles = p.roles.filter(isRole).sort();
    return { ...p, roles, permissions: [...permissionsOf(roles)].sort() };
  });
}

export async function getMe(deps: { tx: Tx; ctx: Ctx }) {
  const { tx, ctx } = deps;
  const p = ctx.principal!;
  const [row] = await tx.select({ user: users, org: organizations }).from(users).innerJoin(organizations, eq(organizations.id, users.orgId)).where(eq(users.id, p.userId));
  if (!row) throw new Error('session without user');
  const orgRoles =
    p.stage !== 'active'
      ? []
      : (
          await tx
            .select({ role: organizationRoleAssignments.role })
            .from(organizationRoleAssignments)
            .where(and(eq(organizationRoleAssignments.userId, p.userId), eq(organizationRoleAssignments.orgId, row.user.orgId)))
        )
          .map((r) => r.role)
          .filter(isOrganizationRole)
          .sort();
  const [session] = await tx.select({ expiresAt: authSessions.expiresAt, lastSeenAt: authSessions.lastSeenAt }).from(authSessions).where(eq(authSessions.id, p.sessionId));
  return {
    user: {
      id: row.user.id,
      email: row.user.email,
      displayName: row.user.displayName,
      mfaEnabled: row.user.mfaEnabled,
      mustChangePassword: row.user.mustChangePassword,
    },
    stage: p.stage,
    session: { expiresAt: session!.expiresAt.toISOString(), lastSeenAt: session!.lastSeenAt.toISOString() },
    organization: {
      id: row.org.id,
      name: row.org.name,
      idleTimeoutMinutes: row.org.idleTimeoutMinutes,
      mfaRequired: row.org.mfaRequired,
      roles: orgRoles,
      permissions: [...organizationPermissionsOf(orgRoles)].sort(),
    },
    programs: p.stage === 'active' ? await membershipsOf(tx, p.userId) : [],
  };
}
