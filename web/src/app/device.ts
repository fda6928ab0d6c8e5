// What the patient app keeps on the phone (ADR 030): the device's key pair — made by
// WebCrypto as non-extractable, so the private key can sign but can never be read out, not
// even by this code — and the ids the server knows the device by, in IndexedDB. A passkey
// device (ADR 039) keeps only its ids and its credential's id: the key is the phone's
// authenticator's. And the one way to leave nothing readable behind: wipe().
import { activationProof, unlockProof } from '../../../core/access/patient-app.ts';
import { forgetPasskey } from './passkey.ts';

const DB = 'waypoint-app';
const STORE = 'device';
const KEY = 'this-device';

/** Whose phone this is (ADR 053): a patient's, or a family member's (the family part of the app). Kept so a later start knows which screens to open before it asks the server. */
export type Holder = 'patient' | 'family';
export type PinDevice = { kind: 'pin'; programId: string; deviceId: string; privateKey: CryptoKey; holder?: Holder };
export type PasskeyDevice = { kind: 'passkey'; programId: string; deviceId: string; rpId: string; credentialId: string; holder?: Holder };
export type StoredDevice = PinDevice | PasskeyDevice;

/** A device stored before family members had the app is a patient's. */
export const holderOf = (d: StoredDevice | null): Holder => (d?.holder === 'family' ? 'family' : 'patient');

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB'));
    });
  } finally {
    db.close();
  }
}

export async function loadDevice(): Promise<StoredDevice | null> {
  // Do not create the database just to find nothing in it.
  const names = 'databases' in indexedDB ? await indexedDB.databases() : [{ name: DB }];
  if (!names.some((d) => d.name === DB)) return null;
  const d = (await withStore('readonly', (s) => s.get(KEY) as IDBRequest<(StoredDevice | Omit<PinDevice, 'kind'>) | undefined>)) ?? null;
  if (!d) return null;
  // A device stored before passkeys existed is a PIN device.
  return 'kind' in d ? d : { ...d, kind: 'pin' };
}

export const saveDevice = (d: StoredDevice) => withStore('readwrite', (s) => s.put(d, KEY)).then(() => undefined);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function sign(privateKey: CryptoKey, message: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(message)));
  let bin = '';
  for (const b of sig) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new key pair for activation: the public key to register, and the proof that this device holds its private key. */
export async function newDeviceKey(code: string) {
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return {
    privateKey: pair.privateKey,
    publicKey: { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x!, y: jwk.y! },
    proof: await sign(pair.privateKey, activationProof(code)),
  };
}

export const signChallenge = (d: PinDevice, challenge: string) => sign(d.privateKey, unlockProof(d.deviceId, challenge));

/**
 * Leaves nothing readable on the phone: every Cache Storage cache (the service worker's
 * too), the IndexedDB database with the device key, local and session storage, the push
 * subscription, and the service worker itself; a passkey is signalled as unknown to the
 * phone's passkey manager.
 */
export async function wipe(): Promise<void> {
  const stored = await loadDevice().catch(() => null);
  if (stored?.kind === 'passkey') await forgetPasskey(stored.rpId, stored.credentialId);
  const steps: Array<Promise<unknown>> = [];
  if ('caches' in window) steps.push(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
  steps.push(
    new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(DB);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    }),
  );
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.controller?.postMessage({ type: 'wipe' });
    // this phone's push subscription ends first (the server ended its copy at sign-out or revocation), then the worker goes
    const unsubscribe = (r: ServiceWorkerRegistration) => ('pushManager' in r ? r.pushManager.getSubscription().then((s) => s?.unsubscribe()) : Promise.resolve()).catch(() => undefined);
    steps.push(navigator.serviceWorker.getRegistrations().then((regs) => Promise.all(regs.map((r) => unsubscribe(r).then(() => r.unregister())))));
  }
  clearStorage();
  await Promise.all(steps.map((p) => p.catch(() => undefined)));
  // again, for what the open screen wrote while the rest went (the idle lock's time, a read that came back)
  clearStorage();
}

function clearStorage() {
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    /* storage unavailable */
  }
}
