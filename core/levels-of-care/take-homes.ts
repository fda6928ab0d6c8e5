// Take-home doses of opioid treatment medication (issue 14, ADR 044). The prescriber records a
// patient's schedule; the most take-home doses it may give depends on the time in treatment,
// by tiers a programme may configure (never above the federal rule: a programme can be
// stricter, not looser). The default is the 2024 federal OTP rule, 42 CFR 8.12(i)(3)
// (Medications for the Treatment of Opioid Use Disorder, 89 FR 7528, 2 Feb 2024): during
// the first 14 days of treatment up to 7 take-home doses, from day 15 up to 14, from day 31
// up to 28. Medication is never made contingent on counselling: nothing here reads it.

/** From `fromDay` (day 1 = the first day of treatment), at most `maxDoses` take-home doses. */
export type TakeHomeTier = { fromDay: number; maxDoses: number };

export const FEDERAL_TAKE_HOME_TIERS: readonly TakeHomeTier[] = [
  { fromDay: 1, maxDoses: 7 },
  { fromDay: 15, maxDoses: 14 },
  { fromDay: 31, maxDoses: 28 },
];
export const FEDERAL_CITATION = '42 CFR 8.12(i)(3), as amended 2 Feb 2024 (89 FR 7528)';

/** Day of treatment of `onDate` for a treatment that started on `startDate` (both local YYYY-MM-DD): the start is day 1. */
export function dayOfTreatment(startDate: string, onDate: string): number {
  return Math.round((Date.parse(`${onDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The most take-home doses the tiers allow on a day of treatment (0 before day 1). */
export function maxTakeHomeDoses(tiers: readonly TakeHomeTier[], day: number): number {
  let max = 0;
  for (const t of tiers) if (day >= t.fromDay) max = t.maxDoses;
  return max;
}

export type TierProblem = { field: string; message: string };

/**
 * What is wrong with a programme's tiers: they start on day 1, go up by day, and on no day
 * allow more than the federal rule does.
 */
export function tierProblems(tiers: readonly TakeHomeTier[]): TierProblem[] {
  const out: TierProblem[] = [];
  if (tiers.length === 0) return [{ field: 'takeHomeTiers', message: 'needs at least one tier' }];
  if (tiers[0]!.fromDay !== 1) out.push({ field: 'takeHomeTiers[0].fromDay', message: 'the first tier starts on day 1' });
  tiers.forEach((t, i) => {
    if (!Number.isInteger(t.fromDay) || t.fromDay < 1) out.push({ field: `takeHomeTiers[${i}].fromDay`, message: 'must be a whole number from 1' });
    if (!Number.isInteger(t.maxDoses) || t.maxDoses < 0) out.push({ field: `takeHomeTiers[${i}].maxDoses`, message: 'must be a whole number from 0' });
    if (i > 0 && t.fromDay <= tiers[i - 1]!.fromDay) out.push({ field: `takeHomeTiers[${i}].fromDay`, message: 'must be later than the tier before' });
    // the federal limit never falls as treatment goes on, so a tier within it on its first day is within it on all its days
    const federal = maxTakeHomeDoses(FEDERAL_TAKE_HOME_TIERS, t.fromDay);
    if (t.maxDoses > federal) out.push({ field: `takeHomeTiers[${i}].maxDoses`, message: `is more than the federal rule allows from day ${t.fromDay} (${federal})` });
  });
  return out;
}
