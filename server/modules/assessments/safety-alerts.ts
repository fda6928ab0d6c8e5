// Safety alerts for the care team (e.g. PHQ-9 item 9 > 0): listed for the staff member
// (by default the patients on whose care team they are, and patients who have no care
// team yet, so no alert is seen by no one), and acknowledged once with an optional note.
import { and, desc, eq, exists, isNotNull, isNull, lt, notExists, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { careTeam, patients } from '../patients/patients.tables.ts';
import { assessments, safetyAlerts } from './assessments.tables.ts';
import { decodeCursor, encodeCursor } from './assessments.ts';

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
type Sel = { a: typeof safetyAlerts.$inferSelect; instrument: string; given: string; family: string; preferred: string | null; mrn: string; ackName: string | null };
const dto = (r: Sel) => ({
  id: r.a.id,
  patientId: r.a.patientId,
  patientName: `${r.preferred ?? r.given} ${r.family}`,
  mrn: r.mrn,
  assessmentId: r.a.assessmentId,
  instrument: r.instrument,
  code: r.a.code,
  severity: r.a.severity,
  text: r.a.text,
  raisedAt: r.a.raisedAt.toISOString(),
  acknowledgedAt: r.a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: r.a.acknowledgedBy,
  acknowledgedByName: r.ackName,
  acknowledgementNote: r.a.acknowledgementNote,
});

function base(tx: Tx) {
  return tx
    .select(selection)
    .from(safetyAlerts)
    .innerJoin(patients, and(eq(patients.programId, safetyAlerts.programId), eq(patients.id, safetyAlerts.patientId)))
    .innerJoin(assessments, and(eq(assessments.programId, safetyAlerts.programId), eq(assessments.id, safetyAlerts.assessmentId)))
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
  const after = decodeCursor(input.cursor, 'query.cursor');
  if (after) conds.push(or(lt(safetyAlerts.raisedAt, new Date(after.at)), and(eq(safetyAlerts.raisedAt, new Date(after.at)), lt(safetyAlerts.id, after.id)))!);
  const rows = await base(tx)
    .where(and(...conds))
    .orderBy(desc(safetyAlerts.raisedAt), desc(safetyAlerts.id))
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
  return { items: page.map(dto), nextCursor: more && last ? encodeCursor({ at: last.a.raisedAt.toISOString(), id: last.a.id }) : null };
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
