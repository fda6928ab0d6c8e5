// Issue 12's reminders and messages by phone (ADR 038): the daily check-in reminder at the
// patient's chosen time (once per local day, by text the SMS check-in's question), an app
// invite by text (refused without a phone or consent; the code kept apart from the outbox
// and masked in it once sent), and the app's push subscription (ended on sign-out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outboxMessageParams, outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { smsAdapter } from '../../server/modules/messages/channels.ts';
import { deliverDue } from '../../server/modules/messages/outbox.ts';
import { enqueueCheckInReminders } from '../../server/modules/messages/reminders.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { activatePhone } from '../support/patient-device.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type World } from '../support/world.ts';
import { fakeSmsProvider, textablePatient, type FakeSms } from './support.ts';

let w: World;
let fake: FakeSms;
beforeAll(async () => {
  w = await makeWorld(); // 2026-03-02 10:00 in New York
  fake = await fakeSmsProvider();
});
afterAll(async () => {
  await fake?.close();
  await w?.close();
});

const newPatient = (over: Parameters<typeof textablePatient>[3] = {}) => inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, over));
const messagesOf = (patientId: string) => w.database.db.select().from(outboxMessages).where(eq(outboxMessages.patientId, patientId));
const sms = () => ({ sms: smsAdapter({ baseUrl: fake.url, accountSid: 'ACtest', authToken: 'x', from: '+15550000000' }) });

describe('the daily check-in reminder', () => {
  it('staff choose the time; it is enqueued once for the local day, from that time, as the SMS check-in question', async () => {
    const p = await newPatient();
    const c = await w.client('counsellor');
    const prefs = (await c.get(`/api/v1/patients/${p}/contact-preferences`)).json() as { version: number; checkInReminderAt: string | null };
    expect(prefs.checkInReminderAt).toBeNull();
    const put = await c.put(`/api/v1/patients/${p}/contact-preferences`, {
      version: prefs.version,
      timeZone: null,
      quietHours: { start: '21:00', end: '08:00' },
      consent: { sms: true, email: false, push: false },
      checkInReminderAt: '19:00',
    });
    expect(put.statusCode).toBe(200);
    expect((put.json() as { checkInReminderAt: string }).checkInReminderAt).toBe('19:00');
    expectProblem(
      await c.put(`/api/v1/patients/${p}/contact-preferences`, { version: 2, timeZone: null, quietHours: null, consent: { sms: true, email: false, push: false }, checkInReminderAt: '7pm' }),
      400,
      undefined,
      'body.checkInReminderAt',
    );

    const at = (iso: string) => enqueueCheckInReminders(w.database.db, new Date(iso));
    await at('2026-03-02T23:30:00Z'); // 18:30 in New York: not yet
    expect(await messagesOf(p)).toEqual([]);
    await at('2026-03-03T00:05:00Z'); // 19:05
    await at('2026-03-03T00:10:00Z'); // the next run, the same day: nothing new
    const rows = await messagesOf(p);
    expect(rows.map((r) => [r.template, r.channel, r.status, r.dedupeKey])).toEqual([['check-in-sms', 'sms', 'pending', `check-in:${p}:2026-03-02`]]);
    // delivered: the text asks for the three numbers the patient can reply with
    w.clock.now = new Date('2026-03-03T00:10:00Z');
    await deliverDue(w.database.db, sms(), { leaseSeconds: 60, clock: () => new Date('2026-03-03T00:10:00Z') });
    const sent = [...fake.delivered.values()].find((d) => d.body.startsWith('Time to check in.'));
    expect(sent?.body).toContain('Like this: 7 0 1');
    // the next day, once a check-in is in, no reminder
    w.clock.now = new Date('2026-03-03T22:00:00Z');
    const staff = await w.client('counsellor');
    expect((await staff.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 2 } })).statusCode).toBe(200);
    await at('2026-03-04T00:05:00Z');
    expect(await messagesOf(p)).toHaveLength(1);
    // and the day after, with none in, one again
    await at('2026-03-05T00:05:00Z');
    expect((await messagesOf(p)).map((r) => r.dedupeKey)).toContain(`check-in:${p}:2026-03-04`);
  });

  it('a patient who has not agreed to texts gets it recorded as suppressed, not sent', async () => {
    const p = await newPatient({ consentSms: false });
    const c = await w.client('counsellor');
    await c.put(`/api/v1/patients/${p}/contact-preferences`, { version: 1, timeZone: null, quietHours: null, consent: { sms: false, email: false, push: false }, checkInReminderAt: '12:00' });
    await enqueueCheckInReminders(w.database.db, new Date('2026-03-06T17:01:00Z'));
    expect((await messagesOf(p)).map((r) => [r.status, r.suppressedReason])).toEqual([['suppressed', 'no-consent']]);
  });
});

