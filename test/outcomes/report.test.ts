// The funders' monthly report (issue 17): the PDF in English and Spanish on a hand-built cohort,
// its figures computed by hand, small cells shown as <11; the word catalogues; refusals.
//
// Programme A, today Mon 2 March 2026 (New York); the report of February 2026 (the default, the
// last full month), data as of 28 Feb; retention and the trend follow admissions from 1 March
// 2025 to 28 Feb 2026. Opioid screens:
//   A1–A10 (OTP) admitted Mon 5 Jan: negative screens 6 Jan (week 1), 3, 10 and 17 Feb (weeks 5–7)
//   A11–A12 (OTP) admitted Mon 5 Jan, a negative screen 6 Jan, discharged 20 Jan (day 15)
//   B (residential) admitted Mon 1 Dec 2025, a positive opiates screen 4 Feb (week 10), still in
//   C (OTP) admitted Mon 23 Feb, no screens, discharged 27 Feb (day 4)
// Census of February: in treatment A1–A10, B, C = 12; admissions 1 (<11); discharges 1 (<11).
// The month's weeks (those starting 1–28 Feb; the week of 23 Feb is under way without a screen):
//   A1–A10 3 negative each = 30; B positive, missing, missing → 30 negative, 1 positive, 2 missing
//   missing counted positive 30/33 = 90.9%; missing left out 30/31 = 96.8%.
// Retention, all 14: C left day 4 (13/14), A11–12 left day 15 (× 11/13 = 11/14 = 78.6%), A1–10
//   censored day 54, B censored day 89. S(30) = 78.6% with 11 followed; S(90), S(180) not recorded.
//   Left 3 (<11), still in 11. OTP (13): S(30) = 10/13 but only 10 followed → not shown.
// Trend, week 1: 13 admissions (C has no complete week), 12 negative, 1 missing → 92.3%
//   (12/13) and 100.0% (12/12); week 2: 0 of 13 → 0.0%, and not recorded with missing left out.
// CM cost: A1–A10 are enrolled (no new patients, no new screens: census, retention and screens
//   stay as above) in a vouchers protocol from Mon 2 Feb, Tuesdays, paying for a fentanyl-negative
//   screen 500 cents, +100 a success: their screens of 3, 10, 17 Feb earn 500 + 600 + 700 = 1800
//   each (24 Feb missed: nothing). Funding: A1–A6 "County grant (test)" (budget $200.00), A7–A9
//   "Settlement fund (test)" (no budget), A10 none. A1 redeems a $10.00 item.
//   Enrolments 10 and patients 10 → <11, <11; earned 10 × 1800 = $180.00; redeemed $10.00.
//   County 6 × 1800 = $108.00, redeemed $10.00, 10800 / 20000 = 54.0% used; Settlement
//   3 × 1800 = $54.00, $0.00, not recorded; no source $18.00, $0.00, not recorded.
//   Per patient: 10 patients → not shown. Per negative CM screen: 30 screens → 18000 / 30 = $6.00.
//   Per week in treatment: A1–A10's admissions, 54 days each to 28 Feb (as retention) = 540 days
//   → 18000 × 7 / 540 = 233.3 cents = $2.33.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/http.ts';
import { pdfText } from '../support/pdf.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { admit } from './support.ts';
import type { Recorded } from '../cm/support.ts';
import { REPORT_WORDS } from '../../server/modules/outcomes/report-words.ts';

const opioids = (result: 'negative' | 'positive') => [
  { analyte: 'opiates', result },
  { analyte: 'fentanyl', result: 'negative' },
];

let w: World;
let admin: Client;
let coord: Client;

/** The CM protocol of the cohort: a voucher for each fentanyl-negative screen, 500 cents, +100 a success. */
const VOUCHERS = {
  id: 'report-vouchers',
  version: 1,
  name: 'Report test vouchers (fictional)',
  citation: 'test',
  weeks: 12,
  tracks: [{ id: 'opioid', target: { kind: 'negative', analytes: ['fentanyl'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 500, step: 100 } }] }],
};

async function screen(c: Client, patientId: string, day: string, result: 'negative' | 'positive'): Promise<Recorded> {
  const r = await c.post('/api/v1/specimens', { patientId, collectedAt: `${day}T15:00:00Z`, observed: true, temperatureC: 34, method: 'presumptive', results: opioids(result) });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recorded;
}

async function enrol(patientId: string, protocolId: string, fundingSourceId: string | null) {
  const e = await coord.post('/api/v1/cm/enrolments', {
    patientId,
    protocolId,
    startDate: '2026-02-02',
    calendar: { specimen: [2], windowStart: '08:00', windowEnd: '17:00' },
    ...(fundingSourceId ? { fundingSourceId } : {}),
  });
  expect(e.statusCode, e.body).toBe(200);
}

async function discharge(c: Client, a: { patientId: string; episodeId: string }, dischargedOn: string) {
  const d = await c.post(`/api/v1/patients/${a.patientId}/episodes/${a.episodeId}/discharge`, { dischargedOn, dischargeReason: 'completed' });
  expect(d.statusCode, d.body).toBe(200);
}

