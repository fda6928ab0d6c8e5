// Peer outreach use cases (issue 15, docs/peers.md, ADR 049): referrals after an overdose, the
// peer work list ("whom to contact today, by when, what happened last time"), contact attempts
// (immutable; corrections are new rows), outcomes, assignment, closing, the programme's schedule
// settings, and the escalation job (overdue or missed contacts → the supervisors' list, once per
// contact, whenever the job runs). The schedule is derived by core/peers/outreach.ts.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  DEFAULT_SETTINGS,
  REFERRAL_OUTCOMES,
  outreachState,
  settingsProblems,
  type AttemptOutcome,
  type CloseReason,
  type Contact,
  type ContactMethod,
  type OutreachSettings,
  type OutreachState,
  type ReferralOutcome,
  type ReferralSource,
} from '../../../core/peers/outreach.ts';
import { localDate, zonedInstant, addDays } from '../../../core/cm/calendar.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { writeAudit, writeAudits } from '../../platform/audit.ts';
import { auditContext, programOf, systemCtx, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { pageOfList, type Page } from '../cm/page.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../core/access/roles.ts';
import { peerOutreachAttempts, peerOutreachEscalations, peerOutreachSettings, peerReferralOutcomes, peerReferrals } from './peers.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type ReferralRow = typeof peerReferrals.$inferSelect;
type AttemptRow = typeof peerOutreachAttempts.$inferSelect;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const may = (ctx: Ctx, p: 'manage:peer-outreach') => ctx.program?.permissions.has(p) ?? false;

export async function settingsOf(tx: Tx, programId: string): Promise<OutreachSettings> {
  const [row] = await tx.select().from(peerOutreachSettings).where(eq(peerOutreachSettings.programId, programId));
  if (!row) return DEFAULT_SETTINGS;
  return {
    firstContactHours: row.firstContactHours,
    followUpDays: row.followUpDays,
    followUpsFrom: row.followUpsFrom as OutreachSettings['followUpsFrom'],
    retryHours: row.retryHours,
    maxTries: row.maxTries,
  };
}

export async function getSettings(deps: Deps) {
  return settingsOf(deps.tx, programOf(deps.ctx));
}

export async function putSettings(deps: Deps, s: OutreachSettings) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const problems = settingsProblems(s);
  if (problems.length > 0)
    throw new AppError({ code: 'invalid_input', status: 400, message: 'The schedule is not valid.', problems: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })) });
  const values = { ...s, updatedBy: ctx.principal?.userId ?? null, updatedAt: ctx.now };
  await tx
    .insert(peerOutreachSettings)
    .values({ programId, ...values })
    .onConflictDoUpdate({ target: peerOutreachSettings.programId, set: values });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'peer-outreach-settings', detail: { ...s } });
  return s;
}

/** Live (not corrected) attempts as the schedule reads them. */
function liveAttempts(rows: AttemptRow[]) {
  const corrected = new Set(rows.map((a) => a.corrects).filter((x): x is string => !!x));
  return rows.filter((a) => !corrected.has(a.id)).map((a) => ({ id: a.id, at: a.at, outcome: a.outcome as AttemptOutcome }));
}

export function stateOf(r: ReferralRow, attempts: AttemptRow[], now: Date): OutreachState {
  return outreachState(
    { referredAt: r.referredAt, consent: r.consent, closedAt: r.closedAt, closedReason: r.closedReason as CloseReason | null },
    liveAttempts(attempts),
    r.schedule as OutreachSettings,
    now,
  );
}

const contactDto = (c: Contact) => ({
  index: c.index,
  kind: c.kind,
  day: c.day,
  dueAt: iso(c.dueAt),
  retryBy: iso(c.retryBy),
  overdueSince: iso(c.overdueSince),
  tries: c.tries,
  state: c.state,
  resolvedAt: iso(c.resolvedAt),
});

