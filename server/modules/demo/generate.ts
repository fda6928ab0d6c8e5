// The synthetic volume generator (issue 17, docs/outcomes.md "Volume: the synthetic generator and
// the benchmark"): `waypoint demo generate --patients N --years Y` fills one programme with
// fictional patients ("Test Patient 00042") and Y years of their treatment, ending yesterday:
// episodes (admissions spread over the years; many leave in the first 90 days, some come back),
// medications, screens (three a week for 12 weeks, then twice a week; opioid positives falling with time
// in treatment; a few invalid; a small share corrected by a laboratory), near-daily check-ins that
// thin out, weekly counselling, fortnightly case management and weekly groups with attendance, and some CM enrolments.
// Set-based: a fixed number of INSERT … SELECT statements over generate_series, each row's
// randomness a hash (md5) of (seed, row), so a seed gives the same data in any programme (the
// ids hash the programme too), and 10,000 patients × 2 years load in minutes. Rows are written in the tables' real shapes (screens'
// results as server/modules/screens stores them); it never calls the write paths, so no CM
// replay, no risk rules and no alerts run. One transaction, one audit row with the counts.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { slotKindsOf } from '../../../core/cm/clinic.ts';
import { courseWeeks } from '../../../core/cm/cost.ts';
import { getPreset } from '../../../core/cm/presets.ts';
import { ANALYTE_INFO } from '../../../core/cm/analytes.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { rowsOf, writeAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { auditContext, systemCtx } from '../../platform/http/context.ts';
import { roleAssignments } from '../identity/identity.tables.ts';
import { cmProtocols } from '../cm/cm.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { createUserWithRoles } from '../programs/bootstrap.ts';

export const MAX_PATIENTS = 99_999;
export const MAX_YEARS = 5;
export const DEFAULT_SEED = '5eed';
/** The CM protocol generated enrolments follow. */
const PRESET = 'ctn-0007';

export type VolumeOptions = { programId: string; patients: number; years: number; seed?: string | undefined; now?: Date | undefined; staffId?: string | undefined };

export type VolumeCounts = {
  seed: string;
  from: string;
  to: string;
  patients: number;
  episodes: number;
  medications: number;
  screens: number;
  corrections: number;
  checkIns: number;
  encounters: number;
  participants: number;
  cmEnrolments: number;
};

