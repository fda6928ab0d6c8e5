// What the screens read: today's test-day queue and check-in list, the patient's CM
// page (calendar of opportunities, streaks, current and next value, balance, draws),
// the programme's CM page, and privilege recommendations with their decisions.
import { paidCents } from '../../../core/cm/ledger.ts';
import { and, asc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import {
  cmCatalogueItems, cmDrawReveals, cmEnrolments, cmEvents, cmFundingSources, cmLedgerEntries, cmPrivilegeDecisions, cmPrivilegeRecommendations,
  cmRedemptionOutcomes, cmRedemptions,
} from './cm.tables.ts';
import { enrolmentDto, getSettings } from './enrolments.ts';
import { capsStatus, listDraws } from './ledger.ts';
import { itemDto } from './redemption.ts';
import { entryEffectSql, loadProtocol, NOT_VOIDED, patientBalance, patientBalances, programTimeZone, toEngine, type CalendarDoc, type EnrolmentState } from './settle.ts';
import { slotKindsOf } from '../../../core/cm/clinic.ts';
import { datesBetween, localDate, weekStart, weekday } from '../../../core/cm/calendar.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
const emptyState: EnrolmentState = { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' };

/** Patients expected today (a calendar day of theirs for `kinds`), with what is already recorded and what a success pays. */
export async function dayList(deps: Deps, date: string | undefined, kinds: readonly string[], page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const day = date ?? localDate(ctx.now, tz);
  const wd = weekday(day);
  // a calendar day of theirs for one of `kinds` (calendar.<kind> is an array of weekdays)
  const onCalendar = or(...kinds.map((k) => sql`coalesce(${cmEnrolments.calendar} -> ${k}::text, '[]'::jsonb) @> ${JSON.stringify([wd])}::jsonb`));
  const after = decodeCursor(page.cursor, ['text', 'text', 'uuid']);
  const rows = await tx.select({ e: cmEnrolments, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName, mrn: patients.mrn })
    .from(cmEnrolments).innerJoin(patients, and(eq(patients.programId, cmEnrolments.programId), eq(patients.id, cmEnrolments.patientId)))
    .where(and(
      eq(cmEnrolments.programId, programId), eq(cmEnrolments.status, 'active'), sql`${cmEnrolments.startDate} <= ${day}`, sql`${cmEnrolments.endDate} >= ${day}`, onCalendar,
      after ? sql`(${patients.legalFamilyName}, ${patients.legalGivenName}, ${cmEnrolments.id}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)` : undefined,
    ))
    .orderBy(asc(patients.legalFamilyName), asc(patients.legalGivenName), asc(cmEnrolments.id)).limit(page.limit + 1);
  const { items: expected, nextCursor } = pageOf(rows, page.limit, (r) => [r.family, r.given, r.e.id]);
  const ids = expected.map((r) => r.e.id);
  const events = ids.length ? await tx.select({ id: cmEvents.id, enrolmentId: cmEvents.enrolmentId, kind: cmEvents.kind, slotKind: cmEvents.slotKind })
    .from(cmEvents).where(and(eq(cmEvents.programId, programId), inArray(cmEvents.enrolmentId, ids), eq(cmEvents.slotDate, day))) : [];
  const patientIds = [...new Set(expected.map((r) => r.e.patientId))];
  const balances = await patientBalances(tx, programId, patientIds);
  // draws not yet shown, per enrolment, and their value (kept out of the balance the screen shows)
  const unshown = patientIds.length ? rowsOf<{ patient_id: string; enrolment_id: string; n: string | number; cents: string | number | null }>(await tx.execute(sql`
    select l.patient_id, l.enrolment_id, count(*) as n, coalesce(sum(l.cents), 0) as cents
    from ${cmLedgerEntries} l where l.program_id = ${programId} and l.patient_id in (${sql.join(patientIds.map((id) => sql`${id}::uuid`), sql`, `)}) and l.kind = 'prize'
    and not exists (select 1 from ${cmDrawReveals} d where d.program_id = l.program_id and d.enrolment_id = l.enrolment_id and d.n = l.n)
    and ${NOT_VOIDED}
    group by l.patient_id, l.enrolment_id`)) : [];
  const out = expected.map((r) => {
    const cal = r.e.calendar as CalendarDoc;
    const state = (r.e.state as EnrolmentState | null) ?? emptyState;
    const mine = unshown.filter((u) => u.patient_id === r.e.patientId);
    const balanceCents = balances.get(r.e.patientId) ?? 0;
    return {
      patientId: r.e.patientId, enrolmentId: r.e.id, displayName: `${r.preferred ?? r.given} ${r.family}`, mrn: r.mrn,
      kinds: kinds.filter((k) => (cal[k as 'specimen'] ?? []).includes(wd)),
      recorded: events.filter((e) => e.enrolmentId === r.e.id && kinds.includes(e.slotKind ?? '')).map((e) => ({ kind: e.slotKind!, eventId: e.id, eventKind: e.kind })),
      streaks: state.tracks.map((t) => ({ track: t.track, s: t.s })),
      next: state.next.filter((n) => kinds.includes(n.kind)),
      balanceCents,
      balanceRevealedCents: balanceCents - mine.reduce((sum, u) => sum + Number(u.cents ?? 0), 0),
      undrawn: Number(mine.find((u) => u.enrolment_id === r.e.id)?.n ?? 0),
    };
  });
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-day-list', detail: { date: day, kinds: [...kinds], count: out.length } });
  return { items: out, nextCursor };
}

export async function patientSummary(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const tz = await programTimeZone(tx, programId);
  const enrs = await tx.select().from(cmEnrolments).where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.patientId, patientId))).orderBy(asc(cmEnrolments.createdAt));
  const enr = enrs.find((e) => e.status === 'active') ?? enrs.at(-1);
  const balance = await patientBalance(tx, programId, patientId);
  const caps = await capsStatus(tx, programId, patientId, ctx.now);
  if (!enr) {
    await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-summary', patientId });
    return { patientId, enrolment: null, calendar: [], streaks: [], next: [], balanceCents: balance, earnedCents: 0, draws: [], pendingAdjudications: [], caps };
  }
  const protocol = await loadProtocol(tx, programId, enr.protocolId);
  const state = (enr.state as EnrolmentState | null) ?? emptyState;
  const cal = enr.calendar as CalendarDoc;
  const events = await tx.select().from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.enrolmentId, enr.id)));
  const allEntries = await tx.select().from(cmLedgerEntries).where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.enrolmentId, enr.id)));
  // voided entries (and the voids themselves) paid nothing
  const voidedKeys = new Set(allEntries.filter((e) => e.kind === 'void').map((e) => e.voidsKey));
  const entries = allEntries.filter((e) => e.kind !== 'void' && !voidedKeys.has(e.entryKey));
  const earnedCents = paidCents(allEntries.map(toEngine));
  // outcome per event comes from the ledger and the state; a specimen's outcome is read from its entries and the pending list
  const bySlot = new Map(events.filter((e) => e.slotDate).map((e) => [`${e.slotKind}/${e.slotDate}`, e]));
  const today = localDate(ctx.now, tz);
  const calendar = [];
  const last = enr.status === 'active' ? enr.endDate : localDate(enr.statusChangedAt ?? ctx.now, tz);
  for (const d of datesBetween(enr.startDate, last < enr.endDate ? last : enr.endDate)) {
    for (const kind of slotKindsOf(protocol)) {
      const ev = bySlot.get(`${kind}/${d}`);
      if (!(cal[kind] ?? []).includes(weekday(d)) && !ev) continue;
      let status = d > today ? 'scheduled' : d === today ? 'open' : 'unrecorded';
      let cents = 0;
      let draws = 0;
      if (ev) {
        for (const e of entries) if (e.eventId === ev.id) {
          if (e.kind === 'prize') draws++;
          else if (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment') cents += e.cents;
          else if (e.kind === 'forgiven' || e.kind === 'debit') cents -= e.cents;
        }
        const engine = ev.engine as { valid?: boolean; results?: Record<string, string>; attended?: boolean; taken?: boolean };
        if (ev.kind === 'missed') status = 'missed';
        else if (state.pending.includes(ev.id)) status = 'pending';
        else if (cents > 0 || draws > 0) status = 'success';
        else if (ev.kind === 'specimen') status = engine.valid === false ? 'invalid' : Object.values(engine.results ?? {}).includes('positive') ? 'positive' : 'negative';
        else status = engine.attended === false || engine.taken === false ? 'failure' : 'success';
      }
      calendar.push({ date: d, kind, eventId: ev?.id ?? null, status, cents, draws });
    }
  }
  const draws = await listDraws(deps, enr.id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-summary', entityId: enr.id, patientId });
  return {
    patientId, enrolment: await enrolmentDto(tx, enr), calendar,
    streaks: state.tracks.map((t) => ({ track: t.track, s: t.s, lastOutcome: t.lastOutcome, currentCents: t.currentCents, currentDraws: t.currentDraws ?? 0, privilege: t.privilege })),
    next: state.next, balanceCents: balance, earnedCents,
    draws: draws.items, pendingAdjudications: state.pending, caps,
  };
}

export async function programmeSummary(deps: Deps) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const today = localDate(ctx.now, tz);
  const year = today.slice(0, 4);
  const counts = rowsOf<{ status: string; n: string | number }>(await tx.execute(sql`select status, count(*) as n from ${cmEnrolments} where program_id = ${programId} group by status`));
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  const since = new Date(ctx.now.getTime() - 12 * 7 * 86_400_000);
  const specs = await tx.select({ at: cmEvents.at, engine: cmEvents.engine }).from(cmEvents).where(and(eq(cmEvents.programId, programId), eq(cmEvents.kind, 'specimen'), gte(cmEvents.at, since)));
  const weeks = new Map<string, { specimens: number; negative: number }>();
  for (const s of specs) {
    const w = weekStart(localDate(s.at, tz));
    const e = s.engine as { valid?: boolean; results?: Record<string, string> };
    const cell = weeks.get(w) ?? { specimens: 0, negative: 0 };
    cell.specimens++;
    if (e.valid !== false && !Object.values(e.results ?? {}).includes('positive')) cell.negative++;
    weeks.set(w, cell);
  }
  const negativeByWeek = [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, c]) => ({ weekStart, ...c, percentNegative: c.specimens ? Math.round((1000 * c.negative) / c.specimens) / 10 : null }));
  const spend = rowsOf<{ fs: string | null; cents: string | number }>(await tx.execute(sql`
    select funding_source_id as fs, sum(${entryEffectSql('paid')}) as cents
    from ${cmLedgerEntries} l where program_id = ${programId} and month like ${year + '-%'} and ${NOT_VOIDED} group by funding_source_id`));
  const sources = await tx.select().from(cmFundingSources).where(eq(cmFundingSources.programId, programId));
  const settings = await getSettings(tx, programId, ctx.now);
  const perPatient = rowsOf<{ patient_id: string; fs: string | null; cents: string | number }>(await tx.execute(sql`
    select patient_id, funding_source_id as fs, sum(${entryEffectSql('paid')}) as cents
    from ${cmLedgerEntries} l where program_id = ${programId} and month like ${year + '-%'} and ${NOT_VOIDED} group by patient_id, funding_source_id`));
  let capsReached = 0;
  for (const p of perPatient) {
    const cap = (sources.find((s) => s.id === p.fs)?.caps as { perYearCents?: number | null } | undefined)?.perYearCents;
    if (cap != null && Number(p.cents) >= cap) capsReached++;
  }
  const monthAgo = new Date(ctx.now.getTime() - 30 * 86_400_000);
  const red = rowsOf<{ n: string | number; cents: string | number | null; pending: string | number }>(await tx.execute(sql`
    select count(*) filter (where o.outcome = 'completed') as n, sum(r.cents) filter (where o.outcome = 'completed') as cents,
           count(*) filter (where o.outcome is null) as pending
    from ${cmRedemptions} r left join ${cmRedemptionOutcomes} o on o.program_id = r.program_id and o.redemption_id = r.id
    where r.program_id = ${programId} and r.requested_at >= ${monthAgo.toISOString()}::timestamptz`))[0];
  const items = await tx.select().from(cmCatalogueItems).where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.active, true), sql`${cmCatalogueItems.stock} <= ${cmCatalogueItems.reorderLevel}`));
  const states = await tx.select({ state: cmEnrolments.state }).from(cmEnrolments).where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.status, 'active')));
  const pendingPriv = rowsOf<{ n: string | number }>(await tx.execute(sql`
    select count(*) as n from ${cmPrivilegeRecommendations} r where r.program_id = ${programId}
    and not exists (select 1 from ${cmPrivilegeDecisions} d where d.program_id = r.program_id and d.recommendation_id = r.id)`));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-programme-summary' });
  const total = spend.reduce((a, s) => a + Number(s.cents), 0);
  return {
    enrolled: { active: n('active'), completed: n('completed'), withdrawn: n('withdrawn') },
    negativeByWeek,
    spend: {
      yearToDateCents: total, budgetCents: settings.budgetCents,
      byFundingSource: spend.map((s) => ({ fundingSourceId: s.fs, cents: Number(s.cents), budgetCents: sources.find((x) => x.id === s.fs)?.budgetCents ?? null })),
    },
    capsReached,
    redemptions: { last30Days: Number(red?.n ?? 0), cents: Number(red?.cents ?? 0), pendingApproval: Number(red?.pending ?? 0) },
    reorder: items.map(itemDto),
    pendingAdjudications: states.reduce((a, s) => a + ((s.state as EnrolmentState | null)?.pending.length ?? 0), 0),
    pendingPrivilegeDecisions: Number(pendingPriv[0]?.n ?? 0),
  };
}