async function loadReferral(tx: Tx, programId: string, id: string, lock = false) {
  const q = tx
    .select()
    .from(peerReferrals)
    .where(and(eq(peerReferrals.programId, programId), eq(peerReferrals.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Referral');
  return row;
}

async function attemptsOf(tx: Tx, programId: string, referralIds: string[]) {
  if (referralIds.length === 0) return new Map<string, AttemptRow[]>();
  const rows = await tx
    .select()
    .from(peerOutreachAttempts)
    .where(and(eq(peerOutreachAttempts.programId, programId), inArray(peerOutreachAttempts.referralId, referralIds)))
    .orderBy(asc(peerOutreachAttempts.at), asc(peerOutreachAttempts.id));
  const m = new Map<string, AttemptRow[]>();
  for (const a of rows) m.set(a.referralId, [...(m.get(a.referralId) ?? []), a]);
  return m;
}

/** A user who may hold referrals: a member of the programme with write:peer-outreach. */
async function assertPeer(tx: Tx, programId: string, userId: string) {
  const roles = await tx
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.programId, programId), eq(roleAssignments.userId, userId)));
  if (!roles.some((r) => (ROLE_PERMISSIONS[r.role as Role] ?? []).includes('write:peer-outreach'))) throw invalid('body.userId', 'must be a staff member of the programme who does peer outreach');
}

export async function createReferral(
  deps: Deps,
  input: {
    patientId?: string | undefined;
    contactName?: string | undefined;
    contactPhone?: string | undefined;
    source: ReferralSource;
    referredAt?: string | undefined;
    consent: boolean;
    contactMethod?: ContactMethod | undefined;
    assignToMe?: boolean | undefined;
  },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const referredAt = input.referredAt ? new Date(input.referredAt) : ctx.now;
  if (referredAt.getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('body.referredAt', 'must not be in the future');
  let name = input.contactName ?? null;
  if (input.patientId) {
    const [p] = await tx
      .select({ given: patients.preferredName, first: patients.legalGivenName, family: patients.legalFamilyName })
      .from(patients)
      .where(and(eq(patients.programId, programId), eq(patients.id, input.patientId)));
    if (!p) throw notFound('Patient');
    name ??= `${p.given ?? p.first} ${p.family}`;
  }
  if (!name) throw invalid('body.contactName', 'is required for someone who is not a patient');
  if (input.consent && !input.contactMethod) throw invalid('body.contactMethod', 'is required when the person agreed to be contacted');
  const id = randomUUID();
  const me = ctx.principal?.userId ?? null;
  const schedule = await settingsOf(tx, programId);
  await tx.insert(peerReferrals).values({
    programId,
    id,
    patientId: input.patientId ?? null,
    contactName: name,
    contactPhone: input.contactPhone ?? null,
    source: input.source,
    referredAt,
    consent: input.consent,
    contactMethod: input.contactMethod ?? null,
    schedule,
    assignedTo: input.assignToMe && me ? me : null,
    assignedAt: input.assignToMe && me ? ctx.now : null,
    createdBy: me,
    createdAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'peer-referral', entityId: id, patientId: input.patientId ?? null, detail: { source: input.source, consent: input.consent } });
  return getReferral(deps, id, { audit: false });
}

type Names = Map<string, string>;
async function namesOf(tx: Tx, ids: Array<string | null>): Promise<Names> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (want.length === 0) return new Map();
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, want));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function summary(r: ReferralRow, attempts: AttemptRow[], st: OutreachState, names: Names, escalated: boolean, outcomeKinds: ReferralOutcome[]) {
  const live = new Set(liveAttempts(attempts).map((a) => a.id));
  const last = attempts.filter((a) => live.has(a.id)).at(-1);
  return {
    id: r.id,
    patientId: r.patientId,
    name: r.contactName,
    source: r.source as ReferralSource,
    referredAt: r.referredAt.toISOString(),
    contactMethod: r.contactMethod as ContactMethod | null,
    assignedTo: r.assignedTo,
    assignedToName: r.assignedTo ? (names.get(r.assignedTo) ?? null) : null,
    status: st.status,
    closedReason: st.closedReason,
    next: st.current ? contactDto(st.current) : null,
    lastAttempt: last ? { at: last.at.toISOString(), method: last.method as ContactMethod, outcome: last.outcome as AttemptOutcome } : null,
    escalated,
    outcomeKinds,
  };
}

