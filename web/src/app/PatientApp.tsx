// The patient app (issue 12; ADR 030, 031, 039): activate with the clinic's code and either a
// passkey (the phone's own screen lock; offered only where the phone has one) or a PIN,
// unlock the same way, a Today screen, lock, sign out. A quick-exit button on every
// screen swaps the page for a neutral one at once. The app locks itself after the
// programme's idle minutes (the server ends the session too). Sign-out and a revoked
// device leave nothing readable on the phone (device.ts wipe).
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { LockActions } from './LockActions.tsx';
import { normaliseActivationCode, pinProblem, DEFAULT_PATIENT_IDLE_MINUTES } from '../../../core/access/patient-app.ts';
import { setLanguage, type Language } from '../i18n/index.ts';
import { familyApi, patientApi, PatientApiError } from './api.ts';
import { holderOf, loadDevice, newDeviceKey, saveDevice, signChallenge, wipe, type Holder, type PasskeyDevice, type PinDevice, type StoredDevice } from './device.ts';
import { createPasskey, passkeysAvailable, signWithPasskey, wasCancelled } from './passkey.ts';
import { CheckIn } from './CheckIn.tsx';
import { Progress, Rewards } from './Rewards.tsx';
import { NextVisits } from './NextVisits.tsx';
import { useLoaded } from './useLoaded.ts';
import { Trends } from './Trends.tsx';
import { HelpNow } from './HelpNow.tsx';
import { MyPlan } from './MyPlan.tsx';
import { Notifications } from './Notifications.tsx';
import { useSkillsSync } from './skills/offline.ts';
import { KeptNote } from './KeptNote.tsx';

// Skills (issue 13) load when the tab is first opened: the first screen stays small (the service worker keeps the chunk for offline use).
const Skills = lazy(() => import('./skills/Skills.tsx').then((m) => ({ default: m.Skills })));
const Meetings = lazy(() => import('./meetings/Meetings.tsx').then((m) => ({ default: m.Meetings })));
// Sharing (issue 16) and the family member's shell (ADR 053) load when first needed, like Skills.
const Sharing = lazy(() => import('./Sharing.tsx').then((m) => ({ default: m.Sharing })));
const PatientTogether = lazy(() => import('./family/PatientTogether.tsx').then((m) => ({ default: m.PatientTogether })));
const FamilyHome = lazy(() => import('./FamilyApp.tsx').then((m) => ({ default: m.FamilyHome })));

type Screen = { name: 'loading' } | { name: 'activate'; code: string; notice?: string } | { name: 'unlock' } | { name: 'help' } | { name: 'today' } | { name: 'family' } | { name: 'signed-out' };

/** The code in the QR link's fragment (#activate=…), removed from the address bar at once; read once, before the first render (main.tsx). */
export function codeFromFragment(): string {
  const m = /^#activate=([A-Za-z0-9 -]{1,40})$/.exec(window.location.hash);
  if (!m) return '';
  history.replaceState(null, '', window.location.pathname);
  return decodeURIComponent(m[1]!);
}

/** Swaps the page for a neutral one, now; the session is ended on the way out. */
function quickExit() {
  document.body.replaceChildren();
  document.title = 'Notes';
  keepOpenUntil(null);
  void patientApi.lock({ keepalive: true }).catch(() => undefined);
  window.location.replace('/app/neutral.html');
}

