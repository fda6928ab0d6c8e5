// End-to-end: administration across programmes in the console (ADR 020).
//   1. the demo administrator (administrator of both programmes and organisation
//      administrator) sees the organisation settings and the organisation-administrator
//      role on the staff page, and may give it;
//   2. an administrator of one programme only sees no organisation settings, and the staff
//      page says the organisation administrator's account is not theirs to change.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { organizations, programs } from '../../server/modules/programs/programs.tables.ts';
import { canRun, expectNoAxeViolations, shots, signIn, start, stop, type Harness } from './helpers.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

describe.skipIf(!canRun)('administration across programmes (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
    const [org] = await h.database.db.select().from(organizations);
    const [main] = await h.database.db.select().from(programs).where(eq(programs.name, 'Harbor Street Clinic (demo)'));
    await inTransaction(h.database.db, (tx) =>
      createUserWithRoles(tx, {
        orgId: org!.id,
        email: 'site.admin@harbor.example',
        displayName: 'Sky Siteadmin (demo)',
        password: DEMO_PASSWORD,
        roles: [{ programId: main!.id, role: 'administrator' }],
        now: new Date(),
        checkPassword: false,
      }),
    );
  }, 180_000);
  afterAll(async () => {
    await stop(h ?? {});
  });

  it('the organisation administrator sees the settings and the organisation-administrator role', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'admin@harbor.example');
      await page.getByRole('link', { name: 'Organisation settings' }).click();
      await page.getByLabel('Sign out after inactivity (minutes)').waitFor();
      await expectNoAxeViolations(page, 'organisation settings');
      await page.getByRole('link', { name: 'Staff and roles' }).click();
      const me = page.getByRole('row', { name: /Avery Admin/ });
      await me.getByText('Organisation administrator').waitFor();
      await page.getByRole('button', { name: 'Edit Casey Counsellor (demo)' }).click();
      const box = page.getByRole('checkbox', { name: 'Organisation administrator' });
      await box.waitFor();
      expect(await box.isChecked()).toBe(false);
      await page.screenshot({ path: `${shots}/admin-org-admin-edit.png`, fullPage: true });
      await expectNoAxeViolations(page, 'staff and roles (organisation administrator)');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an administrator of one programme: no organisation settings, and the organisation administrator is not theirs to change', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, h.base, 'site.admin@harbor.example');
      await page.getByRole('link', { name: 'Staff and roles' }).click();
      const avery = page.getByRole('row', { name: /Avery Admin/ });
      await avery.getByText('Only an organisation administrator can change this account').waitFor();
      expect(await avery.getByRole('button', { name: /Reset password/ }).count()).toBe(0);
      // a counsellor of this programme only is theirs to manage, without the organisation role
      await page.getByRole('button', { name: 'Edit Casey Counsellor (demo)' }).click();
      await page.getByLabel('Account active').waitFor();
      expect(await page.getByRole('checkbox', { name: 'Organisation administrator' }).count()).toBe(0);
      await page.keyboard.press('Escape');
      expect(await page.getByRole('link', { name: 'Organisation settings' }).count()).toBe(0);
      // Settings holds this programme's check-in risk rules only (docs/check-ins.md), never the organisation's policy
      await page.getByRole('link', { name: 'Check-in risk rules' }).click();
      await page.getByTestId('risk-rules').waitFor();
      expect(await page.getByLabel(/Sign out after inactivity/).count()).toBe(0);
      await page.screenshot({ path: `${shots}/admin-site-admin-staff.png`, fullPage: true });
      await expectNoAxeViolations(page, 'settings: programme risk rules only');
    } finally {
      await context.close();
    }
  }, 120_000);
});
