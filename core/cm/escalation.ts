// The one escalation machine of CM-SPEC §2, shared by cents, draws and privilege
// tracks (and by the Monte Carlo forecast). Pure functions, no I/O.
//
// Stable API (other modules import these; keep the signatures):
//   resolveEscalation(e)            → ResolvedEscalation (defaults of §2 applied)
//   levelOf(s, L, recoverAfter)     → level of a success with run length s
//   indexOf(level, stepEvery)       → ceil(level / stepEvery)
//   baseOf(esc, level)              → start + step × (index − 1), limited by max
//   bonusOf(esc, s)                 → bonus when s is a multiple of bonusEvery
//   privilegeIndexOf(esc, level, n) → 0-based index into a privilege track's levels
//   newRun() / succeed(run, esc) / fail(run)   → the run state machine
//   phaseIndexForWeek(phases, week) → first listed phase containing the week, or -1

/** An escalation as written in a protocol (§2); nulls and absences take the defaults. */
export interface EscalationSpec {
  start?: number | null | undefined;
  step?: number | null | undefined;
  stepEvery?: number | null | undefined;
  max?: number | null | undefined;
  bonusEvery?: number | null | undefined;
  bonus?: number | null | undefined;
  resetTo?: 'start' | null | undefined;
  recoverAfter?: number | null | undefined;
}

/** An escalation with every default of §2 applied. */
export interface ResolvedEscalation {
  /** Base of the first index (cents on a cents track, draws on a draws track; 0 on privilege tracks when absent). */
  readonly start: number;
  /** Added per index above 1 (default 0). */
  readonly step: number;
  /** Levels per index, ≥ 1 (null or 0 → 1). */
  readonly stepEvery: number;
  /** Upper limit of the base, or null for none. Never limits bonus or extra. */
  readonly max: number | null;
  /** Bonus every this many consecutive successes (counted on s), or null for no bonus (null or 0). */
  readonly bonusEvery: number | null;
  /** Bonus amount (default 0). */
  readonly bonus: number;
  /** Successes after which recovery to the previous level starts, or null for no recovery. */
  readonly recoverAfter: number | null;
}

/** Applies the defaults of CM-SPEC §2. */
export function resolveEscalation(e: EscalationSpec): ResolvedEscalation {
  return {
    start: e.start ?? 0,
    step: e.step ?? 0,
    stepEvery: e.stepEvery == null || e.stepEvery === 0 ? 1 : e.stepEvery,
    max: e.max ?? null,
    bonusEvery: e.bonusEvery == null || e.bonusEvery === 0 ? null : e.bonusEvery,
    bonus: e.bonus ?? 0,
    recoverAfter: e.recoverAfter ?? null,
  };
}

/**
 * level(s) of §2: `s` when recoverAfter is null or s ≤ recoverAfter, otherwise
 * max(s, L + s − recoverAfter). `s` ≥ 1 is the run length including this success,
 * `L` the level of the last success before the most recent failure (0 if none).
 */
export function levelOf(s: number, L: number, recoverAfter: number | null): number {
  if (recoverAfter === null || s <= recoverAfter) return s;
  const recovered = L + s - recoverAfter;
  return recovered > s ? recovered : s;
}

/** index = ceil(level / stepEvery), stepEvery ≥ 1 (already resolved). */
export function indexOf(level: number, stepEvery: number): number {
  return Math.ceil(level / stepEvery);
}

/** base = start + step × (index − 1), then min(base, max) when max is set. */
export function baseOf(esc: ResolvedEscalation, level: number): number {
  const base = esc.start + esc.step * (indexOf(level, esc.stepEvery) - 1);
  return esc.max !== null && base > esc.max ? esc.max : base;
}

/** bonus when bonusEvery is set and s mod bonusEvery = 0 (on the run length s, not the level). */
export function bonusOf(esc: ResolvedEscalation, s: number): number {
  return esc.bonusEvery !== null && s % esc.bonusEvery === 0 ? esc.bonus : 0;
}

/** 0-based index into a privilege track's `levels` for a success at `level`: min(index, n) − 1. */
export function privilegeIndexOf(esc: ResolvedEscalation, level: number, levelCount: number): number {
  const index = indexOf(level, esc.stepEvery);
  return (index < levelCount ? index : levelCount) - 1;
}

/** State of one track's run. Mutable on purpose: the replay loop is allocation-light. */
export interface RunState {
  /** Consecutive successes in the current run (0 after a failure or at enrolment). */
  s: number;
  /** Level of the last success before the most recent failure (0 until a failure follows a success). */
  L: number;
  /** Level of the current run's last success (0 when the run is empty). */
  last: number;
}

export function newRun(): RunState {
  return { s: 0, L: 0, last: 0 };
}

/** Records a success under `recoverAfter` (the current phase's); returns its level. Mutates `run`. */
export function succeed(run: RunState, recoverAfter: number | null): number {
  run.s += 1;
  const level = levelOf(run.s, run.L, recoverAfter);
  run.last = level;
  return level;
}

/** Records a failure: ends the run; L takes the level of the run's last success if there was one. Mutates `run`. */
export function fail(run: RunState): void {
  if (run.s > 0) run.L = run.last;
  run.s = 0;
  run.last = 0;
}

/** A phase as written in a protocol. */
export interface PhaseSpec {
  fromWeek: number;
  toWeek: number;
  escalation: EscalationSpec;
}

/** Index of the first listed phase with fromWeek ≤ week ≤ toWeek, or −1 when none covers the week. */
export function phaseIndexForWeek(phases: readonly PhaseSpec[], week: number): number {
  for (let i = 0; i < phases.length; i++) {
    const p = phases[i]!;
    if (week >= p.fromWeek && week <= p.toWeek) return i;
  }
  return -1;
}

/**
 * Week → phase index table for weeks 0..maxWeek (entry −1: not covered), so the
 * replay loop looks phases up in O(1). Weeks < 1 or > the table are never covered.
 */
export function phaseTable(phases: readonly PhaseSpec[]): Int32Array {
  let maxWeek = 0;
  for (const p of phases) if (p.toWeek > maxWeek) maxWeek = p.toWeek;
  const table = new Int32Array(maxWeek + 1).fill(-1);
  for (let w = 1; w <= maxWeek; w++) table[w] = phaseIndexForWeek(phases, w);
  return table;
}

/**
 * Pays one success: given the phase's resolved escalation, the run length `s`
 * (after this success), its `level`, and `extra` (bonus targets, §1), returns
 * base + extra and bonus separately (amounts in the track's unit).
 */
export function payOf(esc: ResolvedEscalation, s: number, level: number, extra: number): { base: number; bonus: number } {
  return { base: baseOf(esc, level) + extra, bonus: bonusOf(esc, s) };
}
