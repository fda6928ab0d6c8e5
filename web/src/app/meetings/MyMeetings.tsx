// A patient's meetings in the app (issue 15, ADR 048, docs/meetings.md): the meetings they
// chose, "Add to calendar" (an .ics fetched with the app's session), "I went" (self-report,
// then the welcome question for M2's POST /meetings/:id/welcome) and, at the programme's own
// groups, the verify step with the 6-digit code the room shows (the QR opens
// /app/#verify-meeting=MEETING.CODE; pass it as `verify`).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, PatientApiError } from '../api.ts';

type Chosen = { meetingId: string; name: string; weekday: number; startTime: string; timeZone: string; mode: string; locationName: string | null; conferenceUrl: string | null; verifiable: boolean };
type Attendance = { id: string; meetingId: string; meetingName: string; attendedOn: string; how: 'self' | 'verified' };
type Result = { attendance: Attendance; duplicate: boolean };

/** The code and meeting of a scanned QR (`#verify-meeting=MEETING.CODE`), if the URL carries one. */
export function verifyFromHash(hash: string): { meetingId: string; code: string } | null {
  const m = /verify-meeting=([0-9a-f-]{36})\.(\d{6})/.exec(hash);
  return m ? { meetingId: m[1]!, code: m[2]! } : null;
}

export function MyMeetings({ verify }: { verify?: { meetingId: string; code: string } | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'es' ? 'es' : 'en';
  const [items, setItems] = useState<Chosen[] | null>(null);
  const [history, setHistory] = useState<Attendance[]>([]);
  const [sheet, setSheet] = useState<{ meeting: Chosen; step: 'ask' | 'code' | 'welcome' | 'done'; code: string; error: string | null } | null>(null);

  const load = useCallback(async () => {
    const [mine, att] = await Promise.all([call<{ items: Chosen[] }>('GET', '/my-meetings'), call<{ items: Attendance[] }>('GET', '/my-meetings/attendance?limit=20')]);
    setItems(mine.items);
    setHistory(att.items);
  }, []);
  useEffect(() => {
    void load().catch(() => setItems([]));
  }, [load]);

  const verifyCode = useCallback(
    async (meetingId: string, code: string) => {
      try {
        await call<Result>('POST', '/my-meetings/verify', { meetingId, code });
        await load();
        return null;
      } catch (e) {
        return e instanceof PatientApiError && e.code === 'meeting_not_on' ? t('myMeetings.notOn') : t('myMeetings.wrongCode');
      }
    },
    [load, t],
  );
  // a scanned QR opened the app: verify it straight away
  const [scanned, setScanned] = useState<string | null>(null);
  useEffect(() => {
    if (verify) void verifyCode(verify.meetingId, verify.code).then((err) => setScanned(err ?? t('myMeetings.verified')));
  }, [verify, verifyCode, t]);

  const downloadCalendar = async () => {
    const res = await fetch(`/api/patient/my-meetings/calendar.ics?lang=${lang}`, { credentials: 'same-origin' });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'meetings.ics';
    a.click();
    URL.revokeObjectURL(url);
  };
  const markAttended = async (m: Chosen) => {
    try {
      await call<Result>('POST', `/my-meetings/${m.meetingId}/attended`, {});
    } catch {
      setSheet({ meeting: m, step: 'ask', code: '', error: t('myMeetings.notMeetingDay') });
      return;
    }
    await load();
    setSheet({ meeting: m, step: 'welcome', code: '', error: null });
  };
  const answerWelcome = async (answer: 'yes' | 'somewhat' | 'no') => {
    if (!sheet) return;
    await call('POST', `/meetings/${sheet.meeting.meetingId}/welcome`, { answer }).catch(() => undefined);
    setSheet({ ...sheet, step: 'done' });
  };

  if (items === null) return <p>{t('patientApp.loading')}</p>;
  const day = (w: number) => new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 1 + w)));
  return (
    <section className="card" aria-labelledby="my-meetings-title" data-testid="my-meetings">
      <h2 id="my-meetings-title">{t('myMeetings.title')}</h2>
      {scanned && <p role="status">{scanned}</p>}
      {items.length === 0 ? (
        <p>{t('myMeetings.empty')}</p>
      ) : (
        <ul className="plain">
          {items.map((m) => (
            <li key={m.meetingId}>
              <strong>{m.name}</strong> · {day(m.weekday)} {m.startTime}
              {m.locationName ? ` · ${m.locationName}` : ''}
              <div>
                <button type="button" onClick={() => setSheet({ meeting: m, step: 'ask', code: '', error: null })}>
                  {t('myMeetings.went')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <button type="button" onClick={() => void downloadCalendar()}>
          {t('myMeetings.addToCalendar')}
        </button>
      )}
      {sheet && (
        <div role="dialog" aria-modal="true" aria-labelledby="attended-title" className="sheet">
          <h3 id="attended-title">{sheet.meeting.name}</h3>
          {sheet.step === 'ask' && (
            <>
              <p>{t('myMeetings.wentQuestion')}</p>
              {sheet.error && <p role="alert">{sheet.error}</p>}
              <button type="button" onClick={() => void markAttended(sheet.meeting)}>
                {t('myMeetings.markWent')}
              </button>
              {sheet.meeting.verifiable && (
                <button type="button" onClick={() => setSheet({ ...sheet, step: 'code' })}>
                  {t('myMeetings.scan')}
                </button>
              )}
            </>
          )}
          {sheet.step === 'code' && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void verifyCode(sheet.meeting.meetingId, sheet.code).then((error) => setSheet(error ? { ...sheet, error } : { ...sheet, step: 'welcome', error: null }));
              }}
            >
              <p>{t('myMeetings.scanHint')}</p>
              <label htmlFor="meeting-code">{t('myMeetings.codeLabel')}</label>
              <input
                id="meeting-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                maxLength={6}
                value={sheet.code}
                onChange={(e) => setSheet({ ...sheet, code: e.target.value.replace(/\D/g, '') })}
              />
              {sheet.error && <p role="alert">{sheet.error}</p>}
              <button type="submit" disabled={sheet.code.length !== 6}>
                {t('myMeetings.verify')}
              </button>
            </form>
          )}
          {sheet.step === 'welcome' && (
            <>
              <p>{t('myMeetings.welcomeQuestion')}</p>
              {(['yes', 'somewhat', 'no'] as const).map((a) => (
                <button key={a} type="button" onClick={() => void answerWelcome(a)}>
                  {t(`myMeetings.welcome.${a}`)}
                </button>
              ))}
            </>
          )}
          {sheet.step === 'done' && <p role="status">{t('myMeetings.thanks')}</p>}
          <button type="button" onClick={() => setSheet(null)}>
            {t('myMeetings.close')}
          </button>
        </div>
      )}
      {history.length > 0 && (
        <>
          <h3>{t('myMeetings.history')}</h3>
          <ul className="plain">
            {history.map((h) => (
              <li key={h.id}>
                {h.attendedOn} · {h.meetingName} · {t(`myMeetings.how.${h.how}`)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
