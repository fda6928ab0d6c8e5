// End-to-end, the patient's rewards on a phone (issue 12): the calendar on Today; a negative
// cup saved in the clinic reaches the open app within 2 seconds (the event stream, ADR
// 040); the patient shows the draw it earned and can open its check page; asks for an item
// from the catalogue, and the counsellor's patient page offers to give it. Spanish, 320 px
// and axe on each screen. A second approver declines a redemption saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('patient rewards e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';
// a Wednesday, 11:00 in New York: a test day for the demo's patients, inside their window
const clock = { now: new Date('2026-03-11T16:00:00Z') };
const NEGATIVE = ['opiates', 'fentanyl', 'cocaine', 'amphetamine'].map((analyte) => ({ analyte, result: 'negative' }));

describe.skipIf(!canRun)('patient rewards (Chromium, phone)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start({ clock });
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  /** The clinic's side through the API, as the collector's and counsellor's screens call it. */
  async function staff(email: string) {
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: DEMO_PASSWORD } });
    expect(signed.statusCode, signed.body).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const [program] = await h.database.query<{ id: string }>("select id from programs where name like 'Harbor%'");
    const headers = { cookie, 'waypoint-program': program!.id };
    return {
      get: (url: string) => h.app.inject({ method: 'GET', url, headers }),
      post: (url: string, payload?: object) => h.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) }),
      put: (url: string, payload: object) => h.app.inject({ method: 'PUT', url, headers, payload }),
    };
  }

  it('calendar → a cup in the clinic shows on the phone within 2 s → show the draw → ask for an item → the patient page offers to give it', async () => {
    const phoneContext: BrowserContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    phoneContext.setDefaultTimeout(60_000);
    staffContext.setDefaultTimeout(60_000);
    try {
      const [patient] = await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
      const counsellor = await staff('counsellor@harbor.example');
      const invited = await counsellor.post(`/api/v1/patients/${patient!.id}/app-invites`);
      expect(invited.statusCode, invited.body).toBe(200);
      const invite = invited.json() as { code: string };

      const phone = await phoneContext.newPage();
      await phone.goto(`${h.base}/app/#activate=${invite.code}`);
      await phone.getByRole('heading', { name: 'Pick a PIN' }).waitFor();
      await phone.getByLabel('New PIN').fill(PIN);
      await phone.getByLabel('Type the PIN again').fill(PIN);
      await phone.getByRole('button', { name: 'Finish' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // the calendar: the demo's earned test days and today's, still open
      const calendar = phone.getByTestId('calendar');
      await calendar.waitFor();
      expect(await calendar.getByText('Earned').count()).toBeGreaterThan(0);
      await calendar.getByText('Today', { exact: true }).waitFor();
      await expectNoAxeViolations(phone, 'Today with the calendar');
      await phone.screenshot({ path: `${shots}/patient-app-calendar.png`, fullPage: true });

      // the clinic saves today's negative cup: the phone shows it without a reload, within 2 s
      const balance = phone.getByTestId('balance');
      const before = (await balance.innerText()).trim();
      const collector = await staff('collector@harbor.example');
      const cup = await collector.post('/api/v1/specimens', {
        patientId: patient!.id,
        collectedAt: new Date(clock.now.getTime() - 600_000).toISOString(),
        observed: true,
        temperatureC: 34,
        results: NEGATIVE,
      });
      expect(cup.statusCode, cup.body).toBe(200);
      const saved = Date.now();
      await phone.waitForFunction((b) => document.querySelector('[data-testid="balance"]')?.textContent?.trim() !== b, before, { timeout: 2_000 });
      console.log(`award on the phone ${Date.now() - saved} ms after the cup was saved`);
      await calendar.getByText('Earned').first().waitFor();
      await phone.getByTestId('go-draws').waitFor();

      // Rewards: the patient shows the draw; it names the check page
      await phone.getByTestId('go-draws').click();
      await phone.getByRole('heading', { name: 'Rewards' }).waitFor();
      await expectNoAxeViolations(phone, 'Rewards with a draw waiting');
      await phone.getByTestId('reveal').click();
      await phone.getByTestId('revealed').waitFor();
      expect(await phone.getByTestId('revealed').innerText()).toMatch(/You won|No prize this time/);
      const check = phone.getByRole('link', { name: /Check it/ }).first();
      expect(await check.getAttribute('href')).toMatch(/^\/verify\/[0-9a-f]{64}$/);
      await phone.screenshot({ path: `${shots}/patient-app-draw.png`, fullPage: true });

      // ask for a bus pass; the request waits for the clinic
      const catalogue = phone.getByTestId('catalogue');
      const busPass = catalogue.locator('li', { hasText: 'Bus pass' });
      await busPass.getByRole('button', { name: /Ask for this/ }).click();
      await busPass.getByRole('button', { name: /Yes, ask for it/ }).click();
      await phone.getByText('Done. Your clinic will tell you when it is ready.').waitFor();
      const requests = phone.getByTestId('requests');
      await expect.poll(() => requests.getByText('Sent to the clinic').count()).toBe(2); // the demo's own request, and this one
      await expectNoAxeViolations(phone, 'Rewards with requests');
      await phone.screenshot({ path: `${shots}/patient-app-rewards.png`, fullPage: true });

      // Spanish at 320 px
      await phone.setViewportSize({ width: 320, height: 640 });
      await phone.getByRole('button', { name: /Español/ }).click();
      await phone.getByRole('heading', { name: 'Premios' }).waitFor();
      // the items by the names the clinic wrote in Spanish, in the catalogue and in the requests
      await catalogue
        .locator('li', { hasText: 'Pase de autobús' })
        .getByRole('button', { name: /Pase de autobús/ })
        .waitFor();
      expect(await catalogue.getByText('Bus pass').count()).toBe(0);
      await expect.poll(() => requests.locator('strong', { hasText: 'Pase de autobús' }).count()).toBe(2);
      await expectNoAxeViolations(phone, 'Rewards in Spanish at 320 px');
      await phone.screenshot({ path: `${shots}/patient-app-rewards-es-320.png`, fullPage: true });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // the counsellor's patient page: the app's requests, one to give
      const page = await staffContext.newPage();
      await signIn(page, h.base, 'cm@harbor.example');
      await openFirstMatch(page, 'HSC-0002');
      await page.getByRole('tab', { name: 'Contingency management' }).click();
      const appRequests = page.getByTestId('app-requests');
      await appRequests.getByText('2 requests from the patient').waitFor();
      await appRequests.getByRole('button', { name: 'Give this' }).first().click();
      await page.getByTestId('giving-request').waitFor();
      await expectNoAxeViolations(page, 'patient page: requests from the app');
      await page.screenshot({ path: `${shots}/cm-app-requests.png`, fullPage: true });

      // the other one is declined, for a reason from the list: no note needed
      await appRequests.getByRole('button', { name: 'Decline', exact: true }).last().click();
      const confirm = appRequests.getByRole('button', { name: 'Decline the request' });
      expect(await confirm.isDisabled()).toBe(true); // until a reason is chosen
      await appRequests.getByLabel('Why (the patient reads it in their language)').selectOption('out-of-stock');
      await expectNoAxeViolations(page, 'patient page: declining a request');
      await page.screenshot({ path: `${shots}/cm-app-request-decline.png`, fullPage: true });
      await confirm.click();
      await appRequests.getByText('1 request from the patient').waitFor();
      // the phone, in Spanish, says why in Spanish
      await phone.reload();
      await phone.getByRole('navigation', { name: 'Pantallas' }).getByRole('button', { name: 'Premios' }).click();
      await phone.getByRole('heading', { name: 'Premios' }).waitFor();
      const declined = requests.locator('li', { hasText: 'No entregado' });
      await expect.poll(() => declined.getByTestId('decline-reason').textContent()).toBe(': Se nos acabó.');
      await expectNoAxeViolations(phone, 'a declined request in Spanish');
      await phone.screenshot({ path: `${shots}/patient-app-request-declined-es.png`, fullPage: true });
    } finally {
      await phoneContext.close();
      await staffContext.close();
    }
  }, 300_000);

  it('the second approver declines a redemption over the threshold saying why from the list, in the Approvals tab and on the patient page, which shows why', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const coordinatorContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    staffContext.setDefaultTimeout(60_000);
    coordinatorContext.setDefaultTimeout(60_000);
    const admin = await staff('admin@harbor.example');
    try {
      // the coordinator gives a bus pass over a lowered threshold: it waits for a second person
      const [patient] = await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
      const [pass] = await h.database.query<{ id: string }>("select id from cm_catalogue_items where name = 'Bus pass, 1 day (demo)'");
      const lowered = await admin.put('/api/v1/cm/settings', { approvalThresholdCents: 100 });
      expect(lowered.statusCode, lowered.body).toBe(200);
      const coordinator = await staff('cm@harbor.example');
      const pending = await coordinator.post(`/api/v1/cm/patients/${patient!.id}/redemptions`, { itemId: pass!.id, acknowledgement: { acknowledged: true, method: 'verbal' } });
      expect(pending.json()).toMatchObject({ status: 'pending-approval' });

      const page = await staffContext.newPage();
      await signIn(page, h.base, 'admin@harbor.example', '/');
      await page.goto(`${h.base}/cm?tab=approvals`);
      const row = page.locator(`[data-redemption="${(pending.json() as { id: string }).id}"]`);
      await row.getByRole('button', { name: /^Decline Bus pass/ }).click();
      const confirm = row.getByRole('button', { name: 'Decline', exact: true });
      expect(await confirm.isDisabled()).toBe(true); // until a reason is chosen
      await row.getByLabel(/^Why/).selectOption('talk-first');
      await row.getByLabel('Note for the patient (optional)').fill('Ask us about a monthly pass');
      await expectNoAxeViolations(page, 'approvals: declining a redemption');
      await page.screenshot({ path: `${shots}/cm-approval-decline.png`, fullPage: true });
      await confirm.click();
      await row.waitFor({ state: 'detached' });

      // on the patient page, the demo's grocery card, waiting too: "another reason" needs the note
      await page.goto(`${h.base}/patients`);
      await openFirstMatch(page, 'HSC-0002');
      await page.getByRole('tab', { name: 'Contingency management' }).click();
      const redemptions = page.getByTestId('redemptions');
      await redemptions.getByRole('button', { name: 'Decline', exact: true }).click();
      await redemptions.getByLabel(/^Why/).selectOption('other');
      await redemptions.getByRole('button', { name: 'Decline', exact: true }).click();
      await redemptions.getByText('say why').waitFor();
      expect(await redemptions.getByText('Awaiting approval').count()).toBe(1); // nothing written
      await redemptions.getByLabel(/^Note for the patient/).fill('Budget is used up this month');
      await redemptions.getByRole('button', { name: 'Decline', exact: true }).click();
      await expect
        .poll(() => redemptions.getByTestId('declined-why').allTextContents())
        .toEqual(['Talk with staff about it at the next visit — Ask us about a monthly pass', 'Budget is used up this month']);
      await expectNoAxeViolations(page, 'patient page: a declined redemption says why');

      // the coordinator's patient page: the redemptions say why
      const patientPage = await coordinatorContext.newPage();
      await signIn(patientPage, h.base, 'cm@harbor.example');
      await openFirstMatch(patientPage, 'HSC-0002');
      await patientPage.getByRole('tab', { name: 'Contingency management' }).click();
      const why = patientPage.getByTestId('redemptions').getByTestId('declined-why');
      await expect.poll(() => why.first().textContent()).toBe('Talk with staff about it at the next visit — Ask us about a monthly pass');
      await patientPage.screenshot({ path: `${shots}/cm-redemption-declined-why.png`, fullPage: true });
    } finally {
      await staffContext.close();
      await coordinatorContext.close();
    }
  }, 300_000);
});
