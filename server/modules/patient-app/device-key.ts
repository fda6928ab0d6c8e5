// A patient device's key (ADR 030): an ECDSA P-256 key pair the browser made with WebCrypto
// as non-extractable, so the private key never leaves the phone. The server keeps the
// public key (a JWK) and checks signatures in WebCrypto's format (IEEE P1363: r ‖ s).
import { createPublicKey, verify } from 'node:crypto';

export type DevicePublicKey = { kty: 'EC'; crv: 'P-256'; x: string; y: string };

/** Whether `signature` (base64url) is `key`'s ECDSA-SHA-256 signature of `message`; false for any malformed key or signature. */
export function verifyDeviceSignature(key: DevicePublicKey, message: string, signature: string): boolean {
  try {
    const publicKey = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y }, format: 'jwk' });
    return verify('sha256', Buffer.from(message, 'utf8'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** Whether the JWK is a point on P-256 (node refuses to import one that is not). */
export function isUsablePublicKey(key: DevicePublicKey): boolean {
  try {
    createPublicKey({ key: { ...key }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

/** A short name staff can tell devices apart by ("Chrome on Android"), from the User-Agent; never the whole string. */
export function deviceLabel(userAgent: string | null): string {
  const ua = userAgent ?? '';
  const browser = /SamsungBrowser/.test(ua)
    ? 'Samsung Internet'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'Browser';
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'unknown system';
  return `${browser} on ${system}`;
}
