// FHIR Observation search for one patient on 10,000 patients (14 score observations each:
// two PHQ-9, two GAD-7 and a URICA, as panels with members) on PostgreSQL, through the
// whole HTTP stack (app.inject: session cookie, programme header, permission check,
// transaction, audit row, Bundle JSON), against the equivalent direct SQL query through the
// same pool in the same run. Goal: within 2× of the direct query. Printed one request at a
// time (latency, where the audited read pays a WAL flush the plain read never does) and
// with 32 in flight (throughput, where commits share flushes); the search on its own and
// through HTTP with its session check.
import { randomUUID } from 'node:crypto';
import { buildApp } from '../server/app.ts';
import { withScratchDatabase } from './scratch-db.ts';
import { sql } from 'drizzle-orm';
import { writeAudit } from '../server/platform/audit.ts';
import { auditContext, systemCtx } from '../server/platform/http/context.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../server/modules/programs/bootstrap.ts';
import { searchObservations } from '../server/modules/fhir/fhir.ts';
import { codesOf } from '../server/modules/assessments/questionnaires.ts';
import { inTransaction, oneStatement } from '../server/platform/db/database.ts';

const NAME = 'wp_bench_fhir';
const PATIENTS = 10_000;
const ROUNDS = 200;
const PASSWORD = 'bench-password-not-secret-42';

