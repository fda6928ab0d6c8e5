// Attendance (issue 14, ADR 042): what happened to each person booked on a visit, recorded
// once per person, a whole group in one action and one transaction. For a patient enrolled
// in CM (on a protocol that rewards attendance), attended / late earns and a no-show or leaving early does not (core/encounters
// cmAttended): the CM attendance event is posted in the same transaction (CM-SPEC §4), one
// per local day — a second visit the same day keeps the day's first outcome.
import { and, eq } from 'drizzle-orm';
import { cmAttended, type Attendance } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { postCheckIn } from '../cm/specimens.ts';
import { encounterParticipants, encounters } from './encounters.tables.ts';
import { getEncounterDto, lockEncounter } from './schedule.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Posted = 'earned' | 'not-earned' | 'no-opportunity' | 'not-enrolled' | 'not-rewarded' | 'day-already-recorded' | 'recorded-before';
type Result = { patientId: string; attendance: Attendance; cm: { posted: Posted; eventId: string | null; earnedCents: number; newDraws: number }; duplicate: boolean };

const NONE = { eventId: null, earnedCents: 0, newDraws: 0 };

export async function recordAttendance(deps: Deps, id: string, input: { records: Array<{ patientId: string; attendance: Attendance; reason?: string | undefined }> }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const row = await lockEncounter(tx, programId, id);
  if (row.status === 'cancelled') throw conflict('encounter_cancelled', 'This visit was cancelled.');
  if (row.startsAt.getTime() > ctx.now.getTime()) throw conflict('not_started', 'This visit has not started yet: attendance is recorded once it starts.');
  const booked = new Map(
    (
      await tx
        .select()
        .from(encounterParticipants)
        .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, id)))
    ).map((p) => [p.patientId, p]),
  );
  const seen = new Set<string>();
  input.records.forEach((r, i) => {
    if (!booked.has(r.patientId)) throw invalid(`body.records[${i}].patientId`, 'is not booked on this visit');
    if (seen.has(r.patientId)) throw invalid(`body.records[${i}].patientId`, 'is named twice');
    seen.add(r.patientId);
  });
  const results: Result[] = [];
  for (const r of input.records) {
    const p = booked.get(r.patientId)!;
    if (p.attendance !== null) {
      // recorded once: the same answer again is a retry; another is refused (no edits of a record a CM award may rest on)
      if (p.attendance !== r.attendance)
        throw conflict('attendance_recorded', `Attendance for this person was already recorded as ${p.attendance}.`, `body.records[${input.records.indexOf(r)}].attendance`);
      results.push({ patientId: r.patientId, attendance: r.attendance, cm: { posted: 'recorded-before', ...NONE, eventId: p.cmEventId }, duplicate: true });
      continue;
    }
    const attended = cmAttended(r.attendance);
    let cm: Result['cm'] = { posted: 'no-opportunity', ...NONE };
    if (attended !== null) {
      const posted = await postCheckIn(deps, { patientId: r.patientId, kind: 'attendance', at: row.startsAt, done: attended, source: `encounter:${id}`, onlyIfRewarded: true });
      if (posted === 'not-enrolled' || posted === 'not-rewarded') cm = { posted, ...NONE };
      else if ('closedBy' in posted) cm = { posted: 'day-already-recorded', ...NONE };
      else cm = { posted: attended ? 'earned' : 'not-earned', eventId: posted.eventId, earnedCents: posted.award.earnedCents, newDraws: posted.award.newDraws };
    }
    await tx
      .update(encounterParticipants)
      .set({ attendance: r.attendance, attendanceReason: r.reason ?? null, attendanceRecordedBy: ctx.principal?.userId ?? null, attendanceRecordedAt: ctx.now, cmEventId: cm.eventId })
      .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, id), eq(encounterParticipants.patientId, r.patientId)));
    await writeAudit(tx, auditContext(ctx), {
      action: 'create',
      entity: 'attendance',
      entityId: id,
      patientId: r.patientId,
      detail: { attendance: r.attendance, cm: cm.posted, cmEventId: cm.eventId },
    });
    p.attendance = r.attendance;
    results.push({ patientId: r.patientId, attendance: r.attendance, cm, duplicate: false });
  }
  // the visit is held once everyone booked has an attendance
  if ([...booked.values()].every((p) => p.attendance !== null) && row.status === 'scheduled')
    await tx
      .update(encounters)
      .set({ status: 'completed', version: row.version + 1, updatedAt: ctx.now })
      .where(and(eq(encounters.programId, programId), eq(encounters.id, id)));
  return { encounter: await getEncounterDto(tx, programId, id), results };
}
