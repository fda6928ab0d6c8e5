// MOUD-friendliness over time (issue 15, docs/meetings.md "MOUD-friendliness"): staff record a
// judgement with its evidence and expiry (history kept, core/meetings/friendliness.ts decides
// what is current), and patients answer "Did you feel welcome as someone on medication?" once
// per meeting (the latest answer wins). Answers are shown as counts only, from 3 patients.
import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Evidence, WelcomeAnswer } from '../../../core/meetings/friendliness.ts';
import type { Friendliness } from '../../../core/meetings/model.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { notFound } from '../../platform/errors.ts';
import { meetingDetail } from './directory.ts';
import { meetingFriendliness, meetingWelcomeReports, meetings } from './meetings.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

const YEAR_MS = 365 * 24 * 3600 * 1000;

async function mustExist(tx: Tx, programId: string, meetingId: string, activeOnly: boolean) {
  const [m] = await tx
    .select({ active: meetings.active })
    .from(meetings)
    .where(and(eq(meetings.programId, programId), eq(meetings.id, meetingId)));
  if (!m || (activeOnly && !m.active)) throw notFound('Meeting');
}

/** Records a judgement (default expiry: a year; null: none). Returns the meeting's detail. */
export async function recordFriendliness(
  deps: Deps,
  meetingId: string,
  input: { friendliness: Friendliness; evidence: Evidence; note?: string | null | undefined; expiresAt?: string | null | undefined },
) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await mustExist(tx, programId, meetingId, false);
  const id = randomUUID();
  const expiresAt = input.expiresAt === undefined ? new Date(ctx.now.getTime() + YEAR_MS) : input.expiresAt === null ? null : new Date(input.expiresAt);
  await tx.insert(meetingFriendliness).values({
    programId,
    id,
    meetingId,
    friendliness: input.friendliness,
    evidence: input.evidence,
    note: input.note ?? null,
    recordedBy: ctx.principal?.userId ?? null,
    recordedAt: ctx.now,
    expiresAt,
  });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'meeting-friendliness', entityId: meetingId, detail: { friendliness: input.friendliness, evidence: input.evidence } });
  return meetingDetail(deps, meetingId);
}

/**
 * A patient's welcome answer for a meeting (M3's app screen calls this after the patient marks
 * a meeting attended; also POST /api/patient/meetings/:id/welcome). One per patient and
 * meeting: a later answer replaces the earlier one.
 */
export async function reportWelcome(deps: Deps, patientId: string, meetingId: string, answer: WelcomeAnswer) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  await mustExist(tx, programId, meetingId, false);
  await tx
    .insert(meetingWelcomeReports)
    .values({ programId, meetingId, patientId, answer, at: ctx.now })
    .onConflictDoUpdate({ target: [meetingWelcomeReports.programId, meetingWelcomeReports.meetingId, meetingWelcomeReports.patientId], set: { answer, at: ctx.now } });
  await writeAudit(tx, auditContext(ctx, { programId }), { action: 'create', entity: 'meeting-report', entityId: meetingId, patientId });
  return { meetingId, answer };
}
