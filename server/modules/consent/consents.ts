// A patient's 42 CFR Part 2 consents (issue 16, docs/consent.md, ADR 052): written from a
// template by staff, signed on paper (the scan kept), on the clinic's tablet or in the app,
// revoked (at once, for every later disclosure: nothing caches a consent), ended when its
// event or condition is met, and replaced by a new version that supersedes it when signed.
// The rules (what a consent must say, when it is in effect) are core/consent's; here is I/O.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { statusAt, termsProblems, type ConsentState, type ConsentTerms, type Recipient, type SignatureMethod } from '../../../core/consent/consent.ts';
import { consentText, templateOf } from '../../../core/consent/templates.ts';
import { PATIENT_NOTICE, PATIENT_NOTICE_VERSION } from '../../../core/consent/notices.ts';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import type { ConsentCreate, ConsentRevoke, ConsentSign, ConsentView, ConsentEnd, NoticeRecord, NoticeStatus } from '../../../contracts/consent.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { programTimeZone } from '../cm/settle.ts';
import { episodes, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { consents, familyMembers, patientNotices } from './consent.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
/** A consent's columns but its paper scan: reads and decisions never carry the bytes (consentScan reads them alone). */
const { scan: _scan, ...columns } = getTableColumns(consents);
export const consentColumns = columns;
export type ConsentRow = Omit<typeof consents.$inferSelect, 'scan'>;
type View = z.infer<typeof ConsentView>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function termsOf(row: ConsentRow, familyName: string | null): ConsentTerms {
  const recipient: Recipient =
    row.recipientKind === 'family-member'
      ? { kind: 'family-member', familyMemberId: row.familyMemberId!, name: familyName ?? '' }
      : row.recipientKind === 'tpo-designation'
        ? { kind: 'tpo-designation' }
        : { kind: row.recipientKind, name: row.recipientName ?? '' };
  const expiry: ConsentTerms['expiry'] =
    row.expiryKind === 'date' ? { kind: 'date', on: row.expiresOn! } : row.expiryKind === 'condition' ? { kind: 'condition', text: row.expiryCondition! } : { kind: row.expiryKind };
  return { discloser: row.discloser, recipient, purposes: row.purposes, dataClasses: row.dataClasses, dataDescription: row.dataDescription, expiry, language: row.language };
}

/** What the status of a patient's consents depends on besides the rows: the programme's zone and the end of treatment. */
export type ExpiryFacts = { timeZone: string; treatmentEndedOn: string | null };

export async function expiryFacts(tx: Tx, programId: string, patientId: string): Promise<ExpiryFacts> {
  // the programme's zone and the patient's episodes in one read (a row with no episode when there are none)
  const rows = await tx
    .select({ timeZone: programs.timeZone, episodeId: episodes.id, dischargedOn: episodes.dischargedOn })
    .from(programs)
    .leftJoin(episodes, and(eq(episodes.programId, programs.id), eq(episodes.patientId, sql.placeholder('patientId'))))
    .where(eq(programs.id, sql.placeholder('programId')))
    // read before every disclosure: parsed and planned once per connection (ADR 018)
    .prepare('waypoint_consent_expiry_facts')
    .execute({ programId, patientId });
  return expiryFactsOf(
    rows[0]?.timeZone ?? 'UTC',
    rows.filter((r) => r.episodeId !== null).map((r) => r.dischargedOn),
  );
}

/** The facts from the programme's zone and the discharge date of each of the patient's episodes (null: not discharged): treatment has ended when there are episodes and every one is discharged, on the last discharge. */
export function expiryFactsOf(timeZone: string, discharges: readonly (string | null)[]): ExpiryFacts {
  const ended = discharges.length > 0 && discharges.every((d) => d !== null) ? [...(discharges as string[])].sort().at(-1)! : null;
  return { timeZone, treatmentEndedOn: ended };
}

/** The instant a consent stops by its expiry: the end of its date, or of the day treatment ended (in the programme's zone); null when neither applies. */
export function expiresAt(row: Pick<ConsentRow, 'expiryKind' | 'expiresOn'>, facts: ExpiryFacts): Date | null {
  const day = row.expiryKind === 'date' ? row.expiresOn : row.expiryKind === 'end-of-treatment' ? facts.treatmentEndedOn : null;
  return day ? zonedInstant(addDays(day, 1), '00:00', facts.timeZone) : null;
}

export function stateOf(row: ConsentRow, familyName: string | null): ConsentState {
  return { ...termsOf(row, familyName), signedAt: row.signedAt, revokedAt: row.revokedAt, supersededAt: row.supersededAt, endedAt: row.endedAt };
}

/** A patient's consents with the family member each names (newest first); `active` keeps only those in effect at `now`. */
export async function consentsOf(tx: Tx, programId: string, patientId: string) {
  return tx
    .select({ consent: consentColumns, familyName: familyMembers.displayName })
    .from(consents)
    .leftJoin(familyMembers, and(eq(familyMembers.programId, consents.programId), eq(familyMembers.id, consents.familyMemberId)))
    .where(and(eq(consents.programId, programId), eq(consents.patientId, patientId)))
    .orderBy(desc(consents.createdAt));
}

async function patientName(tx: Tx, programId: string, patientId: string): Promise<string> {
  const [p] = await tx
    .select({ given: patients.legalGivenName, family: patients.legalFamilyName })
    .from(patients)
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)));
  if (!p) throw notFound('Patient');
  return `${p.given} ${p.family}`;
}

