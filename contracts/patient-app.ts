// The patient app's identity (ADR 030): staff invite a patient and see and revoke their
// devices; the phone activates with the code, a device key and a PIN, then unlocks with a
// signed challenge and the PIN. Request schemas are strict: unknown fields are an error.
import { z } from 'zod';
import { CALENDAR_STATUSES } from '../core/cm/calendar.ts';
import { RedemptionRequest, RevealRequest } from './cm.ts';
import { Id, IsoDate } from './common.ts';

const b64url = (len: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${len}}$`), { message: 'must be base64url' });

/** The device's public key as WebCrypto exports it (only these members). */
export const DevicePublicKeySchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url(43),
  y: b64url(43),
});
/** An ECDSA P-256 signature in WebCrypto's format (64 bytes), base64url. */
const Signature = b64url(86);
/** The PIN: digits only; which PINs are allowed is core/access/patient-app.ts pinProblem (400 naming body.pin). */
const Pin = z.string().max(64);

export const PatientAppParams = z.strictObject({ patientId: Id, id: Id });

export const PatientInviteIssued = z.object({
  id: Id,
  /** The activation code, grouped for reading aloud (e.g. 7KQ2-M9XD-3HTB). Shown once; only its hash is kept. */
  code: z.string(),
  /** Where the QR code points: the code is in the fragment, so it never reaches a server log. */
  activationPath: z.string(),
  expiresAt: z.string(),
});

export const PatientInviteStatus = z.object({
  id: Id,
  status: z.enum(['open', 'used', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
});

export const PatientDevice = z.object({
  id: Id,
  label: z.string(),
  createdAt: z.string(),
  lastUnlockedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Locked after too many wrong PINs, until this time. */
  lockedUntil: z.string().nullable(),
});

export const PatientAppAccess = z.object({
  /** The latest invite, if any. */
  invite: PatientInviteStatus.nullable(),
  devices: z.array(PatientDevice),
});

export const PatientActivate = z.strictObject({
  code: z.string().max(40),
  publicKey: DevicePublicKeySchema,
  /** The device's signature of `waypoint-activate:<code in canonical form>`: proof it holds the private key. */
  proof: Signature,
  pin: Pin,
});

export const PatientDeviceRef = z.strictObject({ programId: Id, deviceId: Id });

export const PatientChallenge = z.object({ challenge: z.string(), expiresAt: z.string() });

export const PatientUnlock = z.strictObject({
  programId: Id,
  deviceId: Id,
  challenge: z.string().max(100),
  /** The device's signature of `waypoint-unlock:<deviceId>:<challenge>`. */
  signature: Signature,
  pin: Pin,
});

export const PatientSignedIn = z.object({
  programId: Id,
  deviceId: Id,
  /** The programme's idle lock: the app locks itself after this many minutes without use (the server too). */
  idleMinutes: z.number().int(),
});

export const PatientMe = z.object({
  /** The language the patient chose at the clinic: en or es. */
  language: z.enum(['en', 'es']),
  idleMinutes: z.number().int(),
});

/**
 * What Today shows the patient now: their contingency-management progress, when they are in
 * CM. The balance leaves out prizes of draws not shown yet (a prize is a surprise until the
 * draw screen shows it).
 */
export const PatientToday = z.object({
  cm: z
    .object({
      balanceCents: z.number().int(),
      /** Draws earned and not shown yet. */
      drawsWaiting: z.number().int(),
      /** The longest current run of successes across the programme's tracks. */
      streak: z.number().int(),
      /** The next opportunity and what it can earn (all tracks together), or null when none is left. */
      next: z.object({ date: z.string(), kind: z.string(), cents: z.number().int(), draws: z.number().int() }).nullable(),
      /** The opportunities of the last four weeks and the next one, oldest first: what each earned (money on cents tracks, draws counted, prizes never named here). */
      calendar: z.array(z.object({ date: IsoDate, kind: z.string(), status: z.enum(CALENDAR_STATUSES), cents: z.number().int(), draws: z.number().int() })),
    })
    .nullable(),
});

const PatientDraw = z.object({ n: z.number().int(), label: z.string().nullable(), valueCents: z.number().int(), commitment: z.string().nullable() });
/** The patient's rewards: draws they have shown, how many wait, the catalogue they may ask from, and their requests. */
export const PatientRewards = z.object({
  cm: z
    .object({
      balanceCents: z.number().int(),
      /** The published commitment of the programme's current draw seed (the public page checks draws against it). */
      commitment: z.string(),
      waiting: z.number().int(),
      draws: z.array(PatientDraw),
      catalogue: z.array(z.object({ id: Id, name: z.string(), kind: z.enum(['item', 'gift-card']), valueCents: z.number().int(), inStock: z.number().int() })),
      requests: z.array(RedemptionRequest.omit({ patientId: true, redemptionId: true })),
    })
    .nullable(),
});
export const PatientRevealRequest = RevealRequest;
export const PatientDrawsShown = z.object({ draws: z.array(PatientDraw), waiting: z.number().int(), commitment: z.string() });
export const PatientRequest = RedemptionRequest.omit({ patientId: true, redemptionId: true });
