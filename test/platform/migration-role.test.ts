// A separate migration role (ADR 025), PostgreSQL only: `waypoint migrate` runs as the
// role of DATABASE_MIGRATION_URL, which owns the schema; the app's role (DATABASE_URL)
// works normally but can neither switch the audit trail's append-only triggers off nor
// update, delete or truncate audit rows.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAll, verifyChains } from '../../server/platform/audit.ts';
import { newAuditSigner } from '../../server/platform/audit-key.ts';
import { openDatabase, type Database } from '../../server/platform/db/database.ts';
import { startJobs } from '../../server/platform/jobs.ts';
import { loadConfig } from '../../server/config.ts';
import { createFirstAdministrator } from '../../server/modules/programs/bootstrap.ts';
import { adminUrl, onPostgres, testRun } from '../support/db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function migrateCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/waypoint.mjs', 'migrate'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WAYPOINT_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('configuration', () => {
  it('DATABASE_MIGRATION_URL needs DATABASE_URL: the embedded database keeps one role', () => {
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: 'postgres://owner@db/waypoint' })).toThrow(/DATABASE_MIGRATION_URL: needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app@db/waypoint', DATABASE_MIGRATION_URL: 'mysql://x' })).toThrow(/DATABASE_MIGRATION_URL/);
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/waypoint', DATABASE_MIGRATION_URL: 'postgres://owner@db/waypoint' }).migrationUrl).toBe('postgres://owner@db/waypoint');
  });
});

describe.skipIf(!onPostgres())('a separate migration role (PostgreSQL)', () => {
  const tag = randomBytes(4).toString('hex');
  const owner = `wp_owner_${tag}`;
  const appRole = `wp_app_${tag}`;
  const name = `wp_test_${testRun()}_roles_${tag}`;
  const urlAs = (role: string) => {
    const u = new URL(process.env.TEST_DATABASE_URL!);
    u.username = role;
    u.password = '';
    u.pathname = `/${name}`;
    return u.toString();
  };
  const superuser = async (sql: string) => {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: adminUrl(process.env.TEST_DATABASE_URL!) });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  let app: Database;
  let asOwner: Database;

  beforeAll(async () => {
    await superuser(`CREATE ROLE ${owner} LOGIN`);
    await superuser(`CREATE ROLE ${appRole} LOGIN`);
    await superuser(`CREATE DATABASE ${name} OWNER ${owner}`);
    const migrated = await migrateCli({ DATABASE_URL: urlAs(appRole), DATABASE_MIGRATION_URL: urlAs(owner) });
    expect(migrated.out).toContain('Migrations applied');
    expect(migrated.code).toBe(0);
    app = await openDatabase({ databaseUrl: urlAs(appRole), migrate: false, poolSize: 2 });
    asOwner = await openDatabase({ databaseUrl: urlAs(owner), migrate: false, poolSize: 1 });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await asOwner?.close();
    await superuser(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await superuser(`DROP ROLE IF EXISTS ${appRole}`);
    await superuser(`DROP ROLE IF EXISTS ${owner}`);
  });

  it('the migration role owns every table; the app role owns nothing', async () => {
    const owners = await asOwner.query<{ owner: string; n: string }>("select tableowner as owner, count(*) as n from pg_tables where schemaname in ('public', 'drizzle') group by 1");
    expect(owners.map((o) => o.owner)).toEqual([owner]);
    expect(Number(owners[0]!.n)).toBeGreaterThan(20);
  });

  it('the app role writes normally: an administrator with the organisation, audited; sealing; pg-boss', async () => {
    const r = await createFirstAdministrator(app.db, {
      email: 'owner-test@clinic.example',
      displayName: 'Role Test',
      password: 'a-sturdy-admin-passphrase',
      organizationName: 'Role Org',
      programName: 'Role Clinic',
      timeZone: 'America/New_York',
      now: new Date(),
    });
    expect(r.programId).toMatch(/^[0-9a-f-]{36}$/);
    const [events] = await app.query<{ n: string }>('select count(*) as n from audit_events');
    expect(Number(events!.n)).toBeGreaterThan(0);
    const key = newAuditSigner();
    expect(await sealAll(app.db, key, new Date())).toBe(Number(events!.n));
    expect((await verifyChains(app.db, { verifier: key })).every((c) => c.ok)).toBe(true);
    const problems: string[] = [];
    const jobs = await startJobs({
      databaseUrl: urlAs(appRole),
      jobs: [],
      log: (e) => {
        problems.push(JSON.stringify(e));
      },
    });
    try {
      expect(problems).toEqual([]);
      expect(jobs.kind).toBe('pg-boss');
    } finally {
      await jobs.stop();
    }
  }, 60_000);

  it('the app role cannot switch the append-only trigger off, nor update, delete or truncate audit rows', async () => {
    for (const sql of [
      'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only',
      'ALTER TABLE audit_seals DISABLE TRIGGER USER',
      'DROP TRIGGER audit_events_append_only ON audit_events',
      "UPDATE audit_events SET outcome = 'denied'",
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
      "UPDATE audit_seals SET hash = 'x'",
      'DELETE FROM audit_seals',
      'TRUNCATE audit_seals',
    ]) {
      await expect(app.query(sql), sql).rejects.toThrow(/must be owner|permission denied/);
    }
  });

  it('tables a later migration creates are granted to the app role too; migrating again changes nothing', async () => {
    await asOwner.query('CREATE TABLE later_table (id int primary key, note text)');
    await app.query("insert into later_table values (1, 'ok')");
    expect(await app.query('select note from later_table')).toEqual([{ note: 'ok' }]);
    await expect(app.query('ALTER TABLE later_table ADD COLUMN x int')).rejects.toThrow(/must be owner/);
    // start-up with both URLs: migrations (none pending) and grants again
    const again = await openDatabase({ databaseUrl: urlAs(appRole), migrationUrl: urlAs(owner), poolSize: 1 });
    await again.close();
    await expect(app.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
  }, 60_000);
});
