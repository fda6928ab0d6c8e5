// `waypoint cm …` — contingency management from the command line:
//   cm replay        replay an enrolment's events under a protocol (CM-SPEC §7)
//   cm settle        settle a sequence of recordings as the clinic's ledger would (CM-SPEC §8)
//   cm verify-draws  re-derive draws from a revealed seed and check its commitment
//   cm presets, cm forecast (server/cli/cm-presets.ts)
// `register` only defines commands; the engine is imported inside the actions.
// Bad input → exit 2 with every problem on stderr; never a stack trace.
import type { Command } from 'commander';
import { registerPresetCommands } from './cm-presets.ts';
import { commandGroup, guarded, InputError, loadProtocol, problemCollector, readJson, writeJson, type ProtocolOpts } from './io.ts';

async function parseSeed(hex: string | undefined): Promise<Uint8Array> {
  const { seedFromHex, ZERO_SEED } = await import('../../core/cm/draws.ts');
  if (hex === undefined) return ZERO_SEED;
  try {
    return seedFromHex(hex);
  } catch {
    throw new InputError([`--seed: "${hex}" is not hex bytes (an even number of 0-9a-f digits)`]);
  }
}

export function register(program: Command): void {
  const cm = commandGroup(program, 'cm', 'Contingency management: replay an enrolment, verify prize draws, presets and budget forecast');

  cm.command('replay')
    .description('Replay events under a protocol and print rows, totals and ledger as JSON (CM-SPEC §7)')
    .option('--protocol <file>', 'protocol JSON file')
    .option('--preset <name>', 'a named protocol preset instead of a file')
    .requiredOption('--events <file>', 'events JSON file')
    .option('--seed <hex>', 'draw key as hex bytes (default: 32 zero bytes)')
    .action(
      guarded(async (opts: ProtocolOpts & { events: string; seed?: string }) => {
        const { problems, read: collect } = problemCollector();
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

  cm.command('settle')
    .description('Settle recordings in the order the clinic posted them and print each settlement and the balance as JSON (CM-SPEC §8)')
    .option('--protocol <file>', 'protocol JSON file')
    .option('--preset <name>', 'a named protocol preset instead of a file')
    .requiredOption('--postings <file>', 'postings JSON file: { "enrolment": …, "postings": [[event, …], …] }')
    .option('--seed <hex>', 'draw key as hex bytes (default: 32 zero bytes)')
    .action(
      guarded(async (opts: ProtocolOpts & { postings: string; seed?: string }) => {
        const { problems, read: collect } = problemCollector();
        const protocol = await collect(loadProtocol(opts, true));
        const seed = await collect(parseSeed(opts.seed));
        const postings = await collect(readJson(opts.postings, 'postings'));
        if (problems.length > 0 || protocol === undefined || seed === undefined || postings === undefined) throw new InputError(problems);
        const { settlePostings } = await import('../../core/cm/settlement.ts');
        const r = settlePostings(protocol, postings, seed);
        if (!r.ok) throw new InputError(r.problems.map((p) => `postings ${opts.postings}: ${p}`));
        await writeJson(r.output);
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

  registerPresetCommands(cm);
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
