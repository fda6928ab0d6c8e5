// A prize is a surprise until the patient's draw is shown: the ledger read withholds an
// unshown prize's tier, cents and cap (hidden: true), leaves it out of the running balance
// and of the balance, and counts the draws not shown yet; once the draw screen shows the
// draw, the line has its value and the balance includes it. A prize cannot be fulfilled
// (nor its tier named in a refusal) before its draw is shown.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
beforeEach(() => {
  w.clock.now = new Date(AFTER_RECORDINGS);
});

type Item = { id: string; kind: string; cents: number | null; tier: string | null; capped: string | null; n: number | null; hidden: boolean; balanceCents: number };
type LedgerRead = { balanceCents: number; unshownDraws: number; items: Item[] };
const ledger = async (patientId: string) => {
  const r = await coord.get(`/api/v1/patients/${patientId}/ledger`);
  expect(r.statusCode, r.body).toBe(200);
  return { body: r.body, l: r.json() as LedgerRead };
};
/** The prize as stored (what the ledger must not tell before the draw is shown). */
const storedPrize = async (enrolmentId: string, n: number) =>
  (await w.database.query<{ id: string; tier: string; cents: number }>("select id, tier, cents from cm_ledger_entries where enrolment_id = $1 and kind = 'prize' and n = $2", [enrolmentId, n]))[0]!;

describe('GET /patients/{id}/ledger: prizes of draws not shown yet', () => {
  it('withholds the prize and leaves it out of the balance until the draw is shown', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    // a negative cup: 250 cents on the stim track and one draw on the opioid track
    const rec = await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z'));
    expect(rec.statusCode, rec.body).toBe(200);
    const prize = await storedPrize(enrolmentId, 1);

    const { body, l } = await ledger(patientId);
    const line = l.items.find((e) => e.kind === 'prize')!;
    expect(line).toMatchObject({ id: prize.id, n: 1, hidden: true, tier: null, cents: null, capped: null, balanceCents: 250 });
    expect(l.items.filter((e) => e.kind !== 'prize').every((e) => !e.hidden)).toBe(true);
    expect(l.balanceCents).toBe(250);
    expect(l.unshownDraws).toBe(1);
    expect(body).not.toContain(`"tier":"${prize.tier}"`);
    // the running balance leaves the prize out on its line and after it
    expect(l.items.slice(l.items.indexOf(line)).map((e) => e.balanceCents)).toEqual(l.items.slice(l.items.indexOf(line)).map(() => 250));

    // fulfilling it before the draw is shown is refused, without naming the tier
    const item = await coord.post('/api/v1/cm/catalogue', { name: 'Prize item (fictional)', kind: 'item', valueCents: Math.max(prize.cents, 1), prizeTier: prize.tier, stock: 5, reorderLevel: 0 });
    expect(item.statusCode, item.body).toBe(200);
    const early = expectProblem(
      await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, {
        itemId: (item.json() as { id: string }).id,
        quantity: 1,
        prizeEntryId: prize.id,
        acknowledgement: { acknowledged: true, method: 'verbal' },
      }),
      409,
      'draw_not_shown',
      'body.prizeEntryId',
    );
    expect(JSON.stringify(early)).not.toContain(prize.tier);

    // the draw screen shows it: the line has its value, the balance includes it
    const shown = await collector.post(`/api/v1/cm/enrolments/${enrolmentId}/draws/reveal`, { count: 1 });
    expect(shown.statusCode, shown.body).toBe(200);
    const after = (await ledger(patientId)).l;
    expect(after.items.find((e) => e.kind === 'prize')).toMatchObject({ id: prize.id, hidden: false, tier: prize.tier, cents: prize.cents, balanceCents: 250 + prize.cents });
    expect(after.balanceCents).toBe(250 + prize.cents);
    expect(after.unshownDraws).toBe(0);
  });

  it('counts each draw not shown, includes each prize once shown, and withholds them from an integration token too', async () => {
    const { patientId, enrolmentId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z')); // 250 + draw 1
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z')); // 375 + draws 2, 3
    const { l } = await ledger(patientId);
    expect(l.unshownDraws).toBe(3);
    expect(l.items.filter((e) => e.hidden).map((e) => e.n)).toEqual([1, 2, 3]);
    expect(l.balanceCents).toBe(250 + 375);
    expect(l.items.at(-1)!.balanceCents).toBe(250 + 375);
    // show one: only that prize counts
    await collector.post(`/api/v1/cm/enrolments/${enrolmentId}/draws/reveal`, { count: 1 });
    const p1 = await storedPrize(enrolmentId, 1);
    const one = (await ledger(patientId)).l;
    expect(one.unshownDraws).toBe(2);
    expect(one.items.filter((e) => e.hidden).map((e) => e.n)).toEqual([2, 3]);
    expect(one.balanceCents).toBe(250 + 375 + p1.cents);
    // an integration token (a laboratory) reads the same withheld lines
    const tok = await admin.post('/api/v1/integration-tokens', { name: 'Lab (fictional)', scopes: ['ledger:read'] });
    expect(tok.statusCode, tok.body).toBe(200);
    const lab = await w.app.inject({
      method: 'GET',
      url: `/api/v1/patients/${patientId}/ledger`,
      headers: { authorization: `Bearer ${(tok.json() as { token: string }).token}`, 'waypoint-program': w.programA },
    });
    expect(lab.statusCode, lab.body).toBe(200);
    expect((lab.json() as LedgerRead).items.filter((e) => e.hidden).map((e) => [e.n, e.cents, e.tier])).toEqual([
      [2, null, null],
      [3, null, null],
    ]);
  });
});
