// Behavioural couples therapy and network therapy through the HTTP API (issue 16, docs/family.md;
// PGlite by default, PostgreSQL with TEST_DATABASE_URL): a recovery contract is refused naming its
// fields (no trust discussion, a future start, a partner not linked or not a partner), one is open
// per patient (a new one ends the old); the calendar; the patient, the partner and staff record
// days (never a future day, never before the start); the partner sees only their own days
// without a consent, and with a consent covering 'family-work' sees the patient's days, each view
// a recorded disclosure in the accounting; the network's members, meetings and witnessed doses
// with adherence; another programme sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let counsellor: Client;
let peer: Client;
let adminB: Client;
const NOW = '2026-03-18T15:00:00Z'; // 2026-03-18 in New York
const TODAY = '2026-03-18';

let partnerId: string;
let sisterId: string;
let partnerPhone: Phone;
let sisterPhone: Phone;
let patientPhone: Phone;

const family = async (displayName: string, relationship: string) => {
  const r = await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName, relationship });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { items: Array<{ id: string; displayName: string }> }).items.find((m) => m.displayName === displayName)!.id;
};
const phoneOf = async (url: string) => activatePhone(w.app, ((await counsellor.post(url)).json() as { code: string }).code);
const app = (phone: Phone, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
  w.app.inject({ method, url, headers: { cookie: phone.cookie }, ...(payload ? { payload: payload as object } : {}) });
const disclosures = async () => Number((await w.database.query<{ n: string }>(`select count(*) n from disclosures where patient_id = $1`, [w.patientA]))[0]!.n);

type Contract = { id: string; status: string; terms: string[]; startsOn: string; endedOn: string | null; summary: { daysSoFar: number; daysHeld: number; percentHeld: number | null; streak: number } };
type Day = { day: string; status: string; medicationWitnessed: boolean | null; recordedBy: string | null };
type Calendar = { days: Day[]; summary: Contract['summary'] };
type FamilyView = {
  today: string;
  contracts: Array<{ id: string; shared: boolean; firstName: string | null; calendar: Calendar; notice: unknown }>;
  memberships: Array<{ id: string; myDoses: Array<{ day: string; taken: boolean }> }>;
};

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [counsellor, peer, adminB] = await Promise.all([w.client('counsellor'), w.client('peer-specialist'), w.client('adminB')]);
  partnerId = await family('Sam (fictional partner)', 'partner');
  sisterId = await family('Rita (fictional sister)', 'sibling');
  partnerPhone = await phoneOf(`/api/v1/patients/${w.patientA}/family/${partnerId}/invite`);
  sisterPhone = await phoneOf(`/api/v1/patients/${w.patientA}/family/${sisterId}/invite`);
  patientPhone = await phoneOf(`/api/v1/patients/${w.patientA}/app-invites`);
});
afterAll(async () => {
  await w?.close();
});

