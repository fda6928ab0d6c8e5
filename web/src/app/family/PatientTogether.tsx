// The patient's side of the couple's calendar (issue 16, behavioural couples therapy): "Did we have
// our trust talk today?", what we agreed, and the month's calendar with the streak. The patient's
// own record (GET /api/patient/together). Put in the patient app's More menu by the shell.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTRACT_PART_WORDS } from '../../../../core/family/couples.ts';
import { patientApi } from '../api.ts';
import { useLoaded } from '../useLoaded.ts';
import { TalkCalendar } from './TalkCalendar.tsx';

export function PatientTogether() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';
  const [version, setVersion] = useState(0);
  const { data, failed } = useLoaded(() => patientApi.together(), version);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!data && !failed) return <p>{t('patientApp.loading')}</p>;
  if (!data)
    return (
      <p className="error" role="alert">
        {t('patientApp.errors.generic')}
      </p>
    );
  const c = data.contract;
  const save = async (held: boolean) => {
    setBusy(true);
    setError(false);
    setSaved(false);
    try {
      await patientApi.togetherDay(data.today, held);
      setSaved(true);
      setVersion((v) => v + 1);
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  const todayRow = c?.calendar.days.find((d) => d.day === data.today);
  return (
    <section aria-labelledby="together-title" data-testid="patient-together">
      <h1 id="together-title">{t('patientApp.together.title')}</h1>
      {!c ? (
        <p className="notice">{t('patientApp.together.none')}</p>
      ) : (
        <>
          <p>{t('patientApp.together.intro', { name: c.partnerName })}</p>
          <fieldset className="choices">
            <legend>{t('patientApp.together.askPatient')}</legend>
            <button type="button" className="primary" disabled={busy} onClick={() => void save(true)} data-testid="talk-yes">
              {t('patientApp.together.yes')}
            </button>
            <button type="button" className="secondary-wide" disabled={busy} onClick={() => void save(false)} data-testid="talk-no">
              {t('patientApp.together.notToday')}
            </button>
          </fieldset>
          <p role="status">
            {saved ? t('patientApp.together.saved') : todayRow?.status === 'held' ? t('patientApp.together.todayYes') : todayRow?.status === 'not-held' ? t('patientApp.together.todayNo') : ''}
          </p>
          {error ? (
            <p className="error" role="alert">
              {t('patientApp.together.error')}
            </p>
          ) : null}
          <h2>{t('patientApp.together.agreed')}</h2>
          <ul>
            {c.terms.map((p) => (
              <li key={p}>
                <strong>{CONTRACT_PART_WORDS[p].title[lang]}.</strong> {CONTRACT_PART_WORDS[p].detail[lang]}
              </li>
            ))}
          </ul>
          {c.ownTerms ? <p>{t('patientApp.together.ownWords', { words: c.ownTerms })}</p> : null}
          <TalkCalendar calendar={c.calendar} lang={lang} />
        </>
      )}
    </section>
  );
}
