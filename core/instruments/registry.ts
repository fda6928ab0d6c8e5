// Registry of instrument scorers by id. The CLI, the API and the FHIR layer all go through here.
import { scoreBam } from './bam.ts';
import { scoreGad7, scoreOpioidCraving, scorePhq9, scoreReadinessRuler } from './simple.ts';
import { scoreSocrates } from './socrates.ts';
import { INSTRUMENT_IDS, UnknownInstrumentError, type InstrumentId, type ScoreOptions, type ScoreResult } from './types.ts';
import { scoreUrica } from './urica.ts';

export interface InstrumentEntry {
  id: InstrumentId;
  title: string;
  /** Canonical URL of the FHIR Questionnaire in content/instruments/<id>.json. */
  questionnaireUrl: string;
  /** Names of the scores this instrument returns (always present in `scores`, null when not computable). */
  scoreNames: readonly string[];
  score(input: unknown, options?: ScoreOptions): ScoreResult;
}

export const QUESTIONNAIRE_BASE_URL = 'http://waypoint.health/fhir/Questionnaire/';

/** Puts keys in the documented order: instrument, complete, missing, scores, band?, stage?, alerts, targetBehavior?. */
function ordered(r: ScoreResult): ScoreResult {
  const withOptional = { instrument: r.instrument, complete: r.complete, missing: r.missing, scores: r.scores } as ScoreResult;
  if (r.band) withOptional.band = r.band;
  if (r.stage) withOptional.stage = r.stage;
  withOptional.alerts = r.alerts;
  if (r.targetBehavior !== undefined) withOptional.targetBehavior = r.targetBehavior;
  return withOptional;
}

const entry = (id: InstrumentId, title: string, scoreNames: readonly string[], score: InstrumentEntry['score']): InstrumentEntry => ({
  id,
  title,
  questionnaireUrl: QUESTIONNAIRE_BASE_URL + id,
  scoreNames,
  score: (input, options) => ordered(score(input, options)),
});

export const INSTRUMENTS: Readonly<Record<InstrumentId, InstrumentEntry>> = {
  urica: entry('urica', 'University of Rhode Island Change Assessment (URICA)', ['precontemplation', 'contemplation', 'action', 'maintenance', 'readiness'], scoreUrica),
  'socrates-8d': entry('socrates-8d', 'SOCRATES 8D (drug version)', ['recognition', 'ambivalence', 'takingSteps'], (i) => scoreSocrates(i)),
  'readiness-ruler': entry('readiness-ruler', 'Readiness rulers', ['importance', 'confidence', 'readiness'], (i) => scoreReadinessRuler(i)),
  'phq-9': entry('phq-9', 'Patient Health Questionnaire-9 (PHQ-9)', ['total'], (i) => scorePhq9(i)),
  'gad-7': entry('gad-7', 'Generalized Anxiety Disorder-7 (GAD-7)', ['total'], (i) => scoreGad7(i)),
  bam: entry('bam', 'Brief Addiction Monitor (BAM-R)', ['use', 'risk', 'protective'], (i) => scoreBam(i)),
  'opioid-craving': entry('opioid-craving', 'Opioid Craving Scale', ['mean'], (i) => scoreOpioidCraving(i)),
};

export const isInstrumentId = (id: string): id is InstrumentId => (INSTRUMENT_IDS as readonly string[]).includes(id);

export function getInstrument(id: string): InstrumentEntry {
  if (!isInstrumentId(id)) throw new UnknownInstrumentError(id, INSTRUMENT_IDS);
  return INSTRUMENTS[id];
}

/** Scores one administration. Throws UnknownInstrumentError or InstrumentInputError. */
export function scoreInstrument(id: string, input: unknown, options?: ScoreOptions): ScoreResult {
  return getInstrument(id).score(input, options);
}
