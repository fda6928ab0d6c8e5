// Demo messages (fictional): contact preferences for a few patients and messages in the
// outbox — waiting, suppressed for want of consent, and one dead letter — so the console's
// outbox view has something to show. With no provider configured, `npm start` delivers the
// waiting ones to the console within seconds. The phone line (ADR 038): a fictional clinic
// number callers are put through to, and a daily check-in reminder at 19:00 for two patients.
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { contactPreferences, outboxMessages, phoneLineSettings } from '../messages/messages.tables.ts';
import { enqueueMessage } from '../messages/outbox.ts';
import { patients } from '../patients/patients.tables.ts';

export async function seedMessagesDemo(tx: Tx, o: { programId: string; now: Date }): Promise<void> {
  const rows = await tx.select({ id: patients.id }).from(patients).where(eq(patients.programId, o.programId)).orderBy(asc(patients.mrn)).limit(8);
  const [a, b, c, d, e, f] = rows.map((r) => r.id);
  if (!a || !b || !c || !d || !e || !f) return;
  let n = 0;
  const prefs = async (patientId: string, over: Partial<typeof contactPreferences.$inferInsert> = {}) => {
    // a full number in the range kept for fiction (555-01xx), so the SMS channel has somewhere to send
    n += 1;
    await tx
      .update(patients)
      .set({ phone: `+1 202 555 01${String(n).padStart(2, '0')}` })
      .where(and(eq(patients.programId, o.programId), eq(patients.id, patientId)));
    await tx.insert(contactPreferences).values({ programId: o.programId, patientId, consentSms: true, updatedAt: o.now, ...over });
  };
  await prefs(a, { checkInReminderAt: '19:00' });
  await prefs(b, { quietStart: '21:00', quietEnd: '08:00' });
  await prefs(c, { checkInReminderAt: '19:00' });
  await prefs(d, { consentSms: false }); // no consent: suppressed, never sent
  await prefs(e);
  await prefs(f);
  await tx.insert(phoneLineSettings).values({ programId: o.programId, clinicNumber: '+12025550100', updatedAt: o.now });
  const send = (patientId: string, template: string, cause: string) => enqueueMessage(tx, { programId: o.programId, patientId, template, cause, channel: 'sms', now: o.now });
  await send(a, 'visit-today', 'demo:visit-today');
  await send(b, 'reminder', 'demo:reminder');
  await send(c, 'something-waiting', 'demo:something-waiting');
  await send(d, 'reminder', 'demo:reminder');
  await send(e, 'reminder', 'demo:reminder');
  // a dead letter: the provider refused it every time (the demo writes its history directly)
  const dead = await send(f, 'reminder', 'demo:reminder');
  if (dead)
    await tx
      .update(outboxMessages)
      .set({ status: 'dead', attempts: 8, lastError: 'http_503', updatedAt: o.now })
      .where(and(eq(outboxMessages.programId, o.programId), eq(outboxMessages.id, dead)));
}
