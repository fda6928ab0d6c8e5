// End-to-end: the auditor's console (issue 11).
//   1. an administrator opens a demo patient's record (so that patient has events);
//   2. the demo auditor signs in and lands on the audit trail, not on the staff list;
//   3. filters by one record type and by a whole group of them, by readable names;
//   4. finds the patient by name (not by pasting an id) and sees that patient's events;
//   5. the search itself is in the audit trail, without the name searched for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ENTITIES } from '../../core/audit/entities.ts';
import { canRun, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

describe.skipIf(!canRun)('the auditor’s console (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 180_000);
  afterAll(async () => {
    await stop(h ?? {});
  });

  it('lands on the trail, filters by record type, finds a patient by name and sees their events', async () => {
    const admin = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    let patientId = '';
    try {
      const page = await admin.newPage();
      await signIn(page, h.base, 'admin@harbor.example');
      await openFirstMatch(page, 'Heron Sample');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Sample, Heron'); // the record was read
      patientId = page.url().split('/').pop()!;
    } finally {
      await admin.close();
    }
    // the demo programme has more than one Heron Sample: the MRN tells them apart
    const herons = await h.database.query<{ id: string; mrn: string; preferred_name: string | null }>(
      "select id, mrn, preferred_name from patients where legal_given_name = 'Heron' and legal_family_name = 'Sample' and program_id = (select program_id from patients where id = $1)",
      [patientId],
    );
    const heron = herons.find((p) => p.id === patientId);
    const shownAs = `${heron!.preferred_name ?? 'Heron'} Sample`;

    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'auditor@harbor.example', '/audit');
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      const table = page.getByTestId('audit-table');
      const rows = table.locator('tbody tr');
      const entities = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entity')));
      const filters = page.getByRole('form', { name: 'Filter the audit trail' });

      // one record type, by its readable name
      await filters.getByLabel('Record type').selectOption({ label: 'Patient' });
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(async () => [...new Set(await entities())]).toEqual(['patient']);
      expect(await table.getByText('Patient', { exact: true }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${shots}/audit-by-type.png`, fullPage: true });

      // a whole group: the auditor's own browsing is under System
      await filters.getByLabel('Record type').selectOption({ label: 'All of System' });
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await expect
        .poll(async () => {
          const kinds = await entities();
          return kinds.length > 0 && kinds.every((e) => e !== null && AUDIT_ENTITIES[e as keyof typeof AUDIT_ENTITIES] === 'system');
        })
        .toBe(true);
      await table.getByText('Audit trail', { exact: true }).first().waitFor();
      await filters.getByRole('button', { name: 'Clear' }).click();

      // the patient, found by name
      const finder = page.getByRole('search', { name: 'Find a patient' });
      await finder.getByLabel('Name or MRN').fill('heron sam');
      await finder.getByRole('button', { name: 'Find' }).click();
      await page.getByText(`${shownAs} · MRN ${heron!.mrn}`, { exact: false }).waitFor();
      await page.screenshot({ path: `${shots}/audit-patient-found.png`, fullPage: true });
      await page.getByRole('button', { name: `Show the events of ${shownAs} (MRN ${heron!.mrn})` }).click();
      await page.getByTestId('audit-patient-chosen').getByText(`Patient: ${shownAs} (MRN ${heron!.mrn})`).waitFor();
      await table.locator('tr[data-action="read"][data-entity="patient"]').first().waitFor();
      expect(await rows.count()).toBeGreaterThan(0);
      const patientCells = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[4]?.textContent ?? ''));
      expect(patientCells.every((c) => c.includes(shownAs) && c.includes(patientId))).toBe(true);
      expect(await table.locator('tr[data-action="read"][data-entity="patient"]').first().textContent()).toContain('Avery Admin');
      await page.screenshot({ path: `${shots}/audit-patient-events.png`, fullPage: true });

      // the name never went into a URL, and the search is itself in the trail, without it
      expect(page.url()).toBe(`${h.base}/audit`);
      const [search] = await h.database.query<{ action: string; entity: string; purpose: string; detail: Record<string, unknown> }>(
        "select action, entity, purpose, detail from audit_events where purpose = 'audit' order by id desc limit 1",
      );
      expect(search).toMatchObject({ action: 'search', entity: 'patient', purpose: 'audit', detail: { via: 'audit', words: 2, count: herons.length } });
      expect(JSON.stringify(search).toLowerCase()).not.toMatch(/heron|sam/);
    } catch (err) {
      await page.screenshot({ path: `${shots}/audit-failure.png`, fullPage: true });
      throw err;
    } finally {
      await context.close();
    }
  }, 180_000);
});
