// Behavioural couples therapy (issue 16, docs/family.md): the recovery contract a patient and
// their partner agree in session, and the couple's calendar of daily trust discussions.
// Written for Waypoint from public descriptions of BCT (Fals-Stewart, O'Farrell & Birchler 2001,
// BCT with methadone patients; TIP 63 on involving families): each day the patient says their
// intention not to use today, the partner thanks them, and neither brings up past use or fears
// about the future; the partner sees the day's medication taken; the patient goes to self-help
// meetings and gives drug screens at the clinic. Pure: dates are YYYY-MM-DD strings in the
// programme's calendar and "today" is an argument.
import { addDays, datesBetween } from '../cm/calendar.ts';

export type Both = { en: string; es: string };

/** The parts a recovery contract may have, in the order they are shown. The trust discussion is required. */
export const CONTRACT_PARTS = ['trust-discussion', 'medication-witnessed', 'self-help-meetings', 'drug-screens', 'no-past-use-or-threats'] as const;
export type ContractPart = (typeof CONTRACT_PARTS)[number];
export const REQUIRED_PART: ContractPart = 'trust-discussion';

/** Each part in plain words (about 6th grade), English and Spanish: a short title and what it means day to day. */
export const CONTRACT_PART_WORDS: Record<ContractPart, { title: Both; detail: Both }> = {
  'trust-discussion': {
    title: { en: 'Our daily trust talk', es: 'Nuestra charla de confianza diaria' },
    detail: {
      en: 'Each day I say I plan not to use today. My partner thanks me. We do not talk about past use or fears about the future.',
      es: 'Cada día digo que hoy no pienso usar. Mi pareja me da las gracias. No hablamos del uso pasado ni de miedos sobre el futuro.',
    },
  },
  'medication-witnessed': {
    title: { en: 'Medicine each day', es: 'La medicina cada día' },
    detail: { en: 'I take my medicine each day. My partner sees me take it.', es: 'Tomo mi medicina cada día. Mi pareja me ve tomarla.' },
  },
  'self-help-meetings': {
    title: { en: 'Support meetings', es: 'Reuniones de apoyo' },
    detail: { en: 'I go to the support meetings we agreed on.', es: 'Voy a las reuniones de apoyo que acordamos.' },
  },
  'drug-screens': {
    title: { en: 'Drug tests at the clinic', es: 'Pruebas de drogas en la clínica' },
    detail: { en: 'I give drug tests at the clinic when asked.', es: 'Me hago las pruebas de drogas en la clínica cuando me las piden.' },
  },
  'no-past-use-or-threats': {
    title: { en: 'No blame, no threats', es: 'Sin culpas ni amenazas' },
    detail: {
      en: 'My partner does not bring up past use. My partner does not make threats about what will happen if I use.',
      es: 'Mi pareja no saca el tema del uso pasado. Mi pareja no amenaza con lo que pasará si uso.',
    },
  },
};

export const isContractPart = (s: string): s is ContractPart => (CONTRACT_PARTS as readonly string[]).includes(s);

/** The longest "own words" a couple may add. */
export const OWN_TERMS_MAX = 1000;

