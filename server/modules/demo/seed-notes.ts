// Demo notes (fictional): on the first completed one-person visit the demo schedule has, a
// signed DAP progress note with an addendum and a signed SUD counselling note kept apart —
// written through the module's own use cases, so the audit trail shows them as a clinic
// would (ADR 041). Does nothing when the demo has no completed visit with someone booked.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import { DEFAULT_ENCOUNTER_TYPES } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { encounterParticipants, encounters } from '../encounters/encounters.tables.ts';
import { createCounsellingNote, signCounsellingNote } from '../notes/counselling-notes.ts';
import { addAddendum, createProgressNote, signProgressNote } from '../notes/progress-notes.ts';
import { ctxFor } from './seed-clinical.ts';

/** The built-in one-person counselling visits (a group or family visit takes other templates). */
const ONE_PERSON = DEFAULT_ENCOUNTER_TYPES.filter((t) => t.category === 'individual' || t.category === 'mi').map((t) => t.code);

export async function seedNotesDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }): Promise<{ encounterId: string } | null> {
  const counsellor = o.staff.get('counsellor');
  if (!counsellor) return null;
  const [visit] = await tx
    .select({ id: encounters.id, endsAt: encounters.endsAt, patientId: encounterParticipants.patientId })
    .from(encounters)
    .innerJoin(encounterParticipants, and(eq(encounterParticipants.programId, encounters.programId), eq(encounterParticipants.encounterId, encounters.id)))
    .where(and(eq(encounters.programId, o.programId), eq(encounters.status, 'completed'), inArray(encounters.typeCode, ONE_PERSON)))
    .orderBy(asc(encounters.startsAt), asc(encounters.id))
    .limit(1);
  if (!visit) return null;
  const at = (minutesAfterVisit: number) => new Date(Math.min(o.now.getTime(), visit.endsAt.getTime() + minutesAfterVisit * 60_000));
  const deps = (now: Date) => ({ tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now }) });

  const draft = await createProgressNote(deps(at(10)), visit.id, {
    patientId: visit.patientId,
    template: 'dap',
    sections: {
      data: 'Said they want to keep going to work every day and be there for their kid’s games (demo).',
      assessment: 'Clear reasons for change: family and work. Two days without use this week, by their own account.',
      plan: 'Try calling their sister when cravings come after work; next session in one week.',
    },
    goalIds: [],
  });
  const signed = await signProgressNote(deps(at(15)), draft.id, { version: draft.version, cosignerId: null });
  await addAddendum(deps(at(60 * 24)), signed.id, { text: 'Late entry: they called the next day to move the next session to Thursday (demo).' });

  const kept = await createCounsellingNote(deps(at(20)), visit.id, {
    patientId: visit.patientId,
    body: 'Session content kept apart (demo): talked through a hard conversation at home and what they want to say next time.',
  });
  await signCounsellingNote(deps(at(25)), kept.id, { version: kept.version });
  return { encounterId: visit.id };
}
