import { describe, expect, it } from 'vitest';
import { cmAvailabilityOf, recommend } from './index.ts';

describe('cmAvailabilityOf: whether the programme can offer CM, from its records', () => {
  it('is yes with a CM protocol or a patient enrolled now, and not recorded otherwise (never no)', () => {
    expect(cmAvailabilityOf({ protocols: 1, activeEnrolments: 0 })).toBe(true);
    expect(cmAvailabilityOf({ protocols: 0, activeEnrolments: 3 })).toBe(true);
    expect(cmAvailabilityOf({ protocols: 2, activeEnrolments: 5 })).toBe(true);
    expect(cmAvailabilityOf({ protocols: 0, activeEnrolments: 0 })).toBeUndefined();
  });
  it('a programme that runs CM gets no "not recorded" note, one that has not set it up does', () => {
    const base = { stage: 'contemplation' as const, moud: 'none' as const, substances: ['opioids' as const] };
    const notes = (cmAvailable: boolean | undefined) =>
      recommend({ ...base, ...(cmAvailable === undefined ? {} : { cmAvailable }) })
        .recommendations.filter((r) => r.intervention === 'contingency-management')
        .map((r) => r.rationale.clinician)
        .join(' ');
    expect(notes(cmAvailabilityOf({ protocols: 1, activeEnrolments: 0 }))).not.toMatch(/not recorded/);
    expect(notes(cmAvailabilityOf({ protocols: 0, activeEnrolments: 0 }))).toMatch(/not recorded/);
  });
});
