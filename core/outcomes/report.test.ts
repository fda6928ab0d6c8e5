import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../cm/calendar.ts';
import { addMonths, census, lastFullMonth, reportPeriod, shownPer, shownRate, shownSurvival, weeksStartingIn } from './report.ts';
import type { Outcome } from './screens.ts';

describe('the report month', () => {
  it('months forward and back across years; the last full month before today', () => {
    expect([addMonths('2026-01', -1), addMonths('2026-12', 1), addMonths('2026-03', -11), addMonths('2026-02', 0)]).toEqual(['2025-12', '2027-01', '2025-04', '2026-02']);
    expect([lastFullMonth('2026-03-02'), lastFullMonth('2026-01-31')]).toEqual(['2026-02', '2025-12']);
  });

  it('a past month is read to its last day, the month under way to today, a later month refused; admissions of the 12 months to its end', () => {
    expect(reportPeriod('2026-02', '2026-03-02')).toEqual({ first: '2026-02-01', last: '2026-02-28', asOf: '2026-02-28', from: '2025-03-01', to: '2026-02-28' });
    expect(reportPeriod('2024-02', '2026-03-02')).toMatchObject({ last: '2024-02-29', from: '2023-03-01' });
    expect(reportPeriod('2026-03', '2026-03-02')).toMatchObject({ first: '2026-03-01', last: '2026-03-31', asOf: '2026-03-02' });
    expect(reportPeriod('2026-04', '2026-03-02')).toBeNull();
  });
});

describe('the census of a month', () => {
  it('patients with an episode open on any day (each once), admissions and discharges in the month', () => {
    const episodes = [
      { patientId: 'a', admittedOn: '2026-01-05', dischargedOn: null }, // open all month
      { patientId: 'b', admittedOn: '2026-01-05', dischargedOn: '2026-01-31' }, // left before
      { patientId: 'c', admittedOn: '2026-02-10', dischargedOn: '2026-02-20' }, // admitted and discharged in it
      { patientId: 'c', admittedOn: '2026-02-25', dischargedOn: null }, // readmitted: the same patient
      { patientId: 'd', admittedOn: '2026-01-01', dischargedOn: '2026-02-01' }, // discharged on the first day
      { patientId: 'e', admittedOn: '2026-03-01', dischargedOn: null }, // after
    ];
    expect(census(episodes, '2026-02-01', '2026-02-28')).toEqual({ inTreatment: 3, admissions: 2, discharges: 2 });
    expect(census([], '2026-02-01', '2026-02-28')).toEqual({ inTreatment: 0, admissions: 0, discharges: 0 });
  });
});

describe('weeks that start in a month', () => {
  it('keeps the weeks since admission whose first day is in the month', () => {
    // admitted Mon 5 Jan: weeks start 5, 12, 19, 26 Jan, 2, 9, 16, 23 Feb
    const weeks: Outcome[] = ['negative', 'missing', 'missing', 'positive', 'negative', 'negative', 'missing', 'negative'];
    expect(weeksStartingIn('2026-01-05', weeks, '2026-02-01', '2026-02-28')).toEqual(['negative', 'negative', 'missing', 'negative']);
    expect(weeksStartingIn('2026-01-05', weeks, '2026-01-01', '2026-01-31')).toEqual(['negative', 'missing', 'missing', 'positive']);
  });

  it('consecutive months share out every week exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.array(fc.constantFrom<Outcome>('negative', 'positive', 'missing'), { maxLength: 80 }), (offset, weeks) => {
        const admittedOn = addDays('2024-01-01', offset);
        let month = admittedOn.slice(0, 7);
        const parts: Outcome[] = [];
        for (let i = 0; i < 24; i++, month = addMonths(month, 1)) {
          const p = reportPeriod(month, '2099-12-31')!;
          parts.push(...weeksStartingIn(admittedOn, weeks, p.first, p.last));
        }
        const startsBefore = weeks.filter((_, i) => addDays(admittedOn, 7 * i) <= reportPeriod(addMonths(admittedOn.slice(0, 7), 23), '2099-12-31')!.last);
        expect(parts).toEqual(startsBefore);
      }),
    );
  });
});

describe('what may leave the programme', () => {
  it('a rate is shown only when neither its numerator nor its denominator is 1–10', () => {
    expect(shownRate({ negative: 30, denominator: 33, percent: 90.9 })).toEqual({ negative: 30, denominator: 33, percent: 90.9 });
    expect(shownRate({ negative: 10, denominator: 11, percent: 90.9 })).toEqual({ negative: null, denominator: 11, percent: null });
    expect(shownRate({ negative: 0, denominator: 5, percent: 0 })).toEqual({ negative: 0, denominator: null, percent: null });
    expect(shownRate({ negative: 0, denominator: 0, percent: null })).toEqual({ negative: 0, denominator: 0, percent: null });
  });

  it('S(t) is shown only when the cohort and those followed that long are not small cells', () => {
    expect(shownSurvival(14, 11, 11 / 14)).toEqual({ n: 14, atRisk: 11, survival: 11 / 14 });
    expect(shownSurvival(13, 10, 10 / 13)).toEqual({ n: 13, atRisk: null, survival: null });
    expect(shownSurvival(5, 0, 0.6)).toEqual({ n: null, atRisk: 0, survival: null });
    expect(shownSurvival(20, 0, null)).toEqual({ n: 20, atRisk: 0, survival: null });
  });

  it('a cost per patient or per screen is shown only when its denominator is not 1–10', () => {
    // $180.00 over 10 patients: hidden; over 30 screens: $6.00 shown; over 11: shown; none: not recorded
    expect(shownPer(18_000 / 10, 10)).toEqual({ cents: null, hidden: true });
    expect(shownPer(18_000 / 1, 1)).toEqual({ cents: null, hidden: true });
    expect(shownPer(18_000 / 30, 30)).toEqual({ cents: 600, hidden: false });
    expect(shownPer(18_000 / 11, 11)).toEqual({ cents: 18_000 / 11, hidden: false });
    expect(shownPer(null, 0)).toEqual({ cents: null, hidden: false });
  });

  it('property: no shown percent ever rests on a count from 1 to 10', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), (a, b) => {
        const denominator = a + b;
        const s = shownRate({ negative: a, denominator, percent: denominator === 0 ? null : (100 * a) / denominator });
        if (s.percent !== null) for (const n of [a, denominator]) expect(n === 0 || n >= 11).toBe(true);
      }),
    );
  });
});
