// Item keys and answer ranges of each instrument, kept in TypeScript so scoring needs no file
// I/O. A test (questionnaires.test.ts) checks that they agree with content/instruments/<id>.json.
import { InstrumentInputError, type InputProblem, type InstrumentId } from './types.ts';

export interface ItemDef {
  linkId: string;
  /** Allowed integer answers (the ordinal values of the answer options). */
  values: readonly number[];
  /** Required items that are not answered are listed in `missing`. */
  required: boolean;
  /** Conditional items apply only when this returns true (FHIR enableWhen). */
  enabledWhen?: (answers: ReadonlyMap<string, number>) => boolean;
  /** Value to use for scoring when the item does not apply (e.g. BAM 5 when 4 = 0). */
  valueWhenDisabled?: number;
}

export interface InstrumentDef {
  id: InstrumentId;
  items: readonly ItemDef[];
  /** Extra explanation for keys a respondent might plausibly send (e.g. BAM "7"). */
  hints?: Record<string, string>;
}

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const numbered = (n: number, values: readonly number[], required = true): ItemDef[] => Array.from({ length: n }, (_, i) => ({ linkId: String(i + 1), values, required }));

const LIKERT_1_5 = range(1, 5);
const PHQ_0_3 = range(0, 3);
const ZERO_TEN = range(0, 10);
const BAM_0_4 = range(0, 4);

export const URICA_ITEMS = numbered(32, LIKERT_1_5);
export const SOCRATES_ITEMS = numbered(19, LIKERT_1_5);
export const RULER_ITEMS = numbered(3, ZERO_TEN);
export const PHQ9_ITEMS: ItemDef[] = [
  ...numbered(9, PHQ_0_3),
  // Item 10, the functional-difficulty question, is on the published form but unscored and optional.
  { linkId: '10', values: PHQ_0_3, required: false },
];
export const GAD7_ITEMS: ItemDef[] = [...numbered(7, PHQ_0_3), { linkId: '8', values: PHQ_0_3, required: false }];
export const CRAVING_ITEMS = numbered(3, ZERO_TEN);

export const BAM_DRUG_SUBITEMS = ['7A', '7B', '7C', '7D', '7E', '7F', '7G'] as const;
const bamAnyDrugUse = (a: ReadonlyMap<string, number>): boolean => (a.get('6') ?? 0) > 0;
export const BAM_ITEMS: ItemDef[] = [
  { linkId: '1', values: BAM_0_4, required: true },
  { linkId: '2', values: BAM_0_4, required: true },
  { linkId: '3', values: BAM_0_4, required: true },
  { linkId: '4', values: BAM_0_4, required: true },
  // Item 5 (heavy drinking days) is skipped, and scored 0, when item 4 (any alcohol) is 0.
  { linkId: '5', values: BAM_0_4, required: true, enabledWhen: (a) => a.get('4') !== 0, valueWhenDisabled: 0 },
  { linkId: '6', values: BAM_0_4, required: true },
  // Item 7A–7G (days of use by drug type) elaborate item 6; unscored; asked only when item 6 > 0.
  ...BAM_DRUG_SUBITEMS.map((linkId) => ({ linkId, values: BAM_0_4, required: true, enabledWhen: bamAnyDrugUse })),
  { linkId: '8', values: BAM_0_4, required: true },
  { linkId: '9', values: BAM_0_4, required: true },
  { linkId: '10', values: BAM_0_4, required: true },
  { linkId: '11', values: BAM_0_4, required: true },
  { linkId: '12', values: BAM_0_4, required: true },
  { linkId: '13', values: BAM_0_4, required: true },
  // Item 14 (enough legal income) is No = 0, Yes = 4.
  { linkId: '14', values: [0, 4], required: true },
  { linkId: '15', values: BAM_0_4, required: true },
  { linkId: '16', values: BAM_0_4, required: true },
  { linkId: '17', values: BAM_0_4, required: true },
];

