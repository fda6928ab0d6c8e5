// Skills modules, the staff side (issue 13): the library and the programme's own modules, a
// patient's assignments, progress and entries with their reviews, the homework work list and
// the programme's completion funnel — query keys, reads and writes in one place. Assigning,
// cancelling and reviewing refresh the patient's skills (and the work list and the report).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as S from '../../../contracts/skills.ts';
import type { SkillsModule } from '../../../core/skills/module.ts';
import { json } from '../api.ts';
import { useSession } from '../session.tsx';

export type ModuleSummaryT = z.infer<typeof S.ModuleSummary>;
export type ModuleLibraryT = z.infer<typeof S.ModuleLibrary>;
export type ModuleDetailT = z.infer<typeof S.ModuleDetail>;
export type ModuleVersionT = z.infer<typeof S.ModuleVersion>;
export type AssignmentT = z.infer<typeof S.Assignment>;
export type AssignmentCreateT = z.input<typeof S.AssignmentCreate>;
export type PatientModuleT = z.infer<typeof S.PatientModule>;
export type PatientSkillsT = z.infer<typeof S.PatientSkills>;
export type EntryT = z.infer<typeof S.Entry>;
export type EntryPageT = z.infer<typeof S.EntryPage>;
export type ReviewT = z.infer<typeof S.Review>;
export type HomeworkPageT = z.infer<typeof S.HomeworkPage>;
export type HomeworkItemT = z.infer<typeof S.HomeworkItem>;
export type SkillsReportT = z.infer<typeof S.SkillsReport>;
export type ModuleFunnelT = z.infer<typeof S.ModuleFunnel>;
export type { SkillsModule };

const enc = encodeURIComponent;
/** Every skills query of a programme starts with this; a patient's are under ['skills', programme, 'patient', id]. */
export const skillsKey = (programId: string | undefined, ...rest: Array<string | number | boolean | null>) => ['skills', programId, ...rest] as const;

// ---------- the library ----------

/** Published modules: what can be assigned (read:skills). */
export function useModuleLibrary(enabled = true) {
  const { program } = useSession();
  return useQuery({ queryKey: skillsKey(program?.id, 'modules'), queryFn: () => json<ModuleLibraryT>('/skills/modules'), enabled, staleTime: 60_000 });
}

/** Every module incl. drafts and retired ones (manage:skills-library). */
export function useEditableLibrary(enabled = true) {
  const { program } = useSession();
  return useQuery({ queryKey: skillsKey(program?.id, 'library'), queryFn: () => json<ModuleLibraryT>('/skills/library'), enabled });
}

const getModule = (key: string, version?: number) => json<ModuleDetailT>(`/skills/modules/${enc(key)}`, { query: { version } });

/** One module at a version (default: the one offered, else the latest). A published version never changes. */
export function useModuleDetail(key: string | null, version?: number) {
  const { program } = useSession();
  return useQuery({
    queryKey: skillsKey(program?.id, 'module', key, version ?? 'current'),
    queryFn: () => getModule(key!, version),
    enabled: !!key,
    staleTime: version === undefined ? 0 : 5 * 60_000,
  });
}

/** A programme's module at its newest version (the draft being edited, if there is one). */
export function useLatestModule(key: string | null) {
  const { program } = useSession();
  return useQuery({
    queryKey: skillsKey(program?.id, 'module', key, 'latest'),
    queryFn: async () => {
      const current = await getModule(key!);
      const newest = Math.max(current.content.version, ...current.versions.map((v) => v.version));
      return newest === current.content.version ? current : getModule(key!, newest);
    },
    enabled: !!key,
  });
}

function useLibraryWrite<B>(call: (body: B) => Promise<ModuleDetailT>) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: call,
    onSuccess: async (detail) => {
      queryClient.setQueryData(skillsKey(program?.id, 'module', detail.summary.key, 'latest'), detail);
      await Promise.all((['modules', 'library'] as const).map((k) => queryClient.invalidateQueries({ queryKey: skillsKey(program?.id, k) })));
      await queryClient.invalidateQueries({ queryKey: skillsKey(program?.id, 'module', detail.summary.key), refetchType: 'none' });
    },
  });
}

