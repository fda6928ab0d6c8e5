// The outcomes rollup (docs/outcomes.md "Volume", ADR 058): what the dashboard's retention and
// screens reads need of each episode, kept in outcome_episodes. Writes to a patient's records
// (screens, corrections, episodes, check-ins, visits, injections, doses, medications, CM
// enrolments) only mark the patient in outcome_stale, by trigger; a read first folds the marked
// patients in — their rows recomputed by core's rules from their records, in the read's
// transaction — and then reads the rows. So a read is exact at its start, and what a new record
// costs is one patient's fold at the next read, or in the fold job every ten minutes.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { ANALYTE_GROUPS, weekMarks, type AnalyteGroup } from '../../../core/outcomes/screens.ts';
import { localDate } from '../../../core/cm/calendar.ts';
import { inTransaction, type Db, type Tx } from '../../platform/db/database.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { rowsOf } from '../../platform/audit.ts';
import { episodes } from '../patients/patients.tables.ts';
import { cohortColumns, type AdmissionRow, type Period } from './admissions.ts';
import { lastContact, scheduledScreensOf } from './outcomes.ts';
import { outcomeEpisodes, outcomeStale } from './rollup.tables.ts';

/** Patients folded per statement (each episode row binds 14 parameters; PostgreSQL binds at most 65,535). */
const BATCH = 1000;

/**
 * Folds in the programme's marked patients (and, after a change of the programme's time zone,
 * every patient folded in another zone): their episodes' rows recomputed as of `today`. One fold
 * at a time per programme (a transaction-scoped advisory lock), so a fold never overwrites a newer
 * one; a record written while a fold runs marks its patient again. `limit`: fold at most this
 * many patients and leave the others marked (the job's slices); a read folds them all. Returns
 * how many patients were folded.
 */
export async function foldOutcomes(tx: Tx, programId: string, tz: string, today: string, limit?: number): Promise<number> {
  const [pending] = rowsOf<{ stale: boolean }>(
    await tx.execute(sql`select exists (select 1 from ${outcomeStale} where ${outcomeStale.programId} = ${programId})
                             or exists (select 1 from ${outcomeEpisodes} where ${outcomeEpisodes.programId} = ${programId} and ${outcomeEpisodes.timeZone} <> ${tz}) as stale`),
  );
  if (!pending?.stale) return 0;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`outcomes-fold:${programId}`}))`);
  await tx.execute(sql`insert into ${outcomeStale} (program_id, patient_id)
                       select distinct ${outcomeEpisodes.programId}, ${outcomeEpisodes.patientId} from ${outcomeEpisodes}
                        where ${outcomeEpisodes.programId} = ${programId} and ${outcomeEpisodes.timeZone} <> ${tz}
                       on conflict do nothing`);
  const some =
    limit === undefined
      ? eq(outcomeStale.programId, programId)
      : and(
          eq(outcomeStale.programId, programId),
          inArray(outcomeStale.patientId, tx.select({ patientId: outcomeStale.patientId }).from(outcomeStale).where(eq(outcomeStale.programId, programId)).limit(limit)),
        );
  const marked = await tx.delete(outcomeStale).where(some).returning({ patientId: outcomeStale.patientId });
  const patients = marked.map((m) => m.patientId);
  for (let i = 0; i < patients.length; i += BATCH) await foldPatients(tx, programId, tz, today, patients.slice(i, i + BATCH));
  return patients.length;
}

/**
 * The fold job: every programme's marked patients folded in slices of `slice` patients, each
 * slice its own transaction (so a write to a patient waits at most one slice), until none is
 * left. Reads then find little or nothing to fold. Returns how many patients were folded.
 */
export async function foldMarked(db: Db, now: Date, slice = 500): Promise<number> {
  const programmes = rowsOf<{ id: string; time_zone: string }>(
    await db.execute(sql`select p.id, p.time_zone from programs p
                          where exists (select 1 from ${outcomeStale} s where s.program_id = p.id)
                             or exists (select 1 from ${outcomeEpisodes} o where o.program_id = p.id and o.time_zone <> p.time_zone)`),
  );
  let folded = 0;
  for (const p of programmes) {
    for (;;) {
      const n = await inTransaction(db, (tx) => foldOutcomes(tx, p.id, p.time_zone, localDate(now, p.time_zone), slice));
      folded += n;
      if (n < slice) break;
    }
  }
  return folded;
}

/** The outcomes rollup's scheduled job (started by server/serve.ts): marked patients folded in every ten minutes. */
export function outcomesJobs(db: Db): JobSpec[] {
  return [{ name: 'outcomes-fold', cron: '*/10 * * * *', everySeconds: 600, run: (now) => foldMarked(db, now) }];
}

async function foldPatients(tx: Tx, programId: string, tz: string, today: string, patientIds: string[]): Promise<void> {
  const admissions = rowsOf<AdmissionRow & { last_contact: string | null }>(
    await tx.execute(sql`
      select e.id, e.patient_id, e.level_of_care, e.admitted_on::text as admitted_on, e.discharged_on::text as discharged_on, ${cohortColumns}, ${lastContact({ tz, asOf: today })}
        from episodes e
       where e.program_id = ${programId} and e.patient_id in ${patientIds}`),
  );
  const { byEpisode, readByEpisode } = await scheduledScreensOf(tx, programId, and(eq(episodes.programId, programId), inArray(episodes.patientId, patientIds))!, today);
  const groups = Object.keys(ANALYTE_GROUPS) as AnalyteGroup[];
  const rows = admissions.map((a) => {
    const screens = byEpisode.get(a.id) ?? [];
    const read = readByEpisode.get(a.id) ?? { total: 0, corrected: 0, invalid: 0 };
    return {
      programId,
      episodeId: a.id,
      patientId: a.patient_id,
      levelOfCare: a.level_of_care,
      admittedOn: a.admitted_on,
      dischargedOn: a.discharged_on,
      medications: a.medications,
      cmProtocol: a.cm_protocol,
      lastContact: a.last_contact,
      screens: read.total,
      screensCorrected: read.corrected,
      screensInvalid: read.invalid,
      weeks: Object.fromEntries(groups.map((g) => [g, weekMarks(a.admitted_on, screens, g)])),
      timeZone: tz,
    };
  });
  await tx.delete(outcomeEpisodes).where(and(eq(outcomeEpisodes.programId, programId), inArray(outcomeEpisodes.patientId, patientIds)));
  for (let i = 0; i < rows.length; i += BATCH) await tx.insert(outcomeEpisodes).values(rows.slice(i, i + BATCH));
}

/** The rollup's rows of the period's admissions (admitted from–to, not after today); read them after foldOutcomes. */
export const rolledUpIn = (programId: string, p: Period): SQL =>
  and(eq(outcomeEpisodes.programId, programId), sql`${outcomeEpisodes.admittedOn} between ${p.from}::date and least(${p.to}::date, ${p.asOf}::date)`)!;
