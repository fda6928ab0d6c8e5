// Start-up and the operator CLI: one process per PGlite data directory, migrations
// under an advisory lock (PostgreSQL), configuration errors that name the variable,
// and `waypoint admin create`, `demo seed`, `audit verify`, `--help`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { acquireDataDirLock } from '../../server/platform/db/lock.ts';
import { openDatabase } from '../../server/platform/db/database.ts';
import { writeNewAuditKey } from '../../server/platform/audit-key.ts';
import { adminUrl, onPostgres, scratchDatabase } from '../support/db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'waypoint-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };
function cli(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/waypoint.mjs', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WAYPOINT_LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** A fresh place to keep data: a temp PGlite directory, or a scratch PostgreSQL database. */
async function scratch() {
  const s = await scratchDatabase(tmp());
  if (!onPostgres()) return s;
  const keyFile = join(tmp(), 'audit-signing-key.pem'); // PostgreSQL needs the audit key in a file (ADR 024)
  writeNewAuditKey(keyFile);
  return { ...s, env: { ...s.env, WAYPOINT_AUDIT_KEY_FILE: keyFile } };
}

describe('configuration', () => {
  it('a bad PORT is a ConfigError naming PORT', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
  });
});

describe('one process per embedded data directory', () => {
  it('a second process refuses to start with a clear message', async () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    try {
      const r = await cli(['migrate'], { WAYPOINT_DATA_DIR: dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`Another Waypoint process (pid ${process.pid})`);
      expect(r.stderr).toContain('WAYPOINT_DATA_DIR');
    } finally {
      lock.release();
    }
    // once released, the directory opens
    const db = await openDatabase({ dataDir: dir });
    await db.close();
  }, 60_000);
});

describe.skipIf(!onPostgres())('migrations under the advisory lock (PostgreSQL)', () => {
  it('three servers opening one fresh database at once all come up with the schema applied once', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `wp_test_mig_${randomBytes(5).toString('hex')}`;
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    try {
      const dbs = await Promise.all([0, 1, 2].map(() => openDatabase({ databaseUrl: u.toString(), poolSize: 2 })));
      try {
        const [first] = dbs;
        const applied = await first!.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
        const { readFileSync } = await import('node:fs');
        const journal = JSON.parse(readFileSync(join(root, 'server/db/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
        expect(Number(applied[0]!.n)).toBe(journal.entries.length);
        const tables = await first!.query<{ n: string }>("select count(*) as n from pg_tables where schemaname = 'public' and tablename = 'patients'");
        expect(Number(tables[0]!.n)).toBe(1);
      } finally {
        await Promise.all(dbs.map((d) => d.close()));
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});

describe('CLI', () => {
  it('--help works on each command', async () => {
    const runs = await Promise.all(
      [['--help'], ['admin', 'create', '--help'], ['demo', 'seed', '--help'], ['audit', 'verify', '--help'], ['migrate', '--help'], ['audit', 'key', '--help'], ['audit', 'checkpoint', '--help']].map(
        (a) => cli(a, {}),
      ),
    );
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: waypoint/);
    }
    expect(runs[1]!.stdout).toContain('--email');
  }, 60_000);

  it('admin create reads the password from stdin; the administrator can then sign in; a weak one exits 2', async () => {
    const s = await scratch();
    try {
      const weak = await cli(['admin', 'create', '--email', 'Boss@Clinic.Example', '--name', 'Bo Boss'], s.env, 'password\n');
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/common|at least 12/);
      const ok = await cli(['admin', 'create', '--email', 'Boss@Clinic.Example', '--name', 'Bo Boss', '--program', 'First Clinic'], s.env, 'a-sturdy-admin-passphrase\n');
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('Administrator boss@clinic.example created');
      const database = await s.open();
      try {
        const app = await buildApp({ db: database.db, logLevel: 'silent', webRoot: null });
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'boss@clinic.example', password: 'a-sturdy-admin-passphrase' } });
        expect(r.statusCode).toBe(200);
        const cookie = `wp_session=${r.cookies.find((c) => c.name === 'wp_session')!.value}`;
        const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json() as { programs: Array<{ name: string; roles: string[] }>; organization: { roles: string[] } };
        expect(me.programs).toEqual([expect.objectContaining({ name: 'First Clinic', roles: ['administrator'] })]);
        // the first administrator is also the organisation administrator: the organisation's policy is theirs (ADR 020)
        expect(me.organization.roles).toEqual(['organization-administrator']);
        expect((await app.inject({ method: 'GET', url: '/api/v1/organization/settings', headers: { cookie } })).statusCode).toBe(200);
        await app.close();
      } finally {
        await database.close();
      }
    } finally {
      await s.drop();
    }
  }, 90_000);

  it('demo seed, then audit verify → exit 0, intact', async () => {
    const s = await scratch();
    try {
      const seed = await cli(['demo', 'seed'], s.env);
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stdout).toMatch(/Demo loaded: \d+ fictional patients/);
      const again = await cli(['demo', 'seed'], s.env);
      expect(again.code).toBe(2);
      const verify = await cli(['audit', 'verify'], s.env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/Audit trail verified: \d+ chain\(s\) intact, every seal signed by sha256:[0-9a-f]{64}\./);
      expect(verify.stdout).toContain('intact');
    } finally {
      await s.drop();
    }
  }, 180_000);
});
