// Care measures (issue 17, docs/outcomes.md "Care: attendance, counselling compliance,
// medication adherence, stage of change"): for each admission, from admission to discharge (or
// the end of the data), the visits it was booked on and what happened, the counselling months
// met under the programme's counselling rules (core/counselling, the rule the counselling
// module uses), the doses CM recorded and those a network member witnessed, the naltrexone
// injections given on time (core/levels-of-care/injections.ts), and the first and latest stage
// of change; then the same pooled over a cohort. Pure; dates are programme-local (YYYY-MM-DD).
// A figure whose source holds nothing says null ("not recorded"), never 0.
import { monthOf, type CounsellingRules } from '../counselling/compliance.ts';
import type { Attendance } from '../encounters/types.ts';
import { doseDays, type WitnessedDose } from '../family/network.ts';
import { injectionDue } from '../levels-of-care/injections.ts';
import { STAGES, type Stage } from '../planning/types.ts';
import { CONTACT_ATTENDANCE } from './dashboard.ts';

/** An admission's span: from admission to discharge, or to `asOf` (the end of the data) when still in treatment. */
export type Span = { admittedOn: string; dischargedOn: string | null };

/** The last day an admission is followed: its discharge, or `asOf` when that comes first (or it was not discharged). */
export const followedUntil = (a: Span, asOf: string): string => (a.dischargedOn && a.dischargedOn < asOf ? a.dischargedOn : asOf);

const within = (a: Span, asOf: string) => {
  const until = followedUntil(a, asOf);
  return (day: string) => day >= a.admittedOn && day <= until;
};

/** A share with its counts: percent (0–100) null when the denominator is 0 (not recorded). */
export const percentOf = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : (100 * numerator) / denominator);

// ---------- attendance ----------

/** What happened to one booking: seen (on time, late or leaving early), missed (a no-show), cancelled by the patient or the clinic, excused, or nothing recorded yet. */
export const BOOKING_OUTCOMES = ['attended', 'missed', 'cancelled-patient', 'cancelled-clinic', 'excused', 'not-recorded'] as const;
export type BookingOutcome = (typeof BOOKING_OUTCOMES)[number];

/** A visit the admission's patient was booked on: its local date, its kind (the visit type's category) and the attendance recorded (null: none yet). */
export type Booking = { day: string; kind: string; attendance: Attendance | null };

const CONTACT: ReadonlySet<string> = new Set(CONTACT_ATTENDANCE);

export function bookingOutcome(a: Attendance | null): BookingOutcome {
  if (a === null) return 'not-recorded';
  if (CONTACT.has(a)) return 'attended';
  if (a === 'no-show') return 'missed';
  return a as 'cancelled-patient' | 'cancelled-clinic' | 'excused';
}

export type AttendanceCounts = {
  visits: number;
  attended: number;
  missed: number;
  cancelledByPatient: number;
  cancelledByClinic: number;
  excused: number;
  notRecorded: number;
  /** attended ÷ (attended + missed), in percent; null with neither. */
  percent: number | null;
};

const KEY: Record<BookingOutcome, Exclude<keyof AttendanceCounts, 'visits' | 'percent'>> = {
  attended: 'attended',
  missed: 'missed',
  'cancelled-patient': 'cancelledByPatient',
  'cancelled-clinic': 'cancelledByClinic',
  excused: 'excused',
  'not-recorded': 'notRecorded',
};

/** Counts the outcomes of bookings; the rate is attended ÷ (attended + missed). */
export function attendanceCounts(outcomes: readonly BookingOutcome[]): AttendanceCounts {
  const c: AttendanceCounts = { visits: outcomes.length, attended: 0, missed: 0, cancelledByPatient: 0, cancelledByClinic: 0, excused: 0, notRecorded: 0, percent: null };
  for (const o of outcomes) c[KEY[o]] += 1;
  c.percent = percentOf(c.attended, c.attended + c.missed);
  return c;
}

// ---------- counselling compliance ----------

/** The calendar months (YYYY-MM) from `from`'s to `to`'s, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > last) return out;
    out.push(key);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

export type CounsellingMonth = { month: string; required: number; held: number; met: boolean };

/**
 * Each calendar month of the admission (to discharge or `asOf`) as the counselling module's
 * monthly report counts it (core monthOf): the visits its rules ask for and those held. A
 * month asks nothing when its required count is 0 (a few days of it in treatment); it is
 * met when held ≥ required.
 */
