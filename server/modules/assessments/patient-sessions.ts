// Patient-tablet mode (ADR 009, ADR 027). A staff member starts a session for one patient
// and one instrument and gets a single-use hand-off code (10 min) for a link / QR code. The
// tablet — a browser without the staff session — exchanges it once for a short-lived (30 min)
// bearer token that can read that instrument's form and submit one set of answers, nothing
// else. Only SHA-256 hashes are stored; code and token name their programme so the lookup
// stays on one shard. Returning to the console from the tablet needs the password of the
// staff member who started the session (the sign-in rule: lock-out, audit).
import { and, eq, gt, isNull } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { formExpiresAt, handoffExpiresAt, handoffRefusal, HANDOFF_MINUTES } from '../../../core/access/tablet-handoff.ts';
import { INSTRUMENTS, type InstrumentId } from '../../../core/instruments/index.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { sha256 } from '../../platform/security.ts';
import { users } from '../identity/identity.tables.ts';
import { revokeSessionByToken, type SessionStage } from '../identity/sessions.ts';
import { signIn } from '../identity/sign-in.ts';
import { programs } from '../programs/programs.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { administer } from './assessments.ts';
import { patientSessions } from './assessments.tables.ts';
import { questionnaireOf, type Questionnaire } from './questionnaires.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof patientSessions.$inferSelect;

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const TOKEN = new RegExp(`^wpt\\.${UUID}\\.([A-Za-z0-9_-]{43})$`);
const HANDOFF = new RegExp(`^wph\\.${UUID}\\.([A-Za-z0-9_-]{43})$`);

const statusOf = (r: Row, now: Date): 'open' | 'submitted' | 'expired' | 'cancelled' => (r.usedAt ? 'submitted' : r.cancelledAt ? 'cancelled' : r.expiresAt <= now ? 'expired' : 'open');
const statusDto = (r: Row, now: Date) => ({
  id: r.id,
  instrument: r.instrument as InstrumentId,
  status: statusOf(r, now),
  handedOff: r.handedOffAt !== null,
  expiresAt: r.expiresAt.toISOString(),
  assessmentId: r.assessmentId,
});

/**
 * Starts a tablet session. Returns the hand-off code once (for the link / QR code); the
 * form token is made only when the tablet exchanges the code (exchangeHandoff).
 */
export async function startPatientSession(deps: Deps, patientId: string, input: { instrument: InstrumentId; targetBehavior?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const handoffCode = `wph.${programId}.${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const handoffBy = handoffExpiresAt(ctx.now);
  await tx.insert(patientSessions).values({
    programId,
    id,
    patientId,
    instrument: input.instrument,
    targetBehavior: input.targetBehavior ?? null,
    tokenHash: null,
    handoffHash: sha256(handoffCode),
    handoffExpiresAt: handoffBy,
    startedBy: ctx.principal!.userId,
    createdAt: ctx.now,
    expiresAt: handoffBy,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'patient-session', entityId: id, patientId, detail: { instrument: input.instrument } });
  return { id, patientId, instrument: input.instrument, handoffCode, handoffPath: `/tablet#${handoffCode}`, expiresAt: handoffBy.toISOString() };
}

async function sessionRow(tx: Tx, ctx: Ctx, patientId: string, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(patientSessions)
    .where(and(eq(patientSessions.programId, programOf(ctx)), eq(patientSessions.patientId, patientId), eq(patientSessions.id, id)));
  if (!row) throw notFound('Patient session');
  return row;
}

export async function getPatientSession(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  const row = await sessionRow(tx, ctx, patientId, id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'patient-session', entityId: id, patientId });
  return statusDto(row, ctx.now);
}

/** Ends an open session early (the patient left, or the wrong form was started). */
export async function cancelPatientSession(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  const row = await sessionRow(tx, ctx, patientId, id);
  if (statusOf(row, ctx.now) !== 'open') throw conflict('patient_session_closed', 'This patient session is no longer open.');
  const [updated] = await tx
    .update(patientSessions)
    .set({ cancelledAt: ctx.now })
    .where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, id), isNull(patientSessions.usedAt)))
    .returning();
  if (!updated) throw conflict('patient_session_closed', 'This patient session is no longer open.');
  await writeAudit(tx, auditContext(ctx), { action: 'cancel', entity: 'patient-session', entityId: id, patientId });
  return statusDto(updated, ctx.now);
}

// --- the tablet side (public route; the token is the only credential) ----------------

