// End-to-end, the Outcomes page (issue 17), Chromium at 1366×900, the administrator of the demo's
// Harbor programme, one browser for every section:
// - retention and % negative by week (both conventions) with their tables, a change of cohort and
//   drug group, each table as CSV (its rows are the table's), axe in English and Spanish;
// - care (visit attendance by kind, counselling months, medication adherence, the stage-of-change
//   matrix or "Not recorded"), its attendance CSV;
// - engagement (the check-in decay curve and its table, the module figures) and peer referrals;
// - CM cost and fairness (the cost figures, spend by funding source, the fairness table and chart);
// - the funders' monthly report: the console in Spanish, the Spanish PDF of the last full month
//   downloaded and its text read (kept as .tmp/funder-report-es.pdf);
// - the research export: recipient and study, the export made, rows, k, the smallest group, the
//   files downloaded.
// Each section passes axe; screenshots in .tmp/outcomes*.png.
import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';
import { pdfText } from '../support/pdf.ts';

if (!canRun) console.warn('outcomes e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

/** The text of the file a click on `testId` downloads. */
async function fileOf(page: Page, testId: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!, 'utf8');
}

/** The lines of the CSV a click on `testId` downloads. */
const csvOf = async (page: Page, testId: string): Promise<string[]> => (await fileOf(page, testId)).split('\r\n').filter(Boolean);

