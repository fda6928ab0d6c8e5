// Migrates one template database per test run. Each integration test file then gets
// its own copy: a PGlite loaded from the template's dump, or (TEST_DATABASE_URL) a
// PostgreSQL database created from a template database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase } from '../server/platform/db/database.ts';
import { PG_TEMPLATE, PGLITE_TEMPLATE_FILE, adminUrl } from './support/db.ts';

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'wp_test_%'`);
    for (const r of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
    const tpl = await openDatabase({ databaseUrl: withDatabase(url, PG_TEMPLATE), poolSize: 1 });
    await tpl.close();
    return;
  }
  const db = await openDatabase({ dataDir: 'memory://' });
  const client = (db.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  mkdirSync(dirname(PGLITE_TEMPLATE_FILE), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await db.close();
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
