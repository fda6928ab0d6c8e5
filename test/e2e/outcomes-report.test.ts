// End-to-end, the funders' monthly report (issue 17), Chromium at 1366×900: the administrator of
// the demo's Harbor programme opens Outcomes, switches the console to Spanish, chooses Spanish for
// the report and downloads the PDF of the last full month (the default); the file is a PDF named
// by month and language whose text is the Spanish report; the page passes axe. Screenshot
// .tmp/outcomes-report-es.png; the PDF is kept as .tmp/funder-report-es.pdf to look at.
import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';
import { pdfText } from '../support/pdf.ts';

if (!canRun) console.warn('outcomes report e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)("outcomes: the funders' monthly report (Chromium)", () => {
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
});
