// Patient-tablet mode (ADR 009, ADR 027). A staff member starts a session for one patient
// and one form — an instrument, or a consent awaiting the patient's signature (issue 16) — and
// gets a single-use hand-off code (10 min) for a link / QR code. The tablet — a browser without
// the staff session — exchanges it once for a short-lived (30 min) bearer token that can read
// that form and submit it once (one set of answers, or one signature with the patient notice
// acknowledged), nothing else. Only SHA-256 hashes are stored; code and token name their programme so the lookup
// stays on one shard. Returning to the console from the tablet needs the password of the
// staff member who started the session (the sign-in rule: lock-out, audit).
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { randomBytes, randomUUID } from 'node:crypto';
import { formExpiresAt, handoffExpiresAt, handoffRefusal, HANDOFF_MINUTES } from '../../../core/access/tablet-handoff.ts';
import { INSTRUMENTS, type InstrumentId } from '../../../core/instruments/index.ts';
import type { Role } from '../../../core/access/roles.ts';
import { statusAt } from '../../../core/consent/consent.ts';
import { PATIENT_NOTICE, PATIENT_NOTICE_VERSION } from '../../../core/consent/notices.ts';
import { templateOf } from '../../../core/consent/templates.ts';
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
import { consents, patientNotices } from '../consent/consent.tables.ts';
import { consentColumns, getConsentText, recordNotice, signConsent, stateOf, type ConsentRow } from '../consent/consents.ts';
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
  instrument: r.instrument as InstrumentId | null,
  consentId: r.consentId,
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

// --- a consent to sign on the tablet (issue 16) ----------------------------------------

/** The consent, this patient's, in this programme (404), still awaiting the patient's signature (409). */
async function consentAwaitingSignature(tx: Tx, programId: string, patientId: string, consentId: string, now: Date): Promise<ConsentRow> {
  const [row] = await tx
    .select(consentColumns)
    .from(consents)
    .where(and(eq(consents.programId, programId), eq(consents.patientId, patientId), eq(consents.id, consentId)));
  if (!row) throw notFound('Consent');
  const status = statusAt(stateOf(row, null), now, null);
  if (status === 'awaiting-signature' && !row.endedAt) return row;
  if (row.signedAt) throw conflict('consent_signed', 'This consent is already signed.');
  throw conflict('consent_closed', 'This consent was withdrawn or replaced before it was signed.');
}

const consentSessionsOf = (tx: Tx, programId: string, patientId: string, consentId: string) =>
  tx
    .select()
    .from(patientSessions)
    .where(and(eq(patientSessions.programId, programId), eq(patientSessions.patientId, patientId), eq(patientSessions.consentId, consentId)))
    .orderBy(desc(patientSessions.createdAt));

/** Closes the consent's open tablet sessions (a new link replaces an earlier one: one consent, one tablet). */
async function cancelOpenConsentSessions(tx: Tx, ctx: Ctx, patientId: string, consentId: string): Promise<Row[]> {
  const programId = programOf(ctx);
  const open = (await consentSessionsOf(tx, programId, patientId, consentId)).filter((r) => statusOf(r, ctx.now) === 'open');
  const cancelled: Row[] = [];
  for (const r of open) {
    const [updated] = await tx
      .update(patientSessions)
      .set({ cancelledAt: ctx.now })
      .where(and(eq(patientSessions.programId, programId), eq(patientSessions.id, r.id), isNull(patientSessions.usedAt), isNull(patientSessions.cancelledAt)))
      .returning();
    if (!updated) continue;
    await writeAudit(tx, auditContext(ctx), { action: 'cancel', entity: 'patient-session', entityId: r.id, patientId });
    cancelled.push(updated);
  }
  return cancelled;
}

/**
 * Starts a tablet session for a consent awaiting the patient's signature: the same hand-off
 * (link / QR code) as for an instrument. An earlier open session for the consent is closed.
 */
