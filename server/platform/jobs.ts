// Scheduled jobs on pg-boss 10, in the same database: on PostgreSQL through its own
// pg pool (connection string), on PGlite through pg-boss's `db.executeSql` option
// adapted to PGlite (ADR 007). Each job's function is idempotent and also callable
// directly (tests, CLI). If pg-boss cannot start, an in-process timer runs the same
// functions so a small embedded clinic still closes missed opportunities.
import PgBoss from 'pg-boss';

export type JobFn = (now: Date) => Promise<unknown>;
export type JobSpec = { name: string; cron: string; everySeconds: number; run: JobFn };
export type JobRunner = { kind: 'pg-boss' | 'timer'; stop(): Promise<void> };

type PgliteLike = {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<Array<{ rows: unknown[] }>>;
};

/** pg-boss's Db interface over PGlite: multi-statement text without values through exec, the rest through query. */
export function pgliteAdapter(client: PgliteLike): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values) {
      if ((!values || values.length === 0) && text.includes(';')) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const r = await client.query(text, values ?? []);
      return { rows: r.rows };
    },
  };
}

export async function startJobs(opts: {
  databaseUrl?: string | undefined;
  pglite?: PgliteLike | undefined;
  jobs: JobSpec[];
  log: (msg: string, err?: unknown) => void;
}): Promise<JobRunner> {
  try {
    const boss = new PgBoss(opts.databaseUrl
      ? { connectionString: opts.databaseUrl, max: 2, schema: 'pgboss' }
      : { db: pgliteAdapter(opts.pglite!) as PgBoss.Db, schema: 'pgboss' });
    boss.on('error', (err: Error) => opts.log('job queue error', err));
    await boss.start();
    for (const job of opts.jobs) {
      await boss.createQueue(job.name);
      await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
      await boss.work(job.name, async () => {
        await job.run(new Date());
      });
    }
    return { kind: 'pg-boss', stop: () => boss.stop({ graceful: true, wait: true }) };
  } catch (err) {
    opts.log('pg-boss could not start; running jobs on an in-process timer', err);
    const timers = opts.jobs.map((job) => {
      let running = false;
      const t = setInterval(() => {
        if (running) return;
        running = true;
        job.run(new Date()).catch((e: unknown) => opts.log(`job ${job.name} failed`, e)).finally(() => { running = false; });
      }, job.everySeconds * 1000);
      t.unref();
      return t;
    });
    return { kind: 'timer', stop: async () => { for (const t of timers) clearInterval(t); } };
  }
}
