// Peer outreach's escalation job (server/modules/peers/outreach.ts escalateOverdue: every open
// referral with consent, its contact attempts, the schedule of core/peers/outreach.ts per
// referral, one escalation per overdue or missed contact with its audit row) on PostgreSQL over
// 10,000 open referrals of one programme (referred over the last 120 days, 0–3 attempts each),
// against a bare SELECT of the same referrals with their attempts (one statement), in the same
// run. The job's first run catches up (it escalates every contact already overdue or missed:
// measured once); later runs, as every 10 minutes, find those escalated already — the steady
// state, interleaved with the SELECT and reported as the median ratio of the rounds.
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { benchProgram, median } from './bench-program.ts';
import { inTransaction } from '../server/platform/db/database.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { escalateInProgram, escalateOverdue } from '../server/modules/peers/outreach.ts';
import { peerReferrals } from '../server/modules/peers/peers.tables.ts';
import { DEFAULT_SETTINGS } from '../core/peers/outreach.ts';

const NAME = `wp_bench_peers_${randomUUID().slice(0, 8)}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_REFERRALS ?? 10_000);
const NOW = new Date('2026-03-04T15:00:00Z');
const TEN_MINUTES = 10 * 60_000;
const SLICE = 500;

export default function bench() {
  return withScratchDatabase(NAME, 2, async (d) => {
    const { orgId, programId } = await benchProgram(d.db, 'Bench peers', NOW);
    const t0 = performance.now();
    // referral n: referred (n % 120) days and (n % 24) hours ago; attempts k < n % 4, the first 6 hours
    // after the referral, then every 2 days; one first attempt in three is not answered
    await d.query(
      `insert into peer_referrals (program_id, id, contact_name, contact_phone, source, referred_at, consent, contact_method, schedule, created_at)
       select $1, gen_random_uuid(), 'Person ' || n || ' (fictional)', '555-01' || lpad((n % 100)::text, 2, '0'),
              (array['emergency-department', 'hospital', 'outreach', 'self'])[1 + n % 4],
              $2::timestamptz - (n % 120) * interval '1 day' - (n % 24) * interval '1 hour', true, 'phone', $3::jsonb, $2
         from generate_series(0, ${N - 1}) n`,
      [programId, NOW, JSON.stringify(DEFAULT_SETTINGS)],
    );
    await d.query(
      `insert into peer_outreach_attempts (program_id, id, referral_id, at, method, outcome, recorded_at)
       select r.program_id, gen_random_uuid(), r.id, a.at, 'phone', case when k = 0 and r.n % 3 = 0 then 'no-answer' else 'reached' end, a.at
         from (select program_id, id, referred_at, row_number() over (order by id) as n from peer_referrals where program_id = $1) r
        cross join lateral generate_series(0, (r.n % 4)::int - 1) k
        cross join lateral (select r.referred_at + interval '6 hours' + k * interval '2 days' as at) a
        where a.at < $2`,
      [programId, NOW],
    );
    await d.query('analyze');
    const [counts] = await d.query<{ referrals: string; attempts: string }>('select (select count(*) from peer_referrals) as referrals, (select count(*) from peer_outreach_attempts) as attempts');
    console.log(`loaded ${counts!.referrals} referrals and ${counts!.attempts} attempts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const bare = () =>
      d.query(
        `select r.*, a.* from peer_referrals r
           left join peer_outreach_attempts a on a.program_id = r.program_id and a.referral_id = r.id
          where r.closed_at is null and r.consent`,
      );
    const timed = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    await bare(); // warm

    // The job's own run (escalateOverdue), and the same work in slices of SLICE referrals, one
    // transaction each (escalateInProgram, which the job calls once per programme). The job
    // inserts every overdue or missed contact of every open referral in ONE statement (the
    // unique index drops those escalated before): PostgreSQL binds at most 65,535 parameters
    // (7 a row: about 9,000 contacts), and far past that drizzle's statement builder overflows
    // the stack. When the job fails, the slices measure its work.
    const job = (at: Date) => escalateOverdue(d.db, at);
    const sliced = async (at: Date) => {
      const open = await d.db
        .select()
        .from(peerReferrals)
        .where(and(eq(peerReferrals.programId, programId), isNull(peerReferrals.closedAt), eq(peerReferrals.consent, true)));
      let escalated = 0;
      for (let i = 0; i < open.length; i += SLICE) escalated += await inTransaction(d.db, (tx) => escalateInProgram(tx, orgId, open.slice(i, i + SLICE), at));
      return { referrals: open.length, escalated };
    };
    /** A run of the job (or the slices), timed; a failure is reported, not thrown. */
    const timedRun = async (run: (at: Date) => Promise<{ referrals: number; escalated: number }>, at: Date) => {
      const s = performance.now();
      try {
        const r = await run(at);
        return { ms: performance.now() - s, ...r, error: null };
      } catch (e) {
        return { ms: performance.now() - s, referrals: 0, escalated: 0, error: (e instanceof Error ? e.message : String(e)).slice(0, 120) };
      }
    };

    let first = await timedRun(job, NOW);
    let how = 'the job';
    if (first.error) {
      console.log(`catch-up: the job FAILED after ${first.ms.toFixed(0)} ms (${first.error})`);
      first = await timedRun(sliced, NOW);
      how = `slices of ${SLICE} referrals`;
    }
    console.log(`catch-up (${how}): ${first.ms.toFixed(0)} ms, ${first.escalated} escalations for ${first.referrals} referrals, each with its audit row`);

    // then a run every 10 minutes, as scheduled: a few contacts fall due in between
    const probe = await timedRun(job, new Date(NOW.getTime() + TEN_MINUTES));
    const steady = probe.error ? sliced : job;
    console.log(probe.error ? `steady state: the job FAILED after ${probe.ms.toFixed(0)} ms (${probe.error}); measuring slices of ${SLICE} referrals` : 'steady state: the job');
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const at = new Date(NOW.getTime() + (round + 2) * TEN_MINUTES);
      const runJob = () => timedRun(steady, at);
      const [b, j] = round % 2 === 0 ? [await timed(bare), await runJob()] : await runJob().then(async (r) => [await timed(bare), r] as const);
      if (j.error) throw new Error(`bench: ${j.error}`);
      ratios.push(j.ms / b);
      console.log(`round ${round + 1}  bare SELECT ${b.toFixed(0)} ms  job ${j.ms.toFixed(0)} ms (${j.escalated} new escalations)  ratio ${(j.ms / b).toFixed(2)}`);
    }
    console.log(
      `peers: the escalation job${probe.error ? ` (in slices of ${SLICE}: the job itself fails)` : ''} over ${N} open referrals / a bare SELECT of them with their attempts (median of ${ROUNDS}) ${median(ratios).toFixed(2)}; catch-up ${first.ms.toFixed(0)} ms`,
    );
  });
}
