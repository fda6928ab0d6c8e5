// The patient app's identity (ADR 030): staff invite a patient and see and revoke their
// devices; the phone activates with the code, a device key and a PIN, then unlocks with a
// signed challenge and the PIN. Request schemas are strict: unknown fields are an error.
import { z } from 'zod';
import { CALENDAR_STATUSES } from '../core/cm/calendar.ts';
import { PATIENT_IDLE_LIMITS } from '../core/access/patient-app.ts';
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
/** An invite sent to the patient's phone by text: the code went into the message only (ADR 038). */
export const PatientInviteTexted = z.object({
  id: Id,
  expiresAt: z.string(),
  /** The outbox message carrying it (the console's outbox shows it with the code masked). */
  messageId: Id,
});

export const PatientInviteStatus = z.object({
  id: Id,
  status: z.enum(['open', 'used', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
});

export const PatientDevice = z.object({
  id: Id,
  /** How it unlocks: its own key and a PIN, or a passkey (the phone's screen lock, ADR 039). */
  kind: z.enum(['pin', 'passkey']),
  label: z.string(),
  createdAt: z.string(),
  lastUnlockedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Locked after too many wrong PINs (or refused passkey unlocks), until this time. */
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
  /** Whose phone this is: a patient's, or a family member's (the family part of the app, ADR 053). */
  holder: z.enum(['patient', 'family']),
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
  /** The programme's time zone: visit times are shown in it. */
  timeZone: z.string(),
  /** The patient's next visits at the clinic (up to three, soonest first): booked, not cancelled. */
  visits: z.array(
    z.object({
      startsAt: z.string(),
      endsAt: z.string(),
      /** The kind of visit in English and Spanish (e.g. Individual counselling). */
      type: z.object({ en: z.string(), es: z.string() }),
      modality: z.string(),
    }),
  ),
  cm: z
    .object({
      balanceCents: z.number().int(),
      /** Draws earned and not shown yet. */
      drawsWaiting: z.number().int(),
      /** The longest current run of successes across the programme's tracks. */
      streak: z.number().int(),
      /** The next opportunity and what it can earn (all tracks together), or null when none is left. */
      next: z.object({ date: z.string(), kind: z.string(), cents: z.number().int(), draws: z.number().int() }).nullable(),
      /** The opportunities of the last two weeks and the next one, oldest first: what each earned (money on cents tracks, draws counted, prizes never named here). */
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
      catalogue: z.array(z.object({ id: Id, name: z.string(), nameEs: z.string().nullable(), kind: z.enum(['item', 'gift-card']), valueCents: z.number().int(), inStock: z.number().int() })),
      requests: z.array(RedemptionRequest.omit({ patientId: true, redemptionId: true })),
    })
    .nullable(),
});
export const PatientRevealRequest = RevealRequest;
export const PatientDrawsShown = z.object({ draws: z.array(PatientDraw), waiting: z.number().int(), commitment: z.string() });
export const PatientRequest = RedemptionRequest.omit({ patientId: true, redemptionId: true });
// Passkeys (ADR 039): WebAuthn as @simplewebauthn/browser sends and receives it (the JSON
// forms of WebAuthn Level 3). Requests are strict; every binary value is base64url.
const B64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, { message: 'must be base64url' });
const Transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const Descriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: z.array(Transport).optional() });
/** What the browser reports of its extensions; nothing in it is used or kept. */
const ClientExtensionResults = z.record(z.string().max(64), z.unknown()).refine((o) => Object.keys(o).length <= 16, { message: 'has too many members' });
const AttachmentSchema = z.enum(['platform', 'cross-platform']);

export const PasskeyRegistrationStart = z.strictObject({
  /** The invite's activation code, as typed or from the QR link. */
  code: z.string().max(40),
});

/** The options for navigator.credentials.create(): the site and the account are both named "Waypoint"; the user handle is random. */
export const PasskeyCreationOptions = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(Descriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: AttachmentSchema.optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    })
    .optional(),
  hints: z.array(z.enum(['hybrid', 'security-key', 'client-device'])).optional(),
  attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
  /** Only credProps (whether the passkey was stored as discoverable) is asked for. */
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

export const PasskeyRegistrationResponse = z.strictObject({
  id: B64(1400),
  rawId: B64(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: AttachmentSchema.optional(),
  clientExtensionResults: ClientExtensionResults,
  response: z.strictObject({
    clientDataJSON: B64(4096),
    attestationObject: B64(16_384),
    authenticatorData: B64(8192).optional(),
    transports: z.array(Transport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: B64(4096).optional(),
  }),
});

export const PasskeyActivate = z.strictObject({
  code: z.string().max(40),
  /** What navigator.credentials.create() answered, as JSON. */
  response: PasskeyRegistrationResponse,
});

/** The options for navigator.credentials.get(): only this device's credential, and the screen lock is required. */
export const PasskeyRequestOptions = z.object({
  challenge: z.string(),
  timeout: z.number().int().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(Descriptor).optional(),
  userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
  hints: z.array(z.enum(['hybrid', 'security-key', 'client-device'])).optional(),
  /** Only credProps (whether the passkey was stored as discoverable) is asked for. */
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

export const PasskeyAuthenticationResponse = z.strictObject({
  id: B64(1400),
  rawId: B64(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: AttachmentSchema.optional(),
  clientExtensionResults: ClientExtensionResults,
  response: z.strictObject({
    clientDataJSON: B64(4096),
    authenticatorData: B64(8192),
    signature: B64(1024),
    userHandle: B64(256).optional(),
  }),
});

export const PasskeyUnlock = z.strictObject({
  programId: Id,
  deviceId: Id,
  /** What navigator.credentials.get() answered, as JSON. */
  response: PasskeyAuthenticationResponse,
});
const ReminderTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour)');
/** The patient's notification settings in the app (ADR 038). */
export const PatientNotifications = z.object({
  checkInReminderAt: z.string().nullable().describe('The local time (HH:MM) of the daily check-in reminder; null: none.'),
  timeZone: z.string().describe('The zone the time is in (the patient’s, or the programme’s).'),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable().describe('No reminder is sent in these hours.'),
  push: z.object({
    publicKey: z.string().nullable().describe('The server’s VAPID public key; null: Web Push is not set up on this server.'),
    on: z.boolean().describe('This phone has a push subscription.'),
  }),
});
export const PatientNotificationsUpdate = z.strictObject({ checkInReminderAt: ReminderTime.nullable() });
export const PatientPushSubscription = z.strictObject({
  endpoint: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .describe('The push service’s URL for this phone (https).'),
  keys: z.strictObject({ p256dh: z.string().min(10).max(200), auth: z.string().min(8).max(100) }),
});
export const PatientPushUnsubscribe = z.strictObject({ endpoint: z.string().max(2000) });

/** The programme's patient-app settings (administrators). */
export const PatientAppSettings = z.strictObject({
  /** The app locks after this many minutes without a touch, and the server ends its session. */
  idleMinutes: z.number().int().min(PATIENT_IDLE_LIMITS.min).max(PATIENT_IDLE_LIMITS.max),
});
