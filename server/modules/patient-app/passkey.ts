// Passkeys for the patient app (ADR 039): the phone's own screen lock (fingerprint, face,
// pattern or phone PIN) unlocks the app, through WebAuthn, checked with @simplewebauthn/server.
//
// Activation: the invite's code → registration options (a challenge bound to the invite,
// 2 minutes, once, stored hashed; a random user handle; "Waypoint" as the only name the
// phone's passkey list shows) → the authenticator's response, verified (origin, RP ID,
// challenge, user verification) → the invite is claimed in one statement and a device of
// kind 'passkey' is stored with its credential id, COSE public key, counter and transports.
//
// Unlock: authentication options naming only this device's credential, with the screen lock
// required → the assertion, verified → the counter rule (core/access/passkey.ts) under the
// device's row lock → the same patient session as the PIN path. Refused assertions count
// toward the device's lock-out as wrong PINs do (five in a row: 15 minutes). Every
// registration, unlock and refusal is audited with a short reason; no credential material,
// challenge or library message is logged or audited.
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from '@simplewebauthn/server';
import { afterFailure, CLEARED, isLocked, LOCKOUT_MINUTES, type LockoutState } from '../../../core/access/lockout.ts';
import { normaliseActivationCode } from '../../../core/access/patient-app.ts';
import { counterVerdict, PASSKEY_DISPLAY_NAME, PASSKEY_TIMEOUT_MS, passkeyFailureOf, type PasskeyFailure } from '../../../core/access/passkey.ts';
import { writeAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { sha256 } from '../../platform/security.ts';
import { deviceLabel } from './device-key.ts';
import { patientDevices, patientInvites, patientPasskeyRegistrations, patientUnlockChallenges } from './patient-app.tables.ts';
import { createPatientSession, holderOf } from './sessions.ts';
import { deviceRefused, deviceRow, holderAudit, holderDetail, lockoutOf, programOfId, refuseCode, wrongUnlockMethod, type Deps, type UnlockResult } from './unlock.ts';

/** Where the passkey belongs: the public origin and its host name (core/access/passkey.ts relyingPartyOf). */
export type RelyingParty = { rpId: string; origin: string };

type Refused = { ok: false; error: AppError };

const badCode = () =>
  new AppError({ code: 'invalid_input', status: 400, message: 'The code has 12 letters and numbers.', problems: [{ field: 'body.code', message: 'must be 12 letters and numbers' }] });

/** A registration the server cannot accept: the field is the authenticator's response. */
const registrationRefused = () =>
  new AppError({
    code: 'invalid_passkey',
    status: 400,
    message: 'The passkey could not be set up. Try again, or use a PIN.',
    problems: [{ field: 'body.response', message: 'is not a valid passkey registration for this invite' }],
  });
const unlockRefused = () =>
  new AppError({
    code: 'invalid_passkey',
    status: 401,
    message: 'The passkey did not work. Try again.',
    problems: [{ field: 'body.response', message: 'is not a valid passkey answer for this device' }],
  });
const possibleClone = () =>
  new AppError({
    code: 'passkey_counter',
    status: 401,
    message: 'The passkey could not be checked. Ask your clinic for help.',
    problems: [{ field: 'body.response', message: 'has a signature counter that did not go up' }],
  });
const lockedOut = () => new AppError({ code: 'device_locked', status: 423, message: `Too many tries. Try again in ${LOCKOUT_MINUTES} minutes, or ask your clinic for help.` });

/** The challenge the browser signed, read from clientDataJSON; null when that is not a client data JSON. */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(data.challenge) ? data.challenge : null;
  } catch {
    return null;
  }
}

const failureOf = (err: unknown): PasskeyFailure => passkeyFailureOf(err instanceof Error ? err.message : '');

