// The patient's side of the app's identity (ADR 030, NIST SP 800-63B): activation with
// the invite's code, a device key and a PIN; unlock with a signed challenge and the PIN;
// lock (the session ends, the device stays) and sign-out (the device is forgotten too).
//
// Lock-out: five wrong PINs in a row lock the device for 15 minutes (core/access/lockout.ts,
// the staff rule). As in staff sign-in (server/modules/identity/sign-in.ts), the PIN hash is
// verified before the device's row lock is taken, and the lock-out state is read and the
// failure counted under that lock, so however many attempts arrive at once only the first
// five are decided. A wrong signature never reaches the PIN: without the device's private
// key nobody can try PINs at all.
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterFailure, CLEARED, isLocked, LOCKOUT_MINUTES, type LockoutState } from '../../../core/access/lockout.ts';
import { activationProof, CHALLENGE_SECONDS, inviteStatus, normaliseActivationCode, pinProblem, unlockProof, type PinProblem } from '../../../core/access/patient-app.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit, type AuditContext } from '../../platform/audit.ts';
import { auditContext, isFamily, type AppPrincipal, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword, sha256, verifyPassword } from '../../platform/security.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { deviceLabel, isUsablePublicKey, verifyDeviceSignature, type DevicePublicKey } from './device-key.ts';
import { patientDevices, patientInvites, patientUnlockChallenges } from './patient-app.tables.ts';
import { createPatientSession, endDeviceSessions, endPatientSession, holderOf, type Holder } from './sessions.ts';
import { revokeDevicePushSubscriptions } from '../messages/messages.ts';

export type Deps = { tx: Tx; ctx: Ctx };
export type SignedIn = { token: string; programId: string; deviceId: string; idleMinutes: number; holder: 'patient' | 'family' };
export type UnlockResult = ({ ok: true } & SignedIn) | { ok: false; error: AppError };

const PIN_MESSAGES: Record<PinProblem, string> = {
  'not-digits': 'Use numbers only.',
  'too-short': 'Use at least 6 numbers.',
  'too-long': 'Use 12 numbers or fewer.',
  repeated: 'Do not use the same number over and over.',
  sequence: 'Do not use numbers in a row, like 123456.',
  common: 'This PIN is too easy to guess. Pick another one.',
};

/** The audit trail of the patient's programme, with the patient app as the actor's role. */
export const patientAudit = (ctx: Ctx, programId: string, orgId: string): AuditContext => auditContext(ctx, { programId, orgId, actorId: null, actorRole: 'patient' });

/** The audit trail for an app holder: a patient's rows name the patient; a family member's say so in the role and name them in the detail. */
export const holderAudit = (ctx: Ctx, programId: string, orgId: string, holder: Holder): AuditContext =>
  auditContext(ctx, { programId, orgId, actorId: null, actorRole: holder.patientId ? 'patient' : 'family-member' });
export const holderDetail = (holder: Holder) => (holder.familyMemberId ? { familyMemberId: holder.familyMemberId } : {});
const holderKind = (holder: Holder) => (holder.patientId ? ('patient' as const) : ('family' as const));
const holderOfPrincipal = (me: AppPrincipal): Holder => (isFamily(me) ? { patientId: null, familyMemberId: me.familyMemberId } : { patientId: me.patientId, familyMemberId: null });

export const codeRefused = () =>
  new AppError({
    code: 'invalid_activation_code',
    status: 400,
    message: 'This code does not work. It may be used, replaced or too old. Ask your clinic for a new one.',
    problems: [{ field: 'body.code', message: 'is not an open invite' }],
  });
export const deviceRefused = () => new AppError({ code: 'device_revoked', status: 401, message: 'This phone is not set up anymore. Ask your clinic for a new code.' });
export const locked = () => new AppError({ code: 'device_locked', status: 423, message: `Too many wrong PINs. Try again in ${LOCKOUT_MINUTES} minutes, or ask your clinic for help.` });
/** A PIN device asked to unlock with a passkey, or the other way round. */
export const wrongUnlockMethod = () =>
  new AppError({ code: 'wrong_unlock_method', status: 400, message: 'This phone opens another way.', problems: [{ field: 'body.deviceId', message: 'unlocks with another method' }] });

