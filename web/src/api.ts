// A small typed client for the Waypoint API. Every call under /api/v1 carries the
// programme the user is working in (Waypoint-Program header); failures arrive as
// application/problem+json and become an ApiError with the fields at fault.
// Nothing here logs request or response bodies: they can hold patient data.
import type { z } from 'zod';
import type { MeResponse, MfaConfirmResponse, MfaSetupResponse, SignInResponse } from '../../contracts/auth.ts';
import type { AuditEvent, AuditPatientMatches } from '../../contracts/audit.ts';
import type { FieldReason } from '../../contracts/common.ts';
import type {
  CareTeamMember,
  DuplicateCandidates,
  Episode,
  Medication,
  Patient,
  PatientCreate,
  PatientSummary,
  PatientUpdate,
  MedicationCreate,
  EpisodeCreate,
  EpisodeDischarge,
  CareTeamAdd,
} from '../../contracts/patients.ts';
import type { OrganizationSettings, PasswordReset, Staff, StaffCreate, StaffCreated, StaffUpdate } from '../../contracts/staff.ts';
import type * as Cm from '../../contracts/cm.ts';
import type * as As from '../../contracts/assessments.ts';
import type * as Pl from '../../contracts/planning.ts';
import type * as Ci from '../../contracts/checkins.ts';
import type * as Msg from '../../contracts/messages.ts';
import type * as Pa from '../../contracts/patient-app.ts';
import type * as Help from '../../contracts/help.ts';
import type * as Enc from '../../contracts/encounters.ts';
import type * as Notes from '../../contracts/notes.ts';

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
export type AuditPatientMatchesT = z.infer<typeof AuditPatientMatches>;
export type DuplicateCandidatesT = z.infer<typeof DuplicateCandidates>;
export type Page<T> = { items: T[]; nextCursor: string | null };

// Encounters (the schedule, visits, attendance, weekly groups)
export type EncounterTypeT = z.infer<typeof Enc.EncounterType>;
export type RoomT = z.infer<typeof Enc.Room>;
export type ScheduleT = z.infer<typeof Enc.Schedule>;
export type ScheduledVisitT = z.infer<typeof Enc.ScheduledVisit>;
export type EncounterT = z.infer<typeof Enc.Encounter>;
export type EncounterCreateT = z.input<typeof Enc.EncounterCreate>;
export type AttendanceRecordedT = z.infer<typeof Enc.AttendanceRecorded>;
export type AttendanceCreateT = z.input<typeof Enc.AttendanceCreate>;
export type GroupSeriesT = z.infer<typeof Enc.GroupSeries>;
export type GroupSeriesSummaryT = z.infer<typeof Enc.GroupSeriesSummary>;
export type GroupSeriesCreateT = z.input<typeof Enc.GroupSeriesCreate>;
export type PatientEncounterT = z.infer<typeof Enc.PatientEncounter>;

// Messages (the outbox, contact preferences, the SMS simulator)
export type OutboxListT = z.infer<typeof Msg.OutboxList>;
export type OutboxMessageT = z.infer<typeof Msg.OutboxMessage>;
export type ContactPreferencesT = z.infer<typeof Msg.ContactPreferences>;
export type ContactPreferencesUpdateT = z.input<typeof Msg.ContactPreferencesUpdate>;
export type SmsSimulationResultT = z.infer<typeof Msg.SmsSimulationResult>;
export type VoiceSimulationResultT = z.infer<typeof Msg.VoiceSimulationResult>;
export type PhoneLineT = z.infer<typeof Msg.PhoneLine>;
// The patient app, as staff see it (ADR 030)
export type PatientInviteIssuedT = z.infer<typeof Pa.PatientInviteIssued>;
export type PatientAppAccessT = z.infer<typeof Pa.PatientAppAccess>;

