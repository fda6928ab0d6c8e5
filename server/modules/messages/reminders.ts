// Reminders through the outbox, enqueued by a scheduled job (hourly): on a CM test day
// ("Your clinic would like to see you today") and when draws earned are waiting to be
// revealed ("Something is waiting for you"). At most one of each per enrolment and local
// day (the dedupe key), from REMINDER_HOUR in the programme's time zone; quiet hours, consent
// and language are applied by the outbox. The daily check-in reminder at each patient's
// chosen time: enqueueCheckInReminders (every 5 minutes; ADR 038). Appointment reminders come later.
import { and, eq, sql } from 'drizzle-orm';
import { localDate, weekday } from '../../../core/cm/calendar.ts';
import { chooseChannel } from '../../../core/messages/consent.ts';
import { localMinute } from '../../../core/messages/quiet-hours.ts';
import { dueReminder } from '../../../core/messages/reminder-time.ts';
import { checkIns } from '../checkins/checkins.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { contactPreferences } from './messages.tables.ts';
import { contactOf } from './outbox.ts';
import { rowsOf } from '../../platform/audit.ts';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { cmDrawReveals, cmEnrolments, cmLedgerEntries } from '../cm/cm.tables.ts';
import { NOT_VOIDED } from '../cm/settle.ts';
import { onCalendarDay } from '../cm/summaries.ts';
import { programs } from '../programs/programs.tables.ts';
import { enqueueMessage } from './outbox.ts';

/** Reminders are enqueued from this local hour on (a test-day reminder at 3 a.m. helps no one). */
export const REMINDER_HOUR = 7;

export type ReminderCounts = { testDay: number; drawsWaiting: number };

export async function enqueueReminders(db: Db, now: Date): Promise<ReminderCounts> {
  const counts: ReminderCounts = { testDay: 0, drawsWaiting: 0 };
  for (const p of await db.select({ id: programs.id, timeZone: programs.timeZone }).from(programs)) {
    if (localMinute(now, p.timeZone) < REMINDER_HOUR * 60) continue;
    const day = localDate(now, p.timeZone);
    // one transaction per programme: reminders of one programme never wait on another's
    await inTransaction(db, async (tx) => {
      const active = and(eq(cmEnrolments.programId, p.id), eq(cmEnrolments.status, 'active'), sql`${cmEnrolments.startDate} <= ${day}`, sql`${cmEnrolments.endDate} >= ${day}`);
      const testDay = await tx
        .select({ id: cmEnrolments.id, patientId: cmEnrolments.patientId })
        .from(cmEnrolments)
        .where(and(active, onCalendarDay(['specimen'], weekday(day))));
      for (const e of testDay) {
        const id = await enqueueMessage(tx, { programId: p.id, patientId: e.patientId, template: 'visit-today', cause: 'reminder:test-day', dedupeKey: `test-day:${e.id}:${day}`, now });
        if (id) counts.testDay += 1;
      }
      // draws earned and not yet revealed (voided prizes excluded), as the day list counts them
      const waiting = rowsOf<{ id: string; patient_id: string }>(
        await tx.execute(sql`
          select distinct e.id, e.patient_id from ${cmEnrolments} e
          join ${cmLedgerEntries} l on l.program_id = e.program_id and l.enrolment_id = e.id and l.kind = 'prize'
          where e.program_id = ${p.id} and e.status = 'active' and e.start_date <= ${day} and e.end_date >= ${day}
          and not exists (select 1 from ${cmDrawReveals} d where d.program_id = l.program_id and d.enrolment_id = l.enrolment_id and d.n = l.n)
          and ${NOT_VOIDED}`),
      );
      for (const e of waiting) {
        const id = await enqueueMessage(tx, {
          programId: p.id,
          patientId: e.patient_id,
          template: 'something-waiting',
          cause: 'reminder:draws-waiting',
          dedupeKey: `draws-waiting:${e.id}:${day}`,
          now,
        });
        if (id) counts.drawsWaiting += 1;
      }
    });
  }
  return counts;
}

/**
 * The daily check-in reminder, at each patient's chosen local time (core/messages/reminder-time.ts):
 * once per patient and local day (the dedupe key), not when today's check-in is already in,
 * never when the time lies in their quiet hours. By push or email: "time for your daily
 * check-in"; by text (a patient who can only be texted): the SMS check-in's question, so
 * they can answer "7 0 1" in reply. Consent and opt-outs are the outbox's.
 */
export async function enqueueCheckInReminders(db: Db, now: Date): Promise<{ enqueued: number }> {
  let enqueued = 0;
  const chosen = await db
    .select({
      programId: contactPreferences.programId,
      patientId: contactPreferences.patientId,
      time: contactPreferences.checkInReminderAt,
      timeZone: sql<string>`coalesce(${contactPreferences.timeZone}, ${programs.timeZone})`,
      quietStart: contactPreferences.quietStart,
      quietEnd: contactPreferences.quietEnd,
    })
    .from(contactPreferences)
    .innerJoin(patients, and(eq(patients.programId, contactPreferences.programId), eq(patients.id, contactPreferences.patientId)))
    .innerJoin(programs, eq(programs.id, contactPreferences.programId))
    .where(sql`${contactPreferences.checkInReminderAt} is not null`);
  for (const p of chosen) {
    const due = dueReminder(now, p.timeZone, p.time!, p.quietStart && p.quietEnd ? { start: p.quietStart, end: p.quietEnd } : null);
    if (!due) continue;
    const id = await inTransaction(db, async (tx) => {
      const [done] = await tx
        .select({ id: checkIns.id })
        .from(checkIns)
        .where(and(eq(checkIns.programId, p.programId), eq(checkIns.patientId, p.patientId), eq(checkIns.day, due.day)))
        .limit(1);
      if (done) return null;
      const contact = await contactOf(tx, p.programId, p.patientId);
      if (!contact) return null;
      const channel = chooseChannel(contact) ?? 'sms';
      return enqueueMessage(tx, {
        programId: p.programId,
        patientId: p.patientId,
        channel,
        template: channel === 'sms' ? 'check-in-sms' : 'check-in-reminder',
        cause: 'reminder:check-in',
        dedupeKey: `check-in:${p.patientId}:${due.day}`,
        now,
      });
    });
    if (id) enqueued += 1;
  }
  return { enqueued };
}
