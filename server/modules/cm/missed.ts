// The missed-opportunity job: every calendar slot of an active enrolment whose window
// has closed with nothing recorded becomes a `missed` event. Idempotent by the slot's
// unique index (enrolment + kind + local date): running it twice, on two servers at
// once, or after days of downtime closes each opportunity exactly once.
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, systemCtx } from '../../platform/http/context.ts';
import { programs } from '../programs/programs.tables.ts';
import { cmEnrolments, cmEvents } from './cm.tables.ts';
import { appendEvent, loadProtocol, lockPatientEnrolments, settle, type CalendarDoc } from './settle.ts';
import { slotKindsOf } from '../../../core/cm/clinic.ts';
import { addDays, datesBetween, localDate, weekday, zonedInstant } from '../../../core/cm/calendar.ts';

export type MissedReport = { enrolments: number; missed: number };

/** Closes every closed-window slot with no event; one transaction per enrolment (under its lock). */
export async function closeMissedOpportunities(db: Db, now: Date): Promise<MissedReport> {
  const active = await db
    .select({ programId: cmEnrolments.programId, id: cmEnrolments.id, patientId: cmEnrolments.patientId, orgId: programs.orgId, tz: programs.timeZone })
    .from(cmEnrolments)
    .innerJoin(programs, eq(programs.id, cmEnrolments.programId))
    .where(and(eq(cmEnrolments.status, 'active'), sql`coalesce(${cmEnrolments.closedThrough}, ${cmEnrolments.startDate} - 1) < ${cmEnrolments.endDate}`));
  const report: MissedReport = { enrolments: 0, missed: 0 };
  for (const a of active) {
    const n = await inTransaction(db, async (tx) => {
      const rows = await lockPatientEnrolments(tx, a.programId, a.patientId);
      const enr = rows.find((r) => r.id === a.id);
      if (!enr || enr.status !== 'active') return 0;
      const cal = enr.calendar as CalendarDoc;
      const protocol = await loadProtocol(tx, enr.programId, enr.protocolId);
      const kinds = slotKindsOf(protocol);
      // the last local date whose window has ended
      const today = localDate(now, a.tz);
      const lastClosed = zonedInstant(today, cal.windowEnd, a.tz).getTime() <= now.getTime() ? today : addDays(today, -1);
      const from = enr.closedThrough ? addDays(enr.closedThrough, 1) : enr.startDate;
      const to = lastClosed < enr.endDate ? lastClosed : enr.endDate;
      if (from > to) return 0;
      const taken = new Set(
        (
          await tx
            .select({ k: cmEvents.slotKind, d: cmEvents.slotDate })
            .from(cmEvents)
            .where(and(eq(cmEvents.programId, enr.programId), eq(cmEvents.enrolmentId, enr.id), sql`${cmEvents.slotDate} between ${from} and ${to}`))
        ).map((r) => `${r.k}/${r.d}`),
      );
      let added = 0;
      for (const d of datesBetween(from, to)) {
        for (const kind of kinds) {
          if (!(cal[kind] ?? []).includes(weekday(d)) || taken.has(`${kind}/${d}`)) continue;
          await appendEvent(tx, enr, {
            id: randomUUID(),
            kind: 'missed',
            at: zonedInstant(d, cal.windowEnd, a.tz),
            slotKind: kind,
            slotDate: d,
            engine: { of: kind },
            detail: null,
            source: 'job',
            recordedBy: null,
            recordedAt: now,
          });
          added++;
        }
      }
      await tx
        .update(cmEnrolments)
        .set({ closedThrough: to })
        .where(and(eq(cmEnrolments.programId, enr.programId), eq(cmEnrolments.id, enr.id)));
      if (added > 0) {
        const s = await settle({ tx, now, actorId: null, tz: a.tz }, enr);
        const ctx = systemCtx({ orgId: a.orgId, programId: enr.programId, now, requestId: 'job:cm-missed' });
        await writeAudit(tx, auditContext(ctx), { action: 'close-missed', entity: 'cm-enrolment', entityId: enr.id, patientId: enr.patientId, detail: { missed: added, entries: s.inserted.length } });
      }
      return added;
    });
    report.enrolments += 1;
    report.missed += n;
  }
  return report;
}
