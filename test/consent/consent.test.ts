// 42 CFR Part 2 consent, disclosures and the family member's app through the HTTP API (PGlite by
// default, PostgreSQL with TEST_DATABASE_URL): a consent missing a required element is refused
// naming the field; a family member linked to a patient sees nothing without a consent, exactly
// the consented kinds of information with the notice once it is signed, every view recorded in
// the accounting; revocation takes effect on the very next view; an expired (date, end of
// treatment) or ended consent stops sharing; staff disclosures to an outside organisation need a
// covering consent (or the emergency exception with a reason, flagged for review); the
// accounting (JSON and CSV); the patient notice; a family member's session is refused on
// patient routes and a patient's on family routes; another programme sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, unlockPhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
let counsellor: Client;
let peer: Client;
let adminB: Client;
const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor, peer, adminB] = await Promise.all([w.client('administrator'), w.client('counsellor'), w.client('peer-specialist'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await w.database.query<{ n: string | number }>(sql, params))[0]?.n ?? 0);
type Consent = { id: string; status: string; text: Array<{ heading: string; body: string }>; recipient: { kind: string; name?: string }; expiresAt: string | null; signatureMethod: string | null };
type Card = { patientId: string; firstName: string; dataClasses: string[]; summary: Record<string, unknown>; notice: { statement: string; plain: string } };

const familyConsent = (familyMemberId: string, extra: Record<string, unknown> = {}) => ({
  template: 'family',
  language: 'en',
  recipient: { kind: 'family-member', familyMemberId },
  purposes: ['family-support'],
  dataClasses: ['appointments', 'check-ins'],
  dataDescription: 'Only my next visit and my check-in streak.',
  expiry: { kind: 'date', on: '2026-12-31' },
  paper: { signerName: 'Alex Example', signedOn: '2026-03-04', scan: { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4 fictional scan').toString('base64') } },
  ...extra,
});
const familyMember = {} as { id: string; phone: Phone };
const shared = (phone: Phone) => w.app.inject({ method: 'GET', url: '/api/patient/family/shared', headers: { cookie: phone.cookie } });
const sharedOne = (phone: Phone, patientId: string) => w.app.inject({ method: 'GET', url: `/api/patient/family/shared/${patientId}`, headers: { cookie: phone.cookie } });

describe('consents and the family member’s view', () => {
  let memberId: string;
  let phone: Phone;
  let consent: Consent;
  afterAll(() => {
    familyMember.id = memberId;
    familyMember.phone = phone;
  });

  it('adds a family member; the link alone shares nothing', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Sam Example (fictional)', relationship: 'sibling', phone: '(555) 010-2233', language: 'en' });
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json() as { items: Array<{ id: string; phone: string; consentedDataClasses: string[] }> };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.phone).toBe('+15550102233');
    expect(list.items[0]!.consentedDataClasses).toEqual([]);
    memberId = list.items[0]!.id;
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'X', relationship: 'sibling', phone: 'call me' }), 400, 'invalid_input', 'body.phone');

    const invite = await counsellor.post(`/api/v1/patients/${w.patientA}/family/${memberId}/invite`);
    expect(invite.statusCode, invite.body).toBe(200);
    phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
    const s = await shared(phone);
    expect(s.statusCode, s.body).toBe(200);
    expect((s.json() as { items: Card[] }).items).toEqual([]);
    expectProblem(await sharedOne(phone, w.patientA), 403, 'consent_required');
    expect(await count(`select count(*) n from disclosures where patient_id = $1`, [w.patientA])).toBe(0);
  });

  it('refuses a consent missing what §2.31 requires, naming the field, and writes nothing', async () => {
    const before = await count(`select count(*) n from consents`);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(memberId, { expiry: { kind: 'none' } })), 400, 'invalid_consent', 'body.expiry');
    expectProblem(
      await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(memberId, { dataClasses: ['appointments', 'counselling-notes'] })),
      400,
      'invalid_consent',
      'body.dataClasses',
    );
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(memberId, { expiry: { kind: 'date', on: '2026-03-01' } })), 400, 'invalid_consent', 'body.expiry.on');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(memberId, { template: 'tpo' })), 400, 'invalid_input', 'body.recipient.kind');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, { ...familyConsent(memberId), purposes: [] }), 400, undefined, 'body.purposes');
    expect(await count(`select count(*) n from consents`)).toBe(before);
  });

  it('a signed consent shows exactly the consented information with the notice; each view is a recorded disclosure', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(memberId));
    expect(r.statusCode, r.body).toBe(200);
    consent = r.json() as Consent;
    expect(consent).toMatchObject({ status: 'active', signatureMethod: 'paper', recipient: { kind: 'family-member', name: 'Sam Example (fictional)' } });
    expect(consent.text.map((t) => t.heading)).toEqual(
      expect.arrayContaining(['Patient', 'Who may share', 'What may be shared', 'Who may get it', 'Why', 'Taking it back', 'When it ends', 'Signature']),
    );
    const scan = await counsellor.get(`/api/v1/patients/${w.patientA}/consents/${consent.id}/scan`);
    expect(scan.statusCode).toBe(200);
    expect(scan.headers['content-type']).toBe('application/pdf');

    const s = await shared(phone);
    expect(s.statusCode, s.body).toBe(200);
    const cards = (s.json() as { items: Card[] }).items;
    expect(cards).toHaveLength(1);
    expect(cards[0]!.dataClasses).toEqual(['appointments', 'check-ins']);
    expect(Object.keys(cards[0]!.summary).sort()).toEqual(['checkInStreak', 'nextAppointment']); // nothing else: no rewards, no safety plan
    expect(cards[0]!.notice.statement).toBe('42 CFR part 2 prohibits unauthorized use or disclosure of these records.');
    expect((await sharedOne(phone, w.patientA)).statusCode).toBe(200);

    const acc = await counsellor.get(`/api/v1/patients/${w.patientA}/disclosures`);
    expect(acc.statusCode, acc.body).toBe(200);
    const items = (acc.json() as { items: Array<{ channel: string; consentId: string; recipient: { name: string }; dataClasses: string[]; by: string }> }).items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      channel: 'family-view',
      consentId: consent.id,
      recipient: { name: 'Sam Example (fictional)' },
      dataClasses: ['appointments', 'check-ins'],
      by: 'Viewed in the family app',
    });
    const listed = await counsellor.get(`/api/v1/patients/${w.patientA}/family`);
    expect((listed.json() as { items: Array<{ consentedDataClasses: string[] }> }).items[0]!.consentedDataClasses).toEqual(['appointments', 'check-ins']);
  });

  it('the family member’s session is refused on patient routes, and a patient’s on family routes', async () => {
    expectProblem(await w.app.inject({ method: 'GET', url: '/api/patient/today', headers: { cookie: phone.cookie } }), 403, 'not_for_family');
    const invite = await admin.post(`/api/v1/patients/${w.patientA}/app-invites`);
    const patientPhone = await activatePhone(w.app, (invite.json() as { code: string }).code);
    expectProblem(await shared(patientPhone), 403, 'not_for_patients');
    expect((await w.app.inject({ method: 'GET', url: '/api/patient/family/me', headers: { cookie: phone.cookie } })).json()).toMatchObject({ displayName: 'Sam Example (fictional)', language: 'en' });
  });

  it('revocation takes effect on the very next view; the consent stays on record', async () => {
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${consent.id}/revoke`, { note: 'Told the counselor at the visit.' });
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as Consent).status).toBe('revoked');
    expectProblem(await sharedOne(phone, w.patientA), 403, 'consent_required');
    expect(((await shared(phone)).json() as { items: Card[] }).items).toEqual([]);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${consent.id}/revoke`, {}), 409, 'consent_revoked');
    const list = (await counsellor.get(`/api/v1/patients/${w.patientA}/consents`)).json() as { items: Consent[] };
    expect(list.items.find((c) => c.id === consent.id)?.status).toBe('revoked');
    expect(await count(`select count(*) n from audit_events where action = 'access-denied' and entity = 'disclosure'`)).toBeGreaterThan(0);
  });
});