export function counsellingMonths(rules: CounsellingRules, a: Span, seenOn: readonly string[], asOf: string): CounsellingMonth[] {
  const until = followedUntil(a, asOf);
  if (until < a.admittedOn) return [];
  return monthsBetween(a.admittedOn, until).map((month) => {
    const m = monthOf(rules, a, month, seenOn, asOf);
    return { month, required: m.required, held: m.held, met: m.held >= m.required };
  });
}

// ---------- medication ----------

/** A dose CM was to record (one dose slot): taken, recorded not taken, or missed (the window closed with nothing recorded); `observed` when recorded as observed at the clinic. */
export type CmDose = { day: string; outcome: 'taken' | 'not-taken' | 'missed'; observed: boolean };

/** A naltrexone record: an injection given, or the prescriber's stop (no more due until the next is given). */
export type InjectionRecord = { day: string; kind: 'given' | 'stopped' };

export type InjectionCounts = { due: number; onTime: number; late: number; notGiven: number };

/**
 * The injections due during the admission and how they went, by core injectionDue: after an
 * injection the next falls due INJECTION_INTERVAL_DAYS later; given on or before that day it
 * was on time, after it late; a stop or the end of follow-up once it was overdue leaves it not
 * given. A stop before the due date (or discharge before it) means nothing was due. The first
 * injection of a course answers no due.
 */
export function injectionCounts(records: readonly InjectionRecord[], until: string): InjectionCounts {
  const c: InjectionCounts = { due: 0, onTime: 0, late: 0, notGiven: 0 };
  const sorted = [...records].sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  let last: string | null = null;
  for (const r of sorted) {
    if (last !== null) {
      const overdue = injectionDue(last, r.day).status === 'overdue';
      if (r.kind === 'given') {
        c.due += 1;
        if (overdue) c.late += 1;
        else c.onTime += 1;
      } else if (overdue) {
        c.due += 1;
        c.notGiven += 1;
      }
    }
    last = r.kind === 'given' ? r.day : null;
  }
  if (last !== null && injectionDue(last, until).status === 'overdue') {
    c.due += 1;
    c.notGiven += 1;
  }
  return c;
}

// ---------- stage of change ----------

export type StageDirection = 'forward' | 'same' | 'back';

/** An admission's first and latest stage of change (assessed during it), or null with fewer than two assessments. */
export function stageTransition(assessments: readonly { at: string; stage: Stage }[]): { from: Stage; to: Stage; direction: StageDirection } | null {
  if (assessments.length < 2) return null;
  const sorted = [...assessments].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  const from = sorted[0]!.stage;
  const to = sorted[sorted.length - 1]!.stage;
  const d = STAGES.indexOf(to) - STAGES.indexOf(from);
  return { from, to, direction: d > 0 ? 'forward' : d < 0 ? 'back' : 'same' };
}

// ---------- one admission, and a cohort ----------

/** What one admission's care is measured from (each list may hold days outside the admission: they are left out here). */
export type AdmissionCare = Span & {
  bookings: readonly Booking[];
  /** Local dates of counselling visits the patient was seen at (the counselling module's rule). */
  counsellingSeenOn: readonly string[];
  cmDoses: readonly CmDose[];
  witnessed: readonly WitnessedDose[];
  injections: readonly InjectionRecord[];
  stages: readonly { at: string; day: string; stage: Stage }[];
};

export type CareFigures = {
  admissions: number;
  attendance: AttendanceCounts & { admissions: number; byKind: ({ kind: string } & AttendanceCounts)[] };
  counselling: { admissions: number; months: number; monthsMet: number; required: number; held: number; percent: number | null };
  medication: {
    cmDoses: { admissions: number; expected: number; taken: number; observed: number; notTaken: number; missed: number; percent: number | null };
    witnessed: { admissions: number; days: number; taken: number; missed: number; percent: number | null };
    injections: InjectionCounts & { admissions: number; percent: number | null };
    /** Waypoint records no returns of take-home doses: not recorded. */
    takeHomesReturned: null;
  };
  stage: {
    /** Admissions with two or more stage assessments during the admission, and those with fewer. */
    admissions: number;
    fewer: number;
    forward: number | null;
    same: number | null;
    back: number | null;
    /** First stage → latest stage: one row per first stage, counts by latest stage in STAGES order; null when no admission had two assessments. */
    matrix: { from: Stage; to: number[] }[] | null;
  };
};

