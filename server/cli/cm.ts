// `waypoint cm …` — contingency management from the command line:
//   cm replay        replay an enrolment's events under a protocol (CM-SPEC §7)
//   cm verify-draws  re-derive draws from a revealed seed and check its commitment
// `register` only defines commands; the engine is imported inside the actions.
// Bad input → exit 2 with every problem on stderr; never a stack trace.
import type { Command, CommanderError } from 'commander';

const USAGE_EXIT = 2;

class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function isModuleNotFound(e: unknown, spec: string): boolean {
  const err = e as { code?: string; message?: string } | null;
  return err?.code === 'ERR_MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(spec);
}

async function readJson(file: string, what: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw new InputError([`${what} ${file}: cannot read (${code})`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError([`${what} ${file}: not valid JSON (${(e as Error).message})`]);
  }
}

interface ProtocolOpts {
  protocol?: string;
  preset?: string;
}

/** Loads and validates the protocol from --protocol FILE or --preset NAME. */
async function loadProtocol(opts: ProtocolOpts, required: boolean): Promise<import('../../core/cm/protocol.ts').Protocol | undefined> {
  if (opts.protocol !== undefined && opts.preset !== undefined) throw new InputError(['give either --protocol FILE or --preset NAME, not both']);
  const { parseProtocol } = await import('../../core/cm/protocol.ts');
  if (opts.protocol !== undefined) {
    const json = await readJson(opts.protocol, 'protocol');
    const parsed = parseProtocol(json);
    if (!parsed.ok) throw new InputError(parsed.problems.map((p) => `protocol ${opts.protocol}: ${p.path || '(document)'}: ${p.message}`));
    return parsed.protocol;
  }
  if (opts.preset !== undefined) {
    let presets: { getPreset(name: string): unknown; presetNames(): string[] };
    try {
      // computed specifier: core/cm/presets.ts is written separately and may not exist yet
      presets = (await import(new URL('../../core/cm/presets.ts', import.meta.url).href)) as typeof presets;
    } catch (e) {
      if (isModuleNotFound(e, 'presets')) throw new InputError(['presets are not available in this build']);
      throw e;
    }
    const found = presets.getPreset(opts.preset);
    if (found === undefined) throw new InputError([`unknown preset "${opts.preset}" (known: ${presets.presetNames().join(', ')})`]);
    const parsed = parseProtocol(found);
    if (!parsed.ok) throw new InputError(parsed.problems.map((p) => `preset ${opts.preset}: ${p.path || '(document)'}: ${p.message}`));
    return parsed.protocol;
  }
  if (required) throw new InputError(['a protocol is required: --protocol FILE or --preset NAME']);
  return undefined;
}

async function parseSeed(hex: string | undefined): Promise<Uint8Array> {
  const { seedFromHex, ZERO_SEED } = await import('../../core/cm/draws.ts');
  if (hex === undefined) return ZERO_SEED;
  try {
    return seedFromHex(hex);
  } catch {
    throw new InputError([`--seed: "${hex}" is not hex bytes (an even number of 0-9a-f digits)`]);
  }
}

/** Runs an action; input errors → every problem on stderr and exit code 2; anything else → one line, exit 70. */
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

function writeJson(value: unknown): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n', () => resolve());
  });
}