describe('disclosures staff make and the accounting', () => {
  it('an export to an outside organisation needs a consent naming it; the TPO consent covers a treating provider', async () => {
    const ask = { recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' }, purpose: 'treatment', dataClasses: ['medication', 'appointments'], channel: 'print' };
    const before = await count(`select count(*) n from disclosures where patient_id = $1`, [w.patientA]);
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, ask), 403, 'consent_required');
    expect(await count(`select count(*) n from disclosures where patient_id = $1`, [w.patientA])).toBe(before);

    const tpo = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, {
      template: 'tpo',
      language: 'es',
      recipient: { kind: 'tpo-designation' },
      purposes: ['treatment', 'payment', 'health-care-operations'],
      dataClasses: ['medication', 'appointments', 'screens'],
      dataDescription: 'Mis registros de tratamiento.',
      expiry: { kind: 'none' },
      paper: { signerName: 'Alex Example', signedOn: '2026-03-04', scan: { contentType: 'image/png', base64: Buffer.from('fictional').toString('base64') } },
    });
    expect(tpo.statusCode, tpo.body).toBe(200);
    expect((tpo.json() as Consent).text[0]!.heading).toBe('Paciente');
    const ok = await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, ask);
    expect(ok.statusCode, ok.body).toBe(200);
    const out = ok.json() as { disclosure: { consentId: string; channel: string }; documentHtml: string };
    expect(out.disclosure.channel).toBe('print');
    expect(out.documentHtml).toContain('42 CFR part 2 prohibits unauthorized use or disclosure of these records.');
    expect(out.documentHtml).toContain('The patient’s consent');
    // a family member is never covered by the TPO designation, and data beyond the consent is refused
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, { ...ask, dataClasses: ['progress-notes'] }), 403, 'consent_required');
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, { ...ask, purpose: 'family-support' }), 403, 'consent_required');
    // counselling notes are kept apart: never printed or exported from here
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, { ...ask, dataClasses: ['counselling-notes'] }), 400, 'invalid_input', 'body.dataClasses');
  });

  it('a medical emergency needs a reason, is flagged in the audit trail and listed for review', async () => {
    const ask = { recipient: { kind: 'organization', name: 'County Emergency Department (fictional)' }, dataClasses: ['medication'], channel: 'print', exception: 'medical-emergency' };
    expectProblem(await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, ask), 400, 'invalid_input', 'body.reason');
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/disclosures`, { ...ask, reason: 'Unresponsive in the waiting room; the ED asked for the current dose.' });
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as { disclosure: { exception: string; consentId: null } }).disclosure).toMatchObject({ exception: 'medical-emergency', consentId: null });
    expect(await count(`select count(*) n from audit_events where entity = 'disclosure' and purpose = 'medical-emergency' and detail->>'flag' = 'break-glass'`)).toBe(1);
    const review = await admin.get('/api/v1/disclosures/exceptions');
    expect(review.statusCode, review.body).toBe(200);
    expect((review.json() as { items: Array<{ patientId: string; exception: string }> }).items[0]).toMatchObject({
      patientId: w.patientA,
      exception: 'medical-emergency',
      mrn: expect.any(String),
      patientName: expect.stringMatching(/\S \S/),
    });
    expect((await counsellor.get('/api/v1/disclosures/exceptions')).statusCode).toBe(403);
  });

  it('the accounting lists every disclosure of the last three years, as JSON and CSV', async () => {
    const acc = (await counsellor.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { from: string; to: string; items: Array<{ channel: string; exception: string | null }> };
    expect(acc.to).toBe('2026-03-04');
    expect(acc.items.map((i) => i.channel)).toEqual(['print', 'print', 'family-view', 'family-view']);
    const csv = await counsellor.get(`/api/v1/patients/${w.patientA}/disclosures.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('date,recipient,recipient_kind,channel,information,purpose,basis,reason,by');
    expect(lines).toHaveLength(1 + acc.items.length);
    expect(csv.body).toContain('exception: medical-emergency');
  });

  it('records the patient notice once per version', async () => {
    const before = (await counsellor.get(`/api/v1/patients/${w.patientA}/notice`)).json() as { acknowledged: unknown; text: { es: { title: string } } };
    expect(before.acknowledged).toBeNull();
    expect(before.text.es.title).toBe('Su privacidad en este programa');
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/notice`, { language: 'es', method: 'paper' });
    expect((r.json() as { acknowledged: { method: string } }).acknowledged.method).toBe('paper');
    await counsellor.post(`/api/v1/patients/${w.patientA}/notice`, { language: 'en', method: 'tablet' });
    expect(await count(`select count(*) n from patient_notices where patient_id = $1`, [w.patientA])).toBe(1);
  });

  it('roles and programmes: a peer specialist reads consents but may not write or disclose; another programme sees none of it', async () => {
    expect((await peer.get(`/api/v1/patients/${w.patientA}/consents`)).statusCode).toBe(200);
    expect((await peer.post(`/api/v1/patients/${w.patientA}/notice`, { language: 'en', method: 'paper' })).statusCode).toBe(403);
    expect(
      (await peer.post(`/api/v1/patients/${w.patientA}/disclosures`, { recipient: { kind: 'tpo-designation' }, purpose: 'treatment', dataClasses: ['medication'], channel: 'print' })).statusCode,
    ).toBe(403);
    expect((await adminB.get(`/api/v1/patients/${w.patientA}/consents`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/v1/patients/${w.patientA}/disclosures`)).statusCode).toBe(404);
  });
});

