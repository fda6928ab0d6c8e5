// Recording a specimen with its award (POST /api/v1/specimens: the screen, its event, the
// enrolment replayed and settled, ledger entries, audit row — one guarded write, ADRs 059
// and 060) on PostgreSQL over real HTTP on 127.0.0.1 at 32 concurrent clients, against a
// bare route in the same server and run that does one INSERT. Goal: throughput ≥ 0.30 of
// the bare route, as the median of interleaved rounds (the machines are shared: a burst of
// load from elsewhere then hits both scenarios alike, as in platform.bench.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withScratchDatabase } from './scratch-db.ts';
import { benchServer } from './http-server.ts';
import { clinicLoad, clinicLoadThread, clockCell, readClock, type LoadResult } from './cm-clinic-load.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../server/modules/programs/bootstrap.ts';
import { patients } from '../server/modules/patients/patients.tables.ts';
import { inTransaction } from '../server/platform/db/database.ts';

// A name of its own per run: two runs at once (other engineers' included) never drop each other's database.
const NAME = `wp_bench_cm_clinic_${randomUUID().slice(0, 8)}`;
const CLIENTS = 32;
const PATIENTS = 256;
// Every scenario runs the same time in each round; the order alternates (bare first, then
// record first, …) so neither always runs right after the other's writes.
const ROUND_MS = 3_000;
const WARM_MS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5); // BENCH_ROUNDS=2 for a quick look while profiling
// The clients run on the server's thread, or with BENCH_LOAD=thread on one of their own (cm-clinic-load.ts).
const LOAD_THREAD = process.env.BENCH_LOAD === 'thread';
const GOAL = 0.3;
const PASSWORD = 'bench-password-not-real-123';

const PROTOCOL = {
  id: 'bench-clinic',
  version: 1,
  name: 'Bench clinic',
  citation: 'benchmark',
  weeks: 24,
  bowl: {
    slips: [
      { tier: 'none', count: 250, valueCents: 0 },
      { tier: 'small', count: 209, valueCents: 100 },
      { tier: 'large', count: 40, valueCents: 2000 },
      { tier: 'jumbo', count: 1, valueCents: 10000 },
    ],
  },
  caps: { perYearCents: 75_000 },
  tracks: [
    {
      id: 'stim',
      target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000, recoverAfter: 5 } }],
    },
    { id: 'opioid-draws', target: { kind: 'negative', analytes: ['fentanyl', 'opiates'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 1, step: 1, max: 4 } }] },
  ],
};

/** CPU time (ms) a process has used, from /proc: PostgreSQL's backends when the server runs on this machine; null when it cannot be read. */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

type Cpu = { nodeMs: number; pgMs: number | null };

function stats(lat: number[], ms: number, cpu: Cpu) {
  const s = [...lat].sort((a, b) => a - b);
  const p = (x: number) => s[Math.min(s.length - 1, Math.floor(x * s.length))] ?? 0;
  // CPU per request (this process: server and load generator; PostgreSQL's backends), which a
  // shared machine's load disturbs far less than throughput: what a change to the path costs.
  return { n: s.length, rps: (s.length * 1000) / ms, p50: p(0.5), p99: p(0.99), nodeMs: cpu.nodeMs / s.length, pgMs: cpu.pgMs === null ? null : cpu.pgMs / s.length };
}

