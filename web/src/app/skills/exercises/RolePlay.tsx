// The refusal role-play: one scene at a time. The patient picks what they would say, sees
// how well it works (in words and a symbol, never colour alone) and why, may pick again, and
// goes on to the next scene. The entry is the choice made in each scene.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../../../../../core/skills/module.ts';
import { useLang } from '../text.tsx';
import type { ExerciseProps } from './types.ts';

export type RolePlayDraft = { scene: number; choices: Array<number | null> };

export const emptyRolePlay = (): RolePlayDraft => ({ scene: 0, choices: [] });
/** Every scene answered, or nothing yet (an entry needs them all). */
export const rolePlayData = (d: RolePlayDraft, scenes: number) => ({ choices: d.choices.length === scenes && d.choices.every((c) => c !== null) ? (d.choices as number[]) : [] });

const MARK = { strong: '✓', okay: '~', weak: '!' } as const;

export function RolePlay({ config, value, onChange }: ExerciseProps<'role-play', RolePlayDraft>) {
  const { t } = useTranslation();
  const lang = useLang();
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  const scenes = config.scenes;
  const finished = value.scene >= scenes.length;
  useEffect(() => {
    // a new scene: the screen reader starts at its heading (not on the first one: the screen's heading has focus then)
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [value.scene]);

  if (finished)
    return (
      <div className="notice">
        <h3 ref={heading} tabIndex={-1}>
          {t('patientApp.skills.rolePlay.finished')}
        </h3>
        <p>{t('patientApp.skills.rolePlay.finishedHint')}</p>
        <button type="button" onClick={() => onChange({ scene: 0, choices: value.choices })}>
          {t('patientApp.skills.rolePlay.again')}
        </button>
      </div>
    );

  const scene = scenes[value.scene]!;
  const picked = value.choices[value.scene] ?? null;
  const choice = picked === null ? null : scene.choices[picked];
  const pick = (i: number) => {
    const choices = Array.from({ length: scenes.length }, (_, j) => value.choices[j] ?? null);
    choices[value.scene] = i;
    onChange({ ...value, choices });
  };
  const name = `scene-${value.scene}`;
  return (
    <div className="sk-scene">
      <h3 ref={heading} tabIndex={-1} id={`${name}-title`}>
        {t('patientApp.skills.rolePlay.scene', { n: value.scene + 1, total: scenes.length })}
      </h3>
      <p>{say(scene.prompt, lang)}</p>
      <fieldset className="sk-options">
        <legend>{t('patientApp.skills.rolePlay.question')}</legend>
        {scene.choices.map((c, i) => (
          <label key={i}>
            <input type="radio" name={name} checked={picked === i} onChange={() => pick(i)} />
            <span>{say(c.text, lang)}</span>
          </label>
        ))}
      </fieldset>
      <div aria-live="polite">
        {choice ? (
          <div className={`sk-feedback ${choice.quality}`}>
            <p>
              <span aria-hidden="true">{MARK[choice.quality]} </span>
              <strong>{t(`patientApp.skills.rolePlay.quality.${choice.quality}`)}</strong>
            </p>
            <p>{say(choice.feedback, lang)}</p>
          </div>
        ) : null}
      </div>
      <button type="button" disabled={picked === null} onClick={() => onChange({ ...value, scene: value.scene + 1 })}>
        {value.scene + 1 < scenes.length ? t('patientApp.skills.rolePlay.nextScene') : t('patientApp.skills.rolePlay.done')}
      </button>
    </div>
  );
}
