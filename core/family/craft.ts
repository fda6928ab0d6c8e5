// CRAFT (Community Reinforcement and Family Training) for a concerned significant other (CSO):
// the rules of a course (issue 16, docs/family.md). Pure: dates are ISO yyyy-mm-dd strings and
// "today" comes in as an argument. The CSO is the client; their loved one need not be anyone's
// patient and nothing here names one.
//
// - The schedule: 12 sessions, twice a week for the first four weeks (8), then weekly (4).
//   Each of the first four course weeks (7-day blocks from the start day) has a session on its
//   first day and one `secondDay` days later (default 3), so never two on one day; sessions 9-12
//   fall on the first day of course weeks 5-8. Moving one session moves no other.
// - The course's progress: held, missed, homework done, the next session, whether it is on track.
// - The outcome CRAFT is judged by: the loved one entered treatment, on a date not before the
//   course started and not in the future.
// - The CSO's own wellbeing (PHQ-9, GAD-7): scored by the instrument library (core/instruments),
//   never here; a trend from the first to the latest answer.
import { addDays } from '../cm/calendar.ts';
import { PHQ9_ITEM9_ALERT, scoreInstrument, type Alert } from '../instruments/index.ts';

export const CRAFT_SESSIONS = 12;
export const TWICE_WEEKLY_WEEKS = 4;
export const DEFAULT_SECOND_DAY = 3;

/** The topics in their order (content/craft/sessions.json holds their words). */
export const CRAFT_TOPICS = [
  'motivation',
  'safety',
  'functional-analysis',
  'communication',
  'rewarding',
  'natural-consequences',
  'self-care',
  'problem-solving',
  'suggesting-treatment',
  'if-yes',
  'if-no',
  'review',
] as const;
export type CraftTopic = (typeof CRAFT_TOPICS)[number];

export type ScheduledSession = { number: number; topic: CraftTopic; scheduledOn: string };

export type ScheduleOptions = {
  /** Days after a week's first session that its second one falls (1-6; default 3). */
  secondDay?: number;
};

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (d: string) => ISO.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/** The twelve sessions of a course starting on `startedOn`. */
export function craftSchedule(startedOn: string, options: ScheduleOptions = {}): ScheduledSession[] {
  if (!isIsoDate(startedOn)) throw new RangeError('startedOn must be a date as YYYY-MM-DD');
  const second = options.secondDay ?? DEFAULT_SECOND_DAY;
  if (!Number.isInteger(second) || second < 1 || second > 6) throw new RangeError('secondDay must be a whole number from 1 to 6');
  const dates: string[] = [];
  for (let week = 0; week < TWICE_WEEKLY_WEEKS; week++) dates.push(addDays(startedOn, 7 * week), addDays(startedOn, 7 * week + second));
  for (let week = TWICE_WEEKLY_WEEKS; dates.length < CRAFT_SESSIONS; week++) dates.push(addDays(startedOn, 7 * week));
  return dates.map((scheduledOn, i) => ({ number: i + 1, topic: CRAFT_TOPICS[i]!, scheduledOn }));
}

export type SessionStatus = 'scheduled' | 'held' | 'missed';
export type SessionState = { number: number; scheduledOn: string; status: SessionStatus; heldOn: string | null; homeworkDone: boolean };

export type Problem = { field: string; message: string };

/**
 * Whether session `number` may move to `to`: a real date, not before the course started, and
 * no other session already on that day. Only that one session moves.
 */
export function moveProblem(sessions: readonly SessionState[], number: number, to: string, startedOn: string): Problem | null {
  if (!isIsoDate(to)) return { field: 'body.scheduledOn', message: 'must be a date as YYYY-MM-DD' };
  if (to < startedOn) return { field: 'body.scheduledOn', message: 'must not be before the course started' };
  if (sessions.some((s) => s.number !== number && s.scheduledOn === to)) return { field: 'body.scheduledOn', message: 'another session is already on that day' };
  return null;
}

/** Moves one session; the others keep their dates. */
export function moveSession<T extends { number: number; scheduledOn: string }>(sessions: readonly T[], number: number, to: string): T[] {
  return sessions.map((s) => (s.number === number ? { ...s, scheduledOn: to } : s));
}

/** Whether a session may be recorded as held on `heldOn`: not in the future, not before the course. */
export function heldProblem(heldOn: string, startedOn: string, today: string): Problem | null {
  if (!isIsoDate(heldOn)) return { field: 'body.heldOn', message: 'must be a date as YYYY-MM-DD' };
  if (heldOn > today) return { field: 'body.heldOn', message: 'must not be in the future' };
  if (heldOn < startedOn) return { field: 'body.heldOn', message: 'must not be before the course started' };
  return null;
}

/** The CSO may write a session's homework once its day has come (or it was held). */
export const homeworkOpen = (s: { scheduledOn: string; status: SessionStatus }, today: string) => s.status === 'held' || s.scheduledOn <= today;

/** Sessions missed (or past and still unrecorded) a course may have and still be on track. */
export const ALLOWED_BEHIND = 2;

