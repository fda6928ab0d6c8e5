// A small typed client for the Waypoint API. Every call under /api/v1 carries the
// programme the user is working in (Waypoint-Program header); failures arrive as
// application/problem+json and become an ApiError with the fields at fault.
// Nothing here logs request or response bodies: they can hold patient data.
import type { z } from 'zod';
import type { MeResponse, MfaConfirmResponse, MfaSetupResponse, SignInResponse } from '../../contracts/auth.ts';
import type { AuditEvent } from '../../contracts/audit.ts';
import type {
  CareTeamMember, DuplicateCandidates, Episode, Medication, Patient, PatientCreate, PatientSummary, PatientUpdate,
  MedicationCreate, EpisodeCreate, EpisodeDischarge, CareTeamAdd,
} from '../../contracts/patients.ts';
import type { OrganizationSettings, PasswordReset, Staff, StaffCreate, StaffCreated, StaffUpdate } from '../../contracts/staff.ts';

export type Me = z.infer<typeof MeResponse>;
export type Program = Me['programs'][number];
export type SignInResult = z.infer<typeof SignInResponse>;
export type PatientT = z.infer<typeof Patient>;
export type PatientSummaryT = z.infer<typeof PatientSummary>;
export type PatientCreateT = z.input<typeof PatientCreate>;
export type PatientUpdateT = z.input<typeof PatientUpdate>;
export type MedicationT = z.infer<typeof Medication>;
export type MedicationCreateT = z.input<typeof MedicationCreate>;
export type EpisodeT = z.infer<typeof Episode>;
export type EpisodeCreateT = z.input<typeof EpisodeCreate>;
export type EpisodeDischargeT = z.input<typeof EpisodeDischarge>;
export type CareTeamMemberT = z.infer<typeof CareTeamMember>;
export type CareTeamAddT = z.input<typeof CareTeamAdd>;
export type StaffT = z.infer<typeof Staff>;
export type StaffCreateT = z.input<typeof StaffCreate>;
export type StaffUpdateT = z.input<typeof StaffUpdate>;
export type StaffCreatedT = z.infer<typeof StaffCreated>;
export type PasswordResetT = z.infer<typeof PasswordReset>;
export type OrganizationSettingsT = z.infer<typeof OrganizationSettings>;
export type AuditEventT = z.infer<typeof AuditEvent>;
export type DuplicateCandidatesT = z.infer<typeof DuplicateCandidates>;
export type Page<T> = { items: T[]; nextCursor: string | null };

export type FieldProblem = { field: string; message: string };

