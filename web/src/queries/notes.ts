// Notes on visits and SUD counselling notes kept apart (ADR 041): query keys, reads and
// writes in one place. Every write answers with the note as saved, which replaces it in the
// visit's list; counselling notes are their own key, never mixed with progress notes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../core/access/roles.ts';
import { api, type CounsellingNoteT, type ProgressNoteCreateT, type ProgressNoteT } from '../api.ts';
import { useStaffList } from '../pages/patient/useStaffList.ts';
import { useSession } from '../session.tsx';

export const notesKey = (programId: string | undefined, ...rest: string[]) => ['notes', programId, ...rest] as const;

export function useEncounterNotes(encounterId: string) {
  const { program, can } = useSession();
  return useQuery({ queryKey: notesKey(program?.id, 'encounter', encounterId), queryFn: () => api.encounterNotes(encounterId), enabled: can('read:progress-note') });
}

export function useCounsellingNotes(encounterId: string) {
  const { program, can } = useSession();
  return useQuery({ queryKey: notesKey(program?.id, 'counselling', encounterId), queryFn: () => api.counsellingNotes(encounterId), enabled: can('read:progress-note') });
}

export function useCosignQueue() {
  const { program, can } = useSession();
  return useQuery({ queryKey: notesKey(program?.id, 'cosign-queue'), queryFn: api.cosignQueue, enabled: can('cosign:progress-note') });
}

/** The goals of the person's current care plans (not completed or revoked), to link a note to. */
export function usePatientGoals(patientId: string | null) {
  const { program, can } = useSession();
  return useQuery({
    queryKey: notesKey(program?.id, 'goals', patientId ?? ''),
    enabled: patientId !== null && can('read:care-plan'),
    staleTime: 60_000,
    queryFn: async () => {
      const plans = (await api.carePlans(patientId!)).items.filter((p) => p.status !== 'completed' && p.status !== 'revoked');
      const full = await Promise.all(plans.map((p) => api.carePlan(patientId!, p.id)));
      return full.flatMap((p) => p.goals.map((g) => ({ id: g.id, description: g.description })));
    },
  });
}

/** The programme's staff who hold `permission` (to name a co-signer, or someone to grant a counselling note). */
export function useStaffWho(permission: Permission) {
  const staff = useStaffList();
  return (staff.data ?? []).filter((s) => s.active && s.roles.some((r) => (ROLE_PERMISSIONS[r as Role] as readonly string[] | undefined)?.includes(permission)));
}

function replaceIn<T extends { id: string }>(list: { items: T[] } | undefined, item: T) {
  if (!list) return { items: [item] };
  return list.items.some((x) => x.id === item.id) ? { items: list.items.map((x) => (x.id === item.id ? item : x)) } : { items: [...list.items, item] };
}

/** Every progress-note write for a visit: start, save, sign, co-sign, add an addendum. */
export function useNoteActions(encounterId: string) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  const key = notesKey(program?.id, 'encounter', encounterId);
  const put = (n: ProgressNoteT) => queryClient.setQueryData<{ items: ProgressNoteT[] }>(key, (old) => replaceIn(old, n));
  return {
    create: useMutation({ mutationFn: (body: ProgressNoteCreateT) => api.createNote(encounterId, body), onSuccess: put }),
    save: useMutation({
      mutationFn: (v: { id: string; version: number; sections: Record<string, string>; goalIds?: string[] }) =>
        api.saveNote(v.id, { version: v.version, sections: v.sections, ...(v.goalIds ? { goalIds: v.goalIds } : {}) }),
      onSuccess: put,
    }),
    sign: useMutation({ mutationFn: (v: { id: string; version: number; cosignerId: string | null }) => api.signNote(v.id, { version: v.version, cosignerId: v.cosignerId }), onSuccess: put }),
    addendum: useMutation({ mutationFn: (v: { id: string; text: string }) => api.addAddendum(v.id, v.text), onSuccess: put }),
  };
}

export function useCosign() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: (id: string) => api.cosignNote(id), onSuccess: () => queryClient.invalidateQueries({ queryKey: notesKey(program?.id) }) });
}

/** Every counselling-note write for a visit: start, save, sign, grant and revoke (a grant change re-reads the note: who can see it). */
export function useCounsellingActions(encounterId: string) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  const key = notesKey(program?.id, 'counselling', encounterId);
  const put = (n: CounsellingNoteT) => queryClient.setQueryData<{ items: CounsellingNoteT[] }>(key, (old) => replaceIn(old, n));
  const reread = () => queryClient.invalidateQueries({ queryKey: key });
  return {
    create: useMutation({ mutationFn: (body: { patientId: string; body: string }) => api.createCounsellingNote(encounterId, body), onSuccess: put }),
    save: useMutation({ mutationFn: (v: { id: string; version: number; body: string }) => api.saveCounsellingNote(v.id, { version: v.version, body: v.body }), onSuccess: put }),
    sign: useMutation({ mutationFn: (v: { id: string; version: number }) => api.signCounsellingNote(v.id, v.version), onSuccess: put }),
    grant: useMutation({ mutationFn: (v: { id: string; userId: string }) => api.grantCounsellingNote(v.id, v.userId), onSuccess: reread }),
    revoke: useMutation({ mutationFn: (v: { id: string; userId: string }) => api.revokeCounsellingNote(v.id, v.userId), onSuccess: reread }),
  };
}
