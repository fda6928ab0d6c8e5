// FHIR R4 Appointment, Encounter and Schedule from the encounters tables (ADR 044). Rows are
// written directly (the scheduling API is built in parallel). Every resource and bundle is
// checked with the independent `fhir` package validator and must carry the 42 CFR Part 2
// labels; search by patient and date; tenancy and permissions.
import fhirPackage from 'fhir';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterParticipants, encounters } from '../../server/modules/encounters/encounters.tables.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

const validator = new fhirPackage.Fhir();
type Res = { resourceType: string; id?: string; meta?: { security?: Array<{ system: string; code: string }> }; [k: string]: unknown };
type Bundle = Res & { total?: number; link: Array<{ relation: string; url: string }>; entry?: Array<{ fullUrl: string; resource: Res }> };

function expectValidFhir(resource: Res, labelled = true) {
  const r = validator.validate(resource);
  const problems = r.messages.filter((m) => m.severity === 'error' || (m.severity === 'warning' && /Unexpected property/.test(m.message ?? '')));
  expect(problems, `${resource.resourceType}/${resource.id}: ${JSON.stringify(problems)}`).toEqual([]);
  expect(r.valid).toBe(true);
  if (labelled)
    expect((resource.meta?.security ?? []).map((s) => `${s.system}|${s.code}`)).toEqual(
      expect.arrayContaining([
        'http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R',
        'http://terminology.hl7.org/CodeSystem/v3-ActCode|ETH',
        'http://terminology.hl7.org/CodeSystem/v3-ActCode|42CFRPart2',
      ]),
    );
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
const hex = (id: string) => id.replace(/-/g, '');

let w: World;
let counsellor: Client;
let frontDesk: Client;
let peer: Client;
let second: string;
const visit = { individual: randomUUID(), group: randomUUID(), cancelled: randomUUID(), later: randomUUID(), otherProgramme: randomUUID() };

beforeAll(async () => {
  w = await makeWorld();
  [counsellor, frontDesk, peer] = await Promise.all([w.client('counsellor'), w.client('front-desk'), w.client('peer-specialist')]);
  const created = await frontDesk.post('/api/v1/patients', { mrn: 'ENC-2', legalGivenName: 'Rowan', legalFamilyName: 'Fhirvisit', birthDate: '1988-08-08', confirmNotDuplicate: true });
  second = created.json().id;
  const now = w.clock.now;
  const staff = w.users.counsellor;
  const row = (id: string, startsAt: string, minutes: number, extra: Partial<typeof encounters.$inferInsert> = {}) => ({
    programId: w.programA,
    id,
    typeCode: 'individual-counselling',
    modality: 'in-person',
    startsAt: new Date(startsAt),
    endsAt: new Date(Date.parse(startsAt) + minutes * 60_000),
    staffId: staff,
    status: 'completed',
    createdAt: now,
    updatedAt: now,
    ...extra,
  });
  await inTransaction(w.database.db, async (tx) => {
    await tx
      .insert(encounters)
      .values([
        row(visit.individual, '2026-02-10T15:00:00Z', 50, { modality: 'video' }),
        row(visit.group, '2026-02-12T23:00:00Z', 90, { typeCode: 'group-cbt', title: 'Thursday CBT group', capacity: 10 }),
        row(visit.cancelled, '2026-02-16T15:00:00Z', 50, { status: 'cancelled', cancelledBy: 'patient', cancelReason: 'Fictional: car trouble' }),
        row(visit.later, '2026-03-09T15:00:00Z', 50, { status: 'scheduled', typeCode: 'medication-xr-naltrexone' }),
        { ...row(visit.otherProgramme, '2026-02-10T15:00:00Z', 50), programId: w.programB, staffId: w.adminB },
      ]);
    const p = (encounterId: string, patientId: string, attendance: string | null, programId = w.programA) => ({
      programId,
      encounterId,
      patientId,
      attendance,
      ...(attendance ? { attendanceRecordedBy: staff, attendanceRecordedAt: now } : {}),
      addedAt: now,
    });
    await tx
      .insert(encounterParticipants)
      .values([
        p(visit.individual, w.patientA, 'attended'),
        p(visit.group, w.patientA, 'late'),
        p(visit.group, second, 'no-show'),
        p(visit.cancelled, w.patientA, 'cancelled-patient'),
        p(visit.later, w.patientA, null),
        p(visit.otherProgramme, w.patientB, 'attended', w.programB),
      ]);
  });
});
afterAll(async () => {
  await w?.close();
});

describe('FHIR Appointment, Encounter and Schedule', () => {
  it('lists them in the CapabilityStatement with their search parameters', async () => {
    const cap = (await w.app.inject({ method: 'GET', url: '/fhir/R4/metadata' })).json() as Res & { rest: Array<{ resource: Array<{ type: string; searchParam?: Array<{ name: string }> }> }> };
    expectValidFhir(cap, false);
    const byType = Object.fromEntries(cap.rest[0]!.resource.map((r) => [r.type, (r.searchParam ?? []).map((p) => p.name)]));
    expect(byType.Encounter).toEqual(expect.arrayContaining(['patient', 'date', 'appointment']));
    expect(byType.Appointment).toEqual(expect.arrayContaining(['patient', 'date', 'status', 'actor']));
    expect(byType.Schedule).toEqual(expect.arrayContaining(['actor']));
  });

  it('one Appointment per visit, every person booked a participant with a status', async () => {
    const b = expectBundle(await counsellor.get(`/fhir/R4/Appointment?patient=Patient/${w.patientA}`));
    expect(b.entry!.map((e) => e.resource.id)).toEqual([visit.later, visit.cancelled, visit.group, visit.individual]);
    const group = b.entry!.find((e) => e.resource.id === visit.group)!.resource;
    expect(group).toMatchObject({ status: 'fulfilled', description: 'Thursday CBT group', minutesDuration: 90, start: '2026-02-12T23:00:00.000Z' });
    const people = group.participant as Array<{ actor: { reference?: string; display?: string }; status: string; extension?: Array<{ valueCode: string }> }>;
    expect(people[0]!.actor.display).toBe('Test counsellor');
    expect(people.slice(1).map((p) => [p.actor.reference, p.status, p.extension?.[0]?.valueCode])).toEqual(
      expect.arrayContaining([
        [`Patient/${w.patientA}`, 'accepted', 'late'],
        [`Patient/${second}`, 'accepted', 'no-show'],
      ]),
    );
    expect(people).toHaveLength(3);
    const cancelled = b.entry!.find((e) => e.resource.id === visit.cancelled)!.resource;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelationReason: { coding: [{ code: 'pat' }] } });
    expect(JSON.stringify(cancelled)).not.toContain('car trouble');
    expect(b.entry!.find((e) => e.resource.id === visit.later)!.resource.status).toBe('booked');
    expectValidFhir((await counsellor.get(`/fhir/R4/Appointment/${visit.group}`)).json());
  });

  it('searches Appointments by date, status and staff, with totals and paging', async () => {
    const feb = expectBundle(await counsellor.get(`/fhir/R4/Appointment?patient=${w.patientA}&date=ge2026-02-11&date=lt2026-03-01&_total=accurate`));
    expect(feb.entry!.map((e) => e.resource.id)).toEqual([visit.cancelled, visit.group]);
    expect(feb.total).toBe(2);
    expect(expectBundle(await counsellor.get('/fhir/R4/Appointment?status=booked')).entry!.map((e) => e.resource.id)).toEqual([visit.later]);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Appointment?actor=Practitioner/${w.users.counsellor}&_count=0`)).total).toBe(4);
    const page1 = expectBundle(await counsellor.get('/fhir/R4/Appointment?_count=3'));
    const next = page1.link.find((l) => l.relation === 'next')!;
    const page2 = expectBundle(await counsellor.get(next.url.replace(/^https?:\/\/[^/]+/, '')));
    expect([...page1.entry!, ...page2.entry!].map((e) => e.resource.id)).toEqual([visit.later, visit.cancelled, visit.group, visit.individual]);
  });

  it('one Encounter per person seen at a held visit: not the no-show, the cancelled or the future visit', async () => {
    const b = expectBundle(await counsellor.get(`/fhir/R4/Encounter?patient=${w.patientA}`));
    expect(b.entry!.map((e) => e.resource.id)).toEqual([hex(visit.group) + hex(w.patientA), hex(visit.individual) + hex(w.patientA)]);
    const video = b.entry![1]!.resource;
    expect(video).toMatchObject({
      status: 'finished',
      class: { code: 'VR' },
      subject: { reference: `Patient/${w.patientA}` },
      appointment: [{ reference: `Appointment/${visit.individual}` }],
      period: { start: '2026-02-10T15:00:00.000Z', end: '2026-02-10T15:50:00.000Z' },
      type: [{ coding: [{ code: 'individual-counselling' }] }],
    });
    expect(expectBundle(await counsellor.get(`/fhir/R4/Encounter?subject=Patient/${second}`)).entry ?? []).toEqual([]);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Encounter?patient=${w.patientA}&date=2026-02-12`)).entry!.map((e) => e.resource.id)).toEqual([hex(visit.group) + hex(w.patientA)]);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Encounter?appointment=Appointment/${visit.individual}`)).entry).toHaveLength(1);
    const one = await counsellor.get(`/fhir/R4/Encounter/${hex(visit.individual)}${hex(w.patientA)}`);
    expectValidFhir(one.json());
    expect((await counsellor.get(`/fhir/R4/Encounter/${hex(visit.group)}${hex(second)}`)).statusCode).toBe(404);
    // paging keeps order across the visit-and-person key
    const p1 = expectBundle(await counsellor.get('/fhir/R4/Encounter?_count=1'));
    const p2 = expectBundle(await counsellor.get(p1.link.find((l) => l.relation === 'next')!.url.replace(/^https?:\/\/[^/]+/, '')));
    expect([p1.entry![0]!.resource.id, p2.entry![0]!.resource.id]).toEqual([hex(visit.group) + hex(w.patientA), hex(visit.individual) + hex(w.patientA)]);
  });

  it('a Schedule per staff member of the programme', async () => {
    const s = await frontDesk.get(`/fhir/R4/Schedule/${w.users.counsellor}`);
    expectValidFhir(s.json());
    expect(s.json()).toMatchObject({ active: true, actor: [{ display: 'Test counsellor', identifier: { value: w.users.counsellor } }] });
    const b = expectBundle(await frontDesk.get(`/fhir/R4/Schedule?actor=${w.users.counsellor}`));
    expect(b.entry!.map((e) => e.resource.id)).toEqual([w.users.counsellor]);
    expect(expectBundle(await frontDesk.get('/fhir/R4/Schedule?_total=accurate')).total).toBeGreaterThanOrEqual(8);
    expect((await frontDesk.get(`/fhir/R4/Schedule/${w.adminB}`)).statusCode).toBe(404);
  });

  it('keeps programmes apart, needs read:encounter for visits, and audits each read and search', async () => {
    expect((await counsellor.get(`/fhir/R4/Appointment/${visit.otherProgramme}`)).statusCode).toBe(404);
    expect((await counsellor.get(`/fhir/R4/Encounter/${hex(visit.otherProgramme)}${hex(w.patientB)}`)).statusCode).toBe(404);
    expect(expectBundle(await counsellor.get(`/fhir/R4/Encounter?patient=${w.patientB}`)).entry ?? []).toEqual([]);
    expect((await frontDesk.get(`/fhir/R4/Encounter?patient=${w.patientA}`)).statusCode).toBe(403);
    expect((await frontDesk.get(`/fhir/R4/Appointment/${visit.group}`)).statusCode).toBe(403);
    expectBundle(await peer.get(`/fhir/R4/Appointment?patient=${w.patientA}`));
    const rows = await w.database.query<{ entity: string; action: string }>(
      "select entity, action from audit_events where program_id = $1 and detail->>'via' = 'fhir' and entity in ('appointment', 'encounter', 'schedule')",
      [w.programA],
    );
    for (const kind of ['appointment', 'encounter', 'schedule']) {
      expect(rows.some((r) => r.entity === kind && r.action === 'read')).toBe(true);
      expect(rows.some((r) => r.entity === kind && r.action === 'search')).toBe(true);
    }
  });
});
