// The outbox and its channels (PGlite, and PostgreSQL with TEST_DATABASE_URL): delivery,
// retries with backoff, dead letters and their retry, consent, opt-out and quiet hours,
// the console fallback, contact preferences, the signed inbound SMS webhook and the
// simulator, the SMS and email adapters against local fakes, and the templates' schema.
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { MAX_ATTEMPTS } from '../../core/messages/delivery.ts';
import { emailAdapter, smsAdapter, type ChannelAdapter, type Outgoing, type SendResult } from '../../server/modules/messages/channels.ts';
import { twilioSignature } from '../../server/modules/messages/inbound-sms.ts';
import { contactPreferences, outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { savePushSubscription } from '../../server/modules/messages/messages.ts';
import { deliverDue, enqueueMessage } from '../../server/modules/messages/outbox.ts';
import { TEMPLATE_FILE, TemplateFile } from '../../server/modules/messages/templates.ts';
import { auditEvents } from '../../server/modules/audit/audit.tables.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { fakeSmsProvider, textablePatient } from './support.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
}, 60_000);
/** Signs in afresh: tests move the clock past the idle time-out. */
const administrator = (): Promise<Client> => w.client('administrator');
afterAll(async () => {
  await w?.close();
});

/** A channel adapter that answers from a script and records what it was given. */
function scripted(answers: SendResult[]): ChannelAdapter & { sent: Outgoing[] } {
  const sent: Outgoing[] = [];
  return {
    sent,
    async send(m) {
      sent.push(m);
      return answers.shift() ?? { ok: true, providerMessageId: 'SMok' };
    },
  };
}

const enqueue = (patientId: string, over: { channel?: 'sms' | 'email' | 'push'; template?: string; dedupeKey?: string } = {}) =>
  inTransaction(w.database.db, (tx) =>
    enqueueMessage(tx, {
      programId: w.programA,
      patientId,
      template: over.template ?? 'reminder',
      cause: 'test',
      channel: over.channel ?? 'sms',
      now: w.clock.now,
      ...(over.dedupeKey ? { dedupeKey: over.dedupeKey } : {}),
    }),
  );
const messageRow = async (id: string) => (await w.database.db.select().from(outboxMessages).where(eq(outboxMessages.id, id)))[0]!;
const deliver = (adapter: ChannelAdapter | undefined) => deliverDue(w.database.db, adapter ? { sms: adapter } : {}, { leaseSeconds: 60, clock: () => w.clock.now });
const newPatient = (over: Parameters<typeof textablePatient>[3] = {}) => inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, over));

