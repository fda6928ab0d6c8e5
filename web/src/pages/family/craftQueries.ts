// CRAFT, the staff side (issue 16): the programme's courses, one course, and the writes (a new
// client, a session held/missed/moved, an outcome, wellbeing entered with the CSO, close, the
// CSO's app invite and phones). Every write refreshes the programme's CRAFT queries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as C from '../../../../contracts/craft.ts';
import type { PatientAppAccess, PatientInviteIssued } from '../../../../contracts/patient-app.ts';
import { json } from '../../api.ts';
import { useSession } from '../../session.tsx';

export type CraftListT = z.infer<typeof C.CraftCourseList>;
export type CraftListItemT = CraftListT['items'][number];
export type CraftCourseT = z.infer<typeof C.CraftCourseView>;
export type CraftSessionT = CraftCourseT['sessions'][number];
export type CraftCreateT = z.input<typeof C.CraftCourseCreate>;
export type CraftSessionUpdateT = z.input<typeof C.CraftSessionUpdate>;
export type CraftOutcomeT = z.input<typeof C.CraftOutcomeCreate>;
export type WellbeingCreateT = z.input<typeof C.WellbeingCreate>;
export type AppAccessT = z.infer<typeof PatientAppAccess>;
export type InviteIssuedT = z.infer<typeof PatientInviteIssued>;

const key = (programId: string | undefined, ...rest: string[]) => ['craft', programId, ...rest] as const;
const enc = encodeURIComponent;

export function useCraftCourses() {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'list'), queryFn: () => json<CraftListT>('/craft-courses') });
}
export function useCraftCourse(id: string) {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'course', id), queryFn: () => json<CraftCourseT>(`/craft-courses/${enc(id)}`) });
}
export function useCraftApp(id: string) {
  const { program } = useSession();
  return useQuery({ queryKey: key(program?.id, 'app', id), queryFn: () => json<AppAccessT>(`/craft-courses/${enc(id)}/app`) });
}

function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key(program?.id) }) });
}

export const useCreateCraft = () => useWrite((body: CraftCreateT) => json<CraftCourseT>('/craft-courses', { body }));
export const useUpdateSession = (id: string) =>
  useWrite(({ number, ...body }: CraftSessionUpdateT & { number: number }) => json<CraftCourseT>(`/craft-courses/${enc(id)}/sessions/${number}`, { method: 'PATCH', body }));
export const useRecordOutcome = (id: string) => useWrite((body: CraftOutcomeT) => json<CraftCourseT>(`/craft-courses/${enc(id)}/outcomes`, { body }));
export const useCloseCraft = (id: string) => useWrite((reason: string) => json<CraftCourseT>(`/craft-courses/${enc(id)}/close`, { body: { reason } }));
export const useStaffWellbeing = (id: string) => useWrite((body: WellbeingCreateT) => json<CraftCourseT>(`/craft-courses/${enc(id)}/wellbeing`, { body }));
export const useInviteCraft = (id: string) => useWrite(() => json<InviteIssuedT>(`/craft-courses/${enc(id)}/app/invite`, { method: 'POST' }));
export const useRevokeCraftDevice = (id: string) => useWrite((deviceId: string) => json<AppAccessT>(`/craft-courses/${enc(id)}/app/devices/${enc(deviceId)}/revoke`, { method: 'POST' }));
