// The audit browser for auditors and administrators: filter a programme's events, and
// export them as CSV. Looking at the audit trail is itself audited.
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { auditEntitiesIn, type AuditEntityGroup } from '../../../core/audit/entities.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { auditEvents, auditSeals } from './audit.tables.ts';

export type AuditFilter = {
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
  patientId?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  group?: AuditEntityGroup | undefined;
  outcome?: string | undefined;
};

function conditions(ctx: Ctx, f: AuditFilter): SQL[] {
  const c: SQL[] = [eq(auditEvents.programId, programOf(ctx))];
  if (f.from) c.push(gte(auditEvents.at, `${f.from}T00:00:00Z`));
  if (f.to) c.push(lt(auditEvents.at, sql`(${f.to}::date + 1)::timestamptz`));
  if (f.actorId) c.push(eq(auditEvents.actorId, f.actorId));
  if (f.patientId) c.push(eq(auditEvents.patientId, f.patientId));
  if (f.action) c.push(eq(auditEvents.action, f.action));
  if (f.entity) c.push(eq(auditEvents.entity, f.entity));
  if (f.group) c.push(inArray(auditEvents.entity, auditEntitiesIn(f.group)));
  if (f.outcome) c.push(eq(auditEvents.outcome, f.outcome));
  return c;
}

const columns = {
  id: auditEvents.id,
  at: auditEvents.at,
  actorId: auditEvents.actorId,
  actorName: users.displayName,
  actorRole: auditEvents.actorRole,
  action: auditEvents.action,
  entity: auditEvents.entity,
  entityId: auditEvents.entityId,
  patientId: auditEvents.patientId,
  outcome: auditEvents.outcome,
  purpose: auditEvents.purpose,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  requestId: auditEvents.requestId,
  detail: auditEvents.detail,
  sealed: sql<boolean>`(${auditSeals.eventId} is not null)`,
};

export async function browseAudit(deps: { tx: Tx; ctx: Ctx }, input: AuditFilter & { limit: number; cursor?: string | undefined }) {
  const { tx, ctx } = deps;
  if (input.from && input.to && input.to < input.from) throw invalid('query.to', 'The end date is before the start date.');
  const c = conditions(ctx, input);
  if (input.cursor) {
    if (!/^\d{1,18}$/.test(input.cursor)) throw invalid('query.cursor', 'The page cursor is not valid.');
    c.push(lt(auditEvents.id, Number(input.cursor)));
  }
  const rows = await tx
    .select(columns)
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .leftJoin(auditSeals, eq(auditSeals.eventId, auditEvents.id))
    .where(and(...c))
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const items = (more ? rows.slice(0, input.limit) : rows).map((r) => ({
    ...r,
    at: new Date(r.at).toISOString(),
    detail: (r.detail as Record<string, unknown> | null) ?? null,
    sealed: !!r.sealed,
  }));
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'audit', detail: { count: items.length } });
  return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
}

const CSV_COLUMNS = ['id', 'at', 'actorId', 'actorName', 'actorRole', 'action', 'entity', 'entityId', 'patientId', 'outcome', 'purpose', 'ip', 'userAgent', 'requestId', 'detail', 'sealed'] as const;
export const AUDIT_EXPORT_LIMIT = 100_000;

export async function exportAuditCsv(deps: { tx: Tx; ctx: Ctx }, input: AuditFilter): Promise<string> {
  const { tx, ctx } = deps;
  const rows = await tx
    .select(columns)
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .leftJoin(auditSeals, eq(auditSeals.eventId, auditEvents.id))
    .where(and(...conditions(ctx, input)))
    .orderBy(auditEvents.id)
    .limit(AUDIT_EXPORT_LIMIT);
  await writeAudit(tx, auditContext(ctx), { action: 'export', entity: 'audit', detail: { count: rows.length, ...input } });
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const rec: Record<string, unknown> = { ...r, at: new Date(r.at).toISOString(), detail: r.detail ? JSON.stringify(r.detail) : null, sealed: !!r.sealed };
    lines.push(CSV_COLUMNS.map((k) => csvCell(rec[k])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
