// End-to-end: the staff console in Debian's Chromium against the real server (in-process,
// in-memory PGlite with the demo data: helpers.ts). Builds web/dist first when it is out of date.
//   1. the demo administrator finds a patient, edits the preferred name, sees the change,
//      and finds the read and update events for that patient in the audit browser;
//      it also records gender identity and "prefer not to say" for sex (ADR 023);
//   2. the demo has a mix of sex and gender values;
//   3. the front desk sees demographics but no medication section, and registers a patient
//      (administrative sex Unknown by default, gender identity declined).
// Screenshots go to .tmp/ for a human (or agent) to look at.
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun as run, CHROMIUM, expectNoAxeViolations, root, shots, start, stop, type Harness } from './helpers.ts';

if (!run) {
  console.warn(`console e2e skipped: ${CHROMIUM} not found (install Debian's chromium package; in CI this test always runs).`);
}

describe.skipIf(!run)('staff console (Chromium)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await start();
  });

  afterAll(() => stop(h ?? {}));

  it('the server serves the console (index.html and its assets) to a signed-out browser', async () => {
    const asset = readdirSync(`${root}web/dist/assets`).find((f) => f.endsWith('.js'))!;
    const paths = ['/', '/sign-in', '/patients/00000000-0000-4000-8000-000000000000', `/assets/${asset}`];
    const statuses = await Promise.all(paths.map(async (url) => `${url} ${(await h.app.inject({ url })).statusCode}`));
    expect(statuses).toEqual(paths.map((p) => `${p} 200`));
    expect((await h.app.inject({ url: '/api/v1/nope' })).statusCode).toBe(404);
    // compressed at build time, sent as the browser accepts; hashed assets cached for good, the page never
    const br = await h.app.inject({ url: `/assets/${asset}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(readFileSync(`${root}web/dist/assets/${asset}`).length);
    const gz = await h.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('no-cache');
    const page = await h.app.inject({ url: '/patients/00000000-0000-4000-8000-000000000000', headers: { 'accept-encoding': 'identity' } });
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('<div id="root">');
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${h.base}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.base}/patients`);
  }

  async function openFirstMatch(page: Page, query: string) {
    const search = page.getByRole('textbox', { name: 'Find a patient' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill(query);
    await search.press('Enter');
    const firstRow = page.locator('tr[data-openable]').first();
    await firstRow.waitFor();
    // Keyboard only: down arrow into the results, Enter opens.
    await search.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    // No names or birth dates in the address.
    expect(page.url()).not.toMatch(/heron|sample/i);
  }

  it('administrator: search, open, edit, see the change, find it in the audit trail', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    try {
      await signIn(page, 'admin@harbor.example');
      await expect.poll(() => page.getByRole('link', { name: 'Audit trail' }).count()).toBe(1);
      await expectNoAxeViolations(page, 'patient search');

      await openFirstMatch(page, 'Heron Sample');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Sample, Heron');
      const patientId = page.url().split('/').pop()!;
      await page.getByTestId('medications').waitFor();

      const demographics = page.getByTestId('demographics');
      await demographics.getByRole('button', { name: 'Edit' }).click();
      await demographics.getByLabel('Preferred name').fill('Hero E2E');
      // Sex and gender (ADR 023): "not recorded" is a choice, and so is "prefer not to say".
      await demographics.getByLabel('Gender identity').selectOption({ label: 'Non-binary' });
      await demographics.getByLabel('Sex', { exact: true }).selectOption({ label: 'Prefer not to say' });
      await demographics.getByRole('button', { name: 'Save' }).click();
      await demographics.getByText('Hero E2E', { exact: true }).waitFor();
      await demographics.getByText('Non-binary', { exact: true }).waitFor();
      await demographics.getByText('Prefer not to say', { exact: true }).waitFor();
      expect(await h.database.query<{ sex: string; gender_identity: string }>('select sex, gender_identity from patients where id = $1', [patientId])).toEqual([
        { sex: 'asked-declined', gender_identity: 'non-binary' },
      ]);
      await page.getByText('Goes by Hero E2E').waitFor();
      await page.getByText('Changes saved.').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/console-patient.png`, fullPage: true });
      await expectNoAxeViolations(page, 'patient record (after an edit)');
      // Every tab of the patient page, then back to the record.
      for (const tab of await page.getByRole('tab').all()) {
        const name = (await tab.textContent()) ?? '';
        await tab.click();
        await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
        await page.getByRole('tabpanel').first().waitFor();
        await page.waitForLoadState('networkidle');
        await expectNoAxeViolations(page, `patient tab ${name}`);
      }
      await page.getByRole('tab').first().click();

      await page.getByRole('button', { name: 'Audit trail for this patient' }).click();
      await page.waitForURL(`${h.base}/audit`);
      expect(await page.getByTestId('audit-patient-chosen').textContent()).toContain('Hero E2E Sample');
      const table = page.getByTestId('audit-table');
      await table.waitFor();
      await table.locator('tr[data-action="update"][data-entity="patient"]').first().waitFor();
      // the patient page's many cards each record their reads: the record's own reads, by its record type
      await page.getByRole('combobox', { name: 'Record type' }).selectOption('patient');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => table.locator('tr[data-entity]:not([data-entity="patient"])').count()).toBe(0);
      // (no other record types is also true while the filtered page loads: wait for its rows, not count them at once)
      await table.locator('tr[data-action="read"][data-entity="patient"]').first().waitFor();
      expect(await table.locator('tr[data-action="update"][data-entity="patient"]').first().textContent()).toContain('Avery Admin');
      await page.screenshot({ path: `${shots}/console-audit.png`, fullPage: true });
      await expectNoAxeViolations(page, 'audit trail');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^id,at,actorId/);
      expect(csv).toContain(patientId);
      expect(csv).toContain(',update,patient,');

      // The other pages of the administrator's menu.
      for (const [path, heading] of [
        ['/account', 'Your account'],
        ['/staff', null],
        ['/cm', null],
        ['/account/password', null],
      ] as const) {
        await page.goto(`${h.base}${path}`);
        await page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) }).waitFor();
        await page.waitForLoadState('networkidle');
        await expectNoAxeViolations(page, path);
      }

      // Nothing about the patient went to the browser console.
      expect(consoleMessages.join('\n')).not.toMatch(/Heron|Sample|Hero E2E/);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the demo patients have a mix of administrative sex, sex and gender identity, including not recorded', async () => {
    const rows = await h.database.query<{ administrative_sex: string; sex: string | null; gender_identity: string | null }>('select distinct administrative_sex, sex, gender_identity from patients');
    expect(new Set(rows.map((r) => r.administrative_sex))).toEqual(new Set(['female', 'male', 'other', 'unknown']));
    expect(rows.some((r) => r.sex === null) && rows.some((r) => r.sex === 'asked-declined')).toBe(true);
    expect(rows.some((r) => r.gender_identity === null) && rows.some((r) => r.gender_identity === 'non-binary') && rows.some((r) => r.gender_identity === 'asked-declined')).toBe(true);
  });

  it('front desk: demographics yes, medication for OUD no', async () => {
    const context = await h.browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'frontdesk@harbor.example');
      await openFirstMatch(page, 'Heron Sample');
      await page.getByTestId('demographics').waitFor();
      expect(await page.getByTestId('demographics').getByRole('button', { name: 'Edit' }).count()).toBe(1);
      expect(await page.getByTestId('medications').count()).toBe(0);
      expect(await page.getByTestId('episodes').count()).toBe(0);
      expect(await page.getByText('Medication for OUD').count()).toBe(0);
      // Navigation offers no audit trail, staff or settings (the menu is behind the burger at tablet width).
      expect(await page.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
      await page.screenshot({ path: `${shots}/console-frontdesk-tablet.png`, fullPage: true });

      // Registration (ADR 023): administrative sex starts at Unknown, never a guess; the person may decline a gender identity.
      await page.goto(`${h.base}/patients/new`);
      await page.getByLabel('Legal given name').fill('Tamsin');
      await page.getByLabel('Legal family name').fill('Registertest');
      await page.getByLabel('Birth date').fill('1990-05-06');
      await page.getByLabel('MRN (medical record number)').fill('E2E-REG-1');
      expect(await page.getByLabel('Administrative sex').inputValue()).toBe('unknown');
      expect(await page.getByLabel('Sex', { exact: true }).inputValue()).toBe('');
      await page.getByLabel('Gender identity').selectOption({ label: 'Prefer not to say' });
      await page.screenshot({ path: `${shots}/console-register-tablet.png`, fullPage: true });
      await expectNoAxeViolations(page, 'register a patient');
      await page.getByRole('button', { name: 'Check and register' }).click();
      await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
      const registered = page.getByTestId('demographics');
      await registered.getByText('Prefer not to say', { exact: true }).waitFor();
      expect(await h.database.query('select administrative_sex, sex, gender_identity from patients where mrn = $1', ['E2E-REG-1'])).toEqual([
        { administrative_sex: 'unknown', sex: null, gender_identity: 'asked-declined' },
      ]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
