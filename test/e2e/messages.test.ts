// End-to-end, messages in Chromium: the demo administrator reads the outbox (demo messages
// delivered to the console, one not sent for want of consent, one dead letter), retries
// the dead letter, texts STOP from a patient's phone in the SMS simulator (through the
// signed webhook) and sees the reply, then finds the opt-out and edits the contact
// preferences on the patient page. axe finds no WCAG 2 A/AA violation on these pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../server/modules/messages/outbox.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('messages e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('messages: outbox, SMS simulator, contact preferences (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
    // what the delivery job does after `npm start` with no provider configured
    await deliverDue(h.database.db, {}, { leaseSeconds: 60 });
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('outbox, retry, simulator STOP and the patient’s contact preferences', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.getByRole('link', { name: 'Messages' }).click();
      await page.getByRole('heading', { name: 'Messages to patients', level: 1 }).waitFor();
      await page.getByText('Shown here instead of sent').waitFor();
      const table = page.getByTestId('outbox-table');
      await table.getByText('You have a reminder from your clinic. Open the app.').first().waitFor();
      await expect.poll(() => table.locator('tr[data-status="suppressed"]').count()).toBeGreaterThanOrEqual(1);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${shots}/e2e-outbox.png`, fullPage: true });

      // the dead letter: shown with why, and tried again
      await page.locator('label', { hasText: /^Could not deliver/ }).click();
      const dead = table.locator('tr[data-status="dead"]');
      await dead.first().waitFor();
      await expect.poll(() => dead.first().textContent()).toContain('Gave up after 8 tries (http_503)');
      await dead
        .first()
        .getByRole('button', { name: /Try again/ })
        .click();
      await expect.poll(() => dead.count()).toBe(0);
      await page.locator('label', { hasText: /^All$/ }).click();
      await table.locator('tr[data-status="pending"]').first().waitFor();

      // the simulator: STOP from the first demo patient's phone
      await page.getByRole('link', { name: 'SMS simulator' }).click();
      await page.getByRole('heading', { name: 'SMS simulator', level: 1 }).waitFor();
      await page.getByRole('textbox', { name: /From phone number/ }).fill('+1 202 555 0101');
      await page.getByRole('textbox', { name: /^Text/ }).fill('STOP');
      await page.getByRole('button', { name: 'Send text' }).click();
      await page.getByTestId('sim-turns').getByText('You will get no more texts from us. Reply START to get them again.').waitFor();
      await page.getByRole('textbox', { name: /^Text/ }).fill('AYUDA');
      await page.getByRole('button', { name: 'Send text' }).click();
      await page
        .getByTestId('sim-turns')
        .getByText(/Este número envía recordatorios/)
        .waitFor();
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${shots}/e2e-sms-simulator.png`, fullPage: true });

      // the patient page: the opt-out shows; the preferences form
      await page.getByRole('link', { name: 'Patients' }).click();
      await openFirstMatch(page, 'HSC-0001');
      const contact = page.getByTestId('contact-preferences');
      await contact.getByText(/^Yes, /).waitFor();
      await contact.getByRole('button', { name: 'Edit contact preferences' }).click();
      await contact.getByRole('checkbox', { name: 'Email' }).check();
      await contact.getByRole('textbox', { name: /^Time zone/ }).fill('Mars/Olympus');
      await contact.getByRole('button', { name: 'Save' }).click();
      await contact.getByText('must be an IANA time zone such as America/New_York').waitFor();
      await expectNoAxeViolations(page);
      await contact.getByRole('textbox', { name: /^Time zone/ }).fill('America/Chicago');
      await contact.getByRole('button', { name: 'Save' }).click();
      await contact.getByText('America/Chicago').waitFor();
      await expect.poll(() => contact.textContent()).toContain('no email address');
      await page.screenshot({ path: `${shots}/e2e-contact-preferences.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 180_000);
});
