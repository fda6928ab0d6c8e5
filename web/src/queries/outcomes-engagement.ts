// Engagement outcomes (issue 17): check-ins and skills modules by week since admission by cohort,
// and the peer referrals' outcomes — query keys and reads in one place (read-only: nothing to invalidate).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type * as E from '../../../contracts/outcomes-engagement.ts';
import { json } from '../api.ts';
import { useSession } from '../session.tsx';
import type { CohortT } from './outcomes.ts';

export type EngagementT = E.Engagement;
export type EngagementWeekT = E.Engagement['cohorts'][number]['checkIns']['weeks'][number];
export type PeerReferralOutcomesT = E.PeerReferralOutcomes;

const key = (programId: string | undefined, ...rest: Array<string>) => ['outcomes', programId, ...rest] as const;

export function useEngagement(from: string, to: string, cohort: CohortT) {
  const { program } = useSession();
  return useQuery({
    queryKey: key(program?.id, 'engagement', from, to, cohort),
    queryFn: () => json<EngagementT>('/outcomes/engagement', { query: { from, to, cohort } }),
    placeholderData: keepPreviousData,
  });
}

export function usePeerReferralOutcomes(from: string, to: string) {
  const { program } = useSession();
  return useQuery({
    queryKey: key(program?.id, 'peer-referrals', from, to),
    queryFn: () => json<PeerReferralOutcomesT>('/outcomes/peer-referrals', { query: { from, to } }),
    placeholderData: keepPreviousData,
  });
}
