import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientParams } from '../../../contracts/common.ts';
import {
  ContactPreferences,
  ContactPreferencesUpdate,
  MessageListQuery,
  OutboxList,
  PhoneLine,
  PhoneLineUpdate,
  SmsSimulation,
  SmsSimulationResult,
  TwilioInbound,
  TwilioVoice,
  VoiceCallSimulation,
  VoiceGatherQuery,
  VoiceKeysSimulation,
  VoiceSimulationResult,
} from '../../../contracts/messages.ts';
import { readTwiml, twiml } from '../../../core/messages/twiml.ts';
import type { Channel } from '../../../core/messages/consent.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { handleInboundSms, textOfTwiml, twilioSignature, twimlReply, verifyTwilioSignature, noOtherTextHandler, type OtherTextHandler } from './inbound-sms.ts';
import { getContactPreferences, listMessages, retryMessage, updateContactPreferences } from './messages.ts';
import { getPhoneLine, updatePhoneLine } from './phone-line.ts';
import { VOICE_GATHER_PATH, VOICE_INBOUND_PATH, type VoiceCallHandlers } from './voice.ts';

export const SMS_WEBHOOK_PATH = '/api/v1/sms/inbound';

export type MessagesRouteOptions = {
  db: Db;
  /** The SMS provider's auth token (signs inbound webhooks); none configured: a secret made at start, known only to the simulator. */
  smsAuthToken?: string | undefined;
  /** Where the provider reaches this server (WAYPOINT_PUBLIC_URL): the webhook URL signed over is this plus SMS_WEBHOOK_PATH. */
  webhookBase: string;
  /** Channels with no provider configured (delivered to the console's outbox view). */
  consoleChannels: Channel[];
  /** Texts other than STOP/START/HELP (SMS check-ins plug in here). */
  otherText?: OtherTextHandler;
  /** Calls to the phone line (voice check-ins plug in here); none: the voice webhooks end every call. */
  voice?: VoiceCallHandlers;
};

