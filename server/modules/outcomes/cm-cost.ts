// CM: cost and fairness (issue 17, docs/outcomes.md "CM: cost and fairness"): for the CM
// enrolments that started in a period, the spend per funding source against its budget and
// caps, the cost per patient, per negative CM screen and per week in treatment of the
// CM-enrolled admissions, and the prize tiers of the draws shown to patients against what each
// protocol's bowl expects. Set-based: seven queries (and the time zone) whatever the number of
// enrolments (the enrolments; their ledger entries; the funding sources; their specimens and
// those screens' corrections; the admissions with their last contact; the protocols with their
// shown draws).
// The arithmetic is core/outcomes/cost.ts, the ledger's rules core/cm/ledger.ts. Aggregates
// only; one audit row per read, in the request's transaction (`cmCost`; `cmCostOf` is the same
// without the audit row, for the funders' monthly report, which audits its export).
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { parseProtocol } from '../../../core/cm/protocol.ts';
import { costFigures, enrolmentMoney, fairness, spendBySource, type EnrolmentMoney } from '../../../core/outcomes/cost.ts';
import { spellOf } from '../../../core/outcomes/survival.ts';
import type { CmCost, CmCostQuery } from '../../../contracts/outcomes-cm.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { cmFundingSources, cmLedgerEntries } from '../cm/cm.tables.ts';
import { toEngine } from '../cm/settle.ts';
import { screenIsNegative } from '../cm/summaries.ts';
import { correctionsOf, inEffect } from '../screens/screens.ts';
import { screens } from '../screens/screens.tables.ts';
import { periodOf, type Period } from './admissions.ts';
import { lastContact } from './outcomes.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** The enrolments counted, as a condition on the enrolment alias `ce`: started in the period, not after today. */
const startedIn = (p: Period, alias: string): SQL => sql`${sql.raw(alias)}.start_date between ${p.from}::date and ${p.to}::date and ${sql.raw(alias)}.start_date <= ${p.asOf}::date`;

/** The ids of the enrolments counted, as a subquery. */
const cohortIds = (programId: string, p: Period): SQL => sql`(select ce.id from cm_enrolments ce where ce.program_id = ${programId} and ${startedIn(p, 'ce')})`;

type EnrolmentRow = { id: string; patient_id: string; protocol_id: string; funding_source_id: string | null };
type AdmissionRow = { id: string; admitted_on: string; discharged_on: string | null; last_contact: string | null };
type ProtocolRow = { id: string; name: string; version: string; document: unknown; tiers: string[] | null };

/**
 * CM: cost and fairness for the enrolments that started in the period, unaudited: what the
 * dashboard's card (`cmCost`, which audits the read) and the funders' monthly report
 * (report.ts, which audits its export) both show.
 */