export async function programOfId(tx: Tx, programId: string) {
  const [p] = await tx.select({ orgId: programs.orgId, idleMinutes: programs.patientIdleMinutes }).from(programs).where(eq(programs.id, programId));
  if (!p) throw new Error('programme vanished');
  return p;
}

/** A code that is not an open invite: refused in its programme's trail (naming the patient) when it was one, else in the installation's. */
export async function refuseCode(deps: Deps, codeHash: string): Promise<{ ok: false; error: AppError }> {
  const { tx, ctx } = deps;
  const [known] = await tx.select().from(patientInvites).where(eq(patientInvites.codeHash, codeHash));
  const a = known ? patientAudit(ctx, known.programId, (await programOfId(tx, known.programId)).orgId) : auditContext(ctx, { programId: null, orgId: null, actorId: null, actorRole: 'patient' });
  await writeAudit(tx, a, {
    action: 'sign-in',
    entity: 'patient-invite',
    entityId: known?.id ?? null,
    patientId: known?.patientId ?? null,
    outcome: 'failure',
    detail: { reason: known ? inviteStatus(known, ctx.now) : 'unknown-code' },
  });
  return { ok: false, error: codeRefused() };
}

export async function activate(deps: Deps, input: { code: string; publicKey: DevicePublicKey; proof: string; pin: string }): Promise<UnlockResult> {
  const { tx, ctx } = deps;
  const code = normaliseActivationCode(input.code);
  if (!code) throw new AppError({ code: 'invalid_input', status: 400, message: 'The code has 12 letters and numbers.', problems: [{ field: 'body.code', message: 'must be 12 letters and numbers' }] });
  const weak = pinProblem(input.pin);
  if (weak) throw new AppError({ code: 'weak_pin', status: 400, message: PIN_MESSAGES[weak], problems: [{ field: 'body.pin', message: PIN_MESSAGES[weak] }] });
  if (!isUsablePublicKey(input.publicKey))
    throw new AppError({ code: 'invalid_input', status: 400, message: 'The device key is not valid.', problems: [{ field: 'body.publicKey', message: 'is not a P-256 public key' }] });
  if (!verifyDeviceSignature(input.publicKey, activationProof(code), input.proof))
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'The device key could not be checked.',
      problems: [{ field: 'body.proof', message: 'is not a signature of the code by this key' }],
    });
  const pinHash = await hashPassword(input.pin);
  const codeHash = sha256(code);
  // Claiming the invite is one statement: of two phones sending one code at once, one wins.
  const [invite] = await tx
    .update(patientInvites)
    .set({ usedAt: ctx.now })
    .where(and(eq(patientInvites.codeHash, codeHash), isNull(patientInvites.usedAt), isNull(patientInvites.revokedAt), gt(patientInvites.expiresAt, ctx.now)))
    .returning();
  if (!invite) return refuseCode(deps, codeHash);
  const program = await programOfId(tx, invite.programId);
  const holder = holderOf(invite);
  const deviceId = randomUUID();
  await tx.insert(patientDevices).values({
    programId: invite.programId,
    id: deviceId,
    ...holder,
    inviteId: invite.id,
    kind: 'pin',
    publicKey: input.publicKey,
    pinHash,
    label: deviceLabel(ctx.meta.userAgent),
    createdAt: ctx.now,
    lastUnlockedAt: ctx.now,
  });
  const { token, sessionId } = await createPatientSession(tx, { programId: invite.programId, holder, deviceId, now: ctx.now });
  const a = holderAudit(ctx, invite.programId, program.orgId, holder);
  await writeAudit(tx, a, { action: 'create', entity: 'patient-device', entityId: deviceId, patientId: holder.patientId, detail: { inviteId: invite.id, ...holderDetail(holder) } });
  await writeAudit(tx, a, { action: 'sign-in', entity: 'patient-app', entityId: sessionId, patientId: holder.patientId, detail: { deviceId, method: 'device-key-and-pin', ...holderDetail(holder) } });
  return { ok: true, token, programId: invite.programId, deviceId, idleMinutes: program.idleMinutes, holder: holderKind(holder) };
}

