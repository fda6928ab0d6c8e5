// Family education through the HTTP API (PGlite by default, PostgreSQL with TEST_DATABASE_URL):
// the family member's lessons in their language, finishing one (again: the first time kept), an
// unknown lesson 404; staff see which lessons a family member finished; a naloxone kit given to
// a family member of the programme (by family_member_id) shows in their app with its training,
// a family member of another programme is a 400 naming the field and writes nothing; meetings
// for families return only Nar-Anon / Al-Anon; a patient's session is refused on these routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
let counsellor: Client;
let adminB: Client;
let memberId: string;
let otherProgrammeMember: string;
let phone: Phone;
let patientPhone: Phone;
const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York

const get = (p: Phone, url: string) => w.app.inject({ method: 'GET', url, headers: { cookie: p.cookie } });
const post = (p: Phone, url: string) => w.app.inject({ method: 'POST', url, headers: { cookie: p.cookie } });
const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor, adminB] = await Promise.all([w.client('administrator'), w.client('counsellor'), w.client('adminB')]);
  const added = await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Rosa Example (fictional)', relationship: 'sibling', language: 'es' });
  expect(added.statusCode, added.body).toBe(200);
  memberId = (added.json() as { items: Array<{ id: string }> }).items[0]!.id;
  const invite = await counsellor.post(`/api/v1/patients/${w.patientA}/family/${memberId}/invite`);
  phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
  const patientInvite = await admin.post(`/api/v1/patients/${w.patientA}/app-invites`);
  expect(patientInvite.statusCode, patientInvite.body).toBe(200);
  patientPhone = await activatePhone(w.app, (patientInvite.json() as { code: string }).code);
  const b = await adminB.post(`/api/v1/patients/${w.patientB}/family`, { displayName: 'B relative', relationship: 'friend' });
  otherProgrammeMember = (b.json() as { items: Array<{ id: string }> }).items[0]!.id;
});
afterAll(async () => {
  await w?.close();
});

type ListT = { language: string; items: Array<{ key: string; title: string; finishedAt: string | null }> };

describe('lessons', () => {
  it('lists the lessons in the family member’s language (or ?lang=), none finished', async () => {
    const r = await get(phone, '/api/patient/family/lessons');
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json() as ListT;
    expect(list.language).toBe('es');
    expect(list.items.length).toBeGreaterThanOrEqual(6);
    expect(list.items.find((l) => l.key === 'medications')!.title).toBe('Cómo funcionan los medicamentos');
    expect(list.items.every((l) => l.finishedAt === null)).toBe(true);
    const en = (await get(phone, '/api/patient/family/lessons?lang=en')).json() as ListT;
    expect(en.items.find((l) => l.key === 'medications')!.title).toBe('How the medicines work');
    expectProblem(await get(phone, '/api/patient/family/lessons?lang=fr'), 400, 'invalid_input', 'querystring.lang');
  });

  it('reads one lesson with the clinic’s naloxone steps; an unknown key is a 404', async () => {
    const r = await get(phone, '/api/patient/family/lessons/overdose-naloxone?lang=en');
    expect(r.statusCode, r.body).toBe(200);
    const l = r.json() as { screens: Array<{ kind: string; steps?: Array<{ key: string; title: string }> }>; sources: unknown[]; finishedAt: null };
    const steps = l.screens.find((s) => s.kind === 'naloxone-steps')!;
    expect(steps.steps!.map((s) => s.key)).toEqual(['call-for-help', 'check-for-signs', 'support-breathing', 'give-naloxone', 'stay-and-monitor']);
    expect(steps.steps![0]!.title).toBe('Call for help');
    expect(l.sources.length).toBeGreaterThan(0);
    expectProblem(await get(phone, '/api/patient/family/lessons/no-such-lesson'), 404, 'not_found');
    expectProblem(await post(phone, '/api/patient/family/lessons/no-such-lesson/finish'), 404, 'not_found');
    expectProblem(await get(phone, '/api/patient/family/lessons/Bad%20Key'), 400, undefined, 'params.key');
  });

  it('finishing is idempotent: the first time is kept, one row, one audit row', async () => {
    const first = await post(phone, '/api/patient/family/lessons/medications/finish');
    expect(first.statusCode, first.body).toBe(200);
    const at = (first.json() as { finishedAt: string }).finishedAt;
    expect(at).toBe(new Date(NOW).toISOString());
    w.clock.advance(60_000);
    const again = await post(phone, '/api/patient/family/lessons/medications/finish');
    expect((again.json() as { finishedAt: string }).finishedAt).toBe(at);
    expect(await count('select count(*) n from family_lessons where family_member_id = $1', [memberId])).toBe(1);
    expect(await count(`select count(*) n from audit_events where entity = 'family-lessons' and action = 'create' and entity_id = $1`, [memberId])).toBe(1);
    const list = (await get(phone, '/api/patient/family/lessons')).json() as ListT;
    expect(list.items.find((l) => l.key === 'medications')!.finishedAt).toBe(at);
    expect(list.items.filter((l) => l.finishedAt).map((l) => l.key)).toEqual(['medications']);
  });

  it('staff with read:family see which lessons a family member finished; another programme’s member is a 404', async () => {
    const r = await counsellor.get(`/api/v1/family-members/${memberId}/lessons`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ items: [{ key: 'medications', title: 'How the medicines work' }], total: 6, bounded: true });
    expectProblem(await counsellor.get(`/api/v1/family-members/${otherProgrammeMember}/lessons`), 404, 'not_found');
  });

  it('finishing a lesson discloses nothing about the patient', async () => {
    expect(await count('select count(*) n from disclosures where patient_id = $1', [w.patientA])).toBe(0);
  });
});

