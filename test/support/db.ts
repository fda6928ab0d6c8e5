// A fresh, migrated database for one test file (see test/global-setup.ts).
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../server/platform/db/database.ts';

/**
 * Each test run has its own template and databases, named after the process that runs its
 * global setup (test/global-setup.ts sets WAYPOINT_TEST_RUN), so two runs on one machine —
 * or one PostgreSQL server — never drop or overwrite each other's.
 */
export const testRun = (): string => {
  const run = process.env.WAYPOINT_TEST_RUN;
  if (!run) throw new Error('WAYPOINT_TEST_RUN is not set: run the tests through vitest (test/global-setup.ts).');
  return run;
};
export const pgTemplate = (run = testRun()) => `wp_tpl_${run}`;
export const pgliteTemplateFile = (run = testRun()) => fileURLToPath(new URL(`../../node_modules/.cache/waypoint/pglite-template-${run}.tar`, import.meta.url));

export const onPostgres = () => !!process.env.TEST_DATABASE_URL;

export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** An in-memory PGlite loaded from this run's migrated template (about 1 s, against 4–5 s to migrate one afresh). */
export function templatePglite(): Promise<Database> {
  return openDatabase({ pgliteDump: new Blob([readFileSync(pgliteTemplateFile())]), migrate: false });
}

/** `url`: the connection string of the test's own PostgreSQL database (unset on PGlite). */
export async function testDatabase(opts: { poolSize?: number } = {}): Promise<Database & { url?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return templatePglite();
  const name = `wp_test_${testRun()}_${randomBytes(6).toString('hex')}`;
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate()}`);
      break;
    } catch (err) {
      // Another file is copying the template at this moment.
      if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const ownUrl = databaseUrl(url, name);
  const database: Database & { url?: string } = Object.assign(await openDatabase({ databaseUrl: ownUrl, migrate: false, poolSize: opts.poolSize ?? 10 }), { url: ownUrl });
  const close = database.close;
  database.close = async () => {
    await close();
    const a = new pg.Client({ connectionString: adminUrl(url) });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  };
  return database;
}

/**
 * An empty database for a test that runs the `waypoint` command (which migrates it): a data
 * directory for the embedded database, or (TEST_DATABASE_URL) a new PostgreSQL database of
 * this run. `env` is what the command needs to find it; `open` connects to it in the test.
 */
export async function scratchDatabase(dataDir: string): Promise<{ env: Record<string, string>; open(): Promise<Database>; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { env: { WAYPOINT_DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }), drop: async () => undefined };
  const name = `wp_test_${testRun()}_${randomBytes(6).toString('hex')}`;
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = databaseUrl(url, name);
  return {
    env: { DATABASE_URL: dbUrl, WAYPOINT_DATA_DIR: dataDir },
    open: () => openDatabase({ databaseUrl: dbUrl, poolSize: 2 }),
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