/** The kinds of outcome recorded, each once, in the order of REFERRAL_OUTCOMES. */
const kindsOf = (rows: Array<{ kind: string }>) => REFERRAL_OUTCOMES.filter((k) => rows.some((o) => o.kind === k));

/** The outcome kinds of several referrals, by referral id. */
async function outcomeKindsOf(tx: Tx, programId: string, referralIds: string[]) {
  if (referralIds.length === 0) return new Map<string, ReferralOutcome[]>();
  const rows = await tx
    .select({ referralId: peerReferralOutcomes.referralId, kind: peerReferralOutcomes.kind })
    .from(peerReferralOutcomes)
    .where(and(eq(peerReferralOutcomes.programId, programId), inArray(peerReferralOutcomes.referralId, referralIds)));
  const m = new Map<string, Array<{ kind: string }>>();
  for (const o of rows) m.set(o.referralId, [...(m.get(o.referralId) ?? []), o]);
  return new Map([...m].map(([id, list]) => [id, kindsOf(list)]));
}

async function openEscalations(tx: Tx, programId: string, referralIds?: string[]) {
  return tx
    .select()
    .from(peerOutreachEscalations)
    .where(
      and(
        eq(peerOutreachEscalations.programId, programId),
        isNull(peerOutreachEscalations.acknowledgedAt),
        referralIds ? inArray(peerOutreachEscalations.referralId, referralIds.length ? referralIds : ['00000000-0000-0000-0000-000000000000']) : undefined,
      ),
    );
}

export async function getReferral(deps: Deps, id: string, opts: { audit?: boolean } = {}) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await loadReferral(tx, programId, id);
  const attempts = (await attemptsOf(tx, programId, [id])).get(id) ?? [];
  const [outcomes, escalations] = await Promise.all([
    tx
      .select()
      .from(peerReferralOutcomes)
      .where(and(eq(peerReferralOutcomes.programId, programId), eq(peerReferralOutcomes.referralId, id)))
      .orderBy(asc(peerReferralOutcomes.occurredOn), asc(peerReferralOutcomes.recordedAt)),
    tx
      .select()
      .from(peerOutreachEscalations)
      .where(and(eq(peerOutreachEscalations.programId, programId), eq(peerOutreachEscalations.referralId, id)))
      .orderBy(asc(peerOutreachEscalations.contactIndex)),
  ]);
  const names = await namesOf(tx, [r.assignedTo, ...attempts.map((a) => a.recordedBy), ...outcomes.map((o) => o.recordedBy)]);
  const st = stateOf(r, attempts, ctx.now);
  const corrected = new Set(attempts.map((a) => a.corrects).filter(Boolean));
  const contactOf = new Map(st.contacts.flatMap((c) => c.attemptIds.map((a) => [a, c.index] as const)));
  if (opts.audit !== false) await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'peer-referral', entityId: id, patientId: r.patientId });
  return {
    ...summary(
      r,
      attempts,
      st,
      names,
      escalations.some((e) => !e.acknowledgedAt),
      kindsOf(outcomes),
    ),
    contactPhone: r.contactPhone,
    consent: r.consent,
    closedAt: iso(st.closedAt),
    schedule: r.schedule as OutreachSettings,
    contacts: st.contacts.map(contactDto),
    attempts: attempts.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      method: a.method as ContactMethod,
      outcome: a.outcome as AttemptOutcome,
      note: a.note,
      corrects: a.corrects,
      corrected: corrected.has(a.id),
      contactIndex: contactOf.get(a.id) ?? null,
      recordedByName: a.recordedBy ? (names.get(a.recordedBy) ?? null) : null,
    })),
    outcomes: outcomes.map((o) => ({
      id: o.id,
      kind: o.kind as ReferralOutcome,
      occurredOn: o.occurredOn,
      recordedByName: o.recordedBy ? (names.get(o.recordedBy) ?? null) : null,
      recordedAt: o.recordedAt.toISOString(),
    })),
    escalations: escalations.map((e) => escalationDto(e, r.contactName, r.assignedTo ? (names.get(r.assignedTo) ?? null) : null)),
  };
}

