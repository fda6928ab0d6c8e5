// Disclosures (issue 16, docs/consent.md, ADR 052). Every way information leaves the programme
// (core/consent DISCLOSURE_CHANNELS) calls `disclose` in its own transaction: it reads the
// patient's consents in effect — a fresh statement, so a revocation that committed before it
// started is seen (READ COMMITTED) — asks core's `decide` whether one covers this recipient,
// purpose and data, or records the exception that applies, and writes the disclosure row the
// accounting reads. A refusal writes nothing but its audit row. Nothing caches a consent, and
// nothing locks one: share locks taken by a stream of reads would starve the revocation's
// update (PostgreSQL lets new sharers past a waiting writer), and a revocation must never wait.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { ACCOUNTING_YEARS, decide, statusAt, type DataClass, type DisclosureChannel, type Exception, type Purpose, type Recipient, type Refusal } from '../../../core/consent/consent.ts';
import { DATA_CLASS_LABELS, PURPOSE_LABELS, recipientLabel } from '../../../core/consent/templates.ts';
import { REDISCLOSURE_NOTICE } from '../../../core/consent/notices.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { Accounting, Disclosure, DisclosureCreate } from '../../../contracts/consent.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { programTimeZone } from '../cm/settle.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { consents, disclosures, familyMembers } from './consent.tables.ts';
import { consentColumns, expiresAt, expiryFactsOf, getConsentText, stateOf, termsOf, type ConsentRow } from './consents.ts';
import { recordSections } from './record-summary.ts';

export type DisclosureAsk = {
  programId: string;
  patientId: string;
  channel: DisclosureChannel;
  recipient: Recipient;
  dataClasses: readonly DataClass[];
  actorKind: 'staff' | 'family-member' | 'api-client';
} & ({ purpose: Purpose; exception?: undefined } | { exception: Exception; reason: string; purpose?: Purpose });

const REFUSAL_WORDS: Record<Refusal, string> = {
  'no-consent': 'The patient has no consent in effect that allows this.',
  recipient: 'No consent in effect names this recipient.',
  purpose: 'No consent in effect allows this purpose.',
  data: 'No consent in effect covers all of this information.',
};

/** A consent as the check reads it, with what its expiry depends on: the programme's zone and the patient's discharges. */
export type ConsentRead = { consent: ConsentRow; familyName: string | null; timeZone: string; discharges: (string | null)[] };
export type ConsentInEffect = ReturnType<typeof termsOf> & { id: string; signedAt: Date | null; row: ConsentRow };

/**
 * The patient's discharges, as a column of a read whose `table` carries program_id and patient_id
 * (written out in full: inside a select drizzle names a column without its table).
 */
export const dischargesColumn = (table: 'consents' | 'family_links') =>
  sql<
    (string | null)[]
  >`(select coalesce(json_agg(e.discharged_on), '[]'::json) from episodes e where e.program_id = ${sql.raw(`"${table}"."program_id"`)} and e.patient_id = ${sql.raw(`"${table}"."patient_id"`)})`;

/** Which of the consents read are in effect at `now` (signed, not revoked, superseded or ended, and not expired). */
export function inEffectAt(rows: readonly ConsentRead[], now: Date): ConsentInEffect[] {
  if (rows.length === 0) return [];
  const facts = expiryFactsOf(rows[0]!.timeZone, rows[0]!.discharges);
  return rows
    .filter((r) => statusAt(stateOf(r.consent, r.familyName), now, expiresAt(r.consent, facts)) === 'active')
    .map((r) => ({ ...termsOf(r.consent, r.familyName), id: r.consent.id, signedAt: r.consent.signedAt, row: r.consent }));
}

/** The conditions of a consent that may be in effect (the rest is inEffectAt's). */
export const signedAndOpen = () => and(isNotNull(consents.signedAt), isNull(consents.revokedAt), isNull(consents.supersededAt), isNull(consents.endedAt));

/** The patient's consents in effect at `now`, read afresh (never cached, never locked). */
async function consentsInEffect(tx: Tx, programId: string, patientId: string, now: Date): Promise<ConsentInEffect[]> {
  const rows = await tx
    .select({ consent: consentColumns, familyName: familyMembers.displayName, timeZone: programs.timeZone, discharges: dischargesColumn('consents') })
    .from(consents)
    .innerJoin(programs, eq(programs.id, consents.programId))
    .leftJoin(familyMembers, and(eq(familyMembers.programId, consents.programId), eq(familyMembers.id, consents.familyMemberId)))
    .where(and(eq(consents.programId, sql.placeholder('programId')), eq(consents.patientId, sql.placeholder('patientId')), signedAndOpen()))
    // read before every disclosure: parsed and planned once per connection (ADR 018)
    .prepare('waypoint_consents_in_effect')
    .execute({ programId, patientId });
  return inEffectAt(rows, now);
}

