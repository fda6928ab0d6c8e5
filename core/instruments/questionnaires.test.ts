// The FHIR Questionnaires in content/instruments/ must agree with the item keys in items.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_DEFS, INSTRUMENT_IDS, QUESTIONNAIRE_BASE_URL } from './index.ts';

const dir = fileURLToPath(new URL('../../content/instruments/', import.meta.url));
const ORD = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

interface QItem {
  linkId: string;
  type: string;
  text?: string;
  required?: boolean;
  item?: QItem[];
  extension?: Array<{ url: string; valueInteger?: number }>;
  answerOption?: Array<{ valueCoding: { code: string; display: string; extension?: Array<{ url: string; valueDecimal?: number }> } }>;
}
interface Questionnaire {
  resourceType: string;
  id: string;
  url: string;
  status: string;
  title: string;
  copyright: string;
  publisher: string;
  extension: Array<{ url: string; valueString?: string }>;
  code: Array<{ system: string; code: string }>;
  item: QItem[];
}
const load = (id: string): Questionnaire => JSON.parse(readFileSync(dir + id + '.json', 'utf8')) as Questionnaire;

/** Answerable items in order, groups flattened, display items and the ruler's free-text target skipped. */
const answerable = (items: QItem[]): QItem[] => items.flatMap((i) => (i.type === 'group' ? answerable(i.item ?? []) : i.type === 'display' || i.type === 'string' ? [] : [i]));

const allowedValues = (item: QItem): number[] => {
  if (item.answerOption) return item.answerOption.map((o) => o.valueCoding.extension?.find((e) => e.url === ORD)?.valueDecimal ?? NaN);
  const min = item.extension?.find((e) => e.url.endsWith('/minValue'))?.valueInteger ?? NaN;
  const max = item.extension?.find((e) => e.url.endsWith('/maxValue'))?.valueInteger ?? NaN;
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
};

const EXPECTED_SCORED_COUNTS: Record<string, number> = {
  urica: 32,
  'socrates-8d': 19,
  'readiness-ruler': 3,
  'phq-9': 10,
  'gad-7': 8,
  bam: 23, // 16 numbered items + 7A–7G (item 7 is a group)
  'opioid-craving': 3,
};

describe('content/instruments Questionnaires', () => {
  it('there is exactly one file per instrument id, and no DAST-10', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...INSTRUMENT_IDS].sort());
    expect(files.some((f) => f.includes('dast'))).toBe(false);
  });

  describe.each(INSTRUMENT_IDS.map((id) => [id]))('%s', (id) => {
    const q = load(id);
    const def = INSTRUMENT_DEFS[id];

    it('is an active R4 Questionnaire with canonical url, licence and citation', () => {
      expect(q.resourceType).toBe('Questionnaire');
      expect(q.id).toBe(id);
      expect(q.url).toBe(QUESTIONNAIRE_BASE_URL + id);
      expect(q.status).toBe('active');
      expect(q.title.length).toBeGreaterThan(5);
      expect(q.copyright.length).toBeGreaterThan(20);
      expect(q.extension.find((e) => e.url.endsWith('/cqf-citation'))?.valueString).toBeTruthy();
      expect(q.extension.find((e) => e.url.endsWith('/licence-note'))?.valueString).toBeTruthy();
      expect(q.code.length).toBeGreaterThan(0);
    });

    it('has the right item count and linkIds, in order, matching items.ts', () => {
      const items = answerable(q.item);
      expect(items).toHaveLength(EXPECTED_SCORED_COUNTS[id] ?? -1);
      expect(items.map((i) => i.linkId)).toEqual(def.items.map((i) => i.linkId));
    });

    it('answer values and required flags agree with items.ts; every item has text', () => {
      const items = answerable(q.item);
      items.forEach((item, idx) => {
        const d = def.items[idx];
        expect(d).toBeDefined();
        expect(allowedValues(item)).toEqual([...(d?.values ?? [])]);
        expect(item.required ?? false).toBe(d?.required);
        expect(item.text?.trim().length).toBeGreaterThan(3);
      });
    });
  });

  it('uses LOINC where codes exist: PHQ-9 44249-1 / 44261-6, GAD-7 69737-5 / 70274-6', () => {
    const phq = load('phq-9');
    const gad = load('gad-7');
    expect(phq.code[0]).toMatchObject({ system: 'http://loinc.org', code: '44249-1' });
    expect(gad.code[0]).toMatchObject({ system: 'http://loinc.org', code: '69737-5' });
    expect(JSON.stringify(phq)).toContain('44261-6');
    expect(JSON.stringify(gad)).toContain('70274-6');
  });

  it('the readiness ruler asks for its target behaviour', () => {
    expect(load('readiness-ruler').item[0]).toMatchObject({ linkId: 'target', type: 'string', required: true });
  });
});

describe('validated Spanish wording (FHIR translation extensions)', () => {
  const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
  type Translatable = { extension?: Array<{ url: string; extension?: Array<{ url: string; valueCode?: string; valueString?: string }> }> };
  const es = (el: Translatable | undefined) =>
    el?.extension?.find((e) => e.url === TRANSLATION && e.extension?.some((x) => x.url === 'lang' && x.valueCode === 'es'))?.extension?.find((x) => x.url === 'content')?.valueString;
  type Item = { linkId: string; item?: Item[]; _text?: Translatable; answerOption?: Array<{ valueCoding: { display: string; _display?: Translatable } }> };
  const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all(i.item ?? [])]);

  it.each([['phq-9'], ['gad-7']])('%s: every text and every answer has its Spanish, and the items read as the published version', (id) => {
    const items = all(load(id).item as unknown as Item[]);
    for (const i of items) expect(es(i._text), i.linkId).toBeTruthy();
    for (const i of items) for (const o of i.answerOption ?? []) expect(es(o.valueCoding._display), `${i.linkId} ${o.valueCoding.display}`).toBeTruthy();
    const byId = new Map(items.map((i) => [i.linkId, es(i._text)]));
    expect(byId.get('instructions')).toBe('Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?');
    expect(byId.get('1')).toBe(id === 'phq-9' ? 'Poco interés o placer en hacer cosas' : 'Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta');
    const frequency = items.find((i) => i.linkId === '1')!.answerOption!.map((o) => es(o.valueCoding._display));
    expect(frequency).toEqual(['Ningún día', 'Varios días', 'Más de la mitad de los días', 'Casi todos los días']);
  });

  it('the instruments without a validated Spanish version carry none (they are shown in English, with a note)', () => {
    for (const id of INSTRUMENT_IDS.filter((i) => i !== 'phq-9' && i !== 'gad-7')) {
      expect(
        all(load(id).item as unknown as Item[]).some((i) => es(i._text)),
        id,
      ).toBe(false);
    }
  });
});
