// The de-identified research export (issue 17, docs/outcomes.md "The de-identified research
// export"): one row per admission with the outcome measures, the HIPAA Safe Harbor identifiers
// removed (no name, MRN, address, phone, e-mail, birth date, free text or record id), every
// date of a patient shifted by one random offset (intervals kept), ages over 89 grouped as
// "90+", and the check a release needs: rows whose quasi-identifiers are shared by fewer than k
// rows are generalised, then suppressed, so every class released has at least k rows. Its data
// dictionary says what each column means and how it was de-identified. Pure: randomness comes
// in as an argument (crypto on the server, a seeded generator in tests).
import { addDays } from '../cm/calendar.ts';
import { MIN_CELL, smallestClass } from './cells.ts';
import { abstinentWeeks, medicationOf } from './dashboard.ts';
import { negativeRate, weeklyOutcomes, type ScheduledScreen } from './screens.ts';
import { spellOf } from './survival.ts';

/** A uniform whole number from 0 to n − 1. The server passes crypto's randomInt; tests a seeded generator. */
export type RandomInt = (n: number) => number;

/** One admission as the server reads it. `patientId` and `birthDate` only group and age the rows: neither leaves. */
export type ResearchAdmission = {
  patientId: string;
  birthDate: string;
  /** Administrative sex as recorded (female, male, other, unknown). */
  sex: string;
  levelOfCare: string;
  /** The admission's medications by start date (medicationOf picks the medication for OUD). */
  medications: readonly string[];
  cmProtocol: string | null;
  admittedOn: string;
  dischargedOn: string | null;
  lastContactOn: string | null;
  /** The screens collected from admission to discharge (or the end of the data), results in effect; null results: not given (invalid). */
  screens: readonly ScheduledScreen[];
  attendedVisits: number;
  checkInDays: number;
};

/** Dates move by a whole number of days from −SHIFT_DAYS to +SHIFT_DAYS, never 0, drawn once per patient per export. */
export const SHIFT_DAYS = 182;
/** Ages from this one up are one group ("90+"), as Safe Harbor asks. */
export const TOP_AGE = 90;

/** Age bands of the k check (years at admission). */
const AGE_BANDS: readonly [number, string][] = [
  [18, 'under 18'],
  [25, '18-24'],
  [35, '25-34'],
  [45, '35-44'],
  [55, '45-54'],
  [65, '55-64'],
  [TOP_AGE, '65-89'],
];
/** The wider bands a row in a small class is generalised to before it is suppressed. */
const WIDE_BANDS: readonly [number, string][] = [
  [35, 'under 35'],
  [55, '35-54'],
];
const bandOf = (age: number | null, bands: readonly [number, string][], top: string): string => (age === null ? 'unknown' : (bands.find(([below]) => age < below)?.[1] ?? top));
export const ageBand = (age: number | null) => bandOf(age, AGE_BANDS, `${TOP_AGE}+`);
export const wideAgeBand = (age: number | null) => bandOf(age, WIDE_BANDS, '55+');

/** Whole years from birth to `on`; null when the birth date is after it (not recorded). */
export function ageOn(birthDate: string, on: string): number | null {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age < 0 ? null : age;
}

/** One row of the export, as released. Blank strings: suppressed or not recorded. */
export type ResearchRow = {
  studyId: string;
  age: string;
  ageBand: string;
  sex: string;
  levelOfCare: string;
  medication: string;
  cmProtocol: string;
  admissionDate: string;
  dischargeDate: string;
  daysInTreatment: number;
  leftTreatment: 'yes' | 'no';
  screens: number;
  opioidNegativeMissingPositive: number | null;
  opioidNegativeMissingExcluded: number | null;
  longestAbstinenceWeeks: number;
  attendedVisits: number;
  checkInDays: number;
  /** 'none', 'generalised' (wide age band, exact age blank) or 'suppressed' (quasi-identifiers and dates blank). */
  disclosureControl: 'none' | 'generalised' | 'suppressed';
};

/** The quasi-identifiers the k check groups rows by; `admissionYear` is the year of the shifted admission date. */
export const QUASI_IDENTIFIERS = ['ageBand', 'sex', 'levelOfCare', 'medication', 'admissionYear'] as const;

