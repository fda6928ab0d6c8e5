// The thought record: what happened, the thought, the feeling and how strong it was, the
// facts for and against the thought, a more balanced thought, and how strong the feeling is now.
import { useTranslation } from 'react-i18next';
import { Rating, TextField } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

export type ThoughtRecordDraft = {
  situation: string;
  thought: string;
  feeling: string;
  before: number | null;
  evidenceFor: string;
  evidenceAgainst: string;
  balanced: string;
  after: number | null;
};

export const emptyThoughtRecord = (): ThoughtRecordDraft => ({ situation: '', thought: '', feeling: '', before: null, evidenceFor: '', evidenceAgainst: '', balanced: '', after: null });
export const thoughtRecordData = (d: ThoughtRecordDraft) => d;

export function ThoughtRecord({ value, onChange }: ExerciseProps<'thought-record', ThoughtRecordDraft>) {
  const { t } = useTranslation();
  const text = (k: 'situation' | 'thought' | 'feeling' | 'evidenceFor' | 'evidenceAgainst' | 'balanced') => (
    <TextField label={t(`patientApp.skills.thoughtRecord.${k}`)} hint={t(`patientApp.skills.thoughtRecord.${k}Hint`)} value={value[k]} onChange={(v) => onChange({ ...value, [k]: v })} />
  );
  return (
    <div>
      {text('situation')}
      {text('thought')}
      {text('feeling')}
      <Rating legend={t('patientApp.skills.thoughtRecord.before')} value={value.before} onChange={(v) => onChange({ ...value, before: v })} />
      {text('evidenceFor')}
      {text('evidenceAgainst')}
      {text('balanced')}
      <Rating legend={t('patientApp.skills.thoughtRecord.after')} value={value.after} onChange={(v) => onChange({ ...value, after: v })} />
    </div>
  );
}
