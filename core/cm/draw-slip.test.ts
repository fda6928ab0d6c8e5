import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawMessage, entryOfSlip, prepareBowl, slipOfDigest } from './draw-slip.ts';
import { drawSlip, slipIndex } from './draws.ts';

const BOWL = {
  slips: [
    { tier: 'none', count: 250, valueCents: 0 },
    { tier: 'small', count: 209, valueCents: 100 },
    { tier: 'large', count: 40, valueCents: 2000 },
    { tier: 'jumbo', count: 1, valueCents: 10000 },
  ],
};

describe('draw-slip: the pure half of a draw, shared with the browser', () => {
  it('gives the server’s draw for any seed, enrolment, number and bowl size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uuid(), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100_000 }), (seed, enrolmentId, n, total) => {
        const digest = createHmac('sha256', seed).update(drawMessage(enrolmentId, n), 'utf8').digest();
        expect(slipOfDigest(new Uint8Array(digest), total)).toBe(slipIndex(seed, enrolmentId, n, total));
      }),
      { numRuns: 300 },
    );
  });
  it('maps a slip to its bowl entry as drawSlip does', () => {
    const seed = new Uint8Array(32).fill(7);
    const p = prepareBowl(BOWL);
    for (let n = 1; n <= 50; n++) {
      const digest = createHmac('sha256', seed).update(drawMessage('enr-1', n), 'utf8').digest();
      const entry = entryOfSlip(p, slipOfDigest(digest, p.total)!);
      expect(BOWL.slips[entry]!.tier).toBe(drawSlip(seed, 'enr-1', n, BOWL).tier);
    }
  });
  it('rejects a word at or above floor(2^64 / T) × T, and answers null when all four are', () => {
    // T = 3: the limit is 2^64 − 1, so a word of all ones is rejected
    const ones = new Uint8Array(32).fill(0xff);
    expect(slipOfDigest(ones, 3)).toBeNull();
    const second = new Uint8Array(32).fill(0xff);
    second.set([0, 0, 0, 0, 0, 0, 0, 5], 8); // the second word is 5
    expect(slipOfDigest(second, 3)).toBe(2);
    expect(() => slipOfDigest(new Uint8Array(31), 3)).toThrow(/32 bytes/);
    expect(() => slipOfDigest(ones, 0)).toThrow(/at least one slip/);
  });
});