// Contingency management
export type QueueItemT = z.infer<typeof Cm.QueueItem>;
export type SpecimenCreateT = z.input<typeof Cm.SpecimenCreate>;
export type SpecimenRecordedT = z.infer<typeof Cm.SpecimenRecorded>;
export type CheckInCreateT = z.input<typeof Cm.CheckInCreate>;
export type CheckInRecordedT = z.infer<typeof Cm.CheckInRecorded>;
export type SpecimenT = z.infer<typeof Cm.Specimen>;
export type SpecimenDetailT = z.infer<typeof Cm.SpecimenDetail>;
export type AdjudicationQueueItemT = z.infer<typeof Cm.AdjudicationQueueItem>;
export type AwardT = z.infer<typeof Cm.Award>;
export type NextOpportunityT = NonNullable<z.infer<typeof Cm.NextOpportunity>>;
export type CorrectionCreateT = z.input<typeof Cm.CorrectionCreate>;
export type AdjudicationCreateT = z.input<typeof Cm.AdjudicationCreate>;
export type DrawT = z.infer<typeof Cm.Draw>;
export type DrawListT = z.infer<typeof Cm.DrawList>;
export type PublicVerificationT = z.infer<typeof Cm.PublicVerification>;
export type PublicSeedListT = z.infer<typeof Cm.PublicSeedList>;
export type EnrolmentT = z.infer<typeof Cm.Enrolment>;
export type EnrolmentCreateT = z.input<typeof Cm.EnrolmentCreate>;
export type LedgerT = z.infer<typeof Cm.Ledger>;
export type LedgerEntryT = z.infer<typeof Cm.LedgerEntry>;
/** A ledger read's line: a prize of a draw not shown yet is `hidden` (cents, tier and cap null). */
export type LedgerItemT = z.infer<typeof Cm.LedgerItem>;
export type CapStatusT = z.infer<typeof Cm.CapStatus>;
export type CatalogueItemT = z.infer<typeof Cm.CatalogueItem>;
export type CatalogueItemCreateT = z.input<typeof Cm.CatalogueItemCreate>;
export type CatalogueItemUpdateT = z.input<typeof Cm.CatalogueItemUpdate>;
export type RedemptionT = z.infer<typeof Cm.Redemption>;
export type RedemptionListItemT = z.infer<typeof Cm.RedemptionListItem>;
export type LedgerVoidedT = z.infer<typeof Cm.LedgerVoided>;
export type RedemptionCreateT = z.input<typeof Cm.RedemptionCreate>;
export type RedemptionRequestDeclineT = z.input<typeof Cm.RedemptionRequestDecline>;
export type RedemptionDecisionT = z.input<typeof Cm.RedemptionDecision>;
export type RedemptionRequestT = z.infer<typeof Cm.RedemptionRequest>;
export type PatientCmSummaryT = z.infer<typeof Cm.PatientCmSummary>;
export type CalendarCellT = z.infer<typeof Cm.CalendarCell>;
export type ProgrammeCmSummaryT = z.infer<typeof Cm.ProgrammeCmSummary>;
export type ProtocolT = z.infer<typeof Cm.Protocol> & { preview?: ProtocolPreviewT | null };
export type ProtocolPreviewT = z.infer<typeof Cm.ProtocolPreview>;
export type PresetSummaryT = z.infer<typeof Cm.PresetSummary>;
export type FundingSourceT = z.infer<typeof Cm.FundingSource>;
export type FundingSourceCreateT = z.input<typeof Cm.FundingSourceCreate>;
export type CmSettingsT = z.infer<typeof Cm.CmSettings>;
export type PrivilegeRecommendationT = z.infer<typeof Cm.PrivilegeRecommendation>;
export type SeedInfoT = z.infer<typeof Cm.SeedInfo>;
export type TokenT = z.infer<typeof Cm.Token>;
export type TokenCreatedT = z.infer<typeof Cm.TokenCreated>;
export type LedgerTotalsT = z.infer<typeof Cm.LedgerTotals>;
export type TrackSettlementT = z.infer<typeof Cm.TrackSettlementView>;
// Screens (every patient's, in CM or not)
export type PatientScreensT = z.infer<typeof Cm.PatientScreens>;
export type ScreenT = PatientScreensT['items'][number];
// Assessments and planning
export type InstrumentSummaryT = z.infer<typeof As.InstrumentSummary>;
export type InstrumentId = InstrumentSummaryT['id'];
export type AssessmentT = z.infer<typeof As.Assessment>;
export type AssessmentCreateT = z.input<typeof As.AssessmentCreate>;
export type PatientSessionStartedT = z.infer<typeof As.PatientSessionStarted>;
export type PatientSessionStatusT = z.infer<typeof As.PatientSessionStatus>;
export type TabletSessionT = z.infer<typeof As.TabletSession>;
export type TabletSubmittedT = z.infer<typeof As.TabletSubmitted>;
export type StageRecordT = z.input<typeof As.StageRecord>;
export type StageTrajectoryT = z.infer<typeof As.StageTrajectory>;
export type StagePointT = z.infer<typeof As.StagePoint>;
export type SafetyAlertT = z.infer<typeof As.SafetyAlert>;
// Check-ins
export type CheckInT = z.infer<typeof Ci.CheckIn>;
export type CheckInAnswersT = z.infer<typeof Ci.CheckInAnswers>;
export type CheckInResultT = z.infer<typeof Ci.CheckInResult>;
export type CheckInListT = z.infer<typeof Ci.CheckInList>;
export type RiskRuleSettingsT = z.infer<typeof Ci.RiskRuleSettings>;
// Help now (ADR 037)
export type HelpSettingsT = z.infer<typeof Help.HelpSettings>;
export type HelpSettingsReadT = z.infer<typeof Help.HelpSettingsRead>;
export type SafetyPlanT = z.infer<typeof Help.SafetyPlan>;
export type SafetyPlanVersionsT = z.infer<typeof Help.SafetyPlanVersions>;
export type RecommendationsT = z.infer<typeof Pl.Recommendations>;
export type RecommendationT = RecommendationsT['recommendations'][number];
export type CarePlanT = z.infer<typeof Pl.CarePlan>;
export type CarePlanCreateT = z.input<typeof Pl.CarePlanCreate>;
export type CarePlanReviseT = z.input<typeof Pl.CarePlanRevise>;
export type CarePlanSummaryT = z.infer<typeof Pl.CarePlanSummary>;
export type CarePlanVersionSummaryT = z.infer<typeof Pl.CarePlanVersionSummary>;
export type AgreementCreateT = z.input<typeof Pl.AgreementCreate>;
export type PlanReviewListT = z.infer<typeof Pl.PlanReviewList>;
// Notes on visits and SUD counselling notes kept apart (ADR 041)
export type ProgressNoteT = z.infer<typeof Notes.ProgressNote>;
export type ProgressNoteCreateT = z.input<typeof Notes.ProgressNoteCreate>;
export type CosignQueueT = z.infer<typeof Notes.CosignQueue>;
export type CounsellingNoteT = z.infer<typeof Notes.CounsellingNote>;
export type GrantListT = z.infer<typeof Notes.GrantList>;

