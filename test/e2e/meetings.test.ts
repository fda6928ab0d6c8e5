// End-to-end, the meeting directory (issue 15), Chromium: (a) a patient finds a MOUD-friendly
// meeting near a postcode in Spanish, on a phone, with the coaching; (b) staff search the
// directory in the console and open a meeting's detail. Screenshots in .tmp/, axe on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('meetings e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';

describe.skipIf(!canRun)('the meeting directory (Chromium)', () => {
  let h: Harness;
  let phoneContext: BrowserContext;
  let phone: Page;

  beforeAll(async () => {
    h = await start();
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'counsellor@harbor.example', password: DEMO_PASSWORD } });
    expect(signed.statusCode, signed.body).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const [program] = await h.database.query<{ id: string }>("select id from programs where name like 'Harbor%'");
    const [patient] = await h.database.query<{ id: string }>("select id from patients where mrn = 'HSC-0002'");
    const invited = await h.app.inject({ method: 'POST', url: `/api/v1/patients/${patient!.id}/app-invites`, headers: { cookie, 'waypoint-program': program!.id } });
    expect(invited.statusCode, invited.body).toBe(200);
    phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    phoneContext.setDefaultTimeout(60_000);
    phone = await phoneContext.newPage();
    await phone.goto(`${h.base}/app/#activate=${(invited.json() as { code: string }).code}`);
    await phone.getByLabel('New PIN').fill(PIN);
    await phone.getByLabel('Type the PIN again').fill(PIN);
    await phone.getByRole('button', { name: 'Finish' }).click();
    await phone.getByRole('heading', { name: 'Today' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await phoneContext?.close();
    await stop(h ?? {});
  });

  it('a patient finds a MOUD-friendly meeting near a postcode in Spanish', async () => {
    await phone.getByTestId('tab-meetings').click();
    await phone.getByRole('button', { name: /Español/ }).click();
    await phone.getByRole('heading', { name: 'Buscar una reunión', level: 1 }).waitFor();
    await phone.getByTestId('meetings-zip').fill('10027');
    await phone.getByTestId('meetings-language').selectOption('es');
    await phone.getByTestId('meetings-find').click();
    const results = phone.getByTestId('meetings-results');
    await results.waitFor();
    const first = results.locator('li').first();
    await expect.poll(() => first.getByTestId('meeting-friendliness').textContent()).toBe('Acepta a personas que toman medicamentos');
    const esperanza = results.locator('li', { hasText: 'Metadona Anónimos Esperanza' });
    expect(await esperanza.getByTestId('meeting-friendliness').textContent()).toBe('Acepta a personas que toman medicamentos');
    await phone.getByRole('heading', { name: 'Sobre los medicamentos y los grupos' }).waitFor();
    await expectNoAxeViolations(phone, 'find a meeting in Spanish');
    await phone.screenshot({ path: `${shots}/meetings-app-es.png`, fullPage: true });
    // chosen: it is in My meetings below, with a calendar file
    await esperanza.getByTestId('add-to-mine').click();
    await phone.getByRole('heading', { name: 'Mis reuniones' }).waitFor();
    await expect
      .poll(() =>
        phone
          .locator('section', { has: phone.getByRole('heading', { name: 'Mis reuniones' }) })
          .getByText('Metadona Anónimos Esperanza')
          .count(),
      )
      .toBeGreaterThan(0);
    await expectNoAxeViolations(phone, 'my meetings in Spanish');
  }, 120_000);

  it('an administrator sees the sources: the demo feed’s last import, its counts and the refused record', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.goto(`${h.base}/meetings/sources`);
      const source = page.getByTestId('meeting-source').filter({ hasText: 'Harbor intergroup (demo feed)' });
      await source.getByText('3 added, 0 changed, 0 now inactive, 0 unchanged, 1 refused').waitFor();
      await source.getByText('Refused records (1)').click();
      await source.getByText(/Record 2: .*time/i).waitFor();
      await expectNoAxeViolations(page, 'meeting sources');
      await page.screenshot({ path: `${shots}/meetings-sources.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('staff search the directory near a ZIP code, welcoming first, and open a meeting', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await page.goto(`${h.base}/meetings`);
      await page.getByTestId('meetings-zip').fill('10027');
      await page.getByTestId('meetings-search').click();
      const table = page.getByTestId('meetings-results');
      await table.waitFor();
      await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(3);
      expect(await table.locator('tbody tr').first().getByText('Welcomes medication').count()).toBe(1);
      await expectNoAxeViolations(page, 'the directory');
      await page.screenshot({ path: `${shots}/meetings-console.png`, fullPage: true });
      await table.getByRole('button', { name: 'Metadona Anónimos Esperanza' }).click();
      await page.getByText(/Patients asked whether they felt welcome on medication \(4\)/).waitFor();
      await page.screenshot({ path: `${shots}/meetings-console-detail.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
