// Demo peer outreach after overdose (fictional), issue 15: referrals in every state through the
// module's use cases — a new one due today, an unassigned one to take, one contacted with its
// follow-ups running and naloxone received, one overdue and escalated, one closed with its
// outcomes (the demo app patient), and one the person declined.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../core/access/roles.ts';
import { systemCtx, type Ctx } from '../../platform/http/context.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import { patients } from '../patients/patients.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { closeReferral, createReferral, escalateInProgram, logAttempt, recordOutcome } from '../peers/outreach.ts';
import { peerReferrals } from '../peers/peers.tables.ts';

const H = 3_600_000;

export async function seedPeersDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }): Promise<void> {
  const peer = o.staff.get('peer-specialist');
  if (!peer) return;
  const at = (hoursAgo: number) => new Date(o.now.getTime() - hoursAgo * H);
  /** The peer specialist acting at a time (a supervisor's permissions, so the seed can do everything). */
  const as = (when: Date): { tx: Tx; ctx: Ctx } => {
    const base = systemCtx({ orgId: o.orgId, programId: o.programId, now: when, requestId: 'demo-seed' });
    return {
      tx,
      ctx: {
        ...base,
        principal: { userId: peer.id, orgId: o.orgId, displayName: peer.name, sessionId: 'demo-seed', stage: 'active', mustChangePassword: false },
        program: { programId: o.programId, roles: ['peer-specialist'], permissions: new Set([...ROLE_PERMISSIONS['peer-specialist'], 'manage:peer-outreach']) },
      },
    };
  };
  const refer = (hoursAgo: number, body: Parameters<typeof createReferral>[1]) => createReferral(as(at(hoursAgo)), body);
  const tz = await programTimeZone(tx, o.programId);
  const day = (hoursAgo: number) => localDate(at(hoursAgo), tz);

  // new, due today
  await refer(3, { contactName: 'Dana M. (fictional)', contactPhone: '+1 555 010 0141', source: 'emergency-department', consent: true, contactMethod: 'phone', assignToMe: true });
  // unassigned: any peer may take it
  await refer(1, { contactName: 'Marcus T. (fictional)', contactPhone: '+1 555 010 0142', source: 'hospital', consent: true, contactMethod: 'sms' });
  // contacted: first contact and the day-1 and day-3 follow-ups made; naloxone received
  const c = await refer(5 * 24, { contactName: 'Priya S. (fictional)', contactPhone: '+1 555 010 0143', source: 'outreach', consent: true, contactMethod: 'phone', assignToMe: true });
  await logAttempt(as(at(5 * 24 - 2)), c.id, { method: 'phone', outcome: 'no-answer', at: at(5 * 24 - 2).toISOString() });
  await logAttempt(as(at(5 * 24 - 4)), c.id, { method: 'phone', outcome: 'reached', at: at(5 * 24 - 4).toISOString(), note: 'Talked about naloxone and the walk-in clinic.' });
  await logAttempt(as(at(4 * 24 - 3)), c.id, { method: 'sms', outcome: 'reached', at: at(4 * 24 - 3).toISOString() });
  await logAttempt(as(at(2 * 24 - 3)), c.id, { method: 'in-person', outcome: 'reached', at: at(2 * 24 - 3).toISOString() });
  await recordOutcome(as(at(2 * 24 - 3)), c.id, { kind: 'naloxone-received', occurredOn: day(2 * 24 - 3) });
  // overdue and escalated: two tries, no answer
  const od = await refer(30, { contactName: 'Chris B. (fictional)', contactPhone: '+1 555 010 0144', source: 'emergency-department', consent: true, contactMethod: 'phone', assignToMe: true });
  await logAttempt(as(at(28)), od.id, { method: 'phone', outcome: 'no-answer', at: at(28).toISOString() });
  await logAttempt(as(at(20)), od.id, { method: 'phone', outcome: 'voicemail', at: at(20).toISOString() });
  // closed with outcomes: the demo app patient, now on medication for OUD
  const [p] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), eq(patients.mrn, o.appPatientMrn)));
  if (p) {
    const done = await refer(60 * 24, { patientId: p.id, source: 'emergency-department', consent: true, contactMethod: 'phone', assignToMe: true });
    await logAttempt(as(at(60 * 24 - 3)), done.id, { method: 'phone', outcome: 'reached', at: at(60 * 24 - 3).toISOString() });
    await recordOutcome(as(at(55 * 24)), done.id, { kind: 'moud-started', occurredOn: day(56 * 24) });
    await recordOutcome(as(at(55 * 24)), done.id, { kind: 'entered-treatment', occurredOn: day(56 * 24) });
    await closeReferral(as(at(40 * 24)), done.id, 'completed');
  }
  // declined at the first call
  const dec = await refer(10 * 24, { contactName: 'Sam K. (fictional)', source: 'hospital', consent: true, contactMethod: 'phone', assignToMe: true });
  await logAttempt(as(at(10 * 24 - 6)), dec.id, { method: 'phone', outcome: 'declined', at: at(10 * 24 - 6).toISOString() });

  const rows = await tx
    .select()
    .from(peerReferrals)
    .where(and(eq(peerReferrals.programId, o.programId), inArray(peerReferrals.id, [od.id])));
  await escalateInProgram(tx, o.orgId, rows, o.now);
}
