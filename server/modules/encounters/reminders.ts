// Visit reminders through the outbox (issue 14, ADR 042): the day before a booked visit,
// from REMINDER_HOUR on the patient's clock (their own time zone, else the programme's), a
// message with the day and time in their language — and nothing about what the visit is.
// Once per person and visit (the dedupe key); a visit moved to another day is reminded
// again for its new day. Consent, channel, opt-outs and quiet hours are the outbox's.
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { localMinute } from '../../../core/messages/quiet-hours.ts';
import { inTransaction, type Db } from '../../platform/db/database.ts';
import { contactPreferences } from '../messages/messages.tables.ts';
import { enqueueMessage } from '../messages/outbox.ts';
import { REMINDER_HOUR } from '../messages/reminders.ts';
import { messageLanguage } from '../messages/templates.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { encounterParticipants, encounters } from './encounters.tables.ts';

/** "Tuesday, March 3 at 6:00 PM" / "martes, 3 de marzo a las 18:00", on the patient's clock. */
export function visitWhen(at: Date, language: 'en' | 'es', timeZone: string): string {
  const day = new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone }).format(at);
  const time = new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { hour: 'numeric', minute: '2-digit', hourCycle: language === 'es' ? 'h23' : 'h12', timeZone }).format(at);
  return language === 'es' ? `${day} a las ${time}` : `${day} at ${time}`;
}

export async function enqueueVisitReminders(db: Db, now: Date): Promise<{ enqueued: number }> {
  // visits in the next two days: "tomorrow" on any patient's clock falls inside
  const rows = await db
    .select({
      programId: encounters.programId,
      encounterId: encounters.id,
      startsAt: encounters.startsAt,
      patientId: encounterParticipants.patientId,
      language: patients.preferredLanguage,
      timeZone: sql<string>`coalesce(${contactPreferences.timeZone}, ${programs.timeZone})`,
    })
    .from(encounters)
    .innerJoin(programs, eq(programs.id, encounters.programId))
    .innerJoin(encounterParticipants, and(eq(encounterParticipants.programId, encounters.programId), eq(encounterParticipants.encounterId, encounters.id)))
    .innerJoin(patients, and(eq(patients.programId, encounterParticipants.programId), eq(patients.id, encounterParticipants.patientId)))
    .leftJoin(contactPreferences, and(eq(contactPreferences.programId, encounterParticipants.programId), eq(contactPreferences.patientId, encounterParticipants.patientId)))
    .where(and(eq(encounters.status, 'scheduled'), gt(encounters.startsAt, now), lt(encounters.startsAt, new Date(now.getTime() + 2 * 86_400_000)), isNull(encounterParticipants.attendance)));
  let enqueued = 0;
  for (const r of rows) {
    const day = localDate(r.startsAt, r.timeZone);
    if (localDate(now, r.timeZone) !== addDays(day, -1) || localMinute(now, r.timeZone) < REMINDER_HOUR * 60) continue;
    const id = await inTransaction(db, (tx) =>
      enqueueMessage(tx, {
        programId: r.programId,
        patientId: r.patientId,
        template: 'visit-reminder',
        cause: 'reminder:visit',
        dedupeKey: `visit:${r.encounterId}:${r.patientId}:${day}`,
        params: { when: visitWhen(r.startsAt, messageLanguage(r.language), r.timeZone) },
        paramsExpireAt: r.startsAt,
        now,
      }),
    );
    if (id) enqueued += 1;
  }
  return { enqueued };
}