export default function bench() {
  return withScratchDatabase(NAME, 4, async (d) => {
    const now = new Date();
    const { orgId, programId, userId } = await inTransaction(d.db, async (tx) => {
      const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now });
      const programId = await createProgram(tx, { orgId, name: 'Bench FHIR', timeZone: 'UTC', now });
      const userId = await createUserWithRoles(tx, {
        orgId,
        email: 'bench-fhir@test.example',
        displayName: 'Bench Counsellor',
        password: PASSWORD,
        roles: [{ programId, role: 'counsellor' }],
        now,
        checkPassword: false,
      });
      return { orgId, programId, userId };
    });

    // --- data: patients, administrations and their score observations, in batches -------
    const phq = codesOf('phq-9');
    const gad = codesOf('gad-7');
    const urica = codesOf('urica');
    let someone = '';
    const t0 = performance.now();
    for (let b = 0; b < PATIENTS / 500; b++) {
      const pv: unknown[] = [];
      const pr: string[] = [];
      const av: unknown[] = [];
      const ar: string[] = [];
      const ov: unknown[] = [];
      const or: string[] = [];
      const obs = (
        patientId: string,
        assessmentId: string,
        kind: string,
        name: string | null,
        c: { system: string; code: string; display: string },
        value: number | null,
        members: string[] | null,
        when: Date,
        id = randomUUID(),
      ) => {
        const k = ov.length;
        ov.push(programId, id, patientId, assessmentId, kind, name, c.system, c.code, c.display, value, members === null ? null : JSON.stringify(members), when);
        or.push(`($${k + 1},$${k + 2},$${k + 3},$${k + 4},$${k + 5},$${k + 6},$${k + 7},$${k + 8},$${k + 9},$${k + 10},null,$${k + 11}::jsonb,true,$${k + 12})`);
        return id;
      };
      const administration = (patientId: string, instrument: string, scores: Record<string, number>, when: Date) => {
        const id = randomUUID();
        const k = av.length;
        av.push(programId, id, patientId, instrument, JSON.stringify({}), JSON.stringify(scores), userId, when);
        ar.push(`($${k + 1},$${k + 2},$${k + 3},$${k + 4},'1.0.0',$${k + 5}::jsonb,null,true,'[]'::jsonb,$${k + 6}::jsonb,null,null,'[]'::jsonb,'staff',$${k + 7},null,$${k + 8},now())`);
        return id;
      };
      for (let j = 0; j < 500; j++) {
        const i = b * 500 + j;
        const patientId = randomUUID();
        if (i === 4321) someone = patientId;
        const k = pv.length;
        pv.push(programId, patientId, `F-${i}`, `Given${i % 97}`, `Family${i}`, `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`);
        pr.push(`($${k + 1},$${k + 2},$${k + 3},$${k + 4},$${k + 5},$${k + 6},now(),now())`);
        for (let n = 0; n < 2; n++) {
          const when = new Date(Date.UTC(2025, n * 3, 1 + (i % 28)));
          for (const [instrument, codes, total] of [
            ['phq-9', phq, (i + n) % 28],
            ['gad-7', gad, (i + n) % 22],
          ] as const) {
            const a = administration(patientId, instrument, { total }, when);
            const m = obs(patientId, a, 'score', 'total', codes.scores.total!, total, null, when);
            obs(patientId, a, 'panel', null, codes.panel, null, [m], when);
          }
        }
        const when = new Date(Date.UTC(2025, 7, 1 + (i % 28)));
        const subs = { precontemplation: 2.1, contemplation: 3.4, action: 3, maintenance: 2.6, readiness: 6.9 };
        const a = administration(patientId, 'urica', subs, when);
        const members = Object.entries(subs).map(([name, v]) => obs(patientId, a, 'score', name, urica.scores[name]!, v, null, when));
        obs(patientId, a, 'panel', null, urica.panel, null, members, when);
      }
      await d.query(`insert into patients (program_id,id,mrn,legal_given_name,legal_family_name,birth_date,created_at,updated_at) values ${pr.join(',')}`, pv);
      await d.query(
        `insert into assessments (program_id,id,patient_id,instrument,questionnaire_version,answers,target_behavior,complete,missing,scores,band,stage,alerts,mode,administered_by,patient_session_id,administered_at,created_at) values ${ar.join(',')}`,
        av,
      );
      for (let s = 0; s < or.length; s += 2000) {
        const rows = or.slice(s, s + 2000);
        const vals = ov.slice(s * 12, (s + rows.length) * 12);
        const renumbered = rows.map(
          (_, r) =>
            `($${r * 12 + 1},$${r * 12 + 2},$${r * 12 + 3},$${r * 12 + 4},$${r * 12 + 5},$${r * 12 + 6},$${r * 12 + 7},$${r * 12 + 8},$${r * 12 + 9},$${r * 12 + 10},null,$${r * 12 + 11}::jsonb,true,$${r * 12 + 12})`,
        );
        await d.query(
          `insert into score_observations (program_id,id,patient_id,assessment_id,kind,score_name,code_system,code,display,value,band,members,complete,effective_at) values ${renumbered.join(',')}`,
          vals,
        );
      }
    }
    await d.query('analyze');
    const [count] = await d.query<{ n: string }>('select count(*) as n from score_observations');
    console.log(`data: ${PATIENTS} patients, ${count?.n} score observations (${((performance.now() - t0) / 1000).toFixed(1)} s to load)`);

    // --- the three measurements ------------------------------------------------------
    const app = await buildApp({ db: d.db, logLevel: 'silent', webRoot: null, signInRateLimit: 1000 });
    await app.ready();
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'bench-fhir@test.example', password: PASSWORD } });
    const cookie = `wp_session=${signIn.cookies.find((c) => c.name === 'wp_session')!.value}`;
    const headers = { cookie, 'waypoint-program': programId };
    const url = `/fhir/R4/Observation?patient=${someone}&_count=50`;
    const time = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await fn(); // warm-up
      const t = performance.now();
      for (let i = 0; i < ROUNDS; i++) await fn();
      return (performance.now() - t) / ROUNDS;
    };
    let entries = 0;
    let rowsSql = 0;
    const direct = `select o.id, o.patient_id, o.assessment_id, o.kind, o.score_name, o.code_system, o.code, o.display, o.value, o.band, o.members, o.complete, o.effective_at, a.instrument
      from score_observations o join assessments a on a.program_id = o.program_id and a.id = o.assessment_id
      where o.program_id = $1 and o.patient_id = $2 order by o.effective_at desc, o.id desc limit 51`;
    const sqlMs = await time(async () => {
      rowsSql = (await d.query(direct, [programId, someone])).length;
    });
    const fhirMs = await time(async () => {
      const r = await app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`FHIR search failed: ${r.statusCode} ${r.body.slice(0, 200)}`);
      entries = (r.json() as { entry?: unknown[] }).entry?.length ?? 0;
    });
    const ctx = { ...systemCtx({ orgId, programId }), principal: { userId, orgId, displayName: 'Bench', sessionId: randomUUID(), stage: 'active' as const, mustChangePassword: false } };
    // The same query plus its audit row in one transaction: what "audited in the same transaction" costs by itself.
    const sqlAuditMs = await time(() =>
      inTransaction(d.db, async (tx) => {
        await tx.execute(sql.raw(direct.replace('$1', `'${programId}'`).replace('$2', `'${someone}'`)));
        await writeAudit(tx, auditContext({ ...ctx, now: new Date() }), { action: 'search', entity: 'observation', patientId: someone, detail: { count: 14, via: 'bench' } });
      }),
    );
    const useCaseMs = await time(() => searchObservations({ tx: oneStatement(d.db), ctx: { ...ctx, now: new Date() } }, { patient: someone, _count: '50' }));
    // Throughput with 32 requests in flight: commits of audit rows share WAL flushes
    // (group commit), which a one-at-a-time latency figure cannot show.
    const throughput = async (fn: () => Promise<unknown>, total = 3000, concurrency = 32) => {
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < total) await fn();
        }),
      );
      return total / ((performance.now() - t) / 1000);
    };
    const sqlRps = await throughput(() => d.query(direct, [programId, someone]));
    const useCaseRps = await throughput(() => searchObservations({ tx: oneStatement(d.db), ctx: { ...ctx, now: new Date() } }, { patient: someone, _count: '50' }));
    const httpRps = await throughput(() => app.inject({ method: 'GET', url, headers }));
    await app.close();
    console.log('one request at a time:');
    console.log(`  direct SQL (same rows, same pool)          ${sqlMs.toFixed(3).padStart(7)} ms  ${rowsSql} rows`);
    console.log(`  direct SQL + audit row in one transaction  ${sqlAuditMs.toFixed(3).padStart(7)} ms  ${(sqlAuditMs / sqlMs).toFixed(2)}× direct SQL (the cost of committing an audit row)`);
    console.log(`  FHIR search (one statement with its audit) ${useCaseMs.toFixed(3).padStart(7)} ms  ${(useCaseMs / sqlMs).toFixed(2)}× direct SQL`);
    console.log(`  FHIR GET /Observation?patient (HTTP+auth)  ${fhirMs.toFixed(3).padStart(7)} ms  ${entries} entries  ${(fhirMs / sqlMs).toFixed(2)}× direct SQL`);
    console.log('32 in flight (throughput):');
    console.log(`  direct SQL                                 ${sqlRps.toFixed(0).padStart(7)} /s`);
    console.log(`  FHIR search (one statement with its audit) ${useCaseRps.toFixed(0).padStart(7)} /s  time per search ${(sqlRps / useCaseRps).toFixed(2)}× direct SQL (goal ≤ 2×)`);
    console.log(`  FHIR GET /Observation?patient (HTTP+auth)  ${httpRps.toFixed(0).padStart(7)} /s  time per search ${(sqlRps / httpRps).toFixed(2)}× direct SQL`);
  });
}
