// End-to-end, CRAFT (issue 16), Chromium. The counsellor opens Family (CRAFT) in the console
// (1366×900), creates a CRAFT client and gets the app code on the new course page; the client's
// phone (360×640) activates with it, opens My sessions, reads session 1 and writes its homework
// (Save → Done); the counsellor reloads the course page and sees the answer. The phone in
// Spanish shows the sessions in Spanish. Axe on every screen; screenshots in .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('craft e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '582614';

async function activate(phone: Page, base: string, code: string, pin: string) {
  await phone.goto(`${base}/app/#activate=${code}`);
  await phone.getByLabel('New PIN').fill(pin);
  await phone.getByLabel('Type the PIN again').fill(pin);
  await phone.getByRole('button', { name: 'Finish' }).click();
}

describe.skipIf(!canRun)('CRAFT: the console and the client’s phone (Chromium)', () => {
  let h: Harness;
  let consoleContext: BrowserContext;
  let phoneContext: BrowserContext;

  beforeAll(async () => {
    h = await start();
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

  it('a counsellor creates a CRAFT client, the client does session 1’s homework on the phone, the counsellor sees it', async () => {
    // 1. the console: Family (CRAFT) in the navigation, the demo client listed, a new client
    const page = await consoleContext.newPage();
    await signIn(page, h.base, 'counsellor@harbor.example');
    await page.getByRole('link', { name: 'Family (CRAFT)' }).click();
    await page.getByRole('heading', { name: 'Family (CRAFT)', level: 1 }).waitFor();
    await page.getByTestId('craft-courses').getByText('Rosa (demo CRAFT)').waitFor();
    await expectNoAxeViolations(page, 'craft list');
    await page.getByTestId('craft-new-open').click();
    const form = page.getByTestId('craft-new');
    await form.getByLabel('Client’s name').fill('Lena Ortiz (fictional)');
    await form.getByLabel('Their loved one, in their words').fill('my brother');
    // today's date is already the first session
    await page.getByTestId('craft-new-save').click();
    await page.getByTestId('craft-course-title').getByText('CRAFT: Lena Ortiz (fictional)').waitFor();
    expect(await page.getByTestId('craft-sessions').locator('tbody tr').count()).toBe(12);
    await page.getByTestId('craft-invite').click();
    const code = (await page.getByTestId('craft-invite-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectNoAxeViolations(page, 'craft course');
    await page.screenshot({ path: `${shots}/craft-console-course.png`, fullPage: true });

    // 2. the client's phone: activate, My sessions, session 1's homework
    const phone = await phoneContext.newPage();
    await activate(phone, h.base, code, PIN);
    await phone.getByRole('heading', { name: 'My sessions', level: 1 }).waitFor();
    await phone.getByTestId('craft-next').waitFor();
    await expectNoAxeViolations(phone, 'my sessions');
    await phone.screenshot({ path: `${shots}/craft-phone-sessions-en.png`, fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.getByTestId('craft-open-1').click();
    await phone.getByRole('heading', { name: '1. Why you are here and what to expect' }).waitFor();
    await phone.getByTestId('craft-answer').fill('That we can talk without yelling.');
    await phone.getByTestId('craft-save').click();
    await phone.getByTestId('craft-saved').getByText('Done').waitFor();
    await expectNoAxeViolations(phone, 'craft session');
    await phone.screenshot({ path: `${shots}/craft-phone-homework-en.png`, fullPage: true });
    // a later session's task waits for the session
    await phone.getByRole('button', { name: /Back to my sessions/ }).click();
    await phone.getByTestId('craft-open-2').click();
    await phone.getByText('You can do the task after this session.').waitFor();

    // 3. the counsellor sees the answer on the course page
    await page.reload();
    await page.getByTestId('craft-homework-1').getByText('That we can talk without yelling.').waitFor();

    // 4. How are you doing? The GAD-7 in the publisher's words, the result in plain words
    await phone.getByRole('button', { name: /Back to my sessions/ }).click();
    await phone.getByTestId('craft-wellbeing-open').click();
    await phone.getByTestId('craft-wb-gad-7').click();
    const groups = phone.getByTestId('craft-wellbeing').locator('fieldset');
    expect(await groups.count()).toBe(7);
    for (let i = 0; i < 7; i++) await groups.nth(i).getByText('Several days').click();
    await expectNoAxeViolations(phone, 'craft wellbeing');
    await phone.getByTestId('craft-wb-save').click();
    await phone.getByTestId('craft-wb-result').getByText('Your answers show some worry.', { exact: false }).waitFor();
    await phone.screenshot({ path: `${shots}/craft-phone-wellbeing-en.png`, fullPage: true });
    await page.reload();
    await page.getByTestId('craft-trend-gad-7').waitFor();
    // the console in Spanish: the course page and the list
    await page.getByRole('button', { name: /Casey Counsellor/ }).click();
    await page.getByRole('menuitem', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Sesiones', level: 2 }).waitFor();
    await page.getByRole('menu').waitFor({ state: 'detached' }); // the account menu has closed
    await page.getByTestId('craft-session-1').getByText('Por qué está aquí y qué esperar').waitFor();
    await expectNoAxeViolations(page, 'craft course (es)');
    await page.screenshot({ path: `${shots}/craft-console-course-es.png`, fullPage: true });
    await page.getByRole('link', { name: '← Todos los clientes de CRAFT' }).click();
    await page.getByTestId('craft-courses').getByText('Lena Ortiz (fictional)').waitFor();
    await page.screenshot({ path: `${shots}/craft-console-list-es.png`, fullPage: true });

    // 5. the phone in Spanish (the language button)
    await phone
      .getByTestId('craft-wb-result')
      .getByRole('button', { name: /Back to my sessions/ })
      .click();
    await phone.getByRole('button', { name: 'Español' }).click();
    await phone.getByRole('heading', { name: 'Mis sesiones', level: 1 }).waitFor();
    await phone.getByTestId('craft-open-1').getByText('1. Por qué está aquí y qué esperar').waitFor();
    await phone.getByTestId('craft-open-1').getByText('✓ Hecho', { exact: false }).waitFor();
    await expectNoAxeViolations(phone, 'mis sesiones');
    await phone.screenshot({ path: `${shots}/craft-phone-sessions-es.png`, fullPage: true });
  }, 300_000);
});