type Column = { name: string; key: keyof ResearchRow; meaning: string; type: string; unit: string; deidentification: string };

/** The columns, in order, with the data dictionary's words. */
export const COLUMNS: readonly Column[] = [
  {
    name: 'study_id',
    key: 'studyId',
    meaning: 'A number for the patient in this export only; the same for each admission of one patient',
    type: 'text',
    unit: '',
    deidentification: 'Random for each export; derived from no record number, so it cannot be linked to the record or to another export',
  },
  {
    name: 'age_at_admission',
    key: 'age',
    meaning: 'Age at admission',
    type: 'integer or "90+"',
    unit: 'years',
    deidentification: 'Computed from the birth date, which is not exported; 90 and over are one group "90+"; blank when generalised or suppressed',
  },
  {
    name: 'age_band',
    key: 'ageBand',
    meaning: 'Age group at admission',
    type: 'category',
    unit: 'years',
    deidentification: 'Quasi-identifier; widened (under 35, 35-54, 55+) when its group was smaller than k; blank when suppressed',
  },
  { name: 'sex', key: 'sex', meaning: 'Administrative sex as recorded (female, male, other, unknown)', type: 'category', unit: '', deidentification: 'Quasi-identifier; blank when suppressed' },
  { name: 'level_of_care', key: 'levelOfCare', meaning: 'Level of care admitted to', type: 'category', unit: '', deidentification: 'Quasi-identifier; blank when suppressed' },
  {
    name: 'medication',
    key: 'medication',
    meaning: 'Medication for OUD in the first 30 days (methadone, buprenorphine, naltrexone or none)',
    type: 'category',
    unit: '',
    deidentification: 'Quasi-identifier; blank when suppressed',
  },
  {
    name: 'cm_protocol',
    key: 'cmProtocol',
    meaning: 'Name of the contingency management protocol enrolled in during the admission, or none',
    type: 'text',
    unit: '',
    deidentification: 'A protocol name, not about the person',
  },
  {
    name: 'admission_date',
    key: 'admissionDate',
    meaning: 'Admission date, shifted',
    type: 'date (YYYY-MM-DD)',
    unit: '',
    deidentification: 'Shifted by the patient’s random offset (−182 to +182 days, never 0; one offset for all their dates); its year is a quasi-identifier; blank when suppressed',
  },
  {
    name: 'discharge_date',
    key: 'dischargeDate',
    meaning: 'Discharge date, shifted; blank when not discharged by the export date',
    type: 'date (YYYY-MM-DD)',
    unit: '',
    deidentification: 'Shifted by the same offset as the admission date, so the interval is kept; blank when suppressed',
  },
  {
    name: 'days_in_treatment',
    key: 'daysInTreatment',
    meaning: 'Days from admission to leaving treatment (discharge, or last contact when none for over 30 days), or to the export date when still in treatment',
    type: 'integer',
    unit: 'days',
    deidentification: 'An interval: kept as is',
  },
  {
    name: 'left_treatment',
    key: 'leftTreatment',
    meaning: 'Whether they left treatment (yes: an event) or were still in treatment at the export date (no: censored)',
    type: 'yes/no',
    unit: '',
    deidentification: 'None needed',
  },
  {
    name: 'screens',
    key: 'screens',
    meaning: 'Drug screens collected from admission to discharge or the export date (invalid ones included)',
    type: 'integer',
    unit: 'screens',
    deidentification: 'A count: kept as is',
  },
  {
    name: 'opioid_negative_weeks_pct_missing_positive',
    key: 'opioidNegativeMissingPositive',
    meaning: 'Weeks in treatment with a negative opioid screen, % of all weeks (a week without a screen counts as positive)',
    type: 'number (1 decimal)',
    unit: '%',
    deidentification: 'None needed; blank when there were no weeks',
  },
  {
    name: 'opioid_negative_weeks_pct_missing_excluded',
    key: 'opioidNegativeMissingExcluded',
    meaning: 'Weeks with a negative opioid screen, % of weeks with a screen (weeks without one left out)',
    type: 'number (1 decimal)',
    unit: '%',
    deidentification: 'None needed; blank when no week had a screen',
  },
  {
    name: 'longest_abstinence_weeks',
    key: 'longestAbstinenceWeeks',
    meaning: 'The longest run of consecutive weeks with a negative opioid screen',
    type: 'integer',
    unit: 'weeks',
    deidentification: 'None needed',
  },
  {
    name: 'attended_visits',
    key: 'attendedVisits',
    meaning: 'Visits attended (on time, late or leaving early) from admission to discharge or the export date',
    type: 'integer',
    unit: 'visits',
    deidentification: 'A count: kept as is',
  },
  {
    name: 'check_in_days',
    key: 'checkInDays',
    meaning: 'Days with a daily check-in from admission to discharge or the export date',
    type: 'integer',
    unit: 'days',
    deidentification: 'A count: kept as is (the answers, free text included, are not exported)',
  },
  {
    name: 'disclosure_control',
    key: 'disclosureControl',
    meaning: 'What the k check did to this row: none, generalised (wide age band, no exact age) or suppressed (quasi-identifiers and dates blank)',
    type: 'category',
    unit: '',
    deidentification: 'Says how the row was protected',
  },
];