export function PatientApp({ activationCode }: { activationCode: string }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>({ name: 'loading' });
  const [device, setDevice] = useState<StoredDevice | null>(null);
  const [idleMinutes, setIdleMinutes] = useState(DEFAULT_PATIENT_IDLE_MINUTES);

  const forget = useCallback(async (notice?: string) => {
    // the screens go first, so nothing open writes to this phone while it is wiped
    setScreen({ name: 'loading' });
    await wipe();
    setDevice(null);
    setScreen(notice ? { name: 'activate', code: '', notice } : { name: 'signed-out' });
  }, []);

  useEffect(() => {
    void (async () => {
      const code = activationCode;
      const d = await loadDevice().catch(() => null);
      setDevice(d);
      if (!d || code) return setScreen({ name: 'activate', code });
      // a family member's phone opens the family part (ADR 053): it never calls a patient route
      if (holderOf(d) === 'family') {
        try {
          const me = await familyApi.me();
          setIdleMinutes(me.idleMinutes);
          setScreen({ name: 'family' });
        } catch {
          // nothing a family member saw is kept on the phone: offline, or locked, it asks to unlock
          setScreen({ name: 'unlock' });
        }
        return;
      }
      try {
        const me = await patientApi.me();
        setIdleMinutes(me.idleMinutes);
        setScreen({ name: 'today' });
      } catch (err) {
        // offline (no answer at all) within the idle lock's time: what the app last showed (ADR 051)
        setScreen(!(err instanceof PatientApiError) && openUntil() > Date.now() ? { name: 'today' } : { name: 'unlock' });
      }
    })();
  }, [activationCode]);

  /** Activated or unlocked: the server's answer says whose phone this is (and a stored device that did not know yet learns it). */
  const signedIn = (d: StoredDevice, minutes: number, holder: Holder) => {
    const known = d.holder === holder ? d : { ...d, holder };
    if (known !== d) void saveDevice(known).catch(() => undefined);
    setDevice(known);
    setIdleMinutes(minutes);
    setScreen(holder === 'family' ? { name: 'family' } : { name: 'today' });
  };
  const lock = useCallback(() => {
    keepOpenUntil(null);
    void patientApi.lock().catch(() => undefined);
    setScreen({ name: 'unlock' });
  }, []);
  useIdleLock(screen.name === 'today' || screen.name === 'family', idleMinutes, lock);
  const signOut = async () => {
    await patientApi.signOut().catch(() => undefined);
    await forget();
  };

  return (
    <div className="app">
      <header className="bar">
        <span className="brand" aria-hidden="true">
          Waypoint
        </span>
        <LanguageSwitch />
        <button type="button" className="exit" onClick={quickExit} data-testid="quick-exit">
          {t('patientApp.quickExit')}
        </button>
      </header>
      <main className="content">
        {screen.name === 'loading' ? <p>{t('patientApp.loading')}</p> : null}
        {screen.name === 'activate' ? <Activate initialCode={screen.code} notice={screen.notice} onDone={signedIn} /> : null}
        {screen.name === 'unlock' && device?.kind === 'pin' ? (
          <Unlock device={device} onDone={(m, holder) => signedIn(device, m, holder)} onRevoked={() => void forget(t('patientApp.revokedNotice'))} />
        ) : null}
        {screen.name === 'unlock' && device?.kind === 'passkey' ? (
          <PasskeyUnlock device={device} onDone={(m, holder) => signedIn(device, m, holder)} onRevoked={() => void forget(t('patientApp.revokedNotice'))} />
        ) : null}
        {/* Help now without the PIN or the screen lock (ADR 037): the general part only */}
        {screen.name === 'unlock' && device ? (
          <button type="button" className="help-now" onClick={() => setScreen({ name: 'help' })} data-testid="help-now-locked">
            {t('patientApp.help.open')}
          </button>
        ) : null}
        {screen.name === 'help' ? <HelpNow signedIn={false} onBack={() => setScreen({ name: 'unlock' })} /> : null}
        {screen.name === 'today' ? <Home onLock={lock} onSignOut={signOut} /> : null}
        {screen.name === 'family' ? (
          <Suspense fallback={<p>{t('patientApp.loading')}</p>}>
            <FamilyHome onLock={lock} onSignOut={signOut} />
          </Suspense>
        ) : null}
        {screen.name === 'signed-out' ? (
          <section aria-labelledby="signed-out-title">
            <h1 id="signed-out-title">{t('patientApp.signedOut.title')}</h1>
            <p>{t('patientApp.signedOut.body')}</p>
            <button type="button" className="primary" onClick={() => setScreen({ name: 'activate', code: '' })}>
              {t('patientApp.signedOut.again')}
            </button>
          </section>
        ) : null}
      </main>
    </div>
  );
}

/** Locks after `minutes` without a touch, a key or a scroll; and when the app comes back after longer than that in the background. */
const OPEN_UNTIL = 'waypoint.app.open-until';

/** When the idle lock would close the app: until then a reload with no network opens on what was kept. */
function keepOpenUntil(at: number | null) {
  try {
    if (at === null) localStorage.removeItem(OPEN_UNTIL);
    else localStorage.setItem(OPEN_UNTIL, String(at));
  } catch {
    /* storage unavailable: an offline start asks for the PIN */
  }
}
function openUntil(): number {
  try {
    return Number(localStorage.getItem(OPEN_UNTIL)) || 0;
  } catch {
    return 0;
  }
}