describe('the patient’s own consents in the app', () => {
  it('lists, signs one the clinic wrote, takes one back; sees the accounting; never another patient’s', async () => {
    const invite = await admin.post(`/api/v1/patients/${w.patientA}/app-invites`);
    const me = await activatePhone(w.app, (invite.json() as { code: string }).code);
    const app = (method: 'GET' | 'POST', url: string, payload?: object) => w.app.inject({ method, url, headers: { cookie: me.cookie }, ...(payload ? { payload } : {}) });
    const { paper: _p, ...unsigned } = familyConsent(familyMember.id);
    const written = (await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, unsigned)).json() as Consent;
    const list = (await app('GET', '/api/patient/consents')).json() as { items: Consent[] };
    expect(list.items.find((c) => c.id === written.id)?.status).toBe('awaiting-signature');
    expectProblem(await app('POST', `/api/patient/consents/${written.id}/sign`, { signerName: 'Alex Example', agree: false }), 400, undefined, 'body.agree');
    const signed = await app('POST', `/api/patient/consents/${written.id}/sign`, { signerName: 'Alex Example', agree: true });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json() as Consent).toMatchObject({ status: 'active', signatureMethod: 'app' });
    expect((await sharedOne(familyMember.phone, w.patientA)).statusCode).toBe(200);
    const revoked = await app('POST', `/api/patient/consents/${written.id}/revoke`);
    expect((revoked.json() as Consent).status).toBe('revoked');
    expectProblem(await sharedOne(familyMember.phone, w.patientA), 403, 'consent_required');
    const acc = (await app('GET', '/api/patient/disclosures')).json() as { items: Array<{ channel: string }> };
    expect(acc.items.length).toBeGreaterThan(0);
    // another patient's consent is not found from this phone
    const other = await adminB.post(`/api/v1/patients/${w.patientB}/family`, { displayName: 'B relative', relationship: 'friend' });
    const otherMember = (other.json() as { items: Array<{ id: string }> }).items[0]!.id;
    const { paper: _q, ...otherUnsigned } = familyConsent(otherMember);
    const bConsent = (await adminB.post(`/api/v1/patients/${w.patientB}/consents`, otherUnsigned)).json() as Consent;
    expectProblem(await app('POST', `/api/patient/consents/${bConsent.id}/sign`, { signerName: 'Alex Example', agree: true }), 404);
  });
});

