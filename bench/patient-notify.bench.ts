// What the patient app's live updates cost every CM write (ADRs 040, 063). NOTIFY takes a
// database-wide lock when a transaction commits and holds it until the commit is flushed, so
// transactions that notify commit one after another, whatever the programme. Since ADR 063
// the CM tables' trigger notifies only patients whose app has a stream open. Three scenarios,
// in rotating order each round, on PostgreSQL at 32 concurrent connections, each a one-row
// INSERT committed on its own: a table without the trigger (the baseline), the same table
// with the production trigger function (`waypoint_notify_patient`, deferred to commit as on
// `cm_events` and `cm_ledger_entries`) while no patient is listened to, and the same while
// every patient is (every commit notifies: what every CM write did before ADR 063).
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { load, type Stats } from './rounds.ts';

const NAME = `wp_bench_patient_notify_${randomUUID().slice(0, 8)}`;
const CLIENTS = 32;
const PATIENTS = 256;
const ROUND_MS = 3_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

export default function bench() {
  return withScratchDatabase(NAME, CLIENTS, async (d) => {
    const programId = randomUUID();
    const patients = Array.from({ length: PATIENTS }, () => randomUUID());
    for (const table of ['bench_plain', 'bench_notified']) {
      await d.query(`create table ${table} (program_id uuid not null, patient_id uuid not null, id uuid not null, at timestamptz not null default now(), primary key (program_id, id))`);
    }
    await d.query(`create constraint trigger bench_notified_notify_patient after insert on bench_notified deferrable initially deferred for each row execute function waypoint_notify_patient()`);
    const insert = (table: string) => () =>
      load(CLIENTS, ROUND_MS, async () => {
        await d.query(`insert into ${table} (program_id, patient_id, id) values ($1, $2, $3)`, [programId, patients[Math.floor(Math.random() * PATIENTS)], randomUUID()]);
      });
    const scenarios: Array<{ name: string; run: () => Promise<Stats> }> = [
      { name: 'no trigger (baseline)', run: insert('bench_plain') },
      { name: 'trigger, no app listening', run: insert('bench_notified') },
      {
        name: 'trigger, every app listening',
        run: async () => {
          await d.query('insert into patient_event_listeners (program_id, patient_id, hub_id) select $1, unnest($2::uuid[]), $3', [programId, patients, randomUUID()]);
          try {
            return await insert('bench_notified')();
          } finally {
            await d.query('delete from patient_event_listeners');
          }
        },
      },
    ];
    await insert('bench_plain')(); // warm-up
    const results = scenarios.map(() => [] as Stats[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < scenarios.length; k++) {
        const i = (round + k) % scenarios.length;
        results[i]!.push(await scenarios[i]!.run());
      }
    }
    console.log(`PostgreSQL, ${CLIENTS} connections, one-row INSERTs committed one by one, ${PATIENTS} patients, ${ROUNDS} rounds of ${ROUND_MS / 1000} s each, order rotating`);
    const base = results[0]!;
    scenarios.forEach((s, i) => {
      const rps = results[i]!.map((r) => r.rps);
      const ratios = results[i]!.map((r, k) => r.rps / base[k]!.rps);
      console.log(
        `${s.name.padEnd(30)} median ${median(rps).toFixed(0).padStart(6)} commits/s  p50 ${median(results[i]!.map((r) => r.p50)).toFixed(1)} ms  ratio to baseline ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
      );
    });
  });
}
