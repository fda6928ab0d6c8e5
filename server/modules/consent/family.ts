// Family members, partners and friends (concerned significant others) linked to a patient
// (issue 16, docs/consent.md). A link alone discloses nothing; what a person may see is what a
// consent in effect naming them allows, shown here so staff see it at a glance.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { statusAt, type DataClass } from '../../../core/consent/consent.ts';
import { REDISCLOSURE_NOTICE } from '../../../core/consent/notices.ts';
import type { FamilyRelationship } from '../../../core/consent/templates.ts';
import type { FamilyMemberCreate, FamilyList, SharedCard, SharedList } from '../../../contracts/consent.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type FamilyPrincipal } from '../../platform/http/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { appAccess, newInvite, revokeHolderDevice } from '../patient-app/invites.ts';
import type { Holder } from '../patient-app/sessions.ts';
import { dischargesColumn, discloseToFamilyMember, inEffectAt, signedAndOpen, type ConsentInEffect, type ConsentRead } from './disclosures.ts';
import { familySummary } from './record-summary.ts';
import { toE164 } from '../../../core/messages/phone.ts';
import { consents, familyLinks, familyMembers } from './consent.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { craftCourses } from '../family/family.tables.ts';
import { consentColumns, consentsOf, expiresAt, expiryFacts, stateOf } from './consents.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function listFamily(deps: Deps, patientId: string): Promise<z.infer<typeof FamilyList>> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const rows = await tx
    .select({ m: familyMembers, relationship: familyLinks.relationship, linkedAt: familyLinks.createdAt })
    .from(familyLinks)
    .innerJoin(familyMembers, and(eq(familyMembers.programId, familyLinks.programId), eq(familyMembers.id, familyLinks.familyMemberId)))
    .where(and(eq(familyLinks.programId, programId), eq(familyLinks.patientId, patientId), isNull(familyLinks.endedAt)))
    .orderBy(familyLinks.createdAt);
  const [all, facts] = await Promise.all([consentsOf(tx, programId, patientId), expiryFacts(tx, programId, patientId)]);
  const active = all.filter((c) => c.consent.familyMemberId && statusAt(stateOf(c.consent, c.familyName), ctx.now, expiresAt(c.consent, facts)) === 'active');
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'family', patientId, detail: { count: rows.length } });
  return {
    items: rows.map((r) => ({
      id: r.m.id,
      displayName: r.m.displayName,
      relationship: r.relationship,
      phone: r.m.phone,
      language: r.m.language,
      linkedAt: r.linkedAt.toISOString(),
      consentedDataClasses: [...new Set(active.filter((c) => c.consent.familyMemberId === r.m.id).flatMap((c) => c.consent.dataClasses))],
    })),
    bounded: true,
  };
}

/** Adds a family member or friend and links them to the patient. */
export async function addFamilyMember(deps: Deps, patientId: string, input: z.infer<typeof FamilyMemberCreate>) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  let phone: string | null = null;
  if (input.phone) {
    phone = toE164(input.phone);
    if (!phone) throw invalid('body.phone', 'must be a phone number, e.g. (555) 010-1234');
  }
  const id = randomUUID();
  await tx.insert(familyMembers).values({ programId, id, displayName: input.displayName, phone, language: input.language, createdBy: ctx.principal?.userId ?? null, createdAt: ctx.now });
  await tx.insert(familyLinks).values({ programId, familyMemberId: id, patientId, relationship: input.relationship, createdAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'family', entityId: id, patientId, detail: { relationship: input.relationship } });
  return listFamily(deps, patientId);
}

/** The family member linked to the patient (an ended link or another programme's: 404, naming nobody). */
async function linkedMember(tx: Tx, programId: string, patientId: string, familyMemberId: string) {
  const [row] = await tx
    .select({ id: familyMembers.id })
    .from(familyLinks)
    .innerJoin(familyMembers, and(eq(familyMembers.programId, familyLinks.programId), eq(familyMembers.id, familyLinks.familyMemberId)))
    .where(and(eq(familyLinks.programId, programId), eq(familyLinks.patientId, patientId), eq(familyLinks.familyMemberId, familyMemberId), isNull(familyLinks.endedAt)));
  if (!row) throw notFound('Family member');
}