// last: it moves the clock on two days
describe('expiry', () => {
  it('a consent awaiting signature shares nothing; a date expiry ends it at the end of that day', async () => {
    const { paper: _paper, ...unsigned } = familyConsent(familyMember.id, { expiry: { kind: 'date', on: '2026-03-05' } });
    const r = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, unsigned);
    expect((r.json() as Consent).status).toBe('awaiting-signature');
    expectProblem(await sharedOne(familyMember.phone, w.patientA), 403, 'consent_required');
    const signed = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, familyConsent(familyMember.id, { expiry: { kind: 'date', on: '2026-03-05' } }));
    const c = signed.json() as Consent;
    expect(c.expiresAt).toBe('2026-03-06T05:00:00.000Z'); // the end of 5 March in New York
    expect((await sharedOne(familyMember.phone, w.patientA)).statusCode).toBe(200);
    w.clock.advance(2 * 86_400_000); // 6 March: sessions went idle, so the phone unlocks and staff sign in again
    const again = await unlockPhone(w.app, familyMember.phone);
    expect(again.statusCode).toBe(200);
    expectProblem(await sharedOne({ ...familyMember.phone, cookie: again.cookie }, w.patientA), 403, 'consent_required');
    const later = await w.client('counsellor');
    expect(((await later.get(`/api/v1/patients/${w.patientA}/consents/${c.id}`)).json() as Consent).status).toBe('expired');
  });
});
