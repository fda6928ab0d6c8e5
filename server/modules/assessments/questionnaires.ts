// The instrument Questionnaires (content/instruments/*.json), read once, and the codes the
// FHIR layer needs: the panel code of each instrument and the code of each score.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INSTRUMENT_IDS, INSTRUMENTS, type InstrumentId } from '../../../core/instruments/index.ts';

export type Coding = { system: string; code: string; display: string };
export type QuestionnaireItem = {
  linkId: string;
  type: string;
  text?: string;
  item?: QuestionnaireItem[];
  answerOption?: Array<{ valueCoding: Coding & { extension?: Array<{ url: string; valueDecimal?: number }> } }>;
};
export type Questionnaire = {
  resourceType: 'Questionnaire';
  id: string;
  url: string;
  version: string;
  title: string;
  code?: Coding[];
  item: QuestionnaireItem[];
  extension?: Array<{ url: string; extension?: Array<{ url: string; valueString?: string; valueCoding?: Coding }> }>;
  [k: string]: unknown;
};

const dir = fileURLToPath(new URL('../../../content/instruments/', import.meta.url));
const SCORE_CODE = 'http://waypoint.health/fhir/StructureDefinition/score-code';
const ORDINAL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

export type InstrumentCodes = { panel: Coding; scores: Record<string, Coding> };

const cache = new Map<InstrumentId, { questionnaire: Questionnaire; codes: InstrumentCodes; items: Map<string, QuestionnaireItem> }>();

function load(id: InstrumentId) {
  let entry = cache.get(id);
  if (entry) return entry;
  const questionnaire = JSON.parse(readFileSync(`${dir}${id}.json`, 'utf8')) as Questionnaire;
  const first = questionnaire.code?.[0];
  const panel: Coding = first
    ? { system: first.system, code: first.code, display: first.display }
    : { system: 'http://waypoint.health/fhir/CodeSystem/instrument', code: id, display: INSTRUMENTS[id].title };
  const scores: Record<string, Coding> = {};
  for (const ext of questionnaire.extension ?? []) {
    if (ext.url !== SCORE_CODE) continue;
    const name = ext.extension?.find((e) => e.url === 'score')?.valueString;
    const coding = ext.extension?.find((e) => e.url === 'code')?.valueCoding;
    if (name && coding) scores[name] = { system: coding.system, code: coding.code, display: coding.display };
  }
  for (const name of INSTRUMENTS[id].scoreNames) {
    scores[name] ??= { system: 'http://waypoint.health/fhir/CodeSystem/instrument', code: `${id}-${name}`, display: `${INSTRUMENTS[id].title} ${name}` };
  }
  const items = new Map<string, QuestionnaireItem>();
  const walk = (list: QuestionnaireItem[]) => {
    for (const it of list) {
      items.set(it.linkId, it);
      if (it.item) walk(it.item);
    }
  };
  walk(questionnaire.item);
  entry = { questionnaire, codes: { panel, scores }, items };
  cache.set(id, entry);
  return entry;
}

export const questionnaireOf = (id: InstrumentId): Questionnaire => load(id).questionnaire;
export const codesOf = (id: InstrumentId): InstrumentCodes => load(id).codes;
export const allQuestionnaires = (): Questionnaire[] => INSTRUMENT_IDS.map((id) => load(id).questionnaire);

/** The answer option coding whose ordinal value is `value` (choice items), or null. */
export function answerCoding(id: InstrumentId, linkId: string, value: number): Coding | null {
  const item = load(id).items.get(linkId);
  const option = item?.answerOption?.find((o) => o.valueCoding.extension?.some((e) => e.url === ORDINAL && e.valueDecimal === value));
  if (!option) return null;
  const { system, code, display } = option.valueCoding;
  return { system, code, display };
}

export const itemOf = (id: InstrumentId, linkId: string): QuestionnaireItem | undefined => load(id).items.get(linkId);