/** A field at fault: the server's message (English) and, when the request's schema refused it, why (with its limit). */
export type FieldProblem = { field: string; message: string; reason?: FieldReason; limit?: number };

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
  /** The problem with one field, given as its name in the body ("birthDate") or its full path ("body.birthDate"). */
  fieldProblem(field: string): FieldProblem | undefined {
    // A body field may be named with or without "body." ("cup.lot" is "body.cup.lot").
    return this.problems.find((p) => p.field === field || p.field === `body.${field}`);
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

type Options = {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Makes a create safe to retry: the server answers a repeated key with the first answer. */
  idempotencyKey?: string;
  /** A credential other than the staff session (the patient tablet's token); no programme header then. */
  bearer?: string;
};

export async function send(path: string, opts: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  else if (currentProgramId) headers['waypoint-program'] = currentProgramId;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
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

export async function json<T>(path: string, opts: Options = {}): Promise<T> {
  const res = await send(path, opts);
  return (await res.json()) as T;
}

/** One page of a list: `{ items, nextCursor }`, or `{ items }` from a list that is not paged (nextCursor null). */
async function page<T>(path: string, query: Options['query'] = {}, cursor?: string | null): Promise<Page<T>> {
  const body = await json<{ items: T[]; nextCursor?: string | null }>(path, { query: { ...query, cursor: cursor ?? undefined } });
  return { items: body.items, nextCursor: body.nextCursor ?? null };
}

/**
 * Every item of a short list (protocols, catalogue, today's queue …), following `nextCursor`
 * when the list is paged. The first request sends no paging parameters, so it works whether
 * or not the endpoint pages; at most 50 pages, as a guard.
 */
async function all<T>(path: string, query: Options['query'] = {}): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const p: Page<T> = await page<T>(path, query, cursor);
    items.push(...p.items);
    cursor = p.nextCursor;
    if (!cursor) break;
  }
  return { items };
}

/**
 * Every page of a paginated answer with its items joined (the other fields from the first
 * page): for lists a screen shows whole (a day's schedule, a work list). At most 50 pages.
 */
export async function everyPage<R extends { items: unknown[]; nextCursor: string | null }>(path: string, query: Options['query'] = {}): Promise<R> {
  let whole: R | null = null;
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const p: R = await json<R>(path, { query: { ...query, limit: 200, cursor: cursor ?? undefined } });
    if (whole) whole.items.push(...p.items);
    else whole = p;
    cursor = p.nextCursor;
    if (!cursor) break;
  }
  return { ...whole!, nextCursor: null };
}

