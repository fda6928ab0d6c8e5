// Messages: the outbox view, the SMS simulator, and a patient's contact preferences — query
// keys and mutations in one place. Anything that sends or changes a message invalidates
// messagesKey(programme).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ContactPreferencesUpdateT } from '../api.ts';
import { useSession } from '../session.tsx';

export const messagesKey = (programId: string | undefined, filter?: { status?: string; channel?: string }) =>
  (filter === undefined ? ['messages', programId] : ['messages', programId, filter]) as readonly unknown[];
export const contactKey = (programId: string | undefined, patientId: string) => ['patients', programId, 'contact', patientId] as const;

/** The programme's outbox; refreshed every few seconds (the delivery job works in the background). */
export function useOutbox(filter: { status?: string; channel?: string }) {
  const { program } = useSession();
  return useQuery({ queryKey: messagesKey(program?.id, filter), queryFn: () => api.messages(filter), refetchInterval: 5000 });
}

export function useRetryMessage() {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.retryMessage(id), onSuccess: () => qc.invalidateQueries({ queryKey: messagesKey(program?.id) }) });
}

export function useSimulateSms() {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { from: string; body: string }) => api.simulateSms(body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: messagesKey(program?.id) });
      void qc.invalidateQueries({ queryKey: ['patients', program?.id, 'contact'] });
    },
  });
}

export function useContactPreferences(patientId: string) {
  const { program } = useSession();
  return useQuery({ queryKey: contactKey(program?.id, patientId), queryFn: () => api.contactPreferences(patientId) });
}

export function useSaveContactPreferences(patientId: string) {
  const { program } = useSession();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContactPreferencesUpdateT) => api.updateContactPreferences(patientId, body),
    onSuccess: (saved) => {
      qc.setQueryData(contactKey(program?.id, patientId), saved);
      void qc.invalidateQueries({ queryKey: messagesKey(program?.id) });
    },
  });
}
