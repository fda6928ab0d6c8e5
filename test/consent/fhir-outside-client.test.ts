// An application outside the programme reading the FHIR API (issue 16, ADR 008 and 021): an API
// token with fhir:read names its organisation ("Riverside Primary Care (fictional)"); each read or
// search is a disclosure to it, checked against the patient's consents and recorded in the same
// transaction. No consent → 403 and nothing recorded; a consent for other information → 403; the
// TPO consent covering screening scores → 200 with one disclosure per patient per request (channel
// fhir-api) and the notice against redisclosure; revoked → 403 on the very next request. A token
// without fhir:read, Consent, Schedule and non-FHIR routes → 403 insufficient_scope. Staff
// sessions are unchanged (use within the programme, no disclosure). PGlite by default,
// PostgreSQL with TEST_DATABASE_URL.
import fhirPackage from 'fhir';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_OPERATIONS } from '../../core/access/scopes.ts';
import { fhirDataClassesOf } from '../../core/consent/fhir-classes.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem, newPatient } from '../support/http.ts';

const validator = new fhirPackage.Fhir();
type Coding = { system: string; code: string };
type Res = { resourceType: string; id?: string; meta?: { security?: Coding[] }; [k: string]: unknown };
type Bundle = Res & { entry: Array<{ resource: Res; search: { mode: string } }> };
type Outcome = Res & { issue: Array<{ code: string; details: { text: string }; diagnostics: string }> };
type Disclosure = { channel: string; recipient: { kind: string; name: string }; purpose: string; dataClasses: string[]; consentId: string | null; by: string };

function expectValidFhir(resource: Res) {
  const r = validator.validate(resource);
  const problems = r.messages.filter((m) => m.severity === 'error' || (m.severity === 'warning' && /Unexpected property/.test(m.message ?? '')));
  expect(problems, `${resource.resourceType}/${resource.id}: ${JSON.stringify(problems)}`).toEqual([]);
}
const labels = (r: Res) => (r.meta?.security ?? []).map((s) => `${s.system}|${s.code}`);
const NO_REDISCLOSURE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode|NORDSCLCD';

const NOW = '2026-03-04T15:00:00Z';
const RIVERSIDE = 'Riverside Primary Care (fictional)';
let w: World;
let admin: Client;
let counsellor: Client;
let token: string;
let ledgerToken: string;
let otherPatient: string;
let observationId: string;
let visitId: string;

