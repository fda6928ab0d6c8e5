// Shared types for instrument scoring. Pure data, no I/O.

export const INSTRUMENT_IDS = ['urica', 'socrates-8d', 'readiness-ruler', 'phq-9', 'gad-7', 'bam', 'opioid-craving'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];

/** What a scorer takes: item number (FHIR linkId) → numeric answer. */
export interface ScoreInput {
  answers: Record<string, unknown>;
  /** Readiness rulers only: the named behaviour the rulers are about. */
  targetBehavior?: string;
}

export type AlertSeverity = 'urgent' | 'warning' | 'info';
export interface Alert {
  code: string;
  severity: AlertSeverity;
  text: string;
}

/** A severity or norm band. `code` is stable, `label` is display text. */
export interface Band {
  code: string;
  label: string;
  /** SOCRATES only: per-scale decile placement and the norm sample they come from. */
  deciles?: Record<string, { decile: number; label: string | null } | null>;
  norms?: string;
}

export type StageCode = 'precontemplation' | 'contemplation' | 'preparation' | 'action' | 'maintenance';

export type UricaStageMethod = 'highest-subscale' | 'readiness-cutoffs' | 'nearest-group-mean';

export interface StageResult {
  code: StageCode;
  /** How the stage was assigned; recorded so a later reader knows what it means. */
  method: UricaStageMethod;
  /** Always false: no URICA staging rule has been validated for individual assignment. */
  validated: false;
  note: string;
  /** highest-subscale only: subscales tied for highest, when there is a tie. */
  tiedWith?: StageCode[];
}

/**
 * The result of scoring one administration. Every score name of the instrument is always
 * present; a score whose items are not all answered is `null` (never a partial sum).
 */
export interface ScoreResult {
  instrument: InstrumentId;
  complete: boolean;
  /** Unanswered items (linkIds, in questionnaire order) among those that apply. */
  missing: string[];
  scores: Record<string, number | null>;
  band?: Band;
  stage?: StageResult;
  alerts: Alert[];
  /** Readiness rulers only: the target behaviour, echoed back. */
  targetBehavior?: string;
}

export interface ScoreOptions {
  /** URICA only. Default 'highest-subscale'. */
  uricaStageMethod?: UricaStageMethod;
}

export interface InputProblem {
  item: string;
  message: string;
}

/** Thrown when answers are out of range, of the wrong type or for unknown items. The API maps it to 400. */
export class InstrumentInputError extends Error {
  readonly code = 'instrument-input-invalid';
  constructor(
    readonly instrument: string,
    readonly problems: InputProblem[],
  ) {
    super(`${instrument}: ${problems.length} invalid answer(s): ${problems.map((p) => `item ${p.item}: ${p.message}`).join('; ')}`);
    this.name = 'InstrumentInputError';
  }
}

/** Thrown for an instrument id that is not in the registry. */
export class UnknownInstrumentError extends Error {
  readonly code = 'instrument-unknown';
  constructor(
    readonly instrument: string,
    readonly validIds: readonly string[],
  ) {
    super(`unknown instrument "${instrument}"; valid ids: ${validIds.join(', ')}`);
    this.name = 'UnknownInstrumentError';
  }
}
