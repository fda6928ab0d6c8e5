// The request context and access control for every route. A route declares in its
// config who may call it:
//   auth: 'public'   — no session (sign-in, health, OpenAPI)
//   auth: 'partial'  — a session that still owes MFA enrolment or a password change
//                      (MFA set-up, password change, sign-out, me)
//   (default)        — an active session
//   whileMfaPending  — the only routes a session that still owes its second factor may
//                      call: giving the code, abandoning the sign-in, reading /me (which
//                      step it is on). Every other route, whatever its `auth`, answers
//                      403 mfa_required: the password alone must not change the
//                      password, end the owner's sessions or read anything.
//   permission       — an `action:entity` the caller must hold in the programme named
//                      by the Waypoint-Program header (or their only programme)
// An API token (`Authorization: Bearer wpt_…`) reaches only the operations its scopes
// open (core/access/scopes.ts TOKEN_OPERATIONS, ADR 021): anything else is 403
// insufficient_scope, naming the missing scope where one would allow it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { permissionsOf, type Permission, type Role } from '../../../core/access/roles.ts';
import { permissionsOfScopes, tokenMay, TOKEN_OPERATIONS, type TokenScope } from '../../../core/access/scopes.ts';
import type { Db } from '../db/database.ts';
import { writeAudit } from '../audit.ts';
import { AppError, forbidden, unauthenticated } from '../errors.ts';
import { auditContext, type Ctx, type Principal } from './context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'public' | 'partial' | 'session';
    /** Callable by a session whose second factor is still owed (see above). */
    whileMfaPending?: boolean;
    permission?: Permission;
  }
  interface FastifyRequest {
    ctx: Ctx;
  }
}

export const PROGRAM_HEADER = 'waypoint-program';
export const SESSION_COOKIE = 'wp_session';

