// The admissions every outcome counts (docs/outcomes.md "Where to see them"): the period asked
// for, and the episodes admitted in it with what their cohort depends on (level of care, the
// medication for OUD in the first days, the CM protocol enrolled in during the episode), read in
// one statement whatever the cohort's size. Each measure reads its own sources beside these.
import { sql, type SQL } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { MEDICATION_COHORT_DAYS, type CohortFacts } from '../../../core/outcomes/dashboard.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf } from '../../platform/audit.ts';
import { invalid } from '../../platform/errors.ts';
import { programTimeZone } from '../cm/settle.ts';

/** The longest period one request may cover (admission dates), so a read stays bounded. */
export const MAX_PERIOD_DAYS = 3 * 366;

/** Admission dates from–to (inclusive), counted as of `asOf` (today in the programme's zone `tz`). */
export type Period = { from: string; to: string; asOf: string; tz: string };

/**
 * The period asked for: `to` defaults to today, `from` to a year before `to`; from after to, or
 * too long a period, is a 400 naming the field (`fields`: the request's names for from and to).
 */
export async function periodOf(
  tx: Tx,
  programId: string,
  now: Date,
  q: { from?: string | undefined; to?: string | undefined },
  fields = { from: 'querystring.from', to: 'querystring.to' },
): Promise<Period> {
  const tz = await programTimeZone(tx, programId);
  const asOf = localDate(now, tz);
  const to = q.to ?? asOf;
  const from = q.from ?? addDays(to, -365);
  if (from > to) throw invalid(fields.from, `must be on or before ${fields.to.split('.').pop()}`);
  if (addDays(from, MAX_PERIOD_DAYS) < to) throw invalid(fields.from, `the period can be at most ${MAX_PERIOD_DAYS} days`);
  return { from, to, asOf, tz };
}

/**
 * The columns a cohort needs, for the episode aliased `e` (written out in full, as drizzle does
 * not name tables inside sql): `medications`, the names of the medications in effect in the
 * episode's first MEDICATION_COHORT_DAYS days by start date; `cm_protocol`, the name of the
 * protocol of the first CM enrolment that started during the episode (null without one).
 */
export const cohortColumns: SQL = sql.raw(`
  (select coalesce(json_agg(m.medication order by m.started_on, m.id), '[]'::json) from medications m
    where m.program_id = e.program_id and m.patient_id = e.patient_id
      and m.started_on <= e.admitted_on + ${MEDICATION_COHORT_DAYS} and (m.ended_on is null or m.ended_on >= e.admitted_on)) as medications,
  (select p.name from cm_enrolments ce join cm_protocols p on p.program_id = ce.program_id and p.id = ce.protocol_id
    where ce.program_id = e.program_id and ce.patient_id = e.patient_id
      and ce.start_date >= e.admitted_on and (e.discharged_on is null or ce.start_date <= e.discharged_on)
    order by ce.start_date, ce.id limit 1) as cm_protocol`);

export type AdmissionRow = { id: string; patient_id: string; level_of_care: string; admitted_on: string; discharged_on: string | null; medications: string[]; cm_protocol: string | null };

/** What cohortKey reads of an admission row. */
export const cohortFacts = (r: AdmissionRow): CohortFacts => ({ admittedOn: r.admitted_on, levelOfCare: r.level_of_care, medications: r.medications, cmProtocol: r.cm_protocol });

/** The admissions of the period (admitted from–to, not after today) with their cohort facts, in admission order; `extra` adds columns computed from `e`. */
export async function admissionsOf<Extra extends object = object>(tx: Tx, programId: string, p: Period, extra?: SQL): Promise<(AdmissionRow & Extra)[]> {
  return rowsOf<AdmissionRow & Extra>(
    await tx.execute(sql`
      select e.id, e.patient_id, e.level_of_care, e.admitted_on::text as admitted_on, e.discharged_on::text as discharged_on, ${cohortColumns}${extra ? sql`, ${extra}` : sql``}
        from episodes e
       where e.program_id = ${programId} and e.admitted_on between ${p.from}::date and ${p.to}::date and e.admitted_on <= ${p.asOf}::date
       order by e.admitted_on, e.id`),
  );
}
