// Patient-tablet mode. A staff member starts a session for one patient and one instrument;
// the tablet gets a short-lived (30 min), single-use bearer token that can read that
// instrument's form and submit one set of answers — nothing else. Only the token's
// SHA-256 is stored; the token names its programme so the lookup stays on one shard.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { INSTRUMENTS, type InstrumentId } from '../../../core/instruments/index.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { sha256 } from '../../platform/security.ts';
import { programs } from '../programs/programs.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { administer } from './assessments.ts';
import { patientSessions } from './assessments.tables.ts';
import { questionnaireOf, type Questionnaire } from './questionnaires.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof patientSessions.$inferSelect;

export const PATIENT_SESSION_MINUTES = 30;
const TOKEN = /^wpt\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

const statusOf = (r: Row, now: Date): 'open' | 'submitted' | 'expired' | 'cancelled' =>
  r.usedAt ? 'submitted' : r.cancelledAt ? 'cancelled' : r.expiresAt <= now ? 'expired' : 'open';
const statusDto = (r: Row, now: Date) => ({
  id: r.id, instrument: r.instrument as InstrumentId, status: statusOf(r, now), expiresAt: r.expiresAt.toISOString(), assessmentId: r.assessmentId,
});

export async function startPatientSession(deps: Deps, patientId: string, input: { instrument: InstrumentId; targetBehavior?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const token = `wpt.${programId}.${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(ctx.now.getTime() + PATIENT_SESSION_MINUTES * 60_000);
  await tx.insert(patientSessions).values({
    programId, id, patientId, instrument: input.instrument, targetBehavior: input.targetBehavior ?? null, tokenHash: sha256(token),
    startedBy: ctx.principal!.userId, createdAt: ctx.now, expiresAt,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'patient-session', entityId: id, patientId, detail: { instrument: input.instrument } });
  return { id, patientId, instrument: input.instrument, token, expiresAt: expiresAt.toISOString() };
}

async function sessionRow(tx: Tx, ctx: Ctx, patientId: string, id: string): Promise<Row> {
  const [row] = await tx.select().from(patientSessions)
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
  const [updated] = await tx.update(patientSessions).set({ cancelledAt: ctx.now })
    .where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, id), isNull(patientSessions.usedAt))).returning();
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
  ) {
    const messages = {
      invalid: 'This tablet link is not valid. Please hand the tablet back to staff.',
      expired: 'This form has timed out. Please hand the tablet back to staff.',
      used: 'This form has already been sent. Thank you — please hand the tablet back to staff.',
      cancelled: 'This form was closed by staff. Please hand the tablet back to staff.',
    };
    super({ code: `patient_session_${reason}`, status: reason === 'used' ? 409 : 401, message: messages[reason] });
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
  const [row] = await tx.select().from(patientSessions).where(and(eq(patientSessions.programId, programId), eq(patientSessions.tokenHash, sha256(token))));
  return { row: row ?? null, programId };
}

function refuseUnlessOpen(row: Row | null, now: Date): asserts row is Row {
  if (!row) throw new PatientSessionRefused('invalid', null);
  const s = statusOf(row, now);
  if (s === 'submitted') throw new PatientSessionRefused('used', row);
  if (s === 'cancelled') throw new PatientSessionRefused('cancelled', row);
  if (s === 'expired') throw new PatientSessionRefused('expired', row);
}

/** The form the tablet shows. Nothing about the patient is returned. */
export async function tabletSession(deps: { tx: Tx; ctx: Ctx }, token: string | null): Promise<{
  instrument: InstrumentId; title: string; targetBehavior: string | null; expiresAt: string; questionnaire: Questionnaire;
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
  const [claimed] = await tx.update(patientSessions).set({ usedAt: deps.ctx.now })
    .where(and(
      eq(patientSessions.programId, row.programId), eq(patientSessions.id, row.id), isNull(patientSessions.usedAt),
      isNull(patientSessions.cancelledAt), gt(patientSessions.expiresAt, deps.ctx.now),
    )).returning();
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
  await tx.update(patientSessions).set({ assessmentId: result.id }).where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, row.id)));
  await writeAudit(tx, tabletAudit(ctx), { action: 'submit', entity: 'patient-session', entityId: row.id, patientId: row.patientId, detail: { assessmentId: result.id } });
  return { received: true, complete: result.complete, missing: result.missing };
}

/** Audits a refused tablet request (its own transaction: the request's was rolled back). */
export async function auditRefusal(deps: { tx: Tx; ctx: Ctx }, err: PatientSessionRefused): Promise<void> {
  const { tx } = deps;
  if (!err.session) {
    await writeAudit(tx, auditContext(deps.ctx, { actorRole: 'patient-tablet' }), { action: 'patient-session-refused', entity: 'patient-session', outcome: 'denied', detail: { reason: err.reason } });
    return;
  }
  const ctx = await tabletCtx(tx, deps.ctx, err.session.programId);
  await writeAudit(tx, tabletAudit(ctx), {
    action: 'patient-session-refused', entity: 'patient-session', entityId: err.session.id, patientId: err.session.patientId, outcome: 'denied', detail: { reason: err.reason },
  });
}
