// The patient's CM in the app (issue 12): the calendar on Today, draws the patient shows
// themselves (and can verify), requests from the catalogue that staff fulfil or decline,
// and the live stream that tells the open app to look again when the clinic records a cup.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';
import { AFTER_RECORDINGS, enrolled, specimen } from './support.ts';
import { listen } from '../../server/platform/db/database.ts';
import { PATIENT_EVENTS_CHANNEL } from '../../server/modules/patient-app/events.ts';
import { pruneGoneListeners } from '../../server/modules/patient-app/jobs.ts';

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

async function phoneOf(patientId: string): Promise<Phone> {
  const c = await w.client('counsellor');
  const inv = (await c.post(`/api/v1/patients/${patientId}/app-invites`)).json() as { code: string };
  return activatePhone(w.app, inv.code);
}
const asPatient = (phone: Phone, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  w.app.inject({ method, url: `/api/patient${url}`, headers: { cookie: phone.cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

type Today = { cm: { balanceCents: number; drawsWaiting: number; calendar: Array<{ date: string; kind: string; status: string; cents: number; draws: number }> } };
type Rewards = {
  cm: {
    balanceCents: number;
    commitment: string;
    waiting: number;
    draws: Array<{ n: number; label: string | null; valueCents: number; commitment: string | null }>;
    catalogue: Array<{ id: string; name: string; nameEs: string | null; valueCents: number; inStock: number }>;
    requests: Array<{ id: string; status: string; reasonCode: string | null; reason: string | null; itemName: string; itemNameEs: string | null; cents: number }>;
  };
};

describe('the patient’s rewards in the app', () => {
  it('Today shows the calendar of the last two weeks: earned, not this time, and test days ahead', async () => {
    const { patientId } = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-16T14:00:00Z'));
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-18T14:00:00Z', [{ analyte: 'cocaine', result: 'positive' }]));
    const phone = await phoneOf(patientId);
    const today = (await asPatient(phone, 'GET', '/today')).json() as Today;
    const specimens = today.cm.calendar.filter((c) => c.kind === 'specimen');
    expect(specimens[0]!.date).toBe('2026-03-09');
    expect(specimens.at(-1)!.date).toBe('2026-03-27');
    const on = (d: string) => specimens.find((c) => c.date === d)!;
    expect(on('2026-03-16')).toMatchObject({ status: 'success' });
    expect(on('2026-03-16').cents + on('2026-03-16').draws).toBeGreaterThan(0);
    // positive for cocaine: the stimulant track pays nothing (other tracks may still earn draws)
    expect(on('2026-03-18')).toMatchObject({ status: 'positive', cents: 0 });
    expect(on('2026-03-20').status).toBe('open');
    expect(on('2026-03-23').status).toBe('scheduled');
  });

  it('the patient shows their own draws; the prize joins the balance and the draw names the commitment to verify it', async () => {
    const { patientId } = await enrolled(w, coord);
    for (const d of ['2026-03-02', '2026-03-04', '2026-03-06']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const phone = await phoneOf(patientId);
    const before = (await asPatient(phone, 'GET', '/rewards')).json() as Rewards;
    expect(before.cm.waiting).toBeGreaterThan(0);
    expect(before.cm.draws).toEqual([]);
    expect(before.cm.commitment).toMatch(/^[0-9a-f]{64}$/);
    const shown = await asPatient(phone, 'POST', '/draws/reveal', { count: 1 });
    expect(shown.statusCode, shown.body).toBe(200);
    const draw = (shown.json() as { draws: Rewards['cm']['draws']; waiting: number }).draws[0]!;
    expect(draw.commitment).toMatch(/^[0-9a-f]{64}$/);
    const after = (await asPatient(phone, 'GET', '/rewards')).json() as Rewards;
    expect(after.cm.waiting).toBe(before.cm.waiting - 1);
    expect(after.cm.draws).toEqual([draw]);
    expect(after.cm.balanceCents).toBe(before.cm.balanceCents + draw.valueCents);
    const audit = await w.database.query<{ actor_role: string }>("select actor_role from audit_events where action = 'draw' and entity = 'cm-draws' and patient_id = $1", [patientId]);
    expect(audit.map((a) => a.actor_role)).toEqual(['patient']);
    // staff see the same draw as shown
    const enr = (await w.database.query<{ id: string }>('select id from cm_enrolments where patient_id = $1', [patientId]))[0]!;
    const staffView = (await coord.get(`/api/v1/cm/enrolments/${enr.id}/draws`)).json() as { items: Array<{ n: number; revealed: boolean }> };
    expect(staffView.items.find((d) => d.n === draw.n)!.revealed).toBe(true);
  });

  it('items carry the name the clinic wrote in Spanish; staff change names or stop offering an item, audited; bad input names the field and writes nothing', async () => {
    const { patientId } = await enrolled(w, coord);
    for (const d of ['2026-03-02', '2026-03-04']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const items = async () => Number((await w.database.query<{ n: string }>('select count(*) as n from cm_catalogue_items'))[0]!.n);
    const before = await items();
    expectProblem(await coord.post('/api/v1/cm/catalogue', { name: 'Bus pass (names test)', nameEs: '  ', kind: 'item', valueCents: 200, stock: 2 }), 400, undefined, 'body.nameEs');
    expect(await items()).toBe(before);
    const created = await coord.post('/api/v1/cm/catalogue', { name: 'Bus pass (names test)', nameEs: 'Pase de autobús (prueba)', kind: 'item', valueCents: 200, stock: 2 });
    expect(created.statusCode, created.body).toBe(200);
    const bus = created.json() as { id: string; nameEs: string | null; active: boolean };
    expect(bus).toMatchObject({ nameEs: 'Pase de autobús (prueba)', active: true });
    const plain = (await coord.post('/api/v1/cm/catalogue', { name: 'Water bottle (names test)', kind: 'item', valueCents: 100, stock: 2 })).json() as { id: string; nameEs: string | null };
    expect(plain.nameEs).toBeNull();

    // the app carries both names (the phone shows the one of its language); a request names the item both ways too
    const phone = await phoneOf(patientId);
    const rewards = async () => ((await asPatient(phone, 'GET', '/rewards')).json() as Rewards).cm;
    expect((await rewards()).catalogue.find((i) => i.id === bus.id)).toMatchObject({ name: 'Bus pass (names test)', nameEs: 'Pase de autobús (prueba)' });
    expect((await rewards()).catalogue.find((i) => i.id === plain.id)!.nameEs).toBeNull();
    const asked = await asPatient(phone, 'POST', '/redemption-requests', { itemId: bus.id, quantity: 1, idempotencyKey: 'names-1' });
    expect(asked.json()).toMatchObject({ itemName: 'Bus pass (names test)', itemNameEs: 'Pase de autobús (prueba)' });

    // staff change the Spanish name; the app and the request follow
    const renamed = await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, { nameEs: 'Pase de autobús, 1 día (prueba)' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Bus pass (names test)', nameEs: 'Pase de autobús, 1 día (prueba)', active: true });
    expect((await rewards()).requests.find((r) => r.itemName === 'Bus pass (names test)')!.itemNameEs).toBe('Pase de autobús, 1 día (prueba)');

    // bad changes: a clear 400 naming the field, 404, 403; nothing changed
    expectProblem(await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, {}), 400, undefined, 'body');
    expectProblem(await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, { name: '' }), 400, undefined, 'body.name');
    expectProblem(await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, { valueCents: 1 }), 400, undefined, 'body');
    expectProblem(await coord.patch(`/api/v1/cm/catalogue/${crypto.randomUUID()}`, { active: false }), 404);
    expectProblem(await collector.patch(`/api/v1/cm/catalogue/${bus.id}`, { active: false }), 403);
    const row = (
      await w.database.query<{ name: string; name_es: string; active: boolean; value_cents: number }>('select name, name_es, active, value_cents from cm_catalogue_items where id = $1', [bus.id])
    )[0]!;
    expect(row).toEqual({ name: 'Bus pass (names test)', name_es: 'Pase de autobús, 1 día (prueba)', active: true, value_cents: 200 });

    // no longer offered: gone from the app, cannot be asked for or given; offered again, it is back
    expect((await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, { active: false })).statusCode).toBe(200);
    expect((await rewards()).catalogue.map((i) => i.id)).not.toContain(bus.id);
    expectProblem(await asPatient(phone, 'POST', '/redemption-requests', { itemId: bus.id, quantity: 1, idempotencyKey: 'names-2' }), 409, 'item_not_offered', 'body.itemId');
    const ack = { acknowledged: true, method: 'initials' };
    expectProblem(await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: bus.id, acknowledgement: ack }), 409, 'item_inactive', 'body.itemId');
    expect((await coord.patch(`/api/v1/cm/catalogue/${bus.id}`, { active: true })).statusCode).toBe(200);
    expect((await rewards()).catalogue.map((i) => i.id)).toContain(bus.id);

    // each change is audited with what changed
    const audit = await w.database.query<{ detail: Record<string, unknown> }>(
      "select detail from audit_events where entity = 'cm-catalogue-item' and entity_id = $1 and action = 'update' order by id",
      [bus.id],
    );
    expect(audit.map((a) => a.detail)).toEqual([{ nameEs: 'Pase de autobús, 1 día (prueba)' }, { active: false }, { active: true }]);
  });

  it('requests: the patient asks, staff give it as a redemption or decline it with a reason, the patient may withdraw; nothing moves until staff give it', async () => {
    const { patientId } = await enrolled(w, coord);
    for (const d of ['2026-03-02', '2026-03-04', '2026-03-06']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const bus = (await coord.post('/api/v1/cm/catalogue', { name: 'Bus pass (app test)', kind: 'item', valueCents: 500, stock: 3 })).json() as { id: string };
    const prize = (await coord.post('/api/v1/cm/catalogue', { name: 'Small prize (app test)', kind: 'item', valueCents: 100, stock: 3, prizeTier: 'small' })).json() as { id: string };
    const phone = await phoneOf(patientId);
    const rewards = (await asPatient(phone, 'GET', '/rewards')).json() as Rewards;
    expect(rewards.cm.catalogue.map((i) => i.id)).toContain(bus.id);
    expect(rewards.cm.catalogue.map((i) => i.id)).not.toContain(prize.id);
    const balance = rewards.cm.balanceCents;

    const ask = (itemId: string, key: string, quantity = 1) => asPatient(phone, 'POST', '/redemption-requests', { itemId, quantity, idempotencyKey: key });
    const first = await ask(bus.id, 'req-1');
    expect(first.statusCode, first.body).toBe(200);
    const firstReq = first.json() as { id: string; status: string; cents: number };
    expect(firstReq).toMatchObject({ status: 'open', cents: 500 });
    expect(((await ask(bus.id, 'req-1')).json() as { id: string }).id).toBe(firstReq.id);
    expectProblem(await ask(prize.id, 'req-2'), 409, 'item_not_offered', 'body.itemId');
    expectProblem(await ask(bus.id, 'req-3', 4), 409, 'out_of_stock', 'body.quantity');
    expectProblem(await asPatient(phone, 'POST', '/redemption-requests', { itemId: bus.id, quantity: 0, idempotencyKey: 'x' }), 400, undefined, 'body.quantity');
    const big = (await coord.post('/api/v1/cm/catalogue', { name: 'Phone card (app test)', kind: 'gift-card', valueCents: balance - 400, stock: 2 })).json() as { id: string };
    expectProblem(await ask(big.id, 'req-4'), 409, 'insufficient_balance', 'body.itemId');
    // asking moved nothing
    expect(((await asPatient(phone, 'GET', '/rewards')).json() as Rewards).cm.balanceCents).toBe(balance);

    // staff see the open request and give it with the patient present
    const open = (await coord.get('/api/v1/cm/redemption-requests')).json() as { items: Array<{ id: string; patientId: string; mrn: string }> };
    expect(open.items.find((r) => r.id === firstReq.id)).toMatchObject({ patientId });
    const ack = { acknowledged: true, method: 'initials' };
    expectProblem(await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: big.id, requestId: firstReq.id, acknowledgement: ack }), 409, 'request_item_mismatch');
    const given = await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: bus.id, requestId: firstReq.id, acknowledgement: ack });
    expect(given.statusCode, given.body).toBe(200);
    expectProblem(await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: bus.id, requestId: firstReq.id, acknowledgement: ack }), 409, 'request_closed');

    // declined with a reason; withdrawn by the patient
    const second = (await ask(bus.id, 'req-5')).json() as { id: string };
    expectProblem(await coord.post(`/api/v1/cm/redemption-requests/${second.id}/decline`, { reason: '' }), 400, undefined, 'body.reason');
    expect((await coord.post(`/api/v1/cm/redemption-requests/${second.id}/decline`, { reason: 'Out until Monday' })).statusCode).toBe(200);
    const third = (await ask(bus.id, 'req-6')).json() as { id: string };
    expect(((await asPatient(phone, 'POST', `/redemption-requests/${third.id}/withdraw`)).json() as { status: string }).status).toBe('withdrawn');
    expectProblem(await asPatient(phone, 'POST', `/redemption-requests/${third.id}/withdraw`), 409, 'request_closed');
    // declined for a reason from the list, which the app words in the patient's language: a note is then optional;
    // 'other' needs the note, and a reason not on the list is refused, naming the field, with nothing written
    const fourth = (await ask(bus.id, 'req-7')).json() as { id: string };
    const declineFourth = (body: unknown) => coord.post(`/api/v1/cm/redemption-requests/${fourth.id}/decline`, body);
    expectProblem(await declineFourth({ reasonCode: 'other' }), 400, undefined, 'body.reason');
    expectProblem(await declineFourth({ reasonCode: 'no-reason-like-this' }), 400, undefined, 'body.reasonCode');
    expect(((await asPatient(phone, 'GET', '/rewards')).json() as Rewards).cm.requests.find((r) => r.id === fourth.id)).toMatchObject({ status: 'open', reasonCode: null });
    const declined = await declineFourth({ reasonCode: 'out-of-stock' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', reasonCode: 'out-of-stock', reason: null });
    const audited = await w.database.query<{ action: string; detail: unknown }>(
      "select action, detail from audit_events where entity = 'cm-redemption-request' and entity_id = $1 and action = 'decline'",
      [fourth.id],
    );
    expect(audited).toEqual([{ action: 'decline', detail: { reasonCode: 'out-of-stock' } }]);

    const mine = ((await asPatient(phone, 'GET', '/rewards')).json() as Rewards).cm;
    expect(mine.balanceCents).toBe(balance - 500);
    const status = Object.fromEntries(mine.requests.map((r) => [r.id, [r.status, r.reasonCode, r.reason]]));
    expect(status).toEqual({
      [firstReq.id]: ['given', null, null],
      // a client that sends only a reason declines for another reason, in its words
      [second.id]: ['declined', 'other', 'Out until Monday'],
      [third.id]: ['withdrawn', null, null],
      [fourth.id]: ['declined', 'out-of-stock', null],
    });
    // the same list on the patient page
    const staffList = (await coord.get(`/api/v1/cm/patients/${patientId}/redemption-requests`)).json() as { items: unknown[] };
    expect(staffList.items).toHaveLength(4);
    // a request row cannot be changed afterwards
    await expect(w.database.query('update cm_redemption_requests set quantity = 9 where id = $1', [third.id])).rejects.toThrow(/append-only/);
  });

  it('a request given over the approval threshold and then declined by the second person shows that decision’s reason, from the list, to the patient', async () => {
    const { patientId } = await enrolled(w, coord);
    for (const d of ['2026-03-02', '2026-03-04', '2026-03-06']) await collector.post('/api/v1/specimens', specimen(patientId, `${d}T14:00:00Z`));
    const card = (await coord.post('/api/v1/cm/catalogue', { name: 'Phone minutes (app test)', kind: 'item', valueCents: 600, stock: 5 })).json() as { id: string };
    const phone = await phoneOf(patientId);
    const asked = (await asPatient(phone, 'POST', '/redemption-requests', { itemId: card.id, quantity: 1, idempotencyKey: 'over-1' })).json() as { id: string };
    const admin = await w.client('administrator');
    expect((await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 500 })).statusCode).toBe(200);
    try {
      const given = (await coord.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: card.id, requestId: asked.id, acknowledgement: { acknowledged: true, method: 'verbal' } })).json() as {
        id: string;
        status: string;
      };
      expect(given.status).toBe('pending-approval');
      const mine = () => asPatient(phone, 'GET', '/rewards').then((r) => (r.json() as Rewards).cm.requests.find((x) => x.id === asked.id)!);
      expect(await mine()).toMatchObject({ status: 'approval', reasonCode: null, reason: null });
      // 'other' needs a note, a reason not on the list is refused, and an approval says no reason: each names the field, nothing written
      const decide = (body: unknown) => admin.post(`/api/v1/cm/redemptions/${given.id}/decision`, body);
      expectProblem(await decide({ approve: false, reasonCode: 'other' }), 400, undefined, 'body.reason');
      expectProblem(await decide({ approve: false, reasonCode: 'no-reason-like-this' }), 400, undefined, 'body.reasonCode');
      expectProblem(await decide({ approve: true, reasonCode: 'balance' }), 400, undefined, 'body.reasonCode');
      expect(await mine()).toMatchObject({ status: 'approval' });
      const declined = await decide({ approve: false, reasonCode: 'talk-first', reason: 'Over this month’s budget' });
      expect(declined.statusCode, declined.body).toBe(200);
      expect(declined.json()).toMatchObject({ status: 'declined', reasonCode: 'talk-first', reason: 'Over this month’s budget' });
      expect(await mine()).toMatchObject({ status: 'declined', reasonCode: 'talk-first', reason: 'Over this month’s budget' });
      // the patient page's list says why too; the audit row names the code, not the note
      const listed = (await coord.get(`/api/v1/cm/patients/${patientId}/redemptions`)).json() as { items: Array<{ id: string; reasonCode: string | null; reason: string | null }> };
      expect(listed.items.find((r) => r.id === given.id)).toMatchObject({ reasonCode: 'talk-first', reason: 'Over this month’s budget' });
      const audited = await w.database.query<{ detail: unknown }>("select detail from audit_events where entity = 'cm-redemption' and entity_id = $1 and action = 'decline'", [given.id]);
      expect(audited).toEqual([{ detail: { cents: 600, reasonCode: 'talk-first' } }]);
    } finally {
      await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 5000 });
    }
  });

  it('a patient cannot withdraw, or see, another patient’s request', async () => {
    const a = await enrolled(w, coord);
    const b = await enrolled(w, coord);
    await collector.post('/api/v1/specimens', specimen(a.patientId, '2026-03-02T14:00:00Z'));
    const item = (await coord.post('/api/v1/cm/catalogue', { name: 'Snack (app test)', kind: 'item', valueCents: 100, stock: 9 })).json() as { id: string };
    const phoneA = await phoneOf(a.patientId);
    const phoneB = await phoneOf(b.patientId);
    const req = (await asPatient(phoneA, 'POST', '/redemption-requests', { itemId: item.id, quantity: 1, idempotencyKey: 'a-1' })).json() as { id: string };
    expectProblem(await asPatient(phoneB, 'POST', `/redemption-requests/${req.id}/withdraw`), 404);
    expect(((await asPatient(phoneB, 'GET', '/rewards')).json() as Rewards).cm.requests).toEqual([]);
  });
});