const asToken = (t: string, url: string) => w.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t}` } });
const disclosures = async (patientId: string) => Number((await w.database.query<{ n: string }>('select count(*) n from disclosures where patient_id = $1', [patientId]))[0]!.n);
const outcome = (r: { statusCode: number; body: string; json(): unknown }, status: number, code: string) => {
  expect(r.statusCode, r.body.slice(0, 300)).toBe(status);
  const o = r.json() as Outcome;
  expect(o.resourceType).toBe('OperationOutcome');
  expect(o.issue[0]!.details.text).toBe(code);
  return o;
};
const consent = async (patientId: string, body: Record<string, unknown>) => {
  const r = await counsellor.post(`/api/v1/patients/${patientId}/consents`, {
    language: 'en',
    expiry: { kind: 'date', on: '2026-12-31' },
    paper: { signerName: 'Alex Example', signedOn: '2026-03-04', scan: { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4 fictional').toString('base64') } },
    ...body,
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
};
const tpo = (patientId: string, dataClasses: string[]) =>
  consent(patientId, {
    template: 'tpo',
    recipient: { kind: 'tpo-designation' },
    purposes: ['treatment', 'payment', 'health-care-operations'],
    dataClasses,
    dataDescription: 'My treatment records.',
    expiry: { kind: 'none' },
  });

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor] = await Promise.all([w.client('administrator'), w.client('counsellor')]);
  const created = await admin.post('/api/v1/integration-tokens', { name: 'Riverside EHR (fictional)', scopes: ['fhir:read'], recipientOrganization: `  ${RIVERSIDE} ` });
  expect(created.statusCode, created.body).toBe(200);
  token = (created.json() as { token: string }).token;
  ledgerToken = ((await admin.post('/api/v1/integration-tokens', { name: 'Ledger (fictional)', scopes: ['ledger:read'] })).json() as { token: string }).token;
  // a PHQ-9 for patient A: a QuestionnaireResponse and its Observations
  const phq = await counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, {
    instrument: 'phq-9',
    answers: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), 1])),
    administeredAt: '2026-03-01T15:00:00Z',
  });
  expect(phq.statusCode, phq.body).toBe(200);
  const obs = (await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}`)).json() as Bundle;
  observationId = obs.entry[0]!.resource.id!;
  // a second patient of programme A, and a group visit both came to
  const p = await admin.post('/api/v1/patients', newPatient('outside-2'));
  expect(p.statusCode, p.body).toBe(200);
  otherPatient = (p.json() as { id: string }).id;
  visitId = randomUUID();
  await w.database.query(
    `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, created_at, updated_at)
     values ($1, $2, 'group-cbt', 'in-person', '2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z', $3, 'completed', now(), now())`,
    [w.programA, visitId, counsellor.userId],
  );
  for (const patientId of [w.patientA, otherPatient])
    await w.database.query(`insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at) values ($1, $2, $3, 'attended', now())`, [w.programA, visitId, patientId]);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('creating a fhir:read token', () => {
  it('must name the outside organisation (400 naming body.recipientOrganization); only fhir:read may; the list shows it', async () => {
    expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'No org (fictional)', scopes: ['fhir:read'] }), 400, 'invalid_input', 'body.recipientOrganization');
    expectProblem(
      await admin.post('/api/v1/integration-tokens', { name: 'Blank org (fictional)', scopes: ['fhir:read'], recipientOrganization: '   ' }),
      400,
      'invalid_input',
      'body.recipientOrganization',
    );
    expectProblem(
      await admin.post('/api/v1/integration-tokens', { name: 'Lab (fictional)', scopes: ['screens:write'], recipientOrganization: RIVERSIDE }),
      400,
      'invalid_input',
      'body.recipientOrganization',
    );
    const list = (await admin.get('/api/v1/integration-tokens?limit=200')).json() as { items: Array<{ name: string; recipientOrganization: string | null; scopes: string[] }> };
    expect(list.items.find((t) => t.name === 'Riverside EHR (fictional)')).toMatchObject({ scopes: ['fhir:read'], recipientOrganization: RIVERSIDE });
    expect(list.items.find((t) => t.name === 'Ledger (fictional)')?.recipientOrganization).toBeNull();
  });
});

