// Find a meeting (issue 15): near a ZIP code or "near me" (the browser's location, only when
// the patient asks), today / in the next two hours / online now, a language, groups that welcome
// medication first. Each result says when in plain words, where or how to join, and whether the
// group welcomes medication; the coaching on medication is shown with the results.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { MeetingSearchResult } from '../../../../contracts/meetings.ts';
import { call } from '../api.ts';
import { MyMeetings, verifyFromHash } from './MyMeetings.tsx';
import { MeetingWhere } from './MeetingWhere.tsx';

type Result = z.infer<typeof MeetingSearchResult>;
type When = 'any' | 'today' | 'soon' | 'onlineNow';

/** Find a meeting, and the patient's own (`scanned`: the address a room's QR code opened the app with). */
export function Meetings({ scanned }: { scanned: string | null }) {
  const { t, i18n } = useTranslation();
  const [mine, setMine] = useState(0);
  const [added, setAdded] = useState<string | null>(null);
  const add = async (meetingId: string) => {
    await call('POST', '/my-meetings', { meetingId }).catch(() => undefined);
    setAdded(meetingId);
    setMine((n) => n + 1);
  };
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';
  const [zip, setZip] = useState('');
  const [point, setPoint] = useState<{ latitude: number; longitude: number } | null>(null);
  const [when, setWhen] = useState<When>('any');
  const [language, setLanguage] = useState('');
  const [friendlyFirst, setFriendlyFirst] = useState(true);
  const [result, setResult] = useState<Result | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const nearMe = () => {
    if (!navigator.geolocation) return setNote(t('findMeetings.noLocation'));
    setNote(t('findMeetings.locating'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPoint({ latitude: p.coords.latitude, longitude: p.coords.longitude });
        setZip('');
        setNote('');
      },
      () => setNote(t('findMeetings.noLocation')),
      { maximumAge: 600_000, timeout: 10_000 },
    );
  };

  const find = async (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams({ limit: '20', radius: '15' });
    if (zip) q.set('postalCode', zip.trim());
    else if (point) {
      q.set('latitude', String(point.latitude));
      q.set('longitude', String(point.longitude));
    }
    if (when === 'today') q.set('today', 'true');
    if (when === 'soon') q.set('nextHours', '2');
    if (when === 'onlineNow') q.set('onlineNow', 'true');
    if (language) q.set('language', language);
    if (friendlyFirst) q.set('friendlyFirst', 'true');
    setBusy(true);
    try {
      setResult(await call<Result>('GET', `/meetings?${q.toString()}`));
      setNote('');
    } catch {
      setResult(null);
      setNote(t('findMeetings.none'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section aria-labelledby="meetings-title">
        <h1 id="meetings-title">{t('findMeetings.title')}</h1>
        <p>{t('findMeetings.intro')}</p>
        <form onSubmit={(e) => void find(e)}>
          <label>
            {t('findMeetings.postalCode')}
            <input inputMode="numeric" autoComplete="postal-code" maxLength={5} value={zip} onChange={(e) => setZip(e.currentTarget.value)} data-testid="meetings-zip" />
          </label>
          <button type="button" onClick={nearMe}>
            {t('findMeetings.nearMe')}
          </button>
          <fieldset>
            <legend>{t('findMeetings.when')}</legend>
            {(['any', 'today', 'soon', 'onlineNow'] as const).map((w) => (
              <label key={w}>
                <input type="radio" name="when" checked={when === w} onChange={() => setWhen(w)} />
                {t(`findMeetings.${w}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('findMeetings.language')}
            <select value={language} onChange={(e) => setLanguage(e.currentTarget.value)} data-testid="meetings-language">
              <option value="">{t('findMeetings.anyLanguage')}</option>
              <option value="en">English</option>
              <option value="es">Español</option>
            </select>
          </label>
          <label>
            <input type="checkbox" checked={friendlyFirst} onChange={(e) => setFriendlyFirst(e.currentTarget.checked)} />
            {t('findMeetings.friendlyFirst')}
          </label>
          <button type="submit" className="primary" disabled={busy} data-testid="meetings-find">
            {t('findMeetings.search')}
          </button>
        </form>
        <p role="status">{note}</p>
        {result ? (
          <>
            <h2>{t('findMeetings.results')}</h2>
            {result.items.length === 0 ? <p>{t('findMeetings.none')}</p> : null}
            <ul className="cards" data-testid="meetings-results">
              {result.items.map((m) => (
                <li key={m.id} className="card">
                  <h3>{m.name}</h3>
                  <p>
                    {m.inProgress
                      ? t('findMeetings.startsNow')
                      : m.startsInMinutes < 180
                        ? t('findMeetings.startsIn', { n: m.startsInMinutes })
                        : t('findMeetings.on', { day: t(`findMeetings.days.${m.weekday}`), time: m.startTime })}
                  </p>
                  <MeetingWhere m={m} />
                  <p data-testid="meeting-friendliness">
                    <strong>{t(`findMeetings.friendliness.${m.friendliness.friendliness}`)}</strong>
                  </p>
                  {added === m.id ? (
                    <p role="status">{t('myMeetings.added')}</p>
                  ) : (
                    <button type="button" onClick={() => void add(m.id)} data-testid="add-to-mine">
                      {t('myMeetings.add')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <aside aria-labelledby="meetings-coaching">
              <h2 id="meetings-coaching">{t('findMeetings.coachingTitle')}</h2>
              <ul>
                {result.coaching[lang].map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </aside>
          </>
        ) : null}
      </section>
      <MyMeetings key={mine} verify={scanned ? verifyFromHash(scanned) : null} />
    </>
  );
}
