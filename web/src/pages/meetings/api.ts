// The console's meeting directory calls (issue 15): search, a meeting's detail, manual entries
// and friendliness records (/api/v1/meetings).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as M from '../../../../contracts/meetings.ts';
import { json } from '../../api.ts';

export type SearchResultT = z.infer<typeof M.MeetingSearchResult>;
export type HitT = SearchResultT['items'][number];
export type DetailT = z.infer<typeof M.MeetingDetail>;
export type MeetingInputT = z.input<typeof M.MeetingInput>;
export type SearchParams = Record<string, string | number | undefined>;

export function useMeetingSearch(params: SearchParams | null) {
  return useQuery({
    queryKey: ['meetings', 'search', params],
    queryFn: () => json<SearchResultT>('/meetings', { query: params ?? {} }),
    enabled: params !== null,
  });
}

export function useMeetingDetail(id: string | null) {
  return useQuery({ queryKey: ['meetings', 'detail', id], queryFn: () => json<DetailT>(`/meetings/${id}`), enabled: id !== null });
}

export function useAddMeeting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MeetingInputT) => json<DetailT>('/meetings', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['meetings'] }),
  });
}

export function useRecordFriendliness(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof M.FriendlinessInput>) => json<DetailT>(`/meetings/${id}/friendliness`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['meetings'] }),
  });
}

/** Edit a manual entry (an imported one belongs to its feed: 400 imported_meeting). */
export function useUpdateMeeting(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MeetingInputT) => json<DetailT>(`/meetings/${id}`, { method: 'PUT', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['meetings'] }),
  });
}

/** Retire a manual entry: kept (attendance names it), no longer found. */
export function useRetireMeeting(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => json<DetailT>(`/meetings/${id}/retire`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['meetings'] }),
  });
}
