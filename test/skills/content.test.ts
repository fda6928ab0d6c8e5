// The skills content as CI sees it: every built-in module passes the lint (complete in English
// and Spanish, short screens, reading grade, known exercises, every source cited); together they
// cover every topic the issue names and every exercise type; and `waypoint skills lint` prints
// one JSON line per module, or the problems and exit 2.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lintDirectory } from '../../server/modules/skills/library.ts';
import { EXERCISE_TYPES, TOPICS, type SkillsModule } from '../../core/skills/module.ts';
import { MAX_READING_GRADE } from '../../core/skills/lint.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/waypoint.mjs', import.meta.url));

async function waypoint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('content/skills', () => {
  const files = lintDirectory();
  const modules = files.map((f) => f.doc as SkillsModule);

  it('every module passes the lint, in English and Spanish, at the reading grade', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const f of files) {
      expect(f.result.problems, f.file).toEqual([]);
      expect(f.result.summary!.languages, f.file).toEqual(['en', 'es']);
      expect(f.result.summary!.readingGrade.en!, f.file).toBeLessThanOrEqual(MAX_READING_GRADE);
    }
  });

  it('covers every topic (the nine CBT components and the rest) and uses every exercise type', () => {
    expect(new Set(modules.map((m) => m.topic))).toEqual(new Set(TOPICS));
    const used = new Set(modules.flatMap((m) => [...m.screens.flatMap((s) => (s.kind === 'exercise' ? [s.exercise.type] : [])), m.homework.exercise.type]));
    expect(used).toEqual(new Set(EXERCISE_TYPES));
  });
});

describe('waypoint skills lint', () => {
  it('prints one JSON line per module with its summary', async () => {
    const r = await waypoint('skills', 'lint');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(16);
    expect(Object.keys(lines[0]!)).toEqual(['id', 'languages', 'screens', 'exercises', 'readingGrade', 'sources']);
    expect(lines.find((l) => l.id === 'cbt-functional-analysis')).toMatchObject({ languages: ['en', 'es'], readingGrade: { en: expect.any(Number) } });
  });

  it('exits 2 with each module’s problems when content is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypoint-skills-'));
    const good = lintDirectory()[0]!.doc as SkillsModule;
    const noSpanish = JSON.parse(JSON.stringify(good, (k, v: unknown) => (k === 'es' ? undefined : v))) as SkillsModule;
    writeFileSync(join(dir, `${good.key}.json`), JSON.stringify(noSpanish));
    writeFileSync(
      join(dir, 'unknown-exercise.json'),
      JSON.stringify({ ...good, key: 'unknown-exercise', homework: { ...good.homework, exercise: { type: 'crossword', prompt: { en: 'x', es: 'x' } } } }),
    );
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const r = await waypoint('skills', 'lint', '--dir', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${good.key}.json: a built-in module is written in every built-in language; es is missing`);
    expect(r.stderr).toMatch(/unknown-exercise\.json: homework\.exercise\.type: /);
    expect(r.stderr).toContain('broken.json: not valid JSON');
    expect(r.stdout.trim().split('\n')).toHaveLength(1); // the module without Spanish still has its summary line
    expect((await waypoint('skills', 'lint', '--dir', join(dir, 'nowhere'))).code).toBe(2);
  });
});
