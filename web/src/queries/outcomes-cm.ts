// CM: cost and fairness (issue 17): the query key and read in one place (read-only: nothing to invalidate).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type * as O from '../../../contracts/outcomes-cm.ts';
import { json } from '../api.ts';
import { useSession } from '../session.tsx';

export type CmCostT = O.CmCost;
export type CmFairnessT = CmCostT['fairness'][number];

export function useCmCost(from: string, to: string) {
  const { program } = useSession();
  return useQuery({
    queryKey: ['outcomes', program?.id, 'cm', from, to] as const,
    queryFn: () => json<CmCostT>('/outcomes/cm', { query: { from, to } }),
    placeholderData: keepPreviousData,
  });
}
