// The meeting directory through the HTTP API (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): manual entries and their validation, search near a ZIP code with filters
// and MOUD-friendly first, "in the next two hours" across midnight, online now, friendliness
// records with expiry, welcome answers shown only from 3 patients, and the patient app's search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
let counsellor: Client;
let frontDesk: Client;
const NOW = '2026-03-04T15:00:00Z'; // Wednesday 10:00 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor, frontDesk] = await Promise.all([w.client('administrator'), w.client('counsellor'), w.client('front-desk')]);
});
afterAll(async () => {
  await w?.close();
});

type Hit = { id: string; name: string; distanceMiles: number | null; startsInMinutes: number; inProgress: boolean; friendliness: { friendliness: string }; types: Array<{ code: string; es: string }> };
type Result = { items: Hit[]; centre: { place: string | null } | null; coaching: { en: string[]; es: string[] } };
type Detail = { meeting: { id: string; active: boolean }; history: Array<{ friendliness: string; evidence: string }>; welcome: null | { patients: number; yes: number; somewhat: number; no: number } };

const base = { timeZone: 'America/New_York', languages: ['en'] };
async function add(body: Record<string, unknown>): Promise<string> {
  const r = await admin.post('/api/v1/meetings', { ...base, ...body });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as Detail).meeting.id;
}
const find = async (qs: string, c: Client = counsellor): Promise<Result> => {
  const r = await c.get(`/api/v1/meetings?${qs}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Result;
};

const ids: Record<string, string> = {};

describe('manual entries', () => {
  it('adds meetings of fellowships without a feed, finding coordinates from the ZIP code', async () => {
    ids.ma = await add({
      fellowship: 'ma',
      name: 'Methadone Anonymous Chelsea',
      weekday: 3,
      startTime: '11:00',
      endTime: '12:00',
      mode: 'in-person',
      address: '1 Test St',
      postalCode: '10001',
      types: ['O'],
    });
    ids.naEs = await add({ fellowship: 'na', name: 'Grupo Esperanza', weekday: 3, startTime: '11:30', mode: 'in-person', postalCode: '10011', languages: ['es'], types: ['S'] });
    ids.far = await add({ fellowship: 'na', name: 'Far away group', weekday: 3, startTime: '11:15', mode: 'in-person', postalCode: '19104' });
    ids.late = await add({
      fellowship: 'smart',
      name: 'SMART late night',
      weekday: 3,
      startTime: '23:30',
      endTime: '00:30',
      mode: 'hybrid',
      postalCode: '10001',
      conferenceUrl: 'https://example.org/smart',
    });
    ids.online = await add({ fellowship: 'mars', name: 'MARS online', weekday: 3, startTime: '09:30', endTime: '10:30', mode: 'online', conferenceUrl: 'https://example.org/mars' });
    const d = (await counsellor.get(`/api/v1/meetings/${ids.ma}`)).json() as Detail;
    expect(d.meeting.active).toBe(true);
    expect(d.welcome).toBeNull();
  });

  it('names the field at fault, and writes nothing', async () => {
    const before = await w.database.query<{ n: number }>('select count(*)::int as n from meetings');
    expectProblem(
      await admin.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 9, startTime: '10:00', mode: 'in-person', postalCode: '10001' }),
      400,
      undefined,
      'body.weekday',
    );
    expectProblem(
      await admin.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 1, startTime: '25:00', mode: 'in-person', postalCode: '10001' }),
      400,
      undefined,
      'body.startTime',
    );
    expectProblem(await admin.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 1, startTime: '10:00', mode: 'in-person' }), 400, undefined, 'body.address');
    expectProblem(await admin.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 1, startTime: '10:00', mode: 'online' }), 400, undefined, 'body.conferenceUrl');
    expectProblem(
      await admin.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 1, startTime: '10:00', mode: 'in-person', postalCode: '00000' }),
      400,
      'unknown_postal_code',
      'body.postalCode',
    );
    expectProblem(
      await admin.post('/api/v1/meetings', { ...base, timeZone: 'Mars/Olympus', fellowship: 'ma', name: 'x', weekday: 1, startTime: '10:00', mode: 'online', conferenceUrl: 'https://e.org' }),
      400,
      undefined,
      'body.timeZone',
    );
    expectProblem(await frontDesk.post('/api/v1/meetings', { ...base, fellowship: 'ma', name: 'x', weekday: 1, startTime: '10:00', mode: 'online', conferenceUrl: 'https://e.org' }), 403);
    const after = await w.database.query<{ n: number }>('select count(*)::int as n from meetings');
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('search', () => {
  it('near a ZIP code within a radius, by language, nearest first', async () => {
    const r = await find('postalCode=10001&radius=5');
    expect(r.centre?.place).toContain('New York');
    const names = r.items.map((i) => i.name);
    expect(names).toContain('Methadone Anonymous Chelsea');
    expect(names).not.toContain('Far away group');
    expect(names).not.toContain('MARS online'); // no place
    expect(r.items[0]!.distanceMiles).toBeLessThanOrEqual(r.items.at(-1)!.distanceMiles!);
    const es = await find('postalCode=10001&radius=5&language=es');
    expect(es.items.map((i) => i.name)).toEqual(['Grupo Esperanza']);
    expect(es.items[0]!.types[0]).toMatchObject({ code: 'S' });
    expect(r.coaching.es.length).toBe(r.coaching.en.length);
    expectProblem(await counsellor.get('/api/v1/meetings?postalCode=00000'), 400, 'unknown_postal_code', 'querystring.postalCode');
    expectProblem(await counsellor.get('/api/v1/meetings?limit=51'), 400, undefined, 'querystring.limit');
  });

  it('in the next two hours, and online now', async () => {
    const soon = await find('nextHours=2');
    const names = soon.items.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Methadone Anonymous Chelsea', 'Grupo Esperanza', 'Far away group']));
    expect(names).not.toContain('SMART late night');
    const online = await find('onlineNow=true');
    expect(online.items.map((i) => i.name)).toEqual(['MARS online']);
    expect(online.items.find((i) => i.name === 'MARS online')!.inProgress).toBe(true);
  });
});

describe('MOUD-friendliness', () => {
  it('records judgements with history; welcoming first; an expired record counts as unknown', async () => {
    expectProblem(await frontDesk.post(`/api/v1/meetings/${ids.naEs}/friendliness`, { friendliness: 'welcoming', evidence: 'staff-visit' }), 403);
    expectProblem(await admin.post(`/api/v1/meetings/${ids.naEs}/friendliness`, { friendliness: 'kind', evidence: 'staff-visit' }), 400, undefined, 'body.friendliness');
    let r = await admin.post(`/api/v1/meetings/${ids.far}/friendliness`, { friendliness: 'restrictive', evidence: 'staff-visit' });
    expect(r.statusCode, r.body).toBe(200);
    r = await admin.post(`/api/v1/meetings/${ids.naEs}/friendliness`, { friendliness: 'welcoming', evidence: 'stated-policy' });
    const d = r.json() as Detail;
    expect(d.history).toHaveLength(1);
    const first = await find('postalCode=10001&radius=200&friendlyFirst=true');
    expect(first.items[0]!.name).toBe('Grupo Esperanza');
    expect(first.items.at(-1)!.name).toBe('Far away group');
    // a record that has expired counts as unknown; the history keeps both
    await admin.post(`/api/v1/meetings/${ids.ma}/friendliness`, { friendliness: 'welcoming', evidence: 'patient-reports', expiresAt: '2026-03-05T00:00:00Z' });
    w.clock.advance(60_000);
    r = await admin.post(`/api/v1/meetings/${ids.ma}/friendliness`, { friendliness: 'mixed', evidence: 'staff-visit', expiresAt: '2026-03-04T15:00:30Z' });
    const ma = r.json() as Detail;
    expect(ma.history.map((h) => h.friendliness)).toEqual(['mixed', 'welcoming']);
    expect(ma.meeting).toMatchObject({ friendliness: { friendliness: 'unknown', expired: true } });
  });

  it('shows welcome answers only once 3 different patients answered, as counts', async () => {
    const phones: Phone[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await admin.post('/api/v1/patients', newPatient(`meet-${i}`));
      expect(p.statusCode, p.body).toBe(200);
      const invite = await admin.post(`/api/v1/patients/${(p.json() as { id: string }).id}/app-invites`);
      phones.push(await activatePhone(w.app, (invite.json() as { code: string }).code));
    }
    const answer = (ph: Phone, a: string) => w.app.inject({ method: 'POST', url: `/api/patient/meetings/${ids.ma}/welcome`, headers: { cookie: ph.cookie }, payload: { answer: a } });
    expect((await answer(phones[0]!, 'no')).statusCode).toBe(200);
    expect((await answer(phones[0]!, 'yes')).statusCode).toBe(200); // the latest wins
    expect((await answer(phones[1]!, 'somewhat')).statusCode).toBe(200);
    let d = (await counsellor.get(`/api/v1/meetings/${ids.ma}`)).json() as Detail;
    expect(d.welcome).toBeNull();
    expect(JSON.stringify(d)).not.toMatch(/patientId/);
    expectProblem(await answer(phones[2]!, 'maybe'), 400, undefined, 'body.answer');
    expect((await answer(phones[2]!, 'yes')).statusCode).toBe(200);
    d = (await counsellor.get(`/api/v1/meetings/${ids.ma}`)).json() as Detail;
    expect(d.welcome).toEqual({ patients: 3, yes: 2, somewhat: 1, no: 0 });

    // the patient app searches the same directory, with the coaching
    const s = await w.app.inject({ method: 'GET', url: '/api/patient/meetings?postalCode=10001&radius=5&language=es&friendlyFirst=true', headers: { cookie: phones[0]!.cookie } });
    expect(s.statusCode, s.body).toBe(200);
    expect((s.json() as Result).items.map((i) => i.name)).toEqual(['Grupo Esperanza']);
    expect((await w.app.inject({ method: 'GET', url: '/api/patient/meetings' })).statusCode).toBe(401);
  });
});

describe('editing and retiring', () => {
  it('edits a manual entry and retires it: no longer found, detail kept', async () => {
    const r = await admin.put(`/api/v1/meetings/${ids.far}`, { ...base, fellowship: 'na', name: 'Far away group (moved)', weekday: 4, startTime: '12:00', mode: 'in-person', postalCode: '19104' });
    expect(r.statusCode, r.body).toBe(200);
    const ret = await admin.post(`/api/v1/meetings/${ids.far}/retire`);
    expect((ret.json() as Detail).meeting.active).toBe(false);
    expect((await find('postalCode=19104&radius=5')).items.map((i) => i.name)).not.toContain('Far away group (moved)');
    expectProblem(await counsellor.get('/api/v1/meetings/00000000-0000-4000-8000-000000000000'), 404);
  });
});
