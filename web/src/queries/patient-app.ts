// The patient app's programme settings (the idle lock): query key, read and save in one place.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

const settingsKey = (programId: string | undefined) => ['patient-app', programId, 'settings'] as const;

export function usePatientAppSettings() {
  const { program } = useSession();
  return useQuery({ queryKey: settingsKey(program?.id), queryFn: api.patientAppSettings });
}

export function useSavePatientAppSettings() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: (body: { idleMinutes: number }) => api.savePatientAppSettings(body), onSuccess: (saved) => queryClient.setQueryData(settingsKey(program?.id), saved) });
}
