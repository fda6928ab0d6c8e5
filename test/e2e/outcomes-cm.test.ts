// End-to-end, CM cost and fairness on the outcomes page (issue 17), Chromium at 1366×900: the
// administrator of the demo's Harbor programme opens Outcomes from the navigation and sees the
// "CM: cost and fairness" card for the demo's CM enrolments: the cost figures, the table per
// funding source, and the fairness table and chart of the demo protocol's prize bowl; the page
// passes axe. Screenshot .tmp/outcomes-cm.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('outcomes-cm e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('outcomes: CM cost and fairness in the console (Chromium)', () => {
  let h: Harness;
  let context: BrowserContext;

  beforeAll(async () => {
    h = await start();
    context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await stop(h ?? {});
  });

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
});
