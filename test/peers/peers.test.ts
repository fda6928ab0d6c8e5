// Peer outreach through the HTTP API (PGlite by default, PostgreSQL with TEST_DATABASE_URL):
// a referral after an overdose → first contact logged → follow-ups scheduled; retries and a
// missed contact; the work list (due and overdue first, my caseload); assignment rules;
// outcomes as queryable rows; closing; settings; and the escalation job — once per contact,
// and after downtime one late run records exactly what on-time runs would have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';
import { escalateOverdue } from '../../server/modules/peers/outreach.ts';

let w: World;
let admin: Client;
let peer: Client;
let counsellor: Client;
const NOW = '2026-03-04T15:00:00Z';
const H = 3_600_000;
const ago = (hours: number) => new Date(w.clock.now.getTime() - hours * H).toISOString();

type Contact = { index: number; kind: string; day: number | null; dueAt: string | null; retryBy: string | null; state: string; tries: number };
type Detail = {
  id: string;
  name: string;
  status: string;
  closedReason: string | null;
  assignedTo: string | null;
  next: Contact | null;
  contacts: Contact[];
  attempts: Array<{ id: string; outcome: string; corrected: boolean; contactIndex: number | null }>;
  outcomes: Array<{ kind: string; occurredOn: string }>;
  escalations: Array<{ contactIndex: number; reason: string; since: string }>;
  escalated: boolean;
};

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, peer, counsellor] = await Promise.all([w.client('administrator'), w.client('peer-specialist'), w.client('counsellor')]);
});
afterAll(async () => {
  await w?.close();
});

async function refer(body: Record<string, unknown>, c: Client = peer): Promise<Detail> {
  const r = await c.post('/api/v1/peer-outreach/referrals', { source: 'emergency-department', consent: true, contactMethod: 'phone', ...body });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Detail;
}
async function attempt(id: string, body: Record<string, unknown>, c: Client = peer): Promise<Detail> {
  const r = await c.post(`/api/v1/peer-outreach/referrals/${id}/attempts`, { method: 'phone', ...body });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Detail;
}
const escalationsOf = async (referralId: string) =>
  Number((await w.database.query<{ n: string | number }>('select count(*) as n from peer_outreach_escalations where referral_id = $1', [referralId]))[0]!.n);

