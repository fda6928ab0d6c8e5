// Behavioural couples therapy (issue 16, docs/family.md): the recovery contract a patient and
// their partner agree in session (one open per patient; a new one ends the old), and the couple's
// calendar of daily trust discussions, which the patient, the partner (in their own app) and
// staff (what the couple said in session) each keep; the latest word on a day counts. The rules
// are core/family/couples.ts. What the patient recorded is the patient's information: the
// partner sees it only through the disclosure door, under a consent naming them that covers
// 'family-work'; without one they see only the days they recorded themselves.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { localDate } from '../../../core/cm/calendar.ts';
import { REDISCLOSURE_NOTICE } from '../../../core/consent/notices.ts';
import { contractProblems, contractSummary, dayProblem, monthBounds, monthCalendar, orderedParts, type ContractSpan, type DayEntry } from '../../../core/family/couples.ts';
import type { ContractCalendar, ContractCreate, FamilyTogether, PartnerDayRecord, PatientTogether, RecoveryContract, StaffDayRecord } from '../../../contracts/together.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal, type PatientPrincipal } from '../../platform/http/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { invalidAll, todayIn } from './days.ts';
import { familyLinks, familyMembers } from '../consent/consent.tables.ts';
import { discloseToFamilyMember } from '../consent/disclosures.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { recoveryContracts, trustDiscussions } from './family.tables.ts';
import { myMemberships } from './network.ts';

type Deps = { tx: Tx; ctx: Ctx };
type ContractRow = typeof recoveryContracts.$inferSelect;
type Kind = 'patient' | 'partner' | 'staff';
type Entries = Map<string, DayEntry & { recordedBy: Kind }>;

/** The relationships a recovery contract's partner may have (behavioural couples therapy is for couples). */
export const PARTNER_RELATIONSHIPS = ['partner', 'spouse'] as const;

const spanOf = (c: ContractRow, tz: string): ContractSpan => ({ startsOn: c.startsOn, endsOn: c.endedAt ? localDate(c.endedAt, tz) : null });

async function entriesOf(tx: Tx, programId: string, contractId: string, range?: { from: string; to: string }): Promise<Entries> {
  const rows = await tx
    .select()
    .from(trustDiscussions)
    .where(
      and(
        eq(trustDiscussions.programId, programId),
        eq(trustDiscussions.contractId, contractId),
        range ? gte(trustDiscussions.day, range.from) : undefined,
        range ? lte(trustDiscussions.day, range.to) : undefined,
      ),
    );
  return new Map(rows.map((r) => [r.day, { held: r.held, medicationWitnessed: r.medicationWitnessed, recordedBy: r.recordedByKind as Kind }]));
}

function calendarOf(c: ContractRow, tz: string, month: string, entries: Entries, today: string): z.infer<typeof ContractCalendar> {
  const span = spanOf(c, tz);
  const days = monthCalendar(span, month, entries, today).map((d) => ({
    ...d,
    recordedBy: d.status === 'held' || d.status === 'not-held' ? (entries.get(d.day)?.recordedBy ?? null) : null,
  }));
  return { contractId: c.id, month, today, days, summary: contractSummary(span, entries, today) };
}

const monthOr = (month: string | undefined, today: string, field = 'querystring.month') => {
  const m = month ?? today.slice(0, 7);
  if (!monthBounds(m)) throw invalidAll([{ field, message: 'must be a month as YYYY-MM' }]);
  return m;
};

async function dtoOf(tx: Tx, programId: string, c: ContractRow, tz: string, today: string): Promise<z.infer<typeof RecoveryContract>> {
  const [m] = await tx
    .select({ name: familyMembers.displayName })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, programId), eq(familyMembers.id, c.familyMemberId)));
  const span = spanOf(c, tz);
  return {
    id: c.id,
    patientId: c.patientId,
    partner: { familyMemberId: c.familyMemberId, displayName: m?.name ?? '' },
    terms: orderedParts(c.terms),
    ownTerms: c.ownTerms,
    startsOn: c.startsOn,
    endedOn: span.endsOn,
    status: c.endedAt ? 'ended' : 'open',
    summary: contractSummary(span, await entriesOf(tx, programId, c.id), today),
    createdAt: c.createdAt.toISOString(),
  };
}

