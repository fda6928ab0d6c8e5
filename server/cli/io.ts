// What every command group shares: bad input is every problem on stderr and exit code 2
// (never a stack trace), JSON goes to stdout, and protocols come from --protocol FILE or
// --preset NAME. Heavy modules are imported inside the functions, not at load time.
import type { Command, CommanderError } from 'commander';

export const USAGE_EXIT = 2;

/** Bad input from the user: each problem is printed on its own line. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Gathers input problems from several reads so that all are reported at once: `read`
 * awaits a read and returns undefined (its problems kept) when it was bad input.
 */
export function problemCollector() {
  const problems: string[] = [];
  const read = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  return { problems, read };
}

/** A top-level command group whose usage errors exit 2 and whose help exits 0. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .exitOverride((err: CommanderError) => {
      process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
    });
}

/** Runs an action; input errors → every problem on stderr, exit 2; anything else → one line, exit 70. */
export function guarded<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
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

export async function readJson(file: string, what: string): Promise<unknown> {
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

export const writeJson = (value: unknown): Promise<void> =>
  new Promise((resolve) => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`, () => resolve());
  });

export type ProtocolOpts = { protocol?: string; preset?: string };

/** The protocol from --protocol FILE or --preset NAME, validated; undefined when neither is given and none is required. */
export async function loadProtocol(opts: ProtocolOpts, required: boolean): Promise<import('../../core/cm/protocol.ts').Protocol | undefined> {
  if (opts.protocol !== undefined && opts.preset !== undefined) throw new InputError(['give either --protocol FILE or --preset NAME, not both']);
  const { parseProtocol } = await import('../../core/cm/protocol.ts');
  if (opts.protocol !== undefined) {
    const parsed = parseProtocol(await readJson(opts.protocol, 'protocol'));
    if (!parsed.ok) throw new InputError(parsed.problems.map((p) => `protocol ${opts.protocol}: ${p.path || '(document)'}: ${p.message}`));
    // Cautions go to stderr so that stdout stays exactly the command's output.
    const { protocolCautions } = await import('../../core/cm/cautions.ts');
    for (const c of protocolCautions(parsed.protocol)) process.stderr.write(`caution: ${c.code}: ${c.message}\n`);
    return parsed.protocol;
  }
  if (opts.preset !== undefined) {
    const { getPreset, presetNames } = await import('../../core/cm/presets.ts');
    const found = getPreset(opts.preset);
    if (found === undefined) throw new InputError([`unknown preset "${opts.preset}" (known: ${presetNames().join(', ')})`]);
    return found;
  }
  if (required) throw new InputError(['a protocol is required: --protocol FILE or --preset NAME']);
  return undefined;
}

/** Opens the database like `waypoint migrate` and runs fn for one programme: --program (name or id), or the only one when the installation has one. */
export async function withProgramme<T>(programme: string | undefined, fn: (db: import('../platform/db/database.ts').Db, ids: { orgId: string; programId: string }) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../config.ts');
  const { openDatabase, inTransaction } = await import('../platform/db/database.ts');
  const { programs } = await import('../modules/programs/programs.tables.ts');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, migrationUrl: config.migrationUrl, dataDir: config.dataDir });
  try {
    const all = await inTransaction(database.db, (tx) => tx.select({ id: programs.id, orgId: programs.orgId, name: programs.name }).from(programs));
    const matches = programme === undefined ? all : all.filter((p) => p.id === programme || p.name === programme);
    if (matches.length === 0) throw new InputError([programme === undefined ? 'no programme yet: create one first' : `--program ${programme}: no such programme`]);
    if (matches.length > 1) throw new InputError([`--program: ${programme === undefined ? 'this installation has several programmes; name one' : 'several programmes have this name; give its id'}`]);
    return await fn(database.db, { orgId: matches[0]!.orgId, programId: matches[0]!.id });
  } finally {
    await database.close();
  }
}
