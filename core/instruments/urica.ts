// URICA (University of Rhode Island Change Assessment), 32 items, 1–5.
// Subscale = mean of its 7 items; readiness = C + A + M − PC (means). Items 4, 9, 20, 31 unscored.
import { INSTRUMENT_DEFS, parseAnswers, round2, sumOf } from './items.ts';
import type { ScoreOptions, ScoreResult, StageCode, StageResult, UricaStageMethod } from './types.ts';

export const URICA_SUBSCALES = {
  precontemplation: ['1', '5', '11', '13', '23', '26', '29'],
  contemplation: ['2', '8', '12', '15', '19', '21', '24'],
  action: ['3', '7', '10', '14', '17', '25', '30'],
  maintenance: ['6', '16', '18', '22', '27', '28', '32'],
} as const;
export const URICA_UNSCORED = ['4', '9', '20', '31'] as const;

export const URICA_STAGE_METHODS: readonly UricaStageMethod[] = ['highest-subscale', 'readiness-cutoffs', 'nearest-group-mean'];

/**
 * Readiness cut-offs as commonly circulated with the URICA (UMBC Habits Lab / CPRC materials):
 * ≤ 8 precontemplation, > 8 to ≤ 11 contemplation, > 11 preparation (the source labels this
 * band "preparation (action)"). The instrument's authors call such cut-offs essentially
 * arbitrary; they are not validated for assigning a stage to an individual.
 */
export const URICA_READINESS_CUTOFFS = { precontemplationMax: 8, contemplationMax: 11 } as const;

/**
 * Group means of the readiness score reported for staged outpatient samples (Mid-Atlantic ATTC
 * scoring sheet): precontemplation 9.3, contemplation 11.0, participation (action) 12.6.
 * The nearest mean is chosen; no maintenance mean was published.
 */
export const URICA_GROUP_MEANS: ReadonlyArray<readonly [StageCode, number]> = [
  ['precontemplation', 9.3],
  ['contemplation', 11.0],
  ['action', 12.6],
];

export const URICA_NOT_VALIDATED_NOTE =
  'URICA stage assignment is a convention, not a validated diagnostic rule: subscale scores describe attitudes related to the stages, and readiness cut-offs are arbitrary. Use it to start a conversation; a clinician confirms the stage.';

const SUBSCALE_ORDER: readonly StageCode[] = ['precontemplation', 'contemplation', 'action', 'maintenance'];

type Means = Record<keyof typeof URICA_SUBSCALES, number>;

function assignStage(method: UricaStageMethod, means: Means, readiness: number): StageResult {
  const base = { method, validated: false as const, note: URICA_NOT_VALIDATED_NOTE };
  if (method === 'readiness-cutoffs') {
    const code: StageCode = readiness <= URICA_READINESS_CUTOFFS.precontemplationMax ? 'precontemplation' : readiness <= URICA_READINESS_CUTOFFS.contemplationMax ? 'contemplation' : 'preparation';
    return { code, ...base };
  }
  if (method === 'nearest-group-mean') {
    let best: StageCode = 'precontemplation';
    let bestDistance = Infinity;
    for (const [stage, mean] of URICA_GROUP_MEANS) {
      const d = Math.abs(readiness - mean);
      if (d < bestDistance) {
        best = stage;
        bestDistance = d;
      }
    }
    return { code: best, ...base };
  }
  // highest-subscale: the stage whose subscale mean is highest; ties go to the earliest stage
  // (the more conservative reading) and are reported.
  const max = Math.max(...SUBSCALE_ORDER.map((s) => means[s as keyof Means]));
  const tied = SUBSCALE_ORDER.filter((s) => means[s as keyof Means] === max);
  const code = tied[0] ?? 'precontemplation';
  return tied.length > 1 ? { code, ...base, tiedWith: tied.slice(1) } : { code, ...base };
}

export function scoreUrica(input: unknown, options: ScoreOptions = {}): ScoreResult {
  const def = INSTRUMENT_DEFS.urica;
  const parsed = parseAnswers(def, input);
  const sums = {
    precontemplation: sumOf(def, parsed, URICA_SUBSCALES.precontemplation),
    contemplation: sumOf(def, parsed, URICA_SUBSCALES.contemplation),
    action: sumOf(def, parsed, URICA_SUBSCALES.action),
    maintenance: sumOf(def, parsed, URICA_SUBSCALES.maintenance),
  };
  const mean = (s: number | null): number | null => (s === null ? null : s / 7);
  const m = {
    precontemplation: mean(sums.precontemplation),
    contemplation: mean(sums.contemplation),
    action: mean(sums.action),
    maintenance: mean(sums.maintenance),
  };
  const readiness = m.precontemplation !== null && m.contemplation !== null && m.action !== null && m.maintenance !== null ? m.contemplation + m.action + m.maintenance - m.precontemplation : null;
  const result: ScoreResult = {
    instrument: 'urica',
    complete: parsed.missing.length === 0,
    missing: parsed.missing,
    scores: {
      precontemplation: m.precontemplation === null ? null : round2(m.precontemplation),
      contemplation: m.contemplation === null ? null : round2(m.contemplation),
      action: m.action === null ? null : round2(m.action),
      maintenance: m.maintenance === null ? null : round2(m.maintenance),
      readiness: readiness === null ? null : round2(readiness),
    },
    alerts: [],
  };
  if (readiness !== null) {
    result.stage = assignStage(options.uricaStageMethod ?? 'highest-subscale', m as Means, readiness);
  }
  return result;
}