/**
 * The 18 Safe Harbor identifiers (45 CFR 164.514(b)(2)) and where each went: none is a column.
 * Ages over 89 are grouped; dates of the person are shifted (their year is not kept exactly either).
 */
export const SAFE_HARBOR_REMOVED = [
  'names',
  'geographic subdivisions smaller than a state (addresses, ZIP codes)',
  'dates directly related to the person (birth date not exported; admission and discharge dates shifted; ages over 89 grouped)',
  'telephone numbers',
  'fax numbers',
  'e-mail addresses',
  'Social Security numbers',
  'medical record numbers',
  'health plan beneficiary numbers',
  'account numbers',
  'certificate or licence numbers',
  'vehicle identifiers',
  'device identifiers',
  'web addresses (URLs)',
  'IP addresses',
  'biometric identifiers',
  'full-face photographs',
  'any other unique identifying number, characteristic or code (record ids; free text such as notes and check-in answers)',
] as const;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** The patient's offset: −SHIFT_DAYS…−1 or 1…SHIFT_DAYS, uniform. */
export function drawOffset(random: RandomInt): number {
  const r = random(2 * SHIFT_DAYS);
  return r < SHIFT_DAYS ? r - SHIFT_DAYS : r - SHIFT_DAYS + 1;
}

/** A random order of 0…n − 1 (Fisher–Yates). */
function shuffled(n: number, random: RandomInt): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const qiKey = (r: ResearchRow) => JSON.stringify([r.ageBand, r.sex, r.levelOfCare, r.medication, r.admissionDate.slice(0, 4)]);
const qiOf = (r: ResearchRow) => ({ ageBand: r.ageBand, sex: r.sex, levelOfCare: r.levelOfCare, medication: r.medication, admissionYear: r.admissionDate.slice(0, 4) });

export type DisclosureCheck = {
  k: number;
  quasiIdentifiers: readonly string[];
  /** The smallest class among the rows released with their quasi-identifiers (0 when none is). */
  smallestClass: number;
  classes: number;
  generalisedRows: number;
  suppressedRows: number;
};

/**
 * The k check: rows whose quasi-identifiers are shared by fewer than k rows get the wide age
 * band (exact age blank); those still in a class under k have their quasi-identifiers and dates
 * blanked. Every row released with quasi-identifiers is then in a class of at least k.
 */
export function protect(rows: readonly ResearchRow[], ages: readonly (number | null)[], k = MIN_CELL): { rows: ResearchRow[]; check: DisclosureCheck } {
  const count = (rs: readonly ResearchRow[]) => {
    const m = new Map<string, number>();
    for (const r of rs) m.set(qiKey(r), (m.get(qiKey(r)) ?? 0) + 1);
    return m;
  };
  const first = count(rows);
  const generalised = rows.map((r, i) => ((first.get(qiKey(r)) ?? 0) < k ? { ...r, age: '', ageBand: wideAgeBand(ages[i] ?? null), disclosureControl: 'generalised' as const } : r));
  const second = count(generalised);
  const out = generalised.map((r) =>
    (second.get(qiKey(r)) ?? 0) < k ? { ...r, age: '', ageBand: '', sex: '', levelOfCare: '', medication: '', admissionDate: '', dischargeDate: '', disclosureControl: 'suppressed' as const } : r,
  );
  const released = out.filter((r) => r.disclosureControl !== 'suppressed').map(qiOf);
  const { size, classes } = smallestClass(released, [...QUASI_IDENTIFIERS]);
  return {
    rows: out,
    check: {
      k,
      quasiIdentifiers: QUASI_IDENTIFIERS,
      smallestClass: size,
      classes,
      generalisedRows: out.filter((r) => r.disclosureControl === 'generalised').length,
      suppressedRows: out.filter((r) => r.disclosureControl === 'suppressed').length,
    },
  };
}

