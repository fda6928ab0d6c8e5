// End-to-end, the patient app in Chromium with a phone's viewport (issue 12, ADR 030/031):
// a counsellor invites a demo patient from the patient page; the phone opens the QR link,
// picks a PIN (a trivial one is refused), lands on Today; locks and opens again with the
// PIN; starts offline from the service worker's shell; quick exit swaps to a neutral page
// and locks; sign-out leaves no cache, no IndexedDB, no service worker and no storage.
// Spanish, 320 px and axe on every screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('patient app e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const PIN = '482915';

/** What the phone still holds: cache names, IndexedDB names, service workers, storage keys. */
const leftovers = (page: Page) =>
  page.evaluate(async () => ({
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((d) => d.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    storage: localStorage.length + sessionStorage.length,
  }));

describe.skipIf(!canRun)('patient app (Chromium, phone)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('invite → activate with a PIN → lock and unlock → offline start → quick exit → sign-out leaves nothing', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const phoneContext: BrowserContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      // a loaded machine (two cores, other suites) can be slow: a minute per step, not 30 s
      staffContext.setDefaultTimeout(60_000);
      phoneContext.setDefaultTimeout(60_000);
      // 1. the counsellor invites the patient from the patient page
      const staff = await staffContext.newPage();
      await signIn(staff, h.base, 'counsellor@harbor.example');
      await openFirstMatch(staff, 'HSC-0002');
      const section = staff.getByTestId('patient-app');
      await section.getByTestId('patient-app-invite').click();
      const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await expect.poll(() => staff.getByRole('img', { name: 'QR code to set up the patient app' }).count(), { timeout: 30_000 }).toBe(1);
      await staff.screenshot({ path: `${shots}/patient-app-invite.png`, fullPage: true });
      await expectNoAxeViolations(staff, 'patient page with an invite');

      // 2. the phone opens the QR link: the code is in the fragment, and leaves the address bar at once
      const phone = await phoneContext.newPage();
      const requests: string[] = [];
      phone.on('request', (r) => requests.push(r.url()));
      await phone.goto(`${h.base}/app/#activate=${code}`);
      await phone.getByRole('heading', { name: 'Pick a PIN' }).waitFor();
      expect(phone.url()).toBe(`${h.base}/app/`);
      expect(requests.some((u) => u.includes(code) || u.includes(code.replace(/-/g, '')))).toBe(false);
      await expectNoAxeViolations(phone, 'pick a PIN');
      await phone.getByLabel('New PIN').fill('123456');
      await phone.getByLabel('Type the PIN again').fill('123456');
      await phone.getByRole('button', { name: 'Finish' }).click();
      await phone.getByText('Do not use numbers in a row, like 123456.').waitFor();
      await expectNoAxeViolations(phone, 'a refused PIN');
      await phone.screenshot({ path: `${shots}/patient-app-pin-refused.png` });
      await phone.getByLabel('New PIN').fill(PIN);
      await phone.getByLabel('Type the PIN again').fill(PIN);
      await phone.getByRole('button', { name: 'Finish' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();
      // the patient is in CM (demo HSC-0002): their balance, streak and what the next test can earn
      await phone.getByTestId('progress').getByText('Your balance').waitFor();
      expect(await phone.getByTestId('progress').innerText()).toMatch(/\$\d+\.\d\d[\s\S]*in a row[\s\S]*Next: .* It can earn \$/);
      await expectNoAxeViolations(phone, 'Today');
      await phone.screenshot({ path: `${shots}/patient-app-today.png` });
      // the daily check-in, under a minute; then "I am not safe right now": crisis help at once, and an urgent alert for the care team
      await phone.getByRole('button', { name: 'Check in now' }).click();
      await phone.getByRole('radio', { name: 'Good', exact: true }).check();
      await phone
        .getByRole('group', { name: /craving/ })
        .getByRole('radio', { name: '4', exact: true })
        .check();
      await phone
        .getByRole('group', { name: /used since/ })
        .getByRole('radio', { name: 'No', exact: true })
        .check();
      await phone.getByRole('radio', { name: 'I took it' }).check();
      await expectNoAxeViolations(phone, 'the check-in form');
      await phone.screenshot({ path: `${shots}/patient-app-check-in.png`, fullPage: true });
      await phone.getByRole('button', { name: 'Send', exact: true }).click();
      await phone.getByTestId('check-in-result').getByText('Thank you. Your check-in is saved.').waitFor();
      await phone.getByRole('button', { name: 'Done' }).click();
      // the patient's own trends: today's answers in the table under the chart
      const trends = phone.getByTestId('trends');
      await trends.getByText('See the numbers').click();
      await expect.poll(() => trends.locator('tbody tr').first().innerText()).toMatch(/4\s+Good\s+Took it/);
      await expectNoAxeViolations(phone, 'Today with the trends');
      await trends.screenshot({ path: `${shots}/patient-app-trends.png` });
      await phone.getByTestId('not-safe').click();
      await phone.getByTestId('crisis').getByRole('link', { name: 'Call 988' }).waitFor();
      await expectNoAxeViolations(phone, 'crisis help after a check-in');
      await phone.screenshot({ path: `${shots}/patient-app-check-in-crisis.png`, fullPage: true });
      const workList = await staffContext.newPage();
      await workList.goto(`${h.base}/patients`);
      await workList.getByText('the patient said they are not safe right now').first().waitFor();
      await workList.close();
      await phone.getByRole('button', { name: 'Done' }).click();
      // offline: the check-in waits on the phone, and is sent once when the phone is back online
      const appCheckIns = async () => (await h.database.query<{ n: number }>("select count(*)::int as n from check_ins where source = 'app'"))[0]!.n;
      const before = await appCheckIns();
      await phoneContext.setOffline(true);
      await phone.getByRole('button', { name: 'Check in now' }).click();
      await phone
        .getByRole('group', { name: /craving/ })
        .getByRole('radio', { name: '2', exact: true })
        .check();
      // the optional part: what was used (may be skipped), sleep and a note
      await phone
        .getByRole('group', { name: /used since/ })
        .getByRole('radio', { name: 'Yes', exact: true })
        .check();
      await phone.getByTestId('substances').getByRole('checkbox', { name: 'Alcohol' }).check();
      await phone.getByText('More (you can skip this)').click();
      await phone.getByRole('radio', { name: 'Well', exact: true }).check();
      await phone.getByLabel('Anything else you want your care team to know?').fill('Long week at work.');
      await expectNoAxeViolations(phone, 'the check-in with its optional part');
      await phone.getByRole('button', { name: 'Send', exact: true }).click();
      await phone.getByTestId('check-in-waiting').getByText('saved on this phone').waitFor();
      await phoneContext.setOffline(false);
      await expect.poll(() => phone.getByTestId('check-in-waiting').count()).toBe(0);
      expect(await appCheckIns()).toBe(before + 1);
      const [sent] = await h.database.query<{ answers: unknown }>("select answers from check_ins where source = 'app' order by recorded_at desc limit 1");
      expect(sent!.answers).toEqual({ craving: 2, use: { any: true, substances: ['alcohol'] }, sleep: 4, note: 'Long week at work.' });
      // the private key is in IndexedDB and cannot be read out
      const key = await phone.evaluate(
        () =>
          new Promise<{ extractable: boolean; type: string }>((resolve, reject) => {
            const open = indexedDB.open('waypoint-app');
            open.onsuccess = () => {
              const get = open.result.transaction('device').objectStore('device').get('this-device');
              get.onsuccess = () => {
                const k = (get.result as { privateKey: CryptoKey }).privateKey;
                open.result.close();
                resolve({ extractable: k.extractable, type: k.type });
              };
              get.onerror = () => reject(new Error('read'));
            };
          }),
      );
      expect(key).toEqual({ extractable: false, type: 'private' });
      // the app's page loaded no console code: only the app's scripts and the shared chunk
      const scripts = requests.filter((u) => u.endsWith('.js')).map((u) => new URL(u).pathname);
      expect(scripts.some((s) => /Console|PatientPage|api-|Charts/.test(s))).toBe(false);

      // 3. the staff member sees the device
      await staff.reload();
      await staff.getByTestId('patient-app-devices').getByText('Active').waitFor();

      // 4. Spanish, and 320 px wide
      await phone.getByRole('button', { name: /Español/ }).click();
      await phone.getByRole('heading', { name: 'Hoy' }).waitFor();
      await expectNoAxeViolations(phone, 'Today in Spanish');
      await phone.setViewportSize({ width: 320, height: 640 });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await phone.screenshot({ path: `${shots}/patient-app-today-es-320.png` });
      await phone.getByRole('button', { name: /English/ }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // 5. lock, then open with the PIN (a wrong PIN first)
      await phone.getByTestId('lock').click();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await expectNoAxeViolations(phone, 'unlock');
      await phone.getByLabel('Your PIN').fill('730264');
      await phone.getByRole('button', { name: 'Open' }).click();
      await phone.getByText('That PIN is not right. Try again.').waitFor();
      await phone.getByLabel('Your PIN').fill(PIN);
      await phone.getByRole('button', { name: 'Open' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // 6. offline: the shell starts from the service worker's cache. Within the idle lock's
      // time, it opens on what the app last showed, saying so; once locked, it asks for the PIN.
      await phone.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await expect.poll(async () => (await leftovers(phone)).caches.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await phoneContext.setOffline(true);
      await phone.reload();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();
      await phone.getByTestId('kept-note').getByText('You are offline. This was last updated').waitFor();
      await phone.getByTestId('trends').waitFor();
      await expectNoAxeViolations(phone, 'Today offline, from what was kept');
      await phone.screenshot({ path: `${shots}/patient-app-offline-today.png`, fullPage: true });
      await phone.getByTestId('lock').click();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await phone.reload();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await phone.screenshot({ path: `${shots}/patient-app-offline-start.png` });
      await phoneContext.setOffline(false);
      await phone.getByLabel('Your PIN').fill(PIN);
      await phone.getByRole('button', { name: 'Open' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();
      expect(await phone.getByTestId('kept-note').count()).toBe(0);

      // 7. quick exit: a neutral page at once, and the session is over
      await phone.getByTestId('quick-exit').click();
      await phone.waitForURL(`${h.base}/app/neutral.html`);
      expect(await phone.title()).toBe('Notes');
      expect(await phone.locator('body').innerText()).not.toMatch(/Waypoint|PIN|clinic/i);
      await expectNoAxeViolations(phone, 'neutral page');
      await phone.screenshot({ path: `${shots}/patient-app-quick-exit.png` });
      await phone.goto(`${h.base}/app/`);
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await phone.getByLabel('Your PIN').fill(PIN);
      await phone.getByRole('button', { name: 'Open' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // 8. sign-out: nothing readable remains
      await phone.getByTestId('sign-out').click();
      await expectNoAxeViolations(phone, 'sign-out question');
      await phone.getByTestId('sign-out-confirm').click();
      await phone.getByRole('heading', { name: 'All done' }).waitFor();
      expect(await leftovers(phone)).toEqual({ caches: [], databases: [], workers: 0, storage: 0 });
      await phone.screenshot({ path: `${shots}/patient-app-signed-out.png` });
      // and the device is revoked for the clinic too
      await staff.reload();
      await staff.getByTestId('patient-app-devices').getByText('Revoked').waitFor();
      await staff.screenshot({ path: `${shots}/patient-app-devices.png`, fullPage: true });
    } catch (err) {
      // what each screen showed when it failed, for whoever reads the failure
      for (const [name, c] of [
        ['staff', staffContext],
        ['phone', phoneContext],
      ] as const)
        for (const [i, p] of c.pages().entries()) await p.screenshot({ path: `${shots}/patient-app-failure-${name}-${i}.png`, fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 400_000);

  it('a device the clinic revokes wipes itself on the next unlock', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    staffContext.setDefaultTimeout(60_000);
    phoneContext.setDefaultTimeout(60_000);
    try {
      const staff = await staffContext.newPage();
      await signIn(staff, h.base, 'counsellor@harbor.example');
      await openFirstMatch(staff, 'HSC-0003');
      await staff.getByTestId('patient-app-invite').click();
      const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();
      const phone = await phoneContext.newPage();
      await phone.goto(`${h.base}/app/`);
      await phone.getByLabel('Your code').fill(code.toLowerCase());
      await phone.getByRole('button', { name: 'Next' }).click();
      await phone.getByLabel('New PIN').fill(PIN);
      await phone.getByLabel('Type the PIN again').fill(PIN);
      await phone.getByRole('button', { name: 'Finish' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();
      await phone.getByTestId('lock').click();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      await staff.reload();
      await staff
        .getByTestId('patient-app')
        .getByRole('button', { name: /^Revoke/ })
        .click();
      await staff.getByTestId('patient-app-devices').getByText('Revoked').waitFor();
      await phone.getByLabel('Your PIN').fill(PIN);
      await phone.getByRole('button', { name: 'Open' }).click();
      await phone.getByText('This phone was taken off your account.', { exact: false }).waitFor();
      expect(await leftovers(phone)).toEqual({ caches: [], databases: [], workers: 0, storage: 0 });
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 300_000);
});
