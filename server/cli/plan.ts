// `waypoint plan recommend --context FILE` — ranked psychosocial recommendations with
// rationale (clinician and patient text), evidence and cautions, as JSON. The planner is
// imported inside the action. Bad input → every problem on stderr, exit 2, no stack trace.
import type { Command, CommanderError } from 'commander';

const USAGE_EXIT = 2;

class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError([`${what} ${file}: cannot read (${(e as { code?: string }).code ?? 'error'})`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError([`${what} ${file}: not valid JSON (${(e as Error).message})`]);
  }
}

function guarded<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof InputError) {
        process.stderr.write(e.problems.map((p) => `error: ${p}\n`).join(''));
        process.exitCode = USAGE_EXIT;
      } else {
        process.stderr.write(`error: internal error: ${(e as Error)?.message ?? String(e)}\n`);
        process.exitCode = 70;
      }
    }
  };
}

const writeJson = (value: unknown): Promise<void> =>
  new Promise((resolve) => {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n', () => resolve());
  });

export function register(program: Command): void {
  const plan = program
    .command('plan')
    .description('Treatment planning: stage-matched psychosocial recommendations')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .exitOverride((err: CommanderError) => {
      process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
    });

  plan
    .command('recommend')
    .description('Print { recommendations: [{ intervention, priority, rationale: { clinician, patient }, evidence, rules }], cautions: [{ code, text }] } as JSON')
    .requiredOption('--context <file>', 'JSON patient context (stage, moud, prefersNonMedication, substances, phq9, phq9Item9, gad7, recentOverdose, family, needs, mutualHelp, prefersSecular, cmAvailable); missing fields mean unknown')
    .action(
      guarded(async (opts: { context: string }) => {
        const { parseContext, PlanningInputError, recommend } = await import('../../core/planning/index.ts');
        const raw = await readJson(opts.context, 'context');
        let context;
        try {
          context = parseContext(raw);
        } catch (e) {
          if (e instanceof PlanningInputError) throw new InputError(e.problems.map((p) => `context ${opts.context}: ${p.path}: ${p.message}`));
          throw e;
        }
        await writeJson(recommend(context));
      }),
    );
}