/**
 * Checks a disclosure against the patient's consents (or records the exception) and records it;
 * 403 consent_required (with the audit row) when no consent covers it.
 */
export async function disclose(tx: Tx, ctx: Ctx, ask: DisclosureAsk): Promise<{ disclosureId: string; consent: ConsentRow | null }> {
  const consents = ask.exception ? [] : await consentsInEffect(tx, ask.programId, ask.patientId, ctx.now);
  return decideAndRecord(tx, ctx, ask, consents);
}

/**
 * A family member's view: of the consents in effect, the newest naming them decides what they
 * see (`within`: the kinds of information the view can show) — read once, then decided and
 * recorded as any disclosure. Null when no consent in effect lets them see any of it.
 */
export async function discloseToFamilyMember(
  tx: Tx,
  ctx: Ctx,
  ask: { programId: string; patientId: string; familyMemberId: string; name: string; within: readonly DataClass[] },
  /** The patient's consents in effect, when the caller read them with its own read (in this transaction); else read here. */
  consentsRead?: ConsentInEffect[],
): Promise<{ disclosureId: string; dataClasses: DataClass[] } | null> {
  const consents = consentsRead ?? (await consentsInEffect(tx, ask.programId, ask.patientId, ctx.now));
  const theirs = consents
    .filter((c) => c.recipient.kind === 'family-member' && c.recipient.familyMemberId === ask.familyMemberId)
    .sort((a, b) => (b.signedAt?.getTime() ?? 0) - (a.signedAt?.getTime() ?? 0))[0];
  const dataClasses = theirs ? theirs.dataClasses.filter((d) => ask.within.includes(d)) : [];
  if (!theirs || dataClasses.length === 0) return null;
  const recipient: Recipient = { kind: 'family-member', familyMemberId: ask.familyMemberId, name: ask.name };
  const base = { programId: ask.programId, patientId: ask.patientId, channel: 'family-view' as const, recipient, dataClasses, actorKind: 'family-member' as const };
  const { disclosureId } = await decideAndRecord(tx, ctx, { ...base, purpose: theirs.purposes[0]! }, consents);
  return { disclosureId, dataClasses };
}

