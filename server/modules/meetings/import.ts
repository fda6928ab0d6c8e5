// Importing a feed into a source's meetings (docs/meetings.md "Sources and import"): parse
// (core/meetings/meeting-guide.ts, bmlt.ts), compare with what the source holds
// (core/meetings/diff.ts: the one rule for keys, hashes and "updated"), then write only the
// difference in a few batched statements, in ONE transaction with the audit row (counts only).
// Re-importing the same feed writes nothing but the source's lastImport fields.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { parseBmlt } from '../../../core/meetings/bmlt.ts';
import { CONTENT_FIELDS, contentHash, diffMeetings, type Existing } from '../../../core/meetings/diff.ts';
import { parseMeetingGuide, type ParseResult, type Rejected } from '../../../core/meetings/meeting-guide.ts';
import type { Fellowship, Meeting } from '../../../core/meetings/model.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { randomUUID } from 'node:crypto';
import { meetingSources, meetings } from './meetings.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type SourceRow = typeof meetingSources.$inferSelect;

/** What an import did: exactly what `waypoint meetings import` prints. */
export type ImportResult = { added: number; updated: number; inactivated: number; rejected: Rejected[] };

/** At most this many rejected records are kept on the source (the count is always exact in the audit row). */
const KEEP_REJECTED = 200;
const BATCH = 1000;

export function parseFeed(source: Pick<SourceRow, 'format' | 'defaultTimeZone' | 'defaultFellowship'>, feed: unknown, formats?: unknown): ParseResult {
  const opts = { defaultTimeZone: source.defaultTimeZone, ...(source.defaultFellowship ? { fellowship: source.defaultFellowship as Fellowship } : {}) };
  return source.format === 'bmlt' ? parseBmlt(feed, { ...opts, formats }) : parseMeetingGuide(feed, opts);
}

/** A meeting as a row of its source: the model's fields are the columns of the same names. */
function rowOf(programId: string, sourceId: string, m: Meeting, now: Date) {
  const { key, ...content } = m;
  return { ...content, programId, id: randomUUID(), sourceId, sourceKey: key, contentHash: contentHash(m), active: true, createdAt: now, updatedAt: now, inactivatedAt: null };
}

/**
 * What a stored row takes from the feed when its key is listed again with other content (or
 * returns after being inactivated): the content, its hash and the row's state, each from the
 * conflicting row (`excluded`). The row keeps its id and createdAt (attendance refers to them).
 */
const FROM_FEED = [...CONTENT_FIELDS, 'contentHash', 'active', 'updatedAt', 'inactivatedAt'] as const;
const takeFromFeed = Object.fromEntries(FROM_FEED.map((field) => [field, sql`excluded.${sql.identifier(meetings[field].name)}`]));

/** Runs an import of a parsed feed into a source, inside the caller's transaction. */
export async function importIntoSource(deps: Deps, source: SourceRow, parsed: ParseResult): Promise<ImportResult> {
  const { tx, ctx } = deps;
  const programId = source.programId;
  const now = ctx.now;
  // a feed that is not a list at all changes nothing (it would otherwise inactivate every meeting)
  const whole = parsed.rejected.find((r) => r.index === -1);
  if (whole)
    throw new AppError({
      code: 'invalid_feed',
      status: 400,
      message: 'The file is not a feed of meetings. Nothing was changed.',
      problems: [{ field: 'body.feed', message: whole.problems.join('; ') }],
    });
  const rows = await tx
    .select({ key: meetings.sourceKey, hash: meetings.contentHash, active: meetings.active })
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.sourceId, source.id)));
  const existing = new Map<string, Existing>(rows.map((r) => [r.key!, { hash: r.hash ?? '', active: r.active }]));
  const diff = diffMeetings(existing, parsed.meetings);
  const writes = [...diff.added, ...diff.updated].map((m) => rowOf(programId, source.id, m, now));
  for (let i = 0; i < writes.length; i += BATCH) {
    await tx
      .insert(meetings)
      .values(writes.slice(i, i + BATCH))
      .onConflictDoUpdate({ target: [meetings.programId, meetings.sourceId, meetings.sourceKey], set: takeFromFeed });
  }
  for (let i = 0; i < diff.inactivated.length; i += BATCH) {
    await tx
      .update(meetings)
      .set({ active: false, inactivatedAt: now, updatedAt: now })
      .where(and(eq(meetings.programId, programId), eq(meetings.sourceId, source.id), inArray(meetings.sourceKey, diff.inactivated.slice(i, i + BATCH))));
  }
  const result: ImportResult = { added: diff.added.length, updated: diff.updated.length, inactivated: diff.inactivated.length, rejected: parsed.rejected };
  await tx
    .update(meetingSources)
    .set({
      lastImportAt: now,
      lastImportResult: { ...result, rejected: result.rejected.slice(0, KEEP_REJECTED), rejectedCount: result.rejected.length, unchanged: diff.unchanged.length },
      lastError: null,
    })
    .where(and(eq(meetingSources.programId, programId), eq(meetingSources.id, source.id)));
  await writeAudit(tx, auditContext(ctx, { programId }), {
    action: 'update',
    entity: 'meeting-source',
    entityId: source.id,
    detail: { kind: 'import', added: result.added, updated: result.updated, unchanged: diff.unchanged.length, inactivated: result.inactivated, rejected: result.rejected.length },
  });
  return result;
}

export async function sourceById(tx: Tx, programId: string, id: string): Promise<SourceRow> {
  const [s] = await tx
    .select()
    .from(meetingSources)
    .where(and(eq(meetingSources.programId, programId), eq(meetingSources.id, id)));
  if (!s) throw notFound('Meeting source');
  return s;
}

/** An upload (or a CLI file) into a source. */
export async function importFeed(deps: Deps, sourceId: string, feed: unknown, formats?: unknown): Promise<ImportResult> {
  const source = await sourceById(deps.tx, programOf(deps.ctx), sourceId);
  return importIntoSource(deps, source, parseFeed(source, feed, formats));
}