describe('the app invite by text', () => {
  it('is refused with a clear 409 without consent to texts, without a phone, or after STOP — and nothing is written', async () => {
    const c = await w.client('counsellor');
    const noConsent = await newPatient({ consentSms: false });
    expectProblem(await c.post(`/api/v1/patients/${noConsent}/app-invites/sms`), 409, 'no_sms_consent', 'consent.sms');
    const noPhone = await newPatient();
    await w.database.query('update patients set phone = null where id = $1', [noPhone]);
    expectProblem(await c.post(`/api/v1/patients/${noPhone}/app-invites/sms`), 409, 'no_phone', 'phone');
    const stopped = await newPatient();
    await w.database.query('update contact_preferences set sms_opted_out_at = now() where patient_id = $1', [stopped]);
    expectProblem(await c.post(`/api/v1/patients/${stopped}/app-invites/sms`), 409, 'sms_opted_out', 'consent.sms');
    for (const p of [noConsent, noPhone, stopped]) {
      expect(await messagesOf(p)).toEqual([]);
      expect(await w.database.query('select count(*)::int as n from patient_invites where patient_id = $1', [p])).toEqual([{ n: 0 }]);
    }
    expect((await (await w.client('auditor')).post(`/api/v1/patients/${noConsent}/app-invites/sms`)).statusCode).toBe(403);
  });

  it('sends the code and link by text; the outbox never holds the code in its own table, and keeps the body masked', async () => {
    w.clock.now = new Date('2026-03-06T16:00:00Z');
    const phone = '+15550106661';
    const p = await newPatient({ phone, language: 'es' });
    const c = await w.client('counsellor');
    const r = await c.post(`/api/v1/patients/${p}/app-invites/sms`);
    expect(r.statusCode).toBe(200);
    const { messageId } = r.json() as { messageId: string };
    const [row] = await messagesOf(p);
    expect(row).toMatchObject({ id: messageId, template: 'app-invite', channel: 'sms', status: 'pending', body: null });
    const [kept] = await w.database.db.select().from(outboxMessageParams).where(eq(outboxMessageParams.messageId, messageId));
    expect(kept!.expiresAt.toISOString()).toBe('2026-03-07T16:00:00.000Z');
    const code = kept!.params['code']!;
    await deliverDue(w.database.db, sms(), { leaseSeconds: 60, clock: () => w.clock.now });
    const sent = fake.delivered.get(messageId)!;
    expect(sent.to).toBe(phone);
    expect(sent.body).toBe(`Su código para la aplicación Waypoint es ${code}. Abra http://localhost/app/#activate=${code} para empezar. El código sirve por 7 días.`);
    const [after] = await messagesOf(p);
    expect(after!.status).toBe('sent');
    expect(after!.body).toBe('Su código para la aplicación Waypoint es •••. Abra ••• para empezar. El código sirve por 7 días.');
    expect(await w.database.db.select().from(outboxMessageParams).where(eq(outboxMessageParams.messageId, messageId))).toEqual([]);
    // the code works in the app
    const device = await activatePhone(w.app, code);
    expect(device.cookie).toContain('wp_patient=');
  });

  it('a text that could not go out within a day is given up (dead, params_expired) and its code deleted', async () => {
    const p = await newPatient();
    const c = await w.client('counsellor');
    const { messageId } = (await c.post(`/api/v1/patients/${p}/app-invites/sms`)).json() as { messageId: string };
    const later = new Date(w.clock.now.getTime() + 25 * 3600_000);
    await deliverDue(w.database.db, sms(), { leaseSeconds: 60, clock: () => later });
    const [row] = await messagesOf(p);
    expect(row).toMatchObject({ id: messageId, status: 'dead', lastError: 'params_expired' });
    expect(fake.delivered.has(messageId)).toBe(false);
    expect(await w.database.db.select().from(outboxMessageParams).where(eq(outboxMessageParams.messageId, messageId))).toEqual([]);
  });
});

