// The rules of skills progress (issue 13), written once: what a module's stage and a plan's
// intervention suggest, where a patient stands in a module, when a completion earns in CM,
// and the programme's completion funnel. Pure: rows in, answers out.
import type { InterventionCode, Stage } from '../planning/types.ts';
import type { SkillsModule } from './module.ts';

/** What the guidance matches to each stage (seed 002): MI tools and learning first, skills once change has begun. */
export const STAGE_TOPICS: Record<Stage, readonly SkillsModule['topic'][]> = {
  precontemplation: ['motivation', 'psychoeducation', 'medication', 'overdose'],
  contemplation: ['motivation', 'psychoeducation', 'medication', 'overdose', 'family'],
  preparation: ['motivation', 'functional-analysis', 'triggers-and-coping', 'mutual-help', 'medication', 'family'],
  action: [
    'functional-analysis',
    'triggers-and-coping',
    'refusal-and-problem-solving',
    'mindfulness',
    'restructuring-thinking',
    'negative-emotions',
    'behavioural-activation',
    'interpersonal',
    'recovery-activities',
  ],
  maintenance: ['recovery-activities', 'acceptance-and-values', 'mindfulness', 'negative-emotions', 'interpersonal', 'mutual-help'],
};

type Suggestible = Pick<SkillsModule, 'key' | 'topic' | 'stages' | 'interventions'>;

/**
 * The modules to suggest, best first: those that serve the intervention (when assigning from a
 * plan's intervention), then those that suit the stage — the module says which stages it suits,
 * and the stage's own topics come first. Without a stage or an intervention, nothing is suggested.
 */
export function suggestModules<M extends Suggestible>(modules: readonly M[], by: { stage?: Stage | null; intervention?: InterventionCode | null }): M[] {
  const { stage, intervention } = by;
  if (!stage && !intervention) return [];
  const score = (m: M) => {
    let s = 0;
    if (intervention && (m.interventions as readonly string[]).includes(intervention)) s += 4;
    if (stage && m.stages.includes(stage)) s += 2;
    if (stage && STAGE_TOPICS[stage].includes(m.topic)) s += 1 + (STAGE_TOPICS[stage].length - STAGE_TOPICS[stage].indexOf(m.topic)) / 100;
    return s;
  };
  const needed = intervention ? 4 : 2; // an intervention's modules must serve it; a stage's must suit it
  return modules
    .map((m) => ({ m, s: score(m) }))
    .filter((x) => x.s >= needed)
    .sort((a, b) => b.s - a.s || a.m.key.localeCompare(b.m.key))
    .map((x) => x.m);
}

export type ModuleStatus = 'assigned' | 'started' | 'completed';

/** Where a patient stands in a module: completed, started (a screen opened), or only assigned. */
export function moduleStatus(p: { completedAt: Date | null } | null | undefined): ModuleStatus {
  if (!p) return 'assigned';
  return p.completedAt ? 'completed' : 'started';
}

/** A screen reached moves progress forward only; a late or repeated one changes nothing. */
export function advance(furthest: number, screen: number): number {
  return Math.max(furthest, screen);
}

/** A module can be completed once every screen of the version was reached. */
export function canComplete(p: { furthestScreen: number; screens: number }): boolean {
  return p.furthestScreen >= p.screens - 1;
}

/**
 * Whether a completion earns in CM: only a module the counsellor assigned (an open assignment
 * when it was completed). A module is completed once (a later version re-read stays completed),
 * so it earns once; browsing the library is welcome but does not pay, so clicking through
 * modules cannot be turned into money.
 */
export function completionEarns(p: { assignmentOpen: boolean }): boolean {
  return p.assignmentOpen;
}

export type FunnelRow = { furthestScreen: number; screens: number; startedAt: Date; completedAt: Date | null };

export type Funnel = {
  assigned: number;
  started: number;
  completed: number;
  /** Median minutes from the first screen to completion; null with no completions. */
  medianMinutes: number | null;
  /** For each screen (0-based), how many who started and did not finish stopped there. */
  stoppedAt: number[];
  /** The screen most people stopped at (null when nobody stopped). */
  dropOffScreen: number | null;
};

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The completion funnel of one module: assigned → started → completed, the median time, and where people stop. */
export function funnel(screens: number, assigned: number, rows: readonly FunnelRow[]): Funnel {
  const stoppedAt = Array.from({ length: screens }, () => 0);
  const minutes: number[] = [];
  for (const r of rows) {
    if (r.completedAt) minutes.push((r.completedAt.getTime() - r.startedAt.getTime()) / 60_000);
    else stoppedAt[Math.min(Math.max(r.furthestScreen, 0), screens - 1)]! += 1;
  }
  const most = Math.max(0, ...stoppedAt);
  const m = median(minutes);
  return {
    assigned,
    started: rows.length,
    completed: minutes.length,
    medianMinutes: m === null ? null : Math.round(m * 10) / 10,
    stoppedAt,
    dropOffScreen: most === 0 ? null : stoppedAt.indexOf(most),
  };
}
