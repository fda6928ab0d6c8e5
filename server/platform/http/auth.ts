// The request context and access control for every route. A route declares in its
// config who may call it:
//   auth: 'public'   — no session (sign-in, health, OpenAPI)
//   auth: 'partial'  — a session that still owes MFA enrolment or a password change
//                      (MFA set-up, password change, sign-out, me)
//   auth: 'patient'  — a patient-app session (cookie wp_patient, path /api/patient; ADR 030):
//                      a principal kind of its own. Staff cookies and API tokens are not
//                      looked at, and the patient cookie is never looked at anywhere else.
//   auth: 'family'   — the same app and cookie, held by a family member or friend (ADR 053):
//                      a principal kind of its own; a patient's session is refused here, and
//                      a family member's on every 'patient' route.
//   auth: 'app'      — either of the two (lock, sign-out).
//   (default)        — an active session
//   whileMfaPending  — the only routes a session that still owes its second factor may
//                      call: giving the code, abandoning the sign-in, reading /me (which
//                      step it is on). Every other route, whatever its `auth`, answers
//                      403 mfa_required: the password alone must not change the
//                      password, end the owner's sessions or read anything.
//   permission       — an `action:entity` the caller must hold in the programme named
//                      by the Waypoint-Program header (or their only programme); or,
//                      for an organisation permission (`manage:organization`), in the
//                      organisation, whatever programme is named (ADR 020)
// Every refusal writes an audit row. A missing permission in the programme acted in goes to
// that programme's trail. A refusal that names another programme — a programme the caller
// has no role in, an API token sent with another programme's header, a record not found in
// the programme acted in (another programme's id answers 404 exactly like an unknown one) —
// goes to the organisation's trail, so no programme's trail shows another programme's ids
// (ADR 020).
// An API token (`Authorization: Bearer wpt_…`) reaches only the operations its scopes
// open (core/access/scopes.ts TOKEN_OPERATIONS, ADR 021): anything else is 403
// insufficient_scope, naming the missing scope where one would allow it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { permissionsOfScopes, tokenMay, TOKEN_OPERATIONS, type TokenScope } from '../../../core/access/scopes.ts';
import { isOrganizationPermission, organizationPermissionsOf, permissionsOf, type AnyPermission, type OrganizationRole, type Permission, type Role } from '../../../core/access/roles.ts';
import { entityOfPermission } from '../../../core/audit/entities.ts';
import { type Db, inTransaction } from '../db/database.ts';
import { writeAudit, type AuditRecord } from '../audit.ts';
import { AppError, forbidden, unauthenticated } from '../errors.ts';
import { auditContext, isFamily, type AppPrincipal, type Ctx, type Principal } from './context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'public' | 'partial' | 'session' | 'patient' | 'family' | 'app';
    /** Callable by a session whose second factor is still owed (see above). */
    whileMfaPending?: boolean;
    permission?: AnyPermission;
  }
  interface FastifyRequest {
    ctx: Ctx;
  }
}

export const PROGRAM_HEADER = 'waypoint-program';
export const SESSION_COOKIE = 'wp_session';
/** The patient app's session cookie, sent only to the patient API. */
export const PATIENT_COOKIE = 'wp_patient';
export const PATIENT_API_PREFIX = '/api/patient';

