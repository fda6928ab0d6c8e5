// The change plan (TIP 35): six questions, each a box of its own.
import { useTranslation } from 'react-i18next';
import { TextField } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

const PARTS = ['changes', 'reasons', 'steps', 'helpers', 'obstacles', 'signs'] as const;
export type ChangePlanDraft = Record<(typeof PARTS)[number], string>;

export const emptyChangePlan = (): ChangePlanDraft => ({ changes: '', reasons: '', steps: '', helpers: '', obstacles: '', signs: '' });
export const changePlanData = (d: ChangePlanDraft) => d;

export function ChangePlan({ value, onChange }: ExerciseProps<'change-plan', ChangePlanDraft>) {
  const { t } = useTranslation();
  return (
    <div>
      {PARTS.map((k) => (
        <TextField key={k} label={t(`patientApp.skills.changePlan.${k}`)} value={value[k]} onChange={(v) => onChange({ ...value, [k]: v })} />
      ))}
    </div>
  );
}
