// 42 CFR Part 2 on the staff console (issue 16): query keys, reads and writes for a patient's
// consents, the patient notice, family members, the accounting of disclosures and the
// programme's disclosures under an exception. Every write refreshes the patient's consent
// queries (a consent changes what family members see and what may be disclosed).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as C from '../../../../contracts/consent.ts';
import type { PatientAppAccess, PatientInviteIssued } from '../../../../contracts/patient-app.ts';
import { json, send } from '../../api.ts';
import { useSession } from '../../session.tsx';

export type ConsentT = z.infer<typeof C.ConsentView>;
export type ConsentStatusT = ConsentT['status'];
export type ConsentCreateT = z.input<typeof C.ConsentCreate>;
export type RecipientInputT = z.input<typeof C.RecipientInput>;
export type ExpiryT = z.input<typeof C.Expiry>;
export type TemplatesT = z.infer<typeof C.ConsentTemplates>;
export type TemplateT = TemplatesT['items'][number];
export type DataClassT = ConsentT['dataClasses'][number];
export type PurposeT = ConsentT['purposes'][number];
export type NoticeStatusT = z.infer<typeof C.NoticeStatus>;
export type NoticeRecordT = z.input<typeof C.NoticeRecord>;
export type FamilyMemberT = z.infer<typeof C.FamilyMemberView>;
export type FamilyMemberCreateT = z.input<typeof C.FamilyMemberCreate>;
export type RelationshipT = FamilyMemberT['relationship'];
export type DisclosureT = z.infer<typeof C.Disclosure>;
export type AccountingT = z.infer<typeof C.Accounting>;
export type DisclosureCreateT = z.input<typeof C.DisclosureCreate>;
export type DisclosureResultT = z.infer<typeof C.DisclosureResult>;
export type ExceptionDisclosureT = DisclosureT & { patientId: string; patientName: string; mrn: string };
export type AppAccessT = z.infer<typeof PatientAppAccess>;
export type InviteIssuedT = z.infer<typeof PatientInviteIssued>;

/** Every relationship a family member may have (the contract's list; the record makes the check exhaustive). */
const RELATIONSHIP_SET: Record<RelationshipT, true> = { parent: true, partner: true, spouse: true, child: true, sibling: true, 'other-relative': true, friend: true, other: true };
export const RELATIONSHIPS = Object.keys(RELATIONSHIP_SET) as RelationshipT[];

const enc = encodeURIComponent;
const base = (patientId: string) => `/patients/${enc(patientId)}`;

const keyOf = (programId: string | undefined, patientId: string, ...rest: string[]) => ['consent', programId, patientId, ...rest] as const;

function usePatientKey(patientId: string) {
  const { program } = useSession();
  return (...rest: string[]) => keyOf(program?.id, patientId, ...rest);
}

export function useTemplates() {
  const { program, can } = useSession();
  return useQuery({ queryKey: ['consent', program?.id, 'templates'], queryFn: () => json<TemplatesT>('/consent-templates'), staleTime: 5 * 60_000, enabled: can('read:consent') });
}

export function useConsents(patientId: string) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('consents'), queryFn: () => json<{ items: ConsentT[] }>(`${base(patientId)}/consents`) });
}

export function useConsent(patientId: string, id: string | null) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('consent', id ?? ''), queryFn: () => json<ConsentT>(`${base(patientId)}/consents/${enc(id!)}`), enabled: !!id });
}

export function useNotice(patientId: string) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('notice'), queryFn: () => json<NoticeStatusT>(`${base(patientId)}/notice`) });
}

export function useFamily(patientId: string, enabled = true) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('family'), queryFn: () => json<{ items: FamilyMemberT[] }>(`${base(patientId)}/family`), enabled });
}

export function useFamilyApp(patientId: string, familyMemberId: string | null) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('family-app', familyMemberId ?? ''), queryFn: () => json<AppAccessT>(`${base(patientId)}/family/${enc(familyMemberId!)}/app`), enabled: !!familyMemberId });
}

export function useAccounting(patientId: string) {
  const key = usePatientKey(patientId);
  return useQuery({ queryKey: key('accounting'), queryFn: () => json<AccountingT>(`${base(patientId)}/disclosures`) });
}

export function useExceptionDisclosures() {
  const { program } = useSession();
  return useQuery({ queryKey: ['consent', program?.id, 'exceptions'], queryFn: () => json<{ items: ExceptionDisclosureT[] }>('/disclosures/exceptions') });
}

/** A write on one patient's consents, notice, family or disclosures: refreshes all of them. */
function usePatientWrite<I, O>(patientId: string, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  const { program } = useSession();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: keyOf(program?.id, patientId) }) });
}

export const useRecordNotice = (patientId: string) => usePatientWrite(patientId, (body: NoticeRecordT) => json<NoticeStatusT>(`${base(patientId)}/notice`, { body }));
export const useCreateConsent = (patientId: string) => usePatientWrite(patientId, (body: ConsentCreateT) => json<ConsentT>(`${base(patientId)}/consents`, { body }));
export const useRevokeConsent = (patientId: string) =>
  usePatientWrite(patientId, ({ id, note }: { id: string; note?: string }) => json<ConsentT>(`${base(patientId)}/consents/${enc(id)}/revoke`, { body: note ? { note } : {} }));
export const useEndConsent = (patientId: string) =>
  usePatientWrite(patientId, ({ id, note }: { id: string; note: string }) => json<ConsentT>(`${base(patientId)}/consents/${enc(id)}/end`, { body: { note } }));
export const useAddFamilyMember = (patientId: string) => usePatientWrite(patientId, (body: FamilyMemberCreateT) => json<{ items: FamilyMemberT[] }>(`${base(patientId)}/family`, { body }));
export const useInviteFamilyMember = (patientId: string) =>
  usePatientWrite(patientId, (familyMemberId: string) => json<InviteIssuedT>(`${base(patientId)}/family/${enc(familyMemberId)}/invite`, { method: 'POST' }));
export const useRevokeFamilyDevice = (patientId: string) =>
  usePatientWrite(patientId, ({ familyMemberId, deviceId }: { familyMemberId: string; deviceId: string }) =>
    json<AppAccessT>(`${base(patientId)}/family/${enc(familyMemberId)}/devices/${enc(deviceId)}/revoke`, { method: 'POST' }),
  );
export const useDisclose = (patientId: string) => usePatientWrite(patientId, (body: DisclosureCreateT) => json<DisclosureResultT>(`${base(patientId)}/disclosures`, { body }));

/** The scan of a consent signed on paper, fetched with the session (the programme header), as a blob. */
export const fetchScan = async (patientId: string, id: string): Promise<Blob> => (await send(`${base(patientId)}/consents/${enc(id)}/scan`)).blob();
/** The accounting as CSV, fetched with the session. */
export const fetchAccountingCsv = async (patientId: string): Promise<Blob> => (await send(`${base(patientId)}/disclosures.csv`, {})).blob();

/** Opens a blob (a scan, a printable document) in a new tab; the address is a blob: URL with nothing about the patient in it. */
export function openBlob(blob: Blob) {
  const url = URL.createObjectURL(blob);
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves a blob as a file. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
