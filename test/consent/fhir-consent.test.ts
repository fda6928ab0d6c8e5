// FHIR R4 Consent (issue 16): a patient's 42 CFR Part 2 consents as Consent resources, read and
// searched by patient by staff with read:consent. Every status (awaiting signature → draft;
// active; revoked, superseded, ended and expired → inactive with the reason and the end), every
// kind of recipient (a family member as a contained RelatedPerson, an organisation, a person, the
// TPO general designation), a paper scan as sourceAttachment and a representative's signature;
// each resource checked with the independent FHIR R4 validator (npm `fhir`). Another programme
// gets 404; a role without read:consent 403. PGlite by default, PostgreSQL with TEST_DATABASE_URL.
import fhirPackage from 'fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';

const validator = new fhirPackage.Fhir();
type Coding = { system: string; code: string; display?: string };
type Res = { resourceType: string; id?: string; meta?: { security?: Coding[] }; [k: string]: unknown };
type ConsentRes = Res & {
  status: string;
  extension: Array<{ url: string; valueCode?: string; extension?: Array<{ url: string; valueCode?: string; valueDate?: string; valueString?: string }> }>;
  contained?: Res[];
  category: Array<{ coding: Coding[] }>;
  scope: { coding: Coding[] };
  patient: { reference: string };
  dateTime: string;
  performer: Array<{ reference?: string; display?: string }>;
  organization: Array<{ display: string }>;
  sourceAttachment?: { contentType: string; url: string };
  policy: Array<{ uri: string }>;
  policyRule: { coding: Coding[] };
  provision: {
    type: string;
    period?: { start?: string; end?: string };
    actor: Array<{ role: { coding: Coding[] }; reference: { reference?: string; display?: string } }>;
    action: Array<{ coding: Coding[] }>;
    purpose: Coding[];
    class?: Coding[];
    code: Array<{ coding: Coding[] }>;
  };
};

function expectValidFhir(resource: Res) {
  const r = validator.validate(resource);
  const problems = r.messages.filter((m) => m.severity === 'error' || (m.severity === 'warning' && /Unexpected property/.test(m.message ?? '')));
  expect(problems, `${resource.resourceType}/${resource.id}: ${JSON.stringify(problems)}`).toEqual([]);
  expect(r.valid).toBe(true);
  const labels = (resource.meta?.security ?? []).map((s) => `${s.system}|${s.code}`);
  expect(labels).toEqual(expect.arrayContaining(['http://terminology.hl7.org/CodeSystem/v3-ActCode|42CFRPart2']));
}

const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York
let w: World;
let counsellor: Client;
let collector: Client;
let adminB: Client;
let familyMemberId: string;
const ids: Record<string, string> = {};

const scan = (contentType = 'application/pdf') => ({ contentType, base64: Buffer.from('%PDF-1.4 fictional scan').toString('base64') });
const paper = (extra: Record<string, unknown> = {}) => ({ signerName: 'Alex Example', signedOn: '2026-03-04', scan: scan(), ...extra });
const write = async (body: Record<string, unknown>) => {
  const r = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, { language: 'en', ...body });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { id: string }).id;
};
const read = async (c: Client, id: string) => {
  const r = await c.get(`/fhir/R4/Consent/${id}`);
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  const res = r.json() as ConsentRes;
  expectValidFhir(res);
  return res;
};
const ext = (c: ConsentRes, name: string) => c.extension.find((e) => e.url.endsWith(`/StructureDefinition/${name}`));
const codes = (cs: Coding[] | undefined) => (cs ?? []).map((c) => `${c.system}|${c.code}`);

beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [counsellor, collector, adminB] = await Promise.all([w.client('counsellor'), w.client('specimen-collector'), w.client('adminB')]);
  const fm = await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Sam Example (fictional)', relationship: 'sibling', language: 'en' });
  expect(fm.statusCode, fm.body).toBe(200);
  familyMemberId = (fm.json() as { items: Array<{ id: string }> }).items[0]!.id;

  ids.family = await write({
    template: 'family',
    recipient: { kind: 'family-member', familyMemberId },
    purposes: ['family-support'],
    dataClasses: ['appointments', 'check-ins'],
    dataDescription: 'Only my next visit and my check-in streak.',
    expiry: { kind: 'date', on: '2026-12-31' },
    paper: paper(),
  });
  ids.awaiting = await write({
    template: 'organization',
    recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
    purposes: ['care-coordination'],
    dataClasses: ['appointments', 'attendance', 'medication'],
    dataDescription: 'My visits and my medicine.',
    expiry: { kind: 'condition', text: 'When I move to another clinic' },
  });
  ids.tpo = await write({
    template: 'tpo',
    recipient: { kind: 'tpo-designation' },
    purposes: ['treatment', 'payment', 'health-care-operations'],
    dataClasses: ['appointments', 'attendance', 'assessments', 'care-plan', 'demographics'],
    dataDescription: 'My treatment records.',
    expiry: { kind: 'none' },
    paper: paper({ scan: scan('image/png') }),
  });
  ids.notes = await write({
    template: 'counselling-notes',
    recipient: { kind: 'individual', name: 'Dr. Jordan Sample (fictional)' },
    purposes: ['treatment'],
    dataClasses: ['counselling-notes'],
    dataDescription: 'My counselling notes from March.',
    expiry: { kind: 'date', on: '2026-06-30' },
    paper: paper({ signerName: 'Pat Example', signerRole: 'guardian' }),
  });
  ids.ended = await write({
    template: 'organization',
    recipient: { kind: 'organization', name: 'Harbor Housing (fictional)' },
    purposes: ['care-coordination', 'at-patient-request'],
    dataClasses: ['appointments'],
    dataDescription: 'My next visit.',
    expiry: { kind: 'condition', text: 'When my housing case closes' },
    paper: paper(),
  });
  ids.replaced = await write({
    template: 'organization',
    recipient: { kind: 'organization', name: 'Lakeside Pharmacy (fictional)' },
    purposes: ['care-coordination'],
    dataClasses: ['medication'],
    dataDescription: 'My medicine.',
    expiry: { kind: 'date', on: '2026-04-30' },
    paper: paper(),
  });
  ids.replacement = await write({
    template: 'organization',
    recipient: { kind: 'organization', name: 'Lakeside Pharmacy (fictional)' },
    purposes: ['care-coordination'],
    dataClasses: ['medication', 'appointments'],
    dataDescription: 'My medicine and my next visit.',
    expiry: { kind: 'date', on: '2026-03-20' },
    supersedesId: ids.replaced,
    paper: paper(),
  });
  expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${ids.tpo}/revoke`, { note: 'Told me at the visit.' })).statusCode).toBe(200);
  expect((await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${ids.ended}/end`, { note: 'Housing case closed.' })).statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('FHIR Consent', () => {
  it('an active family consent: Part 2 policy, privacy scope, the relative as a contained RelatedPerson receiving, purposes and data classes coded, the scan attached', async () => {
    const c = await read(counsellor, ids.family!);
    expect(c.status).toBe('active');
    expect(ext(c, 'consent-status')?.valueCode).toBe('active');
    expect(codes(c.scope.coding)).toEqual(['http://terminology.hl7.org/CodeSystem/consentscope|patient-privacy']);
    expect(c.category.flatMap((x) => codes(x.coding))).toEqual(['http://loinc.org|59284-0', 'http://terminology.hl7.org/CodeSystem/v3-ActCode|IDSCL']);
    expect(c.patient.reference).toBe(`Patient/${w.patientA}`);
    expect(c.performer).toEqual([{ reference: `Patient/${w.patientA}` }]);
    expect(c.organization[0]!.display).toBeTruthy();
    expect(c.policy).toEqual([{ uri: 'https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2' }]);
    expect(codes(c.policyRule.coding)).toEqual(['http://terminology.hl7.org/CodeSystem/v3-ActCode|42CFRPart2']);
    expect(c.sourceAttachment?.contentType).toBe('application/pdf');
    expect(c.sourceAttachment?.url).toMatch(new RegExp(`/api/v1/patients/${w.patientA}/consents/${ids.family}/scan$`));
    // the url is the scan itself
    const got = await counsellor.get(new URL(c.sourceAttachment!.url).pathname);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');

    const p = c.provision;
    expect(p.type).toBe('permit');
    expect(p.period?.start).toBe(c.dateTime);
    expect(p.period?.end).toBe('2027-01-01T05:00:00.000Z'); // the end of 2026-12-31 in New York
    expect(codes(p.actor[0]!.role.coding)).toEqual(['http://terminology.hl7.org/CodeSystem/v3-ParticipationType|IRCP']);
    expect(p.actor[0]!.reference).toEqual({ reference: '#recipient', display: 'Sam Example (fictional)' });
    expect(c.contained?.[0]).toMatchObject({ resourceType: 'RelatedPerson', id: 'recipient', patient: { reference: `Patient/${w.patientA}` }, name: [{ text: 'Sam Example (fictional)' }] });
    expect(JSON.stringify(c.contained?.[0])).toContain('"SIB"');
    expect(codes(p.action[0]!.coding)).toEqual(['http://terminology.hl7.org/CodeSystem/consentaction|disclose']);
    expect(codes(p.purpose)).toEqual(['http://terminology.hl7.org/CodeSystem/v3-ActReason|FAMRQT']);
    expect(p.code.flatMap((x) => codes(x.coding))).toEqual(['http://waypoint.health/fhir/CodeSystem/data-class|appointments', 'http://waypoint.health/fhir/CodeSystem/data-class|check-ins']);
    expect(p.class).toBeUndefined(); // appointments alone do not cover an Appointment (it carries attendance too)
  });

  it('a consent awaiting signature is draft, with no start and its expiry condition', async () => {
    const c = await read(counsellor, ids.awaiting!);
    expect(c.status).toBe('draft');
    expect(ext(c, 'consent-status')?.valueCode).toBe('awaiting-signature');
    expect(ext(c, 'consent-expiry')?.extension).toEqual([
      { url: 'kind', valueCode: 'condition' },
      { url: 'condition', valueString: 'When I move to another clinic' },
    ]);
    expect(c.provision.period).toBeUndefined();
    expect(c.sourceAttachment).toBeUndefined();
    expect(c.provision.actor[0]!.reference).toEqual({ type: 'Organization', display: 'Riverside Primary Care (fictional)' });
    expect(codes(c.provision.purpose)).toEqual(['http://terminology.hl7.org/CodeSystem/v3-ActReason|COC']);
    expect(codes(c.provision.class)).toEqual(['http://hl7.org/fhir/resource-types|Encounter', 'http://hl7.org/fhir/resource-types|Appointment']);
  });

  it('the TPO consent, revoked: inactive, ended at the revocation, the general designation as recipient, TREAT/HPAYMT/HOPERAT, a PNG scan', async () => {
    const c = await read(counsellor, ids.tpo!);
    expect(c.status).toBe('inactive');
    expect(ext(c, 'consent-status')?.valueCode).toBe('revoked');
    expect(c.provision.period?.end).toBe(NOW.replace('Z', '.000Z'));
    expect(c.provision.actor[0]!.reference.display).toMatch(/general designation/);
    expect(c.provision.actor[0]!.reference.reference).toBeUndefined();
    expect(codes(c.provision.purpose)).toEqual([
      'http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT',
      'http://terminology.hl7.org/CodeSystem/v3-ActReason|HPAYMT',
      'http://terminology.hl7.org/CodeSystem/v3-ActReason|HOPERAT',
    ]);
    expect(ext(c, 'consent-expiry')?.extension).toEqual([{ url: 'kind', valueCode: 'none' }]);
    expect(c.sourceAttachment?.contentType).toBe('image/png');
    expect(codes(c.provision.class)).toEqual(['Patient', 'QuestionnaireResponse', 'Observation', 'CarePlan', 'Goal', 'Encounter', 'Appointment'].map((t) => `http://hl7.org/fhir/resource-types|${t}`));
  });

  it('SUD counselling notes for a named person, signed by a guardian: the performer is the representative; the notes coded as a data class', async () => {
    const c = await read(counsellor, ids.notes!);
    expect(c.status).toBe('active');
    expect(c.performer).toEqual([{ display: 'Pat Example (guardian)' }]);
    expect(c.provision.actor[0]!.reference).toEqual({ display: 'Dr. Jordan Sample (fictional)' });
    expect(c.provision.code.flatMap((x) => codes(x.coding))).toEqual(['http://waypoint.health/fhir/CodeSystem/data-class|counselling-notes']);
    expect(c.provision.class).toBeUndefined(); // no FHIR type of this facade carries counselling notes
    expect(ext(c, 'consent-expiry')?.extension).toEqual([
      { url: 'kind', valueCode: 'date' },
      { url: 'date', valueDate: '2026-06-30' },
    ]);
  });

  it('an ended consent and a superseded one are inactive with their reason; the replacement is active', async () => {
    const ended = await read(counsellor, ids.ended!);
    expect([ended.status, ext(ended, 'consent-status')?.valueCode]).toEqual(['inactive', 'ended']);
    expect(codes(ended.provision.purpose)).toEqual(['http://terminology.hl7.org/CodeSystem/v3-ActReason|COC', 'http://terminology.hl7.org/CodeSystem/v3-ActReason|PATRQT']);
    expect(ended.provision.period?.end).toBe(NOW.replace('Z', '.000Z'));
    const replaced = await read(counsellor, ids.replaced!);
    expect([replaced.status, ext(replaced, 'consent-status')?.valueCode]).toEqual(['inactive', 'superseded']);
    expect(replaced.provision.period?.end).toBe(NOW.replace('Z', '.000Z')); // replaced before its own date (2026-04-30)
    const replacement = await read(counsellor, ids.replacement!);
    expect([replacement.status, ext(replacement, 'consent-status')?.valueCode]).toEqual(['active', 'active']);
  });

  it('search by patient answers every consent of the patient, valid; _count pages', async () => {
    const r = await counsellor.get(`/fhir/R4/Consent?patient=Patient/${w.patientA}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const b = r.json() as Res & { entry: Array<{ resource: ConsentRes }>; link: Array<{ relation: string; url: string }> };
    expectValidFhir(b);
    for (const e of b.entry) expectValidFhir(e.resource);
    expect(b.entry.map((e) => e.resource.id).sort()).toEqual(Object.values(ids).sort());
    const page = (await counsellor.get(`/fhir/R4/Consent?patient=${w.patientA}&_count=4`)).json() as typeof b;
    expect(page.entry).toHaveLength(4);
    const next = page.link.find((l) => l.relation === 'next')!.url;
    const rest = (await counsellor.get(new URL(next).pathname + new URL(next).search)).json() as typeof b;
    expect(rest.link.find((l) => l.relation === 'next')).toBeUndefined();
    expect([...page.entry, ...rest.entry].map((e) => e.resource.id)).toEqual(b.entry.map((e) => e.resource.id));
    // another patient's search finds none of these
    const other = (await counsellor.get(`/fhir/R4/Consent?patient=${w.patientB}`)).json() as typeof b;
    expect(other.entry).toEqual([]);
    // the read and the search are audited with the patient
    const rows = await w.database.query<{ n: string }>(
      "select count(*) n from audit_events where entity = 'consent' and action in ('read', 'search') and patient_id = $1 and detail->>'via' = 'fhir'",
      [w.patientA],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('programme B gets 404 for programme A’s consent; a role without read:consent 403; the CapabilityStatement lists Consent', async () => {
    const b = await adminB.get(`/fhir/R4/Consent/${ids.family}`);
    expect(b.statusCode).toBe(404);
    expect((b.json() as Res).resourceType).toBe('OperationOutcome');
    const bs = (await adminB.get(`/fhir/R4/Consent?patient=${w.patientA}`)).json() as { entry: unknown[] };
    expect(bs.entry).toEqual([]);
    expect((await collector.get(`/fhir/R4/Consent/${ids.family}`)).statusCode).toBe(403);
    expect((await collector.get(`/fhir/R4/Consent?patient=${w.patientA}`)).statusCode).toBe(403);
    const cap = (await w.app.inject({ method: 'GET', url: '/fhir/R4/metadata' })).json() as { rest: Array<{ resource: Array<{ type: string; searchParam?: Array<{ name: string }> }> }> };
    const consent = cap.rest[0]!.resource.find((r) => r.type === 'Consent');
    expect(consent?.searchParam?.map((p) => p.name)).toContain('patient');
  });
  it('a date expiry that passed: inactive, expired, ended at the end of that day', async () => {
    w.clock.advance(17 * 86_400_000); // 2026-03-21: the replacement's 2026-03-20 has passed
    const staff = await w.client('counsellor');
    const c = await read(staff, ids.replacement!);
    expect([c.status, ext(c, 'consent-status')?.valueCode]).toEqual(['inactive', 'expired']);
    expect(c.provision.period?.end).toBe('2026-03-21T04:00:00.000Z'); // midnight in New York (daylight time)
  });
});
