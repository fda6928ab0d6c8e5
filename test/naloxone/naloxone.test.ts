// Naloxone through the HTTP API (PGlite by default, PostgreSQL with TEST_DATABASE_URL): stock
// arithmetic (received − given ± adjustments), a kit refused from an expired or empty lot with
// a clear 409 and nothing written, the expiry and reorder alerts, recipients who are not
// patients (no identifying data), the patient card, idempotent kits, and programme isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';

let w: World;
let admin: Client;
let peer: Client;
let frontDesk: Client;
let adminB: Client;
const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, peer, frontDesk, adminB] = await Promise.all([w.client('administrator'), w.client('peer-specialist'), w.client('front-desk'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

type Lot = { id: string; lotNumber: string; onHand: number; received: number; given: number; adjusted: number; expired: boolean; expiringSoon: boolean; daysLeft: number };
type Stock = {
  today: string;
  usable: number;
  lots: Lot[];
  alerts: Array<{ kind: string; lotNumber?: string; usable?: number }>;
  suggestedLotId: string | null;
  settings: { reorderLevel: number; expiryWarningDays: number };
};

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);
async function receive(lotNumber: string, expiresOn: string, quantity: number, c: Client = admin): Promise<Lot> {
  const r = await c.post('/api/v1/naloxone/lots', { product: 'nasal-4mg', lotNumber, expiresOn, quantity });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Lot;
}
const stock = async (c: Client = admin) => {
  const r = await c.get('/api/v1/naloxone/stock');
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Stock;
};
const lotOf = (s: Stock, id: string) => s.lots.find((l) => l.id === id)!;

describe('naloxone', () => {
  let good: Lot;
  let soon: Lot;
  let old: Lot;

  it('receives lots and derives stock on hand; alerts for expiry and reorder', async () => {
    good = await receive('GOOD-1', '2028-01-31', 6);
    soon = await receive('SOON-1', '2026-04-01', 2);
    old = await receive('OLD-1', '2026-02-28', 3);
    expect(good).toMatchObject({ onHand: 6, received: 6, given: 0, adjusted: 0, expired: false, expiringSoon: false });
    const s = await stock();
    expect(s.today).toBe('2026-03-04');
    expect(s.lots.map((l) => l.lotNumber)).toEqual(['OLD-1', 'SOON-1', 'GOOD-1']); // soonest expiry first
    expect(s.usable).toBe(8); // the expired lot's kits are not usable
    expect(lotOf(s, soon.id)).toMatchObject({ expiringSoon: true, daysLeft: 28 });
    expect(s.alerts).toEqual(
      expect.arrayContaining([
        { kind: 'reorder', usable: 8, reorderLevel: 10 },
        expect.objectContaining({ kind: 'expiring', lotNumber: 'SOON-1', onHand: 2 }),
        expect.objectContaining({ kind: 'expired', lotNumber: 'OLD-1', onHand: 3 }),
      ]),
    );
    expect(s.suggestedLotId).toBe(soon.id); // first expiry, first out
  });

  it('gives a kit to a patient with training; stock goes down by one; the card shows it', async () => {
    const r = await peer.post('/api/v1/naloxone/kits', {
      lotId: soon.id,
      recipient: { kind: 'patient', patientId: w.patientA },
      trainingSteps: ['give-naloxone', 'call-for-help', 'check-for-signs', 'support-breathing', 'stay-and-monitor'],
      idempotencyKey: 'kit-1',
    });
    expect(r.statusCode, r.body).toBe(200);
    const kit = r.json() as { id: string; trained: boolean; lotNumber: string; recipientKind: string };
    expect(kit).toMatchObject({ trained: true, lotNumber: 'SOON-1', recipientKind: 'patient' });
    // the same key again: the same kit, recorded once
    const again = await peer.post('/api/v1/naloxone/kits', { lotId: soon.id, recipient: { kind: 'patient', patientId: w.patientA }, idempotencyKey: 'kit-1' });
    expect((again.json() as { id: string }).id).toBe(kit.id);
    expect(lotOf(await stock(), soon.id)).toMatchObject({ given: 1, onHand: 1 });

    const card = await peer.get(`/api/v1/patients/${w.patientA}/naloxone`);
    expect(card.statusCode, card.body).toBe(200);
    const c = card.json() as { kits: unknown[]; trainings: Array<{ steps: string[] }>; stepsCovered: string[]; needsKit: boolean };
    expect(c.kits).toHaveLength(1);
    expect(c.trainings[0]!.steps).toEqual(['call-for-help', 'check-for-signs', 'support-breathing', 'give-naloxone', 'stay-and-monitor']); // in teaching order
    expect(c.stepsCovered).toHaveLength(5);
    expect(c.needsKit).toBe(false);
    expect(await count(`select count(*) as n from audit_events where entity = 'naloxone-kit' and action = 'create'`)).toBe(1);
  });

  it('gives kits to a family member and a community member without identifying data; lists by kind', async () => {
    const fam = await peer.post('/api/v1/naloxone/kits', { lotId: good.id, recipient: { kind: 'family', firstName: 'Rosa', forPatientId: w.patientA }, trainingSteps: ['give-naloxone'] });
    expect(fam.statusCode, fam.body).toBe(200);
    const com = await peer.post('/api/v1/naloxone/kits', { lotId: good.id, recipient: { kind: 'community', note: 'Outreach at the library' } });
    expect(com.statusCode, com.body).toBe(200);
    expect(com.json()).toMatchObject({ recipientKind: 'community', patientId: null, firstName: null, trained: false });
    // no other identifying field is accepted
    expectProblem(await peer.post('/api/v1/naloxone/kits', { lotId: good.id, recipient: { kind: 'community', lastName: 'Doe' } }), 400, 'invalid_input');
    const fams = (await peer.get('/api/v1/naloxone/kits?kind=family')).json() as { items: Array<{ firstName: string }> };
    expect(fams.items.map((k) => k.firstName)).toEqual(['Rosa']);
    const page1 = (await peer.get('/api/v1/naloxone/kits?limit=2')).json() as { items: Array<{ id: string }>; nextCursor: string };
    const page2 = (await peer.get(`/api/v1/naloxone/kits?limit=2&cursor=${page1.nextCursor}`)).json() as { items: Array<{ id: string }>; nextCursor: null };
    expect(page1.items.length + page2.items.length).toBe(3);
    expect(page2.nextCursor).toBeNull();
  });

  it('refuses a kit from an expired lot or an empty one (409 naming the lot), writing nothing', async () => {
    const before = await count('select count(*) as n from naloxone_kits');
    const expired = expectProblem(await peer.post('/api/v1/naloxone/kits', { lotId: old.id, recipient: { kind: 'community' } }), 409, 'lot_expired', 'body.lotId');
    expect(expired.detail).toContain('OLD-1');
    await peer.post('/api/v1/naloxone/kits', { lotId: soon.id, recipient: { kind: 'community' } }); // the last one
    expectProblem(await peer.post('/api/v1/naloxone/kits', { lotId: soon.id, recipient: { kind: 'community' } }), 409, 'lot_empty', 'body.lotId');
    expect(await count('select count(*) as n from naloxone_kits')).toBe(before + 1);
    // a lot or a patient of another programme is not found
    const other = await receive('B-1', '2028-01-01', 5, adminB);
    expectProblem(await peer.post('/api/v1/naloxone/kits', { lotId: other.id, recipient: { kind: 'community' } }), 404, 'not_found', 'body.lotId');
    expectProblem(await peer.post('/api/v1/naloxone/kits', { lotId: good.id, recipient: { kind: 'patient', patientId: w.patientB } }), 404, 'not_found', 'body.recipient.patientId');
    expect(await count('select count(*) as n from naloxone_kits')).toBe(before + 1);
  });

  it('adjusts a lot with new rows, never below zero; discarding expired kits clears the alert', async () => {
    expectProblem(await admin.post('/api/v1/naloxone/adjustments', { lotId: old.id, delta: -4, reason: 'expired-discarded' }), 400, 'invalid_adjustment', 'body.delta');
    const r = await admin.post('/api/v1/naloxone/adjustments', { lotId: old.id, delta: -3, reason: 'expired-discarded' });
    expect(r.statusCode, r.body).toBe(200);
    const s = await stock();
    expect(lotOf(s, old.id)).toMatchObject({ onHand: 0, adjusted: -3 });
    expect(s.alerts.some((a) => a.kind === 'expired')).toBe(false);
    expect(lotOf(s, good.id)).toMatchObject({ received: 6, given: 2, onHand: 4 });
  });

  it('settings change the alerts; bad settings are 400 naming the field', async () => {
    expectProblem(await admin.put('/api/v1/naloxone/settings', { reorderLevel: -1, expiryWarningDays: 30 }), 400, 'invalid_input', 'body.reorderLevel');
    const r = await admin.put('/api/v1/naloxone/settings', { reorderLevel: 2, expiryWarningDays: 7 });
    expect(r.statusCode, r.body).toBe(200);
    const s = await stock();
    expect(s.settings).toEqual({ reorderLevel: 2, expiryWarningDays: 7 });
    expect(s.alerts).toEqual([]);
  });

  it('records a training without a kit; the front desk cannot read naloxone', async () => {
    const t = await peer.post('/api/v1/naloxone/trainings', { recipient: { kind: 'community', firstName: 'Sam' }, steps: ['call-for-help', 'give-naloxone'] });
    expect(t.statusCode, t.body).toBe(200);
    expectProblem(await peer.post('/api/v1/naloxone/trainings', { recipient: { kind: 'community' }, steps: [] }), 400, 'invalid_input', 'body.steps');
    expectProblem(await peer.post('/api/v1/naloxone/trainings', { recipient: { kind: 'community' }, steps: ['dance'] }), 400, 'invalid_input');
    expect((await frontDesk.get('/api/v1/naloxone/stock')).statusCode).toBe(403);
  });

  it('the card says a patient needs a new kit when theirs has expired', async () => {
    w.clock.advance(60 * 86_400_000); // past SOON-1's expiry
    const fresh = await w.client('peer-specialist'); // the earlier session has timed out
    const c = (await fresh.get(`/api/v1/patients/${w.patientA}/naloxone`)).json() as { needsKit: boolean };
    expect(c.needsKit).toBe(true);
  });
});
