// An all-purpose coping plan: warning signs, steps to take, people to call, safe places — four lists.
import { useTranslation } from 'react-i18next';
import { filled, LinesEditor } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

const LISTS = ['warningSigns', 'steps', 'people', 'places'] as const;
export type CopingPlanDraft = Record<(typeof LISTS)[number], string[]>;

export const emptyCopingPlan = (): CopingPlanDraft => ({ warningSigns: [''], steps: [''], people: [''], places: [''] });
export const copingPlanData = (d: CopingPlanDraft) => ({ warningSigns: filled(d.warningSigns), steps: filled(d.steps), people: filled(d.people), places: filled(d.places) });

export function CopingPlan({ value, onChange }: ExerciseProps<'coping-plan', CopingPlanDraft>) {
  const { t } = useTranslation();
  return (
    <div>
      {LISTS.map((k) => (
        <LinesEditor
          key={k}
          legend={t(`patientApp.skills.copingPlan.${k}`)}
          hint={t(`patientApp.skills.copingPlan.${k}Hint`)}
          lines={value[k]}
          onChange={(lines) => onChange({ ...value, [k]: lines })}
        />
      ))}
    </div>
  );
}
