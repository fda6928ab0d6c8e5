// The outbox under kill -9 (issue 12): the server, a child process on PostgreSQL, delivers
// texts to a fake provider that deduplicates by idempotency key and counts; it is killed
// with SIGKILL in the middle of a delivery (after the provider accepted a text, before the
// outbox recorded it), restarted, and every message is delivered exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNewAuditKey } from '../../server/platform/audit-key.ts';
import { createOrganization, createProgram } from '../../server/modules/programs/bootstrap.ts';
import { outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { enqueueMessage } from '../../server/modules/messages/outbox.ts';
import { onPostgres, scratchDatabase } from '../support/db.ts';
import { fakeSmsProvider, textablePatient } from './support.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waypoint-outbox-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const MESSAGES = 40;
const KILL_AT = 7;

describe.skipIf(!onPostgres())('outbox: exactly once across kill -9 (PostgreSQL)', () => {
  it('every message reaches the provider exactly once, counted by the fake, though the server died mid-delivery', { timeout: 90_000 }, async () => {
    const scratch = await scratchDatabase(dir);
    const keyFile = join(dir, 'audit-key.pem');
    writeNewAuditKey(keyFile);
    const fake = await fakeSmsProvider();
    try {
      // a programme with fictional patients who may be texted, and MESSAGES messages enqueued
      const database = await scratch.open();
      const now = new Date();
      const ids = await inTransaction(database.db, async (tx) => {
        const orgId = await createOrganization(tx, { name: 'Crash Test Org (fictional)', now });
        const programId = await createProgram(tx, { orgId, name: 'Crash programme', timeZone: 'UTC', now });
        const out: string[] = [];
        for (let i = 0; i < MESSAGES; i++) {
          const patientId = await textablePatient(tx, programId, now, { phone: `+1555011${String(i).padStart(4, '0')}` });
          out.push((await enqueueMessage(tx, { programId, patientId, template: 'reminder', cause: 'test', channel: 'sms', now }))!);
        }
        return out;
      });
      await database.close();

      const port = await freePort();
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...scratch.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        WAYPOINT_DEMO: 'off',
        WAYPOINT_LOG_LEVEL: 'silent',
        WAYPOINT_AUDIT_KEY_FILE: keyFile,
        WAYPOINT_SMS_BASE_URL: fake.url,
        WAYPOINT_SMS_ACCOUNT_SID: 'ACtest',
        WAYPOINT_SMS_AUTH_TOKEN: 'test-token',
        WAYPOINT_SMS_FROM: '+15550100000',
        WAYPOINT_OUTBOX_POLL_SECONDS: '0.2',
        WAYPOINT_OUTBOX_LEASE_SECONDS: '2',
      };
      const start = () => spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | number | null>((r) => c.once('exit', (code, signal) => r(signal ?? code)));

      // first run: killed with SIGKILL while the provider is answering the KILL_AT-th text
      const first = start();
      const firstExit = exited(first);
      fake.onRequest = (n) => {
        if (n === KILL_AT) first.kill('SIGKILL');
      };
      expect(await firstExit).toBe('SIGKILL');
      fake.onRequest = undefined;
      const beforeRestart = fake.delivered.size;
      expect(beforeRestart).toBeGreaterThanOrEqual(KILL_AT);
      expect(beforeRestart).toBeLessThan(MESSAGES);

      // second run: delivers the rest, and the one in flight again (after its lease), with the same key
      const second = start();
      const secondExit = exited(second);
      const db2 = await scratch.open();
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const rows = await db2.db.select({ status: outboxMessages.status }).from(outboxMessages);
          if (rows.every((r) => r.status === 'sent')) break;
          if (Date.now() > deadline) throw new Error(`not all sent: ${JSON.stringify(rows.map((r) => r.status))}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        second.kill('SIGTERM');
        await secondExit;

        // exactly once: one delivery per message, keyed by the message id
        expect(fake.delivered.size).toBe(MESSAGES);
        expect([...fake.delivered.keys()].sort()).toEqual([...ids].sort());
        // the text in flight at the kill was sent again and deduplicated by its key
        expect(fake.requests).toBeGreaterThan(MESSAGES);
        expect([...fake.delivered.values()].filter((d) => d.times > 1).length).toBeGreaterThanOrEqual(1);
        for (const d of fake.delivered.values()) expect(d.body).toBe('You have a reminder from your clinic. Open the app.');
        // and the outbox agrees with the provider
        for (const id of ids) {
          const [m] = await db2.db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
          expect(m?.status).toBe('sent');
          expect(m?.providerMessageId).toBe(fake.delivered.get(id)?.sid);
        }
      } finally {
        if (second.exitCode === null) second.kill('SIGKILL');
        await db2.close();
      }
    } finally {
      await fake.close();
      await scratch.drop();
    }
  });
});
