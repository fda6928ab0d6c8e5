// Demo caseloads (fictional): every demo patient in a current episode on the demo
// counsellor's caseload, and every third one also with the demo peer specialist, through the
// module's own use case (ADR 043; a patient who already has a counsellor is left as they are) so the care team and the audit trail agree. The
// counselling-frequency rules are left at the default.
import { and, asc, eq, isNull, lte, or, gte } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import { assignCaseload } from '../counselling/caseloads.ts';
import { caseloadAssignments } from '../counselling/counselling.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { episodes } from '../patients/patients.tables.ts';
import { ctxFor } from './seed-clinical.ts';

export async function seedCounsellingDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }) {
  const supervisor = o.staff.get('administrator');
  const counsellor = o.staff.get('counsellor');
  const peer = o.staff.get('peer-specialist');
  if (!supervisor || !counsellor) return 0;
  const today = localDate(o.now, await programTimeZone(tx, o.programId));
  const current = await tx
    .selectDistinct({ patientId: episodes.patientId })
    .from(episodes)
    .where(and(eq(episodes.programId, o.programId), lte(episodes.admittedOn, today), or(isNull(episodes.dischargedOn), gte(episodes.dischargedOn, today))))
    .orderBy(asc(episodes.patientId));
  const deps = { tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: supervisor.id, name: supervisor.name, role: 'administrator', now: o.now }) };
  const assigned = await tx
    .select({ patientId: caseloadAssignments.patientId })
    .from(caseloadAssignments)
    .where(and(eq(caseloadAssignments.programId, o.programId), eq(caseloadAssignments.kind, 'counsellor'), isNull(caseloadAssignments.endedAt)));
  const has = new Set(assigned.map((a) => a.patientId));
  let n = 0;
  for (const [i, p] of current.filter((c) => !has.has(c.patientId)).entries()) {
    await assignCaseload(deps, p.patientId, { kind: 'counsellor', userId: counsellor.id });
    if (peer && i % 3 === 0) await assignCaseload(deps, p.patientId, { kind: 'peer', userId: peer.id });
    n += 1;
  }
  return n;
}