async function contractOf(tx: Tx, programId: string, patientId: string, id: string): Promise<ContractRow> {
  const [c] = await tx
    .select()
    .from(recoveryContracts)
    .where(and(eq(recoveryContracts.programId, programId), eq(recoveryContracts.patientId, patientId), eq(recoveryContracts.id, id)));
  if (!c) throw notFound('Recovery contract');
  return c;
}

// ---------- staff ----------

export async function listContracts(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const { today, tz } = await todayIn(tx, programId, ctx.now);
  const rows = await tx
    .select()
    .from(recoveryContracts)
    .where(and(eq(recoveryContracts.programId, programId), eq(recoveryContracts.patientId, patientId)))
    .orderBy(desc(sql`${recoveryContracts.endedAt} is null`), desc(recoveryContracts.createdAt))
    .limit(50);
  const items = [];
  for (const c of rows) items.push(await dtoOf(tx, programId, c, tz, today));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', patientId, detail: { record: 'recovery-contracts', count: items.length } });
  return { items, bounded: true as const };
}

/** Writes a recovery contract with the patient's partner; the open one, if any, ends now. */
export async function createContract(deps: Deps, patientId: string, input: z.infer<typeof ContractCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const { today, tz } = await todayIn(tx, programId, ctx.now);
  const startsOn = input.startsOn ?? today;
  const problems = contractProblems({ terms: input.terms, ownTerms: input.ownTerms ?? null, startsOn }, today).map((p) => ({ ...p, field: `body.${p.field}` }));
  if (problems.length > 0) throw invalidAll(problems, 'invalid_contract');
  const [link] = await tx
    .select({ relationship: familyLinks.relationship })
    .from(familyLinks)
    .where(and(eq(familyLinks.programId, programId), eq(familyLinks.patientId, patientId), eq(familyLinks.familyMemberId, input.familyMemberId), isNull(familyLinks.endedAt)));
  if (!link) throw new AppError({ code: 'not_found', status: 404, message: 'Family member not found.', problems: [{ field: 'body.familyMemberId', message: 'is not linked to this patient' }] });
  if (!(PARTNER_RELATIONSHIPS as readonly string[]).includes(link.relationship))
    throw invalidAll([{ field: 'body.familyMemberId', message: 'must be linked to the patient as their partner or spouse' }], 'invalid_contract');
  const ended = await tx
    .update(recoveryContracts)
    .set({ endedAt: ctx.now })
    .where(and(eq(recoveryContracts.programId, programId), eq(recoveryContracts.patientId, patientId), isNull(recoveryContracts.endedAt)))
    .returning({ id: recoveryContracts.id });
  const id = randomUUID();
  const row = {
    programId,
    id,
    patientId,
    familyMemberId: input.familyMemberId,
    terms: orderedParts(input.terms),
    ownTerms: input.ownTerms?.trim() || null,
    startsOn,
    createdBy: ctx.principal!.userId,
    createdAt: ctx.now,
  };
  await tx.insert(recoveryContracts).values(row);
  await writeAudit(tx, auditContext(ctx), {
    action: 'create',
    entity: 'family',
    entityId: id,
    patientId,
    detail: { record: 'recovery-contract', terms: row.terms, startsOn, ended: ended.map((e) => e.id) },
  });
  return dtoOf(tx, programId, { ...row, endedAt: null }, tz, today);
}

export async function endContract(deps: Deps, patientId: string, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const c = await contractOf(tx, programId, patientId, id);
  if (c.endedAt) throw conflict('contract_ended', 'This contract has already ended.');
  await tx
    .update(recoveryContracts)
    .set({ endedAt: ctx.now })
    .where(and(eq(recoveryContracts.programId, programId), eq(recoveryContracts.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'family', entityId: id, patientId, detail: { record: 'recovery-contract', ended: true } });
  const { today, tz } = await todayIn(tx, programId, ctx.now);
  return dtoOf(tx, programId, { ...c, endedAt: ctx.now }, tz, today);
}

export async function contractCalendar(deps: Deps, patientId: string, id: string, month: string | undefined) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const c = await contractOf(tx, programId, patientId, id);
  const { today, tz } = await todayIn(tx, programId, ctx.now);
  const m = monthOr(month, today);
  const cal = calendarOf(c, tz, m, await entriesOf(tx, programId, c.id), today);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', entityId: id, patientId, detail: { record: 'trust-discussions', month: m } });
  return cal;
}