function viewOf(row: ConsentRow, familyName: string | null, name: string, facts: ExpiryFacts, now: Date): View {
  const terms = termsOf(row, familyName);
  const until = expiresAt(row, facts);
  const template = templateOf(row.template);
  return {
    id: row.id,
    patientId: row.patientId,
    status: statusAt(stateOf(row, familyName), now, until),
    template: row.template,
    templateVersion: row.templateVersion,
    title: template?.title[row.language] ?? row.template,
    language: row.language,
    discloser: terms.discloser,
    recipient: terms.recipient,
    purposes: terms.purposes,
    dataClasses: terms.dataClasses,
    dataDescription: terms.dataDescription,
    expiry: terms.expiry,
    expiresAt: iso(until),
    createdAt: row.createdAt.toISOString(),
    signedAt: iso(row.signedAt),
    signatureMethod: row.signatureMethod,
    signerName: row.signerName,
    signerRole: row.signerRole,
    hasScan: row.scanType !== null,
    revokedAt: iso(row.revokedAt),
    revocationNote: row.revocationNote,
    endedAt: iso(row.endedAt),
    supersedesId: row.supersedesId,
    supersededAt: iso(row.supersededAt),
    text: consentText({
      ...terms,
      template: row.template,
      patientName: name,
      signedOn: row.signedAt ? localDate(row.signedAt, facts.timeZone) : null,
      signerName: row.signerName,
      signerRole: row.signerRole,
    }),
  };
}

export async function listConsents(deps: Deps, patientId: string): Promise<{ items: View[]; bounded: true }> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const name = await patientName(tx, programId, patientId);
  const [rows, facts] = await Promise.all([consentsOf(tx, programId, patientId), expiryFacts(tx, programId, patientId)]);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'consent', patientId, detail: { count: rows.length } });
  return { items: rows.map((r) => viewOf(r.consent, r.familyName, name, facts, ctx.now)), bounded: true };
}

async function oneConsent(tx: Tx, programId: string, patientId: string, id: string, lock = false) {
  const q = tx
    .select({ consent: consentColumns, familyName: familyMembers.displayName })
    .from(consents)
    .leftJoin(familyMembers, and(eq(familyMembers.programId, consents.programId), eq(familyMembers.id, consents.familyMemberId)))
    .where(and(eq(consents.programId, programId), eq(consents.patientId, patientId), eq(consents.id, id)));
  // 'no key update': a disclosure's foreign key to its consent holds a key-share lock on it,
  // which a plain FOR UPDATE would wait for behind every read in flight (starving a revocation)
  const [row] = lock ? await q.for('no key update', { of: consents }) : await q;
  if (!row) throw notFound('Consent');
  return row;
}

async function view(tx: Tx, ctx: Ctx, patientId: string, id: string): Promise<View> {
  const programId = programOf(ctx);
  const row = await oneConsent(tx, programId, patientId, id);
  return viewOf(row.consent, row.familyName, await patientName(tx, programId, patientId), await expiryFacts(tx, programId, patientId), ctx.now);
}

export async function getConsent(deps: Deps, patientId: string, id: string): Promise<View> {
  const out = await view(deps.tx, deps.ctx, patientId, id);
  await writeAudit(deps.tx, auditContext(deps.ctx), { action: 'read', entity: 'consent', entityId: id, patientId });
  return out;
}

export async function consentScan(deps: Deps, patientId: string, id: string): Promise<{ contentType: string; bytes: Buffer }> {
  const programId = programOf(deps.ctx);
  const [consent] = await deps.tx
    .select({ scan: consents.scan, scanType: consents.scanType })
    .from(consents)
    .where(and(eq(consents.programId, programId), eq(consents.patientId, patientId), eq(consents.id, id)));
  if (!consent) throw notFound('Consent');
  if (!consent.scan || !consent.scanType) throw notFound('Scan');
  await writeAudit(deps.tx, auditContext(deps.ctx), { action: 'read', entity: 'consent', entityId: id, patientId, detail: { scan: true } });
  return { contentType: consent.scanType, bytes: consent.scan };
}