export function messagesRoutes(app: FastifyInstance, deps: MessagesRouteOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['messages'];
  const authToken = deps.smsAuthToken ?? randomBytes(32).toString('base64url');
  const base = deps.webhookBase.replace(/\/$/, '');
  const webhookUrl = `${base}${SMS_WEBHOOK_PATH}`;
  const actionUrl = (seq: number) => `${base}${VOICE_GATHER_PATH}?seq=${seq}`;
  const badSignature = () =>
    new AppError({ code: 'bad_signature', status: 403, message: 'The request’s signature does not match.', problems: [{ field: 'header.x-twilio-signature', message: 'does not match' }] });

  r.get(
    '/messages',
    {
      config: { permission: 'read:messages' },
      schema: {
        tags,
        operationId: 'listMessages',
        summary: 'The programme’s outbox: messages to patients, newest first, with dead letters',
        querystring: MessageListQuery,
        response: { 200: OutboxList },
      },
    },
    async (req) => runInTx(db, req, (d) => listMessages(d, req.query, deps.consoleChannels)),
  );

  r.post(
    '/messages/:id/retry',
    {
      config: { permission: 'manage:messages' },
      schema: {
        tags,
        operationId: 'retryMessage',
        summary: 'Try a dead letter again (same idempotency key)',
        params: IdParams,
        response: { 200: z.object({ id: z.uuid(), status: z.literal('pending') }) },
      },
    },
    async (req) => runInTx(db, req, (d) => retryMessage(d, req.params.id)),
  );

  r.get(
    '/patients/:patientId/contact-preferences',
    {
      config: { permission: 'read:patient' },
      schema: {
        tags,
        operationId: 'getContactPreferences',
        summary: 'How a patient may be contacted: consent per channel, quiet hours, time zone',
        params: PatientParams,
        response: { 200: ContactPreferences },
      },
    },
    async (req) => runInTx(db, req, (d) => getContactPreferences(d, req.params.patientId)),
  );

  r.put(
    '/patients/:patientId/contact-preferences',
    {
      config: { permission: 'update:patient' },
      schema: {
        tags,
        operationId: 'updateContactPreferences',
        summary: 'Set how a patient may be contacted (optimistic: send the version you edited)',
        params: PatientParams,
        body: ContactPreferencesUpdate,
        response: { 200: ContactPreferences },
      },
    },
    async (req) => runInTx(db, req, (d) => updateContactPreferences(d, req.params.patientId, req.body)),
  );

  // The SMS simulator: a text "from" a phone, sent to the real webhook path signed as the provider signs it.
  r.post(
    '/messages/simulator/sms',
    {
      config: { permission: 'manage:messages' },
      schema: {
        tags,
        operationId: 'simulateInboundSms',
        summary: 'Send a text to the inbound SMS webhook as the provider would (signed), and show the reply',
        body: SmsSimulation,
        response: { 200: SmsSimulationResult },
      },
    },
    async (req) => {
      const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: 'ACsimulator', From: req.body.from, To: 'simulator', Body: req.body.body };
      const res = await app.inject({
        method: 'POST',
        url: SMS_WEBHOOK_PATH,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, webhookUrl, params) },
        payload: new URLSearchParams(params).toString(),
      });
      return { status: res.statusCode, reply: textOfTwiml(res.body), twiml: res.body };
    },
  );

  // The voice simulator: a call "from" a phone, and each key press, posted to the real voice webhooks signed as the provider signs them.
  const simulateVoice = async (callSid: string, path: string, params: Record<string, string>) => {
    const res = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, `${base}${path}`, params) },
      payload: new URLSearchParams(params).toString(),
    });
    const r = readTwiml(res.body);
    const seq = r.gather ? /[?&]seq=(\d+)/.exec(r.gather.action) : null;
    return { callSid, status: res.statusCode, said: r.said, nextSeq: seq ? Number(seq[1]) : null, dial: r.dial, hangup: r.hangup, twiml: res.body };
  };
  r.post(
    '/messages/simulator/voice/call',
    {
      config: { permission: 'manage:messages' },
      schema: {
        tags,
        operationId: 'simulateVoiceCall',
        summary: 'Call the phone line as the provider would (signed webhook) from a number, and show what the caller hears',
        body: VoiceCallSimulation,
        response: { 200: VoiceSimulationResult },
      },
    },
    async (req) => {
      const callSid = `CA${randomBytes(16).toString('hex')}`;
      return simulateVoice(callSid, VOICE_INBOUND_PATH, { CallSid: callSid, AccountSid: 'ACsimulator', From: req.body.from, To: 'simulator', CallStatus: 'ringing' });
    },
  );
  r.post(
    '/messages/simulator/voice/keys',
    {
      config: { permission: 'manage:messages' },
      schema: {
        tags,
        operationId: 'simulateVoiceKeys',
        summary: 'Press a key (or none) on a simulated call: posted to the phone line’s signed webhook, and what the caller hears next',
        body: VoiceKeysSimulation,
        response: { 200: VoiceSimulationResult },
      },
    },
    async (req) => {
      const params: Record<string, string> = { CallSid: req.body.callSid, AccountSid: 'ACsimulator', CallStatus: 'in-progress', From: 'simulator' };
      if (req.body.digits !== '') params['Digits'] = req.body.digits;
      return simulateVoice(req.body.callSid, `${VOICE_GATHER_PATH}?seq=${req.body.seq}`, params);
    },
  );

  r.get(
    '/phone-line',
    {
      config: { permission: 'read:messages' },
      schema: { tags, operationId: 'getPhoneLine', summary: 'The programme’s phone line: the clinic number callers are put through to', response: { 200: PhoneLine } },
    },
    async (req) => runInTx(db, req, (d) => getPhoneLine(d)),
  );
  r.put(
    '/phone-line',
    {
      config: { permission: 'manage:messages' },
      schema: {
        tags,
        operationId: 'updatePhoneLine',
        summary: 'Set the clinic number the phone line puts callers through to (null or empty: none)',
        body: PhoneLineUpdate,
        response: { 200: PhoneLine },
      },
    },
    async (req) => runInTx(db, req, (d) => updatePhoneLine(d, req.body)),
  );

  // The provider's inbound webhook: form-encoded, signed, idempotent per MessageSid, answered in TwiML.
  // The signature covers the parameters as sent, so they are kept as parsed, before validation fills defaults.
  const signedParams = new WeakMap<object, Record<string, string>>();
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) params[k] = v;
      signedParams.set(req, { ...params });
      done(null, params);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/sms/inbound',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          operationId: 'receiveInboundSms',
          summary: 'Inbound SMS webhook (Twilio format; X-Twilio-Signature required); answers TwiML',
          consumes: ['application/x-www-form-urlencoded'],
          headers: z.object({ 'x-twilio-signature': z.string().min(1).max(200) }),
          body: TwilioInbound,
        },
      },
      async (req, reply) => {
        if (!verifyTwilioSignature(authToken, webhookUrl, signedParams.get(req) ?? {}, req.headers['x-twilio-signature'])) throw badSignature();
        const text = await inTransaction(db, (tx) =>
          handleInboundSms(
            tx,
            { messageSid: req.body.MessageSid, from: req.body.From, body: req.body.Body, now: req.ctx.now, requestId: req.ctx.meta.requestId },
            deps.otherText ?? noOtherTextHandler,
          ),
        );
        return reply.type('text/xml; charset=utf-8').send(twimlReply(text));
      },
    );

    // The phone line's webhooks (ADR 038): signed over the URL as requested (the step is in its
    // query) and the parameters; idempotent per CallSid and step; answered in TwiML.
    const voice = deps.voice;
    const hangUp = () => twiml([{ verb: 'hangup' }]);
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/voice/inbound',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          operationId: 'receiveVoiceCall',
          summary: 'Voice call webhook (Twilio format; X-Twilio-Signature required): the phone line’s check-in starts; answers TwiML',
          consumes: ['application/x-www-form-urlencoded'],
          headers: z.object({ 'x-twilio-signature': z.string().min(1).max(200) }),
          body: TwilioVoice,
        },
      },
      async (req, reply) => {
        if (!verifyTwilioSignature(authToken, `${base}${VOICE_INBOUND_PATH}`, signedParams.get(req) ?? {}, req.headers['x-twilio-signature'])) throw badSignature();
        const xml = voice
          ? await inTransaction(db, (tx) => voice.incoming(tx, { callSid: req.body.CallSid, from: req.body.From, now: req.ctx.now, requestId: req.ctx.meta.requestId, actionUrl }))
          : hangUp();
        return reply.type('text/xml; charset=utf-8').send(xml);
      },
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/voice/gather',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          operationId: 'receiveVoiceKeys',
          summary: 'Voice key-press webhook (Twilio Gather action; X-Twilio-Signature required): one step of the check-in call; answers TwiML',
          consumes: ['application/x-www-form-urlencoded'],
          headers: z.object({ 'x-twilio-signature': z.string().min(1).max(200) }),
          querystring: VoiceGatherQuery,
          body: TwilioVoice,
        },
      },
      async (req, reply) => {
        if (!verifyTwilioSignature(authToken, `${base}${req.url.replace(/^[^?]*/, VOICE_GATHER_PATH)}`, signedParams.get(req) ?? {}, req.headers['x-twilio-signature'])) throw badSignature();
        const digits = req.body.Digits ? req.body.Digits : null;
        const xml = voice
          ? await inTransaction(db, (tx) => voice.gather(tx, { callSid: req.body.CallSid, seq: req.query.seq, digits, now: req.ctx.now, requestId: req.ctx.meta.requestId, actionUrl }))
          : hangUp();
        return reply.type('text/xml; charset=utf-8').send(xml);
      },
    );
  });
}
