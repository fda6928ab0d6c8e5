// The activity scheduler: plan activities for a day, rate the mood before and after (0–10),
// and tick them off when done. The module's ideas can be added with one press.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../../../../../core/skills/module.ts';
import { localDay, useLang } from '../text.tsx';
import { Rating } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

type Activity = { what: string; on: string; moodBefore: number | null; moodAfter: number | null; done: boolean };
export type ActivitySchedulerDraft = { activities: Activity[] };

const MAX = 14;
const activity = (what = ''): Activity => ({ what, on: localDay(), moodBefore: null, moodAfter: null, done: false });

export const emptyActivityScheduler = (): ActivitySchedulerDraft => ({ activities: [activity()] });
export const activitySchedulerData = (d: ActivitySchedulerDraft) => ({ activities: d.activities.filter((a) => a.what.trim()).map((a) => ({ ...a, what: a.what.trim() })) });

export function ActivityScheduler({ config, value, onChange }: ExerciseProps<'activity-scheduler', ActivitySchedulerDraft>) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const list = value.activities;
  const set = (i: number, a: Partial<Activity>) => onChange({ activities: list.map((x, j) => (j === i ? { ...x, ...a } : x)) });
  const add = (what = '') => {
    // an idea fills the first empty activity before adding a new one
    const empty = list.findIndex((a) => !a.what.trim());
    if (what && empty >= 0) return set(empty, { what });
    if (list.length < MAX) onChange({ activities: [...list, activity(what)] });
  };
  return (
    <div>
      {config.ideas && config.ideas.length > 0 ? (
        <div className="sk-ideas">
          <h3 id={`${id}-ideas`}>{t('patientApp.skills.activities.ideas')}</h3>
          <ul className="plain" aria-labelledby={`${id}-ideas`}>
            {config.ideas.map((idea, i) => (
              <li key={i}>
                <button type="button" onClick={() => add(say(idea, lang))} disabled={list.length >= MAX && list.every((a) => a.what.trim())}>
                  <span className="sr-only">{t('patientApp.skills.activities.addIdea')} </span>+ {say(idea, lang)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {list.map((a, i) => (
        <fieldset key={i} className="card sk-activity">
          <legend>{t('patientApp.skills.activities.activity', { n: i + 1 })}</legend>
          <div className="field">
            <label htmlFor={`${id}-what-${i}`}>{t('patientApp.skills.activities.what')}</label>
            <input id={`${id}-what-${i}`} value={a.what} maxLength={200} onChange={(e) => set(i, { what: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-on-${i}`}>{t('patientApp.skills.activities.on')}</label>
            <input id={`${id}-on-${i}`} type="date" value={a.on} required onChange={(e) => set(i, { on: e.target.value || a.on })} />
          </div>
          <Rating
            legend={t('patientApp.skills.activities.moodBefore')}
            low={t('patientApp.skills.fields.worst')}
            high={t('patientApp.skills.fields.best')}
            value={a.moodBefore}
            onChange={(v) => set(i, { moodBefore: v })}
          />
          <Rating
            legend={t('patientApp.skills.activities.moodAfter')}
            low={t('patientApp.skills.fields.worst')}
            high={t('patientApp.skills.fields.best')}
            value={a.moodAfter}
            onChange={(v) => set(i, { moodAfter: v })}
          />
          <label className="sk-check">
            <input type="checkbox" checked={a.done} onChange={(e) => set(i, { done: e.currentTarget.checked })} />
            <span>{t('patientApp.skills.activities.done')}</span>
          </label>
          {list.length > 1 ? (
            <button type="button" onClick={() => onChange({ activities: list.filter((_, j) => j !== i) })}>
              {t('patientApp.skills.activities.remove', { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" disabled={list.length >= MAX} onClick={() => add()}>
        {t('patientApp.skills.activities.add')}
      </button>
    </div>
  );
}