/** What is wrong with the options (empty when they are fine), each naming its flag. */
export function volumeProblems(o: { patients: unknown; years: unknown; seed?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof o.patients !== 'number' || !Number.isInteger(o.patients) || o.patients < 1 || o.patients > MAX_PATIENTS) problems.push(`--patients must be a whole number from 1 to ${MAX_PATIENTS}`);
  if (typeof o.years !== 'number' || !Number.isInteger(o.years) || o.years < 1 || o.years > MAX_YEARS) problems.push(`--years must be a whole number from 1 to ${MAX_YEARS}`);
  if (o.seed !== undefined && (typeof o.seed !== 'string' || !/^[0-9a-f]{1,16}$/i.test(o.seed))) problems.push('--seed must be 1 to 16 hexadecimal digits');
  return problems;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A uniform number in [0, 1) from the i-th (0–3) 8-hex-digit slice of an md5 text. */
const u = (h: string, i: 0 | 1 | 2 | 3) => `(('x' || substr(${h}, ${1 + 8 * i}, 8))::bit(32)::int8 / 4294967296.0)`;

/** A row count from either driver (node-postgres: rowCount; PGlite: affectedRows). */
const affected = (r: unknown) => Number((r as { rowCount?: number | null }).rowCount ?? (r as { affectedRows?: number }).affectedRows ?? 0);

/** Generates the volume in one transaction and returns the counts of rows written. */
export async function generateVolume(db: Db, o: VolumeOptions): Promise<VolumeCounts> {
  const problems = volumeProblems(o);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const seed = (o.seed ?? DEFAULT_SEED).toLowerCase();
  const now = o.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const [program] = await tx.select({ orgId: programs.orgId, tz: programs.timeZone }).from(programs).where(eq(programs.id, o.programId));
    if (!program) throw new Error(`no programme ${o.programId}`);
    const asOf = localDate(now, program.tz);
    const from = addDays(asOf, -365 * o.years);
    const [taken] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from patients where program_id = ${o.programId} and mrn like ${`SYN-${seed}-%`}`));
    if (taken!.n > 0)
      throw new AppError({
        code: 'seed_taken',
        status: 409,
        message: `This programme already has the patients of seed ${seed}: give another seed.`,
        problems: [{ field: 'seed', message: 'already generated in this programme' }],
      });
    const staffId = o.staffId ?? (await staffOf(tx, o.programId, program.orgId, now));
    const protocol = await protocolOf(tx, o.programId, now);

    // the randomness depends on the seed alone (the same data in any programme); ids on the programme too
    const K = lit(seed);
    const IDK = lit(`${o.programId}:${seed}`);
    const P = lit(o.programId);
    const TZ = lit(program.tz);
    const FROM = `date ${lit(from)}`;
    const ASOF = `date ${lit(asOf)}`;
    const NOW = `${lit(now.toISOString())}::timestamptz`;
    const at = (day: string, time: string) => `(((${day})::date + time ${lit(time)}) at time zone ${TZ})`;
    const run = async (text: string) => affected(await tx.execute(sql.raw(text)));
    const count: Partial<VolumeCounts> = {};

    await run(`create temp table gen_patients (n int primary key, id uuid not null, h text not null) on commit drop`);
    await run(`create temp table gen_episodes (id uuid primary key, patient_id uuid not null, pn int not null, k int not null, h text not null, hh text not null,
                 admitted date not null, stay int, until date, discharged date, reason text, level text, med text, risk float8, engaged float8) on commit drop`);
    await run(`create temp table gen_groups (w date not null, g int not null, patient_id uuid not null, h text not null) on commit drop`);

    // patients: "Test Patient 00042", obviously fictional
    await run(`insert into gen_patients select n, md5(${IDK} || ':p:' || n)::uuid, md5(${K} || ':p:' || n) from generate_series(1, ${o.patients}) n`);
    count.patients = await run(`
      insert into patients (program_id, id, mrn, legal_given_name, legal_family_name, birth_date, administrative_sex, preferred_language, contact_consent, version, created_at, updated_at)
      select ${P}, id, 'SYN-${seed}-' || lpad(n::text, 5, '0'), 'Test', 'Patient ' || lpad(n::text, 5, '0'), date '1958-01-01' + floor(${u('h', 0)} * 16000)::int,
             case when ${u('h', 1)} < 0.52 then 'male' when ${u('h', 1)} < 0.97 then 'female' else 'unknown' end,
             case when ${u('h', 2)} < 0.18 then 'es' else 'en' end, false, 1, ${NOW}, ${NOW}
        from gen_patients`);

    // episodes: the first admission anywhere in the years; three in ten of those discharged come back 2–26 weeks later
    // (an episode is closed before the next opens); the others who left stop coming without a discharge
    await run(`insert into gen_episodes (id, patient_id, pn, k, h, hh, admitted)
               select md5(${IDK} || ':e:' || n || ':1')::uuid, id, n, 1, md5(${K} || ':e:' || n || ':1'), md5(${K} || ':E:' || n || ':1'),
                      ${FROM} + floor(${u('h', 3)} * (${ASOF} - ${FROM}))::int
                 from gen_patients`);
    const fill = (k: number) =>
      run(`update gen_episodes set
             stay = case when ${u('h', 0)} < 0.22 then 1 + floor(${u('h', 1)} * 29)::int
                         when ${u('h', 0)} < 0.42 then 30 + floor(${u('h', 1)} * 60)::int
                         when ${u('h', 0)} < 0.55 then 90 + floor(${u('h', 1)} * 90)::int
                         else 180 + floor(${u('h', 1)} * 720)::int end,
             level = case when ${u('hh', 0)} < 0.5 then 'otp' when ${u('hh', 0)} < 0.75 then 'office-based' when ${u('hh', 0)} < 0.88 then 'intensive-outpatient'
                          when ${u('hh', 0)} < 0.96 then 'residential' else 'therapeutic-community' end,
             risk = 0.15 + 0.6 * ${u('hh', 2)},
             engaged = 0.55 + 0.45 * ${u('hh', 3)}
           where k = ${k}`).then(() =>
        run(`update gen_episodes set
               until = least(admitted + stay, ${ASOF}),
               discharged = case when admitted + stay < ${ASOF} and ${u('h', 2)} < 0.7 then admitted + stay end,
               reason = case when admitted + stay >= ${ASOF} or ${u('h', 2)} >= 0.7 then null
                             when ${u('h', 3)} < 0.4 then 'Completed treatment (synthetic)' when ${u('h', 3)} < 0.75 then 'Left treatment (synthetic)'
                             when ${u('h', 3)} < 0.9 then 'Transferred to another programme (synthetic)' else 'Administrative discharge (synthetic)' end,
               med = case level when 'otp' then case when ${u('hh', 1)} < 0.85 then 'methadone' else 'buprenorphine' end
                                when 'office-based' then case when ${u('hh', 1)} < 0.8 then 'buprenorphine' when ${u('hh', 1)} < 0.9 then 'naltrexone' end
                                else case when ${u('hh', 1)} < 0.4 then 'buprenorphine' when ${u('hh', 1)} < 0.6 then 'naltrexone' end end
             where k = ${k}`),
      );
    await fill(1);
    await run(`insert into gen_episodes (id, patient_id, pn, k, h, hh, admitted)
               select md5(${IDK} || ':e:' || pn || ':2')::uuid, patient_id, pn, 2, md5(${K} || ':e:' || pn || ':2'), md5(${K} || ':E:' || pn || ':2'), r.admitted
                 from gen_episodes, lateral (select until + 14 + floor(${u('hh', 3)} * 170)::int as admitted, md5(h || ':r') as rh) r
                where k = 1 and discharged is not null and ${u('r.rh', 0)} < 0.3 and r.admitted < ${ASOF}`);
    await fill(2);
    count.episodes = await run(`
      insert into episodes (program_id, id, patient_id, level_of_care, admitted_on, discharged_on, discharge_reason, created_at)
      select ${P}, id, patient_id, level, admitted, discharged, reason, ${at('admitted', '10:00')} from gen_episodes`);
    count.medications = await run(`
      insert into medications (program_id, id, patient_id, medication, dose, started_on, ended_on, prescriber_name, created_at)
      select ${P}, md5(${IDK} || ':m:' || id)::uuid, patient_id, med,
             case med when 'methadone' then (60 + 10 * floor(${u('hh', 2)} * 6)::int) || ' mg daily' when 'buprenorphine' then (8 + 4 * floor(${u('hh', 2)} * 3)::int) || ' mg daily'
                      else '380 mg every 4 weeks' end,
             admitted, case when until < ${ASOF} then until end, 'Dr. Test Prescriber (fictional)', ${at('admitted', '11:00')}
        from gen_episodes where med is not null`);

    // screens: three a week for the first 12 weeks, then twice a week (as CM protocols test); some missed, more as time goes on
    const screenDays = `gen_episodes e
        cross join lateral generate_series(0, least(e.until, ${ASOF} - 1) - e.admitted) d
        cross join lateral (select md5(${K} || ':s:' || e.pn || ':' || e.k || ':' || d) as h) r
        cross join lateral (select md5(r.h) as h2) r2
        cross join lateral (select ${u('r.h', 1)} < e.risk * exp(-d / 70.0) + 0.04 as opioid,
                                   ${u('r.h', 2)} < 0.05 + 0.2 * e.risk * exp(-d / 120.0) as stimulant,
                                   ${u('r.h', 3)} < 0.02 as invalid,
                                   ${at('e.admitted + d', '08:30')} + floor(${u('r2.h2', 3)} * 240)::int * interval '1 minute' as at) f
       where ((d < 84 and d % 7 in (0, 2, 4)) or (d >= 84 and d % 7 in (1, 4))) and ${u('r.h', 0)} < 0.93 - least(0.25, d / 1500.0)`;
    const result = (analyte: keyof typeof ANALYTE_INFO, positive: string, prescribed = 'false') =>
      `jsonb_build_object('analyte', '${analyte}', 'loinc', ${ANALYTE_INFO[analyte].loinc ? lit(ANALYTE_INFO[analyte].loinc) : 'null'}, 'result', case when ${positive} then 'positive' else 'negative' end,
                          'valueNgMl', null, 'cutoffNgMl', null, 'prescribed', ${prescribed})`;
    count.screens = await run(`
      insert into screens (program_id, id, patient_id, collected_at, collected_on, matrix, method, observed, temperature_c, valid, invalid_reasons, results, source, recorded_at)
      select ${P}, md5(e.id::text || r.h)::uuid, e.patient_id, f.at, e.admitted + d, 'urine', 'presumptive', ${u('r.h', 0)} < 0.25, case when f.invalid then 30 else 34 end, not f.invalid,
             case when f.invalid then '["temperature outside 32–38 °C"]'::jsonb else '[]'::jsonb end,
             jsonb_build_array(
               ${result('opiates', `f.opioid and ${u('r2.h2', 0)} < 0.35`)},
               ${result('fentanyl', `f.opioid and ${u('r2.h2', 0)} >= 0.2`)},
               ${result('buprenorphine', `e.med = 'buprenorphine' and ${u('r2.h2', 1)} < 0.95`, `coalesce(e.med = 'buprenorphine', false)`)},
               ${result('methadone', `e.med = 'methadone' and ${u('r2.h2', 1)} < 0.95`, `coalesce(e.med = 'methadone', false)`)},
               ${result('cocaine', `f.stimulant and ${u('r2.h2', 2)} < 0.6`)},
               ${result('amphetamine', `f.stimulant and ${u('r2.h2', 2)} >= 0.5`)},
               ${result('benzodiazepines', `${u('r2.h2', 2)} < 0.03`)},
               ${result('cannabis', `${u('r2.h2', 3)} < 0.15`)}),
             'staff', f.at + interval '2 minutes'
        from ${screenDays}`);
    // a laboratory confirms or overturns the first unexplained positive of one such screen in seven
    count.corrections = await run(`
      insert into screen_corrections (program_id, id, screen_id, patient_id, results, valid, method, laboratory, reason, source, recorded_at)
      select s.program_id, md5(${IDK} || ':c:' || s.id)::uuid, s.id, s.patient_id,
             jsonb_build_array(pos.elem || jsonb_build_object('result', case when ${u(`md5(${K} || ':c:' || g.n || ':' || s.collected_on)`, 1)} < 0.6 then 'negative' else 'positive' end)),
             null, 'confirmatory', 'Synthetic Reference Lab (fictional)', 'Laboratory confirmation (synthetic)', 'staff', least(s.recorded_at + interval '3 days', ${NOW})
        from screens s join gen_patients g on g.id = s.patient_id
        cross join lateral (select elem from jsonb_array_elements(s.results) elem where elem->>'result' = 'positive' and elem->>'prescribed' = 'false' limit 1) pos
       where s.program_id = ${P} and ${u(`md5(${K} || ':c:' || g.n || ':' || s.collected_on)`, 0)} < 0.15`);

    // check-ins: near-daily at first, thinning out
    count.checkIns = await run(`
      insert into check_ins (program_id, id, patient_id, day, made_at, answers, source, idempotency_key, outcome, recorded_at)
      select ${P}, md5(e.id::text || r.h)::uuid, e.patient_id, e.admitted + d, f.at,
             jsonb_build_object('mood', 1 + floor(${u('r.h', 1)} * 5)::int, 'craving', least(10, floor(${u('r.h', 2)} * 5 + 6 * e.risk * exp(-d / 90.0))::int),
                                'use', case when ${u('r.h', 3)} < 0.6 * e.risk * exp(-d / 70.0) then '{"any": true, "substances": ["fentanyl"]}'::jsonb else '{"any": false}'::jsonb end,
                                'medication', case when e.med is null then 'not-applicable' when ${u('r.h', 3)} < 0.93 then 'taken' else 'missed' end),
             case when ${u('r.h', 1)} < 0.7 then 'app' else 'sms' end, 'syn-${seed}-' || e.id || '-' || d,
             '{"fired": [], "show": {"crisis": false, "naloxone": false}, "alertIds": []}'::jsonb, f.at
        from gen_episodes e
        cross join lateral generate_series(0, least(e.until, ${ASOF} - 1) - e.admitted) d
        cross join lateral (select md5(${K} || ':k:' || e.pn || ':' || e.k || ':' || d) as h) r
        cross join lateral (select ${at('e.admitted + d', '18:00')} + floor(${u('r.h', 2)} * 240)::int * interval '1 minute' as at) f
       where ${u('r.h', 0)} < e.engaged * (0.45 + 0.5 * exp(-d / 150.0))`);

    // weekly individual counselling and fortnightly case management: attended, late, left early, no-show or cancelled by the patient
    const individual = `gen_episodes e
        cross join lateral generate_series(0, least(e.until, ${ASOF} - 1) - e.admitted) d
        cross join lateral (select md5(${K} || ':i:' || e.pn || ':' || e.k || ':' || d) as h) r
        cross join lateral (select ${at('e.admitted + d', '10:00')} + floor(${u('r.h', 2)} * 6)::int * interval '1 hour' as at,
                                   case when ${u('r.h', 1)} < 0.76 then 'attended' when ${u('r.h', 1)} < 0.82 then 'late' when ${u('r.h', 1)} < 0.84 then 'left-early'
                                        when ${u('r.h', 1)} < 0.95 then 'no-show' else 'cancelled-patient' end as attendance) f
       where (d % 7 = 2 or d % 14 = 5) and ${u('r.h', 0)} < 0.9`;
    const staff = lit(staffId);
    const individualEncounters = await run(`
      insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, cancelled_by, version, created_at, updated_at)
      select ${P}, md5(e.id::text || r.h)::uuid, case when d % 7 = 2 then 'individual-counselling' else 'case-management' end, case when ${u('r.h', 3)} < 0.15 then 'video' else 'in-person' end, f.at, f.at + interval '50 minutes', ${staff},
             case when f.attendance = 'cancelled-patient' then 'cancelled' else 'completed' end, case when f.attendance = 'cancelled-patient' then 'patient' end, 1,
             f.at - interval '7 days', f.at + interval '1 hour'
        from ${individual}`);
    const individualParticipants = await run(`
      insert into encounter_participants (program_id, encounter_id, patient_id, arrived_at, attendance, attendance_recorded_by, attendance_recorded_at, added_at)
      select ${P}, md5(e.id::text || r.h)::uuid, e.patient_id,
             case when f.attendance in ('attended', 'left-early') then f.at - interval '5 minutes' when f.attendance = 'late' then f.at + interval '15 minutes' end,
             f.attendance, ${staff}, f.at + interval '1 hour', f.at - interval '7 days'
        from ${individual}`);

    // weekly groups on Thursdays: about one in forty patients per group, those in treatment that week join one
    const groups = Math.max(1, Math.ceil(o.patients / 40));
    await run(`
      insert into gen_groups (w, g, patient_id, h)
      select w::date, floor(${u('r.h', 1)} * ${groups})::int, e.patient_id, r.h
        from generate_series(${FROM}::timestamp, (${ASOF} - 4)::timestamp, interval '7 days') w
        join gen_episodes e on e.admitted <= w::date and least(e.until, ${ASOF} - 1) >= w::date + 3
        cross join lateral (select md5(${K} || ':g:' || e.pn || ':' || e.k || ':' || w::date) as h) r
       where ${u('r.h', 0)} < 0.6`);
    const groupTypes = ['group-cbt', 'group-relapse-prevention', 'group-psychoeducation', 'group-medication-recovery'];
    const groupEncounters = await run(`
      insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, title, capacity, status, version, created_at, updated_at)
      select ${P}, md5(${IDK} || ':G:' || w || ':' || g)::uuid, (array[${groupTypes.map(lit).join(', ')}])[1 + g % ${groupTypes.length}], 'in-person',
             ${at('w + 3', '17:00')}, ${at('w + 3', '18:30')}, ${staff}, 'Group ' || (g + 1) || ' (synthetic)', 16, 'completed', 1,
             ${at('w - 7', '09:00')}, ${at('w + 3', '19:00')}
        from (select distinct w, g from gen_groups) x`);
    const groupParticipants = await run(`
      insert into encounter_participants (program_id, encounter_id, patient_id, arrived_at, attendance, attendance_recorded_by, attendance_recorded_at, added_at)
      select ${P}, md5(${IDK} || ':G:' || w || ':' || g)::uuid, patient_id, case when ${u('h', 2)} < 0.78 then ${at('w + 3', '16:55')} end,
             case when ${u('h', 2)} < 0.72 then 'attended' when ${u('h', 2)} < 0.78 then 'late' when ${u('h', 2)} < 0.92 then 'no-show' else 'excused' end,
             ${staff}, ${at('w + 3', '19:00')}, ${at('w - 7', '09:00')}
        from gen_groups`);
    count.encounters = individualEncounters + groupEncounters;
    count.participants = individualParticipants + groupParticipants;

    // CM: three in ten admissions to an OTP or office-based programme are enrolled one to three weeks in
    const weeks = courseWeeks(protocol.document);
    const kinds = new Set(slotKindsOf(protocol.document));
    const calendar = {
      specimen: kinds.has('specimen') ? [1, 4] : [],
      attendance: kinds.has('attendance') ? [2] : [],
      dose: kinds.has('dose') ? [1, 2, 3, 4, 5] : [],
      windowStart: '08:00',
      windowEnd: '11:00',
    };
    count.cmEnrolments = await run(`
      insert into cm_enrolments (program_id, id, patient_id, protocol_id, start_date, end_date, calendar, caps, status, status_reason, status_changed_at, enrolled_by, created_at, closed_through)
      select ${P}, md5(e.id::text || x.h)::uuid, e.patient_id, ${lit(protocol.id)}, x.s, x.s + ${weeks * 7 - 1}, ${lit(JSON.stringify(calendar))}::jsonb, ${protocol.document.caps ? `${lit(JSON.stringify(protocol.document.caps))}::jsonb` : 'null'},
             x.status, case x.status when 'withdrawn' then 'Left treatment (synthetic)' end, case when x.status <> 'active' then ${at(`least(e.until, x.s + ${weeks * 7 - 1})`, '12:00')} end,
             ${staff}, ${at('x.s', '09:00')}, least(x.s + ${weeks * 7 - 1}, ${ASOF} - 1)
        from gen_episodes e
        cross join lateral (select md5(${K} || ':cm:' || e.pn || ':' || e.k) as h) r
        cross join lateral (select r.h, e.admitted + 7 + floor(${u('r.h', 0)} * 14)::int as s) y
        cross join lateral (select y.h, y.s, case when e.until >= ${ASOF} and y.s + ${weeks * 7 - 1} >= ${ASOF} then 'active'
                                              when e.until > y.s + ${weeks * 7 - 1} then 'completed' else 'withdrawn' end as status) x
       where e.level in ('otp', 'office-based') and ${u('r.h', 1)} < 0.3 and y.s < least(e.until, ${ASOF})`);

    await run('analyze patients, episodes, medications, screens, screen_corrections, check_ins, encounters, encounter_participants, cm_enrolments');
    const out: VolumeCounts = { seed, from, to: addDays(asOf, -1), ...(count as Omit<VolumeCounts, 'seed' | 'from' | 'to'>) };
    const { seed: _s, from: _f, to: _t, ...counts } = out;
    await writeAudit(tx, auditContext(systemCtx({ orgId: program.orgId, programId: o.programId, now })), {
      action: 'create',
      entity: 'demo-data',
      detail: { generator: 'volume', seed, from, ...counts },
    });
    return out;
  });
}

/** The staff member the generated visits are on the calendar of: the programme's first, else a fictional clinician created for them. */
async function staffOf(tx: Tx, programId: string, orgId: string, now: Date): Promise<string> {
  const [first] = await tx
    .select({ id: roleAssignments.userId })
    .from(roleAssignments)
    .where(eq(roleAssignments.programId, programId))
    .orderBy(asc(roleAssignments.createdAt), asc(roleAssignments.userId))
    .limit(1);
  if (first) return first.id;
  return createUserWithRoles(tx, {
    orgId,
    email: `synthetic-clinician-${programId}@example.org`,
    displayName: 'Test Clinician (fictional)',
    password: `synthetic-${programId}`,
    roles: [{ programId, role: 'counsellor' }],
    now,
    checkPassword: false,
  });
}

/** The CM protocol of the generated enrolments: the programme's version of the preset, added when it has none. */
async function protocolOf(tx: Tx, programId: string, now: Date) {
  const document = getPreset(PRESET)!;
  const [row] = await tx
    .select({ id: cmProtocols.id })
    .from(cmProtocols)
    .where(and(eq(cmProtocols.programId, programId), eq(cmProtocols.key, document.id), eq(cmProtocols.version, String(document.version))));
  if (row) return { id: row.id, document };
  const id = randomUUID();
  await tx.insert(cmProtocols).values({ programId, id, key: document.id, version: String(document.version), name: document.name, document, preset: PRESET, createdAt: now });
  return { id, document };
}
