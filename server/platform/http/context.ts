// What a use case knows about the request it serves. Built by the auth hook; routes
// pass it on; use cases read it (never the Fastify request).
import type { Permission, Role } from '../../../core/access/roles.ts';
import type { TokenScope } from '../../../core/access/scopes.ts';
import type { AuditContext } from '../audit.ts';

export type Principal = {
  userId: string;
  orgId: string;
  displayName: string;
  sessionId: string;
  stage: 'active' | 'mfa_pending' | 'mfa_setup';
  mustChangePassword: boolean;
};

/** A patient signed in to the patient app on one of their devices (ADR 030): their own data only. */
export type PatientPrincipal = { programId: string; orgId: string; patientId: string; deviceId: string; sessionId: string; idleMinutes: number };

/** A family member or friend signed in to the app on their phone (ADR 053): what a consent allows, and their own record. */
export type FamilyPrincipal = { programId: string; orgId: string; familyMemberId: string; deviceId: string; sessionId: string; idleMinutes: number };

/** Whoever holds an app session: a patient or a family member. */
export type AppPrincipal = PatientPrincipal | FamilyPrincipal;
export const isFamily = (p: AppPrincipal): p is FamilyPrincipal => 'familyMemberId' in p;

export type ProgramScope = {
  programId: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  /** Set when the caller is an API token: the scopes chosen at its creation (core/access/scopes.ts). */
  scopes?: readonly TokenScope[];
};

export type RequestMeta = { requestId: string; ip: string | null; userAgent: string | null };

export type Ctx = {
  principal: Principal | null;
  /** Set instead of `principal` on patient-app routes (auth: 'patient'). */
  patient?: PatientPrincipal | null;
  /** Set instead of `principal` on the family routes of the app (auth: 'family'). */
  family?: FamilyPrincipal | null;
  /** The organisation acted in: the principal's, or the one a system task names. */
  orgId: string | null;
  program: ProgramScope | null;
  meta: RequestMeta;
  now: Date;
};

/** A context for work that has no HTTP request (CLI, jobs, demo seed). */
export function systemCtx(opts: { orgId: string; programId?: string; now?: Date; requestId?: string }): Ctx {
  return {
    principal: null,
    orgId: opts.orgId,
    program: opts.programId ? { programId: opts.programId, roles: [], permissions: new Set() } : null,
    meta: { requestId: opts.requestId ?? 'system', ip: null, userAgent: 'waypoint-cli' },
    now: opts.now ?? new Date(),
  };
}

export function auditContext(ctx: Ctx, override: Partial<AuditContext> = {}): AuditContext {
  return {
    orgId: ctx.orgId,
    programId: ctx.program?.programId ?? null,
    actorId: ctx.principal?.userId ?? null,
    actorRole: ctx.patient ? 'patient' : ctx.family ? 'family-member' : ctx.program ? ctx.program.roles.join(',') : null,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    requestId: ctx.meta.requestId,
    now: ctx.now,
    ...override,
  };
}

/** The signed-in patient of a patient-app route. */
export function patientOf(ctx: Ctx): PatientPrincipal {
  if (!ctx.patient) throw new Error('no patient in context');
  return ctx.patient;
}

/** The signed-in family member of a family route. */
export function familyOf(ctx: Ctx): FamilyPrincipal {
  if (!ctx.family) throw new Error('no family member in context');
  return ctx.family;
}

/** The signed-in person of an app route open to patients and family members (lock, sign-out). */
export function appPrincipalOf(ctx: Ctx): AppPrincipal {
  const p = ctx.patient ?? ctx.family;
  if (!p) throw new Error('no app principal in context');
  return p;
}

/** The programme this request acts in; every clinical query filters by it. */
export function programOf(ctx: Ctx): string {
  if (!ctx.program) throw new Error('no programme in context');
  return ctx.program.programId;
}
