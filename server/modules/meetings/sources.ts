// A programme's meeting sources (docs/meetings.md "Sources and import"): create, list, edit,
// and export a source's active meetings as a Meeting Guide feed.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { isTimeZone, toMeetingGuide, type MeetingGuideRecord } from '../../../core/meetings/meeting-guide.ts';
import type { Fellowship, Meeting } from '../../../core/meetings/model.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, pgErrorOf } from '../../platform/errors.ts';
import { meetingSources, meetings } from './meetings.tables.ts';
import { sourceById, type SourceRow } from './import.ts';
import { meetingOfRow } from './rows.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type SourceInput = {
  name: string;
  format: 'meeting-guide' | 'bmlt';
  url?: string | null;
  defaultTimeZone: string;
  refreshHours?: number;
  defaultFellowship?: Fellowship | null;
  active?: boolean;
};

export function sourceView(s: SourceRow, counts?: { active: number; inactive: number }) {
  const r = (s.lastImportResult ?? null) as null | {
    added: number;
    updated: number;
    inactivated: number;
    unchanged?: number;
    rejected: { index: number; problems: string[] }[];
    rejectedCount?: number;
    notModified?: boolean;
  };
  return {
    id: s.id,
    name: s.name,
    format: s.format as 'meeting-guide' | 'bmlt',
    url: s.url,
    defaultTimeZone: s.defaultTimeZone,
    refreshHours: s.refreshHours,
    defaultFellowship: (s.defaultFellowship ?? null) as Fellowship | null,
    active: s.active,
    lastImportAt: s.lastImportAt?.toISOString() ?? null,
    lastFetchAt: s.lastFetchAt?.toISOString() ?? null,
    lastImportResult: r
      ? { added: r.added, updated: r.updated, inactivated: r.inactivated, unchanged: r.unchanged ?? 0, rejectedCount: r.rejectedCount ?? r.rejected.length, rejected: r.rejected }
      : null,
    lastError: s.lastError,
    meetings: counts ?? { active: 0, inactive: 0 },
    createdAt: s.createdAt.toISOString(),
  };
}

function check(input: Partial<SourceInput>) {
  if (input.defaultTimeZone !== undefined && !isTimeZone(input.defaultTimeZone)) throw invalid('body.defaultTimeZone', 'must be an IANA time zone, e.g. America/New_York');
}

async function countsOf(tx: Tx, programId: string) {
  const rows = await tx
    .select({ sourceId: meetings.sourceId, active: sql<number>`count(*) filter (where ${meetings.active})::int`, inactive: sql<number>`count(*) filter (where not ${meetings.active})::int` })
    .from(meetings)
    .where(and(eq(meetings.programId, programId), sql`${meetings.sourceId} is not null`))
    .groupBy(meetings.sourceId);
  return new Map(rows.map((r) => [r.sourceId!, { active: Number(r.active), inactive: Number(r.inactive) }]));
}

export async function listSources(deps: Deps) {
  const programId = programOf(deps.ctx);
  const rows = await deps.tx.select().from(meetingSources).where(eq(meetingSources.programId, programId)).orderBy(asc(meetingSources.name));
  const counts = await countsOf(deps.tx, programId);
  return { sources: rows.map((s) => sourceView(s, counts.get(s.id))) };
}

export async function getSource(deps: Deps, id: string) {
  const programId = programOf(deps.ctx);
  const s = await sourceById(deps.tx, programId, id);
  return sourceView(s, (await countsOf(deps.tx, programId)).get(id));
}

const nameTaken = (err: unknown) => pgErrorOf(err)?.code === '23505';

export async function createSource(deps: Deps, input: SourceInput) {
  const { tx, ctx } = deps;
  check(input);
  const programId = programOf(ctx);
  const id = randomUUID();
  try {
    await tx.insert(meetingSources).values({
      programId,
      id,
      name: input.name.trim(),
      format: input.format,
      url: input.url ?? null,
      defaultTimeZone: input.defaultTimeZone,
      refreshHours: input.refreshHours ?? 24,
      defaultFellowship: input.defaultFellowship ?? null,
      active: input.active ?? true,
      createdBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
    });
  } catch (err) {
    if (nameTaken(err)) throw conflict('name_taken', 'A source with this name already exists.', 'body.name');
    throw err;
  }
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'meeting-source', entityId: id, detail: { format: input.format, url: input.url ? true : false } });
  return getSource(deps, id);
}

export async function updateSource(deps: Deps, id: string, input: Partial<SourceInput>) {
  const { tx, ctx } = deps;
  check(input);
  const programId = programOf(ctx);
  await sourceById(tx, programId, id);
  const set: Partial<typeof meetingSources.$inferInsert> = {};
  if (input.name !== undefined) set.name = input.name.trim();
  if (input.format !== undefined) set.format = input.format;
  if (input.url !== undefined) Object.assign(set, { url: input.url, etag: null, lastModified: null });
  if (input.defaultTimeZone !== undefined) set.defaultTimeZone = input.defaultTimeZone;
  if (input.refreshHours !== undefined) set.refreshHours = input.refreshHours;
  if (input.defaultFellowship !== undefined) set.defaultFellowship = input.defaultFellowship;
  if (input.active !== undefined) set.active = input.active;
  if (Object.keys(set).length > 0)
    try {
      await tx
        .update(meetingSources)
        .set(set)
        .where(and(eq(meetingSources.programId, programId), eq(meetingSources.id, id)));
    } catch (err) {
      if (nameTaken(err)) throw conflict('name_taken', 'A source with this name already exists.', 'body.name');
      throw err;
    }
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'meeting-source', entityId: id, detail: { fields: Object.keys(set) } });
  return getSource(deps, id);
}

export async function sourceByName(tx: Tx, programId: string, name: string): Promise<SourceRow | null> {
  const [s] = await tx
    .select()
    .from(meetingSources)
    .where(and(eq(meetingSources.programId, programId), eq(meetingSources.name, name)));
  return s ?? null;
}

/** A source's active meetings as Meeting Guide records (null source: every active meeting of the programme). */
export async function exportMeetings(deps: Deps, sourceId: string | null): Promise<MeetingGuideRecord[]> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (sourceId !== null) await sourceById(tx, programId, sourceId);
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.active, true), ...(sourceId === null ? [] : [eq(meetings.sourceId, sourceId)])))
    .orderBy(asc(meetings.weekday), asc(meetings.startTime), asc(meetings.sourceKey));
  const list: Meeting[] = rows.map(meetingOfRow);
  await writeAudit(tx, auditContext(ctx), { action: 'export', entity: 'meeting-source', entityId: sourceId, detail: { meetings: list.length } });
  return toMeetingGuide(list);
}
