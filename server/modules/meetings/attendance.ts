// Meeting attendance (issue 15, ADR 048, docs/meetings.md). A patient marks a meeting
// attended from the app (self-reported: one per meeting and local day, never paid), or
// verifies it with the rotating code an in-house meeting shows (core/meetings/attendance-code.ts).
// Verified attendance of a patient whose CM protocol rewards attendance posts the CM
// `attendance` event in the same transaction, through the same postCheckIn a visit's recorded
// attendance uses (one per local day; settlement is CM's).
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { countsForCm, currentCode, meetingOnAt, STEP_SECONDS, verifyAttendanceCode } from '../../../core/meetings/attendance-code.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx, type PatientPrincipal } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { postCheckIn } from '../cm/specimens.ts';
import { meetingAttendance, meetingCodeSecrets, meetings } from './meetings.tables.ts';
import { attendanceDto, findMeeting } from './my-meetings.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Posted = 'earned' | 'not-earned' | 'not-enrolled' | 'not-rewarded' | 'day-already-recorded' | 'no-opportunity';
/** How far back a patient may mark a meeting attended (the app may be offline for a while). */
export const SELF_DAYS_BACK = 7;

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The app URL an in-house meeting's QR code encodes: the meeting and the code, nothing about anyone. */
export const verifyPath = (meetingId: string, code: string) => `/app/#verify-meeting=${meetingId}.${code}`;

async function lockDay(tx: Tx, programId: string, patientId: string, meetingId: string, attendedOn: string) {
  const [row] = await tx
    .select()
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.programId, programId), eq(meetingAttendance.patientId, patientId), eq(meetingAttendance.meetingId, meetingId), eq(meetingAttendance.attendedOn, attendedOn)))
    .for('update');
  return row;
}

/** Self-reported attendance: one per meeting and local day; a repeat answers the day's record. */
export async function markAttended(deps: Deps, me: PatientPrincipal, meetingId: string, input: { date?: string | undefined }) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const m = await findMeeting(tx, programId, meetingId);
  if (!m) throw notFound('Meeting');
  const today = localDate(ctx.now, m.timeZone);
  const attendedOn = input.date ?? today;
  if (attendedOn > today) throw invalid('body.date', 'is in the future');
  if (attendedOn < addDays(today, -SELF_DAYS_BACK)) throw invalid('body.date', `is more than ${SELF_DAYS_BACK} days ago`);
  if (new Date(`${attendedOn}T00:00:00Z`).getUTCDay() !== m.weekday) throw invalid('body.date', 'is not a day this meeting meets');
  const inserted = await tx.insert(meetingAttendance).values({ programId, id: randomUUID(), patientId, meetingId, attendedOn, how: 'self', recordedAt: ctx.now }).onConflictDoNothing().returning();
  if (inserted[0]) {
    await writeAudit(tx, auditContext(ctx, { programId }), { action: 'create', entity: 'meeting-attendance', entityId: inserted[0].id, patientId, detail: { how: 'self', meetingId } });
    return { attendance: attendanceDto(inserted[0], m.name), duplicate: false, cm: { posted: 'no-opportunity' as Posted, earnedCents: 0 } };
  }
  const row = (await lockDay(tx, programId, patientId, meetingId, attendedOn))!;
  return { attendance: attendanceDto(row, m.name), duplicate: true, cm: { posted: 'no-opportunity' as Posted, earnedCents: 0 } };
}

