// The chain (functional analysis): what set it off → what I thought → how I felt → what I
// did → what happened next. Five boxes, one under the other, with an arrow between them.
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

const LINKS = ['trigger', 'thought', 'feeling', 'behaviour', 'consequence'] as const;
export type ChainDraft = Record<(typeof LINKS)[number], string>;

export const emptyChain = (): ChainDraft => ({ trigger: '', thought: '', feeling: '', behaviour: '', consequence: '' });
export const chainData = (d: ChainDraft) => d;

export function Chain({ value, onChange }: ExerciseProps<'chain', ChainDraft>) {
  const { t } = useTranslation();
  return (
    <div className="sk-chain">
      {LINKS.map((k, i) => (
        <Fragment key={k}>
          {i > 0 ? (
            <p className="sk-arrow" aria-hidden="true">
              ↓
            </p>
          ) : null}
          <TextField label={t(`patientApp.skills.chain.${k}`)} hint={t(`patientApp.skills.chain.${k}Hint`)} value={value[k]} onChange={(v) => onChange({ ...value, [k]: v })} />
        </Fragment>
      ))}
    </div>
  );
}
