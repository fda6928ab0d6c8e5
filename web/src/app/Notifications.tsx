// Reminders in the patient app (issue 12, ADR 038): the local time of the daily check-in
// reminder, and notifications on this phone. The phone asks for permission only after the
// patient taps "Turn on notifications"; a notification says only "Waypoint" and a neutral
// line, and opens the app. Sign-out and a revoked device end the subscription (device.ts).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { patientApi, type PatientNotificationsT } from './api.ts';

/** The VAPID key as the bytes PushManager.subscribe takes. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

export function Notifications() {
  const { t } = useTranslation();
  const [n, setN] = useState<PatientNotificationsT | null>(null);
  const [time, setTime] = useState('');
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void patientApi
      .notifications()
      .then((d) => {
        if (!live) return;
        setN(d);
        setTime(d.checkInReminderAt ?? '');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const act = async (fn: () => Promise<PatientNotificationsT>, done: string) => {
    setBusy(true);
    setNote(null);
    try {
      const d = await fn();
      setN(d);
      setTime(d.checkInReminderAt ?? '');
      setNote({ text: done, error: false });
    } catch {
      setNote({ text: t('patientApp.errors.generic'), error: true });
    } finally {
      setBusy(false);
    }
  };

  const saveTime = (e: FormEvent) => {
    e.preventDefault();
    if (time !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return setNote({ text: t('patientApp.notifications.timeInvalid'), error: true });
    void act(() => patientApi.setReminder(time === '' ? null : time), time === '' ? t('patientApp.notifications.reminderOff') : t('patientApp.notifications.reminderSaved', { time }));
  };

  const turnOn = async () => {
    if (!n?.push.publicKey || !pushSupported()) return;
    // the phone asks only now, after the tap
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return setNote({ text: t('patientApp.notifications.blocked'), error: true });
    const reg = await navigator.serviceWorker.ready;
    const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(n.push.publicKey) }));
    const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
    await act(() => patientApi.pushOn({ endpoint: json.endpoint, keys: json.keys }), t('patientApp.notifications.pushOnDone'));
  };
  const turnOff = async () => {
    const reg = pushSupported() ? await navigator.serviceWorker.getRegistration('/app/') : undefined;
    const sub = await reg?.pushManager.getSubscription();
    await sub?.unsubscribe().catch(() => undefined);
    if (sub) await act(() => patientApi.pushOff(sub.endpoint), t('patientApp.notifications.pushOffDone'));
    else setN((cur) => (cur ? { ...cur, push: { ...cur.push, on: false } } : cur));
  };

  if (!n) return null;
  return (
    <section className="card" aria-labelledby="notifications-title" data-testid="notifications">
      <h2 id="notifications-title">{t('patientApp.notifications.title')}</h2>
      <form onSubmit={saveTime} noValidate>
        <div className="field">
          <label htmlFor="reminder-time">{t('patientApp.notifications.timeLabel')}</label>
          <p className="hint" id="reminder-time-hint">
            {t('patientApp.notifications.timeHint')}
          </p>
          <input id="reminder-time" type="time" value={time} onChange={(e) => setTime(e.target.value)} aria-describedby="reminder-time-hint" />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('patientApp.notifications.saveTime')}
          </button>
          {n.checkInReminderAt ? (
            <button type="button" disabled={busy} onClick={() => void act(() => patientApi.setReminder(null), t('patientApp.notifications.reminderOff'))}>
              {t('patientApp.notifications.noReminder')}
            </button>
          ) : null}
        </div>
      </form>
      <p>{t('patientApp.notifications.private')}</p>
      {!n.push.publicKey || !pushSupported() ? (
        <p>{t('patientApp.notifications.pushUnavailable')}</p>
      ) : n.push.on ? (
        <>
          <p>{t('patientApp.notifications.pushIsOn')}</p>
          <button type="button" disabled={busy} onClick={() => void turnOff()}>
            {t('patientApp.notifications.turnOff')}
          </button>
        </>
      ) : (
        <button type="button" className="primary" disabled={busy} onClick={() => void turnOn().catch(() => setNote({ text: t('patientApp.errors.generic'), error: true }))}>
          {t('patientApp.notifications.turnOn')}
        </button>
      )}
      {note ? (
        <p className={note.error ? 'error' : 'notice'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
    </section>
  );
}
