// Staff side of the patient app (ADR 030): invite a patient (a single-use activation code,
// 7 days; a new one revokes the open one), see whether the invite was used and which
// devices the patient activated, and revoke a device (its sessions end at once).
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { CODE_LENGTH, groupCode, inviteExpiresAt, inviteStatus, newActivationCode } from '../../../core/access/patient-app.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { suppressionReason } from '../../../core/messages/consent.ts';
import { contactOf, enqueueMessage } from '../messages/outbox.ts';
import { revokeDevicePushSubscriptions } from '../messages/messages.ts';
import { sha256 } from '../../platform/security.ts';
import { assertPatient } from '../patients/patients.ts';
import { patientDevices, patientInvites } from './patient-app.tables.ts';
import { endDeviceSessions, type Holder } from './sessions.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** Where the patient app opens the activation screen with the code filled in (the fragment never reaches a server). */
export const activationPath = (code: string) => `/app/#activate=${groupCode(code)}`;

export async function issueInvite(deps: Deps, patientId: string) {
  await assertPatient(deps.tx, deps.ctx, patientId);
  return newInvite(deps, { patientId, familyMemberId: null }, patientId);
}

/** The column that says whose an invite or device is. */
const holderColumn = (holder: Holder) =>
  holder.patientId
    ? { invites: eq(patientInvites.patientId, holder.patientId), devices: eq(patientDevices.patientId, holder.patientId) }
    : { invites: eq(patientInvites.familyMemberId, holder.familyMemberId!), devices: eq(patientDevices.familyMemberId, holder.familyMemberId!) };

/** A new invite for a patient or a family member (the open one is revoked); `patientId` names the patient the audit row is about (null: a CRAFT client, about no patient). */
export async function newInvite(deps: Deps, holder: Holder, patientId: string | null) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const revoked = await tx
    .update(patientInvites)
    .set({ revokedAt: ctx.now })
    .where(and(eq(patientInvites.programId, programId), holderColumn(holder).invites, isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt)))
    .returning({ id: patientInvites.id });
  const code = newActivationCode(randomBytes(CODE_LENGTH));
  const id = randomUUID();
  const expiresAt = inviteExpiresAt(ctx.now);
  await tx.insert(patientInvites).values({ programId, id, ...holder, codeHash: sha256(code), createdBy: ctx.principal?.userId ?? null, createdAt: ctx.now, expiresAt });
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'patient-invite',
    entityId: id,
    patientId,
    detail: { revokedInvites: revoked.map((r) => r.id), ...(holder.familyMemberId ? { familyMemberId: holder.familyMemberId } : {}) },
  });
  return { id, code: groupCode(code), activationPath: activationPath(code), expiresAt: expiresAt.toISOString() };
}

/** How long the code may wait in the outbox before the text is given up (quiet hours can hold it overnight). */
export const INVITE_SMS_TTL_HOURS = 24;

/**
 * Sends a new invite to the patient's phone on file by text (a new code; the open invite is
 * revoked), through the outbox in the patient's language. Refused, with nothing written,
 * when there is no phone, no consent to texts, or the patient texted STOP. The code is kept
 * apart from the outbox until the text is sent (at most INVITE_SMS_TTL_HOURS) and the outbox
 * keeps the body with it masked (ADR 038).
 */
export async function textInvite(deps: Deps, patientId: string, publicBase: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const contact = await contactOf(tx, programId, patientId);
  if (!contact) throw notFound('Patient');
  const reason = suppressionReason(contact, 'sms');
  if (reason === 'opted-out') throw conflict('sms_opted_out', 'The patient texted STOP, so no texts are sent to them. Give them the code on paper instead.', 'consent.sms');
  if (reason === 'no-consent')
    throw conflict('no_sms_consent', 'The patient has not agreed to get texts. Record their consent in contact preferences first, or give them the code on paper.', 'consent.sms');
  if (reason === 'no-address') throw conflict('no_phone', 'There is no phone number on file for this patient. Add one first, or give them the code on paper.', 'phone');
  const issued = await issueInvite(deps, patientId);
  const messageId = await enqueueMessage(tx, {
    programId,
    patientId,
    channel: 'sms',
    template: 'app-invite',
    cause: 'app-invite',
    params: { code: issued.code, link: `${publicBase.replace(/\/$/, '')}${issued.activationPath}` },
    paramsExpireAt: new Date(ctx.now.getTime() + INVITE_SMS_TTL_HOURS * 3600_000),
    now: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'messages', entityId: messageId, patientId, detail: { cause: 'app-invite', inviteId: issued.id } });
  return { id: issued.id, expiresAt: issued.expiresAt, messageId: messageId! };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function patientAppAccess(deps: Deps, patientId: string) {
  await assertPatient(deps.tx, deps.ctx, patientId);
  return appAccess(deps, { patientId, familyMemberId: null }, patientId);
}

/** A holder's invite and devices (the patient page's "App" card, or a family member's). */
export async function appAccess(deps: Deps, holder: Holder, patientId: string | null) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [invite] = await tx
    .select()
    .from(patientInvites)
    .where(and(eq(patientInvites.programId, programId), holderColumn(holder).invites))
    .orderBy(sql`${patientInvites.revokedAt} is null desc`, desc(patientInvites.createdAt)) // a newer invite revokes the older
    .limit(1);
  const devices = await tx
    .select()
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, programId), holderColumn(holder).devices))
    .orderBy(desc(patientDevices.createdAt));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'patient-app', patientId, ...(holder.familyMemberId ? { detail: { familyMemberId: holder.familyMemberId } } : {}) });
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
  await assertPatient(deps.tx, deps.ctx, patientId);
  return revokeHolderDevice(deps, { patientId, familyMemberId: null }, patientId, deviceId);
}

export async function revokeHolderDevice(deps: Deps, holder: Holder, patientId: string | null, deviceId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const where = and(eq(patientDevices.programId, programId), holderColumn(holder).devices, eq(patientDevices.id, deviceId));
  const [device] = await tx.select({ revokedAt: patientDevices.revokedAt }).from(patientDevices).where(where).for('update');
  if (!device) throw notFound('Device');
  if (!device.revokedAt) {
    await tx
      .update(patientDevices)
      .set({ revokedAt: ctx.now, revokedBy: ctx.principal?.userId ?? null })
      .where(where);
    const sessions = await endDeviceSessions(tx, programId, deviceId, ctx.now);
    await revokeDevicePushSubscriptions(tx, programId, deviceId, ctx.now);
    await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'patient-device', entityId: deviceId, patientId, detail: { sessionsEnded: sessions } });
  }
  return appAccess(deps, holder, patientId);
}