/** The care figures of a cohort's admissions, as of `asOf`, pooled: each count summed over admissions, each rate over the sums. */
export function careFigures(admissions: readonly AdmissionCare[], rules: CounsellingRules, asOf: string): CareFigures {
  const outcomes: BookingOutcome[] = [];
  const byKind = new Map<string, BookingOutcome[]>();
  let withVisits = 0;
  const counselling = { admissions: 0, months: 0, monthsMet: 0, required: 0, held: 0 };
  const doses = { admissions: 0, expected: 0, taken: 0, observed: 0, notTaken: 0, missed: 0 };
  const witnessed = { admissions: 0, days: 0, taken: 0, missed: 0 };
  const injections = { admissions: 0, due: 0, onTime: 0, late: 0, notGiven: 0 };
  const transitions: { from: Stage; to: Stage; direction: StageDirection }[] = [];
  for (const a of admissions) {
    const inside = within(a, asOf);
    const until = followedUntil(a, asOf);
    const bookings = a.bookings.filter((b) => inside(b.day));
    if (bookings.length > 0) withVisits += 1;
    for (const b of bookings) {
      const o = bookingOutcome(b.attendance);
      outcomes.push(o);
      byKind.set(b.kind, [...(byKind.get(b.kind) ?? []), o]);
    }
    const months = counsellingMonths(rules, a, a.counsellingSeenOn, asOf).filter((m) => m.required > 0);
    if (months.length > 0) counselling.admissions += 1;
    for (const m of months) {
      counselling.months += 1;
      if (m.met) counselling.monthsMet += 1;
      counselling.required += m.required;
      counselling.held += m.held;
    }
    const ds = a.cmDoses.filter((d) => inside(d.day));
    if (ds.length > 0) doses.admissions += 1;
    for (const d of ds) {
      doses.expected += 1;
      if (d.outcome === 'taken') {
        doses.taken += 1;
        if (d.observed) doses.observed += 1;
      } else if (d.outcome === 'not-taken') doses.notTaken += 1;
      else doses.missed += 1;
    }
    const days = doseDays(a.witnessed.filter((d) => inside(d.day)));
    if (days.size > 0) witnessed.admissions += 1;
    for (const s of days.values()) {
      witnessed.days += 1;
      if (s === 'taken') witnessed.taken += 1;
      else witnessed.missed += 1;
    }
    const inj = injectionCounts(
      a.injections.filter((r) => inside(r.day)),
      until,
    );
    if (inj.due > 0) injections.admissions += 1;
    injections.due += inj.due;
    injections.onTime += inj.onTime;
    injections.late += inj.late;
    injections.notGiven += inj.notGiven;
    const t = stageTransition(a.stages.filter((s) => inside(s.day)));
    if (t) transitions.push(t);
  }
  const assessed = transitions.length;
  const count = (d: StageDirection) => (assessed === 0 ? null : transitions.filter((t) => t.direction === d).length);
  return {
    admissions: admissions.length,
    attendance: {
      admissions: withVisits,
      ...attendanceCounts(outcomes),
      byKind: [...byKind.keys()].sort().map((kind) => ({ kind, ...attendanceCounts(byKind.get(kind)!) })),
    },
    counselling: { ...counselling, percent: percentOf(counselling.monthsMet, counselling.months) },
    medication: {
      cmDoses: { ...doses, percent: percentOf(doses.taken, doses.expected) },
      witnessed: { ...witnessed, percent: percentOf(witnessed.taken, witnessed.days) },
      injections: { ...injections, percent: percentOf(injections.onTime, injections.due) },
      takeHomesReturned: null,
    },
    stage: {
      admissions: assessed,
      fewer: admissions.length - assessed,
      forward: count('forward'),
      same: count('same'),
      back: count('back'),
      matrix: assessed === 0 ? null : STAGES.map((from) => ({ from, to: STAGES.map((to) => transitions.filter((t) => t.from === from && t.to === to).length) })),
    },
  };
}
