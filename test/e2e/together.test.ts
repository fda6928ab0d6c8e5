// End-to-end, behavioural couples therapy (issue 16), Chromium. Through the staff API a partner is
// linked to a demo patient (not the app's demo patient, who has the demo's own contract) with an
// app invite. In the console (1366×900) the counsellor writes a recovery contract in the patient
// page's "Couples and network" card (the partner picked, the medicine part ticked); on the
// partner's phone (360×640) "Today's trust talk: did you have it?" → Yes, with the line that the
// patient has not chosen to share their side; the counsellor sees today held, marked by the
// partner, in the calendar. Axe on the card and the phone; screenshots in English and Spanish in .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('together e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '582047';

describe.skipIf(!canRun)('couples therapy: the console card and the partner’s phone (Chromium)', () => {
  let h: Harness;
  let consoleContext: BrowserContext;
  let phoneContext: BrowserContext;
  let patient: { id: string };
  let code: string;
  let patientCode: string;
  let programId: string;

  beforeAll(async () => {
    h = await start();
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'counsellor@harbor.example', password: DEMO_PASSWORD } });
    expect(signed.statusCode, signed.body).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const [program] = await h.database.query<{ id: string }>("select id from programs where name like 'Harbor%'");
    programId = program!.id;
    const [row] = await h.database.query<{ id: string }>(
      `select p.id from patients p where p.program_id = $1 and p.mrn <> 'HSC-0002'
          and not exists (select 1 from family_links l where l.program_id = p.program_id and l.patient_id = p.id)
        order by p.mrn limit 1`,
      [programId],
    );
    patient = row!;
    const staff = async (url: string, payload?: object) => {
      const r = await h.app.inject({ method: 'POST', url, headers: { cookie, 'waypoint-program': programId }, ...(payload ? { payload } : {}) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as Record<string, unknown>;
    };
    const added = await staff(`/api/v1/patients/${patient.id}/family`, { displayName: 'Jordan (fictional partner)', relationship: 'partner', language: 'en' });
    const partnerId = (added.items as Array<{ id: string; displayName: string }>).find((m) => m.displayName === 'Jordan (fictional partner)')!.id;
    code = (await staff(`/api/v1/patients/${patient.id}/family/${partnerId}/invite`)).code as string;
    patientCode = (await staff(`/api/v1/patients/${patient.id}/app-invites`)).code as string;
    consoleContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    consoleContext.setDefaultTimeout(60_000);
    phoneContext.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await consoleContext?.close();
    await phoneContext?.close();
    await stop(h ?? {});
  });

  it('the counsellor writes a contract; the partner marks today’s talk; the counsellor sees it in the calendar', async () => {
    const page: Page = await consoleContext.newPage();
    await signIn(page, h.base, 'counsellor@harbor.example');
    await page.goto(`${h.base}/patients/${patient.id}`);
    const card = page.getByTestId('together-card');
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await expect.poll(() => card.getByText('No recovery contract').count()).toBe(1);
    await card.getByRole('button', { name: 'Write a contract' }).click();
    const form = card.getByRole('form', { name: 'Recovery contract' });
    await expect.poll(() => form.getByLabel('Partner').inputValue()).not.toBe('');
    await form.getByLabel('Medicine each day').check();
    await form.getByLabel('The couple’s own words (optional)').fill('We walk after dinner.');
    await expectNoAxeViolations(page, 'together card, contract form');
    await form.getByRole('button', { name: 'Save contract' }).click();
    await card.getByTestId('contract-parts').waitFor();
    expect(await card.getByTestId('contract-parts').innerText()).toContain('Medicine each day');
    expect(await card.getByText('With Jordan (fictional partner)').count()).toBe(1);
    await expectNoAxeViolations(page, 'together card');

    // the partner's phone
    const phone = await phoneContext.newPage();
    await phone.goto(`${h.base}/app/#activate=${code}`);
    await phone.getByLabel('New PIN').fill(PIN);
    await phone.getByLabel('Type the PIN again').fill(PIN);
    await phone.getByRole('button', { name: 'Finish' }).click();
    const partnerCard = phone.getByTestId('partner-card');
    await partnerCard.waitFor();
    expect(await partnerCard.getByText('Your partner has not chosen to share this with you').count()).toBe(1);
    await partnerCard.getByText('I saw the medicine taken today').click();
    await partnerCard.getByRole('button', { name: 'Yes' }).click();
    await expect.poll(() => partnerCard.getByRole('status').innerText()).toMatch(/Saved|Today you said yes/);
    await partnerCard.locator('[data-status="held"]').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(phone, 'partner card');
    await phone.screenshot({ path: `${shots}/together-partner-en-360.png`, fullPage: true });
    await phone.getByRole('button', { name: /Español/ }).click();
    await phone.getByText('La charla de confianza de hoy: ¿la tuvieron?').waitFor();
    await expectNoAxeViolations(phone, 'partner card (es)');
    await phone.screenshot({ path: `${shots}/together-partner-es-360.png`, fullPage: true });

    // the counsellor sees today held, marked by the partner
    await page.reload();
    await card.waitFor();
    const cal = card.getByTestId('together-calendar');
    await cal.waitFor();
    await expect.poll(() => cal.locator('[data-status="held"]').count()).toBe(1);
    expect(await cal.locator('table').innerText()).toContain('Partner');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: `${shots}/together-card-en.png` });
    // in Spanish
    await page.evaluate(() => localStorage.setItem('waypoint.language', 'es'));
    await page.reload();
    await page.getByTestId('together-card').getByText('Pareja y red de apoyo').waitFor();
    await page.getByTestId('together-calendar').locator('[data-status="held"]').first().waitFor();
    await expectNoAxeViolations(page, 'together card (es)');
    await page.getByTestId('together-card').screenshot({ path: `${shots}/together-card-es.png` });
    await page.evaluate(() => localStorage.setItem('waypoint.language', 'en'));

    // the patient's own phone: More → Our trust talk (only with a contract), today held as the partner said
    const patientContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    patientContext.setDefaultTimeout(60_000);
    try {
      const own = await patientContext.newPage();
      await own.goto(`${h.base}/app/#activate=${patientCode}`);
      await own.getByLabel('New PIN').fill('618204');
      await own.getByLabel('Type the PIN again').fill('618204');
      await own.getByRole('button', { name: 'Finish' }).click();
      await own.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await own.getByTestId('tab-more').click();
      await own.getByTestId('more-together').click();
      await own.getByRole('heading', { name: 'Our trust talk', level: 1 }).waitFor();
      await own.locator('[data-status="held"]').first().waitFor();
      expect(await own.getByText('Medicine each day').count()).toBeGreaterThan(0);
      expect(await own.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await expectNoAxeViolations(own, 'the patient: our trust talk');
      await own.screenshot({ path: `${shots}/together-patient-en-360.png`, fullPage: true });
    } finally {
      await patientContext.close();
    }
  }, 300_000);
});
