// A form drawn from an instrument's FHIR R4 Questionnaire (SDC style): display text,
// choice items (answerOption with ordinalValue), integer items with min/max (readiness
// rulers, 0–10), groups, and simple enableWhen. Answers are linkId → number. Used by
// staff entry and by the patient tablet (large touch targets). In Spanish, the instrument's
// validated Spanish wording where its Questionnaire carries one (FHIR translation extensions
// on `text` and answer `display`: PHQ-9, GAD-7); an instrument without one is shown in
// English, marked as English, with a note saying why (docs/instruments.md).
import { useTranslation } from 'react-i18next';
import { Fieldset, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { ApiError } from '../../api.ts';

/** A primitive's extensions (`_text`, `_display`), where FHIR puts translations. */
type Translatable = { extension?: Array<{ url: string; extension?: Array<{ url: string; valueCode?: string; valueString?: string }> }> };
type Coding = { system?: string; code?: string; display?: string; _display?: Translatable; extension?: Array<{ url: string; valueDecimal?: number }> };
type Ext = { url: string; valueInteger?: number; valueCodeableConcept?: { coding?: Array<{ code?: string }> } };
export type QItem = {
  linkId: string;
  type: string;
  text?: string;
  _text?: Translatable;
  prefix?: string;
  required?: boolean;
  item?: QItem[];
  extension?: Ext[];
  answerOption?: Array<{ valueCoding: Coding }>;
  enableWhen?: Array<{ question: string; operator: string; answerCoding?: Coding }>;
};
export type Answers = Record<string, number | null>;

const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
const ordinal = (c: Coding) => c.extension?.find((e) => e.url === ORDINAL)?.valueDecimal;
const extInt = (it: QItem, name: string) => it.extension?.find((e) => e.url.endsWith(`/${name}`))?.valueInteger;
const control = (it: QItem) => it.extension?.find((e) => e.url.endsWith('questionnaire-itemControl'))?.valueCodeableConcept?.coding?.[0]?.code;

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';

/** An element's text in `lang` from its FHIR translation extension, if it has one. */
function translation(el: Translatable | undefined, lang: string): string | undefined {
  const t = el?.extension?.find((e) => e.url === TRANSLATION && e.extension?.some((x) => x.url === 'lang' && x.valueCode === lang));
  return t?.extension?.find((x) => x.url === 'content')?.valueString;
}

/** Whether a questionnaire carries its wording in `lang` (English is its own language). */
export function speaks(items: QItem[], lang: string): boolean {
  return lang === 'en' || answerable(items).every((i) => translation(i._text, lang) !== undefined);
}

export function itemsOf(q: Record<string, unknown> | undefined): QItem[] {
  return (q?.item as QItem[] | undefined) ?? [];
}

/** Items that take a numeric answer (the ones the scorer reads), in order, with groups flattened. */
export function answerable(items: QItem[]): QItem[] {
  return items.flatMap((i) => (i.type === 'group' ? answerable(i.item ?? []) : i.type === 'choice' || i.type === 'integer' ? [i] : []));
}

function findItem(items: QItem[], linkId: string): QItem | undefined {
  for (const i of items) {
    if (i.linkId === linkId) return i;
    const inner = findItem(i.item ?? [], linkId);
    if (inner) return inner;
  }
  return undefined;
}

/** Whether an item is shown, given the answers (enableWhen on a coded answer, = or !=). */
export function enabled(item: QItem, all: QItem[], answers: Answers): boolean {
  if (!item.enableWhen?.length) return true;
  return item.enableWhen.every((w) => {
    const q = findItem(all, w.question);
    const v = answers[w.question];
    if (v === null || v === undefined) return false;
    const code = q?.answerOption?.find((o) => ordinal(o.valueCoding) === v)?.valueCoding.code;
    if (w.operator === '!=') return code !== w.answerCoding?.code;
    if (w.operator === '=') return code === w.answerCoding?.code;
    return true;
  });
}

export function QuestionnaireForm({
  questionnaire,
  answers,
  onChange,
  targetBehavior,
  onTargetBehavior,
  error,
  large = false,
}: {
  questionnaire: Record<string, unknown>;
  answers: Answers;
  onChange: (a: Answers) => void;
  targetBehavior?: string;
  onTargetBehavior?: (v: string) => void;
  error?: ApiError | null;
  large?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const all = itemsOf(questionnaire);
  const wanted = i18n.language === 'es' ? 'es' : 'en';
  const lang = speaks(all, wanted) ? wanted : 'en';
  const text = (it: QItem) => (lang === 'en' ? it.text : (translation(it._text, lang) ?? it.text));
  const display = (c: Coding) => (lang === 'en' ? c.display : (translation(c._display, lang) ?? c.display));
  const set = (linkId: string, v: number | null) => onChange({ ...answers, [linkId]: v });
  const problem = (linkId: string) => error?.problems.find((p) => p.field === `body.answers.${linkId}`)?.message;

  const render = (it: QItem): React.ReactNode => {
    if (!enabled(it, all, answers)) return null;
    const label = `${it.prefix ? `${it.prefix} ` : ''}${text(it) ?? ''}`;
    if (it.type === 'display') {
      if (control(it) === 'lower' || control(it) === 'upper') return null;
      return (
        <Text key={it.linkId} size={large ? 'lg' : 'sm'} fs="italic">
          {text(it)}
        </Text>
      );
    }
    if (it.type === 'group') {
      return (
        <Fieldset key={it.linkId} legend={label} data-linkid={it.linkId}>
          <Stack gap="sm">{(it.item ?? []).map(render)}</Stack>
        </Fieldset>
      );
    }
    if (it.type === 'string') {
      if (!onTargetBehavior) return null;
      return (
        <TextInput
          key={it.linkId}
          label={text(it)}
          value={targetBehavior ?? ''}
          onChange={(e) => onTargetBehavior(e.currentTarget.value)}
          size={large ? 'lg' : 'sm'}
          error={error?.problems.find((p) => p.field === 'body.targetBehavior')?.message}
        />
      );
    }
    let options: Array<{ value: number; label: string }> = [];
    let hint: string | undefined;
    if (it.type === 'choice') {
      options = (it.answerOption ?? []).flatMap((o) => {
        const v = ordinal(o.valueCoding);
        return v === undefined ? [] : [{ value: v, label: display(o.valueCoding) ?? String(v) }];
      });
    } else if (it.type === 'integer') {
      const min = extInt(it, 'minValue') ?? 0;
      const max = extInt(it, 'maxValue') ?? 10;
      options = Array.from({ length: max - min + 1 }, (_, i) => ({ value: min + i, label: String(min + i) }));
      hint = (it.item ?? [])
        .filter((c) => c.type === 'display')
        .map((c) => text(c))
        .join(' · ');
    }
    const v = answers[it.linkId];
    return (
      <Radio.Group
        key={it.linkId}
        data-linkid={it.linkId}
        label={label}
        description={hint}
        value={v === null || v === undefined ? '' : String(v)}
        onChange={(x) => set(it.linkId, x === '' ? null : Number(x))}
        error={problem(it.linkId)}
        size={large ? 'lg' : 'sm'}
        styles={large ? { label: { fontSize: '1.25rem', marginBottom: 8 } } : undefined}
      >
        <Group gap={large ? 'sm' : 'md'} mt={6} wrap="wrap">
          {options.map((o) => (
            <Radio
              key={o.value}
              value={String(o.value)}
              label={o.label}
              className={large ? 'tablet-option' : undefined}
              styles={large ? { root: { minHeight: 48, padding: '8px 12px', border: '1px solid #ced4da', borderRadius: 8 }, label: { fontSize: '1.1rem' } } : undefined}
            />
          ))}
        </Group>
      </Radio.Group>
    );
  };

  return (
    <Stack gap={large ? 'xl' : 'md'} aria-label={t('assess.questions')} lang={lang}>
      {lang !== wanted ? (
        <Text size={large ? 'lg' : 'sm'} lang={wanted} data-testid="no-validated-translation">
          {t('assess.noValidatedTranslation')}
        </Text>
      ) : null}
      {all.map(render)}
    </Stack>
  );
}
