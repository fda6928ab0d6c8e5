// The protocol library says which protocols are in use: a protocol with an enrolment is
// in use (the Protocols tab shows "In use: Yes"), one without is not, in the list and in
// the single read alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { clinicProtocol, enrolled } from './support.ts';

let w: World;
let coord: Client;
beforeAll(async () => {
  w = await makeWorld();
  coord = await w.client('cm-coordinator');
});
afterAll(async () => {
  await w?.close();
});

type ProtocolDto = { id: string; key: string; inUse: boolean };

async function listAll(c: Client): Promise<ProtocolDto[]> {
  const items: ProtocolDto[] = [];
  let cursor: string | null = null;
  do {
    const r = await c.get(`/api/v1/cm/protocols?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.statusCode, r.body).toBe(200);
    const page = r.json() as { items: ProtocolDto[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /cm/protocols: inUse', () => {
  it('is true for a protocol with an enrolment and false for one without', async () => {
    const { protocolId: used } = await enrolled(w, coord);
    const unused = (await coord.post('/api/v1/cm/protocols', { document: clinicProtocol() })).json() as ProtocolDto;
    // a protocol in use in programme B does not make programme A's protocols in use
    const adminB = await w.client('adminB');
    const pB = await adminB.post('/api/v1/cm/protocols', { document: clinicProtocol() });
    expect(pB.statusCode, pB.body).toBe(200);

    const list = await listAll(coord);
    const byId = new Map(list.map((p) => [p.id, p.inUse]));
    expect(byId.get(used)).toBe(true);
    expect(byId.get(unused.id)).toBe(false);
    expect(list.filter((p) => p.inUse).map((p) => p.id)).toEqual([used]);

    // the single read agrees with the list
    expect(((await coord.get(`/api/v1/cm/protocols/${used}`)).json() as ProtocolDto).inUse).toBe(true);
    expect(((await coord.get(`/api/v1/cm/protocols/${unused.id}`)).json() as ProtocolDto).inUse).toBe(false);
  });
});
