// Demo levels of care (fictional; ADR 044): one person stepped up from outpatient care to a
// therapeutic-community stay who has moved from orientation to primary treatment, and one
// person on extended-release naltrexone whose next injection is due in four days — through
// the module's own use cases. The lead calls it from seed.ts after the patients exist:
//   await seedLevelsOfCareDemo(tx, { orgId, programId: main, now, staff: named });
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { admit, discharge } from '../patients/treatment-history.ts';
import { episodes, medications, patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { recordInjection } from '../levels-of-care/medication.ts';
import { changePhase, startStay } from '../levels-of-care/stays.ts';
import { ctxFor } from './seed-clinical.ts';

export async function seedLevelsOfCareDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }) {
  const counsellor = o.staff.get('counsellor')!;
  const prescriber = o.staff.get('prescriber')!;
  const [program] = await tx.select({ tz: programs.timeZone }).from(programs).where(eq(programs.id, o.programId));
  const today = localDate(o.now, program?.tz ?? 'UTC');
  const at = (daysAgo: number, who: { id: string; name: string }, role: Role) =>
    ctxFor({ orgId: o.orgId, programId: o.programId, userId: who.id, name: who.name, role, now: new Date(o.now.getTime() - daysAgo * 86_400_000) });

  // The same people on every run: by MRN. The resident is the first person not in an OTP
  // episode (people in opioid treatment programmes stay there); the naltrexone patient is the
  // first on naltrexone, else the next person.
  const people = await tx
    .select({ id: patients.id, episodeId: episodes.id, level: episodes.levelOfCare, admittedOn: episodes.admittedOn })
    .from(patients)
    .leftJoin(episodes, and(eq(episodes.programId, patients.programId), eq(episodes.patientId, patients.id), isNull(episodes.dischargedOn)))
    .where(eq(patients.programId, o.programId))
    .orderBy(asc(patients.mrn));
  const resident = people.find((p) => p.level !== 'otp');
  if (!resident) throw new Error('levels-of-care demo: no patient outside an OTP episode');
  const [onNaltrexone] = await tx
    .select({ id: medications.patientId })
    .from(medications)
    .innerJoin(patients, and(eq(patients.programId, medications.programId), eq(patients.id, medications.patientId)))
    .where(and(eq(medications.programId, o.programId), eq(medications.medication, 'naltrexone'), isNull(medications.endedOn)))
    .orderBy(asc(patients.mrn))
    .limit(1);
  const naltrexoneId = onNaltrexone && onNaltrexone.id !== resident.id ? onNaltrexone.id : people.find((p) => p.id !== resident.id)?.id;
  if (!naltrexoneId) throw new Error('levels-of-care demo: needs two patients');

  const admittedOn = addDays(today, -40);
  if (resident.episodeId) {
    const dischargedOn = resident.admittedOn! > admittedOn ? resident.admittedOn! : admittedOn;
    await discharge({ tx, ctx: at(40, counsellor, 'counsellor') }, resident.id, resident.episodeId, { dischargedOn, dischargeReason: 'Stepped up to residential care (demo)' });
  }
  const episode = await admit({ tx, ctx: at(40, counsellor, 'counsellor') }, resident.id, { levelOfCare: 'therapeutic-community', admittedOn });
  const stay = await startStay({ tx, ctx: at(40, counsellor, 'counsellor') }, resident.id, {
    episodeId: episode.id,
    asamLevel: '3.5',
    startedOn: admittedOn,
    reason: 'Admitted from withdrawal management (demo)',
  });
  await changePhase({ tx, ctx: at(10, counsellor, 'counsellor') }, resident.id, stay.id, {
    direction: 'advance',
    fromPhase: 'orientation',
    reason: 'Thirty days in the house; took part in every morning meeting (demo)',
  });

  for (const daysAgo of [52, 24]) {
    await recordInjection({ tx, ctx: at(daysAgo, prescriber, 'prescriber') }, naltrexoneId, {
      kind: 'given',
      givenOn: addDays(today, -daysAgo),
      doseMg: 380,
      site: daysAgo === 52 ? 'left-gluteal' : 'right-gluteal',
    });
  }
}