/** A refused tablet request. Carries what is needed to audit the refusal in its own transaction. */
export class PatientSessionRefused extends AppError {
  constructor(
    readonly reason: 'invalid' | 'expired' | 'used' | 'cancelled',
    readonly session: Row | null,
    readonly step: 'hand-off' | 'form' = 'form',
  ) {
    const messages =
      step === 'hand-off'
        ? {
            invalid: 'This tablet link is not valid. Please give the tablet back to staff.',
            expired: `This tablet link has expired (links work for ${HANDOFF_MINUTES} minutes). Please give the tablet back to staff.`,
            used: 'This tablet link was already used. A link works only once. Please give the tablet back to staff.',
            cancelled: 'This form was closed by staff. Please give the tablet back to staff.',
          }
        : {
            invalid: 'This tablet link is not valid. Please hand the tablet back to staff.',
            expired: 'This form has timed out. Please hand the tablet back to staff.',
            used: 'This form has already been sent. Thank you — please hand the tablet back to staff.',
            cancelled: 'This form was closed by staff. Please hand the tablet back to staff.',
          };
    const code = step === 'hand-off' ? `tablet_link_${reason}` : `patient_session_${reason}`;
    super({ code, status: reason === 'used' ? 409 : 401, message: messages[reason] });
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer (\S+)$/.exec(header);
  return m ? m[1]! : null;
}

async function tabletCtx(tx: Tx, base: Ctx, programId: string): Promise<Ctx> {
  const [p] = await tx.select({ orgId: programs.orgId }).from(programs).where(eq(programs.id, programId));
  return { ...base, orgId: p?.orgId ?? null, program: { programId, roles: [], permissions: new Set() } };
}
const tabletAudit = (ctx: Ctx) => auditContext(ctx, { actorId: null, actorRole: 'patient-tablet' });

async function lookup(tx: Tx, token: string | null): Promise<{ row: Row | null; programId: string | null }> {
  const m = token ? TOKEN.exec(token) : null;
  if (!m || !token) return { row: null, programId: null };
  const programId = m[1]!;
  const [row] = await tx
    .select()
    .from(patientSessions)
    .where(and(eq(patientSessions.programId, programId), eq(patientSessions.tokenHash, sha256(token))));
  return { row: row ?? null, programId };
}

/**
 * A hand-off link opened in a browser that carries a staff session (the staff member's own
 * computer) signs that session out first — whether or not the code is then accepted — so
 * the staff member's cookie is never usable next to the patient's form (ADR 027).
 */
export async function endStaffSessionForTablet(deps: { tx: Tx; ctx: Ctx }, staffSessionToken: string): Promise<boolean> {
  const { tx, ctx } = deps;
  const ended = await revokeSessionByToken(tx, staffSessionToken, ctx.now);
  if (!ended) return false;
  await writeAudit(tx, auditContext(ctx, { actorId: ended.userId, programId: null }), {
    action: 'sign-out',
    entity: 'session',
    entityId: ended.sessionId,
    detail: { reason: 'tablet-hand-off' },
  });
  return true;
}

/**
 * The tablet exchanges the hand-off code from the link, once, for the form token. The
 * claim is one conditional UPDATE, so two tablets opening the same link get one token.
 */
export async function exchangeHandoff(deps: { tx: Tx; ctx: Ctx }, code: string): Promise<{ token: string; expiresAt: string }> {
  const { tx, ctx: base } = deps;
  const m = HANDOFF.exec(code);
  const [row] = m
    ? await tx
        .select()
        .from(patientSessions)
        .where(and(eq(patientSessions.programId, m[1]!), eq(patientSessions.handoffHash, sha256(code))))
    : [];
  if (!row || !row.handoffExpiresAt) throw new PatientSessionRefused('invalid', null, 'hand-off');
  const refusal = handoffRefusal({ handedOffAt: row.handedOffAt, handoffExpiresAt: row.handoffExpiresAt, cancelledAt: row.cancelledAt }, base.now);
  if (refusal) throw new PatientSessionRefused(refusal, row, 'hand-off');
  const token = `wpt.${row.programId}.${randomBytes(32).toString('base64url')}`;
  const expiresAt = formExpiresAt(base.now);
  const [claimed] = await tx
    .update(patientSessions)
    .set({ handedOffAt: base.now, tokenHash: sha256(token), expiresAt })
    .where(
      and(
        eq(patientSessions.programId, row.programId),
        eq(patientSessions.id, row.id),
        isNull(patientSessions.handedOffAt),
        isNull(patientSessions.cancelledAt),
        gt(patientSessions.handoffExpiresAt, base.now),
      ),
    )
    .returning();
  if (!claimed) throw new PatientSessionRefused('used', row, 'hand-off');
  const ctx = await tabletCtx(tx, base, row.programId);
  await writeAudit(tx, tabletAudit(ctx), { action: 'hand-off', entity: 'patient-session', entityId: row.id, patientId: row.patientId });
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * "Staff: return to console" on the tablet: the password of the staff member who started
 * the session. It is a sign-in as that person (same lock-out, audit and second factor, see
 * sign-in.ts); on success an open form is closed and a staff session is returned.
 */
export async function returnToConsole(
  deps: { tx: Tx; ctx: Ctx },
  token: string | null,
  input: { password: string },
): Promise<{ ok: true; sessionToken: string; stage: SessionStage; mustChangePassword: boolean } | { ok: false; error: AppError }> {
  const { tx } = deps;
  const { row } = await lookup(tx, token);
  if (!row) throw new PatientSessionRefused('invalid', null);
  const [starter] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.startedBy));
  if (!starter) throw new PatientSessionRefused('invalid', row);
  const ctx = await tabletCtx(tx, deps.ctx, row.programId);
  const result = await signIn({ tx, ctx: deps.ctx }, { email: starter.email, password: input.password });
  await writeAudit(tx, tabletAudit(ctx), {
    action: 'return-to-console',
    entity: 'patient-session',
    entityId: row.id,
    patientId: row.patientId,
    outcome: result.ok ? 'success' : 'failure',
    detail: { startedBy: row.startedBy },
  });
  if (!result.ok) {
    if (result.error.code !== 'invalid_credentials') return result;
    return {
      ok: false,
      error: new AppError({
        code: 'invalid_credentials',
        status: 401,
        message: 'The password is not correct. Only the staff member who started this form can unlock it.',
        problems: [{ field: 'body.password', message: 'is not correct' }],
      }),
    };
  }
  if (statusOf(row, deps.ctx.now) === 'open') {
    await tx
      .update(patientSessions)
      .set({ cancelledAt: deps.ctx.now })
      .where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, row.id), isNull(patientSessions.usedAt)));
  }
  return { ok: true, sessionToken: result.token, stage: result.stage, mustChangePassword: result.mustChangePassword };
}

