// A patient's phone for tests: a WebCrypto ECDSA P-256 key pair (as the patient app makes
// it), activation with an invite's code and a PIN, and unlock with a signed challenge.
import type { FastifyInstance } from 'fastify';
import { activationProof, normaliseActivationCode, unlockProof } from '../../core/access/patient-app.ts';

export const GOOD_PIN = '482915';

export type Phone = {
  programId: string;
  deviceId: string;
  /** The wp_patient cookie of the current session ('' when none). */
  cookie: string;
  sign(message: string): Promise<string>;
};

async function keyPair() {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const sign = async (message: string) => Buffer.from(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(message))).toString('base64url');
  return { publicKey: { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x!, y: jwk.y! }, sign };
}

const cookieOf = (r: { cookies: Array<{ name: string; value: string }> }) => {
  const c = r.cookies.find((x) => x.name === 'wp_patient');
  return c && c.value ? `wp_patient=${c.value}` : '';
};

/** The activation request a phone sends (without sending it). */
export async function activationBody(code: string, pin = GOOD_PIN) {
  const { publicKey, sign } = await keyPair();
  return { body: { code, publicKey, proof: await sign(activationProof(normaliseActivationCode(code) ?? code)), pin }, sign };
}

/** Activates a phone with the code; throws unless it worked. */
export async function activatePhone(app: FastifyInstance, code: string, pin = GOOD_PIN): Promise<Phone> {
  const { body, sign } = await activationBody(code, pin);
  const r = await app.inject({ method: 'POST', url: '/api/patient/activate', payload: body });
  if (r.statusCode !== 200) throw new Error(`activation failed: ${r.statusCode} ${r.body}`);
  const { programId, deviceId } = r.json() as { programId: string; deviceId: string };
  return { programId, deviceId, cookie: cookieOf(r), sign };
}

/** One unlock attempt: a fresh challenge, signed, with this PIN. */
export async function unlockBody(app: FastifyInstance, phone: Phone, pin: string) {
  const c = await app.inject({ method: 'POST', url: '/api/patient/challenge', payload: { programId: phone.programId, deviceId: phone.deviceId } });
  if (c.statusCode !== 200) throw Object.assign(new Error(`challenge refused: ${c.statusCode}`), { statusCode: c.statusCode });
  const { challenge } = c.json() as { challenge: string };
  return { body: { programId: phone.programId, deviceId: phone.deviceId, challenge, signature: await phone.sign(unlockProof(phone.deviceId, challenge)), pin } };
}

/** An unlock with a fresh challenge; a refused challenge (a revoked device) answers its status. */
export async function unlockPhone(app: FastifyInstance, phone: Phone, pin = GOOD_PIN) {
  let body;
  try {
    ({ body } = await unlockBody(app, phone, pin));
  } catch (err) {
    return { statusCode: (err as { statusCode: number }).statusCode, body: '', cookie: '' };
  }
  const r = await app.inject({ method: 'POST', url: '/api/patient/unlock', payload: body });
  const cookie = cookieOf(r);
  if (cookie) phone.cookie = cookie;
  return { statusCode: r.statusCode, body: r.body, cookie };
}
