// A scratch PostgreSQL database for one benchmark: created (migrated) before, dropped
// after, on the server of TEST_DATABASE_URL (default: the local one).
import { openDatabase, type Database } from '../server/platform/db/database.ts';

export const BENCH_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const on = (db: string) => Object.assign(new URL(BENCH_SERVER), { pathname: `/${db}` }).toString();

export async function withScratchDatabase<T>(name: string, poolSize: number, fn: (database: Database) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: on('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const database = await openDatabase({ databaseUrl: on(name), poolSize });
    try {
      return await fn(database);
    } finally {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
