// Programme-scoped API tokens for laboratories and EHRs. A token belongs to a service
// account (users.kind = 'service', no password, never a person) and one programme; it
// acts with the 'integration' role and only within the scopes chosen at its creation
// (core/access/scopes.ts, ADR 021). Shown once; only its SHA-256 is stored. A fhir:read
// token names the organisation outside the programme it acts for (issue 16): its reads are
// disclosures to that organisation, each checked against the patient's consents.
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { isTokenScope, normaliseScopes, OUTSIDE_SCOPES, type TokenScope } from '../../../core/access/scopes.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type Principal } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { newToken, sha256 } from '../../platform/security.ts';
import { users } from '../identity/identity.tables.ts';
import { integrationTokens } from './cm.tables.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof integrationTokens.$inferSelect;
export const TOKEN_PREFIX = 'wpt_';

/** The stored scopes (a value outside TOKEN_SCOPES, which no code path writes, grants nothing). */
const scopesOf = (r: Row): TokenScope[] => normaliseScopes(r.scopes.filter(isTokenScope));

const dto = (r: Row) => ({
  id: r.id,
  name: r.name,
  userId: r.userId,
  scopes: scopesOf(r),
  recipientOrganization: r.recipientOrganization,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

export async function createToken(deps: Deps, input: { name: string; scopes: readonly TokenScope[]; recipientOrganization?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const outside = input.scopes.filter((s) => OUTSIDE_SCOPES.includes(s));
  const recipientOrganization = input.recipientOrganization?.trim().replace(/\s+/g, ' ') || null;
  if (outside.length > 0 && !recipientOrganization)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `A token with ${outside.join(', ')} acts for an organisation outside the programme: name it.`,
      problems: [{ field: 'body.recipientOrganization', message: `is required with ${outside.join(', ')}` }],
    });
  if (outside.length === 0 && recipientOrganization)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `Name an outside organisation only for a token with ${OUTSIDE_SCOPES.join(', ')}.`,
      problems: [{ field: 'body.recipientOrganization', message: `is only for ${OUTSIDE_SCOPES.join(', ')}` }],
    });
  const userId = randomUUID();
  await tx.insert(users).values({
    id: userId,
    orgId: ctx.orgId!,
    email: `service-${userId}@service.invalid`,
    displayName: `API: ${input.name}`,
    passwordHash: null,
    kind: 'service',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  const token = TOKEN_PREFIX + newToken(32);
  const [row] = await tx
    .insert(integrationTokens)
    .values({
      programId,
      id: randomUUID(),
      userId,
      name: input.name,
      scopes: normaliseScopes(input.scopes),
      recipientOrganization,
      tokenHash: sha256(token),
      createdBy: ctx.principal!.userId,
      createdAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'integration-token', entityId: row!.id, detail: { serviceUserId: userId, scopes: row!.scopes, recipientOrganization } });
  return { ...dto(row!), token };
}

/** Oldest first (keyset on createdAt, id). */
export async function listTokens(deps: Deps, page: Page) {
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await deps.tx
    .select()
    .from(integrationTokens)
    .where(
      and(eq(integrationTokens.programId, programOf(deps.ctx)), after ? sql`(${integrationTokens.createdAt}, ${integrationTokens.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined),
    )
    .orderBy(asc(integrationTokens.createdAt), asc(integrationTokens.id))
    .limit(page.limit + 1);
  return pageOf(rows, page.limit, (r) => [r.createdAt.toISOString(), r.id], dto);
}

export async function revokeToken(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .select()
    .from(integrationTokens)
    .where(and(eq(integrationTokens.programId, programId), eq(integrationTokens.id, id)));
  if (!row) throw notFound('Token');
  if (row.revokedAt) throw conflict('already_revoked', 'This token is already revoked.', 'params.id');
  const [upd] = await tx
    .update(integrationTokens)
    .set({ revokedAt: ctx.now })
    .where(and(eq(integrationTokens.programId, programId), eq(integrationTokens.id, id)))
    .returning();
  await tx.update(users).set({ active: false, updatedAt: ctx.now }).where(eq(users.id, row.userId));
  await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'integration-token', entityId: id });
  return dto(upd!);
}

/** Bearer token → the service principal, its programme and scopes, or null (unknown, revoked, or account deactivated). */
export async function resolveToken(db: Db, token: string, now: Date): Promise<{ principal: Principal; programId: string; scopes: TokenScope[] } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({ t: integrationTokens, orgId: users.orgId, name: users.displayName, active: users.active })
    .from(integrationTokens)
    .innerJoin(users, eq(users.id, integrationTokens.userId))
    .where(eq(integrationTokens.tokenHash, sha256(token)));
  if (!row || row.t.revokedAt || !row.active) return null;
  const minuteAgo = new Date(now.getTime() - 60_000);
  if (!row.t.lastUsedAt || row.t.lastUsedAt < minuteAgo) {
    await db
      .update(integrationTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(integrationTokens.programId, row.t.programId), eq(integrationTokens.id, row.t.id), or(isNull(integrationTokens.lastUsedAt), lt(integrationTokens.lastUsedAt, minuteAgo))));
  }
  return {
    principal: { userId: row.t.userId, orgId: row.orgId, displayName: row.name, sessionId: `token:${row.t.id}`, stage: 'active', mustChangePassword: false },
    programId: row.t.programId,
    scopes: scopesOf(row.t),
  };
}