/** The options for navigator.credentials.create(), for the open invite with this code. */
export async function passkeyRegistrationOptions(deps: Deps, rp: RelyingParty, input: { code: string }) {
  const { tx, ctx } = deps;
  const code = normaliseActivationCode(input.code);
  if (!code) throw badCode();
  const codeHash = sha256(code);
  const [invite] = await tx
    .select({ programId: patientInvites.programId, id: patientInvites.id })
    .from(patientInvites)
    .where(and(eq(patientInvites.codeHash, codeHash), isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt), gt(patientInvites.expiresAt, ctx.now)));
  if (!invite) return refuseCode(deps, codeHash);
  await tx
    .delete(patientPasskeyRegistrations)
    .where(and(eq(patientPasskeyRegistrations.programId, invite.programId), eq(patientPasskeyRegistrations.inviteId, invite.id), lt(patientPasskeyRegistrations.expiresAt, ctx.now)));
  const options = await generateRegistrationOptions({
    rpName: PASSKEY_DISPLAY_NAME,
    rpID: rp.rpId,
    // The phone's passkey list shows these: nothing about the clinic, the treatment or the patient.
    userName: PASSKEY_DISPLAY_NAME,
    userDisplayName: PASSKEY_DISPLAY_NAME,
    userID: randomBytes(32),
    challenge: randomBytes(32),
    timeout: PASSKEY_TIMEOUT_MS,
    attestationType: 'none',
    authenticatorSelection: { authenticatorAttachment: 'platform', residentKey: 'preferred', userVerification: 'required' },
    // ES256 and RS256: what phones' platform authenticators make (no Ed25519 needed).
    supportedAlgorithmIDs: [-7, -257],
  });
  await tx.insert(patientPasskeyRegistrations).values({
    programId: invite.programId,
    inviteId: invite.id,
    challengeHash: sha256(options.challenge),
    userHandle: options.user.id,
    expiresAt: new Date(ctx.now.getTime() + PASSKEY_TIMEOUT_MS),
  });
  return { ok: true as const, options };
}

/** Activation with a passkey: the registration is verified, then the invite is claimed and the device stored, and the patient is signed in. */
export async function activateWithPasskey(deps: Deps, rp: RelyingParty, input: { code: string; response: RegistrationResponseJSON }): Promise<UnlockResult> {
  const { tx, ctx } = deps;
  const code = normaliseActivationCode(input.code);
  if (!code) throw badCode();
  const codeHash = sha256(code);
  const [invite] = await tx
    .select({ programId: patientInvites.programId, id: patientInvites.id, patientId: patientInvites.patientId, familyMemberId: patientInvites.familyMemberId })
    .from(patientInvites)
    .where(and(eq(patientInvites.codeHash, codeHash), isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt), gt(patientInvites.expiresAt, ctx.now)));
  if (!invite) return refuseCode(deps, codeHash);
  const program = await programOfId(tx, invite.programId);
  const holder = holderOf(invite);
  const a = holderAudit(ctx, invite.programId, program.orgId, holder);
  const refuse = async (reason: PasskeyFailure | 'credential-in-use'): Promise<Refused> => {
    await writeAudit(tx, a, {
      action: 'sign-in',
      entity: 'patient-invite',
      entityId: invite.id,
      patientId: holder.patientId,
      outcome: 'failure',
      detail: { method: 'passkey', reason, ...holderDetail(holder) },
    });
    return { ok: false, error: registrationRefused() };
  };
  // The challenge is this invite's, unexpired, and used once whatever the outcome.
  const challenge = challengeOf(input.response.response.clientDataJSON);
  const [registration] = challenge
    ? await tx
        .delete(patientPasskeyRegistrations)
        .where(
          and(
            eq(patientPasskeyRegistrations.programId, invite.programId),
            eq(patientPasskeyRegistrations.inviteId, invite.id),
            eq(patientPasskeyRegistrations.challengeHash, sha256(challenge)),
            gt(patientPasskeyRegistrations.expiresAt, ctx.now),
          ),
        )
        .returning({ userHandle: patientPasskeyRegistrations.userHandle })
    : [];
  if (!challenge || !registration) return refuse('challenge');
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: [-7, -257],
    });
  } catch (err) {
    return refuse(failureOf(err));
  }
  if (!verified.verified) return refuse('response');
  const { credential } = verified.registrationInfo;
  const [taken] = await tx
    .select({ id: patientDevices.id })
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, invite.programId), eq(patientDevices.credentialId, credential.id)));
  if (taken) return refuse('credential-in-use');
  // Claiming the invite is one statement: of two phones sending one code at once, one wins.
  const [claimed] = await tx
    .update(patientInvites)
    .set({ usedAt: ctx.now })
    .where(
      and(eq(patientInvites.programId, invite.programId), eq(patientInvites.id, invite.id), isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt), gt(patientInvites.expiresAt, ctx.now)),
    )
    .returning({ id: patientInvites.id });
  if (!claimed) return refuseCode(deps, codeHash);
  const deviceId = randomUUID();
  await tx.insert(patientDevices).values({
    programId: invite.programId,
    id: deviceId,
    ...holder,
    inviteId: invite.id,
    kind: 'passkey',
    credentialId: credential.id,
    credentialPublicKey: Buffer.from(credential.publicKey).toString('base64url'),
    signCount: credential.counter,
    transports: credential.transports ?? input.response.response.transports ?? [],
    userHandle: registration.userHandle,
    label: deviceLabel(ctx.meta.userAgent),
    createdAt: ctx.now,
    lastUnlockedAt: ctx.now,
  });
  const { token, sessionId } = await createPatientSession(tx, { programId: invite.programId, holder, deviceId, now: ctx.now });
  await writeAudit(tx, a, { action: 'create', entity: 'patient-device', entityId: deviceId, patientId: holder.patientId, detail: { inviteId: invite.id, kind: 'passkey', ...holderDetail(holder) } });
  await writeAudit(tx, a, { action: 'sign-in', entity: 'patient-app', entityId: sessionId, patientId: holder.patientId, detail: { deviceId, method: 'passkey', ...holderDetail(holder) } });
  return { ok: true, token, programId: invite.programId, deviceId, idleMinutes: program.idleMinutes, holder: holder.patientId ? 'patient' : 'family' };
}

