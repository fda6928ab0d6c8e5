// What a protocol can cost per patient (CM-SPEC §2, §3, §6), computed analytically
// from its testing schedule: the maximum a patient can earn, and the expected cost
// when every opportunity succeeds and every draw is worth the bowl's expected value.
// Pure: no I/O. Used by presets, the forecast and the CLI (shown wherever cost is).
import type { Protocol, Track } from './protocol.ts';
import type { CapName } from './caps.ts';
import { resolveEscalation, newRun, succeed, baseOf, bonusOf, phaseIndexForWeek, privilegeIndexOf } from './escalation.ts';
import { expectedValueCents, slipTotal } from './draws.ts';

/**
 * Opportunities per week, per track id: one number for every week, or an array by
 * week (index 0 = week 1; the last value repeats). Tracks not listed take the
 * default for their target kind (defaultOpportunitiesPerWeek).
 */
export type Schedule = Readonly<Record<string, number | readonly number[]>>;

/**
 * Waypoint's default testing schedule when a protocol comes without one:
 * specimens twice a week, attendance and modules once a week, doses daily.
 */
export function defaultOpportunitiesPerWeek(track: Track): number {
  switch (track.target.kind) {
    case 'negative':
      return 2;
    case 'adherence':
      return track.target.source === 'specimen' ? 2 : 7;
    case 'attendance':
      return 1;
    default:
      return 1;
  }
}

/** The schedule with every track of the protocol filled in (given values first, defaults for the rest). */
export function completeSchedule(protocol: Protocol, schedule?: Schedule): Record<string, number | readonly number[]> {
  const out: Record<string, number | readonly number[]> = {};
  for (const t of protocol.tracks) {
    const given = schedule && Object.prototype.hasOwnProperty.call(schedule, t.id) ? schedule[t.id] : undefined;
    out[t.id] = given ?? defaultOpportunitiesPerWeek(t);
  }
  return out;
}

/** Opportunities in `week` (1-based) for one schedule entry. */
export function perWeekAt(entry: number | readonly number[] | undefined, week: number): number {
  if (entry === undefined) return 0;
  if (typeof entry === 'number') return entry;
  if (entry.length === 0) return 0;
  const i = week - 1 < entry.length ? week - 1 : entry.length - 1;
  return entry[i] ?? 0;
}

/** Weeks of a protocol's course: its `weeks`, else the last week any phase covers. */
export function courseWeeks(protocol: Protocol): number {
  if (protocol.weeks != null) return protocol.weeks;
  let w = 0;
  for (const t of protocol.tracks) for (const p of t.phases) if (p.toWeek > w) w = p.toWeek;
  return w;
}

/** Expected value of one draw in cents after a per-item cap (a prize above it pays nothing, §6). */
export function drawValueCents(protocol: Protocol): { ev: number; max: number } {
  const bowl = protocol.bowl;
  if (!bowl) return { ev: 0, max: 0 };
  const item = protocol.caps?.perItemCents ?? null;
  if (item === null) {
    let max = 0;
    for (const s of bowl.slips) if (s.valueCents > max) max = s.valueCents;
    return { ev: expectedValueCents(bowl), max };
  }
  const T = slipTotal(bowl);
  let v = 0;
  let max = 0;
  for (const s of bowl.slips) {
    if (s.valueCents > item) continue;
    v += s.count * s.valueCents;
    if (s.valueCents > max) max = s.valueCents;
  }
  return { ev: T === 0 ? 0 : v / T, max };
}

export interface TrackCost {
  id: string;
  payout: Track['payout'];
  /** Opportunities on this track in the course (weeks no phase covers are not opportunities). */
  opportunities: number;
  /** Cents track: what every opportunity succeeding pays (after a per-item cap); else 0. */
  maxCents: number;
  /** Draws track: draws when every opportunity succeeds (bonus targets holding); else 0. */
  maxDraws: number;
  /** Privilege track: the highest level reached when every opportunity succeeds; else null. */
  topPrivilege: string | null;
}

export interface CostAnalysis {
  weeks: number;
  /** The schedule used (every track filled in). */
  schedule: Record<string, number | readonly number[]>;
  tracks: TrackCost[];
  /** Σ maxCents of the cents tracks (vouchers), before total/month/year caps. */
  voucherMaxCents: number;
  /** Σ maxDraws of the draws tracks. */
  maxDraws: number;
  /** Expected value of one draw in cents (unrounded; 0 without a bowl). */
  drawEvCents: number;
  /** Largest prize a draw can pay (after a per-item cap). */
  maxPrizeCents: number;
  /** voucherMaxCents + maxDraws × maxPrizeCents: the worst case before total/month/year caps. */
  uncappedMaxCents: number;
  /**
   * The analytic maximum a patient can cost: uncappedMaxCents limited by the
   * protocol's caps (total; per year × calendar years the course can touch; per
   * month × calendar months it can touch). Exact when no cap binds; otherwise an
   * upper bound.
   */
  maxCents: number;
  /** The cap that limits maxCents, or null when none does. */
  maxLimitedBy: CapName | null;
  /** Every opportunity succeeds, draws at expected value: voucherMaxCents + maxDraws × drawEvCents (unrounded), limited by the same cap bound. */
  allSuccessExpectedCents: number;
  /** true when maxCents is exact (no cap binds). */
  exact: boolean;
}

