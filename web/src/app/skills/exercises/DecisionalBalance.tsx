// The decisional balance: the good and the not-so-good things about using, and about the
// change the module names — four lists the patient adds lines to.
import { useTranslation } from 'react-i18next';
import { say } from '../../../../../core/skills/module.ts';
import { useLang } from '../text.tsx';
import { filled, LinesEditor } from './fields.tsx';
import type { ExerciseProps } from './types.ts';

const BOXES = ['usingGood', 'usingNotSoGood', 'changingGood', 'changingNotSoGood'] as const;
export type DecisionalBalanceDraft = Record<(typeof BOXES)[number], string[]>;

export const emptyDecisionalBalance = (): DecisionalBalanceDraft => ({ usingGood: [''], usingNotSoGood: [''], changingGood: [''], changingNotSoGood: [''] });
export const decisionalBalanceData = (d: DecisionalBalanceDraft) => ({
  usingGood: filled(d.usingGood),
  usingNotSoGood: filled(d.usingNotSoGood),
  changingGood: filled(d.changingGood),
  changingNotSoGood: filled(d.changingNotSoGood),
});

export function DecisionalBalance({ config, value, onChange }: ExerciseProps<'decisional-balance', DecisionalBalanceDraft>) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <div>
      <p className="notice">
        <strong>{t('patientApp.skills.balance.change')}</strong> {say(config.change, lang)}
      </p>
      <div className="sk-boxes">
        {BOXES.map((k) => (
          <div key={k} className="sk-box">
            <LinesEditor legend={t(`patientApp.skills.balance.${k}`)} lines={value[k]} onChange={(lines) => onChange({ ...value, [k]: lines })} />
          </div>
        ))}
      </div>
    </div>
  );
}
