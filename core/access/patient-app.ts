// The patient app's identity rules (NIST SP 800-63B; docs/patient-app.md, ADR 030):
// activation codes staff give a patient, the PIN a patient picks, and how long an
// invite, an unlock challenge and a patient session last. Pure: randomness and time
// come in as arguments.

/** An invite is valid for 7 days, and only once. */
export const INVITE_DAYS = 7;
/** An unlock challenge must be signed and sent back within 2 minutes, once. */
export const CHALLENGE_SECONDS = 120;
/** A patient session ends after this many hours whatever happens (the idle lock ends it sooner). */
export const PATIENT_SESSION_HOURS = 12;
/** The programme's default idle lock, in minutes. */
export const DEFAULT_PATIENT_IDLE_MINUTES = 5;
/** What a programme may set the idle lock to: at least a minute, at most 15 (NIST SP 800-63B's inactivity limit for AAL2 is 30; a shared phone warrants less). */
export const PATIENT_IDLE_LIMITS = { min: 1, max: 15 } as const;

/**
 * The code's alphabet: Crockford's base 32 without I, L, O and U, so no two characters
 * look or sound alike when read aloud or typed from paper (0/O, 1/I/L).
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters of 32: 60 bits, far beyond guessing at the activation route's rate limit. */
export const CODE_LENGTH = 12;
const GROUP = 4;

/** A new activation code from CODE_LENGTH random bytes (only the low 5 bits of each are used). */
export function newActivationCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < CODE_LENGTH) throw new Error(`need ${CODE_LENGTH} random bytes`);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomBytes[i]! & 31];
  return code;
}

/** The code as printed and read aloud: groups of four, e.g. "7KQ2-M9XD-3HTB". */
export function groupCode(code: string): string {
  return code.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? '';
}

/**
 * The code a person typed, in its canonical form, or null when it cannot be one: case,
 * spaces and dashes do not matter, and the letters people confuse with digits are read
 * as those digits (O → 0, I and L → 1), as Crockford's base 32 does.
 */
export function normaliseActivationCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

export type PinProblem = 'not-digits' | 'too-short' | 'too-long' | 'repeated' | 'sequence' | 'common';

/** PINs people pick most often that are neither one digit repeated nor a run (checked separately). */
const COMMON_PINS = new Set(['121212', '112233', '123123', '696969', '131313', '102030', '111222', '123321', '654321', '159753', '147258', '123654', '101010', '202020', '998877', '100200']);

/**
 * Why a PIN may not be used, or null when it may: 6 to 12 digits, not one digit repeated
 * (000000), not a run up or down (123456, 987654, 901234 wraps), not a pattern repeated
 * (121212, 123123) and not one of the most common PINs. SP 800-63B asks verifiers to
 * refuse values known to be commonly used or expected.
 */
export function pinProblem(pin: string): PinProblem | null {
  if (!/^\d+$/.test(pin)) return 'not-digits';
  if (pin.length < PIN_MIN_LENGTH) return 'too-short';
  if (pin.length > PIN_MAX_LENGTH) return 'too-long';
  if (/^(\d)\1+$/.test(pin)) return 'repeated';
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  for (let len = 1; len <= pin.length / 2; len++) {
    if (pin.length % len === 0 && pin === pin.slice(0, len).repeat(pin.length / len)) return 'common';
  }
  if (COMMON_PINS.has(pin)) return 'common';
  return null;
}

export function inviteExpiresAt(now: Date): Date {
  return new Date(now.getTime() + INVITE_DAYS * 86_400_000);
}

export type InviteState = { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date };
export type InviteStatus = 'open' | 'used' | 'revoked' | 'expired';

export function inviteStatus(i: InviteState, now: Date): InviteStatus {
  if (i.usedAt) return 'used';
  if (i.revokedAt) return 'revoked';
  if (i.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

/** The text a device signs to prove it holds its key: bound to its purpose, so a signature for one cannot serve the other. */
export const activationProof = (code: string) => `waypoint-activate:${code}`;
export const unlockProof = (deviceId: string, challenge: string) => `waypoint-unlock:${deviceId}:${challenge}`;