describe.skipIf(!canRun)('outcomes: the dashboard in the console (Chromium)', () => {
  let h: Harness;
  let context: BrowserContext;

  beforeAll(async () => {
    h = await start();
  }, 180_000);
  // each section signs in afresh: a browser of its own (the language chosen in one stays there)
  beforeEach(async () => {
    context = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(60_000);
  });
  afterEach(async () => {
    await context?.close();
  });
  afterAll(async () => {
    await stop(h ?? {});
  });

  it('retention and % negative by week, with tables, CSVs and axe, in English and Spanish', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);
    await page.getByRole('heading', { name: 'Retention in treatment' }).waitFor();

    // retention: a chart, S(30/90/180) and a table whose rows carry numbers
    const retention = page.getByTestId('retention');
    await retention.getByTestId('retention-chart').locator('svg').first().waitFor();
    const s30 = await retention.getByTestId('retention-all-s30').textContent();
    expect(s30).toMatch(/^\d+(\.\d)?%$|^Not recorded$/);
    const retentionRows = retention.getByTestId('retention-table').locator('tbody tr');
    expect(await retentionRows.count()).toBeGreaterThan(0);
    const firstRow = await retentionRows.first().locator('td').allTextContents();
    expect(firstRow[0]).toMatch(/^\d+$/);
    expect(Number(firstRow[1])).toBeGreaterThan(0); // at risk on the first day: every admission

    // screens: the two conventions as two lines, and the week table
    const screens = page.getByTestId('screens');
    await screens.getByTestId('screens-chart').locator('svg').first().waitFor();
    await expect.poll(() => screens.getByTestId('screens-chart').locator('path.recharts-line-curve').count(), { timeout: 30_000 }).toBe(2);
    const weekRows = screens.getByTestId('screens-table').locator('tbody tr');
    expect(await weekRows.count()).toBeGreaterThan(0);
    const week1 = await weekRows.first().locator('td').allTextContents();
    expect(week1[0]).toBe('1');
    expect(Number(week1[1])).toBeGreaterThan(0);

    await expectNoAxeViolations(page, 'outcomes');
    await page.screenshot({ path: `${shots}/outcomes.png`, fullPage: true });

    // the CSVs are the tables' rows
    const retentionCsv = await csvOf(page, 'retention-csv');
    expect(retentionCsv[0]).toBe('cohort,day,at_risk,left,censored,percent_still_in_treatment');
    expect(retentionCsv.length - 1).toBe(await retentionRows.count());
    const screensCsv = await csvOf(page, 'screens-csv');
    expect(screensCsv[0]).toBe('week,admissions,negative,positive,missing,percent_negative_missing_positive,percent_negative_missing_excluded');
    expect(screensCsv.length - 1).toBe(await weekRows.count());
    expect(screensCsv[1]!.split(',').slice(0, 2)).toEqual(week1.slice(0, 2));

    // by level of care: one block of figures per level; the stimulants group changes the title
    await page.getByTestId('outcomes-cohort').selectOption('level-of-care');
    await expect.poll(() => retention.locator('h3').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.getByTestId('outcomes-group').selectOption('stimulants');
    await screens.getByRole('heading', { name: /Stimulants/ }).waitFor();

    // Spanish
    await page
      .getByRole('button', { name: /Account menu|menu/i })
      .first()
      .click();
    await page.getByRole('menuitem', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Permanencia en el tratamiento' }).waitFor();
    await screens.getByRole('heading', { name: /Estimulantes/ }).waitFor();
    await page.getByRole('menu').waitFor({ state: 'detached' }); // the account menu has closed
    await expectNoAxeViolations(page, 'outcomes (es)');
    await page.screenshot({ path: `${shots}/outcomes-es.png`, fullPage: true });
  }, 300_000);
  it('attendance, counselling, medication and stage of change with their tables, a CSV, and axe', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);
    const care = page.getByTestId('care');
    await care.getByRole('heading', { name: 'Care: visits, counselling, medication and stage of change' }).waitFor();

    // attendance: a rate (or not recorded) and the table, first row all visits
    await care.getByTestId('care-attendance-table').waitFor();
    expect(await care.getByTestId('care-attendance-all').textContent()).toMatch(/^\d+(\.\d)?%$|^Not recorded$/);
    const rows = care.getByTestId('care-attendance-table').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[0]).toBe('All visits');
    expect(Number(first[1])).toBeGreaterThanOrEqual(0);

    // counselling and medication: figures; take-home returns are not recorded in Waypoint
    expect(await care.getByTestId('care-counselling-all').textContent()).toMatch(/^\d+(\.\d)?%$|^Not recorded$/);
    expect(await care.getByTestId('care-medication-all-take-homes').textContent()).toBe('Not recorded');
    // stage of change: the first → latest matrix, or not recorded
    const stage = care.getByTestId('care-stage');
    await stage.getByRole('heading', { name: 'Stage of change' }).waitFor();
    expect((await stage.getByTestId('care-stage-matrix-all').count()) + (await stage.getByText('Not recorded: no admission had two stage assessments.').count())).toBe(1);

    await expectNoAxeViolations(page, 'outcomes (care)');
    await care.screenshot({ path: `${shots}/outcomes-care.png` });

    const [download] = await Promise.all([page.waitForEvent('download'), care.getByTestId('care-attendance-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .split('\r\n')
      .filter(Boolean);
    expect(csv[0]).toBe('cohort,kind,visits,attended,missed,cancelled_by_patient,cancelled_by_clinic,excused,not_recorded,percent_attended');
    expect(csv.length - 1).toBe(await rows.count());
    expect(csv[1]!.split(',').slice(1, 3)).toEqual(first.slice(0, 2));
  }, 300_000);
  it('the decay curve with its table, the module figures and the peer-referral card, with a CSV and axe', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);

    const engagement = page.getByTestId('engagement');
    await engagement.getByRole('heading', { name: 'Engagement: check-ins and skills modules by week' }).waitFor();
    await engagement.getByTestId('engagement-chart').locator('svg').first().waitFor();
    const weeks = engagement.getByTestId('engagement-checkins-table').locator('tbody tr');
    expect(await weeks.count()).toBeGreaterThan(0);
    const week1 = await weeks.first().locator('td').allTextContents();
    expect(week1[0]).toBe('1');
    expect(Number(week1[1])).toBeGreaterThan(0); // admissions in their first week
    expect(week1[3]).toMatch(/^\d+(\.\d)?%$|^Not recorded$/);
    const completion = await engagement.getByTestId('engagement-all-completion').textContent();
    expect(completion).toMatch(/^\d+(\.\d)?%$|^Not recorded$/);
    expect(await engagement.getByTestId('engagement-modules-table').locator('tbody tr').count()).toBe(1);

    const peers = page.getByTestId('peer-referrals');
    await peers.getByRole('heading', { name: 'Peer referrals after an overdose' }).waitFor();
    const peerRows = peers.getByTestId('peer-referrals-table').locator('tbody tr');
    expect(await peerRows.count()).toBe(9);
    const referrals = await peerRows.first().locator('td').allTextContents();
    expect(referrals[0]).toBe('Referrals');
    expect(Number(referrals[1])).toBeGreaterThan(0); // the demo's referrals
    expect(await peers.getByTestId('peer-referrals-moud').textContent()).toMatch(/^\d+$|^Not recorded$/);

    await expectNoAxeViolations(page, 'outcomes engagement');
    await engagement.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/outcomes-engagement.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), engagement.getByTestId('engagement-checkins-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .split('\r\n')
      .filter(Boolean);
    expect(csv[0]).toBe('cohort,week,admissions,checked_in,percent_checked_in,mean_check_in_days');
    expect(csv.length - 1).toBe(await weeks.count());
  }, 300_000);
  it('the CM card: cost figures, spend by funding source, the fairness table and chart; axe passes', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);
    const card = page.getByTestId('cm-cost');
    await card.getByRole('heading', { name: 'CM: cost and fairness' }).waitFor();
    await card.getByTestId('cm-cost-table').waitFor();
    expect(await card.getByTestId('cm-cost-summary').textContent()).toMatch(/^\d+ enrolments? started/);
    // every figure is money or "Not recorded", never blank
    for (const id of ['cm-earned', 'cm-per-patient', 'cm-per-negative', 'cm-per-week']) expect(await card.getByTestId(id).textContent()).toMatch(/^\$[\d,]+\.\d\d$|^Not recorded$/);
    const sourceRows = card.getByTestId('cm-cost-table').locator('tbody tr');
    expect(await sourceRows.count()).toBeGreaterThan(0);
    const enrolled = (await sourceRows.evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[1]?.textContent ?? 0)))).reduce((a, n) => a + n, 0);
    expect(enrolled).toBeGreaterThan(0);
    // the demo protocol's bowl: one row per prize tier, expected beside observed
    const fairness = card.getByTestId('cm-fairness').first();
    const tierRows = fairness.getByTestId('cm-fairness-table').locator('tbody tr');
    expect(await tierRows.count()).toBeGreaterThan(1);
    expect(await fairness.getByTestId('cm-fairness-test').textContent()).toMatch(/Chi-square|No draws|one kind of prize/);
    if ((await fairness.getByTestId('cm-fairness-chart').count()) > 0) await fairness.getByTestId('cm-fairness-chart').locator('svg').first().waitFor();
    await card.scrollIntoViewIfNeeded();
    await expectNoAxeViolations(page, 'outcomes (CM cost)');
    await card.screenshot({ path: `${shots}/outcomes-cm.png` });
  }, 300_000);
  it('the administrator downloads the Spanish PDF from Outcomes', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);
    await page.getByRole('heading', { name: 'Monthly report for funders' }).waitFor();

    await page
      .getByRole('button', { name: /Account menu|menu/i })
      .first()
      .click();
    await page.getByRole('menuitem', { name: 'Español' }).click();
    const card = page.getByTestId('funder-report');
    await card.getByRole('heading', { name: 'Informe mensual para los financiadores' }).waitFor();
    await page.getByRole('menu').waitFor({ state: 'detached' });

    const month = await card.getByTestId('funder-report-month').inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    await card.getByTestId('funder-report-lang').selectOption('es');
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Descargar PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`funder-report-${month}-es.pdf`);
    const file = (await download.path())!;
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    copyFileSync(file, `${shots}/funder-report-es.pdf`);
    const { text } = await pdfText(bytes);
    expect(text).toContain('Informe mensual del programa');
    expect(text).toContain('Pacientes en tratamiento durante el mes');
    expect(text).toContain('Permanencia en el tratamiento');
    expect(text).toContain('Análisis de opioides negativos');

    await expectNoAxeViolations(page, 'outcomes report (es)');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/outcomes-report-es.png` });
  }, 300_000);
  it('an administrator makes the export, sees k and downloads the files', async () => {
    const page = await context.newPage();
    await signIn(page, h.base, 'admin@harbor.example');
    await page.getByRole('link', { name: 'Outcomes' }).click();
    await page.waitForURL(`${h.base}/outcomes`);
    const section = page.getByTestId('research-export');
    await section.getByRole('heading', { name: 'De-identified research export' }).waitFor();
    await section.getByTestId('research-recipient').fill('Riverside University (fictional)');
    await section.getByTestId('research-purpose').fill('Retention in treatment by medication, a fictional study');
    await section.getByTestId('research-make').click();
    const result = section.getByTestId('research-result');
    await result.waitFor();
    expect(await result.getByTestId('research-k').textContent()).toBe('11');
    const rows = Number(await result.getByTestId('research-rows').textContent());
    expect(rows).toBeGreaterThan(0);
    expect(await result.getByTestId('research-smallest').textContent()).toMatch(/^(\d+|None \(all blanked\))$/);
    const smallest = await result.getByTestId('research-smallest').textContent();
    if (/^\d+$/.test(smallest ?? '')) expect(Number(smallest)).toBeGreaterThanOrEqual(11);

    await expectNoAxeViolations(page, 'outcomes research export');
    await section.screenshot({ path: `${shots}/outcomes-research.png` });

    const csv = await fileOf(page, 'research-download-export');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^study_id,age_at_admission,age_band,sex,level_of_care,medication,/);
    expect(lines.length - 1).toBe(rows);
    // no name or MRN of the programme's patients
    const patients = (await h.database.query<{ given: string; family: string; mrn: string }>('select legal_given_name as given, legal_family_name as family, mrn from patients')).slice(0, 200);
    for (const p of patients) for (const v of [p.family, p.mrn]) expect(csv.includes(v), v).toBe(false);
    const dictionary = await fileOf(page, 'research-download-dictionary');
    expect(dictionary.split('\r\n')[0]).toBe('column,meaning,type,unit,de-identification');
  }, 300_000);
});