describe('the live stream', () => {
  let url: string | null = null;
  /** The patient's event stream over real HTTP, read as text. */
  async function openStream(phone: Phone) {
    url ??= await w.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${url}/api/patient/events`, { headers: { cookie: phone.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    return {
      text: () => text,
      readUntil: async (want: RegExp) => {
        while (!want.test(text)) {
          const { value, done } = await reader.read();
          if (done) return false;
          text += decoder.decode(value);
        }
        return true;
      },
      close: () => reader.cancel(),
    };
  }

  it('tells the open app “changed” when the clinic records a cup for this patient, not for another, and ends when the app locks', async () => {
    const { patientId } = await enrolled(w, coord);
    const other = await enrolled(w, coord);
    const phone = await phoneOf(patientId);
    const s = await openStream(phone);
    expect(await s.readUntil(/retry: 3000/)).toBe(true);
    // another patient's cup: nothing for this stream; then this patient's cup: "changed"
    await collector.post('/api/v1/specimens', specimen(other.patientId, '2026-03-16T14:00:00Z'));
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-16T14:00:00Z'));
    expect(await s.readUntil(/event: changed/)).toBe(true);
    expect(s.text().match(/event: changed/g)).toHaveLength(1);
    expect(s.text()).not.toContain(patientId);
    // locking ends the session; the next event finds it ended and closes the stream
    await asPatient(phone, 'POST', '/lock');
    await collector.post('/api/v1/specimens', specimen(patientId, '2026-03-18T14:00:00Z'));
    expect(await s.readUntil(/never/)).toBe(false);
    expect(s.text().match(/event: changed/g)).toHaveLength(1);
  });

  it('notifies only patients whose app has a stream open (ADR 063): a cup for a patient without one sends nothing, and closing the stream stops it', async () => {
    const listened = await enrolled(w, coord);
    const quiet = await enrolled(w, coord);
    const heard: string[] = [];
    const unlisten = await listen(w.database.db, PATIENT_EVENTS_CHANNEL, (payload) => heard.push(payload));
    try {
      const s = await openStream(await phoneOf(listened.patientId));
      expect(await s.readUntil(/retry: 3000/)).toBe(true);
      const nameOf = (patientId: string) => `${w.programA}:${patientId}`;
      // the quiet patient's cup commits first: notifications arrive in commit order
      await collector.post('/api/v1/specimens', specimen(quiet.patientId, '2026-03-16T14:00:00Z'));
      await collector.post('/api/v1/specimens', specimen(listened.patientId, '2026-03-16T14:00:00Z'));
      await expect.poll(() => heard).toContain(nameOf(listened.patientId));
      expect(heard).not.toContain(nameOf(quiet.patientId));
      const rows = () => w.database.query<{ patient_id: string }>('select patient_id from patient_event_listeners');
      expect((await rows()).map((r) => r.patient_id)).toContain(listened.patientId);
      // the stream closes: the row goes, and the next cup of that patient notifies no one
      await s.close();
      await expect.poll(async () => (await rows()).map((r) => r.patient_id)).not.toContain(listened.patientId);
      heard.length = 0;
      await collector.post('/api/v1/specimens', specimen(listened.patientId, '2026-03-18T14:00:00Z'));
      const other = await enrolled(w, coord);
      const s2 = await openStream(await phoneOf(other.patientId));
      expect(await s2.readUntil(/retry: 3000/)).toBe(true);
      await collector.post('/api/v1/specimens', specimen(other.patientId, '2026-03-18T14:00:00Z'));
      await expect.poll(() => heard).toContain(nameOf(other.patientId));
      expect(heard).not.toContain(nameOf(listened.patientId));
      await s2.close();
      await expect.poll(async () => (await rows()).map((r) => r.patient_id)).not.toContain(other.patientId);
    } finally {
      await unlisten();
    }
  });

  it('a process refreshes its rows every minute; the job removes rows no process has refreshed for 10 minutes (one that ended without closing its streams)', async () => {
    const { patientId } = await enrolled(w, coord);
    const gone = await enrolled(w, coord);
    // a process that ended without closing its stream 11 minutes ago
    await w.database.query(`insert into patient_event_listeners (program_id, patient_id, hub_id, seen_at) values ($1, $2, gen_random_uuid(), now() - interval '11 minutes')`, [
      w.programA,
      gone.patientId,
    ]);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = await openStream(await phoneOf(patientId));
      expect(await s.readUntil(/retry: 3000/)).toBe(true);
      // as old as the gone one: only the minute's refresh tells them apart
      await w.database.query(`update patient_event_listeners set seen_at = now() - interval '11 minutes' where patient_id = $1`, [patientId]);
      const ages = async () =>
        Object.fromEntries(
          (await w.database.query<{ patient_id: string; age: number }>(`select patient_id, extract(epoch from now() - seen_at)::int as age from patient_event_listeners`)).map((r) => [
            r.patient_id,
            r.age,
          ]),
        );
      vi.advanceTimersByTime(60_000);
      await expect.poll(async () => (await ages())[patientId]).toBeLessThan(60);
      expect(await pruneGoneListeners(w.database.db)).toBe(1);
      const left = await ages();
      expect(left).not.toHaveProperty(gone.patientId);
      expect(left).toHaveProperty(patientId);
      await s.close();
      await expect.poll(ages).not.toHaveProperty(patientId);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a server that stops ends its open streams (the app comes back in 3 s to one that runs) and removes its listed patients at once', async () => {
    // a server of its own, so that closing it leaves this file's server running
    const w2 = await makeWorld({ now: AFTER_RECORDINGS });
    try {
      const { patientId } = await enrolled(w2, await w2.client('cm-coordinator'));
      const invite = (await (await w2.client('counsellor')).post(`/api/v1/patients/${patientId}/app-invites`)).json() as { code: string };
      const phone = await activatePhone(w2.app, invite.code);
      const res = await fetch(`${await w2.app.listen({ port: 0, host: '127.0.0.1' })}/api/patient/events`, { headers: { cookie: phone.cookie } });
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('retry: 3000');
      const listed = async () => (await w2.database.query<{ patient_id: string }>('select patient_id from patient_event_listeners')).map((r) => r.patient_id);
      expect(await listed()).toEqual([patientId]);
      // before, the close waited for the open stream: for ever
      await w2.app.close();
      expect((await reader.read()).done).toBe(true);
      expect(await listed()).toEqual([]);
    } finally {
      await w2.close();
    }
  });

  it('refuses a stream without a patient session', async () => {
    expectProblem(await w.app.inject({ method: 'GET', url: '/api/patient/events' }), 401);
  });
});
