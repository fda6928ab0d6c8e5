// Fetching URL sources (docs/meetings.md "Sources and import"): a conditional GET with the
// last answer's ETag / Last-Modified (304: nothing changes, and the source says so), then an
// import in one transaction. A network error or a bad answer is recorded in lastError, never
// thrown out of the scheduled job. The hourly job refreshes every source whose refreshHours
// have passed since its last fetch, so it catches up after downtime.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { type Db, inTransaction } from '../../platform/db/database.ts';
import { type Ctx, programOf, systemCtx } from '../../platform/http/context.ts';
import type { JobSpec } from '../../platform/jobs.ts';
import { invalid } from '../../platform/errors.ts';
import { programs } from '../programs/programs.tables.ts';
import { importIntoSource, parseFeed, sourceById, type ImportResult } from './import.ts';
import { meetingSources } from './meetings.tables.ts';

export type RefreshOutcome = { status: 'imported'; result: ImportResult } | { status: 'not-modified' } | { status: 'failed'; error: string };
export type Fetch = typeof fetch;

const TIMEOUT_MS = 30_000;
/** Larger answers are refused (a 10,000-meeting feed is a few MB). */
const MAX_BYTES = 50 * 1024 * 1024;

/** Fetches a source's URL and imports it; the outcome is also recorded on the source. */
export async function refreshSource(db: Db, ctx: Ctx, sourceId: string, fetchImpl: Fetch = fetch): Promise<RefreshOutcome> {
  const programId = programOf(ctx);
  const source = await inTransaction(db, (tx) => sourceById(tx, programId, sourceId));
  if (!source.url) throw invalid('params.id', 'this source has no URL: upload a file instead');
  const record = (set: Partial<typeof meetingSources.$inferInsert>) =>
    inTransaction(db, (tx) =>
      tx
        .update(meetingSources)
        .set({ lastFetchAt: ctx.now, ...set })
        .where(and(eq(meetingSources.programId, programId), eq(meetingSources.id, sourceId))),
    );
  let res: Response;
  let body: unknown;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (source.etag) headers['if-none-match'] = source.etag;
    if (source.lastModified) headers['if-modified-since'] = source.lastModified;
    res = await fetchImpl(source.url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
    if (res.status === 304) {
      await record({ lastError: null });
      return { status: 'not-modified' };
    }
    if (!res.ok) throw new Error(`the server answered ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_BYTES) throw new Error('the answer is larger than 50 MB');
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('the answer is not JSON');
    }
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    const error = e.name === 'TimeoutError' ? 'no answer within 30 s' : e.cause?.code ? `network error (${e.cause.code})` : (e.message ?? 'fetch failed').slice(0, 200);
    await record({ lastError: error });
    return { status: 'failed', error };
  }
  try {
    const result = await inTransaction(db, async (tx) => {
      const r = await importIntoSource({ tx, ctx }, source, parseFeed(source, body));
      await tx
        .update(meetingSources)
        .set({ lastFetchAt: ctx.now, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') })
        .where(and(eq(meetingSources.programId, programId), eq(meetingSources.id, sourceId)));
      return r;
    });
    return { status: 'imported', result };
  } catch (err) {
    const error = (err as { problems?: { message: string }[] }).problems?.[0]?.message ?? 'the import failed';
    await record({ lastError: error.slice(0, 200) });
    return { status: 'failed', error };
  }
}

/** Refreshes every active URL source that is due (refreshHours since its last fetch, or never fetched). */
export async function refreshDueSources(db: Db, now: Date, fetchImpl: Fetch = fetch): Promise<{ refreshed: number; failed: number }> {
  const due = await inTransaction(db, (tx) =>
    tx
      .select({ id: meetingSources.id, programId: meetingSources.programId, orgId: programs.orgId })
      .from(meetingSources)
      .innerJoin(programs, eq(programs.id, meetingSources.programId))
      .where(
        and(
          eq(meetingSources.active, true),
          isNotNull(meetingSources.url),
          sql`(${meetingSources.lastFetchAt} is null or ${meetingSources.lastFetchAt} + make_interval(hours => ${meetingSources.refreshHours}) <= ${now.toISOString()}::timestamptz)`,
        ),
      ),
  );
  let failed = 0;
  for (const s of due) {
    const out = await refreshSource(db, systemCtx({ orgId: s.orgId, programId: s.programId, now, requestId: 'meetings-refresh' }), s.id, fetchImpl).catch(() => ({ status: 'failed' as const }));
    if (out.status === 'failed') failed++;
  }
  return { refreshed: due.length - failed, failed };
}

export function meetingsJobs(db: Db): JobSpec[] {
  return [{ name: 'meetings-refresh', cron: '41 * * * *', everySeconds: 3600, run: (now) => refreshDueSources(db, now) }];
}
