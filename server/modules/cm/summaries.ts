// What the screens read: today's test-day queue and check-in list, the patient's CM
// page (calendar of opportunities, streaks, current and next value, balance, draws),
// the programme's CM page, and privilege recommendations with their decisions.
import { paidCents } from '../../../core/cm/ledger.ts';
import type { CalendarStatus } from '../../../core/cm/calendar.ts';
import { and, asc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import {
  cmCatalogueItems,
  cmDrawReveals,
  cmEnrolments,
  cmEvents,
  cmFundingSources,
  cmLedgerEntries,
  cmPrivilegeDecisions,
  cmPrivilegeRecommendations,
  cmRedemptionOutcomes,
  cmRedemptions,
} from './cm.tables.ts';
import { enrolmentDto, getSettings } from './enrolments.ts';
import { capsStatus, ledgerTotals, listDraws } from './ledger.ts';
import { itemDto } from './redemption.ts';
import {
  enrolmentProtocol,
  entryEffectSql,
  eventsOf,
  NOT_VOIDED,
  patientBalances,
  programTimeZone,
  toEngine,
  type CalendarDoc,
  type EnrolmentRow,
  type EnrolmentState,
  type EventRow,
  type LedgerRow,
} from './settle.ts';
import { ENTRY_EFFECT, type EntryKind } from '../../../core/cm/ledger.ts';
import { parseEvents } from '../../../core/cm/events.ts';
import { replayRows } from '../../../core/cm/replay.ts';
import { ZERO_SEED } from '../../../core/cm/draws.ts';
import type { Protocol } from '../../../core/cm/protocol.ts';
import { AppError } from '../../platform/errors.ts';
import { screenCorrections, screens } from '../screens/screens.tables.ts';
import { inEffect, type CorrectionRow } from '../screens/screens.ts';
import { slotKindsOf } from '../../../core/cm/clinic.ts';
import { datesBetween, localDate, weekStart, weekday } from '../../../core/cm/calendar.ts';
import { decodeCursor, pageOf, type Page } from './page.ts';

type Deps = { tx: Tx; ctx: Ctx };
const emptyState: EnrolmentState = { tracks: [], pending: [], next: [], earnedCents: 0, settledAt: '' };

/** Patients expected today (a calendar day of theirs for `kinds`), with what is already recorded and what a success pays. */
/** An enrolment whose calendar has weekday `wd` for one of `kinds` (calendar.<kind> is an array of weekdays). */
export function onCalendarDay(kinds: readonly string[], wd: number) {
  return or(...kinds.map((k) => sql`coalesce(${cmEnrolments.calendar} -> ${k}::text, '[]'::jsonb) @> ${JSON.stringify([wd])}::jsonb`));
}

export async function dayList(deps: Deps, date: string | undefined, kinds: readonly string[], page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const day = date ?? localDate(ctx.now, tz);
  const wd = weekday(day);
  const onCalendar = onCalendarDay(kinds, wd);
  const after = decodeCursor(page.cursor, ['text', 'text', 'uuid']);
  const rows = await tx
    .select({ e: cmEnrolments, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName, mrn: patients.mrn })
    .from(cmEnrolments)
    .innerJoin(patients, and(eq(patients.programId, cmEnrolments.programId), eq(patients.id, cmEnrolments.patientId)))
    .where(
      and(
        eq(cmEnrolments.programId, programId),
        eq(cmEnrolments.status, 'active'),
        sql`${cmEnrolments.startDate} <= ${day}`,
        sql`${cmEnrolments.endDate} >= ${day}`,
        onCalendar,
        after ? sql`(${patients.legalFamilyName}, ${patients.legalGivenName}, ${cmEnrolments.id}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(patients.legalFamilyName), asc(patients.legalGivenName), asc(cmEnrolments.id))
    .limit(page.limit + 1);
  const { items: expected, nextCursor } = pageOf(rows, page.limit, (r) => [r.family, r.given, r.e.id]);
  const ids = expected.map((r) => r.e.id);
  const events = ids.length
    ? await tx
        .select({ id: cmEvents.id, enrolmentId: cmEvents.enrolmentId, kind: cmEvents.kind, slotKind: cmEvents.slotKind })
        .from(cmEvents)
        .where(and(eq(cmEvents.programId, programId), inArray(cmEvents.enrolmentId, ids), eq(cmEvents.slotDate, day)))
    : [];
  const patientIds = [...new Set(expected.map((r) => r.e.patientId))];
  const balances = await patientBalances(tx, programId, patientIds);
  // draws not yet shown, per enrolment, and their value (kept out of the balance the screen shows)
  const unshown = patientIds.length
    ? rowsOf<{ patient_id: string; enrolment_id: string; n: string | number; cents: string | number | null }>(
        await tx.execute(sql`
    select l.patient_id, l.enrolment_id, count(*) as n, coalesce(sum(l.cents), 0) as cents
    from ${cmLedgerEntries} l where l.program_id = ${programId} and l.patient_id in (${sql.join(
      patientIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) and l.kind = 'prize'
    and not exists (select 1 from ${cmDrawReveals} d where d.program_id = l.program_id and d.enrolment_id = l.enrolment_id and d.n = l.n)
    and ${NOT_VOIDED}
    group by l.patient_id, l.enrolment_id`),
      )
    : [];
  const out = expected.map((r) => {
    const cal = r.e.calendar as CalendarDoc;
    const state = (r.e.state as EnrolmentState | null) ?? emptyState;
    const mine = unshown.filter((u) => u.patient_id === r.e.patientId);
    const balanceCents = balances.get(r.e.patientId) ?? 0;
    return {
      patientId: r.e.patientId,
      enrolmentId: r.e.id,
      displayName: `${r.preferred ?? r.given} ${r.family}`,
      mrn: r.mrn,
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

/** An event in the engine's vocabulary, as settle() replays it. */
const engineEvent = (e: EventRow) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, ...(e.engine as Record<string, unknown>) });

/**
 * The enrolment replayed as it stands now (every correction and adjudication applied): the
 * outcome of each opportunity on each track, and each specimen's results in effect. The
 * same replay settle() runs; a read needs no seed (outcomes and draw counts do not depend
 * on it) and posts nothing.
 */
function replayInEffect(enr: EnrolmentRow, protocol: Protocol, events: readonly EventRow[], tz: string) {
  const parsed = parseEvents({ enrolment: { id: enr.id, start: enr.startDate, timeZone: tz }, events: events.map(engineEvent) });
  if (!parsed.ok) throw new AppError({ code: 'internal_error', status: 500, message: 'The enrolment cannot be replayed.', internal: JSON.stringify(parsed.problems) });
  const detail = replayRows(protocol, parsed.doc, ZERO_SEED);
  const outcomes = new Map<string, Array<{ track: string; outcome: string }>>();
  for (const r of detail.rows) {
    const list = outcomes.get(r.out.event) ?? [];
    list.push({ track: r.out.track, outcome: r.out.outcome });
    outcomes.set(r.out.event, list);
  }
  const specimens = new Map(parsed.doc.events.filter((e) => e.kind === 'specimen').map((e) => [e.id, { valid: e.finalValid, results: e.finalResults ?? {} }]));
  return { outcomes, specimens };
}

/**
 * A calendar cell's status from the outcomes in effect: the worst across tracks (pending,
 * then failure, excused, success), named for what happened to a specimen (invalid, or
 * positive when a result in effect is positive; a prescribed medication never is).
 */
function cellStatus(ev: EventRow, outcomes: ReadonlyArray<{ outcome: string }>, specimen: { valid: boolean; results: Record<string, string> } | undefined): CalendarStatus {
  if (ev.kind === 'missed') return 'missed';
  const has = (o: string) => outcomes.some((x) => x.outcome === o);
  const positive = specimen !== undefined && Object.values(specimen.results).includes('positive');
  if (has('pending')) return 'pending';
  if (specimen && !specimen.valid) return 'invalid';
  if (has('failure')) return positive ? 'positive' : 'failure';
  if (has('excused')) return 'excused';
  if (has('success')) return 'success';
  // no track read it (outside the protocol's weeks)
  if (specimen) return positive ? 'positive' : 'negative';
  const flag = ev.engine as { attended?: boolean; taken?: boolean };
  return flag.attended === false || flag.taken === false ? 'failure' : 'success';
}

/** Per opportunity (event), what the ledger holds: money paid on cents tracks, draws standing, and what is kept although no longer owed. */
function moneyByEvent(entries: readonly LedgerRow[]) {
  const voided = new Set(entries.filter((e) => e.kind === 'void' && e.voidsKey).map((e) => e.voidsKey));
  const out = new Map<string, { cents: number; draws: number; keptCents: number; keptDraws: number }>();
  for (const e of entries) {
    if (e.kind === 'void' || e.eventId === null || voided.has(e.entryKey)) continue;
    const m = out.get(e.eventId) ?? { cents: 0, draws: 0, keptCents: 0, keptDraws: 0 };
    if (e.kind === 'prize') m.draws += 1;
    else if (e.kind === 'debit' && e.n !== null)
      m.draws -= 1; // a draw taken back (clawback)
    else if (e.kind === 'forgiven') {
      if (e.draws != null) m.keptDraws += e.draws;
      else m.keptCents += e.cents;
    } else m.cents += (ENTRY_EFFECT[e.kind as EntryKind]?.paid ?? 0) * e.cents;
    out.set(e.eventId, m);
  }
  return out;
}

export async function patientSummary(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const tz = await programTimeZone(tx, programId);
  const enrs = await tx
    .select()
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.patientId, patientId)))
    .orderBy(asc(cmEnrolments.createdAt));
  const enr = enrs.find((e) => e.status === 'active') ?? enrs.at(-1);
  const patientEntries = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), eq(cmLedgerEntries.patientId, patientId)))
    .orderBy(asc(cmLedgerEntries.seq));
  const money = ledgerTotals(patientEntries);
  const balance = money.balanceCents;
  const caps = await capsStatus(tx, programId, patientId, ctx.now);
  if (!enr) {
    await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-summary', patientId });
    return { patientId, enrolment: null, calendar: [], streaks: [], next: [], balanceCents: balance, earnedCents: 0, tracks: [], money, draws: [], pendingAdjudications: [], caps };
  }
  const protocol = await enrolmentProtocol(tx, enr);
  const state = (enr.state as EnrolmentState | null) ?? emptyState;
  const cal = enr.calendar as CalendarDoc;
  const events = await eventsOf(tx, enr);
  const entries = patientEntries.filter((e) => e.enrolmentId === enr.id);
  const earnedCents = paidCents(entries.map(toEngine));
  const replayed = replayInEffect(enr, protocol, events, tz);
  const paid = moneyByEvent(entries);
  const bySlot = new Map(events.filter((e) => e.slotDate).map((e) => [`${e.slotKind}/${e.slotDate}`, e]));
  const today = localDate(ctx.now, tz);
  const calendar = [];
  const last = enr.status === 'active' ? enr.endDate : localDate(enr.statusChangedAt ?? ctx.now, tz);
  for (const d of datesBetween(enr.startDate, last < enr.endDate ? last : enr.endDate)) {
    for (const kind of slotKindsOf(protocol)) {
      const ev = bySlot.get(`${kind}/${d}`);
      if (!(cal[kind] ?? []).includes(weekday(d)) && !ev) continue;
      if (!ev) {
        const status: CalendarStatus = d > today ? 'scheduled' : d === today ? 'open' : 'unrecorded';
        calendar.push({ date: d, kind, eventId: null, status, cents: 0, draws: 0, keptCents: 0, keptDraws: 0, outcomes: [] });
        continue;
      }
      const outcomes = replayed.outcomes.get(ev.id) ?? [];
      const m = paid.get(ev.id) ?? { cents: 0, draws: 0, keptCents: 0, keptDraws: 0 };
      calendar.push({ date: d, kind, eventId: ev.id, status: cellStatus(ev, outcomes, replayed.specimens.get(ev.id)), ...m, outcomes });
    }
  }
  const draws = await listDraws(deps, enr.id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-summary', entityId: enr.id, patientId });
  return {
    patientId,
    enrolment: await enrolmentDto(tx, enr),
    calendar,
    streaks: state.tracks.map((t) => ({ track: t.track, s: t.s, lastOutcome: t.lastOutcome, currentCents: t.currentCents, currentDraws: t.currentDraws ?? 0, privilege: t.privilege })),
    next: state.next,
    balanceCents: balance,
    earnedCents,
    tracks: state.tracks.filter((t) => t.settlement).map((t) => ({ track: t.track, payout: t.payout, ...t.settlement! })),
    money,
    draws: draws.items,
    pendingAdjudications: state.pending,
    caps,
  };
}

/**
 * Every screen of the programme's patients (in CM or not) collected since `since`, with its
 * result in effect (screens.ts inEffect: corrections merged analyte by analyte).
 */
async function screensInEffectSince(tx: Tx, programId: string, since: Date) {
  const recent = and(eq(screens.programId, programId), gte(screens.collectedAt, since));
  const rows = await tx.select().from(screens).where(recent);
  const corrections = await tx
    .select()
    .from(screenCorrections)
    .where(and(eq(screenCorrections.programId, programId), inArray(screenCorrections.screenId, tx.select({ id: screens.id }).from(screens).where(recent))))
    .orderBy(asc(screenCorrections.recordedAt), asc(screenCorrections.id));
  const byScreen = new Map<string, CorrectionRow[]>();
  for (const c of corrections) byScreen.set(c.screenId, [...(byScreen.get(c.screenId) ?? []), c]);
  return rows.map((s) => ({ collectedOn: s.collectedOn, ...inEffect(s, byScreen.get(s.id) ?? []) }));
}

/** A screen counts as negative when it is valid and no result in effect is positive (a prescribed medication's positive is adherence, not use). */
export const screenIsNegative = (s: { valid: boolean; results: ReadonlyArray<{ result: string; prescribed: boolean }> }) => s.valid && !s.results.some((r) => r.result === 'positive' && !r.prescribed);

export async function programmeSummary(deps: Deps) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const today = localDate(ctx.now, tz);
  const year = today.slice(0, 4);
  const counts = rowsOf<{ status: string; n: string | number }>(await tx.execute(sql`select status, count(*) as n from ${cmEnrolments} where program_id = ${programId} group by status`));
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  const since = new Date(ctx.now.getTime() - 12 * 7 * 86_400_000);
  // every patient's screens, in CM or not, as they stand after corrections
  const weeks = new Map<string, { specimens: number; negative: number }>();
  for (const s of await screensInEffectSince(tx, programId, since)) {
    const w = weekStart(s.collectedOn);
    const cell = weeks.get(w) ?? { specimens: 0, negative: 0 };
    cell.specimens++;
    if (screenIsNegative(s)) cell.negative++;
    weeks.set(w, cell);
  }
  const negativeByWeek = [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, c]) => ({ weekStart, ...c, percentNegative: c.specimens ? Math.round((1000 * c.negative) / c.specimens) / 10 : null }));
  const spend = rowsOf<{ fs: string | null; cents: string | number }>(
    await tx.execute(sql`
    select funding_source_id as fs, sum(${entryEffectSql('paid')}) as cents
    from ${cmLedgerEntries} l where program_id = ${programId} and month like ${year + '-%'} and ${NOT_VOIDED} group by funding_source_id`),
  );
  const sources = await tx.select().from(cmFundingSources).where(eq(cmFundingSources.programId, programId));
  const settings = await getSettings(tx, programId, ctx.now);
  const perPatient = rowsOf<{ patient_id: string; fs: string | null; cents: string | number }>(
    await tx.execute(sql`
    select patient_id, funding_source_id as fs, sum(${entryEffectSql('paid')}) as cents
    from ${cmLedgerEntries} l where program_id = ${programId} and month like ${year + '-%'} and ${NOT_VOIDED} group by patient_id, funding_source_id`),
  );
  let capsReached = 0;
  for (const p of perPatient) {
    const cap = (sources.find((s) => s.id === p.fs)?.caps as { perYearCents?: number | null } | undefined)?.perYearCents;
    if (cap != null && Number(p.cents) >= cap) capsReached++;
  }
  const monthAgo = new Date(ctx.now.getTime() - 30 * 86_400_000);
  const red = rowsOf<{ n: string | number; cents: string | number | null; pending: string | number }>(
    await tx.execute(sql`
    select count(*) filter (where o.outcome = 'completed') as n, sum(r.cents) filter (where o.outcome = 'completed') as cents,
           count(*) filter (where o.outcome is null) as pending
    from ${cmRedemptions} r left join ${cmRedemptionOutcomes} o on o.program_id = r.program_id and o.redemption_id = r.id
    where r.program_id = ${programId} and r.requested_at >= ${monthAgo.toISOString()}::timestamptz`),
  )[0];
  const items = await tx
    .select()
    .from(cmCatalogueItems)
    .where(and(eq(cmCatalogueItems.programId, programId), eq(cmCatalogueItems.active, true), sql`${cmCatalogueItems.stock} <= ${cmCatalogueItems.reorderLevel}`));
  const states = await tx
    .select({ state: cmEnrolments.state })
    .from(cmEnrolments)
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.status, 'active')));
  const pendingPriv = rowsOf<{ n: string | number }>(
    await tx.execute(sql`
    select count(*) as n from ${cmPrivilegeRecommendations} r where r.program_id = ${programId}
    and not exists (select 1 from ${cmPrivilegeDecisions} d where d.program_id = r.program_id and d.recommendation_id = r.id)`),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-programme-summary' });
  const total = spend.reduce((a, s) => a + Number(s.cents), 0);
  return {
    enrolled: { active: n('active'), completed: n('completed'), withdrawn: n('withdrawn') },
    negativeByWeek,
    spend: {
      yearToDateCents: total,
      budgetCents: settings.budgetCents,
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
  const rows = await tx
    .select({ r: cmPrivilegeRecommendations, d: cmPrivilegeDecisions })
    .from(cmPrivilegeRecommendations)
    .leftJoin(cmPrivilegeDecisions, and(eq(cmPrivilegeDecisions.programId, cmPrivilegeRecommendations.programId), eq(cmPrivilegeDecisions.recommendationId, cmPrivilegeRecommendations.id)))
    .where(
      and(
        eq(cmPrivilegeRecommendations.programId, programId),
        pendingOnly ? isNull(cmPrivilegeDecisions.recommendationId) : undefined,
        after ? sql`(${cmPrivilegeRecommendations.createdAt}, ${cmPrivilegeRecommendations.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(cmPrivilegeRecommendations.createdAt), asc(cmPrivilegeRecommendations.id))
    .limit(page.limit + 1);
  const out = pageOf(
    rows,
    page.limit,
    ({ r }) => [r.createdAt.toISOString(), r.id],
    ({ r, d }) => ({
      id: r.id,
      enrolmentId: r.enrolmentId,
      patientId: r.patientId,
      track: r.track,
      level: r.level,
      levelIndex: r.levelIndex,
      eventId: r.eventId,
      createdAt: r.createdAt.toISOString(),
      decision: d ? { decision: d.decision, reason: d.reason, decidedBy: d.decidedBy, decidedAt: d.decidedAt.toISOString() } : null,
    }),
  );
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'cm-privilege', detail: { count: out.items.length } });
  return out;
}

export async function decidePrivilege(deps: Deps, id: string, input: { decision: 'approved' | 'declined'; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [r] = await tx
    .select()
    .from(cmPrivilegeRecommendations)
    .where(and(eq(cmPrivilegeRecommendations.programId, programId), eq(cmPrivilegeRecommendations.id, id)));
  if (!r) throw notFound('Recommendation');
  const [d] = await tx
    .insert(cmPrivilegeDecisions)
    .values({ programId, recommendationId: id, decision: input.decision, reason: input.reason, decidedBy: ctx.principal!.userId, decidedAt: ctx.now })
    .onConflictDoNothing()
    .returning();
  if (!d) throw conflict('already_decided', 'This recommendation was already decided.', 'body.decision');
  await writeAudit(tx, auditContext(ctx), {
    action: input.decision === 'approved' ? 'approve' : 'decline',
    entity: 'cm-privilege',
    entityId: id,
    patientId: r.patientId,
    detail: { track: r.track, levelIndex: r.levelIndex },
  });
  return {
    id: r.id,
    enrolmentId: r.enrolmentId,
    patientId: r.patientId,
    track: r.track,
    level: r.level,
    levelIndex: r.levelIndex,
    eventId: r.eventId,
    createdAt: r.createdAt.toISOString(),
    decision: { decision: d.decision, reason: d.reason, decidedBy: d.decidedBy, decidedAt: d.decidedAt.toISOString() },
  };
}
