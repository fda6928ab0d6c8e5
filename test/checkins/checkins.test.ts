// Check-ins end to end through the API (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): staff record phone check-ins, the risk rules raise alerts on the
// one work list (urgent first) that are acknowledged once; replays are recorded once,
// also when they race; bad input is a 4xx naming the field; programme settings change
// the rules; and self-report never pays or resets CM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { enrolled, specimen } from '../cm/support.ts';
import { recordCheckIn } from '../../server/modules/checkins/record-check-in.ts';
import { systemCtx } from '../../server/platform/http/context.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

const DAY = 86_400_000;
let w: World;
let counsellor: Client;
let admin: Client;
let peer: Client;

type Result = {
  checkIn: { id: string; day: string; fired: string[]; source: string; recordedByName: string | null };
  replayed: boolean;
  alerts: Array<{ id: string; code: string; severity: string; text: string }>;
  show: { crisis: boolean; naloxone: boolean };
  messages: { language: string; thanks: string; crisis: { call: string } | null; naloxone: { steps: string[] } | null };
};
type Alert = { id: string; patientId: string; source: string; code: string; severity: string; checkInId: string | null; text: string; textEs: string | null; acknowledgedAt: string | null };

async function patient(extra: Record<string, unknown> = {}) {
  const r = await admin.post('/api/v1/patients', newPatient(`ci${randomUUID().slice(0, 6)}`, extra));
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
}
async function checkIn(c: Client, patientId: string, answers: Record<string, unknown>, idempotencyKey?: string) {
  const r = await c.post(`/api/v1/patients/${patientId}/check-ins`, { answers, ...(idempotencyKey ? { idempotencyKey } : {}) });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Result;
}
async function alertsOf(patientId: string, status: 'open' | 'all' = 'open') {
  const r = await counsellor.get(`/api/v1/safety-alerts?status=${status}&scope=all&patientId=${patientId}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { items: Alert[] }).items;
}

async function signInAll() {
  counsellor = await w.client('counsellor');
  admin = await w.client('administrator');
  peer = await w.client('peer-specialist');
}
/** The server's clock moves forward only; sessions end when idle, so everyone signs in again. */
async function later(days: number) {
  w.clock.advance(days * DAY);
  await signInAll();
}

beforeAll(async () => {
  w = await makeWorld({ now: '2026-03-02T15:00:00Z' });
  await signInAll();
});
afterAll(async () => {
  await w?.close();
});

describe('check-ins and risk rules', () => {
  it('records a phone check-in (source staff) with an audit row, and lists it for the patient page', async () => {
    const p = await patient();
    const r = await checkIn(counsellor, p, { mood: 4, craving: 3, use: { any: false }, medication: 'taken', sleep: 4, stress: 2, note: '  a calm day  ' });
    expect(r).toMatchObject({ replayed: false, alerts: [], show: { crisis: false, naloxone: false }, checkIn: { source: 'staff', day: '2026-03-02', fired: [] } });
    expect(r.checkIn.recordedByName).toBeTruthy();
    const list = (await counsellor.get(`/api/v1/patients/${p}/check-ins?days=7`)).json() as { items: Array<{ answers: Record<string, unknown> }>; from: string; to: string };
    expect(list).toMatchObject({ from: '2026-02-24', to: '2026-03-02' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.answers).toEqual({ mood: 4, craving: 3, use: { any: false }, medication: 'taken', sleep: 4, stress: 2, note: 'a calm day' });
    const audit = await w.database.query<{ action: string; entity: string }>("select action, entity from audit_events where patient_id = $1 and entity = 'check-in' order by at", [p]);
    expect(audit.map((a) => a.action)).toEqual(['create', 'read']);
    // the audit detail carries no answers
    const detail = await w.database.query<{ detail: unknown }>("select detail from audit_events where patient_id = $1 and entity = 'check-in'", [p]);
    expect(JSON.stringify(detail)).not.toContain('calm');
  });

  it('self-report never pays or resets CM: the enrolment, events and ledger are unchanged by check-ins reporting use', async () => {
    const coordinator = await w.client('cm-coordinator');
    const { patientId } = await enrolled(w, coordinator);
    const rec = await coordinator.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect(rec.statusCode, rec.body).toBe(200);
    const snapshot = async () => {
      const tables = await w.database.query<{ table_name: string }>(
        "select table_name from information_schema.columns where table_schema = 'public' and table_name like 'cm\\_%' and column_name = 'patient_id' order by table_name",
      );
      expect(tables.map((t) => t.table_name)).toContain('cm_ledger_entries');
      const out: Record<string, unknown> = {};
      for (const t of tables) out[t.table_name] = await w.database.query(`select * from ${t.table_name} where patient_id = $1 order by 1, 2`, [patientId]);
      return JSON.stringify(out);
    };
    const before = await snapshot();
    const ledger = (await coordinator.get(`/api/v1/patients/${patientId}/ledger`)).body;
    expect((JSON.parse(before) as Record<string, unknown[]>).cm_ledger_entries!.length).toBeGreaterThan(0);
    await checkIn(counsellor, patientId, { use: { any: false }, medication: 'taken' });
    await later(14);
    const risky = await checkIn(counsellor, patientId, { use: { any: true, substances: ['fentanyl'] }, medication: 'missed', craving: 10 });
    expect(risky.show.naloxone).toBe(true);
    await checkIn(counsellor, patientId, { use: { any: false }, medication: 'taken', craving: 0 });
    const coordinatorNow = await w.client('cm-coordinator');
    expect(await snapshot()).toBe(before);
    expect((await coordinatorNow.get(`/api/v1/patients/${patientId}/ledger`)).body).toBe(ledger);
  });

  it('craving 9 on two days running raises one warning alert on the work list; it is acknowledged once', async () => {
    const p = await patient();
    expect((await checkIn(counsellor, p, { craving: 9 })).alerts).toEqual([]);
    await later(1);
    {
      const second = await checkIn(counsellor, p, { craving: 9 });
      expect(second.alerts).toMatchObject([{ code: 'craving-run', severity: 'warning' }]);
      expect(second.checkIn.fired).toEqual(['craving-run']);
      // a third high day does not raise a second open alert for the same rule
      await later(1);
      expect((await checkIn(counsellor, p, { craving: 10 })).alerts).toEqual([]);
      const open = await alertsOf(p);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ source: 'check-in', code: 'craving-run', severity: 'warning', checkInId: second.checkIn.id });
      expect(open[0]!.textEs).toContain('antojo');
      const ack = await counsellor.post(`/api/v1/safety-alerts/${open[0]!.id}/acknowledge`, { note: 'called, made a plan' });
      expect(ack.statusCode, ack.body).toBe(200);
      expectProblem(await counsellor.post(`/api/v1/safety-alerts/${open[0]!.id}/acknowledge`, {}), 409, 'already_acknowledged');
      expect(await alertsOf(p)).toEqual([]);
    }
  });

  it('"not safe right now" is urgent, shows the crisis screen at once, in the patient’s language, and lists first', async () => {
    const p = await patient({ preferredLanguage: 'es' });
    await checkIn(counsellor, p, { medication: 'missed' });
    await later(1);
    const missed = await checkIn(counsellor, p, { medication: 'missed' });
    expect(missed.alerts).toMatchObject([{ code: 'missed-doses', severity: 'warning' }]);
    const r = await checkIn(peer, p, { notSafe: true });
    expect(r.alerts).toMatchObject([{ code: 'not-safe', severity: 'urgent' }]);
    expect(r.show).toEqual({ crisis: true, naloxone: false });
    expect(r.messages.language).toBe('es');
    expect(r.messages.crisis?.call).toContain('988');
    expect(r.messages.thanks).toContain('Gracias');
    const open = await alertsOf(p);
    expect(open.map((a) => a.code)).toEqual(['not-safe', 'missed-doses']);
  });

  it('use after 14 days without reported use: urgent overdose-risk alert and naloxone steps at once', async () => {
    const p = await patient();
    await checkIn(counsellor, p, { use: { any: false } });
    await later(14);
    {
      const r = await checkIn(counsellor, p, { use: { any: true, substances: ['fentanyl'] } });
      expect(r.alerts).toMatchObject([{ code: 'use-after-abstinence', severity: 'urgent' }]);
      expect(r.show).toEqual({ crisis: false, naloxone: true });
      expect(r.messages.naloxone?.steps).toHaveLength(5);
      // reported again the next day: recent use, so no new alert
      await later(1);
      expect((await checkIn(counsellor, p, { use: { any: true, substances: [] } })).show.naloxone).toBe(false);
    }
  });

  it('a replayed check-in (same idempotency key) is recorded once; the same key with other answers is 422', async () => {
    const p = await patient();
    const key = `offline-${randomUUID()}`;
    const a = await checkIn(counsellor, p, { craving: 2, use: { any: true, substances: ['fentanyl', 'alcohol'] } }, key);
    const b = await checkIn(counsellor, p, { use: { any: true, substances: ['alcohol', 'fentanyl'] }, craving: 2 }, key);
    expect(b.replayed).toBe(true);
    expect(b.checkIn.id).toBe(a.checkIn.id);
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 3 }, idempotencyKey: key }), 422, 'idempotency_key_reused', 'idempotencyKey');
    const [n] = await w.database.query<{ n: string }>('select count(*) as n from check_ins where patient_id = $1', [p]);
    expect(Number(n!.n)).toBe(1);
  });

  it('two check-ins with the same key racing record one, and raise its alert once', async () => {
    const p = await patient();
    await checkIn(counsellor, p, { notSafe: false, craving: 9 });
    await later(1);
    {
      const key = `race-${randomUUID()}`;
      const body = { answers: { craving: 9, notSafe: true }, idempotencyKey: key };
      const rs = await Promise.all([1, 2, 3].map(() => counsellor.post(`/api/v1/patients/${p}/check-ins`, body)));
      expect(rs.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      const out = rs.map((r) => r.json() as Result);
      expect(new Set(out.map((o) => o.checkIn.id)).size).toBe(1);
      expect(out.filter((o) => !o.replayed)).toHaveLength(1);
      expect(out.every((o) => o.alerts.map((a) => a.code).join() === 'not-safe,craving-run')).toBe(true);
      const [n] = await w.database.query<{ n: string }>('select count(*) as n from check_ins where patient_id = $1', [p]);
      expect(Number(n!.n)).toBe(2);
      const [alerts] = await w.database.query<{ n: string }>('select count(*) as n from safety_alerts where patient_id = $1', [p]);
      expect(Number(alerts!.n)).toBe(2);
    }
  });

  it('an offline check-in from yesterday racing today’s (different keys): the run is found whichever arrives first', async () => {
    const p = await patient();
    // the first is an offline check-in made yesterday, sent now through the use case (the patient app's path)
    const yesterday = new Date(w.clock.now.getTime() - DAY);
    const ctx = systemCtx({ orgId: w.orgId, programId: w.programA, now: w.clock.now });
    const results = await Promise.all([
      inTransaction(w.database.db, (tx) =>
        recordCheckIn({ tx, ctx }, { programId: w.programA, patientId: p, source: 'app', answers: { craving: 9 }, idempotencyKey: 'y', recordedBy: null, madeAt: yesterday }),
      ),
      inTransaction(w.database.db, (tx) => recordCheckIn({ tx, ctx }, { programId: w.programA, patientId: p, source: 'sms', answers: { craving: 8 }, idempotencyKey: 't', recordedBy: null })),
    ]);
    // whichever arrived second raised the run's alert (on today's check-in)
    expect(results.flatMap((r) => r.alerts.map((a) => a.code))).toEqual(['craving-run']);
    const open = await alertsOf(p);
    expect(open.map((a) => [a.code, a.checkInId])).toEqual([['craving-run', results[1]!.checkIn.id]]);
    const today = w.clock.now.toISOString().slice(0, 10);
    expect(results.map((r) => r.checkIn.day).sort()).toEqual([new Date(w.clock.now.getTime() - DAY).toISOString().slice(0, 10), today]);
  });

  it('bad input is a 400 problem naming the field, and nothing is written', async () => {
    const p = await patient();
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 11 } }), 400, 'invalid_input', 'body.answers.craving');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { mood: 0 } }), 400, 'invalid_input', 'body.answers.mood');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { use: { any: true, substances: ['sugar'] } } }), 400, 'invalid_input', 'body.answers.use.substances.0');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { medication: 'sometimes' } }), 400, 'invalid_input', 'body.answers.medication');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: {} }), 400, 'invalid_input', 'body.answers');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { note: '   ' } }), 400, 'invalid_input', 'body.answers');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 1 }, extra: 1 }), 400, 'invalid_input');
    expectProblem(await counsellor.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 1 }, idempotencyKey: 'has space' }), 400, 'invalid_input', 'body.idempotencyKey');
    expectProblem(await counsellor.get(`/api/v1/patients/${p}/check-ins?days=0`), 400, 'invalid_input', 'querystring.days');
    expectProblem(await counsellor.post(`/api/v1/patients/${randomUUID()}/check-ins`, { answers: { craving: 1 } }), 404, 'not_found');
    const [n] = await w.database.query<{ n: string }>('select count(*) as n from check_ins where patient_id = $1', [p]);
    expect(Number(n!.n)).toBe(0);
  });

  it('programme settings: defaults, validated changes (400 names the field), and the rules follow them', async () => {
    expect((await counsellor.get('/api/v1/check-ins/settings')).json()).toMatchObject({ cravingRun: { threshold: 8, days: 2 } });
    const good = {
      cravingRun: { enabled: true, threshold: 6, days: 2, severity: 'urgent' },
      missedDoses: { enabled: false, count: 2, windowDays: 7, severity: 'warning' },
      useAfterAbstinence: { enabled: true, days: 14, severity: 'urgent' },
    };
    expectProblem(await admin.put('/api/v1/check-ins/settings', { ...good, cravingRun: { ...good.cravingRun, threshold: 11 } }), 400, 'invalid_input', 'body.cravingRun.threshold');
    expectProblem(await admin.put('/api/v1/check-ins/settings', { ...good, missedDoses: { ...good.missedDoses, count: 9, windowDays: 3 } }), 400, 'invalid_input', 'body.missedDoses.count');
    expectProblem(await admin.put('/api/v1/check-ins/settings', { ...good, cravingRun: { ...good.cravingRun, severity: 'panic' } }), 400, 'invalid_input', 'body.cravingRun.severity');
    expectProblem(await counsellor.put('/api/v1/check-ins/settings', good), 403, 'forbidden');
    const saved = await admin.put('/api/v1/check-ins/settings', good);
    expect(saved.statusCode, saved.body).toBe(200);
    try {
      const p = await patient();
      await checkIn(counsellor, p, { craving: 6, medication: 'missed' });
      await later(1);
      const r = await checkIn(counsellor, p, { craving: 7, medication: 'missed' });
      expect(r.alerts.map((a) => [a.code, a.severity])).toEqual([['craving-run', 'urgent']]);
      expect(r.alerts[0]!.text).toContain('craving 6 or more');
    } finally {
      const reset = await admin.put('/api/v1/check-ins/settings', {
        cravingRun: { enabled: true, threshold: 8, days: 2, severity: 'warning' },
        missedDoses: { enabled: true, count: 2, windowDays: 7, severity: 'warning' },
        useAfterAbstinence: { enabled: true, days: 14, severity: 'urgent' },
      });
      expect(reset.statusCode).toBe(200);
    }
  });

  it('roles: a CM coordinator can neither read nor record check-ins; a peer specialist can record but not acknowledge', async () => {
    const p = await patient();
    const coordinator = await w.client('cm-coordinator');
    expectProblem(await coordinator.get(`/api/v1/patients/${p}/check-ins`), 403, 'forbidden');
    expectProblem(await coordinator.post(`/api/v1/patients/${p}/check-ins`, { answers: { craving: 1 } }), 403, 'forbidden');
    const r = await checkIn(peer, p, { notSafe: true });
    expectProblem(await peer.post(`/api/v1/safety-alerts/${r.alerts[0]!.id}/acknowledge`, {}), 403, 'forbidden');
  });
});
