// ESLint as part of `npm test` (ADR 029): the whole repository lints with no errors and no
// warnings, and the import boundaries of docs/architecture.md really refuse what they should
// (checked on synthetic source text, so no fixture file can drift from the rule); and one
// rule of the test files themselves that ESLint cannot see (ADR 066).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The cache (in node_modules/.cache, keyed by file content and configuration) lets the second
// and later runs, such as CI's PostgreSQL and Node 24 passes, re-lint only what changed.
const eslint = new ESLint({ cwd: root, cache: true, cacheLocation: 'node_modules/.cache/eslint/', cacheStrategy: 'content' });

/** The rule ids ESLint reports for `text` as if it were the file at `filePath` (relative to the repository). */
async function rulesReported(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('lint', () => {
  it('finds no errors and no warnings in the repository', { timeout: 180_000 }, async () => {
    const results = await eslint.lintFiles(['.']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(root.length)}:${m.line} ${m.ruleId ?? (m.fatal ? 'fatal' : 'eslint')} ${m.message}`));
    expect(problems).toEqual([]);
    // The run really covered the code (an ignore pattern gone wrong would pass vacuously).
    const linted = results.map((r) => r.filePath.slice(root.length));
    expect(linted).toEqual(expect.arrayContaining(['core/cm/draws.ts', 'server/app.ts', 'web/src/main.tsx', 'contracts/common.ts', 'eslint.config.js']));
  });

  describe('import boundaries', () => {
    it('core/ does no I/O: node:fs, a database driver or the network are refused', async () => {
      expect(await rulesReported('core/cm/example.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/cm/example.ts', "import pg from 'pg';\nexport const f = pg;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/cm/example.ts', "import { sql } from 'drizzle-orm';\nexport const f = sql;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/cm/example.ts', "import { request } from 'undici';\nexport const f = request;\n")).toEqual(['no-restricted-imports']);
    });

    it('core/ may use zod, node:crypto hashing and content/ data, and its tests may read files', async () => {
      const pure =
        "import { createHash } from 'node:crypto';\nimport { z } from 'zod';\nimport p from '../../content/cm-presets/ctn-0007.json' with { type: 'json' };\nimport { parseEvents } from './events.ts';\nexport const f = [createHash, z, p, parseEvents];\n";
      expect(await rulesReported('core/cm/example.ts', pure)).toEqual([]);
      expect(await rulesReported('core/cm/example.test.ts', "import { readFileSync } from 'node:fs';\nimport fc from 'fast-check';\nexport const f = [readFileSync, fc];\n")).toEqual([]);
    });

    it('core/ imports nothing from server/, web/ or contracts/', async () => {
      expect(await rulesReported('core/cm/example.ts', "import { openDb } from '../../server/platform/db/database.ts';\nexport const f = openDb;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/example.ts', "import { api } from '../web/src/api.ts';\nexport const f = api;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/planning/example.ts', "import { ProblemDetails } from '../../contracts/common.ts';\nexport const f = ProblemDetails;\n")).toEqual(['no-restricted-imports']);
    });

    it('core/ takes time and randomness as arguments', async () => {
      expect(await rulesReported('core/cm/example.ts', 'export const now = () => Date.now();\n')).toEqual(['no-restricted-syntax']);
      expect(await rulesReported('core/cm/example.ts', 'export const now = () => new Date();\n')).toEqual(['no-restricted-syntax']);
      expect(await rulesReported('core/cm/example.ts', 'export const pick = () => Math.random();\n')).toEqual(['no-restricted-syntax']);
      expect(await rulesReported('core/cm/example.ts', "import { randomUUID } from 'node:crypto';\nexport const f = randomUUID;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('core/cm/example.ts', 'export const day = (iso: string) => new Date(iso);\n')).toEqual([]);
    });

    it('Fastify is imported only in *.routes.ts, server/app.ts and server/platform/http/', async () => {
      const text = "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n";
      expect(await rulesReported('server/modules/patients/register-patient.ts', text)).toEqual(['no-restricted-imports']);
      expect(await rulesReported('server/platform/db/example.ts', "import cookie from '@fastify/cookie';\nexport const f = cookie;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('server/modules/patients/patients.routes.ts', text)).toEqual([]);
      expect(await rulesReported('server/platform/http/example.ts', text)).toEqual([]);
      expect(await rulesReported('server/app.ts', text)).toEqual([]);
    });

    it('web/ imports nothing from server/, and contracts/ nothing from the server or the database', async () => {
      expect(await rulesReported('web/src/pages/Example.tsx', "import type { Db } from '../../../server/platform/db/database.ts';\nexport type D = Db;\n")).toEqual(['no-restricted-imports']);
      expect(await rulesReported('web/src/pages/Example.tsx', "import { ProblemDetails } from '../../../contracts/common.ts';\nexport const f = ProblemDetails;\n")).toEqual([]);
      expect(await rulesReported('contracts/example.ts', "import { sql } from 'drizzle-orm';\nexport const f = sql;\n")).toEqual(['no-restricted-imports']);
    });
  });

  it('a transaction is opened only through inTransaction, which gives the branded Tx', async () => {
    const raw = "import type { Db } from '../../platform/db/database.ts';\nexport const f = (db: Db) => db.transaction(async () => 1);\n";
    expect(await rulesReported('server/modules/patients/example.ts', raw)).toEqual(['no-restricted-syntax']);
    expect(await rulesReported('bench/example.bench.ts', raw)).toEqual(['no-restricted-syntax']);
    const door = "import { inTransaction, type Db } from '../../platform/db/database.ts';\nexport const f = (db: Db) => inTransaction(db, async () => 1);\n";
    expect(await rulesReported('server/modules/patients/example.ts', door)).toEqual([]);
  });

  it('a test file that replaces a module loads the server afresh (test files share a worker, ADR 066)', () => {
    const tests = ['core', 'contracts', 'server', 'test'].flatMap((dir) =>
      readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => `${dir}/${f}`),
    );
    const mocking = tests.filter((f) => /\bvi\.(do)?mock\(/.test(readFileSync(`${root}${f}`, 'utf8')));
    expect(mocking).toContain('test/platform/sign-in-timing.test.ts');
    expect(mocking.filter((f) => !/^\s*vi\.resetModules\(\)/m.test(readFileSync(`${root}${f}`, 'utf8')))).toEqual([]);
  });
});