/** Core's decision over the consents read, then the disclosure row and its audit row; or the refusal. */
async function decideAndRecord(tx: Tx, ctx: Ctx, ask: DisclosureAsk, consentsRead: ConsentInEffect[]): Promise<{ disclosureId: string; consent: ConsentRow | null }> {
  let consent: ConsentRow | null = null;
  if (!ask.exception) {
    const decision = decide(consentsRead, { recipient: ask.recipient, purpose: ask.purpose, dataClasses: ask.dataClasses });
    if (!decision.ok)
      throw new AppError({
        code: 'consent_required',
        status: 403,
        message: REFUSAL_WORDS[decision.reason],
        audit: {
          action: 'access-denied',
          entity: 'disclosure',
          patientId: ask.patientId,
          outcome: 'denied',
          detail: { channel: ask.channel, reason: decision.reason, recipientKind: ask.recipient.kind, dataClasses: [...ask.dataClasses] },
        },
      });
    consent = decision.consent.row;
  }
  const id = randomUUID();
  await tx.insert(disclosures).values({
    programId: ask.programId,
    id,
    patientId: ask.patientId,
    at: ctx.now,
    channel: ask.channel,
    recipientKind: ask.recipient.kind,
    recipientName: recipientLabel(ask.recipient, 'en'),
    familyMemberId: ask.recipient.kind === 'family-member' ? ask.recipient.familyMemberId : null,
    purpose: ask.purpose ?? null,
    dataClasses: [...ask.dataClasses],
    consentId: consent?.id ?? null,
    exception: ask.exception ?? null,
    reason: ask.exception ? ask.reason : null,
    actorId: ask.actorKind === 'staff' ? (ctx.principal?.userId ?? null) : null,
    actorKind: ask.actorKind,
  });
  await writeAudit(tx, auditContext(ctx, { programId: ask.programId }), {
    action: 'create',
    entity: 'disclosure',
    entityId: id,
    patientId: ask.patientId,
    purpose: ask.exception === 'medical-emergency' ? 'medical-emergency' : null,
    detail: { channel: ask.channel, consentId: consent?.id ?? null, exception: ask.exception ?? null, ...(ask.exception === 'medical-emergency' ? { flag: 'break-glass' } : {}) },
  });
  return { disclosureId: id, consent };
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Staff print or export records for someone outside the programme: under a consent that covers
 * them, or in a medical emergency with its reason (break-glass: flagged in the audit trail and
 * listed for the programme to review). Answers the document that leaves, with the notice
 * against redisclosure and, under a consent, the consent attached.
 */
export async function makeDisclosure(deps: { tx: Tx; ctx: Ctx }, patientId: string, input: z.infer<typeof DisclosureCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [patient] = await tx
    .select({ given: patients.legalGivenName, family: patients.legalFamilyName, birthDate: patients.birthDate, lang: patients.preferredLanguage })
    .from(patients)
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)));
  if (!patient) throw notFound('Patient');
  if (input.exception && !input.reason)
    throw new AppError({ code: 'invalid_input', status: 400, message: 'Say why this is an emergency.', problems: [{ field: 'body.reason', message: 'is required in a medical emergency' }] });
  if (!input.exception && !input.purpose)
    throw new AppError({ code: 'invalid_input', status: 400, message: 'Say why the records are shared.', problems: [{ field: 'body.purpose', message: 'is required' }] });
  // SUD counselling notes are kept apart (ADR 041): never printed or exported here, whatever the consent
  if (input.dataClasses.includes('counselling-notes'))
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'Counselling notes are never shared from here.',
      problems: [{ field: 'body.dataClasses', message: 'must not include counselling-notes' }],
    });
  let recipient: Recipient;
  if (input.recipient.kind === 'family-member') {
    const [fm] = await tx
      .select({ name: familyMembers.displayName })
      .from(familyMembers)
      .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, input.recipient.familyMemberId)));
    if (!fm) throw new AppError({ code: 'not_found', status: 404, message: 'Family member not found.', problems: [{ field: 'body.recipient.familyMemberId', message: 'not found' }] });
    recipient = { ...input.recipient, name: fm.name };
  } else recipient = input.recipient;
  const base = { programId, patientId, channel: input.channel, recipient, dataClasses: input.dataClasses, actorKind: 'staff' as const };
  const { disclosureId, consent } = input.exception
    ? await disclose(tx, ctx, { ...base, exception: input.exception, reason: input.reason!, ...(input.purpose ? { purpose: input.purpose } : {}) })
    : await disclose(tx, ctx, { ...base, purpose: input.purpose! });
  const [prog] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, programId));
  const timeZone = await programTimeZone(tx, programId);
  const sections = await recordSections(tx, { programId, patientId, dataClasses: input.dataClasses, lang: 'en', now: ctx.now });
  const consentHtml = consent ? (await getConsentText(tx, ctx, patientId, consent.id)).map((p) => `${p.heading ? `<h3>${esc(p.heading)}</h3>` : ''}<p>${esc(p.body)}</p>`).join('') : '';
  const sectionHtml = sections
    .map(
      (s) =>
        `<h2>${esc(s.heading)}</h2>${s.lines.map((l) => `<p>${esc(l)}</p>`).join('')}${
          s.table
            ? `<table><thead><tr>${s.table.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${s.table.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
            : ''
        }`,
    )
    .join('');
  const notice = REDISCLOSURE_NOTICE.en;
  const documentHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Records disclosed</title>
<style>
body{font:12pt/1.4 system-ui,sans-serif;margin:2cm;color:#000}h1{font-size:18pt;margin:0 0 .2em}h2{font-size:14pt;margin:1.2em 0 .3em;border-bottom:1px solid #999}h3{font-size:12pt;margin:.8em 0 .2em}
table{width:100%;border-collapse:collapse}th,td{border:1px solid #999;padding:4px;text-align:left;vertical-align:top}
.notice{border:2px solid #000;padding:.6em;margin:1em 0}.meta{color:#333}.consent{page-break-before:always}
</style></head><body>
<div class="notice" role="note"><strong>${esc(notice.statement)}</strong><br>${esc(notice.plain)}</div>
<h1>Records of ${esc(patient.given)} ${esc(patient.family)}</h1>
<p class="meta">Born ${esc(patient.birthDate)} · From ${esc(prog?.name)} · To ${esc(recipientLabel(recipient, 'en'))} · ${esc(localDate(ctx.now, timeZone))} · ${
    input.exception ? `Medical emergency: ${esc(input.reason)}` : `Purpose: ${esc(PURPOSE_LABELS[input.purpose!].en)}`
  }</p>
${sectionHtml}
${consent ? `<section class="consent"><h2>The patient’s consent</h2>${consentHtml}</section>` : ''}
<div class="notice" role="note"><strong>${esc(notice.statement)}</strong></div>
</body></html>`;
  return { disclosure: await disclosureView(tx, programId, disclosureId), documentHtml };
}

type DisclosureDto = z.infer<typeof Disclosure>;

function dtoOf(r: typeof disclosures.$inferSelect, by: string | null): DisclosureDto {
  return {
    id: r.id,
    at: r.at.toISOString(),
    channel: r.channel,
    recipient: { kind: r.recipientKind, name: r.recipientName },
    purpose: r.purpose,
    dataClasses: r.dataClasses,
    consentId: r.consentId,
    exception: r.exception,
    reason: r.reason,
    by: r.actorKind === 'staff' ? (by ?? 'Staff member') : r.actorKind === 'family-member' ? 'Viewed in the family app' : 'API client',
  };
}

async function disclosureView(tx: Tx, programId: string, id: string): Promise<DisclosureDto> {
  const [row] = await tx
    .select({ d: disclosures, by: users.displayName })
    .from(disclosures)
    .leftJoin(users, eq(users.id, disclosures.actorId))
    .where(and(eq(disclosures.programId, programId), eq(disclosures.id, id)));
  return dtoOf(row!.d, row!.by);
}

/** The accounting of disclosures (§2.24): every disclosure of the last 3 years, newest first. */
export async function accounting(deps: { tx: Tx; ctx: Ctx }, patientId: string, opts: { audit?: boolean } = {}): Promise<z.infer<typeof Accounting>> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [p] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)));
  if (!p) throw notFound('Patient');
  const timeZone = await programTimeZone(tx, programId);
  const to = localDate(ctx.now, timeZone);
  const from = addDays(to, -365 * ACCOUNTING_YEARS - 1);
  const since = new Date(ctx.now.getTime() - (365 * ACCOUNTING_YEARS + 1) * 86_400_000);
  const rows = await tx
    .select({ d: disclosures, by: users.displayName })
    .from(disclosures)
    .leftJoin(users, eq(users.id, disclosures.actorId))
    .where(and(eq(disclosures.programId, programId), eq(disclosures.patientId, patientId), gte(disclosures.at, since)))
    .orderBy(desc(disclosures.at));
  if (opts.audit !== false) await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'disclosure', patientId, detail: { accounting: true, count: rows.length } });
  return { from, to, items: rows.map((r) => dtoOf(r.d, r.by)), bounded: true };
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