/** The options for navigator.credentials.get(): a fresh challenge (2 minutes, once) and only this device's credential. */
export async function passkeyUnlockOptions(deps: Deps, rp: RelyingParty, input: { programId: string; deviceId: string }) {
  const { tx, ctx } = deps;
  const device = await deviceRow(tx, input.programId, input.deviceId);
  if (!device) throw deviceRefused();
  if (device.kind !== 'passkey' || !device.credentialId) throw wrongUnlockMethod();
  await tx
    .delete(patientUnlockChallenges)
    .where(and(eq(patientUnlockChallenges.programId, input.programId), eq(patientUnlockChallenges.deviceId, input.deviceId), lt(patientUnlockChallenges.expiresAt, ctx.now)));
  const options = await generateAuthenticationOptions({
    rpID: rp.rpId,
    allowCredentials: [{ id: device.credentialId, transports: (device.transports ?? []) as AuthenticatorTransportFuture[] }],
    userVerification: 'required',
    timeout: PASSKEY_TIMEOUT_MS,
    challenge: randomBytes(32),
  });
  await tx.insert(patientUnlockChallenges).values({
    programId: input.programId,
    deviceId: input.deviceId,
    challengeHash: sha256(options.challenge),
    expiresAt: new Date(ctx.now.getTime() + PASSKEY_TIMEOUT_MS),
  });
  return options;
}

