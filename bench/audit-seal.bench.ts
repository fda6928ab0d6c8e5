// Audit sealing against the size of the trail, on PostgreSQL. One sealing pass seals
// 1,000 new events. The baseline (same run) is that pass on an empty trail. It is
// measured again on a trail of 200,000 sealed events, and, for comparison, as a pass
// that reads the whole trail to find the unsealed events. Goal: a pass costs what was
// written since the last one (≤ 2× the baseline, whatever the size of the trail).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { sealAll, sealChain } from '../server/platform/audit.ts';
import { newAuditSigner } from '../server/platform/audit-key.ts';
import type { Db } from '../server/platform/db/database.ts';
import { withScratchDatabase } from './scratch-db.ts';

const key = newAuditSigner();

const NEW = 1_000;
const TRAIL = 200_000;
const REPS = 5;

const addEvents = (db: Db, chain: string, n: number) =>
  db.execute(sql`insert into audit_events (chain_id, org_id, program_id, at, action, entity, outcome)
    select ${chain}::uuid, ${chain}::uuid, ${chain}::uuid, now(), 'read', 'patient', 'success' from generate_series(1, ${n})`);

/** Median time of a sealing pass over NEW fresh events. */
async function pass(db: Db, chain: string, seal: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    await addEvents(db, chain, NEW);
    const t0 = performance.now();
    const sealed = await seal();
    times.push(performance.now() - t0);
    if (sealed !== NEW) throw new Error(`sealed ${sealed} of ${NEW}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPS / 2)]!;
}

export default function bench() {
  return withScratchDatabase(`wp_bench_seal_${randomUUID().slice(0, 8)}`, 4, async ({ db, query }) => {
    const chain = randomUUID();
    const now = () => new Date();
    await sealAll(db, key, now()); // the horizon's first candidate
    await pass(db, chain, () => sealAll(db, key, now())); // warm-up
    const empty = await pass(db, chain, () => sealAll(db, key, now()));

    await addEvents(db, chain, TRAIL);
    while ((await sealAll(db, key, now())) > 0);
    await sealAll(db, key, now()); // the horizon moves past the trail
    await query('ANALYZE');
    const large = await pass(db, chain, () => sealAll(db, key, now()));
    // the same pass reading the whole trail for unsealed events (no horizon)
    const whole = await pass(db, chain, async () => {
      await db.execute(sql`select distinct chain_id from audit_events e where not exists (select 1 from audit_seals s where s.event_id = e.id)`);
      return sealChain(db, key, chain, now(), NEW, 0);
    });

    console.log(`PostgreSQL; a pass seals ${NEW.toLocaleString('en')} new events (median of ${REPS})`);
    console.log(`  empty trail (baseline)              ${empty.toFixed(1).padStart(8)} ms   1.00×`);
    console.log(
      `  ${TRAIL.toLocaleString('en')} sealed events            ${large.toFixed(1).padStart(8)} ms   ${(large / empty).toFixed(2)}× ${large / empty <= 2 ? '— meets the ≤ 2× goal' : '— ABOVE the 2× goal'}`,
    );
    console.log(`  same trail, reading all of it       ${whole.toFixed(1).padStart(8)} ms   ${(whole / empty).toFixed(2)}×`);
  });
}
