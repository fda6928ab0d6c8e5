// The counsellor's today (GET /api/v1/counselling/today's use case) and the monthly counselling
// compliance report, on PostgreSQL, for a programme with 2,000 patients and two years of visits
// (400,000 encounters, one person booked on each; a third medication visits, the rest individual
// counselling; about one in ten a no-show), weekly check-ins and screens, and stage judgements.
// Each is measured against the equivalent direct SQL in the same run — one hand-written
// statement that reads the same facts — and reported as the median ratio of interleaved runs.
// Data is filled set-based (INSERT … SELECT generate_series), not row by row.
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../server/modules/programs/bootstrap.ts';
import { inTransaction } from '../server/platform/db/database.ts';
import type { Ctx } from '../server/platform/http/context.ts';
import { permissionsOf } from '../core/access/roles.ts';
import { counsellorToday } from '../server/modules/counselling/today.ts';
import { monthlyReport } from '../server/modules/counselling/compliance.ts';

const NAME = `wp_bench_counselling_${randomUUID().slice(0, 8)}`;
const PATIENTS = 2_000;
const COUNSELLORS = 20;
const VISITS_PER_PATIENT = 200; // over 730 days: 400,000 encounters
const RUNS = Number(process.env.BENCH_ROUNDS ?? 7);
const NOW = new Date('2026-03-02T15:00:00Z');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default function bench() {
  return withScratchDatabase(NAME, 4, async (d) => {
    const { orgId, programId, staff } = await inTransaction(d.db, async (tx) => {
      const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now: NOW });
      const programId = await createProgram(tx, { orgId, name: 'Bench counselling', timeZone: 'America/New_York', now: NOW });
      const staff: string[] = [];
      for (let i = 0; i < COUNSELLORS; i++)
        staff.push(
          await createUserWithRoles(tx, {
            orgId,
            email: `bench-c${i}-${randomUUID().slice(0, 6)}@test.example`,
            displayName: `Bench Counsellor ${i}`,
            password: 'bench-password-not-real-123',
            roles: [{ programId, role: 'counsellor' }],
            now: NOW,
            checkPassword: false,
          }),
        );
      return { orgId, programId, staff };
    });
    const t0 = performance.now();
    const p = programId;
    await d.query(`create temporary table bench_staff (n int primary key, id uuid not null)`);
    await d.query(`insert into bench_staff select ordinality - 1, id from unnest($1::uuid[]) with ordinality as id`, [staff]);
    await d.query(
      `insert into patients (program_id, id, mrn, legal_given_name, legal_family_name, birth_date, preferred_language, contact_consent, version, created_at, updated_at)
       select $1, gen_random_uuid(), 'B-' || g, 'Bench', 'Example' || g, date '1980-01-01' + (g % 7000), 'en', false, 1, $2, $2 from generate_series(0, ${PATIENTS - 1}) g`,
      [p, NOW],
    );
    await d.query(`create temporary table bench_patients as select row_number() over (order by mrn) - 1 as n, id from patients where program_id = $1`, [p]);
    await d.query(
      `insert into episodes (program_id, id, patient_id, level_of_care, admitted_on, created_at)
       select $1, gen_random_uuid(), id, 'otp', date '2024-03-01' + (n % 60)::int, $2 from bench_patients`,
      [p, NOW],
    );
    await d.query(
      `insert into caseload_assignments (program_id, id, patient_id, kind, user_id, started_at)
       select $1, gen_random_uuid(), bp.id, 'counsellor', s.id, timestamptz '2024-03-01 12:00Z' from bench_patients bp join bench_staff s on s.n = bp.n % ${COUNSELLORS}`,
      [p],
    );
    // two years of visits: visit k of patient n on day 2024-03-02 + k*731/200 (+ 0–3 days by patient), 14:00 UTC — about
    // 25 of each counsellor's patients have a visit on 2026-03-02, the day the today view reads
    await d.query(
      `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, created_at, updated_at)
       select $1, md5(bp.id::text || k)::uuid, case when k % 3 = 0 then 'medication-dosing' else 'individual-counselling' end, 'in-person',
              v.at, v.at + interval '50 minutes', s.id, case when v.at < $2 then 'completed' else 'scheduled' end, $2, $2
         from bench_patients bp join bench_staff s on s.n = bp.n % ${COUNSELLORS}
        cross join generate_series(0, ${VISITS_PER_PATIENT - 1}) k
        cross join lateral (select timestamptz '2024-03-02 14:00Z' + ((k * 731 / ${VISITS_PER_PATIENT}) + (bp.n / ${COUNSELLORS}) % 4) * interval '1 day' as at) v`,
      [p, NOW],
    );
    await d.query(
      `insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at)
       select $1, md5(bp.id::text || k)::uuid, bp.id,
              case when timestamptz '2024-03-02 14:00Z' + ((k * 731 / ${VISITS_PER_PATIENT}) + (bp.n / ${COUNSELLORS}) % 4) * interval '1 day' >= $2 then null
                   when (k + bp.n) % 10 = 0 then 'no-show' when (k + bp.n) % 10 = 1 then 'late' else 'attended' end, $2
         from bench_patients bp cross join generate_series(0, ${VISITS_PER_PATIENT - 1}) k`,
      [p, NOW],
    );
    await d.query(
      `insert into check_ins (program_id, id, patient_id, day, made_at, answers, source, idempotency_key, outcome, recorded_at)
       select $1, gen_random_uuid(), bp.id, (timestamptz '2024-03-03 20:00Z' + w * interval '7 days')::date, timestamptz '2024-03-03 20:00Z' + w * interval '7 days',
              jsonb_build_object('craving', (w + bp.n) % 10, 'use', jsonb_build_object('any', false), 'medication', 'taken'), 'app', 'bench-' || w, '{}'::jsonb, $2
         from bench_patients bp cross join generate_series(0, 103) w`,
      [p, NOW],
    );
    await d.query(
      `insert into screens (program_id, id, patient_id, collected_at, collected_on, matrix, method, observed, valid, invalid_reasons, results, source, recorded_at)
       select $1, gen_random_uuid(), bp.id, timestamptz '2024-03-04 15:00Z' + w * interval '7 days', (timestamptz '2024-03-04 15:00Z' + w * interval '7 days')::date,
              'urine', 'presumptive', true, true, '[]'::jsonb,
              jsonb_build_array(jsonb_build_object('analyte', 'fentanyl', 'loinc', null, 'result', case when (w + bp.n) % 7 = 0 then 'positive' else 'negative' end, 'valueNgMl', null, 'cutoffNgMl', null, 'prescribed', false)),
              'staff', $2
         from bench_patients bp cross join generate_series(0, 103) w`,
      [p, NOW],
    );
    await d.query(
      `insert into stage_assessments (program_id, id, patient_id, stage, source, assessed_by, assessed_at, created_at)
       select $1, gen_random_uuid(), bp.id, (array['precontemplation','contemplation','preparation','action','maintenance'])[1 + (q + bp.n) % 5], 'clinician', s.id,
              timestamptz '2024-03-10 15:00Z' + q * interval '180 days', $2
         from bench_patients bp join bench_staff s on s.n = bp.n % ${COUNSELLORS} cross join generate_series(0, 3) q`,
      [p, NOW],
    );
    await d.query('ANALYZE');
    const [counts] = await d.query<{ e: string; ep: string }>(`select (select count(*) from encounters) as e, (select count(*) from encounter_participants) as ep`);
    console.log(
      `filled in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${PATIENTS} patients, ${counts!.e} encounters, ${counts!.ep} bookings, ${COUNSELLORS} counsellors; PostgreSQL, ${RUNS} interleaved runs`,
    );

    const me = staff[0]!;
    const ctx: Ctx = {
      principal: { userId: me, orgId, displayName: 'Bench Counsellor 0', sessionId: 'bench', stage: 'active', mustChangePassword: false },
      orgId,
      program: { programId, roles: ['counsellor'], permissions: permissionsOf(['counsellor']) },
      meta: { requestId: 'bench', ip: null, userAgent: 'bench' },
      now: NOW,
    };
    const time = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    let todayShape = '';
    const today = () =>
      time(() =>
        inTransaction(d.db, async (tx) => {
          const r = await counsellorToday({ tx, ctx }, {});
          todayShape = `${r.encounters.length} visits, ${r.encounters.reduce((n, e) => n + e.patients.length, 0)} patients`;
        }),
      );
    // the same facts in one hand-written statement: my visits of the day with their patients and,
    // per patient, the latest stage, screen and check-in, the CM enrolment, the last counselling
    // visit seen before today and the counts of screens and check-ins since it
    const todaySql = () =>
      time(() =>
        d.query(
          `select e.id, e.starts_at, e.type_code, pt.id as patient_id, pt.legal_given_name, pt.legal_family_name, st.stage, sc.results, ci.answers, enr.status, ls.at as last_seen,
                  (select count(*) from screens x where x.program_id = e.program_id and x.patient_id = pt.id and x.collected_at > coalesce(ls.at, $3::timestamptz - interval '30 days')) as new_screens,
                  (select count(*) from check_ins x where x.program_id = e.program_id and x.patient_id = pt.id and x.made_at > coalesce(ls.at, $3::timestamptz - interval '30 days')) as new_check_ins
             from encounters e
             join encounter_participants ep on ep.program_id = e.program_id and ep.encounter_id = e.id
             join patients pt on pt.program_id = ep.program_id and pt.id = ep.patient_id
             left join lateral (select stage from stage_assessments s where s.program_id = e.program_id and s.patient_id = pt.id order by assessed_at desc limit 1) st on true
             left join lateral (select results from screens s where s.program_id = e.program_id and s.patient_id = pt.id order by collected_at desc limit 1) sc on true
             left join lateral (select answers from check_ins c where c.program_id = e.program_id and c.patient_id = pt.id order by made_at desc limit 1) ci on true
             left join lateral (select status from cm_enrolments c where c.program_id = e.program_id and c.patient_id = pt.id order by created_at desc limit 1) enr on true
             left join lateral (select max(e2.starts_at) as at from encounter_participants p2 join encounters e2 on e2.program_id = p2.program_id and e2.id = p2.encounter_id
                                 where p2.program_id = e.program_id and p2.patient_id = pt.id and p2.attendance in ('attended', 'late', 'left-early')
                                   and e2.type_code = 'individual-counselling' and e2.starts_at < $3) ls on true
            where e.program_id = $1 and e.staff_id = $2 and e.starts_at >= $3 and e.starts_at < $4
            order by e.starts_at`,
          [programId, me, '2026-03-02T05:00:00Z', '2026-03-03T05:00:00Z'],
        ),
      );
    let reportShape = '';
    const report = () =>
      time(() =>
        inTransaction(d.db, async (tx) => {
          const r = await monthlyReport({ tx, ctx }, '2026-02');
          reportShape = `${r.patients.length} patients, ${r.counsellors.length} counsellors, ${r.totals.held} visits held`;
        }),
      );
    // the report's facts in one statement: per patient in an episode during the month, the
    // counselling visit days in it and the last one before it, and their counsellor
    const reportSql = () =>
      time(() =>
        d.query(
          `with ep as (select distinct on (patient_id) patient_id, admitted_on from episodes where program_id = $1 and admitted_on <= date '2026-02-28' and (discharged_on is null or discharged_on >= date '2026-02-01') order by patient_id, admitted_on desc),
                seen as (select p.patient_id, (e.starts_at at time zone 'America/New_York')::date as d from encounter_participants p join encounters e on e.program_id = p.program_id and e.id = p.encounter_id
                          where p.program_id = $1 and p.attendance in ('attended', 'late', 'left-early') and e.status <> 'cancelled' and e.type_code = 'individual-counselling' and e.starts_at < timestamptz '2026-03-01 05:00Z')
           select ep.patient_id, count(distinct s.d) filter (where s.d >= date '2026-02-01') as held, max(s.d) filter (where s.d < date '2026-02-01') as before, ca.user_id
             from ep left join seen s on s.patient_id = ep.patient_id and s.d >= ep.admitted_on
             left join caseload_assignments ca on ca.program_id = $1 and ca.patient_id = ep.patient_id and ca.kind = 'counsellor' and ca.ended_at is null
            group by ep.patient_id, ca.user_id`,
          [programId],
        ),
      );

    await today();
    await todaySql();
    await report();
    await reportSql();
    const rows: Array<{ today: number; todaySql: number; report: number; reportSql: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) rows.push({ todaySql: await todaySql(), today: await today(), reportSql: await reportSql(), report: await report() });
      else rows.push({ today: await today(), todaySql: await todaySql(), report: await report(), reportSql: await reportSql() });
    }
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
    console.log(`today view (${todayShape}):          use case ${fmt(rows.map((r) => r.today))}`);
    console.log(`                                         direct SQL ${fmt(rows.map((r) => r.todaySql))}`);
    console.log(`today/direct SQL: median ratio ${median(rows.map((r) => r.today / r.todaySql)).toFixed(2)}`);
    console.log(`monthly report (${reportShape}): use case ${fmt(rows.map((r) => r.report))}`);
    console.log(`                                         direct SQL ${fmt(rows.map((r) => r.reportSql))}`);
    console.log(`report/direct SQL: median ratio ${median(rows.map((r) => r.report / r.reportSql)).toFixed(2)}`);
  });
}
