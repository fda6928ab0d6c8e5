// Brief Addiction Monitor (BAM-R, VA), 17 items (item 7 has parts 7A–7G), items coded 0–4.
// use = 4+5+6, risk = 1+2+3+8+11+15, protective = 9+10+12+13+14+16; 7 and 17 unscored.
import { INSTRUMENT_DEFS, parseAnswers, sumOf } from './items.ts';
import type { Alert, ScoreResult } from './types.ts';

export const BAM_SUBSCALES = {
  use: ['4', '5', '6'],
  risk: ['1', '2', '3', '8', '11', '15'],
  protective: ['9', '10', '12', '13', '14', '16'],
} as const;

/** Subscale thresholds flagged for clinical attention in the BAM-R clinical guidance. */
export const BAM_THRESHOLDS = { useAtLeast: 1, riskAtLeast: 12, protectiveAtMost: 12 } as const;

export function scoreBam(input: unknown): ScoreResult {
  const def = INSTRUMENT_DEFS.bam;
  const parsed = parseAnswers(def, input);
  const scores = {
    use: sumOf(def, parsed, BAM_SUBSCALES.use),
    risk: sumOf(def, parsed, BAM_SUBSCALES.risk),
    protective: sumOf(def, parsed, BAM_SUBSCALES.protective),
  };
  const alerts: Alert[] = [];
  if (scores.use !== null && scores.use >= BAM_THRESHOLDS.useAtLeast) {
    alerts.push({
      code: 'bam-use',
      severity: 'warning',
      text: `BAM use score ${scores.use} (of 12): any alcohol or drug use in the past 30 days. Review items 4–7 with the patient and adjust the plan together.`,
    });
  }
  if (scores.risk !== null && scores.risk >= BAM_THRESHOLDS.riskAtLeast) {
    alerts.push({
      code: 'bam-risk-high',
      severity: 'warning',
      text: `BAM risk score ${scores.risk} (of 24) is 12 or more: review physical health, sleep, mood, craving, risky situations and family or social conflict (items 1, 2, 3, 8, 11, 15).`,
    });
  }
  if (scores.protective !== null && scores.protective <= BAM_THRESHOLDS.protectiveAtMost) {
    alerts.push({
      code: 'bam-protective-low',
      severity: 'warning',
      text: `BAM protective score ${scores.protective} (of 24) is 12 or less: look at confidence, mutual-help attendance, spirituality, work or school, income and supportive contacts (items 9, 10, 12, 13, 14, 16).`,
    });
  }
  return { instrument: 'bam', complete: parsed.missing.length === 0, missing: parsed.missing, scores, alerts };
}
