// `waypoint outcomes report` (issue 17): the funders' monthly report written to a PDF file from
// the command line, as cron would run it; bad input exits 2 with every problem on stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../server/platform/db/database.ts';
import { createFirstAdministrator } from '../server/modules/programs/bootstrap.ts';
import { pdfText } from './support/pdf.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cli-outcomes-report-'));
const env: NodeJS.ProcessEnv = { ...process.env, WAYPOINT_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
delete env.DATABASE_URL;
delete env.DATABASE_MIGRATION_URL;
const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), 'bin', 'waypoint.mjs'), ...args], { env, cwd: process.cwd(), timeout: 120_000 });

beforeAll(async () => {
  const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
  await createFirstAdministrator(database.db, {
    email: 'a@test.example',
    displayName: 'A',
    password: 'correct-horse-battery-cli',
    organizationName: 'Org',
    programName: 'Main',
    timeZone: 'America/New_York',
    now: new Date(),
  });
  await database.close();
}, 120_000);
afterAll(() => undefined);

describe('waypoint outcomes report', () => {
  it('writes the Spanish PDF of a month, with one audit row; bad or future months exit 2', async () => {
    const out = join(dir, 'informe.pdf');
    const { stderr } = await cli('outcomes', 'report', '--month', '2026-01', '--lang', 'es', '--out', out, '--program', 'Main');
    expect(stderr).toContain('wrote');
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await pdfText(bytes);
    expect(text).toContain('Informe mensual del programa Main Mes: enero de 2026');
    expect(text).toContain('Pacientes en tratamiento durante el mes 0');

    const bad = cli('outcomes', 'report', '--month', '2026-13', '--lang', 'fr', '--out', join(dir, 'x.pdf'));
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--month must be a month as YYYY-MM[\s\S]*--lang must be en or es/) });
    const future = cli('outcomes', 'report', '--month', '2999-01', '--out', join(dir, 'y.pdf'));
    await expect(future).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('must not be after the month under way') });
    expect(existsSync(join(dir, 'y.pdf'))).toBe(false);

    const database = await openDatabase({ dataDir: env.WAYPOINT_DATA_DIR!, databaseUrl: undefined });
    const rows = await database.query<{ detail: unknown }>("select detail from audit_events where entity = 'outcomes' and action = 'export'");
    await database.close();
    expect(rows.map((r) => r.detail)).toEqual([{ report: 'funder-monthly', month: '2026-01', lang: 'es' }]);
  }, 240_000);
});
