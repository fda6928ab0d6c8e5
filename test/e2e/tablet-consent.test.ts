// End-to-end, a consent signed on the clinic's tablet in Chromium (issue 16): the demo
// counsellor writes a consent awaiting signature (through the API, as the consent card does),
// hands it to the tablet from the consent's drawer (Sign on the tablet) and the single-use link is opened in a
// SEPARATE browser context at tablet size (no staff session). The tablet shows the patient
// notice first ("I have read this"), then the consent's own words, the typed name, "I agree"
// and "Sign", then the thank-you screen; the API shows the consent active (signed on the
// tablet) and the notice acknowledged. A second consent, in Spanish, skips the notice (already
// acknowledged) and is shown in Spanish. axe finds nothing to fix on any tablet screen.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('tablet consent e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const TABLET = { width: 820, height: 1180 };

/** A POST from the console page, with its session and programme (what the consent card would send). */
async function apiPost<T>(page: Page, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([p, b]) => {
      const res = await fetch(`/api/v1${p}`, {
        method: 'POST',
        headers: { 'waypoint-program': localStorage.getItem('waypoint.programId') ?? '', ...(b === undefined ? {} : { 'content-type': 'application/json' }) },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: await res.json() };
    },
    [path, body] as const,
  ) as Promise<{ status: number; body: T }>;
}

const consentBody = (language: 'en' | 'es') => ({
  template: 'organization',
  language,
  recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
  purposes: ['care-coordination'],
  dataClasses: ['appointments', 'medication'],
  dataDescription: language === 'es' ? 'Mis citas y mi medicación.' : 'My visits and my medication.',
  expiry: { kind: 'date', on: '2099-12-31' },
});

type Consent = { id: string; status: string; signatureMethod: string | null; signerName: string | null };

