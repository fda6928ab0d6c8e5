// End-to-end, the family part of the app and Sharing (issue 16, ADR 053), Chromium, 360×640
// phones. Through the staff API: a family member is added to a demo patient in CM (not the
// app's demo patient, who has consents of its own), with a family consent signed on paper naming
// the next visit, the check-ins and the rewards (not the safety plan), and an invite. The family member's phone activates with the code and
// shows "Shared with you": one card with the patient's first name and ONLY those three items,
// with the notice against sharing it again; Help now opens without any patient route. The
// patient's own phone: More → Sharing lists the consent ("Sharing now") and one the clinic wrote
// for an organisation ("Waiting for your signature"); the patient reads the family one in full
// and stops sharing; the family member's next tap on the card answers "Nothing is shared with
// you right now" (and so does a reload). The patient signs the waiting one in the app (name and
// "I agree"), and "Who saw my records" lists the family member's views. Axe on every screen;
// screenshots in English and Spanish in .tmp/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/modules/demo/seed.ts';
import { canRun, expectNoAxeViolations, shots, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('family app e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';
const FAMILY_PIN = '739164';
const STATEMENT = '42 CFR part 2 prohibits unauthorized use or disclosure of these records.';

/** Routes a family member's phone may call: sign-in, lock, sign-out, the public help and the family routes; never a patient's. */
const FAMILY_SAFE = /^\/api\/patient\/(activate|challenge|unlock|lock|sign-out|help|family\/)/;

async function activate(phone: Page, base: string, code: string, pin: string) {
  await phone.goto(`${base}/app/#activate=${code}`);
  await phone.getByLabel('New PIN').fill(pin);
  await phone.getByLabel('Type the PIN again').fill(pin);
  await phone.getByRole('button', { name: 'Finish' }).click();
}

const fitsWidth = async (phone: Page) => expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

describe.skipIf(!canRun)('the family member’s app and the patient’s Sharing (Chromium, 360 px)', () => {
  let h: Harness;
  let familyContext: BrowserContext;
  let patientContext: BrowserContext;
  let staff: (method: 'GET' | 'POST', url: string, payload?: object) => Promise<{ status: number; body: Record<string, unknown> }>;
  let patient: { id: string; first: string };
  let familyCode: string;
  let patientCode: string;

  beforeAll(async () => {
    h = await start();
    const signed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'counsellor@harbor.example', password: DEMO_PASSWORD } });
    expect(signed.statusCode, signed.body).toBe(200);
    const cookie = String(signed.headers['set-cookie']).split(';')[0]!;
    const [program] = await h.database.query<{ id: string; time_zone: string }>("select id, time_zone from programs where name like 'Harbor%'");
    // a demo patient in CM with no consents and no family yet (the app's demo patient has the demo's own)
    const [row] = await h.database.query<{ id: string; first: string }>(
      `select p.id, coalesce(nullif(p.preferred_name, ''), p.legal_given_name) as first from patients p
        where p.program_id = $1 and p.mrn <> 'HSC-0002'
          and exists (select 1 from cm_enrolments e where e.program_id = p.program_id and e.patient_id = p.id)
          and not exists (select 1 from consents c where c.program_id = p.program_id and c.patient_id = p.id)
          and not exists (select 1 from family_links l where l.program_id = p.program_id and l.patient_id = p.id)
        order by p.mrn limit 1`,
      [program!.id],
    );
    expect(row).toBeTruthy();
    patient = row!;
    staff = async (method, url, payload) => {
      const r = await h.app.inject({ method, url, headers: { cookie, 'waypoint-program': program!.id }, ...(payload ? { payload } : {}) });
      return { status: r.statusCode, body: r.json() as Record<string, unknown> };
    };

    // a family member linked to the patient, a family consent signed on paper, and an app invite
    const added = await staff('POST', `/api/v1/patients/${patient.id}/family`, { displayName: 'Sam Rivera (fictional)', relationship: 'sibling', language: 'en' });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const memberId = (added.body.items as Array<{ id: string; displayName: string }>).find((m) => m.displayName === 'Sam Rivera (fictional)')!.id;
    const nextYear = `${new Date().getUTCFullYear() + 1}-12-31`;
    const consent = await staff('POST', `/api/v1/patients/${patient.id}/consents`, {
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId: memberId },
      purposes: ['family-support'],
      dataClasses: ['appointments', 'check-ins', 'cm-progress'],
      dataDescription: 'My next visit, my check-in streak and my rewards.',
      expiry: { kind: 'date', on: nextYear },
      paper: {
        signerName: 'Demo Patient',
        // today where the programme is (the server refuses a date after it; UTC is a day ahead of New York each evening)
        signedOn: new Intl.DateTimeFormat('en-CA', { timeZone: program!.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()),
        scan: { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4 fictional scan').toString('base64') },
      },
    });
    expect(consent.status, JSON.stringify(consent.body)).toBe(200);
    expect(consent.body.status).toBe('active');
    // one the clinic wrote for the patient to sign in the app
    const waiting = await staff('POST', `/api/v1/patients/${patient.id}/consents`, {
      template: 'organization',
      language: 'en',
      recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
      purposes: ['care-coordination'],
      dataClasses: ['appointments', 'medication'],
      dataDescription: 'My visits and my medicine, so my doctor knows.',
      expiry: { kind: 'date', on: nextYear },
    });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(200);
    expect(waiting.body.status).toBe('awaiting-signature');
    const invite = await staff('POST', `/api/v1/patients/${patient.id}/family/${memberId}/invite`);
    expect(invite.status, JSON.stringify(invite.body)).toBe(200);
    familyCode = invite.body.code as string;
    const patientInvite = await staff('POST', `/api/v1/patients/${patient.id}/app-invites`);
    expect(patientInvite.status, JSON.stringify(patientInvite.body)).toBe(200);
    patientCode = patientInvite.body.code as string;

    familyContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    patientContext = await h.browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    // a loaded machine (two cores, other suites) can be slow: a minute per step
    familyContext.setDefaultTimeout(60_000);
    patientContext.setDefaultTimeout(60_000);
  }, 180_000);
  afterAll(async () => {
    await familyContext?.close();
    await patientContext?.close();
    await stop(h ?? {});
  });

  it('the family member sees only what is shared, with the notice; the patient stops sharing and it is gone; the patient signs one in the app', async () => {
    // 1. the family member's phone: activation opens the family part, not the patient's
    const family = await familyContext.newPage();
    const called: string[] = [];
    family.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) called.push(path);
    });
    await activate(family, h.base, familyCode, FAMILY_PIN);
    const shared = family.getByTestId('shared-with-you');
    await family.getByRole('heading', { name: 'Shared with you', level: 1 }).waitFor();
    await family.getByTestId('family-name').getByText('Hi, Sam Rivera (fictional)').waitFor();
    const card = shared.getByTestId('shared-card');
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getByRole('heading', { level: 2 }).innerText()).toContain(patient.first);
    await card.getByText('You are: Brother or sister').waitFor();
    // ONLY the consented items: the next visit, the check-ins, the rewards; no safety plan
    await card.getByTestId('shared-next-visit').waitFor();
    expect(await card.getByTestId('shared-check-ins').innerText()).toMatch(/^(Checked in \d+ days? in a row\.|Has not checked in the last day or two\.)$/);
    expect(await card.getByTestId('shared-rewards').innerText()).toMatch(/^(Rewards: \$\d[\d,]*\.\d\d earned\.|Not in the rewards program\.)$/);
    expect(await card.getByTestId('shared-safety-plan').count()).toBe(0);
    expect(await card.locator('.shared-items > li').count()).toBe(3);
    // the notice, visibly on the card: the statement and the plain words
    const notice = card.getByTestId('shared-notice');
    expect(await notice.isVisible()).toBe(true);
    await notice.getByText(STATEMENT).waitFor();
    await notice.getByText(/You may not share it with anyone else/).waitFor();
    await fitsWidth(family);
    await expectNoAxeViolations(family, 'Shared with you');
    await family.screenshot({ path: `${shots}/family-app-shared-en-360.png`, fullPage: true });
    // tapping the card reads it again (the single route): still there
    await card.getByTestId('shared-card-refresh').click();
    await expect.poll(() => called.filter((p) => p === `/api/patient/family/shared/${patient.id}`).length).toBe(1);
    await card.getByTestId('shared-notice').waitFor();
    expect(await shared.getByTestId('shared-card').count()).toBe(1);

    // Help now from the family shell: the general part, and no patient route
    await family.getByTestId('family-tab-help').click();
    await family.getByRole('heading', { name: 'Help now', level: 1 }).waitFor();
    await family.getByTestId('lifeline').waitFor();
    expect(await family.getByTestId('my-naloxone').count()).toBe(0);
    await expectNoAxeViolations(family, 'Help now from the family app');
    await family.getByTestId('family-tab-shared').click();
    await family.getByRole('heading', { name: 'Shared with you', level: 1 }).waitFor();

    // in Spanish
    await family.getByRole('button', { name: /Español/ }).click();
    await family.getByRole('heading', { name: 'Compartido con usted', level: 1 }).waitFor();
    await shared.getByText('Usted es: Hermano o hermana').waitFor();
    await fitsWidth(family);
    await expectNoAxeViolations(family, 'Compartido con usted');
    await family.screenshot({ path: `${shots}/family-app-shared-es-360.png`, fullPage: true });
    await family.getByRole('button', { name: /English/ }).click();
    await family.getByRole('heading', { name: 'Shared with you', level: 1 }).waitFor();

    // 2. the patient's phone: More → Sharing
    const phone = await patientContext.newPage();
    await activate(phone, h.base, patientCode, PIN);
    await phone.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await phone.getByTestId('tab-more').click();
    await phone.getByTestId('more-sharing').click();
    await phone.getByRole('heading', { name: 'Sharing', level: 1 }).waitFor();
    const items = phone.getByTestId('consent-item');
    await expect.poll(() => items.count()).toBe(2);
    // the one waiting for a signature first, then what is shared now
    expect(await items.nth(0).innerText()).toContain('Waiting for your signature');
    expect(await items.nth(0).innerText()).toContain('With: Riverside Primary Care (fictional)');
    expect(await items.nth(1).innerText()).toContain('Sharing now');
    expect(await items.nth(1).innerText()).toContain('With: Sam Rivera (fictional)');
    expect(await items.nth(1).innerText()).toContain('What: Your next visits, your daily check-ins, and your rewards');
    // who saw my records: the family member's two views so far
    const who = phone.getByTestId('who-saw');
    await expect.poll(() => who.getByTestId('disclosure').count(), { message: called.join('\n') }).toBe(2);
    expect(await who.getByTestId('disclosure').first().innerText()).toMatch(/Sam Rivera \(fictional\)[\s\S]*So they can support you/);
    await fitsWidth(phone);
    await expectNoAxeViolations(phone, 'Sharing');
    await phone.screenshot({ path: `${shots}/family-app-sharing-en-360.png`, fullPage: true });

    // open the family consent: the full text, and stop sharing
    await items.nth(1).click();
    await phone.getByRole('heading', { name: 'Sharing with a family member or friend', level: 1 }).waitFor();
    const text = phone.getByTestId('consent-text');
    for (const heading of ['Who may share', 'What may be shared', 'Who may get it', 'Why', 'Taking it back', 'When it ends', 'Signature']) await text.getByRole('heading', { name: heading }).waitFor();
    await phone.getByTestId('stop-sharing').click();
    await phone.getByText('They will not see anything from now on.').waitFor();
    await expectNoAxeViolations(phone, 'stop sharing?');
    await phone.screenshot({ path: `${shots}/family-app-stop-sharing-en-360.png` });
    await phone.getByTestId('stop-sharing-confirm').click();
    await expect.poll(() => phone.getByTestId('consent').getByTestId('consent-status').innerText()).toBe('Taken back');
    await phone.getByTestId('consent-done').getByText('You stopped sharing.', { exact: false }).waitFor();
    expect(await phone.getByTestId('stop-sharing').count()).toBe(0);

    // 3. the family member's next refresh: nothing is shared
    await card.getByTestId('shared-card-refresh').click();
    await shared.getByTestId('nothing-shared').getByText('Nothing is shared with you right now.').waitFor();
    await shared.getByText('The person you support decides what you see. They can change it at any time.').waitFor();
    expect(await shared.getByTestId('shared-card').count()).toBe(0);
    await expectNoAxeViolations(family, 'nothing shared');
    await family.screenshot({ path: `${shots}/family-app-nothing-en-360.png` });
    // and so after a reload (the phone stays the family member's: the family routes)
    await family.reload();
    await family.getByTestId('nothing-shared').waitFor();
    await family.getByRole('button', { name: /Español/ }).click();
    await family.getByText('Por ahora no se comparte nada con usted.').waitFor();
    await family.screenshot({ path: `${shots}/family-app-nothing-es-360.png` });
    // never a patient route from the family member's phone
    expect(called.filter((p) => !FAMILY_SAFE.test(p))).toEqual([]);

    // 4. the patient signs the one waiting for a signature
    await phone.getByTestId('consent-back').click();
    await phone.getByRole('heading', { name: 'Sharing', level: 1 }).waitFor();
    await expect.poll(() => items.nth(1).innerText()).toContain('Taken back');
    await items.nth(0).click();
    await phone.getByRole('heading', { name: 'Sharing with a named person or organization', level: 1 }).waitFor();
    const form = phone.getByTestId('sign-form');
    await form.getByLabel('Type your full name').fill('Demo Patient');
    await form.getByRole('button', { name: 'Sign' }).click();
    await form.getByText('Check “I agree” to sign.', { exact: false }).waitFor();
    await expectNoAxeViolations(phone, 'sign: not agreed');
    await form.getByRole('checkbox', { name: 'I agree' }).check();
    await phone.screenshot({ path: `${shots}/family-app-sign-en-360.png` });
    await form.getByRole('button', { name: 'Sign' }).click();
    await expect.poll(() => phone.getByTestId('consent').getByTestId('consent-status').innerText()).toBe('Sharing now');
    await phone.getByTestId('stop-sharing').waitFor();
    await phone.getByTestId('consent-text').getByText('Signed by Demo Patient', { exact: false }).waitFor();
    const [signedRow] = await h.database.query<{ status: string; method: string }>(
      `select c.signature_method as method, c.signed_at is not null as status from consents c where c.patient_id = $1 and c.template = 'organization'`,
      [patient.id],
    );
    expect(signedRow!.method).toBe('app');

    // in Spanish: the list and who saw my records
    await phone.getByTestId('consent-back').click();
    await phone.getByRole('button', { name: /Español/ }).click();
    await phone.getByRole('heading', { name: 'Compartir', level: 1 }).waitFor();
    await expect.poll(() => items.nth(0).innerText()).toContain('Se comparte ahora');
    await phone.getByRole('heading', { name: 'Quién vio mis registros' }).waitFor();
    await fitsWidth(phone);
    await expectNoAxeViolations(phone, 'Compartir');
    await phone.screenshot({ path: `${shots}/family-app-sharing-es-360.png`, fullPage: true });
  }, 300_000);
});
