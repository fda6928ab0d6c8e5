// The outbox: enqueueMessage writes a message in its cause's transaction; deliverDue sends
// what is due. A delivery claims a message (attempts + 1, a lease as its next attempt
// time) and commits before calling the provider, so a crash mid-delivery leaves it to be
// tried again when the lease runs out — with the same idempotency key (the message id),
// which a provider that honours it uses to send once (ADR 032).
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { chooseChannel, suppressionReason, type Channel, type ContactState } from '../../../core/messages/consent.ts';
import { afterFailure } from '../../../core/messages/delivery.ts';
import { toE164 } from '../../../core/messages/phone.ts';
import { quietHoursEnd } from '../../../core/messages/quiet-hours.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import type { Channels } from './channels.ts';
import { contactPreferences, outboxMessageParams, outboxMessages, pushSubscriptions } from './messages.tables.ts';
import { messageLanguage, render, templateParams, type MessageLanguage } from './templates.ts';

/** How a patient may be reached now: consent, opt-out, addresses, language, zone, quiet hours. */
export type Contact = ContactState & {
  address: Record<Channel, string | null>;
  language: MessageLanguage;
  timeZone: string;
  quietHours: { start: string; end: string } | null;
};

export async function contactOf(tx: Tx, programId: string, patientId: string): Promise<Contact | null> {
  const [row] = await tx
    .select({
      phone: patients.phone,
      email: patients.email,
      language: patients.preferredLanguage,
      programZone: programs.timeZone,
      prefs: contactPreferences,
    })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .leftJoin(contactPreferences, and(eq(contactPreferences.programId, patients.programId), eq(contactPreferences.patientId, patients.id)))
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)));
  if (!row) return null;
  const [sub] = await tx
    .select({ endpoint: pushSubscriptions.endpoint, p256dh: pushSubscriptions.p256dh, auth: pushSubscriptions.auth })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.programId, programId), eq(pushSubscriptions.patientId, patientId), isNull(pushSubscriptions.revokedAt)))
    .orderBy(desc(pushSubscriptions.createdAt))
    .limit(1);
  const address: Record<Channel, string | null> = {
    sms: row.phone ? toE164(row.phone) : null,
    email: row.email?.includes('@') ? row.email : null,
    push: sub ? JSON.stringify({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }) : null,
  };
  const p = row.prefs;
  return {
    consent: { sms: p?.consentSms ?? false, email: p?.consentEmail ?? false, push: p?.consentPush ?? false },
    smsOptedOut: !!p?.smsOptedOutAt,
    hasAddress: { sms: !!address.sms, email: !!address.email, push: !!address.push },
    address,
    language: messageLanguage(row.language),
    timeZone: p?.timeZone ?? row.programZone,
    quietHours: p?.quietStart && p.quietEnd ? { start: p.quietStart, end: p.quietEnd } : null,
  };
}

export type EnqueueInput = {
  programId: string;
  patientId: string;
  template: string;
  /** A code naming the cause, e.g. `reminder:draws-waiting`. */
  cause: string;
  /** The channel; by default the first of push, SMS, email the patient may be reached on. */
  channel?: Channel;
  /** Enqueue at most once per key in the programme (e.g. one reminder a day). */
  dedupeKey?: string;
  /**
   * Values the template is filled in with at delivery that must not stay in the outbox (an
   * invite's code): kept apart until `paramsExpireAt`, deleted when the message is settled,
   * and shown masked in the body kept (ADR 038).
   */
  params?: Record<string, string>;
  paramsExpireAt?: Date;
  now: Date;
};

/**
 * Enqueues a message in the caller's transaction. A message that may not be sent (no consent,
 * opted out, no address) is recorded as suppressed with the reason. Returns its id, or null when
 * the dedupe key was used already.
 */
