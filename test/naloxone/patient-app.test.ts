// The patient's own naloxone in the patient app (GET /api/patient/naloxone; PGlite by default,
// PostgreSQL with TEST_DATABASE_URL): a patient sees only the kits given to them (not another
// patient's, not a family member's kit given on their behalf, not another programme's), the
// one that expires last first, "ask for a new one" when expired or within 30 days of the
// programme's today, training, an audit row for the read; staff sessions are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { activatePhone, unlockPhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
let adminB: Client;
const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, adminB] = await Promise.all([w.client('administrator'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

type Own = { today: string; kits: Array<{ product: string; givenOn: string; expiresOn: string; trained: boolean; expired: boolean; askForNew: boolean }>; trained: boolean };

async function phoneOf(c: Client, patientId: string): Promise<Phone> {
  const invite = await c.post(`/api/v1/patients/${patientId}/app-invites`);
  expect(invite.statusCode, invite.body).toBe(200);
  return activatePhone(w.app, (invite.json() as { code: string }).code);
}
const mine = (phone: Phone) => w.app.inject({ method: 'GET', url: '/api/patient/naloxone', headers: { cookie: phone.cookie } });
async function lot(c: Client, lotNumber: string, expiresOn: string) {
  const r = await c.post('/api/v1/naloxone/lots', { product: 'nasal-4mg', lotNumber, expiresOn, quantity: 10, receivedOn: '2025-01-02' });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
}
async function kit(c: Client, body: object) {
  const r = await c.post('/api/v1/naloxone/kits', body);
  expect(r.statusCode, r.body).toBe(200);
}
const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);

describe('the patient’s own naloxone (patient app)', () => {
  let other: string;
  let phoneA: Phone;
  let phoneOther: Phone;
  let phoneB: Phone;

  beforeAll(async () => {
    const created = await admin.post('/api/v1/patients', { mrn: 'A-0100', legalGivenName: 'Other', legalFamilyName: 'Patient', birthDate: '1990-02-02', confirmNotDuplicate: true });
    expect(created.statusCode, created.body).toBe(200);
    other = (created.json() as { id: string }).id;
    [phoneA, phoneOther, phoneB] = await Promise.all([phoneOf(admin, w.patientA), phoneOf(admin, other), phoneOf(adminB, w.patientB)]);
  });

  it('a patient with no kit sees none', async () => {
    const r = await mine(phoneA);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ today: '2026-03-04', kits: [], trained: false });
  });

  it('sees only their own kits, the one that expires last first, with "ask for a new one" within 30 days', async () => {
    const soon = await lot(admin, 'SOON', '2026-04-03'); // 30 days from today
    const later = await lot(admin, 'LATER', '2026-04-04'); // 31 days
    const far = await lot(admin, 'FAR', '2027-06-30');
    await kit(admin, { lotId: soon, recipient: { kind: 'patient', patientId: w.patientA }, givenOn: '2026-02-01' });
    // a family member's kit for patient A is the family member's, not A's
    await kit(admin, { lotId: far, recipient: { kind: 'family', firstName: 'Rosa', forPatientId: w.patientA }, trainingSteps: ['give-naloxone'] });
    // the other patient's kit, with training
    await kit(admin, { lotId: far, recipient: { kind: 'patient', patientId: other }, trainingSteps: ['call-for-help', 'give-naloxone'] });
    // programme B's patient
    const bLot = await lot(adminB, 'B-LOT', '2027-01-01');
    await kit(adminB, { lotId: bLot, recipient: { kind: 'patient', patientId: w.patientB } });

    let own = (await mine(phoneA)).json() as Own;
    expect(own.kits).toEqual([{ product: 'nasal-4mg', givenOn: '2026-02-01', expiresOn: '2026-04-03', trained: false, expired: false, askForNew: true }]);
    expect(own.trained).toBe(false);

    await kit(admin, { lotId: later, recipient: { kind: 'patient', patientId: w.patientA }, givenOn: '2026-01-15', trainingSteps: ['call-for-help'] });
    own = (await mine(phoneA)).json() as Own;
    expect(own.kits.map((k) => [k.expiresOn, k.askForNew, k.trained])).toEqual([
      ['2026-04-04', false, true], // 31 days left: not yet
      ['2026-04-03', true, false],
    ]);
    expect(own.trained).toBe(true);

    const others = (await mine(phoneOther)).json() as Own;
    expect(others.kits.map((k) => k.expiresOn)).toEqual(['2027-06-30']);
    expect(others.trained).toBe(true);
    const b = (await mine(phoneB)).json() as Own;
    expect(b.kits.map((k) => k.expiresOn)).toEqual(['2027-01-01']);
    // no lot numbers, no staff names, no other patient's anything
    for (const body of [JSON.stringify(own), JSON.stringify(others), JSON.stringify(b)]) expect(body).not.toMatch(/SOON|LATER|FAR|B-LOT|Rosa|patientId/);
  });

  it('says expired after the expiry day, judged on the programme’s date', async () => {
    w.clock.advance(31 * 86_400_000); // 2026-04-04
    const { cookie } = await unlockPhone(w.app, phoneA); // the idle lock ended the session
    expect(cookie).not.toBe('');
    const own = (await mine(phoneA)).json() as Own;
    expect(own.today).toBe('2026-04-04');
    expect(own.kits.map((k) => [k.expiresOn, k.expired, k.askForNew])).toEqual([
      ['2026-04-04', false, true], // its last day
      ['2026-04-03', true, true],
    ]);
  });

  it('every read is audited as the patient’s own', async () => {
    const rows = await w.database.query<{ patient_id: string; actor_role: string; detail: { view: string } }>(
      "select patient_id, actor_role, detail from audit_events where entity = 'naloxone' and action = 'read' order by at",
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.actor_role === 'patient' && r.detail.view === 'patient-app')).toBe(true);
    expect(new Set(rows.map((r) => r.patient_id))).toEqual(new Set([w.patientA, other, w.patientB]));
  });

  it('refuses staff sessions and no session at all', async () => {
    expect((await admin.get('/api/patient/naloxone')).statusCode).toBe(401);
    expect((await w.app.inject({ method: 'GET', url: '/api/patient/naloxone' })).statusCode).toBe(401);
    expect(await count("select count(*) as n from audit_events where entity = 'naloxone' and action = 'read' and actor_role <> 'patient'")).toBe(0);
  });
});
