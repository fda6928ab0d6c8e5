// Operator commands: serve, migrate, admin create, demo seed, audit verify.
import type { Command } from 'commander';

async function withDatabase<T>(fn: (database: import('../platform/db/database.ts').Database) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../config.ts');
  const { openDatabase } = await import('../platform/db/database.ts');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
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
  out._writeToOutput = (s: string) => { if (s.includes(prompt)) out.output.write(s); };
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

  const audit = program.command('audit').description('The audit trail');
  audit
    .command('verify')
    .description('Seal pending audit events, then recompute every hash chain and report the first broken link of each')
    .option('--no-seal', 'verify only what is already sealed')
    .option('--json', 'print the report as JSON')
    .action(async (o: { seal: boolean; json?: boolean }) => {
      try {
        const { sealAll, verifyChains } = await import('../platform/audit.ts');
        const reports = await withDatabase(async (d) => {
          if (o.seal) await sealAll(d.db, new Date());
          return verifyChains(d.db);
        });
        const broken = reports.filter((r) => !r.ok);
        if (o.json) console.log(JSON.stringify({ ok: broken.length === 0, chains: reports }, null, 2));
        else {
          for (const r of reports) {
            const state = r.ok ? 'intact' : `BROKEN at #${r.firstBreak!.seq} (event ${r.firstBreak!.eventId ?? '?'}): ${r.firstBreak!.problem}`;
            console.log(`chain ${r.chainId}: ${r.sealed} sealed, ${r.unsealed} not yet sealed — ${state}`);
          }
          console.log(broken.length === 0 ? `Audit trail verified: ${reports.length} chain(s) intact.` : `${broken.length} chain(s) broken.`);
        }
        if (broken.length > 0) process.exitCode = 1;
      } catch (err) {
        await fail(err);
      }
    });
}
