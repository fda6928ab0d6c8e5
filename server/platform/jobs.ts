// Scheduled jobs on pg-boss 10, in the same database: on PostgreSQL through its own
// pg pool (connection string), on PGlite through pg-boss's `db.executeSql` option
// adapted to PGlite (ADR 007). Each job's function is idempotent and also callable
// directly (tests, CLI). If pg-boss cannot start, an in-process timer runs the same
// functions so a small embedded clinic still closes missed opportunities.
//
// A failing job keeps no message and no stack: an error's message can carry patient data
// or SQL parameters (a driver error quotes the value it refused; drizzle's quotes the
// statement and its parameters), and pg-boss would store it in pgboss.job.output for any
// operator to read. What is stored and logged is a JobFailure: a stable code, the queue,
// the job id, and for operators the error's class and SQLSTATE (never its message).
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { pgErrorOf } from './errors.ts';

export type JobFn = (now: Date) => Promise<unknown>;
export type JobSpec = { name: string; cron: string; everySeconds: number; run: JobFn };
export type JobRunner = {
  kind: 'pg-boss' | 'timer';
  /** Queue one run of a job now (it runs like a scheduled one); its job id. */
  send(name: string): Promise<string>;
  stop(): Promise<void>;
};

/** What a failed job leaves behind, in pgboss.job.output and in the log. */
export type JobFailure = {
  code: 'job_failed';
  queue: string;
  jobId: string;
  /** The error's class (e.g. DrizzleQueryError), never its message. */
  errorClass: string;
  /** The PostgreSQL SQLSTATE when the database refused (e.g. 22P02), never the statement or its parameters. */
  sqlState?: string;
};
/** A queue-level event without a job (pg-boss errors, start-up). */
export type JobEvent = JobFailure | { code: 'job_queue_error' | 'job_queue_unavailable'; errorClass: string; sqlState?: string };

const CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

/** The error's class and SQLSTATE (its own or its cause's), checked to be names and codes, not free text. */
export function errorKind(err: unknown): { errorClass: string; sqlState?: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { constructor?: { name?: unknown }; name?: unknown };
  const ctor = typeof e.constructor?.name === 'string' && e.constructor.name !== 'Object' ? e.constructor.name : undefined;
  const candidate = ctor ?? (typeof e.name === 'string' ? e.name : typeof err);
  const errorClass = CLASS_NAME.test(candidate) ? candidate : 'Error';
  const code = pgErrorOf(err)?.code;
  return code ? { errorClass, sqlState: code } : { errorClass };
}

export function jobFailure(err: unknown, queue: string, jobId: string): JobFailure {
  return { code: 'job_failed', queue, jobId, ...errorKind(err) };
}

/**
 * Runs a job; on failure logs and throws a JobFailure instead of the error. pg-boss stores
 * what the handler throws (serialised) as the job's output: this plain object, never an
 * Error's message and stack.
 */
export async function runJob(job: JobSpec, jobId: string, log: (e: JobEvent) => void): Promise<void> {
  try {
    await job.run(new Date());
  } catch (err) {
    const failure = jobFailure(err, job.name, jobId);
    log(failure);
    // a plain object, not an Error: it is what pg-boss stores
    throw failure;
  }
}

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
  log: (e: JobEvent) => void;
  /** How often a worker looks for work (pg-boss's default is 2 s). */
  pollingIntervalSeconds?: number;
}): Promise<JobRunner> {
  const byName = new Map(opts.jobs.map((j) => [j.name, j]));
  const jobNamed = (name: string) => {
    const job = byName.get(name);
    if (!job) throw new Error(`No job named ${name}.`);
    return job;
  };
  try {
    const boss = new PgBoss(opts.databaseUrl ? { connectionString: opts.databaseUrl, max: 2, schema: 'pgboss' } : { db: pgliteAdapter(opts.pglite!) as PgBoss.Db, schema: 'pgboss' });
    boss.on('error', (err: Error) => opts.log({ code: 'job_queue_error', ...errorKind(err) }));
    await boss.start();
    for (const job of opts.jobs) {
      await boss.createQueue(job.name);
      await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
      await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async ([j]) => {
        await runJob(job, j?.id ?? 'unknown', opts.log);
      });
    }
    return {
      kind: 'pg-boss',
      send: async (name) => {
        const id = await boss.send(jobNamed(name).name, {});
        if (!id) throw new Error(`The job ${name} was not queued.`);
        return id;
      },
      stop: () => boss.stop({ graceful: true, wait: true }),
    };
  } catch (err) {
    opts.log({ code: 'job_queue_unavailable', ...errorKind(err) });
    const running = new Set<string>();
    const runOnTimer = (job: JobSpec) => {
      const jobId = randomUUID();
      if (running.has(job.name)) return jobId;
      running.add(job.name);
      runJob(job, jobId, opts.log)
        .catch(() => undefined)
        .finally(() => running.delete(job.name));
      return jobId;
    };
    const timers = opts.jobs.map((job) => {
      const t = setInterval(() => runOnTimer(job), job.everySeconds * 1000);
      t.unref();
      return t;
    });
    return {
      kind: 'timer',
      send: async (name) => runOnTimer(jobNamed(name)),
      stop: async () => {
        for (const t of timers) clearInterval(t);
      },
    };
  }
}