describe('the recovery contract', () => {
  let first: Contract;
  let contract: Contract;

  it('refuses a contract without the trust discussion, starting in the future, or with a partner who is not one, naming the field, and writes nothing', async () => {
    const url = `/api/v1/patients/${w.patientA}/recovery-contracts`;
    const before = Number((await w.database.query<{ n: string }>('select count(*) n from recovery_contracts'))[0]!.n);
    expectProblem(await counsellor.post(url, { familyMemberId: partnerId, terms: ['drug-screens'] }), 400, 'invalid_contract', 'body.terms');
    expectProblem(await counsellor.post(url, { familyMemberId: partnerId, terms: ['trust-discussion', 'hugs'] }), 400, 'invalid_contract', 'body.terms');
    expectProblem(await counsellor.post(url, { familyMemberId: partnerId, terms: ['trust-discussion'], startsOn: '2026-03-19' }), 400, 'invalid_contract', 'body.startsOn');
    expectProblem(await counsellor.post(url, { familyMemberId: partnerId, terms: ['trust-discussion'], startsOn: 'soon' }), 400, undefined, 'body.startsOn');
    expectProblem(await counsellor.post(url, { familyMemberId: sisterId, terms: ['trust-discussion'] }), 400, 'invalid_contract', 'body.familyMemberId');
    expectProblem(await counsellor.post(url, { familyMemberId: '00000000-0000-4000-8000-000000000000', terms: ['trust-discussion'] }), 404, 'not_found', 'body.familyMemberId');
    expectProblem(await counsellor.post(url, { familyMemberId: partnerId, terms: ['trust-discussion'], extra: 1 }), 400);
    expectProblem(await peer.post(url, { familyMemberId: partnerId, terms: ['trust-discussion'] }), 403);
    expect(Number((await w.database.query<{ n: string }>('select count(*) n from recovery_contracts'))[0]!.n)).toBe(before);
  });

  it('writes one; a new one ends the old (one open contract per patient)', async () => {
    const url = `/api/v1/patients/${w.patientA}/recovery-contracts`;
    const r1 = await counsellor.post(url, { familyMemberId: partnerId, terms: ['trust-discussion'], startsOn: '2026-03-01' });
    expect(r1.statusCode, r1.body).toBe(200);
    first = r1.json() as Contract;
    const r2 = await counsellor.post(url, {
      familyMemberId: partnerId,
      terms: ['medication-witnessed', 'trust-discussion', 'drug-screens'],
      ownTerms: 'We walk after dinner.',
      startsOn: '2026-03-05',
    });
    expect(r2.statusCode, r2.body).toBe(200);
    contract = r2.json() as Contract;
    expect(contract.terms).toEqual(['trust-discussion', 'medication-witnessed', 'drug-screens']);
    const list = (await counsellor.get(url)).json() as { items: Contract[] };
    expect(list.items.map((c) => [c.id, c.status])).toEqual([
      [contract.id, 'open'],
      [first.id, 'ended'],
    ]);
    expect(list.items[1]!.endedOn).toBe(TODAY);
    expectProblem(await counsellor.post(`${url}/${first.id}/end`), 409, 'contract_ended');
  });

  it('the patient, the partner and staff record days; never a future day or one before the start', async () => {
    const base = `/api/v1/patients/${w.patientA}/recovery-contracts/${contract.id}`;
    for (const day of ['2026-03-14', '2026-03-15', '2026-03-16']) expect((await counsellor.put(`${base}/days/${day}`, { held: true, medicationWitnessed: true })).statusCode).toBe(200);
    expect((await counsellor.put(`${base}/days/2026-03-10`, { held: false })).statusCode).toBe(200);
    expectProblem(await counsellor.put(`${base}/days/2026-03-19`, { held: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await counsellor.put(`${base}/days/2026-03-04`, { held: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await counsellor.put(`${base}/days/2026-03-12`, {}), 400, undefined, 'body.held');
    // the patient keeps the calendar too
    const p = await app(patientPhone, 'PUT', '/api/patient/together/days/2026-03-17', { held: true });
    expect(p.statusCode, p.body).toBe(200);
    expectProblem(await app(patientPhone, 'PUT', '/api/patient/together/days/2026-03-19', { held: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await app(patientPhone, 'PUT', '/api/patient/together/days/2026-03-17', { held: true, medicationWitnessed: true }), 400);
    // the partner marks today
    const t = await app(partnerPhone, 'PUT', `/api/patient/family/together/contracts/${contract.id}/days/${TODAY}`, { held: true, medicationWitnessed: true });
    expect(t.statusCode, t.body).toBe(200);
    expectProblem(await app(partnerPhone, 'PUT', `/api/patient/family/together/contracts/${contract.id}/days/2026-03-19`, { held: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await app(partnerPhone, 'PUT', `/api/patient/family/together/contracts/${contract.id}/days/2026-03-02`, { held: true }), 400, 'invalid_input', 'params.day');
    // not their contract, or an ended one
    expectProblem(await app(sisterPhone, 'PUT', `/api/patient/family/together/contracts/${contract.id}/days/${TODAY}`, { held: true }), 404);
    expectProblem(await app(partnerPhone, 'PUT', `/api/patient/family/together/contracts/${first.id}/days/${TODAY}`, { held: true }), 409, 'contract_ended');
    // a contract without the medicine part refuses the medicine answer
    expect((await app(partnerPhone, 'GET', '/api/patient/family/together')).statusCode).toBe(200);
  });

  it('the calendar shows each day, the streak and the share of days held', async () => {
    const r = await counsellor.get(`/api/v1/patients/${w.patientA}/recovery-contracts/${contract.id}/calendar?month=2026-03`);
    expect(r.statusCode, r.body).toBe(200);
    const cal = r.json() as Calendar;
    const at = (d: string) => cal.days.find((x) => x.day === d)!;
    expect(cal.days).toHaveLength(31);
    expect(at('2026-03-04').status).toBe('before-start');
    expect(at('2026-03-10')).toMatchObject({ status: 'not-held', recordedBy: 'staff' });
    expect(at('2026-03-11').status).toBe('unrecorded');
    expect(at('2026-03-14')).toMatchObject({ status: 'held', medicationWitnessed: true });
    expect(at('2026-03-17')).toMatchObject({ status: 'held', recordedBy: 'patient' });
    expect(at(TODAY)).toMatchObject({ status: 'held', recordedBy: 'partner', medicationWitnessed: true });
    expect(at('2026-03-19').status).toBe('future');
    // 5..18 March: 14 days, 5 held, streak 14..18 = 5
    expect(cal.summary).toEqual({ daysSoFar: 14, daysHeld: 5, percentHeld: 36, streak: 5 });
    expectProblem(await counsellor.get(`/api/v1/patients/${w.patientA}/recovery-contracts/${contract.id}/calendar?month=March`), 400, undefined, 'querystring.month');
    const mine = (await app(patientPhone, 'GET', '/api/patient/together')).json() as { contract: { id: string; partnerName: string; calendar: Calendar } };
    expect(mine.contract.id).toBe(contract.id);
    expect(mine.contract.partnerName).toBe('Sam (fictional partner)');
    expect(mine.contract.calendar.summary.streak).toBe(5);
  });

  it('without a consent the partner sees only the days they marked, and nothing is disclosed', async () => {
    const before = await disclosures();
    const r = await app(partnerPhone, 'GET', '/api/patient/family/together');
    expect(r.statusCode, r.body).toBe(200);
    const v = r.json() as FamilyView;
    expect(v.contracts).toHaveLength(1);
    const c = v.contracts[0]!;
    expect(c).toMatchObject({ id: contract.id, shared: false, firstName: null, notice: null });
    expect(c.calendar.days.filter((d) => d.recordedBy !== null).map((d) => [d.day, d.recordedBy])).toEqual([[TODAY, 'partner']]);
    expect(c.calendar.days.find((d) => d.day === '2026-03-17')!.status).toBe('unrecorded');
    expect(r.body).not.toContain('Alder');
    expect(await disclosures()).toBe(before);
    // the sister is not the partner: no contract at all
    expect(((await app(sisterPhone, 'GET', '/api/patient/family/together')).json() as FamilyView).contracts).toEqual([]);
  });

  it('with a consent covering family work the partner sees the patient’s days, with the notice, each view a recorded disclosure', async () => {
    const consent = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, {
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId: partnerId },
      purposes: ['family-support'],
      dataClasses: ['family-work'],
      dataDescription: 'Our trust talk calendar.',
      expiry: { kind: 'end-of-treatment' },
      paper: { signerName: 'Alder Example', signedOn: TODAY, scan: { contentType: 'image/png', base64: 'ZGVtbw==' } },
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const before = await disclosures();
    const v = (await app(partnerPhone, 'GET', '/api/patient/family/together')).json() as FamilyView;
    const c = v.contracts[0]!;
    expect(c).toMatchObject({ shared: true, firstName: 'Alder' });
    expect(c.notice).toBeTruthy();
    expect(c.calendar.days.find((d) => d.day === '2026-03-17')).toMatchObject({ status: 'held', recordedBy: 'patient' });
    expect(c.calendar.summary.daysHeld).toBe(5);
    expect(await disclosures()).toBe(before + 1);
    const acc = (await counsellor.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Array<{ channel: string; dataClasses: string[]; recipient: { name: string } }> };
    expect(acc.items[0]).toMatchObject({ channel: 'family-view', dataClasses: ['family-work'], recipient: { name: 'Sam (fictional partner)' } });
    // the patient revokes: the next view shows only the partner's own days, and is not recorded
    const id = (consent.json() as { id: string }).id;
    expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${id}/revoke`, {})).statusCode).toBe(200);
    const after = (await app(partnerPhone, 'GET', '/api/patient/family/together')).json() as FamilyView;
    expect(after.contracts[0]!.shared).toBe(false);
    expect(await disclosures()).toBe(before + 1);
  });

  it('ends; no day can be recorded on an ended contract', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/recovery-contracts/${contract.id}/end`);
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as Contract).status).toBe('ended');
    expectProblem(await app(patientPhone, 'PUT', `/api/patient/together/days/${TODAY}`, { held: true }), 404);
    expect(((await app(patientPhone, 'GET', '/api/patient/together')).json() as { contract: unknown }).contract).toBeNull();
  });
});

describe('the network', () => {
  let sisterMember: string;
  let friendMember: string;

  it('adds members (a linked family member with the app, or just a name); a member who is not linked is refused', async () => {
    const url = `/api/v1/patients/${w.patientA}/network-members`;
    const a = await counsellor.post(url, { familyMemberId: sisterId, relationship: 'sister', role: 'Sees the morning dose', joinedOn: '2026-03-01' });
    expect(a.statusCode, a.body).toBe(200);
    const b = await counsellor.post(url, { displayName: 'Lou (fictional friend)', relationship: 'friend', joinedOn: '2026-03-01' });
    expect(b.statusCode, b.body).toBe(200);
    const items = (b.json() as { items: Array<{ id: string; displayName: string; familyMemberId: string | null }> }).items;
    sisterMember = items.find((m) => m.familyMemberId === sisterId)!.id;
    friendMember = items.find((m) => m.displayName === 'Lou (fictional friend)')!.id;
    expect(items.find((m) => m.id === sisterMember)!.displayName).toBe('Rita (fictional sister)');
    expectProblem(await counsellor.post(url, { familyMemberId: sisterId, relationship: 'sister' }), 409, 'already_member');
    expectProblem(await counsellor.post(url, { relationship: 'friend' }), 400, 'invalid_input', 'body.displayName');
    expectProblem(await counsellor.post(url, { displayName: 'X', relationship: 'friend', joinedOn: '2026-04-01' }), 400, 'invalid_input', 'body.joinedOn');
    expectProblem(await counsellor.post(url, { familyMemberId: '00000000-0000-4000-8000-000000000000', relationship: 'x' }), 404, 'not_found', 'body.familyMemberId');
  });

  it('records a meeting with members as attendees', async () => {
    const url = `/api/v1/patients/${w.patientA}/network-meetings`;
    expectProblem(await counsellor.post(url, { heldOn: '2026-03-12', attendees: ['00000000-0000-4000-8000-000000000000'] }), 400, 'invalid_input', 'body.attendees');
    expectProblem(await counsellor.post(url, { heldOn: '2026-03-20', attendees: [sisterMember] }), 400, 'invalid_input', 'body.heldOn');
    const r = await counsellor.post(url, { heldOn: '2026-03-12', attendees: [sisterMember, friendMember], note: 'Planned who sees the dose.' });
    expect(r.statusCode, r.body).toBe(200);
    const m = (r.json() as { items: Array<{ attendees: Array<{ displayName: string }> }> }).items[0]!;
    expect(m.attendees.map((a) => a.displayName)).toEqual(['Rita (fictional sister)', 'Lou (fictional friend)']);
  });

  it('witnessed doses: the member’s app and staff; one per member and day (again updates); adherence over 28 days', async () => {
    for (const day of ['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-15', '2026-03-16', '2026-03-17']) {
      const r = await app(sisterPhone, 'PUT', `/api/patient/family/together/network/${sisterMember}/doses/${day}`, { taken: true });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await app(sisterPhone, 'PUT', `/api/patient/family/together/network/${sisterMember}/doses/2026-03-14`, { taken: false })).statusCode).toBe(200);
    expectProblem(await app(sisterPhone, 'PUT', `/api/patient/family/together/network/${sisterMember}/doses/2026-03-19`, { taken: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await app(sisterPhone, 'PUT', `/api/patient/family/together/network/${sisterMember}/doses/2026-02-27`, { taken: true }), 400, 'invalid_input', 'params.day');
    expectProblem(await app(partnerPhone, 'PUT', `/api/patient/family/together/network/${sisterMember}/doses/${TODAY}`, { taken: true }), 404);
    // staff: the friend (no app) told the counsellor about the 14th; the same day again updates
    const url = `/api/v1/patients/${w.patientA}/witnessed-doses`;
    expect((await counsellor.post(url, { networkMemberId: friendMember, day: '2026-03-14', taken: false })).statusCode).toBe(200);
    const r = await counsellor.post(url, { networkMemberId: friendMember, day: '2026-03-14', taken: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(Number((await w.database.query<{ n: string }>('select count(*) n from witnessed_doses where network_member_id = $1', [friendMember]))[0]!.n)).toBe(1);
    expectProblem(await counsellor.post(url, { networkMemberId: friendMember, day: '2026-03-19', taken: true }), 400, 'invalid_input', 'body.day');
    const list = (await counsellor.get(url)).json() as { items: Array<{ day: string; source: string }>; adherence: Record<string, unknown> };
    expect(list.items).toHaveLength(9);
    // 1..18 March (the network began on the 1st): 18 days; taken 10..17 (14th by the friend) = 8; longest run 8
    expect(list.adherence).toMatchObject({ from: '2026-03-01', to: TODAY, days: 18, daysTaken: 8, daysMissed: 0, percentTaken: 44, longestRun: 8, currentRun: 8 });
    expectProblem(await counsellor.get(`${url}?from=2026-03-18&to=2026-03-01`), 400, 'invalid_input', 'querystring.from');
    // the member sees the doses they reported (their own record)
    const v = (await app(sisterPhone, 'GET', '/api/patient/family/together')).json() as FamilyView;
    expect(v.memberships).toHaveLength(1);
    expect(v.memberships[0]!.myDoses).toHaveLength(8);
  });

  it('a member leaves; then reports after that day are refused', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/network-members/${friendMember}/leave`, {});
    expect(r.statusCode, r.body).toBe(200);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/network-members/${friendMember}/leave`, {}), 409, 'already_left');
  });

  it('another programme sees none of it', async () => {
    for (const url of [
      `/api/v1/patients/${w.patientA}/recovery-contracts`,
      `/api/v1/patients/${w.patientA}/network-members`,
      `/api/v1/patients/${w.patientA}/network-meetings`,
      `/api/v1/patients/${w.patientA}/witnessed-doses`,
    ])
      expectProblem(await adminB.get(url), 404);
    expectProblem(await adminB.post(`/api/v1/patients/${w.patientA}/network-members/${sisterMember}/leave`, {}), 404);
  });
});
