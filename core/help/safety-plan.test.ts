import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changedSections,
  EMPTY_SAFETY_PLAN,
  isPhoneLike,
  mergeSafetyPlan,
  nextVersion,
  professionalsWithCrisisLine,
  SAFETY_PLAN_LIMITS,
  safetyPlanProblems,
  tidySafetyPlan,
  type SafetyPlanContent,
} from './safety-plan.ts';
import { helpSettingsProblems, isE164, tidyHelpSettings, EMPTY_HELP_SETTINGS } from './settings.ts';

const plan = (p: Partial<SafetyPlanContent>): SafetyPlanContent => ({ ...EMPTY_SAFETY_PLAN, ...p });

describe('safety plan rules', () => {
  it('an empty plan and a full one within the limits have no problems', () => {
    expect(safetyPlanProblems(EMPTY_SAFETY_PLAN)).toEqual([]);
    const full = plan({
      warningSigns: Array.from({ length: SAFETY_PLAN_LIMITS.items }, (_, i) => `sign ${i}`),
      helpers: [{ name: 'Sam (sister)', phone: '(555) 555-0142' }],
      professionals: [{ name: 'Clinic', phone: '+1 555 555 0100' }],
    });
    expect(safetyPlanProblems(full)).toEqual([]);
  });

  it('names the field at fault and the limit', () => {
    const problems = safetyPlanProblems(
      plan({
        warningSigns: Array.from({ length: SAFETY_PLAN_LIMITS.items + 1 }, () => 'x'),
        copingStrategies: ['ok', 'y'.repeat(SAFETY_PLAN_LIMITS.text + 1)],
        helpers: [{ name: '', phone: 'call me' }],
        professionals: [{ name: 'n'.repeat(SAFETY_PLAN_LIMITS.name + 1), phone: '' }],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['warningSigns', 'copingStrategies.1', 'helpers.0.name', 'helpers.0.phone', 'professionals.0.name', 'professionals.0.phone']);
    expect(problems[0]).toMatchObject({ limit: SAFETY_PLAN_LIMITS.items });
    expect(problems[1]!.message).toContain(String(SAFETY_PLAN_LIMITS.text));
  });

  it('tidying trims and drops blank lines and blank contacts, and keeps half-filled contacts (to name the missing half)', () => {
    const t = tidySafetyPlan(
      plan({
        warningSigns: ['  a ', '', '   '],
        helpers: [
          { name: ' ', phone: '' },
          { name: 'Jo', phone: '' },
        ],
      }),
    );
    expect(t.warningSigns).toEqual(['a']);
    expect(t.helpers).toEqual([{ name: 'Jo', phone: '' }]);
    expect(safetyPlanProblems(t).map((p) => p.field)).toEqual(['helpers.0.phone']);
  });

  it('phone numbers: as people type them, 3 to 15 digits', () => {
    for (const ok of ['988', '911', '+1 (555) 555-0100', '555.555.0100']) expect(isPhoneLike(ok), ok).toBe(true);
    for (const bad of ['12', 'call me', '+1 555 555 0100 0100 0100', '']) expect(isPhoneLike(bad), bad).toBe(false);
  });

  it('988 is always listed first among professionals, once', () => {
    expect(professionalsWithCrisisLine([])[0]!.phone).toBe('988');
    const l = professionalsWithCrisisLine([
      { name: 'Dr. Lee', phone: '555-0101' },
      { name: 'Lifeline', phone: '9-8-8' },
    ]);
    expect(l.map((c) => c.phone)).toEqual(['988', '555-0101']);
  });

  it('changed sections are named, never the words', () => {
    expect(changedSections(null, plan({ warningSigns: ['a'] }))).toEqual(['warningSigns']);
    expect(changedSections(plan({ helpers: [{ name: 'a', phone: '555' }] }), plan({ helpers: [{ name: 'a', phone: '555' }] }))).toEqual([]);
  });

  it('version check (property): a save is accepted only from the current version, and then the version goes up by one', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (current, basedOn) => {
        const r = nextVersion(current, basedOn);
        if (basedOn === current) expect(r).toEqual({ ok: true, version: current + 1 });
        else expect(r).toEqual({ ok: false, current });
      }),
    );
  });

  it('version check (property): of any interleaving of saves made from versions read earlier, each accepted save is based on the one before — none is lost silently', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5), { maxLength: 30 }), (lags) => {
        // each writer read the plan `lag` saves ago, then saves
        let current = 0;
        const accepted: number[] = [];
        for (const lag of lags) {
          const basedOn = Math.max(0, current - lag);
          const r = nextVersion(current, basedOn);
          if (r.ok) {
            expect(r.version).toBe(current + 1);
            accepted.push(basedOn);
            current = r.version;
          } else expect(lag).toBeGreaterThan(0);
        }
        expect(accepted).toEqual(accepted.map((_, i) => i));
      }),
    );
  });
});

describe('merging after a stale save', () => {
  const line = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
  const lines = fc.uniqueArray(line, { maxLength: 6 });
  it('(property) keeps every line the other person added and every line I added, and drops what I removed', () => {
    fc.assert(
      fc.property(lines, lines, lines, (base, mine, theirs) => {
        const P = (w: string[]) => plan({ warningSigns: w });
        const out = mergeSafetyPlan(P(base), P(mine), P(theirs)).warningSigns;
        for (const x of theirs) if (!(base.includes(x) && !mine.includes(x))) expect(out).toContain(x);
        for (const x of mine) if (!base.includes(x)) expect(out).toContain(x);
        for (const x of base) if (!mine.includes(x)) expect(out).not.toContain(x);
        expect(new Set(out).size).toBe(out.length);
      }),
    );
  });
  it('with no edit of mine, the result is theirs; with no edit of theirs, mine', () => {
    const base = plan({ copingStrategies: ['walk'] });
    const theirs = plan({ copingStrategies: ['walk', 'music'] });
    expect(mergeSafetyPlan(base, base, theirs)).toEqual(theirs);
    expect(mergeSafetyPlan(base, theirs, base)).toEqual(theirs);
  });
});

describe('help settings rules', () => {
  it('E.164 numbers', () => {
    expect(isE164('+15555550123')).toBe(true);
    for (const bad of ['5555550123', '+0555555012', '+1 555 555 0123', '988', '+1234567890123456']) expect(isE164(bad), bad).toBe(false);
  });

  it('names each bad field', () => {
    const s = tidyHelpSettings({
      clinicPhone: '555-0100',
      crisisLines: [{ labelEn: 'County crisis line', labelEs: '', phone: '+15555550111' }],
      afterHoursLines: [],
      naloxonePlaces: [{ name: 'Pharmacy', address: '', hours: 'Mon–Fri', phone: '', note: ' ' }],
    });
    expect(s.naloxonePlaces[0]).toMatchObject({ phone: null, note: null });
    expect(helpSettingsProblems(s).map((p) => p.field)).toEqual(['clinicPhone', 'crisisLines.0.labelEs', 'naloxonePlaces.0.address']);
    expect(helpSettingsProblems(EMPTY_HELP_SETTINGS)).toEqual([]);
  });
});
