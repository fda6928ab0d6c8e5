// End-to-end, the phone line in Chromium (ADR 038): the demo administrator sees the clinic
// number, calls the phone line from a demo patient's number in the voice simulator (through
// the signed voice webhooks), answers the three questions on the keypad and is put through
// to the clinic; the check-in appears on the patient's check-ins tab as "Phone line". Then
// sends the patient an app invite by text, and sees it refused for a patient who has not
// agreed to texts. axe finds no WCAG 2 A/AA violation on these pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('phone line e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('the phone line: voice simulator, check-in, invite by text (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('a full call from the simulator records a voice check-in the counsellor sees', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.goto(`${h.base}/messages/simulator`);
      await page.getByRole('heading', { name: 'Voice simulator' }).waitFor();
      await expect.poll(() => page.getByTestId('clinic-number').inputValue()).toBe('+12025550100');
      await expectNoAxeViolations(page, 'simulator page');

      await page.getByRole('textbox', { name: /Call from phone number/ }).fill('+1 202 555 0101');
      await page.getByRole('button', { name: 'Call', exact: true }).click();
      const turns = page.getByTestId('voice-turns');
      await turns.getByText(/Did you take your medicine today\?/).waitFor();
      await page.getByRole('button', { name: 'Press 1' }).click();
      await turns.getByText(/Have you used since your last check-in\?/).waitFor();
      await page.getByRole('button', { name: 'Press 2' }).click();
      await turns.getByText(/How strong is your craving/).waitFor();
      await page.getByRole('button', { name: 'Press 5' }).click();
      await turns.getByText(/Thank you\. Your check-in is saved\./).waitFor();
      await page.getByRole('button', { name: 'Press 1' }).click();
      await turns.getByText('Putting the caller through to +12025550100.').waitFor();
      expect(await page.getByRole('button', { name: 'Press 1' }).isDisabled()).toBe(true);
      await expectNoAxeViolations(page, 'simulator after a call');
      await page.screenshot({ path: `${shots}/e2e-voice-simulator.png`, fullPage: true });

      // the check-in is on the patient's check-ins tab, from the phone line
      const [patient] = await h.database.query<{ id: string }>(`select id from patients where phone = '+1 202 555 0101'`);
      await page.goto(`${h.base}/patients/${patient!.id}?tab=checkins`);
      const table = page.getByTestId('check-in-table');
      await table.getByText('Phone line').first().waitFor();
      await expectNoAxeViolations(page, 'patient check-ins tab');

      // an app invite by text to this patient (consent on record), then to one without consent
      await page.goto(`${h.base}/patients/${patient!.id}`);
      await page.getByTestId('patient-app-invite-sms').click();
      await page.getByTestId('patient-app-invite-sms-sent').waitFor();
      const [noConsent] = await h.database.query<{ id: string }>(
        `select p.id from patients p join contact_preferences c on c.patient_id = p.id and c.program_id = p.program_id where c.consent_sms = false limit 1`,
      );
      await page.goto(`${h.base}/patients/${noConsent!.id}`);
      await page.getByTestId('patient-app-invite-sms').click();
      await page
        .getByTestId('patient-app-invite-sms-refused')
        .getByText(/has not agreed to get texts/)
        .waitFor();
      await expectNoAxeViolations(page, 'patient page, invite by text refused');
      const [texted] = await h.database.query<{ n: number }>(`select count(*)::int as n from outbox_messages where template = 'app-invite' and patient_id = $1`, [patient!.id]);
      expect(texted!.n).toBe(1);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the patient chooses the reminder time in the app (320 px); staff see it in contact preferences', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const phoneContext = await h.browser.newContext({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true });
    try {
      staffContext.setDefaultTimeout(60_000);
      phoneContext.setDefaultTimeout(60_000);
      const staff = await staffContext.newPage();
      await signIn(staff, h.base, 'counsellor@harbor.example');
      await openFirstMatch(staff, 'HSC-0003');
      await staff.getByTestId('patient-app').getByTestId('patient-app-invite').click();
      const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();

      const phone = await phoneContext.newPage();
      await phone.goto(`${h.base}/app/#activate=${code}`);
      await phone.getByLabel('New PIN').fill('482915');
      await phone.getByLabel('Type the PIN again').fill('482915');
      await phone.getByRole('button', { name: 'Finish' }).click();
      const card = phone.getByTestId('notifications');
      await card.getByRole('heading', { name: 'Reminders' }).waitFor();
      // no VAPID key on this server: the app says so instead of asking the phone for permission
      await card.getByText(/cannot get notifications yet/).waitFor();
      await card.getByLabel('Remind me to check in at').fill('19:30');
      await card.getByRole('button', { name: 'Save time' }).click();
      await card.getByText('Saved. We will remind you at 19:30.').waitFor();
      await expectNoAxeViolations(phone, 'Today with reminders');
      await phone.screenshot({ path: `${shots}/patient-app-reminders.png`, fullPage: true });

      await staff.reload();
      await expect.poll(() => staff.getByTestId('check-in-reminder').textContent(), { timeout: 30_000 }).toContain('19:30');
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 120_000);
});