function useIdleLock(active: boolean, minutes: number, lock: () => void) {
  const last = useRef(Date.now());
  useEffect(() => {
    if (!active) return;
    last.current = Date.now();
    keepOpenUntil(last.current + minutes * 60_000);
    const seen = () => {
      if (Date.now() - last.current > minutes * 60_000) lock();
      else {
        last.current = Date.now();
        keepOpenUntil(last.current + minutes * 60_000);
      }
    };
    const events = ['pointerdown', 'keydown', 'scroll', 'visibilitychange'] as const;
    for (const e of events) window.addEventListener(e, seen, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current > minutes * 60_000) lock();
    }, 5_000);
    return () => {
      for (const e of events) window.removeEventListener(e, seen);
      window.clearInterval(timer);
    };
  }, [active, minutes, lock]);
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other: Language = i18n.language === 'es' ? 'en' : 'es';
  return (
    <button type="button" className="lang" lang={other} onClick={() => setLanguage(other)}>
      {other === 'es' ? 'Español' : 'English'}
      <span className="sr-only"> {t('patientApp.languageHint')}</span>
    </button>
  );
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | null; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const describedBy = (id: string, hint: boolean, error: unknown) => [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

function PinInput({ id, value, onChange, invalid, hint, error }: { id: string; value: string; onChange: (v: string) => void; invalid: boolean; hint: boolean; error: unknown }) {
  return (
    <input
      id={id}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      pattern="[0-9]*"
      maxLength={12}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy(id, hint, error)}
    />
  );
}

