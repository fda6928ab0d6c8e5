import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween } from '../cm/calendar.ts';
import { MIN_CELL, smallestClass } from './cells.ts';
import { ageBand, ageOn, COLUMNS, csvCell, deidentify, dictionaryCsv, drawOffset, exportCsv, protect, SHIFT_DAYS, type RandomInt, type ResearchAdmission, type ResearchRow } from './deidentify.ts';

/** A seeded generator (mulberry32), so a run can be repeated. */
function seeded(seed: number): RandomInt {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const negative = { analyte: 'opiates', result: 'negative' } as const;
const positive = { analyte: 'fentanyl', result: 'positive' } as const;

const admission = (over: Partial<ResearchAdmission>): ResearchAdmission => ({
  patientId: 'p1',
  birthDate: '1980-06-15',
  sex: 'female',
  levelOfCare: 'otp',
  medications: ['Methadone 60 mg'],
  cmProtocol: null,
  admittedOn: '2026-01-05',
  dischargedOn: null,
  lastContactOn: null,
  screens: [],
  attendedVisits: 0,
  checkInDays: 0,
  ...over,
});

describe('deidentify: one hand-computed admission', () => {
  // Admitted Mon 5 Jan 2026 at 45 (born 15 Jun 1980), discharged 25 Jan (day 20, an event); as of 2 Mar.
  // Weeks to 25 Jan: 3 complete (days 0–20): wk1 negative (6 Jan), wk2 positive (13 Jan), wk3 none → [N, P, M]:
  // missing counted positive 1/3 = 33.3%; missing excluded 1/2 = 50%; longest run 1 week.
  const a = admission({
    dischargedOn: '2026-01-25',
    cmProtocol: 'Stimulant CM',
    screens: [
      { scheduledOn: '2026-01-06', results: [negative] },
      { scheduledOn: '2026-01-13', results: [positive] },
    ],
    attendedVisits: 4,
    checkInDays: 9,
  });

  it('gives the measures, shifted dates and no identifier (k = 1 so nothing is suppressed)', () => {
    const { rows, check } = deidentify([a], { asOf: '2026-03-02', random: seeded(7), k: 1 });
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    const offset = daysBetween('2026-01-05', r.admissionDate);
    expect(offset).not.toBe(0);
    expect(Math.abs(offset)).toBeLessThanOrEqual(SHIFT_DAYS);
    expect(daysBetween(r.admissionDate, r.dischargeDate)).toBe(20);
    expect(r).toMatchObject({
      studyId: 'S0001',
      age: '45',
      ageBand: '45-54',
      sex: 'female',
      levelOfCare: 'otp',
      medication: 'methadone',
      cmProtocol: 'Stimulant CM',
      daysInTreatment: 20,
      leftTreatment: 'yes',
      screens: 2,
      opioidNegativeMissingPositive: 33.3,
      opioidNegativeMissingExcluded: 50,
      longestAbstinenceWeeks: 1,
      attendedVisits: 4,
      checkInDays: 9,
      disclosureControl: 'none',
    });
    expect(check).toMatchObject({ k: 1, smallestClass: 1, classes: 1, generalisedRows: 0, suppressedRows: 0 });
  });

  it('with k = 11 a lone row is generalised, then suppressed: quasi-identifiers and dates blank, measures kept', () => {
    const { rows, check } = deidentify([a], { asOf: '2026-03-02', random: seeded(7) });
    expect(rows[0]).toMatchObject({ age: '', ageBand: '', sex: '', levelOfCare: '', medication: '', admissionDate: '', dischargeDate: '', daysInTreatment: 20, disclosureControl: 'suppressed' });
    expect(check).toEqual({ k: MIN_CELL, quasiIdentifiers: ['ageBand', 'sex', 'levelOfCare', 'medication', 'admissionYear'], smallestClass: 0, classes: 0, generalisedRows: 0, suppressedRows: 1 });
  });

  it('a still-in-treatment admission is censored at the export date with no discharge date', () => {
    const { rows } = deidentify([admission({ admittedOn: '2026-02-23' })], { asOf: '2026-03-02', random: seeded(1), k: 1 });
    expect(rows[0]).toMatchObject({ daysInTreatment: 7, leftTreatment: 'no', dischargeDate: '', opioidNegativeMissingPositive: 0, opioidNegativeMissingExcluded: null });
  });
});

describe('ages', () => {
  it('whole years at admission; 90 and over are "90+"; the bands', () => {
    expect(ageOn('1980-06-15', '2026-06-14')).toBe(45);
    expect(ageOn('1980-06-15', '2026-06-15')).toBe(46);
    expect(ageOn('2030-01-01', '2026-01-01')).toBeNull();
    expect([17, 18, 24, 25, 64, 65, 89, 90, 104].map(ageBand)).toEqual(['under 18', '18-24', '18-24', '25-34', '55-64', '65-89', '65-89', '90+', '90+']);
    // admitted 5 Jan 2026: born 1 Jan 1930 → 96, "90+"; born 5 Jan 1936 → 90 that day, "90+"; born 6 Jan 1936 → 89
    const { rows } = deidentify([admission({ birthDate: '1930-01-01' }), admission({ patientId: 'p2', birthDate: '1936-01-05' }), admission({ patientId: 'p3', birthDate: '1936-01-06' })], {
      asOf: '2026-03-02',
      random: seeded(3),
      k: 1,
    });
    expect(rows.map((r) => r.age).sort()).toEqual(['89', '90+', '90+']);
  });
});

describe('the k check', () => {
  const row = (over: Partial<ResearchRow>): ResearchRow => ({
    studyId: 'S1',
    age: '30',
    ageBand: '25-34',
    sex: 'female',
    levelOfCare: 'otp',
    medication: 'methadone',
    cmProtocol: 'none',
    admissionDate: '2026-01-05',
    dischargeDate: '',
    daysInTreatment: 1,
    leftTreatment: 'no',
    screens: 0,
    opioidNegativeMissingPositive: null,
    opioidNegativeMissingExcluded: null,
    longestAbstinenceWeeks: 0,
    attendedVisits: 0,
    checkInDays: 0,
    disclosureControl: 'none',
    ...over,
  });
  it('3 of 25-34 and 2 of 18-24 (k = 3): the pair widens to "under 35", a class of 2, so it is suppressed; the three stay', () => {
    const rows = [row({}), row({}), row({}), row({ age: '20', ageBand: '18-24' }), row({ age: '22', ageBand: '18-24' })];
    const { rows: out, check } = protect(rows, [30, 30, 30, 20, 22], 3);
    expect(out.map((r) => r.disclosureControl)).toEqual(['none', 'none', 'none', 'suppressed', 'suppressed']);
    expect(check).toMatchObject({ k: 3, smallestClass: 3, classes: 1, generalisedRows: 0, suppressedRows: 2 });
  });
  it('two small classes that widen into one of k are generalised: wide band, exact age blank', () => {
    const rows = [row({ age: '20', ageBand: '18-24' }), row({ age: '27', ageBand: '25-34' }), row({ age: '33', ageBand: '25-34' })];
    const { rows: out, check } = protect(rows, [20, 27, 33], 3);
    expect(out.map((r) => [r.age, r.ageBand, r.disclosureControl])).toEqual([
      ['', 'under 35', 'generalised'],
      ['', 'under 35', 'generalised'],
      ['', 'under 35', 'generalised'],
    ]);
    expect(check).toMatchObject({ smallestClass: 3, classes: 1, generalisedRows: 3, suppressedRows: 0 });
  });
});

describe('CSV and the data dictionary', () => {
  it('neutralises formulas and quotes', () => {
    expect([csvCell('=1+1'), csvCell('a,b'), csvCell('say "hi"'), csvCell(null), csvCell(2)]).toEqual([`"'=1+1"`, '"a,b"', '"say ""hi"""', '', '2']);
  });
  it('the dictionary has every column of the export, each with meaning, type and de-identification', () => {
    const header = exportCsv([]).trim().split(',');
    const dict = dictionaryCsv().trim().split('\r\n').slice(1);
    expect(dict).toHaveLength(header.length);
    expect(COLUMNS.map((c) => c.name)).toEqual(header);
    for (const c of COLUMNS) expect(c.meaning && c.type && c.deidentification).toBeTruthy();
  });
});

// ---- properties ----

const day = fc.integer({ min: 0, max: 900 }).map((n) => {
  const d = new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
  return d.toISOString().slice(0, 10);
});
const arbAdmission = fc
  .record({
    patient: fc.integer({ min: 0, max: 7 }),
    birthYear: fc.integer({ min: 1920, max: 2008 }),
    sex: fc.constantFrom('female', 'male', 'other', 'unknown'),
    levelOfCare: fc.constantFrom('otp', 'iop', 'residential'),
    medications: fc.subarray(['methadone', 'buprenorphine', 'naltrexone', 'sertraline']),
    admittedOn: day,
    stay: fc.option(fc.integer({ min: 0, max: 300 })),
    screens: fc.array(fc.record({ after: fc.integer({ min: 0, max: 200 }), positive: fc.boolean() }), { maxLength: 6 }),
  })
  .map((r): ResearchAdmission =>
    admission({
      patientId: `patient-${r.patient}-0c9d1c9a-6d4f-4d32-9f1a-${String(r.patient).padStart(12, '0')}`,
      birthDate: `${r.birthYear}-03-09`,
      sex: r.sex,
      levelOfCare: r.levelOfCare,
      medications: r.medications,
      admittedOn: r.admittedOn,
      dischargedOn: r.stay === null ? null : new Date(Date.parse(r.admittedOn) + r.stay * 86_400_000).toISOString().slice(0, 10),
      screens: r.screens.map((s) => ({ scheduledOn: new Date(Date.parse(r.admittedOn) + s.after * 86_400_000).toISOString().slice(0, 10), results: [s.positive ? positive : negative] })),
    }),
  );
const ASOF = '2026-07-01';

describe('deidentify: properties', () => {
  it('no cell is an identifier: no patient id, birth date or real date; no column is named for a Safe Harbor identifier', () => {
    fc.assert(
      fc.property(fc.array(arbAdmission, { maxLength: 30 }), fc.integer(), (as, seed) => {
        const { rows } = deidentify(as, { asOf: ASOF, random: seeded(seed), k: 1 });
        const csv = exportCsv(rows);
        for (const a of as) {
          expect(csv).not.toContain(a.patientId);
          expect(csv).not.toContain(a.birthDate);
        }
        for (const c of COLUMNS) expect(c.name).not.toMatch(/name$|mrn|address|zip|phone|fax|email|ssn|birth|record|url|ip_|device|photo/);
      }),
    );
  });

  it('every date of one patient moves by the same offset (never 0, at most 182 days), so intervals are kept', () => {
    fc.assert(
      fc.property(fc.array(arbAdmission, { maxLength: 30 }), fc.integer(), (as, seed) => {
        const { rows } = deidentify(as, { asOf: ASOF, random: seeded(seed), k: 1 });
        const real = as.filter((a) => a.admittedOn <= ASOF);
        expect(rows).toHaveLength(real.length);
        for (const r of rows) if (r.dischargeDate) expect(daysBetween(r.admissionDate, r.dischargeDate)).toBe(r.daysInTreatment);
        const byStudy = new Map<string, ResearchRow[]>();
        for (const r of rows) byStudy.set(r.studyId, [...(byStudy.get(r.studyId) ?? []), r]);
        const byPatient = new Map<string, ResearchAdmission[]>();
        for (const a of real) byPatient.set(a.patientId, [...(byPatient.get(a.patientId) ?? []), a]);
        expect(byStudy.size).toBe(byPatient.size);
        // each study id's shifted admission dates are one patient's real ones plus one offset
        for (const [, rs] of byStudy) {
          const shifted = rs.map((r) => r.admissionDate).sort();
          const match = [...byPatient.values()].find((p) => {
            if (p.length !== rs.length) return false;
            const realDates = p.map((a) => a.admittedOn).sort();
            const o = daysBetween(realDates[0]!, shifted[0]!);
            return o !== 0 && Math.abs(o) <= SHIFT_DAYS && realDates.every((d, i) => daysBetween(d, shifted[i]!) === o);
          });
          expect(match).toBeDefined();
        }
      }),
    );
  });

  it('ages of 90 and over are "90+", never a number above 89', () => {
    fc.assert(
      fc.property(fc.array(arbAdmission, { maxLength: 20 }), fc.integer(), (as, seed) => {
        for (const r of deidentify(as, { asOf: ASOF, random: seeded(seed), k: 1 }).rows) expect(r.age === '90+' || r.age === '' || Number(r.age) <= 89).toBe(true);
      }),
    );
  });

  it('every row released with its quasi-identifiers is in a class of at least k; the others are blank', () => {
    fc.assert(
      fc.property(fc.array(arbAdmission, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (as, k, seed) => {
        const { rows, check } = deidentify(as, { asOf: ASOF, random: seeded(seed), k });
        const released = rows.filter((r) => r.disclosureControl !== 'suppressed').map((r) => ({ b: r.ageBand, s: r.sex, l: r.levelOfCare, m: r.medication, y: r.admissionDate.slice(0, 4) }));
        const { size } = smallestClass(released, ['b', 's', 'l', 'm', 'y']);
        expect(size).toBe(check.smallestClass);
        if (released.length > 0) expect(size).toBeGreaterThanOrEqual(k);
        for (const r of rows.filter((x) => x.disclosureControl === 'suppressed')) expect([r.age, r.ageBand, r.sex, r.levelOfCare, r.medication, r.admissionDate, r.dischargeDate].join('')).toBe('');
        expect(check.suppressedRows).toBe(rows.length - released.length);
      }),
    );
  });

  it('another seed shifts differently', () => {
    const as = Array.from({ length: 10 }, (_, i) => admission({ patientId: `p${i}`, admittedOn: '2026-01-05' }));
    const a = deidentify(as, { asOf: ASOF, random: seeded(1), k: 1 }).rows.map((r) => r.admissionDate);
    const b = deidentify(as, { asOf: ASOF, random: seeded(2), k: 1 }).rows.map((r) => r.admissionDate);
    expect(a).not.toEqual(b);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const o = drawOffset(seeded(seed));
        expect(o !== 0 && Math.abs(o) <= SHIFT_DAYS).toBe(true);
      }),
    );
  });
});
