import { describe, expect, it } from 'vitest';
import { commitment, drawSlip, expectedValueCents, slipIndex, ZERO_SEED } from './draws.ts';

const BOWL = {
  slips: [
    { tier: 'none', label: 'Good job!', count: 250, valueCents: 0 },
    { tier: 'small', count: 209, valueCents: 100 },
    { tier: 'large', count: 40, valueCents: 2000 },
    { tier: 'jumbo', count: 1, valueCents: 10000 },
  ],
};

// Expected values computed independently with Python's hmac/hashlib (see docs/cm-semantics.md).
describe('draws (CM-SPEC §3)', () => {
  it('CTN-0007-style bowl expected value is 221.8 cents', () => {
    expect(expectedValueCents(BOWL)).toBeCloseTo(221.8, 10);
  });
  it('commitment is sha256(seed)', () => {
    expect(commitment(ZERO_SEED)).toBe('66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
    expect(commitment('00')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });
  it('slip indices match an independent HMAC-SHA256 derivation', () => {
    expect([1, 2, 3, 4, 5].map((n) => slipIndex(ZERO_SEED, 'e1', n, 500))).toEqual([6, 169, 372, 360, 215]);
    const seed = '0123456789abcdef'.repeat(4);
    expect([1, 2, 3, 4, 5].map((n) => slipIndex(seed, 'e1', n, 500))).toEqual([33, 389, 349, 46, 171]);
    expect([1, 10, 100].map((n) => slipIndex(seed, 'enr-ü', n, 7))).toEqual([1, 0, 1]);
  });
  it('uses exact 64-bit arithmetic (a Number would pick a different slip)', () => {
    // u1 of draw 1 (zero seed, "e1:1") is 1499820313134611506; mod 500 = 6
    expect(Number(1499820313134611506n % 500n)).toBe(6);
    expect(slipIndex(ZERO_SEED, 'e1', 1, 500)).toBe(6);
  });
  it('rejection sampling moves to the next word when u1 ≥ floor(2^64/T)·T', () => {
    // T = 2^52 + 1: draw 839 has u1 rejected; u2 mod T = 850837716833991
    expect(slipIndex(ZERO_SEED, 'e1', 839, 2 ** 52 + 1)).toBe(850837716833991);
  });
  it('maps slips to bowl entries in order', () => {
    expect(drawSlip(ZERO_SEED, 'e1', 3, BOWL)).toEqual({ n: 3, slipIndex: 372, entry: 1, tier: 'small', valueCents: 100 });
    expect(drawSlip(ZERO_SEED, 'e1', 1, BOWL).tier).toBe('none');
    const tiny = {
      slips: [
        { tier: 'a', count: 1, valueCents: 1 },
        { tier: 'b', count: 1, valueCents: 2 },
      ],
    };
    for (let n = 1; n < 50; n++) {
      const d = drawSlip(ZERO_SEED, 'x', n, tiny);
      expect(d.tier).toBe(d.slipIndex === 0 ? 'a' : 'b');
    }
  });
  it('rejects bad draw numbers', () => {
    expect(() => slipIndex(ZERO_SEED, 'e1', 0, 10)).toThrow();
    expect(() => slipIndex(ZERO_SEED, 'e1', 1.5, 10)).toThrow();
  });
});
