// Monte Carlo budget forecast for a CM protocol. Simulates patients opportunity by
// opportunity with the engine's escalation machine (escalation.ts, the same
// semantics as replay), samples prizes from the bowl with a seeded PRNG (the
// HMAC draw is for real draws only), applies the protocol's caps the way the
// ledger does, and reports the cost distribution per patient and per programme.
// Pure and reproducible: randomness comes only from the seed.
import type { Protocol } from './protocol.ts';
import { resolveEscalation, newRun, succeed, fail, baseOf, bonusOf, phaseIndexForWeek, type ResolvedEscalation, type RunState } from './escalation.ts';
import { analyseCost, completeSchedule, perWeekAt, courseWeeks, type CostAnalysis, type Schedule } from './cost.ts';

// ---------- PRNG: sfc32 (Small Fast Counting, 32-bit), seeded through splitmix32 ----------

/** sfc32: a small, fast PRNG with a 128-bit state (PractRand-clean). Not for anything security-related. */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number | string) {
    const [a, b, c, d] = seedWords(seed);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 12; i++) this.nextU32();
  }
  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = (this.d + 1) | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const cr = (c << 21) | (c >>> 11);
    this.c = (cr + t) | 0;
    this.d = d;
    return t >>> 0;
  }
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() * 2.3283064365386963e-10;
  }
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Four state words from a seed: a safe integer (both 32-bit halves used) or any string (FNV-1a). */
function seedWords(seed: number | string): [number, number, number, number] {
  let lo: number;
  let hi: number;
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) {
    const abs = Math.abs(seed);
    lo = abs >>> 0;
    hi = (Math.floor(abs / 4294967296) >>> 0) ^ (seed < 0 ? 0x80000000 : 0);
  } else {
    const s = String(seed);
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 0x01000193);
      h2 = Math.imul(h2 ^ ch, 0x5bd1e995) ^ (h2 >>> 15);
    }
    lo = h1 >>> 0;
    hi = (h2 ^ 0x5f3759df) >>> 0;
  }
  const w0 = splitmix32(lo);
  const w1 = splitmix32(hi ^ w0);
  const w2 = splitmix32(w1 ^ lo ^ 0x6a09e667);
  const w3 = splitmix32(w2 ^ hi ^ 0xbb67ae85);
  return [w0, w1, w2, w3 | 1];
}

// ---------- input and output ----------

/** A probability for every week, or an array by week (index 0 = week 1; the last value repeats). */
export type Curve = number | readonly number[];

export interface ForecastInput {
  protocol: Protocol;
  /** Patients in the programme (the programme figures are for this many). */
  patients: number;
  /** Weeks simulated (default: the protocol's weeks). Weeks no phase covers make no opportunities. */
  weeks?: number;
  /** Opportunities per week per track (default: the preset's schedule or Waypoint's defaults, see cost.ts). */
  schedule?: Schedule;
  /** Probability that an attended opportunity succeeds (a negative screen, a dose taken…), by week. */
  success: Curve;
  /** Probability that the patient turns up for an opportunity, by week (default 1). A missed one takes the track's `missed` policy. */
  attendance?: Curve;
  /** Probability that each bonus target also holds on a successful specimen, by week (default 1: budget for the most). */
  bonusSuccess?: Curve;
  /** Seed of the PRNG: a safe integer or a string. Same seed and input, same result. */
  seed: number | string;
  /**
   * Simulated programmes (default: enough that patients × iterations ≥ 100,000).
   * Programme percentiles are taken from the simulated programmes when there are
   * at least 100 of them, otherwise from the normal approximation.
   */
  iterations?: number;
  /** Enrolment start "YYYY-MM-DD", for calendar-month and calendar-year caps (default 2026-01-05). */
  start?: string;
  /** Called with the fraction done (0–1), at most about 100 times. */
  onProgress?: (fraction: number) => void;
}

export interface CostDistribution {
  meanCents: number;
  sdCents: number;
  p50Cents: number;
  p90Cents: number;
  p99Cents: number;
  minCents: number;
  maxCents: number;
}