describe('the app’s notifications', () => {
  it('the patient chooses the reminder time and turns on push on this phone; sign-out ends the subscription', async () => {
    const c = await w.client('counsellor');
    const p = await newPatient();
    const invite = (await c.post(`/api/v1/patients/${p}/app-invites`)).json() as { code: string };
    const device = await activatePhone(w.app, invite.code);
    const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
      w.app.inject({ method, url: `/api/patient${url}`, headers: { cookie: device.cookie }, ...(payload ? { payload } : {}) });
    const first = (await call('GET', '/notifications')).json() as { checkInReminderAt: string | null; timeZone: string; push: { on: boolean; publicKey: string | null } };
    expect(first).toMatchObject({ checkInReminderAt: null, timeZone: 'America/New_York', push: { on: false, publicKey: null } });
    expect(((await call('PUT', '/notifications', { checkInReminderAt: '08:30' })).json() as { checkInReminderAt: string }).checkInReminderAt).toBe('08:30');
    expectProblem(await call('PUT', '/notifications', { checkInReminderAt: '25:00' }), 400, undefined, 'body.checkInReminderAt');
    expectProblem(await call('POST', '/push-subscription', { endpoint: 'http://push.example/x', keys: { p256dh: 'BNfictionalkey0000', auth: 'fictional00' } }), 400, undefined, 'body.endpoint');
    const sub = { endpoint: 'https://push.example/sub/1', keys: { p256dh: 'BNfictionalkey0000', auth: 'fictional00' } };
    expect(((await call('POST', '/push-subscription', sub)).json() as { push: { on: boolean } }).push.on).toBe(true);
    // staff see the time the patient chose and the push consent the patient gave
    const prefs = (await c.get(`/api/v1/patients/${p}/contact-preferences`)).json() as { checkInReminderAt: string; consent: { push: boolean }; hasAddress: { push: boolean } };
    expect(prefs).toMatchObject({ checkInReminderAt: '08:30', consent: { push: true }, hasAddress: { push: true } });
    // with push on, the reminder goes by app notification with the app's words, at the patient's 08:30
    await enqueueCheckInReminders(w.database.db, new Date('2026-03-10T12:31:00Z')); // 08:31 EDT
    expect((await messagesOf(p)).map((r) => [r.channel, r.template, r.cause])).toEqual([['push', 'check-in-reminder', 'reminder:check-in']]);
    // off, on again, then sign-out ends it
    expect(((await call('DELETE', '/push-subscription', { endpoint: sub.endpoint })).json() as { push: { on: boolean } }).push.on).toBe(false);
    await call('POST', '/push-subscription', sub);
    expect((await call('POST', '/sign-out')).statusCode).toBe(200);
    expect(await w.database.query('select count(*)::int as n from push_subscriptions where patient_id = $1 and revoked_at is null', [p])).toEqual([{ n: 0 }]);
  });

  it('staff revoking the device ends its push subscription', async () => {
    const c = await w.client('counsellor');
    const p = await newPatient();
    const invite = (await c.post(`/api/v1/patients/${p}/app-invites`)).json() as { code: string };
    const device = await activatePhone(w.app, invite.code);
    await w.app.inject({
      method: 'POST',
      url: '/api/patient/push-subscription',
      headers: { cookie: device.cookie },
      payload: { endpoint: 'https://push.example/sub/2', keys: { p256dh: 'BNfictionalkey0000', auth: 'fictional00' } },
    });
    expect((await c.post(`/api/v1/patients/${p}/app-devices/${device.deviceId}/revoke`)).statusCode).toBe(200);
    expect(await w.database.query('select count(*)::int as n from push_subscriptions where patient_id = $1 and revoked_at is null', [p])).toEqual([{ n: 0 }]);
  });
});
