// Auth sessions (sign-ins) live in the database: the browser holds a random token,
// the server keeps only its SHA-256. A session ends after the organisation's idle
// time-out, after its absolute lifetime, at sign-out, or by "sign out everywhere".
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import { isOrganizationRole, isRole, type OrganizationRole, type Role } from '../../../core/access/roles.ts';
import { randomUUID } from 'node:crypto';
import { preparedOnce, type Db, type Tx } from '../../platform/db/database.ts';
import { newToken, sha256 } from '../../platform/security.ts';
import { organizations } from '../programs/programs.tables.ts';
import { authSessions, organizationRoleAssignments, roleAssignments, users } from './identity.tables.ts';

export type SessionStage = 'active' | 'mfa_pending' | 'mfa_setup';
export const SESSION_COOKIE = 'wp_session';

/**
 * The idle time-out is counted in whole seconds: a session ends when more than the
 * organisation's idle minutes × 60 seconds have passed between the second of its last
 * request and the second of this one. last_seen_at is written by the first request in
 * each new second (at most one write per session per second, however many requests a
 * screen sends at once, and also when the session is read from the cache), so it always
 * holds the second of the last request and a session never ends early.
 */
const second = (d: Date) => Math.floor(d.getTime() / 1000);
export function idleEnded(lastSeenAt: Date, now: Date, idleMinutes: number): boolean {
  return second(now) - second(lastSeenAt) > idleMinutes * 60;
}
/** Records this request's second as the session's last activity (never moves it back). */
async function touch(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .update(authSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(authSessions.id, sessionId), lt(authSessions.lastSeenAt, now)));
}

export async function createSession(
  tx: Tx,
  input: { userId: string; stage: SessionStage; lifetimeHours: number; ip: string | null; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const sessionId = randomUUID();
  await tx.insert(authSessions).values({
    id: sessionId,
    tokenHash: sha256(token),
    userId: input.userId,
    stage: input.stage,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.lifetimeHours * 3600_000),
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 400) ?? null,
  });
  return { token, sessionId };
}

export type ResolvedSession = {
  sessionId: string;
  stage: SessionStage;
  userId: string;
  orgId: string;
  displayName: string;
  mustChangePassword: boolean;
  /** The user's roles by programme, read in the same query as the session. */
  memberships: Map<string, Role[]>;
  /** The user's roles in the organisation (organisation administrator), read in the same query. */
  organizationRoles: OrganizationRole[];
};

export type SessionEnd = { ended: 'idle' | 'expired' | 'revoked' | 'unknown' };

/**
 * Resolved sessions are kept for a moment (SESSION_CACHE_MS of the request clock), so a
 * burst of requests costs one lookup. Everything that changes a session, a user's roles or
 * the organisation's policy forgets the affected entries on this server at once; another
 * server may honour a just-revoked session for at most this long (ADR 011).
 */
export const SESSION_CACHE_MS = 2_000;
const cache = new Map<string, { session: ResolvedSession; until: number; seenSecond: number }>();

/** Forget cached sessions: all of them, or one user's, or one session. */
export function forgetSessions(which: { userId?: string; sessionId?: string } = {}): void {
  if (!which.userId && !which.sessionId) return cache.clear();
  for (const [key, entry] of cache) {
    if (entry.session.userId === which.userId || entry.session.sessionId === which.sessionId) cache.delete(key);
  }
}

/** The session lookup runs on every cache miss: built once per database, prepared by name. */
const resolveQuery = preparedOnce((db) =>
  db
    .select({
      id: authSessions.id,
      stage: authSessions.stage,
      lastSeenAt: authSessions.lastSeenAt,
      expiresAt: authSessions.expiresAt,
      revokedAt: authSessions.revokedAt,
      userId: users.id,
      orgId: users.orgId,
      displayName: users.displayName,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
      idleMinutes: organizations.idleTimeoutMinutes,
      roles: sql<Array<{ p: string; r: string }> | null>`(select json_agg(json_build_object('p', ra.program_id, 'r', ra.role)) from ${roleAssignments} ra where ra.user_id = ${users.id})`,
      organizationRoles: sql<string[] | null>`(select json_agg(oa.role) from ${organizationRoleAssignments} oa where oa.user_id = ${users.id} and oa.org_id = ${users.orgId})`,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(authSessions.tokenHash, sql.placeholder('tokenHash')))
    .prepare('waypoint_resolve_session'),
);

export async function resolveSession(db: Db, token: string, now: Date): Promise<ResolvedSession | SessionEnd> {
  const tokenHash = sha256(token);
  const hit = cache.get(tokenHash);
  if (hit && hit.until > now.getTime()) {
    // A request answered from the cache is activity too (the cache lasts seconds, the idle time-out minutes).
    if (second(now) > hit.seenSecond) {
      hit.seenSecond = second(now);
      await touch(db, hit.session.sessionId, now);
    }
    return hit.session;
  }
  if (hit) cache.delete(tokenHash);
  const [row] = await resolveQuery(db).execute({ tokenHash });
  if (!row) return { ended: 'unknown' };
  if (row.revokedAt || !row.active) return { ended: 'revoked' };
  if (row.expiresAt.getTime() <= now.getTime()) return { ended: 'expired' };
  if (idleEnded(row.lastSeenAt, now, row.idleMinutes)) {
    await db.update(authSessions).set({ revokedAt: now }).where(eq(authSessions.id, row.id));
    return { ended: 'idle' };
  }
  if (second(now) > second(row.lastSeenAt)) await touch(db, row.id, now);
  const memberships = new Map<string, Role[]>();
  for (const { p, r } of row.roles ?? []) if (isRole(r)) memberships.set(p, [...(memberships.get(p) ?? []), r]);
  const session: ResolvedSession = {
    memberships,
    organizationRoles: (row.organizationRoles ?? []).filter(isOrganizationRole),
    sessionId: row.id,
    stage: row.stage as SessionStage,
    userId: row.userId,
    orgId: row.orgId,
    displayName: row.displayName,
    mustChangePassword: row.mustChangePassword,
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(tokenHash, { session, until: now.getTime() + SESSION_CACHE_MS, seenSecond: Math.max(second(now), second(row.lastSeenAt)) });
  return session;
}

export async function setSessionStage(tx: Tx, sessionId: string, stage: SessionStage) {
  await tx.update(authSessions).set({ stage }).where(eq(authSessions.id, sessionId));
  forgetSessions({ sessionId });
}

export async function revokeSession(tx: Tx, sessionId: string, now: Date) {
  await tx
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
  forgetSessions({ sessionId });
}

/** Ends the session this cookie token belongs to, if it is still going (the tablet hand-off, ADR 027). */
export async function revokeSessionByToken(tx: Tx, token: string, now: Date): Promise<{ sessionId: string; userId: string } | null> {
  const [row] = await tx
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.tokenHash, sha256(token)), isNull(authSessions.revokedAt)))
    .returning({ sessionId: authSessions.id, userId: authSessions.userId });
  if (!row) return null;
  forgetSessions({ sessionId: row.sessionId });
  return row;
}

/** Ends every session of a user (sign out everywhere, password change, reset). */
export async function revokeAllSessions(tx: Tx, userId: string, now: Date, exceptSessionId?: string): Promise<number> {
  forgetSessions({ userId });
  const rows = await tx
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  if (exceptSessionId && rows.some((r) => r.id === exceptSessionId)) {
    await tx.update(authSessions).set({ revokedAt: null }).where(eq(authSessions.id, exceptSessionId));
    return rows.length - 1;
  }
  return rows.length;
}
