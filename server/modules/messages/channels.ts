// The channels a message leaves by: SMS through a Twilio-compatible REST API, email over
// SMTP (nodemailer), Web Push with VAPID (web-push). A channel without a provider
// configured delivers to the console's outbox view instead (development and demo).
// Adapters return a code on failure, never a provider's message text (it can quote the
// number or the body).
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import type { Channel } from '../../../core/messages/consent.ts';
import { failureKindOfStatus, type FailureKind } from '../../../core/messages/delivery.ts';

export type Outgoing = {
  /** E.164 phone, email address, or a push subscription as JSON. */
  to: string;
  subject: string;
  text: string;
  /** The message's id: the same on every attempt, so a provider that honours it sends once. */
  idempotencyKey: string;
};
export type SendResult = { ok: true; providerMessageId: string | null } | { ok: false; kind: FailureKind; code: string };
export type ChannelAdapter = { send(message: Outgoing): Promise<SendResult> };
/** The adapters configured; a channel missing here delivers to the console. */
export type Channels = Partial<Record<Channel, ChannelAdapter>>;

export type SmsConfig = { baseUrl: string; accountSid: string; authToken: string; from: string };
export type EmailConfig = { smtpUrl: string; from: string };
export type PushConfig = { publicKey: string; privateKey: string; subject: string };
export type ChannelsConfig = { sms?: SmsConfig | undefined; email?: EmailConfig | undefined; push?: PushConfig | undefined; timeoutMs?: number };

const failed = (kind: FailureKind, code: string): SendResult => ({ ok: false, kind, code });

/** POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded, HTTP Basic, with an Idempotency-Key header. */
export function smsAdapter(c: SmsConfig, timeoutMs = 10_000): ChannelAdapter {
  const url = `${c.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(c.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64')}`;
  return {
    async send(m) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': m.idempotencyKey, 'i-twilio-idempotency-token': m.idempotencyKey },
          body: new URLSearchParams({ To: m.to, From: c.from, Body: m.text }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        return failed('transient', 'network');
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return failed(failureKindOfStatus(res.status), `http_${res.status}`);
      }
      const json = (await res.json().catch(() => ({}))) as { sid?: unknown };
      return { ok: true, providerMessageId: typeof json.sid === 'string' ? json.sid.slice(0, 64) : null };
    },
  };
}

/** SMTP through nodemailer; the Message-ID is derived from the message's id (the same on a retry). */
export function emailAdapter(c: EmailConfig, timeoutMs = 10_000): ChannelAdapter {
  const transport = nodemailer.createTransport(c.smtpUrl, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({ from: c.from, to: m.to, subject: m.subject, text: m.text, messageId: `<${m.idempotencyKey}@waypoint.invalid>` });
        return { ok: true, providerMessageId: typeof info.messageId === 'string' ? info.messageId.slice(0, 200) : null };
      } catch (err) {
        const code = (err as { responseCode?: unknown }).responseCode;
        // SMTP 5xx is permanent (no such mailbox), 4xx and connection errors are not
        if (typeof code === 'number') return failed(code >= 500 ? 'permanent' : 'transient', `smtp_${code}`);
        return failed('transient', 'network');
      }
    },
  };
}

/** Web Push with VAPID; the topic (the message id, shortened) lets the push service replace an undelivered copy rather than show two. */
export function pushAdapter(c: PushConfig, timeoutMs = 10_000): ChannelAdapter {
  return {
    async send(m) {
      let subscription: webpush.PushSubscription;
      try {
        subscription = JSON.parse(m.to) as webpush.PushSubscription;
      } catch {
        return failed('permanent', 'bad_subscription');
      }
      try {
        const res = await webpush.sendNotification(subscription, JSON.stringify({ title: m.subject, body: m.text }), {
          vapidDetails: { subject: c.subject, publicKey: c.publicKey, privateKey: c.privateKey },
          TTL: 24 * 3600,
          topic: m.idempotencyKey.replace(/-/g, '').slice(0, 32),
          timeout: timeoutMs,
        });
        return { ok: true, providerMessageId: typeof res.headers.location === 'string' ? res.headers.location.slice(-64) : null };
      } catch (err) {
        const status = (err as { statusCode?: unknown }).statusCode;
        if (typeof status === 'number') return failed(status === 404 || status === 410 ? 'permanent' : failureKindOfStatus(status), `http_${status}`);
        return failed('transient', 'network');
      }
    },
  };
}

export function channelsFrom(c: ChannelsConfig): Channels {
  const out: Channels = {};
  if (c.sms) out.sms = smsAdapter(c.sms, c.timeoutMs);
  if (c.email) out.email = emailAdapter(c.email, c.timeoutMs);
  if (c.push) out.push = pushAdapter(c.push, c.timeoutMs);
  return out;
}
