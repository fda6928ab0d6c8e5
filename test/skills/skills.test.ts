// Skills modules through the HTTP API (PGlite by default, PostgreSQL with TEST_DATABASE_URL):
// the library and its public content, assigning (and its errors), the patient's progress from
// the app (screens forward only, entries once per id, offline times), completing an assigned
// module posting the CM module award in the same transaction and only once (also when two
// completions race), reviews the patient sees, the homework work list, the funnel, and a
// programme's own module from draft to published versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { clinicProtocol, enrolled } from '../cm/support.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';
import { onPostgres } from '../support/db.ts';
import { randomUUID } from 'node:crypto';

let w: World;
let admin: Client;
let counsellor: Client;
let peer: Client;
const NOW = '2026-03-04T15:00:00Z'; // Wednesday 10:00 in New York, in the enrolments' first week

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor, peer] = await Promise.all([w.client('administrator'), w.client('counsellor'), w.client('peer-specialist')]);
});
afterAll(async () => {
  await w?.close();
});

const KEY = 'cbt-triggers-coping';
const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

/** A protocol that pays $5 for each finished module. */
const moduleProtocol = () => clinicProtocol({ tracks: [{ id: 'mod', target: { kind: 'module' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 500 } }] }] });

async function phoneOf(patientId: string): Promise<Phone> {
  const invite = await counsellor.post(`/api/v1/patients/${patientId}/app-invites`);
  expect(invite.statusCode, invite.body).toBe(200);
  return activatePhone(w.app, (invite.json() as { code: string }).code);
}
const app = (phone: Phone) => ({
  get: (url: string) => w.app.inject({ method: 'GET', url, headers: { cookie: phone.cookie } }),
  post: (url: string, payload: object) => w.app.inject({ method: 'POST', url, headers: { cookie: phone.cookie }, payload }),
});

type Library = { items: Array<{ key: string; version: number; origin: string; languages: string[]; screens: number; contentUrl: string }> };
type Content = { key: string; version: number; screens: Array<{ id: string; kind: string; exercise?: { type: string } }>; homework: { exercise: { type: string } } };

async function content(key: string): Promise<Content> {
  const lib = (await counsellor.get('/api/v1/skills/modules')).json() as Library;
  const m = lib.items.find((x) => x.key === key)!;
  return (await w.app.inject({ method: 'GET', url: m.contentUrl })).json() as Content;
}

/** Every screen of a module reached, from the phone. */
async function readAll(phone: Phone, c: Content) {
  for (let i = 0; i < c.screens.length; i++) {
    const r = await app(phone).post('/api/patient/skills/screens', { moduleKey: c.key, version: c.version, screen: i, at: NOW });
    expect(r.statusCode, r.body).toBe(200);
  }
}

describe('the library', () => {
  it('offers the sixteen built-in modules, complete in English and Spanish, with public immutable content', async () => {
    const r = await counsellor.get('/api/v1/skills/modules');
    expect(r.statusCode, r.body).toBe(200);
    const lib = r.json() as Library;
    expect(lib.items.filter((m) => m.origin === 'built-in').length).toBeGreaterThanOrEqual(16);
    for (const m of lib.items) expect(m.languages, m.key).toEqual(['en', 'es']);
    const m = lib.items.find((x) => x.key === KEY)!;
    const c = await w.app.inject({ method: 'GET', url: m.contentUrl }); // no session at all
    expect(c.statusCode).toBe(200);
    expect(c.headers['cache-control']).toContain('immutable');
    expect((c.json() as Content).screens).toHaveLength(m.screens);
    expect((await w.app.inject({ method: 'GET', url: `/content/skills/${KEY}@99.json` })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: '/content/skills/..%2Fsecrets.json' })).statusCode).toBe(400);
    expect((await peer.get(`/api/v1/skills/modules/${KEY}`)).statusCode).toBe(200);
    expectProblem(await peer.get('/api/v1/skills/library'), 403);
  });
});

