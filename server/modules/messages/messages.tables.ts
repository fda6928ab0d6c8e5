// The outbox (every message that leaves the building, enqueued in its cause's transaction),
// patients' contact preferences, Web Push subscriptions, and inbound SMS already answered.
// Clinical tables carry program_id and their keys include it (docs/scaling.md).
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { CHANNELS, SUPPRESSION_REASONS } from '../../../core/messages/consent.ts';
import { patients } from '../patients/patients.tables.ts';

const oneOf = (col: unknown, values: readonly string[]) => sql`${col} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;
const patientRef = (t: { programId: AnyPgColumn; patientId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.programId, t.patientId], foreignColumns: [patients.programId, patients.id] });

export const MESSAGE_STATUSES = ['pending', 'sent', 'suppressed', 'dead'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const outboxMessages = pgTable(
  'outbox_messages',
  {
    programId: uuid('program_id').notNull(),
    /** Also the provider idempotency key: the same on every attempt. */
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    channel: text('channel').$type<(typeof CHANNELS)[number]>().notNull(),
    /** A template id in content/messages/templates.json; the body is rendered at delivery in the patient's language then. */
    template: text('template').notNull(),
    /** What caused it (e.g. `reminder:draws-waiting`, `simulator`): a code, never free text. */
    cause: text('cause').notNull(),
    /** At most one message per key per programme (a reminder for one day is enqueued once). */
    dedupeKey: text('dedupe_key'),
    status: text('status').$type<MessageStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When it may next be tried (a retry's backoff, the end of quiet hours, or a claimed attempt's lease). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** A code (`http_503`, `network`, `permanent_400`), never a provider's message text. */
    lastError: text('last_error'),
    suppressedReason: text('suppressed_reason').$type<(typeof SUPPRESSION_REASONS)[number]>(),
    /** `provider` or `console` (no provider configured for the channel: shown in the console's outbox). */
    deliveredVia: text('delivered_via'),
    providerMessageId: text('provider_message_id'),
    /** The body as delivered (no health information: templates are neutral). */
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'outbox_messages_patient_fk'),
    index('outbox_messages_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('outbox_messages_list_idx').on(t.programId, t.createdAt),
    index('outbox_messages_patient_idx').on(t.programId, t.patientId, t.status),
    uniqueIndex('outbox_messages_dedupe_key').on(t.programId, t.dedupeKey),
    check('outbox_messages_status_check', oneOf(t.status, MESSAGE_STATUSES)),
    check('outbox_messages_channel_check', oneOf(t.channel, CHANNELS)),
  ],
);

/** How a patient may be reached, beside the phone, email and language on the patient record. */
export const contactPreferences = pgTable(
  'contact_preferences',
  {
    programId: uuid('program_id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** IANA zone; null: the programme's. */
    timeZone: text('time_zone'),
    quietStart: text('quiet_start'),
    quietEnd: text('quiet_end'),
    consentSms: boolean('consent_sms').notNull().default(false),
    consentEmail: boolean('consent_email').notNull().default(false),
    consentPush: boolean('consent_push').notNull().default(false),
    /** The local time ("HH:MM") of the daily check-in reminder, chosen by the patient or staff; null: none. */
    checkInReminderAt: text('check_in_reminder_at'),
    /** When the patient texted STOP (START clears it). */
    smsOptedOutAt: timestamp('sms_opted_out_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.patientId] }),
    patientRef(t, 'contact_preferences_patient_fk'),
    check('contact_preferences_quiet_check', sql`(${t.quietStart} is null) = (${t.quietEnd} is null)`),
    check('contact_preferences_reminder_check', sql`${t.checkInReminderAt} is null or ${t.checkInReminderAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

/** A patient's Web Push subscriptions (saved by the patient app through savePushSubscription). */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    programId: uuid('program_id').notNull(),
    id: uuid('id').notNull(),
    patientId: uuid('patient_id').notNull(),
    /** The patient-app device that subscribed: its subscriptions end when it signs out or is revoked. */
    deviceId: uuid('device_id'),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Set when the push service answers 404/410 (the subscription is gone) or the device is revoked. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.id] }),
    patientRef(t, 'push_subscriptions_patient_fk'),
    uniqueIndex('push_subscriptions_endpoint_key').on(t.programId, t.endpoint),
    index('push_subscriptions_device_idx').on(t.programId, t.deviceId),
  ],
);

/**
 * Inbound SMS already handled, by the provider's MessageSid, with the reply given: a
 * provider's retry gets the same reply and changes nothing. No phone number, no text.
 * Global (an inbound text names a phone number, not a programme).
 */
export const inboundSms = pgTable('inbound_sms', {
  messageSid: text('message_sid').primaryKey(),
  reply: text('reply').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/**
 * The values a message's template needs at delivery that must not stay in the outbox (an
 * app invite's code): deleted when the message is delivered, suppressed or dead, and the
 * body kept in the outbox shows the code masked (ADR 038).
 */
export const outboxMessageParams = pgTable(
  'outbox_message_params',
  {
    programId: uuid('program_id').notNull(),
    messageId: uuid('message_id').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    /** After this the message is not sent (suppressed as expired) and this row is deleted. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.messageId] }),
    foreignKey({ name: 'outbox_message_params_message_fk', columns: [t.programId, t.messageId], foreignColumns: [outboxMessages.programId, outboxMessages.id] }).onDelete('cascade'),
  ],
);

/** A programme's phone line: the number a caller on the voice check-in line is put through to. */
export const phoneLineSettings = pgTable('phone_line_settings', {
  programId: uuid('program_id').primaryKey(),
  /** E.164; null: no number (the line tells callers to call their clinic). */
  clinicNumber: text('clinic_number'),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * A voice check-in call in progress, by the provider's CallSid (ADR 038): who called (null
 * for a number that is no one's), the key-press state (core/checkins/voice.ts) and how many
 * steps it has taken. Global, like inbound_sms: a call names a phone number, not a programme.
 * Answers of a call that ends before the last question are cleared by the hourly job.
 */
export const voiceCalls = pgTable(
  'voice_calls',
  {
    callSid: text('call_sid').primaryKey(),
    programId: uuid('program_id'),
    patientId: uuid('patient_id'),
    language: text('language').notNull(),
    state: jsonb('state').notNull(),
    /** The step the call is at: each prompt's key press comes back naming it. */
    seq: integer('seq').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('voice_calls_updated_idx').on(t.updatedAt)],
);

/** The TwiML each step of a call was answered with: a retried webhook gets it again and changes nothing. */
export const voiceCallSteps = pgTable(
  'voice_call_steps',
  {
    callSid: text('call_sid')
      .notNull()
      .references(() => voiceCalls.callSid, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    twiml: text('twiml').notNull(),
  },
  (t) => [primaryKey({ columns: [t.callSid, t.seq] })],
);
