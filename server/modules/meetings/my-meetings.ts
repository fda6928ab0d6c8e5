// A patient's chosen meetings (issue 15, ADR 048, docs/meetings.md): the patient app adds and
// removes meetings from their list, reads it, and downloads it as an iCalendar file (weekly
// recurring events in each meeting's own time zone, fetched with the app's session: there is
// no public calendar URL). Staff read a patient's meetings and attendance on the patient page.
import { and, desc, eq, isNull } from 'drizzle-orm';
import ical, { ICalEventRepeatingFreq, ICalWeekday, type ICalDateTimeValue } from 'ical-generator';
import { countsForCm } from '../../../core/meetings/attendance-code.ts';
import { localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { meetingAttendance, meetings, patientMeetings } from './meetings.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
/** A patient's list is short: the routes answer it whole. */
export const MAX_CHOSEN = 50;

export async function findMeeting(tx: Tx, programId: string, id: string) {
  const [m] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.id, id)));
  return m;
}

export async function chooseMeeting(deps: Deps, me: PatientPrincipal, meetingId: string) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const m = await findMeeting(tx, programId, meetingId);
  if (!m || !m.active) throw notFound('Meeting');
  const current = await chosenRows(tx, programId, patientId);
  if (!current.some((c) => c.p.meetingId === meetingId)) {
    if (current.length >= MAX_CHOSEN) throw conflict('too_many_meetings', `You can keep up to ${MAX_CHOSEN} meetings in your list.`, 'body.meetingId');
    await tx
      .insert(patientMeetings)
      .values({ programId, patientId, meetingId, addedAt: ctx.now })
      .onConflictDoUpdate({ target: [patientMeetings.programId, patientMeetings.patientId, patientMeetings.meetingId], set: { removedAt: null, addedAt: ctx.now } });
    await writeAudit(tx, auditContext(ctx, { programId }), { action: 'create', entity: 'meeting', entityId: meetingId, patientId, detail: { chosen: true } });
  }
  return myMeetings(deps, me, { audit: false });
}

export async function removeMeeting(deps: Deps, me: PatientPrincipal, meetingId: string) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const done = await tx
    .update(patientMeetings)
    .set({ removedAt: ctx.now })
    .where(and(eq(patientMeetings.programId, programId), eq(patientMeetings.patientId, patientId), eq(patientMeetings.meetingId, meetingId), isNull(patientMeetings.removedAt)))
    .returning({ id: patientMeetings.meetingId });
  if (done.length) await writeAudit(tx, auditContext(ctx, { programId }), { action: 'delete', entity: 'meeting', entityId: meetingId, patientId, detail: { chosen: false } });
  return myMeetings(deps, me, { audit: false });
}

function chosenRows(tx: Tx, programId: string, patientId: string) {
  return tx
    .select({ p: patientMeetings, m: meetings })
    .from(patientMeetings)
    .innerJoin(meetings, and(eq(meetings.programId, patientMeetings.programId), eq(meetings.id, patientMeetings.meetingId)))
    .where(and(eq(patientMeetings.programId, programId), eq(patientMeetings.patientId, patientId), isNull(patientMeetings.removedAt)))
    .orderBy(meetings.weekday, meetings.startTime, meetings.name)
    .limit(MAX_CHOSEN);
}

type Row = Awaited<ReturnType<typeof chosenRows>>[number];
const chosenDto = ({ p, m }: Row) => ({
  meetingId: m.id,
  name: m.name,
  fellowship: m.fellowship,
  weekday: m.weekday,
  startTime: m.startTime,
  endTime: m.endTime,
  timeZone: m.timeZone,
  mode: m.mode,
  locationName: m.locationName,
  address: m.address,
  conferenceUrl: m.conferenceUrl,
  active: m.active,
  verifiable: m.fellowship === 'programme',
  addedAt: p.addedAt.toISOString(),
});

export async function myMeetings(deps: Deps, me: PatientPrincipal, opts: { audit?: boolean } = {}) {
  const { tx, ctx } = deps;
  const rows = await chosenRows(tx, me.programId, me.patientId);
  if (opts.audit !== false) await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'meetings', patientId: me.patientId, detail: { chosen: rows.length } });
  return { items: rows.map(chosenDto) };
}

// ---------- iCalendar ----------

