// Current MOUD-friendliness (latest record, expiry) and the ≥ 3 patients rule for welcome answers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COACHING, WELCOME_ANSWERS, WELCOME_MIN_PATIENTS, currentFriendliness, welcomeCounts } from './friendliness.ts';

const now = new Date('2026-03-04T15:00:00Z');
const d = (s: string) => new Date(s);

describe('friendliness', () => {
  it('no record is unknown; the latest record wins; an expired one counts as unknown', () => {
    expect(currentFriendliness([], now).friendliness).toBe('unknown');
    const recs = [
      { friendliness: 'restrictive' as const, evidence: 'staff-visit' as const, recordedAt: d('2025-01-01'), expiresAt: null },
      { friendliness: 'welcoming' as const, evidence: 'stated-policy' as const, recordedAt: d('2026-01-01'), expiresAt: d('2027-01-01') },
    ];
    expect(currentFriendliness(recs, now)).toMatchObject({ friendliness: 'welcoming', evidence: 'stated-policy', expired: false });
    expect(currentFriendliness(recs, d('2027-01-02'))).toMatchObject({ friendliness: 'unknown', expired: true });
  });

  it('welcome answers appear only from 3 different patients, as counts of each one’s latest answer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ patientId: fc.constantFrom('a', 'b', 'c', 'd', 'e'), answer: fc.constantFrom(...WELCOME_ANSWERS), at: fc.date({ noInvalidDate: true }) }), { maxLength: 30 }),
        (reports) => {
          const c = welcomeCounts(reports);
          const patients = new Set(reports.map((r) => r.patientId)).size;
          if (patients < WELCOME_MIN_PATIENTS) expect(c).toBeNull();
          else {
            expect(c!.patients).toBe(patients);
            expect(c!.yes + c!.somewhat + c!.no).toBe(patients);
            expect(Object.keys(c!).sort()).toEqual(['no', 'patients', 'somewhat', 'yes']);
          }
        },
      ),
    );
    const two = [
      { patientId: 'a', answer: 'yes' as const, at: d('2026-01-01') },
      { patientId: 'a', answer: 'no' as const, at: d('2026-02-01') },
      { patientId: 'b', answer: 'yes' as const, at: d('2026-01-01') },
    ];
    expect(welcomeCounts(two)).toBeNull();
    expect(welcomeCounts([...two, { patientId: 'c', answer: 'somewhat', at: d('2026-01-01') }])).toEqual({ patients: 3, yes: 1, somewhat: 1, no: 1 });
  });

  it('coaching exists in English and Spanish, same number of lines, no stigmatising words', () => {
    expect(COACHING.es).toHaveLength(COACHING.en.length);
    for (const line of [...COACHING.en, ...COACHING.es]) expect(line).not.toMatch(/addict|clean|dirty|adicto|limpio|sucio/i);
  });
});
