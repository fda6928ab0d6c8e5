// The patient app's calls: only /api/patient, where the wp_patient cookie goes (ADR 030).
// Errors arrive as application/problem+json and become a PatientApiError with its code.
import type { z } from 'zod';
import type { PatientChallenge, PatientMe, PatientNotifications, PatientSignedIn, PatientToday } from '../../../contracts/patient-app.ts';
import type { CheckInResult, PatientCheckInCreate } from '../../../contracts/checkins.ts';

export type PatientTodayT = z.infer<typeof PatientToday>;
export type CheckInResultT = z.infer<typeof CheckInResult>;
export type PatientCheckInT = z.input<typeof PatientCheckInCreate>;
export type PatientNotificationsT = z.infer<typeof PatientNotifications>;

export class PatientApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | null,
  ) {
    super(code);
  }
}

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: { keepalive?: boolean } = {}): Promise<T> {
  const res = await fetch(`/api/patient${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    keepalive: opts.keepalive ?? false,
  });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; problems?: Array<{ field: string }> };
    throw new PatientApiError(res.status, p.code ?? 'error', p.problems?.[0]?.field ?? null);
  }
  return (await res.json()) as T;
}

type SignedIn = z.infer<typeof PatientSignedIn>;
export const patientApi = {
  activate: (body: { code: string; publicKey: { kty: 'EC'; crv: 'P-256'; x: string; y: string }; proof: string; pin: string }) => call<SignedIn>('POST', '/activate', body),
  challenge: (body: { programId: string; deviceId: string }) => call<z.infer<typeof PatientChallenge>>('POST', '/challenge', body),
  unlock: (body: { programId: string; deviceId: string; challenge: string; signature: string; pin: string }) => call<SignedIn>('POST', '/unlock', body),
  me: () => call<z.infer<typeof PatientMe>>('GET', '/me'),
  today: () => call<z.infer<typeof PatientToday>>('GET', '/today'),
  checkIn: (body: PatientCheckInT) => call<CheckInResultT>('POST', '/check-ins', body),
  lock: (opts: { keepalive?: boolean } = {}) => call<{ ok: true }>('POST', '/lock', undefined, opts),
  signOut: () => call<{ ok: true }>('POST', '/sign-out'),
  notifications: () => call<PatientNotificationsT>('GET', '/notifications'),
  setReminder: (checkInReminderAt: string | null) => call<PatientNotificationsT>('PUT', '/notifications', { checkInReminderAt }),
  pushOn: (body: { endpoint: string; keys: { p256dh: string; auth: string } }) => call<PatientNotificationsT>('POST', '/push-subscription', body),
  pushOff: (endpoint: string) => call<PatientNotificationsT>('DELETE', '/push-subscription', { endpoint }),
};
