// PHQ-9, GAD-7, readiness rulers, Opioid Craving Scale: totals, bands and alerts.
import { INSTRUMENT_DEFS, parseAnswers, round2, sumOf } from './items.ts';
import type { Alert, Band, ScoreResult } from './types.ts';

interface BandRow {
  code: string;
  label: string;
  min: number;
  max: number;
}
export const PHQ9_BANDS: readonly BandRow[] = [
  { code: 'none-minimal', label: 'None–minimal (0–4)', min: 0, max: 4 },
  { code: 'mild', label: 'Mild (5–9)', min: 5, max: 9 },
  { code: 'moderate', label: 'Moderate (10–14)', min: 10, max: 14 },
  { code: 'moderately-severe', label: 'Moderately severe (15–19)', min: 15, max: 19 },
  { code: 'severe', label: 'Severe (20–27)', min: 20, max: 27 },
];
export const GAD7_BANDS: readonly BandRow[] = [
  { code: 'minimal', label: 'Minimal (0–4)', min: 0, max: 4 },
  { code: 'mild', label: 'Mild (5–9)', min: 5, max: 9 },
  { code: 'moderate', label: 'Moderate (10–14)', min: 10, max: 14 },
  { code: 'severe', label: 'Severe (15–21)', min: 15, max: 21 },
];

const bandFor = (rows: readonly BandRow[], total: number): Band => {
  const row = rows.find((r) => total >= r.min && total <= r.max);
  if (!row) throw new RangeError(`total ${total} outside band table`);
  return { code: row.code, label: row.label };
};

const numbers = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

export const PHQ9_ITEM9_ALERT: Alert = {
  code: 'phq9-item9-positive',
  severity: 'urgent',
  text: 'PHQ-9 item 9 was answered above "Not at all" (thoughts of being better off dead or of self-harm). Tell the care team now and complete a same-day suicide risk assessment. A positive answer is not a diagnosis; it needs a conversation today.',
};

export function scorePhq9(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS['phq-9'];
  const parsed = parseAnswers(def, input);
  const total = sumOf(def, parsed, numbers(9));
  const alerts: Alert[] = [];
  // Raised from item 9 alone, even when other items are missing.
  if ((parsed.values.get('9') ?? 0) > 0) alerts.push(PHQ9_ITEM9_ALERT);
  const result: ScoreResult = { instrument: 'phq-9', complete: parsed.missing.length === 0, missing: parsed.missing, scores: { total }, alerts };
  if (total !== null) result.band = bandFor(PHQ9_BANDS, total);
  return result;
}

export function scoreGad7(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS['gad-7'];
  const parsed = parseAnswers(def, input);
  const total = sumOf(def, parsed, numbers(7));
  const result: ScoreResult = { instrument: 'gad-7', complete: parsed.missing.length === 0, missing: parsed.missing, scores: { total }, alerts: [] };
  if (total !== null) result.band = bandFor(GAD7_BANDS, total);
  return result;
}

export const RULER_ITEMS_BY_SCORE = { importance: '1', confidence: '2', readiness: '3' } as const;

export function scoreReadinessRuler(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS['readiness-ruler'];
  const parsed = parseAnswers(def, input);
  const raw = input as { targetBehavior?: unknown };
  const target = typeof raw.targetBehavior === 'string' && raw.targetBehavior.trim() !== '' ? raw.targetBehavior.trim() : undefined;
  const missing = target === undefined ? ['target', ...parsed.missing] : parsed.missing;
  const get = (id: string): number | null => parsed.values.get(id) ?? null;
  const result: ScoreResult = {
    instrument: 'readiness-ruler',
    complete: missing.length === 0,
    missing,
    scores: {
      importance: get(RULER_ITEMS_BY_SCORE.importance),
      confidence: get(RULER_ITEMS_BY_SCORE.confidence),
      readiness: get(RULER_ITEMS_BY_SCORE.readiness),
    },
    alerts: [],
  };
  if (target !== undefined) result.targetBehavior = target;
  return result;
}

export function scoreOpioidCraving(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS['opioid-craving'];
  const parsed = parseAnswers(def, input);
  const total = sumOf(def, parsed, numbers(3));
  return {
    instrument: 'opioid-craving',
    complete: parsed.missing.length === 0,
    missing: parsed.missing,
    scores: { mean: total === null ? null : round2(total / 3) },
    alerts: [],
  };
}