/** The accounting as CSV (one row per disclosure; formulas neutralised). */
export function accountingCsv(a: z.infer<typeof Accounting>): string {
  const head = ['date', 'recipient', 'recipient_kind', 'channel', 'information', 'purpose', 'basis', 'reason', 'by'];
  const rows = a.items.map((d) => [
    d.at,
    d.recipient.name,
    d.recipient.kind,
    d.channel,
    d.dataClasses.map((c) => DATA_CLASS_LABELS[c].en).join('; '),
    d.purpose ? PURPOSE_LABELS[d.purpose].en : '',
    d.consentId ? `consent ${d.consentId}` : `exception: ${d.exception}`,
    d.reason ?? '',
    d.by,
  ]);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The programme's disclosures made under an exception (break-glass first), for review. */
export async function exceptionDisclosures(deps: { tx: Tx; ctx: Ctx }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const rows = await tx
    .select({ d: disclosures, by: users.displayName, given: patients.legalGivenName, family: patients.legalFamilyName, mrn: patients.mrn })
    .from(disclosures)
    .leftJoin(users, eq(users.id, disclosures.actorId))
    .innerJoin(patients, and(eq(patients.programId, disclosures.programId), eq(patients.id, disclosures.patientId)))
    .where(and(eq(disclosures.programId, programId), isNotNull(disclosures.exception)))
    .orderBy(desc(disclosures.at))
    .limit(200);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'disclosure', detail: { exceptions: true, count: rows.length } });
  // whose record, so a reviewer sees it without opening each one
  return { items: rows.map((r) => ({ ...dtoOf(r.d, r.by), patientId: r.d.patientId, patientName: `${r.given} ${r.family}`, mrn: r.mrn })), bounded: true as const };
}
