// A patient's levels of care on one page (ADR 044): stays with their phase, privileges and
// history; episodes a stay could start in; housing from the active CM enrolment's housing
// privilege track (read-only: the CM engine decides it); the take-home schedule in force with
// what the tiers allow today; naltrexone injections with when the next is due. One read,
// audited in the same transaction. Nothing here reads counselling: medication is never
// contingent on it.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { localDate } from '../../../core/cm/calendar.ts';
import type { Protocol } from '../../../core/cm/protocol.ts';
import type { AsamLevel } from '../../../core/levels-of-care/asam.ts';
import { isHousingTrack } from '../../../core/levels-of-care/housing.ts';
import { injectionDue } from '../../../core/levels-of-care/injections.ts';
import type { PhaseTemplate } from '../../../core/levels-of-care/phases.ts';
import { dayOfTreatment, maxTakeHomeDoses } from '../../../core/levels-of-care/take-homes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { cmEnrolments, cmEvents, cmPrivilegeDecisions, cmPrivilegeRecommendations, cmProtocols } from '../cm/cm.tables.ts';
import { users } from '../identity/identity.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { episodes } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { readSettings } from './settings.ts';
import { naltrexoneInjections, stayPhaseChanges, stays, takeHomeSchedules } from './levels-of-care.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function namesOf(tx: Tx, ids: Array<string | null>): Promise<Record<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => x !== null))];
  if (list.length === 0) return {};
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

export async function programToday(tx: Tx, ctx: Ctx): Promise<string> {
  const [p] = await tx
    .select({ tz: programs.timeZone })
    .from(programs)
    .where(eq(programs.id, programOf(ctx)));
  return localDate(ctx.now, p?.tz ?? 'UTC');
}

