// The patient's Today (issue 12): their next visits at the clinic, and what exists in CM, read
// with the CM module's own reads (the rules stay there), narrowed to what the patient sees: the
// balance without prizes not yet shown, the streak, and what the next opportunity can earn.
// Every read audits itself, with the patient as the actor (actor_role 'patient').
import type { Tx } from '../../platform/db/database.ts';
import type { Ctx, PatientPrincipal } from '../../platform/http/context.ts';
import { patientLedger } from '../cm/ledger.ts';
import { patientSummary } from '../cm/summaries.ts';
import { programTimeZone } from '../cm/settle.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { and, asc, eq, gte } from 'drizzle-orm';
import { isCancelled } from '../../../core/encounters/types.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext } from '../../platform/http/context.ts';
import { encounterParticipants, encounters } from '../encounters/encounters.tables.ts';
import { typesOf } from '../encounters/encounter-types.ts';

/** The calendar on Today: two weeks back and one ahead (the console has the whole enrolment). */
const CALENDAR_DAYS_BACK = 13;
const CALENDAR_DAYS_AHEAD = 7;

/** How many of the patient's next visits Today lists. */
const NEXT_VISITS = 3;

/** The patient's next visits: booked, not cancelled (the visit or their place on it), not yet started. */
async function nextVisits(deps: { tx: Tx; ctx: Ctx }, me: PatientPrincipal) {
  const { tx, ctx } = deps;
  const rows = await tx
    .select({ id: encounters.id, startsAt: encounters.startsAt, endsAt: encounters.endsAt, typeCode: encounters.typeCode, modality: encounters.modality, attendance: encounterParticipants.attendance })
    .from(encounterParticipants)
    .innerJoin(encounters, and(eq(encounters.programId, encounterParticipants.programId), eq(encounters.id, encounterParticipants.encounterId)))
    .where(and(eq(encounterParticipants.programId, me.programId), eq(encounterParticipants.patientId, me.patientId), eq(encounters.status, 'scheduled'), gte(encounters.startsAt, ctx.now)))
    .orderBy(asc(encounters.startsAt))
    .limit(NEXT_VISITS + 5);
  const types = new Map((await typesOf(tx, me.programId)).map((t) => [t.code, t.label]));
  const visits = rows
    .filter((r) => !isCancelled(r.attendance))
    .slice(0, NEXT_VISITS)
    .map((r) => ({ startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), type: types.get(r.typeCode) ?? { en: r.typeCode, es: r.typeCode }, modality: r.modality }));
  if (visits.length > 0) await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'schedule', patientId: me.patientId, detail: { visits: visits.length } });
  return visits;
}

export async function patientToday(deps: { tx: Tx; ctx: Ctx }, me: PatientPrincipal) {
  const timeZone = await programTimeZone(deps.tx, me.programId);
  const visits = await nextVisits(deps, me);
  const summary = await patientSummary(deps, me.patientId);
  if (!summary.enrolment || summary.enrolment.status !== 'active') return { timeZone, visits, cm: null };
  const ledger = await patientLedger(deps, me.patientId);
  const next = summary.next.find((n) => n !== null) ?? null;
  const from = addDays(localDate(deps.ctx.now, timeZone), -CALENDAR_DAYS_BACK);
  const to = addDays(from, CALENDAR_DAYS_BACK + CALENDAR_DAYS_AHEAD);
  return {
    timeZone,
    visits,
    cm: {
      balanceCents: ledger.balanceCents,
      drawsWaiting: ledger.unshownDraws,
      streak: Math.max(0, ...summary.streaks.map((s) => s.s)),
      next: next
        ? {
            date: next.date,
            kind: next.kind,
            cents: next.tracks.reduce((sum, t) => sum + t.cents, 0),
            draws: next.tracks.reduce((sum, t) => sum + t.draws, 0),
          }
        : null,
      calendar: summary.calendar.filter((c) => c.date >= from && c.date <= to).map((c) => ({ date: c.date, kind: c.kind, status: c.status, cents: c.cents, draws: c.draws })),
    },
  };
}
