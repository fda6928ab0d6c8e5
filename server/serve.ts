// Start-up: configuration, database (migrated under a lock), the demo on a fresh
// embedded database, the HTTP server, and the audit sealer.
import { loadConfig, ConfigError, type Config } from './config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { sealAll } from './platform/audit.ts';
import { resolveAuditSigner } from './platform/audit-key.ts';
import { errorKind, startJobs } from './platform/jobs.ts';
import { cmJobs } from './modules/cm/jobs.ts';
import { identityJobs } from './modules/identity/jobs.ts';
import { patientAppJobs } from './modules/patient-app/jobs.ts';
import { outcomesJobs } from './modules/outcomes/rollup.ts';
import { peersJobs } from './modules/peers/jobs.ts';
import { meetingsJobs } from './modules/meetings/refresh.ts';
import { channelsFrom } from './modules/messages/channels.ts';
import { messagesJobs, startDeliveryPoller } from './modules/messages/jobs.ts';
import { AppError } from './platform/errors.ts';
import { buildApp } from './app.ts';
import { DEMO_PASSWORD, DEMO_STAFF, demoPatientAppInvite, hasAnyOrganization, isDemoDatabase, seedDemo, type DemoSummary } from './modules/demo/seed.ts';

export async function serve(config: Config = loadConfig()): Promise<{ close(): Promise<void>; url: string }> {
  // The audit signing key first (ADR 024): with PostgreSQL and no key file, nothing starts.
  const audit = resolveAuditSigner({ keyFile: config.auditKeyFile, databaseKind: config.databaseUrl ? 'postgres' : 'pglite', dataDir: config.dataDir });
  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, migrationUrl: config.migrationUrl, dataDir: config.dataDir });
  const shouldSeed = config.demo === 'on' || (config.demo === 'auto' && database.kind === 'pglite');
  let seeded: DemoSummary | undefined;
  if (shouldSeed && !(await hasAnyOrganization(database.db))) seeded = await seedDemo(database.db);
  const showDemo = !!seeded || (shouldSeed && (await isDemoDatabase(database.db)));

  const channels = channelsFrom(config.messages);
  const app = await buildApp({
    db: database.db,
    production: config.production,
    logLevel: config.logLevel,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    sms: { authToken: config.messages.sms?.authToken, webhookBase: config.publicUrl ?? `http://localhost:${config.port}` },
    consoleChannels: (['sms', 'email', 'push'] as const).filter((c) => !channels[c]),
    pushPublicKey: config.messages.push?.publicKey,
  });
  const sealer = setInterval(() => {
    sealAll(database.db, audit.signer, new Date()).catch((err: Error) => app.log.error({ err: { name: err.name } }, 'audit sealing failed'));
  }, config.auditSealSeconds * 1000);
  sealer.unref();
  const jobs = await startJobs({
    databaseUrl: config.databaseUrl,
    pglite: database.kind === 'pglite' ? (database.db as unknown as { $client: Parameters<typeof startJobs>[0]['pglite'] }).$client : undefined,
    jobs: [
      ...cmJobs(database.db),
      ...identityJobs(database.db),
      ...messagesJobs(database.db, channels, config.messages.leaseSeconds),
      ...peersJobs(database.db),
      ...meetingsJobs(database.db),
      ...outcomesJobs(database.db),
      ...patientAppJobs(database.db),
    ],
    // a stable code, the job id, the error's class and SQLSTATE: never a message or stack (server/platform/jobs.ts)
    log: (event) => app.log.error(event, event.code),
  });

  const delivery = startDeliveryPoller(database.db, channels, {
    pollSeconds: config.messages.pollSeconds,
    leaseSeconds: config.messages.leaseSeconds,
    onError: (err) => app.log.error({ code: 'messages_delivery_failed', ...errorKind(err) }, 'messages_delivery_failed'),
  });

  const url = await app.listen({ port: config.port, host: config.host });
  const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir} (for trying Waypoint; production uses DATABASE_URL)` : 'PostgreSQL';
  console.log(`\nWaypoint is running at http://localhost:${config.port}  —  ${where}`);
  if (audit.created && audit.file) console.log(`Audit signing key created at ${audit.file} (mode 0600). Keep a copy elsewhere; \`waypoint audit key\` prints its public key for auditors.`);
  const console_ = (['sms', 'email', 'push'] as const).filter((c) => !channels[c]);
  if (console_.length > 0) console.log(`Messages by ${console_.join(', ')} go to the console's outbox view (no provider configured; docs/messages.md).`);
  console.log(`Audit seals are signed with key ${audit.signer.fingerprint}${audit.file ? ` (${audit.file})` : ' (in memory)'}.`);
  if (showDemo) {
    console.log(`\nDemo data ${seeded ? 'loaded' : 'present'} (all people and records are fictional). Sign in at http://localhost:${config.port} with any of:`);
    for (const a of DEMO_STAFF) console.log(`  ${a.role.padEnd(19)} ${a.email}${a.role === 'administrator' ? '  (also the organisation administrator: policy, every account)' : ''}`);
    console.log(`  password for every demo account: ${DEMO_PASSWORD}\n`);
    // a new code at each start: codes are kept only as hashes, so an earlier one cannot be shown again
    const invite = await demoPatientAppInvite(database.db);
    if (invite) {
      console.log(`Patient app (on a phone or a second browser): http://localhost:${config.port}/app/  —  demo patient ${invite.patient}`);
      console.log(`  activation code: ${invite.code}  (or open http://localhost:${config.port}${invite.activationPath}; it works once, for 7 days)`);
      // passkeys need a host name (ADR 039): localhost here, the WAYPOINT_PUBLIC_URL host in production
      console.log(`  unlock with a PIN, or with a passkey where the browser has a screen lock (at localhost, not 127.0.0.1)\n`);
    }
  }

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    clearInterval(sealer);
    await delivery.stop().catch(() => undefined);
    await jobs.stop().catch(() => undefined);
    await app.close();
    await sealAll(database.db, audit.signer, new Date()).catch(() => undefined);
    await database.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void close().then(() => process.exit(0));
    });
  }
  return { close, url };
}

export function reportStartFailure(err: unknown): never {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof AppError) console.error(err.publicMessage);
  else console.error(`Waypoint could not start: ${(err as Error).message}`);
  process.exit(1);
}
