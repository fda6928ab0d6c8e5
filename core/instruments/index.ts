export * from './types.ts';
export { INSTRUMENT_DEFS, parseAnswers, type InstrumentDef, type ItemDef } from './items.ts';
export { INSTRUMENTS, QUESTIONNAIRE_BASE_URL, getInstrument, isInstrumentId, scoreInstrument, type InstrumentEntry } from './registry.ts';
export { scoreUrica, URICA_SUBSCALES, URICA_UNSCORED, URICA_STAGE_METHODS, URICA_READINESS_CUTOFFS, URICA_GROUP_MEANS, URICA_NOT_VALIDATED_NOTE } from './urica.ts';
export { scoreSocrates, socratesDecile, SOCRATES_SCALES, SOCRATES_DECILES, SOCRATES_NORMS_LABEL } from './socrates.ts';
export { scorePhq9, scoreGad7, scoreReadinessRuler, scoreOpioidCraving, PHQ9_BANDS, GAD7_BANDS, PHQ9_ITEM9_ALERT } from './simple.ts';
export { scoreBam, BAM_SUBSCALES, BAM_THRESHOLDS } from './bam.ts';
export { hasAnyAnswer } from './answered.ts';
