// Patients: registration with the duplicate check, MRN uniqueness, search with keyset
// pagination, view, optimistic update, medications / episodes / care team, and
// Idempotency-Key (with the concurrency cases on PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.ts';
import { count, expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let desk: Client;
let prescriber: Client;
beforeAll(async () => {
  w = await makeWorld({ poolSize: 24 });
  desk = await w.client('front-desk');
  prescriber = await w.client('prescriber');
});
afterAll(async () => {
  await w?.close();
});

const patientRows = (mrn: string) => w.database.query<{ id: string }>('select id from patients where program_id = $1 and mrn = $2', [w.programA, mrn]);
const auditCount = async () => count(await w.database.query<{ n: string }>('select count(*) as n from audit_events'));

describe('registration', () => {
  it('asks about a possible duplicate, then registers once confirmed', async () => {
    const base = { mrn: 'DUP-1', legalGivenName: 'alder', legalFamilyName: 'EXAMPLE', birthDate: '1980-04-01' };
    const check = await desk.post('/api/v1/patients/duplicates', { legalGivenName: 'Alder', legalFamilyName: 'Example', birthDate: '1980-04-01' });
    expect(check.statusCode).toBe(200);
    expect((check.json() as { candidates: Array<{ id: string }> }).candidates.map((c) => c.id)).toContain(w.patientA);
    const first = await desk.post('/api/v1/patients', base);
    expectProblem(first, 409, 'possible_duplicate', 'body.confirmNotDuplicate');
    expect(await patientRows('DUP-1')).toHaveLength(0);
    const second = await desk.post('/api/v1/patients', { ...base, confirmNotDuplicate: true });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ mrn: 'DUP-1', version: 1, programId: w.programA, preferredLanguage: 'en', contactConsent: false });
    expect(await patientRows('DUP-1')).toHaveLength(1);
  });

  it('refuses an MRN already taken in the programme with 409 naming body.mrn', async () => {
    const r = await desk.post('/api/v1/patients', newPatient('x', { mrn: 'A-0001' }));
    expectProblem(r, 409, 'mrn_taken', 'body.mrn');
    // the same MRN in another programme is someone else's business
    const adminB = await w.client('adminB');
    expect((await adminB.post('/api/v1/patients', newPatient('y', { mrn: 'A-0001' }))).statusCode).toBe(200);
  });

  it('stores empty optional text as null and audits the creation with ids only', async () => {
    const r = await desk.post('/api/v1/patients', newPatient('nul1', { preferredName: '  ', phone: '', address: 'Somewhere 1' }));
    expect(r.statusCode).toBe(200);
    const p = r.json() as { id: string; preferredName: string | null; phone: string | null };
    expect(p.preferredName).toBeNull();
    expect(p.phone).toBeNull();
    const rows = await w.database.query<{ detail: unknown; patient_id: string }>("select detail, patient_id from audit_events where action = 'create' and entity = 'patient' and entity_id = $1", [
      p.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain('Somewhere');
  });

  it('answers with the record exactly as stored (the same as reading it back)', async () => {
    const r = await desk.post(
      '/api/v1/patients',
      newPatient('echo1', {
        mrn: '  ECHO-1 ',
        preferredName: 'Ash',
        pronouns: 'they/them',
        preferredLanguage: 'es',
        phone: ' ',
        email: 'ash@example.test',
        contactConsent: true,
        emergencyContactName: 'Rowan Example',
        emergencyContactPhone: '555-0100',
        emergencyContactRelationship: 'sibling',
      }),
    );
    expect(r.statusCode).toBe(200);
    const created = r.json() as { id: string; mrn: string; phone: string | null };
    expect(created).toMatchObject({ mrn: 'ECHO-1', phone: null, version: 1 });
    const read = await desk.get(`/api/v1/patients/${created.id}`);
    expect(read.json()).toEqual(created);
  });
});

describe('programme integrity', () => {
  const q = (sql: string, params: unknown[] = []) => w.database.query(sql, params);

  it('the database refuses a patient in a programme that does not exist', async () => {
    const err = await q(
      "insert into patients (program_id, id, mrn, legal_given_name, legal_family_name, birth_date, created_at, updated_at) values ($1, $2, 'NOPROG-1', 'Given', 'Family', '1990-01-01', now(), now())",
      [randomUUID(), randomUUID()],
    ).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(err?.code).toBe('23503');
    const moved = await q('update patients set program_id = $1 where program_id = $2 and id = $3', [randomUUID(), w.programA, w.patientA]).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(moved?.code).toBe('23503');
  });

  it('a programme is never deleted and its id never changes; its other fields may', async () => {
    for (const sql of ['delete from programs where id = $1', 'update programs set id = gen_random_uuid() where id = $1']) {
      await expect(q(sql, [w.programB]), sql).rejects.toThrow(/never deleted/);
    }
    await expect(q('truncate programs cascade')).rejects.toThrow(/never deleted/);
    await q('update programs set name = name where id = $1', [w.programB]);
    expect(await q('select id from programs where id = $1', [w.programB])).toHaveLength(1);
  });
});

describe('search', () => {
  const names: Array<[string, string, string]> = [];
  beforeAll(async () => {
    for (let i = 0; i < 23; i++) {
      const given = ['Quinn', 'Quincy', 'Rowan'][i % 3]!;
      names.push([`SRCH-${i}`, given, i % 2 ? 'Searchwell' : 'Searchby']);
    }
    for (const [mrn, given, family] of names) {
      const r = await desk.post('/api/v1/patients', { mrn, legalGivenName: given, legalFamilyName: family, birthDate: mrn.endsWith('-7') ? '1970-07-07' : '1985-05-05', confirmNotDuplicate: true });
      expect(r.statusCode).toBe(200);
    }
  });

  const searchAll = async (query: Record<string, unknown>, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await desk.post('/api/v1/patients/search', { ...query, limit, ...(cursor ? { cursor } : {}) });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json() as { items: Array<{ id: string }>; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return ids;
  };

  it('finds by name prefix, case-insensitively', async () => {
    expect(await searchAll({ q: 'search' }, 100)).toHaveLength(23);
    expect(await searchAll({ q: 'SEARCHW' }, 100)).toHaveLength(11);
  });

  it('finds by preferred name prefix', async () => {
    const r = await desk.post('/api/v1/patients', newPatient('pref1', { preferredName: 'Wrenna' }));
    expect(r.statusCode).toBe(200);
    expect(await searchAll({ q: 'wren' }, 10)).toEqual([(r.json() as { id: string }).id]);
  });

  it('needs every word to match', async () => {
    expect(await searchAll({ q: 'quin searchby' }, 100)).toHaveLength(names.filter(([, g, f]) => g.startsWith('Quin') && f === 'Searchby').length);
    expect(await searchAll({ q: 'rowan searchwell' }, 100)).toHaveLength(names.filter(([, g, f]) => g === 'Rowan' && f === 'Searchwell').length);
  });

  it('finds by birth date and by MRN', async () => {
    const byDate = await searchAll({ q: 'search', birthDate: '1970-07-07' }, 100);
    expect(byDate).toHaveLength(1);
    expect(await searchAll({ q: 'search 1970-07-07' }, 100)).toEqual(byDate);
    expect(await searchAll({ mrn: 'SRCH-7' }, 100)).toEqual(byDate);
    expect(await searchAll({ q: 'srch-7' }, 100)).toEqual(byDate);
  });

  it('treats LIKE wildcards in the query as text', async () => {
    expect(await searchAll({ q: '%' }, 100)).toHaveLength(0);
    expect(await searchAll({ q: '_earch' }, 100)).toHaveLength(0);
  });

  it('keyset pagination returns every match exactly once across pages', async () => {
    for (const limit of [1, 4, 7, 22, 23]) {
      const ids = await searchAll({ q: 'search' }, limit);
      expect(ids).toHaveLength(23);
      expect(new Set(ids).size).toBe(23);
    }
  });

  it('refuses a forged cursor with 400 naming body.cursor', async () => {
    expectProblem(await desk.post('/api/v1/patients/search', { q: 'search', cursor: 'bm90LWpzb24' }), 400, 'invalid_input', 'body.cursor');
  });

  it('is a POST: no names in URLs, and a search is audited with a count only', async () => {
    const before = await auditCount();
    await desk.post('/api/v1/patients/search', { q: 'searchwell' });
    const [row] = await w.database.query<{ detail: Record<string, unknown> }>("select detail from audit_events where action = 'search' and entity = 'patient' order by id desc limit 1");
    expect(await auditCount()).toBe(before + 1);
    expect(row?.detail).toEqual({ count: 11 });
    expect((await desk.get('/api/v1/patients/search?q=searchwell')).statusCode).toBeGreaterThanOrEqual(400);
  });
});

describe('view and update', () => {
  it('views a patient and audits the read', async () => {
    const r = await desk.get(`/api/v1/patients/${w.patientA}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: w.patientA, mrn: 'A-0001' });
    const rows = await w.database.query("select 1 from audit_events where action = 'read' and entity = 'patient' and patient_id = $1", [w.patientA]);
    expect(rows.length).toBeGreaterThanOrEqual(1);
  });

  it('updates with the current version and refuses a stale one with 409 stale_version, writing nothing', async () => {
    const created = (await desk.post('/api/v1/patients', newPatient('upd1'))).json() as { id: string; version: number };
    const ok = await desk.patch(`/api/v1/patients/${created.id}`, { version: 1, preferredName: 'Sunny', phone: '555-0100' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, preferredName: 'Sunny', phone: '555-0100' });
    const before = await auditCount();
    const stale = await prescriber.patch(`/api/v1/patients/${created.id}`, { version: 1, preferredName: 'Cloudy' });
    expectProblem(stale, 409, 'stale_version', 'body.version');
    expect(await auditCount()).toBe(before);
    const now = (await desk.get(`/api/v1/patients/${created.id}`)).json() as { version: number; preferredName: string };
    expect(now).toMatchObject({ version: 2, preferredName: 'Sunny' });
  });

  it('refuses to change the MRN to one already taken', async () => {
    const created = (await desk.post('/api/v1/patients', newPatient('upd2'))).json() as { id: string };
    expectProblem(await desk.patch(`/api/v1/patients/${created.id}`, { version: 1, mrn: 'A-0001' }), 409, 'mrn_taken', 'body.mrn');
  });

  it('answers 404 for a patient that does not exist', async () => {
    expectProblem(await desk.patch(`/api/v1/patients/${randomUUID()}`, { version: 1 }), 404, 'not_found');
  });
});

describe('sex and gender (ADR 023)', () => {
  type P = { id: string; version: number; administrativeSex: string; sex: string | null; genderIdentity: string | null };

  it('records unknown administrative sex when none is given, never a guess; sex and gender identity stay not recorded', async () => {
    const r = await desk.post('/api/v1/patients', newPatient('sg0'));
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as P;
    expect(p).toMatchObject({ administrativeSex: 'unknown', sex: null, genderIdentity: null });
    const [row] = await w.database.query<{ administrative_sex: string; sex: string | null; gender_identity: string | null }>(
      'select administrative_sex, sex, gender_identity from patients where program_id = $1 and id = $2',
      [w.programA, p.id],
    );
    expect(row).toEqual({ administrative_sex: 'unknown', sex: null, gender_identity: null });
  });

  it('registers, reads back and updates administrative sex, sex and gender identity; the audit names the fields only', async () => {
    const r = await desk.post('/api/v1/patients', newPatient('sg1', { administrativeSex: 'female', sex: 'female', genderIdentity: 'non-binary' }));
    expect(r.statusCode, r.body).toBe(200);
    const created = r.json() as P;
    expect(created).toMatchObject({ administrativeSex: 'female', sex: 'female', genderIdentity: 'non-binary' });
    expect((await desk.get(`/api/v1/patients/${created.id}`)).json()).toEqual(created);

    const u = await desk.patch(`/api/v1/patients/${created.id}`, { version: created.version, genderIdentity: 'asked-declined', sex: null });
    expect(u.statusCode, u.body).toBe(200);
    expect(u.json()).toMatchObject({ administrativeSex: 'female', sex: null, genderIdentity: 'asked-declined', version: created.version + 1 });
    expect((await desk.get(`/api/v1/patients/${created.id}`)).json()).toMatchObject({ sex: null, genderIdentity: 'asked-declined' });
    const [audit] = await w.database.query<{ detail: unknown }>("select detail from audit_events where action = 'update' and entity = 'patient' and entity_id = $1", [created.id]);
    expect(audit!.detail).toEqual({ fields: ['sex', 'genderIdentity'] });
    expect(JSON.stringify(audit)).not.toContain('declined');
  });

  it('refuses values outside the code lists with 400 naming the field, writing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ administrativeSex: 'F' }, 'body.administrativeSex'],
      [{ administrativeSex: null }, 'body.administrativeSex'],
      [{ sex: 'intersex' }, 'body.sex'],
      [{ genderIdentity: 'woman' }, 'body.genderIdentity'],
      [{ genderIdentity: 3 }, 'body.genderIdentity'],
    ];
    for (const [extra, field] of cases) {
      const body = expectProblem(await desk.post('/api/v1/patients', newPatient('sgbad', extra)), 400, 'invalid_input', field);
      expect(body.problems!.find((x) => x.field === field)!.message).toMatch(/must be one of/);
    }
    expect(await patientRows('T-sgbad')).toHaveLength(0);
    const p = (await desk.post('/api/v1/patients', newPatient('sg2'))).json() as P;
    expectProblem(await desk.patch(`/api/v1/patients/${p.id}`, { version: p.version, administrativeSex: 'unknown', genderIdentity: 'nb' }), 400, 'invalid_input', 'body.genderIdentity');
    expectProblem(await desk.patch(`/api/v1/patients/${p.id}`, { version: p.version, administrativeSex: null }), 400, 'invalid_input', 'body.administrativeSex');
    expect((await desk.get(`/api/v1/patients/${p.id}`)).json()).toMatchObject({ version: p.version, administrativeSex: 'unknown', genderIdentity: null });
  });

  it('the database refuses a code outside the lists too', async () => {
    const err = await w.database.query("update patients set administrative_sex = 'M' where program_id = $1 and id = $2", [w.programA, w.patientA]).then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(err?.code).toBe('23514');
  });
});

describe('medications, episodes, care team', () => {
  let pid: string;
  beforeAll(async () => {
    pid = ((await desk.post('/api/v1/patients', newPatient('tx1'))).json() as { id: string }).id;
  });

  it('records a medication and its end; refuses an end before the start naming the field', async () => {
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/medications`, { medication: 'buprenorphine', startedOn: '2026-02-01', endedOn: '2026-01-01' }), 400, 'invalid_input', 'body.endedOn');
    const m = await prescriber.post(`/api/v1/patients/${pid}/medications`, { medication: 'buprenorphine', dose: '16 mg daily', startedOn: '2026-02-01', prescriberId: w.users.prescriber });
    expect(m.statusCode).toBe(200);
    const med = m.json() as { id: string; prescriberName: string };
    expect(med.prescriberName).toBe('Test prescriber');
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/medications/${med.id}/end`, { endedOn: '2026-01-15' }), 400, 'invalid_input', 'body.endedOn');
    const ended = await prescriber.post(`/api/v1/patients/${pid}/medications/${med.id}/end`, { endedOn: '2026-02-20' });
    expect(ended.json()).toMatchObject({ endedOn: '2026-02-20' });
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/medications/${med.id}/end`, { endedOn: '2026-02-21' }), 409, 'already_ended');
    const list = await prescriber.get(`/api/v1/patients/${pid}/medications`);
    expect((list.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses a prescriber who is not a prescriber in the programme', async () => {
    expectProblem(
      await prescriber.post(`/api/v1/patients/${pid}/medications`, { medication: 'methadone', startedOn: '2026-02-01', prescriberId: w.users.counsellor }),
      400,
      'invalid_input',
      'body.prescriberId',
    );
    expectProblem(
      await prescriber.post(`/api/v1/patients/${pid}/medications`, { medication: 'methadone', startedOn: '2026-02-01', prescriberId: w.adminB }),
      400,
      'invalid_input',
      'body.prescriberId',
    );
  });

  it('allows only one open episode; discharge before admission names the field', async () => {
    const e = await prescriber.post(`/api/v1/patients/${pid}/episodes`, { levelOfCare: 'otp', admittedOn: '2026-01-10' });
    expect(e.statusCode).toBe(200);
    const ep = e.json() as { id: string };
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/episodes`, { levelOfCare: 'residential', admittedOn: '2026-01-12' }), 409, 'episode_open');
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/episodes/${ep.id}/discharge`, { dischargedOn: '2026-01-01', dischargeReason: 'moved' }), 400, 'invalid_input', 'body.dischargedOn');
    expect((await prescriber.post(`/api/v1/patients/${pid}/episodes/${ep.id}/discharge`, { dischargedOn: '2026-02-01', dischargeReason: 'completed' })).statusCode).toBe(200);
    expect((await prescriber.post(`/api/v1/patients/${pid}/episodes`, { levelOfCare: 'residential', admittedOn: '2026-02-02' })).statusCode).toBe(200);
    expect(((await prescriber.get(`/api/v1/patients/${pid}/episodes`)).json() as { items: unknown[] }).items).toHaveLength(2);
  });

  it('adds care team members who work in the programme only; removes them', async () => {
    const add = await prescriber.post(`/api/v1/patients/${pid}/care-team`, { userId: w.users.counsellor, role: 'primary-counsellor' });
    expect(add.statusCode).toBe(200);
    expect((add.json() as { items: Array<{ userId: string; since: string }> }).items).toEqual([expect.objectContaining({ userId: w.users.counsellor, since: '2026-03-02' })]);
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/care-team`, { userId: w.users.counsellor, role: 'primary-counsellor' }), 409, 'already_on_team');
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/care-team`, { userId: w.adminB, role: 'nurse' }), 400, 'invalid_input', 'body.userId');
    expectProblem(await prescriber.post(`/api/v1/patients/${pid}/care-team`, { userId: randomUUID(), role: 'nurse' }), 400, 'invalid_input', 'body.userId');
    const del = await prescriber.del(`/api/v1/patients/${pid}/care-team/${w.users.counsellor}/primary-counsellor`);
    expect((del.json() as { items: unknown[] }).items).toEqual([]);
    expectProblem(await prescriber.del(`/api/v1/patients/${pid}/care-team/${w.users.counsellor}/primary-counsellor`), 404);
  });
});

