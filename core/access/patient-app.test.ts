import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_LENGTH, groupCode, inviteExpiresAt, inviteStatus, newActivationCode, normaliseActivationCode, pinProblem } from './patient-app.ts';

const bytes = fc.uint8Array({ minLength: CODE_LENGTH, maxLength: CODE_LENGTH });

describe('activation codes', () => {
  it('a new code has 12 characters of the unambiguous alphabet and survives being grouped, spaced and lower-cased', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom(' ', '-', ''), (b, sep) => {
        const code = newActivationCode(b);
        expect(code).toHaveLength(CODE_LENGTH);
        for (const ch of code) expect(CODE_ALPHABET).toContain(ch);
        expect(code).not.toMatch(/[ILOU]/);
        const grouped = groupCode(code);
        expect(grouped).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        expect(normaliseActivationCode(grouped.toLowerCase().replace(/-/g, sep))).toBe(code);
      }),
    );
  });

  it('every byte value maps to a character, uniformly (32 divides 256)', () => {
    const seen = new Map<string, number>();
    for (let v = 0; v < 256; v++) {
      const ch = newActivationCode(new Uint8Array(CODE_LENGTH).fill(v))[0]!;
      seen.set(ch, (seen.get(ch) ?? 0) + 1);
    }
    expect(seen.size).toBe(32);
    expect(new Set(seen.values())).toEqual(new Set([8]));
  });

  it('reads O as 0 and I or L as 1; refuses wrong lengths and other characters', () => {
    expect(normaliseActivationCode('oooo-iiii-llll')).toBe('000011111111');
    expect(normaliseActivationCode('ABCD-EFGH-JKM')).toBeNull();
    expect(normaliseActivationCode('ABCD-EFGH-JKMNP')).toBeNull();
    expect(normaliseActivationCode('ABCD-EFGH-JKU1')).toBeNull();
    expect(normaliseActivationCode('')).toBeNull();
  });

  it('an invite is open for exactly 7 days, and used or revoked wins over time', () => {
    const now = new Date('2026-03-02T15:00:00Z');
    const expiresAt = inviteExpiresAt(now);
    expect(expiresAt.toISOString()).toBe('2026-03-09T15:00:00.000Z');
    expect(inviteStatus({ usedAt: null, revokedAt: null, expiresAt }, new Date(expiresAt.getTime() - 1))).toBe('open');
    expect(inviteStatus({ usedAt: null, revokedAt: null, expiresAt }, expiresAt)).toBe('expired');
    expect(inviteStatus({ usedAt: now, revokedAt: null, expiresAt }, expiresAt)).toBe('used');
    expect(inviteStatus({ usedAt: null, revokedAt: now, expiresAt }, now)).toBe('revoked');
  });
});

describe('PINs', () => {
  it('refuses trivial PINs', () => {
    expect(pinProblem('123456')).toBe('sequence');
    expect(pinProblem('654321')).toBe('sequence');
    expect(pinProblem('890123')).toBe('sequence');
    expect(pinProblem('000000')).toBe('repeated');
    expect(pinProblem('999999999')).toBe('repeated');
    expect(pinProblem('121212')).toBe('common');
    expect(pinProblem('123123')).toBe('common');
    expect(pinProblem('147258')).toBe('common');
    expect(pinProblem('12345')).toBe('too-short');
    expect(pinProblem('1234567890123')).toBe('too-long');
    expect(pinProblem('12a456')).toBe('not-digits');
    expect(pinProblem('')).toBe('not-digits');
  });

  it('accepts ordinary PINs', () => {
    for (const pin of ['482915', '730264', '19830412', '205817']) expect(pinProblem(pin)).toBeNull();
  });

  it('any digit string of a permitted length is judged, and a refused one always has a reason that holds', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6,12}$/), (pin) => {
        const p = pinProblem(pin);
        if (p === 'repeated') expect(new Set(pin).size).toBe(1);
        if (p === 'too-short' || p === 'too-long' || p === 'not-digits') throw new Error(`${pin}: ${p}`);
      }),
    );
  });
});
