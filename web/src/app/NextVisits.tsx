// Today's next visits at the clinic (issue 12: "next test and appointment"): up to three,
// booked and not cancelled, in the programme's time zone, with how they happen when not in
// person. Read with Today (GET /api/patient/today).
import { useTranslation } from 'react-i18next';
import type { PatientTodayT } from './api.ts';

export function NextVisits({ today }: { today: PatientTodayT | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (!today || today.visits.length === 0) return null;
  const lang = i18n.language === 'es' ? 'es' : 'en';
  const when = new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: today.timeZone });
  return (
    <section className="card" aria-labelledby="visits-title" data-testid="next-visits">
      <h2 id="visits-title">{t('patientApp.today.visits')}</h2>
      <ul className="plain">
        {today.visits.map((v) => (
          <li key={v.startsAt}>
            <strong>{when.format(new Date(v.startsAt))}</strong> · {v.type[lang]}
            {v.modality === 'video' || v.modality === 'phone' ? ` · ${t(`patientApp.today.modality.${v.modality}`)}` : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
