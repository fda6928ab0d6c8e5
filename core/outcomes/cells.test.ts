import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_CELL, smallestClass, suppressed } from './cells.ts';

describe('small cells', () => {
  it('suppresses 1 to 10, shows 0 and 11 or more', () => {
    expect([0, 1, 5, 10, 11, 250].map((n) => suppressed(n))).toEqual([0, null, null, null, 11, 250]);
    expect(MIN_CELL).toBe(11);
  });

  it('the smallest equivalence class over the quasi-identifiers', () => {
    const rows = [
      { ageBand: '25-34', sex: 'F', zip3: '100' },
      { ageBand: '25-34', sex: 'F', zip3: '100' },
      { ageBand: '25-34', sex: 'M', zip3: '100' },
      { ageBand: '35-44', sex: 'F', zip3: '112' },
      { ageBand: '35-44', sex: 'F', zip3: '112' },
      { ageBand: '35-44', sex: 'F', zip3: '112' },
    ];
    expect(smallestClass(rows, ['ageBand', 'sex', 'zip3'])).toEqual({ size: 1, classes: 3 });
    expect(smallestClass(rows, ['ageBand'])).toEqual({ size: 3, classes: 2 });
    expect(smallestClass([], ['ageBand'])).toEqual({ size: 0, classes: 0 });
  });

  it('the classes partition the rows: their sizes add up, the smallest is at most the average', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ a: fc.integer({ min: 0, max: 3 }), b: fc.constantFrom('x', 'y') }), { minLength: 1, maxLength: 60 }), (rows) => {
        const { size, classes } = smallestClass(rows, ['a', 'b']);
        expect(classes).toBeGreaterThan(0);
        expect(size * classes).toBeLessThanOrEqual(rows.length);
      }),
    );
  });
});
