// End-to-end, the meeting directory (issue 15), Chromium: (a) a patient finds a MOUD-friendly
// meeting near a postcode in Spanish, on a phone, with the coaching; (b) staff search the
// directory in the console and open a meeting's detail; (c) staff add a meeting by hand, edit
// it (the same form, prefilled) and retire it, after which no search finds it, while an imported
// meeting has no edit button. Screenshots in .tmp/, axe on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { apiGet, canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';

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
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-meetings').click();
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

  it('staff add a meeting by hand, edit it, retire it (no search finds it then); an imported meeting is not edited here', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const search = async () => {
      await page.getByTestId('meetings-zip').fill('10027');
      await page.getByTestId('meetings-search').click();
      await page.getByTestId('meetings-results').waitFor();
    };
    const results = page.getByTestId('meetings-results');
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await page.goto(`${h.base}/meetings/add`);
      const add = page.getByRole('form', { name: 'Add a meeting' });
      await add.getByLabel(/^Name/).fill('Hope Together MA (fictional)');
      await add.getByLabel('Address').fill('12 Example Street, New York, NY');
      await add.getByLabel('ZIP code').fill('10027');
      await add.getByRole('button', { name: 'Add the meeting' }).click();
      await page.waitForURL(`${h.base}/meetings`);
      await search();
      await results.getByRole('button', { name: 'Hope Together MA (fictional)' }).click();

      // edit: the add form, prefilled
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
      const edit = dialog.getByRole('form', { name: 'Edit Hope Together MA (fictional)' });
      expect(await edit.getByLabel(/^Name/).inputValue()).toBe('Hope Together MA (fictional)');
      expect(await edit.getByLabel('ZIP code').inputValue()).toBe('10027');
      expect(await edit.getByLabel('Address').inputValue()).toBe('12 Example Street, New York, NY');
      await expectNoAxeViolations(page, 'editing a meeting');
      await page.screenshot({ path: `${shots}/meetings-console-edit.png`, fullPage: true });
      await edit.getByLabel(/^Name/).fill('Hope Together MA, evenings (fictional)');
      await edit.getByLabel('Starts (HH:MM)').fill('19:30');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await dialog.getByText('Hope Together MA, evenings (fictional)', { exact: true }).waitFor();
      const [edited] = (
        await apiGet<{ items: Array<{ id: string; name: string; startTime: string; address: string | null; latitude: number | null }> }>(page, '/meetings?postalCode=10027&limit=50')
      ).items.filter((m) => m.name === 'Hope Together MA, evenings (fictional)');
      expect(edited).toMatchObject({ startTime: '19:30', address: '12 Example Street, New York, NY' });
      expect(edited!.latitude).not.toBeNull();

      // retire, after a confirmation
      await dialog.getByRole('button', { name: 'Retire', exact: true }).click();
      const confirm = dialog.getByTestId('meeting-retire-confirm');
      await confirm.getByText('Retire Hope Together MA, evenings (fictional)?').waitFor();
      await expectNoAxeViolations(page, 'retiring a meeting');
      await page.screenshot({ path: `${shots}/meetings-console-retire.png`, fullPage: true });
      await confirm.getByRole('button', { name: 'Yes, retire it' }).click();
      await dialog.waitFor({ state: 'detached' });
      await search();
      await expect.poll(() => results.locator('tbody tr').count()).toBeGreaterThan(3);
      expect(await results.getByText(/Hope Together MA/).count()).toBe(0);
      const after = await apiGet<{ items: Array<{ id: string }> }>(page, '/meetings?postalCode=10027&limit=50');
      expect(after.items.map((m) => m.id)).not.toContain(edited!.id);

      // a meeting from the intergroup's feed: no edit, and the reason
      await results.getByRole('button', { name: 'Hope at Noon (demo)' }).first().click();
      await dialog
        .getByTestId('meeting-from-feed')
        .getByText(/comes from a feed/)
        .waitFor();
      expect(await dialog.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
      expect(await dialog.getByRole('button', { name: 'Retire', exact: true }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 180_000);
});
