// Creating an organisation, a programme and its first administrator: used by
// `waypoint admin create` on a fresh installation and by the demo seed.
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { OrganizationRole, Role } from '../../../core/access/roles.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, systemCtx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/security.ts';
import { organizationRoleAssignments, roleAssignments, users } from '../identity/identity.tables.ts';
import { assertAcceptablePassword } from '../identity/passwords.ts';
import { organizations, programs } from './programs.tables.ts';

export async function createOrganization(tx: Tx, input: { name: string; now: Date; mfaRequired?: boolean }) {
  const id = randomUUID();
  await tx.insert(organizations).values({ id, name: input.name, mfaRequired: input.mfaRequired ?? false, createdAt: input.now });
  return id;
}

export async function createProgram(tx: Tx, input: { orgId: string; name: string; timeZone: string; now: Date }) {
  if (!isTimeZone(input.timeZone))
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `Unknown time zone: ${input.timeZone}`,
      problems: [{ field: 'timeZone', message: 'must be an IANA time zone such as America/New_York' }],
    });
  const id = randomUUID();
  await tx.insert(programs).values({ id, orgId: input.orgId, name: input.name, timeZone: input.timeZone, createdAt: input.now });
  await writeAudit(tx, auditContext(systemCtx({ orgId: input.orgId, programId: id, now: input.now })), { action: 'create', entity: 'program', entityId: id });
  return id;
}

export async function createUserWithRoles(
  tx: Tx,
  input: {
    orgId: string;
    email: string;
    displayName: string;
    password: string;
    roles: Array<{ programId: string; role: Role }>;
    now: Date;
    checkPassword?: boolean;
    /** Roles in the whole organisation (the organisation administrator, ADR 020). */
    organizationRoles?: OrganizationRole[];
    /** A direct work number (E.164) patients on the person's care teams may call. */
    workPhone?: string;
  },
) {
  const email = input.email.trim().toLowerCase();
  const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (exists) throw new AppError({ code: 'email_taken', status: 409, message: `An account with the email ${email} already exists.` });
  if (input.checkPassword !== false) assertAcceptablePassword(input.password, { email, displayName: input.displayName }, 'password');
  const id = randomUUID();
  await tx.insert(users).values({
    id,
    orgId: input.orgId,
    email,
    displayName: input.displayName,
    workPhone: input.workPhone ?? null,
    passwordHash: await hashPassword(input.password),
    createdAt: input.now,
    updatedAt: input.now,
  });
  if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((r) => ({ userId: id, programId: r.programId, role: r.role, createdAt: input.now })));
  for (const r of input.roles) {
    await writeAudit(tx, auditContext(systemCtx({ orgId: input.orgId, programId: r.programId, now: input.now })), {
      action: 'create',
      entity: 'user',
      entityId: id,
      detail: { roles: [r.role], via: 'cli' },
    });
  }
  const organizationRoles = [...new Set(input.organizationRoles ?? [])];
  if (organizationRoles.length) {
    await tx.insert(organizationRoleAssignments).values(organizationRoles.map((role) => ({ userId: id, orgId: input.orgId, role, createdAt: input.now })));
    await writeAudit(tx, auditContext(systemCtx({ orgId: input.orgId, now: input.now })), { action: 'create', entity: 'user', entityId: id, detail: { organizationRoles, via: 'cli' } });
  }
  return id;
}

/**
 * An administrator of the organisation's first programme who is also organisation
 * administrator (organisation policy, every account: ADR 020); creates the organisation
 * and programme too when there are none.
 */
export async function createFirstAdministrator(db: Db, input: { email: string; displayName: string; password: string; organizationName: string; programName: string; timeZone: string; now: Date }) {
  return inTransaction(db, async (tx) => {
    const [org] = await tx.select().from(organizations).limit(1);
    const orgId = org?.id ?? (await createOrganization(tx, { name: input.organizationName, now: input.now }));
    const [program] = await tx.select().from(programs).where(eq(programs.orgId, orgId)).limit(1);
    const programId = program?.id ?? (await createProgram(tx, { orgId, name: input.programName, timeZone: input.timeZone, now: input.now }));
    const userId = await createUserWithRoles(tx, {
      orgId,
      email: input.email,
      displayName: input.displayName,
      password: input.password,
      roles: [{ programId, role: 'administrator' }],
      now: input.now,
      organizationRoles: ['organization-administrator'],
    });
    return { orgId, programId, userId };
  });
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