/** Attendance verified with the meeting's current code; posts the CM attendance event once. */
export async function verifyAttendance(deps: Deps, me: PatientPrincipal, input: { meetingId: string; code: string }) {
  const { tx, ctx } = deps;
  const { programId, patientId } = me;
  const m = await findMeeting(tx, programId, input.meetingId);
  if (!m || !m.active) throw notFound('Meeting');
  if (m.fellowship !== 'programme') throw conflict('not_verifiable', 'Only the programme’s own meetings can check attendance with a code.', 'body.meetingId');
  const [s] = await tx
    .select()
    .from(meetingCodeSecrets)
    .where(and(eq(meetingCodeSecrets.programId, programId), eq(meetingCodeSecrets.meetingId, m.id)));
  const result = s ? verifyAttendanceCode(s.secret, m.id, m, input.code, ctx.now) : ({ ok: false, reason: meetingOnAt(m, ctx.now) ? 'wrong_code' : 'not_on_now' } as const);
  if (!result.ok) {
    if (result.reason === 'not_on_now') throw conflict('meeting_not_on', 'This meeting is not on now: a code works only during the meeting.', 'body.code');
    throw invalid('body.code', 'is not this meeting’s current code', 'wrong_code');
  }
  const attendedOn = result.attendedOn;
  const [inserted] = await tx
    .insert(meetingAttendance)
    .values({ programId, id: randomUUID(), patientId, meetingId: m.id, attendedOn, how: 'verified', recordedAt: ctx.now, verifiedAt: ctx.now })
    .onConflictDoNothing()
    .returning();
  const row = inserted ?? (await lockDay(tx, programId, patientId, m.id, attendedOn))!;
  if (!inserted && row.how === 'verified') return { attendance: attendanceDto(row, m.name), duplicate: true, cm: { posted: (row.cmEventId ? 'earned' : 'no-opportunity') as Posted, earnedCents: 0 } };
  // new, or a self-report now verified: only verified attendance may count for CM
  let cm: { posted: Posted; earnedCents: number } = { posted: 'no-opportunity', earnedCents: 0 };
  let cmEventId: string | null = null;
  if (countsForCm('verified')) {
    const posted = await postCheckIn(deps, { patientId, kind: 'attendance', at: ctx.now, done: true, source: `meeting:${m.id}`, onlyIfRewarded: true });
    if (posted === 'not-enrolled' || posted === 'not-rewarded') cm = { posted, earnedCents: 0 };
    else if ('closedBy' in posted || posted.duplicate) cm = { posted: 'day-already-recorded', earnedCents: 0 };
    else {
      cm = { posted: 'earned', earnedCents: posted.award.earnedCents };
      cmEventId = posted.eventId;
    }
  }
  const [updated] = await tx
    .update(meetingAttendance)
    .set({ how: 'verified', verifiedAt: ctx.now, cmEventId })
    .where(and(eq(meetingAttendance.programId, programId), eq(meetingAttendance.id, row.id)))
    .returning();
  await writeAudit(tx, auditContext(ctx, { programId }), {
    action: 'create',
    entity: 'meeting-attendance',
    entityId: row.id,
    patientId,
    detail: { how: 'verified', meetingId: m.id, cm: cm.posted, cmEventId },
  });
  return { attendance: attendanceDto(updated!, m.name), duplicate: false, cm };
}

/** The patient's own attendance, newest first. */
export async function myAttendance(deps: Deps, me: PatientPrincipal, query: { limit: number }) {
  const { tx, ctx } = deps;
  const rows = await tx
    .select({ a: meetingAttendance, name: meetings.name })
    .from(meetingAttendance)
    .innerJoin(meetings, and(eq(meetings.programId, meetingAttendance.programId), eq(meetings.id, meetingAttendance.meetingId)))
    .where(and(eq(meetingAttendance.programId, me.programId), eq(meetingAttendance.patientId, me.patientId)))
    .orderBy(desc(meetingAttendance.attendedOn), desc(meetingAttendance.recordedAt))
    .limit(query.limit);
  await writeAudit(tx, auditContext(ctx, { programId: me.programId }), { action: 'read', entity: 'meeting-attendance', patientId: me.patientId, detail: { count: rows.length } });
  return { items: rows.map((r) => attendanceDto(r.a, r.name)) };
}

/** Staff: the code an in-house meeting shows now (its secret made on first use, never sent). */
export async function attendanceCode(deps: Deps, meetingId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const m = await findMeeting(tx, programId, meetingId);
  if (!m) throw notFound('Meeting');
  if (!m.active) throw conflict('meeting_inactive', 'This meeting is no longer held here: it has no attendance code.');
  if (m.fellowship !== 'programme') throw conflict('not_verifiable', 'Only the programme’s own meetings can check attendance with a code.');
  await tx
    .insert(meetingCodeSecrets)
    .values({ programId, meetingId, secret: randomBytes(32).toString('base64url'), createdAt: ctx.now })
    .onConflictDoNothing();
  const [s] = await tx
    .select()
    .from(meetingCodeSecrets)
    .where(and(eq(meetingCodeSecrets.programId, programId), eq(meetingCodeSecrets.meetingId, meetingId)));
  const c = currentCode(s!.secret, meetingId, ctx.now);
  return { meetingId, meetingName: m.name, code: c.code, url: verifyPath(meetingId, c.code), expiresAt: c.expiresAt.toISOString(), stepSeconds: STEP_SECONDS, onNow: meetingOnAt(m, ctx.now) !== null };
}
