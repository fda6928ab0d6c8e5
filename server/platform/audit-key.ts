// The audit signing key (ADR 024): an Ed25519 key kept outside the database, in a PKCS#8
// PEM file. Each seal and each checkpoint is signed with it, so someone who can rewrite
// the audit tables still cannot produce seals an auditor holding the public key accepts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from './errors.ts';

/** What can check signatures: the public key and its fingerprint. */
export type AuditVerifier = { publicKey: KeyObject; fingerprint: string };
/** What signs seals and checkpoints (the private key) — and can check them too. */
export type AuditSigner = AuditVerifier & { privateKey: KeyObject };

/** `sha256:` and the hex SHA-256 of the public key's DER (SubjectPublicKeyInfo) bytes. */
export function fingerprintOf(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function keyProblem(file: string, why: string): AppError {
  return new AppError({ code: 'audit_key_invalid', status: 400, message: `The audit signing key ${file} ${why}.` });
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw keyProblem(file, code === 'ENOENT' ? `does not exist (${what})` : `cannot be read (${code ?? 'error'})`);
  }
}

export function signerFromPem(pem: string, file = 'key'): AuditSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw keyProblem(file, 'is not a PKCS#8 PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw keyProblem(file, `is an ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey) };
}

/** The signing key from a PKCS#8 PEM file (WAYPOINT_AUDIT_KEY_FILE). */
export function loadAuditSigner(file: string): AuditSigner {
  return signerFromPem(readText(file, 'set WAYPOINT_AUDIT_KEY_FILE to an Ed25519 key file'), file);
}

/** A public key (SPKI PEM) for an auditor without the private key; a private key file is accepted too. */
export function loadAuditVerifier(file: string): AuditVerifier {
  const pem = readText(file, 'the public key file');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch {
    throw keyProblem(file, 'is not a PEM public key');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') throw keyProblem(file, `is an ${publicKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return { publicKey, fingerprint: fingerprintOf(publicKey) };
}

export function newAuditSigner(): AuditSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey) };
}

/** Writes a new key to `file` (mode 0600); refuses to overwrite one. */
export function writeNewAuditKey(file: string): AuditSigner {
  if (existsSync(file)) throw keyProblem(file, 'already exists; it is never overwritten');
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const signer = newAuditSigner();
  writeFileSync(file, signer.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return signer;
}

/** Where the embedded database keeps its key when WAYPOINT_AUDIT_KEY_FILE is not set: next to its data. */
export function embeddedKeyFile(dataDir: string): string {
  return join(resolve(dataDir), 'audit-signing-key.pem');
}

export type ResolvedSigner = { signer: AuditSigner; file: string | null; created: boolean };

/**
 * The signing key for this installation: the WAYPOINT_AUDIT_KEY_FILE file; for the
 * embedded database without it, a key next to the data directory, created on first use
 * (an in-memory database gets a key for its lifetime). With PostgreSQL the key file must
 * be configured: a key the server made for itself in a place nobody chose would not be
 * kept apart from the database (ADR 024).
 */
export function resolveAuditSigner(opts: { keyFile: string | undefined; databaseKind: 'pglite' | 'postgres'; dataDir: string }): ResolvedSigner {
  if (opts.keyFile) return { signer: loadAuditSigner(opts.keyFile), file: opts.keyFile, created: false };
  if (opts.databaseKind === 'postgres') {
    throw new AppError({
      code: 'audit_key_missing',
      status: 400,
      message:
        'WAYPOINT_AUDIT_KEY_FILE is not set. With PostgreSQL, audit seals are signed with an Ed25519 key kept outside the database: ' +
        'create one with `waypoint audit key --new FILE` (or `openssl genpkey -algorithm ed25519 -out FILE`), keep it where the database ' +
        'administrators cannot change it, and set WAYPOINT_AUDIT_KEY_FILE to its path.',
    });
  }
  if (opts.dataDir === 'memory://') return { signer: newAuditSigner(), file: null, created: true };
  const file = embeddedKeyFile(opts.dataDir);
  if (existsSync(file)) return { signer: loadAuditSigner(file), file, created: false };
  return { signer: writeNewAuditKey(file), file, created: true };
}

export function signBytes(signer: AuditSigner, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), signer.privateKey).toString('base64');
}

export function verifyBytes(verifier: AuditVerifier, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), verifier.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