export type ContractDraft = { terms: readonly string[]; ownTerms?: string | null | undefined; startsOn: string };
export type Problem = { field: string; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** What is wrong with a contract as written (each problem names its field, relative to the body); empty when it is valid. */
export function contractProblems(c: ContractDraft, today: string): Problem[] {
  const out: Problem[] = [];
  const unknown = c.terms.filter((t) => !isContractPart(t));
  if (unknown.length > 0) out.push({ field: 'terms', message: `has parts that do not exist: ${unknown.join(', ')}` });
  if (new Set(c.terms).size !== c.terms.length) out.push({ field: 'terms', message: 'must not repeat a part' });
  if (!c.terms.includes(REQUIRED_PART)) out.push({ field: 'terms', message: 'must include the daily trust discussion' });
  if (c.ownTerms != null && c.ownTerms.length > OWN_TERMS_MAX) out.push({ field: 'ownTerms', message: `must be at most ${OWN_TERMS_MAX} characters` });
  if (!isDate(c.startsOn)) out.push({ field: 'startsOn', message: 'must be a date (YYYY-MM-DD)' });
  else if (c.startsOn > today) out.push({ field: 'startsOn', message: 'must not be in the future' });
  return out;
}

/** The parts in the canonical order (whatever order they were ticked in). */
export const orderedParts = (terms: readonly string[]): ContractPart[] => CONTRACT_PARTS.filter((p) => terms.includes(p));

export type ContractSpan = { startsOn: string; /** the last day of the contract (the day it was ended), or null while open */ endsOn: string | null };
export type DayEntry = { held: boolean; medicationWitnessed: boolean | null };

/**
 * Whether a day may be recorded: not in the future, not before the contract started, not after
 * it ended. Null when it may; otherwise the problem for `field`.
 */
export function dayProblem(span: ContractSpan, day: string, today: string, field = 'params.day'): Problem | null {
  if (!isDate(day)) return { field, message: 'must be a date (YYYY-MM-DD)' };
  if (day > today) return { field, message: 'must not be in the future' };
  if (day < span.startsOn) return { field, message: 'must not be before the contract started' };
  if (span.endsOn && day > span.endsOn) return { field, message: 'must not be after the contract ended' };
  return null;
}

/** What one day of the calendar shows. */
export const DAY_STATUSES = ['held', 'not-held', 'unrecorded', 'before-start', 'after-end', 'future'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];
export type CalendarDay = { day: string; status: DayStatus; medicationWitnessed: boolean | null };

export function dayStatus(span: ContractSpan, day: string, entry: DayEntry | undefined, today: string): DayStatus {
  if (day > today) return 'future';
  if (day < span.startsOn) return 'before-start';
  if (span.endsOn && day > span.endsOn) return 'after-end';
  if (!entry) return 'unrecorded';
  return entry.held ? 'held' : 'not-held';
}

/** The first and last day of a month given as YYYY-MM. */
export function monthBounds(month: string): { first: string; last: string } | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first, last: addDays(next, -1) };
}

/** Every day of `month` (YYYY-MM) with what it shows. */
export function monthCalendar(span: ContractSpan, month: string, entries: ReadonlyMap<string, DayEntry>, today: string): CalendarDay[] {
  const b = monthBounds(month);
  if (!b) throw new RangeError('month must be YYYY-MM');
  return [...datesBetween(b.first, b.last)].map((day) => {
    const status = dayStatus(span, day, entries.get(day), today);
    const e = entries.get(day);
    return { day, status, medicationWitnessed: status === 'held' || status === 'not-held' ? (e?.medicationWitnessed ?? null) : null };
  });
}

/** The last day that counts so far: today, or the contract's last day if it ended earlier. */
const lastCounted = (span: ContractSpan, today: string) => (span.endsOn && span.endsOn < today ? span.endsOn : today);

/**
 * The streak: consecutive days with the trust discussion held, counting back from the last day
 * that counts. Today not yet recorded does not break it (the day is not over): the count starts
 * from yesterday then.
 */
export function heldStreak(span: ContractSpan, entries: ReadonlyMap<string, DayEntry>, today: string): number {
  let day = lastCounted(span, today);
  if (day === today && !entries.has(day)) day = addDays(day, -1);
  let n = 0;
  while (day >= span.startsOn && entries.get(day)?.held === true) {
    n += 1;
    day = addDays(day, -1);
  }
  return n;
}

export type ContractSummary = { daysSoFar: number; daysHeld: number; percentHeld: number | null; streak: number };

/**
 * Since the contract started: how many days count so far (today only once someone recorded it),
 * how many had the trust discussion held, the percentage (whole number; null before any day
 * counts) and the streak.
 */
export function contractSummary(span: ContractSpan, entries: ReadonlyMap<string, DayEntry>, today: string): ContractSummary {
  const last = lastCounted(span, today);
  let daysSoFar = 0;
  let daysHeld = 0;
  if (span.startsOn <= last) {
    for (const day of datesBetween(span.startsOn, last)) {
      const e = entries.get(day);
      if (day === today && !e) continue;
      daysSoFar += 1;
      if (e?.held) daysHeld += 1;
    }
  }
  return { daysSoFar, daysHeld, percentHeld: daysSoFar === 0 ? null : Math.round((100 * daysHeld) / daysSoFar), streak: heldStreak(span, entries, today) };
}
