// End-to-end, the de-identified research export (issue 17), Chromium at 1366×900: the
// administrator of the demo's Harbor programme opens Outcomes, names the recipient and the study,
// makes the export for the page's period, sees the rows, k, the smallest group and the rows
// blanked, downloads the export and its data dictionary (checking their headers and that no
// patient's name or MRN is in them), and the page passes axe. Screenshot .tmp/outcomes-research.png.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('outcomes research e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

async function fileOf(page: Page, testId: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!, 'utf8');
}

describe.skipIf(!canRun)('outcomes: the de-identified research export in the console (Chromium)', () => {
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