const escalationDto = (e: typeof peerOutreachEscalations.$inferSelect, name: string, assignedToName: string | null) => ({
  id: e.id,
  referralId: e.referralId,
  name,
  contactIndex: e.contactIndex,
  reason: e.reason as 'overdue' | 'missed',
  since: e.since.toISOString(),
  escalatedAt: e.escalatedAt.toISOString(),
  assignedToName,
  acknowledgedAt: iso(e.acknowledgedAt),
});

/** May this person act on the referral? The holder, anyone on an unassigned one, or a supervisor (else 409: the permission is there, the caseload is another's). */
function assertMayWork(ctx: Ctx, r: ReferralRow) {
  if (r.assignedTo && r.assignedTo !== ctx.principal?.userId && !may(ctx, 'manage:peer-outreach'))
    throw conflict('assigned_to_another', 'This referral is on another peer specialist’s caseload; a supervisor can reassign it.');
}

export async function logAttempt(deps: Deps, id: string, input: { at?: string | undefined; method: ContactMethod; outcome: AttemptOutcome; note?: string | undefined; corrects?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await loadReferral(tx, programId, id, true);
  assertMayWork(ctx, r);
  const at = input.at ? new Date(input.at) : ctx.now;
  if (at.getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('body.at', 'must not be in the future');
  if (at.getTime() < r.referredAt.getTime()) throw invalid('body.at', 'must not be before the referral');
  const attempts = (await attemptsOf(tx, programId, [id])).get(id) ?? [];
  if (input.corrects) {
    const orig = attempts.find((a) => a.id === input.corrects);
    if (!orig) throw invalid('body.corrects', 'is not an attempt of this referral');
    if (attempts.some((a) => a.corrects === input.corrects)) throw conflict('already_corrected', 'That attempt was already corrected.', 'body.corrects');
  } else if (stateOf(r, attempts, ctx.now).status === 'closed') {
    throw conflict('referral_closed', 'The referral is closed.');
  }
  const attemptId = randomUUID();
  await tx.insert(peerOutreachAttempts).values({
    programId,
    id: attemptId,
    referralId: id,
    at,
    method: input.method,
    outcome: input.outcome,
    note: input.note ?? null,
    corrects: input.corrects ?? null,
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
  });
  // a peer who logs on an unassigned referral takes it on
  if (!r.assignedTo && ctx.principal)
    await tx
      .update(peerReferrals)
      .set({ assignedTo: ctx.principal.userId, assignedAt: ctx.now })
      .where(and(eq(peerReferrals.programId, programId), eq(peerReferrals.id, id)));
  await writeAudit(tx, auditContext(ctx), {
    action: input.corrects ? 'correct' : 'create',
    entity: 'outreach-attempt',
    entityId: attemptId,
    patientId: r.patientId,
    detail: { referralId: id, outcome: input.outcome },
  });
  return getReferral(deps, id, { audit: false });
}

export async function recordOutcome(deps: Deps, id: string, input: { kind: ReferralOutcome; occurredOn: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await loadReferral(tx, programId, id);
  assertMayWork(ctx, r);
  if (input.occurredOn > localDate(ctx.now, await programTimeZone(tx, programId))) throw invalid('body.occurredOn', 'must not be in the future');
  const outcomeId = randomUUID();
  const rows = await tx
    .insert(peerReferralOutcomes)
    .values({ programId, id: outcomeId, referralId: id, kind: input.kind, occurredOn: input.occurredOn, recordedBy: ctx.principal?.userId ?? null, recordedAt: ctx.now })
    .onConflictDoNothing()
    .returning({ id: peerReferralOutcomes.id });
  if (rows.length > 0) await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'peer-referral', entityId: id, patientId: r.patientId, detail: { outcome: input.kind } });
  return getReferral(deps, id, { audit: false });
}

export async function assignReferral(deps: Deps, id: string, userId: string | null) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await loadReferral(tx, programId, id, true);
  const me = ctx.principal?.userId;
  const selfTake = userId !== null && userId === me && !r.assignedTo;
  if (!selfTake && !may(ctx, 'manage:peer-outreach')) throw conflict('assigned_to_another', 'Only a supervisor can reassign a referral; you can take an unassigned one for yourself.', 'body.userId');
  if (userId) await assertPeer(tx, programId, userId);
  await tx
    .update(peerReferrals)
    .set({ assignedTo: userId, assignedAt: userId ? ctx.now : null })
    .where(and(eq(peerReferrals.programId, programId), eq(peerReferrals.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'peer-referral', entityId: id, patientId: r.patientId, detail: { assignedFrom: r.assignedTo, assignedTo: userId } });
  return getReferral(deps, id, { audit: false });
}

export async function closeReferral(deps: Deps, id: string, reason: CloseReason) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await loadReferral(tx, programId, id, true);
  assertMayWork(ctx, r);
  if (r.closedAt) throw conflict('referral_closed', 'The referral is closed.');
  await tx
    .update(peerReferrals)
    .set({ closedAt: ctx.now, closedReason: reason, closedBy: ctx.principal?.userId ?? null })
    .where(and(eq(peerReferrals.programId, programId), eq(peerReferrals.id, id)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'peer-referral', entityId: id, patientId: r.patientId, detail: { closed: reason } });
  return getReferral(deps, id, { audit: false });
}

