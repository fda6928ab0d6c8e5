// My plan (issue 12, ADR 037): the patient's current care plan in plain words — goals, and
// what the care team and the patient agreed to do, with why (core/planning's patient-facing
// rationale, in the language the app is in: the API sends English and Spanish). Roles, never
// staff names.
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format.ts';
import { patientApi, type PatientPlanT } from './api.ts';
import { useLoaded } from './useLoaded.ts';

const COMPARATOR_WORDS = { '<': 'fewerThan', '<=': 'atMost', '>=': 'atLeast', '>': 'moreThan' } as const;

export function MyPlan() {
  const { t, i18n } = useTranslation();
  const { data, failed } = useLoaded(() => patientApi.plan());

  const lang = i18n.language === 'es' ? 'es' : 'en';
  const date = (d: string) => formatDate(d.slice(0, 10), i18n.language);
  // a measured target in words ("at least 6 tests"), or the staff's own words
  const targetOf = (g: NonNullable<PatientPlanT['plan']>['goals'][number]) =>
    g.targetText ??
    (g.targetValue !== null && g.targetComparator
      ? t(`patientApp.plan.comparators.${COMPARATOR_WORDS[g.targetComparator]}`, { value: g.targetValue, unit: g.targetUnit ?? '' }).trim()
      : g.targetValue !== null
        ? `${g.targetValue} ${g.targetUnit ?? ''}`.trim()
        : null);
  const plan = data?.plan;
  return (
    <section aria-labelledby="plan-title" data-testid="my-plan">
      <h1 id="plan-title">{t('patientApp.plan.title')}</h1>
      {failed ? (
        <p className="error" role="alert">
          {t('patientApp.errors.generic')}
        </p>
      ) : !data ? (
        <p>{t('patientApp.loading')}</p>
      ) : !plan ? (
        <p data-testid="no-plan">{t('patientApp.plan.none')}</p>
      ) : (
        <>
          <p>{t('patientApp.plan.intro')}</p>
          <div className="card">
            <h2>{t('patientApp.plan.goals')}</h2>
            <ul className="plain">
              {plan.goals.map((g) => (
                <li key={g.id} className="plan-item" data-testid="plan-goal">
                  <strong>{g.description}</strong>
                  {targetOf(g) ? <div>{t('patientApp.plan.target', { target: targetOf(g) })}</div> : null}
                  <div>{t('patientApp.plan.due', { date: date(g.dueDate) })}</div>
                  <div className="hint">{t(`patientApp.plan.status.${g.status}`, { defaultValue: g.status })}</div>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h2>{t('patientApp.plan.steps')}</h2>
            <ul className="plain">
              {plan.interventions.map((v) => (
                <li key={v.id} className="plan-item" data-testid="plan-step">
                  <strong>{v.text}</strong>
                  <div>{t('patientApp.plan.how', { frequency: v.frequency })}</div>
                  {v.roles.length > 0 ? <div>{t('patientApp.plan.who', { roles: v.roles.map((r) => t(`patientApp.plan.roles.${r}`, { defaultValue: r })).join(', ') })}</div> : null}
                  {v.rationale ? (
                    <div className="why">
                      <h3>{t('patientApp.plan.why')}</h3>
                      <p data-testid="plan-why">{v.rationale[lang]}</p>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
          <p className="hint">{t('patientApp.plan.review', { date: date(plan.reviewDate) })}</p>
        </>
      )}
    </section>
  );
}
