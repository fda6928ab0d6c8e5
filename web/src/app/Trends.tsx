// The patient's own trends (issue 12): craving and mood over the last two weeks, from their
// check-ins, as a small chart with the numbers in a table beside it (the chart is a picture
// of the table, hidden from screen readers). Only what the patient told us; nothing judged.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format.ts';
import { patientApi, type PatientTrendsT } from './api.ts';
import { useLoaded } from './useLoaded.ts';

const DAYS = 14;
const W = 280;
const H = 90;

/** A line through the days that have a value (0–max), drawn left to right over the period. */
function line(days: PatientTrendsT['days'], from: string, pick: (d: PatientTrendsT['days'][number]) => number | null, max: number) {
  const x = (day: string) => ((Date.parse(day) - Date.parse(from)) / 86_400_000 / (DAYS - 1)) * (W - 10) + 5;
  const y = (v: number) => H - 5 - (v / max) * (H - 10);
  return days.flatMap((d) => {
    const v = pick(d);
    return v === null ? [] : [[x(d.day), y(v)] as const];
  });
}

export function Trends({ version }: { version: number }) {
  const { t, i18n } = useTranslation();
  const { data } = useLoaded(() => patientApi.trends(DAYS), version, 'trends');
  if (!data || data.days.length === 0) return null;
  const craving = line(data.days, data.from, (d) => d.craving, 10);
  const mood = line(data.days, data.from, (d) => (d.mood === null ? null : (d.mood - 1) * 2.5), 10);
  const path = (pts: ReadonlyArray<readonly [number, number]>) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return (
    <section className="card" aria-labelledby="trends-title" data-testid="trends">
      <h2 id="trends-title">{t('patientApp.trends.title')}</h2>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" aria-hidden="true" className="trend-chart">
        <path d={path(craving)} className="craving" />
        {craving.map(([x, y]) => (
          <circle key={`c${x}`} cx={x} cy={y} r={3} className="craving" />
        ))}
        <path d={path(mood)} className="mood" />
        {mood.map(([x, y]) => (
          <rect key={`m${x}`} x={x - 3} y={y - 3} width={6} height={6} className="mood" />
        ))}
      </svg>
      <p className="hint">{t('patientApp.trends.key')}</p>
      <details>
        <summary>{t('patientApp.trends.numbers')}</summary>
        <table className="trend-table">
          <thead>
            <tr>
              <th scope="col">{t('patientApp.trends.day')}</th>
              <th scope="col">{t('patientApp.trends.craving')}</th>
              <th scope="col">{t('patientApp.trends.mood')}</th>
              <th scope="col">{t('patientApp.trends.medicine')}</th>
            </tr>
          </thead>
          <tbody>
            {[...data.days].reverse().map((d) => (
              <tr key={d.day}>
                <th scope="row">{formatDate(d.day, i18n.language)}</th>
                <td>{d.craving ?? '–'}</td>
                <td>{d.mood === null ? '–' : t(`patientApp.checkIn.moods.${d.mood}`)}</td>
                <td>{d.medication === null ? '–' : t(`patientApp.trends.medication.${d.medication}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
