// Encounters: the day's schedule, one visit, weekly groups, visit types and rooms — query
// keys and mutations in one place. A change to a visit updates its own entry and refreshes
// the schedule and the groups (encountersKey(programme) covers them all).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type AttendanceCreateT, type EncounterCreateT, type EncounterT, type GroupSeriesCreateT, type GroupSeriesT } from '../api.ts';
import { useSession } from '../session.tsx';

export const encountersKey = (programId: string | undefined) => ['encounters', programId] as const;
const scheduleKey = (programId: string | undefined, date: string, staffId?: string) => ['encounters', programId, 'schedule', date, staffId ?? 'all'] as const;
const encounterKey = (programId: string | undefined, id: string) => ['encounters', programId, 'visit', id] as const;
const seriesKey = (programId: string | undefined, id: string) => ['encounters', programId, 'series', id] as const;

/** The day's schedule (refreshed every 30 s: the front desk and the counsellors work it together). */
export function useSchedule(date: string, staffId?: string) {
  const { program } = useSession();
  return useQuery({ queryKey: scheduleKey(program?.id, date, staffId), queryFn: () => api.schedule({ date, staffId }), refetchInterval: 30_000 });
}

export function useEncounter(id: string) {
  const { program } = useSession();
  return useQuery({ queryKey: encounterKey(program?.id, id), queryFn: () => api.encounter(id) });
}

export function useEncounterTypes() {
  const { program } = useSession();
  return useQuery({ queryKey: ['encounters', program?.id, 'types'], queryFn: async () => (await api.encounterTypes()).items, staleTime: 60_000 });
}

export function useRooms() {
  const { program } = useSession();
  return useQuery({ queryKey: ['encounters', program?.id, 'rooms'], queryFn: async () => (await api.rooms()).items, staleTime: 60_000 });
}

export function useGroupSeriesList() {
  const { program } = useSession();
  return useQuery({ queryKey: ['encounters', program?.id, 'series-list'], queryFn: async () => (await api.groupSeriesList()).items });
}

export function useGroupSeries(id: string) {
  const { program } = useSession();
  return useQuery({ queryKey: seriesKey(program?.id, id), queryFn: () => api.groupSeries(id) });
}

export function usePatientEncounters(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: ['encounters', program?.id, 'patient', patientId], queryFn: () => api.patientEncounters(patientId) });
}

/** A mutation that refreshes everything about encounters when it succeeds, after `then` has put its answer in place. */
function useEncounterMutation<I, O>(fn: (input: I) => Promise<O>, then?: (out: O, qc: ReturnType<typeof useQueryClient>, programId: string | undefined) => void) {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (out) => {
      then?.(out, qc, program?.id);
      void qc.invalidateQueries({ queryKey: encountersKey(program?.id) });
    },
  });
}

const putVisit = (v: EncounterT, qc: ReturnType<typeof useQueryClient>, programId: string | undefined) => qc.setQueryData(encounterKey(programId, v.id), v);
const putSeries = (s: GroupSeriesT, qc: ReturnType<typeof useQueryClient>, programId: string | undefined) => qc.setQueryData(seriesKey(programId, s.id), s);

/** Book a visit; the key is made once per form (a double click books once). */
export const useBookEncounter = () => useEncounterMutation((x: { body: EncounterCreateT; key: string }) => api.bookEncounter(x.body, x.key), putVisit);
export const useRescheduleEncounter = (id: string) => useEncounterMutation((body: Parameters<typeof api.rescheduleEncounter>[1]) => api.rescheduleEncounter(id, body), putVisit);
export const useCancelEncounter = (id: string) => useEncounterMutation((body: Parameters<typeof api.cancelEncounter>[1]) => api.cancelEncounter(id, body), putVisit);
export const useAddParticipant = (id: string) => useEncounterMutation((patientId: string) => api.addParticipant(id, patientId), putVisit);
export const useRecordArrival = () => useEncounterMutation((x: { encounterId: string; patientId: string }) => api.recordArrival(x.encounterId, x.patientId));
export const useRecordAttendance = (id: string) =>
  useEncounterMutation(
    (x: { body: AttendanceCreateT; key: string }) => api.recordAttendance(id, x.body, x.key),
    (out, qc, programId) => putVisit(out.encounter, qc, programId),
  );
export const useCreateGroupSeries = () => useEncounterMutation((x: { body: GroupSeriesCreateT; key: string }) => api.createGroupSeries(x.body, x.key), putSeries);
export const useAddToRoster = (id: string) => useEncounterMutation((patientId: string) => api.addToRoster(id, patientId), putSeries);
export const useRemoveFromRoster = (id: string) => useEncounterMutation((x: { patientId: string; reason: string }) => api.removeFromRoster(id, x.patientId, x.reason), putSeries);
export const useCreateEncounterType = () => useEncounterMutation(api.createEncounterType);
export const useCreateRoom = () => useEncounterMutation(api.createRoom);
