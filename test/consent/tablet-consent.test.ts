// A consent signed on the clinic's locked tablet (issue 16, ADR 009 / 027): staff with
// write:consent hand a consent awaiting signature to the tablet (the same single-use link as an
// instrument); the tablet reads only the consent's words and the patient notice, in the
// consent's language; the patient signs once — the consent becomes active ('tablet') and the
// notice is recorded as acknowledged in the same transaction; a second submission is refused;
// the token reaches nothing else (not even an instrument's answers route); a consent already
// signed, revoked or another patient's gets no tablet session; another programme sees none of
// it. PGlite by default, PostgreSQL with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';

let w: World;
let frontDesk: Client;
let counsellor: Client;
let peer: Client;
let adminB: Client;
const NOW = '2026-03-04T15:00:00Z';

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [frontDesk, counsellor, peer, adminB] = await Promise.all([w.client('front-desk'), w.client('counsellor'), w.client('peer-specialist'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

type Started = { id: string; patientId: string; consentId: string; handoffCode: string; handoffPath: string; expiresAt: string };
type ConsentForm = {
  kind: 'consent';
  title: string;
  language: string;
  text: Array<{ heading: string; body: string }>;
  notice: { version: string; acknowledged: boolean; title: string; paragraphs: string[] };
};

const audit = (action: string, entity: string) =>
  w.database.query<{ actor_id: string | null; actor_role: string | null; patient_id: string | null; entity_id: string | null; detail: Record<string, unknown> | null }>(
    'select actor_id, actor_role, patient_id, entity_id, detail from audit_events where action = $1 and entity = $2 order by id',
    [action, entity],
  );
const tablet = (token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  w.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload: payload as object } : {}) });
const exchange = async (code: string) => {
  const r = await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code } });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { token: string }).token;
};

/** A consent awaiting the patient's signature, written by staff (no paper scan). */
async function writeConsent(patientId: string, language: 'en' | 'es' = 'en', by: Client = counsellor): Promise<string> {
  const r = await by.post(`/api/v1/patients/${patientId}/consents`, {
    template: 'organization',
    language,
    recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
    purposes: ['care-coordination'],
    dataClasses: ['appointments', 'medication'],
    dataDescription: language === 'es' ? 'Mis citas y mi medicación.' : 'My visits and my medication.',
    expiry: { kind: 'date', on: '2026-12-31' },
  });
  expect(r.statusCode, r.body).toBe(200);
  expect((r.json() as { status: string }).status).toBe('awaiting-signature');
  return (r.json() as { id: string }).id;
}
const startFor = (c: Client, patientId: string, consentId: string) => c.post(`/api/v1/patients/${patientId}/consents/${consentId}/tablet`);
async function start(consentId: string, patientId = w.patientA): Promise<Started> {
  const r = await startFor(frontDesk, patientId, consentId);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Started;
}
const consentOf = async (id: string, patientId = w.patientA) =>
  (await counsellor.get(`/api/v1/patients/${patientId}/consents/${id}`)).json() as { status: string; signatureMethod: string | null; signerName: string | null; signerRole: string | null };