/**
 * The peer work list: open referrals (or closed ones), due and overdue first, then by when the
 * next contact is due. Computed whole over the programme's open referrals (bounded by the
 * caseload of a programme) and paged by id.
 */
export async function workList(deps: Deps, q: Page & { view: 'today' | 'overdue' | 'escalated' | 'open' | 'closed' | 'all'; mine?: 'true' | 'false' | undefined; patientId?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const me = ctx.principal?.userId ?? null;
  const rows = await tx
    .select()
    .from(peerReferrals)
    .where(
      and(
        eq(peerReferrals.programId, programId),
        q.view === 'closed' || q.view === 'all' ? undefined : isNull(peerReferrals.closedAt),
        q.mine === 'true' ? (me ? eq(peerReferrals.assignedTo, me) : sql`false`) : undefined,
        q.patientId ? eq(peerReferrals.patientId, q.patientId) : undefined,
      ),
    )
    .orderBy(desc(peerReferrals.referredAt))
    .limit(5000);
  const ids = rows.map((r) => r.id);
  const [attempts, escalations, tz] = await Promise.all([attemptsOf(tx, programId, ids), openEscalations(tx, programId, ids), programTimeZone(tx, programId)]);
  const escalated = new Set(escalations.map((e) => e.referralId));
  const endOfToday = zonedInstant(addDays(localDate(ctx.now, tz), 1), '00:00', tz).getTime();
  const withState = rows.map((r) => ({ r, st: stateOf(r, attempts.get(r.id) ?? [], ctx.now) }));
  const keep = withState.filter(({ r, st }) => {
    const c = st.current;
    switch (q.view) {
      case 'all':
        return true;
      case 'closed':
        return st.status === 'closed';
      case 'open':
        return st.status === 'open';
      case 'overdue':
        return c?.state === 'overdue';
      case 'escalated':
        return escalated.has(r.id) && st.status === 'open';
      case 'today': {
        const by = c?.retryBy ?? c?.dueAt;
        return st.status === 'open' && !!by && (c!.state === 'overdue' || by.getTime() < endOfToday);
      }
    }
  });
  const rank = (st: OutreachState) => (st.current?.state === 'overdue' ? 0 : st.current?.state === 'due' ? 1 : 2);
  const by = (st: OutreachState) => (st.current?.retryBy ?? st.current?.dueAt)?.getTime() ?? Number.MAX_SAFE_INTEGER;
  // closed ones (no contact due) newest referral first
  keep.sort((a, b) => rank(a.st) - rank(b.st) || by(a.st) - by(b.st) || b.r.referredAt.getTime() - a.r.referredAt.getTime() || (a.r.id < b.r.id ? -1 : 1));
  const page = pageOfList(keep, q, (x) => x.r.id);
  const [names, kinds] = await Promise.all([
    namesOf(
      tx,
      page.items.map((x) => x.r.assignedTo),
    ),
    outcomeKindsOf(
      tx,
      programId,
      page.items.map((x) => x.r.id),
    ),
  ]);
  await writeAudit(
    tx,
    auditContext(ctx),
    q.patientId
      ? { action: 'read', entity: 'peer-outreach', patientId: q.patientId, detail: { view: q.view, count: page.items.length } }
      : { action: 'read', entity: 'peer-outreach', purpose: 'work-list', detail: { view: q.view, count: page.items.length } },
  );
  return { items: page.items.map(({ r, st }) => summary(r, attempts.get(r.id) ?? [], st, names, escalated.has(r.id), kinds.get(r.id) ?? [])), nextCursor: page.nextCursor };
}

/** The supervisors' list: escalations not yet acknowledged, oldest first. */
export async function listEscalations(deps: Deps, q: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const rows = await tx
    .select({ e: peerOutreachEscalations, name: peerReferrals.contactName, assignedTo: peerReferrals.assignedTo })
    .from(peerOutreachEscalations)
    .innerJoin(peerReferrals, and(eq(peerReferrals.programId, peerOutreachEscalations.programId), eq(peerReferrals.id, peerOutreachEscalations.referralId)))
    .where(and(eq(peerOutreachEscalations.programId, programId), isNull(peerOutreachEscalations.acknowledgedAt)))
    .orderBy(asc(peerOutreachEscalations.since), asc(peerOutreachEscalations.id))
    .limit(5000);
  const page = pageOfList(rows, q, (x) => x.e.id);
  const names = await namesOf(
    tx,
    page.items.map((x) => x.assignedTo),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'peer-outreach', purpose: 'work-list', detail: { escalations: true, count: page.items.length } });
  return { items: page.items.map((x) => escalationDto(x.e, x.name, x.assignedTo ? (names.get(x.assignedTo) ?? null) : null)), nextCursor: page.nextCursor };
}

