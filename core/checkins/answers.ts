// A daily check-in's answers: a plain TypeScript model (no zod, no I/O) shared by the
// server, the SMS parser and the web. Every answer is optional except that a check-in
// says something; "I am not safe right now" is an answer of its own.

export const SUBSTANCES = ['opioids', 'fentanyl', 'heroin', 'pain-pills', 'stimulants', 'alcohol', 'benzodiazepines', 'cannabis', 'other'] as const;
export type Substance = (typeof SUBSTANCES)[number];

export const MEDICATION_ANSWERS = ['taken', 'missed', 'not-applicable'] as const;
export type MedicationAnswer = (typeof MEDICATION_ANSWERS)[number];

export const SOURCES = ['app', 'sms', 'voice', 'staff'] as const;
/** How the check-in reached us: the patient app, an SMS reply, the phone line, or staff on a call. */
export type CheckInSource = (typeof SOURCES)[number];

/** Inclusive ranges of the scaled answers. */
export const RANGES = {
  /** 1 = very low, 5 = very good. */
  mood: { min: 1, max: 5 },
  /** 0 = none, 10 = the strongest. */
  craving: { min: 0, max: 10 },
  /** 1 = very poor, 5 = very good. */
  sleep: { min: 1, max: 5 },
  /** 0 = none, 10 = the most. */
  stress: { min: 0, max: 10 },
} as const;
export type ScaledAnswer = keyof typeof RANGES;
export const NOTE_MAX = 1000;

export type CheckInAnswers = {
  mood?: number | undefined;
  craving?: number | undefined;
  /** Any use since the last check-in; which substances when yes (may be empty: "rather not say"). */
  use?: { any: false } | { any: true; substances: Substance[] } | undefined;
  medication?: MedicationAnswer | undefined;
  sleep?: number | undefined;
  stress?: number | undefined;
  note?: string | undefined;
  /** "I am not safe right now." */
  notSafe?: boolean | undefined;
};

export type AnswerProblem = { field: string; message: string };

/**
 * The problems with a set of answers (empty when they are fine): each scaled answer an
 * integer in its range, substances known and only with use, the note within its length,
 * and at least one answer given.
 */
export function answerProblems(a: CheckInAnswers): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  for (const key of Object.keys(RANGES) as ScaledAnswer[]) {
    const v = a[key];
    if (v === undefined) continue;
    const { min, max } = RANGES[key];
    if (!Number.isInteger(v) || v < min || v > max) out.push({ field: key, message: `must be a whole number from ${min} to ${max}` });
  }
  if (a.use?.any === true) {
    const unknown = a.use.substances.filter((s) => !(SUBSTANCES as readonly string[]).includes(s));
    if (unknown.length > 0) out.push({ field: 'use.substances', message: 'has a substance we do not know' });
  }
  if (a.medication !== undefined && !(MEDICATION_ANSWERS as readonly string[]).includes(a.medication)) out.push({ field: 'medication', message: 'must be taken, missed or not-applicable' });
  if (a.note !== undefined && a.note.length > NOTE_MAX) out.push({ field: 'note', message: `must be at most ${NOTE_MAX} characters` });
  if (!hasAnyAnswer(a)) out.push({ field: '', message: 'give at least one answer' });
  return out;
}

export function hasAnyAnswer(a: CheckInAnswers): boolean {
  return (
    a.mood !== undefined ||
    a.craving !== undefined ||
    a.use !== undefined ||
    a.medication !== undefined ||
    a.sleep !== undefined ||
    a.stress !== undefined ||
    (a.note !== undefined && a.note.trim() !== '') ||
    a.notSafe === true
  );
}

/** The answers with undefined keys dropped and substances sorted and unique: one spelling of the same answers (stored, compared for replays). */
export function normalizeAnswers(a: CheckInAnswers): CheckInAnswers {
  const out: CheckInAnswers = {};
  if (a.mood !== undefined) out.mood = a.mood;
  if (a.craving !== undefined) out.craving = a.craving;
  if (a.use !== undefined) out.use = a.use.any ? { any: true, substances: [...new Set(a.use.substances)].sort() } : { any: false };
  if (a.medication !== undefined) out.medication = a.medication;
  if (a.sleep !== undefined) out.sleep = a.sleep;
  if (a.stress !== undefined) out.stress = a.stress;
  if (a.note !== undefined && a.note.trim() !== '') out.note = a.note.trim();
  if (a.notSafe === true) out.notSafe = true;
  return out;
}