const staffId = (ctx: Ctx) => ctx.principal?.userId ?? null;

/** Writes a consent from a template and the terms chosen; signed at once when the paper scan comes with it. */
export async function createConsent(deps: Deps, patientId: string, input: z.infer<typeof ConsentCreate>): Promise<View> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await patientName(tx, programId, patientId);
  const template = templateOf(input.template);
  if (!template) throw new AppError({ code: 'invalid_input', status: 400, message: 'Unknown consent template.', problems: [{ field: 'body.template', message: 'is not a consent template' }] });
  if (!template.recipientKinds.includes(input.recipient.kind))
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'This template is for another kind of recipient.',
      problems: [{ field: 'body.recipient.kind', message: `must be one of ${template.recipientKinds.join(', ')}` }],
    });
  let familyName: string | null = null;
  if (input.recipient.kind === 'family-member') {
    const [fm] = await tx
      .select({ name: familyMembers.displayName })
      .from(familyMembers)
      .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, input.recipient.familyMemberId)));
    if (!fm) throw new AppError({ code: 'not_found', status: 404, message: 'Family member not found.', problems: [{ field: 'body.recipient.familyMemberId', message: 'not found' }] });
    familyName = fm.name;
  }
  const [program] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, programId));
  const recipient: Recipient =
    input.recipient.kind === 'family-member' ? { ...input.recipient, name: familyName ?? '' } : input.recipient.kind === 'tpo-designation' ? input.recipient : input.recipient;
  const terms: ConsentTerms = {
    discloser: program?.name ?? '',
    recipient,
    purposes: input.purposes,
    dataClasses: input.dataClasses,
    dataDescription: input.dataDescription,
    expiry: input.expiry,
    language: input.language,
  };
  const timeZone = await programTimeZone(tx, programId);
  const problems = termsProblems(terms, localDate(ctx.now, timeZone));
  if (problems.length > 0)
    throw new AppError({
      code: 'invalid_consent',
      status: 400,
      message: 'The consent is missing something the law requires.',
      problems: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
    });
  if (input.supersedesId) {
    const old = await oneConsent(tx, programId, patientId, input.supersedesId).catch(() => null);
    if (!old) throw new AppError({ code: 'not_found', status: 404, message: 'The consent to replace was not found.', problems: [{ field: 'body.supersedesId', message: 'not found' }] });
    if (old.consent.revokedAt || old.consent.supersededAt) throw conflict('consent_closed', 'That consent was already revoked or replaced.', 'body.supersedesId');
  }
  if (input.paper && input.paper.signedOn > localDate(ctx.now, timeZone))
    throw new AppError({ code: 'invalid_input', status: 400, message: 'The signature date is in the future.', problems: [{ field: 'body.paper.signedOn', message: 'must not be in the future' }] });
  const id = randomUUID();
  const paper = input.paper;
  const signedAt = paper ? (paper.signedOn === localDate(ctx.now, timeZone) ? ctx.now : zonedInstant(paper.signedOn, '12:00', timeZone)) : null;
  await tx.insert(consents).values({
    programId,
    id,
    patientId,
    template: template.key,
    templateVersion: template.version,
    language: input.language,
    discloser: terms.discloser,
    recipientKind: recipient.kind,
    recipientName: recipient.kind === 'organization' || recipient.kind === 'individual' ? recipient.name : null,
    familyMemberId: recipient.kind === 'family-member' ? recipient.familyMemberId : null,
    purposes: terms.purposes,
    dataClasses: terms.dataClasses,
    dataDescription: terms.dataDescription,
    expiryKind: terms.expiry.kind,
    expiresOn: terms.expiry.kind === 'date' ? terms.expiry.on : null,
    expiryCondition: terms.expiry.kind === 'condition' ? terms.expiry.text : null,
    createdBy: staffId(ctx),
    createdAt: ctx.now,
    supersedesId: input.supersedesId ?? null,
    ...(paper
      ? { signedAt, signatureMethod: 'paper' as const, signerName: paper.signerName, signerRole: paper.signerRole, scan: Buffer.from(paper.scan.base64, 'base64'), scanType: paper.scan.contentType }
      : {}),
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'consent', entityId: id, patientId, detail: { template: template.key, signed: !!paper } });
  if (paper && input.supersedesId) await supersede(tx, programId, input.supersedesId, ctx.now);
  return view(tx, ctx, patientId, id);
}