function Activate({ initialCode, notice, onDone }: { initialCode: string; notice?: string | undefined; onDone: (d: StoredDevice, idleMinutes: number, holder: Holder) => void }) {
  const { t } = useTranslation();
  // After the code: the way to unlock ('method': a passkey or a PIN, when the phone can use a passkey), then the PIN if chosen.
  const [step, setStep] = useState<'code' | 'method' | 'pin'>(initialCode && normaliseActivationCode(initialCode) ? 'method' : 'code');
  const [canPasskey, setCanPasskey] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void passkeysAvailable().then((yes) => live && setCanPasskey(yes));
    return () => {
      live = false;
    };
  }, []);
  const [code, setCode] = useState(initialCode);
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<{ field: 'code' | 'pin' | 'again' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    if (!normaliseActivationCode(code)) return setError({ field: 'code', text: t('patientApp.activate.codeInvalid') });
    setError(null);
    setStep('method');
  };
  const choosePasskey = async () => {
    const canonical = normaliseActivationCode(code)!;
    setBusy(true);
    setError(null);
    try {
      const options = await patientApi.passkeyRegistrationOptions({ code: canonical });
      const response = await createPasskey(options);
      const r = await patientApi.passkeyActivate({ code: canonical, response });
      const d: PasskeyDevice = { kind: 'passkey', programId: r.programId, deviceId: r.deviceId, rpId: options.rp.id ?? window.location.hostname, credentialId: response.id, holder: r.holder };
      await saveDevice(d);
      onDone(d, r.idleMinutes, r.holder);
    } catch (err) {
      if (err instanceof PatientApiError && err.field === 'body.code') {
        setStep('code');
        setError({ field: 'code', text: t('patientApp.activate.codeRefused') });
      } else if (err instanceof PatientApiError && err.code === 'passkeys_unavailable') {
        setCanPasskey(false);
        setError({ field: 'form', text: t('patientApp.passkey.unavailable') });
      } else setError({ field: 'form', text: t(wasCancelled(err) ? 'patientApp.passkey.cancelled' : 'patientApp.passkey.failed') });
    } finally {
      setBusy(false);
    }
  };
  const submitPin = async (e: FormEvent) => {
    e.preventDefault();
    const problem = pinProblem(pin);
    if (problem) return setError({ field: 'pin', text: t(`patientApp.pinProblems.${problem}`) });
    if (pin !== again) return setError({ field: 'again', text: t('patientApp.activate.pinMismatch') });
    const canonical = normaliseActivationCode(code)!;
    setBusy(true);
    setError(null);
    try {
      const key = await newDeviceKey(canonical);
      const r = await patientApi.activate({ code: canonical, publicKey: key.publicKey, proof: key.proof, pin });
      const d: PinDevice = { kind: 'pin', programId: r.programId, deviceId: r.deviceId, privateKey: key.privateKey, holder: r.holder };
      await saveDevice(d);
      onDone(d, r.idleMinutes, r.holder);
    } catch (err) {
      if (err instanceof PatientApiError && err.field === 'body.code') {
        setStep('code');
        setError({ field: 'code', text: t('patientApp.activate.codeRefused') });
      } else if (err instanceof PatientApiError && err.field === 'body.pin') setError({ field: 'pin', text: t('patientApp.pinProblems.common') });
      else setError({ field: 'form', text: t('patientApp.errors.generic') });
    } finally {
      setBusy(false);
    }
  };

  if (step === 'code')
    return (
      <form onSubmit={submitCode} noValidate aria-labelledby="activate-title">
        <h1 id="activate-title">{t('patientApp.activate.title')}</h1>
        {notice ? <p className="notice">{notice}</p> : null}
        <p>{t('patientApp.activate.intro')}</p>
        <Field id="code" label={t('patientApp.activate.codeLabel')} hint={t('patientApp.activate.codeHint')} error={error?.field === 'code' ? error.text : null}>
          <input
            id="code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={error?.field === 'code' || undefined}
            aria-describedby={describedBy('code', true, error?.field === 'code')}
          />
        </Field>
        <button type="submit" className="primary">
          {t('patientApp.next')}
        </button>
      </form>
    );
  if (step === 'method' && canPasskey === null) return <p>{t('patientApp.loading')}</p>;
  if (step === 'method' && canPasskey)
    return (
      <section aria-labelledby="method-title">
        <h1 id="method-title">{t('patientApp.passkey.methodTitle')}</h1>
        <p>{t('patientApp.passkey.methodIntro')}</p>
        <div className="choice">
          <button type="button" className="primary" disabled={busy} aria-describedby="passkey-hint" onClick={() => void choosePasskey()} data-testid="use-passkey">
            {busy ? t('patientApp.wait') : t('patientApp.passkey.usePasskey')}
          </button>
          <p className="hint" id="passkey-hint">
            {t('patientApp.passkey.usePasskeyHint')}
          </p>
        </div>
        <div className="choice">
          <button type="button" disabled={busy} aria-describedby="pin-choice-hint" onClick={() => setStep('pin')} data-testid="use-pin">
            {t('patientApp.passkey.usePin')}
          </button>
          <p className="hint" id="pin-choice-hint">
            {t('patientApp.passkey.usePinHint')}
          </p>
        </div>
        {error?.field === 'form' ? (
          <p className="error" role="alert">
            {error.text}
          </p>
        ) : null}
      </section>
    );
  return (
    <form onSubmit={(e) => void submitPin(e)} noValidate aria-labelledby="pin-title">
      <h1 id="pin-title">{t('patientApp.activate.pinTitle')}</h1>
      <p>{t('patientApp.activate.pinIntro')}</p>
      <Field id="pin" label={t('patientApp.activate.pinLabel')} hint={t('patientApp.activate.pinHint')} error={error?.field === 'pin' ? error.text : null}>
        <PinInput id="pin" value={pin} onChange={setPin} invalid={error?.field === 'pin'} hint error={error?.field === 'pin'} />
      </Field>
      <Field id="pin-again" label={t('patientApp.activate.pinAgainLabel')} error={error?.field === 'again' ? error.text : null}>
        <PinInput id="pin-again" value={again} onChange={setAgain} invalid={error?.field === 'again'} hint={false} error={error?.field === 'again'} />
      </Field>
      {error?.field === 'form' ? (
        <p className="error" role="alert">
          {error.text}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('patientApp.wait') : t('patientApp.activate.finish')}
      </button>
    </form>
  );
}

function Unlock({ device, onDone, onRevoked }: { device: PinDevice; onDone: (idleMinutes: number, holder: Holder) => void; onRevoked: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pin) return setError(t('patientApp.unlock.pinMissing'));
    setBusy(true);
    setError(null);
    try {
      const { challenge } = await patientApi.challenge({ programId: device.programId, deviceId: device.deviceId });
      const signature = await signChallenge(device, challenge);
      const r = await patientApi.unlock({ programId: device.programId, deviceId: device.deviceId, challenge, signature, pin });
      onDone(r.idleMinutes, r.holder);
    } catch (err) {
      setPin('');
      if (err instanceof PatientApiError && err.code === 'device_revoked') return onRevoked();
      setError(
        err instanceof PatientApiError && err.code === 'wrong_pin'
          ? t('patientApp.unlock.wrongPin')
          : err instanceof PatientApiError && err.code === 'device_locked'
            ? t('patientApp.unlock.locked')
            : t('patientApp.errors.generic'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('patientApp.unlock.title')}</h1>
      <Field id="unlock-pin" label={t('patientApp.unlock.pinLabel')} error={error}>
        <PinInput id="unlock-pin" value={pin} onChange={setPin} invalid={!!error} hint={false} error={error} />
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('patientApp.wait') : t('patientApp.unlock.open')}
      </button>
    </form>
  );
}