/** Upserts one day of the calendar (the latest word counts); refuses an ended contract, a future day, a day outside it. */
async function recordDay(tx: Tx, ctx: Ctx, c: ContractRow, day: string, input: { held: boolean; medicationWitnessed?: boolean | null | undefined }, by: { kind: Kind; userId: string | null }) {
  const programId = c.programId;
  const { today, tz } = await todayIn(tx, programId, ctx.now);
  if (c.endedAt) throw conflict('contract_ended', 'This contract has ended. Days can no longer be recorded on it.');
  const p = dayProblem(spanOf(c, tz), day, today);
  if (p) throw invalidAll([p]);
  if (input.medicationWitnessed != null && !c.terms.includes('medication-witnessed'))
    throw invalidAll([{ field: 'body.medicationWitnessed', message: 'this contract has no part about seeing the medicine taken' }]);
  const [before] = await tx
    .select()
    .from(trustDiscussions)
    .where(and(eq(trustDiscussions.programId, programId), eq(trustDiscussions.contractId, c.id), eq(trustDiscussions.day, day)));
  const medicationWitnessed = input.medicationWitnessed === undefined ? (before?.medicationWitnessed ?? null) : input.medicationWitnessed;
  const values = { held: input.held, medicationWitnessed, recordedByKind: by.kind, recordedBy: by.userId, recordedAt: ctx.now };
  await tx
    .insert(trustDiscussions)
    .values({ programId, contractId: c.id, day, ...values })
    .onConflictDoUpdate({ target: [trustDiscussions.programId, trustDiscussions.contractId, trustDiscussions.day], set: values });
  await writeAudit(tx, auditContext(ctx, { programId }), {
    action: before ? 'update' : 'create',
    entity: 'family',
    entityId: c.id,
    patientId: c.patientId,
    detail: { record: 'trust-discussion', day, by: by.kind, held: input.held, ...(before ? { before: { held: before.held, by: before.recordedByKind } } : {}) },
  });
  return { day, held: input.held, medicationWitnessed, recordedBy: by.kind };
}

export async function staffRecordDay(deps: Deps, patientId: string, id: string, day: string, input: z.infer<typeof StaffDayRecord>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const c = await contractOf(tx, programId, patientId, id);
  return recordDay(tx, ctx, c, day, input, { kind: 'staff', userId: ctx.principal!.userId });
}

// ---------- the patient's app ----------

async function openContractOf(tx: Tx, programId: string, patientId: string): Promise<ContractRow | undefined> {
  const [c] = await tx
    .select()
    .from(recoveryContracts)
    .where(and(eq(recoveryContracts.programId, programId), eq(recoveryContracts.patientId, patientId), isNull(recoveryContracts.endedAt)));
  return c;
}

export async function patientTogether(deps: Deps, me: PatientPrincipal, month: string | undefined): Promise<z.infer<typeof PatientTogether>> {
  const { tx, ctx } = deps;
  const { today, tz } = await todayIn(tx, me.programId, ctx.now);
  const m = monthOr(month, today);
  const c = await openContractOf(tx, me.programId, me.patientId);
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'family', entityId: c?.id ?? null, patientId: me.patientId, detail: { record: 'recovery-contract' } });
  if (!c) return { today, contract: null };
  const [partner] = await tx
    .select({ name: familyMembers.displayName })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, me.programId), eq(familyMembers.id, c.familyMemberId)));
  return {
    today,
    contract: {
      id: c.id,
      partnerName: partner?.name ?? '',
      terms: orderedParts(c.terms),
      ownTerms: c.ownTerms,
      startsOn: c.startsOn,
      calendar: calendarOf(c, tz, m, await entriesOf(tx, me.programId, c.id), today),
    },
  };
}

export async function patientRecordDay(deps: Deps, me: PatientPrincipal, day: string, held: boolean) {
  const c = await openContractOf(deps.tx, me.programId, me.patientId);
  if (!c) throw notFound('Recovery contract');
  return recordDay(deps.tx, deps.ctx, c, day, { held }, { kind: 'patient', userId: null });
}

// ---------- the partner's app ----------

