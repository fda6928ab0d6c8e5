// End-to-end, the family journey of issue 16 in one flow, every step through the screens its
// user has (Chromium): at intake the counsellor adds the patient's sister on the Privacy and
// sharing card, writes a family consent for the patient to sign and hands it to the clinic's
// tablet; the patient reads the privacy notice and the consent on the tablet and signs; the
// counsellor invites the sister to the app; the sister's phone (360×640) activates with the code
// and sees ONLY the consented items, with the notice against sharing them again; the patient
// takes the consent back (telling the counsellor, who records it); the sister's next view is
// refused and her card is gone. The accounting lists her one view under the consent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('family journey e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const SISTER = 'Lupe Sample (fictional)';
const STATEMENT = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

async function activate(phone: Page, base: string, code: string, pin: string) {
  await phone.goto(`${base}/app/#activate=${code}`);
  await phone.getByLabel('New PIN').fill(pin);
  await phone.getByLabel('Type the PIN again').fill(pin);
  await phone.getByRole('button', { name: 'Finish' }).click();
}

describe.skipIf(!canRun)('the family journey: a consent signed on the tablet, the sister’s app, revoked (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('intake consent on the tablet → the sister invited → sees only the consented items with the notice → revoked → refused', async () => {
    // a Harbor demo patient with no notice, consent or family member yet
    const [patient] = await h.database.query<{ id: string; mrn: string; first: string }>(
      `select p.id, p.mrn, coalesce(nullif(p.preferred_name, ''), p.legal_given_name) as first from patients p join programs g on g.id = p.program_id
        where g.name like 'Harbor%' and p.mrn <> 'HSC-0002'
          and not exists (select 1 from patient_notices n where n.patient_id = p.id)
          and not exists (select 1 from consents c where c.patient_id = p.id)
          and not exists (select 1 from family_links l where l.patient_id = p.id)
        order by p.mrn limit 1`,
    );
    expect(patient).toBeTruthy();
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const tabletContext = await h.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true });
    const phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    for (const c of [staffContext, tabletContext, phoneContext]) c.setDefaultTimeout(60_000);
    const errors: string[] = [];
    try {
      const page = await staffContext.newPage();
      await signIn(page, h.base, 'counsellor@harbor.example');
      await openFirstMatch(page, patient!.mrn);
      const card = page.getByTestId('privacy-card');
      await card.getByRole('heading', { name: 'Privacy and sharing' }).waitFor();
      await card.scrollIntoViewIfNeeded();

      // 1. the sister, linked; nothing shared yet
      const family = card.getByTestId('consent-family');
      await family.getByRole('button', { name: 'Add', exact: true }).click();
      const add = family.getByTestId('family-add');
      await add.getByRole('textbox', { name: 'Name' }).fill(SISTER);
      await add.getByRole('combobox', { name: 'Relationship' }).click();
      await page.getByRole('option', { name: 'Brother or sister' }).click();
      await add.getByRole('button', { name: 'Add', exact: true }).click();
      await add.waitFor({ state: 'detached' });
      const row = family.getByTestId('family-row').filter({ hasText: SISTER });
      await row.getByText('Nothing shared — no consent').waitFor();

      // 2. a family consent for the patient to sign: the next visits and the check-ins only
      await card.getByRole('button', { name: 'New consent' }).click();
      const form = page.getByRole('dialog', { name: 'New consent' });
      await form.getByRole('radio', { name: 'Sharing with a family member or friend' }).check();
      await form.getByRole('combobox', { name: 'Family member or friend' }).click();
      await page.getByRole('option', { name: `${SISTER} (Brother or sister)` }).click();
      await form.getByRole('checkbox', { name: 'My rewards progress' }).uncheck();
      await form.getByRole('checkbox', { name: 'My safety plan' }).uncheck();
      await form.getByRole('radio', { name: 'To be signed by the patient' }).check();
      await form.getByRole('button', { name: 'Save for the patient to sign' }).click();
      await form.waitFor({ state: 'detached' });
      const consentRow = card.getByTestId('consent-row').filter({ hasText: 'Sharing with a family member or friend' });
      await consentRow.getByText('Awaiting signature', { exact: true }).waitFor();

      // 3. hand it to the tablet from the consent's drawer
      await consentRow.getByRole('button', { name: 'Sharing with a family member or friend' }).click();
      const drawer = page.getByRole('dialog', { name: 'Sharing with a family member or friend' });
      await drawer.getByTestId('consent-tablet-start').click();
      const link = (await drawer.getByTestId('consent-tablet-link').innerText()).trim();
      expect(link).toMatch(new RegExp(`^${h.base}/tablet#wph\\.`));

      // 4. the tablet: the privacy notice first (never acknowledged), then the consent; the patient signs
      const tablet = await tabletContext.newPage();
      tablet.on('pageerror', (e) => errors.push(e.message));
      await tablet.goto(link);
      const notice = tablet.getByTestId('tablet-notice');
      await notice.getByRole('heading', { level: 1, name: 'Your privacy in this program' }).waitFor();
      await notice.getByRole('button', { name: 'I have read this' }).click();
      const signing = tablet.getByTestId('tablet-consent');
      await signing.getByRole('heading', { level: 1, name: 'Sharing with a family member or friend' }).waitFor();
      await signing.getByText(SISTER, { exact: false }).first().waitFor();
      await signing.getByLabel('Type your full name').fill(`${patient!.first} Sample`);
      await signing.getByLabel('I agree to share as written above').check();
      await expectNoAxeViolations(tablet, 'the tablet: the family consent');
      await tablet.screenshot({ path: `${shots}/family-journey-tablet.png` });
      await signing.getByRole('button', { name: 'Sign', exact: true }).click();
      await tablet.getByTestId('tablet-done').waitFor();

      // the console's drawer sees it signed; the sister's row says what she may see
      await drawer.getByText('Active', { exact: true }).first().waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'detached' });
      await expect.poll(() => row.innerText()).toContain('My next visits; My daily check-ins (how many days in a row)');

      // 5. the sister is invited to the app
      await row.getByRole('button', { name: `Invite ${SISTER} to the app` }).click();
      const app = page.getByRole('dialog', { name: `App for ${SISTER}` });
      const code = (await app.getByTestId('family-invite-code').innerText()).trim();
      await page.keyboard.press('Escape');
      await app.waitFor({ state: 'detached' });

      // 6. her phone: only the consented items, with the notice
      const phone = await phoneContext.newPage();
      phone.on('pageerror', (e) => errors.push(e.message));
      await activate(phone, h.base, code, '582046');
      const shared = phone.getByTestId('shared-with-you');
      await phone.getByRole('heading', { name: 'Shared with you', level: 1 }).waitFor();
      const sharedCard = shared.getByTestId('shared-card');
      await sharedCard.waitFor();
      expect(await sharedCard.getByRole('heading', { level: 2 }).innerText()).toContain(patient!.first);
      await sharedCard.getByTestId('shared-next-visit').waitFor();
      await sharedCard.getByTestId('shared-check-ins').waitFor();
      expect(await sharedCard.getByTestId('shared-rewards').count()).toBe(0);
      expect(await sharedCard.getByTestId('shared-safety-plan').count()).toBe(0);
      expect(await sharedCard.locator('.shared-items > li').count()).toBe(2);
      await sharedCard.getByTestId('shared-notice').getByText(STATEMENT).waitFor();
      await expectNoAxeViolations(phone, 'the sister: shared with you');
      await phone.screenshot({ path: `${shots}/family-journey-shared-360.png`, fullPage: true });

      // 7. the patient takes it back (telling the counsellor, who records it)
      await consentRow.getByRole('button', { name: 'Sharing with a family member or friend' }).click();
      const detail = page.getByRole('dialog', { name: 'Sharing with a family member or friend' }).getByTestId('consent-detail');
      await detail.getByRole('button', { name: 'Revoke', exact: true }).click();
      await detail.getByRole('textbox', { name: /How the patient told us/ }).fill('Asked at the front desk to stop sharing.');
      await detail.getByRole('button', { name: 'Revoke now' }).click();
      await detail.getByText('Revoked', { exact: true }).first().waitFor();
      await page.keyboard.press('Escape');

      // 8. her next view is refused: the card is gone, nothing is shared
      await sharedCard.getByTestId('shared-card-refresh').click();
      await shared.getByText('Nothing is shared with you right now.').waitFor();
      expect(await shared.getByTestId('shared-card').count()).toBe(0);
      expect(await phone.getByText(patient!.first, { exact: false }).count()).toBe(0);
      await phone.screenshot({ path: `${shots}/family-journey-refused-360.png`, fullPage: true });
      // and so does a fresh start of the app
      await phone.reload();
      await phone.getByText('Nothing is shared with you right now.').waitFor();
      expect(await phone.getByTestId('shared-card').count()).toBe(0);

      // the accounting: her views under the consent, and nothing after the revocation
      const views = await h.database.query<{ consent_id: string | null; at: Date }>(
        `select d.consent_id, d.at from disclosures d where d.patient_id = $1 and d.channel = 'family-view' order by d.at`,
        [patient!.id],
      );
      const [consent] = await h.database.query<{ id: string; revoked_at: Date }>(`select id, revoked_at from consents where patient_id = $1`, [patient!.id]);
      expect(views.length).toBeGreaterThan(0);
      expect(views.every((v) => v.consent_id === consent!.id && v.at < consent!.revoked_at)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await phoneContext.close();
      await tabletContext.close();
      await staffContext.close();
    }
  }, 600_000);
});
