// The phone's side of passkeys (ADR 039). Whether this phone can use its own screen lock
// as a passkey is asked of the browser directly (no library needed); @simplewebauthn/browser,
// which turns the server's JSON options into navigator.credentials calls and the answers
// back into JSON, is loaded only when a passkey is made or used, so the app's first load
// does not carry it.
import type { z } from 'zod';
import type { PasskeyAuthenticationResponse, PasskeyCreationOptions, PasskeyRegistrationResponse, PasskeyRequestOptions } from '../../../contracts/patient-app.ts';

export type CreationOptionsT = z.infer<typeof PasskeyCreationOptions>;
export type RequestOptionsT = z.infer<typeof PasskeyRequestOptions>;
export type RegistrationT = z.infer<typeof PasskeyRegistrationResponse>;
export type AuthenticationT = z.infer<typeof PasskeyAuthenticationResponse>;

/**
 * Whether to offer a passkey: WebAuthn is there and the phone has a platform authenticator
 * that can check who is using it (fingerprint, face, or the phone's own PIN or pattern).
 */
export async function passkeysAvailable(): Promise<boolean> {
  if (!window.isSecureContext || typeof window.PublicKeyCredential === 'undefined') return false;
  try {
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** Makes a passkey with the server's options (the phone asks for its screen lock). */
export async function createPasskey(optionsJSON: CreationOptionsT): Promise<RegistrationT> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  return (await startRegistration({ optionsJSON: optionsJSON as Parameters<typeof startRegistration>[0]['optionsJSON'] })) as RegistrationT;
}

/** Signs the server's challenge with this device's passkey (the phone asks for its screen lock). */
export async function signWithPasskey(optionsJSON: RequestOptionsT): Promise<AuthenticationT> {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  return (await startAuthentication({ optionsJSON: optionsJSON as Parameters<typeof startAuthentication>[0]['optionsJSON'] })) as AuthenticationT;
}

/** The person closed the phone's prompt, or it timed out: not an error to explain, just try again. */
export const wasCancelled = (err: unknown) => err instanceof Error && (err.name === 'NotAllowedError' || err.name === 'AbortError');

/**
 * Tells the phone's passkey manager that the server no longer knows this passkey, so it can
 * remove it (the WebAuthn Signal API, where the browser has it; elsewhere the passkey stays
 * in the phone's list under the neutral name "Waypoint" and opens nothing).
 */
export async function forgetPasskey(rpId: string, credentialId: string): Promise<void> {
  const signal = (window.PublicKeyCredential as unknown as { signalUnknownCredential?: (o: { rpId: string; credentialId: string }) => Promise<void> } | undefined)?.signalUnknownCredential;
  if (typeof signal !== 'function') return;
  await signal.call(window.PublicKeyCredential, { rpId, credentialId }).catch(() => undefined);
}
