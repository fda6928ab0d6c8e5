// End-to-end, assessment and planning in Chromium: the demo counsellor administers URICA
// (staff-entered, from the FHIR Questionnaire), sees the stage, accepts a recommendation
// into a care plan and saves it as version 1. Then the locked patient-tablet mode: a
// single-use link / QR code opened in a separate browser context (the tablet), a PHQ-9,
// the thank-you screen, no console at /patients, a refused second use of the link, and
// back to the console only with the staff member's password. The staff browser runs in
// Auckland while the programme is elsewhere: every time shown is the programme's. axe finds
// nothing to fix.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { apiGet, canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

const BROWSER_ZONE = 'Pacific/Auckland';

if (!canRun) console.warn('planning e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PC = [1, 5, 11, 13, 23, 26, 29];
const C = [2, 8, 12, 15, 19, 21, 24];
const A = [3, 7, 10, 14, 17, 25, 30];
const M = [6, 16, 18, 22, 27, 28, 32];

describe.skipIf(!canRun)('assessment and planning (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('administer URICA → stage shown → recommendation into a care plan → version 1', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: BROWSER_ZONE });
    const page: Page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    try {
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, 'Heron Sample');
      const patientId = page.url().split('/').pop()!;
      await page.getByRole('tab', { name: 'Assessment and plan' }).click();
      const me = await apiGet<{ programs: Array<{ id: string; timeZone: string }> }>(page, '/me');
      const chosen = await page.evaluate(() => localStorage.getItem('waypoint.programId'));
      const programZone = (me.programs.find((p) => p.id === chosen) ?? me.programs[0]!).timeZone;
      expect(programZone).not.toBe(BROWSER_ZONE);
      // An instant as the console should show it (in the programme's zone) and as the browser's zone would.
      const shown = (iso: string, timeZone: string) =>
        page.evaluate(([i, z]) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: z }).format(new Date(i!)), [iso, timeZone]);

      const administer = page.getByTestId('administer');
      await administer.getByLabel('Instrument').selectOption('urica');
      await administer.getByRole('button', { name: 'Start', exact: true }).click();
      const form = page.getByTestId('instrument-form');
      await form.waitFor();
      const answer = async (items: number[], v: number) => {
        for (const i of items) await form.locator(`[data-linkid="${i}"] input[value="${v}"]`).check();
      };
      await answer(PC, 1);
      await answer(C, 3);
      await answer(A, 5);
      await answer(M, 2);
      await answer([4, 9, 20, 31], 3);
      await form.getByRole('button', { name: 'Save and score' }).click();
      const result = page.getByTestId('assessment-result');
      await result.waitFor();
      expect(await result.getByTestId('stage-badge').textContent()).toContain('Action');
      await expect.poll(() => page.getByTestId('stage').getByTestId('stage-badge').textContent()).toContain('Action');
      await page.screenshot({ path: `${shots}/planning-urica.png`, fullPage: true });
      await expectNoAxeViolations(page, 'assessment and plan: URICA scored');
      const urica = await apiGet<{ items: Array<{ administeredAt: string }> }>(page, `/patients/${patientId}/assessments?instrument=urica`);
      const administeredAt = urica.items[0]!.administeredAt;
      expect(await result.textContent()).toContain(await shown(administeredAt, programZone));
      expect(await result.textContent()).not.toContain(await shown(administeredAt, BROWSER_ZONE));

      const recs = page.getByTestId('recommendations');
      await recs.getByRole('button', { name: 'Get recommendations' }).click();
      const first = recs.locator('[data-intervention]').first();
      await first.waitFor();
      // the demo programme runs CM: the panel takes that from the programme, never "not recorded"
      expect(await recs.textContent()).toContain('cmAvailable (programme)');
      expect(await recs.textContent()).not.toMatch(/not recorded|Ask us if we offer it/);
      // the plain words in the console's language, and in the patient's too when it is the other one
      const patient = await apiGet<{ preferredLanguage: string }>(page, `/patients/${patientId}`);
      const inPatientLanguage = recs.getByTestId('rationale-patient-language');
      expect(await inPatientLanguage.count()).toBe(patient.preferredLanguage === 'es' ? await recs.locator('[data-intervention]').count() : 0);
      if (patient.preferredLanguage === 'es') expect(await inPatientLanguage.first().textContent()).toMatch(/^In plain words \(Spanish\): .*\b(usted|su|le)\b/);
      // in a Spanish console, the plain words in Spanish, then in the (English-speaking) patient's English
      if (patient.preferredLanguage === 'en') {
        const switchTo = async (name: string) => {
          await page.getByRole('button', { name: /Casey Counsellor/ }).click();
          await page.getByRole('menuitem', { name }).click();
        };
        await switchTo('Español');
        await recs.getByText('En palabras sencillas:').first().waitFor();
        // which rules apply depends on the patient: the first one's plain words in Spanish, then in English
        const words = /En palabras sencillas: (.+)En palabras sencillas \(Inglés\): (.+?)Evidencia/.exec((await recs.locator('[data-intervention]').first().textContent()) ?? '');
        expect(words?.[1]).toMatch(/\b(de|la|el|que|con|un|una|es)\b/);
        expect(words?.[2]).toMatch(/\b(you|your|the|to|and)\b/i);
        expect(await inPatientLanguage.count()).toBe(await recs.locator('[data-intervention]').count());
        expect(await inPatientLanguage.first().locator('[lang="en"]').count()).toBe(1);
        await recs.screenshot({ path: `${shots}/planning-recommendations-es.png` });
        await expectNoAxeViolations(page, 'recommendations in Spanish');
        await switchTo('English');
        await recs.getByText('In plain words:').first().waitFor();
      }
      await page.screenshot({ path: `${shots}/planning-recommendations.png`, fullPage: true });
      await expectNoAxeViolations(page, 'recommendations');
      const code = (await first.getAttribute('data-intervention'))!;
      await first.getByRole('button', { name: /^Add to plan: / }).click();
      const editor = page.getByTestId('plan-editor');
      await editor.waitFor();
      await editor.getByRole('textbox', { name: 'Problem 1' }).fill('Wants to stop using stimulants (e2e)');
      await editor.getByRole('button', { name: 'Add a goal' }).click();
      await editor.getByRole('textbox', { name: 'Goal', exact: true }).fill('Stimulant-negative tests');
      await editor.getByRole('textbox', { name: 'Measure' }).fill('Negative urine tests in a row');
      await editor.getByRole('textbox', { name: 'Value' }).fill('6');
      await page.screenshot({ path: `${shots}/planning-editor.png`, fullPage: true });
      await expectNoAxeViolations(page, 'care plan editor');
      await editor.getByRole('button', { name: 'Save plan (version 1)' }).click();
      const view = page.getByTestId('plan-view');
      await view.waitFor();
      expect(await view.getByTestId('plan-version').textContent()).toBe('Version 1');
      expect(await view.locator(`[data-testid="plan-interventions"] tr[data-code="${code}"]`).count()).toBe(1);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/planning-plan.png`, fullPage: true });
      await expectNoAxeViolations(page, 'care plan');

      const plans = await apiGet<{ items: Array<{ id: string; version: number }> }>(page, `/patients/${patientId}/care-plans`);
      expect(plans.items).toHaveLength(1);
      expect(plans.items[0]!.version).toBe(1);
      const plan = await apiGet<{ interventions: Array<{ code: string | null; source: string }>; goals: unknown[] }>(page, `/patients/${patientId}/care-plans/${plans.items[0]!.id}`);
      expect(plan.interventions).toEqual([expect.objectContaining({ code, source: 'recommendation' })]);
      expect(plan.goals).toHaveLength(1);
      // The plan's "changed … at" beside the assessment: both in the programme's time.
      const saved = await apiGet<{ updatedAt: string }>(page, `/patients/${patientId}/care-plans/${plans.items[0]!.id}`);
      expect(await view.textContent()).toContain(await shown(saved.updatedAt, programZone));
      expect(await page.getByTestId('assessment-result').textContent()).toContain(await shown(administeredAt, programZone));

      // The locked patient mode, handed over by a single-use link / QR code and opened in a
      // SEPARATE browser context (the clinic tablet) that has no staff session.
      const administerSection = page.getByTestId('administer');
      await administerSection.getByLabel('Instrument').selectOption('phq-9');
      await administerSection.getByText('Patient on a tablet').click();
      await page.getByRole('button', { name: 'Make a tablet link' }).click();
      const handoff = page.getByTestId('tablet-handoff');
      await handoff.getByTestId('tablet-qr').waitFor();
      const link = await handoff.getByTestId('tablet-link').inputValue();
      expect(link).toMatch(new RegExp(`^${h.base}/tablet#wph\\.`));
      expect(link).not.toContain(patientId);
      await page.screenshot({ path: `${shots}/planning-tablet-handoff.png` });

      const tabletContext = await h.browser.newContext({ viewport: { width: 1024, height: 768 } });
      try {
        const tp = await tabletContext.newPage();
        await tp.goto(link);
        const tablet = tp.getByTestId('tablet');
        await tablet.waitFor();
        expect(tp.url()).toBe(`${h.base}/tablet`); // the code left the address bar
        expect(await tp.getByRole('navigation').count()).toBe(0);
        expect(await tp.content()).not.toContain('Heron');
        const done = tablet.getByRole('button', { name: "I'm done" });
        expect(await done.isDisabled()).toBe(true); // no "finish" with no answers
        // in Spanish: the PHQ-9's validated Spanish wording, items and answers
        await tablet.getByRole('button', { name: 'Español' }).click();
        await tablet.locator('[data-linkid="1"]').getByText('1. Poco interés o placer en hacer cosas').waitFor();
        await tablet.locator('[data-linkid="1"]').getByText('Ningún día').waitFor();
        await tablet.getByText('Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?').waitFor();
        expect(await tablet.getByTestId('no-validated-translation').count()).toBe(0);
        await expectNoAxeViolations(tp, 'the patient tablet in Spanish');
        await tp.screenshot({ path: `${shots}/planning-tablet-es.png` });
        await tablet.getByRole('button', { name: 'English' }).click();
        await tablet.locator('[data-linkid="1"]').getByText('Not at all').waitFor();
        for (let i = 1; i <= 9; i++) await tablet.locator(`[data-linkid="${i}"] input[value="${i === 9 ? 0 : 1}"]`).check();
        await tp.screenshot({ path: `${shots}/planning-tablet.png` });
        await expectNoAxeViolations(tp, 'the patient tablet');
        await done.click();
        await tp.getByTestId('tablet-done').getByText('Please hand the tablet back.').waitFor();
        await tp.screenshot({ path: `${shots}/planning-tablet-done.png` });
        await expectNoAxeViolations(tp, 'the patient tablet: done');
        await handoff.getByTestId('tablet-handoff-status').getByText('The patient sent the form.', { exact: false }).waitFor();
        const phq = await apiGet<{ items: Array<{ instrument: string; mode: string; scores: Record<string, number | null> }> }>(page, `/patients/${patientId}/assessments?instrument=phq-9`);
        expect(phq.items[0]).toMatchObject({ mode: 'patient-tablet', scores: { total: 8 } });

        // typing /patients in the tablet's address bar does not open the console
        await tp.goto(`${h.base}/patients`);
        await tp.getByLabel('Email').waitFor();
        expect(await tp.getByRole('navigation').count()).toBe(0);
        expect(await tp.content()).not.toContain('Heron');
        const me = await tp.evaluate(async () => (await fetch('/api/v1/me')).status);
        expect(me).toBe(401);

        // a second use of the link is refused, clearly
        const again = await tabletContext.newPage();
        await again.goto(link);
        await again.getByTestId('tablet-refused').getByText('This link was already used').waitFor();
        await again.close();

        // back to the console: only with the password of the staff member who started it
        await tp.goto(`${h.base}/tablet`);
        await tp.getByTestId('tablet-done').waitFor();
        await tp.getByRole('button', { name: 'Staff: back to the console' }).click();
        const unlock = tp.getByTestId('tablet-unlock');
        await unlock.getByLabel(/^Staff password/).fill('not-the-password');
        await unlock.getByRole('button', { name: 'Unlock' }).click();
        await unlock.getByText('That password is not correct.').waitFor();
        expect(await tp.getByRole('navigation').count()).toBe(0);
        await unlock.getByLabel(/^Staff password/).fill(DEMO_PASSWORD);
        await unlock.getByRole('button', { name: 'Unlock' }).click();
        await tp.waitForURL(`${h.base}/patients`);
        await tp.getByRole('navigation').first().waitFor();
      } finally {
        await tabletContext.close();
      }

      expect(consoleMessages.join('\n')).not.toMatch(/Heron|Sample/);
    } finally {
      await context.close();
    }
  }, 180_000);
});
