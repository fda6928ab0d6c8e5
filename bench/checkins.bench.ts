// Recording a daily check-in with its risk rules (POST /api/v1/patients/:id/check-ins: lock
// the patient row, insert once per key, read the look-back window, evaluate the rules,
// raise alerts, audit rows — one transaction) on PostgreSQL over real HTTP on 127.0.0.1 at
// 32 concurrent clients, against a bare route in the same server and run that does one
// INSERT. Reported as the median ratio of interleaved rounds (as cm-clinic.bench.ts). The
// clock moves a programme day per round, so later rounds evaluate longer histories, and
// about one check-in in six has craving ≥ 8 (the craving rule fires and raises alerts).
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { BENCH_PASSWORD, benchProgramme, benchServer } from './http-server.ts';
import { interleaved, load, report } from './rounds.ts';

const NAME = `wp_bench_checkins_${randomUUID().slice(0, 8)}`;
const CLIENTS = 32;
const PATIENTS = 256;
const ROUND_MS = 3_000;
const WARM_MS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DAY = 86_400_000;

export default function bench() {
  return withScratchDatabase(NAME, 24, async (d) => {
    let close = async () => undefined as void;
    try {
      let clock = new Date('2026-03-02T15:00:00Z');
      const { programId, email, patientIds } = await benchProgramme(d, {
        name: 'Bench check-ins',
        role: 'counsellor',
        count: PATIENTS,
        mrnPrefix: 'B',
        now: clock,
        language: (i) => (i % 3 === 0 ? 'es' : 'en'),
      });
      // one session spans the bench's days: its idle and lifetime limits are lifted
      const server = await benchServer(d, { programId, email, password: BENCH_PASSWORD, clock: () => clock });
      close = server.close;
      const post = server.post;
      const per = PATIENTS / CLIENTS;
      const sent = Array.from({ length: CLIENTS }, () => 0);
      let alerts = 0;
      const bare = (ms = ROUND_MS) => load(CLIENTS, ms, async () => void (await post('/bench/bare', {})));
      const record = (ms = ROUND_MS) =>
        load(CLIENTS, ms, async (c) => {
          const k = sent[c]!++;
          const patientId = patientIds[c + CLIENTS * (k % per)]!;
          const r = await post(`/api/v1/patients/${patientId}/check-ins`, {
            answers: {
              mood: 1 + (k % 5),
              craving: (k * 7 + c) % 6 === 0 ? 9 : (k + c) % 8,
              use: (k + c) % 11 === 0 ? { any: true, substances: [] } : { any: false },
              medication: (k + c) % 9 === 0 ? 'missed' : 'taken',
              stress: k % 11,
            },
            idempotencyKey: `bench-${c}-${k}`,
          });
          alerts += (r.alerts as unknown[]).length;
        });
      await bare(WARM_MS);
      await record(WARM_MS);
      // statistics taken once the warm-up has written rows of each kind the scenario writes (as
      // cm-clinic.bench.ts): taken on empty tables, plans made from them may scan those tables whole
      await d.query('ANALYZE');
      // the clock moves a programme day per round
      const rounds = await interleaved(ROUNDS, bare, record, () => (clock = new Date(clock.getTime() + DAY)));
      const total = Number((await d.query<{ n: string }>('select count(*) as n from check_ins'))[0]!.n);
      console.log(
        `PostgreSQL, real HTTP on 127.0.0.1, ${CLIENTS} concurrent clients, ${PATIENTS} patients, ${ROUND_MS / 1000} s per scenario per round after ${WARM_MS / 1000} s warm-up, ${ROUNDS} interleaved rounds`,
      );
      console.log(`(${total} check-ins, ${alerts} alerts raised in all)`);
      report(rounds, 'check-in', 'check-in with its risk rules');
    } finally {
      await close();
    }
  });
}
