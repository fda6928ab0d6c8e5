// Migrations are the SQL files drizzle-kit generated into server/db/migrations. They
// run at start under a PostgreSQL advisory lock, so servers starting together on one
// fresh database take turns and all come up.
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const MIGRATION_LOCK = 727_274_001; // arbitrary, constant: "waypoint migrations"

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    // The lock is per connection: hold one connection for lock, migrate and unlock.
    const pool = (database.db as unknown as { $client: import('pg').Pool }).$client;
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const { drizzle } = await import('drizzle-orm/node-postgres');
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder });
  }
}
