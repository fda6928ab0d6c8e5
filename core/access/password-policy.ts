// NIST SP 800-63B memorised-secret rules: at least 12 characters, at most 128, no
// composition rules, and refuse passwords that are common, breached, repetitive,
// sequential or built from the account's own details. The common list is passed in
// (core/ does no I/O).
export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export function checkPassword(password: string, context: { common: ReadonlySet<string>; email?: string; displayName?: string }): PasswordVerdict {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return { ok: false, reason: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (length > MAX_PASSWORD_LENGTH) return { ok: false, reason: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (context.common.has(lower) || (core.length >= 4 && context.common.has(core))) {
    return { ok: false, reason: 'This password is on a list of common or breached passwords. Choose another.' };
  }
  if (/^(.)\1+$/.test(password) || /^(.{1,3})\1+$/.test(password)) {
    return { ok: false, reason: 'This password repeats the same characters. Choose another.' };
  }
  if (isSequential(lower)) return { ok: false, reason: 'This password is a simple sequence. Choose another.' };
  const words = [context.email?.split('@')[0], ...(context.displayName ?? '').split(/\s+/), 'waypoint'].filter((w): w is string => !!w && w.length >= 4).map((w) => w.toLowerCase());
  if (words.some((w) => core === w || (lower.includes(w) && lower.length - w.length < 6))) {
    return { ok: false, reason: 'This password is too close to your name or email. Choose another.' };
  }
  return { ok: true };
}

/** A run like "abcdefghijkl", "987654321098" or "1234567890123" (digits wrap as on a keyboard row). */
function isSequential(s: string): boolean {
  if (s.length < 2) return false;
  const next = (a: number, b: number, step: number) => {
    if (b - a === step) return true;
    const isDigit = (c: number) => c >= 48 && c <= 57;
    return isDigit(a) && isDigit(b) && ((step === 1 && a === 57 && b === 48) || (step === -1 && a === 48 && b === 57));
  };
  for (const step of [1, -1]) {
    let ok = true;
    for (let i = 1; i < s.length && ok; i++) ok = next(s.charCodeAt(i - 1), s.charCodeAt(i), step);
    if (ok) return true;
  }
  return false;
}
