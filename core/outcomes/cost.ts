// CM: cost and fairness (issue 17, docs/outcomes.md "CM: cost and fairness"). For the CM
// enrolments of a period: what each funding source paid (earned: money credited to patients,
// net of voids, as core/cm/ledger.ts paidCents counts it; redeemed: what was handed out for it)
// against its budget and caps; the cost per patient enrolled, per negative CM screen and per
// week in treatment; and, for the draws shown to patients, whether the prize tiers drawn match
// what the protocol's bowl expects (a chi-square goodness-of-fit test). Pure: no I/O. A figure
// whose denominator or source is missing is null ("not recorded"), never 0.
import { balanceCents, paidCents, type LedgerEntry } from '../cm/ledger.ts';
import { expectedValueCents } from '../cm/draws.ts';
import type { Bowl } from '../cm/draw-slip.ts';

// ---------- spend ----------

/** What one enrolment's ledger adds up to (the engine's rules, voided entries left out). */
export type EnrolmentMoney = {
  /** Money paid to the patient (credits − debits, core/cm/ledger.ts paidCents): what was earned, forgiven money included, pending never. */
  earnedCents: number;
  /** Of it, what the patient redeemed (paid − balance: redemptions at their cost). */
  redeemedCents: number;
  /** A cap (CM-SPEC §6) cut one of its entries, or stopped one of its prizes. */
  capped: boolean;
};

/** One enrolment's money from its ledger entries (one enrolment's: voids name entries by their enrolment-scoped key). */
export function enrolmentMoney(entries: readonly LedgerEntry[]): EnrolmentMoney {
  const earned = paidCents(entries);
  const voided = new Set(entries.filter((e) => e.kind === 'void' && e.voids !== undefined).map((e) => e.voids));
  return {
    earnedCents: earned,
    redeemedCents: earned - balanceCents(entries),
    capped: entries.some((e) => e.kind !== 'void' && !voided.has(e.id) && e.capped !== null),
  };
}

export type FundingSourceFacts = { id: string; name: string; budgetCents: number | null; capsPreset: string | null; perYearCents: number | null };

export type SourceSpend = {
  /** null: the enrolments with no funding source. */
  fundingSourceId: string | null;
  name: string | null;
  enrolments: number;
  earnedCents: number;
  redeemedCents: number;
  /** null when the source has no budget recorded (or for enrolments with no source). */
  budgetCents: number | null;
  remainingCents: number | null;
  percentUsed: number | null;
  capsPreset: string | null;
  perYearCents: number | null;
  /** Enrolments with at least one entry a cap cut (or a prize a cap stopped). */
  enrolmentsCapped: number;
};

/**
 * Spend per funding source: every source of the programme (in the order given), then, when
 * some enrolments have none, a row for them. The budget is the source's whole budget; the
 * spend is that of the enrolments counted.
 */
export function spendBySource(sources: readonly FundingSourceFacts[], enrolments: ReadonlyArray<{ fundingSourceId: string | null; money: EnrolmentMoney }>): SourceSpend[] {
  const known = new Set(sources.map((s) => s.id));
  const row = (fundingSourceId: string | null, src: FundingSourceFacts | null): SourceSpend => {
    const mine = enrolments.filter((e) => (fundingSourceId === null ? e.fundingSourceId === null || !known.has(e.fundingSourceId) : e.fundingSourceId === fundingSourceId));
    const earnedCents = mine.reduce((a, e) => a + e.money.earnedCents, 0);
    const budget = src?.budgetCents ?? null;
    return {
      fundingSourceId,
      name: src?.name ?? null,
      enrolments: mine.length,
      earnedCents,
      redeemedCents: mine.reduce((a, e) => a + e.money.redeemedCents, 0),
      budgetCents: budget,
      remainingCents: budget === null ? null : budget - earnedCents,
      percentUsed: budget === null || budget === 0 ? null : (100 * earnedCents) / budget,
      capsPreset: src?.capsPreset ?? null,
      perYearCents: src?.perYearCents ?? null,
      enrolmentsCapped: mine.filter((e) => e.money.capped).length,
    };
  };
  const out = sources.map((s) => row(s.id, s));
  if (enrolments.some((e) => e.fundingSourceId === null || !known.has(e.fundingSourceId))) out.push(row(null, null));
  return out;
}

// ---------- cost per unit ----------

export type CostFigures = {
  earnedCents: number;
  patients: number;
  negativeScreens: number;
  /** Days in treatment of the CM-enrolled admissions, and the same in weeks (days ÷ 7, unrounded). */
  retainedDays: number;
  retainedWeeks: number;
  perPatientCents: number | null;
  perNegativeScreenCents: number | null;
  perRetainedWeekCents: number | null;
};

const per = (cents: number, n: number) => (n > 0 ? cents / n : null);

/**
 * What the CM cost per patient enrolled, per negative CM screen and per week in treatment
 * (`retainedDays`: the days in treatment of the CM-enrolled admissions, core/outcomes/survival.ts
 * spellOf); null when the denominator is 0.
 */