const statusOf = async (consentId: string) =>
  (
    (await frontDesk.get(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet`)).json() as {
      session: { id: string; status: string; handedOff: boolean; consentId: string; instrument: null } | null;
    }
  ).session;
const sign = { signerName: 'Alder Example', agree: true, noticeAcknowledged: true };

describe('a consent signed on the tablet', () => {
  it('front desk hands a consent to the tablet; the tablet reads only the consent and the notice, in its language; the patient signs once', async () => {
    const consentId = await writeConsent(w.patientA, 'es');
    expect(await statusOf(consentId)).toBeNull();
    const s = await start(consentId);
    expect(s).toMatchObject({ patientId: w.patientA, consentId, handoffPath: `/tablet#${s.handoffCode}` });
    expect(s.handoffCode).toMatch(/^wph\./);
    expect(Date.parse(s.expiresAt) - w.clock.now.getTime()).toBe(10 * 60_000);
    expect(await statusOf(consentId)).toMatchObject({ id: s.id, status: 'open', handedOff: false, consentId, instrument: null });
    // the instrument routes read it too (read:assessment), with the form named
    expect((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${s.id}`)).json()).toMatchObject({ status: 'open', consentId, instrument: null });
    expect((await audit('create', 'patient-session')).at(-1)).toMatchObject({ entity_id: s.id, actor_id: w.users['front-desk'], detail: { consentId } });

    const token = await exchange(s.handoffCode);
    expect(await statusOf(consentId)).toMatchObject({ status: 'open', handedOff: true });
    const form = await tablet(token, 'GET', '/api/v1/tablet/session');
    expect(form.statusCode, form.body).toBe(200);
    const f = form.json() as ConsentForm;
    expect(f).toMatchObject({ kind: 'consent', language: 'es', title: 'Compartir con una persona u organización nombrada', notice: { acknowledged: false, title: 'Su privacidad en este programa' } });
    expect(f.notice.paragraphs.length).toBeGreaterThan(3);
    expect(f.text.map((t) => t.body)).toEqual(expect.arrayContaining(['Riverside Primary Care (fictional)']));
    expect(f.text.at(-1)!.body).not.toContain('Alder Example'); // not signed yet
    // nothing but the form: no ids, no record number, no status or staff names
    expect(Object.keys(f).sort()).toEqual(['expiresAt', 'kind', 'language', 'notice', 'text', 'title']);
    for (const secret of [w.patientA, consentId, s.id, 'A-0001', w.users['front-desk']]) expect(form.body).not.toContain(secret);

    // the signature needs agreement and a name, named in the problem; nothing is used up
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', { ...sign, agree: false }), 400, 'invalid_input', 'body.agree');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', { ...sign, signerName: '  ' }), 400, 'invalid_input', 'body.signerName');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', { signerName: 'Alder Example', agree: true }), 400, 'invalid_input', 'body.noticeAcknowledged');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', { ...sign, signerRole: 'guardian' }), 400, 'invalid_input');
    expect((await consentOf(consentId)).status).toBe('awaiting-signature');

    const signed = await tablet(token, 'POST', '/api/v1/tablet/consent', sign);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toEqual({ signed: true, noticeAcknowledged: true });
    expect(await consentOf(consentId)).toMatchObject({ status: 'active', signatureMethod: 'tablet', signerName: 'Alder Example', signerRole: 'patient' });
    const notice = (await counsellor.get(`/api/v1/patients/${w.patientA}/notice`)).json() as { acknowledged: { method: string; language: string } | null };
    expect(notice.acknowledged).toMatchObject({ method: 'tablet', language: 'es' });

    // once: a second submission and a second read are refused (and audited)
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', sign), 409, 'patient_session_used');
    expectProblem(await tablet(token, 'GET', '/api/v1/tablet/session'), 409, 'patient_session_used');
    expect(await statusOf(consentId)).toMatchObject({ status: 'submitted' });
    expect((await audit('patient-session-refused', 'patient-session')).at(-1)).toMatchObject({ entity_id: s.id, actor_role: 'patient-tablet', detail: { reason: 'used' } });

    // the audit: the tablet (no staff actor) read, signed and acknowledged; the submission names the consent
    expect((await audit('read', 'patient-session')).filter((a) => a.entity_id === s.id && a.actor_role === 'patient-tablet')).toHaveLength(1);
    expect((await audit('sign', 'consent')).at(-1)).toMatchObject({ entity_id: consentId, actor_id: null, actor_role: 'patient-tablet', patient_id: w.patientA, detail: { method: 'tablet' } });
    expect((await audit('acknowledge', 'patient-notice')).at(-1)).toMatchObject({ actor_id: null, actor_role: 'patient-tablet', patient_id: w.patientA, detail: { method: 'tablet' } });
    expect((await audit('submit', 'patient-session')).at(-1)).toMatchObject({ entity_id: s.id, actor_id: null, actor_role: 'patient-tablet', detail: { consentId, noticeAcknowledged: true } });
    const recorded = await w.database.query<{ recorded_by: string | null }>('select recorded_by from patient_notices where patient_id = $1', [w.patientA]);
    expect(recorded).toEqual([{ recorded_by: null }]);
  });

  it('does not ask for the notice again once acknowledged, and records nothing when the patient did not read it', async () => {
    // patient A acknowledged above: the form says so
    const consentId = await writeConsent(w.patientA);
    const token = await exchange((await start(consentId)).handoffCode);
    const f = (await tablet(token, 'GET', '/api/v1/tablet/session')).json() as ConsentForm;
    expect(f).toMatchObject({ language: 'en', title: 'Sharing with a named person or organization', notice: { acknowledged: true, title: 'Your privacy in this program' } });
    expect((await tablet(token, 'POST', '/api/v1/tablet/consent', { ...sign, noticeAcknowledged: false })).statusCode).toBe(200);

    // a new patient who does not say they read it: signed, notice not recorded
    const p = await frontDesk.post('/api/v1/patients', newPatient('tablet-consent-1'));
    expect(p.statusCode, p.body).toBe(200);
    const patientId = (p.json() as { id: string }).id;
    const other = await writeConsent(patientId);
    const t2 = await exchange((await start(other, patientId)).handoffCode);
    expect(((await tablet(t2, 'GET', '/api/v1/tablet/session')).json() as ConsentForm).notice.acknowledged).toBe(false);
    expect((await tablet(t2, 'POST', '/api/v1/tablet/consent', { ...sign, signerName: 'Given Testcase', noticeAcknowledged: false })).json()).toEqual({ signed: true, noticeAcknowledged: false });
    expect((await consentOf(other, patientId)).status).toBe('active');
    expect(((await counsellor.get(`/api/v1/patients/${patientId}/notice`)).json() as { acknowledged: unknown }).acknowledged).toBeNull();
  });

  it('the token reaches nothing else: no staff route, not the instrument answers; an instrument’s token cannot sign', async () => {
    const consentId = await writeConsent(w.patientA);
    const s = await start(consentId);
    const token = await exchange(s.handoffCode);
    for (const url of [
      `/api/v1/patients/${w.patientA}`,
      `/api/v1/patients/${w.patientA}/consents`,
      `/api/v1/patients/${w.patientA}/consents/${consentId}`,
      `/api/v1/patients/${w.patientA}/notice`,
      `/api/v1/patients/${w.patientA}/consents/${consentId}/tablet`,
      `/fhir/R4/Patient/${w.patientA}`,
    ]) {
      expect((await tablet(token, 'GET', url)).statusCode, url).toBe(401);
    }
    expect((await tablet(token, 'POST', `/api/v1/patients/${w.patientA}/consents/${consentId}/tablet`)).statusCode).toBe(401);
    expect((await tablet(token, 'POST', `/api/v1/patients/${w.patientA}/notice`, { language: 'en', method: 'tablet' })).statusCode).toBe(401);
    // a consent's token does not take answers, and that leaves it unused
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/answers', { answers: { '1': 1 } }), 409, 'patient_session_wrong_form');
    expect(await statusOf(consentId)).toMatchObject({ status: 'open' });
    expect((await consentOf(consentId)).status).toBe('awaiting-signature');

    // an instrument's token cannot sign a consent
    const inst = (await counsellor.post(`/api/v1/patients/${w.patientA}/patient-sessions`, { instrument: 'gad-7' })).json() as { handoffCode: string; id: string };
    const instToken = await exchange(inst.handoffCode);
    expect(((await tablet(instToken, 'GET', '/api/v1/tablet/session')).json() as { kind: string }).kind).toBe('instrument');
    expectProblem(await tablet(instToken, 'POST', '/api/v1/tablet/consent', sign), 409, 'patient_session_wrong_form');
    expect(((await counsellor.get(`/api/v1/patients/${w.patientA}/patient-sessions/${inst.id}`)).json() as { status: string }).status).toBe('open');
    // no token, a forged one: 401
    expectProblem(await tablet(null, 'POST', '/api/v1/tablet/consent', sign), 401, 'patient_session_invalid');
    expectProblem(await tablet(`wpt.${w.programA}.${'A'.repeat(43)}`, 'POST', '/api/v1/tablet/consent', sign), 401, 'patient_session_invalid');
    expect((await consentOf(consentId)).status).toBe('awaiting-signature');
  });

  it('a signed, revoked or another patient’s consent gets no tablet session; a consent withdrawn after the hand-off cannot be signed', async () => {
    // signed on paper
    const paper = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, {
      template: 'organization',
      language: 'en',
      recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
      purposes: ['care-coordination'],
      dataClasses: ['appointments'],
      dataDescription: 'My visits.',
      expiry: { kind: 'date', on: '2026-12-31' },
      paper: { signerName: 'Alder Example', signedOn: '2026-03-04', scan: { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4 fictional').toString('base64') } },
    });
    expect(paper.statusCode, paper.body).toBe(200);
    const paperId = (paper.json() as { id: string }).id;
    const before = await w.database.query<{ n: number }>('select count(*)::int as n from patient_sessions');
    expectProblem(await startFor(frontDesk, w.patientA, paperId), 409, 'consent_signed');
    // revoked before it was signed
    const revoked = await writeConsent(w.patientA);
    expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${revoked}/revoke`, {})).statusCode).toBe(200);
    expectProblem(await startFor(frontDesk, w.patientA, revoked), 409, 'consent_closed');
    // a consent that is not this patient's, or none at all
    const p = await frontDesk.post('/api/v1/patients', newPatient('tablet-consent-2'));
    const otherPatient = (p.json() as { id: string }).id;
    const othersConsent = await writeConsent(otherPatient);
    expectProblem(await startFor(frontDesk, w.patientA, othersConsent), 404, 'not_found');
    expectProblem(await startFor(frontDesk, w.patientA, '00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await startFor(frontDesk, w.patientA, 'not-an-id'), 400, 'invalid_input', 'params.id');
    expect(await w.database.query<{ n: number }>('select count(*)::int as n from patient_sessions')).toEqual(before);

    // withdrawn after the hand-off: the form is no longer shown, the signature is refused, the token stays unused
    const later = await writeConsent(w.patientA);
    const s = await start(later);
    const token = await exchange(s.handoffCode);
    expect((await tablet(token, 'GET', '/api/v1/tablet/session')).statusCode).toBe(200);
    expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${later}/revoke`, {})).statusCode).toBe(200);
    expectProblem(await tablet(token, 'GET', '/api/v1/tablet/session'), 409, 'consent_closed');
    expectProblem(await tablet(token, 'POST', '/api/v1/tablet/consent', sign), 409, 'consent_closed');
    expect(await statusOf(later)).toMatchObject({ status: 'open' });
    expect((await consentOf(later)).status).toBe('revoked');
    expect((await audit('sign', 'consent')).filter((a) => a.entity_id === later)).toEqual([]);
  });

  it('a new link replaces an open one; staff can close it; the link expires', async () => {
    const consentId = await writeConsent(w.patientA);
    const first = await start(consentId);
    w.clock.advance(1000);
    const second = await start(consentId);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code: first.handoffCode } }), 401, 'tablet_link_cancelled');
    expect(await statusOf(consentId)).toMatchObject({ id: second.id, status: 'open' });
    const cancelled = await frontDesk.post(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: second.id, status: 'cancelled' });
    expectProblem(await frontDesk.post(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet/cancel`), 409, 'patient_session_closed');
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code: second.handoffCode } }), 401, 'tablet_link_cancelled');

    w.clock.advance(1000);
    const third = await start(consentId);
    w.clock.advance(10 * 60_000);
    [frontDesk, counsellor] = await Promise.all([w.client('front-desk'), w.client('counsellor')]);
    expectProblem(await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code: third.handoffCode } }), 401, 'tablet_link_expired');
    expect(await statusOf(consentId)).toMatchObject({ id: third.id, status: 'expired' });
    expect((await consentOf(consentId)).status).toBe('awaiting-signature');
  });

  it('two submissions at once: one signature', async () => {
    const consentId = await writeConsent(w.patientA);
    const token = await exchange((await start(consentId)).handoffCode);
    const both = await Promise.all([tablet(token, 'POST', '/api/v1/tablet/consent', sign), tablet(token, 'POST', '/api/v1/tablet/consent', sign)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await audit('sign', 'consent')).filter((a) => a.entity_id === consentId)).toHaveLength(1);
  });

  it('needs write:consent; another programme sees none of it', async () => {
    const consentId = await writeConsent(w.patientA);
    // a peer specialist reads consents but may not hand one to the tablet
    expectProblem(await startFor(peer, w.patientA, consentId), 403);
    expect((await peer.get(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet`)).statusCode).toBe(200);
    expectProblem(await peer.post(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet/cancel`), 403);
    // programme B: A's patient and consent are not found, nor A's consent under B's patient
    expectProblem(await startFor(adminB, w.patientA, consentId), 404);
    expectProblem(await startFor(adminB, w.patientB, consentId), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientA}/consents/${consentId}/tablet`), 404);
    expectProblem(await adminB.get(`/api/v1/patients/${w.patientB}/consents/${consentId}/tablet`), 404);
    expectProblem(await adminB.post(`/api/v1/patients/${w.patientB}/consents/${consentId}/tablet/cancel`), 404);
    expect(await statusOf(consentId)).toBeNull();
    // and B's own consent is B's: A's front desk cannot reach it
    const bConsent = await writeConsent(w.patientB, 'en', adminB);
    expectProblem(await startFor(frontDesk, w.patientB, bConsent), 404);
    expectProblem(await startFor(frontDesk, w.patientA, bConsent), 404);
    expect((await startFor(adminB, w.patientB, bConsent)).statusCode).toBe(200);
  });
});