const letters = (n: number) => 'abcdefghijklmnop'.slice(n, n + 1);

beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  coord = await w.client('cm-coordinator');
  expect((await coord.post('/api/v1/cm/funding-sources', { id: 'report-county', name: 'County grant (test)', capsPreset: 'none', budgetCents: 20_000 })).statusCode).toBe(200);
  expect((await coord.post('/api/v1/cm/funding-sources', { id: 'report-settlement', name: 'Settlement fund (test)', capsPreset: 'none' })).statusCode).toBe(200);
  const proto = await coord.post('/api/v1/cm/protocols', { document: VOUCHERS });
  expect(proto.statusCode, proto.body).toBe(200);
  const protocolId = (proto.json() as { id: string }).id;
  let a1 = '';
  for (let i = 0; i < 12; i++) {
    const a = await admit(admin, `A${letters(i)}`, '2026-01-05');
    await screen(admin, a.patientId, '2026-01-06', 'negative');
    if (i >= 10) {
      await discharge(admin, a, '2026-01-20');
      continue;
    }
    await enrol(a.patientId, protocolId, i < 6 ? 'report-county' : i < 9 ? 'report-settlement' : null);
    if (i === 0) a1 = a.patientId;
    const earned: number[] = [];
    for (const day of ['2026-02-03', '2026-02-10', '2026-02-17']) earned.push((await screen(admin, a.patientId, day, 'negative')).award.earnedCents);
    expect(earned).toEqual([500, 600, 700]);
  }
  const item = await coord.post('/api/v1/cm/catalogue', { name: 'Report test item (fictional)', kind: 'item', valueCents: 1000, stock: 5 });
  expect(item.statusCode, item.body).toBe(200);
  const red = await coord.post(`/api/v1/cm/patients/${a1}/redemptions`, { itemId: (item.json() as { id: string }).id, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } });
  expect(red.statusCode, red.body).toBe(200);
  const b = await admit(admin, 'B', '2025-12-01', 'residential');
  await screen(admin, b.patientId, '2026-02-04', 'positive');
  const c = await admit(admin, 'C', '2026-02-23');
  await discharge(admin, c, '2026-02-27');
}, 180_000);

afterAll(async () => w?.close());

