import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy.ts';

const common = new Set(['password', 'iloveyou', 'sunshine', 'correcthorsebatterystaple']);
const check = (p: string, extra: { email?: string; displayName?: string } = {}) => checkPassword(p, { common, ...extra });

describe('password policy (NIST 800-63B)', () => {
  it('accepts a long passphrase without composition rules', () => {
    expect(check('maple syrup on tuesday')).toEqual({ ok: true });
    expect(check('abcdefghijkz')).toEqual({ ok: true });
  });
  it('refuses fewer than 12 characters, counting code points', () => {
    expect(check('short-pass1').ok).toBe(false);
    expect(check('😀'.repeat(11)).ok).toBe(false);
    expect(check('😀😃😄😁😆😅🤣😂🙂🙃😉😊').ok).toBe(true);
    expect(check('😀'.repeat(12)).ok).toBe(false); // repetitive
  });
  it('refuses more than 128 characters', () => {
    expect(check('x'.repeat(64) + 'y'.repeat(65)).ok).toBe(false);
  });
  it('refuses listed passwords, also with digits or symbols around them', () => {
    expect(check('CorrectHorseBatteryStaple').ok).toBe(false);
    expect(check('password12345678').ok).toBe(false);
    expect(check('!!sunshine2026!!').ok).toBe(false);
  });
  it('refuses repetition and sequences', () => {
    expect(check('aaaaaaaaaaaaaa').ok).toBe(false);
    expect(check('abcabcabcabc').ok).toBe(false);
    expect(check('123456789012').ok).toBe(false);
    expect(check('987654321098').ok).toBe(false);
    expect(check('abcdefghijklmn').ok).toBe(false);
  });
  it('refuses passwords built from the account name or email', () => {
    expect(check('jordanriver1!', { email: 'jordanriver@clinic.example' }).ok).toBe(false);
    expect(check('Quinlan-2026!', { displayName: 'Quinlan Auditor' }).ok).toBe(false);
  });
});
