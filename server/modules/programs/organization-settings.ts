// Organisation policy: idle time-out, absolute session lifetime, and whether every
// account must use two-step sign-in. The organisation administrator's (ADR 020): the
// change is recorded in the organisation's audit trail, not a programme's.
import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, type Ctx } from '../../platform/http/context.ts';
import { organizations } from './programs.tables.ts';
import { forgetSessions } from '../identity/sessions.ts';

export type OrganizationSettingsDto = { idleTimeoutMinutes: number; sessionLifetimeHours: number; mfaRequired: boolean };

export async function getOrganizationSettings(deps: { tx: Tx; ctx: Ctx }): Promise<OrganizationSettingsDto> {
  const [org] = await deps.tx.select().from(organizations).where(eq(organizations.id, deps.ctx.orgId!));
  if (!org) throw new Error('no organisation');
  return { idleTimeoutMinutes: org.idleTimeoutMinutes, sessionLifetimeHours: org.sessionLifetimeHours, mfaRequired: org.mfaRequired };
}

export async function updateOrganizationSettings(deps: { tx: Tx; ctx: Ctx }, input: OrganizationSettingsDto): Promise<OrganizationSettingsDto> {
  const { tx, ctx } = deps;
  await tx.update(organizations).set(input).where(eq(organizations.id, ctx.orgId!));
  forgetSessions(); // the idle time-out and MFA policy apply to every session from now on
  await writeAudit(tx, auditContext(ctx, { actorRole: 'organization-administrator' }), { action: 'update', entity: 'organization', entityId: ctx.orgId, detail: { ...input } });
  return getOrganizationSettings(deps);
}
