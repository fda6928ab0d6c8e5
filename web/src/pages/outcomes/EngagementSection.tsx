// Placeholder: filled in by the outcomes work (issue 17).
import type { CohortT } from '../../queries/outcomes.ts';

export function EngagementSection(_props: { from: string; to: string; cohort: CohortT }) {
  return null;
}
