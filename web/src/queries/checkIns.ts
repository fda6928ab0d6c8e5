// Check-ins: query keys, reads and the staff recording in one place. Recording a check-in
// invalidates the patient's check-ins and the alert lists (it may raise alerts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type CheckInAnswersT, type RiskRuleSettingsT } from '../api.ts';
import { useSession } from '../session.tsx';

/** ['check-ins', programme, …]: every check-in read of the programme. */
export const checkInsKey = (programId: string | undefined, ...rest: string[]) => ['check-ins', programId, ...rest] as const;

export function usePatientCheckIns(patientId: string, days: number) {
  const { program } = useSession();
  return useQuery({ queryKey: [...checkInsKey(program?.id, 'patient', patientId), days], queryFn: () => api.checkIns(patientId, days) });
}

export function useRecordCheckIn(patientId: string) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: (body: { answers: CheckInAnswersT; idempotencyKey: string }) => api.recordCheckIn(patientId, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: checkInsKey(program?.id) });
      await queryClient.invalidateQueries({ queryKey: ['assess'] });
    },
  });
}

export function useRiskRules(enabled: boolean) {
  const { program } = useSession();
  return useQuery({ queryKey: checkInsKey(program?.id, 'settings'), queryFn: api.riskRules, enabled });
}

export function useSaveRiskRules() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: (body: RiskRuleSettingsT) => api.saveRiskRules(body),
    onSuccess: (saved) => queryClient.setQueryData(checkInsKey(program?.id, 'settings'), saved),
  });
}
