// The patient app's calls: only /api/patient, where the wp_patient cookie goes (ADR 030).
// Errors arrive as application/problem+json and become a PatientApiError with its code.
import type { z } from 'zod';
import type { PatientChallenge, PatientDrawsShown, PatientMe, PatientNotifications, PatientRequest, PatientRewards, PatientSignedIn, PatientToday } from '../../../contracts/patient-app.ts';
import type { AuthenticationT, CreationOptionsT, RegistrationT, RequestOptionsT } from './passkey.ts';
import type { CheckInResult, PatientCheckInCreate, PatientCheckInTrends } from '../../../contracts/checkins.ts';
import type { PatientCareTeam, PatientPlan, PublicHelp, SafetyPlan } from '../../../contracts/help.ts';
import type { PatientOwnNaloxone } from '../../../contracts/naloxone.ts';
import type { Accounting, ConsentList, ConsentView, FamilyMe, SharedCard, SharedList } from '../../../contracts/consent.ts';
import type { MyCraft, WellbeingResult } from '../../../contracts/craft.ts';
import type { FamilyOwnNaloxone, LessonFinished, LessonList, LessonOut } from '../../../contracts/family-education.ts';
import type { MeetingSearchResult } from '../../../contracts/meetings.ts';
import type { FamilyTogether, PatientTogether, RecordedDay } from '../../../contracts/together.ts';

export type PatientTodayT = z.infer<typeof PatientToday>;
export type PatientTrendsT = z.infer<typeof PatientCheckInTrends>;
export type PatientRewardsT = z.infer<typeof PatientRewards>;
export type PatientRequestT = z.infer<typeof PatientRequest>;
export type PatientDrawsShownT = z.infer<typeof PatientDrawsShown>;
export type CheckInResultT = z.infer<typeof CheckInResult>;
export type PatientCheckInT = z.input<typeof PatientCheckInCreate>;
export type PublicHelpT = z.infer<typeof PublicHelp>;
export type SafetyPlanT = z.infer<typeof SafetyPlan>;
export type PatientPlanT = z.infer<typeof PatientPlan>;
export type PatientNotificationsT = z.infer<typeof PatientNotifications>;
export type PatientNaloxoneT = z.infer<typeof PatientOwnNaloxone>;
export type ConsentViewT = z.infer<typeof ConsentView>;
export type ConsentListT = z.infer<typeof ConsentList>;
export type AccountingT = z.infer<typeof Accounting>;
export type FamilyMeT = z.infer<typeof FamilyMe>;
export type SharedCardT = z.infer<typeof SharedCard>;
export type SharedListT = z.infer<typeof SharedList>;
export type MyCraftT = z.infer<typeof MyCraft>;
export type WellbeingResultT = z.infer<typeof WellbeingResult>;
export type LessonListT = z.infer<typeof LessonList>;
export type LessonT = z.infer<typeof LessonOut>;
export type FamilyNaloxoneT = z.infer<typeof FamilyOwnNaloxone>;
export type FamilyMeetingsT = z.infer<typeof MeetingSearchResult>;
export type PatientTogetherT = z.infer<typeof PatientTogether>;
export type FamilyTogetherT = z.infer<typeof FamilyTogether>;
export type RecordedDayT = z.infer<typeof RecordedDay>;

export class PatientApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | null,
    readonly problems: ReadonlyArray<{ field: string; message: string }> = [],
  ) {
    super(code);
  }
}