export type AuthDeps = {
  db: Db;
  clock: () => Date;
  /** The session's principal and the user's roles by programme (one query), or why it ended. */
  resolveSession: (token: string, now: Date) => Promise<(Principal & { memberships: Map<string, Role[]>; organizationRoles: OrganizationRole[] }) | { ended: string }>;
  /** `Authorization: Bearer <token>`: a service account bound to one programme, acting with the 'integration' role and its token's scopes. */
  resolveToken?: (token: string, now: Date) => Promise<{ principal: Principal; programId: string; scopes: TokenScope[] } | null>;
  /** An app session token's patient or family member, or why it ended. */
  resolvePatientSession?: (token: string, now: Date) => Promise<AppPrincipal | { ended: string }>;
  secureCookies: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function installAuth(app: FastifyInstance, deps: AuthDeps) {
  app.decorateRequest('ctx', null as unknown as Ctx);

  /** A refusal is audited (in its own transaction: there is no other) and answered 403. */
  const deny = async (req: FastifyRequest, permission: AnyPermission, opts: { message?: string; detail?: Record<string, unknown>; error?: AppError } = {}): Promise<never> => {
    await audit(req, {
      action: 'access-denied',
      entity: entityOfPermission(permission),
      outcome: 'denied',
      detail: { permission, route: req.routeOptions.url, ...opts.detail },
    });
    throw opts.error ?? forbidden(opts.message);
  };
  /** Writes an audit row in its own transaction: in the trail of the programme in context (if any), or the organisation's. */
  const audit = (req: FastifyRequest, record: AuditRecord, trail: 'context' | 'organization' = 'context') =>
    inTransaction(deps.db, (tx) => writeAudit(tx, auditContext(req.ctx, trail === 'organization' ? { programId: null } : {}), record));

  /** A refusal for another programme than the caller's (or a token's own): no programme is in context yet, so it goes to the organisation's trail. */
  const denyForeignProgram = async (req: FastifyRequest, permission: AnyPermission, requested: string, message: string, reason: string): Promise<never> => {
    return deny(req, permission, { message, detail: { reason, requestedProgram: requested } });
  };

  // A refusal raised inside a use case (its transaction rolled back) is recorded now. A record
  // not found in the programme acted in — another programme's, or none at all: the answer is
  // the same 404 — is recorded in the organisation's trail with the path's ids (never a body).
  app.addHook('onError', async (req, _reply, err) => {
    if (err instanceof AppError && err.audit) return void (await audit(req, err.audit));
    const status = (err as { status?: number }).status;
    if (status !== 404 || !req.ctx?.program || !req.ctx.principal || !req.routeOptions.config?.permission) return;
    const params = (req.params ?? {}) as Record<string, string>;
    const ids = Object.fromEntries(Object.entries(params).filter(([, v]) => UUID.test(v)));
    await audit(
      req,
      {
        action: 'not-found',
        entity: 'record',
        entityId: Object.values(ids).at(-1) ?? null,
        outcome: 'denied',
        detail: { route: req.routeOptions.url, programId: req.ctx.program.programId, params: ids },
      },
      'organization',
    );
  });

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

    if (config.auth === 'patient' || config.auth === 'family' || config.auth === 'app') {
      const token = req.cookies?.[PATIENT_COOKIE];
      if (!token || !deps.resolvePatientSession) throw unauthenticated('Unlock the app to continue.');
      const holder = await deps.resolvePatientSession(token, now);
      if ('ended' in holder) {
        clearPatientCookie(reply, deps.secureCookies);
        throw new AppError({ code: holder.ended === 'idle' ? 'locked_idle' : 'session_ended', status: 401, message: 'The app is locked. Enter your PIN to open it.' });
      }
      const family = isFamily(holder);
      if (family) req.ctx.family = holder;
      else req.ctx.patient = holder;
      req.ctx.orgId = holder.orgId;
      req.ctx.program = { programId: holder.programId, roles: [], permissions: new Set() };
      if (config.auth === 'patient' && family) throw new AppError({ code: 'not_for_family', status: 403, message: 'This part of the app is for patients.' });
      if (config.auth === 'family' && !family) throw new AppError({ code: 'not_for_patients', status: 403, message: 'This part of the app is for family members.' });
      return;
    }

    const authorization = req.headers.authorization;
    if (deps.resolveToken && typeof authorization === 'string' && /^bearer /i.test(authorization)) {
      const bound = await deps.resolveToken(authorization.slice(7).trim(), now);
      if (!bound) throw unauthenticated('The API token is not valid or was revoked.');
      req.ctx.principal = bound.principal;
      req.ctx.orgId = bound.principal.orgId;
      const header = req.headers[PROGRAM_HEADER];
      if (!config.permission) throw forbidden('This API token acts only in its own programme.');
      if (typeof header === 'string' && header !== '' && header !== bound.programId) {
        await denyForeignProgram(req, config.permission, header, 'This API token acts only in its own programme.', 'token-of-another-programme');
      }
      const roles: Role[] = ['integration'];
      req.ctx.program = { programId: bound.programId, roles, permissions: permissionsOfScopes(bound.scopes), scopes: bound.scopes };
      const decision = tokenMay(bound.scopes, `${req.method} ${req.routeOptions.url}`);
      if (decision.allowed) return;
      if (decision.reason === 'missing-scope') {
        await deny(req, config.permission, {
          detail: { scope: decision.scope },
          error: new AppError({
            code: 'insufficient_scope',
            status: 403,
            message: `This API token does not have the scope ${decision.scope}.`,
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
    const { memberships, organizationRoles, ...principal } = resolved;
    req.ctx.principal = principal;
    req.ctx.orgId = resolved.orgId;

    if (resolved.stage === 'mfa_pending' && config.whileMfaPending !== true) {
      throw new AppError({ code: 'mfa_required', status: 403, message: 'Enter the code from your authenticator app first.' });
    }
    if (config.auth !== 'partial') {
      if (resolved.stage === 'mfa_setup') throw new AppError({ code: 'mfa_setup_required', status: 403, message: 'Your organisation requires two-step sign-in. Set it up to continue.' });
      if (resolved.mustChangePassword) throw new AppError({ code: 'password_change_required', status: 403, message: 'Choose a new password to continue.' });
    }

    if (config.permission && isOrganizationPermission(config.permission)) {
      // Held in the organisation, not in a programme: the Waypoint-Program header plays no part.
      if (!organizationPermissionsOf(organizationRoles).has(config.permission)) await deny(req, config.permission);
    } else if (config.permission) {
      const header = req.headers[PROGRAM_HEADER];
      let programId: string | undefined;
      if (typeof header === 'string' && header !== '') {
        if (!UUID.test(header))
          throw new AppError({
            code: 'invalid_input',
            status: 400,
            message: 'The Waypoint-Program header must be a programme id.',
            problems: [{ field: `header.${PROGRAM_HEADER}`, message: 'must be a UUID' }],
          });
        programId = header;
      } else if (memberships.size === 1) {
        programId = [...memberships.keys()][0];
      } else {
        throw new AppError({
          code: 'program_required',
          status: 400,
          message: 'Choose a programme (Waypoint-Program header).',
          problems: [{ field: `header.${PROGRAM_HEADER}`, message: 'is required' }],
        });
      }
      const roles = programId ? memberships.get(programId) : undefined;
      if (!programId || !roles) return denyForeignProgram(req, config.permission, programId ?? '', 'You have no role in this programme.', 'no-role-in-programme');
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

/** The patient app's cookie: HttpOnly, SameSite=Strict, sent only to the patient API (Secure in production, as the staff cookie). */
export function setPatientCookie(reply: FastifyReply, token: string, secure: boolean, maxAgeHours: number) {
  reply.setCookie(PATIENT_COOKIE, token, { path: PATIENT_API_PREFIX, httpOnly: true, sameSite: 'strict', secure, maxAge: maxAgeHours * 3600 });
}

export function clearPatientCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(PATIENT_COOKIE, { path: PATIENT_API_PREFIX, httpOnly: true, sameSite: 'strict', secure });
}
