// Alerts for the care team, from assessments (e.g. PHQ-9 item 9 > 0) and from check-in
// risk rules (ADR 034): one list, urgent first then newest, for the staff member (by
// default the patients on whose care team they are, and patients who have no care team
// yet, so no alert is seen by no one), and acknowledged once with an optional note.
import { and, asc, desc, eq, exists, gt, isNotNull, isNull, lt, notExists, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { SEVERITIES, severityRank, type Severity } from '../../../core/checkins/rules.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { careTeam, patients } from '../patients/patients.tables.ts';
import { assessments, safetyAlerts } from './assessments.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

const ackUser = alias(users, 'ack_user');
const selection = {
  a: safetyAlerts,
  instrument: assessments.instrument,
  given: patients.legalGivenName,
  family: patients.legalFamilyName,
  preferred: patients.preferredName,
  mrn: patients.mrn,
  ackName: ackUser.displayName,
};
type Sel = { a: typeof safetyAlerts.$inferSelect; instrument: string | null; given: string; family: string; preferred: string | null; mrn: string; ackName: string | null };
const dto = (r: Sel) => ({
  id: r.a.id,
  patientId: r.a.patientId,
  patientName: `${r.preferred ?? r.given} ${r.family}`,
  mrn: r.mrn,
  source: r.a.source as 'assessment' | 'check-in',
  assessmentId: r.a.assessmentId,
  instrument: r.instrument,
  checkInId: r.a.checkInId,
  code: r.a.code,
  severity: r.a.severity as 'urgent' | 'warning' | 'info',
  text: r.a.text,
  textEs: r.a.textEs,
  raisedAt: r.a.raisedAt.toISOString(),
  acknowledgedAt: r.a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: r.a.acknowledgedBy,
  acknowledgedByName: r.ackName,
  acknowledgementNote: r.a.acknowledgementNote,
});

/** Urgent first: core's severity order, as SQL for the list's ORDER BY. */
const rank = sql<number>`(case ${safetyAlerts.severity} ${sql.raw(SEVERITIES.map((s, i) => `when '${s}' then ${i}`).join(' '))} end)`;
const rankOf = (severity: string) => severityRank(severity as Severity);

/** The list's cursor: [rank, raisedAt, id] of the last row, base64url JSON. */
const encodeCursor = (r: number, at: string, id: string) => Buffer.from(JSON.stringify([r, at, id])).toString('base64url');
function decodeCursor(c: string | undefined): { rank: number; at: string; id: string } | null {
  if (!c) return null;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      typeof v[0] === 'number' &&
      Number.isInteger(v[0]) &&
      v[0] >= 0 &&
      v[0] < SEVERITIES.length &&
      typeof v[1] === 'string' &&
      !Number.isNaN(Date.parse(v[1])) &&
      typeof v[2] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[2])
    ) {
      return { rank: v[0] as number, at: v[1], id: v[2] };
    }
  } catch {
    /* fall through */
  }
  throw invalid('query.cursor', 'is not valid');
}

function base(tx: Tx) {
  return tx
    .select(selection)
    .from(safetyAlerts)
    .innerJoin(patients, and(eq(patients.programId, safetyAlerts.programId), eq(patients.id, safetyAlerts.patientId)))
    .leftJoin(assessments, and(eq(assessments.programId, safetyAlerts.programId), eq(assessments.id, safetyAlerts.assessmentId)))
    .leftJoin(ackUser, eq(ackUser.id, safetyAlerts.acknowledgedBy));
}

export async function listSafetyAlerts(
  deps: Deps,
  input: { limit: number; cursor?: string | undefined; status: 'open' | 'acknowledged' | 'all'; scope: 'care-team' | 'all'; patientId?: string | undefined },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const me = ctx.principal!.userId;
  const conds: SQL[] = [eq(safetyAlerts.programId, programId)];
  if (input.status === 'open') conds.push(isNull(safetyAlerts.acknowledgedAt));
  if (input.status === 'acknowledged') conds.push(isNotNull(safetyAlerts.acknowledgedAt));
  if (input.patientId) conds.push(eq(safetyAlerts.patientId, input.patientId));
  if (input.scope === 'care-team') {
    const team = (extra?: SQL) =>
      tx
        .select({ one: careTeam.userId })
        .from(careTeam)
        .where(and(eq(careTeam.programId, safetyAlerts.programId), eq(careTeam.patientId, safetyAlerts.patientId), extra));
    conds.push(or(exists(team(eq(careTeam.userId, me))), notExists(team()))!);
  }
  const after = decodeCursor(input.cursor);
  if (after) {
    const at = new Date(after.at);
    conds.push(or(gt(rank, after.rank), and(eq(rank, after.rank), or(lt(safetyAlerts.raisedAt, at), and(eq(safetyAlerts.raisedAt, at), lt(safetyAlerts.id, after.id)))))!);
  }
  const rows = await base(tx)
    .where(and(...conds))
    .orderBy(asc(rank), desc(safetyAlerts.raisedAt), desc(safetyAlerts.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  await writeAudit(tx, auditContext(ctx), {
    action: 'search',
    entity: 'safety-alert',
    ...(input.patientId ? { patientId: input.patientId } : {}),
    detail: { count: page.length, status: input.status, scope: input.scope },
  });
  return { items: page.map(dto), nextCursor: more && last ? encodeCursor(rankOf(last.a.severity), last.a.raisedAt.toISOString(), last.a.id) : null };
}

export async function acknowledgeSafetyAlert(deps: Deps, id: string, input: { note?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [row] = await tx
    .select({ id: safetyAlerts.id, patientId: safetyAlerts.patientId, acknowledgedAt: safetyAlerts.acknowledgedAt })
    .from(safetyAlerts)
    .where(and(eq(safetyAlerts.programId, programId), eq(safetyAlerts.id, id)));
  if (!row) throw notFound('Safety alert');
  const updated = await tx
    .update(safetyAlerts)
    .set({ acknowledgedAt: ctx.now, acknowledgedBy: ctx.principal!.userId, acknowledgementNote: input.note ?? null })
    .where(and(eq(safetyAlerts.programId, programId), eq(safetyAlerts.id, id), isNull(safetyAlerts.acknowledgedAt)))
    .returning({ id: safetyAlerts.id });
  if (updated.length === 0) throw conflict('already_acknowledged', 'Someone has already acknowledged this alert.');
  await writeAudit(tx, auditContext(ctx), { action: 'acknowledge', entity: 'safety-alert', entityId: id, patientId: row.patientId });
  const [out] = await base(tx).where(and(eq(safetyAlerts.programId, programId), eq(safetyAlerts.id, id)));
  return dto(out!);
}