export type CourseSummary = {
  held: number;
  missed: number;
  homeworkDone: number;
  /** Sessions whose day has passed without being recorded as held or missed. */
  unrecorded: number;
  next: { number: number; scheduledOn: string } | null;
  onTrack: boolean;
  finished: boolean;
};

/** The course's progress on `today`. */
export function courseSummary(sessions: readonly SessionState[], today: string): CourseSummary {
  const held = sessions.filter((s) => s.status === 'held').length;
  const missed = sessions.filter((s) => s.status === 'missed').length;
  const unrecorded = sessions.filter((s) => s.status === 'scheduled' && s.scheduledOn < today).length;
  const upcoming = sessions.filter((s) => s.status === 'scheduled' && s.scheduledOn >= today).sort((a, b) => a.scheduledOn.localeCompare(b.scheduledOn) || a.number - b.number);
  const first = upcoming[0];
  return {
    held,
    missed,
    homeworkDone: sessions.filter((s) => s.homeworkDone).length,
    unrecorded,
    next: first ? { number: first.number, scheduledOn: first.scheduledOn } : null,
    onTrack: missed + unrecorded <= ALLOWED_BEHIND,
    finished: sessions.length > 0 && sessions.every((s) => s.status !== 'scheduled'),
  };
}

export type OutcomeInput = { enteredTreatment: boolean; enteredOn?: string | null | undefined };

/** The outcome rule: entered treatment needs a date, not before the course start and not in the future; not entered has no date. */
export function outcomeProblem(o: OutcomeInput, startedOn: string, today: string): Problem | null {
  if (!o.enteredTreatment) return o.enteredOn ? { field: 'body.enteredOn', message: 'leave the date out when they have not entered treatment' } : null;
  if (!o.enteredOn) return { field: 'body.enteredOn', message: 'say when they entered treatment' };
  if (!isIsoDate(o.enteredOn)) return { field: 'body.enteredOn', message: 'must be a date as YYYY-MM-DD' };
  if (o.enteredOn < startedOn) return { field: 'body.enteredOn', message: 'must not be before the CRAFT course started' };
  if (o.enteredOn > today) return { field: 'body.enteredOn', message: 'must not be in the future' };
  return null;
}

// --- the CSO's own wellbeing --------------------------------------------------------------

export const WELLBEING_INSTRUMENTS = ['phq-9', 'gad-7'] as const;
export type WellbeingInstrument = (typeof WELLBEING_INSTRUMENTS)[number];

export type WellbeingScore = { score: number; severity: string; alerts: Alert[]; helpNow: boolean };

/**
 * Scores a complete PHQ-9 or GAD-7 with the instrument library. Returns a problem naming the
 * first unanswered item when it is incomplete; out-of-range answers throw the library's
 * InstrumentInputError. `helpNow`: PHQ-9 item 9 above "not at all".
 */
export function scoreWellbeing(instrument: WellbeingInstrument, answers: Record<string, number>): WellbeingScore | Problem {
  const r = scoreInstrument(instrument, { answers });
  const total = r.scores.total;
  if (!r.complete || total === null || total === undefined || !r.band) return { field: `body.answers.${r.missing[0] ?? '1'}`, message: 'answer every question' };
  return { score: total, severity: r.band.code, alerts: r.alerts, helpNow: r.alerts.some((a) => a.code === PHQ9_ITEM9_ALERT.code) };
}

/** Whether stored answers call for Help now: the instrument library's PHQ-9 item-9 alert. */
export const answersCallForHelp = (instrument: WellbeingInstrument, answers: Record<string, number>): boolean =>
  scoreInstrument(instrument, { answers }).alerts.some((a) => a.code === PHQ9_ITEM9_ALERT.code);

/** A change of this many points or more counts as better or worse (PHQ-9: 5, Löwe et al. 2004; GAD-7: 4, Toussaint et al. 2020). */
export const MEANINGFUL_CHANGE: Record<WellbeingInstrument, number> = { 'phq-9': 5, 'gad-7': 4 };

export type Trend = { instrument: WellbeingInstrument; first: number; latest: number; change: number; direction: 'better' | 'worse' | 'about-the-same'; count: number };

/** First vs latest score of each instrument (answers in any order; `completedAt` ISO instants). Lower is better. */
export function wellbeingTrend(list: readonly { instrument: WellbeingInstrument; score: number; completedAt: string }[]): Trend[] {
  const out: Trend[] = [];
  for (const instrument of WELLBEING_INSTRUMENTS) {
    const mine = list.filter((a) => a.instrument === instrument).sort((a, b) => a.completedAt.localeCompare(b.completedAt));
    const first = mine[0];
    const latest = mine[mine.length - 1];
    if (!first || !latest) continue;
    const change = latest.score - first.score;
    const direction = change <= -MEANINGFUL_CHANGE[instrument] ? 'better' : change >= MEANINGFUL_CHANGE[instrument] ? 'worse' : 'about-the-same';
    out.push({ instrument, first: first.score, latest: latest.score, change, direction, count: mine.length });
  }
  return out;
}
