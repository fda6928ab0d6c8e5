// Runs the real `waypoint` binary for `assess score` and `plan recommend`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/waypoint.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cli-'));
let n = 0;
const file = (content: unknown): string => {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

async function waypoint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('waypoint assess score', () => {
  it('scores a PHQ-9 and prints the documented shape with the item 9 alert', async () => {
    const r = await waypoint('assess', 'score', 'phq-9', '--responses', file({ answers: { 1: 2, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 0, 9: 1 } }));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['instrument', 'complete', 'missing', 'scores', 'band', 'alerts']);
    expect(out).toMatchObject({ instrument: 'phq-9', complete: true, missing: [], scores: { total: 10 }, band: { code: 'moderate' } });
    expect(out.alerts).toEqual([expect.objectContaining({ code: 'phq9-item9-positive', severity: 'urgent' })]);
    expect(r.stdout).toContain('\n  "instrument"'); // pretty-printed
  });

  it('URICA with --stage-method records the method', async () => {
    const answers = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [String(i + 1), 3]));
    const r = await waypoint('assess', 'score', 'urica', '--responses', file({ answers }), '--stage-method', 'readiness-cutoffs');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ scores: { readiness: 6 }, stage: { code: 'precontemplation', method: 'readiness-cutoffs', validated: false } });
  });

  it('incomplete responses list the missing items and give null scores', async () => {
    const r = await waypoint('assess', 'score', 'opioid-craving', '--responses', file({ answers: { 1: 4 } }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ instrument: 'opioid-craving', complete: false, missing: ['2', '3'], scores: { mean: null }, alerts: [] });
  });

  it('out-of-range answers: every problem on stderr, exit 2, no stack trace', async () => {
    const r = await waypoint('assess', 'score', 'gad-7', '--responses', file({ answers: { 1: 4, 2: -1, 9: 0 } }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/item 1: 4 is out of range/);
    expect(r.stderr).toMatch(/item 2: -1 is out of range/);
    expect(r.stderr).toMatch(/item 9: unknown item/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('unknown instrument: exit 2 listing the valid ids (DAST-10 is not shipped)', async () => {
    const r = await waypoint('assess', 'score', 'dast-10', '--responses', file({ answers: {} }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('urica, socrates-8d, readiness-ruler, phq-9, gad-7, bam, opioid-craving');
  });

  it('unreadable or invalid JSON file: exit 2', async () => {
    expect((await waypoint('assess', 'score', 'bam', '--responses', join(dir, 'nope.json'))).code).toBe(2);
    const bad = await waypoint('assess', 'score', 'bam', '--responses', file('{ not json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
  });

  it('missing --responses is a usage error (exit 2)', async () => {
    expect((await waypoint('assess', 'score', 'bam')).code).toBe(2);
  });
});

describe('waypoint plan recommend', () => {
  it('prints ranked recommendations with the four keys, and cautions', async () => {
    const r = await waypoint('plan', 'recommend', '--context', file({ stage: 'contemplation', moud: 'none', substances: ['opioids'], cmAvailable: true, phq9Item9: 1 }));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { recommendations: Array<Record<string, unknown>>; cautions: Array<{ code: string; text: string }> };
    expect(out.recommendations[0]).toMatchObject({ intervention: 'moud-evaluation', priority: 1 });
    for (const rec of out.recommendations) {
      for (const key of ['intervention', 'priority', 'rationale', 'evidence']) expect(rec).toHaveProperty(key);
      expect(rec.rationale).toEqual({ clinician: expect.any(String), patient: { en: expect.any(String), es: expect.any(String) } });
    }
    expect(out.cautions.map((c) => c.code)).toEqual(['suicide-risk', 'opioid-abstinence-cm-overdose-risk', 'psychotherapy-not-main-treatment']);
  });

  it('an empty context is unknown, not an error', async () => {
    const r = await waypoint('plan', 'recommend', '--context', file({}));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).recommendations[0].intervention).toBe('moud-evaluation');
  });

  it('unknown enum values and fields: every path on stderr, exit 2', async () => {
    const r = await waypoint('plan', 'recommend', '--context', file({ stage: 'ready', moud: 'heroin', substances: ['tea'], shoeSize: 9 }));
    expect(r.code).toBe(2);
    for (const path of ['stage', 'moud', 'substances[0]', 'shoeSize']) expect(r.stderr).toContain(`: ${path}: `);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