export async function register(program: Command): Promise<void> {
  const cm = program
    .command('cm')
    .description('Contingency management: replay an enrolment, verify prize draws')
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .exitOverride((err: CommanderError) => {
      // help and version exit 0; every usage error exits 2 (no stack trace)
      process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
    });

  cm.command('replay')
    .description('Replay events under a protocol and print rows, totals and ledger as JSON (CM-SPEC §7)')
    .option('--protocol <file>', 'protocol JSON file')
    .option('--preset <name>', 'a named protocol preset instead of a file')
    .requiredOption('--events <file>', 'events JSON file')
    .option('--seed <hex>', 'draw key as hex bytes (default: 32 zero bytes)')
    .action(
      guarded(async (opts: ProtocolOpts & { events: string; seed?: string }) => {
        const problems: string[] = [];
        const collect = async <T>(p: Promise<T>): Promise<T | undefined> => {
          try {
            return await p;
          } catch (e) {
            if (e instanceof InputError) {
              problems.push(...e.problems);
              return undefined;
            }
            throw e;
          }
        };
        const protocol = await collect(loadProtocol(opts, true));
        const seed = await collect(parseSeed(opts.seed));
        const eventsJson = await collect(readJson(opts.events, 'events'));
        const { parseEvents } = await import('../../core/cm/events.ts');
        let doc: import('../../core/cm/events.ts').EventsDoc | undefined;
        if (eventsJson !== undefined) {
          const parsed = parseEvents(eventsJson);
          if (parsed.ok) doc = parsed.doc;
          else
            for (const p of parsed.problems) {
              problems.push(`events ${opts.events}: ${p.path || '(document)'}${p.event !== null ? ` (event "${p.event}")` : ''}: ${p.message}`);
            }
        }
        if (problems.length > 0 || protocol === undefined || doc === undefined || seed === undefined) throw new InputError(problems);
        const { replay } = await import('../../core/cm/replay.ts');
        await writeJson(replay(protocol, doc, { seed }));
      }),
    );

  cm.command('verify-draws')
    .description('Re-derive draws 1..N of an enrolment from a revealed seed and check sha256(seed) against the commitment')
    .requiredOption('--seed <hex>', 'the revealed seed, hex bytes')
    .requiredOption('--enrolment <id>', 'enrolment id')
    .requiredOption('--draws <n>', 'number of draws to re-derive (1..N)')
    .option('--commitment <hex>', 'the published sha256(seed), hex')
    .option('--protocol <file>', 'protocol whose bowl to use')
    .option('--preset <name>', 'preset whose bowl to use')
    .action(
      guarded(async (opts: ProtocolOpts & { seed: string; enrolment: string; draws: string; commitment?: string }) => {
        const problems: string[] = [];
        if (!/^[1-9][0-9]{0,6}$/.test(opts.draws)) problems.push(`--draws: "${opts.draws}" must be a whole number from 1 to 9999999`);
        if (opts.commitment !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.commitment)) problems.push('--commitment: must be 64 hex digits (a SHA-256)');
        let seed: Uint8Array | undefined;
        try {
          seed = await parseSeed(opts.seed);
        } catch (e) {
          if (e instanceof InputError) problems.push(...e.problems);
          else throw e;
        }
        let protocol: Awaited<ReturnType<typeof loadProtocol>>;
        try {
          protocol = await loadProtocol(opts, false);
        } catch (e) {
          if (e instanceof InputError) problems.push(...e.problems);
          else throw e;
        }
        if (protocol !== undefined && !protocol.bowl) problems.push('the protocol has no bowl');
        if (problems.length > 0 || seed === undefined) throw new InputError(problems);
        const { commitment, drawSlip, prepareBowl, expectedValueCents } = await import('../../core/cm/draws.ts');
        const bowl = protocol?.bowl ?? DEFAULT_BOWL;
        const prepared = prepareBowl(bowl);
        const computed = commitment(seed);
        const matches = opts.commitment === undefined ? null : computed === opts.commitment.toLowerCase();
        const n = Number(opts.draws);
        const draws = [];
        for (let i = 1; i <= n; i++) {
          const d = drawSlip(seed, opts.enrolment, i, prepared);
          draws.push({ n: d.n, slipIndex: d.slipIndex, tier: d.tier, valueCents: d.valueCents });
        }
        await writeJson({
          enrolment: opts.enrolment,
          commitment: computed,
          commitmentMatches: matches,
          bowl: protocol?.bowl ? 'protocol' : 'default (CM-SPEC §3: 250 none / 209 small $1 / 40 large $20 / 1 jumbo $100)',
          slips: prepared.total,
          expectedValueCents: expectedValueCents(bowl),
          draws,
        });
        if (matches === false) {
          process.stderr.write(`error: sha256(seed) = ${computed} does not match the commitment ${opts.commitment}\n`);
          process.exitCode = 1;
        }
      }),
    );

  try {
    // computed specifier: the presets/forecast commands live in a module written separately
    const mod = (await import(new URL('./cm-presets.ts', import.meta.url).href)) as { registerPresetCommands?: (cm: Command) => void };
    mod.registerPresetCommands?.(cm);
  } catch (e) {
    if (!isModuleNotFound(e, 'cm-presets')) throw e;
  }
}

/** The bowl of CM-SPEC §3, used by verify-draws when no protocol is given. */
const DEFAULT_BOWL = {
  slips: [
    { tier: 'none', label: 'Good job!', count: 250, valueCents: 0 },
    { tier: 'small', count: 209, valueCents: 100 },
    { tier: 'large', count: 40, valueCents: 2000 },
    { tier: 'jumbo', count: 1, valueCents: 10000 },
  ],
};