export interface ForecastResult {
  patients: number;
  iterations: number;
  /** patients × iterations: patient courses simulated. */
  simulatedPatients: number;
  weeks: number;
  seed: number | string;
  /** Cost of one patient's course (vouchers + prizes paid, after caps). */
  perPatient: CostDistribution & {
    meanVoucherCents: number;
    meanPrizeCents: number;
    meanDraws: number;
  };
  /** Cost of the whole programme of `patients` patients. */
  programme: {
    meanCents: number;
    p50Cents: number;
    p90Cents: number;
    p99Cents: number;
    /** "simulation": percentiles of the simulated programmes; "normal-approximation": mean ± z·sd·√patients. */
    method: 'simulation' | 'normal-approximation';
  };
  /** Mean draws per patient (0 without a draws track). */
  meanDraws: number;
  /** Probability that a patient's course hits each cap of the protocol (a cap cut an amount or stopped a prize); null when the protocol has no such cap. */
  capHitProbability: { perItem: number | null; total: number | null; perMonth: number | null; perYear: number | null };
  /** The analytic figures for the same schedule and weeks (cost.ts). */
  analytic: CostAnalysis;
}

export class ForecastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecastInputError';
  }
}

const MAX_SIMULATED = 20_000_000;
const DAY_MS = 86_400_000;