describe('templates (content/messages/templates.json)', () => {
  const file = TemplateFile.parse(JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')));
  it('every template has English and Spanish and passes the schema', () => {
    expect(Object.keys(file.templates).length).toBeGreaterThanOrEqual(5);
    for (const t of Object.values(file.templates)) {
      expect(t.en.text.length).toBeGreaterThan(0);
      expect(t.es.text).not.toBe(t.en.text);
    }
  });
  it('no body carries health information', () => {
    const words =
      /\b(opioid|opiate|methadone|buprenorphine|suboxone|drug|urine|specimen|test|result|positive|negative|treatment|recovery|relapse|overdose|naloxone|addiction|substance|voucher|prize|draw|counsel\w*|therapy|medication|dose|tratamiento|droga|prueba|resultado|adicci[oó]n|sustancia|medicamento|dosis)\b/i;
    for (const [id, t] of Object.entries(file.templates)) for (const l of ['en', 'es'] as const) expect(`${id}.${l}: ${t[l].subject} ${t[l].text}`).not.toMatch(words);
  });
  it('patient-facing English reads at about a 6th-grade level (Flesch–Kincaid grade ≤ 7 for every text)', () => {
    const syllables = (word: string) => {
      const w = word.toLowerCase().replace(/[^a-z]/g, '');
      if (w.length <= 3) return 1;
      const groups = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').match(/[aeiouy]{1,2}/g);
      return Math.max(1, groups?.length ?? 1);
    };
    const grade = (text: string) => {
      const sentences = text.split(/[.!?]+/).filter((x) => x.trim() !== '').length;
      const words = text.split(/\s+/).filter((x) => /[a-z]/i.test(x));
      const syl = words.reduce((n, w) => n + syllables(w), 0);
      return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
    };
    expect(grade('The cat sat on the mat. It was fun.')).toBeLessThan(2);
    for (const [id, t] of Object.entries(file.templates)) expect(grade(t.en.text), id).toBeLessThanOrEqual(7);
  });
  it('refuses a template without Spanish', () => {
    expect(TemplateFile.safeParse({ about: '', templates: { x: { en: { subject: '', text: 'Hi' } } } }).success).toBe(false);
  });
});

describe('delivery', () => {
  it('sends a due message once, with its id as the idempotency key, in the patient’s language', async () => {
    const p = await newPatient({ language: 'es' });
    const id = (await enqueue(p))!;
    const sms = scripted([{ ok: true, providerMessageId: 'SM1' }]);
    const counts = await deliver(sms);
    expect(counts.sent).toBeGreaterThanOrEqual(1);
    const mine = sms.sent.filter((m) => m.idempotencyKey === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toBe('Tiene un recordatorio de su clínica. Abra la aplicación.');
    expect(mine[0]!.to).toMatch(/^\+1555010\d{4}$/);
    const row = await messageRow(id);
    expect(row).toMatchObject({ status: 'sent', deliveredVia: 'provider', providerMessageId: 'SM1', attempts: 1 });
    await deliver(sms);
    expect(sms.sent.filter((m) => m.idempotencyKey === id)).toHaveLength(1);
  });

  it('a transient failure is retried after a backoff with the same key; MAX_ATTEMPTS failures make a dead letter; retry sends it again', async () => {
    const p = await newPatient();
    const id = (await enqueue(p))!;
    const down = scripted(Array.from({ length: MAX_ATTEMPTS }, () => ({ ok: false as const, kind: 'transient' as const, code: 'http_503' })));
    await deliver(down);
    let row = await messageRow(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http_503' });
    expect(row.nextAttemptAt.getTime() - w.clock.now.getTime()).toBe(30_000);
    await deliver(down); // not due yet
    expect((await messageRow(id)).attempts).toBe(1);
    for (let i = 2; i <= MAX_ATTEMPTS; i++) {
      w.clock.advance(3600_000);
      await deliver(down);
    }
    row = await messageRow(id);
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastError: 'http_503' });
    expect(new Set(down.sent.filter((m) => m.idempotencyKey === id).map((m) => m.idempotencyKey)).size).toBe(1);

    const admin = await administrator(); // after the clock moved past the idle time-out
    const list = await admin.get('/api/v1/messages?status=dead');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { id: string }) => m.id)).toContain(id);
    expect(list.json().counts.dead).toBeGreaterThanOrEqual(1);

    // a counsellor may read the outbox but not retry
    const counsellor = await w.client('counsellor');
    expect((await counsellor.get('/api/v1/messages')).statusCode).toBe(200);
    expect((await counsellor.post(`/api/v1/messages/${id}/retry`)).statusCode).toBe(403);
    const retried = await admin.post(`/api/v1/messages/${id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect((await admin.post(`/api/v1/messages/${id}/retry`)).json().code).toBe('not_a_dead_letter');
    const up = scripted([]);
    await deliver(up);
    expect(await messageRow(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(up.sent.find((m) => m.idempotencyKey === id)).toBeDefined();
  });

  it('a permanent refusal is a dead letter at once', async () => {
    const id = (await enqueue(await newPatient()))!;
    await deliver(scripted([{ ok: false, kind: 'permanent', code: 'http_400' }]));
    expect(await messageRow(id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'http_400' });
  });

  it('with no provider for the channel, the message is delivered to the console outbox', async () => {
    const admin = await administrator();
    const id = (await enqueue(await newPatient()))!;
    await deliver(undefined);
    expect(await messageRow(id)).toMatchObject({ status: 'sent', deliveredVia: 'console', body: 'You have a reminder from your clinic. Open the app.' });
    const list = (await admin.get('/api/v1/messages')).json();
    expect(list.consoleChannels).toEqual(['sms', 'email', 'push']);
    expect(list.items.find((m: { id: string }) => m.id === id)).toMatchObject({ deliveredVia: 'console', patientName: expect.stringMatching(/^Robin /) });
    // paged, newest first; a bad cursor is a 400 naming it
    const first = (await admin.get('/api/v1/messages?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await admin.get(`/api/v1/messages?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect(second.items[0].createdAt <= first.items[0].createdAt).toBe(true);
    const bad = await admin.get('/api/v1/messages?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().problems)).toContain('query.cursor');
  });

  it('no consent, no address, or an opt-out: recorded as suppressed, never sent', async () => {
    const noConsent = (await enqueue(await newPatient({ consentSms: false })))!;
    expect(await messageRow(noConsent)).toMatchObject({ status: 'suppressed', suppressedReason: 'no-consent' });
    const noEmail = (await enqueue(await newPatient(), { channel: 'email' }))!;
    expect(await messageRow(noEmail)).toMatchObject({ status: 'suppressed', suppressedReason: 'no-consent' });
    // opted out after it was queued: suppressed when its turn comes
    const p = await newPatient();
    const id = (await enqueue(p))!;
    await w.database.db
      .update(contactPreferences)
      .set({ smsOptedOutAt: w.clock.now })
      .where(and(eq(contactPreferences.programId, w.programA), eq(contactPreferences.patientId, p)));
    const sms = scripted([]);
    await deliver(sms);
    expect(await messageRow(id)).toMatchObject({ status: 'suppressed', suppressedReason: 'opted-out' });
    expect(sms.sent.find((m) => m.idempotencyKey === id)).toBeUndefined();
  });

  it('quiet hours in the patient’s time zone defer delivery to their end, without using an attempt', async () => {
    w.clock.now = new Date('2026-03-10T03:00:00Z'); // 23:00 in New York (EDT)
    const p = await newPatient({ quiet: { start: '21:00', end: '08:00' } });
    const id = (await enqueue(p))!;
    const sms = scripted([]);
    await deliver(sms);
    expect(await messageRow(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await messageRow(id)).nextAttemptAt.toISOString()).toBe('2026-03-10T12:00:00.000Z');
    w.clock.now = new Date('2026-03-10T12:00:00Z');
    await deliver(sms);
    expect(await messageRow(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a dedupe key enqueues once', async () => {
    const p = await newPatient();
    expect(await enqueue(p, { dedupeKey: 'reminder:2026-03-10' })).not.toBeNull();
    expect(await enqueue(p, { dedupeKey: 'reminder:2026-03-10' })).toBeNull();
  });

  it('a push subscription is saved for a patient (the seam for the patient app), and push then reaches them', async () => {
    const p = await newPatient();
    await w.database.db.update(contactPreferences).set({ consentPush: true }).where(eq(contactPreferences.patientId, p));
    await inTransaction(w.database.db, (tx) =>
      savePushSubscription(tx, { programId: w.programA, patientId: p, endpoint: 'https://push.example.invalid/abc', p256dh: 'key', auth: 'auth', now: w.clock.now }),
    );
    const id = (await inTransaction(w.database.db, (tx) => enqueueMessage(tx, { programId: w.programA, patientId: p, template: 'something-waiting', cause: 'test', now: w.clock.now })))!;
    const row = await messageRow(id);
    expect(row).toMatchObject({ channel: 'push', status: 'pending' }); // push is the first choice when allowed
    const push = scripted([]);
    await deliverDue(w.database.db, { push }, { leaseSeconds: 60, clock: () => w.clock.now });
    expect(JSON.parse(push.sent.find((m) => m.idempotencyKey === id)!.to)).toEqual({ endpoint: 'https://push.example.invalid/abc', keys: { p256dh: 'key', auth: 'auth' } });
  });
});

describe('configuration', () => {
  it('a channel is configured with all its variables or none; a partial one stops start-up naming what is missing', () => {
    expect(loadConfig({}).messages).toMatchObject({ sms: undefined, email: undefined, push: undefined, pollSeconds: 5, leaseSeconds: 60 });
    expect(() => loadConfig({ WAYPOINT_SMS_ACCOUNT_SID: 'AC1', WAYPOINT_SMS_AUTH_TOKEN: 't' })).toThrow(/WAYPOINT_SMS_FROM/);
    expect(() => loadConfig({ WAYPOINT_SMTP_URL: 'http://x' })).toThrow(/WAYPOINT_SMTP_URL/);
    const c = loadConfig({ WAYPOINT_SMS_ACCOUNT_SID: 'AC1', WAYPOINT_SMS_AUTH_TOKEN: 't', WAYPOINT_SMS_FROM: '+15550100000', WAYPOINT_SMS_BASE_URL: 'http://127.0.0.1:9999' });
    expect(c.messages.sms).toEqual({ baseUrl: 'http://127.0.0.1:9999', accountSid: 'AC1', authToken: 't', from: '+15550100000' });
  });
});

describe('contact preferences', () => {
  it('are saved with optimistic versions and audited; bad input names the field', async () => {
    const admin = await administrator();
    const url = `/api/v1/patients/${w.patientA}/contact-preferences`;
    const first = await admin.get(url);
    expect(first.json()).toMatchObject({ version: 0, effectiveTimeZone: 'America/New_York', consent: { sms: false, email: false, push: false } });
    const body = { version: 0, timeZone: 'America/Los_Angeles', quietHours: { start: '21:00', end: '08:00' }, consent: { sms: true, email: false, push: false } };
    const saved = await admin.put(url, body);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, effectiveTimeZone: 'America/Los_Angeles', quietHours: { start: '21:00', end: '08:00' } });
    expect((await admin.put(url, body)).json().code).toBe('stale_version');
    const badZone = await admin.put(url, { ...body, version: 1, timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(badZone.json().problems)).toContain('timeZone');
    const badTime = await admin.put(url, { ...body, version: 1, quietHours: { start: '25:00', end: '08:00' } });
    expect(badTime.statusCode).toBe(400);
    expect(JSON.stringify(badTime.json().problems)).toContain('quietHours');
    const audits = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, 'contact-preferences'), eq(auditEvents.patientId, w.patientA)));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['read', 'update']));
  });
});