export async function enqueueMessage(tx: Tx, input: EnqueueInput): Promise<string | null> {
  render(input.template, 'en'); // an unknown template fails here, in the cause's transaction
  const contact = await contactOf(tx, input.programId, input.patientId);
  if (!contact) throw new Error('enqueueMessage: no such patient in the programme');
  const channel = input.channel ?? chooseChannel(contact) ?? 'sms';
  const reason = suppressionReason(contact, channel);
  const id = randomUUID();
  const inserted = await tx
    .insert(outboxMessages)
    .values({
      programId: input.programId,
      id,
      patientId: input.patientId,
      channel,
      template: input.template,
      cause: input.cause,
      dedupeKey: input.dedupeKey ?? null,
      status: reason ? 'suppressed' : 'pending',
      suppressedReason: reason,
      nextAttemptAt: input.now,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoNothing()
    .returning({ id: outboxMessages.id });
  const stored = inserted[0]?.id ?? null;
  if (stored && !reason && templateParams(input.template).length > 0) {
    if (!input.params || !input.paramsExpireAt) throw new Error('enqueueMessage: this template needs params and when they expire');
    render(input.template, 'en', input.params); // every value present
    await tx.insert(outboxMessageParams).values({ programId: input.programId, messageId: stored, params: input.params, expiresAt: input.paramsExpireAt });
  }
  return stored;
}

/** The values of a message's template, masked: what the outbox keeps of a message with a code in it. */
const masked = (names: string[]) => Object.fromEntries(names.map((n) => [n, '•••']));

export type DeliveryOptions = {
  /** How long a claimed attempt may take before the message is tried again (a crash's cost). */
  leaseSeconds: number;
  /** At most this many messages per run. */
  batch?: number;
  clock?: () => Date;
};

export type DeliveryCounts = { sent: number; console: number; failed: number; dead: number; suppressed: number; deferred: number };

type Claim = { programId: string; id: string; attempts: number; channel: Channel; to: string | null; subject: string; text: string; kept: string };

/** Claims the next due message, or settles it without sending (suppressed, deferred by quiet hours). */
async function claimNext(db: Db, channels: Channels, now: Date, leaseSeconds: number): Promise<{ claim: Claim } | { settled: 'suppressed' | 'deferred' | 'dead' } | null> {
  return inTransaction(db, async (tx) => {
    const [m] = await tx
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.status, 'pending'), lte(outboxMessages.nextAttemptAt, now)))
      .orderBy(asc(outboxMessages.nextAttemptAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!m) return null;
    const key = and(eq(outboxMessages.programId, m.programId), eq(outboxMessages.id, m.id));
    const contact = await contactOf(tx, m.programId, m.patientId);
    const reason = contact ? suppressionReason(contact, m.channel) : 'no-address';
    const names = templateParams(m.template);
    const paramsKey = and(eq(outboxMessageParams.programId, m.programId), eq(outboxMessageParams.messageId, m.id));
    if (!contact || reason) {
      await tx.update(outboxMessages).set({ status: 'suppressed', suppressedReason: reason, updatedAt: now }).where(key);
      if (names.length > 0) await tx.delete(outboxMessageParams).where(paramsKey);
      return { settled: 'suppressed' as const };
    }
    let params: Record<string, string> | undefined;
    if (names.length > 0) {
      const [p] = await tx.select().from(outboxMessageParams).where(paramsKey);
      if (!p || p.expiresAt <= now) {
        // the values it needs are gone (kept only so long): it cannot be sent; staff send a new one
        await tx.update(outboxMessages).set({ status: 'dead', lastError: 'params_expired', updatedAt: now }).where(key);
        await tx.delete(outboxMessageParams).where(paramsKey);
        return { settled: 'dead' as const };
      }
      params = p.params;
    }
    const quietUntil = quietHoursEnd(now, contact.timeZone, contact.quietHours);
    if (quietUntil) {
      await tx.update(outboxMessages).set({ nextAttemptAt: quietUntil, updatedAt: now }).where(key);
      return { settled: 'deferred' as const };
    }
    const attempts = m.attempts + 1;
    await tx
      .update(outboxMessages)
      .set({ attempts, nextAttemptAt: new Date(now.getTime() + leaseSeconds * 1000), updatedAt: now })
      .where(key);
    const { subject, text } = render(m.template, contact.language, params);
    const kept = params ? render(m.template, contact.language, masked(names)).text : text;
    const to = channels[m.channel] ? contact.address[m.channel] : null;
    return { claim: { programId: m.programId, id: m.id, attempts, channel: m.channel, to, subject, text, kept } };
  });
}

