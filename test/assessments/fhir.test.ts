// The FHIR R4 facade: read and search, Bundle paging, OperationOutcome errors, tenancy and
// permissions. Every resource the server emits is checked with an independent FHIR R4
// validator from npm (the `fhir` package's Fhir.validate, built from the R4 structure
// definitions), and must carry the three 42 CFR Part 2 security labels.
import fhirPackage from 'fhir';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';

const validator = new fhirPackage.Fhir();
type Res = { resourceType: string; id?: string; meta?: { security?: Array<{ system: string; code: string }> }; [k: string]: unknown };
type Bundle = Res & { total?: number; link: Array<{ relation: string; url: string }>; entry?: Array<{ fullUrl: string; resource: Res }> };

let validated = 0;
/** Valid R4 (no errors, no unknown properties) and labelled for 42 CFR Part 2. */
function expectValidFhir(resource: Res, labelled = true) {
  const r = validator.validate(resource);
  const problems = r.messages.filter((m) => m.severity === 'error' || (m.severity === 'warning' && /Unexpected property/.test(m.message ?? '')));
  expect(problems, `${resource.resourceType}/${resource.id}: ${JSON.stringify(problems)}`).toEqual([]);
  expect(r.valid).toBe(true);
  validated += 1;
  if (labelled) {
    const labels = (resource.meta?.security ?? []).map((s) => `${s.system}|${s.code}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        'http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R',
        'http://terminology.hl7.org/CodeSystem/v3-ActCode|ETH',
        'http://terminology.hl7.org/CodeSystem/v3-ActCode|42CFRPart2',
      ]),
    );
  }
}
function expectBundle(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown; body: string }): Bundle {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  const b = res.json() as Bundle;
  expect(b).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
  expectValidFhir(b);
  for (const e of b.entry ?? []) expectValidFhir(e.resource);
  return b;
}
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

let w: World;
let counsellor: Client;
let peer: Client;
let frontDesk: Client;
let adminB: Client;
let phqId: string;
let partialId: string;
let planId: string;

beforeAll(async () => {
  w = await makeWorld();
  [counsellor, peer, frontDesk, adminB] = await Promise.all([w.client('counsellor'), w.client('peer-specialist'), w.client('front-desk'), w.client('adminB')]);
  const post = (body: unknown) => counsellor.post(`/api/v1/patients/${w.patientA}/assessments`, body).then((r) => r.json() as { id: string });
  phqId = (await post({ instrument: 'phq-9', answers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), i === 8 ? 1 : 2])), administeredAt: '2026-01-10T15:00:00Z' })).id;
  partialId = (await post({ instrument: 'gad-7', answers: { '1': 1, '2': 2 }, administeredAt: '2026-01-20T15:00:00Z' })).id;
  await post({ instrument: 'urica', answers: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [String(i + 1), (i % 5) + 1])), administeredAt: '2026-02-01T15:00:00Z' });
  await post({
    instrument: 'bam',
    answers: { '1': 1, '2': 0, '3': 0, '4': 0, '6': 2, '7A': 1, '7E': 2, '8': 1, '9': 2, '10': 3, '11': 0, '12': 2, '13': 3, '14': 4, '15': 1, '16': 2, '17': 1 },
    administeredAt: '2026-02-10T15:00:00Z',
  });
  await post({ instrument: 'readiness-ruler', answers: { '1': 8, '2': 5, '3': 6 }, targetBehavior: 'stop using fentanyl', administeredAt: '2026-02-11T15:00:00Z' });
  await post({ instrument: 'opioid-craving', answers: { '1': 3, '2': 4, '3': 4 }, administeredAt: '2026-02-12T15:00:00Z' });
  await post({ instrument: 'socrates-8d', answers: Object.fromEntries(Array.from({ length: 19 }, (_, i) => [String(i + 1), 4])), administeredAt: '2026-02-13T15:00:00Z' });
  const problem = randomUUID();
  const goalA = randomUUID();
  const p = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, {
    problems: [{ id: problem, text: 'Opioid use disorder' }],
    goals: [
      {
        id: goalA,
        problemIds: [problem],
        description: 'Fewer days of use',
        measure: 'Days of use in 30 days',
        targetValue: 4,
        targetComparator: '<=',
        targetUnit: 'days',
        dueDate: '2026-05-01',
        responsibleStaffIds: [w.users.counsellor],
      },
      { problemIds: [], description: 'Reconnect with family', measure: 'Family contact', targetText: 'A family session', dueDate: '2026-06-01', status: 'achieved' },
    ],
    interventions: [
      { source: 'recommendation', code: 'contingency-management', text: 'Contingency management', goalIds: [goalA], responsibleStaffIds: [w.users['cm-coordinator']], frequency: 'twice weekly' },
      { source: 'free-text', text: 'Walking group', goalIds: [], responsibleStaffIds: [w.users['peer-specialist']], frequency: 'weekly', status: 'in-progress' },
    ],
    reviewDate: '2026-04-01',
  });
  planId = p.json().id;
  await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans/${planId}/agreements`, { version: 1, method: 'verbal' });
});
afterAll(async () => {
  await w?.close();
});

