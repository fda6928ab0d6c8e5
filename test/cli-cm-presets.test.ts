// `waypoint cm presets` and `waypoint cm forecast` through the real entry point.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'waypoint.mjs');

function waypoint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('waypoint cm presets / forecast', () => {
  it('cm presets --json lists every preset with citation, maximum and expected cost', async () => {
    const r = await waypoint(['cm', 'presets', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; citation: string; maxCents: number; allSuccessExpectedCents: number; maxDraws: number; drawEvCents: number | null }>;
    expect(list.map((p) => p.name)).toContain('higgins-1994');
    for (const p of list) expect(p.citation.length).toBeGreaterThan(20);
    const higgins = list.find((p) => p.name === 'higgins-1994')!;
    expect(higgins.maxCents).toBe(99_750);
    const ctn = list.find((p) => p.name === 'ctn-0007')!;
    expect(ctn.maxDraws).toBe(204);
    expect(ctn.drawEvCents).toBe(221.8);
    expect(ctn.allSuccessExpectedCents).toBe(45_247.2);
  });

  it('cm presets prints a table', async () => {
    const r = await waypoint(['cm', 'presets']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/higgins-1994\s+12\s+\$997\.50/);
  });

  it('cm forecast --json is reproducible and matches the analytic value when everyone succeeds', async () => {
    const args = ['cm', 'forecast', '--preset', 'higgins-1994', '--patients', '25', '--success', '1', '--attendance', '1', '--seed', '7', '--json'];
    const a = await waypoint(args);
    expect(a.code).toBe(0);
    const out = JSON.parse(a.stdout) as { perPatient: { meanCents: number; p50Cents: number; p90Cents: number; p99Cents: number }; analytic: { maxCents: number }; programme: { meanCents: number } };
    expect(out.perPatient.meanCents).toBe(99_750);
    expect(out.analytic.maxCents).toBe(99_750);
    expect(out.programme.meanCents).toBe(25 * 99_750);
    const b = await waypoint(['cm', 'forecast', '--preset', 'ctn-0007', '--patients', '30', '--success', '0.3,0.5,0.6', '--attendance', '0.8', '--seed', '11', '--iterations', '200', '--json']);
    const c = await waypoint(['cm', 'forecast', '--preset', 'ctn-0007', '--patients', '30', '--success', '0.3,0.5,0.6', '--attendance', '0.8', '--seed', '11', '--iterations', '200', '--json']);
    expect(b.code).toBe(0);
    expect(c.stdout).toBe(b.stdout);
    const f = JSON.parse(b.stdout) as { perPatient: { p50Cents: number; p90Cents: number; p99Cents: number }; analytic: { maxCents: number } };
    expect(f.perPatient.p50Cents).toBeLessThanOrEqual(f.perPatient.p90Cents);
    expect(f.perPatient.p90Cents).toBeLessThanOrEqual(f.perPatient.p99Cents);
    expect(f.perPatient.p99Cents).toBeLessThanOrEqual(f.analytic.maxCents);
  });

  it('cm forecast --protocol FILE works, and bad input exits 2 with a message and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-forecast-'));
    const good = join(dir, 'p.json');
    writeFileSync(
      good,
      JSON.stringify({
        id: 'x',
        version: 1,
        name: 'X',
        citation: 'test',
        weeks: 4,
        tracks: [{ id: 'a', target: { kind: 'attendance' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 4, escalation: { start: 100 } }] }],
      }),
    );
    const ok = await waypoint(['cm', 'forecast', '--protocol', good, '--patients', '5', '--success', '1', '--json']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { perPatient: { meanCents: number } }).perPatient.meanCents).toBe(400);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ id: 'x', version: 1, name: 'X', citation: 'c', tracks: [] }));
    const cases: string[][] = [
      ['cm', 'forecast', '--preset', 'no-such'],
      ['cm', 'forecast', '--preset', 'higgins-1994', '--success', '1.5'],
      ['cm', 'forecast', '--preset', 'higgins-1994', '--patients', 'ten'],
      ['cm', 'forecast', '--preset', 'higgins-1994', '--protocol', good],
      ['cm', 'forecast'],
      ['cm', 'forecast', '--protocol', bad],
      ['cm', 'forecast', '--protocol', join(dir, 'missing.json')],
      ['cm', 'forecast', '--preset', 'higgins-1994', '--no-such-flag'],
    ];
    for (const args of cases) {
      const r = await waypoint(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error/);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });
});

describe('opioid-abstinence caution on the command line', () => {
  it('warns on stderr, and leaves stdout exact, when a protocol rewards opioid abstinence alone', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'wp-caution-'));
    const protocol = {
      id: 'op',
      version: 1,
      name: 'opioid only',
      citation: 'test',
      weeks: 12,
      tracks: [{ id: 'opioid', target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250 } }] }],
    };
    writeFileSync(join(dir, 'p.json'), JSON.stringify(protocol));
    writeFileSync(join(dir, 'e.json'), JSON.stringify({ enrolment: { id: 'e', start: '2026-01-05' }, events: [] }));
    const r = spawnSync(process.execPath, ['bin/waypoint.mjs', 'cm', 'replay', '--protocol', join(dir, 'p.json'), '--events', join(dir, 'e.json')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^caution: opioid-abstinence-cm-overdose-risk: /);
    expect(JSON.parse(r.stdout)).toEqual({ opportunities: [], totals: { earnedCents: 0, draws: 0, prizeCents: 0 }, ledger: [] });
  });
});
