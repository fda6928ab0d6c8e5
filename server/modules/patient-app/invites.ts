// Staff side of the patient app (ADR 030): invite a patient (a single-use activation code,
// 7 days; a new one revokes the open one), see whether the invite was used and which
// devices the patient activated, and revoke a device (its sessions end at once).
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { CODE_LENGTH, groupCode, inviteExpiresAt, inviteStatus, newActivationCode } from '../../../core/access/patient-app.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { notFound } from '../../platform/errors.ts';
import { sha256 } from '../../platform/security.ts';
import { assertPatient } from '../patients/patients.ts';
import { patientDevices, patientInvites } from './patient-app.tables.ts';
import { endDeviceSessions } from './sessions.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** Where the patient app opens the activation screen with the code filled in (the fragment never reaches a server). */
export const activationPath = (code: string) => `/app/#activate=${groupCode(code)}`;

export async function issueInvite(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const revoked = await tx
    .update(patientInvites)
    .set({ revokedAt: ctx.now })
    .where(and(eq(patientInvites.programId, programId), eq(patientInvites.patientId, patientId), isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt)))
    .returning({ id: patientInvites.id });
  const code = newActivationCode(randomBytes(CODE_LENGTH));
  const id = randomUUID();
  const expiresAt = inviteExpiresAt(ctx.now);
  await tx.insert(patientInvites).values({ programId, id, patientId, codeHash: sha256(code), createdBy: ctx.principal?.userId ?? null, createdAt: ctx.now, expiresAt });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'patient-invite', entityId: id, patientId, detail: { revokedInvites: revoked.map((r) => r.id) } });
  return { id, code: groupCode(code), activationPath: activationPath(code), expiresAt: expiresAt.toISOString() };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function patientAppAccess(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [invite] = await tx
    .select()
    .from(patientInvites)
    .where(and(eq(patientInvites.programId, programId), eq(patientInvites.patientId, patientId)))
    .orderBy(sql`${patientInvites.revokedAt} is null desc`, desc(patientInvites.createdAt)) // a newer invite revokes the older
    .limit(1);
  const devices = await tx
    .select()
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, programId), eq(patientDevices.patientId, patientId)))
    .orderBy(desc(patientDevices.createdAt));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'patient-app', patientId });
  return {
    invite: invite ? { id: invite.id, status: inviteStatus(invite, ctx.now), createdAt: invite.createdAt.toISOString(), expiresAt: invite.expiresAt.toISOString() } : null,
    devices: devices.map((d) => ({
      id: d.id,
      kind: d.kind,
      label: d.label,
      createdAt: d.createdAt.toISOString(),
      lastUnlockedAt: iso(d.lastUnlockedAt),
      revokedAt: iso(d.revokedAt),
      lockedUntil: d.lockedUntil && d.lockedUntil > ctx.now ? d.lockedUntil.toISOString() : null,
    })),
  };
}

/** Revokes a device: it can no longer unlock, and its sessions end at once. Revoking a revoked device changes nothing. */
export async function revokeDevice(deps: Deps, patientId: string, deviceId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const where = and(eq(patientDevices.programId, programId), eq(patientDevices.patientId, patientId), eq(patientDevices.id, deviceId));
  const [device] = await tx.select({ revokedAt: patientDevices.revokedAt }).from(patientDevices).where(where).for('update');
  if (!device) throw notFound('Device');
  if (!device.revokedAt) {
    await tx
      .update(patientDevices)
      .set({ revokedAt: ctx.now, revokedBy: ctx.principal?.userId ?? null })
      .where(where);
    const sessions = await endDeviceSessions(tx, programId, deviceId, ctx.now);
    await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'patient-device', entityId: deviceId, patientId, detail: { sessionsEnded: sessions } });
  }
  return patientAppAccess(deps, patientId);
}