describe('assigning, doing and rewarding', () => {
  it('an assigned module finished in the app posts the CM module award once, in the same transaction; browsing does not pay', async () => {
    const { patientId } = await enrolled(w, admin, { protocol: moduleProtocol(), calendar: { windowStart: '08:00', windowEnd: '17:00' } });
    const a = await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: KEY, dueOn: '2026-03-11' });
    expect(a.statusCode, a.body).toBe(200);
    expectProblem(await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: KEY }), 409, 'already_assigned', 'body.moduleKey');
    expectProblem(await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'no-such-module' }), 400, 'invalid_input', 'body.moduleKey');
    expectProblem(await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'act-values', dueOn: '2026-03-01' }), 400, 'invalid_input', 'body.dueOn');
    expectProblem(await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'act-values', carePlanId: randomUUID() }), 400, 'invalid_input', 'body.interventionId');
    expectProblem(await peer.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'act-values' }), 403);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientB}/skills/assignments`, { moduleKey: 'act-values' }), 404);

    const phone = await phoneOf(patientId);
    const mine = (await app(phone).get('/api/patient/skills')).json() as { modules: Array<{ key: string; assigned: boolean; dueOn: string | null; status: string }> };
    expect(mine.modules[0]).toMatchObject({ key: KEY, assigned: true, dueOn: '2026-03-11', status: 'new' });

    const c = await content(KEY);
    const exercise = c.screens.find((s) => s.kind === 'exercise')!;
    expect(exercise.exercise!.type).toBe('coping-plan');
    // not every screen yet: not finished
    expect((await app(phone).post('/api/patient/skills/screens', { moduleKey: KEY, version: c.version, screen: 1, at: NOW })).json()).toEqual({ furthestScreen: 1, screens: c.screens.length });
    expectProblem(await app(phone).post('/api/patient/skills/completions', { moduleKey: KEY, version: c.version, at: NOW }), 409, 'module_not_finished');
    // an entry: typed by the step, once per id; an offline one up to 7 days back
    const entry = {
      id: randomUUID(),
      moduleKey: KEY,
      version: c.version,
      stepId: exercise.id,
      homework: false,
      entry: { type: 'coping-plan', data: { warningSigns: ['Payday'], steps: ['Call my sister'], people: [], places: [] } },
      at: '2026-03-03T22:00:00Z',
    };
    expect((await app(phone).post('/api/patient/skills/entries', entry)).json()).toEqual({ id: entry.id, duplicate: false });
    expect((await app(phone).post('/api/patient/skills/entries', entry)).json()).toEqual({ id: entry.id, duplicate: true });
    expectProblem(
      await app(phone).post('/api/patient/skills/entries', { ...entry, id: randomUUID(), entry: { type: 'chain', data: { trigger: 'x', thought: '', feeling: '', behaviour: '', consequence: '' } } }),
      400,
      'invalid_input',
      'body.entry.type',
    );
    expectProblem(
      await app(phone).post('/api/patient/skills/entries', { ...entry, id: randomUUID(), entry: { type: 'coping-plan', data: { warningSigns: [], steps: [], people: [], places: [] } } }),
      400,
      'invalid_input',
      'body.entry.data',
    );
    expectProblem(await app(phone).post('/api/patient/skills/entries', { ...entry, id: randomUUID(), at: '2026-02-20T10:00:00Z' }), 400, 'invalid_input', 'body.at');
    expectProblem(await app(phone).post('/api/patient/skills/entries', { ...entry, id: randomUUID(), at: '2026-03-05T10:00:00Z' }), 400, 'invalid_input', 'body.at');
    expectProblem(await app(phone).post('/api/patient/skills/entries', { ...entry, id: randomUUID(), stepId: 'homework', homework: false }), 400, 'invalid_input', 'body.stepId');

    await readAll(phone, c);
    // a late screen from the offline queue does not move progress back
    expect((await app(phone).post('/api/patient/skills/screens', { moduleKey: KEY, version: c.version, screen: 0, at: NOW })).json()).toMatchObject({ furthestScreen: c.screens.length - 1 });
    const done = await app(phone).post('/api/patient/skills/completions', { moduleKey: KEY, version: c.version, at: NOW });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ duplicate: false, earned: { voucherCents: 500, draws: 0 } });
    const again = await app(phone).post('/api/patient/skills/completions', { moduleKey: KEY, version: c.version, at: NOW });
    expect(again.json()).toMatchObject({ duplicate: true, earned: null });
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'module'", [patientId])).toBe(1);
    expect(await count("select count(*) as n from audit_events where entity = 'cm-module' and patient_id = $1", [patientId])).toBe(1);

    // a module the patient opened on their own: welcome, but it does not pay
    const own = await content('act-values');
    await readAll(phone, own);
    expect((await app(phone).post('/api/patient/skills/completions', { moduleKey: own.key, version: own.version, at: NOW })).json()).toMatchObject({ earned: null });
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'module'", [patientId])).toBe(1);

    // the counsellor sees it, with the rewarded completion
    const view = (await counsellor.get(`/api/v1/patients/${patientId}/skills`)).json() as {
      modules: Array<{ key: string; status: string; progress: { rewarded: boolean } | null; assignment: unknown }>;
    };
    expect(view.modules.find((m) => m.key === KEY)).toMatchObject({ status: 'completed', progress: { rewarded: true } });
    expect(view.modules.find((m) => m.key === 'act-values')).toMatchObject({ status: 'completed', assignment: null, progress: { rewarded: false } });
  });

  it('homework reaches the counsellor’s work list; the review’s comment reaches the patient', async () => {
    const admin2 = await w.client('administrator');
    const p = (await admin2.post('/api/v1/patients', newPatient(`skills${Date.now() % 100000}`))).json() as { id: string };
    expect((await counsellor.post(`/api/v1/patients/${p.id}/skills/assignments`, { moduleKey: 'cbt-functional-analysis' })).statusCode).toBe(200);
    const phone = await phoneOf(p.id);
    const c = await content('cbt-functional-analysis');
    const hw = {
      id: randomUUID(),
      moduleKey: c.key,
      version: c.version,
      stepId: 'homework',
      homework: true,
      entry: {
        type: c.homework.exercise.type,
        data: { trigger: 'A text from an old friend', thought: 'One time is fine', feeling: 'Restless', behaviour: 'Went for a walk', consequence: 'Felt proud' },
      },
      at: NOW,
    };
    expect((await app(phone).post('/api/patient/skills/entries', hw)).statusCode).toBe(200);
    const queue = (await counsellor.get('/api/v1/skills/homework?limit=200')).json() as { items: Array<{ id: string; patientId: string }> };
    expect(queue.items.map((i) => i.id)).toContain(hw.id);
    const entries = (await counsellor.get(`/api/v1/patients/${p.id}/skills/entries?homework=true`)).json() as { items: Array<{ id: string; entry: { type: string }; reviews: unknown[] }> };
    expect(entries.items).toHaveLength(1);
    expect(entries.items[0]).toMatchObject({ id: hw.id, entry: { type: 'chain' }, reviews: [] });
    expectProblem(await peer.post(`/api/v1/patients/${p.id}/skills/entries/${hw.id}/reviews`, { comment: 'x' }), 403);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/skills/entries/${hw.id}/reviews`, { comment: 'x' }), 404);
    const review = await counsellor.post(`/api/v1/patients/${p.id}/skills/entries/${hw.id}/reviews`, { comment: 'Great catch: the walk broke the chain.' });
    expect(review.statusCode, review.body).toBe(200);
    const after = (await counsellor.get('/api/v1/skills/homework?limit=200')).json() as { items: Array<{ id: string }> };
    expect(after.items.map((i) => i.id)).not.toContain(hw.id);
    const mine = (await app(phone).get('/api/patient/skills')).json() as { comments: Array<{ entryId: string; comment: string }> };
    expect(mine.comments).toEqual([expect.objectContaining({ entryId: hw.id, comment: 'Great catch: the walk broke the chain.' })]);
    const view = (await counsellor.get(`/api/v1/patients/${p.id}/skills`)).json() as { modules: Array<{ key: string; homework: { entries: number; reviewed: number } }> };
    expect(view.modules[0]).toMatchObject({ key: 'cbt-functional-analysis', homework: { entries: 1, reviewed: 1 } });
    // cancelling the assignment
    const open = (view.modules[0] as unknown as { assignment: { id: string } }).assignment;
    expect((await counsellor.post(`/api/v1/patients/${p.id}/skills/assignments/${open.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    expectProblem(await counsellor.post(`/api/v1/patients/${p.id}/skills/assignments/${open.id}/cancel`), 404);
  });

  it('the patient sees their counsellor’s comments even after many reviews without one', async () => {
    const p = (await admin.post('/api/v1/patients', newPatient(`skillsc${Date.now() % 100000}`))).json() as { id: string };
    const phone = await phoneOf(p.id);
    const c = await content('cbt-functional-analysis');
    const id = randomUUID();
    const entry = { type: 'chain', data: { trigger: 'Payday', thought: '', feeling: '', behaviour: '', consequence: '' } };
    expect((await app(phone).post('/api/patient/skills/entries', { id, moduleKey: c.key, version: c.version, stepId: 'homework', homework: true, entry, at: NOW })).statusCode).toBe(200);
    expect((await counsellor.post(`/api/v1/patients/${p.id}/skills/entries/${id}/reviews`, { comment: 'Payday plans on Thursday.' })).statusCode).toBe(200);
    w.clock.now = new Date(Date.parse(NOW) + 60_000);
    try {
      for (let i = 0; i < 55; i++) expect((await counsellor.post(`/api/v1/patients/${p.id}/skills/entries/${id}/reviews`, {})).statusCode).toBe(200);
    } finally {
      w.clock.now = new Date(NOW);
    }
    const mine = (await app(phone).get('/api/patient/skills')).json() as { comments: Array<{ comment: string }> };
    expect(mine.comments.map((x) => x.comment)).toEqual(['Payday plans on Thursday.']);
  });

  it('the funnel shows assigned, started, completed and where people stop', async () => {
    const r = await counsellor.get('/api/v1/skills/report?from=2026-03-01&to=2026-03-31');
    expect(r.statusCode, r.body).toBe(200);
    const rep = r.json() as { items: Array<{ key: string; assigned: number; started: number; completed: number; stoppedAt: number[]; dropOffScreen: number | null }> };
    const m = rep.items.find((i) => i.key === KEY)!;
    expect(m.assigned).toBeGreaterThanOrEqual(1);
    expect(m.completed).toBeGreaterThanOrEqual(1);
    const fa = rep.items.find((i) => i.key === 'cbt-functional-analysis')!;
    expect(fa).toMatchObject({ assigned: 1, started: 0, completed: 0 });
    expectProblem(await counsellor.get('/api/v1/skills/report?from=2026-04-01&to=2026-03-01'), 400, 'invalid_input', 'query.from');
    // a period ends at the programme's midnight: homework at that instant is the next day's
    const p = (await admin.post('/api/v1/patients', newPatient(`skillsm${Date.now() % 100000}`))).json() as { id: string };
    const phone = await phoneOf(p.id);
    const u = await content('cbt-understanding-use');
    const midnight = '2026-03-04T05:00:00.000Z'; // 00:00 on 4 March in New York
    const hw = {
      id: randomUUID(),
      moduleKey: u.key,
      version: u.version,
      stepId: 'homework',
      homework: true,
      entry: { type: 'chain', data: { trigger: 'Late night', thought: '', feeling: '', behaviour: '', consequence: '' } },
      at: midnight,
    };
    expect((await app(phone).post('/api/patient/skills/entries', hw)).statusCode).toBe(200);
    const homeworkOn = async (day: string) =>
      ((await counsellor.get(`/api/v1/skills/report?from=${day}&to=${day}`)).json() as { items: Array<{ key: string; homeworkEntries: number }> }).items.find((i) => i.key === u.key)!.homeworkEntries;
    expect([await homeworkOn('2026-03-03'), await homeworkOn('2026-03-04')]).toEqual([0, 1]);
  });
});

describe('a programme’s own modules', () => {
  it('start from a built-in, save drafts, publish versions; built-ins stay read-only', async () => {
    const base = (await admin.get(`/api/v1/skills/modules/${KEY}`)).json() as { content: Record<string, unknown> };
    const mine = { ...base.content, key: 'our-triggers', version: 1 };
    expectProblem(await counsellor.post('/api/v1/skills/library', { content: mine, basedOn: KEY }), 403);
    expectProblem(await admin.post('/api/v1/skills/library', { content: { ...mine, key: KEY } }), 409, 'built_in_module', 'body.content.key');
    expectProblem(await admin.post('/api/v1/skills/library', { content: { ...mine, screens: [] } }), 400, 'invalid_input', 'body.content.screens');
    const d = await admin.post('/api/v1/skills/library', { content: mine, basedOn: KEY });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ summary: { key: 'our-triggers', version: 1, status: 'draft', origin: 'programme', contentUrl: null }, basedOn: KEY, problems: [] });
    // a draft is not offered yet
    expect(((await counsellor.get('/api/v1/skills/modules')).json() as Library).items.map((m) => m.key)).not.toContain('our-triggers');
    expect((await admin.post('/api/v1/skills/library/our-triggers/publish')).json()).toMatchObject({ summary: { status: 'published', version: 1 } });
    const offered = ((await counsellor.get('/api/v1/skills/modules')).json() as Library).items.find((m) => m.key === 'our-triggers')!;
    expect((await w.app.inject({ method: 'GET', url: offered.contentUrl })).statusCode).toBe(200);
    // the next version: a draft, then published; the first is retired and kept
    const v2 = await admin.put('/api/v1/skills/library/our-triggers', { content: { ...mine, minutes: 12 } });
    expect(v2.json()).toMatchObject({ summary: { version: 2, status: 'draft' } });
    const broken = await admin.put('/api/v1/skills/library/our-triggers', { content: { ...mine, sources: [{ id: 'unused-source', citation: 'A source that no screen cites.' }] } });
    expect(broken.json()).toMatchObject({ summary: { version: 2 }, problems: expect.arrayContaining([expect.stringContaining('not in the module')]) });
    expectProblem(await admin.post('/api/v1/skills/library/our-triggers/publish'), 422, 'module_not_ready');
    await admin.put('/api/v1/skills/library/our-triggers', { content: { ...mine, minutes: 12 } });
    const pub = (await admin.post('/api/v1/skills/library/our-triggers/publish')).json() as { versions: Array<{ version: number; status: string }> };
    expect(pub.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    expectProblem(await admin.put('/api/v1/skills/library/our-triggers', { content: { ...mine, key: 'other' } }), 409, 'key_mismatch');
    expectProblem(await admin.post(`/api/v1/skills/library/${KEY}/retire`), 409, 'built_in_module');
    expect((await admin.post('/api/v1/skills/library/our-triggers/retire')).json()).toMatchObject({ summary: { status: 'retired' } });
    expect(((await counsellor.get('/api/v1/skills/modules')).json() as Library).items.map((m) => m.key)).not.toContain('our-triggers');
  });
});

describe.runIf(onPostgres())('on PostgreSQL', () => {
  it('two completions at once (a double tap, a queue resent) post one CM award', async () => {
    const { patientId } = await enrolled(w, admin, { protocol: moduleProtocol(), calendar: { windowStart: '08:00', windowEnd: '17:00' } });
    expect((await counsellor.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'act-values' })).statusCode).toBe(200);
    const phone = await phoneOf(patientId);
    const c = await content('act-values');
    await readAll(phone, c);
    const both = await Promise.all([0, 1].map(() => app(phone).post('/api/patient/skills/completions', { moduleKey: c.key, version: c.version, at: NOW })));
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => (r.json() as { duplicate: boolean }).duplicate).sort()).toEqual([false, true]);
    expect(await count("select count(*) as n from cm_events where patient_id = $1 and kind = 'module'", [patientId])).toBe(1);
  });
});