/** Unlock with the passkey: the phone asks for its screen lock; no PIN. */
function PasskeyUnlock({ device, onDone, onRevoked }: { device: PasskeyDevice; onDone: (idleMinutes: number, holder: Holder) => void; onRevoked: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const options = await patientApi.passkeyUnlockOptions({ programId: device.programId, deviceId: device.deviceId });
      const response = await signWithPasskey(options);
      const r = await patientApi.passkeyUnlock({ programId: device.programId, deviceId: device.deviceId, response });
      onDone(r.idleMinutes, r.holder);
    } catch (err) {
      if (err instanceof PatientApiError && err.code === 'device_revoked') return onRevoked();
      setError(
        err instanceof PatientApiError && err.code === 'device_locked'
          ? t('patientApp.unlock.locked')
          : wasCancelled(err)
            ? t('patientApp.passkey.unlockCancelled')
            : err instanceof PatientApiError && err.code === 'passkey_counter'
              ? t('patientApp.passkey.askClinic')
              : t('patientApp.passkey.unlockFailed'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('patientApp.unlock.title')}</h1>
      <p id="passkey-unlock-hint">{t('patientApp.passkey.unlockIntro')}</p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary" disabled={busy} aria-describedby="passkey-unlock-hint" onClick={() => void open()} data-testid="passkey-open">
        {busy ? t('patientApp.wait') : t('patientApp.passkey.open')}
      </button>
    </section>
  );
}

/**
 * The signed-in app: one screen at a time, chosen in the bottom bar (a thumb reaches it). The
 * bar keeps four, so it stays one row on a 360 px phone with large text, in English and in
 * Spanish: Today, Rewards, Help now (the safety path: always one tap, in the same place, in
 * the danger colour) and More, a list of the other screens.
 */
type Tab = 'today' | 'rewards' | 'help' | 'more' | MoreTab;
type MoreTab = 'skills' | 'meetings' | 'plan' | 'sharing' | 'together';
const TABS = ['today', 'rewards', 'help', 'more'] as const;
const MORE_TABS: readonly MoreTab[] = ['skills', 'meetings', 'plan', 'sharing', 'together'];
const isMoreTab = (tab: Tab): tab is MoreTab => (MORE_TABS as readonly Tab[]).includes(tab);

/** A QR code scanned at one of the programme's own groups opened the app (`#verify-meeting=…`): read once, then out of the address bar. */
function scannedMeetingCode(): string | null {
  if (!window.location.hash.startsWith('#verify-meeting=')) return null;
  const hash = window.location.hash;
  history.replaceState(null, '', window.location.pathname);
  return hash;
}

/**
 * After the patient moves to another screen, focus goes to its heading (a screen reader reads
 * where they are; the keyboard starts from the top of the screen). A screen that loads first
 * (Skills, Meetings, a read) gets it when its heading appears, and again when a loading
 * heading is replaced by the loaded one — unless the patient has moved focus meanwhile.
 */
function useFocusHeading(screen: RefObject<HTMLDivElement | null>, tab: Tab, moved: RefObject<boolean>) {
  useEffect(() => {
    const root = screen.current;
    if (!moved.current || !root) return;
    moved.current = false;
    let focused: HTMLElement | null = null;
    const focus = () => {
      const lost = !focused || (!focused.isConnected && (document.activeElement === document.body || document.activeElement === null));
      const heading = lost ? root.querySelector<HTMLHeadingElement>('h1') : null;
      if (!heading) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
      focused = heading;
    };
    focus();
    const watch = new MutationObserver(focus);
    watch.observe(root, { childList: true, subtree: true });
    const stop = window.setTimeout(() => watch.disconnect(), 10_000);
    return () => {
      watch.disconnect();
      window.clearTimeout(stop);
    };
  }, [screen, tab, moved]);
}

function Home({ onLock, onSignOut }: { onLock: () => void; onSignOut: () => Promise<void> }) {
  const { t } = useTranslation();
  const [scanned] = useState(scannedMeetingCode);
  const [tab, setTab] = useState<Tab>(scanned ? 'meetings' : 'today');
  const screen = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  const go = (next: Tab) => {
    moved.current = true;
    setTab(next);
  };
  useFocusHeading(screen, tab, moved);
  const { version, news } = useLiveUpdates();
  // skills work done offline is sent when the app opens and when the phone is back online
  useSkillsSync();
  return (
    <>
      <p className="sr-only" role="status" aria-live="polite">
        {news ? t('patientApp.live.updated') : ''}
      </p>
      <div ref={screen}>
        {tab === 'today' ? <Today version={version} onShowDraws={() => go('rewards')} onLock={onLock} onSignOut={onSignOut} /> : null}
        {tab === 'rewards' ? <Rewards version={version} /> : null}
        {tab === 'more' ? <More onOpen={go} /> : null}
        {tab === 'skills' ? (
          <Suspense fallback={<p>{t('patientApp.loading')}</p>}>
            <Skills />
          </Suspense>
        ) : null}
        {tab === 'meetings' ? (
          <Suspense fallback={<p>{t('patientApp.loading')}</p>}>
            <Meetings scanned={scanned} />
          </Suspense>
        ) : null}
        {tab === 'help' ? <HelpNow signedIn /> : null}
        {tab === 'plan' ? <MyPlan /> : null}
        {tab === 'sharing' ? (
          <Suspense fallback={<p>{t('patientApp.loading')}</p>}>
            <Sharing />
          </Suspense>
        ) : null}
        {tab === 'together' ? (
          <Suspense fallback={<p>{t('patientApp.loading')}</p>}>
            <PatientTogether />
          </Suspense>
        ) : null}
      </div>
      <nav className="tabs" aria-label={t('patientApp.tabs.label')}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            className={`tab-${name}`}
            // More stays marked while one of its screens is open: the patient sees where they are
            aria-current={tab === name ? 'page' : name === 'more' && isMoreTab(tab) ? 'true' : undefined}
            onClick={() => go(name)}
            data-testid={`tab-${name}`}
          >
            {t(`patientApp.tabs.${name}`)}
          </button>
        ))}
      </nav>
    </>
  );
}