const familyHolder = (familyMemberId: string): Holder => ({ patientId: null, familyMemberId });

/** An app invite for a family member (the same code, device key and PIN as patients'; ADR 053). */
export async function inviteFamilyMember(deps: Deps, patientId: string, familyMemberId: string) {
  await assertPatient(deps.tx, deps.ctx, patientId);
  await linkedMember(deps.tx, programOf(deps.ctx), patientId, familyMemberId);
  return newInvite(deps, familyHolder(familyMemberId), patientId);
}

export async function familyMemberAppAccess(deps: Deps, patientId: string, familyMemberId: string) {
  await assertPatient(deps.tx, deps.ctx, patientId);
  await linkedMember(deps.tx, programOf(deps.ctx), patientId, familyMemberId);
  return appAccess(deps, familyHolder(familyMemberId), patientId);
}

export async function revokeFamilyMemberDevice(deps: Deps, patientId: string, familyMemberId: string, deviceId: string) {
  await assertPatient(deps.tx, deps.ctx, patientId);
  await linkedMember(deps.tx, programOf(deps.ctx), patientId, familyMemberId);
  return revokeHolderDevice(deps, familyHolder(familyMemberId), patientId, deviceId);
}

// --- the family member's side of the app (auth: 'family') ---------------------------------

/**
 * What the "Shared with you" cards show: the kinds of information a family consent may name.
 * 'family-work' (the couple's calendar) is shown, and disclosed, by its own view
 * (family/couples.ts familyTogether), so a card that shows none of it does not record it.
 */
export const FAMILY_VIEW_CLASSES: readonly DataClass[] = ['appointments', 'check-ins', 'cm-progress', 'safety-plan'];

export async function familyMe(deps: Deps, me: FamilyPrincipal) {
  const [m] = await deps.tx
    .select({
      displayName: familyMembers.displayName,
      language: familyMembers.language,
      // which parts of the app are theirs: someone they are linked to, a CRAFT course of their own
      // (qualified by hand: inside a select's sql drizzle names columns without their table, so the subquery compared its own)
      linked: sql<boolean>`exists (select 1 from ${familyLinks} l where l.program_id = family_members.program_id and l.family_member_id = family_members.id and l.ended_at is null)`,
      craft: sql<boolean>`exists (select 1 from ${craftCourses} c where c.program_id = family_members.program_id and c.family_member_id = family_members.id)`,
    })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, me.programId), eq(familyMembers.id, me.familyMemberId)));
  if (!m) throw new AppError({ code: 'device_revoked', status: 401, message: 'This phone is not set up anymore. Ask the clinic for a new code.' });
  await writeAudit(deps.tx, auditContext(deps.ctx), { action: 'read', entity: 'family', entityId: me.familyMemberId });
  return { displayName: m.displayName, language: m.language, idleMinutes: me.idleMinutes, linked: m.linked, craft: m.craft };
}

type Card = z.infer<typeof SharedCard>;

/**
 * One patient's card for the family member: only what a consent in effect naming them allows,
 * with the notice against redisclosure, each view a recorded disclosure. `null` when no consent
 * covers them now (the list leaves the person out; the single read answers 403).
 */
async function cardOf(tx: Tx, ctx: Ctx, me: FamilyPrincipal, link: Link): Promise<Card | null> {
  const ask = { programId: me.programId, patientId: link.patientId, familyMemberId: me.familyMemberId, name: link.memberName, within: FAMILY_VIEW_CLASSES };
  const shown = await discloseToFamilyMember(tx, ctx, ask, link.consents);
  if (!shown) return null;
  const summary = await familySummary(tx, { programId: me.programId, patientId: link.patientId, dataClasses: shown.dataClasses, lang: link.lang, now: ctx.now });
  return {
    patientId: link.patientId,
    firstName: link.firstName,
    relationship: link.relationship,
    dataClasses: shown.dataClasses,
    summary,
    notice: REDISCLOSURE_NOTICE[link.lang],
  };
}