/** A fresh key for one form: a second click or a retry of the same save is answered, not repeated. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const enc = encodeURIComponent;

export const api = {
  // The patient app: invite a patient, see and revoke their devices
  invitePatientToApp: (patientId: string) => json<PatientInviteIssuedT>(`/patients/${enc(patientId)}/app-invites`, { method: 'POST' }),
  textPatientAppInvite: (patientId: string) => json<z.infer<typeof Pa.PatientInviteTexted>>(`/patients/${enc(patientId)}/app-invites/sms`, { method: 'POST' }),
  patientAppAccess: (patientId: string) => json<PatientAppAccessT>(`/patients/${enc(patientId)}/app-access`),
  revokePatientDevice: (patientId: string, deviceId: string) => json<PatientAppAccessT>(`/patients/${enc(patientId)}/app-devices/${enc(deviceId)}/revoke`, { method: 'POST' }),
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
  searchPatients: (body: { q?: string; birthDate?: string; mrn?: string; limit: number; cursor?: string }) => json<Page<PatientSummaryT>>('/patients/search', { body }),
  findDuplicates: (body: { legalGivenName: string; legalFamilyName: string; birthDate: string; mrn?: string }) => json<DuplicateCandidatesT>('/patients/duplicates', { body }),
  registerPatient: (body: PatientCreateT) => json<PatientT>('/patients', { body }),
  getPatient: (id: string) => json<PatientT>(`/patients/${encodeURIComponent(id)}`),
  updatePatient: (id: string, body: PatientUpdateT) => json<PatientT>(`/patients/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  medications: (patientId: string) => json<{ items: MedicationT[] }>(`/patients/${encodeURIComponent(patientId)}/medications`),
  addMedication: (patientId: string, body: MedicationCreateT) => json<MedicationT>(`/patients/${encodeURIComponent(patientId)}/medications`, { body }),
  endMedication: (patientId: string, id: string, endedOn: string) => json<MedicationT>(`/patients/${encodeURIComponent(patientId)}/medications/${encodeURIComponent(id)}/end`, { body: { endedOn } }),
  episodes: (patientId: string) => json<{ items: EpisodeT[] }>(`/patients/${encodeURIComponent(patientId)}/episodes`),
  admit: (patientId: string, body: EpisodeCreateT) => json<EpisodeT>(`/patients/${encodeURIComponent(patientId)}/episodes`, { body }),
  discharge: (patientId: string, id: string, body: EpisodeDischargeT) => json<EpisodeT>(`/patients/${encodeURIComponent(patientId)}/episodes/${encodeURIComponent(id)}/discharge`, { body }),
  careTeam: (patientId: string) => json<{ items: CareTeamMemberT[] }>(`/patients/${encodeURIComponent(patientId)}/care-team`),
  addToCareTeam: (patientId: string, body: CareTeamAddT) => json<{ items: CareTeamMemberT[] }>(`/patients/${encodeURIComponent(patientId)}/care-team`, { body }),
  removeFromCareTeam: (patientId: string, userId: string, role: string) =>
    json<{ items: CareTeamMemberT[] }>(`/patients/${encodeURIComponent(patientId)}/care-team/${encodeURIComponent(userId)}/${encodeURIComponent(role)}`, { method: 'DELETE' }),

  // Staff and organisation
  /** Every staff member of the programme (follows the pages; staff lists are short). */
  staff: async () => {
    const items: StaffT[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: StaffT[]; nextCursor: string | null } = await json(`/staff?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { items };
  },
  createStaff: (body: StaffCreateT) => json<StaffCreatedT>('/staff', { body }),
  updateStaff: (id: string, body: StaffUpdateT) => json<StaffT>(`/staff/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  resetStaffPassword: (id: string, resetMfa: boolean) => json<PasswordResetT>(`/staff/${encodeURIComponent(id)}/password-reset`, { body: { resetMfa } }),
  organizationSettings: () => json<OrganizationSettingsT>('/organization/settings'),
  saveOrganizationSettings: (body: OrganizationSettingsT) => json<OrganizationSettingsT>('/organization/settings', { method: 'PUT', body }),
  patientAppSettings: () => json<{ idleMinutes: number }>('/patient-app/settings'),
  savePatientAppSettings: (body: { idleMinutes: number }) => json<{ idleMinutes: number }>('/patient-app/settings', { method: 'PUT', body }),

  // Contingency management: test day, draws, the patient's CM page
  cmQueue: (date?: string) => all<QueueItemT>('/cm/queue', { date }),
  recordSpecimen: (body: SpecimenCreateT, idempotencyKey: string) => json<SpecimenRecordedT>('/specimens', { body, idempotencyKey }),
  /** One page of the day's check-in list (attendance and doses; default today in the programme's time zone). */
  cmCheckIns: (opts: { date?: string; limit?: number; cursor?: string | null } = {}) => page<QueueItemT>('/cm/check-ins', { date: opts.date, limit: opts.limit }, opts.cursor),
  checkIn: (body: CheckInCreateT, idempotencyKey: string) => json<CheckInRecordedT>('/cm/check-ins', { body, idempotencyKey }),
  correctSpecimen: (id: string, body: CorrectionCreateT, idempotencyKey: string) => json<SpecimenRecordedT>(`/specimens/${enc(id)}/corrections`, { body, idempotencyKey }),
  adjudications: () => all<AdjudicationQueueItemT>('/cm/adjudications'),
  /** One specimen as recorded, its corrections and the result in effect (what a correction starts from). */
  specimen: (id: string) => json<SpecimenDetailT>(`/specimens/${enc(id)}`),
  adjudicate: (id: string, body: AdjudicationCreateT, idempotencyKey: string) => json<AwardT>(`/specimens/${enc(id)}/adjudications`, { body, idempotencyKey }),
  draws: (enrolmentId: string) => json<DrawListT>(`/cm/enrolments/${enc(enrolmentId)}/draws`),
  revealDraws: (enrolmentId: string, count: number) => json<DrawListT>(`/cm/enrolments/${enc(enrolmentId)}/draws/reveal`, { body: { count } }),
  /** Public (no sign-in): a commitment, its seed once revealed, and its draws; and the programme's seeds. */
  publicVerification: (commitment: string) => json<PublicVerificationT>(`/public/draw-verification/${enc(commitment)}`),
  publicSeeds: (commitment: string) => json<PublicSeedListT>(`/public/draw-verification/${enc(commitment)}/seeds`),
  enrolment: (id: string) => json<EnrolmentT>(`/cm/enrolments/${enc(id)}`),
  patientEnrolments: (patientId: string) => all<EnrolmentT>(`/cm/patients/${enc(patientId)}/enrolments`),
  enrol: (body: EnrolmentCreateT, idempotencyKey: string) => json<EnrolmentT>('/cm/enrolments', { body, idempotencyKey }),
  changeEnrolmentStatus: (id: string, body: { status: 'completed' | 'withdrawn'; reason: string }) => json<EnrolmentT>(`/cm/enrolments/${enc(id)}/status`, { body }),
  cmPatientSummary: (patientId: string) => json<PatientCmSummaryT>(`/cm/patients/${enc(patientId)}/summary`),
  ledger: (patientId: string) => json<LedgerT>(`/patients/${enc(patientId)}/ledger`),
  /** Every screen of the patient, newest first, with the results in effect (after corrections). */
  patientScreens: (patientId: string) => json<PatientScreensT>(`/patients/${enc(patientId)}/screens`),
  voidLedgerEntry: (id: string, reason: string, idempotencyKey: string) => json<LedgerVoidedT>(`/cm/ledger-entries/${enc(id)}/void`, { body: { reason }, idempotencyKey }),
  patientCaps: (patientId: string) => all<CapStatusT>(`/cm/patients/${enc(patientId)}/caps`),
  redemptions: (patientId: string) => all<RedemptionT>(`/cm/patients/${enc(patientId)}/redemptions`),
  redeem: (patientId: string, body: RedemptionCreateT, idempotencyKey: string) => json<RedemptionT>(`/cm/patients/${enc(patientId)}/redemptions`, { body, idempotencyKey }),
  decideRedemption: (id: string, body: RedemptionDecisionT) => json<RedemptionT>(`/cm/redemptions/${enc(id)}/decision`, { body }),
  redemptionRequests: (patientId: string) => all<RedemptionRequestT>(`/cm/patients/${enc(patientId)}/redemption-requests`),
  declineRedemptionRequest: (id: string, body: RedemptionRequestDeclineT) => json<RedemptionRequestT>(`/cm/redemption-requests/${enc(id)}/decline`, { body }),
  /** One page of the programme's redemptions (status 'pending': waiting for approval), oldest first. */
  programmeRedemptions: (status: 'pending' | 'completed' | 'declined' | undefined, cursor?: string | null) => page<RedemptionListItemT>('/cm/redemptions', { status, limit: 50 }, cursor),
  privilegeRecommendations: (pending: boolean) => all<PrivilegeRecommendationT>('/cm/privilege-recommendations', { pending: pending ? 'true' : undefined }),
  decidePrivilege: (id: string, body: { decision: 'approved' | 'declined'; reason: string }) => json<PrivilegeRecommendationT>(`/cm/privilege-recommendations/${enc(id)}/decision`, { body }),

  // Contingency management: the programme
  cmSummary: () => json<ProgrammeCmSummaryT>('/cm/summary'),
  presets: () => all<PresetSummaryT>('/cm/presets'),
  protocols: () => all<ProtocolT>('/cm/protocols'),
  protocol: (id: string) => json<ProtocolT>(`/cm/protocols/${enc(id)}`),
  previewProtocol: (document: unknown, signal?: AbortSignal) => json<ProtocolPreviewT>('/cm/protocols/preview', { body: { document }, signal }),
  createProtocol: (body: { document?: unknown; preset?: string }, idempotencyKey: string) => json<ProtocolT>('/cm/protocols', { body, idempotencyKey }),
  fundingSources: () => all<FundingSourceT>('/cm/funding-sources'),
  createFundingSource: (body: FundingSourceCreateT, idempotencyKey: string) => json<FundingSourceT>('/cm/funding-sources', { body, idempotencyKey }),
  cmSettings: () => json<CmSettingsT>('/cm/settings'),
  saveCmSettings: (body: Partial<CmSettingsT>) => json<CmSettingsT>('/cm/settings', { method: 'PUT', body }),
  catalogue: () => all<CatalogueItemT>('/cm/catalogue'),
  createCatalogueItem: (body: CatalogueItemCreateT, idempotencyKey: string) => json<CatalogueItemT>('/cm/catalogue', { body, idempotencyKey }),
  updateCatalogueItem: (id: string, body: CatalogueItemUpdateT) => json<CatalogueItemT>(`/cm/catalogue/${enc(id)}`, { method: 'PATCH', body }),
  moveStock: (id: string, body: { delta: number; reason: 'received' | 'count-correction' | 'damaged' }, idempotencyKey: string) =>
    json<CatalogueItemT>(`/cm/catalogue/${enc(id)}/stock`, { body, idempotencyKey }),
  seeds: () => all<SeedInfoT>('/cm/seeds'),
  rotateSeed: () => json<SeedInfoT>('/cm/seeds/rotate', { method: 'POST' }),
  tokens: () => all<TokenT>('/integration-tokens'),
  createToken: (body: z.infer<typeof Cm.TokenCreate>) => json<TokenCreatedT>('/integration-tokens', { body }),
  revokeToken: (id: string) => json<TokenT>(`/integration-tokens/${enc(id)}/revoke`, { method: 'POST' }),

  // Assessments, stage of change, safety alerts
  instruments: () => all<InstrumentSummaryT>('/instruments'),
  questionnaire: (id: InstrumentId) => json<Record<string, unknown>>(`/instruments/${enc(id)}/questionnaire`),
  administer: (patientId: string, body: AssessmentCreateT, idempotencyKey: string) => json<AssessmentT>(`/patients/${enc(patientId)}/assessments`, { body, idempotencyKey }),
  assessments: (patientId: string, cursor?: string | null, instrument?: InstrumentId) => page<AssessmentT>(`/patients/${enc(patientId)}/assessments`, { limit: 10, instrument }, cursor),
  startPatientSession: (patientId: string, body: { instrument: InstrumentId; targetBehavior?: string }) => json<PatientSessionStartedT>(`/patients/${enc(patientId)}/patient-sessions`, { body }),
  patientSession: (patientId: string, id: string) => json<PatientSessionStatusT>(`/patients/${enc(patientId)}/patient-sessions/${enc(id)}`),
  cancelPatientSession: (patientId: string, id: string) => json<PatientSessionStatusT>(`/patients/${enc(patientId)}/patient-sessions/${enc(id)}/cancel`, { method: 'POST' }),
  /** The tablet opens its link: the single-use hand-off code for the form token (ADR 027). */
  tabletHandoff: (code: string) => json<z.infer<typeof As.TabletHandoffExchanged>>('/tablet/handoff', { body: { code } }),
  /** "Staff: back to the console": the password of the staff member who started the form; sets the staff session. */
  tabletReturn: (token: string, password: string) => json<z.infer<typeof As.TabletReturned>>('/tablet/return', { body: { password }, bearer: token }),
  tabletSession: (token: string) => json<TabletSessionT>('/tablet/session', { bearer: token }),
  tabletSubmit: (token: string, body: { answers: Record<string, number | null>; targetBehavior?: string }) => json<TabletSubmittedT>('/tablet/answers', { body, bearer: token }),
  stage: (patientId: string) => json<StageTrajectoryT>(`/patients/${enc(patientId)}/stage`),
  recordStage: (patientId: string, body: StageRecordT) => json<StageTrajectoryT>(`/patients/${enc(patientId)}/stage`, { body }),
  safetyAlerts: (q: { status?: 'open' | 'acknowledged' | 'all'; scope?: 'care-team' | 'all'; patientId?: string }, cursor?: string | null) =>
    page<SafetyAlertT>('/safety-alerts', { ...q, limit: 50 }, cursor),
  checkIns: (patientId: string, days: number) => json<CheckInListT>(`/patients/${enc(patientId)}/check-ins`, { query: { days } }),
  recordCheckIn: (patientId: string, body: { answers: CheckInAnswersT; idempotencyKey: string }) => json<CheckInResultT>(`/patients/${enc(patientId)}/check-ins`, { body }),
  riskRules: () => json<RiskRuleSettingsT>('/check-ins/settings'),
  saveRiskRules: (body: RiskRuleSettingsT) => json<RiskRuleSettingsT>('/check-ins/settings', { method: 'PUT', body }),
  helpSettings: () => json<HelpSettingsReadT>('/help-settings'),
  saveHelpSettings: (body: HelpSettingsT) => json<HelpSettingsReadT>('/help-settings', { method: 'PUT', body }),
  safetyPlan: (patientId: string) => json<SafetyPlanT>(`/patients/${enc(patientId)}/safety-plan`),
  saveSafetyPlan: (patientId: string, body: { version: number; plan: SafetyPlanT['plan'] }) => json<SafetyPlanT>(`/patients/${enc(patientId)}/safety-plan`, { method: 'PUT', body }),
  safetyPlanVersions: (patientId: string) => json<SafetyPlanVersionsT>(`/patients/${enc(patientId)}/safety-plan/versions`),
  acknowledgeAlert: (id: string, note?: string) => json<SafetyAlertT>(`/safety-alerts/${enc(id)}/acknowledge`, { body: note ? { note } : {} }),

  // Recommendations and care plans
  recommendations: (patientId: string, context?: Record<string, unknown>) => json<RecommendationsT>(`/patients/${enc(patientId)}/recommendations`, { body: context ? { context } : {} }),
  carePlans: (patientId: string) => all<CarePlanSummaryT>(`/patients/${enc(patientId)}/care-plans`),
  carePlan: (patientId: string, id: string) => json<CarePlanT>(`/patients/${enc(patientId)}/care-plans/${enc(id)}`),
  createCarePlan: (patientId: string, body: CarePlanCreateT, idempotencyKey: string) => json<CarePlanT>(`/patients/${enc(patientId)}/care-plans`, { body, idempotencyKey }),
  reviseCarePlan: (patientId: string, id: string, body: CarePlanReviseT) => json<CarePlanT>(`/patients/${enc(patientId)}/care-plans/${enc(id)}`, { method: 'PUT', body }),
  planVersions: (patientId: string, id: string) => all<CarePlanVersionSummaryT>(`/patients/${enc(patientId)}/care-plans/${enc(id)}/versions`),
  recordAgreement: (patientId: string, id: string, body: AgreementCreateT) => json<CarePlanT>(`/patients/${enc(patientId)}/care-plans/${enc(id)}/agreements`, { body }),
  /** The printable plan as HTML (fetched with the programme header; shown by the caller from a blob). */
  printCarePlan: async (patientId: string, id: string): Promise<Blob> => (await send(`/patients/${enc(patientId)}/care-plans/${enc(id)}/print`)).blob(),
  messages: (query: { status?: string; channel?: string }) => json<OutboxListT>('/messages', { query: { ...query, limit: 200 } }), // the newest 200; older ones through nextCursor
  retryMessage: (id: string) => json<{ id: string; status: 'pending' }>(`/messages/${enc(id)}/retry`, { method: 'POST' }),
  contactPreferences: (patientId: string) => json<ContactPreferencesT>(`/patients/${enc(patientId)}/contact-preferences`),
  updateContactPreferences: (patientId: string, body: ContactPreferencesUpdateT) => json<ContactPreferencesT>(`/patients/${enc(patientId)}/contact-preferences`, { method: 'PUT', body }),
  simulateSms: (body: { from: string; body: string }) => json<SmsSimulationResultT>('/messages/simulator/sms', { body }),
  simulateVoiceCall: (body: { from: string }) => json<VoiceSimulationResultT>('/messages/simulator/voice/call', { body }),
  simulateVoiceKeys: (body: { callSid: string; seq: number; digits: string }) => json<VoiceSimulationResultT>('/messages/simulator/voice/keys', { body }),
  phoneLine: () => json<PhoneLineT>('/phone-line'),
  updatePhoneLine: (body: { clinicNumber: string | null }) => json<PhoneLineT>('/phone-line', { method: 'PUT', body }),
  planReviews: (cursor?: string | null) => json<PlanReviewListT>('/work-list/plan-reviews', { query: { limit: 50, cursor: cursor ?? undefined } }),

  // Notes on visits (ADR 041)
  encounterNotes: (encounterId: string) => json<{ items: ProgressNoteT[] }>(`/encounters/${enc(encounterId)}/notes`),
  createNote: (encounterId: string, body: ProgressNoteCreateT) => json<ProgressNoteT>(`/encounters/${enc(encounterId)}/notes`, { body }),
  saveNote: (id: string, body: { version: number; sections: Record<string, string>; goalIds?: string[] }) => json<ProgressNoteT>(`/progress-notes/${enc(id)}`, { method: 'PATCH', body }),
  signNote: (id: string, body: { version: number; cosignerId: string | null }) => json<ProgressNoteT>(`/progress-notes/${enc(id)}/sign`, { body }),
  cosignNote: (id: string) => json<ProgressNoteT>(`/progress-notes/${enc(id)}/cosign`, { method: 'POST' }),
  addAddendum: (id: string, text: string) => json<ProgressNoteT>(`/progress-notes/${enc(id)}/addenda`, { body: { text } }),
  cosignQueue: () => everyPage<CosignQueueT>('/progress-notes/cosign-queue'),
  progressNote: (id: string) => json<ProgressNoteT>(`/progress-notes/${enc(id)}`),
  counsellingNotes: (encounterId: string) => json<{ items: CounsellingNoteT[] }>(`/encounters/${enc(encounterId)}/counselling-notes`),
  createCounsellingNote: (encounterId: string, body: { patientId: string; body: string }) => json<CounsellingNoteT>(`/encounters/${enc(encounterId)}/counselling-notes`, { body }),
  saveCounsellingNote: (id: string, body: { version: number; body: string }) => json<CounsellingNoteT>(`/counselling-notes/${enc(id)}`, { method: 'PATCH', body }),
  signCounsellingNote: (id: string, version: number) => json<CounsellingNoteT>(`/counselling-notes/${enc(id)}/sign`, { body: { version } }),
  grantCounsellingNote: (id: string, userId: string) => json<GrantListT>(`/counselling-notes/${enc(id)}/grants`, { body: { userId } }),
  revokeCounsellingNote: (id: string, userId: string) => json<GrantListT>(`/counselling-notes/${enc(id)}/grants/${enc(userId)}/revoke`, { method: 'POST' }),

  // Audit
  auditEvents: (filters: AuditFilters, cursor?: string) => json<Page<AuditEventT>>('/audit-events', { query: { ...filters, limit: 50, cursor } }),
  /** The filtered audit trail as a CSV file (fetched with the programme header, saved by the caller). */
  auditCsv: async (filters: AuditFilters): Promise<Blob> => (await send('/audit-events.csv', { query: { ...filters } })).blob(),
  /** Find a patient by name or MRN to filter the trail by (a POST: the name stays out of URLs; the server audits the search). */
  findPatientsForAudit: (q: string) => json<AuditPatientMatchesT>('/audit-events/patients', { body: { q } }),

  // Encounters
  encounterTypes: () => json<{ items: EncounterTypeT[] }>('/encounter-types'),
  createEncounterType: (body: z.input<typeof Enc.EncounterTypeCreate>) => json<EncounterTypeT>('/encounter-types', { body }),
  rooms: () => json<{ items: RoomT[] }>('/rooms'),
  createRoom: (body: z.input<typeof Enc.RoomCreate>) => json<RoomT>('/rooms', { body }),
  schedule: (q: { date?: string; staffId?: string }) => everyPage<ScheduleT>('/schedule', q),
  bookEncounter: (body: EncounterCreateT, idempotencyKey: string) => json<EncounterT>('/encounters', { body, idempotencyKey }),
  encounter: (id: string) => json<EncounterT>(`/encounters/${enc(id)}`),
  rescheduleEncounter: (id: string, body: z.input<typeof Enc.EncounterReschedule>) => json<EncounterT>(`/encounters/${enc(id)}/reschedule`, { body }),
  cancelEncounter: (id: string, body: z.input<typeof Enc.EncounterCancel>) => json<EncounterT>(`/encounters/${enc(id)}/cancel`, { body }),
  addParticipant: (id: string, patientId: string) => json<EncounterT>(`/encounters/${enc(id)}/participants`, { body: { patientId } }),
  recordArrival: (id: string, patientId: string) => json<ScheduledVisitT>(`/encounters/${enc(id)}/arrivals`, { body: { patientId } }),
  recordAttendance: (id: string, body: AttendanceCreateT, idempotencyKey: string) => json<AttendanceRecordedT>(`/encounters/${enc(id)}/attendance`, { body, idempotencyKey }),
  patientEncounters: (patientId: string, cursor?: string | null) => page<PatientEncounterT>(`/patients/${enc(patientId)}/encounters`, { limit: 20 }, cursor),
  groupSeriesList: () => all<GroupSeriesSummaryT>('/group-series'),
  groupSeries: (id: string) => json<GroupSeriesT>(`/group-series/${enc(id)}`),
  createGroupSeries: (body: GroupSeriesCreateT, idempotencyKey: string) => json<GroupSeriesT>('/group-series', { body, idempotencyKey }),
  addToRoster: (id: string, patientId: string) => json<GroupSeriesT>(`/group-series/${enc(id)}/members`, { body: { patientId } }),
  removeFromRoster: (id: string, patientId: string, reason: string) => json<GroupSeriesT>(`/group-series/${enc(id)}/members/${enc(patientId)}/remove`, { body: { reason } }),
};

export type AuditFilters = {
  from?: string;
  to?: string;
  action?: string;
  entity?: string;
  group?: string;
  outcome?: string;
  patientId?: string;
  actorId?: string;
};