export default function bench() {
  return withScratchDatabase(NAME, 24, async (d) => {
    let close = async () => undefined as void;
    try {
      await d.query('create table bench_bare (program_id uuid not null, id uuid not null, at timestamptz not null, primary key (program_id, id))');
      const now = new Date('2026-03-02T15:00:00Z');
      const { programId, email, patientIds } = await inTransaction(d.db, async (tx) => {
        const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now });
        const programId = await createProgram(tx, { orgId, name: 'Bench CM', timeZone: 'America/New_York', now });
        const email = `bench-${randomUUID().slice(0, 6)}@test.example`;
        await createUserWithRoles(tx, { orgId, email, displayName: 'Bench Coordinator', password: PASSWORD, roles: [{ programId, role: 'cm-coordinator' }], now, checkPassword: false });
        const patientIds = Array.from({ length: PATIENTS }, () => randomUUID());
        await tx.insert(patients).values(
          patientIds.map((id, i) => ({
            programId,
            id,
            mrn: `B-${i}`,
            legalGivenName: 'Bench',
            legalFamilyName: `Example${i}`,
            birthDate: '1980-01-01',
            preferredLanguage: 'en',
            contactConsent: false,
            version: 1,
            createdAt: now,
            updatedAt: now,
          })),
        );
        return { programId, email, patientIds };
      });
      // The server's clock follows the recordings: a specimen is recorded a few minutes after it
      // was collected (a collection time later than the clock is refused, core/cm/time-rules.ts).
      // The one session then spans days of the bench's time: its idle and lifetime limits are lifted.
      const clock = clockCell(now);
      const server = await benchServer(d, { programId, email, password: PASSWORD, clock: () => readClock(clock) });
      const loadOptions = { base: server.base, headers: server.headers, patientIds, clients: CLIENTS, clock };
      const thread = LOAD_THREAD ? clinicLoadThread(loadOptions) : null;
      const load = thread ?? clinicLoad(loadOptions);
      close = async () => {
        await thread?.close();
        await server.close();
      };
      const post = server.post;
      const proto = await post('/api/v1/cm/protocols', { document: PROTOCOL });
      for (let i = 0; i < PATIENTS; i += CLIENTS) {
        await Promise.all(
          patientIds.slice(i, i + CLIENTS).map((patientId) =>
            post('/api/v1/cm/enrolments', {
              patientId,
              protocolId: proto.id,
              startDate: '2026-03-02',
              calendar: { specimen: [1, 3, 5], windowStart: '08:00', windowEnd: '17:00' },
            }),
          ),
        );
      }

      const backends = async () => (await d.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()')).map((r) => r.pid);
      const pgCpu = (pids: number[]) => {
        let ms = 0;
        for (const pid of pids) {
          const v = procCpuMs(pid);
          if (v === null) return null;
          ms += v;
        }
        return ms;
      };
      const run = async (go: () => Promise<LoadResult>) => {
        const pids = await backends();
        const pg0 = pgCpu(pids);
        const node0 = process.cpuUsage();
        const { lat, elapsed, depth } = await go();
        const node = process.cpuUsage(node0);
        const pg1 = pgCpu(pids);
        return { ...stats(lat, elapsed, { nodeMs: (node.user + node.system) / 1000, pgMs: pg0 === null || pg1 === null ? null : pg1 - pg0 }), depth };
      };
      const bare = (ms = ROUND_MS) => run(() => load.bare(ms));
      const record = (ms = ROUND_MS) => run(() => load.record(ms));
      await bare(WARM_MS);
      await record(WARM_MS);
      // Statistics as autovacuum keeps them in a running clinic, taken once the warm-up has
      // recorded events and ledger entries: taken before, they describe empty CM tables, and
      // the statements prepared from them scan those tables whole until autovacuum's next
      // ANALYZE (up to a minute later, or never in a short run), so PostgreSQL's time a
      // recording grew with the table from round to round. ANALYZE also makes every
      // connection plan its prepared statements again.
      await d.query('ANALYZE');
      const rounds: Array<{ bare: ReturnType<typeof stats>; rec: ReturnType<typeof stats>; specimens: number }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          const b = await bare();
          const r = await record();
          rounds.push({ bare: b, rec: r, specimens: r.depth });
        } else {
          const r = await record();
          rounds.push({ rec: r, bare: await bare(), specimens: r.depth });
        }
      }
      const fmt = (s: ReturnType<typeof stats>) =>
        `${String(s.n).padStart(5)} requests  ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms  CPU/request: node ${s.nodeMs.toFixed(2)} ms, postgres ${s.pgMs === null ? 'n/a' : `${s.pgMs.toFixed(2)} ms`}`;
      const events = Number((await d.query<{ n: string }>('select count(*) as n from cm_events'))[0]!.n);
      const entries = Number((await d.query<{ n: string }>('select count(*) as n from cm_ledger_entries'))[0]!.n);
      console.log(
        `PostgreSQL, real HTTP on 127.0.0.1, ${CLIENTS} concurrent clients ${LOAD_THREAD ? 'on a thread of their own' : "on the server's thread"}, ${PATIENTS} enrolled patients, ${ROUND_MS / 1000} s per scenario per round after ${WARM_MS / 1000} s warm-up, ${ROUNDS} interleaved rounds`,
      );
      rounds.forEach((r, i) => {
        console.log(`round ${i + 1}  bare single-INSERT route    ${fmt(r.bare)}`);
        console.log(
          `round ${i + 1}  record specimen with award  ${fmt(r.rec)}   ratio ${(r.rec.rps / r.bare.rps).toFixed(2)}  (history: up to ${r.specimens} specimens a patient, ${(r.specimens / 3).toFixed(0)} weeks at three a week)`,
        );
      });
      const ratios = rounds.map((r) => r.rec.rps / r.bare.rps).sort((x, y) => x - y);
      const median = ratios[Math.floor(ratios.length / 2)]!;
      const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const cpu = (pick: (r: (typeof rounds)[number]) => ReturnType<typeof stats>) => {
        const pg = rounds.map((r) => pick(r).pgMs);
        return `node ${mid(rounds.map((r) => pick(r).nodeMs)).toFixed(2)} ms, postgres ${pg.includes(null) ? 'n/a' : `${mid(pg as number[]).toFixed(2)} ms`}`;
      };
      console.log(`(${events} events, ${entries} ledger entries recorded in all)`);
      console.log(
        `medians: bare ${mid(rounds.map((r) => r.bare.rps)).toFixed(0)} req/s (CPU/request ${cpu((r) => r.bare)}), record ${mid(rounds.map((r) => r.rec.rps)).toFixed(0)} req/s (CPU/request ${cpu((r) => r.rec)})`,
      );
      console.log(
        `record/bare: median ${median.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}) ${median >= GOAL ? `— meets the ≥ ${GOAL.toFixed(2)} goal` : `— BELOW the ${GOAL.toFixed(2)} goal`}`,
      );
    } finally {
      await close();
    }
  });
}