describe('inbound SMS webhook and simulator', () => {
  // an app with a configured provider token, as a provider would sign with it
  let signed: FastifyInstance;
  beforeAll(async () => {
    signed = await buildApp({ db: w.database.db, logLevel: 'silent', webRoot: null, clock: () => w.clock.now, sms: { authToken: 'test-token', webhookBase: 'https://waypoint.example' } });
    await signed.ready();
  });
  afterAll(async () => {
    await signed?.close();
  });
  const URL_SIGNED = 'https://waypoint.example/api/v1/sms/inbound';
  const webhook = (params: Record<string, string>, signature?: string) =>
    signed.inject({
      method: 'POST',
      url: '/api/v1/sms/inbound',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
      payload: new URLSearchParams(params).toString(),
    });

  it('refuses an unsigned or wrongly signed request (problem+json naming the header), and changes nothing', async () => {
    const params = { MessageSid: 'SMaaaaaaaaaaaaaaaa', From: '+15550100001', Body: 'STOP' };
    const unsigned = await webhook(params);
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.body).toContain('x-twilio-signature');
    const wrong = await webhook(params, twilioSignature('not-the-token', URL_SIGNED, params));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'bad_signature', problems: [{ field: 'header.x-twilio-signature' }] });
  });

  it('STOP through the simulator opts the number out at once (queued texts suppressed), replies in TwiML; START opts back in; Spanish keywords answer in Spanish', async () => {
    const admin = await administrator();
    const phone = '+15550107777';
    const p = await newPatient({ phone });
    const queued = (await enqueue(p))!;
    const stop = await admin.post('/api/v1/messages/simulator/sms', { from: '(555) 010-7777', body: 'stop' });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toMatchObject({ status: 200, reply: 'You will get no more texts from us. Reply START to get them again.' });
    expect(stop.json().twiml).toMatch(/^<\?xml[^>]*\?><Response><Message>You will get no more texts/);
    expect(await messageRow(queued)).toMatchObject({ status: 'suppressed', suppressedReason: 'opted-out' });
    expect((await admin.get(`/api/v1/patients/${p}/contact-preferences`)).json().smsOptedOutAt).not.toBeNull();
    // while opted out, a new text is suppressed when enqueued
    expect(await messageRow((await enqueue(p))!)).toMatchObject({ status: 'suppressed', suppressedReason: 'opted-out' });

    const start = await admin.post('/api/v1/messages/simulator/sms', { from: phone, body: 'INICIAR' });
    expect(start.json().reply).toBe('Recibirá mensajes de texto otra vez. Responda ALTO para dejar de recibirlos.');
    expect((await admin.get(`/api/v1/patients/${p}/contact-preferences`)).json().smsOptedOutAt).toBeNull();
    expect((await admin.post('/api/v1/messages/simulator/sms', { from: phone, body: 'Ayuda' })).json().reply).toContain('Este número envía recordatorios');
    // from a patient's number, a text that is no check-in is answered with how to send one (server/modules/checkins/sms-check-in.ts)
    expect((await admin.post('/api/v1/messages/simulator/sms', { from: phone, body: 'hello?' })).json().reply).toContain('To check in, text 3 numbers');
    expect((await admin.post('/api/v1/messages/simulator/sms', { from: '+15550107778', body: 'hello?' })).json().reply).toBe(
      'Thanks. We could not read that. Reply HELP for help or STOP to stop texts.',
    );
    const audits = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, 'contact-preferences'), eq(auditEvents.patientId, p)));
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audits.map((a) => a.detail))).not.toContain(phone);
  });

  it('is idempotent per MessageSid: a provider retry gets the first reply and changes nothing', async () => {
    const admin = await administrator();
    const phone = '+15550108888';
    const p = await newPatient({ phone });
    const params = { MessageSid: 'SMbbbbbbbbbbbbbbbbbb', From: phone, Body: 'STOP' };
    const sig = twilioSignature('test-token', URL_SIGNED, params);
    const first = await webhook(params, sig);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/xml');
    // the patient texts START under another id, then the provider retries the first STOP
    await admin.post('/api/v1/messages/simulator/sms', { from: phone, body: 'START' });
    const again = await webhook(params, sig);
    expect(again.body).toBe(first.body);
    // the signature covers the parameters as sent (no Body, and extra ones the provider adds)
    const bare = { MessageSid: 'SMcccccccccccccccccc', From: phone, ToCountry: 'US', NumMedia: '0' };
    const bareReply = await webhook(bare, twilioSignature('test-token', URL_SIGNED, bare));
    expect(bareReply.statusCode).toBe(200);
    // (an empty text from a patient's number: how to check in)
    expect(bareReply.body).toContain('To check in, text 3 numbers');
    expect((await admin.get(`/api/v1/patients/${p}/contact-preferences`)).json().smsOptedOutAt).toBeNull();
  });

  it('the simulator is for those who manage messages; bad input is a 400 naming the field', async () => {
    const admin = await administrator();
    const frontDesk = await w.client('front-desk');
    expect((await frontDesk.post('/api/v1/messages/simulator/sms', { from: '+15550100000', body: 'HELP' })).statusCode).toBe(403);
    const bad = await admin.post('/api/v1/messages/simulator/sms', { from: '', body: 'HELP' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().problems)).toContain('from');
  });
});