describe('naloxone for the family member', () => {
  it('nothing before a kit is given', async () => {
    const r = await get(phone, '/api/patient/family/naloxone');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ today: '2026-03-04', kits: [], trainings: [], trained: false });
  });

  it('a kit given to a family member of the programme shows in their app, with the training; another programme’s member is a 400 naming the field', async () => {
    const lot = await admin.post('/api/v1/naloxone/lots', { product: 'nasal-4mg', lotNumber: 'EDU-1', expiresOn: '2026-03-20', quantity: 5, receivedOn: '2026-03-01' });
    expect(lot.statusCode, lot.body).toBe(200);
    const lotId = (lot.json() as { id: string }).id;
    const kitsBefore = await count('select count(*) n from naloxone_kits');
    expectProblem(
      await admin.post('/api/v1/naloxone/kits', { lotId, recipient: { kind: 'family', familyMemberId: otherProgrammeMember }, trainingSteps: ['give-naloxone'] }),
      400,
      'invalid_input',
      'body.recipient.familyMemberId',
    );
    expectProblem(await admin.post('/api/v1/naloxone/kits', { lotId, recipient: { kind: 'community', familyMemberId: memberId } }), 400, 'invalid_input', 'body.recipient.familyMemberId');
    expect(await count('select count(*) n from naloxone_kits')).toBe(kitsBefore);
    expect(await count('select count(*) n from naloxone_trainings')).toBe(0);

    const kit = await admin.post('/api/v1/naloxone/kits', {
      lotId,
      recipient: { kind: 'family', firstName: 'Rosa', forPatientId: w.patientA, familyMemberId: memberId },
      givenOn: '2026-03-02',
      trainingSteps: ['call-for-help', 'give-naloxone', 'check-for-signs'],
    });
    expect(kit.statusCode, kit.body).toBe(200);
    expect(kit.json()).toMatchObject({ recipientKind: 'family', familyMemberId: memberId });

    const r = (await get(phone, '/api/patient/family/naloxone')).json() as {
      kits: Array<{ givenOn: string; expiresOn: string; expired: boolean; askForNew: boolean; trained: boolean }>;
      trainings: Array<{ trainedOn: string; steps: string[] }>;
      trained: boolean;
    };
    // expires 16 days after the programme's today: within the 30 days of the patient app's rule
    expect(r.kits).toEqual([{ product: 'nasal-4mg', givenOn: '2026-03-02', expiresOn: '2026-03-20', trained: true, expired: false, askForNew: true }]);
    expect(r.trainings).toEqual([{ trainedOn: '2026-03-02', steps: ['call-for-help', 'check-for-signs', 'give-naloxone'] }]);
    expect(r.trained).toBe(true);
    expect(JSON.stringify(r)).not.toContain('EDU-1'); // no lot numbers

    // a training without a kit, recorded for the family member
    const t = await admin.post('/api/v1/naloxone/trainings', { recipient: { kind: 'family', familyMemberId: memberId }, steps: ['support-breathing'], trainedOn: '2026-03-03' });
    expect(t.statusCode, t.body).toBe(200);
    const after = (await get(phone, '/api/patient/family/naloxone')).json() as typeof r;
    expect(after.trainings.map((x) => x.trainedOn)).toEqual(['2026-03-03', '2026-03-02']);

    // the patient's own view is unchanged by a kit given to their family
    const own = (await get(patientPhone, '/api/patient/naloxone')).json() as { kits: unknown[] };
    expect(own.kits).toEqual([]);
  });
});

describe('meetings for families', () => {
  it('returns only Nar-Anon and Al-Anon from the directory; another fellowship is a 400', async () => {
    const meeting = (fellowship: string, name: string) =>
      admin.post('/api/v1/meetings', { fellowship, name, weekday: 3, startTime: '19:00', timeZone: 'America/New_York', mode: 'online', conferenceUrl: 'https://example.org/m', languages: ['en'] });
    for (const [f, n] of [
      ['nar-anon', 'Nar-Anon Example (fictional)'],
      ['al-anon', 'Al-Anon Example (fictional)'],
      ['na', 'NA Example (fictional)'],
      ['smart', 'SMART Example (fictional)'],
    ] as const) {
      const r = await meeting(f, n);
      expect(r.statusCode, r.body).toBe(200);
    }
    const r = await get(phone, '/api/patient/family/meetings');
    expect(r.statusCode, r.body).toBe(200);
    const items = (r.json() as { items: Array<{ fellowship: string; name: string }> }).items;
    expect(new Set(items.map((m) => m.fellowship))).toEqual(new Set(['nar-anon', 'al-anon']));
    const only = (await get(phone, '/api/patient/family/meetings?fellowship=nar-anon')).json() as { items: Array<{ name: string }> };
    expect(only.items.map((m) => m.name)).toEqual(['Nar-Anon Example (fictional)']);
    expectProblem(await get(phone, '/api/patient/family/meetings?fellowship=na'), 400, 'invalid_input', 'query.fellowship');
  });
});

describe('who may call', () => {
  it('a patient’s session is refused on every family education route; staff on none of them', async () => {
    for (const url of ['/api/patient/family/lessons', '/api/patient/family/lessons/medications', '/api/patient/family/naloxone', '/api/patient/family/meetings'])
      expectProblem(await get(patientPhone, url), 403, 'not_for_patients');
    expectProblem(await post(patientPhone, '/api/patient/family/lessons/medications/finish'), 403, 'not_for_patients');
    expect((await counsellor.get('/api/patient/family/lessons')).statusCode).toBe(401);
    // and the family member's session reaches no staff route
    expect((await w.app.inject({ method: 'GET', url: `/api/v1/family-members/${memberId}/lessons`, headers: { cookie: phone.cookie } })).statusCode).toBe(401);
  });
});
