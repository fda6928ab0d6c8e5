// End-to-end, the outcomes dashboard (issue 17), Chromium at 1366×900: the administrator of the
// demo's Harbor programme opens Outcomes from the navigation, sees the retention curve and the %
// negative by week (both conventions) with their tables of numbers, changes the cohort and the
// drug group, downloads each table as CSV (checking the header and that its rows are the table's),
// and the page passes axe in English and in Spanish. Screenshots .tmp/outcomes.png and
// .tmp/outcomes-es.png.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('outcomes e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

async function csvOf(page: Page, testId: string): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!, 'utf8')
    .split('\r\n')
    .filter(Boolean);
}

describe.skipIf(!canRun)('outcomes: the dashboard in the console (Chromium)', () => {
  let h: Harness;
  let context: BrowserContext;

  beforeAll(async () => {
    h = await start();
    context = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await context?.close();
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
});