type Link = { patientId: string; relationship: FamilyRelationship; firstName: string; memberName: string; lang: 'en' | 'es'; consents: ConsentInEffect[] };

/**
 * The family member's open links (one, with `patientId`), each with the patient's first name, the
 * member's own name and language, and the consents in effect that name them: one read, so a card's
 * consent check costs no statement of its own. Read afresh each time, like every consent check.
 */
async function myLinks(tx: Tx, ctx: Ctx, me: FamilyPrincipal, patientId?: string): Promise<Link[]> {
  const rows = await tx
    .select({
      patientId: familyLinks.patientId,
      relationship: familyLinks.relationship,
      given: patients.legalGivenName,
      preferred: patients.preferredName,
      memberName: familyMembers.displayName,
      language: familyMembers.language,
      consent: consentColumns,
      timeZone: programs.timeZone,
      discharges: dischargesColumn('family_links'),
    })
    .from(familyLinks)
    .innerJoin(familyMembers, and(eq(familyMembers.programId, familyLinks.programId), eq(familyMembers.id, familyLinks.familyMemberId)))
    .innerJoin(patients, and(eq(patients.programId, familyLinks.programId), eq(patients.id, familyLinks.patientId)))
    .innerJoin(programs, eq(programs.id, familyLinks.programId))
    // the consents that may be in effect naming this family member (inEffectAt decides the rest)
    .leftJoin(consents, and(eq(consents.programId, familyLinks.programId), eq(consents.patientId, familyLinks.patientId), eq(consents.familyMemberId, familyLinks.familyMemberId), signedAndOpen()))
    .where(
      and(
        eq(familyLinks.programId, sql.placeholder('programId')),
        eq(familyLinks.familyMemberId, sql.placeholder('familyMemberId')),
        isNull(familyLinks.endedAt),
        patientId ? eq(familyLinks.patientId, sql.placeholder('patientId')) : undefined,
      ),
    )
    .orderBy(familyLinks.patientId)
    // every view of a card starts here: parsed and planned once per connection (ADR 018)
    .prepare(patientId ? 'waypoint_family_link' : 'waypoint_family_links')
    .execute({ programId: me.programId, familyMemberId: me.familyMemberId, patientId });
  const links = new Map<string, { link: Omit<Link, 'consents'>; read: ConsentRead[] }>();
  for (const r of rows) {
    const entry = links.get(r.patientId) ?? {
      link: { patientId: r.patientId, relationship: r.relationship, firstName: r.preferred || r.given, memberName: r.memberName, lang: r.language === 'es' ? ('es' as const) : ('en' as const) },
      read: [],
    };
    if (r.consent) entry.read.push({ consent: r.consent, familyName: r.memberName, timeZone: r.timeZone, discharges: r.discharges });
    links.set(r.patientId, entry);
  }
  return [...links.values()].map(({ link, read }) => ({ ...link, consents: inEffectAt(read, ctx.now) }));
}

/** Everyone who shares something with this family member now, each card a recorded disclosure. */
export async function sharedWithMe(deps: Deps, me: FamilyPrincipal): Promise<z.infer<typeof SharedList>> {
  const { tx, ctx } = deps;
  const cards: Card[] = [];
  for (const link of await myLinks(tx, ctx, me)) {
    const card = await cardOf(tx, ctx, me, link);
    if (card) cards.push(card);
  }
  return { items: cards, bounded: true };
}

/** One person's card; 403 consent_required once no consent in effect covers this family member (revoked, expired, ended). */
export async function sharedByPatient(deps: Deps, me: FamilyPrincipal, patientId: string): Promise<Card> {
  const { tx, ctx } = deps;
  const [link] = await myLinks(tx, ctx, me, patientId);
  if (!link) throw notFound('Person');
  const card = await cardOf(tx, ctx, me, link);
  if (!card)
    throw new AppError({
      code: 'consent_required',
      status: 403,
      message: 'Nothing is shared with you right now.',
      audit: { action: 'access-denied', entity: 'disclosure', patientId, outcome: 'denied', detail: { channel: 'family-view', reason: 'no-consent', familyMemberId: me.familyMemberId } },
    });
  return card;
}
