// SOCRATES 8D (Miller & Tonigan 1996), 19 items, 1–5. Raw scale totals and decile bands.
import { INSTRUMENT_DEFS, parseAnswers, sumOf } from './items.ts';
import type { Band, ScoreResult } from './types.ts';

export const SOCRATES_SCALES = {
  recognition: ['1', '3', '7', '10', '12', '15', '17'],
  ambivalence: ['2', '6', '11', '16'],
  takingSteps: ['4', '5', '8', '9', '13', '14', '18', '19'],
} as const;

export const SOCRATES_NORMS_LABEL =
  'Norms from an alcohol-using sample: 1,726 adults presenting for treatment of alcohol problems in Project MATCH (SOCRATES profile sheet). No drug- or opioid-specific norms exist; read deciles as relative to people seeking alcohol treatment.';

type DecileRow = { decile: number; label: string | null; min: number; max: number };
/** The published SOCRATES (19-item) profile sheet. Recognition has no 80th/90th decile row. */
export const SOCRATES_DECILES: Record<keyof typeof SOCRATES_SCALES, readonly DecileRow[]> = {
  recognition: [
    { decile: 70, label: 'High', min: 35, max: 35 },
    { decile: 60, label: null, min: 34, max: 34 },
    { decile: 50, label: 'Medium', min: 32, max: 33 },
    { decile: 40, label: null, min: 31, max: 31 },
    { decile: 30, label: 'Low', min: 29, max: 30 },
    { decile: 20, label: null, min: 27, max: 28 },
    { decile: 10, label: 'Very Low', min: 7, max: 26 },
  ],
  ambivalence: [
    { decile: 90, label: 'Very High', min: 19, max: 20 },
    { decile: 80, label: null, min: 18, max: 18 },
    { decile: 70, label: 'High', min: 17, max: 17 },
    { decile: 60, label: null, min: 16, max: 16 },
    { decile: 50, label: 'Medium', min: 15, max: 15 },
    { decile: 40, label: null, min: 14, max: 14 },
    { decile: 30, label: 'Low', min: 12, max: 13 },
    { decile: 20, label: null, min: 9, max: 11 },
    { decile: 10, label: 'Very Low', min: 4, max: 8 },
  ],
  takingSteps: [
    { decile: 90, label: 'Very High', min: 39, max: 40 },
    { decile: 80, label: null, min: 37, max: 38 },
    { decile: 70, label: 'High', min: 36, max: 36 },
    { decile: 60, label: null, min: 34, max: 35 },
    { decile: 50, label: 'Medium', min: 33, max: 33 },
    { decile: 40, label: null, min: 31, max: 32 },
    { decile: 30, label: 'Low', min: 30, max: 30 },
    { decile: 20, label: null, min: 26, max: 29 },
    { decile: 10, label: 'Very Low', min: 8, max: 25 },
  ],
};

export function socratesDecile(scale: keyof typeof SOCRATES_SCALES, raw: number): { decile: number; label: string | null } {
  const row = SOCRATES_DECILES[scale].find((r) => raw >= r.min && raw <= r.max);
  if (!row) throw new RangeError(`SOCRATES ${scale} raw score ${raw} is outside the profile sheet`);
  return { decile: row.decile, label: row.label };
}

export function scoreSocrates(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS['socrates-8d'];
  const parsed = parseAnswers(def, input);
  const scores = {
    recognition: sumOf(def, parsed, SOCRATES_SCALES.recognition),
    ambivalence: sumOf(def, parsed, SOCRATES_SCALES.ambivalence),
    takingSteps: sumOf(def, parsed, SOCRATES_SCALES.takingSteps),
  };
  const result: ScoreResult = {
    instrument: 'socrates-8d',
    complete: parsed.missing.length === 0,
    missing: parsed.missing,
    scores,
    alerts: [],
  };
  if (scores.recognition !== null || scores.ambivalence !== null || scores.takingSteps !== null) {
    const deciles: NonNullable<Band['deciles']> = {};
    for (const scale of Object.keys(SOCRATES_SCALES) as Array<keyof typeof SOCRATES_SCALES>) {
      const raw = scores[scale];
      deciles[scale] = raw === null ? null : socratesDecile(scale, raw);
    }
    result.band = { code: 'socrates-deciles', label: 'SOCRATES decile bands (alcohol-sample norms)', deciles, norms: SOCRATES_NORMS_LABEL };
  }
  return result;
}
