// Check-ins that do not come from staff: by text message (the inbound SMS webhook hands
// texts that are not STOP, START or HELP to server/modules/checkins/sms-check-in.ts) and
// from the patient app (POST /api/patient/check-ins, the signed-in patient's own). Each is
// recorded once (per MessageSid, per the app's idempotency key), runs the same risk rules
// as a staff check-in, and answers with what the patient must see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { twilioSignature } from '../../server/modules/messages/inbound-sms.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { activatePhone } from '../support/patient-device.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type World } from '../support/world.ts';
import { textablePatient } from '../messages/support.ts';

describe('check-ins by text message and from the app', () => {
  let w: World;
  let signed: FastifyInstance;
  const URL_SIGNED = 'https://waypoint.example/api/v1/sms/inbound';
  beforeAll(async () => {
    w = await makeWorld();
    signed = await buildApp({ db: w.database.db, logLevel: 'silent', webRoot: null, clock: () => w.clock.now, sms: { authToken: 'test-token', webhookBase: 'https://waypoint.example' } });
    await signed.ready();
  });
  afterAll(async () => {
    await signed?.close();
    await w?.close();
  });

  const text = (params: Record<string, string>) =>
    signed.inject({
      method: 'POST',
      url: '/api/v1/sms/inbound',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('test-token', URL_SIGNED, params) },
      payload: new URLSearchParams(params).toString(),
    });
  const replyOf = (body: string) => /<Message>([\s\S]*)<\/Message>/.exec(body)?.[1] ?? null;
  const checkInsOf = (patientId: string) =>
    w.database.query<{ source: string; answers: { craving?: number; use?: { any: boolean }; medication?: string; notSafe?: boolean } }>(
      'select source, answers from check_ins where patient_id = $1 order by recorded_at, id',
      [patientId],
    );
  const alertsOf = (patientId: string) => w.database.query<{ severity: string; source: string }>('select severity, source from safety_alerts where patient_id = $1', [patientId]);

  it('"7 0 1" from the patient’s number is their check-in (source sms), recorded once per MessageSid, answered with thanks', async () => {
    const phone = '+15550104441';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    const params = { MessageSid: 'SMcheckin000000000001', From: phone, Body: '7 0 1' };
    const first = await text(params);
    expect(first.statusCode).toBe(200);
    expect(replyOf(first.body)).toBe('Thank you. Your check-in is saved.');
    const again = await text(params); // the provider retries the same message
    expect(replyOf(again.body)).toBe('Thank you. Your check-in is saved.');
    expect(await checkInsOf(p)).toEqual([{ source: 'sms', answers: expect.objectContaining({ craving: 7, use: { any: false }, medication: 'taken' }) }]);
  });

  it('"not safe" raises an urgent alert for the care team and the reply gives 988; a text that is no check-in gets how to send one', async () => {
    const phone = '+15550104442';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    const crisis = await text({ MessageSid: 'SMcheckin000000000002', From: phone, Body: 'not safe' });
    expect(replyOf(crisis.body)).toContain('Call 988 now.');
    expect(await alertsOf(p)).toEqual([{ severity: 'urgent', source: 'check-in' }]);
    const other = await text({ MessageSid: 'SMcheckin000000000003', From: phone, Body: 'what time is group?' });
    expect(replyOf(other.body)).toContain('To check in, text 3 numbers');
    expect(await checkInsOf(p)).toHaveLength(1);
  });

  it('a number that is no patient’s gets the neutral answer and nothing is recorded', async () => {
    const before = await w.database.query('select count(*)::int as n from check_ins');
    const r = await text({ MessageSid: 'SMcheckin000000000004', From: '+15550109990', Body: '7 0 1' });
    expect(replyOf(r.body)).toBe('Thanks. We could not read that. Reply HELP for help or STOP to stop texts.');
    expect(await w.database.query('select count(*)::int as n from check_ins')).toEqual(before);
  });

  it('the patient app: the signed-in patient’s own check-in (source app), once per idempotency key; bad answers are a 400 naming the field', async () => {
    const c = await w.client('counsellor');
    const invite = await c.post(`/api/v1/patients/${w.patientA}/app-invites`);
    expect(invite.statusCode).toBe(200);
    const phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
    const post = (payload: unknown) => w.app.inject({ method: 'POST', url: '/api/patient/check-ins', headers: { cookie: phone.cookie }, payload: payload as object });
    const body = { answers: { craving: 9, use: { any: false }, medication: 'missed' }, idempotencyKey: 'app-queue-1' };
    const first = await post(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ replayed: false, show: { crisis: false, naloxone: false }, messages: { thanks: 'Thank you. Your check-in is saved.' } });
    const replay = await post(body); // sent again when the phone came back online
    expect(replay.json()).toMatchObject({ replayed: true });
    expect((await checkInsOf(w.patientA)).filter((r) => r.source === 'app')).toHaveLength(1);
    expectProblem(await post({ answers: { craving: 11 }, idempotencyKey: 'app-queue-2' }), 400, 'invalid_input', 'body.answers.craving');
    expectProblem(await post({ answers: { craving: 3 } }), 400, 'invalid_input', 'body.idempotencyKey');
    // no patient session: refused
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/patient/check-ins', payload: body }), 401);

    // the patient's own trends: one line per day, a later check-in the same day adding to the earlier
    expect((await post({ answers: { mood: 4, sleep: 2 }, idempotencyKey: 'app-queue-3' })).statusCode).toBe(200);
    const trends = await w.app.inject({ method: 'GET', url: '/api/patient/check-ins?days=14', headers: { cookie: phone.cookie } });
    expect(trends.statusCode, trends.body).toBe(200);
    const t = trends.json() as { days: Array<Record<string, unknown>> };
    expect(t.days.at(-1)).toMatchObject({ craving: 9, mood: 4, sleep: 2, medication: 'missed', used: false });
    expect(JSON.stringify(t)).not.toMatch(/recordedBy|fired|substances/);
    expectProblem(await w.app.inject({ method: 'GET', url: '/api/patient/check-ins?days=400', headers: { cookie: phone.cookie } }), 400, 'invalid_input', 'querystring.days');
  });
});
