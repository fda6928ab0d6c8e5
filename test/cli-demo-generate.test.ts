// `waypoint demo generate` (issue 17): a small synthetic programme (30 fictional patients over a
// year) through the CLI on PGlite, the counts it prints, its refusals of bad input (exit 2), and
// the outcomes API answering for the generated admissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../server/platform/db/database.ts';
import { createFirstAdministrator } from '../server/modules/programs/bootstrap.ts';
import { buildApp } from '../server/app.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cli-generate-'));
const env: NodeJS.ProcessEnv = { ...process.env, WAYPOINT_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
delete env.DATABASE_URL;
delete env.DATABASE_MIGRATION_URL;
const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), 'bin', 'waypoint.mjs'), ...args], { env, cwd: process.cwd(), timeout: 240_000 });
const EMAIL = 'admin@test.example';
const PASSWORD = 'correct-horse-battery-cli';

beforeAll(async () => {
  const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
  await createFirstAdministrator(database.db, { email: EMAIL, displayName: 'A', password: PASSWORD, organizationName: 'Org', programName: 'Main', timeZone: 'America/New_York', now: new Date() });
  await database.close();
}, 120_000);
afterAll(() => undefined);

type Counts = {
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

describe('waypoint demo generate', () => {
  it('refuses bad numbers with exit 2 and a message naming the flag', async () => {
    for (const args of [
      ['--patients', '0', '--years', '1'],
      ['--patients', '30', '--years', 'two'],
      ['--patients', '30'],
      ['--patients', '100000', '--years', '1'],
      ['--patients', '30', '--years', '1', '--seed', 'not-hex'],
    ]) {
      const r = await cli('demo', 'generate', ...args).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--(patients|years|seed) must be/);
    }
  }, 120_000);

  it('writes the volume, prints its counts, refuses the same seed again, and the outcomes API answers for it', async () => {
    const counts = JSON.parse((await cli('demo', 'generate', '--patients', '30', '--years', '1', '--seed', 'abc1')).stdout) as Counts;
    expect(counts).toMatchObject({ seed: 'abc1', patients: 30 });
    expect(counts.episodes).toBeGreaterThanOrEqual(30);
    for (const k of ['medications', 'screens', 'checkIns', 'encounters', 'participants'] as const) expect(counts[k], k).toBeGreaterThan(0);
    expect(counts.participants).toBeGreaterThanOrEqual(counts.encounters);

    const again = await cli('demo', 'generate', '--patients', '30', '--years', '1', '--seed', 'abc1').then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/seed abc1/);

    const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
    const app = await buildApp({ db: database.db, logLevel: 'silent', signInRateLimit: 100_000, webRoot: null });
    try {
      await app.ready();
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: EMAIL, password: PASSWORD } });
      const session = signIn.cookies.find((c) => c.name === 'wp_session');
      const [program] = await database.query<{ id: string }>('select id from programs');
      const headers = { cookie: `wp_session=${session!.value}`, 'waypoint-program': program!.id };
      // the default period (the year to today) holds every generated admission
      const retention = await app.inject({ method: 'GET', url: '/api/v1/outcomes/retention', headers });
      expect(retention.statusCode, retention.body).toBe(200);
      const r = retention.json() as { admissions: number; cohorts: { key: string; n: number }[] };
      expect(r.admissions).toBe(counts.episodes);
      expect(r.cohorts.map((c) => c.key)).toEqual(['all']);
      const screens = await app.inject({ method: 'GET', url: '/api/v1/outcomes/screens?group=opioids', headers });
      expect(screens.statusCode, screens.body).toBe(200);
      const s = screens.json() as { admissions: number; screens: { total: number; corrected: number }; weeks: { week: number }[] };
      expect(s.admissions).toBe(counts.episodes);
      expect(s.screens).toMatchObject({ total: counts.screens, corrected: counts.corrections });
      expect(s.weeks.length).toBeGreaterThan(4);
    } finally {
      await app.close();
      await database.close();
    }
  }, 300_000);
});
