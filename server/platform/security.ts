// Passwords (argon2id), opaque tokens (random, only their SHA-256 stored), TOTP and
// recovery codes, and the bundled common-password list.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { hash, verify } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';

// algorithm 2 = Argon2id (the package's const enum cannot be imported under isolatedModules)
const ARGON = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON);
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
/** A hash to verify against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('not-a-real-password-for-timing'));

export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}
export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}
export const TOTP_PERIOD_SECONDS = 30;
/**
 * The time-step (Unix time / 30 s) whose code this is, within one step of clock drift
 * either way, or null when it matches none. The caller accepts each step once per account.
 */
export function totpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / (TOTP_PERIOD_SECONDS * 1000)) + delta;
}
export function currentTotp(secret: string, now: Date): string {
  return totp(secret, 'x').generate({ timestamp: now.getTime() });
}
function totp(secret: string, label: string) {
  return new OTPAuth.TOTP({ issuer: 'Waypoint', label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** Ten one-time recovery codes, shown once; only their hashes are kept. */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 10 }, () => {
    const b = randomBytes(10);
    const s = Array.from(b, (x) => alphabet[x % alphabet.length]).join('');
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}
export const normaliseRecoveryCode = (c: string) => c.trim().toLowerCase().replace(/\s+/g, '');

let common: Set<string> | undefined;
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const file = new URL('../../content/security/common-passwords.txt.gz', import.meta.url);
    common = new Set(gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean));
  }
  return common;
}