/** A new programme module (a draft, version 1), perhaps started from a built-in one. */
export const useCreateModule = () => useLibraryWrite((body: { content: unknown; basedOn?: string }) => json<ModuleDetailT>('/skills/library', { method: 'POST', body }));
/** Saves the draft (after a published version: the next version's draft). */
export const useSaveDraft = (key: string) => useLibraryWrite((content: unknown) => json<ModuleDetailT>(`/skills/library/${enc(key)}`, { method: 'PUT', body: { content } }));
/** Publishes the draft (422 module_not_ready with the lint's problems). */
export const usePublishModule = (key: string) => useLibraryWrite(() => json<ModuleDetailT>(`/skills/library/${enc(key)}/publish`, { method: 'POST' }));
/** Takes the module out of the library (no longer offered or assignable). */
export const useRetireModule = (key: string) => useLibraryWrite(() => json<ModuleDetailT>(`/skills/library/${enc(key)}/retire`, { method: 'POST' }));

// ---------- a patient's skills ----------

const patientKey = (programId: string | undefined, patientId: string) => skillsKey(programId, 'patient', patientId);

/** The patient's modules, stage and suggestions (`intervention`: suggestions for a plan's intervention). */
export function usePatientSkills(patientId: string, intervention?: string | null, enabled = true) {
  const { program } = useSession();
  return useQuery({
    queryKey: [...patientKey(program?.id, patientId), 'overview', intervention ?? null],
    queryFn: () => json<PatientSkillsT>(`/patients/${enc(patientId)}/skills`, { query: { intervention } }),
    enabled,
  });
}

/** The patient's entries, newest first, a page at a time (`homework`: only homework, only exercises, or both). */
export function usePatientEntries(patientId: string, homework: boolean | null) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: [...patientKey(program?.id, patientId), 'entries', homework],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => json<EntryPageT>(`/patients/${enc(patientId)}/skills/entries`, { query: { homework: homework === null ? undefined : String(homework), limit: 10, cursor: pageParam } }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** A write about one patient: afterwards their skills, the homework list and the report are read again. */
function usePatientWrite<B, R>(patientId: string, call: (body: B) => Promise<R>) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: patientKey(program?.id, patientId) });
      void queryClient.invalidateQueries({ queryKey: skillsKey(program?.id, 'homework') });
      void queryClient.invalidateQueries({ queryKey: skillsKey(program?.id, 'report') });
    },
  });
}

export const useAssignModule = (patientId: string) =>
  usePatientWrite(patientId, (body: AssignmentCreateT) => json<AssignmentT>(`/patients/${enc(patientId)}/skills/assignments`, { method: 'POST', body }));
export const useCancelAssignment = (patientId: string) =>
  usePatientWrite(patientId, (assignmentId: string) => json<AssignmentT>(`/patients/${enc(patientId)}/skills/assignments/${enc(assignmentId)}/cancel`, { method: 'POST' }));
export const useReviewEntry = (patientId: string) =>
  usePatientWrite(patientId, ({ entryId, comment }: { entryId: string; comment?: string }) =>
    json<ReviewT>(`/patients/${enc(patientId)}/skills/entries/${enc(entryId)}/reviews`, { method: 'POST', body: comment ? { comment } : {} }),
  );

// ---------- the programme ----------

/** Homework not yet reviewed, newest first (`mine`: patients on my caseload). */
export function useHomeworkToReview(mine: boolean) {
  const { program } = useSession();
  return useInfiniteQuery({
    queryKey: skillsKey(program?.id, 'homework', mine),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => json<HomeworkPageT>('/skills/homework', { query: { mine: String(mine), limit: 25, cursor: pageParam } }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The completion funnel by module for a period (programme days; the server's default: the year so far). */
export function useSkillsReport(from: string | null, to: string | null) {
  const { program } = useSession();
  return useQuery({ queryKey: skillsKey(program?.id, 'report', from, to), queryFn: () => json<SkillsReportT>('/skills/report', { query: { from, to } }) });
}