export async function deviceRow(tx: Tx, programId: string, deviceId: string) {
  const [d] = await tx
    .select()
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, programId), eq(patientDevices.id, deviceId)));
  return d && !d.revokedAt ? d : null;
}

/** A fresh challenge for the device to sign (and the expired ones of this device are cleared). */
export async function newChallenge(deps: Deps, input: { programId: string; deviceId: string }) {
  const { tx, ctx } = deps;
  const device = await deviceRow(tx, input.programId, input.deviceId);
  if (!device) throw deviceRefused();
  if (device.kind !== 'pin') throw wrongUnlockMethod();
  await tx
    .delete(patientUnlockChallenges)
    .where(and(eq(patientUnlockChallenges.programId, input.programId), eq(patientUnlockChallenges.deviceId, input.deviceId), lt(patientUnlockChallenges.expiresAt, ctx.now)));
  const challenge = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.now.getTime() + CHALLENGE_SECONDS * 1000);
  await tx.insert(patientUnlockChallenges).values({ programId: input.programId, deviceId: input.deviceId, challengeHash: sha256(challenge), expiresAt });
  return { challenge, expiresAt: expiresAt.toISOString() };
}

export const lockoutOf = (d: { failedUnlocks: number; lastFailedUnlockAt: Date | null; lockedUntil: Date | null }): LockoutState => ({
  failures: d.failedUnlocks,
  lastFailureAt: d.lastFailedUnlockAt,
  lockedUntil: d.lockedUntil,
});

export async function unlock(deps: Deps, input: { programId: string; deviceId: string; challenge: string; signature: string; pin: string }): Promise<UnlockResult> {
  const { tx, ctx } = deps;
  const { programId, deviceId } = input;
  const device = await deviceRow(tx, programId, deviceId);
  if (!device) throw deviceRefused();
  if (device.kind !== 'pin' || !device.pinHash || !device.publicKey) throw wrongUnlockMethod();
  const pinHash = device.pinHash;
  // The challenge is used once, whatever the outcome.
  const used = await tx
    .delete(patientUnlockChallenges)
    .where(
      and(
        eq(patientUnlockChallenges.programId, programId),
        eq(patientUnlockChallenges.deviceId, deviceId),
        eq(patientUnlockChallenges.challengeHash, sha256(input.challenge)),
        gt(patientUnlockChallenges.expiresAt, ctx.now),
      ),
    )
    .returning({ h: patientUnlockChallenges.challengeHash });
  const program = await programOfId(tx, programId);
  const holder = holderOf(device);
  const a = holderAudit(ctx, programId, program.orgId, holder);
  const audit = (outcome: 'success' | 'failure' | 'denied', detail: Record<string, unknown>, entityId: string | null = deviceId) =>
    writeAudit(tx, a, { action: 'sign-in', entity: 'patient-app', entityId, patientId: holder.patientId, outcome, detail: { deviceId, ...holderDetail(holder), ...detail } });
  if (used.length === 0 || !verifyDeviceSignature(device.publicKey as DevicePublicKey, unlockProof(deviceId, input.challenge), input.signature)) {
    await audit('failure', { reason: used.length === 0 ? 'challenge' : 'signature' });
    return { ok: false, error: new AppError({ code: 'invalid_device_proof', status: 401, message: 'Something went wrong. Please try again.' }) };
  }
  // The PIN is checked before the row lock is taken (argon2id takes tens of milliseconds).
  const pinOk = await verifyPassword(pinHash, input.pin);
  const [row] = await tx
    .select({ failedUnlocks: patientDevices.failedUnlocks, lastFailedUnlockAt: patientDevices.lastFailedUnlockAt, lockedUntil: patientDevices.lockedUntil, revokedAt: patientDevices.revokedAt })
    .from(patientDevices)
    .where(and(eq(patientDevices.programId, programId), eq(patientDevices.id, deviceId)))
    .for('update');
  if (!row || row.revokedAt) throw deviceRefused();
  const state = lockoutOf(row);
  const setState = (s: LockoutState, extra: { lastUnlockedAt?: Date } = {}) =>
    tx
      .update(patientDevices)
      .set({ failedUnlocks: s.failures, lastFailedUnlockAt: s.lastFailureAt, lockedUntil: s.lockedUntil, ...extra })
      .where(and(eq(patientDevices.programId, programId), eq(patientDevices.id, deviceId)));
  if (isLocked(state, ctx.now)) {
    await audit('denied', { reason: 'locked' });
    return { ok: false, error: locked() };
  }
  if (!pinOk) {
    const { state: next, lockedNow } = afterFailure(state, ctx.now);
    await setState(next);
    await audit('failure', { reason: 'pin' });
    if (lockedNow) {
      await writeAudit(tx, a, {
        action: 'lock-out',
        entity: 'patient-device',
        entityId: deviceId,
        patientId: holder.patientId,
        outcome: 'denied',
        detail: { minutes: LOCKOUT_MINUTES, ...holderDetail(holder) },
      });
      return { ok: false, error: locked() };
    }
    return { ok: false, error: new AppError({ code: 'wrong_pin', status: 401, message: 'That PIN is not right. Try again.', problems: [{ field: 'body.pin', message: 'is not right' }] }) };
  }
  await setState(CLEARED, { lastUnlockedAt: ctx.now });
  const { token, sessionId } = await createPatientSession(tx, { programId, holder, deviceId, now: ctx.now });
  await audit('success', { method: 'device-key-and-pin' }, sessionId);
  return { ok: true, token, programId, deviceId, idleMinutes: program.idleMinutes, holder: holderKind(holder) };
}

