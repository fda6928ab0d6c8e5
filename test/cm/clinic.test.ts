// CM in the clinic, end to end through the HTTP API (PGlite by default, PostgreSQL
// with TEST_DATABASE_URL): protocols, enrolment, specimens with their awards in the
// same transaction, duplicates, corrections, adjudication, check-ins, privileges.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { AFTER_RECORDINGS, type Award, clinicProtocol, enrolled, ledgerBalanceWithUnshown, NEG, type Recorded, specimen } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => {
  await w?.close();
});
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

describe('protocol library', () => {
  it('refuses an invalid protocol with every problem’s path', async () => {
    const bad = {
      id: 'x',
      version: 1,
      name: 'Bad',
      citation: 'none',
      tracks: [{ id: 't', target: { kind: 'negative', analytes: ['cocaine', 'unobtainium'] }, payout: 'draws', phases: [{ fromWeek: 3, toWeek: 1, escalation: {} }] }],
    };
    const r = await coord.post('/api/v1/cm/protocols', { document: bad });
    const body = expectProblem(r, 400, 'invalid_protocol');
    const fields = body.problems!.map((p) => p.field);
    expect(fields).toContain('body.document.tracks[0].target.analytes[1]');
    expect(fields).toContain('body.document.tracks[0].payout');
    expect(fields).toContain('body.document.tracks[0].phases[0].toWeek');
    expect(fields).toContain('body.document.tracks[0].phases[0].escalation.start');
  });

  it('adopts a preset, previews it, and never edits a version', async () => {
    const presets = await coord.get('/api/v1/cm/presets');
    expect(presets.statusCode).toBe(200);
    expect((presets.json() as { items: Array<{ name: string }> }).items.map((p) => p.name)).toContain('higgins-1994');
    const r = await coord.post('/api/v1/cm/protocols', { preset: 'higgins-1994' });
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as { id: string; preview: { tracks: Array<{ bySuccess: Array<{ amount: number; bonus: number }> }>; maxCents: number } };
    expect(p.preview.tracks[0]!.bySuccess.slice(0, 3).map((x) => x.amount + x.bonus)).toEqual([250, 375, 1500]);
    expect(p.preview.maxCents).toBe(99_750);
    const again = await coord.post('/api/v1/cm/protocols', { preset: 'higgins-1994' });
    expectProblem(again, 409, 'version_exists');
    const preview = await collector.post('/api/v1/cm/protocols/preview', { document: clinicProtocol() });
    expect(preview.statusCode, preview.body).toBe(200);
    expect((preview.json() as { drawEvCents: number }).drawEvCents).toBeCloseTo(221.8, 1);
  });
});

