// Demo check-ins (fictional): three weeks of daily check-ins for three demo patients,
// recorded through recordCheckIn (so the risk rules run as they would), from the app, by
// text message and by phone with the counsellor. HSC-0003's last two days of strong
// craving leave one open alert on the work list; HSC-0006's missed doses raised one the
// counsellor has acknowledged.
import { and, eq, inArray } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import type { CheckInAnswers, CheckInSource } from '../../../core/checkins/answers.ts';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { patients } from '../patients/patients.tables.ts';
import { acknowledgeSafetyAlert } from '../assessments/safety-alerts.ts';
import { recordCheckIn } from '../checkins/record-check-in.ts';
import { ctxFor } from './seed-clinical.ts';

const TZ = 'America/New_York';
const DAYS = 21;

/** A day's answers for a patient, i = 0 (three weeks ago) … DAYS - 1 (today); undefined = no check-in that day. */
type Script = (i: number) => { answers: CheckInAnswers; source: CheckInSource } | undefined;

const steady: Script = (i) =>
  i % 6 === 5
    ? undefined
    : { source: i % 3 === 0 ? 'sms' : 'app', answers: { mood: 3 + (i % 3 === 0 ? 1 : 0), craving: 2 + (i % 4), use: { any: false }, medication: 'taken', sleep: 3 + (i % 2), stress: 3 + (i % 3) } };
const rising: Script = (i) => {
  const craving = i >= DAYS - 2 ? 8 + (i - (DAYS - 2)) : Math.min(7, 3 + Math.floor(i / 4));
  return {
    source: i === DAYS - 1 ? 'staff' : 'app',
    answers: {
      mood: Math.max(1, 4 - Math.floor(i / 6)),
      craving,
      use: { any: false },
      medication: 'taken',
      sleep: i > 14 ? 2 : 3,
      stress: Math.min(9, 3 + Math.floor(i / 3)),
      ...(i === DAYS - 1 ? { note: 'Hard week at work (demo).' } : {}),
    },
  };
};
const missedTwice: Script = (i) => (i % 2 === 1 ? undefined : { source: 'sms', answers: { craving: 4, use: { any: false }, medication: i === 8 || i === 10 ? 'missed' : 'taken' } });

export async function seedCheckInsDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }) {
  const counsellor = o.staff.get('counsellor')!;
  const ctx = (now: Date) => ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now });
  const rows = await tx
    .select({ id: patients.id, mrn: patients.mrn })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), inArray(patients.mrn, ['HSC-0002', 'HSC-0003', 'HSC-0006'])));
  const byMrn = new Map(rows.map((r) => [r.mrn, r.id]));
  const today = localDate(o.now, TZ);
  const scripts: Array<[string, Script, string]> = [
    ['HSC-0002', steady, '19:30'],
    ['HSC-0003', rising, '09:15'],
    ['HSC-0006', missedTwice, '20:05'],
  ];
  const raised: string[] = [];
  for (const [mrn, script, time] of scripts) {
    const patientId = byMrn.get(mrn);
    if (!patientId) continue;
    for (let i = 0; i < DAYS; i++) {
      const entry = script(i);
      if (!entry) continue;
      const day = addDays(today, i - (DAYS - 1));
      // today's check-in is made an hour before the seed runs, never in the future
      const at = i === DAYS - 1 ? new Date(o.now.getTime() - 3_600_000) : zonedInstant(day, time, TZ);
      const r = await recordCheckIn(
        { tx, ctx: ctx(at) },
        { programId: o.programId, patientId, source: entry.source, answers: entry.answers, idempotencyKey: `demo-${mrn}-${i}`, recordedBy: entry.source === 'staff' ? counsellor.id : null },
      );
      if (mrn === 'HSC-0006') raised.push(...r.alerts.map((a) => a.id));
    }
  }
  for (const id of raised) await acknowledgeSafetyAlert({ tx, ctx: ctx(zonedInstant(addDays(today, -9), '10:00', TZ)) }, id, { note: 'Called; dose times moved to the morning (demo).' });
}