export interface CostOptions {
  schedule?: Schedule;
  /** Weeks of the course (default: courseWeeks(protocol)). */
  weeks?: number;
  /**
   * Enrolment start "YYYY-MM-DD": lets the month/year cap bounds count the calendar
   * months/years the course actually touches. Without it, the worst placement.
   */
  start?: string;
}

const DAY_MS = 86_400_000;

/** Calendar months and years a course of `days` days touches (from `start` if given, else at worst). */
export function calendarSpan(days: number, start?: string): { months: number; years: number } {
  if (days <= 0) return { months: 0, years: 0 };
  if (start !== undefined) {
    const t0 = Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
    if (Number.isFinite(t0)) {
      const a = new Date(t0);
      const b = new Date(t0 + (days - 1) * DAY_MS);
      const years = b.getUTCFullYear() - a.getUTCFullYear() + 1;
      const months = years * 12 - a.getUTCMonth() - (11 - b.getUTCMonth());
      return { months, years };
    }
  }
  // Worst placement: a span of d days touches at most 1 + ceil((d − 1) / 28) months and 1 + ceil((d − 1) / 365) years.
  return { months: 1 + Math.ceil((days - 1) / 28), years: 1 + Math.ceil((days - 1) / 365) };
}

/**
 * The all-success course of one track: every opportunity in the weeks its phases
 * cover succeeds, every bonus target holds. Uses the engine's escalation machine.
 * With non-negative steps (the schema forbids negative ones) no other sequence of
 * outcomes pays more: a failure lowers every later level, and bonuses counted on
 * run length can only be lost.
 */
export function trackAllSuccess(protocol: Protocol, track: Track, weeks: number, entry: number | readonly number[] | undefined): TrackCost {
  const perItem = protocol.caps?.perItemCents ?? null;
  const escs = track.phases.map((p) => resolveEscalation(p.escalation));
  let extra = 0;
  for (const b of track.bonusTargets ?? []) extra += b.extra;
  const run = newRun();
  let opportunities = 0;
  let cents = 0;
  let draws = 0;
  let top = -1;
  const levels = track.levels ?? [];
  for (let w = 1; w <= weeks; w++) {
    const ph = phaseIndexForWeek(track.phases, w);
    if (ph < 0) continue;
    const esc = escs[ph]!;
    const n = perWeekAt(entry, w);
    for (let k = 0; k < n; k++) {
      opportunities++;
      const level = succeed(run, esc.recoverAfter);
      if (track.payout === 'cents') {
        let earn = baseOf(esc, level) + extra;
        let bonus = bonusOf(esc, run.s);
        if (perItem !== null) {
          if (earn > perItem) earn = perItem;
          if (bonus > perItem - earn) bonus = perItem - earn;
        }
        cents += earn + bonus;
      } else if (track.payout === 'draws') {
        draws += baseOf(esc, level) + extra + bonusOf(esc, run.s);
      } else if (levels.length > 0) {
        const idx = privilegeIndexOf(esc, level, levels.length);
        if (idx > top) top = idx;
      }
    }
  }
  return {
    id: track.id,
    payout: track.payout,
    opportunities,
    maxCents: cents,
    maxDraws: draws,
    topPrivilege: track.payout === 'privilege' ? (levels[top < 0 ? 0 : top] ?? null) : null,
  };
}

/** The analytic cost of a protocol per patient (see CostAnalysis). */
export function analyseCost(protocol: Protocol, options: CostOptions = {}): CostAnalysis {
  const weeks = options.weeks ?? courseWeeks(protocol);
  const schedule = completeSchedule(protocol, options.schedule);
  const tracks = protocol.tracks.map((t) => trackAllSuccess(protocol, t, weeks, schedule[t.id]));
  let voucherMaxCents = 0;
  let maxDraws = 0;
  for (const t of tracks) {
    voucherMaxCents += t.maxCents;
    maxDraws += t.maxDraws;
  }
  const { ev, max: maxPrize } = drawValueCents(protocol);
  const uncappedMaxCents = voucherMaxCents + maxDraws * maxPrize;
  const allSuccess = voucherMaxCents + maxDraws * ev;

  // Cap bound: the least of total, perYear × years, perMonth × months.
  let bound = Infinity;
  let limitedBy: CapName | null = null;
  const caps = protocol.caps;
  if (caps) {
    const span = calendarSpan(weeks * 7, options.start);
    const consider = (value: number | null | undefined, name: CapName, times: number): void => {
      if (value == null) return;
      const b = value * times;
      if (b < bound) {
        bound = b;
        limitedBy = name;
      }
    };
    consider(caps.totalCents, 'total', 1);
    consider(caps.perMonthCents, 'perMonth', span.months);
    consider(caps.perYearCents, 'perYear', span.years);
  }
  const binds = bound < uncappedMaxCents;
  return {
    weeks,
    schedule,
    tracks,
    voucherMaxCents,
    maxDraws,
    drawEvCents: ev,
    maxPrizeCents: maxPrize,
    uncappedMaxCents,
    maxCents: binds ? bound : uncappedMaxCents,
    maxLimitedBy: binds ? limitedBy : null,
    allSuccessExpectedCents: allSuccess > bound ? bound : allSuccess,
    exact: !binds,
  };
}

/** "$1,234.56" from cents (rounded to the cent). */
export function formatDollars(cents: number): string {
  const c = Math.round(cents);
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(c);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
