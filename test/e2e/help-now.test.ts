// End-to-end, Help now and My plan in Chromium with a phone's viewport (issue 12, ADR 037):
// the locked phone opens Help now without the PIN (988, the demo programme's numbers and
// naloxone places, the naloxone steps, never use alone), and still shows it offline from
// the copy on the phone; unlocked, the patient adds to their safety plan, the counsellor
// sees it on the patient page and adds a line, and the patient sees that line; My plan
// shows the care plan's goals and why each step, in English and then in Spanish. axe on
// every screen; screenshots at 320 px and at 200% text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { RULES, toFacts } from '../../core/planning/index.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('help now e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';

// every patient rationale the demo patient could get (the rules' text over the demo-relevant facts)
const PATIENT_RATIONALES = RULES.flatMap((rule) => [{}, { cmAvailable: true }, { cmAvailable: false }, { prefersNonMedication: true }].map((ctx) => rule.rationale(toFacts(ctx)).patient));
const PATIENT_RATIONALES_EN = PATIENT_RATIONALES.map((r) => r.en);

async function unlock(phone: Page) {
  await phone.getByLabel('Your PIN').fill(PIN);
  await phone.getByRole('button', { name: 'Open' }).click();
  await phone.getByRole('heading', { name: 'Today' }).waitFor();
}

async function narrow(phone: Page, name: string) {
  await phone.setViewportSize({ width: 320, height: 640 });
  expect(await phone.evaluate(() => document.documentElement.scrollWidth), `${name} fits 320 px`).toBeLessThanOrEqual(320);
  await phone.screenshot({ path: `${shots}/${name}-320.png`, fullPage: true });
  await phone.setViewportSize({ width: 360, height: 740 });
  // text at 200%: nothing runs off the side
  await phone.evaluate(() => (document.documentElement.style.fontSize = '200%'));
  expect(await phone.evaluate(() => document.documentElement.scrollWidth), `${name} at 200% text`).toBeLessThanOrEqual(360);
  await phone.screenshot({ path: `${shots}/${name}-200pct.png` });
  await phone.evaluate(() => (document.documentElement.style.fontSize = ''));
}