describe('FHIR R4 facade', () => {
  it('serves a CapabilityStatement', async () => {
    const r = await w.app.inject({ method: 'GET', url: '/fhir/R4/metadata' });
    expect(r.statusCode).toBe(200);
    expectValidFhir(r.json(), false);
  });

  it('reads the Patient the references point to', async () => {
    const r = await counsellor.get(`/fhir/R4/Patient/${w.patientA}`);
    expect(r.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const p = r.json();
    expectValidFhir(p);
    expect(p).toMatchObject({ id: w.patientA, birthDate: '1980-04-01', identifier: [{ value: 'A-0001' }], name: [{ family: 'Example', given: ['Alder'] }] });
    // US Core requires gender: a patient registered without one is `unknown`, and carries no sex or gender identity extension.
    expect(p.gender).toBe('unknown');
    expect(p.extension).toBeUndefined();
  });

  it('Patient.gender is the administrative sex; sex and gender identity are US Core 6.1.0 extensions when recorded (ADR 023)', async () => {
    const cases = [
      {
        body: { administrativeSex: 'female', sex: 'female', genderIdentity: 'female' },
        gender: 'female',
        sexCode: '248152002',
        identity: { system: 'http://snomed.info/sct', code: '446141000124107' },
      },
      { body: { administrativeSex: 'male', sex: 'male', genderIdentity: 'non-binary' }, gender: 'male', sexCode: '248153007', identity: { system: 'http://snomed.info/sct', code: '33791000087105' } },
      {
        body: { administrativeSex: 'other', sex: 'asked-declined', genderIdentity: 'asked-declined' },
        gender: 'other',
        sexCode: '184115007',
        identity: { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'asked-declined' },
      },
      { body: { administrativeSex: 'unknown', genderIdentity: 'other' }, gender: 'unknown', sexCode: null, identity: { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'OTH' } },
    ];
    for (const [i, c] of cases.entries()) {
      const created = await frontDesk.post('/api/v1/patients', {
        mrn: `SG-${i}`,
        legalGivenName: 'Sorrel',
        legalFamilyName: `Fhirtest${'abcd'[i]}`,
        birthDate: '1991-02-03',
        confirmNotDuplicate: true,
        ...c.body,
      });
      expect(created.statusCode, created.body).toBe(200);
      const p = (await counsellor.get(`/fhir/R4/Patient/${created.json().id}`)).json() as Res & {
        gender: string;
        extension?: Array<{ url: string; valueCode?: string; valueCodeableConcept?: { coding: Array<{ system: string; code: string }>; text: string } }>;
      };
      expectValidFhir(p);
      expect(p.gender).toBe(c.gender);
      const sex = p.extension?.find((e) => e.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex');
      expect(sex?.valueCode ?? null).toBe(c.sexCode);
      const identity = p.extension?.find((e) => e.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity');
      expect(identity?.valueCodeableConcept?.coding).toEqual([expect.objectContaining(c.identity)]);
      expect(identity?.valueCodeableConcept?.text).toBeTruthy();
    }
  });

  it('searches and reads Questionnaires', async () => {
    const b = expectBundle(await peer.request({ method: 'GET', url: '/fhir/R4/Questionnaire' }).then(() => counsellor.get('/fhir/R4/Questionnaire')));
    expect(b.entry).toHaveLength(7);
    const one = await counsellor.get('/fhir/R4/Questionnaire/phq-9');
    expectValidFhir(one.json());
    const paged = expectBundle(await counsellor.get('/fhir/R4/Questionnaire?_count=3'));
    const next = paged.link.find((l) => l.relation === 'next')!;
    const page2 = expectBundle(await counsellor.get(pathOf(next.url)));
    expect(page2.entry![0]!.resource.id).not.toBe(paged.entry![0]!.resource.id);
    expect(expectBundle(await counsellor.get('/fhir/R4/Questionnaire?url=http://waypoint.health/fhir/Questionnaire/bam')).entry).toHaveLength(1);
  });

  it('returns QuestionnaireResponses for every instrument, valid and resolvable', async () => {
    const b = expectBundle(await counsellor.get(`/fhir/R4/QuestionnaireResponse?patient=Patient/${w.patientA}`));
    expect(b.entry).toHaveLength(7);
    const phq = b.entry!.find((e) => e.resource.id === phqId)!.resource;
    expect(phq).toMatchObject({ status: 'completed', subject: { reference: `Patient/${w.patientA}` }, questionnaire: 'http://waypoint.health/fhir/Questionnaire/phq-9|1.0.0' });
    const item9 = (phq.item as Array<{ linkId: string; answer: Array<{ valueCoding: { code: string } }> }>).find((i) => i.linkId === '9')!;
    expect(item9.answer[0]!.valueCoding.code).toBe('LA6569-3');
    const partial = b.entry!.find((e) => e.resource.id === partialId)!.resource;
    expect(partial.status).toBe('stopped');
    const bam = b.entry!.find((e) => String(e.resource.questionnaire).includes('/bam'))!.resource;
    expect((bam.item as Array<{ linkId: string; item?: unknown[] }>).find((i) => i.linkId === '7')!.item).toHaveLength(2);
    const ruler = b.entry!.find((e) => String(e.resource.questionnaire).includes('readiness'))!.resource;
    expect((ruler.item as Array<{ linkId: string; answer: unknown[] }>)[0]).toMatchObject({ linkId: 'target', answer: [{ valueString: 'stop using fentanyl' }] });
    expectValidFhir((await counsellor.get(`/fhir/R4/QuestionnaireResponse/${phqId}`)).json());
  });

  it('emits score Observations in the US Core screening-assessment pattern: panel with members, derivedFrom the response', async () => {
    const b = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=100`));
    const all = b.entry!.map((e) => e.resource);
    const panel = all.find((o) => (o.code as { coding: Array<{ code: string }> }).coding[0]!.code === '44249-1')!;
    expect(panel).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      subject: { reference: `Patient/${w.patientA}` },
      derivedFrom: [{ reference: `QuestionnaireResponse/${phqId}` }],
      effectiveDateTime: '2026-01-10T15:00:00.000Z',
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment'] },
    });
    const members = panel.hasMember as Array<{ reference: string }>;
    expect(members).toHaveLength(1);
    const total = all.find((o) => `Observation/${o.id}` === members[0]!.reference)!;
    expect(total).toMatchObject({ code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] }, valueInteger: 17, interpretation: [{ coding: [{ code: 'moderately-severe' }] }] });
    // an incomplete GAD-7: a panel with no members and a data-absent reason
    const gadPanel = all.find((o) => (o.code as { coding: Array<{ code: string }> }).coding[0]!.code === '69737-5')!;
    expect(gadPanel.hasMember).toBeUndefined();
    expect(gadPanel.dataAbsentReason).toBeDefined();
    // URICA subscale means are quantities
    const uricaPc = all.find((o) => (o.code as { coding: Array<{ code: string }> }).coding[0]!.code === 'urica-precontemplation')!;
    expect(uricaPc.valueQuantity).toMatchObject({ unit: '{score}' });
    // read one
    expectValidFhir((await counsellor.get(`/fhir/R4/Observation/${total.id}`)).json());
  });

  it('searches Observations by code, date and _id, and pages with next links', async () => {
    const byCode = expectBundle(await counsellor.get(`/fhir/R4/Observation?subject=Patient/${w.patientA}&code=http://loinc.org|44261-6`));
    expect(byCode.entry).toHaveLength(1);
    const either = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&code=44261-6,urica-readiness`));
    expect(either.entry).toHaveLength(2);
    const feb = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&date=ge2026-02-01&date=lt2026-02-11`));
    expect(feb.entry!.every((e) => String(e.resource.effectiveDateTime) >= '2026-02-01' && String(e.resource.effectiveDateTime) < '2026-02-11')).toBe(true);
    expect(feb.entry!.length).toBeGreaterThan(0);
    const day = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&date=2026-01-10`));
    expect(day.entry).toHaveLength(2);
    const id = day.entry![0]!.resource.id!;
    expect(expectBundle(await counsellor.get(`/fhir/R4/Observation?_id=${id}`)).entry).toHaveLength(1);

    const seen = new Set<string>();
    let url: string | undefined = `/fhir/R4/Observation?patient=${w.patientA}&_count=4`;
    let pages = 0;
    while (url) {
      const page = expectBundle(await counsellor.get(url));
      for (const e of page.entry ?? []) {
        expect(seen.has(e.resource.id!)).toBe(false);
        seen.add(e.resource.id!);
      }
      expect(page.entry!.length).toBeLessThanOrEqual(4);
      const next = page.link.find((l) => l.relation === 'next');
      url = next ? pathOf(next.url) : undefined;
      pages += 1;
    }
    const everything = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=100`));
    expect(seen.size).toBe(everything.entry!.length);
    expect(pages).toBe(Math.ceil(seen.size / 4));
  });

  it('emits the CarePlan and its Goals', async () => {
    const b = expectBundle(await peer.get(`/fhir/R4/CarePlan?patient=${w.patientA}`));
    expect(b.entry).toHaveLength(1);
    const cp = b.entry![0]!.resource;
    expect(cp).toMatchObject({ id: planId, status: 'active', intent: 'plan', meta: { versionId: '1' }, subject: { reference: `Patient/${w.patientA}` } });
    expect((cp.activity as unknown[]).length).toBe(2);
    const goals = expectBundle(await peer.get(`/fhir/R4/Goal?patient=${w.patientA}`));
    expect(goals.entry).toHaveLength(2);
    const refs = (cp.goal as Array<{ reference: string }>).map((g) => g.reference).sort();
    expect(goals.entry!.map((e) => `Goal/${e.resource.id}`).sort()).toEqual(refs);
    const measurable = goals.entry!.find((e) => (e.resource.target as Array<{ detailQuantity?: unknown }>)[0]!.detailQuantity)!.resource;
    expect(measurable).toMatchObject({
      lifecycleStatus: 'active',
      target: [{ detailQuantity: { value: 4, comparator: '<=' }, dueDate: '2026-05-01' }],
      addresses: [{ display: 'Opioid use disorder' }],
    });
    const achieved = goals.entry!.find((e) => e.resource.achievementStatus)!.resource;
    expect(achieved).toMatchObject({ lifecycleStatus: 'completed', target: [{ detailString: 'A family session' }] });
    expectValidFhir((await peer.get(`/fhir/R4/CarePlan/${planId}`)).json());
    expectValidFhir((await peer.get(`/fhir/R4/Goal/${measurable.id}`)).json());
  });

  it('refuses unsupported search parameters under Prefer: handling=strict, and leaves them out of self otherwise', async () => {
    const url = `/fhir/R4/Observation?patient=${w.patientA}&foo=bar&_sort=-date&code:text=phq&_count=3`;
    const lenient = expectBundle(await counsellor.get(url));
    expect(lenient.entry).toHaveLength(3);
    const self = new URL(lenient.link.find((l) => l.relation === 'self')!.url);
    expect([...self.searchParams.keys()].sort()).toEqual(['_count', 'patient']);
    for (const prefer of ['handling=strict', 'return=representation, handling=strict', 'handling = strict; respond-async']) {
      const r = await counsellor.request({ method: 'GET', url, headers: { prefer } });
      expect(r.statusCode, `${prefer}: ${r.body.slice(0, 200)}`).toBe(400);
      expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
      const o = r.json() as Res & { issue: Array<{ code: string; diagnostics: string; expression?: string[] }> };
      expectValidFhir(o, false);
      expect(o.issue[0]!.code).toBe('invalid');
      for (const name of ['foo', '_sort', 'code:text']) {
        expect(o.issue[0]!.diagnostics).toContain(name);
        expect(o.issue[0]!.expression).toContain(`query.${name}`);
      }
    }
    // only supported parameters: strict is fine (subject:Patient is subject with its type modifier)
    const strict = await counsellor.request({ method: 'GET', url: `/fhir/R4/Observation?subject:Patient=${w.patientA}&_count=2&_total=accurate`, headers: { prefer: 'handling=strict' } });
    expect(expectBundle(strict).entry).toHaveLength(2);
    expectBundle(await counsellor.request({ method: 'GET', url: '/fhir/R4/Questionnaire?url=http://waypoint.health/fhir/Questionnaire/bam', headers: { prefer: 'handling=strict' } }));
    expect((await counsellor.request({ method: 'GET', url: '/fhir/R4/Questionnaire?status=active', headers: { prefer: 'handling=strict' } })).statusCode).toBe(400);
  });

  it('gives Bundle.total with _total=accurate, and a count-only search with _count=0', async () => {
    const all = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=100`)).entry!.length;
    expect(all).toBeGreaterThan(4);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=100`)).total).toBeUndefined();
    const paged = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=2&_total=accurate`));
    expect(paged.entry).toHaveLength(2);
    expect(paged.total).toBe(all);
    // the total counts every match, on every page
    const next = paged.link.find((l) => l.relation === 'next')!;
    expect(new URL(next.url).searchParams.get('_total')).toBe('accurate');
    expect(expectBundle(await counsellor.get(pathOf(next.url))).total).toBe(all);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_total=none`)).total).toBeUndefined();

    const countOnly = expectBundle(await counsellor.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=0`));
    expect(countOnly.total).toBe(all);
    expect(countOnly.entry ?? []).toEqual([]);
    expect(countOnly.link.map((l) => l.relation)).toEqual(['self']);
    const counts: Record<string, number> = { QuestionnaireResponse: 7, CarePlan: 1, Goal: 2 };
    for (const [type, n] of Object.entries(counts)) {
      expect(expectBundle(await counsellor.get(`/fhir/R4/${type}?patient=${w.patientA}&_count=0`)).total, type).toBe(n);
      const one = expectBundle(await counsellor.get(`/fhir/R4/${type}?patient=${w.patientA}&_count=1&_total=accurate`));
      expect([one.total, one.entry!.length], type).toEqual([n, 1]);
    }
    expect(expectBundle(await counsellor.get('/fhir/R4/Questionnaire?_count=0')).total).toBe(7);
    expect(expectBundle(await counsellor.get('/fhir/R4/Observation?code=44261-6&_total=accurate')).total).toBe(1);
    // another programme's records are not counted
    expect(expectBundle(await adminB.get(`/fhir/R4/Observation?patient=${w.patientA}&_count=0`)).total).toBe(0);
    // a count-only search is audited like any search
    const audit = await w.database.query<{ detail: { count: number; total: number } }>(
      "select detail from audit_events where action = 'search' and entity = 'observation' and patient_id = $1 and program_id = $2 order by id desc limit 1",
      [w.patientA, w.programA],
    );
    expect(audit[0]?.detail).toMatchObject({ count: 0, total: all });
  });

  it('answers errors as OperationOutcome, keeps programmes apart and enforces permissions', async () => {
    const outcome = (r: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) => {
      expect(r.statusCode).toBe(status);
      expect(String(r.headers['content-type'])).toMatch(/^application\/fhir\+json/);
      const o = r.json() as Res;
      expect(o.resourceType).toBe('OperationOutcome');
      expectValidFhir(o, false);
      return o;
    };
    outcome(await counsellor.get(`/fhir/R4/Observation/${randomUUID()}`), 404);
    outcome(await counsellor.get('/fhir/R4/Observation/not-a-uuid'), 404);
    outcome(await counsellor.get('/fhir/R4/Observation?date=yesterday'), 400);
    outcome(await counsellor.get('/fhir/R4/Observation?_count=-1'), 400);
    outcome(await counsellor.get('/fhir/R4/Observation?_total=exact'), 400);
    outcome(await counsellor.get('/fhir/R4/Observation?_cursor=zzz'), 400);
    outcome(await counsellor.get('/fhir/R4/Practitioner'), 404);
    outcome(await counsellor.get(`/fhir/R4/Encounter/${'0'.repeat(64)}`), 404);
    outcome(await counsellor.get('/fhir/R4/Encounter/not-an-id'), 404);
    outcome(await w.app.inject({ method: 'GET', url: '/fhir/R4/Observation' }), 401);
    outcome(await frontDesk.get(`/fhir/R4/Observation?patient=${w.patientA}`), 403);
    outcome(await peer.get(`/fhir/R4/QuestionnaireResponse/${phqId}`), 403);
    expect((await frontDesk.get(`/fhir/R4/Patient/${w.patientA}`)).statusCode).toBe(200);
    // programme B sees none of programme A
    outcome(await adminB.get(`/fhir/R4/Patient/${w.patientA}`), 404);
    outcome(await adminB.get(`/fhir/R4/QuestionnaireResponse/${phqId}`), 404);
    outcome(await adminB.get(`/fhir/R4/CarePlan/${planId}`), 404);
    for (const type of ['Observation', 'QuestionnaireResponse', 'CarePlan', 'Goal']) {
      const b = expectBundle(await adminB.get(`/fhir/R4/${type}?patient=${w.patientA}`));
      expect(b.entry ?? []).toEqual([]);
    }
    const audits = await w.database.query<{ n: number }>("select count(*)::int as n from audit_events where detail->>'via' = 'fhir'");
    expect(audits[0]!.n).toBeGreaterThan(10);
    expect(validated).toBeGreaterThan(50);
  });
});