describe.skipIf(!canRun)('a consent signed on the tablet (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('counsellor hands a consent to the tablet; the patient reads the notice and the consent and signs; the consent is active', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const tabletContext = await h.browser.newContext({ viewport: TABLET, hasTouch: true });
    const errors: string[] = [];
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, 'Heron Sample');
      const patientId = page.url().split('/').pop()!;

      const written = await apiPost<Consent>(page, `/patients/${patientId}/consents`, consentBody('en'));
      expect(written.status).toBe(200);
      expect(written.body.status).toBe('awaiting-signature');
      const consentId = written.body.id;
      // the console: the consent's drawer → Sign on the tablet → the link and its QR code
      await page.reload();
      await page.getByTestId('consent-row').getByRole('button', { name: 'Sharing with a named person or organization' }).click();
      await page.getByTestId('consent-tablet-start').click();
      await page.getByTestId('consent-tablet-card').waitFor();
      await expectNoAxeViolations(page);
      const link = (await page.getByTestId('consent-tablet-link').innerText()).trim();
      expect(link).toMatch(new RegExp(`^${h.base}/tablet#wph\\.`));

      // the tablet: a browser with no staff session opens the link
      const tp = await tabletContext.newPage();
      tp.on('pageerror', (e) => errors.push(e.message));
      await tp.goto(link);
      const notice = tp.getByTestId('tablet-notice');
      await notice.waitFor();
      expect(tp.url()).toBe(`${h.base}/tablet`); // the code left the address bar
      await notice.getByRole('heading', { level: 1, name: 'Your privacy in this program' }).waitFor();
      await notice.getByText('You can take back your consent at any time.', { exact: false }).waitFor();
      expect(await tp.getByText('Heron').count()).toBe(0); // the notice carries nothing about the patient
      await expectNoAxeViolations(tp, 'the tablet: patient notice');
      await tp.screenshot({ path: `${shots}/tablet-consent-notice.png`, fullPage: true });
      expect((await apiGet<{ session: { status: string; handedOff: boolean } }>(page, `/patients/${patientId}/consents/${consentId}/tablet`)).session).toMatchObject({
        status: 'open',
        handedOff: true,
      });

      await notice.getByRole('button', { name: 'I have read this' }).click();
      const form = tp.getByTestId('tablet-consent');
      await form.waitFor();
      await form.getByRole('heading', { level: 1, name: 'Sharing with a named person or organization' }).waitFor();
      await form.getByRole('heading', { level: 2, name: 'Who may get it' }).waitFor();
      await form.getByText('Riverside Primary Care (fictional)').waitFor();
      await form.getByText('Not signed yet.').waitFor();
      const sign = form.getByRole('button', { name: 'Sign', exact: true });
      expect(await sign.isDisabled()).toBe(true);
      await form.getByLabel('Type your full name').fill('Heron Sample');
      expect(await sign.isDisabled()).toBe(true); // not until "I agree" is checked
      await form.getByLabel('I agree to share as written above').check();
      await expectNoAxeViolations(tp, 'the tablet: consent');
      await tp.screenshot({ path: `${shots}/tablet-consent-form.png`, fullPage: true });
      await tp.screenshot({ path: `${shots}/tablet-consent-form-top.png` });
      await sign.click();

      const done = tp.getByTestId('tablet-done');
      await done.getByText('Your form is signed. Please give the tablet back to the staff.').waitFor();
      await expectNoAxeViolations(tp, 'the tablet: signed');
      await tp.screenshot({ path: `${shots}/tablet-consent-done.png` });

      const after = await apiGet<Consent>(page, `/patients/${patientId}/consents/${consentId}`);
      expect(after).toMatchObject({ status: 'active', signatureMethod: 'tablet', signerName: 'Heron Sample' });
      const ack = await apiGet<{ acknowledged: { method: string; language: string } | null }>(page, `/patients/${patientId}/notice`);
      expect(ack.acknowledged).toMatchObject({ method: 'tablet', language: 'en' });
      expect((await apiGet<{ session: { status: string } }>(page, `/patients/${patientId}/consents/${consentId}/tablet`)).session.status).toBe('submitted');

      // the tablet reaches no console: /patients shows the sign-in, not the record
      await tp.goto(`${h.base}/patients/${patientId}`);
      await tp.getByLabel('Email').waitFor();
      expect(await tp.getByText('Heron Sample').count()).toBe(0);

      // a second consent, in Spanish: the notice was acknowledged, so the consent comes first, in Spanish
      const es = await apiPost<Consent>(page, `/patients/${patientId}/consents`, consentBody('es'));
      expect(es.status).toBe(200);
      const esStarted = await apiPost<{ handoffPath: string }>(page, `/patients/${patientId}/consents/${es.body.id}/tablet`);
      const tp2 = await tabletContext.newPage();
      tp2.on('pageerror', (e) => errors.push(e.message));
      await tp2.goto(`${h.base}${esStarted.body.handoffPath}`);
      const esForm = tp2.getByTestId('tablet-consent');
      await esForm.getByRole('heading', { level: 1, name: 'Compartir con una persona u organización nombrada' }).waitFor();
      await esForm.getByRole('heading', { level: 2, name: 'Quién puede recibirlo' }).waitFor();
      await esForm.getByLabel('Escriba su nombre completo').fill('Heron Sample');
      await esForm.getByLabel('Acepto compartir lo que dice arriba').check();
      expect(await tp2.evaluate(() => document.documentElement.lang)).toBe('es');
      await expectNoAxeViolations(tp2, 'the tablet: consent in Spanish');
      await tp2.screenshot({ path: `${shots}/tablet-consent-form-es.png` });
      await esForm.getByRole('button', { name: 'Firmar', exact: true }).click();
      await tp2.getByTestId('tablet-done').getByText('Su formulario está firmado. Por favor, devuelva la tableta al personal.').waitFor();
      await tp2.screenshot({ path: `${shots}/tablet-consent-done-es.png` });
      expect(await apiGet<Consent>(page, `/patients/${patientId}/consents/${es.body.id}`)).toMatchObject({ status: 'active', signatureMethod: 'tablet' });
      expect(errors).toEqual([]);
    } finally {
      await tabletContext.close();
      await context.close();
    }
  }, 180_000);
});
