// A software WebAuthn authenticator for API tests (ADR 039): it answers the server's
// registration and authentication options as a phone's platform authenticator would,
// with real bytes — clientDataJSON, authenticator data (RP ID hash, flags, counter,
// attested credential with a COSE EC2 key), a CBOR attestation object in the 'none'
// format, and ES256 signatures over authenticatorData ‖ SHA-256(clientDataJSON) —
// made with node:crypto. Overrides make the wrong answers the tests need.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor>;

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** A small CBOR encoder (RFC 8949): integers, text, bytes, arrays and maps, enough for COSE keys and attestation objects. */
export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return Buffer.from(v >= 0 ? head(0, v) : head(1, -1 - v));
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([Buffer.from(head(3, b.length)), b]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([Buffer.from(head(2, v.length)), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([Buffer.from(head(4, v.length)), ...v.map(cbor)]);
  const parts: Buffer[] = [Buffer.from(head(5, v.size))];
  for (const [k, val] of v) parts.push(cbor(k), cbor(val));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/** What a test may get wrong on purpose. */
export type Overrides = { origin?: string; rpId?: string; challenge?: string; userVerified?: boolean; type?: string; counter?: number };

type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
type RequestOptions = { challenge: string; rpId?: string };

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The signature counter: each signature counts one up (set it back to make a clone). */
  counter = 0;
  userHandle: string | null = null;

  constructor(
    readonly origin = 'http://localhost',
    readonly rpId = 'localhost',
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id() {
    return b64url(this.credentialId);
  }

  /** The COSE EC2 key (kty 2, alg -7 ES256, crv 1 P-256, x, y). */
  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private clientData(type: string, challenge: string, o: Overrides) {
    return Buffer.from(JSON.stringify({ type: o.type ?? type, challenge: o.challenge ?? challenge, origin: o.origin ?? this.origin, crossOrigin: false }));
  }

  private flags(o: Overrides, extra = 0) {
    return FLAG_UP | (o.userVerified === false ? 0 : FLAG_UV) | extra;
  }

  /** navigator.credentials.create(), answered: attestation 'none'. */
  register(options: CreationOptions, o: Overrides = {}) {
    const rpId = o.rpId ?? options.rp.id ?? this.rpId;
    this.userHandle = options.user.id;
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([sha(rpId), Buffer.from([this.flags(o, FLAG_AT)]), u32(o.counter ?? this.counter), Buffer.alloc(16), idLen, this.credentialId, this.coseKey()]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, o)), attestationObject: b64url(attestationObject), transports: ['internal' as const] },
    };
  }

  /** navigator.credentials.get(), answered: the counter goes up by one (unless overridden). */
  authenticate(options: RequestOptions, o: Overrides = {}) {
    const rpId = o.rpId ?? options.rpId ?? this.rpId;
    const counter = o.counter ?? ++this.counter;
    const authData = Buffer.concat([sha(rpId), Buffer.from([this.flags(o)]), u32(counter)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o);
    const signature = sign('sha256', Buffer.concat([authData, sha(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }
}
