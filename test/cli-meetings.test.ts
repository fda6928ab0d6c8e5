import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../server/platform/db/database.ts';
import { createFirstAdministrator } from '../server/modules/programs/bootstrap.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cli-meetings-'));
const env: NodeJS.ProcessEnv = { ...process.env, WAYPOINT_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
delete env.DATABASE_URL;
delete env.DATABASE_MIGRATION_URL;
const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), 'bin', 'waypoint.mjs'), ...args], { env, cwd: process.cwd(), timeout: 120_000 });

beforeAll(async () => {
  const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
  await createFirstAdministrator(database.db, {
    email: 'a@test.example',
    displayName: 'A',
    password: 'correct-horse-battery-cli',
    organizationName: 'Org',
    programName: 'Main',
    timeZone: 'America/New_York',
    now: new Date(),
  });
  await database.close();
}, 120_000);
afterAll(() => undefined);

describe('waypoint meetings', () => {
  it('imports a file, prints the counts, re-imports as a no-op, and exports the feed', async () => {
    const file = join(dir, 'feed.json');
    writeFileSync(
      file,
      JSON.stringify([
        { slug: 'a', name: 'A', day: [1, 2], time: '19:00' },
        { slug: 'bad', day: 8 },
      ]),
    );
    const first = JSON.parse((await cli('meetings', 'import', '--format', 'meeting-guide', '--file', file, '--source', 'Local')).stdout);
    expect(first).toEqual({ added: 2, updated: 0, inactivated: 0, rejected: [{ index: 1, problems: expect.any(Array) }] });
    const again = JSON.parse((await cli('meetings', 'import', '--format', 'meeting-guide', '--file', file, '--source', 'Local')).stdout);
    expect(again).toMatchObject({ added: 0, updated: 0, inactivated: 0 });
    const feed = JSON.parse((await cli('meetings', 'export', '--source', 'Local')).stdout) as { slug: string; day: number }[];
    expect(feed.map((r) => [r.slug, r.day])).toEqual([
      ['a#1', 1],
      ['a#2', 2],
    ]);
    await expect(cli('meetings', 'import', '--format', 'csv', '--file', file)).rejects.toMatchObject({ code: 2 });
  }, 180_000);
});