function refuseUnlessOpen(row: Row | null, now: Date): asserts row is Row {
  if (!row) throw new PatientSessionRefused('invalid', null);
  const s = statusOf(row, now);
  if (s === 'submitted') throw new PatientSessionRefused('used', row);
  if (s === 'cancelled') throw new PatientSessionRefused('cancelled', row);
  if (s === 'expired') throw new PatientSessionRefused('expired', row);
}

/** The form the tablet shows. Nothing about the patient is returned. */
export async function tabletSession(
  deps: { tx: Tx; ctx: Ctx },
  token: string | null,
): Promise<{
  instrument: InstrumentId;
  title: string;
  targetBehavior: string | null;
  expiresAt: string;
  questionnaire: Questionnaire;
}> {
  const { tx } = deps;
  const { row } = await lookup(tx, token);
  refuseUnlessOpen(row, deps.ctx.now);
  const ctx = await tabletCtx(tx, deps.ctx, row.programId);
  await writeAudit(tx, tabletAudit(ctx), { action: 'read', entity: 'patient-session', entityId: row.id, patientId: row.patientId, detail: { startedBy: row.startedBy } });
  const instrument = row.instrument as InstrumentId;
  return { instrument, title: INSTRUMENTS[instrument].title, targetBehavior: row.targetBehavior, expiresAt: row.expiresAt.toISOString(), questionnaire: questionnaireOf(instrument) };
}

/** Submits the answers once. The session is claimed atomically, so a second submission (even concurrent) is refused. */
export async function tabletSubmit(
  deps: { tx: Tx; ctx: Ctx },
  token: string | null,
  input: { answers: Record<string, number | null>; targetBehavior?: string | undefined },
): Promise<{ received: true; complete: boolean; missing: string[] }> {
  const { tx } = deps;
  const { row } = await lookup(tx, token);
  refuseUnlessOpen(row, deps.ctx.now);
  const [claimed] = await tx
    .update(patientSessions)
    .set({ usedAt: deps.ctx.now })
    .where(
      and(
        eq(patientSessions.programId, row.programId),
        eq(patientSessions.id, row.id),
        isNull(patientSessions.usedAt),
        isNull(patientSessions.cancelledAt),
        gt(patientSessions.expiresAt, deps.ctx.now),
      ),
    )
    .returning();
  if (!claimed) throw new PatientSessionRefused('used', row);
  const ctx = await tabletCtx(tx, deps.ctx, row.programId);
  const instrument = row.instrument as InstrumentId;
  const targetBehavior = input.targetBehavior ?? row.targetBehavior ?? undefined;
  const result = await administer(
    { tx, ctx: { ...ctx, principal: null } },
    row.patientId,
    { instrument, answers: input.answers, ...(targetBehavior ? { targetBehavior } : {}) },
    { mode: 'patient-tablet', administeredBy: row.startedBy, patientSessionId: row.id },
  );
  await tx
    .update(patientSessions)
    .set({ assessmentId: result.id })
    .where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, row.id)));
  await writeAudit(tx, tabletAudit(ctx), { action: 'submit', entity: 'patient-session', entityId: row.id, patientId: row.patientId, detail: { assessmentId: result.id } });
  return { received: true, complete: result.complete, missing: result.missing };
}

/** Audits a refused tablet request (its own transaction: the request's was rolled back). */
export async function auditRefusal(deps: { tx: Tx; ctx: Ctx }, err: PatientSessionRefused): Promise<void> {
  const { tx } = deps;
  if (!err.session) {
    await writeAudit(tx, auditContext(deps.ctx, { actorRole: 'patient-tablet' }), {
      action: 'patient-session-refused',
      entity: 'patient-session',
      outcome: 'denied',
      detail: { reason: err.reason, step: err.step },
    });
    return;
  }
  const ctx = await tabletCtx(tx, deps.ctx, err.session.programId);
  await writeAudit(tx, tabletAudit(ctx), {
    action: 'patient-session-refused',
    entity: 'patient-session',
    entityId: err.session.id,
    patientId: err.session.patientId,
    outcome: 'denied',
    detail: { reason: err.reason, step: err.step },
  });
}
