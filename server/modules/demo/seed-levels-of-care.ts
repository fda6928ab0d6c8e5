// Demo levels of care (fictional; ADR 044): one person in a therapeutic-community stay who
// has moved from orientation to primary treatment, and one person on extended-release
// naltrexone whose next injection is due in four days — through the module's own use cases.
// The lead calls it from seed.ts after the patients exist:
//   await seedLevelsOfCareDemo(tx, { orgId, programId: main, now, staff: named });
import { and, asc, eq, isNull, notExists } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { admit } from '../patients/treatment-history.ts';
import { episodes, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { recordInjection } from '../levels-of-care/medication.ts';
import { changePhase, startStay } from '../levels-of-care/stays.ts';
import { ctxFor } from './seed-clinical.ts';

export async function seedLevelsOfCareDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }) {
  const counsellor = o.staff.get('counsellor')!;
  const prescriber = o.staff.get('prescriber')!;
  const [program] = await tx.select({ tz: programs.timeZone }).from(programs).where(eq(programs.id, o.programId));
  const today = localDate(o.now, program?.tz ?? 'UTC');
  // two demo patients without an open episode of care, the same ones on every run
  const free = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(
      and(
        eq(patients.programId, o.programId),
        notExists(
          tx
            .select({ id: episodes.id })
            .from(episodes)
            .where(and(eq(episodes.programId, patients.programId), eq(episodes.patientId, patients.id), isNull(episodes.dischargedOn))),
        ),
      ),
    )
    .orderBy(asc(patients.mrn))
    .limit(2);
  const [resident, naltrexone] = free;
  if (!resident || !naltrexone) return;

  const at = (daysAgo: number, who: { id: string; name: string }, role: Role) =>
    ctxFor({ orgId: o.orgId, programId: o.programId, userId: who.id, name: who.name, role, now: new Date(o.now.getTime() - daysAgo * 86_400_000) });

  const admittedOn = addDays(today, -40);
  const episode = await admit({ tx, ctx: at(40, counsellor, 'counsellor') }, resident.id, { levelOfCare: 'therapeutic-community', admittedOn });
  const stay = await startStay({ tx, ctx: at(40, counsellor, 'counsellor') }, resident.id, { episodeId: episode.id, asamLevel: '3.5', startedOn: admittedOn, reason: 'Admitted from detox (demo)' });
  await changePhase({ tx, ctx: at(10, counsellor, 'counsellor') }, resident.id, stay.id, {
    direction: 'advance',
    fromPhase: 'orientation',
    reason: 'Thirty days in the house; took part in every morning meeting (demo)',
  });

  for (const daysAgo of [52, 24]) {
    await recordInjection({ tx, ctx: at(daysAgo, prescriber, 'prescriber') }, naltrexone.id, {
      kind: 'given',
      givenOn: addDays(today, -daysAgo),
      doseMg: 380,
      site: daysAgo === 52 ? 'left-gluteal' : 'right-gluteal',
    });
  }
}
