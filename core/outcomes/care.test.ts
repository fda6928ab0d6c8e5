import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../cm/calendar.ts';
import { DEFAULT_COUNSELLING_RULES } from '../counselling/compliance.ts';
import { ATTENDANCE } from '../encounters/types.ts';
import { STAGES } from '../planning/types.ts';
import { attendanceCounts, bookingOutcome, careFigures, counsellingMonths, followedUntil, injectionCounts, monthsBetween, stageTransition, type AdmissionCare } from './care.ts';

const empty = (admittedOn: string, dischargedOn: string | null = null): AdmissionCare => ({
  admittedOn,
  dischargedOn,
  bookings: [],
  counsellingSeenOn: [],
  cmDoses: [],
  witnessed: [],
  injections: [],
  stages: [],
});

describe('care measures, by hand', () => {
  it('attendance: seen (on time, late, leaving early) against no-shows; cancellations, excused and unrecorded apart', () => {
    const c = attendanceCounts([...ATTENDANCE, null].map(bookingOutcome));
    // attended, late, left-early → 3 attended; no-show → 1 missed; rate 3 / 4
    expect(c).toEqual({ visits: 8, attended: 3, missed: 1, cancelledByPatient: 1, cancelledByClinic: 1, excused: 1, notRecorded: 1, percent: 75 });
    expect(attendanceCounts(['excused', 'cancelled-clinic']).percent).toBeNull();
    expect(attendanceCounts([]).percent).toBeNull();
  });

  it('follow-up ends at discharge or at the end of the data', () => {
    expect(followedUntil({ admittedOn: '2026-01-05', dischargedOn: '2026-01-25' }, '2026-03-02')).toBe('2026-01-25');
    expect(followedUntil({ admittedOn: '2026-01-05', dischargedOn: '2026-04-01' }, '2026-03-02')).toBe('2026-03-02');
    expect(followedUntil({ admittedOn: '2026-01-05', dischargedOn: null }, '2026-03-02')).toBe('2026-03-02');
  });

  it('months of an admission, across a year', () => {
    expect(monthsBetween('2025-11-20', '2026-02-03')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02-03', '2026-02-28')).toEqual(['2026-02']);
  });

  it('counselling months with the counselling module’s rule (weekly in the first 90 days)', () => {
    // admitted Mon 5 Jan 2026, as of 10 Feb. January: days 0–26 in treatment, 27/7 → 3 required;
    // seen 6, 13, 20 Jan → 3 held, met. February 1–10: days 27–36, 10/7 → 1 required; none held.
    const months = counsellingMonths(DEFAULT_COUNSELLING_RULES, { admittedOn: '2026-01-05', dischargedOn: null }, ['2026-01-06', '2026-01-13', '2026-01-20', '2026-01-20'], '2026-02-10');
    expect(months).toEqual([
      { month: '2026-01', required: 3, held: 3, met: true },
      { month: '2026-02', required: 1, held: 0, met: false },
    ]);
    // admitted 26 Feb, as of 2 Mar: February 3/7 and March 2/7 of a visit → nothing required
    expect(counsellingMonths(DEFAULT_COUNSELLING_RULES, { admittedOn: '2026-02-26', dischargedOn: null }, [], '2026-03-02').map((m) => m.required)).toEqual([0, 0]);
  });

  it('naltrexone injections: on time by the due date, late after it, not given once overdue', () => {
    const r = injectionCounts(
      [
        { day: '2026-01-01', kind: 'given' }, // starts a course
        { day: '2026-01-29', kind: 'given' }, // 28 days: on the due day → on time
        { day: '2026-03-01', kind: 'given' }, // 31 days: late
        { day: '2026-03-10', kind: 'stopped' }, // before the next was due → nothing due
        { day: '2026-04-01', kind: 'given' }, // a new course
      ],
      '2026-05-15', // due 29 Apr, overdue by 15 May → not given
    );
    expect(r).toEqual({ due: 3, onTime: 1, late: 1, notGiven: 1 });
    expect(
      injectionCounts(
        [
          { day: '2026-01-01', kind: 'given' },
          { day: '2026-02-15', kind: 'stopped' },
        ],
        '2026-03-01',
      ),
    ).toEqual({ due: 1, onTime: 0, late: 0, notGiven: 1 });
    // followed only to 20 Jan: nothing was due yet; on the due day it is not yet overdue
    expect(injectionCounts([{ day: '2026-01-01', kind: 'given' }], '2026-01-20').due).toBe(0);
    expect(injectionCounts([{ day: '2026-01-01', kind: 'given' }], '2026-01-29').due).toBe(0);
  });

  it('stage of change: the first and the latest assessment, in time order', () => {
    expect(
      stageTransition([
        { at: '2026-02-01T10:00:00Z', stage: 'contemplation' },
        { at: '2026-01-05T10:00:00Z', stage: 'precontemplation' },
        { at: '2026-03-01T10:00:00Z', stage: 'action' },
      ]),
    ).toEqual({ from: 'precontemplation', to: 'action', direction: 'forward' });
    expect(
      stageTransition([
        { at: '2026-01-05T10:00:00Z', stage: 'action' },
        { at: '2026-03-01T10:00:00Z', stage: 'preparation' },
      ])?.direction,
    ).toBe('back');
    expect(stageTransition([{ at: '2026-01-05T10:00:00Z', stage: 'action' }])).toBeNull();
  });

  it('a cohort: pooled counts, by kind of visit; what no one has is not recorded (null), not 0', () => {
    // A admitted 5 Jan, discharged 25 Jan; B admitted 23 Feb, nothing recorded; as of 2 Mar.
    const a: AdmissionCare = {
      ...empty('2026-01-05', '2026-01-25'),
      bookings: [
        { day: '2026-01-04', kind: 'individual', attendance: 'attended' }, // before admission: left out
        { day: '2026-01-06', kind: 'individual', attendance: 'attended' },
        { day: '2026-01-13', kind: 'group', attendance: 'no-show' },
        { day: '2026-01-20', kind: 'group', attendance: 'late' },
        { day: '2026-01-22', kind: 'medication', attendance: 'cancelled-clinic' },
        { day: '2026-01-27', kind: 'group', attendance: null }, // after discharge: left out
      ],
      counsellingSeenOn: ['2026-01-06', '2026-01-20'],
      cmDoses: [
        { day: '2026-01-06', outcome: 'taken', observed: true },
        { day: '2026-01-07', outcome: 'taken', observed: false },
        { day: '2026-01-08', outcome: 'not-taken', observed: false },
        { day: '2026-01-09', outcome: 'missed', observed: false },
      ],
      witnessed: [
        { day: '2026-01-10', taken: true, memberId: 'm1' },
        { day: '2026-01-11', taken: false, memberId: 'm1' },
        { day: '2026-01-11', taken: true, memberId: 'm2' }, // one member saw it taken: taken
        { day: '2026-01-12', taken: false, memberId: 'm1' },
      ],
      stages: [
        { at: '2026-01-05T15:00:00Z', day: '2026-01-05', stage: 'contemplation' },
        { at: '2026-01-19T15:00:00Z', day: '2026-01-19', stage: 'preparation' },
      ],
    };
    const f = careFigures([a, empty('2026-02-23')], DEFAULT_COUNSELLING_RULES, '2026-03-02');
    expect(f.admissions).toBe(2);
    // visits: attended 2 (6 and 20 Jan), missed 1 → 2/3
    expect(f.attendance).toMatchObject({ admissions: 1, visits: 4, attended: 2, missed: 1, cancelledByClinic: 1, notRecorded: 0 });
    expect(f.attendance.percent).toBeCloseTo(200 / 3);
    expect(f.attendance.byKind.map((k) => [k.kind, k.visits, k.percent])).toEqual([
      ['group', 2, 50],
      ['individual', 1, 100],
      ['medication', 1, null],
    ]);
    // A in January, 5–25 Jan: 21 days → 3 required, 2 held → not met; B: nothing required
    expect(f.counselling).toEqual({ admissions: 1, months: 1, monthsMet: 0, required: 3, held: 2, percent: 0 });
    expect(f.medication.cmDoses).toEqual({ admissions: 1, expected: 4, taken: 2, observed: 1, notTaken: 1, missed: 1, percent: 50 });
    expect(f.medication.witnessed).toMatchObject({ admissions: 1, days: 3, taken: 2, missed: 1 });
    expect(f.medication.injections).toEqual({ admissions: 0, due: 0, onTime: 0, late: 0, notGiven: 0, percent: null });
    expect(f.medication.takeHomesReturned).toBeNull();
    expect(f.stage).toMatchObject({ admissions: 1, fewer: 1, forward: 1, same: 0, back: 0 });
    expect(f.stage.matrix![STAGES.indexOf('contemplation')]!.to[STAGES.indexOf('preparation')]).toBe(1);

    const none = careFigures([empty('2026-02-23')], DEFAULT_COUNSELLING_RULES, '2026-03-02');
    expect([none.attendance.percent, none.counselling.percent, none.medication.cmDoses.percent, none.medication.witnessed.percent, none.medication.injections.percent]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(none.stage).toEqual({ admissions: 0, fewer: 1, forward: null, same: null, back: null, matrix: null });
  });
});

describe('care measures, properties', () => {
  const day = fc.integer({ min: 0, max: 200 }).map((n) => addDays('2026-01-01', n));
  const attendance = fc.constantFrom(...ATTENDANCE, null);
  const stage = fc.constantFrom(...STAGES);
  const admission = fc
    .record({
      admittedAt: fc.integer({ min: 0, max: 100 }),
      length: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      bookings: fc.array(fc.record({ day, kind: fc.constantFrom('individual', 'group', 'medication'), attendance }), { maxLength: 20 }),
      seen: fc.array(day, { maxLength: 20 }),
      cmDoses: fc.array(fc.record({ day, outcome: fc.constantFrom('taken', 'not-taken', 'missed') as fc.Arbitrary<'taken' | 'not-taken' | 'missed'>, observed: fc.boolean() }), { maxLength: 20 }),
      witnessed: fc.array(fc.record({ day, taken: fc.boolean(), memberId: fc.constantFrom('m1', 'm2') }), { maxLength: 20 }),
      injections: fc.array(fc.record({ day, kind: fc.constantFrom('given', 'stopped') as fc.Arbitrary<'given' | 'stopped'> }), { maxLength: 10 }),
      stages: fc.array(fc.record({ n: fc.integer({ min: 0, max: 200 }), stage }), { maxLength: 5 }),
    })
    .map((r): AdmissionCare => ({
      admittedOn: addDays('2026-01-01', r.admittedAt),
      dischargedOn: r.length === null ? null : addDays('2026-01-01', r.admittedAt + r.length),
      bookings: r.bookings,
      counsellingSeenOn: r.seen,
      cmDoses: r.cmDoses,
      witnessed: r.witnessed,
      injections: r.injections,
      stages: r.stages.map((s) => ({ at: `${addDays('2026-01-01', s.n)}T12:00:00Z`, day: addDays('2026-01-01', s.n), stage: s.stage })),
    }));

  it('the counts add up: outcomes to visits, kinds to totals, doses to expected, directions and the matrix to admissions', () => {
    fc.assert(
      fc.property(fc.array(admission, { maxLength: 6 }), (admissions) => {
        const f = careFigures(admissions, DEFAULT_COUNSELLING_RULES, '2026-06-01');
        const a = f.attendance;
        expect(a.attended + a.missed + a.cancelledByPatient + a.cancelledByClinic + a.excused + a.notRecorded).toBe(a.visits);
        expect(a.byKind.reduce((n, k) => n + k.visits, 0)).toBe(a.visits);
        expect(a.byKind.reduce((n, k) => n + k.attended, 0)).toBe(a.attended);
        expect(a.percent === null).toBe(a.attended + a.missed === 0);
        const d = f.medication.cmDoses;
        expect(d.taken + d.notTaken + d.missed).toBe(d.expected);
        expect(d.observed).toBeLessThanOrEqual(d.taken);
        const w = f.medication.witnessed;
        expect(w.taken + w.missed).toBe(w.days);
        const i = f.medication.injections;
        expect(i.onTime + i.late + i.notGiven).toBe(i.due);
        expect(f.counselling.monthsMet).toBeLessThanOrEqual(f.counselling.months);
        for (const p of [a.percent, f.counselling.percent, d.percent, w.percent, i.percent]) if (p !== null) expect(p >= 0 && p <= 100).toBe(true);
        const s = f.stage;
        expect(s.admissions + s.fewer).toBe(admissions.length);
        if (s.admissions === 0) expect(s.matrix).toBeNull();
        else {
          expect(s.forward! + s.same! + s.back!).toBe(s.admissions);
          expect(s.matrix!.flatMap((r) => r.to).reduce((n, x) => n + x, 0)).toBe(s.admissions);
          expect(s.matrix!.reduce((n, r, k) => n + r.to[k]!, 0)).toBe(s.same);
        }
      }),
    );
  });

  it('pooling is additive: a cohort’s counts are the sums of its admissions’ counts', () => {
    fc.assert(
      fc.property(fc.array(admission, { minLength: 1, maxLength: 5 }), (admissions) => {
        const whole = careFigures(admissions, DEFAULT_COUNSELLING_RULES, '2026-06-01');
        const parts = admissions.map((x) => careFigures([x], DEFAULT_COUNSELLING_RULES, '2026-06-01'));
        const sum = (pick: (f: typeof whole) => number) => parts.reduce((n, f) => n + pick(f), 0);
        expect(whole.attendance.visits).toBe(sum((f) => f.attendance.visits));
        expect(whole.counselling.required).toBe(sum((f) => f.counselling.required));
        expect(whole.counselling.monthsMet).toBe(sum((f) => f.counselling.monthsMet));
        expect(whole.medication.injections.due).toBe(sum((f) => f.medication.injections.due));
        expect(whole.medication.witnessed.days).toBe(sum((f) => f.medication.witnessed.days));
      }),
    );
  });

  it('an injection every 28 days or sooner is always on time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 10 }), (gaps) => {
        let d = '2026-01-01';
        const records = [{ day: d, kind: 'given' as const }];
        for (const g of gaps) records.push({ day: (d = addDays(d, g)), kind: 'given' });
        expect(injectionCounts(records, d)).toEqual({ due: gaps.length, onTime: gaps.length, late: 0, notGiven: 0 });
      }),
    );
  });
});