/** Lock: this session ends; the device can unlock again with its PIN. */
export async function lock(deps: Deps, me: AppPrincipal) {
  const { tx, ctx } = deps;
  const holder = holderOfPrincipal(me);
  await endPatientSession(tx, me.programId, me.sessionId, ctx.now);
  await writeAudit(tx, holderAudit(ctx, me.programId, me.orgId, holder), {
    action: 'sign-out',
    entity: 'patient-app',
    entityId: me.sessionId,
    patientId: holder.patientId,
    detail: { deviceId: me.deviceId, reason: 'lock', ...holderDetail(holder) },
  });
  return { ok: true as const };
}

/** Sign-out: the phone forgets its key, so the device is revoked and every session of it ends. */
export async function signOut(deps: Deps, me: AppPrincipal) {
  const { tx, ctx } = deps;
  const holder = holderOfPrincipal(me);
  await tx
    .update(patientDevices)
    .set({ revokedAt: ctx.now })
    .where(and(eq(patientDevices.programId, me.programId), eq(patientDevices.id, me.deviceId), isNull(patientDevices.revokedAt)));
  await endDeviceSessions(tx, me.programId, me.deviceId, ctx.now);
  await revokeDevicePushSubscriptions(tx, me.programId, me.deviceId, ctx.now);
  await writeAudit(tx, holderAudit(ctx, me.programId, me.orgId, holder), {
    action: 'sign-out',
    entity: 'patient-app',
    entityId: me.sessionId,
    patientId: holder.patientId,
    detail: { deviceId: me.deviceId, reason: 'sign-out', ...holderDetail(holder) },
  });
  return { ok: true as const };
}

export async function patientMe(deps: Deps, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const [p] = await tx
    .select({ language: patients.preferredLanguage })
    .from(patients)
    .where(and(eq(patients.programId, me.programId), eq(patients.id, me.patientId)));
  if (!p) throw deviceRefused();
  await writeAudit(tx, patientAudit(ctx, me.programId, me.orgId), { action: 'read', entity: 'patient-app', patientId: me.patientId, detail: { deviceId: me.deviceId } });
  return { language: p.language === 'es' ? ('es' as const) : ('en' as const), idleMinutes: me.idleMinutes };
}
