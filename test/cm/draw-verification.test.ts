// The public side of the draws: GET /public/draw-verification/{commitment}/seeds lists the
// seeds of the programme that made a commitment (newest first), each seed only once it is
// revealed, for the console's public verification page; no sign-in, no patient data, no
// other programme's seeds. The JSON of one commitment is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { AFTER_RECORDINGS, enrolled, specimen } from './support.ts';

let w: World;
let coord: Client;
let collector: Client;
let admin: Client;
beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
  admin = await w.client('administrator');
});
afterAll(async () => {
  await w?.close();
});

type Seeds = { items: Array<{ commitment: string; activeFrom: string; retiredAt: string | null; revealed: boolean; seedHex: string | null }> };
const anonymous = (url: string) => w.app.inject({ method: 'GET', url });

describe('GET /public/draw-verification/{commitment}/seeds', () => {
  it('lists the programme’s seeds newest first, a seed only once revealed, to anyone', async () => {
    const { patientId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    const first = ((await coord.get('/api/v1/cm/seeds')).json() as Seeds).items.at(-1)!.commitment;
    w.clock.advance(60_000);
    const second = ((await admin.post('/api/v1/cm/seeds/rotate')).json() as { commitment: string }).commitment;
    w.clock.advance(60_000);
    const third = ((await admin.post('/api/v1/cm/seeds/rotate')).json() as { commitment: string }).commitment;
    // programme B has a seed of its own
    const adminB = await w.client('adminB');
    expect((await adminB.get('/api/v1/cm/seeds')).statusCode).toBe(200);
    const seedsB = ((await adminB.get('/api/v1/cm/seeds')).json() as Seeds).items.map((s) => s.commitment);

    for (const c of [first, second, third]) {
      const r = await anonymous(`/api/v1/public/draw-verification/${c}/seeds`);
      expect(r.statusCode, r.body).toBe(200);
      const items = (r.json() as Seeds).items;
      expect(items.map((s) => s.commitment)).toEqual([third, second, first]);
      expect(items.map((s) => s.revealed)).toEqual([false, true, true]);
      expect(items[0]!.seedHex).toBeNull();
      expect(items[0]!.retiredAt).toBeNull();
      for (const s of items.slice(1)) expect(s.seedHex).toMatch(/^[0-9a-f]{64}$/);
      expect(items.some((s) => seedsB.includes(s.commitment))).toBe(false);
    }
    // the commitment's own JSON is as it was: machines read it unchanged
    const one = await anonymous(`/api/v1/public/draw-verification/${first}`);
    expect(Object.keys(one.json() as object).sort()).toEqual(['activeFrom', 'algorithm', 'commitment', 'draws', 'retiredAt', 'revealed', 'seedHex', 'timeZone']);
    expectProblem(await anonymous(`/api/v1/public/draw-verification/${'0'.repeat(64)}/seeds`), 404, 'not_found');
    expectProblem(await anonymous('/api/v1/public/draw-verification/nope/seeds'), 400, 'invalid_input', 'params.commitment');
  });
});
