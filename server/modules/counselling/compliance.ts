// Counselling compliance (ADR 043): the facts come from SQL — each person's current episode and
// the dates of counselling visits they were seen at — and the rule from core
// (core/counselling/compliance.ts), so there is one copy of it. A visit counts when its type
// counts towards counselling (core DEFAULT_ENCOUNTER_TYPES or the programme's own types) and
// the person's attendance is one core `wasSeen` accepts. The status informs; it blocks nothing.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { complianceOf, monthBounds, monthOf, type Compliance, type ComplianceStatus, type CounsellingRules } from '../../../core/counselling/compliance.ts';
import { addDays, localDate, zonedInstant } from '../../../core/cm/calendar.ts';
import { ATTENDANCE, DEFAULT_ENCOUNTER_TYPES, wasSeen } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { csvCell } from '../audit/browse-audit.ts';
import { programTimeZone } from '../cm/settle.ts';
import { encounterTypes } from '../encounters/encounters.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { readCounsellingRules } from './rules.ts';

type Deps = { tx: Tx; ctx: Ctx };
type StaffRef = { id: string; name: string };

/** Attendance values that count as seen (core wasSeen), for SQL. */
export const SEEN_ATTENDANCE = ATTENDANCE.filter((a) => wasSeen(a));

