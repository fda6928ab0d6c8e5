// A patient's check-ins over the last N programme days, oldest first (the patient page's
// chart and table). Reading them writes an audit row in the same transaction.
import { and, asc, eq, gte } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { CheckInAnswers, CheckInSource, MedicationAnswer } from '../../../core/checkins/answers.ts';
import type { RuleCode } from '../../../core/checkins/rules.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../identity/identity.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { checkIns } from './checkins.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = { c: typeof checkIns.$inferSelect; recordedByName: string | null };

const selection = { c: checkIns, recordedByName: users.displayName };

export function selectCheckIn(tx: Tx, programId: string, id: string) {
  return tx
    .select(selection)
    .from(checkIns)
    .leftJoin(users, eq(users.id, checkIns.recordedBy))
    .where(and(eq(checkIns.programId, programId), eq(checkIns.id, id)));
}

export const checkInDto = (r: Row) => ({
  id: r.c.id,
  patientId: r.c.patientId,
  day: r.c.day,
  madeAt: r.c.madeAt.toISOString(),
  recordedAt: r.c.recordedAt.toISOString(),
  source: r.c.source as CheckInSource,
  answers: r.c.answers as CheckInAnswers,
  recordedBy: r.c.recordedBy,
  recordedByName: r.recordedByName,
  fired: ((r.c.outcome as { fired?: Array<{ code: RuleCode }> }).fired ?? []).map((f) => f.code),
});

export async function listCheckIns(deps: Deps, patientId: string, input: { days: number }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const [p] = await tx
    .select({ timeZone: programs.timeZone })
    .from(patients)
    .innerJoin(programs, eq(programs.id, patients.programId))
    .where(and(eq(patients.programId, programId), eq(patients.id, patientId)));
  if (!p) throw notFound('Patient');
  const to = localDate(ctx.now, p.timeZone);
  const from = addDays(to, -(input.days - 1));
  const rows = await tx
    .select(selection)
    .from(checkIns)
    .leftJoin(users, eq(users.id, checkIns.recordedBy))
    .where(and(eq(checkIns.programId, programId), eq(checkIns.patientId, patientId), gte(checkIns.day, from)))
    .orderBy(asc(checkIns.day), asc(checkIns.madeAt), asc(checkIns.id));
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'check-in', patientId, detail: { count: rows.length, days: input.days } });
  return { items: rows.map(checkInDto), from, to };
}

/**
 * The patient's own trends (the app): one line per day with a check-in, the day's last
 * answer to each question (a later check-in the same day adds to or updates the earlier).
 */
export async function patientTrends(deps: Deps, patientId: string, input: { days: number }) {
  const { items, from, to } = await listCheckIns(deps, patientId, input);
  const byDay = new Map<string, { day: string; mood: number | null; craving: number | null; sleep: number | null; stress: number | null; medication: MedicationAnswer | null; used: boolean | null }>();
  for (const c of items) {
    const d = byDay.get(c.day) ?? { day: c.day, mood: null, craving: null, sleep: null, stress: null, medication: null, used: null };
    const a = c.answers;
    byDay.set(c.day, {
      day: c.day,
      mood: a.mood ?? d.mood,
      craving: a.craving ?? d.craving,
      sleep: a.sleep ?? d.sleep,
      stress: a.stress ?? d.stress,
      medication: a.medication ?? d.medication,
      used: a.use ? a.use.any || (d.used ?? false) : d.used,
    });
  }
  return { from, to, days: [...byDay.values()] };
}
