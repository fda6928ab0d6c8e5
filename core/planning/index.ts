export * from './types.ts';
export { recommend } from './recommend.ts';
export { cmAvailabilityOf, parseContext, patientContextSchema, PlanningInputError, type ContextProblem, type ProgrammeCmRecord } from './context.ts';
export { RULES, CAUTION_RULES, STAGE_MATCHING, CO_OCCURRING_THRESHOLD, toFacts, type RecommendationRule, type CautionRule, type Facts } from './rules.ts';
export { EVIDENCE, SEEDS, type EvidenceKey } from './evidence.ts';
export { stageFromUrica, clinicianStage, describeTrajectory, stageLabel, type StageAssessment, type StageTrajectory, type StageChange, type StageSource, type StageInformant } from './stage.ts';
