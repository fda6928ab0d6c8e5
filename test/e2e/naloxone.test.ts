// End-to-end, naloxone (issue 15), Chromium: a counsellor gives a demo patient who had no kit a
// naloxone kit with the five training steps from the patient page (PatientNaloxoneCard →
// GiveKitModal) and invites them to the app; on a 360 px phone in Spanish, Help now shows
// "Usted tiene naloxona. Vence el …" (the kit from the lot that expires first, in 21 days, so
// also "Pida una nueva en la clínica.") above the five steps in Spanish. The bottom bar keeps
// Help now one tap away in one row at 360 px, in both languages and with large text; More
// lists the other screens. Axe on every screen; screenshots in .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { stepSentences, TRAINING_STEPS, STEP_TEXTS } from '../../core/naloxone/steps.ts';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('naloxone e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';

/** The bottom bar's buttons: their labels and the rows they sit on. */
const barOf = (phone: Page) =>
  phone.locator('nav.tabs').evaluate((nav) => {
    const buttons = [...nav.querySelectorAll('button')];
    return { labels: buttons.map((b) => b.textContent), rows: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size, height: nav.getBoundingClientRect().height };
  });

describe.skipIf(!canRun)('naloxone: a kit given on the patient page, shown in the app (Chromium)', () => {
  let h: Harness;
  let staffContext: BrowserContext;
  let phoneContext: BrowserContext;

  beforeAll(async () => {
    h = await start();
    staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    // a loaded machine (two cores, other suites) can be slow: a minute per step
    staffContext.setDefaultTimeout(60_000);
    phoneContext.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await staffContext?.close();
    await phoneContext?.close();
    await stop(h ?? {});
  });

  it('a counsellor gives a kit with the five steps; the patient’s Help now in Spanish shows its expiry and the steps', async () => {
    // a demo patient of the Harbor programme who has no kit yet
    const [patient] = await h.database.query<{ id: string; mrn: string }>(
      `select p.id, p.mrn from patients p join programs g on g.id = p.program_id
        where g.name like 'Harbor%' and not exists (select 1 from naloxone_kits k where k.program_id = p.program_id and k.patient_id = p.id)
        order by p.mrn limit 1`,
    );
    expect(patient).toBeTruthy();

    // 1. the counsellor's patient page: no kit; give one with the five steps
    const staff = await staffContext.newPage();
    await signIn(staff, h.base, 'counsellor@harbor.example');
    await openFirstMatch(staff, patient!.mrn);
    const card = staff.getByTestId('patient-naloxone');
    await card.getByText('No kits given to this patient.').waitFor();
    await card.getByRole('button', { name: 'Give a kit' }).click();
    const dialog = staff.getByRole('dialog', { name: 'Give a kit' });
    await dialog.waitFor();
    // the lot that expires first is chosen (the demo's, in 21 days)
    await expect.poll(() => dialog.getByLabel('Lot', { exact: true }).inputValue()).toMatch(/^NX23K052 — expires /);
    for (const [i, step] of TRAINING_STEPS.entries()) await dialog.getByRole('checkbox', { name: `${i + 1}. ${STEP_TEXTS.en[step].title}` }).check();
    await expectNoAxeViolations(staff, 'give a kit');
    await staff.screenshot({ path: `${shots}/naloxone-give-kit.png` });
    await dialog.getByRole('button', { name: 'Give kit' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText(/^Kit given .*, lot NX23K052, expires /).waitFor();
    await card.getByText('Training: 5 of 5 steps covered', { exact: false }).waitFor();
    await expectNoAxeViolations(staff, 'the patient page with the kit');
    await card.screenshot({ path: `${shots}/naloxone-patient-card.png` });
    const [kit] = await h.database.query<{ expires_on: string; steps: string[] }>(
      `select to_char(l.expires_on, 'YYYY-MM-DD') as expires_on, t.steps from naloxone_kits k
         join naloxone_lots l on l.program_id = k.program_id and l.id = k.lot_id
         join naloxone_trainings t on t.program_id = k.program_id and t.kit_id = k.id
        where k.patient_id = $1`,
      [patient!.id],
    );
    expect(kit!.steps).toEqual([...TRAINING_STEPS]);

    // 2. the counsellor invites the patient to the app; the phone sets it up
    await staff.getByTestId('patient-app').getByTestId('patient-app-invite').click();
    const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();
    const phone = await phoneContext.newPage();
    await phone.goto(`${h.base}/app/#activate=${code}`);
    await phone.getByLabel('New PIN').fill(PIN);
    await phone.getByLabel('Type the PIN again').fill(PIN);
    await phone.getByRole('button', { name: 'Finish' }).click();
    await phone.getByRole('heading', { name: 'Today' }).waitFor();

    // 3. in Spanish: Help now, one tap from the bar, shows the kit's expiry and to ask for a new one
    await phone.getByRole('button', { name: /Español/ }).click();
    await phone.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
    await phone.getByTestId('tab-help').click();
    await phone.getByRole('heading', { name: 'Ayuda ahora', level: 1 }).waitFor();
    // focus moves to the new screen's heading
    await expect.poll(() => phone.evaluate(() => document.activeElement?.id)).toBe('help-title');
    const mine = phone.getByTestId('my-naloxone');
    await mine.getByRole('heading', { name: 'Su naloxona' }).waitFor();
    const date = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${kit!.expires_on}T00:00:00Z`));
    expect(await mine.getByTestId('my-naloxone-expiry').innerText()).toBe(`Usted tiene naloxona. Vence el ${date}.`);
    expect(await mine.getByTestId('my-naloxone-renew').innerText()).toBe('Pida una nueva en la clínica.'); // 21 days left
    expect(await mine.innerText()).not.toContain('NX23K052'); // no lot number on the phone
    // the five steps in Spanish, right under it
    const steps = await phone.getByTestId('naloxone-steps').locator('li').allInnerTexts();
    expect(steps).toEqual(stepSentences('es'));
    expect(steps[0]).toMatch(/^Pida ayuda\. Llame al 911/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(phone, 'Ayuda ahora with the patient’s naloxone');
    await mine.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${shots}/naloxone-app-help-es-360.png` });
    await phone.screenshot({ path: `${shots}/naloxone-app-help-es-360-full.png`, fullPage: true });

    // 4. the bar: four tabs in one row at 360 px, Help now among them, in Spanish and English, and with large text
    for (const [lang, labels] of [
      ['es', ['Hoy', 'Premios', 'Ayuda ahora', 'Más']],
      ['en', ['Today', 'Rewards', 'Help now', 'More']],
    ] as const) {
      if (lang === 'en') {
        await phone.getByRole('button', { name: /English/ }).click();
        await phone.getByRole('heading', { name: 'Help now', level: 1 }).waitFor();
      }
      for (const size of ['', '150%', '200%']) {
        await phone.evaluate((s) => (document.documentElement.style.fontSize = s), size);
        const bar = await barOf(phone);
        expect(bar.labels).toEqual(labels);
        expect(bar.rows, `the bar in ${lang} at ${size || '100%'}`).toBe(1);
        expect(bar.height).toBeLessThan(640 / 6);
        expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        await phone.locator('nav.tabs').screenshot({ path: `${shots}/naloxone-app-tabs-${lang}-${size.replace('%', '') || '100'}.png` });
      }
      await phone.evaluate(() => (document.documentElement.style.fontSize = ''));
    }
    // More: the other screens, each a button with what it is for; More stays marked on them
    await phone.getByTestId('tab-more').click();
    await phone.getByRole('heading', { name: 'More', level: 1 }).waitFor();
    expect(await phone.getByTestId('more').getByRole('button').allInnerTexts()).toHaveLength(4);
    await expectNoAxeViolations(phone, 'More');
    await phone.screenshot({ path: `${shots}/naloxone-app-more-en-360.png` });
    await phone.getByRole('button', { name: 'My plan' }).click();
    await phone.getByRole('heading', { name: 'My plan', level: 1 }).waitFor();
    expect(await phone.getByTestId('tab-more').getAttribute('aria-current')).toBe('true');
    await phone.getByTestId('tab-help').click();
    await phone.getByTestId('my-naloxone').waitFor();
    expect(await phone.getByTestId('tab-help').getAttribute('aria-current')).toBe('page');
  }, 300_000);
});
