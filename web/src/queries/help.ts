// Help now (ADR 037): the programme's help settings and a patient's safety plan — query keys,
// reads and saves in one place. A save updates the plan and refreshes its version history.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type HelpSettingsT, type SafetyPlanT } from '../api.ts';
import { useSession } from '../session.tsx';

export const helpKey = (programId: string | undefined, ...rest: string[]) => ['help', programId, ...rest] as const;

export function useHelpSettings() {
  const { program } = useSession();
  return useQuery({ queryKey: helpKey(program?.id, 'settings'), queryFn: api.helpSettings });
}

export function useSaveHelpSettings() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: (body: HelpSettingsT) => api.saveHelpSettings(body), onSuccess: (saved) => queryClient.setQueryData(helpKey(program?.id, 'settings'), saved) });
}

export function useSafetyPlan(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: helpKey(program?.id, 'safety-plan', patientId), queryFn: () => api.safetyPlan(patientId) });
}

export function useSafetyPlanVersions(patientId: string, enabled: boolean) {
  const { program } = useSession();
  return useQuery({ queryKey: helpKey(program?.id, 'safety-plan', patientId, 'versions'), queryFn: () => api.safetyPlanVersions(patientId), enabled });
}

export function useSaveSafetyPlan(patientId: string) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: (body: { version: number; plan: SafetyPlanT['plan'] }) => api.saveSafetyPlan(patientId, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(helpKey(program?.id, 'safety-plan', patientId), saved);
      await queryClient.invalidateQueries({ queryKey: helpKey(program?.id, 'safety-plan', patientId, 'versions') });
    },
  });
}
