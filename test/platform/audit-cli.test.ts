// The auditor's commands end to end (ADR 024), through the real CLI: the embedded
// database makes its key on first start and says where; `waypoint audit key` prints the
// public key; `audit checkpoint` writes a signed checkpoint; `audit verify` with only the
// public key and the checkpoint finds the newest events removed; exit codes 0, 1 and 2.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres, scratchDatabase } from '../support/db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waypoint-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number | null; stdout: string; stderr: string };
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WAYPOINT_LOG_LEVEL: 'silent' };
function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['bin/waypoint.mjs', ...args], { cwd: root, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The embedded database in a temp directory, or a scratch PostgreSQL database with a key file. */
const scratch = () => scratchDatabase(mkdtempSync(join(dir, 'data-')));

describe('waypoint audit key, checkpoint and verify', () => {
  it('an auditor with the public key and a checkpoint finds the newest events removed with their seals', async () => {
    const s = await scratch();
    try {
      const env = { ...s.env };
      if (onPostgres()) {
        // PostgreSQL without a key file: nothing is sealed, and the message says what to do
        const refused = await cli(['audit', 'verify'], env);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('WAYPOINT_AUDIT_KEY_FILE is not set');
        const serve = await cli(['serve'], { ...env, PORT: String(20_000 + Math.floor(Math.random() * 30_000)) });
        expect(serve.code).toBe(1);
        expect(serve.stderr).toContain('WAYPOINT_AUDIT_KEY_FILE is not set');
        const keyFile = join(dir, `key-${randomUUID()}.pem`);
        const made = await cli(['audit', 'key', '--new', keyFile], env);
        expect(made.code, made.stderr).toBe(0);
        expect(statSync(keyFile).mode & 0o777).toBe(0o600);
        env.WAYPOINT_AUDIT_KEY_FILE = keyFile;
      } else {
        // the embedded database makes its key on first start, next to its data, and says where
        const keyFile = join(env.WAYPOINT_DATA_DIR!, 'audit-signing-key.pem');
        const child = start(['serve'], { ...env, WAYPOINT_DEMO: 'off', PORT: String(20_000 + Math.floor(Math.random() * 30_000)) });
        const out = await new Promise<string>((resolve, reject) => {
          let text = '';
          child.stdout!.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('Audit seals are signed with key')) resolve(text);
          });
          child.on('close', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
        });
        const closed = new Promise((r) => child.once('close', r));
        child.kill('SIGTERM');
        await closed;
        expect(out).toContain(`Audit signing key created at ${keyFile} (mode 0600)`);
        expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      }

      // three audit events on one chain, then a checkpoint
      const chainId = randomUUID();
      let database = await s.open();
      try {
        for (let i = 0; i < 3; i++) {
          await database.query("insert into audit_events (chain_id, at, action, entity, outcome) values ($1, now(), 'read', 'audit', 'success')", [chainId]);
        }
      } finally {
        await database.close();
      }
      const cpFile = join(dir, `cp-${randomUUID()}.json`);
      const cp = await cli(['audit', 'checkpoint', '--out', cpFile], env);
      expect(cp.code, cp.stderr).toBe(0);
      const checkpoint = JSON.parse(readFileSync(cpFile, 'utf8')) as { chains: Array<{ chainId: string; seq: number }>; keyFingerprint: string; signature: string };
      expect(checkpoint.chains.find((c) => c.chainId === chainId)?.seq).toBe(3);

      // the public key, for the auditor
      const key = await cli(['audit', 'key'], env);
      expect(key.code, key.stderr).toBe(0);
      expect(key.stdout).toContain('-----BEGIN PUBLIC KEY-----');
      expect(key.stdout).toContain(`Fingerprint: ${checkpoint.keyFingerprint}`);
      expect(key.stdout).not.toContain('PRIVATE');
      const pubFile = join(dir, `pub-${randomUUID()}.pem`);
      writeFileSync(pubFile, key.stdout);
      const auditorEnv = { ...s.env }; // no signing key: the auditor holds only the public key

      const intact = await cli(['audit', 'verify', '--public-key', pubFile, '--checkpoint', cpFile], auditorEnv);
      expect(intact.code, intact.stdout + intact.stderr).toBe(0);
      expect(intact.stdout).toContain('is still there, unchanged');
      expect(intact.stdout).toMatch(/Audit trail verified: \d+ chain\(s\) intact/);

      // remove the two newest events with their seals, and move the head back
      database = await s.open();
      try {
        await database.query('alter table audit_events disable trigger user');
        await database.query('alter table audit_seals disable trigger user');
        const gone = await database.query<{ event_id: string }>('delete from audit_seals where chain_id = $1 and seq > 1 returning event_id', [chainId]);
        await database.query('delete from audit_events where id = any($1::bigint[])', [gone.map((g) => g.event_id)]);
        await database.query('update audit_chain_heads set seq = 1, hash = (select hash from audit_seals where chain_id = $1 and seq = 1) where chain_id = $1', [chainId]);
        await database.query('alter table audit_events enable trigger user');
        await database.query('alter table audit_seals enable trigger user');
      } finally {
        await database.close();
      }
      const withoutCheckpoint = await cli(['audit', 'verify', '--public-key', pubFile], auditorEnv);
      expect(withoutCheckpoint.code).toBe(0); // consistent from genesis to its new end: only the checkpoint knows
      const truncated = await cli(['audit', 'verify', '--public-key', pubFile, '--checkpoint', cpFile], auditorEnv);
      expect(truncated.code).toBe(1);
      expect(truncated.stdout).toContain(`chain ${chainId}: 1 sealed, 0 not yet sealed — BROKEN at seal #2: the chain ends at 1 but the checkpoint saw 3`);
      expect(truncated.stdout).toContain('TAMPERING FOUND: 1 chain(s) broken.');

      // usage: a missing key file, a checkpoint that is not one, an unknown option
      const noKey = await cli(['audit', 'verify', '--public-key', join(dir, 'missing.pem')], auditorEnv);
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('does not exist');
      const badCp = join(dir, `bad-${randomUUID()}.json`);
      writeFileSync(badCp, JSON.stringify({ ...checkpoint, chains: [] }));
      const forged = await cli(['audit', 'verify', '--public-key', pubFile, '--checkpoint', badCp], auditorEnv);
      expect(forged.code).toBe(2);
      expect(forged.stderr).toContain('The checkpoint cannot be used: its signature does not match');
      expect((await cli(['audit', 'verify', '--frobnicate'], auditorEnv)).code).toBe(2);
      for (const r of [noKey, forged, truncated]) expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    } finally {
      await s.drop();
    }
  }, 240_000);
});