/** More: the screens that are not in the bar, each a full-width button with what it is for. */
function More({ onOpen }: { onOpen: (tab: MoreTab) => void }) {
  const { t } = useTranslation();
  // Our trust talk only for a patient with a recovery contract (couples therapy)
  const { data: together } = useLoaded(() => patientApi.together());
  const shown = MORE_TABS.filter((name) => name !== 'together' || !!together?.contract);
  return (
    <section aria-labelledby="more-title" data-testid="more">
      <h1 id="more-title">{t('patientApp.more.title')}</h1>
      <p>{t('patientApp.more.intro')}</p>
      <ul className="plain more-list">
        {shown.map((name) => (
          <li key={name}>
            <button type="button" className="more-item" aria-labelledby={`more-${name}-name`} aria-describedby={`more-${name}-hint`} onClick={() => onOpen(name)} data-testid={`more-${name}`}>
              <span id={`more-${name}-name`} className="more-name">
                {t(`patientApp.tabs.${name}`)}
              </span>
              <span id={`more-${name}-hint`} className="more-hint">
                {t(`patientApp.more.${name}`)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The clinic's changes, live: the server's event stream says "changed" when a cup is
 * recorded or the ledger moves (ADR 040), and the screens read again. EventSource
 * reconnects by itself; on reconnecting the screens read again too, in case an event was
 * missed while the stream was down.
 */
function useLiveUpdates() {
  const [version, setVersion] = useState(0);
  const [news, setNews] = useState(false);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/patient/events');
    let opened = false;
    source.addEventListener('changed', () => {
      setVersion((v) => v + 1);
      setNews(true);
    });
    source.onopen = () => {
      if (opened) setVersion((v) => v + 1);
      opened = true;
    };
    return () => source.close();
  }, []);
  return { version, news };
}

function Today({ version, onShowDraws, onLock, onSignOut }: { version: number; onShowDraws: () => void; onLock: () => void; onSignOut: () => Promise<void> }) {
  const { t } = useTranslation();
  // a check-in just sent shows in the trends at once
  const [sent, setSent] = useState(0);
  // the next visits and CM progress: read again when the clinic records something (`version`)
  const { data: today, keptAt } = useLoaded(() => patientApi.today(), version, 'today');
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">{t('patientApp.today.title')}</h1>
      <p>{t('patientApp.today.welcome')}</p>
      <KeptNote at={keptAt} />
      <CheckIn onSent={() => setSent((n) => n + 1)} />
      <Trends version={version + sent} />
      <NextVisits today={today} />
      <Progress today={today} onShowDraws={onShowDraws} />
      <Notifications />
      <LockActions onLock={onLock} onSignOut={onSignOut} />
    </section>
  );
}
