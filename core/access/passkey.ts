// Passkeys for the patient app (ADR 039; WebAuthn Level 3): the rules the server applies
// around @simplewebauthn/server's checks. Pure: no I/O, no clock.

/** A passkey's registration or unlock must be answered within 2 minutes (as a PIN unlock's challenge), once. */
export const PASSKEY_TIMEOUT_MS = 120_000;

/** The name the phone's passkey list shows, for the site and for the account: neutral on a phone that may be shared. */
export const PASSKEY_DISPLAY_NAME = 'Waypoint';

export type CounterVerdict = 'ok' | 'possible-clone';

/**
 * The signature counter check (WebAuthn §7.2 step 21 / §6.1.1). An authenticator that keeps
 * no counter sends 0 every time (synced passkeys do): nothing to compare. Otherwise each
 * signature's counter must be greater than the last one stored; one that is not means a
 * second copy of the key may be signing too.
 */
export function counterVerdict(stored: number, received: number): CounterVerdict {
  if (stored === 0 && received === 0) return 'ok';
  return received > stored ? 'ok' : 'possible-clone';
}

/**
 * The relying party for a public origin: its host name is the RP ID (a passkey made for
 * one host works only there). An IP address cannot be an RP ID: browsers refuse it, and so
 * does this (null), so the app offers the PIN instead.
 */
export function relyingPartyOf(origin: string): { rpId: string; origin: string } | null {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const host = u.hostname;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')) return null;
  // Browsers allow WebAuthn over plain http only on localhost (a secure context).
  if (u.protocol === 'http:' && host !== 'localhost' && !host.endsWith('.localhost')) return null;
  return { rpId: host, origin: u.origin };
}

export type PasskeyFailure = 'origin' | 'rp-id' | 'challenge' | 'user-verification' | 'response';

/**
 * Why @simplewebauthn/server refused a response, as a short reason for the audit trail (never
 * its message: that can quote the challenge). Its errors are plain Errors with English
 * messages; each phrase matched has a space, which no base64url value quoted in them can hold.
 */
export function passkeyFailureOf(message: string): PasskeyFailure {
  if (/response origin/.test(message)) return 'origin';
  if (/RP ID/.test(message)) return 'rp-id';
  if (/response challenge|challenge verifier/.test(message)) return 'challenge';
  if (/User (verification|presence)|could not be verified|not present/.test(message)) return 'user-verification';
  return 'response';
}