const WEEKDAYS = [ICalWeekday.SU, ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR, ICalWeekday.SA];
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A wall-clock time in a time zone, in the shape ical-generator reads as a Temporal
 * ZonedDateTime: it writes the local fields with TZID (a JS Date would be written in the
 * server's own zone). Node 20 has no Temporal; this is the few fields the library reads.
 */
function wallTime(tz: string, date: string, hhmm: string): ICalDateTimeValue {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const f = { year, month, day, hour, minute, second: 0 };
  const plain = { ...f, toZonedDateTime: () => zoned, toPlainDate: () => ({ year, month, day }) };
  const zoned = { ...f, timeZoneId: tz, toPlainDateTime: () => plain, withTimeZone: () => zoned, toInstant: () => ({ epochMilliseconds: zonedInstant(date, hhmm, tz).getTime() }) };
  return zoned as unknown as ICalDateTimeValue;
}

/** The patient's chosen meetings as an iCalendar file (text/calendar). */
export async function myCalendar(deps: Deps, me: PatientPrincipal, lang: 'en' | 'es' = 'en') {
  const { tx, ctx } = deps;
  const rows = await chosenRows(tx, me.programId, me.patientId);
  const cal = ical({ name: lang === 'es' ? 'Mis reuniones' : 'My meetings', prodId: { company: 'Waypoint', product: 'meetings', language: lang.toUpperCase() } });
  for (const { m } of rows) {
    if (!m.active) continue;
    // the first occurrence on or after today, in the meeting's zone
    const today = localDate(ctx.now, m.timeZone);
    const first = addDays(today, (m.weekday - new Date(`${today}T00:00:00Z`).getUTCDay() + 7) % 7);
    const endTime = m.endTime ?? addMinutes(m.startTime, 60);
    const endDate = endTime <= m.startTime ? addDays(first, 1) : first; // ends after midnight
    const join = m.conferenceUrl ? `${lang === 'es' ? 'Unirse' : 'Join'}: ${m.conferenceUrl}` : null;
    const phone = m.conferencePhone ? `${lang === 'es' ? 'Teléfono' : 'Phone'}: ${m.conferencePhone}` : null;
    cal.createEvent({
      id: `${m.id}@waypoint`,
      stamp: ctx.now,
      start: wallTime(m.timeZone, first, m.startTime),
      end: wallTime(m.timeZone, endDate, endTime),
      timezone: m.timeZone,
      summary: m.name,
      repeating: { freq: ICalEventRepeatingFreq.WEEKLY, byDay: [WEEKDAYS[m.weekday]!] },
      location: [m.locationName, m.address].filter(Boolean).join(', ') || null,
      description: [join, phone, m.notes].filter(Boolean).join('\n') || null,
      url: m.conferenceUrl ?? null,
    });
  }
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'meetings', patientId: me.patientId, detail: { calendar: true, events: rows.length } });
  return cal.toString();
}

function addMinutes(hhmm: string, n: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const t = (h * 60 + m + n) % 1440;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

// ---------- staff: a patient's meetings ----------

export async function patientMeetingsView(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const [chosen, attended] = await Promise.all([
    chosenRows(tx, programId, patientId),
    tx
      .select({ a: meetingAttendance, name: meetings.name })
      .from(meetingAttendance)
      .innerJoin(meetings, and(eq(meetings.programId, meetingAttendance.programId), eq(meetings.id, meetingAttendance.meetingId)))
      .where(and(eq(meetingAttendance.programId, programId), eq(meetingAttendance.patientId, patientId)))
      .orderBy(desc(meetingAttendance.attendedOn), desc(meetingAttendance.recordedAt))
      .limit(100),
  ]);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'meeting-attendance', patientId, detail: { chosen: chosen.length, attendance: attended.length } });
  return { chosen: chosen.map(chosenDto), attendance: attended.map((r) => attendanceDto(r.a, r.name)) };
}

export function attendanceDto(a: typeof meetingAttendance.$inferSelect, meetingName: string) {
  return {
    id: a.id,
    meetingId: a.meetingId,
    meetingName,
    attendedOn: a.attendedOn,
    how: a.how as 'self' | 'verified',
    recordedAt: a.recordedAt.toISOString(),
    countedForCm: countsForCm(a.how as 'self' | 'verified') && a.cmEventId !== null,
  };
}