export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: { keepalive?: boolean } = {}): Promise<T> {
  const res = await fetch(`/api/patient${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    keepalive: opts.keepalive ?? false,
  });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; problems?: Array<{ field: string; message: string }> };
    throw new PatientApiError(res.status, p.code ?? 'error', p.problems?.[0]?.field ?? null, p.problems ?? []);
  }
  return (await res.json()) as T;
}

type SignedIn = z.infer<typeof PatientSignedIn>;
export const patientApi = {
  activate: (body: { code: string; publicKey: { kty: 'EC'; crv: 'P-256'; x: string; y: string }; proof: string; pin: string }) => call<SignedIn>('POST', '/activate', body),
  challenge: (body: { programId: string; deviceId: string }) => call<z.infer<typeof PatientChallenge>>('POST', '/challenge', body),
  unlock: (body: { programId: string; deviceId: string; challenge: string; signature: string; pin: string }) => call<SignedIn>('POST', '/unlock', body),
  passkeyRegistrationOptions: (body: { code: string }) => call<CreationOptionsT>('POST', '/passkey/registration-options', body),
  passkeyActivate: (body: { code: string; response: RegistrationT }) => call<SignedIn>('POST', '/passkey/activate', body),
  passkeyUnlockOptions: (body: { programId: string; deviceId: string }) => call<RequestOptionsT>('POST', '/passkey/unlock-options', body),
  passkeyUnlock: (body: { programId: string; deviceId: string; response: AuthenticationT }) => call<SignedIn>('POST', '/passkey/unlock', body),
  me: () => call<z.infer<typeof PatientMe>>('GET', '/me'),
  today: () => call<z.infer<typeof PatientToday>>('GET', '/today'),
  rewards: () => call<PatientRewardsT>('GET', '/rewards'),
  revealDraws: (count: number) => call<PatientDrawsShownT>('POST', '/draws/reveal', { count }),
  requestItem: (body: { itemId: string; quantity: number; idempotencyKey: string }) => call<PatientRequestT>('POST', '/redemption-requests', body),
  withdrawRequest: (id: string) => call<PatientRequestT>('POST', `/redemption-requests/${id}/withdraw`),
  trends: (days: number) => call<PatientTrendsT>('GET', `/check-ins?days=${days}`),
  checkIn: (body: PatientCheckInT) => call<CheckInResultT>('POST', '/check-ins', body),
  lock: (opts: { keepalive?: boolean } = {}) => call<{ ok: true }>('POST', '/lock', undefined, opts),
  signOut: () => call<{ ok: true }>('POST', '/sign-out'),
  // Help now and My plan (ADR 037): help needs no session (a locked phone); the rest is the patient's own
  help: (programId: string) => call<PublicHelpT>('GET', `/help?programId=${encodeURIComponent(programId)}`),
  safetyPlan: () => call<SafetyPlanT>('GET', '/safety-plan'),
  saveSafetyPlan: (body: { version: number; plan: SafetyPlanT['plan'] }) => call<SafetyPlanT>('PUT', '/safety-plan', body),
  plan: () => call<PatientPlanT>('GET', '/plan'),
  careTeam: () => call<z.infer<typeof PatientCareTeam>>('GET', '/care-team'),
  naloxone: () => call<PatientNaloxoneT>('GET', '/naloxone'),
  notifications: () => call<PatientNotificationsT>('GET', '/notifications'),
  setReminder: (checkInReminderAt: string | null) => call<PatientNotificationsT>('PUT', '/notifications', { checkInReminderAt }),
  pushOn: (body: { endpoint: string; keys: { p256dh: string; auth: string } }) => call<PatientNotificationsT>('POST', '/push-subscription', body),
  pushOff: (endpoint: string) => call<PatientNotificationsT>('DELETE', '/push-subscription', { endpoint }),
  // Sharing (issue 16): my consents, signing one, taking one back, and who saw my records
  consents: () => call<ConsentListT>('GET', '/consents'),
  signConsent: (id: string, body: { signerName: string; agree: true }) => call<ConsentViewT>('POST', `/consents/${encodeURIComponent(id)}/sign`, body),
  revokeConsent: (id: string) => call<ConsentViewT>('POST', `/consents/${encodeURIComponent(id)}/revoke`),
  disclosures: () => call<AccountingT>('GET', '/disclosures'),
  // couples therapy (issue 16): our recovery contract and trust-talk calendar
  together: (month?: string) => call<PatientTogetherT>('GET', `/together${month ? `?month=${encodeURIComponent(month)}` : ''}`),
  togetherDay: (day: string, held: boolean) => call<RecordedDayT>('PUT', `/together/days/${encodeURIComponent(day)}`, { held }),
};

/** The family part of the app (a family member's phone; ADR 053): only /api/patient/family, never a patient route. Lock and sign-out are patientApi's (they work for both). */
export const familyApi = {
  me: () => call<FamilyMeT>('GET', '/family/me'),
  shared: () => call<SharedListT>('GET', '/family/shared'),
  sharedOne: (patientId: string) => call<SharedCardT>('GET', `/family/shared/${encodeURIComponent(patientId)}`),
  // CRAFT (issue 16): the CSO's own course, homework and wellbeing
  craft: (lang: 'en' | 'es') => call<MyCraftT>('GET', `/family/craft?lang=${lang}`),
  craftHomework: (number: number, response: string, lang: 'en' | 'es') => call<MyCraftT>('POST', `/family/craft/sessions/${number}/homework?lang=${lang}`, { response }),
  craftWellbeing: (instrument: 'phq-9' | 'gad-7', answers: Record<string, number>) => call<WellbeingResultT>('POST', '/family/craft/wellbeing', { instrument, answers }),
  // family education (issue 16): the family member's own lessons, naloxone and meetings for families
  lessons: (lang: 'en' | 'es') => call<LessonListT>('GET', `/family/lessons?lang=${lang}`),
  lesson: (key: string, lang: 'en' | 'es') => call<LessonT>('GET', `/family/lessons/${encodeURIComponent(key)}?lang=${lang}`),
  finishLesson: (key: string) => call<z.infer<typeof LessonFinished>>('POST', `/family/lessons/${encodeURIComponent(key)}/finish`),
  naloxone: () => call<FamilyNaloxoneT>('GET', '/family/naloxone'),
  // couples and network therapy (issue 16): the partner's calendar, the doses a network member saw
  together: (month?: string) => call<FamilyTogetherT>('GET', `/family/together${month ? `?month=${encodeURIComponent(month)}` : ''}`),
  togetherDay: (contractId: string, day: string, body: { held: boolean; medicationWitnessed?: boolean }) =>
    call<RecordedDayT>('PUT', `/family/together/contracts/${encodeURIComponent(contractId)}/days/${encodeURIComponent(day)}`, body),
  togetherDose: (memberId: string, day: string, taken: boolean) =>
    call<{ day: string; taken: boolean }>('PUT', `/family/together/network/${encodeURIComponent(memberId)}/doses/${encodeURIComponent(day)}`, { taken }),
  meetings: (postalCode?: string) => call<FamilyMeetingsT>('GET', `/family/meetings?limit=10${postalCode ? `&radius=25&postalCode=${encodeURIComponent(postalCode)}` : ''}`),
};
