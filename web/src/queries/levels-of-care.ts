// Levels of care and medication visits (ADR 044): a patient's stays, take-home schedule and
// naltrexone injections, the injections-due work list — query keys, reads and writes in one
// place. Every write refreshes the patient's levels of care and the work list.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as L from '../../../contracts/levels-of-care.ts';
import { everyPage, json } from '../api.ts';
import { useSession } from '../session.tsx';

export type PatientLevelsOfCareT = z.infer<typeof L.PatientLevelsOfCare>;
export type StayT = z.infer<typeof L.Stay>;
export type InjectionsDueT = z.infer<typeof L.InjectionsDue>;
export type StartStayT = z.input<typeof L.StartStay>;
export type ChangePhaseT = z.input<typeof L.ChangePhase>;
export type EndStayT = z.input<typeof L.EndStay>;
export type RecordTakeHomeScheduleT = z.input<typeof L.RecordTakeHomeSchedule>;
export type RecordInjectionT = z.input<typeof L.RecordInjection>;

const enc = encodeURIComponent;
export const levelsOfCareKey = (programId: string | undefined, ...rest: string[]) => ['levels-of-care', programId, ...rest] as const;

export function usePatientLevelsOfCare(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: levelsOfCareKey(program?.id, 'patient', patientId), queryFn: () => json<PatientLevelsOfCareT>(`/patients/${enc(patientId)}/levels-of-care`) });
}

export function useInjectionsDue() {
  const { program } = useSession();
  return useQuery({ queryKey: levelsOfCareKey(program?.id, 'injections-due'), queryFn: () => everyPage<InjectionsDueT>('/levels-of-care/injections-due') });
}

/** A write about one patient; afterwards their levels of care and the work list are read again. */
function usePatientWrite<B, R>(patientId: string, call: (body: B) => Promise<R>) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: levelsOfCareKey(program?.id, 'patient', patientId) });
      await queryClient.invalidateQueries({ queryKey: levelsOfCareKey(program?.id, 'injections-due') });
    },
  });
}

export const useStartStay = (patientId: string) => usePatientWrite(patientId, (body: StartStayT) => json<StayT>(`/patients/${enc(patientId)}/stays`, { method: 'POST', body }));
export const useChangePhase = (patientId: string, stayId: string) =>
  usePatientWrite(patientId, (body: ChangePhaseT) => json<StayT>(`/patients/${enc(patientId)}/stays/${enc(stayId)}/phase-changes`, { method: 'POST', body }));
export const useEndStay = (patientId: string, stayId: string) =>
  usePatientWrite(patientId, (body: EndStayT) => json<StayT>(`/patients/${enc(patientId)}/stays/${enc(stayId)}/end`, { method: 'POST', body }));
/** Records are append-only: `idempotencyKey` (one per form) makes a double click or a retry record once. */
export const useRecordTakeHomeSchedule = (patientId: string, idempotencyKey: string) =>
  usePatientWrite(patientId, (body: RecordTakeHomeScheduleT) => json<unknown>(`/patients/${enc(patientId)}/take-home-schedules`, { method: 'POST', body, idempotencyKey }));
export const useRecordInjection = (patientId: string, idempotencyKey: string) =>
  usePatientWrite(patientId, (body: RecordInjectionT) => json<unknown>(`/patients/${enc(patientId)}/naltrexone-injections`, { method: 'POST', body, idempotencyKey }));