export async function startConsentTabletSession(deps: Deps, patientId: string, consentId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  await consentAwaitingSignature(tx, programId, patientId, consentId, ctx.now);
  await cancelOpenConsentSessions(tx, ctx, patientId, consentId);
  const handoffCode = `wph.${programId}.${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const handoffBy = handoffExpiresAt(ctx.now);
  await tx.insert(patientSessions).values({
    programId,
    id,
    patientId,
    instrument: null,
    consentId,
    targetBehavior: null,
    tokenHash: null,
    handoffHash: sha256(handoffCode),
    handoffExpiresAt: handoffBy,
    startedBy: ctx.principal!.userId,
    createdAt: ctx.now,
    expiresAt: handoffBy,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'patient-session', entityId: id, patientId, detail: { consentId } });
  return { id, patientId, consentId, handoffCode, handoffPath: `/tablet#${handoffCode}`, expiresAt: handoffBy.toISOString() };
}

/** The patient's consent in this programme, or 404 (another programme's answers the same). */
async function assertConsent(tx: Tx, ctx: Ctx, patientId: string, consentId: string) {
  await assertPatient(tx, ctx, patientId);
  const [consent] = await tx
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.programId, programOf(ctx)), eq(consents.patientId, patientId), eq(consents.id, consentId)));
  if (!consent) throw notFound('Consent');
}

/** The consent's latest tablet session (an open one first), or null when it never had one. */
export async function consentTabletStatus(deps: Deps, patientId: string, consentId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertConsent(tx, ctx, patientId, consentId);
  const rows = await consentSessionsOf(tx, programId, patientId, consentId);
  const latest = rows.find((r) => statusOf(r, ctx.now) === 'open') ?? rows[0] ?? null;
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'patient-session', ...(latest ? { entityId: latest.id } : {}), patientId, detail: { consentId } });
  return { session: latest ? statusDto(latest, ctx.now) : null };
}