/**
 * The contracts where I am the partner (open ones), each with this month's calendar: every
 * recorded day when a consent in effect naming me covers 'family-work' (a recorded disclosure,
 * with the notice), else only the days I recorded. And my network memberships with the doses I
 * reported (my own record).
 */
export async function familyTogether(deps: Deps, me: FamilyPrincipal, month: string | undefined): Promise<z.infer<typeof FamilyTogether>> {
  const { tx, ctx } = deps;
  const { today, tz } = await todayIn(tx, me.programId, ctx.now);
  const m = monthOr(month, today);
  const [member] = await tx
    .select({ name: familyMembers.displayName, language: familyMembers.language })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, me.programId), eq(familyMembers.id, me.familyMemberId)));
  const lang = member?.language === 'es' ? 'es' : 'en';
  const rows = await tx
    .select({ c: recoveryContracts })
    .from(recoveryContracts)
    .innerJoin(
      familyLinks,
      and(
        eq(familyLinks.programId, recoveryContracts.programId),
        eq(familyLinks.patientId, recoveryContracts.patientId),
        eq(familyLinks.familyMemberId, recoveryContracts.familyMemberId),
        isNull(familyLinks.endedAt),
      ),
    )
    .where(and(eq(recoveryContracts.programId, me.programId), eq(recoveryContracts.familyMemberId, me.familyMemberId), isNull(recoveryContracts.endedAt)))
    .orderBy(asc(recoveryContracts.createdAt));
  const contracts: z.infer<typeof FamilyTogether>['contracts'] = [];
  for (const { c } of rows) {
    const shown = await discloseToFamilyMember(tx, ctx, { programId: me.programId, patientId: c.patientId, familyMemberId: me.familyMemberId, name: member?.name ?? '', within: ['family-work'] });
    const all = await entriesOf(tx, me.programId, c.id, monthBounds(m) ? { from: monthBounds(m)!.first, to: monthBounds(m)!.last } : undefined);
    const entries: Entries = shown ? all : new Map([...all].filter(([, e]) => e.recordedBy === 'partner'));
    let firstName: string | null = null;
    if (shown) {
      const [p] = await tx
        .select({ given: patients.legalGivenName, preferred: patients.preferredName })
        .from(patients)
        .where(and(eq(patients.programId, me.programId), eq(patients.id, c.patientId)));
      firstName = p?.preferred || p?.given || '';
    }
    const calendar = calendarOf(c, tz, m, entries, today);
    // without consent the summary counts only my own days, which is what I see
    contracts.push({
      id: c.id,
      terms: orderedParts(c.terms),
      ownTerms: c.ownTerms,
      startsOn: c.startsOn,
      shared: !!shown,
      firstName,
      calendar,
      notice: shown ? REDISCLOSURE_NOTICE[lang] : null,
    });
  }
  const memberships = await myMemberships(tx, me, today);
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), {
    action: 'read',
    entity: 'family',
    entityId: me.familyMemberId,
    detail: { record: 'together', contracts: contracts.length, shared: contracts.filter((c) => c.shared).length, memberships: memberships.length },
  });
  return { today, contracts, memberships };
}

export async function partnerRecordDay(deps: Deps, me: FamilyPrincipal, id: string, day: string, input: z.infer<typeof PartnerDayRecord>) {
  const { tx } = deps;
  const [c] = await tx
    .select({ c: recoveryContracts })
    .from(recoveryContracts)
    .innerJoin(
      familyLinks,
      and(
        eq(familyLinks.programId, recoveryContracts.programId),
        eq(familyLinks.patientId, recoveryContracts.patientId),
        eq(familyLinks.familyMemberId, recoveryContracts.familyMemberId),
        isNull(familyLinks.endedAt),
      ),
    )
    .where(and(eq(recoveryContracts.programId, me.programId), eq(recoveryContracts.id, id), eq(recoveryContracts.familyMemberId, me.familyMemberId)));
  if (!c) throw notFound('Recovery contract');
  const r = await recordDay(tx, deps.ctx, c.c, day, input, { kind: 'partner', userId: null });
  // what I said is my own record; the day's other facts are not returned here
  return { day: r.day, held: r.held, medicationWitnessed: input.medicationWitnessed ?? null, recordedBy: r.recordedBy };
}