describe.skipIf(!canRun)('Help now and My plan (Chromium, phone)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 180_000);
  afterAll(async () => stop(h ?? {}));

  it('help without the PIN (also offline) → the safety plan edited by patient and counsellor → My plan', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const phoneContext: BrowserContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      staffContext.setDefaultTimeout(60_000);
      phoneContext.setDefaultTimeout(60_000);
      // the counsellor invites the demo patient; the phone activates
      const staff = await staffContext.newPage();
      await signIn(staff, h.base, 'counsellor@harbor.example');
      await openFirstMatch(staff, 'HSC-0002');
      const patientPage = staff.url();
      await staff.getByTestId('patient-app').getByTestId('patient-app-invite').click();
      const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();
      const phone = await phoneContext.newPage();
      await phone.goto(`${h.base}/app/#activate=${code}`);
      await phone.getByLabel('New PIN').fill(PIN);
      await phone.getByLabel('Type the PIN again').fill(PIN);
      await phone.getByRole('button', { name: 'Finish' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // 1. locked: Help now without the PIN
      await phone.getByTestId('lock').click();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await expectNoAxeViolations(phone, 'unlock with Help now');
      await phone.getByTestId('help-now-locked').click();
      await phone.getByRole('heading', { name: 'Help now', level: 1 }).waitFor();
      const lifeline = phone.getByTestId('lifeline');
      expect(await lifeline.getByRole('link', { name: 'Call 988' }).getAttribute('href')).toBe('tel:988');
      expect(await lifeline.getByRole('link', { name: 'Text 988' }).getAttribute('href')).toBe('sms:988');
      expect(await lifeline.locator('[lang="es"]').innerText()).toContain('oprima 2');
      await phone.getByTestId('naloxone-places').getByText('Seaside Pharmacy (demo)', { exact: true }).waitFor();
      expect(await phone.getByRole('link', { name: 'Call my clinic' }).getAttribute('href')).toBe('tel:+15555550100');
      expect(await phone.getByRole('link', { name: /Harbor County crisis line/ }).getAttribute('href')).toBe('tel:+15555550111');
      expect(await phone.getByTestId('naloxone-steps').locator('li').count()).toBe(5);
      await phone.getByTestId('never-use-alone').getByText('1-800-484-3731').first().waitFor();
      // no safety plan and no care team without the PIN
      expect(await phone.getByTestId('safety-plan').count()).toBe(0);
      expect(await phone.getByRole('link', { name: 'Call my counselor' }).count()).toBe(0);
      await expectNoAxeViolations(phone, 'Help now (locked)');
      await narrow(phone, 'help-now-locked');

      // offline: the copy on the phone still shows the programme's numbers and places
      await phone.getByTestId('help-back').click();
      await phoneContext.setOffline(true);
      await phone.reload();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await phone.getByTestId('help-now-locked').click();
      await phone.getByText('You are offline. This is the help we saved on this phone.').waitFor();
      await phone.getByTestId('naloxone-places').getByText('Seaside Pharmacy (demo)', { exact: true }).waitFor();
      await phoneContext.setOffline(false);
      await phone.getByTestId('help-back').click();
      await unlock(phone);

      // 2. unlocked: the safety plan (the demo's two versions), and the patient adds a warning sign
      await phone.getByTestId('tab-help').click();
      const plan = phone.getByTestId('safety-plan');
      await plan.getByText('Jordan (sister, demo)').waitFor();
      await plan.getByText('Last changed by your care team', { exact: false }).waitFor();
      await expectNoAxeViolations(phone, 'Help now (unlocked) with the safety plan');
      await narrow(phone, 'help-now-safety-plan');
      await plan.getByTestId('safety-plan-edit').click();
      await plan.getByTestId('add-warningSigns').click();
      await phone.locator('#warningSigns-2').fill('I feel restless at night (e2e)');
      // a person with no phone number is named at the field
      await plan.getByTestId('add-helpers').click();
      await phone.locator('#helpers-1-name').fill('Robin (e2e)');
      await plan.getByTestId('safety-plan-save').click();
      await phone.locator('#helpers-1-phone-error').waitFor();
      expect(await phone.locator('#helpers-1-phone').getAttribute('aria-invalid')).toBe('true');
      await expectNoAxeViolations(phone, 'safety plan form with an error');
      await narrow(phone, 'safety-plan-form');
      await phone.locator('#helpers-1-phone').fill('555-555-0177');
      await plan.getByTestId('safety-plan-save').click();
      await plan.getByText('Your plan is saved.').waitFor();
      await plan.getByText('I feel restless at night (e2e)').waitFor();

      // 3. the counsellor sees it on the patient page, adds a line; the history has every version
      await staff.goto(patientPage);
      await staff.getByRole('tab', { name: 'Safety plan' }).click();
      const section = staff.getByTestId('safety-plan');
      await section.getByText('I feel restless at night (e2e)').waitFor();
      await section.getByText('Robin (e2e) — 555-555-0177').waitFor();
      await section.getByTestId('safety-plan-edit').click();
      await section.getByTestId('add-copingStrategies').click();
      await staff.getByTestId('plan-copingStrategies-2').fill('Call Jordan before it gets bad (e2e)');
      await section.getByTestId('safety-plan-save').click();
      await section.getByText('Call Jordan before it gets bad (e2e)').waitFor();
      await staff.getByTestId('safety-plan-show-history').click();
      await staff.getByTestId('safety-plan-history').getByText('Version 4', { exact: true }).waitFor();
      expect(await staff.getByTestId('safety-plan-history').getByText('the patient (app)').count()).toBe(2);
      await expectNoAxeViolations(staff, 'safety plan tab');
      await staff.screenshot({ path: `${shots}/safety-plan-console.png`, fullPage: true });

      // 4. the patient sees the counsellor's line
      await phone.getByTestId('tab-today').click();
      await phone.getByTestId('tab-help').click();
      await phone.getByTestId('safety-plan').getByText('Call Jordan before it gets bad (e2e)').waitFor();
      // both edit at once: the patient's save is refused (409) and their line is put on top of the counsellor's newer plan
      await phone.getByTestId('safety-plan').getByTestId('safety-plan-edit').click();
      await phone.getByTestId('safety-plan').getByTestId('add-distractions').click();
      await phone.locator('#distractions-2').fill('Music on my headphones (e2e)');
      const status = await staff.evaluate(async () => {
        const headers = { 'waypoint-program': localStorage.getItem('waypoint.programId') ?? '', 'content-type': 'application/json' };
        const id = location.pathname.split('/').pop()!;
        const cur = (await (await fetch(`/api/v1/patients/${id}/safety-plan`, { headers })).json()) as { version: number; plan: { safeEnvironment: string[] } };
        const body = { version: cur.version, plan: { ...cur.plan, safeEnvironment: [...cur.plan.safeEnvironment, 'Lock box key with Jordan (e2e)'] } };
        return (await fetch(`/api/v1/patients/${id}/safety-plan`, { method: 'PUT', headers, body: JSON.stringify(body) })).status;
      });
      expect(status).toBe(200);
      await phone.getByTestId('safety-plan').getByTestId('safety-plan-save').click();
      await phone.getByTestId('safety-plan-notice').getByText('Your care team changed your plan while you were working on it', { exact: false }).waitFor();
      await expect.poll(() => phone.locator('#distractions-2').inputValue()).toBe('Music on my headphones (e2e)');
      expect(await phone.locator('#safeEnvironment-1').inputValue()).toBe('Lock box key with Jordan (e2e)');
      await expectNoAxeViolations(phone, 'safety plan after a conflict');
      await phone.getByTestId('safety-plan').getByTestId('safety-plan-save').click();
      await phone.getByTestId('safety-plan').getByText('Your plan is saved.').waitFor();
      await phone.getByTestId('safety-plan').getByText('Music on my headphones (e2e)').waitFor();
      await phone.getByTestId('safety-plan').getByText('Lock box key with Jordan (e2e)').waitFor();

      // the care team: "call my counsellor" dials the demo counsellor's work phone (staff gave one)
      expect(await phone.getByRole('link', { name: 'Call my counselor' }).getAttribute('href')).toBe('tel:+15555550142');

      // 5. My plan: the care plan's goals and steps in plain words
      await phone.getByTestId('tab-more').click();
      await phone.getByTestId('more-plan').click();
      await phone.getByRole('heading', { name: 'My plan', level: 1 }).waitFor();
      await phone.getByTestId('plan-goal').getByText('Stimulant-negative tests most weeks (demo)').waitFor();
      await phone.getByTestId('plan-goal').getByText('Target: at least 6 tests').waitFor();
      expect(await phone.getByTestId('plan-step').count()).toBeGreaterThanOrEqual(2);
      expect(await phone.getByTestId('my-plan').innerText()).not.toMatch(/Casey|Counsellor \(demo\)|RCT|meta-analysis/i);
      // why, in plain words: the patient-facing rationale of the rule behind each coded step
      const whyEn = await phone.getByTestId('plan-why').allInnerTexts();
      expect(whyEn.length).toBeGreaterThanOrEqual(1);
      for (const text of whyEn) expect(PATIENT_RATIONALES_EN).toContain(text);
      await expectNoAxeViolations(phone, 'My plan');
      await narrow(phone, 'my-plan');
      // Spanish: the same steps, each with its Spanish rationale
      await phone.getByRole('button', { name: /Español/ }).click();
      await phone.getByRole('heading', { name: 'Mi plan', level: 1 }).waitFor();
      const whyEs = await phone.getByTestId('plan-why').allInnerTexts();
      expect(whyEs).toEqual(whyEn.map((en) => PATIENT_RATIONALES.find((r) => r.en === en)!.es));
      await phone.screenshot({ path: `${shots}/mi-plan.png`, fullPage: true });
      await expectNoAxeViolations(phone, 'Mi plan');
      await phone.getByTestId('tab-help').click();
      await phone.getByRole('heading', { name: 'Ayuda ahora', level: 1 }).waitFor();
      await expectNoAxeViolations(phone, 'Ayuda ahora');
      await narrow(phone, 'ayuda-ahora');
    } catch (err) {
      for (const [i, p] of [...staffContext.pages(), ...phoneContext.pages()].entries()) await p.screenshot({ path: `${shots}/help-now-failure-${i}.png`, fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 300_000);

  it('the administrator sets the programme’s Help now numbers and places on the Settings page (a bad number is named on its field)', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.getByRole('link', { name: 'Organisation settings' }).click();
      const section = page.getByTestId('help-settings');
      await section.getByRole('heading', { name: 'Help now in the patient app' }).waitFor();
      expect(await section.getByLabel('Clinic main number').inputValue()).toBe('+15555550100');
      expect(await section.getByTestId('help-places').getByLabel('Name').count()).toBe(3);
      await section.getByLabel('Clinic main number').fill('555-0100');
      await section.getByTestId('help-settings-save').click();
      await section.getByText('must be a phone number in E.164 form', { exact: false }).first().waitFor();
      expect(await section.getByLabel('Clinic main number').getAttribute('aria-invalid')).toBe('true');
      await expectNoAxeViolations(page, 'settings: Help now with an error');
      await section.getByLabel('Clinic main number').fill('+15555550199');
      await section.getByTestId('help-settings-save').click();
      await page.getByText('Help now settings saved.').waitFor();
      await page.screenshot({ path: `${shots}/help-settings.png`, fullPage: true });
      // the patient app's idle lock, on the same page
      const appSettings = page.getByTestId('patient-app-settings');
      const idle = appSettings.getByLabel('Lock the app after (minutes without use)');
      expect(await idle.inputValue()).toBe('5');
      await idle.fill('3');
      await appSettings.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      expect((await h.database.query<{ n: number }>("select patient_idle_minutes as n from programs where name like 'Harbor%'"))[0]!.n).toBe(3);
      // the public help a locked phone reads has the new number
      const help = await page.evaluate(async (programId) => (await fetch(`/api/patient/help?programId=${programId}`)).json(), await page.evaluate(() => localStorage.getItem('waypoint.programId')));
      expect((help as { clinicPhone: string }).clinicPhone).toBe('+15555550199');
    } finally {
      await context.close();
    }
  }, 120_000);
});
