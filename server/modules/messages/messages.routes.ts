import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PatientParams } from '../../../contracts/common.ts';
import { ContactPreferences, ContactPreferencesUpdate, MessageListQuery, OutboxList, SmsSimulation, SmsSimulationResult, TwilioInbound } from '../../../contracts/messages.ts';
import type { Channel } from '../../../core/messages/consent.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { handleInboundSms, textOfTwiml, twilioSignature, twimlReply, verifyTwilioSignature, noOtherTextHandler, type OtherTextHandler } from './inbound-sms.ts';
import { getContactPreferences, listMessages, retryMessage, updateContactPreferences } from './messages.ts';

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
};

export function messagesRoutes(app: FastifyInstance, deps: MessagesRouteOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['messages'];
  const authToken = deps.smsAuthToken ?? randomBytes(32).toString('base64url');
  const webhookUrl = `${deps.webhookBase.replace(/\/$/, '')}${SMS_WEBHOOK_PATH}`;

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
        if (!verifyTwilioSignature(authToken, webhookUrl, signedParams.get(req) ?? {}, req.headers['x-twilio-signature'])) {
          throw new AppError({ code: 'bad_signature', status: 403, message: 'The request’s signature does not match.', problems: [{ field: 'header.x-twilio-signature', message: 'does not match' }] });
        }
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
  });
}
