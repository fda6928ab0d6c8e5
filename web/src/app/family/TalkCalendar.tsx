// The couple's month of trust talks on a phone (issue 16), for the patient (PatientTogether.tsx)
// and the partner (Together.tsx): a grid of days with a symbol each (hidden from screen readers)
// and the same days as a list they read, with the streak and the days held so far.
import { useTranslation } from 'react-i18next';
import type { PatientTogetherT } from '../api.ts';

type Calendar = NonNullable<PatientTogetherT['contract']>['calendar'];

const SYMBOL: Record<Calendar['days'][number]['status'], string> = { held: '✓', 'not-held': '✗', unrecorded: '·', 'before-start': '', 'after-end': '', future: '' };

export function TalkCalendar({ calendar, lang, showSummary = true }: { calendar: Calendar; lang: 'en' | 'es'; showSummary?: boolean }) {
  const { t } = useTranslation();
  const first = calendar.days[0]?.day ?? `${calendar.month}-01`;
  const lead = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday first
  const monthName = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${calendar.month}-01T00:00:00Z`));
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(lang, { weekday: 'narrow', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 5 + i))));
  const dayName = (d: string) => new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  const marked = calendar.days.filter((d) => d.status === 'held' || d.status === 'not-held');
  return (
    <div data-testid="talk-calendar">
      <h3>{monthName}</h3>
      {showSummary ? (
        <p>
          {t('patientApp.together.streak', { count: calendar.summary.streak })} · {t('patientApp.together.heldSoFar', { held: calendar.summary.daysHeld, days: calendar.summary.daysSoFar })}
        </p>
      ) : null}
      <div aria-hidden="true" style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 3, maxWidth: 340 }}>
        {weekdays.map((w, i) => (
          <span key={`w${i}`} style={{ textAlign: 'center', fontSize: '0.8rem', color: '#595959' }}>
            {w}
          </span>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <span key={`l${i}`} />
        ))}
        {calendar.days.map((d) => (
          <span
            key={d.day}
            data-status={d.status}
            style={{
              border: '1px solid #9aa',
              borderRadius: 6,
              minHeight: 40,
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'center',
              justifyContent: 'center',
              background: d.status === 'held' ? '#dff3e4' : d.status === 'not-held' ? '#fbe3e3' : undefined,
              color: d.status === 'future' || d.status === 'before-start' || d.status === 'after-end' ? '#767676' : undefined,
            }}
          >
            <span style={{ fontSize: '0.75rem' }}>{Number(d.day.slice(8))}</span>
            <strong>{SYMBOL[d.status]}</strong>
          </span>
        ))}
      </div>
      <p style={{ fontSize: '0.85rem' }} aria-hidden="true">
        {t('patientApp.together.legend')}
      </p>
      <ul className="sr-only" aria-label={t('patientApp.together.listLabel', { month: monthName })}>
        {marked.length === 0 ? <li>{t('patientApp.together.noneMarked')}</li> : null}
        {marked.map((d) => (
          <li key={d.day}>
            {dayName(d.day)}: {t(`patientApp.together.status.${d.status}`)}
            {d.medicationWitnessed ? `, ${t('patientApp.together.medicineSeen')}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
