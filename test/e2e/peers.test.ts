// End-to-end, peer outreach after overdose (issue 15), Chromium: a peer specialist enters a
// referral from the emergency department → logs the first contact (reached) → the follow-ups
// are scheduled → the clock moves past the day-1 follow-up with no contact → the escalation job
// runs → the referral shows as escalated on the peer's list, and the supervisor sees it on the
// escalations list and acknowledges it. Then, from a patient's page: the peer card lists their
// referrals (the demo patient's closed one with its outcomes), "New referral" opens the form
// with the patient chosen, the picker finds a patient by MRN, and the new referral shows on the
// card; a role without peer outreach sees no card. My day shows the naloxone stock alerts.
// axe on each page; screenshots into .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../../server/modules/peers/outreach.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('peers e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const clock = { now: new Date('2026-03-04T15:00:00Z') };
let h: Harness;

beforeAll(async () => {
  if (canRun) h = await start({ clock });
}, 180_000);
afterAll(async () => {
  if (h) await stop(h);
});

describe.skipIf(!canRun)('peer outreach in the console', () => {
  it('referral → first contact logged → follow-ups scheduled → an overdue contact escalates', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, h.base, 'peer@harbor.example', '/patients');
    await page.getByRole('link', { name: 'Peer outreach' }).first().click();
    await page.waitForURL(`${h.base}/peer-outreach`);
    await page.getByTestId('peers-list-today').waitFor();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${shots}/peers-worklist.png`, fullPage: true });

    // a new referral
    await page.getByRole('link', { name: 'New referral' }).click();
    await page.getByLabel('Name the person goes by').fill('Taylor E2E (fictional)');
    await page.getByLabel('Phone').fill('+1 555 010 0177');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save referral' }).click();
    await page.waitForURL(/\/peer-outreach\/referrals\/[0-9a-f-]{36}$/);
    const next = page.getByTestId('peer-next');
    await expect.poll(() => next.textContent()).toContain('First contact');
    expect(await next.textContent()).toContain('Due');

    // first contact: reached
    await next.getByRole('button', { name: 'Reached' }).click();
    await expect.poll(() => next.textContent()).toContain('Day 1 follow-up');
    const schedule = page.getByTestId('peer-schedule');
    expect(await schedule.textContent()).toContain('Day 90 follow-up');
    expect(await schedule.textContent()).not.toContain('After the first contact');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: `${shots}/peers-referral.png`, fullPage: true });
    const url = page.url();

    // two days later, nobody reached them for the day-1 follow-up: the job escalates it
    clock.now = new Date(clock.now.getTime() + 2 * 86_400_000);
    await escalateOverdue(h.database.db, clock.now);
    // two days idle: the session has ended; sign in again
    await signIn(page, h.base, 'peer@harbor.example', '/patients');
    await page.goto(url);
    await expect.poll(() => next.textContent()).toContain('Overdue');
    expect(await next.textContent()).toContain('Escalated');

    // the supervisor's list
    const admin = await (await h.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, h.base, 'admin@harbor.example', '/patients');
    await admin.goto(`${h.base}/peer-outreach`);
    await admin.getByRole('tab', { name: 'Escalated' }).click();
    const esc = admin.getByTestId('peers-escalations');
    await expect.poll(() => esc.textContent()).toContain('Taylor E2E (fictional)');
    await expectNoAxeViolations(admin);
    await admin.screenshot({ path: `${shots}/peers-escalations.png`, fullPage: true });
    const row = esc.getByRole('row').filter({ hasText: 'Taylor E2E (fictional)' });
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(async () => (await esc.count()) === 0 || !(await esc.textContent())?.includes('Taylor E2E')).toBe(true);
  }, 180_000);

  it('the patient page’s peer card → New referral with the patient chosen (and the picker) → the referral on the card', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    try {
      await signIn(page, h.base, 'peer@harbor.example', '/patients');
      await openFirstMatch(page, 'HSC-0002');
      const patientUrl = page.url();
      const card = page.getByTestId('patient-peers');
      // the demo's closed referral, with its outcomes
      const closed = card.getByRole('row').filter({ hasText: 'Closed' });
      await closed.first().waitFor();
      expect(await closed.count()).toBe(1);
      expect(await closed.textContent()).toContain('Follow-ups completed');
      expect(await closed.textContent()).toContain('Started medication for OUD, Entered treatment');
      await expectNoAxeViolations(page, 'the patient page with the peer card');
      await card.screenshot({ path: `${shots}/peers-patient-card.png` });

      // New referral: the patient is already chosen, in the router's state (not the URL)
      await card.getByRole('button', { name: 'New referral' }).click();
      await page.waitForURL(`${h.base}/peer-outreach/new`);
      const chosen = page.getByTestId('referral-patient');
      await expect.poll(() => chosen.textContent()).toContain('MRN HSC-0002');
      const name = (await chosen.textContent())!.match(/^Patient of the programme \(optional\)(.+?) · MRN HSC-0002/)![1]!.trim();
      expect(await page.getByLabel('Name the person goes by').count()).toBe(0);
      // the picker: another patient first, then back to this one by MRN
      await chosen.getByRole('button', { name: 'Not this patient' }).click();
      const find = page.getByTestId('referral-patient-search');
      await find.fill('HSC-0003');
      await page.getByRole('button', { name: /MRN HSC-0003/ }).click();
      await expect.poll(() => chosen.textContent()).toContain('MRN HSC-0003');
      await chosen.getByRole('button', { name: 'Not this patient' }).click();
      await find.fill('HSC-0002');
      await page.getByRole('button', { name: /MRN HSC-0002/ }).click();
      await expect.poll(() => chosen.textContent()).toContain('MRN HSC-0002');
      await page.getByRole('combobox', { name: 'Referred by' }).click();
      await page.getByRole('option', { name: 'Hospital' }).click();
      await expectNoAxeViolations(page, 'a new referral for a patient');
      await page.screenshot({ path: `${shots}/peers-new-for-patient.png`, fullPage: true });
      await page.getByRole('button', { name: 'Save referral' }).click();
      await page.waitForURL(/\/peer-outreach\/referrals\/[0-9a-f-]{36}$/);
      // linked: the name from the chart and a link to it
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Open the chart' }).click();
      await page.waitForURL(patientUrl);
      const open = card.getByRole('row').filter({ hasText: 'Hospital' });
      await expect.poll(() => open.count()).toBe(1);
      expect(await open.textContent()).toContain('First contact');
      expect(await open.textContent()).toContain('Open');
      expect(await open.textContent()).toContain('None recorded');
      await card.screenshot({ path: `${shots}/peers-patient-card-open.png` });
      await open.getByRole('link', { name: /^Referred / }).click();
      await page.waitForURL(/\/peer-outreach\/referrals\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name, level: 1 }).waitFor();

      // a role without peer outreach: no card
      const cm = await ctx.newPage();
      await ctx.clearCookies();
      await signIn(cm, h.base, 'cm@harbor.example', '/patients');
      await cm.goto(patientUrl);
      await cm.getByRole('heading', { level: 1 }).waitFor();
      await cm.getByText('MRN HSC-0002').first().waitFor();
      expect(await cm.getByTestId('patient-peers').count()).toBe(0);
    } finally {
      await ctx.close();
    }
  }, 180_000);

  it('My day shows the naloxone stock alerts and links to the naloxone page', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    try {
      await signIn(page, h.base, 'peer@harbor.example', '/patients');
      await page.getByRole('link', { name: 'My day' }).first().click();
      const alerts = page.getByTestId('myday-naloxone');
      // the demo: usable stock below the reorder level and a lot expiring in 21 days
      await expect.poll(() => alerts.textContent()).toMatch(/\d+ naloxone stock alerts/);
      expect(await alerts.textContent()).toContain('Reorder naloxone');
      expect(await alerts.textContent()).toContain('1 lot expiring soon');
      await expectNoAxeViolations(page, 'My day with naloxone alerts');
      await page.screenshot({ path: `${shots}/myday-naloxone.png`, fullPage: true });
      await alerts.getByRole('link', { name: 'See the naloxone stock' }).click();
      await page.waitForURL(`${h.base}/naloxone`);
      await page.getByTestId('naloxone-alerts').waitFor();
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
