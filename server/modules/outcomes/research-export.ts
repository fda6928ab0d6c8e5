// The de-identified research export (issue 17, docs/outcomes.md "The de-identified research
// export"): the admissions of a period, one row each with the outcome measures, de-identified by
// core/outcomes/deidentify (Safe Harbor identifiers removed, dates shifted per patient, ages over
// 89 grouped, small classes generalised then suppressed), with its data dictionary and the k
// check. It leaves the programme, so it is a disclosure: one per patient included, under the
// research exception (42 CFR 2.52) with the study as its reason, each in the patient's accounting
// of disclosures; and one audit row ('export' of 'outcomes'). All in the caller's transaction.
// Set-based reads: the admissions with everything they need in one statement, their screens and
// those screens' corrections, whatever the cohort's size.
import { randomInt } from 'node:crypto';
import { and, between, eq, lte, sql } from 'drizzle-orm';
import { CONTACT_ATTENDANCE } from '../../../core/outcomes/dashboard.ts';
import { deidentify, dictionaryCsv, exportCsv, type RandomInt, type ResearchAdmission } from '../../../core/outcomes/deidentify.ts';
import type { DataClass } from '../../../core/consent/consent.ts';
import type { ResearchExport, ResearchExportCreate } from '../../../contracts/outcomes-research.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { addDays } from '../../../core/cm/calendar.ts';
import { admissionsOf, MAX_PERIOD_DAYS, periodOf } from './admissions.ts';
import { lastContact, scheduledScreensOf } from './outcomes.ts';
import { disclose } from '../consent/disclosures.ts';
import { episodes } from '../patients/patients.tables.ts';

/** What the export holds, as the accounting of disclosures names it. */
export const RESEARCH_DATA_CLASSES: readonly DataClass[] = ['demographics', 'medication', 'screens', 'attendance', 'check-ins', 'cm-progress'];

type Deps = { tx: Tx; ctx: Ctx; random?: RandomInt };

type Extra = { last_contact: string | null; birth_date: string; sex: string; attended_visits: number | string; check_in_days: number | string };

/** Makes the export for `recipient` and its study (`purpose`), records the disclosures and the audit row. */
export async function researchExport(deps: Deps, input: ResearchExportCreate): Promise<ResearchExport> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (input.from > input.to) throw invalid('body.from', 'must be on or before to');
  if (addDays(input.from, MAX_PERIOD_DAYS) < input.to) throw invalid('body.from', `the period can be at most ${MAX_PERIOD_DAYS} days`);
  const p = await periodOf(tx, programId, ctx.now, input);
  // the end of each admission's window: discharge, or today
  const until = sql`least(coalesce(e.discharged_on, ${p.asOf}::date), ${p.asOf}::date)`;
  const attended = sql.join(
    CONTACT_ATTENDANCE.map((a) => sql`${a}`),
    sql`, `,
  );
  const rows = await admissionsOf<Extra>(
    tx,
    programId,
    p,
    sql`${lastContact(p)},
        (select pa.birth_date::text from patients pa where pa.program_id = e.program_id and pa.id = e.patient_id) as birth_date,
        (select pa.administrative_sex from patients pa where pa.program_id = e.program_id and pa.id = e.patient_id) as sex,
        (select count(*) from encounter_participants ep join encounters en on en.program_id = ep.program_id and en.id = ep.encounter_id
          where ep.program_id = e.program_id and ep.patient_id = e.patient_id and ep.attendance in (${attended})
            and (en.starts_at at time zone ${p.tz})::date between e.admitted_on and ${until}) as attended_visits,
        (select count(distinct c.day) from check_ins c
          where c.program_id = e.program_id and c.patient_id = e.patient_id and c.day between e.admitted_on and ${until}) as check_in_days`,
  );
  const inPeriod = and(eq(episodes.programId, programId), between(episodes.admittedOn, p.from, p.to), lte(episodes.admittedOn, p.asOf))!;
  const { byEpisode } = await scheduledScreensOf(tx, programId, inPeriod, p.asOf);
  const admissions: ResearchAdmission[] = rows.map((r) => ({
    patientId: r.patient_id,
    birthDate: r.birth_date,
    sex: r.sex,
    levelOfCare: r.level_of_care,
    medications: r.medications,
    cmProtocol: r.cm_protocol,
    admittedOn: r.admitted_on,
    dischargedOn: r.discharged_on,
    lastContactOn: r.last_contact,
    screens: byEpisode.get(r.id) ?? [],
    attendedVisits: Number(r.attended_visits),
    checkInDays: Number(r.check_in_days),
  }));
  const { rows: out, check } = deidentify(admissions, { asOf: p.asOf, random: deps.random ?? randomInt });
  // every patient with a row: one disclosure each, under the research exception
  const patients = [...new Set(admissions.map((a) => a.patientId))];
  for (const patientId of patients)
    await disclose(tx, ctx, {
      programId,
      patientId,
      channel: 'export',
      recipient: { kind: 'organization', name: input.recipient },
      dataClasses: RESEARCH_DATA_CLASSES,
      actorKind: 'staff',
      exception: 'research',
      reason: `De-identified research export: ${input.purpose}`,
    });
  await writeAudit(tx, auditContext(ctx), {
    action: 'export',
    entity: 'outcomes',
    detail: {
      measure: 'research-export',
      from: p.from,
      to: p.to,
      rows: out.length,
      patients: patients.length,
      k: check.k,
      smallestClass: check.smallestClass,
      generalisedRows: check.generalisedRows,
      suppressedRows: check.suppressedRows,
    },
  });
  return {
    from: p.from,
    to: p.to,
    asOf: p.asOf,
    csv: exportCsv(out),
    dictionaryCsv: dictionaryCsv(),
    rows: out.length,
    k: check.k,
    quasiIdentifiers: [...check.quasiIdentifiers],
    smallestClass: check.smallestClass,
    classes: check.classes,
    generalisedRows: check.generalisedRows,
    suppressedRows: check.suppressedRows,
    disclosures: patients.length,
  };
}
