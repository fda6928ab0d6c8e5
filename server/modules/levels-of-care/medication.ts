// Medication visits (ADR 044): take-home schedules as the prescriber records them, checked
// against the programme's take-home tiers (default 42 CFR 8.12(i)), and extended-release
// naltrexone injections, with the work list of those due soon, due or overdue (core rule,
// in the programme's time zone). Both records are append-only: a change is a new schedule,
// a course ends with a 'stopped' record. Nothing here reads counselling: medication is never
// made contingent on it.
import { pageOfList, type Page } from '../cm/page.ts';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { onWorkList } from '../../../core/levels-of-care/injections.ts';
import { dayOfTreatment, maxTakeHomeDoses } from '../../../core/levels-of-care/take-homes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { encounterParticipants } from '../encounters/encounters.tables.ts';
import { assertPatient } from '../patients/patients.ts';
import { patients } from '../patients/patients.tables.ts';
import { readSettings } from './settings.ts';
import { naltrexoneInjections, takeHomeSchedules } from './levels-of-care.tables.ts';
import { injectionDto, namesOf, nextInjection, programToday, scheduleDto } from './view.ts';

type Deps = { tx: Tx; ctx: Ctx };

export type ScheduleInput = {
  medication: 'methadone' | 'buprenorphine';
  dose: string;
  treatmentStartedOn: string;
  effectiveOn: string;
  takeHomeDoses: number;
  clinicDays: number[];
  note?: string | null | undefined;
};

export async function recordTakeHomeSchedule(deps: Deps, patientId: string, input: ScheduleInput) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  if (input.effectiveOn < input.treatmentStartedOn) throw invalid('body.effectiveOn', 'The schedule starts before treatment started.');
  const { takeHomeTiers } = await readSettings(tx, programId);
  const day = dayOfTreatment(input.treatmentStartedOn, input.effectiveOn);
  const max = maxTakeHomeDoses(takeHomeTiers, day);
  if (input.takeHomeDoses > max)
    throw new AppError({
      code: 'over_take_home_limit',
      status: 400,
      message: `On day ${day} of treatment the programme's take-home tiers allow at most ${max} take-home doses at once.`,
      problems: [{ field: 'body.takeHomeDoses', message: `is more than the ${max} allowed on day ${day} of treatment` }],
    });
  const clinicDays = [...new Set(input.clinicDays)].sort((a, b) => a - b);
  const [row] = await tx
    .insert(takeHomeSchedules)
    .values({
      programId,
      id: randomUUID(),
      patientId,
      medication: input.medication,
      dose: input.dose.trim(),
      treatmentStartedOn: input.treatmentStartedOn,
      effectiveOn: input.effectiveOn,
      takeHomeDoses: input.takeHomeDoses,
      clinicDays,
      note: input.note?.trim() || null,
      prescriberId: ctx.principal!.userId,
      recordedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'take-home-schedule', entityId: row!.id, patientId, detail: { takeHomeDoses: input.takeHomeDoses, day } });
  return scheduleDto(row!, await namesOf(tx, [row!.prescriberId]));
}

export type InjectionInput = {
  kind: 'given' | 'stopped';
  givenOn: string;
  doseMg?: number | undefined;
  site?: 'left-gluteal' | 'right-gluteal' | undefined;
  encounterId?: string | null | undefined;
  note?: string | null | undefined;
};

export async function recordInjection(deps: Deps, patientId: string, input: InjectionInput) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  const today = await programToday(tx, ctx);
  if (input.givenOn > today) throw invalid('body.givenOn', 'The date is in the future.');
  if (input.kind === 'given') {
    if (input.doseMg === undefined) throw invalid('body.doseMg', 'The dose is required for an injection.');
    if (input.site === undefined) throw invalid('body.site', 'The injection site is required.');
  }
  if (input.encounterId) {
    const [booked] = await tx
      .select({ id: encounterParticipants.encounterId })
      .from(encounterParticipants)
      .where(and(eq(encounterParticipants.programId, programId), eq(encounterParticipants.encounterId, input.encounterId), eq(encounterParticipants.patientId, patientId)));
    if (!booked) throw invalid('body.encounterId', 'This patient is not booked on that visit.');
  }
  const [row] = await tx
    .insert(naltrexoneInjections)
    .values({
      programId,
      id: randomUUID(),
      patientId,
      kind: input.kind,
      givenOn: input.givenOn,
      doseMg: input.kind === 'given' ? input.doseMg! : null,
      site: input.kind === 'given' ? input.site! : null,
      encounterId: input.encounterId ?? null,
      note: input.note?.trim() || null,
      recordedBy: ctx.principal!.userId,
      recordedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'naltrexone-injection', entityId: row!.id, patientId, detail: { kind: input.kind } });
  return injectionDto(row!, await namesOf(tx, [row!.recordedBy]));
}

/** The work list: everyone whose latest naltrexone record is an injection and whose next is due soon, due or overdue — most overdue first. */
export async function injectionsDue(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const today = await programToday(tx, ctx);
  const latest = await tx
    .selectDistinctOn([naltrexoneInjections.patientId])
    .from(naltrexoneInjections)
    .where(eq(naltrexoneInjections.programId, programId))
    .orderBy(asc(naltrexoneInjections.patientId), desc(naltrexoneInjections.givenOn), desc(naltrexoneInjections.recordedAt));
  const due = latest.flatMap((r) => {
    const next = nextInjection([r], today);
    return next && onWorkList(next.status) ? [{ patientId: r.patientId, lastGivenOn: r.givenOn, ...next }] : [];
  });
  const people =
    due.length === 0
      ? []
      : await tx
          .select({ id: patients.id, mrn: patients.mrn, given: patients.legalGivenName, family: patients.legalFamilyName, preferred: patients.preferredName })
          .from(patients)
          .where(
            and(
              eq(patients.programId, programId),
              inArray(
                patients.id,
                due.map((d) => d.patientId),
              ),
            ),
          );
  const byId = new Map(people.map((p) => [p.id, p]));
  const items = due
    .map((d) => {
      const p = byId.get(d.patientId)!;
      return { ...d, mrn: p.mrn, displayName: `${p.preferred ?? p.given} ${p.family}` };
    })
    .sort((a, b) => a.daysUntilDue - b.daysUntilDue || a.displayName.localeCompare(b.displayName));
  const shown = pageOfList(items, page, (x) => x.patientId);
  await writeAudit(tx, auditContext(ctx), { action: 'search', entity: 'naltrexone-injection', detail: { count: shown.items.length } });
  return { today, ...shown };
}
