// The small pieces every exercise is made of, written once: a labelled text box, a list of
// lines to add to and remove from, and a 0–10 rating as a row of labelled radio buttons.
// Every field has a visible label; everything works by keyboard.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

const LINE_MAX = 1000;

export function TextField({
  label,
  hint,
  value,
  onChange,
  rows = 2,
  max = LINE_MAX,
}: {
  label: string;
  hint?: string | undefined;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  max?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea id={id} rows={rows} maxLength={max} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} />
    </div>
  );
}

/** A list of short lines: each has its own label ("Line 2"), a Remove button, and Add a line at the end. */
export function LinesEditor({ legend, hint, lines, onChange, max = 20 }: { legend: string; hint?: string | undefined; lines: string[]; onChange: (lines: string[]) => void; max?: number }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="plan-part sk-lines">
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {lines.map((line, i) => (
        <div key={i} className="field">
          <label htmlFor={`${id}-${i}`}>{t('patientApp.skills.fields.line', { n: i + 1 })}</label>
          <div className="plan-line-row">
            <input id={`${id}-${i}`} value={line} maxLength={300} onChange={(e) => onChange(lines.map((x, j) => (j === i ? e.target.value : x)))} />
            <button type="button" onClick={() => onChange(lines.filter((_, j) => j !== i))}>
              {t('patientApp.skills.fields.remove')}
              <span className="sr-only">
                {' '}
                {legend}, {t('patientApp.skills.fields.line', { n: i + 1 })}
              </span>
            </button>
          </div>
        </div>
      ))}
      <button type="button" disabled={lines.length >= max} onClick={() => onChange([...lines, ''])}>
        {t('patientApp.skills.fields.addLine')}
        <span className="sr-only"> — {legend}</span>
      </button>
    </fieldset>
  );
}

/** The lines with something in them, trimmed (what an entry stores). */
export const filled = (lines: string[]) => lines.map((l) => l.trim()).filter(Boolean);

/** A 0–10 rating: a group of radio buttons under a question; "0" and "10" say what they mean. */
export function Rating({ legend, value, onChange, low, high }: { legend: string; value: number | null; onChange: (v: number) => void; low?: string; high?: string }) {
  const { t } = useTranslation();
  const name = useId();
  return (
    <fieldset className="choices sk-rating">
      <legend>{legend}</legend>
      <p className="hint">{t('patientApp.skills.fields.scale', { low: low ?? t('patientApp.skills.fields.none'), high: high ?? t('patientApp.skills.fields.most') })}</p>
      <div className="sk-scale">
        {Array.from({ length: 11 }, (_, v) => (
          <label key={v}>
            <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
            <span>{v}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
