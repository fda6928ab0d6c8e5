// A stored ledger row's engine form (settle.ts toEngine) is built once per row object: a
// kept copy's rows are the same objects from one recording of a patient to the next.
import { describe, expect, it } from 'vitest';
import { toEngine, type HistoryEntry } from '../../server/modules/cm/settle.ts';

const row = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 'row-1',
  enrolmentId: 'enr-1',
  entryKey: 'ev-1/stim/earn',
  kind: 'earn',
  eventId: 'ev-1',
  track: 'stim',
  month: '2026-03',
  cents: 250,
  draws: null,
  n: null,
  tier: null,
  capped: null,
  voidsKey: null,
  ...over,
});

describe('a ledger row in the engine’s vocabulary', () => {
  it('is built once per row object, frozen, and carries voids only for a void', () => {
    const r = row();
    const e = toEngine(r);
    expect(toEngine(r)).toBe(e);
    expect(Object.isFrozen(e)).toBe(true);
    expect(e).toEqual({ id: 'ev-1/stim/earn', kind: 'earn', event: 'ev-1', track: 'stim', month: '2026-03', cents: 250, n: null, tier: null, capped: null, draws: null });
    expect('voids' in e).toBe(false);
    // another row object with the same values gets its own form
    const again = toEngine(row());
    expect(again).not.toBe(e);
    expect(again).toEqual(e);
    const v = toEngine(row({ id: 'row-2', kind: 'void', entryKey: 'void/ev-1/stim/earn', voidsKey: 'ev-1/stim/earn' }));
    expect(v.voids).toBe('ev-1/stim/earn');
  });
});