/** The visit types that count towards counselling in this programme: the built-in ones and the programme's own. */
export async function counsellingTypeCodes(tx: Tx, programId: string): Promise<string[]> {
  const own = await tx
    .select({ code: encounterTypes.code })
    .from(encounterTypes)
    .where(and(eq(encounterTypes.programId, programId), eq(encounterTypes.counselling, true)));
  return [...DEFAULT_ENCOUNTER_TYPES.filter((t) => t.counselling).map((t) => t.code), ...own.map((r) => r.code)];
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
const uuids = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}::uuid`),
    sql`, `,
  );

/** The SQL for "a counselling visit this person was seen at", local date `d`, for joining on patient `pid`. */
/** A booking `p` on visit `en` counts towards counselling: the person was seen at a counselling visit that took place. */
export function countsAsCounselling(codes: readonly string[]) {
  return sql`p.attendance in (${list(SEEN_ATTENDANCE)}) and en.status <> 'cancelled' and en.type_code in (${list(codes)})`;
}

/** Episode `e` is the person's current one on `day`: admitted by then and not discharged before. */
export function episodeCurrentOn(day: string) {
  return sql`e.admitted_on <= ${day}::date and (e.discharged_on is null or e.discharged_on >= ${day}::date)`;
}

function seenVisits(programId: string, tz: string, codes: readonly string[], patientIds?: readonly string[]) {
  // with a few patients named, read only theirs (the participants' patient index), not the programme's
  const only = patientIds ? sql`and p.patient_id in (${uuids(patientIds)})` : sql``;
  return sql`
    select p.patient_id, (en.starts_at at time zone ${tz})::date as d
      from encounter_participants p
      join encounters en on en.program_id = p.program_id and en.id = p.encounter_id
     where p.program_id = ${programId}::uuid ${only} and ${countsAsCounselling(codes)}`;
}

export type StatusRow = {
  patientId: string;
  patientName: string;
  mrn: string;
  admittedOn: string;
  dischargedOn: string | null;
  counsellor: StaffRef | null;
  compliance: Compliance | null;
};

/**
 * Everyone in a current episode on `today` (or only `patientIds`), with their counsellor and
 * compliance. Two statements: the facts, then core's rule per person.
 */
export async function complianceStatuses(tx: Tx, programId: string, today: string, opts: { patientIds?: readonly string[]; counsellorId?: string } = {}) {
  const tz = await programTimeZone(tx, programId);
  const codes = await counsellingTypeCodes(tx, programId);
  const { rules } = await readCounsellingRules(tx, programId);
  if (opts.patientIds && opts.patientIds.length === 0) return { tz, rules, rows: [] as StatusRow[] };
  const onlyPatients: SQL = opts.patientIds ? sql`and e.patient_id in (${uuids(opts.patientIds)})` : sql``;
  const onlyCounsellor: SQL = opts.counsellorId ? sql`where ca.user_id = ${opts.counsellorId}::uuid` : sql``;
  const rows = rowsOf<{
    patient_id: string;
    admitted_on: string;
    discharged_on: string | null;
    last_seen: string | null;
    given: string;
    family: string;
    preferred: string | null;
    mrn: string;
    counsellor_id: string | null;
    counsellor_name: string | null;
  }>(
    await tx.execute(sql`
      with ep as (
        select distinct on (e.patient_id) e.patient_id, e.admitted_on, e.discharged_on
          from episodes e
         where e.program_id = ${programId}::uuid and ${episodeCurrentOn(today)} ${onlyPatients}
         order by e.patient_id, e.admitted_on desc
      ), seen as (
        select s.patient_id, max(s.d) as last_seen
          from (${seenVisits(programId, tz, codes, opts.patientIds)}) s
          join ep on ep.patient_id = s.patient_id
         where s.d between ep.admitted_on and ${today}::date
         group by s.patient_id
      )
      select ep.patient_id, ep.admitted_on::text, ep.discharged_on::text, seen.last_seen::text as last_seen,
             pt.legal_given_name as given, pt.legal_family_name as family, pt.preferred_name as preferred, pt.mrn,
             ca.user_id as counsellor_id, u.display_name as counsellor_name
        from ep
        join patients pt on pt.program_id = ${programId}::uuid and pt.id = ep.patient_id
        left join seen on seen.patient_id = ep.patient_id
        left join caseload_assignments ca on ca.program_id = ${programId}::uuid and ca.patient_id = ep.patient_id and ca.kind = 'counsellor' and ca.ended_at is null
        left join users u on u.id = ca.user_id
        ${onlyCounsellor}`),
  );
  return {
    tz,
    rules,
    rows: rows.map((r): StatusRow => ({
      patientId: r.patient_id,
      patientName: `${r.preferred ?? r.given} ${r.family}`,
      mrn: r.mrn,
      admittedOn: r.admitted_on,
      dischargedOn: r.discharged_on,
      counsellor: r.counsellor_id ? { id: r.counsellor_id, name: r.counsellor_name ?? '' } : null,
      compliance: complianceOf({ admittedOn: r.admitted_on, dischargedOn: r.discharged_on, today, rules, seenOn: r.last_seen ? [r.last_seen] : [] }),
    })),
  };
}

export async function programToday(tx: Tx, ctx: Ctx) {
  return localDate(ctx.now, await programTimeZone(tx, programOf(ctx)));
}

/** One patient's status today (informs; never blocks). */
export async function patientCompliance(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const today = await programToday(tx, ctx);
  const { rows } = await complianceStatuses(tx, programId, today, { patientIds: [patientId] });
  const row = rows[0];
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'counselling-compliance', patientId });
  return { patientId, today, admittedOn: row?.admittedOn ?? null, compliance: row?.compliance ?? null, informsOnly: true as const };
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,9}$/.test(text)) throw invalid('query.cursor', 'is not valid');
  return Number(text);
}
const encodeOffset = (n: number) => Buffer.from(String(n)).toString('base64url');

/** Supervisors' list: who is overdue (or due), by counsellor (unassigned last), then by how long. */
export async function overdueList(
  deps: Deps,
  q: { status: 'overdue' | 'due'; counsellorId?: string | undefined; unassigned?: 'true' | 'false' | undefined; limit: number; cursor?: string | undefined },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const offset = decodeOffset(q.cursor);
  const today = await programToday(tx, ctx);
  const { rows } = await complianceStatuses(tx, programId, today, q.counsellorId ? { counsellorId: q.counsellorId } : {});
  const matching = rows
    .filter((r) => r.compliance?.status === q.status && (q.unassigned !== 'true' || r.counsellor === null))
    .sort(
      (a, b) =>
        (a.counsellor ? 0 : 1) - (b.counsellor ? 0 : 1) ||
        (a.counsellor?.name ?? '').localeCompare(b.counsellor?.name ?? '') ||
        (a.counsellor?.id ?? '').localeCompare(b.counsellor?.id ?? '') ||
        a.compliance!.dueOn.localeCompare(b.compliance!.dueOn) ||
        a.patientId.localeCompare(b.patientId),
    );
  const page = matching.slice(offset, offset + q.limit);
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'counselling-compliance', purpose: 'work-list', detail: { status: q.status, count: page.length } });
  return {
    today,
    items: page.map((r) => ({ patientId: r.patientId, patientName: r.patientName, mrn: r.mrn, counsellor: r.counsellor, ...r.compliance! })),
    nextCursor: offset + q.limit < matching.length ? encodeOffset(offset + q.limit) : null,
  };
}

type Counts = { patients: number; required: number; held: number; onTrack: number; due: number; overdue: number };
const zero = (): Counts => ({ patients: 0, required: 0, held: 0, onTrack: 0, due: 0, overdue: 0 });
const STATUS_KEY: Record<ComplianceStatus, 'onTrack' | 'due' | 'overdue'> = { 'on-track': 'onTrack', due: 'due', overdue: 'overdue' };

/**
 * The monthly report: everyone with an episode during the month — visits required and held,
 * the status at month end (today, for the month under way) — and the same summed per
 * counsellor (as assigned at month end) and for the programme. Three statements.
 */
export async function complianceReport(tx: Tx, programId: string, month: string, today: string, rules: CounsellingRules, tz: string) {
  const { first, last } = monthBounds(month);
  const codes = await counsellingTypeCodes(tx, programId);
  const monthEnd = zonedInstant(addDays(last, 1), '00:00', tz);
  const rows = rowsOf<{
    patient_id: string;
    admitted_on: string;
    discharged_on: string | null;
    seen: string[] | null;
    given: string;
    family: string;
    preferred: string | null;
    mrn: string;
    counsellor_id: string | null;
    counsellor_name: string | null;
  }>(
    await tx.execute(sql`
      with ep as (
        select distinct on (e.patient_id) e.patient_id, e.admitted_on, e.discharged_on
          from episodes e
         where e.program_id = ${programId}::uuid and e.admitted_on <= ${last}::date
           and (e.discharged_on is null or e.discharged_on >= ${first}::date)
         order by e.patient_id, e.admitted_on desc
      ), seen as (
        -- the month's visit days, and the last one before the month (for the status at its end)
        select s.patient_id,
               array_agg(distinct s.d::text) filter (where s.d >= ${first}::date) as days,
               max(s.d) filter (where s.d < ${first}::date) as before
          from (${seenVisits(programId, tz, codes)}
                and en.starts_at < ${monthEnd.toISOString()}::timestamptz) s
          join ep on ep.patient_id = s.patient_id
         where s.d between ep.admitted_on and ${last}::date
         group by s.patient_id
      )
      select ep.patient_id, ep.admitted_on::text, ep.discharged_on::text,
             coalesce(seen.days, '{}') || case when seen.before is null then '{}'::text[] else array[seen.before::text] end as seen,
             pt.legal_given_name as given, pt.legal_family_name as family, pt.preferred_name as preferred, pt.mrn,
             ca.user_id as counsellor_id, u.display_name as counsellor_name
        from ep
        join patients pt on pt.program_id = ${programId}::uuid and pt.id = ep.patient_id
        left join seen on seen.patient_id = ep.patient_id
        left join lateral (
          select c.user_id from caseload_assignments c
           where c.program_id = ${programId}::uuid and c.patient_id = ep.patient_id and c.kind = 'counsellor'
             and c.started_at < ${monthEnd.toISOString()}::timestamptz and (c.ended_at is null or c.ended_at >= ${monthEnd.toISOString()}::timestamptz)
           order by c.started_at desc limit 1
        ) ca on true
        left join users u on u.id = ca.user_id
       order by pt.legal_family_name, pt.legal_given_name, ep.patient_id`),
  );
  const patients = rows.map((r) => {
    const m = monthOf(rules, { admittedOn: r.admitted_on, dischargedOn: r.discharged_on }, month, r.seen ?? [], today);
    return {
      patientId: r.patient_id,
      patientName: `${r.preferred ?? r.given} ${r.family}`,
      mrn: r.mrn,
      counsellor: r.counsellor_id ? { id: r.counsellor_id, name: r.counsellor_name ?? '' } : null,
      ...m,
    };
  });
  const byCounsellor = new Map<string, { counsellor: StaffRef | null } & Counts>();
  const totals = zero();
  for (const p of patients) {
    const key = p.counsellor?.id ?? '';
    const c = byCounsellor.get(key) ?? { counsellor: p.counsellor, ...zero() };
    for (const t of [c, totals]) {
      t.patients += 1;
      t.required += p.required;
      t.held += p.held;
      if (p.statusAtMonthEnd) t[STATUS_KEY[p.statusAtMonthEnd]] += 1;
    }
    byCounsellor.set(key, c);
  }
  const counsellors = [...byCounsellor.values()].sort((a, b) => (a.counsellor ? 0 : 1) - (b.counsellor ? 0 : 1) || (a.counsellor?.name ?? '').localeCompare(b.counsellor?.name ?? ''));
  return { month, first, last, patients, counsellors, totals, informsOnly: true as const };
}

export async function monthlyReport(deps: Deps, input: string | undefined) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const today = localDate(ctx.now, tz);
  const month = input ?? today.slice(0, 7);
  const { rules } = await readCounsellingRules(tx, programId);
  const report = await complianceReport(tx, programId, month, today, rules, tz);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'counselling-compliance', detail: { month, count: report.patients.length } });
  return report;
}

const CSV_HEADER = ['section', 'patient_id', 'patient', 'mrn', 'counsellor', 'required', 'held', 'status_at_month_end', 'due_on', 'patients', 'on_track', 'due', 'overdue'];

/** The report as CSV (RFC 4180; cells a spreadsheet would run as a formula are quoted off). */
export function reportCsv(r: Awaited<ReturnType<typeof complianceReport>>): string {
  const lines = [CSV_HEADER.join(',')];
  const line = (cells: unknown[]) => lines.push(cells.map(csvCell).join(','));
  for (const p of r.patients) line(['patient', p.patientId, p.patientName, p.mrn, p.counsellor?.name ?? '', p.required, p.held, p.statusAtMonthEnd ?? '', p.dueOn ?? '', '', '', '', '']);
  for (const c of r.counsellors) line(['counsellor', '', '', '', c.counsellor?.name ?? '(none)', c.required, c.held, '', '', c.patients, c.onTrack, c.due, c.overdue]);
  line(['total', '', '', '', '', r.totals.required, r.totals.held, '', '', r.totals.patients, r.totals.onTrack, r.totals.due, r.totals.overdue]);
  return `${lines.join('\r\n')}\r\n`;
}

export async function monthlyReportCsv(deps: Deps, input: string | undefined) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const tz = await programTimeZone(tx, programId);
  const today = localDate(ctx.now, tz);
  const month = input ?? today.slice(0, 7);
  const { rules } = await readCounsellingRules(tx, programId);
  const report = await complianceReport(tx, programId, month, today, rules, tz);
  await writeAudit(tx, auditContext(ctx), { action: 'export', entity: 'counselling-compliance', detail: { month, count: report.patients.length } });
  return reportCsv(report);
}
