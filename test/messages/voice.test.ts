// The phone line (ADR 038): a call from a patient's number is asked three questions on the
// keypad and recorded as a check-in (source voice) through the same recording as the app's,
// so the risk rules run; every webhook is signed (a bad signature is a 403 problem+json);
// a retried webhook gets the same TwiML and records once; a number that is no patient's
// hears a neutral message naming no one. The console's simulator drives the same webhooks.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { twilioSignature } from '../../server/modules/messages/inbound-sms.ts';
import { purgeVoiceCalls } from '../../server/modules/messages/voice.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type World } from '../support/world.ts';
import { textablePatient } from './support.ts';

const BASE = 'https://waypoint.example';

describe('the phone line (voice check-ins)', () => {
  let w: World;
  let signed: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    signed = await buildApp({ db: w.database.db, logLevel: 'silent', webRoot: null, clock: () => w.clock.now, sms: { authToken: 'test-token', webhookBase: BASE } });
    await signed.ready();
  });
  afterAll(async () => {
    await signed?.close();
    await w?.close();
  });

  const post = (path: string, params: Record<string, string>, signature = twilioSignature('test-token', `${BASE}${path}`, params)) =>
    signed.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: new URLSearchParams(params).toString() });
  const call = (callSid: string, from: string) => post('/api/v1/voice/inbound', { CallSid: callSid, From: from, CallStatus: 'ringing' });
  const press = (callSid: string, seq: number, digits: string | null) => post(`/api/v1/voice/gather?seq=${seq}`, { CallSid: callSid, From: 'x', ...(digits === null ? {} : { Digits: digits }) });
  const checkInsOf = (patientId: string) =>
    w.database.query<{ source: string; answers: Record<string, unknown> }>('select source, answers from check_ins where patient_id = $1 order by recorded_at, id', [patientId]);

  it('a full call: medication, use, craving recorded once as a voice check-in; the caller may be put through to the clinic', async () => {
    const phone = '+15550107771';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    const admin = await w.client('administrator');
    expect((await admin.put('/api/v1/phone-line', { clinicNumber: '(555) 010-0000' })).json()).toEqual({ clinicNumber: '+15550100000' });
    const sid = 'CA00000000000000000000000000000001';
    const hello = await call(sid, phone);
    expect(hello.statusCode).toBe(200);
    expect(String(hello.headers['content-type'])).toMatch(/^text\/xml/);
    expect(hello.body).toContain('Did you take your medicine today?');
    expect(hello.body).toContain(`action="${BASE}/api/v1/voice/gather?seq=1"`);
    expect((await press(sid, 1, '1')).body).toContain('Have you used since your last check-in?');
    expect((await press(sid, 2, '2')).body).toContain('How strong is your craving');
    const saved = await press(sid, 3, '6');
    expect(saved.body).toContain('Thank you. Your check-in is saved.');
    expect(saved.body).toContain('To talk with your clinic now, press 1.');
    // the provider retries the same step: the same TwiML, recorded once
    expect((await press(sid, 3, '6')).body).toBe(saved.body);
    expect(await checkInsOf(p)).toEqual([{ source: 'voice', answers: { medication: 'taken', use: { any: false }, craving: 6 } }]);
    const connect = await press(sid, 4, '1');
    expect(connect.body).toContain('<Dial timeout="30"><Number>+15550100000</Number></Dial>');
    // a step the call is not at is refused without a change
    expect((await press(sid, 9, '1')).body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });

  it('in Spanish for a Spanish speaker; a bad key repeats the question once, a second miss ends with nothing recorded', async () => {
    const phone = '+15550107772';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone, language: 'es' }));
    const sid = 'CA00000000000000000000000000000002';
    expect((await call(sid, phone)).body).toContain('¿Tomó su medicina hoy?');
    const again = await press(sid, 1, '7');
    expect(again.body).toContain('Lo sentimos, no entendimos.');
    const end = await press(sid, 2, null);
    expect(end.body).toContain('No se guardó nada.');
    expect(end.body).toContain('<Hangup/>');
    expect(await checkInsOf(p)).toEqual([]);
  });

  it('use after a stretch without and "no" to medication: the rules run (naloxone words on the call)', async () => {
    const phone = '+15550107773';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    const staff = await w.client('counsellor');
    // a check-in without use 20 days ago, then use reported on the phone
    w.clock.advance(-20 * 86_400_000);
    expect((await staff.post(`/api/v1/patients/${p}/check-ins`, { answers: { use: { any: false } } })).statusCode).toBe(200);
    w.clock.advance(20 * 86_400_000);
    const sid = 'CA00000000000000000000000000000003';
    await call(sid, phone);
    await press(sid, 1, '2');
    await press(sid, 2, '1');
    const saved = await press(sid, 3, '8');
    expect(saved.body).toContain('naloxone');
    const alerts = await w.database.query<{ code: string }>('select code from safety_alerts where patient_id = $1', [p]);
    expect(alerts.map((a) => a.code)).toContain('use-after-abstinence');
  });

  it('a number that is no patient’s hears a neutral message and the call ends; nothing is recorded or named', async () => {
    const before = await w.database.query('select count(*)::int as n from check_ins');
    const r = await call('CA00000000000000000000000000000004', '+15550109999');
    expect(r.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" language="en-US">Sorry, we could not find this number. Please call your clinic. Goodbye.</Say><Hangup/></Response>',
    );
    expect((await press('CA00000000000000000000000000000004', 1, '1')).body).toContain('<Hangup/>');
    expect(await w.database.query('select count(*)::int as n from check_ins')).toEqual(before);
  });

  it('a bad or missing signature is a 403 problem+json and changes nothing', async () => {
    const params = { CallSid: 'CA00000000000000000000000000000005', From: '+15550107771' };
    expectProblem(await post('/api/v1/voice/inbound', params, 'bm90IGl0'), 403, 'bad_signature', 'header.x-twilio-signature');
    // signed for another step than the one posted to
    const sig = twilioSignature('test-token', `${BASE}/api/v1/voice/gather?seq=1`, params);
    expectProblem(await post('/api/v1/voice/gather?seq=2', params, sig), 403, 'bad_signature');
    expectProblem(await signed.inject({ method: 'POST', url: '/api/v1/voice/inbound', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'CallSid=x' }), 400);
    expect(await w.database.query('select count(*)::int as n from voice_calls where call_sid = $1', [params.CallSid])).toEqual([{ n: 0 }]);
  });

  it('the console’s simulator drives a call through the signed webhooks; without a clinic number the call ends after the thanks', async () => {
    const phone = '+15550107775';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    const admin = await w.client('administrator');
    expect((await admin.put('/api/v1/phone-line', { clinicNumber: null })).statusCode).toBe(200);
    expectProblem(await admin.put('/api/v1/phone-line', { clinicNumber: 'call me' }), 400, 'invalid_input', 'body.clinicNumber');
    const started = (await admin.post('/api/v1/messages/simulator/voice/call', { from: phone })).json() as { callSid: string; nextSeq: number; said: string[] };
    expect(started.said[1]).toContain('Did you take your medicine today?');
    let step = started;
    for (const digits of ['1', '1', '2']) step = (await admin.post('/api/v1/messages/simulator/voice/keys', { callSid: started.callSid, seq: step.nextSeq, digits })).json() as typeof started;
    expect(step.said).toContain('If you want to talk, please call your clinic.');
    expect(step.nextSeq).toBeNull();
    expect(await checkInsOf(p)).toEqual([{ source: 'voice', answers: { medication: 'taken', use: { any: true, substances: [] }, craving: 2 } }]);
    expectProblem(await admin.post('/api/v1/messages/simulator/voice/keys', { callSid: started.callSid, seq: 1, digits: '12' }), 400, undefined, 'body.digits');
    const counsellor = await w.client('counsellor');
    expect((await counsellor.post('/api/v1/messages/simulator/voice/call', { from: phone })).statusCode).toBe(403);
  });

  it('property: any key presses, each webhook sent once or retried, record at most one check-in per call and replay the same TwiML', async () => {
    const phone = '+15550107777';
    const p = await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    let n = 0;
    let finished = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.option(fc.constantFrom('0', '1', '2', '5', '9', '#'), { nil: null }), fc.boolean()), { minLength: 1, maxLength: 8 }), async (presses) => {
        n += 1;
        const sid = `CA${String(n).padStart(32, '7')}`;
        await call(sid, phone);
        let recorded = false;
        for (const [i, [digits, retried]] of presses.entries()) {
          const first = await press(sid, i + 1, digits);
          expect(first.statusCode).toBe(200);
          if (retried) expect((await press(sid, i + 1, digits)).body).toBe(first.body);
          if (first.body.includes('Your check-in is saved.')) {
            expect(recorded).toBe(false);
            recorded = true;
          }
        }
        const rows = await w.database.query<{ n: number }>(`select count(*)::int as n from check_ins where patient_id = $1 and idempotency_key = $2`, [p, `voice:${sid}`]);
        expect(rows[0]!.n).toBe(recorded ? 1 : 0);
        if (recorded) finished += 1;
      }),
      { numRuns: 25 },
    );
    expect(await checkInsOf(p)).toHaveLength(finished);
  });

  it('calls not touched for an hour are deleted with their unfinished answers', async () => {
    const phone = '+15550107776';
    await inTransaction(w.database.db, (tx) => textablePatient(tx, w.programA, w.clock.now, { phone }));
    await call('CA00000000000000000000000000000006', phone);
    await press('CA00000000000000000000000000000006', 1, '1');
    expect(await purgeVoiceCalls(w.database.db, w.clock.now)).toBe(0);
    expect(await purgeVoiceCalls(w.database.db, new Date(w.clock.now.getTime() + 3601_000))).toBeGreaterThanOrEqual(1);
    expect(await w.database.query('select count(*)::int as n from voice_calls where call_sid = $1', ['CA00000000000000000000000000000006'])).toEqual([{ n: 0 }]);
  });
});