/** A failed API call: the server's stable code, its user-safe explanation, and the fields at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly problems: FieldProblem[];
  constructor(status: number, code: string, detail: string, problems: FieldProblem[] = []) {
    super(code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.problems = problems;
  }
  /** The message for one field, given as its name in the body ("birthDate") or its full path ("body.birthDate"). */
  fieldMessage(field: string): string | undefined {
    const full = field.includes('.') ? field : `body.${field}`;
    return this.problems.find((p) => p.field === full || p.field === field)?.message;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

const PROGRAM_KEY = 'waypoint.programId';
let currentProgramId: string | null = readStoredProgram();

function readStoredProgram(): string | null {
  try {
    return localStorage.getItem(PROGRAM_KEY);
  } catch {
    return null;
  }
}

export function getProgramId(): string | null {
  return currentProgramId;
}

export function setProgramId(id: string | null) {
  currentProgramId = id;
  try {
    if (id) localStorage.setItem(PROGRAM_KEY, id);
    else localStorage.removeItem(PROGRAM_KEY);
  } catch {
    /* storage unavailable: the choice lasts for this page only */
  }
}

type Listener = (e: ApiError) => void;
let onSessionEnded: Listener | null = null;
/** Called when the server says the session is over (idle, expired, revoked). */
export function setSessionEndedListener(l: Listener | null) {
  onSessionEnded = l;
}

let lastRequestAt = 0;
const requestListeners = new Set<(at: number) => void>();
/** Each request to the server counts as activity for the server's idle time-out. */
export function onRequest(l: (at: number) => void): () => void {
  requestListeners.add(l);
  return () => requestListeners.delete(l);
}
export const lastRequestTime = () => lastRequestAt;

type Options = { method?: string; body?: unknown; query?: Record<string, string | number | undefined | null>; signal?: AbortSignal };

async function send(path: string, opts: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (currentProgramId) headers['waypoint-program'] = currentProgramId;
  let url = `/api/v1${path}`;
  if (opts.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    if (s) url += `?${s}`;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', '');
  }
  lastRequestAt = Date.now();
  for (const l of requestListeners) l(lastRequestAt);
  if (!res.ok) throw await toError(res, path);
  return res;
}

async function toError(res: Response, path: string): Promise<ApiError> {
  let code = 'http_error';
  let detail = '';
  let problems: FieldProblem[] = [];
  try {
    const body = (await res.json()) as { code?: string; detail?: string; problems?: FieldProblem[] };
    code = body.code ?? code;
    detail = body.detail ?? '';
    problems = Array.isArray(body.problems) ? body.problems : [];
  } catch {
    /* not problem+json (a proxy in between?): keep the status only */
  }
  const error = new ApiError(res.status, code, detail, problems);
  if (res.status === 401 && code === 'session_ended' && !path.startsWith('/auth/sign-in')) onSessionEnded?.(error);
  return error;
}

async function json<T>(path: string, opts: Options = {}): Promise<T> {
  const res = await send(path, opts);
  return (await res.json()) as T;
}

export const api = {
  // Sign-in and the account
  signIn: (body: { email: string; password: string }) => json<SignInResult>('/auth/sign-in', { body }),
  verifyMfa: (body: { code: string } | { recoveryCode: string }) => json<{ ok: true }>('/auth/mfa/verify', { body }),
  beginMfaSetup: () => json<z.infer<typeof MfaSetupResponse>>('/auth/mfa/setup', { method: 'POST' }),
  confirmMfaSetup: (code: string) => json<z.infer<typeof MfaConfirmResponse>>('/auth/mfa/confirm', { body: { code } }),
  changePassword: (body: { currentPassword: string; newPassword: string }) => json<{ ok: true }>('/auth/password', { body }),
  signOut: () => json<{ ok: true }>('/auth/sign-out', { method: 'POST' }),
  signOutEverywhere: () => json<{ ok: true }>('/auth/sign-out-everywhere', { method: 'POST' }),
  me: () => json<Me>('/me'),

  // Patients
  searchPatients: (body: { q?: string; birthDate?: string; mrn?: string; limit: number; cursor?: string }) =>
    json<Page<PatientSummaryT>>('/patients/search', { body }),
  findDuplicates: (body: { legalGivenName: string; legalFamilyName: string; birthDate: string; mrn?: string }) =>
    json<DuplicateCandidatesT>('/patients/duplicates', { body }),
  registerPatient: (body: PatientCreateT) => json<PatientT>('/patients', { body }),
  getPatient: (id: string) => json<PatientT>(`/patients/${encodeURIComponent(id)}`),
  updatePatient: (id: string, body: PatientUpdateT) => json<PatientT>(`/patients/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  medications: (patientId: string) => json<{ items: MedicationT[] }>(`/patients/${encodeURIComponent(patientId)}/medications`),
  addMedication: (patientId: string, body: MedicationCreateT) => json<MedicationT>(`/patients/${encodeURIComponent(patientId)}/medications`, { body }),
  endMedication: (patientId: string, id: string, endedOn: string) =>
    json<MedicationT>(`/patients/${encodeURIComponent(patientId)}/medications/${encodeURIComponent(id)}/end`, { body: { endedOn } }),
  episodes: (patientId: string) => json<{ items: EpisodeT[] }>(`/patients/${encodeURIComponent(patientId)}/episodes`),
  admit: (patientId: string, body: EpisodeCreateT) => json<EpisodeT>(`/patients/${encodeURIComponent(patientId)}/episodes`, { body }),
  discharge: (patientId: string, id: string, body: EpisodeDischargeT) =>
    json<EpisodeT>(`/patients/${encodeURIComponent(patientId)}/episodes/${encodeURIComponent(id)}/discharge`, { body }),
  careTeam: (patientId: string) => json<{ items: CareTeamMemberT[] }>(`/patients/${encodeURIComponent(patientId)}/care-team`),
  addToCareTeam: (patientId: string, body: CareTeamAddT) =>
    json<{ items: CareTeamMemberT[] }>(`/patients/${encodeURIComponent(patientId)}/care-team`, { body }),
  removeFromCareTeam: (patientId: string, userId: string, role: string) =>
    json<{ items: CareTeamMemberT[] }>(
      `/patients/${encodeURIComponent(patientId)}/care-team/${encodeURIComponent(userId)}/${encodeURIComponent(role)}`,
      { method: 'DELETE' },
    ),

  // Staff and organisation
  staff: () => json<{ items: StaffT[] }>('/staff'),
  createStaff: (body: StaffCreateT) => json<StaffCreatedT>('/staff', { body }),
  updateStaff: (id: string, body: StaffUpdateT) => json<StaffT>(`/staff/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  resetStaffPassword: (id: string, resetMfa: boolean) => json<PasswordResetT>(`/staff/${encodeURIComponent(id)}/password-reset`, { body: { resetMfa } }),
  organizationSettings: () => json<OrganizationSettingsT>('/organization/settings'),
  saveOrganizationSettings: (body: OrganizationSettingsT) => json<OrganizationSettingsT>('/organization/settings', { method: 'PUT', body }),

  // Audit
  auditEvents: (filters: AuditFilters, cursor?: string) =>
    json<Page<AuditEventT>>('/audit-events', { query: { ...filters, limit: 50, cursor } }),
  /** The filtered audit trail as a CSV file (fetched with the programme header, saved by the caller). */
  auditCsv: async (filters: AuditFilters): Promise<Blob> => (await send('/audit-events.csv', { query: { ...filters } })).blob(),
};

export type AuditFilters = {
  from?: string;
  to?: string;
  action?: string;
  entity?: string;
  outcome?: string;
  patientId?: string;
  actorId?: string;
};
