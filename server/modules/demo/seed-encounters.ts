// Demo encounters (fictional), through the module's own use cases: two rooms, a weekly
// CBT group that meets on yesterday's weekday and started five weeks ago (every visit so far
// with its attendance recorded, the next ones booked), two of its members in CM on the
// attendance-voucher preset (so the group's attendance shows real awards; their CM day is the
// group's, not today's, so today's CM check-in list is the CM demo's), and the counsellor's
// individual sessions today — one held this morning, one with the person checked in.
import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import { addDays, localDate, weekday, zonedInstant } from '../../../core/cm/calendar.ts';
import type { Role } from '../../../core/access/roles.ts';
import type { Attendance } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { patients } from '../patients/patients.tables.ts';
import { cmEnrolments } from '../cm/cm.tables.ts';
import { createProtocol } from '../cm/protocols.ts';
import { enrol } from '../cm/enrolments.ts';
import { recordAttendance } from '../encounters/attendance.ts';
import { createRoom } from '../encounters/rooms.ts';
import { bookEncounter, recordArrival } from '../encounters/schedule.ts';
import { createSeries } from '../encounters/series.ts';
import { ctxFor } from './seed-clinical.ts';

const TZ = 'America/New_York';
/** Each past group visit: who came (by roster position) and how. */
const PAST: Attendance[][] = [
  ['attended', 'attended', 'late', 'attended', 'no-show', 'attended', 'attended', 'excused', 'attended', 'attended'],
  ['attended', 'attended', 'attended', 'no-show', 'attended', 'attended', 'late', 'attended', 'attended', 'left-early'],
  ['attended', 'late', 'attended', 'attended', 'attended', 'no-show', 'attended', 'attended', 'attended', 'attended'],
  ['attended', 'attended', 'attended', 'attended', 'late', 'attended', 'attended', 'attended', 'no-show', 'attended'],
  ['attended', 'no-show', 'attended', 'attended', 'attended', 'attended', 'late', 'attended', 'attended', 'attended'],
];

export async function seedEncountersDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }) {
  const counsellor = o.staff.get('counsellor')!;
  const coordinator = o.staff.get('cm-coordinator')!;
  const desk = o.staff.get('front-desk')!;
  const admin = o.staff.get('administrator')!;
  const as = (who: { id: string; name: string }, role: Role, now: Date) => ({ tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: who.id, name: who.name, role, now }) });
  const today = localDate(o.now, TZ);
  const firstDate = addDays(today, -29);

  const groupRoom = await createRoom(as(admin, 'administrator', o.now), { name: 'Group room A (demo)', capacity: 14 });
  const office = await createRoom(as(admin, 'administrator', o.now), { name: 'Counselling room 1 (demo)', capacity: 3 });

  // ten people not in CM yet, by MRN: the group's roster
  const enrolled = tx.select({ id: cmEnrolments.patientId }).from(cmEnrolments).where(eq(cmEnrolments.programId, o.programId));
  const roster = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), notInArray(patients.id, enrolled), isNull(patients.email)))
    .orderBy(asc(patients.mrn))
    .limit(12);
  if (roster.length < 12) return;
  const members = roster.slice(0, 10).map((r) => r.id);

  // two members earn vouchers for attending (the attendance preset, from the group's first week)
  const startAt = zonedInstant(firstDate, '08:00', TZ);
  const preset = await createProtocol(as(coordinator, 'cm-coordinator', startAt), { preset: 'attendance-vouchers' });
  for (const patientId of members.slice(0, 2))
    await enrol(as(coordinator, 'cm-coordinator', startAt), {
      patientId,
      protocolId: preset.id,
      startDate: firstDate,
      calendar: { specimen: [], attendance: [weekday(firstDate)], dose: [], windowStart: '08:00', windowEnd: '21:00' },
    });

  const series = await createSeries(as(counsellor, 'counsellor', startAt), {
    typeCode: 'group-cbt',
    title: 'Evening CBT skills group (demo)',
    modality: 'in-person',
    staffId: counsellor.id,
    roomId: groupRoom.id,
    firstDate,
    weeks: 12,
    startTime: '18:00',
    durationMinutes: 90,
    capacity: 12,
    patientIds: members,
  });
  for (const [w, visit] of series.visits.slice(0, PAST.length).entries()) {
    const after = new Date(Date.parse(visit.startsAt) + 95 * 60_000);
    await recordAttendance(as(counsellor, 'counsellor', after), visit.id, { records: members.map((patientId, i) => ({ patientId, attendance: PAST[w]![i]! })) });
  }

  // today: a session held this morning, one this afternoon with the person already here
  const [morning, afternoon] = [roster[10]!.id, roster[11]!.id];
  const nine = zonedInstant(today, '09:00', TZ);
  const held = await bookEncounter(as(desk, 'front-desk', addDaysTo(nine, -2)), {
    typeCode: 'individual-counselling',
    modality: 'in-person',
    startsAt: nine.toISOString(),
    durationMinutes: 50,
    staffId: counsellor.id,
    roomId: office.id,
    patientIds: [morning],
    title: null,
    capacity: null,
  });
  if (o.now.getTime() > nine.getTime() + 60 * 60_000) {
    await recordArrival(as(desk, 'front-desk', new Date(nine.getTime() - 5 * 60_000)), held.id, morning);
    await recordAttendance(as(counsellor, 'counsellor', new Date(nine.getTime() + 55 * 60_000)), held.id, { records: [{ patientId: morning, attendance: 'attended' }] });
  }
  const later = await bookEncounter(as(desk, 'front-desk', addDaysTo(nine, -1)), {
    typeCode: 'mi-session',
    modality: 'in-person',
    startsAt: zonedInstant(today, '15:00', TZ).toISOString(),
    durationMinutes: 50,
    staffId: counsellor.id,
    roomId: office.id,
    patientIds: [afternoon],
    title: null,
    capacity: null,
  });
  await recordArrival(as(desk, 'front-desk', o.now), later.id, afternoon);
  await bookEncounter(as(desk, 'front-desk', o.now), {
    typeCode: 'case-management',
    modality: 'phone',
    startsAt: zonedInstant(addDays(today, 1), '11:00', TZ).toISOString(),
    durationMinutes: 30,
    staffId: counsellor.id,
    roomId: null,
    patientIds: [morning],
    title: null,
    capacity: null,
  });

  // the demo app patient's next visits, which their Today shows: counselling in two days, a video check-in next week
  const [app] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), eq(patients.mrn, o.appPatientMrn)));
  // on weekdays, whatever day the demo is seeded on
  const workday = (from: string) => (weekday(from) === 0 ? addDays(from, 1) : weekday(from) === 6 ? addDays(from, 2) : from);
  if (app) {
    for (const [days, modality, time] of [
      [2, 'in-person', '10:00'],
      [8, 'video', '14:30'],
    ] as const)
      await bookEncounter(as(desk, 'front-desk', o.now), {
        typeCode: 'individual-counselling',
        modality,
        startsAt: zonedInstant(workday(addDays(today, days)), time, TZ).toISOString(),
        durationMinutes: 50,
        staffId: counsellor.id,
        roomId: modality === 'in-person' ? office.id : null,
        patientIds: [app.id],
        title: null,
        capacity: null,
      });
  }
}

const addDaysTo = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