describe('reading under the patient’s consent', () => {
  it('without a consent: 403 OperationOutcome and nothing recorded; a search must name one patient', async () => {
    const r = await asToken(token, `/fhir/R4/Observation?patient=${w.patientA}`);
    expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    outcome(r, 403, 'consent_required');
    outcome(await asToken(token, `/fhir/R4/Observation/${observationId}`), 403, 'consent_required');
    outcome(await asToken(token, `/fhir/R4/Patient/${w.patientA}`), 403, 'consent_required');
    expect(await disclosures(w.patientA)).toBe(0);
    // the refusal is audited
    const denied = await w.database.query<{ n: string }>("select count(*) n from audit_events where action = 'access-denied' and entity = 'disclosure' and patient_id = $1", [w.patientA]);
    expect(Number(denied[0]!.n)).toBeGreaterThanOrEqual(3);
    const all = outcome(await asToken(token, '/fhir/R4/Observation'), 400, 'patient_required');
    expect(JSON.stringify(all)).toContain('query.patient');
    outcome(await asToken(token, `/fhir/R4/Observation?patient=${w.patientA}&patient=${otherPatient}`), 400, 'patient_required');
    // programme B's patient is answered as a patient without consent: no way to learn who is in another programme
    outcome(await asToken(token, `/fhir/R4/Observation?patient=${w.patientB}`), 403, 'consent_required');
  });

  it('a consent to Riverside for drug test results does not cover screening scores (Observation): 403', async () => {
    await consent(w.patientA, {
      template: 'organization',
      recipient: { kind: 'organization', name: RIVERSIDE },
      purposes: ['treatment'],
      dataClasses: ['screens'],
      dataDescription: 'My drug test results.',
    });
    outcome(await asToken(token, `/fhir/R4/Observation?patient=${w.patientA}`), 403, 'consent_required');
    expect(await disclosures(w.patientA)).toBe(0);
  });

  let tpoId: string;
  it('the TPO consent covering screening scores: 200, one disclosure per request, channel fhir-api, with the notice against redisclosure', async () => {
    tpoId = await tpo(w.patientA, ['assessments', 'appointments', 'attendance']);
    for (let i = 0; i < 2; i += 1) {
      const r = await asToken(token, `/fhir/R4/Observation?patient=Patient/${w.patientA}`);
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      const b = r.json() as Bundle;
      expectValidFhir(b);
      const matches = b.entry.filter((e) => e.search.mode === 'match');
      expect(matches.length).toBeGreaterThan(1); // the panel and its scores
      for (const e of matches) {
        expectValidFhir(e.resource);
        expect(labels(e.resource)).toEqual(expect.arrayContaining(['http://terminology.hl7.org/CodeSystem/v3-ActCode|42CFRPart2', NO_REDISCLOSURE]));
      }
      expect(labels(b)).toContain(NO_REDISCLOSURE);
      const notice = b.entry.find((e) => e.search.mode === 'outcome')?.resource as Outcome;
      expect(notice.issue[0]!.details.text).toBe('42 CFR part 2 prohibits unauthorized use or disclosure of these records.');
    }
    expect(await disclosures(w.patientA)).toBe(2);
    const acc = (await counsellor.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Disclosure[] };
    expect(acc.items).toHaveLength(2);
    for (const d of acc.items)
      expect(d).toMatchObject({ channel: 'fhir-api', recipient: { kind: 'organization', name: RIVERSIDE }, purpose: 'treatment', dataClasses: ['assessments'], consentId: tpoId, by: 'API client' });
    // a read is one more; a QuestionnaireResponse search too
    expect((await asToken(token, `/fhir/R4/Observation/${observationId}`)).statusCode).toBe(200);
    expect((await asToken(token, `/fhir/R4/QuestionnaireResponse?subject=${w.patientA}`)).statusCode).toBe(200);
    expect(await disclosures(w.patientA)).toBe(4);
    // demographics were not consented: the Patient stays closed
    outcome(await asToken(token, `/fhir/R4/Patient/${w.patientA}`), 403, 'consent_required');
    // the instruments themselves hold no one's data: no disclosure
    expect((await asToken(token, '/fhir/R4/Questionnaire/phq-9')).statusCode).toBe(200);
    expect(await disclosures(w.patientA)).toBe(4);
  });

  it('a group visit: the search shows only the consenting patient; reading it by id needs every patient’s consent', async () => {
    const before = await disclosures(w.patientA);
    const r = await asToken(token, `/fhir/R4/Appointment?patient=${w.patientA}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const visit = (r.json() as Bundle).entry.find((e) => e.resource.id === visitId)!.resource;
    expectValidFhir(visit);
    expect(JSON.stringify(visit)).toContain(`Patient/${w.patientA}`);
    expect(JSON.stringify(visit)).not.toContain(otherPatient);
    expect(await disclosures(w.patientA)).toBe(before + 1);
    // by id, the visit names both: the other patient has not consented
    outcome(await asToken(token, `/fhir/R4/Appointment/${visitId}`), 403, 'consent_required');
    expect(await disclosures(otherPatient)).toBe(0);
    expect(await disclosures(w.patientA)).toBe(before + 1); // rolled back with the refusal
    await tpo(otherPatient, ['appointments', 'attendance']);
    const both = await asToken(token, `/fhir/R4/Appointment/${visitId}`);
    expect(both.statusCode, both.body.slice(0, 300)).toBe(200);
    expect(await disclosures(otherPatient)).toBe(1);
    expect(await disclosures(w.patientA)).toBe(before + 2);
  });

  it('revoked: the next request is 403 and nothing more is recorded', async () => {
    expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${tpoId}/revoke`, {})).statusCode).toBe(200);
    const before = await disclosures(w.patientA);
    outcome(await asToken(token, `/fhir/R4/Observation?patient=${w.patientA}`), 403, 'consent_required');
    outcome(await asToken(token, `/fhir/R4/Observation/${observationId}`), 403, 'consent_required');
    expect(await disclosures(w.patientA)).toBe(before);
  });

  it('staff sessions are unchanged: use within the programme, no consent needed and no disclosure', async () => {
    const before = await disclosures(w.patientA);
    const r = await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}`);
    expect(r.statusCode).toBe(200);
    const b = r.json() as Bundle;
    expect(b.entry.every((e) => e.search.mode === 'match')).toBe(true);
    expect(labels(b)).not.toContain(NO_REDISCLOSURE);
    expect((await counsellor.get(`/fhir/R4/Patient/${w.patientA}`)).statusCode).toBe(200);
    expect(await disclosures(w.patientA)).toBe(before);
  });
});

describe('what a token reaches', () => {
  it('a token without fhir:read: 403 insufficient_scope naming it', async () => {
    const o = outcome(await asToken(ledgerToken, `/fhir/R4/Observation?patient=${w.patientA}`), 403, 'insufficient_scope');
    expect(o.issue[0]!.diagnostics).toContain('fhir:read');
  });

  it('a fhir:read token never reaches Consent, Schedule or a non-FHIR route', async () => {
    await tpo(w.patientA, ['assessments', 'demographics']);
    for (const url of [`/fhir/R4/Consent?patient=${w.patientA}`, `/fhir/R4/Schedule/${counsellor.userId}`, '/fhir/R4/Schedule']) outcome(await asToken(token, url), 403, 'insufficient_scope');
    const consents = (await counsellor.get(`/fhir/R4/Consent?patient=${w.patientA}`)).json() as Bundle;
    outcome(await asToken(token, `/fhir/R4/Consent/${consents.entry[0]!.resource.id}`), 403, 'insufficient_scope');
    for (const url of [`/api/v1/patients/${w.patientA}`, `/api/v1/patients/${w.patientA}/consents`, `/api/v1/patients/${w.patientA}/ledger`, `/api/v1/patients/${w.patientA}/disclosures`])
      expectProblem(await asToken(token, url), 403, 'insufficient_scope');
    // with the new TPO consent covering demographics, the Patient opens
    expect((await asToken(token, `/fhir/R4/Patient/${w.patientA}`)).statusCode).toBe(200);
  });

  it('every FHIR operation a token may call has the kinds of information its reads disclose', () => {
    const fhirOps = Object.entries(TOKEN_OPERATIONS).filter(([op]) => op.startsWith('GET /fhir/R4/'));
    expect(fhirOps.length).toBeGreaterThan(0);
    for (const [op, { scope }] of fhirOps) {
      expect(scope, op).toBe('fhir:read');
      expect(fhirDataClassesOf(op.split('/')[3]!), op).not.toBeNull();
    }
    expect(fhirDataClassesOf('Consent')).toBeNull();
    expect(fhirDataClassesOf('Schedule')).toBeNull();
    expect(fhirDataClassesOf('Observation')).toEqual(['assessments']);
  });
});