export type AuthDeps = {
  db: Db;
  clock: () => Date;
  /** The session's principal and the user's roles by programme (one query), or why it ended. */
  resolveSession: (token: string, now: Date) => Promise<(Principal & { memberships: Map<string, Role[]> }) | { ended: string }>;
  /** `Authorization: Bearer <token>`: a service account bound to one programme, acting with the 'integration' role and its token's scopes. */
  resolveToken?: (token: string, now: Date) => Promise<{ principal: Principal; programId: string; scopes: TokenScope[] } | null>;
  secureCookies: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function installAuth(app: FastifyInstance, deps: AuthDeps) {
  app.decorateRequest('ctx', null as unknown as Ctx);

  /** A refusal is audited (in its own transaction: there is no other) and answered 403. */
  const deny = async (req: FastifyRequest, permission: Permission, refusal: { error: AppError; scope?: TokenScope } = { error: forbidden() }): Promise<never> => {
    await deps.db.transaction((tx) =>
      writeAudit(tx, auditContext(req.ctx), {
        action: 'access-denied', entity: permission.split(':')[1] ?? 'unknown', outcome: 'denied',
        detail: { permission, route: req.routeOptions.url, ...(refusal.scope ? { scope: refusal.scope } : {}) },
      }),
    );
    throw refusal.error;
  };

  // The token operations (core/access/scopes.ts) must exist with the permission they name:
  // a renamed route or a changed permission fails at start-up, not silently for a laboratory.
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      const op = TOKEN_OPERATIONS[`${method} ${r.url}`];
      if (!op) continue;
      const permission = (r.config as { permission?: Permission } | undefined)?.permission;
      if (permission !== op.permission) throw new Error(`Token operation ${method} ${r.url} needs permission ${op.permission}; the route requires ${permission ?? 'none'}.`);
      // OpenAPI: the operation accepts the session cookie or a token with this scope
      if (r.schema && !(r.schema as { hide?: boolean }).hide) (r.schema as { security?: unknown }).security = [{ session: [] }, { apiToken: [op.scope] }];
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const now = deps.clock();
    req.ctx = {
      principal: null,
      orgId: null,
      program: null,
      meta: { requestId: req.id, ip: req.ip ?? null, userAgent: (req.headers['user-agent'] ?? '').slice(0, 400) || null },
      now,
    };
    const config = req.routeOptions.config ?? {};
    if (!req.routeOptions.url || config.auth === 'public') return;

    const authorization = req.headers.authorization;
    if (deps.resolveToken && typeof authorization === 'string' && /^bearer /i.test(authorization)) {
      const bound = await deps.resolveToken(authorization.slice(7).trim(), now);
      if (!bound) throw unauthenticated('The API token is not valid or was revoked.');
      req.ctx.principal = bound.principal;
      req.ctx.orgId = bound.principal.orgId;
      const header = req.headers[PROGRAM_HEADER];
      if (!config.permission || (typeof header === 'string' && header !== '' && header !== bound.programId)) throw forbidden('This API token acts only in its own programme.');
      const roles: Role[] = ['integration'];
      req.ctx.program = { programId: bound.programId, roles, permissions: permissionsOfScopes(bound.scopes), scopes: bound.scopes };
      const decision = tokenMay(bound.scopes, `${req.method} ${req.routeOptions.url}`);
      if (decision.allowed) return;
      if (decision.reason === 'missing-scope') {
        await deny(req, config.permission, {
          scope: decision.scope,
          error: new AppError({
            code: 'insufficient_scope', status: 403, message: `This API token does not have the scope ${decision.scope}.`,
            problems: [{ field: 'token.scopes', message: `must include ${decision.scope}` }],
          }),
        });
      }
      await deny(req, config.permission, { error: new AppError({ code: 'insufficient_scope', status: 403, message: 'No API token scope allows this operation; it is for signed-in staff.' }) });
    }

    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) throw unauthenticated();
    const resolved = await deps.resolveSession(token, now);
    if ('ended' in resolved) {
      clearSessionCookie(reply, deps.secureCookies);
      const message = resolved.ended === 'idle' ? 'You were signed out after a period of inactivity. Sign in again.' : 'Your session has ended. Sign in again.';
      throw new AppError({ code: 'session_ended', status: 401, message });
    }
    const { memberships, ...principal } = resolved;
    req.ctx.principal = principal;
    req.ctx.orgId = resolved.orgId;

    if (resolved.stage === 'mfa_pending' && config.whileMfaPending !== true) {
      throw new AppError({ code: 'mfa_required', status: 403, message: 'Enter the code from your authenticator app first.' });
    }
    if (config.auth !== 'partial') {
      if (resolved.stage === 'mfa_setup') throw new AppError({ code: 'mfa_setup_required', status: 403, message: 'Your organisation requires two-step sign-in. Set it up to continue.' });
      if (resolved.mustChangePassword) throw new AppError({ code: 'password_change_required', status: 403, message: 'Choose a new password to continue.' });
    }

    if (config.permission) {
      const header = req.headers[PROGRAM_HEADER];
      let programId: string | undefined;
      if (typeof header === 'string' && header !== '') {
        if (!UUID.test(header)) throw new AppError({ code: 'invalid_input', status: 400, message: 'The Waypoint-Program header must be a programme id.', problems: [{ field: `header.${PROGRAM_HEADER}`, message: 'must be a UUID' }] });
        programId = header;
      } else if (memberships.size === 1) {
        programId = [...memberships.keys()][0];
      } else {
        throw new AppError({ code: 'program_required', status: 400, message: 'Choose a programme (Waypoint-Program header).', problems: [{ field: `header.${PROGRAM_HEADER}`, message: 'is required' }] });
      }
      const roles = programId ? memberships.get(programId) : undefined;
      if (!programId || !roles) throw forbidden('You have no role in this programme.');
      const permissions = permissionsOf(roles);
      req.ctx.program = { programId, roles, permissions };
      if (!permissions.has(config.permission)) await deny(req, config.permission);
    }
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean, maxAgeHours: number) {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeHours * 3600 });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
