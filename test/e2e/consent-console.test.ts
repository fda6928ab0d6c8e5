// End-to-end, 42 CFR Part 2 on the staff console (issue 16), Chromium: the demo counsellor
// opens a demo patient with no privacy notice and no consent, gives the notice (read aloud, the
// Spanish text shown), adds a family member (who sees nothing yet), writes a family consent
// signed on paper (a small fictional PDF uploaded) and sees it active and what the family member
// may now see, invites the family member to the app (the code shown with its QR code), shares
// records with an outside organisation — refused (no consent covers it), then as a medical
// emergency with a reason: the document opens in a new window with the notice against
// redisclosure — and finds it in the accounting; revokes the consent (at once: revoked, and the
// family member sees nothing again). An administrator finds the emergency disclosure on the
// review page. Axe on the card, the consent form and the accounting; screenshots in .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('consent console e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const FAMILY = 'Sam Rivera (fictional)';
const ORG = 'Riverside Primary Care (fictional)';
const REASON = 'Unresponsive in the waiting room; the ED asked for the current dose.';
const PDF = Buffer.from('%PDF-1.4\n% fictional signed consent for a test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe.skipIf(!canRun)('consent on the console: notice, family, a paper consent, sharing and the accounting (Chromium)', () => {
  let h: Harness;
  let staffContext: BrowserContext;

  beforeAll(async () => {
    h = await start();
    staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    // a loaded machine (two cores, other suites) can be slow: a minute per step
    staffContext.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await staffContext?.close();
    await stop(h ?? {});
  });

  it('the counsellor gives the notice, writes a family consent, shares in an emergency, and revokes', async () => {
    // a Harbor demo patient with no notice, consent or family member yet
    const [patient] = await h.database.query<{ id: string; mrn: string }>(
      `select p.id, p.mrn from patients p join programs g on g.id = p.program_id
        where g.name like 'Harbor%'
          and not exists (select 1 from patient_notices n where n.patient_id = p.id)
          and not exists (select 1 from consents c where c.patient_id = p.id)
          and not exists (select 1 from family_links l where l.patient_id = p.id)
        order by p.mrn limit 1`,
    );
    expect(patient).toBeTruthy();

    const page = await staffContext.newPage();
    await signIn(page, h.base, 'counsellor@harbor.example');
    await openFirstMatch(page, patient!.mrn);
    const card = page.getByTestId('privacy-card');
    await card.getByRole('heading', { name: 'Privacy and sharing' }).waitFor();
    await card.scrollIntoViewIfNeeded();

    // 1. no notice: a clear warning; give it (the Spanish text shown), read aloud
    await card.getByTestId('consent-notice-missing').waitFor();
    expect(await card.getByTestId('consent-notice-missing').innerText()).toContain('has not acknowledged the privacy notice');
    await card.getByText('No consents. Nothing is shared outside the programme without one.').waitFor();
    await card.getByRole('button', { name: 'Give the notice' }).click();
    const notice = page.getByRole('dialog', { name: 'Give the patient notice' });
    await notice.waitFor();
    await notice.getByText('Spanish', { exact: true }).click();
    await notice.getByRole('heading', { name: 'Su privacidad en este programa' }).waitFor();
    expect(await notice.getByTestId('consent-notice-text').getAttribute('lang')).toBe('es');
    await notice.getByRole('radio', { name: 'Read aloud' }).check();
    await expectNoAxeViolations(page, 'the notice dialog');
    await page.screenshot({ path: `${shots}/consent-notice.png` });
    await notice.getByRole('button', { name: 'The patient acknowledged it' }).click();
    await notice.waitFor({ state: 'detached' });
    await expect.poll(() => card.getByTestId('consent-notice-status').innerText()).toMatch(/Acknowledged.*Version 2026-02, .*, Read aloud, in Spanish\./s);
    const [ack] = await h.database.query<{ method: string; language: string }>(`select method, language from patient_notices where patient_id = $1`, [patient!.id]);
    expect(ack).toMatchObject({ method: 'read-aloud', language: 'es' });

    // 2. a family member: linked, nothing shared
    const family = card.getByTestId('consent-family');
    await family.getByRole('button', { name: 'Add', exact: true }).click();
    const add = family.getByTestId('family-add');
    await add.getByRole('textbox', { name: 'Name' }).fill(FAMILY);
    await add.getByRole('combobox', { name: 'Relationship' }).click();
    await page.getByRole('option', { name: 'Brother or sister' }).click();
    await add.getByRole('textbox', { name: /Phone/ }).fill('(555) 010-2233');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await add.waitFor({ state: 'detached' });
    const row = family.getByTestId('family-row').filter({ hasText: FAMILY });
    await row.getByText('Nothing shared — no consent').waitFor();

    // 3. a family consent signed on paper, the scan uploaded
    await card.getByRole('button', { name: 'New consent' }).click();
    const form = page.getByRole('dialog', { name: 'New consent' });
    await form.waitFor();
    await form.getByRole('radio', { name: 'Sharing with a family member or friend' }).check();
    await form.getByRole('combobox', { name: 'Family member or friend' }).click();
    await page.getByRole('option', { name: `${FAMILY} (Brother or sister)` }).click();
    // the template's defaults: its purpose and kinds of information, its words in the patient's language, its expiry
    expect(await form.getByRole('checkbox', { name: 'Family support' }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: 'My next visits' }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: 'My drug test results' }).isChecked()).toBe(false);
    expect(await form.getByRole('radio', { name: 'At the end of treatment' }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: /^No end date/ }).count()).toBe(0); // only the TPO consent may have none
    await form.getByRole('checkbox', { name: 'My rewards progress' }).uncheck();
    await form.getByRole('checkbox', { name: 'My safety plan' }).uncheck();
    await form.getByRole('radio', { name: 'Signed on paper — upload the scan' }).check();
    await form.locator('input[type="file"]').setInputFiles({ name: 'signed-consent.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByText('signed-consent.pdf').waitFor();
    await expectNoAxeViolations(page, 'the new consent form');
    await page.screenshot({ path: `${shots}/consent-form.png` });
    await form.getByRole('button', { name: 'Save the signed consent' }).click();
    await form.waitFor({ state: 'detached' });
    const consentRow = card.getByTestId('consent-row').filter({ hasText: 'Sharing with a family member or friend' });
    await consentRow.getByText('Active', { exact: true }).waitFor();
    expect(await consentRow.innerText()).toContain(FAMILY);
    await expect.poll(() => row.innerText()).toContain('My next visits; My daily check-ins (how many days in a row)');
    const [stored] = await h.database.query<{ data_classes: string[]; scan_type: string; signature_method: string }>(
      `select data_classes, scan_type, signature_method from consents where patient_id = $1`,
      [patient!.id],
    );
    expect(stored).toMatchObject({ data_classes: ['appointments', 'check-ins'], scan_type: 'application/pdf', signature_method: 'paper' });

    // 4. the family member is invited to the app: the code and its QR code
    await row.getByRole('button', { name: `Invite ${FAMILY} to the app` }).click();
    const app = page.getByRole('dialog', { name: `App for ${FAMILY}` });
    await app.getByTestId('family-invite-code').waitFor();
    expect((await app.getByTestId('family-invite-code').innerText()).trim()).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
    await app.getByRole('img', { name: 'QR code to set up the app' }).waitFor();
    await page.screenshot({ path: `${shots}/consent-family-invite.png` });
    await page.keyboard.press('Escape');
    await app.waitFor({ state: 'detached' });

    // 5. share records with an outside organisation: refused, then as a medical emergency
    await card.getByRole('button', { name: 'Share records' }).click();
    const share = page.getByRole('dialog', { name: 'Share records' });
    await share.getByRole('textbox', { name: 'Name of the organisation' }).fill(ORG);
    await share.getByRole('combobox', { name: 'Purpose' }).click();
    await page.getByRole('option', { name: 'Treatment' }).click();
    await share.getByRole('checkbox', { name: 'My medicine and dose' }).check();
    await share.getByRole('button', { name: 'Share', exact: true }).click();
    const refused = share.getByTestId('share-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('No consent in effect');
    await page.screenshot({ path: `${shots}/consent-share-refused.png` });
    expect(await h.database.query(`select 1 from disclosures where patient_id = $1`, [patient!.id])).toHaveLength(0);
    await share.getByRole('button', { name: 'This is a medical emergency' }).click();
    const submitEmergency = share.getByRole('button', { name: 'Share for the emergency' });
    await share.getByRole('textbox', { name: 'Reason' }).fill('Too short');
    expect(await submitEmergency.isDisabled()).toBe(true); // at least 10 characters
    await share.getByRole('textbox', { name: 'Reason' }).fill(REASON);
    const popup = staffContext.waitForEvent('page');
    await submitEmergency.click();
    const doc = await popup;
    await doc.waitForLoadState();
    expect(doc.url()).toMatch(/^blob:/);
    const docText = await doc.locator('body').innerText();
    expect(docText).toContain('42 CFR part 2 prohibits unauthorized use or disclosure of these records.');
    expect(docText).toContain(`Medical emergency: ${REASON}`);
    await doc.screenshot({ path: `${shots}/consent-disclosure-document.png` });
    await doc.close();
    await share.getByTestId('share-done').waitFor();
    await share.getByRole('button', { name: 'Done' }).click();
    await share.waitFor({ state: 'detached' });

    // 6. the accounting lists it, with the exception and its reason
    const accounting = card.getByTestId('consent-accounting');
    const disclosed = accounting.getByTestId('accounting-row').filter({ hasText: ORG });
    await disclosed.waitFor();
    expect(await disclosed.innerText()).toContain('Medical emergency');
    expect(await disclosed.innerText()).toContain(REASON);
    expect(await disclosed.innerText()).toContain('Casey Counsellor (demo)');
    await expectNoAxeViolations(page, 'the privacy and sharing card with the accounting');
    await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 20_000 }).toBe(0);
    await card.screenshot({ path: `${shots}/consent-card.png` });

    // 7. revoke the consent: at once, kept on record; the family member sees nothing again
    await consentRow.getByRole('button', { name: 'Sharing with a family member or friend' }).click();
    const drawer = page.getByRole('dialog', { name: 'Sharing with a family member or friend' });
    const detail = drawer.getByTestId('consent-detail');
    await detail.getByTestId('consent-text').getByRole('heading', { name: 'Taking it back' }).waitFor();
    expect(await detail.getByTestId('consent-text').innerText()).toContain(FAMILY);
    await page.screenshot({ path: `${shots}/consent-detail.png` });
    await detail.getByRole('button', { name: 'Revoke', exact: true }).click();
    expect(await detail.getByTestId('consent-revoke').innerText()).toContain('This takes effect at once');
    await detail.getByRole('textbox', { name: /How the patient told us/ }).fill('Told the counsellor at the visit.');
    await detail.getByRole('button', { name: 'Revoke now' }).click();
    await detail.getByText('Revoked', { exact: true }).first().waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await consentRow.getByText('Revoked', { exact: true }).waitFor();
    await row.getByText('Nothing shared — no consent').waitFor();
    const [revoked] = await h.database.query<{ revoked_at: Date | null }>(`select revoked_at from consents where patient_id = $1`, [patient!.id]);
    expect(revoked!.revoked_at).not.toBeNull();

    // 8. an administrator reviews the disclosures without consent
    const admin = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    admin.setDefaultTimeout(60_000);
    const adminPage = await admin.newPage();
    await signIn(adminPage, h.base, 'admin@harbor.example');
    // in the navigation for those who may review (read:audit); the administrator's long navigation scrolls to it
    const review = adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disclosures without consent' });
    await review.scrollIntoViewIfNeeded();
    await review.click();
    await adminPage.waitForURL(`${h.base}/disclosures/exceptions`);
    await adminPage.getByRole('heading', { name: 'Disclosures without consent', level: 1 }).waitFor();
    const reviewRow = adminPage.getByTestId('exception-disclosures').getByRole('row').filter({ hasText: ORG });
    await reviewRow.waitFor();
    expect(await reviewRow.innerText()).toContain(REASON);
    expect(await reviewRow.innerText()).toContain(patient!.mrn); // whose record, without opening it
    await expectNoAxeViolations(adminPage, 'disclosures without consent');
    await adminPage.screenshot({ path: `${shots}/consent-exceptions-review.png` });
    await reviewRow.getByRole('link', { name: 'Open the record' }).click();
    await adminPage.waitForURL(`${h.base}/patients/${patient!.id}`);
    await admin.close();
  }, 600_000);
});
