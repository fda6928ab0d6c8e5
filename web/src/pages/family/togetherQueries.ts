// Couples and network therapy on the staff console (issue 16): query keys, reads and writes for a
// patient's recovery contracts and calendar, network members, meetings and witnessed doses.
// Every write refreshes the patient's together queries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as T from '../../../../contracts/together.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

export type ContractT = z.infer<typeof T.RecoveryContract>;
export type ContractCreateT = z.input<typeof T.ContractCreate>;
export type CalendarT = z.infer<typeof T.ContractCalendar>;
export type CalendarDayT = CalendarT['days'][number];
export type NetworkMemberT = z.infer<typeof T.NetworkMember>;
export type NetworkMemberCreateT = z.input<typeof T.NetworkMemberCreate>;
export type NetworkMeetingT = z.infer<typeof T.NetworkMeeting>;
export type NetworkMeetingCreateT = z.input<typeof T.NetworkMeetingCreate>;
export type DoseListT = z.infer<typeof T.DoseList>;
export type DoseCreateT = z.input<typeof T.DoseCreate>;

const enc = encodeURIComponent;
const base = (patientId: string) => `/patients/${enc(patientId)}`;
const keyOf = (programId: string | undefined, patientId: string, ...rest: string[]) => ['together', programId, patientId, ...rest] as const;

function useKey(patientId: string) {
  const { program } = useSession();
  return (...rest: string[]) => keyOf(program?.id, patientId, ...rest);
}

export function useContracts(patientId: string) {
  const key = useKey(patientId);
  return useQuery({ queryKey: key('contracts'), queryFn: () => json<{ items: ContractT[] }>(`${base(patientId)}/recovery-contracts`) });
}

export function useCalendar(patientId: string, contractId: string | null, month: string) {
  const key = useKey(patientId);
  return useQuery({
    queryKey: key('calendar', contractId ?? '', month),
    queryFn: () => json<CalendarT>(`${base(patientId)}/recovery-contracts/${enc(contractId!)}/calendar`, { query: { month } }),
    enabled: !!contractId,
  });
}

export function useNetworkMembers(patientId: string) {
  const key = useKey(patientId);
  return useQuery({ queryKey: key('members'), queryFn: () => json<{ items: NetworkMemberT[] }>(`${base(patientId)}/network-members`) });
}

export function useNetworkMeetings(patientId: string) {
  const key = useKey(patientId);
  return useQuery({ queryKey: key('meetings'), queryFn: () => json<{ items: NetworkMeetingT[] }>(`${base(patientId)}/network-meetings`) });
}

export function useWitnessedDoses(patientId: string) {
  const key = useKey(patientId);
  return useQuery({ queryKey: key('doses'), queryFn: () => json<DoseListT>(`${base(patientId)}/witnessed-doses`) });
}

function useWrite<I, O>(patientId: string, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: keyOf(program?.id, patientId) }) });
}

export const useCreateContract = (patientId: string) => useWrite(patientId, (body: ContractCreateT) => json<ContractT>(`${base(patientId)}/recovery-contracts`, { body }));
export const useEndContract = (patientId: string) => useWrite(patientId, (id: string) => json<ContractT>(`${base(patientId)}/recovery-contracts/${enc(id)}/end`, { method: 'POST' }));
export const useRecordDay = (patientId: string) =>
  useWrite(patientId, ({ id, day, held, medicationWitnessed }: { id: string; day: string; held: boolean; medicationWitnessed?: boolean | null }) =>
    json(`${base(patientId)}/recovery-contracts/${enc(id)}/days/${enc(day)}`, { method: 'PUT', body: { held, ...(medicationWitnessed === undefined ? {} : { medicationWitnessed }) } }),
  );
export const useAddNetworkMember = (patientId: string) => useWrite(patientId, (body: NetworkMemberCreateT) => json<{ items: NetworkMemberT[] }>(`${base(patientId)}/network-members`, { body }));
export const useLeaveNetwork = (patientId: string) => useWrite(patientId, (id: string) => json<{ items: NetworkMemberT[] }>(`${base(patientId)}/network-members/${enc(id)}/leave`, { body: {} }));
export const useRecordMeeting = (patientId: string) => useWrite(patientId, (body: NetworkMeetingCreateT) => json<{ items: NetworkMeetingT[] }>(`${base(patientId)}/network-meetings`, { body }));
export const useRecordDose = (patientId: string) => useWrite(patientId, (body: DoseCreateT) => json<DoseListT>(`${base(patientId)}/witnessed-doses`, { body }));
