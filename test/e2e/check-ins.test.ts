// End-to-end, daily check-ins in Chromium: the counsellor records a phone check-in with
// craving 9 on two consecutive days (the server's test clock moves a day) → the alert
// appears on the work list with its severity, after the demo's urgent ones → it is
// acknowledged. The patient page's chart and table (a demo patient with three weeks of
// check-ins) and the administrator's risk-rule settings (a bad value named on its field)
// are checked by axe and photographed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('check-ins e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const DAY = 86_400_000;

describe.skipIf(!canRun)('daily check-ins (Chromium)', () => {
  let h: Harness;
  // 16:00 in New York: both phone calls are well inside one programme day each
  const clock = { now: new Date('2026-03-04T21:00:00Z') };
  beforeAll(async () => {
    h = await start({ clock });
  }, 180_000);
  afterAll(async () => {
    await stop(h);
  });

  const recordCraving9 = async (page: Page) => {
    const form = page.getByTestId('phone-check-in');
    await form.getByLabel('Craving (0–10)').fill('9');
    await form.getByRole('radio', { name: 'No', exact: true }).check();
    await form.getByRole('radio', { name: 'Taken', exact: true }).check();
    await form.getByRole('button', { name: 'Record check-in' }).click();
  };

  it('craving 9 by phone on two days running → a warning on the work list → acknowledged', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, 'HSC-0010');
      const patientId = page.url().split('/').pop()!;
      await page.getByRole('tab', { name: 'Check-ins' }).click();
      await recordCraving9(page);
      await page.getByTestId('check-in-table').getByRole('row').nth(1).waitFor();
      await expect.poll(() => page.getByTestId('check-in-alerts-raised').count()).toBe(0);

      // the next day (the server's clock): a new sign-in, the same call
      clock.now = new Date(clock.now.getTime() + DAY);
      await context.clearCookies();
      await signIn(page, h.base, 'counsellor@harbor.example');
      await page.goto(`${h.base}/patients/${patientId}?tab=checkins`);
      await recordCraving9(page);
      await page.getByTestId('check-in-alerts-raised').waitFor();
      await expect.poll(() => page.getByTestId('check-in-table').getByRole('row').count()).toBe(3);
      // the alert is on the patient's check-ins tab too
      await page.getByTestId('check-ins-tab').getByTestId('safety-alert').first().waitFor();
      await expectNoAxeViolations(page, 'patient check-ins tab');
      await page.screenshot({ path: `${shots}/check-ins-patient-new.png`, fullPage: true });

      // the work list: the new warning, after any urgent alert
      await page.goto(`${h.base}/patients`);
      const list = page.getByTestId('work-list');
      const mine = list.getByTestId('safety-alert').filter({ hasText: 'craving 8 or more on 2 days running' });
      await expect.poll(() => mine.count()).toBeGreaterThanOrEqual(1);
      const severities = await list.getByTestId('safety-alert').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
      expect(severities.indexOf('warning')).toBeGreaterThan(-1);
      expect(severities.lastIndexOf('urgent')).toBeLessThan(severities.indexOf('warning') === -1 ? Infinity : severities.indexOf('warning'));
      const ours = (await apiGet<{ items: Array<{ id: string; patientId: string; code: string; severity: string }> }>(page, `/safety-alerts?scope=all&patientId=${patientId}`)).items;
      expect(ours.map((a) => [a.code, a.severity])).toEqual([['craving-run', 'warning']]);
      const card = list.locator(`[data-testid="safety-alert"]`).filter({ hasText: 'HSC-0010' });
      await expect.poll(() => card.count()).toBe(1);
      await expect.poll(() => card.getByText('Check-in alert').count()).toBe(1);
      await expectNoAxeViolations(page, 'work list with a check-in alert');
      await page.screenshot({ path: `${shots}/check-ins-work-list.png`, fullPage: true });

      await card.getByLabel('Note (what was done)').fill('Called; talked through the craving plan.');
      await card.getByRole('button', { name: 'Acknowledge' }).click();
      await expect.poll(() => list.locator(`[data-testid="safety-alert"]`).filter({ hasText: 'HSC-0010' }).count()).toBe(0);
      const after = (await apiGet<{ items: unknown[] }>(page, `/safety-alerts?scope=all&patientId=${patientId}`)).items;
      expect(after).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the patient page shows three weeks of check-ins as a chart and a table; Spanish too', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, 'HSC-0003');
      await page.getByRole('tab', { name: 'Check-ins' }).click();
      await page.getByTestId('check-in-chart').locator('svg').first().waitFor();
      expect(await page.getByTestId('check-in-table').getByRole('row').count()).toBeGreaterThan(15);
      await expectNoAxeViolations(page, 'patient check-ins with history');
      await page.screenshot({ path: `${shots}/check-ins-patient-history.png`, fullPage: true });
      // Spanish: the alert text the server wrote in Spanish, and the tab's words
      await page.evaluate(() => localStorage.setItem('waypoint.language', 'es'));
      await page.reload();
      await page.getByRole('tab', { name: 'Registros diarios' }).waitFor();
      await expect.poll(() => page.getByText('antojo de 8 o más').count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${shots}/check-ins-patient-es.png`, fullPage: true });
      await page.evaluate(() => localStorage.setItem('waypoint.language', 'en'));
    } finally {
      await context.close();
    }
  });

  it('the administrator edits the risk rules on the Settings page; a bad value is named on its field', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.getByRole('link', { name: 'Settings' }).click();
      const rules = page.getByTestId('risk-rules');
      await rules.getByLabel('Craving at or above').waitFor();
      await rules.getByLabel('Missed doses', { exact: true }).fill('9');
      await rules.getByLabel('Within days').fill('3');
      await rules.getByRole('button', { name: 'Save' }).click();
      await rules.getByText('cannot be more than the window in days').waitFor();
      await expectNoAxeViolations(page, 'settings with a bad risk-rule value');
      await page.screenshot({ path: `${shots}/check-ins-settings-error.png`, fullPage: true });
      await rules.getByLabel('Missed doses', { exact: true }).fill('2');
      await rules.getByLabel('Within days').fill('7');
      await rules.getByLabel('Craving at or above').fill('7');
      await rules.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Risk rules saved.').waitFor();
      const saved = await apiGet<{ cravingRun: { threshold: number } }>(page, '/check-ins/settings');
      expect(saved.cravingRun.threshold).toBe(7);
    } finally {
      await context.close();
    }
  });
});