export async function acknowledgeEscalation(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [e] = await tx
    .update(peerOutreachEscalations)
    .set({ acknowledgedAt: ctx.now, acknowledgedBy: ctx.principal?.userId ?? null })
    .where(and(eq(peerOutreachEscalations.programId, programId), eq(peerOutreachEscalations.id, id), isNull(peerOutreachEscalations.acknowledgedAt)))
    .returning();
  if (!e) {
    const [exists] = await tx
      .select({ id: peerOutreachEscalations.id })
      .from(peerOutreachEscalations)
      .where(and(eq(peerOutreachEscalations.programId, programId), eq(peerOutreachEscalations.id, id)));
    if (!exists) throw notFound('Escalation');
    throw conflict('already_acknowledged', 'The escalation was already acknowledged.');
  }
  await writeAudit(tx, auditContext(ctx), { action: 'acknowledge', entity: 'peer-referral', entityId: e.referralId, detail: { escalation: id } });
  return { ok: true as const };
}

export type EscalationReport = { referrals: number; escalated: number };

/**
 * The escalation job: for every open referral, the contacts that are overdue or were missed
 * get an escalation row — at most once per contact (the unique index), with `since` from the
 * schedule, so a run after downtime records what an on-time run would have, once.
 */
export async function escalateOverdue(db: Db, now: Date): Promise<EscalationReport> {
  const open = await db
    .select({ r: peerReferrals, orgId: programs.orgId })
    .from(peerReferrals)
    .innerJoin(programs, eq(programs.id, peerReferrals.programId))
    .where(and(isNull(peerReferrals.closedAt), eq(peerReferrals.consent, true)));
  const report: EscalationReport = { referrals: 0, escalated: 0 };
  const byProgram = new Map<string, typeof open>();
  for (const x of open) byProgram.set(x.r.programId, [...(byProgram.get(x.r.programId) ?? []), x]);
  for (const list of byProgram.values()) {
    const added = await inTransaction(db, (tx) =>
      escalateInProgram(
        tx,
        list[0]!.orgId,
        list.map((x) => x.r),
        now,
      ),
    );
    report.referrals += list.length;
    report.escalated += added;
  }
  return report;
}