/** Closes the consent's open tablet session (the patient left, or staff will take a paper signature). */
export async function cancelConsentTabletSession(deps: Deps, patientId: string, consentId: string) {
  const { tx, ctx } = deps;
  await assertConsent(tx, ctx, patientId, consentId);
  const [cancelled] = await cancelOpenConsentSessions(tx, ctx, patientId, consentId);
  if (!cancelled) throw conflict('patient_session_closed', 'This consent has no open tablet session.');
  return statusDto(cancelled, ctx.now);
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
/**
 * The context in which the tablet's submission runs another module's use case (signing a
 * consent, recording the notice): no staff principal, and the audit rows those write name the
 * patient tablet as the actor. The role is only a label for the audit; no permission is derived from it.
 */
const tabletActorCtx = (ctx: Ctx): Ctx => ({ ...ctx, principal: null, program: { programId: programOf(ctx), roles: ['patient-tablet' as Role], permissions: new Set() } });

/** The token is for the other kind of form (an instrument's answers sent to a consent's session, or the reverse). */
const wrongForm = (actual: 'instrument' | 'consent') =>
  conflict('patient_session_wrong_form', actual === 'instrument' ? 'This tablet form is a questionnaire, not a consent to sign.' : 'This tablet form is a consent to sign, not a questionnaire.');

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
export async function tabletSession(deps: { tx: Tx; ctx: Ctx }, token: string | null): Promise<TabletForm> {
  const { tx } = deps;
  const { row } = await lookup(tx, token);
  refuseUnlessOpen(row, deps.ctx.now);
  const ctx = await tabletCtx(tx, deps.ctx, row.programId);
  if (row.consentId) {
    const consent = await consentAwaitingSignature(tx, row.programId, row.patientId, row.consentId, ctx.now);
    const [ack] = await tx
      .select({ at: patientNotices.acknowledgedAt })
      .from(patientNotices)
      .where(and(eq(patientNotices.programId, row.programId), eq(patientNotices.patientId, row.patientId), eq(patientNotices.version, PATIENT_NOTICE_VERSION)));
    await writeAudit(tx, tabletAudit(ctx), {
      action: 'read',
      entity: 'patient-session',
      entityId: row.id,
      patientId: row.patientId,
      detail: { startedBy: row.startedBy, consentId: row.consentId },
    });
    const language = consent.language;
    const notice = PATIENT_NOTICE[language];
    return {
      kind: 'consent',
      title: templateOf(consent.template)?.title[language] ?? consent.template,
      language,
      expiresAt: row.expiresAt.toISOString(),
      text: await getConsentText(tx, ctx, row.patientId, row.consentId),
      notice: { version: PATIENT_NOTICE_VERSION, acknowledged: !!ack, title: notice.title, paragraphs: [...notice.paragraphs] },
    };
  }
  await writeAudit(tx, tabletAudit(ctx), { action: 'read', entity: 'patient-session', entityId: row.id, patientId: row.patientId, detail: { startedBy: row.startedBy } });
  const instrument = row.instrument as InstrumentId;
  return {
    kind: 'instrument',
    instrument,
    title: INSTRUMENTS[instrument].title,
    targetBehavior: row.targetBehavior,
    expiresAt: row.expiresAt.toISOString(),
    questionnaire: questionnaireOf(instrument),
  };
}

type TabletForm =
  | { kind: 'instrument'; instrument: InstrumentId; title: string; targetBehavior: string | null; expiresAt: string; questionnaire: Questionnaire }
  | {
      kind: 'consent';
      title: string;
      language: 'en' | 'es';
      expiresAt: string;
      text: Array<{ heading: string; body: string }>;
      notice: { version: string; acknowledged: boolean; title: string; paragraphs: string[] };
    };

/** Claims the session for its one submission (a conditional UPDATE: a second, even concurrent, is refused). */
async function claim(tx: Tx, row: Row, now: Date): Promise<void> {
  const [claimed] = await tx
    .update(patientSessions)
    .set({ usedAt: now })
    .where(and(eq(patientSessions.programId, row.programId), eq(patientSessions.id, row.id), isNull(patientSessions.usedAt), isNull(patientSessions.cancelledAt), gt(patientSessions.expiresAt, now)))
    .returning();
  if (!claimed) throw new PatientSessionRefused('used', row);
}

/**
 * The patient signs the consent on the tablet, once: the session is claimed, the consent
 * signed ('tablet') and, when the patient said they read it, the notice recorded as
 * acknowledged on the tablet — all in this transaction, so either all happen or none (a
 * consent withdrawn meanwhile is a 409 and leaves the token unused).
 */
export async function tabletSignConsent(
  deps: { tx: Tx; ctx: Ctx },
  token: string | null,
  input: { signerName: string; agree: true; noticeAcknowledged: boolean },
): Promise<{ signed: true; noticeAcknowledged: boolean }> {
  const { tx } = deps;
  const { row } = await lookup(tx, token);
  refuseUnlessOpen(row, deps.ctx.now);
  if (!row.consentId) throw wrongForm('instrument');
  await claim(tx, row, deps.ctx.now);
  const ctx = await tabletCtx(tx, deps.ctx, row.programId);
  const actor = tabletActorCtx(ctx);
  const signed = await signConsent({ tx, ctx: actor }, row.patientId, row.consentId, { signerName: input.signerName, signerRole: 'patient', agree: true }, 'tablet');
  if (input.noticeAcknowledged) await recordNotice({ tx, ctx: actor }, row.patientId, { language: signed.language, method: 'tablet' });
  await writeAudit(tx, tabletAudit(ctx), {
    action: 'submit',
    entity: 'patient-session',
    entityId: row.id,
    patientId: row.patientId,
    detail: { consentId: row.consentId, noticeAcknowledged: input.noticeAcknowledged },
  });
  return { signed: true, noticeAcknowledged: input.noticeAcknowledged };
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
  if (!row.instrument) throw wrongForm('consent');
  await claim(tx, row, deps.ctx.now);
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