describe('peer outreach', () => {
  it('referral → first contact logged → follow-ups scheduled', async () => {
    const r = await refer({ contactName: 'Jordan (fictional)', contactPhone: '+1 555 010 0123', referredAt: ago(2), assignToMe: true });
    expect(r.status).toBe('open');
    expect(r.assignedTo).toBe(peer.userId);
    expect(r.next).toMatchObject({ index: 0, kind: 'first', state: 'due', dueAt: new Date(Date.parse(ago(2)) + 24 * H).toISOString() });
    expect(r.contacts.slice(1).every((c) => c.dueAt === null && c.state === 'upcoming')).toBe(true);

    const after = await attempt(r.id, { outcome: 'reached', at: ago(1) });
    expect(after.contacts[0]).toMatchObject({ state: 'done' });
    expect(after.next).toMatchObject({ index: 1, day: 1, state: 'due', dueAt: new Date(Date.parse(ago(1)) + 24 * H).toISOString() });
    expect(after.contacts.map((c) => c.day)).toEqual([null, 1, 3, 7, 14, 30, 60, 90]);
    expect(after.contacts.slice(1).every((c) => c.dueAt !== null)).toBe(true);
    expect(after.attempts[0]).toMatchObject({ outcome: 'reached', contactIndex: 0, corrected: false });
    // no contact details in the audit trail's detail
    const audit = await w.database.query<{ detail: unknown }>("select detail from audit_events where entity in ('peer-referral', 'outreach-attempt') and entity_id = $1", [r.id]);
    expect(JSON.stringify(audit)).not.toContain('Jordan');
  });

  it('a patient referral takes the name from the chart; bad input names the field and writes nothing', async () => {
    const p = await admin.post('/api/v1/patients', newPatient('peer-1'));
    expect(p.statusCode, p.body).toBe(200);
    const patientId = (p.json() as { id: string }).id;
    const r = await refer({ patientId });
    expect(r.name).toContain('Testcasepeer1');
    const before = Number((await w.database.query<{ n: string | number }>('select count(*) as n from peer_referrals'))[0]!.n);
    expectProblem(await peer.post('/api/v1/peer-outreach/referrals', { source: 'hospital', consent: true, contactMethod: 'sms' }), 400, 'invalid_input', 'body.contactName');
    expectProblem(await peer.post('/api/v1/peer-outreach/referrals', { source: 'hospital', consent: true, contactName: 'X' }), 400, 'invalid_input', 'body.contactMethod');
    expectProblem(await peer.post('/api/v1/peer-outreach/referrals', { source: 'nowhere', consent: true, contactName: 'X' }), 400, 'invalid_input', 'body.source');
    expectProblem(
      await peer.post('/api/v1/peer-outreach/referrals', { source: 'hospital', consent: true, contactName: 'X', contactMethod: 'sms', referredAt: '2030-01-01T00:00:00Z' }),
      400,
      'invalid_input',
      'body.referredAt',
    );
    expectProblem(await peer.post('/api/v1/peer-outreach/referrals', { patientId: '00000000-0000-4000-8000-000000000000', source: 'hospital', consent: true, contactMethod: 'sms' }), 404);
    expect(Number((await w.database.query<{ n: string | number }>('select count(*) as n from peer_referrals'))[0]!.n)).toBe(before);
  });

  it('a patient’s referrals: filtered by patientId, open and closed with view=all, with their outcomes; the read is audited for that patient', async () => {
    const [a, b] = await Promise.all(['peer-2', 'peer-3'].map(async (n) => ((await admin.post('/api/v1/patients', newPatient(n))).json() as { id: string }).id));
    const open = await refer({ patientId: a, referredAt: ago(3) });
    const done = await refer({ patientId: a, referredAt: ago(48), assignToMe: true });
    expect((await peer.post(`/api/v1/peer-outreach/referrals/${done.id}/outcomes`, { kind: 'entered-treatment', occurredOn: '2026-03-03' })).statusCode).toBe(200);
    expect((await peer.post(`/api/v1/peer-outreach/referrals/${done.id}/outcomes`, { kind: 'moud-started', occurredOn: '2026-03-03' })).statusCode).toBe(200);
    expect((await peer.post(`/api/v1/peer-outreach/referrals/${done.id}/close`, { reason: 'in-treatment-elsewhere' })).statusCode).toBe(200);
    const other = await refer({ patientId: b });
    type Item = { id: string; patientId: string | null; status: string; outcomeKinds: string[] };
    const all = (await counsellor.get(`/api/v1/peer-outreach/referrals?view=all&patientId=${a}`)).json() as { items: Item[] };
    // the open one (a contact due) before the closed one
    expect(all.items.map((i) => i.id)).toEqual([open.id, done.id]);
    expect(all.items.map((i) => i.status)).toEqual(['open', 'closed']);
    // each kind once, in the fixed order (MOUD started first), whatever order they were recorded in
    expect(all.items[1]!.outcomeKinds).toEqual(['moud-started', 'entered-treatment']);
    expect(all.items[0]!.outcomeKinds).toEqual([]);
    const openOnly = (await peer.get(`/api/v1/peer-outreach/referrals?patientId=${a}`)).json() as { items: Item[] };
    expect(openOnly.items.map((i) => i.id)).toEqual([open.id]);
    const unfiltered = (await peer.get('/api/v1/peer-outreach/referrals?view=all&limit=200')).json() as { items: Item[] };
    expect(unfiltered.items.map((i) => i.id)).toEqual(expect.arrayContaining([open.id, done.id, other.id]));
    // the referral itself carries the outcome kinds too
    expect(((await peer.get(`/api/v1/peer-outreach/referrals/${done.id}`)).json() as Item).outcomeKinds).toEqual(['moud-started', 'entered-treatment']);
    expectProblem(await peer.get('/api/v1/peer-outreach/referrals?patientId=nope'), 400, 'invalid_input', 'querystring.patientId');
    expectProblem(await peer.get('/api/v1/peer-outreach/referrals?view=everything'), 400, 'invalid_input', 'querystring.view');
    const audit = await w.database.query<{ patient_id: string | null; purpose: string }>(
      "select patient_id, purpose from audit_events where entity = 'peer-outreach' and action = 'read' and patient_id = $1",
      [a],
    );
    expect(audit.length).toBe(2);
    expect(audit.every((x) => x.purpose === 'treatment')).toBe(true);
  });

  it('no answer asks for a retry; tries run out → missed; declined closes; a correction replaces an attempt', async () => {
    const r = await refer({ contactName: 'Sam (fictional)', referredAt: ago(10) });
    const a1 = await attempt(r.id, { outcome: 'no-answer', at: ago(9) });
    expect(a1.next).toMatchObject({ index: 0, tries: 1, retryBy: new Date(Date.parse(ago(9)) + 4 * H).toISOString() });
    // the peer who logged on an unassigned referral now holds it
    expect(a1.assignedTo).toBe(peer.userId);
    // a correction: it was voicemail, not no answer
    const fixed = await attempt(r.id, { outcome: 'voicemail', at: ago(9), corrects: a1.attempts[0]!.id });
    expect(fixed.attempts.find((a) => a.id === a1.attempts[0]!.id)).toMatchObject({ corrected: true, contactIndex: null });
    expect(fixed.next).toMatchObject({ tries: 1 });
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/attempts`, { method: 'phone', outcome: 'reached', corrects: a1.attempts[0]!.id }), 409, 'already_corrected');
    await attempt(r.id, { outcome: 'no-answer', at: ago(5) });
    const missed = await attempt(r.id, { outcome: 'wrong-number', at: ago(1) });
    expect(missed.contacts[0]).toMatchObject({ state: 'missed', tries: 3 });
    const declined = await attempt(r.id, { outcome: 'declined', method: 'sms' });
    expect(declined).toMatchObject({ status: 'closed', closedReason: 'declined', next: null });
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/attempts`, { method: 'phone', outcome: 'reached' }), 409, 'referral_closed');
  });

  it('assignment: a peer takes an unassigned referral; only a supervisor reassigns', async () => {
    const r = await refer({ contactName: 'Alex (fictional)' }, admin);
    expect(r.assignedTo).toBeNull();
    const took = await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/assign`, { userId: peer.userId });
    expect(took.statusCode, took.body).toBe(200);
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/assign`, { userId: null }), 409, 'assigned_to_another');
    expectProblem(await admin.post(`/api/v1/peer-outreach/referrals/${r.id}/assign`, { userId: counsellor.userId }), 400, 'invalid_input', 'body.userId');
    const back = await admin.post(`/api/v1/peer-outreach/referrals/${r.id}/assign`, { userId: admin.userId });
    expect(back.statusCode, back.body).toBe(200);
    // now another's: the peer cannot log on it
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/attempts`, { method: 'phone', outcome: 'reached' }), 409, 'assigned_to_another');
    // a counsellor reads but cannot write
    expect((await counsellor.get(`/api/v1/peer-outreach/referrals/${r.id}`)).statusCode).toBe(200);
    expect((await counsellor.post(`/api/v1/peer-outreach/referrals/${r.id}/attempts`, { method: 'phone', outcome: 'reached' })).statusCode).toBe(403);
  });

  it('outcomes are rows with a date and who recorded them; closing by hand', async () => {
    const r = await refer({ contactName: 'Robin (fictional)', assignToMe: true });
    for (const kind of ['moud-started', 'naloxone-received', 'moud-started']) {
      const o = await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/outcomes`, { kind, occurredOn: '2026-03-03' });
      expect(o.statusCode, o.body).toBe(200);
    }
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/outcomes`, { kind: 'moud-started', occurredOn: '2027-01-01' }), 400, 'invalid_input', 'body.occurredOn');
    const rows = await w.database.query<{ kind: string }>('select kind from peer_referral_outcomes where referral_id = $1 order by kind', [r.id]);
    expect(rows.map((x) => x.kind)).toEqual(['moud-started', 'naloxone-received']);
    const closed = await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/close`, { reason: 'in-treatment-elsewhere' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedReason: 'in-treatment-elsewhere' });
    expectProblem(await peer.post(`/api/v1/peer-outreach/referrals/${r.id}/close`, { reason: 'moved' }), 409, 'referral_closed');
  });

  it('settings: validated; new referrals follow them, existing ones keep theirs', async () => {
    const old = await refer({ contactName: 'Kim (fictional)' });
    expectProblem(
      await admin.put('/api/v1/peer-outreach/settings', { firstContactHours: 24, followUpDays: [3, 1], followUpsFrom: 'first-contact', retryHours: 4, maxTries: 3 }),
      400,
      'invalid_input',
      'body.followUpDays.1',
    );
    expect((await peer.put('/api/v1/peer-outreach/settings', { firstContactHours: 12, followUpDays: [2], followUpsFrom: 'referral', retryHours: 2, maxTries: 2 })).statusCode).toBe(403);
    const put = await admin.put('/api/v1/peer-outreach/settings', { firstContactHours: 12, followUpDays: [2, 5], followUpsFrom: 'referral', retryHours: 2, maxTries: 2 });
    expect(put.statusCode, put.body).toBe(200);
    const fresh = await refer({ contactName: 'Lee (fictional)' });
    expect(fresh.contacts.map((c) => c.day)).toEqual([null, 2, 5]);
    expect(fresh.next!.dueAt).toBe(new Date(w.clock.now.getTime() + 12 * H).toISOString());
    const again = (await peer.get(`/api/v1/peer-outreach/referrals/${old.id}`)).json() as Detail;
    expect(again.contacts).toHaveLength(8);
    await admin.put('/api/v1/peer-outreach/settings', { firstContactHours: 24, followUpDays: [1, 3, 7, 14, 30, 60, 90], followUpsFrom: 'first-contact', retryHours: 4, maxTries: 3 });
  });

  it('the work list: overdue first, then due by time; today; mine; paged', async () => {
    const overdue = await refer({ contactName: 'Overdue (fictional)', referredAt: ago(30), assignToMe: true });
    const soon = await refer({ contactName: 'Soon (fictional)', referredAt: ago(20), assignToMe: true });
    const list = (await peer.get('/api/v1/peer-outreach/referrals?mine=true&limit=200')).json() as { items: Array<{ id: string; next: Contact | null }> };
    const ids = list.items.map((i) => i.id);
    expect(ids.indexOf(overdue.id)).toBeLessThan(ids.indexOf(soon.id));
    expect(list.items[0]!.next!.state).toBe('overdue');
    const od = (await peer.get('/api/v1/peer-outreach/referrals?view=overdue&limit=200')).json() as { items: Array<{ id: string }> };
    expect(od.items.map((i) => i.id)).toContain(overdue.id);
    expect(od.items.map((i) => i.id)).not.toContain(soon.id);
    const today = (await peer.get('/api/v1/peer-outreach/referrals?view=today&limit=200')).json() as { items: Array<{ id: string }> };
    expect(today.items.map((i) => i.id)).toEqual(expect.arrayContaining([overdue.id]));
    const p1 = (await peer.get('/api/v1/peer-outreach/referrals?limit=1')).json() as { items: unknown[]; nextCursor: string | null };
    expect(p1.items).toHaveLength(1);
    const p2 = await peer.get(`/api/v1/peer-outreach/referrals?limit=1&cursor=${p1.nextCursor}`);
    expect(p2.statusCode).toBe(200);
    expectProblem(await peer.get('/api/v1/peer-outreach/referrals?cursor=nonsense'), 400, 'invalid_input', 'query.cursor');
  });

  it('the job escalates 10,000 overdue referrals (more parameters than one statement takes) once, then nothing new', async () => {
    const seed = await refer({ contactName: 'Many (fictional)', referredAt: ago(1) });
    // 9,999 copies of the referral under new ids: a busy programme after a long outage
    const [{ cols }] = (await w.database.query<{ cols: string }>(
      "select string_agg(quote_ident(column_name), ', ' order by ordinal_position) cols from information_schema.columns where table_name = 'peer_referrals' and column_name not in ('program_id', 'id')",
    )) as [{ cols: string }];
    await w.database.query(`insert into peer_referrals (program_id, id, ${cols}) select program_id, gen_random_uuid(), ${cols} from peer_referrals, generate_series(1, 9999) where id = $1`, [seed.id]);
    const late = new Date(w.clock.now.getTime() + 30 * 24 * H);
    const report = await escalateOverdue(w.database.db, late);
    const n = Number(
      (
        await w.database.query<{ n: string }>('select count(distinct referral_id) n from peer_outreach_escalations where referral_id in (select id from peer_referrals where contact_name = $1)', [
          'Many (fictional)',
        ])
      )[0]!.n,
    );
    expect(n).toBe(10_000);
    expect(report.escalated).toBeGreaterThanOrEqual(10_000);
    expect((await escalateOverdue(w.database.db, late)).escalated).toBe(0);
    // leave the other tests their own data: the supervisors' list shows the oldest escalations first
    await w.database.query("delete from peer_outreach_escalations where referral_id in (select id from peer_referrals where contact_name = 'Many (fictional)')");
    await w.database.query("delete from peer_referrals where contact_name = 'Many (fictional)'");
  }, 120_000);

  it('the job escalates an overdue contact once; after downtime one late run catches up exactly once', async () => {
    const r = await refer({ contactName: 'Casey (fictional)', referredAt: ago(1), assignToMe: true });
    await escalateOverdue(w.database.db, w.clock.now);
    expect(await escalationsOf(r.id)).toBe(0);
    // on time: the first contact becomes overdue at +23 h; the job runs every 10 minutes
    const first = new Date(Date.parse(ago(1)) + 24 * H + 10 * 60_000);
    await escalateOverdue(w.database.db, first);
    await escalateOverdue(w.database.db, new Date(first.getTime() + 10 * 60_000));
    expect(await escalationsOf(r.id)).toBe(1);
    const rows = await w.database.query<{ contact_index: number; reason: string; since: Date | string }>('select contact_index, reason, since from peer_outreach_escalations where referral_id = $1', [
      r.id,
    ]);
    expect(rows[0]).toMatchObject({ contact_index: 0, reason: 'overdue' });
    expect(new Date(rows[0]!.since).toISOString()).toBe(new Date(Date.parse(ago(1)) + 24 * H).toISOString());

    // another referral, contacted, then the server is down for 10 days: one run catches up
    const d = await refer({ contactName: 'Drew (fictional)', referredAt: ago(3), assignToMe: true });
    await attempt(d.id, { outcome: 'reached', at: ago(2) });
    const late = new Date(w.clock.now.getTime() + 10 * 24 * H);
    const report = await escalateOverdue(w.database.db, late);
    expect(report.escalated).toBeGreaterThan(0);
    // day 1 and day 3 follow-ups were missed (superseded), day 7 is overdue: three escalations, once each
    const got = await w.database.query<{ contact_index: number; reason: string }>('select contact_index, reason from peer_outreach_escalations where referral_id = $1 order by contact_index', [d.id]);
    expect(got).toEqual([
      { contact_index: 1, reason: 'missed' },
      { contact_index: 2, reason: 'missed' },
      { contact_index: 3, reason: 'overdue' },
    ]);
    await escalateOverdue(w.database.db, late);
    expect(await escalationsOf(d.id)).toBe(3);

    // the supervisor's list; a peer cannot read it; acknowledging once
    expect((await peer.get('/api/v1/peer-outreach/escalations')).statusCode).toBe(403);
    const list = (await admin.get('/api/v1/peer-outreach/escalations?limit=200')).json() as { items: Array<{ id: string; referralId: string; name: string }> };
    const mine = list.items.filter((e) => e.referralId === d.id);
    expect(mine).toHaveLength(3);
    const ack = await admin.post(`/api/v1/peer-outreach/escalations/${mine[0]!.id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expectProblem(await admin.post(`/api/v1/peer-outreach/escalations/${mine[0]!.id}/acknowledge`), 409, 'already_acknowledged');
    const esc = (await peer.get('/api/v1/peer-outreach/referrals?view=escalated&limit=200')).json() as { items: Array<{ id: string }> };
    expect(esc.items.map((i) => i.id)).toContain(d.id);
  });
});
