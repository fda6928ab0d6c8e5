import { describe, expect, it } from 'vitest';
import { FORM_MINUTES, HANDOFF_MINUTES, formExpiresAt, handoffExpiresAt, handoffRefusal } from './tablet-handoff.ts';

const t0 = new Date('2026-03-02T10:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

describe('tablet hand-off', () => {
  it('can be exchanged once, before it expires', () => {
    const s = { handedOffAt: null, handoffExpiresAt: handoffExpiresAt(t0), cancelledAt: null };
    expect(handoffRefusal(s, at(HANDOFF_MINUTES - 1))).toBeNull();
    expect(handoffRefusal(s, at(HANDOFF_MINUTES))).toBe('expired');
    expect(handoffRefusal({ ...s, handedOffAt: at(1) }, at(2))).toBe('used');
    expect(handoffRefusal({ ...s, cancelledAt: at(1) }, at(2))).toBe('cancelled');
  });
  it('gives the form its own time from the hand-off', () => {
    expect(formExpiresAt(at(9)).getTime()).toBe(at(9 + FORM_MINUTES).getTime());
  });
});
