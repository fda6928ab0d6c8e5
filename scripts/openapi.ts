// The API's OpenAPI document, without a running server or a database, and its lint.
//   npm run openapi [-- --out FILE]   print the document (or write it to FILE)
//   npm run lint:openapi              lint it with @redocly/cli (redocly.yaml); exit 1 on any problem
// The document is the one GET /api/openapi.json serves: generate a typed client from it
// (docs/api.md). The lint is also a test (test/platform/openapi.test.ts), so CI runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../server/app.ts';
import type { Db } from '../server/platform/db/database.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Building the app registers every route; none runs, so no database is opened. */
const noDatabase = new Proxy(
  {},
  {
    get(_target, property) {
      throw new Error(`the OpenAPI document needs no database (something read db.${String(property)})`);
    },
  },
) as Db;

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp({ db: noDatabase, webRoot: null, logLevel: 'silent' });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

export type LintProblem = { ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> };

/**
 * Lints a document with @redocly/cli and the rules in redocly.yaml. The CLI runs offline:
 * telemetry is off (in redocly.yaml and the environment) and it looks for no update.
 */
export function lintOpenApi(document: unknown): { problems: LintProblem[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const run = spawnSync(process.execPath, [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json', '--max-problems', '1000'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stderr}`);
    const report = JSON.parse(run.stdout.slice(start)) as { problems: LintProblem[] };
    return { problems: report.problems, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]) {
  const document = await openApiDocument();
  if (argv.includes('--lint')) {
    const { problems } = lintOpenApi(document);
    for (const p of problems) console.log(`${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
    console.log(problems.length === 0 ? 'The OpenAPI document has no lint problems.' : `${problems.length} problem(s).`);
    process.exitCode = problems.length === 0 ? 0 : 1;
    return;
  }
  const out = argv.indexOf('--out');
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (out >= 0 && argv[out + 1]) writeFileSync(argv[out + 1]!, text);
  else process.stdout.write(text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
