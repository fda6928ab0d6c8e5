// `waypoint outcomes research-export` (issue 17): writes export.csv and dictionary.csv, prints
// the check, records the disclosures under the research exception (by the system: no person),
// and reports bad input as exit 2 naming the option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { inTransaction, openDatabase } from '../server/platform/db/database.ts';
import { createFirstAdministrator } from '../server/modules/programs/bootstrap.ts';
import { episodes, patients } from '../server/modules/patients/patients.tables.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cli-research-'));
const env: NodeJS.ProcessEnv = { ...process.env, WAYPOINT_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
delete env.DATABASE_URL;
delete env.DATABASE_MIGRATION_URL;
const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), 'bin', 'waypoint.mjs'), ...args], { env, cwd: process.cwd(), timeout: 120_000 });
const PATIENTS = 3;

beforeAll(async () => {
  const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
  const now = new Date();
  const { programId } = await createFirstAdministrator(database.db, {
    email: 'a@test.example',
    displayName: 'A',
    password: 'correct-horse-battery-cli',
    organizationName: 'Org',
    programName: 'Main',
    timeZone: 'America/New_York',
    now,
  });
  await inTransaction(database.db, async (tx) => {
    for (let i = 0; i < PATIENTS; i++) {
      const id = randomUUID();
      await tx.insert(patients).values({
        programId,
        id,
        mrn: `CLI-${i}`,
        legalGivenName: 'Cligiven',
        legalFamilyName: `Clifamily${i}`,
        birthDate: '1961-04-0' + (i + 1),
        phone: '+15550104444',
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(episodes).values({ programId, id: randomUUID(), patientId: id, levelOfCare: 'otp', admittedOn: '2025-03-0' + (i + 1), dischargedOn: '2025-04-01', createdAt: now });
    }
  });
  await database.close();
}, 120_000);
afterAll(() => undefined);

describe('waypoint outcomes research-export', () => {
  it('writes the export and its dictionary, prints the check, and records one disclosure per patient', async () => {
    const out = join(dir, 'out');
    const res = await cli(
      'outcomes',
      'research-export',
      '--from',
      '2025-01-01',
      '--to',
      '2025-12-31',
      '--recipient',
      'Riverside University (fictional)',
      '--purpose',
      'A fictional retention study',
      '--out',
      out,
    );
    const printed = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ rows: PATIENTS, k: 11, smallestClass: 0, suppressedRows: PATIENTS, disclosures: PATIENTS });
    expect(printed).not.toHaveProperty('csv');
    const csv = readFileSync(join(out, 'export.csv'), 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(PATIENTS + 1);
    expect(csv).not.toMatch(/Cli|CLI-|1961-04|5550104444/);
    expect(readFileSync(join(out, 'dictionary.csv'), 'utf8')).toMatch(/^column,meaning,type,unit,de-identification\r\nstudy_id,/);
    const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
    try {
      const rows = await database.db.execute(
        sql`select count(*)::int as n, count(distinct patient_id)::int as p, bool_and(actor_id is null) as system from disclosures where exception = 'research' and channel = 'export'`,
      );
      expect((rows as unknown as { rows: unknown[] }).rows[0]).toEqual({ n: PATIENTS, p: PATIENTS, system: true });
      const audit = await database.db.execute(sql`select count(*)::int as n from audit_events where entity = 'outcomes' and action = 'export' and actor_id is null and user_agent = 'waypoint-cli'`);
      expect((audit as unknown as { rows: unknown[] }).rows[0]).toEqual({ n: 1 });
    } finally {
      await database.close();
    }
  }, 180_000);

  it('bad input: exit 2 naming the option, nothing written', async () => {
    const out = join(dir, 'bad');
    await expect(
      cli('outcomes', 'research-export', '--from', '2025-12-31', '--to', '2025-01-01', '--recipient', 'R U', '--purpose', 'A fictional retention study', '--out', out),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from'),
    });
    await expect(cli('outcomes', 'research-export', '--from', '2025-01-01', '--to', '2025-12-31', '--recipient', 'R U', '--purpose', 'short', '--out', out)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--purpose'),
    });
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});