export function costFigures(earnedCents: number, patients: number, negativeScreens: number, retainedDays: number): CostFigures {
  return {
    earnedCents,
    patients,
    negativeScreens,
    retainedDays,
    retainedWeeks: retainedDays / 7,
    perPatientCents: per(earnedCents, patients),
    perNegativeScreenCents: per(earnedCents, negativeScreens),
    perRetainedWeekCents: per(earnedCents * 7, retainedDays),
  };
}

// ---------- fairness ----------

/** Below this expected count in any tier, the chi-square approximation is not reliable (Cochran's rule). */
export const MIN_EXPECTED = 5;

export type TierCount = { tier: string; label: string | null; valueCents: number; probability: number; expected: number; observed: number };

export type Fairness = {
  draws: number;
  tiers: TierCount[];
  /** Draws whose tier the bowl does not list (should never happen; counted, not tested). */
  unknownTier: number;
  /** The bowl's expected value of one draw, cents: Σ count·value ÷ Σ count (CM-SPEC §3). */
  expectedValueCents: number;
  /** Mean of the bowl values of the tiers drawn; null without draws. */
  observedMeanCents: number | null;
  /** Σ (observed − expected)² ÷ expected over the tiers; null without draws or with one tier. */
  chiSquare: number | null;
  degreesOfFreedom: number | null;
  /** P(χ² ≥ statistic); null when the test is not reliable or cannot be made. */
  pValue: number | null;
  /** Every tier expects at least MIN_EXPECTED draws. */
  reliable: boolean;
};

/** The bowl's tiers (slips of the same tier merged, in bowl order) with their probability of being drawn. */
function tiersOf(bowl: Bowl) {
  const total = bowl.slips.reduce((a, s) => a + s.count, 0);
  const byTier = new Map<string, { tier: string; label: string | null; valueCents: number; count: number; value: number }>();
  for (const s of bowl.slips) {
    const t = byTier.get(s.tier) ?? { tier: s.tier, label: s.label ?? null, valueCents: s.valueCents, count: 0, value: 0 };
    t.count += s.count;
    t.value += s.count * s.valueCents;
    byTier.set(s.tier, t);
  }
  // a tier listed twice with different values: its value is the mean over its slips
  return [...byTier.values()].map((t) => ({ tier: t.tier, label: t.label, valueCents: t.count === 0 ? t.valueCents : t.value / t.count, probability: total === 0 ? 0 : t.count / total }));
}

/** The tiers drawn against what the bowl expects for as many draws, with a chi-square goodness-of-fit test. */
export function fairness(bowl: Bowl, drawnTiers: readonly string[]): Fairness {
  const counts = new Map<string, number>();
  for (const t of drawnTiers) counts.set(t, (counts.get(t) ?? 0) + 1);
  const bowlTiers = tiersOf(bowl);
  const draws = bowlTiers.reduce((a, t) => a + (counts.get(t.tier) ?? 0), 0);
  const tiers: TierCount[] = bowlTiers.map((t) => ({ ...t, expected: draws * t.probability, observed: counts.get(t.tier) ?? 0 }));
  const df = tiers.length - 1;
  let chi: number | null = null;
  if (draws > 0 && df > 0) {
    chi = 0;
    for (const t of tiers) chi += ((t.observed - t.expected) * (t.observed - t.expected)) / t.expected;
  }
  const reliable = chi !== null && tiers.every((t) => t.expected >= MIN_EXPECTED);
  return {
    draws,
    tiers,
    unknownTier: drawnTiers.length - draws,
    expectedValueCents: expectedValueCents(bowl),
    observedMeanCents: draws === 0 ? null : tiers.reduce((a, t) => a + t.observed * t.valueCents, 0) / draws,
    chiSquare: chi,
    degreesOfFreedom: chi === null ? null : df,
    pValue: chi !== null && reliable ? chiSquareSurvival(chi, df) : null,
    reliable,
  };
}

// ---------- the chi-square distribution ----------

/** ln Γ(a) for a positive multiple of ½ (what a chi-square needs: a = df / 2), exactly: Γ(1) = 1, Γ(½) = √π, Γ(a) = (a − 1) Γ(a − 1). */
export function lnGammaHalf(a: number): number {
  if (!(a > 0) || !Number.isInteger(2 * a)) throw new Error(`lnGammaHalf needs a positive multiple of 1/2, got ${a}`);
  let out = Number.isInteger(a) ? 0 : 0.5 * Math.log(Math.PI);
  for (let k = Number.isInteger(a) ? 1 : 0.5; k < a; k++) out += Math.log(k);
  return out;
}

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma function (a a multiple of ½): the series for
 * P when x < a + 1, else Lentz's continued fraction for Q (Numerical Recipes §6.2).
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGammaHalf(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 1000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}

/** P(X ≥ x) for X ~ χ² with `df` degrees of freedom: Q(df/2, x/2). */
export const chiSquareSurvival = (x: number, df: number) => gammaQ(df / 2, x / 2);