async function supersede(tx: Tx, programId: string, id: string, at: Date) {
  await tx
    .update(consents)
    .set({ supersededAt: at })
    .where(and(eq(consents.programId, programId), eq(consents.id, id), isNull(consents.supersededAt)));
}

/** The patient signs a consent written for them: on the clinic's tablet or in their app. */
export async function signConsent(deps: Deps, patientId: string, id: string, input: z.infer<typeof ConsentSign>, method: Exclude<SignatureMethod, 'paper'>): Promise<View> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { consent } = await oneConsent(tx, programId, patientId, id, true);
  if (consent.signedAt) throw conflict('consent_signed', 'This consent is already signed.');
  if (consent.revokedAt || consent.supersededAt) throw conflict('consent_closed', 'This consent was withdrawn before it was signed.');
  await tx
    .update(consents)
    .set({ signedAt: ctx.now, signatureMethod: method, signerName: input.signerName, signerRole: input.signerRole })
    .where(and(eq(consents.programId, programId), eq(consents.id, id)));
  if (consent.supersedesId) await supersede(tx, programId, consent.supersedesId, ctx.now);
  await writeAudit(tx, auditContext(ctx), { action: 'sign', entity: 'consent', entityId: id, patientId, detail: { method } });
  return view(tx, ctx, patientId, id);
}

/**
 * Revokes a consent, effective at once: every disclosure reads the consents afresh in its own
 * transaction, so none that starts after this commits can use it (tested on PostgreSQL with 32
 * readers). The consent stays on record.
 */
export async function revokeConsent(deps: Deps, patientId: string, id: string, input: z.infer<typeof ConsentRevoke>, via: 'staff' | 'app'): Promise<View> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { consent } = await oneConsent(tx, programId, patientId, id, true);
  if (consent.revokedAt) throw conflict('consent_revoked', 'This consent was already revoked.');
  await tx
    .update(consents)
    .set({ revokedAt: ctx.now, revokedVia: via, revokedBy: staffId(ctx), revocationNote: input.note ?? null })
    .where(and(eq(consents.programId, programId), eq(consents.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'consent', entityId: id, patientId, detail: { via } });
  return view(tx, ctx, patientId, id);
}

/** Staff record that the consent's expiry event or condition was met: it ends now. */
export async function endConsent(deps: Deps, patientId: string, id: string, input: z.infer<typeof ConsentEnd>): Promise<View> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const { consent } = await oneConsent(tx, programId, patientId, id, true);
  if (consent.endedAt || consent.revokedAt) throw conflict('consent_closed', 'This consent has already ended.');
  await tx
    .update(consents)
    .set({ endedAt: ctx.now, revocationNote: input.note })
    .where(and(eq(consents.programId, programId), eq(consents.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'consent', entityId: id, patientId, detail: { ended: true } });
  return view(tx, ctx, patientId, id);
}

export async function noticeStatus(deps: Deps, patientId: string): Promise<z.infer<typeof NoticeStatus>> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await patientName(tx, programId, patientId);
  const [row] = await tx
    .select()
    .from(patientNotices)
    .where(and(eq(patientNotices.programId, programId), eq(patientNotices.patientId, patientId), eq(patientNotices.version, PATIENT_NOTICE_VERSION)));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'patient-notice', patientId });
  return {
    version: PATIENT_NOTICE_VERSION,
    acknowledged: row ? { at: row.acknowledgedAt.toISOString(), method: row.method, language: row.language } : null,
    text: { en: { title: PATIENT_NOTICE.en.title, paragraphs: [...PATIENT_NOTICE.en.paragraphs] }, es: { title: PATIENT_NOTICE.es.title, paragraphs: [...PATIENT_NOTICE.es.paragraphs] } },
  };
}

/** Records that the patient was given the notice (§2.22) and acknowledged it; once per version. */
export async function recordNotice(deps: Deps, patientId: string, input: z.infer<typeof NoticeRecord>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await patientName(tx, programId, patientId);
  const inserted = await tx
    .insert(patientNotices)
    .values({ programId, patientId, version: PATIENT_NOTICE_VERSION, language: input.language, method: input.method, acknowledgedAt: ctx.now, recordedBy: staffId(ctx) })
    .onConflictDoNothing()
    .returning({ v: patientNotices.version });
  if (inserted.length > 0) await writeAudit(tx, auditContext(ctx), { action: 'acknowledge', entity: 'patient-notice', patientId, detail: { version: PATIENT_NOTICE_VERSION, method: input.method } });
  return noticeStatus(deps, patientId);
}

/** The consent's words (for attaching to a disclosure), without an audit row of its own. */
export async function getConsentText(tx: Tx, ctx: Ctx, patientId: string, id: string) {
  return (await view(tx, ctx, patientId, id)).text;
}