describe('Idempotency-Key', () => {
  it('same key twice → one patient and the same response', async () => {
    const key = `k-${randomUUID()}`;
    const body = newPatient('idem1');
    const a = await desk.post('/api/v1/patients', body, { 'idempotency-key': key });
    const b = await desk.post('/api/v1/patients', body, { 'idempotency-key': key });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect(await patientRows('T-idem1')).toHaveLength(1);
  });

  it('same key with a different body → 422, nothing written', async () => {
    const key = `k-${randomUUID()}`;
    expect((await desk.post('/api/v1/patients', newPatient('idem2'), { 'idempotency-key': key })).statusCode).toBe(200);
    const r = await desk.post('/api/v1/patients', newPatient('idem3'), { 'idempotency-key': key });
    expectProblem(r, 422, 'idempotency_key_reused', 'header.idempotency-key');
    expect(await patientRows('T-idem3')).toHaveLength(0);
  });

  it('a failed create does not burn the key', async () => {
    const key = `k-${randomUUID()}`;
    expectProblem(await desk.post('/api/v1/patients', newPatient('idem4', { mrn: 'A-0001' }), { 'idempotency-key': key }), 409, 'mrn_taken');
    expect((await desk.post('/api/v1/patients', newPatient('idem4', { mrn: 'A-0001' }), { 'idempotency-key': key })).statusCode).toBe(409);
  });

  it.skipIf(!onPostgres())('50 concurrent identical creates with one key → one patient, 50 identical 200s', async () => {
    const key = `k-${randomUUID()}`;
    const body = newPatient('conc50');
    const results = await Promise.all(Array.from({ length: 50 }, () => desk.post('/api/v1/patients', body, { 'idempotency-key': key })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    const first = results[0]!.json() as unknown;
    for (const r of results) expect(r.json()).toEqual(first);
    expect(await patientRows('T-conc50')).toHaveLength(1);
  });

  it.skipIf(!onPostgres())('20 concurrent creates with one MRN and different keys → one 200, the rest 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => desk.post('/api/v1/patients', newPatient(`race${i}`, { mrn: 'RACE-1' }), { 'idempotency-key': `race-${i}-${randomUUID()}` })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    const codes = results.map((r) => `${r.statusCode} ${(r.json() as { code?: string }).code ?? ''}`).sort();
    expect(
      statuses.filter((s) => s === 200),
      codes.join(', '),
    ).toHaveLength(1);
    expect(
      statuses.filter((s) => s === 409),
      codes.join(', '),
    ).toHaveLength(19);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 409)) expectProblem(r, 409);
    expect(await patientRows('RACE-1')).toHaveLength(1);
  });
});