function curveArray(name: string, c: Curve | undefined, dflt: number, weeks: number): Float64Array {
  const out = new Float64Array(weeks + 1);
  const list: readonly number[] = c === undefined ? [dflt] : typeof c === 'number' ? [c] : c;
  if (list.length === 0) throw new ForecastInputError(`${name}: give at least one probability`);
  for (const p of list) {
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw new ForecastInputError(`${name}: every probability must be a number from 0 to 1 (got ${String(p)})`);
  }
  for (let w = 1; w <= weeks; w++) out[w] = list[Math.min(w - 1, list.length - 1)]!;
  return out;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

function distribution(values: Float64Array): CostDistribution {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = n ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  values.sort();
  return {
    meanCents: mean,
    sdCents: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    p50Cents: percentile(values, 0.5),
    p90Cents: percentile(values, 0.9),
    p99Cents: percentile(values, 0.99),
    minCents: n ? values[0]! : 0,
    maxCents: n ? values[n - 1]! : 0,
  };
}

const Z90 = 1.2815515655446004;
const Z99 = 2.3263478740408408;

// Cap flags
const F_ITEM = 1;
const F_TOTAL = 2;
const F_MONTH = 4;
const F_YEAR = 8;

/** Runs the forecast. Throws ForecastInputError on bad input. */
export function forecast(input: ForecastInput): ForecastResult {
  const { protocol } = input;
  const patients = input.patients;
  if (!Number.isSafeInteger(patients) || patients < 1) throw new ForecastInputError(`patients must be a whole number ≥ 1 (got ${String(patients)})`);
  const weeks = input.weeks ?? courseWeeks(protocol);
  if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > 520) throw new ForecastInputError(`weeks must be a whole number from 1 to 520 (got ${String(weeks)})`);
  const iterations = input.iterations ?? Math.max(1, Math.ceil(100_000 / patients));
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new ForecastInputError(`iterations must be a whole number ≥ 1 (got ${String(iterations)})`);
  const total = patients * iterations;
  if (total > MAX_SIMULATED) throw new ForecastInputError(`patients × iterations must be at most ${MAX_SIMULATED.toLocaleString('en-US')} (got ${total.toLocaleString('en-US')})`);
  const seed = input.seed;
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) throw new ForecastInputError('seed must be a number or a string');
  const start = input.start ?? '2026-01-05';
  const t0 = /^\d{4}-\d{2}-\d{2}$/.test(start) ? Date.parse(`${start}T00:00:00Z`) : NaN;
  if (!Number.isFinite(t0)) throw new ForecastInputError(`start must be a date YYYY-MM-DD (got ${JSON.stringify(start)})`);
  if (input.schedule) {
    for (const [id, v] of Object.entries(input.schedule)) {
      if (!protocol.tracks.some((t) => t.id === id)) throw new ForecastInputError(`schedule names unknown track "${id}" (tracks: ${protocol.tracks.map((t) => t.id).join(', ')})`);
      const list = typeof v === 'number' ? [v] : v;
      if (list.length === 0) throw new ForecastInputError(`schedule for "${id}": give at least one number`);
      for (const n of list)
        if (!Number.isSafeInteger(n) || n < 0 || n > 50) throw new ForecastInputError(`schedule for "${id}": opportunities per week must be whole numbers from 0 to 50 (got ${String(n)})`);
    }
  }
  const pSuccess = curveArray('success', input.success, 1, weeks);
  const pAttend = curveArray('attendance', input.attendance, 1, weeks);
  const pBonus = curveArray('bonusSuccess', input.bonusSuccess, 1, weeks);
  const schedule = completeSchedule(protocol, input.schedule);
  const analytic = analyseCost(protocol, { schedule, weeks, start });

  // ----- compile tracks (privilege tracks cost nothing and are skipped) -----
  const escs: ResolvedEscalation[] = [];
  const trackIds: number[] = [];
  const tPayoutDraws: number[] = [];
  const tExcuseMissed: number[] = [];
  const tExtras: number[][] = [];
  interface Opp {
    day: number;
    track: number;
    week: number;
    esc: number;
    k: number;
  }
  const opps: Opp[] = [];
  protocol.tracks.forEach((t, ti) => {
    if (t.payout === 'privilege') return;
    const local = trackIds.length;
    trackIds.push(ti);
    tPayoutDraws.push(t.payout === 'draws' ? 1 : 0);
    tExcuseMissed.push(t.missed === 'excused' ? 1 : 0);
    tExtras.push((t.bonusTargets ?? []).map((b) => b.extra));
    const escBase = escs.length;
    for (const ph of t.phases) escs.push(resolveEscalation(ph.escalation));
    const entry = schedule[t.id];
    for (let w = 1; w <= weeks; w++) {
      const ph = phaseIndexForWeek(t.phases, w);
      if (ph < 0) continue;
      const n = perWeekAt(entry, w);
      for (let k = 0; k < n; k++) opps.push({ day: (w - 1) * 7 + Math.floor((k * 7) / n), track: local, week: w, esc: escBase + ph, k: opps.length });
    }
  });
  opps.sort((x, y) => x.day - y.day || x.track - y.track || x.k - y.k);
  const nOpp = opps.length;
  const oTrack = new Int32Array(nOpp);
  const oWeek = new Int32Array(nOpp);
  const oEsc = new Int32Array(nOpp);
  const oMonth = new Int32Array(nOpp);
  const oYear = new Int32Array(nOpp);
  const d0 = new Date(t0);
  const y0 = d0.getUTCFullYear();
  const m0 = d0.getUTCMonth();
  let nMonths = 1;
  let nYears = 1;
  for (let i = 0; i < nOpp; i++) {
    const o = opps[i]!;
    oTrack[i] = o.track;
    oWeek[i] = o.week;
    oEsc[i] = o.esc;
    const d = new Date(t0 + o.day * DAY_MS);
    const yi = d.getUTCFullYear() - y0;
    const mi = yi * 12 + d.getUTCMonth() - m0;
    oYear[i] = yi;
    oMonth[i] = mi;
    if (mi + 1 > nMonths) nMonths = mi + 1;
    if (yi + 1 > nYears) nYears = yi + 1;
  }
  const nTracks = trackIds.length;
  const payDraws = Int32Array.from(tPayoutDraws);
  const excuseMissed = Int32Array.from(tExcuseMissed);
  const runs: RunState[] = [];
  for (let t = 0; t < nTracks; t++) runs.push(newRun());

  // ----- bowl -----
  const slips = protocol.bowl?.slips ?? [];
  let T = 0;
  for (const s of slips) T += s.count;
  const cumulative = new Float64Array(slips.length);
  const slipValues = new Float64Array(slips.length);
  {
    let c = 0;
    slips.forEach((s, i) => {
      c += s.count;
      cumulative[i] = c;
      slipValues[i] = s.valueCents;
    });
  }
  const useTable = T > 0 && T <= 1 << 20;
  const valueTable = new Float64Array(useTable ? T : 0);
  if (useTable) {
    let j = 0;
    slips.forEach((s) => {
      for (let k = 0; k < s.count; k++) valueTable[j++] = s.valueCents;
    });
  }
  const drawValue = (u: number): number => {
    if (useTable) return valueTable[Math.floor(u * T)]!;
    const r = Math.floor(u * T);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return slipValues[lo]!;
  };

  // ----- caps -----
  const caps = protocol.caps ?? null;
  const capItem = caps?.perItemCents ?? -1;
  const capTotal = caps?.totalCents ?? -1;
  const capMonth = caps?.perMonthCents ?? -1;
  const capYear = caps?.perYearCents ?? -1;
  const capsActive = capItem >= 0 || capTotal >= 0 || capMonth >= 0 || capYear >= 0;
  const monthUsed = new Float64Array(nMonths);
  const yearUsed = new Float64Array(nYears);

  // ----- simulate -----
  const rng = new Sfc32(seed);
  const cost = new Float64Array(total);
  const programmeTotals = new Float64Array(iterations);
  let sumVoucher = 0;
  let sumPrize = 0;
  let sumDraws = 0;
  let hitItem = 0;
  let hitTotal = 0;
  let hitMonth = 0;
  let hitYear = 0;
  const progress = input.onProgress;
  const chunk = Math.max(1, Math.floor(total / 100));
  let nextReport = chunk;

  for (let pi = 0; pi < total; pi++) {
    for (let t = 0; t < nTracks; t++) {
      const r = runs[t]!;
      r.s = 0;
      r.L = 0;
      r.last = 0;
    }
    if (capsActive) {
      monthUsed.fill(0);
      yearUsed.fill(0);
    }
    let paidTotal = 0;
    let voucher = 0;
    let prize = 0;
    let draws = 0;
    let flags = 0;
    for (let i = 0; i < nOpp; i++) {
      const t = oTrack[i]!;
      const w = oWeek[i]!;
      const run = runs[t]!;
      const pa = pAttend[w]!;
      if (pa < 1 && !(rng.next() < pa)) {
        if (excuseMissed[t] === 0) fail(run);
        continue;
      }
      const ps = pSuccess[w]!;
      if (ps < 1 && !(ps > 0 && rng.next() < ps)) {
        fail(run);
        continue;
      }
      const esc = escs[oEsc[i]!]!;
      const level = succeed(run, esc.recoverAfter);
      let extra = 0;
      const extras = tExtras[t]!;
      if (extras.length > 0) {
        const pb = pBonus[w]!;
        for (let b = 0; b < extras.length; b++) if (pb >= 1 || (pb > 0 && rng.next() < pb)) extra += extras[b]!;
      }
      const base = baseOf(esc, level) + extra;
      const bonus = bonusOf(esc, run.s);
      if (payDraws[t] === 0) {
        if (!capsActive) {
          voucher += base + bonus;
          paidTotal += base + bonus;
          continue;
        }
        const mi = oMonth[i]!;
        const yi = oYear[i]!;
        // earn then bonus, each cut like the ledger: item room, total, month, year
        let earn = base;
        for (let part = 0; part < 2; part++) {
          let amount = part === 0 ? base : bonus;
          if (amount <= 0) continue;
          if (capItem >= 0) {
            const room = part === 0 ? capItem : capItem - earn;
            if (amount > room) {
              amount = room > 0 ? room : 0;
              flags |= F_ITEM;
            }
          }
          if (capTotal >= 0 && amount > capTotal - paidTotal) {
            const room = capTotal - paidTotal;
            amount = room > 0 ? room : 0;
            flags |= F_TOTAL;
          }
          if (capMonth >= 0 && amount > capMonth - monthUsed[mi]!) {
            const room = capMonth - monthUsed[mi]!;
            amount = room > 0 ? room : 0;
            flags |= F_MONTH;
          }
          if (capYear >= 0 && amount > capYear - yearUsed[yi]!) {
            const room = capYear - yearUsed[yi]!;
            amount = room > 0 ? room : 0;
            flags |= F_YEAR;
          }
          if (part === 0) earn = amount;
          paidTotal += amount;
          voucher += amount;
          monthUsed[mi] = monthUsed[mi]! + amount;
          yearUsed[yi] = yearUsed[yi]! + amount;
        }
      } else {
        const n = base + bonus;
        draws += n;
        if (!capsActive) {
          for (let d = 0; d < n; d++) prize += drawValue(rng.next());
          continue;
        }
        const mi = oMonth[i]!;
        const yi = oYear[i]!;
        for (let d = 0; d < n; d++) {
          const v = drawValue(rng.next());
          if (v <= 0) continue;
          // all or nothing: the first cap it would pass stops it
          if (capItem >= 0 && v > capItem) {
            flags |= F_ITEM;
            continue;
          }
          if (capTotal >= 0 && v > capTotal - paidTotal) {
            flags |= F_TOTAL;
            continue;
          }
          if (capMonth >= 0 && v > capMonth - monthUsed[mi]!) {
            flags |= F_MONTH;
            continue;
          }
          if (capYear >= 0 && v > capYear - yearUsed[yi]!) {
            flags |= F_YEAR;
            continue;
          }
          prize += v;
          paidTotal += v;
          monthUsed[mi] = monthUsed[mi]! + v;
          yearUsed[yi] = yearUsed[yi]! + v;
        }
      }
    }
    const c = voucher + prize;
    cost[pi] = c;
    const it = Math.floor(pi / patients);
    programmeTotals[it] = programmeTotals[it]! + c;
    sumVoucher += voucher;
    sumPrize += prize;
    sumDraws += draws;
    if (flags !== 0) {
      if (flags & F_ITEM) hitItem++;
      if (flags & F_TOTAL) hitTotal++;
      if (flags & F_MONTH) hitMonth++;
      if (flags & F_YEAR) hitYear++;
    }
    if (progress && pi + 1 >= nextReport) {
      progress((pi + 1) / total);
      nextReport += chunk;
    }
  }

  const per = distribution(cost);
  let programme: ForecastResult['programme'];
  if (iterations >= 100) {
    const d = distribution(programmeTotals);
    programme = { meanCents: d.meanCents, p50Cents: d.p50Cents, p90Cents: d.p90Cents, p99Cents: d.p99Cents, method: 'simulation' };
  } else {
    const mean = per.meanCents * patients;
    const sd = per.sdCents * Math.sqrt(patients);
    const hi = analytic.maxCents * patients;
    const clip = (v: number): number => (v < 0 ? 0 : v > hi ? hi : v);
    programme = { meanCents: mean, p50Cents: clip(mean), p90Cents: clip(mean + Z90 * sd), p99Cents: clip(mean + Z99 * sd), method: 'normal-approximation' };
  }
  const prob = (hits: number, on: boolean): number | null => (on ? hits / total : null);
  return {
    patients,
    iterations,
    simulatedPatients: total,
    weeks,
    seed,
    perPatient: { ...per, meanVoucherCents: sumVoucher / total, meanPrizeCents: sumPrize / total, meanDraws: sumDraws / total },
    programme,
    meanDraws: sumDraws / total,
    capHitProbability: {
      perItem: prob(hitItem, capItem >= 0),
      total: prob(hitTotal, capTotal >= 0),
      perMonth: prob(hitMonth, capMonth >= 0),
      perYear: prob(hitYear, capYear >= 0),
    },
    analytic,
  };
}
