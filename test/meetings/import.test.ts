import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';

let w: World;
let counsellor: Client; // the administrator: only it holds manage:meetings
let frontDesk: Client;
let server: Server;
let feedUrl: string;
let served: unknown[] = [];
const hits: { inm?: string }[] = [];

beforeAll(async () => {
  w = await makeWorld();
  [counsellor, frontDesk] = await Promise.all([w.client('administrator'), w.client('front-desk')]);
  server = createServer((req, res) => {
    hits.push({ inm: req.headers['if-none-match'] as string | undefined });
    const etag = `"v${JSON.stringify(served).length}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(served));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.json`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await w?.close();
});

const rec = (slug: string, extra: object = {}) => ({ slug, name: `Meeting ${slug}`, day: 1, time: '19:00', address: '1 Main St', types: ['O'], ...extra });
const count = async (sql: string) => Number((await w.database.query<{ n: string | number }>(sql, []))[0]?.n ?? 0);

async function newSource(body: object) {
  const res = await counsellor.post('/api/v1/meeting-sources', { format: 'meeting-guide', defaultTimeZone: 'America/New_York', ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string };
}

describe('meeting sources and imports', () => {
  it('imports an upload, re-imports as a no-op, inactivates and reactivates', async () => {
    const s = await newSource({ name: 'Upload' });
    const feed = [rec('a'), rec('b', { day: [2, 3] }), { slug: 'bad', day: 9 }];
    const first = await counsellor.post(`/api/v1/meeting-sources/${s.id}/import`, { feed });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ added: 3, updated: 0, inactivated: 0, rejected: [{ index: 2 }] });
    const stamp = await w.database.query<{ u: Date }>(`select max(updated_at) as u from meetings where source_id = '${s.id}'`, []);
    w.clock.advance(60_000);
    const again = await counsellor.post(`/api/v1/meeting-sources/${s.id}/import`, { feed });
    expect(again.json()).toMatchObject({ added: 0, updated: 0, inactivated: 0 });
    expect(await w.database.query<{ u: Date }>(`select max(updated_at) as u from meetings where source_id = '${s.id}'`, [])).toEqual(stamp);
    const removed = await counsellor.post(`/api/v1/meeting-sources/${s.id}/import`, { feed: [rec('a', { name: 'Renamed' })] });
    expect(removed.json()).toMatchObject({ added: 0, updated: 1, inactivated: 2 });
    expect(await count(`select count(*) as n from meetings where source_id = '${s.id}' and not active`)).toBe(2);
    const back = await counsellor.post(`/api/v1/meeting-sources/${s.id}/import`, { feed });
    expect(back.json()).toMatchObject({ added: 0, updated: 3, inactivated: 0 });
    const list = (await frontDesk.get('/api/v1/meeting-sources')).json() as { sources: { id: string; meetings: { active: number }; lastImportResult: { updated: number } }[] };
    expect(list.sources.find((x) => x.id === s.id)).toMatchObject({ meetings: { active: 3 }, lastImportResult: { updated: 3 } });
    const exported = await frontDesk.get(`/api/v1/meeting-sources/${s.id}/export`);
    expect((exported.json() as { slug: string }[]).map((r) => r.slug).sort()).toEqual(['a', 'b#2', 'b#3']);
  });

  it('refuses a body that is not a feed without changing anything, and staff without manage:meetings', async () => {
    const s = await newSource({ name: 'Strict' });
    await expectProblem(await counsellor.post(`/api/v1/meeting-sources/${s.id}/import`, { feed: { x: 1 } }), 400, 'invalid_feed');
    expect((await frontDesk.post(`/api/v1/meeting-sources/${s.id}/import`, { feed: [] })).statusCode).toBe(403);
    await expectProblem(await counsellor.post('/api/v1/meeting-sources', { name: 'Strict', format: 'meeting-guide', defaultTimeZone: 'America/New_York' }), 409, 'name_taken');
    expect((await counsellor.post('/api/v1/meeting-sources', { name: 'TZ', format: 'meeting-guide', defaultTimeZone: 'Nowhere/Else' })).statusCode).toBe(400);
  });

  it('fetches a URL source; a 304 changes nothing; a network error is recorded', async () => {
    served = [rec('u1'), rec('u2')];
    const s = await newSource({ name: 'Remote', url: feedUrl });
    const r1 = await counsellor.post(`/api/v1/meeting-sources/${s.id}/refresh`);
    expect(r1.json()).toMatchObject({ status: 'imported', result: { added: 2 } });
    const r2 = await counsellor.post(`/api/v1/meeting-sources/${s.id}/refresh`);
    expect(r2.json()).toEqual({ status: 'not-modified' });
    expect(hits.at(-1)!.inm).toMatch(/^"v/);
    served = [rec('u1')];
    expect((await counsellor.post(`/api/v1/meeting-sources/${s.id}/refresh`)).json()).toMatchObject({ status: 'imported', result: { inactivated: 1 } });
    const dead = await newSource({ name: 'Dead', url: 'http://127.0.0.1:1/feed.json' });
    const r3 = await counsellor.post(`/api/v1/meeting-sources/${dead.id}/refresh`);
    expect(r3.json()).toMatchObject({ status: 'failed' });
    const got = (await frontDesk.get(`/api/v1/meeting-sources/${dead.id}`)).json() as { lastError: string | null };
    expect(got.lastError).toBeTruthy();
  });
});
