// Stage of change: where it came from (URICA or a clinician's judgement), and how it moved.
// Movement back is described without blame: variability is common and is managed together.
import type { ScoreResult, UricaStageMethod } from '../instruments/types.ts';
import { STAGES, type Stage } from './types.ts';

export type StageSource = 'urica' | 'clinician';
export type StageInformant = 'urica' | 'socrates-8d' | 'readiness-ruler' | 'interview';

export interface StageAssessment {
  stage: Stage;
  source: StageSource;
  /** ISO 8601 timestamp supplied by the caller (core has no clock). */
  assessedAt: string;
  /** URICA: the stage-assignment method used. */
  method?: UricaStageMethod;
  /** Clinician: what informed the judgement. */
  informedBy?: StageInformant[];
  note?: string;
}

/** Stage from a scored URICA, or null when the URICA could not assign one (incomplete). */
export function stageFromUrica(result: ScoreResult, assessedAt: string): StageAssessment | null {
  if (result.instrument !== 'urica' || !result.stage) return null;
  return { stage: result.stage.code, source: 'urica', assessedAt, method: result.stage.method, note: result.stage.note };
}

/** A clinician's judgement, with what informed it recorded. */
export function clinicianStage(input: { stage: Stage; assessedAt: string; informedBy?: StageInformant[]; note?: string }): StageAssessment {
  const out: StageAssessment = { stage: input.stage, source: 'clinician', assessedAt: input.assessedAt };
  if (input.informedBy && input.informedBy.length > 0) out.informedBy = [...new Set(input.informedBy)];
  if (input.note) out.note = input.note;
  return out;
}

export type StageDirection = 'forward' | 'back' | 'same';
export interface StageChange {
  from: StageAssessment;
  to: StageAssessment;
  direction: StageDirection;
  /** Neutral, non-blaming description for staff and patient views. */
  text: string;
}
export interface StageTrajectory {
  points: StageAssessment[];
  changes: StageChange[];
  current: StageAssessment | null;
}

const LABEL: Record<Stage, string> = {
  precontemplation: 'not yet considering change',
  contemplation: 'thinking about change',
  preparation: 'getting ready to change',
  action: 'making changes',
  maintenance: 'keeping changes going',
};
export const stageLabel = (s: Stage): string => LABEL[s];
const rank = (s: Stage): number => STAGES.indexOf(s);

/** Orders assessments by time (ISO strings sort) and describes each change. */
export function describeTrajectory(assessments: readonly StageAssessment[]): StageTrajectory {
  const points = [...assessments].sort((a, b) => (a.assessedAt < b.assessedAt ? -1 : a.assessedAt > b.assessedAt ? 1 : 0));
  const changes: StageChange[] = [];
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1] as StageAssessment;
    const to = points[i] as StageAssessment;
    const d = rank(to.stage) - rank(from.stage);
    const direction: StageDirection = d > 0 ? 'forward' : d < 0 ? 'back' : 'same';
    const text =
      direction === 'forward'
        ? `Moved from ${from.stage} (${LABEL[from.stage]}) to ${to.stage} (${LABEL[to.stage]}).`
        : direction === 'back'
          ? `Now at ${to.stage} (${LABEL[to.stage]}), earlier ${from.stage}. Shifts in readiness are common and expected; the plan adapts to where the person is now, worked out together.`
          : `Still at ${to.stage} (${LABEL[to.stage]}).`;
    changes.push({ from, to, direction, text });
  }
  return { points, changes, current: points[points.length - 1] ?? null };
}
