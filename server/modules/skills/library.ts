// The built-in skills modules: content/skills/<key>.json, read once and linted (core/skills/lint.ts).
// Built-in modules are read-only; a programme's own modules live in the database (modules.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintModule, type LintResult } from '../../../core/skills/lint.ts';
import type { SkillsModule } from '../../../core/skills/module.ts';

export const CONTENT_DIR = fileURLToPath(new URL('../../../content/skills/', import.meta.url));

export type LintedFile = { file: string; doc: unknown; result: LintResult & { warnings: string[] } };

/** Every module file in a directory, linted as built-in content; a key must match its file name and be used once. */
export function lintDirectory(dir: string = CONTENT_DIR): LintedFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const seen = new Map<string, string>();
  return files.map((file) => {
    const id = file.replace(/\.json$/, '');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      return { file, doc: null, result: { summary: null, warnings: [], problems: [`not valid JSON (${(e as Error).message})`] } };
    }
    const result = lintModule(doc, { builtIn: true });
    const key = result.summary?.id;
    if (key !== undefined && key !== id) result.problems.push(`the key ${key} does not match the file name ${file}`);
    if (key !== undefined && seen.has(key)) result.problems.push(`the key ${key} is also used by ${seen.get(key)}`);
    if (key !== undefined) seen.set(key, file);
    return { file, doc, result };
  });
}

let builtIns: Map<string, SkillsModule> | null = null;

/** The built-in modules by key (only those that pass the lint; CI refuses the rest). */
export function builtInModules(): Map<string, SkillsModule> {
  if (!builtIns) {
    builtIns = new Map();
    for (const f of lintDirectory()) if (f.result.summary && f.result.problems.length === 0) builtIns.set(f.result.summary.id, f.doc as SkillsModule);
  }
  return builtIns;
}
