// Patient sessions (ADR 030): the phone holds a random token in the wp_patient cookie
// (HttpOnly, Secure in production, SameSite=Strict, path /api/patient); the server keeps
// its SHA-256. The token names its programme, so the lookup stays in one programme. A
// session ends after the programme's idle lock (default 5 minutes), after
// PATIENT_SESSION_HOURS, when the patient locks or signs out, and at once when staff
// revoke its device: sessions are never cached, and the lookup checks the device.
import { and, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { PATIENT_SESSION_HOURS } from '../../../core/access/patient-app.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { AppPrincipal } from '../../platform/http/context.ts';
import { sha256 } from '../../platform/security.ts';
import { idleEnded } from '../identity/sessions.ts';
import { programs } from '../programs/programs.tables.ts';
import { patientAppSessions, patientDevices } from './patient-app.tables.ts';

const TOKEN = /^wpp\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

/** Whose an invite, device or session is: a patient's or a family member's (ADR 053); the tables' check keeps exactly one. */
export type Holder = { patientId: string; familyMemberId: null } | { patientId: null; familyMemberId: string };
export const holderOf = (row: { patientId: string | null; familyMemberId: string | null }): Holder =>
  row.patientId ? { patientId: row.patientId, familyMemberId: null } : { patientId: null, familyMemberId: row.familyMemberId! };

export async function createPatientSession(tx: Tx, input: { programId: string; holder: Holder; deviceId: string; now: Date }): Promise<{ token: string; sessionId: string }> {
  const token = `wpp.${input.programId}.${randomBytes(32).toString('base64url')}`;
  const sessionId = randomUUID();
  await tx.insert(patientAppSessions).values({
    programId: input.programId,
    id: sessionId,
    patientId: input.holder.patientId,
    familyMemberId: input.holder.familyMemberId,
    deviceId: input.deviceId,
    tokenHash: sha256(token),
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + PATIENT_SESSION_HOURS * 3600_000),
  });
  return { token, sessionId };
}

type Ended = 'idle' | 'expired' | 'revoked';

/** A session row with what decides whether it goes on: its device's revocation and the programme's idle lock. */
function sessionRow(db: Db, programId: string, which: SQL) {
  return db
    .select({
      id: patientAppSessions.id,
      patientId: patientAppSessions.patientId,
      familyMemberId: patientAppSessions.familyMemberId,
      deviceId: patientAppSessions.deviceId,
      lastSeenAt: patientAppSessions.lastSeenAt,
      expiresAt: patientAppSessions.expiresAt,
      endedAt: patientAppSessions.endedAt,
      deviceRevokedAt: patientDevices.revokedAt,
      orgId: programs.orgId,
      idleMinutes: programs.patientIdleMinutes,
    })
    .from(patientAppSessions)
    .innerJoin(patientDevices, and(eq(patientDevices.programId, patientAppSessions.programId), eq(patientDevices.id, patientAppSessions.deviceId)))
    .innerJoin(programs, eq(programs.id, patientAppSessions.programId))
    .where(and(eq(patientAppSessions.programId, programId), which));
}

/** Why a session no longer goes on at `now`, or null while it does. */
function endedWhy(row: { endedAt: Date | null; deviceRevokedAt: Date | null; expiresAt: Date; lastSeenAt: Date; idleMinutes: number }, now: Date): Ended | null {
  if (row.endedAt || row.deviceRevokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (idleEnded(row.lastSeenAt, now, row.idleMinutes)) return 'idle';
  return null;
}

/** An app session token's patient or family member, or why it ended. */
export async function resolvePatientSession(db: Db, token: string, now: Date): Promise<AppPrincipal | { ended: Ended | 'unknown' }> {
  const m = TOKEN.exec(token);
  if (!m) return { ended: 'unknown' };
  const programId = m[1]!;
  const [row] = await sessionRow(db, programId, eq(patientAppSessions.tokenHash, sha256(token)));
  if (!row) return { ended: 'unknown' };
  const ended = endedWhy(row, now);
  if (ended === 'idle') {
    await db
      .update(patientAppSessions)
      .set({ endedAt: now })
      .where(and(eq(patientAppSessions.programId, programId), eq(patientAppSessions.id, row.id)));
  }
  if (ended) return { ended };
  await db
    .update(patientAppSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(patientAppSessions.programId, programId), eq(patientAppSessions.id, row.id), lt(patientAppSessions.lastSeenAt, now)));
  const common = { programId, orgId: row.orgId, deviceId: row.deviceId, sessionId: row.id, idleMinutes: row.idleMinutes };
  return row.patientId ? { ...common, patientId: row.patientId } : { ...common, familyMemberId: row.familyMemberId! };
}

/** Whether a signed-in session still goes on, without touching it (a server-sent stream is not the patient's activity, so it never holds the idle lock off). */
export async function patientSessionGoesOn(db: Db, me: AppPrincipal, now: Date): Promise<boolean> {
  const [row] = await sessionRow(db, me.programId, eq(patientAppSessions.id, me.sessionId));
  return !!row && endedWhy(row, now) === null;
}

/** Ends one session (lock, sign-out). */
export async function endPatientSession(tx: Tx, programId: string, sessionId: string, now: Date): Promise<void> {
  await tx
    .update(patientAppSessions)
    .set({ endedAt: now })
    .where(and(eq(patientAppSessions.programId, programId), eq(patientAppSessions.id, sessionId), isNull(patientAppSessions.endedAt)));
}

/** Ends every session of a device (revocation, sign-out); returns how many were going. */
export async function endDeviceSessions(tx: Tx, programId: string, deviceId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(patientAppSessions)
    .set({ endedAt: now })
    .where(and(eq(patientAppSessions.programId, programId), eq(patientAppSessions.deviceId, deviceId), isNull(patientAppSessions.endedAt)))
    .returning({ id: patientAppSessions.id });
  return rows.length;
}