/**
 * The export's rows, as of `asOf` (the export date, programme-local): one per admission (an
 * admission after `asOf` has none), each patient a random study id and one random date offset,
 * then the k check. Rows are ordered by study id and shifted admission date, so the order says
 * nothing about the records.
 */
export function deidentify(admissions: readonly ResearchAdmission[], opts: { asOf: string; random: RandomInt; k?: number }): { rows: ResearchRow[]; check: DisclosureCheck } {
  const patients = [...new Set(admissions.map((a) => a.patientId))];
  const order = shuffled(patients.length, opts.random);
  const width = Math.max(4, String(patients.length).length);
  const studyIds = new Map(patients.map((p, i) => [p, `S${String(order[i]! + 1).padStart(width, '0')}`]));
  const offsets = new Map(patients.map((p) => [p, drawOffset(opts.random)]));
  const built: { row: ResearchRow; age: number | null }[] = [];
  for (const a of admissions) {
    const spell = spellOf({ admittedOn: a.admittedOn, dischargedOn: a.dischargedOn, lastContactOn: a.lastContactOn }, opts.asOf);
    if (!spell) continue;
    const offset = offsets.get(a.patientId)!;
    const discharged = a.dischargedOn && a.dischargedOn <= opts.asOf ? a.dischargedOn : null;
    const weeks = weeklyOutcomes(a.admittedOn, discharged ?? opts.asOf, a.screens, 'opioids');
    const age = ageOn(a.birthDate, a.admittedOn);
    built.push({
      age,
      row: {
        studyId: studyIds.get(a.patientId)!,
        age: age === null ? '' : age >= TOP_AGE ? `${TOP_AGE}+` : String(age),
        ageBand: ageBand(age),
        sex: a.sex,
        levelOfCare: a.levelOfCare,
        medication: medicationOf(a.medications),
        cmProtocol: a.cmProtocol ?? 'none',
        admissionDate: addDays(a.admittedOn, offset),
        dischargeDate: discharged ? addDays(discharged, offset) : '',
        daysInTreatment: spell.days,
        leftTreatment: spell.ended ? 'yes' : 'no',
        screens: a.screens.length,
        opioidNegativeMissingPositive: round1(negativeRate(weeks, 'missing-positive').percent),
        opioidNegativeMissingExcluded: round1(negativeRate(weeks, 'missing-excluded').percent),
        longestAbstinenceWeeks: abstinentWeeks(weeks),
        attendedVisits: a.attendedVisits,
        checkInDays: a.checkInDays,
        disclosureControl: 'none',
      },
    });
  }
  built.sort((x, y) => (x.row.studyId < y.row.studyId ? -1 : x.row.studyId > y.row.studyId ? 1 : x.row.admissionDate < y.row.admissionDate ? -1 : x.row.admissionDate > y.row.admissionDate ? 1 : 0));
  return protect(
    built.map((b) => b.row),
    built.map((b) => b.age),
    opts.k ?? MIN_CELL,
  );
}

/** One CSV cell: quoted when it holds a comma, quote or line break; a leading = + − @ is neutralised (no spreadsheet formula). */
export function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvOf = (rows: readonly (readonly (string | number | null)[])[]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** The export as CSV: a header of the column names, one line per row. */
export const exportCsv = (rows: readonly ResearchRow[]): string => csvOf([COLUMNS.map((c) => c.name), ...rows.map((r) => COLUMNS.map((c) => r[c.key]))]);

/** The data dictionary as CSV: every column with its meaning, type, unit and how it was de-identified. */
export const dictionaryCsv = (): string => csvOf([['column', 'meaning', 'type', 'unit', 'de-identification'], ...COLUMNS.map((c) => [c.name, c.meaning, c.type, c.unit, c.deidentification])]);
