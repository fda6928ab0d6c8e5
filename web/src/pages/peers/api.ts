// The console's peer outreach calls (issue 15, docs/peers.md): the work list, a referral, new
// referrals, attempts, outcomes, closing, escalations and the schedule settings.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as P from '../../../../contracts/peers.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

export type SummaryT = z.infer<typeof P.ReferralSummary>;
export type DetailT = z.infer<typeof P.ReferralDetail>;
export type SettingsT = z.infer<typeof P.Settings>;
export type EscalationT = z.infer<typeof P.Escalation>;
export type View = 'today' | 'overdue' | 'escalated' | 'open' | 'closed';

const key = (programId: string | undefined, ...rest: Array<string | boolean | null>) => ['peers', programId, ...rest] as const;

export function useWorkList(view: View, mine: boolean) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: key(program?.id, 'list', view, mine),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => json<{ items: SummaryT[]; nextCursor: string | null }>('/peer-outreach/referrals', { query: { view, mine: String(mine), limit: 50, cursor: pageParam } }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** A patient's referrals, open and closed (the patient page's card); the read is audited for the patient. */
export function usePatientReferrals(patientId: string) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: key(program?.id, 'patient', patientId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => json<{ items: SummaryT[]; nextCursor: string | null }>('/peer-outreach/referrals', { query: { view: 'all', patientId, limit: 20, cursor: pageParam } }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useEscalations(enabled: boolean) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: key(program?.id, 'escalations'),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => json<{ items: EscalationT[]; nextCursor: string | null }>('/peer-outreach/escalations', { query: { limit: 50, cursor: pageParam } }),
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useReferral(id: string) {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'referral', id), queryFn: () => json<DetailT>(`/peer-outreach/referrals/${id}`) });
}

export function useSettings() {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'settings'), queryFn: () => json<SettingsT>('/peer-outreach/settings') });
}

/** A write to the referrals; the lists and the referral are read again after it. */
export function usePeerWrite<B>(path: string, method: 'POST' | 'PUT' = 'POST') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => json<DetailT>(path, { method, body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['peers'] }),
  });
}
