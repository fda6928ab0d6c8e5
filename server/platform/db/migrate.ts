// Migrations are the SQL files drizzle-kit generated into server/db/migrations. They
// run at start under a PostgreSQL advisory lock, so servers starting together on one
// fresh database take turns and all come up.
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const MIGRATION_LOCK = 727_274_001; // arbitrary, constant: "waypoint migrations"

/**
 * Applies pending migrations; with `grantTo` (the app role, when another role migrates:
 * ADR 025), then grants it what it needs — under the same lock, since concurrent GRANTs
 * on one object fail.
 */
export async function runMigrations(database: Database, opts: { grantTo?: string } = {}): Promise<void> {
  if (database.kind === 'postgres') {
    // The lock is per connection: hold one connection for lock, migrate and unlock.
    const pool = (database.db as unknown as { $client: import('pg').Pool }).$client;
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const { drizzle } = await import('drizzle-orm/node-postgres');
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      await migrate(drizzle(client), { migrationsFolder });
      if (opts.grantTo) await grantAppRole((text) => client.query(text).then((r) => r.rows), opts.grantTo);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder });
  }
}

/** The user a postgres:// URL signs in as. */
export function roleOfUrl(url: string, variable: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (!role) throw new Error(`${variable} names no user: with a separate migration role, both URLs must name their role.`);
  return role;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * What the app role may do when another role owns the schema (ADR 025): read and write
 * the tables, use the sequences, but neither change nor remove audit events and seals
 * (no UPDATE, DELETE or TRUNCATE) and own nothing, so it cannot switch their append-only
 * triggers off. Default privileges give it the same on tables later migrations create.
 * pg-boss creates and owns its own schema (`pgboss`: job queue, no patient data), so the
 * app role may create schemas in the database; it still owns nothing in `public`.
 * Run as the owner after every migration; granting again changes nothing.
 */
async function grantAppRole(query: (text: string) => Promise<unknown[]>, appRole: string): Promise<void> {
  const [me] = (await query('select current_user as role, current_database() as db')) as Array<{ role: string; db: string }>;
  if (!me || me.role === appRole) return; // one role: nothing to grant
  const app = ident(appRole);
  for (const statement of [
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events, audit_seals FROM ${app}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
    `GRANT CREATE ON DATABASE ${ident(me.db)} TO ${app}`,
  ]) {
    await query(statement);
  }
}
