// Messages: the console's outbox view, contact preferences, the SMS simulator and the
// inbound SMS webhook (docs/messages.md).
import { z } from 'zod';
import { CHANNELS, SUPPRESSION_REASONS } from '../core/messages/consent.ts';
import { HHMM } from '../core/messages/quiet-hours.ts';
import { Id, PageQuery } from './common.ts';

export const MESSAGE_STATUSES = ['pending', 'sent', 'suppressed', 'dead'] as const;

export const MessageListQuery = z.strictObject({
  status: z.enum(MESSAGE_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  ...PageQuery,
});

export const OutboxMessage = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  channel: z.enum(CHANNELS),
  template: z.string(),
  cause: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable().describe('When it will next be tried (pending only).'),
  lastError: z.string().nullable().describe('A code such as http_503 or network; never a provider’s text.'),
  suppressedReason: z.enum(SUPPRESSION_REASONS).nullable(),
  deliveredVia: z.enum(['provider', 'console']).nullable(),
  body: z.string().nullable().describe('The text as delivered (no health information).'),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export const OutboxList = z.object({
  items: z.array(OutboxMessage),
  nextCursor: z.string().nullable(),
  counts: z.object({ pending: z.number().int(), sent: z.number().int(), suppressed: z.number().int(), dead: z.number().int() }),
  consoleChannels: z.array(z.enum(CHANNELS)).describe('Channels with no provider configured: their messages are delivered here.'),
});

const Hhmm = z.string().regex(HHMM, 'must be a time as HH:MM (24-hour)');
const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/New_York');

export const ContactPreferences = z.object({
  patientId: Id,
  timeZone: z.string().nullable().describe('null: the programme’s time zone.'),
  effectiveTimeZone: z.string(),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  consent: z.object({ sms: z.boolean(), email: z.boolean(), push: z.boolean() }),
  smsOptedOutAt: z.string().nullable().describe('When the patient texted STOP; START clears it.'),
  checkInReminderAt: z.string().nullable().describe('The local time (HH:MM) of the daily check-in reminder; null: none.'),
  hasAddress: z.object({ sms: z.boolean(), email: z.boolean(), push: z.boolean() }),
  version: z.number().int().describe('0 until first saved.'),
});
export const ContactPreferencesUpdate = z.strictObject({
  version: z.number().int().min(0).describe('The version you edited (0 for none saved yet).'),
  timeZone: TimeZone.nullable(),
  quietHours: z.strictObject({ start: Hhmm, end: Hhmm }).nullable(),
  consent: z.strictObject({ sms: z.boolean(), email: z.boolean(), push: z.boolean() }),
  checkInReminderAt: Hhmm.nullable().optional().describe('The local time (HH:MM) of the daily check-in reminder; null: none; left out: unchanged.'),
});

export const SmsSimulation = z.strictObject({
  from: z.string().trim().min(3).max(40).describe('The phone number the text comes from.'),
  body: z.string().max(1600),
});
export const SmsSimulationResult = z.object({ status: z.number().int(), reply: z.string().nullable().describe('The text of the TwiML reply.'), twiml: z.string() });

/** Twilio's inbound message parameters (form-encoded); others are accepted and signed over too. */
export const TwilioInbound = z.looseObject({
  MessageSid: z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'must be a message id'),
  From: z.string().min(1).max(40),
  Body: z.string().max(1600).default(''),
});

/** Twilio's voice webhook parameters (form-encoded); others are accepted and signed over too. */
export const TwilioVoice = z.looseObject({
  CallSid: z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'must be a call id'),
  From: z.string().min(1).max(40),
  Digits: z.string().max(20).optional(),
});
export const VoiceGatherQuery = z.strictObject({ seq: z.coerce.number().int().min(1).max(100).describe('The step of the call this key press answers.') });

export const VoiceCallSimulation = z.strictObject({ from: z.string().trim().min(3).max(40).describe('The phone number the call comes from.') });
export const VoiceKeysSimulation = z.strictObject({
  callSid: z.string().regex(/^CA[a-f0-9]{32}$/, 'must be a simulated call id'),
  seq: z.number().int().min(1).max(100).describe('The step whose prompt is answered (from the last answer).'),
  digits: z
    .string()
    .regex(/^[0-9*#]?$/, 'must be one key, or empty for no key')
    .describe('The key pressed; empty: none before the time-out.'),
});
export const VoiceSimulationResult = z.object({
  callSid: z.string(),
  status: z.number().int(),
  said: z.array(z.string()).describe('What the caller hears, in order.'),
  nextSeq: z.number().int().nullable().describe('The step the next key press answers; null: the call does not wait for a key.'),
  dial: z.string().nullable().describe('The number the call is put through to, if any.'),
  hangup: z.boolean(),
  twiml: z.string(),
});

export const PhoneLine = z.object({ clinicNumber: z.string().nullable().describe('E.164; null: none (callers are told to call their clinic).') });
export const PhoneLineUpdate = z.strictObject({ clinicNumber: z.string().max(40).nullable() });
