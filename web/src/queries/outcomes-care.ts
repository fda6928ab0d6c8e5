// Care outcomes (issue 17): attendance, counselling compliance, medication adherence and stage of
// change for the admissions of a period, by cohort — the query key and read in one place
// (read-only: nothing to invalidate).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type * as C from '../../../contracts/outcomes-care.ts';
import { json } from '../api.ts';
import { useSession } from '../session.tsx';
import type { CohortT } from './outcomes.ts';

export type CareOutcomesT = C.CareOutcomes;
export type CareCohortT = CareOutcomesT['cohorts'][number];

export function useCareOutcomes(from: string, to: string, cohort: CohortT) {
  const { program } = useSession();
  return useQuery({
    queryKey: ['outcomes', program?.id, 'care', from, to, cohort] as const,
    queryFn: () => json<CareOutcomesT>('/outcomes/care', { query: { from, to, cohort } }),
    placeholderData: keepPreviousData,
  });
}