describe('recording a specimen pays at once, in one transaction', () => {
  it('records, awards, returns the next opportunity’s value, and audits in the same transaction', async () => {
    w.clock.now = new Date('2026-03-02T15:00:00Z'); // the first test day: the next opportunity is Wednesday's
    const { patientId, enrolmentId } = await enrolled(w, coord);
    const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Recorded;
    expect(body.duplicate).toBe(false);
    expect(body.award.enrolmentId).toBe(enrolmentId);
    expect(body.award.outcomes.map((o) => `${o.track}:${o.outcome}`)).toEqual(['stim:success', 'opioid-draws:success', 'take-home:success']);
    const earn = body.award.entries.find((e) => e.kind === 'earn')!;
    expect(earn.cents).toBe(250);
    expect(body.award.newDraws).toBe(1);
    const prize = body.award.entries.find((e) => e.kind === 'prize')!;
    expect(prize.n).toBe(1);
    expect(body.award.balanceCents).toBe(250 + prize.cents);
    const next = body.award.next.find((n) => n?.kind === 'specimen')!;
    expect(next.date).toBe('2026-03-04');
    expect(next.tracks.find((t) => t.track === 'stim')!.cents).toBe(375);
    expect(next.tracks.find((t) => t.track === 'opioid-draws')!.draws).toBe(2);
    // one audit row for the screen and the award it caused (ids, counts and amounts only)
    expect(await count("select count(*) as n from audit_events where entity = 'screen' and entity_id = $1", [body.specimen.id])).toBe(1);
    const audit = await w.database.query<{ detail: { cm: { entries: number; cents: number } } }>("select detail from audit_events where entity = 'screen' and entity_id = $1", [body.specimen.id]);
    expect(audit[0]!.detail.cm).toMatchObject({ entries: body.award.entries.length, cents: body.award.earnedCents });
    // second test of the week: escalates
    w.clock.now = new Date('2026-03-04T15:00:00Z');
    const r2 = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'));
    expect((r2.json() as Recorded).award.entries.find((e) => e.kind === 'earn')!.cents).toBe(375);
  });

  it('the same specimen posted twice, or with the same Idempotency-Key, is one specimen and one award', async () => {
    const { patientId } = await enrolled(w, coord);
    const body = specimen(patientId, '2026-03-02T15:00:00Z');
    const a = await collector.post('/api/v1/specimens', body, { 'idempotency-key': `k-${patientId}` });
    const b = await collector.post('/api/v1/specimens', body, { 'idempotency-key': `k-${patientId}` });
    const c = await coord.post('/api/v1/specimens', body); // another screen, no key
    expect(a.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect((c.json() as Recorded).duplicate).toBe(true);
    expect((c.json() as Recorded).specimen.id).toBe((a.json() as Recorded).specimen.id);
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'specimen'", [patientId])).toBe(1);
    expect(await count("select count(*) as n from cm_ledger_entries where patient_id = $1 and kind = 'earn'", [patientId])).toBe(1);
    // a different cup the same day is refused, nothing written
    const d = await coord.post(
      '/api/v1/specimens',
      specimen(
        patientId,
        '2026-03-02T16:00:00Z',
        NEG.map((x) => ({ ...x, result: 'positive' })),
      ),
    );
    expectProblem(d, 409, 'specimen_exists');
  });

  it('a patient not in CM gets the screen recorded with no award; unknown analyte → 400; another programme’s patient → 404', async () => {
    const admin = await w.client('administrator');
    const p = await admin.post('/api/v1/patients', newPatient(`notenrolled${Date.now() % 10000}`));
    const other = (p.json() as { id: string }).id;
    const r = await collector.post('/api/v1/specimens', specimen(other, '2026-03-02T14:00:00Z'));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json() as { award: unknown; specimen: { enrolmentId: string | null } }).toMatchObject({ award: null, specimen: { enrolmentId: null } });
    expect(await count('select count(*) as n from screens where patient_id = $1', [other])).toBe(1);
    expect(await count('select count(*) as n from cm_events where patient_id = $1', [other])).toBe(0);
    const { patientId } = await enrolled(w, coord);
    const u = await collector.post(
      '/api/v1/specimens',
      specimen(patientId, '2026-03-02T14:00:00Z', [
        { analyte: 'unobtainium', result: 'negative' },
        { loinc: '0000-0', result: 'negative' },
      ]),
    );
    expectProblem(u, 400, 'unknown_analyte', 'body.results[0].analyte');
    expect(await count('select count(*) as n from cm_events where patient_id = $1', [patientId])).toBe(0);
    expectProblem(await collector.post('/api/v1/specimens', specimen(w.patientB, '2026-03-02T14:00:00Z')), 404);
  });

  it('a crash at the last statement (the audit row) leaves no specimen, no ledger entry, no event position used', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    await w.database.query(`create function cm_test_crash() returns trigger language plpgsql as $$ begin
      if new.entity = 'screen' then raise exception 'simulated crash'; end if; return new; end $$`);
    await w.database.query('create trigger cm_test_crash before insert on audit_events for each row execute function cm_test_crash()');
    try {
      const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
      expectProblem(r, 500);
    } finally {
      await w.database.query('drop trigger cm_test_crash on audit_events');
      await w.database.query('drop function cm_test_crash()');
    }
    expect(await count('select count(*) as n from cm_events where patient_id = $1', [patientId])).toBe(0);
    expect(await count('select count(*) as n from cm_ledger_entries where patient_id = $1', [patientId])).toBe(0);
    expect(await count('select event_count as n from cm_enrolments where id = $1', [enrolmentId])).toBe(0);
    const ok = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect((ok.json() as Recorded).award.earnedCents).toBeGreaterThanOrEqual(250);
  });

  it('validity: temperature out of range or adulterant → invalid (the track’s policy: failure); LOINC codes accepted', async () => {
    const { patientId } = await enrolled(w, coord);
    const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', [{ loinc: '3397-7', result: 'negative' }], { temperatureC: 30, validity: { nitriteUgMl: 600 } }));
    const body = r.json() as Recorded;
    expect(body.specimen.valid).toBe(false);
    expect(body.specimen.invalidReasons.length).toBe(2);
    expect(body.award.outcomes.find((o) => o.track === 'stim')!.outcome).toBe('failure');
    expect(body.award.earnedCents).toBe(0);
  });

  it('prescribed medication is reconciled: buprenorphine positive while prescribed is not a positive', async () => {
    const proto = clinicProtocol({
      tracks: [{ id: 'opioids', target: { kind: 'negative', analytes: ['opiates', 'buprenorphine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 300 } }] }],
    });
    delete (proto as Record<string, unknown>).bowl;
    const { patientId } = await enrolled(w, coord, { protocol: proto });
    const prescriber = await w.client('prescriber');
    expect((await prescriber.post(`/api/v1/patients/${patientId}/medications`, { medication: 'buprenorphine', startedOn: '2026-02-01' })).statusCode).toBe(200);
    const r = await collector.post(
      '/api/v1/specimens',
      specimen(patientId, '2026-03-02T14:00:00Z', [
        { analyte: 'opiates', result: 'negative' },
        { analyte: 'buprenorphine', result: 'positive' },
      ]),
    );
    const body = r.json() as Recorded;
    expect(body.award.earnedCents).toBe(300);
  });
});

describe('corrections and adjudication never edit in place', () => {
  it('a laboratory confirmation supersedes the cup: the award is forgiven by a new entry, the specimen row unchanged', async () => {
    const { patientId } = await enrolled(w, coord);
    const r = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    const rec = r.json() as Recorded;
    const before = await w.database.query('select * from cm_events where id = $1', [rec.specimen.id]);
    const c = await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, {
      results: [{ analyte: 'cocaine', result: 'positive' }],
      method: 'confirmatory',
      laboratory: 'Test Lab',
      reason: 'GC-MS confirmation',
    });
    expect(c.statusCode, c.body).toBe(200);
    const cor = c.json() as Recorded;
    expect(cor.award.entries.map((e) => `${e.kind}:${e.track}:${e.cents}`)).toEqual(['forgiven:stim:250']);
    expect(cor.award.outcomes.find((o) => o.track === 'stim')!.outcome).toBe('failure');
    expect(await w.database.query('select * from cm_events where id = $1', [rec.specimen.id])).toEqual(before);
    // the database itself refuses edits
    await expect(w.database.query('update cm_ledger_entries set cents = 0 where patient_id = $1', [patientId])).rejects.toThrow();
    await expect(w.database.query('delete from cm_events where id = $1', [rec.specimen.id])).rejects.toThrow();
    // correcting it back pays nothing again: the patient kept the 250, so the memo of what was kept shrinks (CM-SPEC §5.1)
    const back = await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result: 'negative' }], reason: 'lab error' });
    expect((back.json() as Recorded).award.entries.map((e) => `${e.kind}:${e.cents}`)).toEqual(['forgiven:-250']);
    // and back and forth again: the cup is paid once, however often the result alternates
    for (const result of ['positive', 'negative', 'positive', 'negative']) {
      const again = await coord.post(`/api/v1/specimens/${rec.specimen.id}/corrections`, { results: [{ analyte: 'cocaine', result }], reason: 'lab error' });
      expect((again.json() as Recorded).award.entries.every((e) => e.kind === 'forgiven')).toBe(true);
    }
    // the ledger read leaves out a prize not shown yet; with it, the balance the award told
    expect(await ledgerBalanceWithUnshown(w, coord, patientId)).toBe(rec.award.balanceCents);
    const unknown = await coord.post('/api/v1/specimens/00000000-0000-4000-8000-000000000000/corrections', { results: [{ analyte: 'cocaine', result: 'negative' }], reason: 'x' });
    expectProblem(unknown, 404);
  });

  it('possible carry-over waits in the adjudication queue; “carry-over” excuses it', async () => {
    const { patientId } = await enrolled(w, coord);
    const pos = NEG.map((x) => (x.analyte === 'cocaine' ? { ...x, result: 'positive' } : x));
    const r1 = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z', pos));
    expect((r1.json() as Recorded).award.outcomes.find((o) => o.track === 'stim')!.outcome).toBe('failure');
    const r2 = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', pos));
    const rec2 = r2.json() as Recorded;
    expect(rec2.award.pendingAdjudication).toBe(true);
    const queue = await coord.get('/api/v1/cm/adjudications');
    expect((queue.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(rec2.specimen.id);
    expectProblem(await collector.post(`/api/v1/specimens/${rec2.specimen.id}/adjudications`, { decision: 'carry-over', reason: 'x' }), 403);
    const adj = await coord.post(`/api/v1/specimens/${rec2.specimen.id}/adjudications`, { decision: 'carry-over', reason: 'within 4 days, level falling' });
    expect(adj.statusCode, adj.body).toBe(200);
    expect((adj.json() as Award).outcomes.find((o) => o.track === 'stim')!.outcome).toBe('excused');
    const q2 = await coord.get('/api/v1/cm/adjudications');
    expect((q2.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(rec2.specimen.id);
  });
});

describe('check-ins and privileges', () => {
  it('attendance pays; a second check-in the same day is the same one', async () => {
    const { patientId } = await enrolled(w, coord);
    const list = await collector.get('/api/v1/cm/check-ins?date=2026-03-02');
    expect((list.json() as { items: Array<{ patientId: string }> }).items.map((i) => i.patientId)).toContain(patientId);
    const a = await collector.post('/api/v1/cm/check-ins', { patientId, kind: 'attendance', at: '2026-03-02T15:00:00Z', done: true });
    expect(a.statusCode, a.body).toBe(200);
    expect((a.json() as { award: Award }).award.earnedCents).toBe(100);
    const b = await collector.post('/api/v1/cm/check-ins', { patientId, kind: 'attendance', at: '2026-03-02T15:05:00Z', done: true });
    expect((b.json() as { duplicate: boolean }).duplicate).toBe(true);
    expect(await count("select count(*) as n from cm_ledger_entries where patient_id = $1 and track = 'attend'", [patientId])).toBe(1);
  });

  it('a privilege level is a recommendation that a prescriber approves or declines with a reason', async () => {
    const { patientId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z'));
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z'));
    const recs = await coord.get('/api/v1/cm/privilege-recommendations?pending=true');
    const mine = (recs.json() as { items: Array<{ id: string; patientId: string; level: string }> }).items.filter((x) => x.patientId === patientId);
    expect(mine.map((m) => m.level)).toEqual(['1 take-home']);
    expectProblem(await coord.post(`/api/v1/cm/privilege-recommendations/${mine[0]!.id}/decision`, { decision: 'approved', reason: 'ok' }), 403);
    const prescriber = await w.client('prescriber');
    const d = await prescriber.post(`/api/v1/cm/privilege-recommendations/${mine[0]!.id}/decision`, { decision: 'declined', reason: 'recent missed doses' });
    expect(d.statusCode, d.body).toBe(200);
    expectProblem(await prescriber.post(`/api/v1/cm/privilege-recommendations/${mine[0]!.id}/decision`, { decision: 'approved', reason: 'changed mind' }), 409, 'already_decided');
  });

  it('enrolment status: one active enrolment; withdrawn with a reason; then not enrolled', async () => {
    const { patientId, protocolId, enrolmentId } = await enrolled(w, coord);
    expectProblem(await coord.post('/api/v1/cm/enrolments', { patientId, protocolId, startDate: '2026-03-02', calendar: { specimen: [1], attendance: [1] } }), 409, 'already_enrolled');
    const s = await coord.post(`/api/v1/cm/enrolments/${enrolmentId}/status`, { status: 'withdrawn', reason: 'moved away' });
    expect(s.statusCode, s.body).toBe(200);
    // leaving CM never changes screens: a screen after withdrawal is recorded and earns nothing
    const after = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect((after.json() as { award: unknown }).award).toBeNull();
  });
});

describe('CM collections page like the rest of the API (limit, cursor → nextCursor)', () => {
  /** Every item of a collection, `limit` at a time; checks each page's size and that no item repeats. */
  const walk = async (c: Client, path: string, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await c.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      const body = r.json() as { items: Array<{ id?: string; patientId?: string }>; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      if (body.nextCursor) expect(body.items.length).toBe(limit);
      ids.push(...body.items.map((x) => x.id ?? x.patientId!));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  };

  it('catalogue, protocols, seeds, funding sources: every item once, in order, across pages', async () => {
    for (const name of ['Cab fare (page)', 'Bus pass (page)', 'Bus pass (page)', 'Snack (page)', 'Apple (page)']) {
      expect((await coord.post('/api/v1/cm/catalogue', { name, kind: 'item', valueCents: 100, stock: 1 })).statusCode).toBe(200);
    }
    for (const id of ['pg-c', 'pg-a', 'pg-b']) expect((await coord.post('/api/v1/cm/funding-sources', { id, name: id, capsPreset: 'none' })).statusCode).toBe(200);
    const whole = async (path: string) => ((await coord.get(`${path}?limit=200`)).json() as { items: Array<{ id: string }> }).items.map((x) => x.id);
    for (const path of ['/api/v1/cm/catalogue', '/api/v1/cm/protocols', '/api/v1/cm/funding-sources']) {
      const all = await whole(path);
      expect(all.length).toBeGreaterThanOrEqual(3);
      expect(await walk(coord, path, 2)).toEqual(all);
    }
    const names = ((await coord.get('/api/v1/cm/catalogue?limit=200')).json() as { items: Array<{ name: string }> }).items.map((x) => x.name);
    expect(names).toEqual([...names].sort());
    const fs = await whole('/api/v1/cm/funding-sources');
    expect(fs).toEqual([...fs].sort());
    const admin = await w.client('administrator');
    await admin.post('/api/v1/cm/seeds/rotate');
    await admin.post('/api/v1/cm/seeds/rotate');
    expect((await walk(coord, '/api/v1/cm/seeds', 1)).length).toBeGreaterThanOrEqual(3);
  });

  it('the test-day queue and check-in list page by name', async () => {
    for (let i = 0; i < 3; i++) await enrolled(w, coord);
    const whole = ((await collector.get('/api/v1/cm/queue?date=2026-03-04&limit=200')).json() as { items: Array<{ patientId: string }> }).items.map((x) => x.patientId);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    expect(await walk(collector, '/api/v1/cm/queue?date=2026-03-04', 2)).toEqual(whole);
    // Tuesday: attendance only, so no specimen queue, but a check-in list
    expect(((await collector.get('/api/v1/cm/queue?date=2026-03-03')).json() as { items: unknown[] }).items).toEqual([]);
    expect((await walk(collector, '/api/v1/cm/check-ins?date=2026-03-03', 2)).length).toBeGreaterThanOrEqual(3);
  });

  it('limit is 1–200 (default 50) and a bad cursor is a 400 naming query.cursor', async () => {
    expectProblem(await coord.get('/api/v1/cm/catalogue?limit=0'), 400, 'invalid_input', 'querystring.limit');
    expectProblem(await coord.get('/api/v1/cm/catalogue?limit=201'), 400, 'invalid_input', 'querystring.limit');
    for (const path of [
      '/api/v1/cm/catalogue',
      '/api/v1/cm/protocols',
      '/api/v1/cm/seeds',
      '/api/v1/cm/funding-sources',
      '/api/v1/cm/adjudications',
      '/api/v1/cm/queue',
      '/api/v1/cm/check-ins',
      '/api/v1/cm/privilege-recommendations',
    ]) {
      expectProblem(await coord.get(`${path}?cursor=not-a-cursor`), 400, 'invalid_input', 'query.cursor');
      // a well-formed cursor whose parts are the wrong kind never reaches SQL
      const forged = Buffer.from(JSON.stringify(['x', 'y', 'z'])).toString('base64url');
      expectProblem(await coord.get(`${path}?cursor=${forged}`), 400, 'invalid_input', 'query.cursor');
    }
  });
});
