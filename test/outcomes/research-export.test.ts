// The de-identified research export's API (issue 17) on a hand-built cohort.
//
// Programme A, today 2026-03-02 (New York). Admitted from 2025-06-01 to 2026-02-28:
//   twelve women born 1930–1934 (aged 90–95), OTP, no medication, each admitted 2 Jul 2025 and
//   discharged 10 days later (one of them with a fentanyl-positive screen on 3 Jul): the shift
//   (−182…+182 days) keeps every admission in 2025, so they are one class of 12 ≥ k = 11 and are
//   released as they are, aged "90+";
//   two younger men in IOP (one admitted 1 Feb 2026, still in; one 5 Jan 2026): a class of one
//   each, suppressed (quasi-identifiers and dates blank, measures kept).
// Every patient has a name, MRN, birth date, phone, e-mail and address none of which may appear.
// Fourteen patients → fourteen disclosures under the research exception, one audit row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let admin: Client;
type Person = { id: string; given: string; family: string; mrn: string; birthDate: string; phone: string; email: string; address: string };
const people: Person[] = [];
const BODY = { from: '2025-06-01', to: '2026-02-28', recipient: 'Riverside University (fictional)', purpose: 'Retention on methadone in older adults, protocol 2026-17' };

async function admit(i: number, extra: { birthDate: string; sex: string }, episodes: { levelOfCare: string; admittedOn: string; dischargedOn?: string }[]) {
  const person: Person = {
    id: '',
    given: `Research${String.fromCharCode(65 + i)}given`,
    family: `Researchfam${String.fromCharCode(65 + i)}`,
    mrn: `RX-${1000 + i}`,
    birthDate: extra.birthDate,
    phone: `+1555010${String(1000 + i)}`,
    email: `research${i}@example.test`,
    address: `${100 + i} Elm Street, Springfield`,
  };
  const p = await admin.post('/api/v1/patients', {
    mrn: person.mrn,
    legalGivenName: person.given,
    legalFamilyName: person.family,
    birthDate: person.birthDate,
    administrativeSex: extra.sex,
    phone: person.phone,
    email: person.email,
    address: person.address,
    confirmNotDuplicate: true,
  });
  expect(p.statusCode, p.body).toBe(200);
  person.id = (p.json() as { id: string }).id;
  for (const e of episodes) {
    const r = await admin.post(`/api/v1/patients/${person.id}/episodes`, { levelOfCare: e.levelOfCare, admittedOn: e.admittedOn });
    expect(r.statusCode, r.body).toBe(200);
    if (e.dischargedOn) {
      const d = await admin.post(`/api/v1/patients/${person.id}/episodes/${(r.json() as { id: string }).id}/discharge`, { dischargedOn: e.dischargedOn, dischargeReason: 'completed' });
      expect(d.statusCode, d.body).toBe(200);
    }
  }
  people.push(person);
  return person;
}

