import { describe, expect, it } from 'vitest';
import { baseOf, bonusOf, fail, indexOf, levelOf, newRun, privilegeIndexOf, resolveEscalation, succeed, phaseIndexForWeek } from './escalation.ts';

function levels(seq: string, recoverAfter: number | null): (number | null)[] {
  const run = newRun();
  return [...seq.replace(/\s/g, '')].map((c) => {
    if (c === 'S') return succeed(run, recoverAfter);
    fail(run);
    return null;
  });
}

describe('escalation (CM-SPEC §2)', () => {
  it('applies the defaults', () => {
    expect(resolveEscalation({ start: 250 })).toEqual({ start: 250, step: 0, stepEvery: 1, max: null, bonusEvery: null, bonus: 0, recoverAfter: null });
    expect(resolveEscalation({ start: 1, stepEvery: 0, bonusEvery: 0, step: null, max: null, bonus: null, recoverAfter: null }).stepEvery).toBe(1);
  });
  it('worked example 1: S S S S F S F S S S with recoverAfter 2', () => {
    expect(levels('SSSSFSFSSS', 2)).toEqual([1, 2, 3, 4, null, 1, null, 1, 2, 3]);
  });
  it('worked example 2: S S S S F F S S S with recoverAfter 2', () => {
    expect(levels('SSSSFFSSS', 2)).toEqual([1, 2, 3, 4, null, null, 1, 2, 5]);
  });
  it('worked example 3: stepEvery 2 indices', () => {
    const ls = levels('SSSSSFSSS', 2).filter((l): l is number => l !== null);
    expect(ls).toEqual([1, 2, 3, 4, 5, 1, 2, 6]);
    expect(ls.map((l) => indexOf(l, 2))).toEqual([1, 1, 2, 2, 3, 1, 1, 3]);
  });
  it('L takes the last run level even when lower than the previous L', () => {
    const run = newRun();
    for (let i = 0; i < 5; i++) succeed(run, 2);
    fail(run);
    expect(run.L).toBe(5);
    succeed(run, 2);
    fail(run);
    expect(run.L).toBe(1);
    fail(run);
    expect(run.L).toBe(1);
  });
  it('levelOf without recovery is s', () => {
    expect(levelOf(7, 20, null)).toBe(7);
    expect(levelOf(3, 20, 3)).toBe(3);
    expect(levelOf(4, 20, 3)).toBe(21);
  });
  it('Higgins 1994: 36 consecutive negatives earn $997.50', () => {
    const esc = resolveEscalation({ start: 250, step: 125, bonusEvery: 3, bonus: 1000 });
    const run = newRun();
    let total = 0;
    for (let i = 0; i < 36; i++) {
      const level = succeed(run, esc.recoverAfter);
      total += baseOf(esc, level) + bonusOf(esc, run.s);
    }
    expect(total).toBe(99750);
  });
  it('max limits the base only', () => {
    const esc = resolveEscalation({ start: 100, step: 100, max: 250, bonusEvery: 2, bonus: 50 });
    expect([1, 2, 3, 4].map((l) => baseOf(esc, l))).toEqual([100, 200, 250, 250]);
    expect(bonusOf(esc, 4)).toBe(50);
    expect(bonusOf(esc, 3)).toBe(0);
  });
  it('privilege index is capped at the last level', () => {
    const esc = resolveEscalation({ stepEvery: 2 });
    expect([1, 2, 3, 4, 5, 9].map((l) => privilegeIndexOf(esc, l, 3))).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('first listed phase wins on overlap; gaps are uncovered', () => {
    const phases = [
      { fromWeek: 1, toWeek: 4, escalation: {} },
      { fromWeek: 3, toWeek: 6, escalation: {} },
      { fromWeek: 9, toWeek: 9, escalation: {} },
    ];
    expect([0, 1, 3, 5, 7, 9, 10].map((w) => phaseIndexForWeek(phases, w))).toEqual([-1, 0, 0, 1, -1, 2, -1]);
  });
});
