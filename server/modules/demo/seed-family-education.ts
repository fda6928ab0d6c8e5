// Demo family education (fictional), issue 16: Marisol, the demo patient's sister (added by
// seed-consent.ts), has finished two lessons in the app and was trained with a naloxone kit two
// months ago, given to her as a registered family member (she sees it under Learn). The
// Nar-Anon and Al-Anon meetings for families are in seed-meetings.ts. Through the use cases, so
// the audit rows are as the clinic and the app make them.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { TRAINING_STEPS } from '../../../core/naloxone/steps.ts';
import { programTimeZone } from '../cm/settle.ts';
import { familyMembers } from '../consent/consent.tables.ts';
import { giveKit } from '../naloxone/naloxone.ts';
import { naloxoneLots } from '../naloxone/naloxone.tables.ts';
import { finishLesson } from '../family/education.ts';
import { ctxFor } from './seed-clinical.ts';

export const DEMO_SISTER = 'Marisol (demo sister)';

export async function seedFamilyEducationDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }): Promise<void> {
  const peer = o.staff.get('peer-specialist') ?? o.staff.get('administrator');
  if (!peer) return;
  const [sister] = await tx
    .select({ id: familyMembers.id })
    .from(familyMembers)
    .where(and(eq(familyMembers.programId, o.programId), eq(familyMembers.displayName, DEMO_SISTER)));
  if (!sister) return;
  const me = { programId: o.programId, orgId: o.orgId, familyMemberId: sister.id, deviceId: 'demo', sessionId: 'demo', idleMinutes: 5 };
  const appCtx = (daysAgo: number) => ({
    principal: null,
    family: me,
    orgId: o.orgId,
    program: { programId: o.programId, roles: [], permissions: new Set<never>() },
    meta: { requestId: 'demo-seed', ip: null, userAgent: 'waypoint-demo-seed' },
    now: new Date(o.now.getTime() - daysAgo * 86_400_000),
  });
  await finishLesson({ tx, ctx: appCtx(40) }, me, 'what-is-oud');
  await finishLesson({ tx, ctx: appCtx(33) }, me, 'overdose-naloxone');

  // a kit with the whole training, two months ago, from the lot that lasts longest
  const today = localDate(o.now, await programTimeZone(tx, o.programId));
  const [lot] = await tx.select({ id: naloxoneLots.id }).from(naloxoneLots).where(eq(naloxoneLots.programId, o.programId)).orderBy(desc(naloxoneLots.expiresOn), asc(naloxoneLots.id)).limit(1);
  if (!lot) return;
  const d = { tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: peer.id, name: peer.name, role: 'peer-specialist', now: o.now }) };
  await giveKit(d, { lotId: lot.id, recipient: { kind: 'family', firstName: 'Marisol', familyMemberId: sister.id }, givenOn: addDays(today, -60), trainingSteps: [...TRAINING_STEPS] });
}
