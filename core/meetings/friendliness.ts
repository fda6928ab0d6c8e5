// MOUD-friendliness (issue 15, docs/meetings.md "MOUD-friendliness"): whether a meeting
// welcomes people who take medication for opioid use disorder. Staff record a judgement with
// its evidence and an expiry (history kept); the latest record is the meeting's current
// friendliness until it expires, then the meeting counts as unknown again. Patients answer
// "Did you feel welcome as someone on medication?"; their answers are shown only once at least
// WELCOME_MIN_PATIENTS different patients answered, as counts only, never who.
import type { Friendliness } from './model.ts';

export const EVIDENCE = ['stated-policy', 'staff-visit', 'patient-reports'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export const WELCOME_ANSWERS = ['yes', 'somewhat', 'no'] as const;
export type WelcomeAnswer = (typeof WELCOME_ANSWERS)[number];

/** Answers are shown once this many different patients answered. */
export const WELCOME_MIN_PATIENTS = 3;

export type FriendlinessRecord = { friendliness: Friendliness; evidence: Evidence; recordedAt: Date; expiresAt: Date | null };

export type CurrentFriendliness = { friendliness: Friendliness; evidence: Evidence | null; recordedAt: Date | null; expiresAt: Date | null; expired: boolean };

/** The current friendliness: the latest record, unless it has expired (then unknown). */
export function currentFriendliness(records: readonly FriendlinessRecord[], now: Date): CurrentFriendliness {
  let latest: FriendlinessRecord | null = null;
  for (const r of records) if (!latest || r.recordedAt.getTime() > latest.recordedAt.getTime()) latest = r;
  if (!latest) return { friendliness: 'unknown', evidence: null, recordedAt: null, expiresAt: null, expired: false };
  const expired = latest.expiresAt !== null && latest.expiresAt.getTime() <= now.getTime();
  return { friendliness: expired ? 'unknown' : latest.friendliness, evidence: latest.evidence, recordedAt: latest.recordedAt, expiresAt: latest.expiresAt, expired };
}

export type WelcomeReport = { patientId: string; answer: WelcomeAnswer; at: Date };
export type WelcomeCounts = { patients: number; yes: number; somewhat: number; no: number };

/**
 * The patients' answers as counts (each patient's latest answer once), or null while fewer
 * than WELCOME_MIN_PATIENTS different patients answered.
 */
export function welcomeCounts(reports: readonly WelcomeReport[]): WelcomeCounts | null {
  const latest = new Map<string, WelcomeReport>();
  for (const r of reports) {
    const had = latest.get(r.patientId);
    if (!had || r.at.getTime() >= had.at.getTime()) latest.set(r.patientId, r);
  }
  if (latest.size < WELCOME_MIN_PATIENTS) return null;
  const c: WelcomeCounts = { patients: latest.size, yes: 0, somewhat: 0, no: 0 };
  for (const r of latest.values()) c[r.answer]++;
  return c;
}

/** Fellowships whose meetings welcome people on medication by design. */
export const MEDICATION_FELLOWSHIPS = ['ma', 'mars', 'mara'] as const;

/** What a patient may want to know when choosing a meeting, shown with the results (our own words). */
export const COACHING: Record<'en' | 'es', string[]> = {
  en: [
    'Some groups welcome people who take medication for OUD. Others do not. Look for the "Welcomes medication" label.',
    'Your medication is your private health care. You do not have to tell a group about it.',
    'Methadone Anonymous, MARS and MARA groups are made for people who take medication.',
    'If a group makes you feel unwelcome, that says nothing about your recovery. You can try another one.',
  ],
  es: [
    'Algunos grupos reciben bien a las personas que toman medicamentos para el trastorno por consumo de opioides. Otros no. Busque la etiqueta "Acepta medicamentos".',
    'Su medicamento es parte de su atención de salud privada. Usted no tiene que contárselo al grupo.',
    'Los grupos de Metadona Anónimos, MARS y MARA son para personas que toman medicamentos.',
    'Si un grupo no lo hace sentir bienvenido, eso no dice nada de su recuperación. Usted puede probar otro grupo.',
  ],
};