export async function cmCostOf(tx: Tx, programId: string, p: Period): Promise<CmCost> {
  const cohort = cohortIds(programId, p);

  const enrolments = rowsOf<EnrolmentRow>(
    await tx.execute(sql`
      select ce.id, ce.patient_id, ce.protocol_id, ce.funding_source_id from cm_enrolments ce
       where ce.program_id = ${programId} and ${startedIn(p, 'ce')}
       order by ce.start_date, ce.id`),
  );

  // spend: each enrolment's ledger by the engine's rules (voids are named by an enrolment's entry keys)
  const entries = await tx
    .select()
    .from(cmLedgerEntries)
    .where(and(eq(cmLedgerEntries.programId, programId), inArray(cmLedgerEntries.enrolmentId, cohort)))
    .orderBy(asc(cmLedgerEntries.seq));
  const byEnrolment = new Map<string, (typeof entries)[number][]>();
  for (const e of entries) byEnrolment.set(e.enrolmentId, [...(byEnrolment.get(e.enrolmentId) ?? []), e]);
  const money = new Map<string, EnrolmentMoney>(enrolments.map((e) => [e.id, enrolmentMoney((byEnrolment.get(e.id) ?? []).map(toEngine))]));
  const sources = await tx.select().from(cmFundingSources).where(eq(cmFundingSources.programId, programId)).orderBy(asc(cmFundingSources.name), asc(cmFundingSources.id));
  const spend = spendBySource(
    sources.map((s) => ({ id: s.id, name: s.name, budgetCents: s.budgetCents, capsPreset: s.capsPreset, perYearCents: (s.caps as { perYearCents?: number | null } | null)?.perYearCents ?? null })),
    enrolments.map((e) => ({ fundingSourceId: e.funding_source_id, money: money.get(e.id)! })),
  );

  // negative CM screens: the specimens of these enrolments (cm_events.id = the screen's id), in effect
  const specimenScreens = await tx
    .select()
    .from(screens)
    .where(
      and(eq(screens.programId, programId), inArray(screens.id, sql`(select ev.id from cm_events ev where ev.program_id = ${programId} and ev.kind = 'specimen' and ev.enrolment_id in ${cohort})`)),
    );
  const corrections = await correctionsOf(
    tx,
    programId,
    specimenScreens.map((s) => s.id),
  );
  const negativeScreens = specimenScreens.filter((s) => screenIsNegative(inEffect(s, corrections.get(s.id) ?? []))).length;

  // weeks in treatment of the admissions during which a counted enrolment started (retention's rules)
  const admissions = rowsOf<AdmissionRow>(
    await tx.execute(sql`
      select e.id, e.admitted_on::text as admitted_on, e.discharged_on::text as discharged_on, ${lastContact(p)}
        from episodes e
       where e.program_id = ${programId} and e.admitted_on <= ${p.asOf}::date
         and exists (select 1 from cm_enrolments ce where ce.program_id = e.program_id and ce.patient_id = e.patient_id and ${startedIn(p, 'ce')}
                        and ce.start_date >= e.admitted_on and (e.discharged_on is null or ce.start_date <= e.discharged_on))`),
  );
  let retainedDays = 0;
  for (const a of admissions) retainedDays += spellOf({ admittedOn: a.admitted_on, dischargedOn: a.discharged_on, lastContactOn: a.last_contact }, p.asOf)?.days ?? 0;

  // fairness: per protocol version of these enrolments, the tiers of the draws shown to patients
  const protocols = rowsOf<ProtocolRow>(
    await tx.execute(sql`
      select pr.id, pr.name, pr.version, pr.document,
             (select json_agg(l.tier order by l.enrolment_id, l.n)
                from cm_draw_reveals d
                join cm_ledger_entries l on l.program_id = d.program_id and l.enrolment_id = d.enrolment_id and l.kind = 'prize' and l.n = d.n
                join cm_enrolments ce on ce.program_id = d.program_id and ce.id = d.enrolment_id
               where d.program_id = pr.program_id and ce.protocol_id = pr.id and ${startedIn(p, 'ce')}) as tiers
        from cm_protocols pr
       where pr.program_id = ${programId} and pr.id in (select ce.protocol_id from cm_enrolments ce where ce.program_id = ${programId} and ${startedIn(p, 'ce')})
       order by pr.name, pr.version, pr.id`),
  );
  const fair = protocols.flatMap((pr) => {
    const parsed = parseProtocol(pr.document);
    const bowl = parsed.ok ? parsed.protocol.bowl : undefined;
    if (!bowl) return [];
    return [
      {
        protocolId: pr.id,
        protocol: pr.name,
        version: pr.version,
        ...fairness(
          bowl,
          (pr.tiers ?? []).filter((t): t is string => t !== null),
        ),
      },
    ];
  });

  const earnedCents = spend.reduce((a, s) => a + s.earnedCents, 0);
  return {
    from: p.from,
    to: p.to,
    asOf: p.asOf,
    enrolments: enrolments.length,
    admissions: admissions.length,
    sources: spend,
    redeemedCents: spend.reduce((a, s) => a + s.redeemedCents, 0),
    cost: costFigures(earnedCents, new Set(enrolments.map((e) => e.patient_id)).size, negativeScreens, retainedDays),
    fairness: fair,
  };
}

/** CM: cost and fairness for the enrolments that started in the period; one audit row per read. */
export async function cmCost(deps: Deps, q: CmCostQuery): Promise<CmCost> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const p = await periodOf(tx, programId, ctx.now, q);
  const out = await cmCostOf(tx, programId, p);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'outcomes',
    detail: { measure: 'cm-cost', from: p.from, to: p.to, enrolments: out.enrolments, admissions: out.admissions, draws: out.fairness.reduce((a, f) => a + f.draws, 0) },
  });
  return out;
}