/** Unlock with the passkey: the assertion for this device's credential and one of its challenges, verified, and its counter checked. */
export async function unlockWithPasskey(deps: Deps, rp: RelyingParty, input: { programId: string; deviceId: string; response: AuthenticationResponseJSON }): Promise<UnlockResult> {
  const { tx, ctx } = deps;
  const { programId, deviceId } = input;
  const device = await deviceRow(tx, programId, deviceId);
  if (!device) throw deviceRefused();
  if (device.kind !== 'passkey' || !device.credentialId || !device.credentialPublicKey) throw wrongUnlockMethod();
  const program = await programOfId(tx, programId);
  const holder = holderOf(device);
  const a = holderAudit(ctx, programId, program.orgId, holder);
  const audit = (outcome: 'success' | 'failure' | 'denied', detail: Record<string, unknown>, entityId: string | null = deviceId) =>
    writeAudit(tx, a, { action: 'sign-in', entity: 'patient-app', entityId, patientId: holder.patientId, outcome, detail: { deviceId, method: 'passkey', ...holderDetail(holder), ...detail } });

  // The challenge is this device's, unexpired, and used once whatever the outcome.
  const challenge = challengeOf(input.response.response.clientDataJSON);
  const used = challenge
    ? await tx
        .delete(patientUnlockChallenges)
        .where(
          and(
            eq(patientUnlockChallenges.programId, programId),
            eq(patientUnlockChallenges.deviceId, deviceId),
            eq(patientUnlockChallenges.challengeHash, sha256(challenge)),
            gt(patientUnlockChallenges.expiresAt, ctx.now),
          ),
        )
        .returning({ h: patientUnlockChallenges.challengeHash })
    : [];
  // Without a challenge of this device's nothing is counted, as for a PIN device's signature.
  if (!challenge || used.length === 0) {
    await audit('failure', { reason: 'challenge' });
    return { ok: false, error: unlockRefused() };
  }

  let failure: PasskeyFailure | 'credential' | null = null;
  let received = 0;
  const handle = input.response.response.userHandle;
  if (input.response.id !== device.credentialId || input.response.rawId !== device.credentialId || (handle !== undefined && handle !== device.userHandle)) failure = 'credential';
  else {
    try {
      // The counter is checked below, under the row lock, by the core rule: the library is given 0 so that it does not refuse first.
      const v = await verifyAuthenticationResponse({
        response: input.response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        credential: { id: device.credentialId, publicKey: Buffer.from(device.credentialPublicKey, 'base64url'), counter: 0 },
        requireUserVerification: true,
      });
      if (v.verified) received = v.authenticationInfo.newCounter;
      else failure = 'response';
    } catch (err) {
      failure = failureOf(err);
    }
  }

  const [row] = await tx
    .select({
      failedUnlocks: patientDevices.failedUnlocks,
      lastFailedUnlockAt: patientDevices.lastFailedUnlockAt,
      lockedUntil: patientDevices.lockedUntil,
      revokedAt: patientDevices.revokedAt,
      signCount: patientDevices.signCount,
    })
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, programId), eq(patientDevices.id, deviceId)))
    .for('update');
  if (!row || row.revokedAt) throw deviceRefused();
  const state = lockoutOf(row);
  const setState = (s: LockoutState, extra: { lastUnlockedAt?: Date; signCount?: number } = {}) =>
    tx
      .update(patientDevices)
      .set({ failedUnlocks: s.failures, lastFailedUnlockAt: s.lastFailureAt, lockedUntil: s.lockedUntil, ...extra })
      .where(and(eq(patientDevices.programId, programId), eq(patientDevices.id, deviceId)));
  if (isLocked(state, ctx.now)) {
    await audit('denied', { reason: 'locked' });
    return { ok: false, error: lockedOut() };
  }
  const stored = row.signCount ?? 0;
  const clone = failure === null && counterVerdict(stored, received) === 'possible-clone';
  if (failure !== null || clone) {
    const { state: next, lockedNow } = afterFailure(state, ctx.now);
    await setState(next);
    if (clone) await audit('denied', { reason: 'possible-clone', storedCounter: stored, receivedCounter: received });
    else await audit('failure', { reason: failure });
    if (lockedNow) {
      await writeAudit(tx, a, {
        action: 'lock-out',
        entity: 'patient-device',
        entityId: deviceId,
        patientId: holder.patientId,
        outcome: 'denied',
        detail: { minutes: LOCKOUT_MINUTES, ...holderDetail(holder) },
      });
      return { ok: false, error: lockedOut() };
    }
    return { ok: false, error: clone ? possibleClone() : unlockRefused() };
  }
  await setState(CLEARED, { lastUnlockedAt: ctx.now, signCount: received });
  const { token, sessionId } = await createPatientSession(tx, { programId, holder, deviceId, now: ctx.now });
  await audit('success', {}, sessionId);
  return { ok: true, token, programId, deviceId, idleMinutes: program.idleMinutes, holder: holder.patientId ? 'patient' : 'family' };
}
