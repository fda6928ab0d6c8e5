// Migrates one template database per test run. Each integration test file then gets
// its own copy: a PGlite loaded from the template's dump, or (TEST_DATABASE_URL) a
// PostgreSQL database created from a template database. The run's databases are named
// after this process (WAYPOINT_TEST_RUN), so runs side by side keep to their own; the
// databases of runs whose process has ended are dropped.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase } from '../server/platform/db/database.ts';
import { adminUrl, pgliteTemplateFile, pgTemplate } from './support/db.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export default async function setup() {
  const run = String(process.pid);
  process.env.WAYPOINT_TEST_RUN = run;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    const ours = await admin.query<{ datname: string }>(String.raw`SELECT datname FROM pg_database WHERE datname ~ '^wp_(test|tpl)_\d+'`);
    for (const r of ours.rows) {
      const pid = Number(/^wp_(?:test|tpl)_(\d+)/.exec(r.datname)![1]);
      if (!alive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${pgTemplate(run)}`);
    await admin.end();
    const tpl = await openDatabase({ databaseUrl: withDatabase(url, pgTemplate(run)), poolSize: 1 });
    await tpl.close();
    return async () => {
      const a = new pg.Client({ connectionString: adminUrl(url) });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${pgTemplate(run)} WITH (FORCE)`);
      await a.end();
    };
  }
  const file = pgliteTemplateFile(run);
  const db = await openDatabase({ dataDir: 'memory://' });
  const client = (db.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  return () => rmSync(file, { force: true });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
