// The patient app's notification settings (issue 12, ADR 038): the daily check-in reminder's
// local time, and this phone's Web Push subscription. Turning notifications on in the app is
// the patient's consent to push; the subscription belongs to this device and ends when it
// signs out or is revoked (unlock.ts signOut, invites.ts revokeDevice).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { PatientNotifications, PatientNotificationsUpdate, PatientPushSubscription, PatientPushUnsubscribe } from '../../../contracts/patient-app.ts';
import { writeAudit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditContext, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { contactPreferences, pushSubscriptions } from '../messages/messages.tables.ts';
import { revokePushSubscription, savePushSubscription } from '../messages/messages.ts';
import { contactOf } from '../messages/outbox.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Dto = z.infer<typeof PatientNotifications>;

const audit = (ctx: Ctx, me: PatientPrincipal) => auditContext(ctx, { programId: me.programId, orgId: me.orgId, actorId: null, actorRole: 'patient' });

async function read(tx: Tx, me: PatientPrincipal, pushKey: string | null): Promise<Dto> {
  const contact = await contactOf(tx, me.programId, me.patientId);
  const [prefs] = await tx
    .select({ at: contactPreferences.checkInReminderAt })
    .from(contactPreferences)
    .where(and(eq(contactPreferences.programId, me.programId), eq(contactPreferences.patientId, me.patientId)));
  const [sub] = await tx
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.programId, me.programId), eq(pushSubscriptions.deviceId, me.deviceId), isNull(pushSubscriptions.revokedAt)))
    .limit(1);
  return {
    checkInReminderAt: prefs?.at ?? null,
    timeZone: contact?.timeZone ?? 'UTC',
    quietHours: contact?.quietHours ?? null,
    push: { publicKey: pushKey, on: !!sub },
  };
}

export async function getNotifications(deps: Deps, me: PatientPrincipal, pushKey: string | null): Promise<Dto> {
  const dto = await read(deps.tx, me, pushKey);
  await writeAudit(deps.tx, audit(deps.ctx, me), { action: 'read', entity: 'contact-preferences', entityId: me.patientId, patientId: me.patientId, detail: { by: 'patient-app' } });
  return dto;
}

/** Upserts the patient's contact preferences row with `set` (a new row has no consent but what `set` gives). */
async function setPreferences(tx: Tx, me: PatientPrincipal, now: Date, set: Partial<typeof contactPreferences.$inferInsert>): Promise<void> {
  await tx
    .insert(contactPreferences)
    .values({ programId: me.programId, patientId: me.patientId, updatedAt: now, ...set })
    .onConflictDoUpdate({ target: [contactPreferences.programId, contactPreferences.patientId], set: { ...set, updatedAt: now, version: sql`${contactPreferences.version} + 1` } });
}

export async function updateNotifications(deps: Deps, me: PatientPrincipal, input: z.infer<typeof PatientNotificationsUpdate>, pushKey: string | null): Promise<Dto> {
  const { tx, ctx } = deps;
  await setPreferences(tx, me, ctx.now, { checkInReminderAt: input.checkInReminderAt });
  await writeAudit(tx, audit(ctx, me), {
    action: 'update',
    entity: 'contact-preferences',
    entityId: me.patientId,
    patientId: me.patientId,
    detail: { by: 'patient-app', checkInReminder: input.checkInReminderAt !== null },
  });
  return read(tx, me, pushKey);
}

/** This phone's push subscription: saved for this device, and push consented to (the patient turned it on). */
export async function subscribePush(deps: Deps, me: PatientPrincipal, input: z.infer<typeof PatientPushSubscription>, pushKey: string | null): Promise<Dto> {
  const { tx, ctx } = deps;
  await savePushSubscription(tx, { programId: me.programId, patientId: me.patientId, deviceId: me.deviceId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth, now: ctx.now });
  await setPreferences(tx, me, ctx.now, { consentPush: true });
  await writeAudit(tx, audit(ctx, me), { action: 'update', entity: 'contact-preferences', entityId: me.patientId, patientId: me.patientId, detail: { by: 'patient-app', push: true } });
  return read(tx, me, pushKey);
}

export async function unsubscribePush(deps: Deps, me: PatientPrincipal, input: z.infer<typeof PatientPushUnsubscribe>, pushKey: string | null): Promise<Dto> {
  const { tx, ctx } = deps;
  const ended = await revokePushSubscription(tx, { programId: me.programId, patientId: me.patientId, endpoint: input.endpoint, now: ctx.now });
  await writeAudit(tx, audit(ctx, me), { action: 'update', entity: 'contact-preferences', entityId: me.patientId, patientId: me.patientId, detail: { by: 'patient-app', push: false, ended } });
  return read(tx, me, pushKey);
}
