// The patient's Today (issue 12): what exists now, read with the CM module's own reads (the
// rules stay there), narrowed to what the patient sees: the balance without prizes not yet
// shown, the streak, and what the next opportunity can earn. Both reads audit themselves,
// with the patient as the actor (actor_role 'patient').
import type { Tx } from '../../platform/db/database.ts';
import type { Ctx, PatientPrincipal } from '../../platform/http/context.ts';
import { patientLedger } from '../cm/ledger.ts';
import { patientSummary } from '../cm/summaries.ts';
import { programTimeZone } from '../cm/settle.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';

/** The calendar on Today: two weeks back and one ahead (the console has the whole enrolment). */
const CALENDAR_DAYS_BACK = 13;
const CALENDAR_DAYS_AHEAD = 7;

export async function patientToday(deps: { tx: Tx; ctx: Ctx }, me: PatientPrincipal) {
  const summary = await patientSummary(deps, me.patientId);
  if (!summary.enrolment || summary.enrolment.status !== 'active') return { cm: null };
  const ledger = await patientLedger(deps, me.patientId);
  const next = summary.next.find((n) => n !== null) ?? null;
  const from = addDays(localDate(deps.ctx.now, await programTimeZone(deps.tx, me.programId)), -CALENDAR_DAYS_BACK);
  const to = addDays(from, CALENDAR_DAYS_BACK + CALENDAR_DAYS_AHEAD);
  return {
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