describe('channel adapters against local fakes', () => {
  it('SMS: posts form-encoded To/From/Body with Basic auth and the idempotency key; reads failures as codes', async () => {
    const fake = await fakeSmsProvider();
    try {
      const sms = smsAdapter({ baseUrl: fake.url, accountSid: 'ACtest', authToken: 'tok', from: '+15550100000' });
      const ok = await sms.send({ to: '+15550101234', subject: '', text: 'Hello', idempotencyKey: 'k-1' });
      expect(ok).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^SM/) });
      await sms.send({ to: '+15550101234', subject: '', text: 'Hello', idempotencyKey: 'k-1' });
      expect(fake.delivered.get('k-1')).toMatchObject({ to: '+15550101234', body: 'Hello', times: 2 });
      fake.failNext(1, 503);
      expect(await sms.send({ to: '+1', subject: '', text: 'x', idempotencyKey: 'k-2' })).toEqual({ ok: false, kind: 'transient', code: 'http_503' });
      fake.failNext(1, 400);
      expect(await sms.send({ to: '+1', subject: '', text: 'x', idempotencyKey: 'k-3' })).toEqual({ ok: false, kind: 'permanent', code: 'http_400' });
      const nowhere = smsAdapter({ baseUrl: 'http://127.0.0.1:9', accountSid: 'AC', authToken: 't', from: '+15550100000' }, 2000);
      expect(await nowhere.send({ to: '+1', subject: '', text: 'x', idempotencyKey: 'k-4' })).toEqual({ ok: false, kind: 'transient', code: 'network' });
    } finally {
      await fake.close();
    }
  });

  it('email: speaks SMTP to a local fake server, with a Message-ID from the message id; a 5xx is permanent', async () => {
    const received: string[] = [];
    let rejectRcpt = false;
    const server: TcpServer = createTcpServer((socket) => {
      let data = false;
      let buf = '';
      socket.write('220 fake ESMTP\r\n');
      socket.on('data', (chunk) => {
        buf += chunk.toString();
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (data) {
            if (line === '.') {
              data = false;
              socket.write('250 OK queued\r\n');
            } else received.push(line);
            continue;
          }
          const cmd = line.slice(0, 4).toUpperCase();
          if (cmd === 'EHLO' || cmd === 'HELO') socket.write('250 fake\r\n');
          else if (cmd === 'RCPT') socket.write(rejectRcpt ? '550 no such user\r\n' : '250 OK\r\n');
          else if (cmd === 'DATA') {
            data = true;
            socket.write('354 go\r\n');
          } else if (cmd === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const email = emailAdapter({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'Clinic <no-reply@clinic.example>' });
      const ok = await email.send({ to: 'robin@example.invalid', subject: 'A reminder from your clinic', text: 'You have a reminder from your clinic. Open the app.', idempotencyKey: 'e-1' });
      expect(ok).toMatchObject({ ok: true });
      expect(received.join('\n')).toContain('Message-ID: <e-1@waypoint.invalid>');
      expect(received.join('\n')).toContain('You have a reminder from your clinic. Open the app.');
      rejectRcpt = true;
      expect(await email.send({ to: 'gone@example.invalid', subject: 's', text: 't', idempotencyKey: 'e-2' })).toEqual({ ok: false, kind: 'permanent', code: 'smtp_550' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
