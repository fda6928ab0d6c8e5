// The phone line: the voice simulator's calls and key presses, and the programme's clinic
// number. A simulated call can record a check-in, so it refreshes check-ins and alerts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

export const phoneLineKey = (programId: string | undefined) => ['phone-line', programId] as const;

export function usePhoneLine() {
  const { program } = useSession();
  return useQuery({ queryKey: phoneLineKey(program?.id), queryFn: () => api.phoneLine() });
}

export function useSavePhoneLine() {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({ mutationFn: (clinicNumber: string | null) => api.updatePhoneLine({ clinicNumber }), onSuccess: (saved) => qc.setQueryData(phoneLineKey(program?.id), saved) });
}

export function useSimulateVoice() {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (step: { from: string } | { callSid: string; seq: number; digits: string }) => ('from' in step ? api.simulateVoiceCall(step) : api.simulateVoiceKeys(step)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['patients', program?.id] }),
  });
}
