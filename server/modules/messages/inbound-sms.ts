// Inbound SMS (Twilio's webhook format): the signature check, STOP/START/HELP in English and
// Spanish, idempotency per MessageSid, and a seam for other texts (SMS check-ins, later).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { keywordOf, type KeywordLanguage } from '../../../core/messages/keywords.ts';
import { toE164 } from '../../../core/messages/phone.ts';
import { readTwiml, twiml } from '../../../core/messages/twiml.ts';
import { writeAudit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditContext, systemCtx } from '../../platform/http/context.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { contactPreferences, inboundSms } from './messages.tables.ts';
import { suppressQueuedSms } from './outbox.ts';
import { messageLanguage, render } from './templates.ts';

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, over the URL and the sorted parameters, each name then value. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether a signature is the one expected, compared in constant time. */
export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A patient an inbound number belongs to (a number can be on records in more than one programme). */
export type SmsSender = { programId: string; orgId: string; patientId: string; language: string };

/**
 * The seam for texts that are not STOP, START or HELP: returns the reply, or null for the
 * neutral "could not read that". SMS check-ins ("7 0 1") plug in here.
 */
export type OtherTextHandler = (tx: Tx, input: { senders: SmsSender[]; text: string; now: Date; messageSid: string; requestId: string }) => Promise<string | null>;
export const noOtherTextHandler: OtherTextHandler = async () => null;

/** The patients whose phone number is this one (compared as E.164): inbound texts and calls alike. */
export async function sendersOf(tx: Tx, from: string): Promise<SmsSender[]> {
  const e164 = toE164(from);
  if (!e164) return [];
  const digits = e164.slice(1);
  // a sequential scan of the phone column, compared by digits: inbound texts are few (docs/messages.md)
  const rows = await tx
    .select({ programId: patients.programId, orgId: programs.orgId, patientId: patients.id, language: patients.preferredLanguage, phone: patients.phone })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .where(sql`${patients.phone} is not null and right(regexp_replace(${patients.phone}, '\\D', '', 'g'), 7) = ${digits.slice(-7)}`);
  return rows.filter((r) => r.phone && toE164(r.phone) === e164).map(({ phone: _phone, ...r }) => r);
}

async function setSmsOptOut(tx: Tx, s: SmsSender, optedOut: boolean, now: Date, requestId: string): Promise<void> {
  await tx
    .insert(contactPreferences)
    .values({ programId: s.programId, patientId: s.patientId, smsOptedOutAt: optedOut ? now : null, updatedAt: now })
    .onConflictDoUpdate({
      target: [contactPreferences.programId, contactPreferences.patientId],
      set: { smsOptedOutAt: optedOut ? now : null, updatedAt: now, version: sql`${contactPreferences.version} + 1` },
    });
  const suppressed = optedOut ? await suppressQueuedSms(tx, s.programId, s.patientId, now) : 0;
  const ctx = systemCtx({ orgId: s.orgId, programId: s.programId, now, requestId });
  await writeAudit(tx, auditContext(ctx), {
    action: 'update',
    entity: 'contact-preferences',
    entityId: s.patientId,
    patientId: s.patientId,
    detail: { channel: 'sms', optedOut, suppressed, by: 'sms-keyword' },
  });
}

/**
 * Handles one inbound text once: a repeat of a MessageSid gets the first reply and changes
 * nothing. STOP opts the number out at once (queued texts to it are suppressed), START
 * opts it back in, HELP says what the number is. Returns the reply's text.
 */
export async function handleInboundSms(tx: Tx, input: { messageSid: string; from: string; body: string; now: Date; requestId: string }, other: OtherTextHandler = noOtherTextHandler): Promise<string> {
  const [prior] = await tx.select({ reply: inboundSms.reply }).from(inboundSms).where(eq(inboundSms.messageSid, input.messageSid)).for('update');
  if (prior) return prior.reply;
  const senders = await sendersOf(tx, input.from);
  const keyword = keywordOf(input.body);
  const language = (k: KeywordLanguage | undefined) => (k === 'es' ? 'es' : messageLanguage(senders[0]?.language));
  let reply: string;
  if (keyword?.keyword === 'stop' || keyword?.keyword === 'start') {
    for (const s of senders) await setSmsOptOut(tx, s, keyword.keyword === 'stop', input.now, input.requestId);
    reply = render(keyword.keyword === 'stop' ? 'sms-stopped' : 'sms-started', language(keyword.language)).text;
  } else if (keyword?.keyword === 'help') {
    reply = render('sms-help', language(keyword.language)).text;
  } else {
    reply = (await other(tx, { senders, text: input.body, now: input.now, messageSid: input.messageSid, requestId: input.requestId })) ?? render('sms-unrecognised', language(undefined)).text;
  }
  // a concurrent delivery of the same MessageSid waits on the key, then gets this reply
  const stored = await tx.insert(inboundSms).values({ messageSid: input.messageSid, reply, receivedAt: input.now }).onConflictDoNothing().returning({ reply: inboundSms.reply });
  if (stored.length === 0) {
    const [first] = await tx.select({ reply: inboundSms.reply }).from(inboundSms).where(eq(inboundSms.messageSid, input.messageSid));
    return first?.reply ?? reply;
  }
  return reply;
}

/** TwiML answering with one text (core/messages/twiml.ts escapes it). */
export const twimlReply = (text: string) => twiml([{ verb: 'message', text }]);
/** The text of a TwiML reply (for the simulator). */
export const textOfTwiml = (xml: string): string | null => readTwiml(xml).message;
