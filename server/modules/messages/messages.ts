// Use cases of the console's outbox view, contact preferences and Web Push subscriptions.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ContactPreferences, ContactPreferencesUpdate, MessageListQuery, OutboxList } from '../../../contracts/messages.ts';
import type { Channel } from '../../../core/messages/consent.ts';
import { writeAudit } from '../../platform/audit.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { auditContext, programOf } from '../../platform/http/context.ts';
import type { UseCaseDeps } from '../../platform/http/tx.ts';
import { patients } from '../patients/patients.tables.ts';
import { contactPreferences, outboxMessages, pushSubscriptions } from './messages.tables.ts';
import { decodeCursor, pageOf } from '../cm/page.ts';
import { contactOf } from './outbox.ts';

type OutboxListDto = z.infer<typeof OutboxList>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The programme's messages, newest first, with counts by status; the read is audited. */
export async function listMessages({ tx, ctx }: UseCaseDeps, query: z.infer<typeof MessageListQuery>, consoleChannels: Channel[]): Promise<OutboxListDto> {
  const programId = programOf(ctx);
  const filters = [eq(outboxMessages.programId, programId)];
  if (query.status) filters.push(eq(outboxMessages.status, query.status));
  if (query.channel) filters.push(eq(outboxMessages.channel, query.channel));
  const after = decodeCursor(query.cursor, ['time', 'uuid']);
  if (after) filters.push(sql`(${outboxMessages.createdAt}, ${outboxMessages.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await tx
    .select({ m: outboxMessages, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName })
    .from(outboxMessages)
    .innerJoin(patients, and(eq(patients.programId, outboxMessages.programId), eq(patients.id, outboxMessages.patientId)))
    .where(and(...filters))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => [r.m.createdAt.toISOString(), r.m.id]);
  const byStatus = await tx
    .select({ status: outboxMessages.status, n: sql<number>`count(*)::int` })
    .from(outboxMessages)
    .where(eq(outboxMessages.programId, programId))
    .groupBy(outboxMessages.status);
  const counts = { pending: 0, sent: 0, suppressed: 0, dead: 0 };
  for (const r of byStatus) counts[r.status] = r.n;
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'messages', detail: { returned: page.items.length, status: query.status ?? null } });
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ m, given, family, preferred }) => ({
      id: m.id,
      patientId: m.patientId,
      patientName: `${preferred ?? given} ${family}`,
      channel: m.channel,
      template: m.template,
      cause: m.cause,
      status: m.status,
      attempts: m.attempts,
      nextAttemptAt: m.status === 'pending' ? iso(m.nextAttemptAt) : null,
      lastError: m.lastError,
      suppressedReason: m.suppressedReason,
      deliveredVia: m.deliveredVia === 'provider' || m.deliveredVia === 'console' ? m.deliveredVia : null,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      sentAt: iso(m.sentAt),
    })),
    counts,
    consoleChannels,
  };
}

/** Sends a dead letter again from its first attempt (with the same idempotency key). */
export async function retryMessage({ tx, ctx }: UseCaseDeps, id: string): Promise<{ id: string; status: 'pending' }> {
  const programId = programOf(ctx);
  const [m] = await tx
    .select({ status: outboxMessages.status, patientId: outboxMessages.patientId })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.programId, programId), eq(outboxMessages.id, id)))
    .for('update');
  if (!m) throw notFound('Message');
  if (m.status !== 'dead') throw conflict('not_a_dead_letter', 'Only a message that could not be delivered can be retried.', 'params.id');
  await tx
    .update(outboxMessages)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: ctx.now, lastError: null, updatedAt: ctx.now })
    .where(and(eq(outboxMessages.programId, programId), eq(outboxMessages.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'messages', entityId: id, patientId: m.patientId, detail: { retried: true } });
  return { id, status: 'pending' };
}

type ContactPreferencesDto = z.infer<typeof ContactPreferences>;

async function preferencesOf(tx: UseCaseDeps['tx'], programId: string, patientId: string): Promise<ContactPreferencesDto> {
  const contact = await contactOf(tx, programId, patientId);
  if (!contact) throw notFound('Patient');
  const [p] = await tx
    .select()
    .from(contactPreferences)
    .where(and(eq(contactPreferences.programId, programId), eq(contactPreferences.patientId, patientId)));
  return {
    patientId,
    timeZone: p?.timeZone ?? null,
    effectiveTimeZone: contact.timeZone,
    quietHours: contact.quietHours,
    consent: contact.consent,
    smsOptedOutAt: iso(p?.smsOptedOutAt ?? null),
    checkInReminderAt: p?.checkInReminderAt ?? null,
    hasAddress: contact.hasAddress,
    version: p?.version ?? 0,
  };
}

export async function getContactPreferences({ tx, ctx }: UseCaseDeps, patientId: string): Promise<ContactPreferencesDto> {
  const dto = await preferencesOf(tx, programOf(ctx), patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'contact-preferences', entityId: patientId, patientId });
  return dto;
}

/** Saves how a patient may be contacted (optimistic: the version edited). Withdrawn consent suppresses queued messages on that channel. */
export async function updateContactPreferences({ tx, ctx }: UseCaseDeps, patientId: string, input: z.infer<typeof ContactPreferencesUpdate>): Promise<ContactPreferencesDto> {
  const programId = programOf(ctx);
  const [patient] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)))
    .for('update');
  if (!patient) throw notFound('Patient');
  const values = {
    timeZone: input.timeZone,
    quietStart: input.quietHours?.start ?? null,
    quietEnd: input.quietHours?.end ?? null,
    consentSms: input.consent.sms,
    consentEmail: input.consent.email,
    consentPush: input.consent.push,
    ...(input.checkInReminderAt === undefined ? {} : { checkInReminderAt: input.checkInReminderAt }),
    updatedAt: ctx.now,
  };
  const saved =
    input.version === 0
      ? await tx
          .insert(contactPreferences)
          .values({ programId, patientId, ...values })
          .onConflictDoNothing()
          .returning({ v: contactPreferences.version })
      : await tx
          .update(contactPreferences)
          .set({ ...values, version: sql`${contactPreferences.version} + 1` })
          .where(and(eq(contactPreferences.programId, programId), eq(contactPreferences.patientId, patientId), eq(contactPreferences.version, input.version)))
          .returning({ v: contactPreferences.version });
  if (saved.length === 0) throw conflict('stale_version', 'Someone else changed these preferences since you opened them. Reload them and make your change again.', 'body.version');
  await writeAudit(tx, auditContext(ctx), {
    action: 'update',
    entity: 'contact-preferences',
    entityId: patientId,
    patientId,
    detail: {
      consent: input.consent,
      quietHours: input.quietHours !== null,
      timeZone: input.timeZone !== null,
      checkInReminder: input.checkInReminderAt === undefined ? 'unchanged' : input.checkInReminderAt !== null,
    },
  });
  return preferencesOf(tx, programId, patientId);
}

/**
 * Saves a Web Push subscription for a patient (the seam for the patient app's route: it calls
 * this with the patient principal's programme and patient). The same endpoint again updates its keys.
 */
export async function savePushSubscription(
  tx: UseCaseDeps['tx'],
  input: { programId: string; patientId: string; deviceId?: string | null; endpoint: string; p256dh: string; auth: string; now: Date },
): Promise<string> {
  const deviceId = input.deviceId ?? null;
  const [row] = await tx
    .insert(pushSubscriptions)
    .values({ programId: input.programId, id: randomUUID(), patientId: input.patientId, deviceId, endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth, createdAt: input.now })
    .onConflictDoUpdate({
      target: [pushSubscriptions.programId, pushSubscriptions.endpoint],
      set: { patientId: input.patientId, deviceId, p256dh: input.p256dh, auth: input.auth, createdAt: input.now, revokedAt: null },
    })
    .returning({ id: pushSubscriptions.id });
  return row!.id;
}

/** Ends a patient's push subscription by its endpoint (the app turned notifications off); returns whether one was going. */
export async function revokePushSubscription(tx: UseCaseDeps['tx'], input: { programId: string; patientId: string; endpoint: string; now: Date }): Promise<boolean> {
  const rows = await tx
    .update(pushSubscriptions)
    .set({ revokedAt: input.now })
    .where(and(eq(pushSubscriptions.programId, input.programId), eq(pushSubscriptions.patientId, input.patientId), eq(pushSubscriptions.endpoint, input.endpoint), isNull(pushSubscriptions.revokedAt)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** Ends every push subscription of a patient-app device (it signed out or was revoked). */
export async function revokeDevicePushSubscriptions(tx: UseCaseDeps['tx'], programId: string, deviceId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(pushSubscriptions)
    .set({ revokedAt: now })
    .where(and(eq(pushSubscriptions.programId, programId), eq(pushSubscriptions.deviceId, deviceId), isNull(pushSubscriptions.revokedAt)))
    .returning({ id: pushSubscriptions.id });
  return rows.length;
}
