// Counselling compliance, caseloads and the counsellor's today (ADR 043): query keys, reads and
// changes in one place. The compliance status informs and never blocks anything.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CaseloadAssign,
  CaseloadEnd,
  CaseloadPatients,
  CaseloadSizes,
  ComplianceReport,
  CounsellingRules,
  CounsellingRulesRead,
  CounsellorToday,
  OverdueList,
  PatientCaseload,
} from '../../../contracts/counselling.ts';
import { everyPage, json, send } from '../api.ts';
import { useSession } from '../session.tsx';

export type CounsellorTodayT = z.infer<typeof CounsellorToday>;
export type OverdueListT = z.infer<typeof OverdueList>;
export type ComplianceReportT = z.infer<typeof ComplianceReport>;
export type CounsellingRulesT = z.infer<typeof CounsellingRules>;
export type CounsellingRulesReadT = z.infer<typeof CounsellingRulesRead>;
export type CaseloadSizesT = z.infer<typeof CaseloadSizes>;
export type CaseloadPatientsT = z.infer<typeof CaseloadPatients>;
export type PatientCaseloadT = z.infer<typeof PatientCaseload>;
export type CaseloadAssignT = z.input<typeof CaseloadAssign>;
export type CaseloadEndT = z.input<typeof CaseloadEnd>;

const id = encodeURIComponent;

export const counsellingApi = {
  today: (date?: string) => json<CounsellorTodayT>('/counselling/today', { query: { date } }),
  overdue: (q: { status: 'overdue' | 'due'; counsellorId?: string | undefined; cursor?: string | null }) =>
    json<OverdueListT>('/counselling/compliance/overdue', { query: { status: q.status, counsellorId: q.counsellorId, cursor: q.cursor ?? undefined, limit: 50 } }),
  report: (month: string) => json<ComplianceReportT>('/counselling/compliance/report', { query: { month } }),
  reportCsv: async (month: string): Promise<Blob> => (await send('/counselling/compliance/report', { query: { month, format: 'csv' } })).blob(),
  rules: () => json<CounsellingRulesReadT>('/counselling/rules'),
  saveRules: (body: CounsellingRulesT) => json<CounsellingRulesReadT>('/counselling/rules', { method: 'PUT', body }),
  sizes: () => json<CaseloadSizesT>('/counselling/caseloads'),
  caseloadPatients: (userId: string, kind: 'counsellor' | 'peer') => everyPage<CaseloadPatientsT>('/counselling/caseloads/patients', { userId, kind }),
  patientCaseload: (patientId: string) => json<PatientCaseloadT>(`/patients/${id(patientId)}/caseload`),
  assign: (patientId: string, body: CaseloadAssignT) => json<PatientCaseloadT>(`/patients/${id(patientId)}/caseload`, { body }),
  end: (patientId: string, body: CaseloadEndT) => json<PatientCaseloadT>(`/patients/${id(patientId)}/caseload/end`, { body }),
};

export const counsellingKey = (programId: string | undefined, ...rest: string[]) => ['counselling', programId, ...rest] as const;

export function useCounsellorToday(date: string | undefined) {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'today', date ?? ''), queryFn: () => counsellingApi.today(date) });
}

export function useOverdue(status: 'overdue' | 'due', counsellorId: string | undefined, cursor: string | null) {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'overdue', status, counsellorId ?? '', cursor ?? ''), queryFn: () => counsellingApi.overdue({ status, counsellorId, cursor }) });
}

export function useComplianceReport(month: string) {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'report', month), queryFn: () => counsellingApi.report(month), enabled: /^\d{4}-\d{2}$/.test(month) });
}

export function useCounsellingRules() {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'rules'), queryFn: counsellingApi.rules });
}

export function useSaveCounsellingRules() {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: counsellingApi.saveRules, onSuccess: (saved) => queryClient.setQueryData(counsellingKey(program?.id, 'rules'), saved) });
}

export function useCaseloadSizes() {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'caseloads'), queryFn: counsellingApi.sizes });
}

export function useCaseloadPatients(userId: string | null, kind: 'counsellor' | 'peer') {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'caseloads', userId ?? '', kind), queryFn: () => counsellingApi.caseloadPatients(userId!, kind), enabled: !!userId });
}

export function usePatientCaseload(patientId: string | null) {
  const { program } = useSession();
  return useQuery({ queryKey: counsellingKey(program?.id, 'caseload', patientId ?? ''), queryFn: () => counsellingApi.patientCaseload(patientId!), enabled: !!patientId });
}

/** Assign or transfer, or end an assignment; the caseload views are read again. */
export function useChangeCaseload(patientId: string) {
  const queryClient = useQueryClient();
  const { program } = useSession();
  return useMutation({
    mutationFn: (change: { end: false; body: CaseloadAssignT } | { end: true; body: CaseloadEndT }) =>
      change.end ? counsellingApi.end(patientId, change.body) : counsellingApi.assign(patientId, change.body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(counsellingKey(program?.id, 'caseload', patientId), saved);
      await queryClient.invalidateQueries({ queryKey: counsellingKey(program?.id, 'caseloads') });
      await queryClient.invalidateQueries({ queryKey: counsellingKey(program?.id, 'overdue') });
    },
  });
}
