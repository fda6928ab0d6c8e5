// End-to-end, the sign-in steps in Chromium, each checked by axe (WCAG 2 A/AA): the
// credentials page in English and Spanish, the second-factor step (its error beside the
// field), and the recovery-code form. The counsellor's second factor is enrolled through
// the API first, as the account page would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../server/platform/security.ts';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, shots, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('sign-in e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

describe.skipIf(!canRun)('sign-in steps (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  async function enrolSecondFactor(email: string): Promise<void> {
    const signIn = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: DEMO_PASSWORD } });
    expect(signIn.statusCode).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const setup = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/setup', headers: { cookie } });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json() as { secret: string };
    const confirm = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/confirm', headers: { cookie }, payload: { code: currentTotp(secret, new Date()) } });
    expect(confirm.statusCode).toBe(200);
  }

  it('credentials (English and Spanish), second factor with an error, recovery code: 0 axe violations', async () => {
    await enrolSecondFactor('counsellor@harbor.example');
    const page = await h.browser.newPage();
    try {
      await page.goto(`${h.base}/sign-in`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectNoAxeViolations(page, 'sign-in');

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('button', { name: 'English' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
      await expectNoAxeViolations(page, 'sign-in (es)');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Español' }).waitFor();

      await page.getByLabel('Email').fill('counsellor@harbor.example');
      await page.getByLabel(/^Password/).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const code = page.getByRole('textbox', { name: /6-digit code/ });
      await code.waitFor();
      await expectNoAxeViolations(page, 'sign-in: second factor');

      await code.fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
      await expectNoAxeViolations(page, 'sign-in: second factor refused');
      await page.screenshot({ path: `${shots}/e2e-sign-in-mfa.png`, fullPage: true });

      await page.getByRole('button', { name: /use a recovery code/ }).click();
      await page.getByRole('textbox', { name: /^Recovery code/ }).waitFor();
      await expectNoAxeViolations(page, 'sign-in: recovery code');
    } finally {
      await page.close();
    }
  }, 120_000);
});