/** Delivers every due message (up to `batch`); safe to run in several processes at once. */
export async function deliverDue(db: Db, channels: Channels, opts: DeliveryOptions): Promise<DeliveryCounts> {
  const clock = opts.clock ?? (() => new Date());
  const counts: DeliveryCounts = { sent: 0, console: 0, failed: 0, dead: 0, suppressed: 0, deferred: 0 };
  for (let i = 0; i < (opts.batch ?? 100); i++) {
    const next = await claimNext(db, channels, clock(), opts.leaseSeconds);
    if (!next) break;
    if ('settled' in next) {
      counts[next.settled] += 1;
      continue;
    }
    const c = next.claim;
    const adapter = channels[c.channel];
    const key = and(eq(outboxMessages.programId, c.programId), eq(outboxMessages.id, c.id), eq(outboxMessages.attempts, c.attempts), eq(outboxMessages.status, 'pending'));
    if (!adapter || c.to === null) {
      // no provider for this channel: the console's outbox view is where it is read
      await settle(db, c, { status: 'sent', deliveredVia: 'console', body: c.kept, sentAt: clock(), updatedAt: clock() });
      counts.console += 1;
      continue;
    }
    const result = await adapter.send({ to: c.to, subject: c.subject, text: c.text, idempotencyKey: c.id });
    const now = clock();
    if (result.ok) {
      await settle(db, c, { status: 'sent', deliveredVia: 'provider', providerMessageId: result.providerMessageId, body: c.kept, lastError: null, sentAt: now, updatedAt: now });
      counts.sent += 1;
      continue;
    }
    const after = afterFailure(c.attempts, result.kind, now);
    if (after.status === 'dead') await settle(db, c, { status: 'dead', lastError: result.code, updatedAt: now });
    else await db.update(outboxMessages).set({ nextAttemptAt: after.nextAttemptAt, lastError: result.code, updatedAt: now }).where(key);
    if (after.status === 'dead') counts.dead += 1;
    else counts.failed += 1;
  }
  return counts;
}

/** Settles a claimed attempt (sent or dead) and, in the same transaction, deletes the values its template was filled in with. */
async function settle(db: Db, c: Claim, set: Partial<typeof outboxMessages.$inferInsert>): Promise<void> {
  await inTransaction(db, async (tx) => {
    const done = await tx
      .update(outboxMessages)
      .set(set)
      .where(and(eq(outboxMessages.programId, c.programId), eq(outboxMessages.id, c.id), eq(outboxMessages.attempts, c.attempts), eq(outboxMessages.status, 'pending')))
      .returning({ id: outboxMessages.id });
    if (done.length > 0) await tx.delete(outboxMessageParams).where(and(eq(outboxMessageParams.programId, c.programId), eq(outboxMessageParams.messageId, c.id)));
  });
}

/** Deletes template values kept past their time (hourly; a message settled deletes its own at once). */
export async function purgeExpiredMessageParams(db: Db, now: Date): Promise<number> {
  const gone = await db.delete(outboxMessageParams).where(lte(outboxMessageParams.expiresAt, now)).returning({ id: outboxMessageParams.messageId });
  return gone.length;
}

/** Suppresses a patient's queued SMS at once (they texted STOP). */
export async function suppressQueuedSms(tx: Tx, programId: string, patientId: string, now: Date): Promise<number> {
  const gone = await tx
    .update(outboxMessages)
    .set({ status: 'suppressed', suppressedReason: 'opted-out', updatedAt: now })
    .where(and(eq(outboxMessages.programId, programId), eq(outboxMessages.patientId, patientId), eq(outboxMessages.channel, 'sms'), eq(outboxMessages.status, 'pending')))
    .returning({ id: outboxMessages.id });
  if (gone.length > 0)
    await tx.delete(outboxMessageParams).where(
      and(
        eq(outboxMessageParams.programId, programId),
        inArray(
          outboxMessageParams.messageId,
          gone.map((g) => g.id),
        ),
      ),
    );
  return gone.length;
}

/** Messages waiting to be delivered (for start-up output and tests). */
export async function pendingCount(db: Db): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outboxMessages)
    .where(eq(outboxMessages.status, 'pending'));
  return r?.n ?? 0;
}
