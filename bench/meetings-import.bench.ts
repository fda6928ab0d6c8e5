// Importing a generated 10,000-meeting Meeting Guide feed into a new source (parse, diff, batched
// writes, audit row, one transaction); re-importing the same feed (a no-op: hashes compared,
// nothing written); and a changed feed (1,000 meetings renamed, 500 gone: updated and
// inactivated), each against a plain bulk insert of the same 10,000 rows in the same round.
// On PGlite (file-backed, the embedded default) and on PostgreSQL (a scratch database on the
// server of TEST_DATABASE_URL). Every round uses new sources, so the table grows as it would.
// Medians of BENCH_ROUNDS rounds (default 3). Targets (issue 15): import ≤ 5 s, re-import ≤ 2 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, inTransaction, type Database } from '../server/platform/db/database.ts';
import { systemCtx } from '../server/platform/http/context.ts';
import { createSource } from '../server/modules/meetings/sources.ts';
import { importFeed } from '../server/modules/meetings/import.ts';
import { meetings } from '../server/modules/meetings/meetings.tables.ts';
import { parseMeetingGuide } from '../core/meetings/meeting-guide.ts';
import { withScratchDatabase } from './scratch-db.ts';
import { benchProgram, median } from './bench-program.ts';

const N = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ZONE = 'America/New_York';

export function feedOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    slug: `m-${i}`,
    name: `Meeting ${i}`,
    day: i % 7,
    time: `${String(6 + (i % 16)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
    end_time: `${String(7 + (i % 16)).padStart(2, '0')}:00`,
    address: `${i} Main St, Town, ST`,
    latitude: 30 + (i % 100) / 100,
    longitude: -90 - (i % 100) / 100,
    types: i % 3 ? ['O', 'D'] : ['C', 'S'],
    ...(i % 5 === 0 ? { conference_url: `https://meet.example/${i}` } : {}),
  }));
}

/** The same feed a week later: every tenth meeting renamed, every twentieth (offset 1) gone. */
const changedFeed = (feed: ReturnType<typeof feedOf>) => feed.map((r, i) => (i % 10 === 0 ? { ...r, name: `${r.name} (moved)` } : r)).filter((_, i) => i % 20 !== 1);

async function measure(database: Database, driver: string) {
  const now = new Date();
  const { orgId, programId } = await benchProgram(database.db, 'Bench meetings', now, ZONE);
  const ctx = systemCtx({ orgId, programId, now });
  const feed = feedOf(N);
  const changed = changedFeed(feed);
  const times = { baseline: [] as number[], import: [] as number[], reimport: [] as number[], changed: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const source = await inTransaction(database.db, (tx) => createSource({ tx, ctx }, { name: `bench-${round}`, format: 'meeting-guide', defaultTimeZone: ZONE }));
    const baselineSource = randomUUID();

    let t = performance.now();
    const parsed = parseMeetingGuide(feed, { defaultTimeZone: ZONE }).meetings;
    await inTransaction(database.db, async (tx) => {
      const rows = parsed.map(({ key, ...m }) => ({ ...m, programId, id: randomUUID(), sourceId: baselineSource, sourceKey: key, createdAt: now, updatedAt: now }));
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(meetings).values(rows.slice(i, i + 1000));
    });
    times.baseline.push(performance.now() - t);

    t = performance.now();
    const first = await inTransaction(database.db, (tx) => importFeed({ tx, ctx }, source.id, feed));
    times.import.push(performance.now() - t);
    t = performance.now();
    const again = await inTransaction(database.db, (tx) => importFeed({ tx, ctx }, source.id, feed));
    times.reimport.push(performance.now() - t);
    t = performance.now();
    const moved = await inTransaction(database.db, (tx) => importFeed({ tx, ctx }, source.id, changed));
    times.changed.push(performance.now() - t);
    if (first.added !== N || again.added + again.updated + again.inactivated !== 0 || moved.updated !== N / 10 || moved.inactivated !== N / 20 || moved.added !== 0)
      throw new Error(`bench: unexpected counts ${JSON.stringify({ first, again, moved })}`);
  }
  const base = median(times.baseline);
  const line = (what: string, xs: number[], target: string) =>
    console.log(`  ${what.padEnd(38)} ${median(xs).toFixed(0).padStart(6)} ms  (${(median(xs) / base).toFixed(2)}× baseline; rounds ${xs.map((x) => x.toFixed(0)).join(', ')})${target}`);
  console.log(`meetings import (${driver}, ${N} meetings, median of ${ROUNDS} rounds)`);
  line('baseline: bulk insert of the same rows', times.baseline, '');
  line('import into a new source', times.import, '; target ≤ 5000 ms');
  line('re-import of the same feed', times.reimport, '; target ≤ 2000 ms');
  line('changed feed (1,000 updated, 500 gone)', times.changed, '');
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-meetings-'));
  const pglite = await openDatabase({ dataDir: dir });
  try {
    await measure(pglite, 'PGlite');
  } finally {
    await pglite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await withScratchDatabase(`wp_bench_meetings_${randomUUID().slice(0, 8)}`, 2, (d) => measure(d, 'PostgreSQL'));
}
