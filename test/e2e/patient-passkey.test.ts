// End-to-end, passkeys in the patient app (issue 12, ADR 039), in Chromium with a phone's
// viewport and a virtual platform authenticator (DevTools protocol: WebAuthn, CTAP2,
// internal transport, resident keys, user verification): the counsellor invites, the phone
// chooses its screen lock, lands on Today; locks and opens with the passkey (and a failed
// screen lock leaves it locked); the counsellor sees a passkey device and revokes it; the
// phone then wipes itself. A phone without a platform authenticator is offered the PIN
// only. axe on every new screen. WebAuthn needs a host name, so the phone uses localhost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { canRun, expectNoAxeViolations, openFirstMatch, shots, signIn, start, stop, type Harness } from './helpers.ts';

if (!canRun) console.warn('patient passkey e2e skipped: /usr/bin/chromium not found (in CI this test always runs).');

const leftovers = (page: Page) =>
  page.evaluate(async () => ({
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((d) => d.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    storage: localStorage.length + sessionStorage.length,
  }));

type Credential = { credentialId: string; isResidentCredential: boolean; rpId: string; userHandle?: string; signCount: number };

describe.skipIf(!canRun)('patient app passkeys (Chromium, virtual authenticator)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 120_000);
  afterAll(async () => stop(h ?? {}));

  it('invite → activate with a passkey → lock → unlock with the passkey → staff revoke → the app wipes itself', async () => {
    const staffContext = await h.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const phoneContext = await h.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    staffContext.setDefaultTimeout(60_000);
    phoneContext.setDefaultTimeout(60_000);
    const app = h.base.replace('127.0.0.1', 'localhost');
    try {
      const staff = await staffContext.newPage();
      await signIn(staff, h.base, 'counsellor@harbor.example');
      await openFirstMatch(staff, 'HSC-0002');
      await staff.getByTestId('patient-app-invite').click();
      const code = (await staff.getByTestId('patient-app-code').textContent())!.trim();

      // the phone, with a platform authenticator that checks who is using it
      const phone = await phoneContext.newPage();
      const cdp: CDPSession = await phoneContext.newCDPSession(phone);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });
      await phone.goto(`${app}/app/#activate=${code}`);
      await phone.getByRole('heading', { name: 'How do you want to open the app?' }).waitFor();
      await expectNoAxeViolations(phone, 'choose passkey or PIN');
      await phone.screenshot({ path: `${shots}/patient-passkey-choose.png` });
      await phone.getByRole('button', { name: "Use my phone's screen lock (passkey)" }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();

      // the passkey: for localhost, discoverable, its user handle random (no name, no id of the patient's)
      const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: Credential[] };
      expect(credentials).toHaveLength(1);
      const cred = credentials[0]!;
      expect(cred.rpId).toBe('localhost');
      expect(cred.isResidentCredential).toBe(true);
      expect(Buffer.from(cred.userHandle!, 'base64')).toHaveLength(32);
      const [device] = await h.database.query<{ kind: string; pin_hash: string | null; user_handle: string; sign_count: string }>(
        "select kind, pin_hash, user_handle, sign_count from patient_devices where kind = 'passkey'",
      );
      expect(device).toMatchObject({ kind: 'passkey', pin_hash: null });
      expect(Buffer.from(device!.user_handle, 'base64url').equals(Buffer.from(cred.userHandle!, 'base64'))).toBe(true);

      // lock, then open with the screen lock: no PIN asked
      await phone.getByTestId('lock').click();
      await phone.getByRole('heading', { name: 'Open the app' }).waitFor();
      expect(await phone.getByLabel('Your PIN').count()).toBe(0);
      await expectNoAxeViolations(phone, 'unlock with a passkey');
      await phone.screenshot({ path: `${shots}/patient-passkey-unlock.png` });
      // the screen lock fails: the app stays locked and says so
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
      await phone.getByRole('button', { name: 'Open with screen lock' }).click();
      await phone.getByRole('alert').waitFor();
      await expectNoAxeViolations(phone, 'unlock with a passkey, refused');
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
      await phone.getByRole('button', { name: 'Open with screen lock' }).click();
      await phone.getByRole('heading', { name: 'Today' }).waitFor();
      const count = (await h.database.query<{ sign_count: string }>("select sign_count from patient_devices where kind = 'passkey'"))[0]!.sign_count;
      expect(Number(count)).toBeGreaterThan(Number(device!.sign_count));

      // Spanish: the unlock screen's words too
      await phone.getByRole('button', { name: /Español/ }).click();
      await phone.getByTestId('lock').click();
      await phone.getByRole('button', { name: 'Abrir con el bloqueo de pantalla' }).waitFor();
      await expectNoAxeViolations(phone, 'unlock with a passkey in Spanish');
      await phone.getByRole('button', { name: /English/ }).click();
      await phone.getByRole('button', { name: 'Open with screen lock' }).waitFor();

      // the counsellor sees a passkey device, and revokes it
      await staff.reload();
      const devices = staff.getByTestId('patient-app-devices');
      await devices.getByText('Passkey (screen lock)').waitFor();
      await expectNoAxeViolations(staff, 'devices with a passkey');
      await staff.screenshot({ path: `${shots}/patient-passkey-devices.png`, fullPage: true });
      await staff
        .getByTestId('patient-app')
        .getByRole('button', { name: /^Revoke/ })
        .click();
      await devices.getByText('Revoked').waitFor();

      // the phone's next unlock learns it, and leaves nothing readable
      await phone.getByRole('button', { name: 'Open with screen lock' }).click();
      await phone.getByText('This phone was taken off your account.', { exact: false }).waitFor();
      expect(await leftovers(phone)).toEqual({ caches: [], databases: [], workers: 0, storage: 0 });
      await expectNoAxeViolations(phone, 'after revocation');
    } catch (err) {
      for (const [name, c] of [
        ['staff', staffContext],
        ['phone', phoneContext],
      ] as const)
        for (const [i, p] of c.pages().entries()) await p.screenshot({ path: `${shots}/patient-passkey-failure-${name}-${i}.png`, fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 300_000);

  it('a phone without a screen-lock authenticator is offered the PIN only', async () => {
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
      await phone.goto(`${h.base.replace('127.0.0.1', 'localhost')}/app/#activate=${code}`);
      await phone.getByRole('heading', { name: 'Pick a PIN' }).waitFor();
      expect(await phone.getByRole('button', { name: /passkey/ }).count()).toBe(0);
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
  }, 120_000);
});
