// Residential and therapeutic-community stays (ADR 044). A stay is the living part of an
// open episode of care whose level is residential or therapeutic-community: it records the
// ASAM level and the phase the person is at, from the programme's template (copied onto the
// stay when it starts). Advancing or reducing a phase names the phase the console showed
// (moved since → 409 stale_phase) and a reason; every start, move and end is a row in the
// append-only history. Audited in the same transaction.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { RESIDENTIAL_LEVELS, STAY_EPISODE_LEVELS, type AsamLevel } from '../../../core/levels-of-care/asam.ts';
import { nextPhaseIndex, type PhaseDirection, type PhaseTemplate } from '../../../core/levels-of-care/phases.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { assertPatient } from '../patients/patients.ts';
import { episodes } from '../patients/patients.tables.ts';
import { readSettings } from './settings.ts';
import { stayPhaseChanges, stays } from './levels-of-care.tables.ts';
import { staysOf } from './view.ts';

type Deps = { tx: Tx; ctx: Ctx };

async function oneStay(deps: Deps, patientId: string, stayId: string) {
  const out = (await staysOf(deps.tx, programOf(deps.ctx), patientId)).find((s) => s.id === stayId);
  if (!out) throw notFound('Stay');
  return out;
}

export async function startStay(deps: Deps, patientId: string, input: { episodeId: string; asamLevel: AsamLevel; startedOn: string; reason?: string | undefined }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await assertPatient(tx, ctx, patientId);
  if (!RESIDENTIAL_LEVELS.includes(input.asamLevel)) throw invalid('body.asamLevel', `A stay is at a residential level (${RESIDENTIAL_LEVELS.join(', ')}).`);
  const [episode] = await tx
    .select()
    .from(episodes)
    .where(and(eq(episodes.programId, programId), eq(episodes.patientId, patientId), eq(episodes.id, input.episodeId)));
  if (!episode) throw invalid('body.episodeId', 'No such episode of care for this patient.');
  if (episode.dischargedOn) throw invalid('body.episodeId', 'This episode of care is closed.');
  if (!(STAY_EPISODE_LEVELS as readonly string[]).includes(episode.levelOfCare)) throw invalid('body.episodeId', 'A stay belongs to a residential or therapeutic-community episode of care.');
  if (input.startedOn < episode.admittedOn) throw invalid('body.startedOn', 'The stay starts before the episode of care was admitted.');
  const { phaseTemplate } = await readSettings(tx, programId);
  const id = randomUUID();
  const made = await tx
    .insert(stays)
    .values({
      programId,
      id,
      patientId,
      episodeId: input.episodeId,
      asamLevel: input.asamLevel,
      template: phaseTemplate,
      phaseIndex: 0,
      startedOn: input.startedOn,
      createdBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: stays.id });
  if (made.length === 0) throw conflict('stay_open', 'This patient already has an open stay. End it first.', 'body.episodeId');
  await tx.insert(stayPhaseChanges).values({
    programId,
    id: randomUUID(),
    stayId: id,
    kind: 'started',
    fromIndex: null,
    toIndex: 0,
    reason: input.reason?.trim() || 'Admitted',
    changedBy: ctx.principal?.userId ?? null,
    changedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'stay', entityId: id, patientId, detail: { asamLevel: input.asamLevel } });
  return oneStay(deps, patientId, id);
}

/** The patient's stay (404 for another patient's, or another programme's). */
async function stayOf(deps: Deps, patientId: string, stayId: string) {
  const { tx, ctx } = deps;
  await assertPatient(tx, ctx, patientId);
  const [stay] = await tx
    .select()
    .from(stays)
    .where(and(eq(stays.programId, programOf(ctx)), eq(stays.patientId, patientId), eq(stays.id, stayId)));
  if (!stay) throw notFound('Stay');
  return stay;
}

const stalePhase = () => conflict('stale_phase', 'The stay’s phase was changed since it was shown. Reload it, then decide again.', 'body.fromPhase');

export async function changePhase(deps: Deps, patientId: string, stayId: string, input: { direction: PhaseDirection; fromPhase: string; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const stay = await stayOf(deps, patientId, stayId);
  if (stay.endedOn) throw conflict('stay_ended', 'This stay has ended.', 'body.direction');
  const phases = (stay.template as PhaseTemplate).phases;
  const from = stay.phaseIndex;
  if (phases[from]?.code !== input.fromPhase) throw stalePhase();
  const to = nextPhaseIndex(phases.length, from, input.direction);
  if (to === null) throw conflict('no_such_phase', input.direction === 'advance' ? 'The stay is at its last phase.' : 'The stay is at its first phase.', 'body.direction');
  // the check again in the write itself: a concurrent change moved the phase first → refused
  const moved = await tx
    .update(stays)
    .set({ phaseIndex: to, updatedAt: ctx.now })
    .where(and(eq(stays.programId, programId), eq(stays.id, stayId), eq(stays.phaseIndex, from), isNull(stays.endedOn)))
    .returning({ id: stays.id });
  if (moved.length === 0) throw stalePhase();
  await tx.insert(stayPhaseChanges).values({
    programId,
    id: randomUUID(),
    stayId,
    kind: input.direction === 'advance' ? 'advanced' : 'reduced',
    fromIndex: from,
    toIndex: to,
    reason: input.reason.trim(),
    changedBy: ctx.principal?.userId ?? null,
    changedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'stay', entityId: stayId, patientId, detail: { direction: input.direction, from: phases[from]!.code, to: phases[to]!.code } });
  return oneStay(deps, patientId, stayId);
}

export async function endStay(deps: Deps, patientId: string, stayId: string, input: { endedOn: string; reason: string }) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const stay = await stayOf(deps, patientId, stayId);
  if (stay.endedOn) throw conflict('stay_ended', 'This stay has already ended.', 'body.endedOn');
  if (input.endedOn < stay.startedOn) throw invalid('body.endedOn', 'The end date is before the stay started.');
  const ended = await tx
    .update(stays)
    .set({ endedOn: input.endedOn, updatedAt: ctx.now })
    .where(and(eq(stays.programId, programId), eq(stays.id, stayId), isNull(stays.endedOn)))
    .returning({ id: stays.id });
  if (ended.length === 0) throw conflict('stay_ended', 'This stay has already ended.', 'body.endedOn');
  await tx.insert(stayPhaseChanges).values({
    programId,
    id: randomUUID(),
    stayId,
    kind: 'ended',
    fromIndex: stay.phaseIndex,
    toIndex: null,
    reason: input.reason.trim(),
    changedBy: ctx.principal?.userId ?? null,
    changedAt: ctx.now,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'stay', entityId: stayId, patientId, detail: { ended: true } });
  return oneStay(deps, patientId, stayId);
}
