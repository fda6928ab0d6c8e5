// Demo CRAFT (fictional), issue 16: one CRAFT client, "Rosa (demo CRAFT)", whose son is not in
// treatment; her course started 10 days ago, sessions 1-3 held, homework written for two, a
// PHQ-9 and a GAD-7 at the start, and a pending app invite so her phone can be set up from the
// console's course page (a new code there). Through the use cases, so audit rows are as the
// clinic makes them.
import type { Tx } from '../../platform/db/database.ts';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { programTimeZone } from '../cm/settle.ts';
import { createCourse, inviteCourseClient, myHomework, staffWellbeing, updateSession } from '../family/craft.ts';
import { ctxFor } from './seed-clinical.ts';

export async function seedCraftDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }): Promise<void> {
  const counsellor = o.staff.get('counsellor') ?? o.staff.get('administrator');
  if (!counsellor) return;
  const today = localDate(o.now, await programTimeZone(tx, o.programId));
  const startedOn = addDays(today, -10);
  // as it happened: the course and the start questionnaires on its first day
  const at = (day: string) => new Date(Math.min(o.now.getTime(), Date.parse(`${day}T16:00:00Z`)));
  const ctx = (day: string) => ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now: at(day) });
  const d0 = { tx, ctx: ctx(startedOn) };
  const course = await createCourse(d0, { displayName: 'Rosa (demo CRAFT)', language: 'en', lovedOne: 'my son', startedOn });
  await staffWellbeing(d0, course.id, { instrument: 'phq-9', answers: { '1': 2, '2': 2, '3': 2, '4': 2, '5': 1, '6': 2, '7': 1, '8': 0, '9': 0 } });
  await staffWellbeing(d0, course.id, { instrument: 'gad-7', answers: { '1': 2, '2': 2, '3': 3, '4': 2, '5': 1, '6': 2, '7': 2 } });
  const me = { programId: o.programId, orgId: o.orgId, familyMemberId: course.familyMemberId, deviceId: 'demo', sessionId: 'demo', idleMinutes: 5 };
  const homework: Record<number, string> = {
    1: 'I want us to eat dinner together again. I want to sleep better. I want him to see a doctor.',
    2: 'I know a safe place I can go.\nI saved 911, 988 and 1-800-799-7233 in my phone.\nI know where the naloxone is.',
  };
  for (const s of course.sessions.slice(0, 3)) {
    const d = { tx, ctx: ctx(s.scheduledOn) };
    await updateSession(d, course.id, s.number, { status: 'held', heldOn: s.scheduledOn });
    const words = homework[s.number];
    if (words) await myHomework({ tx, ctx: { ...d.ctx, principal: null, family: me } }, me, s.number, { response: words });
  }
  await inviteCourseClient({ tx, ctx: ctx(today) }, course.id);
}
