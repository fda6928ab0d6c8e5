// Screens (drug and alcohol tests of every patient, in CM or not): query keys and reads in
// one place. Anything that records or corrects a screen invalidates screensKey(programme).
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

/** ['screens', programme] covers every screen read of the programme; add the patient for one patient's. */
export const screensKey = (programId: string | undefined, patientId?: string) =>
  (patientId === undefined ? ['screens', programId] : ['screens', programId, 'patient', patientId]) as readonly unknown[];

/** A patient's screens over time, newest first, with the results in effect. */
export function usePatientScreens(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: screensKey(program?.id, patientId), queryFn: () => api.patientScreens(patientId) });
}
