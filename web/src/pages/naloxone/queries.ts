// Naloxone, the staff side (issue 15): stock and alerts, kits given, a patient's kits and
// training, and the writes (receive a lot, give a kit, adjust a lot, settings). Writes refresh
// every naloxone query of the programme.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as N from '../../../../contracts/naloxone.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

export type StockT = z.infer<typeof N.Stock>;
export type LotT = z.infer<typeof N.Lot>;
export type KitT = z.infer<typeof N.Kit>;
export type KitPageT = z.infer<typeof N.KitPage>;
export type PatientNaloxoneT = z.infer<typeof N.PatientNaloxone>;
export type KitCreateT = z.input<typeof N.KitCreate>;
export type LotCreateT = z.input<typeof N.LotCreate>;
export type SettingsT = z.infer<typeof N.NaloxoneSettings>;
export type RecipientKind = KitT['recipientKind'];

const key = (programId: string | undefined, ...rest: Array<string | null>) => ['naloxone', programId, ...rest] as const;

export function useStock() {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'stock'), queryFn: () => json<StockT>('/naloxone/stock') });
}

export function useKits(kind: RecipientKind | null) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: key(program?.id, 'kits', kind),
    queryFn: ({ pageParam }) => json<KitPageT>('/naloxone/kits', { query: { kind: kind ?? undefined, cursor: pageParam ?? undefined, limit: 50 } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function usePatientNaloxone(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'patient', patientId), queryFn: () => json<PatientNaloxoneT>(`/patients/${encodeURIComponent(patientId)}/naloxone`) });
}

function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key(program?.id) }) });
}

export const useGiveKit = () => useWrite((body: KitCreateT) => json<KitT>('/naloxone/kits', { body }));
export const useReceiveLot = () => useWrite((body: LotCreateT) => json<LotT>('/naloxone/lots', { body }));
export const useSaveSettings = () => useWrite((body: SettingsT) => json<SettingsT>('/naloxone/settings', { method: 'PUT', body }));
export const useAdjustLot = () => useWrite((body: { lotId: string; delta: number; reason: 'count' | 'lost' | 'expired-discarded' | 'other' }) => json('/naloxone/adjustments', { body }));
