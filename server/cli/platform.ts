// Operator commands: serve, migrate, admin create, demo seed, demo generate, audit key / checkpoint / verify.
import type { Command } from 'commander';
import { guarded, InputError, withProgramme, writeJson } from './io.ts';

async function withDatabase<T>(fn: (database: import('../platform/db/database.ts').Database) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../config.ts');
  const { openDatabase } = await import('../platform/db/database.ts');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, migrationUrl: config.migrationUrl, dataDir: config.dataDir });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function fail(err: unknown): Promise<never> {
  const { ConfigError } = await import('../config.ts');
  const { AppError } = await import('../platform/errors.ts');
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof AppError) {
    console.error(err.publicMessage);
    for (const p of err.problems) console.error(`  ${p.field}: ${p.message}`);
  } else console.error(`error: ${(err as Error).message}`);
  process.exit(err instanceof AppError && err.status < 500 ? 2 : 1);
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Hide what is typed.
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  out._writeToOutput = (s: string) => {
    if (s.includes(prompt)) out.output.write(s);
  };
  const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Run the Waypoint server (configuration from PORT, WAYPOINT_DATA_DIR, DATABASE_URL)')
    .action(async () => {
      const { serve, reportStartFailure } = await import('../serve.ts');
      await serve().catch(reportStartFailure);
    });

  program
    .command('migrate')
    .description('Apply database migrations (under an advisory lock) and exit')
    .action(async () => {
      await withDatabase(async (db) => console.log(`Migrations applied (${db.kind}).`)).catch(fail);
    });

  const admin = program.command('admin').description('Administrator accounts');
  admin
    .command('create')
    .description('Create an administrator; on a fresh installation also the organisation and first programme. The password is asked for, or read from standard input when it is not a terminal.')
    .requiredOption('--email <email>', 'sign-in email of the administrator')
    .option('--name <name>', 'display name', 'Administrator')
    .option('--organization <name>', 'organisation name (fresh installation only)', 'My Organisation')
    .option('--program <name>', 'first programme name (fresh installation only)', 'Main Clinic')
    .option('--time-zone <tz>', 'IANA time zone of the first programme', 'America/New_York')
    .action(async (o: { email: string; name: string; organization: string; program: string; timeZone: string }) => {
      try {
        const password = await readPassword('Password (12+ characters): ');
        const { createFirstAdministrator } = await import('../modules/programs/bootstrap.ts');
        const r = await withDatabase((d) =>
          createFirstAdministrator(d.db, { email: o.email, displayName: o.name, password, organizationName: o.organization, programName: o.program, timeZone: o.timeZone, now: new Date() }),
        );
        console.log(`Administrator ${o.email.toLowerCase()} created (programme ${r.programId}).`);
      } catch (err) {
        await fail(err);
      }
    });

  const demo = program.command('demo').description('Fictional demo data');
  demo
    .command('seed')
    .description('Load the fictional demo organisation, staff and patients into an empty database')
    .action(async () => {
      try {
        const { hasAnyOrganization, seedDemo } = await import('../modules/demo/seed.ts');
        await withDatabase(async (d) => {
          if (await hasAnyOrganization(d.db)) {
            console.error('This database already has an organisation; the demo is only loaded into an empty database.');
            process.exitCode = 2;
            return;
          }
          const s = await seedDemo(d.db);
          console.log(`Demo loaded: ${s.patients} fictional patients. Accounts (password ${s.password}):`);
          for (const a of s.accounts) console.log(`  ${a.role.padEnd(19)} ${a.email}`);
        });
      } catch (err) {
        await fail(err);
      }
    });

  demo
    .command('generate')
    .description(
      'Generate fictional patients ("Test Patient 00042") and their treatment over some years, ending yesterday, into a programme: realistic volumes for benchmarks and demonstrations. Prints the counts of rows written as JSON.',
    )
    .option('--patients <n>', 'how many fictional patients (1–99999)')
    .option('--years <y>', 'years of treatment (1–5)')
    .option('--seed <hex>', 'hexadecimal seed: the same seed gives the same data (default 5eed)')
    .option('--program <programme>', 'programme name or id (default: the only one)')
    .action(
      guarded(async (o: { patients?: string; years?: string; seed?: string; program?: string }) => {
        const { generateVolume, volumeProblems } = await import('../modules/demo/generate.ts');
        const { AppError } = await import('../platform/errors.ts');
        // a number written in full ("30", "2"), not "30abc" or "1e3"
        const whole = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : v);
        const problems = volumeProblems({ patients: whole(o.patients), years: whole(o.years), seed: o.seed });
        if (problems.length > 0) throw new InputError(problems);
        const counts = await withProgramme(o.program, (db, { programId }) =>
          generateVolume(db, { programId, patients: Number(o.patients), years: Number(o.years), seed: o.seed }).catch((e: unknown) => {
            throw e instanceof AppError && e.status < 500 ? new InputError([e.publicMessage]) : e;
          }),
        );
        await writeJson(counts);
      }),
    );

  const audit = program.command('audit').description('The audit trail: signed seals, checkpoints and verification (ADR 024)');
  // Exit 0: intact; 1: tampering found; 2: usage (an unknown option or a missing argument too).
  audit.exitOverride((err) => process.exit(err.exitCode === 1 ? 2 : err.exitCode));

  audit
    .command('key')
    .description('Print the public key that checks audit seals, and its fingerprint (give it to auditors); --new FILE creates a signing key')
    .option('--new <file>', 'write a new Ed25519 signing key (PKCS#8 PEM, mode 0600) to this file; an existing file is never overwritten')
    .action(async (o: { new?: string }) => {
      try {
        const { publicKeyPem, writeNewAuditKey } = await import('../platform/audit-key.ts');
        let signer;
        if (o.new) {
          signer = writeNewAuditKey(o.new);
          console.error(`New audit signing key written to ${o.new} (mode 0600). Set WAYPOINT_AUDIT_KEY_FILE=${o.new}; keep a copy where the database administrators cannot change it.`);
        } else {
          const r = await configuredSigner();
          signer = r.signer;
          if (r.created) console.error(`New audit signing key created at ${r.file}.`);
        }
        process.stdout.write(publicKeyPem(signer.publicKey));
        console.log(`Fingerprint: ${signer.fingerprint}`);
      } catch (err) {
        await fail(err);
      }
    });

  audit
    .command('checkpoint')
    .description('Seal pending events, verify every chain, and write a signed checkpoint (every chain head, counts, time, key fingerprint) for an auditor to keep')
    .option('--out <file>', 'write the checkpoint to this file instead of standard output')
    .action(async (o: { out?: string }) => {
      try {
        const { sealAll, verifyChains } = await import('../platform/audit.ts');
        const { makeCheckpoint } = await import('../platform/audit-checkpoint.ts');
        const { signer } = await configuredSigner();
        const reports = await withDatabase(async (d) => {
          await sealAll(d.db, signer, new Date());
          return verifyChains(d.db, { verifier: signer });
        });
        const broken = reports.filter((r) => !r.ok);
        if (broken.length > 0) {
          printReports(reports);
          console.error(`No checkpoint written: ${broken.length} chain(s) are broken.`);
          process.exitCode = 1;
          return;
        }
        const checkpoint = makeCheckpoint(reports, signer, new Date());
        const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
        if (o.out) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(o.out, text);
          console.error(`Checkpoint written to ${o.out}: ${checkpoint.totals.chains} chain(s), ${checkpoint.totals.seals} seal(s), signed with ${checkpoint.keyFingerprint}.`);
        } else process.stdout.write(text);
      } catch (err) {
        await fail(err);
      }
    });

  audit
    .command('verify')
    .description(
      "Seal pending audit events, then recompute every hash chain, check every seal's signature and the chain heads, and report the first problem of each chain. Exit 0: intact; 1: tampering found; 2: usage",
    )
    .option('--public-key <file>', 'check signatures with this public key (PEM) instead of the configured signing key; nothing is sealed')
    .option('--checkpoint <file>', 'also prove that nothing this checkpoint saw was removed or altered')
    .option('--no-seal', 'verify only what is already sealed')
    .option('--json', 'print the report as JSON')
    .action(async (o: { publicKey?: string; checkpoint?: string; seal: boolean; json?: boolean }) => {
      try {
        const { sealAll, verifyChains } = await import('../platform/audit.ts');
        const { loadAuditVerifier } = await import('../platform/audit-key.ts');
        const { readCheckpoint } = await import('../platform/audit-checkpoint.ts');
        // An auditor with only the public key verifies and never seals.
        const signer = o.publicKey ? undefined : (await configuredSigner()).signer;
        const verifier = o.publicKey ? loadAuditVerifier(o.publicKey) : signer!;
        let checkpoint: ReturnType<typeof readCheckpoint> | undefined;
        if (o.checkpoint) {
          const { readFileSync } = await import('node:fs');
          let text: string;
          try {
            text = readFileSync(o.checkpoint, 'utf8');
          } catch (err) {
            console.error(`The checkpoint file ${o.checkpoint} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
            process.exit(2);
          }
          checkpoint = readCheckpoint(text, verifier);
        }
        const reports = await withDatabase(async (d) => {
          if (o.seal && signer) await sealAll(d.db, signer, new Date());
          return verifyChains(d.db, { verifier, checkpoint: checkpoint?.marks });
        });
        const broken = reports.filter((r) => !r.ok);
        if (o.json) {
          console.log(
            JSON.stringify(
              {
                ok: broken.length === 0,
                keyFingerprint: verifier.fingerprint,
                checkpoint: checkpoint ? { createdAt: checkpoint.checkpoint.createdAt, chains: checkpoint.marks.size } : null,
                chains: reports,
              },
              null,
              2,
            ),
          );
        } else {
          printReports(reports);
          if (checkpoint && broken.length === 0) console.log(`Every seal the checkpoint of ${checkpoint.checkpoint.createdAt} saw (${checkpoint.marks.size} chain(s)) is still there, unchanged.`);
          console.log(
            broken.length === 0 ? `Audit trail verified: ${reports.length} chain(s) intact, every seal signed by ${verifier.fingerprint}.` : `TAMPERING FOUND: ${broken.length} chain(s) broken.`,
          );
        }
        if (broken.length > 0) process.exitCode = 1;
      } catch (err) {
        await fail(err);
      }
    });
}

/** The configured signing key (WAYPOINT_AUDIT_KEY_FILE, or the embedded database's own). */
async function configuredSigner() {
  const { loadConfig } = await import('../config.ts');
  const { resolveAuditSigner } = await import('../platform/audit-key.ts');
  const config = loadConfig();
  return resolveAuditSigner({ keyFile: config.auditKeyFile, databaseKind: config.databaseUrl ? 'postgres' : 'pglite', dataDir: config.dataDir });
}

function printReports(reports: import('../platform/audit.ts').ChainReport[]): void {
  for (const r of reports) {
    const legacy = r.unsigned > 0 ? ` (${r.unsigned} from before signing, covered by the first signed seal)` : '';
    const state = r.ok ? 'intact' : `BROKEN at seal #${r.firstBreak!.seq}${r.firstBreak!.eventId !== null ? ` (event ${r.firstBreak!.eventId})` : ''}: ${r.firstBreak!.problem}`;
    console.log(`chain ${r.chainId}: ${r.sealed} sealed${legacy}, ${r.unsealed} not yet sealed — ${state}`);
  }
}