async function report(query: string) {
  const r = await admin.get(`/api/v1/outcomes/funder-report${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return { res: r, ...(await pdfText(r.rawPayload)) };
}

describe("the funders' monthly report", () => {
  it('English: a PDF named by month and language, the census, retention, screens and trend as computed by hand, small cells as <11', async () => {
    const before = await w.database.query<{ n: number }>("select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'export' and patient_id is null");
    const { res, text, title, pages } = await report('');
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="funder-report-2026-02-en.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(title).toBe('Monthly programme report: Programme A, February 2026');
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/funder-report-en.pdf', res.rawPayload); // to look at
    expect(text).toContain('Monthly programme report Programme A Month: February 2026 · Generated: March 2, 2026');
    // census
    expect(text).toContain('Patients in treatment during the month 12');
    expect(text).toContain('Admissions in the month <11');
    expect(text).toContain('Discharges in the month <11');
    // retention: admissions, left, still in, then S(30), S(90), S(180) with those followed that long
    expect(text).toContain('Admissions from March 1, 2025 to February 28, 2026, followed to February 28, 2026');
    expect(text).toContain('All levels of care 14 <11 11 78.6% (11) Not recorded (0) Not recorded (0)');
    expect(text).toContain('Opioid treatment programme (OTP) 13 <11 <11 Not shown (<11) Not recorded (0) Not recorded (0)');
    expect(text).toContain('Residential <11 0 <11 Not shown (<11)');
    // the month's screens under both conventions, with the counts
    expect(text).toContain('Weeks that started in the month: No screen counted as positive 90.9%');
    expect(text).toContain('Weeks that started in the month: No screen left out 96.8%');
    expect(text).toContain('No screen counted as positive 30 <11 <11 33 90.9%');
    expect(text).toContain('No screen left out 30 <11 — 31 96.8%');
    // the trend by week since admission (chart and table)
    expect(text).toContain('% negative: No screen counted as positive');
    expect(text).toContain('1 13 92.3% (12 / 13) 100.0% (12 / 12)');
    expect(text).toContain('2 13 0.0% (0 / 13) Not recorded (0 / 0)');
    expect(text).toContain('5 11 Not shown (<11 / 11) Not shown (<11 / <11)');
    // what CM cost: counts as <11, money in dollars, the cost per patient over <11 patients not shown
    expect(text).toContain('What contingency management cost');
    expect(text).toContain('Counted: the CM enrolments that started from March 1, 2025 to February 28, 2026.');
    expect(text).toContain('as recorded on March 2, 2026');
    expect(text).toContain('Weeks in treatment are counted to February 28, 2026, as for retention.');
    expect(text).toContain('CM enrolments that started <11 Patients enrolled <11 Earned by patients $180.00 Redeemed by patients $10.00');
    expect(text).toContain(
      'Funding source Earned Redeemed Budget % of budget used County grant (test) $108.00 $10.00 $200.00 54.0% Settlement fund (test) $54.00 $0.00 Not recorded Not recorded No funding source $18.00 $0.00 Not recorded Not recorded',
    );
    expect(text).toContain('Cost per patient enrolled Not shown Cost per negative CM screen $6.00 Cost per week in treatment $2.33');
    // a section that fits on a page is kept on one page (this one starts a page rather than split)
    expect(pages.find((p) => p.includes('What contingency management cost'))).toContain('Cost per week in treatment $2.33');
    expect(text).not.toMatch(/report[A-Z]/); // no patient named
    const after = await w.database.query<{ n: number }>("select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'export' and patient_id is null");
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    const rows = await w.database.query<{ n: number }>(
      `select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'export' and detail = '{"report":"funder-monthly","month":"2026-02","lang":"en"}'::jsonb`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('Spanish: the same figures in Spanish words', async () => {
    const { res, text } = await report('?month=2026-02&lang=es');
    expect(res.headers['content-disposition']).toBe('attachment; filename="funder-report-2026-02-es.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/funder-report-cohort-es.pdf', res.rawPayload); // to look at (the e2e test keeps its own funder-report-es.pdf)
    expect(text).toContain('Informe mensual del programa Programme A Mes: febrero de 2026 · Generado el: 2 de marzo de 2026');
    expect(text).toContain('Pacientes en tratamiento durante el mes 12');
    expect(text).toContain('Altas del mes <11');
    expect(text).toContain('Permanencia en el tratamiento');
    expect(text).toContain('Todos los niveles de atención 14 <11 11 78.6% (11) Sin registro (0) Sin registro (0)');
    expect(text).toContain('Residencial <11 0 <11 No se muestra (<11)');
    expect(text).toContain('Semanas que empezaron en el mes: Sin análisis contado como positivo 90.9%');
    expect(text).toContain('Análisis de opioides negativos');
    expect(text).toContain('1 13 92.3% (12 / 13) 100.0% (12 / 12)');
    expect(text).toContain('Lo que costó el manejo de contingencias');
    expect(text).toContain('Se cuentan las inscripciones en MC que empezaron del 1 de marzo de 2025 al 28 de febrero de 2026.');
    expect(text).toContain('Inscripciones en MC que empezaron <11 Pacientes inscritos <11 Ganado por los pacientes $180.00 Canjeado por los pacientes $10.00');
    expect(text).toContain(
      'County grant (test) $108.00 $10.00 $200.00 54.0% Settlement fund (test) $54.00 $0.00 Sin registro Sin registro Sin fuente de financiamiento $18.00 $0.00 Sin registro Sin registro',
    );
    expect(text).toContain('Costo por paciente inscrito No se muestra Costo por análisis negativo de MC $6.00 Costo por semana en tratamiento $2.33');
  });

  it('a month with no admissions in the year: the census and “no admissions”, not a false 0%', async () => {
    const { text } = await report('?month=2024-06');
    expect(text).toContain('Patients in treatment during the month 0');
    expect(text).toContain('No admissions in this period.');
    expect(text).toContain('Weeks that started in the month: No screen counted as positive Not recorded');
    expect(text).toContain('No CM enrolments started in this period.');
    expect(text).not.toContain('Cost per negative CM screen');
  });
});

describe('the report words', () => {
  it('English and Spanish have the same keys, none empty', () => {
    expect(Object.keys(REPORT_WORDS.es).sort()).toEqual(Object.keys(REPORT_WORDS.en).sort());
    for (const lang of ['en', 'es'] as const) for (const v of Object.values(REPORT_WORDS[lang])) expect(v.trim()).not.toBe('');
  });
});

describe('refusals', () => {
  it('a bad month or language is a 400 naming the field; a month in the future too', async () => {
    expectProblem(await admin.get('/api/v1/outcomes/funder-report?month=2026-13'), 400, 'invalid_input', 'querystring.month');
    expectProblem(await admin.get('/api/v1/outcomes/funder-report?month=Feb'), 400, 'invalid_input', 'querystring.month');
    expectProblem(await admin.get('/api/v1/outcomes/funder-report?month=2026-04'), 400, 'invalid_input', 'querystring.month');
    expectProblem(await admin.get('/api/v1/outcomes/funder-report?lang=fr'), 400, 'invalid_input', 'querystring.lang');
  });

  it('the month under way may be asked for (data to today); 403 without read:outcomes', async () => {
    expect((await admin.get('/api/v1/outcomes/funder-report?month=2026-03')).statusCode).toBe(200);
    const counsellor = await w.client('counsellor');
    expectProblem(await counsellor.get('/api/v1/outcomes/funder-report'), 403);
  });
});