export const INSTRUMENT_DEFS: Record<InstrumentId, InstrumentDef> = {
  urica: { id: 'urica', items: URICA_ITEMS },
  'socrates-8d': { id: 'socrates-8d', items: SOCRATES_ITEMS },
  'readiness-ruler': { id: 'readiness-ruler', items: RULER_ITEMS },
  'phq-9': { id: 'phq-9', items: PHQ9_ITEMS },
  'gad-7': { id: 'gad-7', items: GAD7_ITEMS },
  bam: { id: 'bam', items: BAM_ITEMS, hints: { '7': 'item 7 is a group: answer its parts 7A–7G' } },
  'opioid-craving': { id: 'opioid-craving', items: CRAVING_ITEMS },
};

export interface ParsedAnswers {
  /** Answered items, with values validated. */
  values: Map<string, number>;
  /** Unanswered applicable required items, in questionnaire order. */
  missing: string[];
}

const describeAllowed = (values: readonly number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const contiguous = sorted.every((v, i) => i === 0 || v === (sorted[i - 1] ?? v) + 1);
  return contiguous && sorted.length > 2 ? `an integer from ${sorted[0]} to ${sorted[sorted.length - 1]}` : `one of ${sorted.join(', ')}`;
};

/**
 * Validates answers against an instrument's items and returns the answered values and the
 * missing items. Every problem is collected before throwing one InstrumentInputError.
 * `null`/`undefined` mean "not answered". Answers to items that do not apply are accepted
 * if in range but ignored.
 */
export function parseAnswers(def: InstrumentDef, input: unknown): ParsedAnswers {
  const problems: InputProblem[] = [];
  const answers = input !== null && typeof input === 'object' && 'answers' in input ? (input as { answers: unknown }).answers : undefined;
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    throw new InstrumentInputError(def.id, [{ item: '(answers)', message: 'answers must be an object of item number → value' }]);
  }
  const byId = new Map(def.items.map((item) => [item.linkId, item]));
  const values = new Map<string, number>();
  for (const [key, raw] of Object.entries(answers as Record<string, unknown>)) {
    const item = byId.get(key);
    if (!item) {
      const hint = def.hints?.[key];
      problems.push({ item: key, message: hint ?? `unknown item; valid items are ${def.items.map((i) => i.linkId).join(', ')}` });
      continue;
    }
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      problems.push({ item: key, message: `must be a number, got ${JSON.stringify(raw)}` });
      continue;
    }
    if (!item.values.includes(raw)) {
      problems.push({ item: key, message: `${raw} is out of range; must be ${describeAllowed(item.values)}` });
      continue;
    }
    values.set(key, raw);
  }
  if (problems.length > 0) {
    // Questionnaire order first, then unknown keys in the order given.
    const order = (p: InputProblem): number => {
      const i = def.items.findIndex((item) => item.linkId === p.item);
      return i === -1 ? def.items.length : i;
    };
    throw new InstrumentInputError(
      def.id,
      problems
        .map((p, i) => ({ p, i }))
        .sort((a, b) => order(a.p) - order(b.p) || a.i - b.i)
        .map(({ p }) => p),
    );
  }
  const missing: string[] = [];
  for (const item of def.items) {
    if (!item.required || values.has(item.linkId)) continue;
    if (item.enabledWhen && !item.enabledWhen(values)) continue;
    missing.push(item.linkId);
  }
  return { values, missing };
}

/** Sum of the given items, or null if any is unanswered (disabled items count as their default). */
export function sumOf(def: InstrumentDef, parsed: ParsedAnswers, linkIds: readonly string[]): number | null {
  let total = 0;
  for (const id of linkIds) {
    const v = valueOf(def, parsed, id);
    if (v === null) return null;
    total += v;
  }
  return total;
}

export function valueOf(def: InstrumentDef, parsed: ParsedAnswers, linkId: string): number | null {
  const v = parsed.values.get(linkId);
  if (v !== undefined) return v;
  const item = def.items.find((i) => i.linkId === linkId);
  if (item?.enabledWhen && item.valueWhenDisabled !== undefined && !item.enabledWhen(parsed.values)) return item.valueWhenDisabled;
  return null;
}

/** Rounds for display (2 decimals). Stage assignment uses unrounded values. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;