/** Referrals handled per statement by the escalation job: PostgreSQL takes at most 65,535 parameters in one. */
const ESCALATION_BATCH = 500;

/**
 * Escalates the overdue and missed contacts of some open referrals of one programme (the job, the
 * demo seed); how many were new. In batches of ESCALATION_BATCH referrals: the contacts already
 * escalated are read first and left out, so a run inserts only what is new (the unique index
 * still guards two runs at once), with one audit insert per batch.
 */
export async function escalateInProgram(tx: Tx, orgId: string, referrals: ReferralRow[], now: Date): Promise<number> {
  if (referrals.length === 0) return 0;
  const programId = referrals[0]!.programId;
  const ctx = systemCtx({ orgId, programId, now, requestId: 'job:peer-escalate' });
  let added = 0;
  for (let i = 0; i < referrals.length; i += ESCALATION_BATCH) {
    const batch = referrals.slice(i, i + ESCALATION_BATCH);
    const ids = batch.map((r) => r.id);
    const [attempts, existing] = await Promise.all([
      attemptsOf(tx, programId, ids),
      tx
        .select({ referralId: peerOutreachEscalations.referralId, contactIndex: peerOutreachEscalations.contactIndex })
        .from(peerOutreachEscalations)
        .where(and(eq(peerOutreachEscalations.programId, programId), inArray(peerOutreachEscalations.referralId, ids))),
    ]);
    const done = new Set(existing.map((e) => `${e.referralId}:${e.contactIndex}`));
    const values = batch.flatMap((r) =>
      stateOf(r, attempts.get(r.id) ?? [], now)
        .escalate.filter((e) => !done.has(`${r.id}:${e.index}`))
        .map((e) => ({ programId, id: randomUUID(), referralId: r.id, contactIndex: e.index, reason: e.reason, since: e.since, escalatedAt: now })),
    );
    if (values.length === 0) continue;
    const rows = await tx.insert(peerOutreachEscalations).values(values).onConflictDoNothing().returning({ id: peerOutreachEscalations.id, referralId: peerOutreachEscalations.referralId });
    const byId = new Map(batch.map((r) => [r.id, r]));
    await writeAudits(
      tx,
      auditContext(ctx),
      rows.map((row) => ({ action: 'create' as const, entity: 'peer-referral' as const, entityId: row.referralId, patientId: byId.get(row.referralId)!.patientId, detail: { escalation: row.id } })),
    );
    added += rows.length;
  }
  return added;
}