/** A patient's stays, newest first, each with its phases and history. */
export async function staysOf(tx: Tx, programId: string, patientId: string) {
  const rows = await tx
    .select()
    .from(stays)
    .where(and(eq(stays.programId, programId), eq(stays.patientId, patientId)))
    .orderBy(desc(stays.startedOn), desc(stays.createdAt));
  if (rows.length === 0) return [];
  const changes = await tx
    .select()
    .from(stayPhaseChanges)
    .where(
      and(
        eq(stayPhaseChanges.programId, programId),
        inArray(
          stayPhaseChanges.stayId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(stayPhaseChanges.changedAt));
  const names = await namesOf(
    tx,
    changes.map((c) => c.changedBy),
  );
  return rows.map((s) => {
    const phases = (s.template as PhaseTemplate).phases;
    const code = (i: number | null) => (i === null ? null : (phases[i]?.code ?? null));
    return {
      id: s.id,
      episodeId: s.episodeId,
      asamLevel: s.asamLevel as AsamLevel,
      startedOn: s.startedOn,
      endedOn: s.endedOn,
      phaseIndex: s.phaseIndex,
      phase: phases[s.phaseIndex]!,
      phases,
      history: changes
        .filter((c) => c.stayId === s.id)
        .map((c) => ({
          kind: c.kind as 'started' | 'advanced' | 'reduced' | 'ended',
          from: code(c.fromIndex),
          to: code(c.toIndex),
          reason: c.reason,
          changedBy: c.changedBy ? (names[c.changedBy] ?? null) : null,
          changedAt: c.changedAt.toISOString(),
        })),
    };
  });
}

/** Housing from the active CM enrolment's housing privilege tracks: the latest recommendation and its decision. */
async function housingOf(tx: Tx, programId: string, patientId: string) {
  const [enr] = await tx
    .select({ id: cmEnrolments.id, document: cmProtocols.document })
    .from(cmEnrolments)
    .innerJoin(cmProtocols, and(eq(cmProtocols.programId, cmEnrolments.programId), eq(cmProtocols.id, cmEnrolments.protocolId)))
    .where(and(eq(cmEnrolments.programId, programId), eq(cmEnrolments.patientId, patientId), eq(cmEnrolments.status, 'active')));
  if (!enr) return [];
  const tracks = ((enr.document as Protocol).tracks ?? []).filter((t) => isHousingTrack(t));
  const out = [];
  for (const t of tracks) {
    const [rec] = await tx
      .select({ level: cmPrivilegeRecommendations.level, createdAt: cmPrivilegeRecommendations.createdAt, decision: cmPrivilegeDecisions.decision })
      .from(cmPrivilegeRecommendations)
      // the latest by the event it came from (when the screen was, then the enrolment's event order), not by when it was written
      .innerJoin(cmEvents, and(eq(cmEvents.programId, cmPrivilegeRecommendations.programId), eq(cmEvents.id, cmPrivilegeRecommendations.eventId)))
      .leftJoin(cmPrivilegeDecisions, and(eq(cmPrivilegeDecisions.programId, cmPrivilegeRecommendations.programId), eq(cmPrivilegeDecisions.recommendationId, cmPrivilegeRecommendations.id)))
      .where(and(eq(cmPrivilegeRecommendations.programId, programId), eq(cmPrivilegeRecommendations.enrolmentId, enr.id), eq(cmPrivilegeRecommendations.track, t.id)))
      .orderBy(desc(cmEvents.at), desc(cmEvents.position))
      .limit(1);
    out.push({
      track: t.id,
      trackName: t.name ?? null,
      level: rec?.level ?? null,
      decision: (rec?.decision as 'approved' | 'declined' | null | undefined) ?? null,
      recommendedAt: rec?.createdAt.toISOString() ?? null,
    });
  }
  return out;
}

export type ScheduleRow = typeof takeHomeSchedules.$inferSelect;
export const scheduleDto = (r: ScheduleRow, names: Record<string, string>) => ({
  id: r.id,
  medication: r.medication as 'methadone' | 'buprenorphine',
  dose: r.dose,
  treatmentStartedOn: r.treatmentStartedOn,
  effectiveOn: r.effectiveOn,
  takeHomeDoses: r.takeHomeDoses,
  clinicDays: r.clinicDays,
  note: r.note,
  prescriber: names[r.prescriberId] ?? null,
  recordedAt: r.recordedAt.toISOString(),
});
export type InjectionRow = typeof naltrexoneInjections.$inferSelect;
export const injectionDto = (r: InjectionRow, names: Record<string, string>) => ({
  id: r.id,
  kind: r.kind as 'given' | 'stopped',
  givenOn: r.givenOn,
  doseMg: r.doseMg,
  site: r.site,
  encounterId: r.encounterId,
  note: r.note,
  recordedBy: names[r.recordedBy] ?? null,
  recordedAt: r.recordedAt.toISOString(),
});

/** The next injection: from the latest record when it is an injection (a stop means none is due). */
export function nextInjection(items: InjectionRow[], today: string) {
  const latest = items[0];
  return latest && latest.kind === 'given' ? injectionDue(latest.givenOn, today) : null;
}

export async function patientLevelsOfCare(deps: Deps, patientId: string) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const today = await programToday(tx, ctx);
  const stayList = await staysOf(tx, programId, patientId);
  const open = await tx
    .select({ id: episodes.id, levelOfCare: episodes.levelOfCare, admittedOn: episodes.admittedOn })
    .from(episodes)
    .where(and(eq(episodes.programId, programId), eq(episodes.patientId, patientId), isNull(episodes.dischargedOn), inArray(episodes.levelOfCare, ['residential', 'therapeutic-community'])));
  const schedules = await tx
    .select()
    .from(takeHomeSchedules)
    .where(and(eq(takeHomeSchedules.programId, programId), eq(takeHomeSchedules.patientId, patientId)))
    .orderBy(desc(takeHomeSchedules.effectiveOn), desc(takeHomeSchedules.recordedAt));
  const injections = await tx
    .select()
    .from(naltrexoneInjections)
    .where(and(eq(naltrexoneInjections.programId, programId), eq(naltrexoneInjections.patientId, patientId)))
    .orderBy(desc(naltrexoneInjections.givenOn), desc(naltrexoneInjections.recordedAt));
  const names = await namesOf(tx, [...schedules.map((s) => s.prescriberId), ...injections.map((i) => i.recordedBy)]);
  const current = schedules.find((s) => s.effectiveOn <= today) ?? null;
  const { takeHomeTiers } = await readSettings(tx, programId);
  const day = current ? dayOfTreatment(current.treatmentStartedOn, today) : null;
  const housing = await housingOf(tx, programId, patientId);
  await writeAudit(tx, auditContext(ctx), {
    action: 'read',
    entity: 'level-of-care',
    patientId,
    detail: { stays: stayList.length, schedules: schedules.length, injections: injections.length, housing: housing.length },
  });
  return {
    patientId,
    today,
    stays: stayList,
    openEpisodes: open.filter((e) => !stayList.some((s) => s.episodeId === e.id)),
    housing,
    takeHomes: {
      current: current ? scheduleDto(current, names) : null,
      dayOfTreatment: day,
      maxTakeHomeDoses: day === null ? null : maxTakeHomeDoses(takeHomeTiers, day),
      history: schedules.map((s) => scheduleDto(s, names)),
    },
    injections: { items: injections.map((i) => injectionDto(i, names)), next: nextInjection(injections, today) },
  };
}
