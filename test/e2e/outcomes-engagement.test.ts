// End-to-end, the engagement outcomes (issue 17), Chromium at 1366×900: the administrator of the
// demo's Harbor programme opens Outcomes and sees the engagement card (the check-in decay curve
// with its table of weeks, the skills-module figures) and the peer-referrals card with the demo's
// referrals; the check-ins CSV is the table's rows; the page passes axe. Screenshot
// .tmp/outcomes-engagement.png.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('outcomes engagement e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('outcomes: engagement and peer referrals in the console (Chromium)', () => {
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
});
