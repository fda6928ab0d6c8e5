// Importing a generated 10,000-meeting Meeting Guide feed into a source on PGlite (parse, diff,
// batched upserts, audit row, one transaction), then re-importing the same feed (a no-op: hashes
// compared, nothing written), against a plain bulk insert of the same rows in the same run.
// Targets (issue 15): import ≤ 5 s, re-import ≤ 2 s.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, inTransaction } from '../server/platform/db/database.ts';
import { createFirstAdministrator } from '../server/modules/programs/bootstrap.ts';
import { systemCtx } from '../server/platform/http/context.ts';
import { createSource } from '../server/modules/meetings/sources.ts';
import { importFeed } from '../server/modules/meetings/import.ts';
import { meetings } from '../server/modules/meetings/meetings.tables.ts';
import { parseMeetingGuide } from '../core/meetings/meeting-guide.ts';

const N = 10_000;

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

export default async function bench() {
  const database = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'wp-bench-meetings-')) });
  try {
    const now = new Date();
    const boot = await createFirstAdministrator(database.db, {
      email: 'bench@test.example',
      displayName: 'Bench',
      password: 'correct-horse-battery-bench',
      organizationName: 'Bench',
      programName: 'Bench',
      timeZone: 'America/New_York',
      now,
    });
    const [programme] = await database.query<{ id: string; org_id: string }>('select id, org_id from programs limit 1', []);
    void boot;
    const ctx = systemCtx({ orgId: programme!.org_id, programId: programme!.id, now });
    const feed = feedOf(N);
    const source = await inTransaction(database.db, (tx) => createSource({ tx, ctx }, { name: 'bench', format: 'meeting-guide', defaultTimeZone: 'America/New_York' }));
    const baselineSource = randomUUID();

    let t = performance.now();
    const parsed = parseMeetingGuide(feed, { defaultTimeZone: 'America/New_York' }).meetings;
    await inTransaction(database.db, async (tx) => {
      const rows = parsed.map((m) => ({ ...m, programId: programme!.id, id: randomUUID(), sourceId: baselineSource, sourceKey: m.key, createdAt: now, updatedAt: now }));
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(meetings).values(rows.slice(i, i + 1000).map(({ key: _k, ...r }) => r));
    });
    const baseline = performance.now() - t;

    t = performance.now();
    const first = await inTransaction(database.db, (tx) => importFeed({ tx, ctx }, source.id, feed));
    const importMs = performance.now() - t;
    t = performance.now();
    const again = await inTransaction(database.db, (tx) => importFeed({ tx, ctx }, source.id, feed));
    const reimportMs = performance.now() - t;
    if (first.added !== N || again.added + again.updated + again.inactivated !== 0) throw new Error('bench: unexpected counts');
    console.log(`meetings import (PGlite, ${N} meetings): baseline bulk insert ${baseline.toFixed(0)} ms`);
    console.log(`  import   ${importMs.toFixed(0)} ms  (${(importMs / baseline).toFixed(2)}× baseline; target ≤ 5000 ms)`);
    console.log(`  re-import ${reimportMs.toFixed(0)} ms  (${(reimportMs / baseline).toFixed(2)}× baseline; target ≤ 2000 ms)`);
  } finally {
    await database.close();
  }
}