const parse = (csv: string) => {
  const [head, ...lines] = csv.trim().split('\r\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])) as Record<string, string>);
};
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  for (let i = 0; i < 12; i++) {
    const p = await admit(i, { birthDate: `${1930 + (i % 5)}-0${1 + (i % 6)}-1${i % 9}`, sex: 'female' }, [{ levelOfCare: 'otp', admittedOn: '2025-07-02', dischargedOn: '2025-07-12' }]);
    if (i === 0) {
      const s = await admin.post('/api/v1/specimens', {
        patientId: p.id,
        collectedAt: '2025-07-03T15:00:00Z',
        observed: true,
        temperatureC: 34,
        method: 'presumptive',
        results: [{ analyte: 'fentanyl', result: 'positive' }],
      });
      expect(s.statusCode, s.body).toBe(200);
    }
  }
  await admit(12, { birthDate: '1988-05-20', sex: 'male' }, [{ levelOfCare: 'intensive-outpatient', admittedOn: '2026-02-01' }]);
  await admit(13, { birthDate: '1979-11-02', sex: 'male' }, [{ levelOfCare: 'intensive-outpatient', admittedOn: '2026-01-05', dischargedOn: '2026-02-02' }]);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('the de-identified research export', () => {
  let out: { csv: string; dictionaryCsv: string; rows: number; k: number; smallestClass: number; classes: number; suppressedRows: number; generalisedRows: number; disclosures: number };

  beforeAll(async () => {
    const r = await admin.post('/api/v1/outcomes/research-exports', BODY);
    expect(r.statusCode, r.body).toBe(200);
    out = r.json() as typeof out;
  });

  it('reports the check: 14 rows, k = 11, the class of twelve released, two rows suppressed', () => {
    expect(out).toMatchObject({ rows: 14, k: 11, smallestClass: 12, classes: 1, suppressedRows: 2, disclosures: 14 });
    const rows = parse(out.csv);
    expect(rows).toHaveLength(14);
    expect(new Set(rows.map((r) => r.study_id)).size).toBe(14);
  });

  it('has no identifier: no name, MRN, birth date, phone, e-mail, address or record id', () => {
    for (const p of people) for (const v of [p.id, p.given, p.family, p.mrn, p.birthDate, p.phone, p.email, p.address, p.phone.slice(2)]) expect(out.csv, v).not.toContain(v);
  });

  it('groups ages over 89 as "90+", shifts dates keeping the interval, and keeps the measures', () => {
    const rows = parse(out.csv);
    const old = rows.filter((r) => r.disclosure_control === 'none');
    expect(old).toHaveLength(12);
    for (const r of old) {
      expect(r).toMatchObject({ age_at_admission: '90+', age_band: '90+', sex: 'female', level_of_care: 'otp', medication: 'none', days_in_treatment: '10', left_treatment: 'yes' });
      expect(r.admission_date!.slice(0, 4)).toBe('2025');
      // shifted (never by 0 days; another patient's shifted date may land on any day, so only each row's own date is checked)
      expect(r.admission_date).not.toBe('2025-07-02');
      expect(Math.abs(daysBetween('2025-07-02', r.admission_date!))).toBeLessThanOrEqual(182);
      expect(daysBetween(r.admission_date!, r.discharge_date!)).toBe(10);
    }
    // the shift is random per patient: twelve patients admitted the same day do not all move together
    expect(new Set(old.map((r) => r.admission_date)).size).toBeGreaterThan(1);
    expect(old.filter((r) => r.screens === '1')).toHaveLength(1);
    const young = rows.filter((r) => r.disclosure_control === 'suppressed');
    expect(young.map((r) => [r.age_at_admission, r.sex, r.level_of_care, r.admission_date, r.discharge_date].join(''))).toEqual(['', '']);
    expect(young.map((r) => `${r.days_in_treatment}/${r.left_treatment}`).sort()).toEqual(['28/yes', '29/no']);
  });

  it('a dictionary line for every column', () => {
    const columns = out.csv.split('\r\n')[0]!.split(',');
    const dict = out.dictionaryCsv.trim().split('\r\n');
    expect(dict[0]).toBe('column,meaning,type,unit,de-identification');
    expect(dict.slice(1).map((l) => l.split(',')[0])).toEqual(columns);
  });

  it('each patient’s accounting of disclosures shows it under the research exception, with the study', async () => {
    for (const p of people) {
      const a = (await admin.get(`/api/v1/patients/${p.id}/disclosures`)).json() as { items: { channel: string; exception: string | null; reason: string | null; recipient: { name: string } }[] };
      const research = a.items.filter((i) => i.exception === 'research');
      expect(research).toHaveLength(1);
      expect(research[0]).toMatchObject({ channel: 'export', recipient: { name: BODY.recipient } });
      expect(research[0]!.reason).toContain(BODY.purpose);
    }
    // patient A of the world has no admission in the period: nothing disclosed
    const a = (await admin.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: unknown[] };
    expect(a.items).toHaveLength(0);
  });

  it('writes one audit row: export of outcomes, counts only', async () => {
    const items = await w.database.query<{ detail: Record<string, unknown>; patient_id: string | null }>("select detail, patient_id from audit_events where entity = 'outcomes' and action = 'export'");
    expect(items).toHaveLength(1);
    expect(items[0]!.patient_id).toBeNull();
    expect(items[0]!.detail).toMatchObject({ measure: 'research-export', rows: 14, patients: 14, k: 11, smallestClass: 12, suppressedRows: 2 });
    expect(JSON.stringify(items[0]!.detail)).not.toMatch(/Research|RX-/);
  });

  it('403 for a role without export:research (the auditor reads outcomes but may not export)', async () => {
    for (const role of ['auditor', 'prescriber', 'counsellor'] as const) expectProblem(await (await w.client(role)).post('/api/v1/outcomes/research-exports', BODY), 403);
  });

  it('400 naming the field', async () => {
    expectProblem(await admin.post('/api/v1/outcomes/research-exports', { ...BODY, from: '2026-13-01' }), 400, undefined, 'body.from');
    expectProblem(await admin.post('/api/v1/outcomes/research-exports', { ...BODY, from: '2026-03-01', to: '2026-01-01' }), 400, undefined, 'body.from');
    expectProblem(await admin.post('/api/v1/outcomes/research-exports', { ...BODY, recipient: '' }), 400, undefined, 'body.recipient');
    expectProblem(await admin.post('/api/v1/outcomes/research-exports', { from: BODY.from, to: BODY.to, recipient: BODY.recipient }), 400, undefined, 'body.purpose');
    expectProblem(await admin.post('/api/v1/outcomes/research-exports', { ...BODY, extra: 1 }), 400);
  });
});
