// Problem solving: name the problem, list the options with their pros and cons, choose one,
// and plan the first steps. Options left empty are not stored.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

type Option = { idea: string; pros: string; cons: string };
export type ProblemSolvingDraft = { problem: string; options: Option[]; chosen: number | null; plan: string };

const MAX_OPTIONS = 8;
const blank = (o: Option) => !o.idea.trim() && !o.pros.trim() && !o.cons.trim();

export const emptyProblemSolving = (): ProblemSolvingDraft => ({ problem: '', options: [{ idea: '', pros: '', cons: '' }], chosen: null, plan: '' });
export function problemSolvingData(d: ProblemSolvingDraft) {
  const kept = d.options.map((o, i) => ({ o, i })).filter((x) => !blank(x.o));
  const chosen = d.chosen === null ? null : kept.findIndex((x) => x.i === d.chosen);
  return { problem: d.problem, options: kept.map((x) => x.o), chosen: chosen === null || chosen < 0 ? null : chosen, plan: d.plan };
}

export function ProblemSolving({ value, onChange }: ExerciseProps<'problem-solving', ProblemSolvingDraft>) {
  const { t } = useTranslation();
  const id = useId();
  const set = (i: number, o: Partial<Option>) => onChange({ ...value, options: value.options.map((x, j) => (j === i ? { ...x, ...o } : x)) });
  const remove = (i: number) =>
    onChange({ ...value, options: value.options.filter((_, j) => j !== i), chosen: value.chosen === null || value.chosen === i ? null : value.chosen > i ? value.chosen - 1 : value.chosen });
  const named = value.options.map((o, i) => ({ o, i })).filter((x) => x.o.idea.trim());
  return (
    <div>
      <TextField label={t('patientApp.skills.problem.problem')} hint={t('patientApp.skills.problem.problemHint')} value={value.problem} onChange={(v) => onChange({ ...value, problem: v })} />
      <h3>{t('patientApp.skills.problem.options')}</h3>
      <p className="hint">{t('patientApp.skills.problem.optionsHint')}</p>
      {value.options.map((o, i) => (
        <fieldset key={i} className="card sk-option">
          <legend>{t('patientApp.skills.problem.option', { n: i + 1 })}</legend>
          <div className="field">
            <label htmlFor={`${id}-idea-${i}`}>{t('patientApp.skills.problem.idea')}</label>
            <input id={`${id}-idea-${i}`} value={o.idea} maxLength={300} onChange={(e) => set(i, { idea: e.target.value })} />
          </div>
          <TextField label={t('patientApp.skills.problem.pros')} value={o.pros} onChange={(v) => set(i, { pros: v })} />
          <TextField label={t('patientApp.skills.problem.cons')} value={o.cons} onChange={(v) => set(i, { cons: v })} />
          {value.options.length > 1 ? (
            <button type="button" onClick={() => remove(i)}>
              {t('patientApp.skills.problem.removeOption', { n: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" disabled={value.options.length >= MAX_OPTIONS} onClick={() => onChange({ ...value, options: [...value.options, { idea: '', pros: '', cons: '' }] })}>
        {t('patientApp.skills.problem.addOption')}
      </button>
      <fieldset className="sk-options">
        <legend>{t('patientApp.skills.problem.choose')}</legend>
        {named.length === 0 ? <p className="hint">{t('patientApp.skills.problem.chooseHint')}</p> : null}
        {named.map(({ o, i }) => (
          <label key={i}>
            <input type="radio" name={`${id}-chosen`} checked={value.chosen === i} onChange={() => onChange({ ...value, chosen: i })} />
            <span>{o.idea}</span>
          </label>
        ))}
      </fieldset>
      <TextField label={t('patientApp.skills.problem.plan')} hint={t('patientApp.skills.problem.planHint')} value={value.plan} onChange={(v) => onChange({ ...value, plan: v })} />
    </div>
  );
}