// ---------- privilege recommendations ----------

/** Oldest first (keyset on createdAt, id); pendingOnly: not yet decided. */
export async function listPrivilegeRecommendations(deps: Deps, pendingOnly: boolean, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const rows = await tx.select({ r: cmPrivilegeRecommendations, d: cmPrivilegeDecisions }).from(cmPrivilegeRecommendations)
    .leftJoin(cmPrivilegeDecisions, and(eq(cmPrivilegeDecisions.programId, cmPrivilegeRecommendations.programId), eq(cmPrivilegeDecisions.recommendationId, cmPrivilegeRecommendations.id)))
    .where(and(
      eq(cmPrivilegeRecommendations.programId, programId),
      pendingOnly ? isNull(cmPrivilegeDecisions.recommendationId) : undefined,
      after ? sql`(${cmPrivilegeRecommendations.createdAt}, ${cmPrivilegeRecommendations.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
    ))
    .orderBy(asc(cmPrivilegeRecommendations.createdAt), asc(cmPrivilegeRecommendations.id)).limit(page.limit + 1);
  const out = pageOf(rows, page.limit, ({ r }) => [r.createdAt.toISOString(), r.id], ({ r, d }) => ({
    id: r.id, enrolmentId: r.enrolmentId, patientId: r.patientId, track: r.track, level: r.level, levelIndex: r.levelIndex, eventId: r.eventId, createdAt: r.createdAt.toISOString(),
    decision: d ? { decision: d.decision, reason: d.reason, decidedBy: d.decidedBy, decidedAt: d.decidedAt.toISOString() } : null,
  }));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-privilege', detail: { count: out.items.length } });
  return out;
}

export async function decidePrivilege(deps: Deps, id: string, input: { decision: 'approved' | 'declined'; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [r] = await tx.select().from(cmPrivilegeRecommendations).where(and(eq(cmPrivilegeRecommendations.programId, programId), eq(cmPrivilegeRecommendations.id, id)));
  if (!r) throw notFound('Recommendation');
  const [d] = await tx.insert(cmPrivilegeDecisions).values({ programId, recommendationId: id, decision: input.decision, reason: input.reason, decidedBy: ctx.principal!.userId, decidedAt: ctx.now })
    .onConflictDoNothing().returning();
  if (!d) throw conflict('already_decided', 'This recommendation was already decided.', 'body.decision');
  await writeAudit(tx, auditContext(ctx), { action: input.decision === 'approved' ? 'approve' : 'decline', entity: 'cm-privilege', entityId: id, patientId: r.patientId, detail: { track: r.track, levelIndex: r.levelIndex } });
  return {
    id: r.id, enrolmentId: r.enrolmentId, patientId: r.patientId, track: r.track, level: r.level, levelIndex: r.levelIndex, eventId: r.eventId, createdAt: r.createdAt.toISOString(),
    decision: { decision: d.decision, reason: d.reason, decidedBy: d.decidedBy, decidedAt: d.decidedAt.toISOString() },
  };
}

