// The database: PostgreSQL through `pg` when DATABASE_URL is set (production), or the
// embedded PGlite in the data directory (trying Waypoint on one machine). One typed
// drizzle handle serves both.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from '../../db/schema.ts';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { roleOfUrl, runMigrations } from './migrate.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
declare const transactionBrand: unique symbol;
/**
 * What a use case runs its statements on: a transaction, so that its writes and audit rows
 * commit together. Branded, so the compiler tells it from the pool (`Db`): only
 * `inTransaction` makes one, and `oneStatement` for a use case that is a single atomic
 * statement (ADR 018). A use case never touches the outer `Db` inside it.
 */
export type Tx = Db & { readonly [transactionBrand]: true };

/** Runs fn in one transaction (BEGIN … COMMIT; ROLLBACK when it throws). */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Tx));
}

/**
 * The pool as a `Tx`, for a use case that is exactly one SQL statement (its audit row in
 * a CTE of the same statement): atomic on its own, without BEGIN/COMMIT round trips.
 */
export function oneStatement(db: Db): Tx {
  return db as Tx;
}

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Rows of a raw query (tests, benchmarks, the operator CLI). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /**
   * The role that owns the schema (ADR 025): when set and different from databaseUrl,
   * migrations run as it, and databaseUrl's role is granted only what the app needs.
   */
  migrationUrl?: string | undefined;
  dataDir?: string | undefined;
  /** An in-memory PGlite loaded from a dump (tests). */
  pgliteDump?: Blob | File | undefined;
  migrate?: boolean;
  poolSize?: number;
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 20) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      if (opts.databaseUrl && opts.migrationUrl && opts.migrationUrl !== opts.databaseUrl) {
        await migrateAsOwner(opts.migrationUrl, opts.databaseUrl);
      } else await runMigrations(database);
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

/** Migrations as the schema owner, then the app role's grants (ADR 025). */
async function migrateAsOwner(migrationUrl: string, appUrl: string): Promise<void> {
  const owner = await openPostgres(migrationUrl, 1);
  try {
    await runMigrations(owner, { grantTo: roleOfUrl(appUrl, 'DATABASE_URL') });
  } finally {
    await owner.close();
  }
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // timestamptz and date come back as strings; the app parses what it needs.
  pg.types.setTypeParser(1184, (v: string) => new Date(v)); // timestamptz → Date, drizzle default
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      const r = await pool.query(text, params);
      return r.rows as T[];
    },
    close: () => pool.end(),
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let lock: DataDirLock | undefined;
  let client: InstanceType<typeof PGlite>;
  if (opts.pgliteDump) {
    client = new PGlite({ loadDataDir: opts.pgliteDump });
  } else if (opts.dataDir === 'memory://') {
    client = new PGlite();
  } else {
    const dir = resolve(opts.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    lock = acquireDataDirLock(dir);
    try {
      client = new PGlite(join(dir, 'pglite'));
      await client.waitReady;
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async query<T>(text: string, params: unknown[] = []) {
      const r = await client.query(text, params);
      return r.rows as T[];
    },
    async close() {
      await client.close();
      lock?.release();
    },
  };
}

/**
 * A statement built once per database handle and reused (drizzle `.prepare(name)` with
 * placeholders): the hot paths skip rebuilding their SQL, and PostgreSQL reuses the plan
 * per connection (ADR 010).
 */
export function preparedOnce<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (!statement) built.set(db, (statement = build(db)));
    return statement;
  };
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

export type Unlisten = () => Promise<void>;

/**
 * LISTEN on a channel: `onPayload` gets each NOTIFY's payload, once its transaction
 * commits. PostgreSQL: one connection of its own, outside the pool, opened again after
 * a loss (a notification sent while it was down is missed, so listeners must treat a
 * notification as "look again", never as the data). PGlite: its own listen.
 */
export async function listen(db: Db, channel: string, onPayload: (payload: string) => void): Promise<Unlisten> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error('channel must be a plain identifier');
  const client = (db as unknown as { $client: unknown }).$client;
  if (client && typeof (client as { listen?: unknown }).listen === 'function') {
    return (client as { listen(c: string, f: (p: string) => void): Promise<Unlisten> }).listen(channel, onPayload);
  }
  const { default: pg } = await import('pg');
  const options = (client as { options: import('pg').ClientConfig }).options;
  let current: import('pg').Client | null = null;
  let stopped = false;
  const reopen = (): void => {
    if (!stopped) setTimeout(() => void open().catch(reopen), 1000).unref();
  };
  const open = async (): Promise<void> => {
    const c = new pg.Client(options);
    c.on('notification', (m) => {
      if (m.channel === channel) onPayload(m.payload ?? '');
    });
    c.on('error', () => {
      if (current === c) current = null;
      void c.end().catch(() => undefined);
      reopen();
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (stopped) await c.end();
    else current = c;
  };
  await open();
  return async () => {
    stopped = true;
    await current?.end().catch(() => undefined);
    current = null;
  };
}
