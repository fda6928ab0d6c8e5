// Progress notes on a visit (issue 14, ADR 041): written from a template (core/notes), about
// one person booked on the visit (or a group's shared part), linked to goals of that
// person's current care plan. A draft is its author's to edit (optimistic version); signing
// locks it for good (the database refuses any change to a signed row), optionally naming a
// co-signer for staff under supervision; afterwards only addenda. Every read and write is
// audited in its transaction.
import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { mayAddAddendum, mayCosign, mayEdit, maySign, noteState, type NoteFacts } from '../../../core/notes/lifecycle.ts';
import { sectionProblems, templatesFor, tidySections, type Sections, type Template } from '../../../core/notes/templates.ts';
import { writeAudit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { carePlanGoals, carePlans } from '../planning/planning.tables.ts';
import { progressNoteAddenda, progressNoteCosignatures, progressNotes } from './notes.tables.ts';
import { decodeCursor, pageOf, type Page } from '../cm/page.ts';
import { assertBooked, assertNotCancelled, auditEach, encounterOf, holds, me, namesOf, person, refused, type Deps } from './shared.ts';

type NoteRow = typeof progressNotes.$inferSelect;

function sectionsInvalid(problems: Array<{ field: string; message: string }>) {
  return new AppError({
    code: 'invalid_input',
    status: 400,
    message: `The note is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
    problems: problems.map((p) => ({ field: `body.sections.${p.field}`, message: p.message })),
  });
}

/** The goals as linked: each must be a goal of the patient's current (draft or active) care plan. */
async function checkGoals(tx: Tx, ctx: Ctx, patientId: string | null, goalIds: string[]) {
  if (goalIds.length === 0) return;
  if (patientId === null) throw invalid('body.goalIds', 'a group’s shared part is not linked to one person’s goals');
  const found = await tx
    .select({ id: carePlanGoals.id })
    .from(carePlanGoals)
    .innerJoin(carePlans, and(eq(carePlans.programId, carePlanGoals.programId), eq(carePlans.id, carePlanGoals.planId)))
    .where(and(eq(carePlanGoals.programId, programOf(ctx)), eq(carePlanGoals.patientId, patientId), inArray(carePlanGoals.id, goalIds), notInArray(carePlans.status, ['completed', 'revoked'])));
  const ok = new Set(found.map((g) => g.id));
  const i = goalIds.findIndex((g) => !ok.has(g));
  if (i >= 0) throw invalid(`body.goalIds.${i}`, 'must be a goal of this person’s current care plan', 'unknown_goal');
}

const facts = (n: NoteRow, cosignedBy: string | null): NoteFacts => ({ status: n.status as 'draft' | 'signed', authorId: n.authorId, version: n.version, cosignerId: n.cosignerId, cosignedBy });

async function noteRow(tx: Tx, ctx: Ctx, id: string) {
  const [n] = await tx
    .select()
    .from(progressNotes)
    .where(and(eq(progressNotes.programId, programOf(ctx)), eq(progressNotes.id, id)));
  if (!n) throw notFound('Progress note');
  const [c] = await tx
    .select()
    .from(progressNoteCosignatures)
    .where(and(eq(progressNoteCosignatures.programId, n.programId), eq(progressNoteCosignatures.noteId, id)));
  return { n, cosig: c ?? null };
}

/** The notes as the API returns them, with goals, co-signature and addenda (no audit: callers write it). */
async function toDtos(tx: Tx, ctx: Ctx, rows: NoteRow[]) {
  if (rows.length === 0) return [];
  const programId = programOf(ctx);
  const ids = rows.map((r) => r.id);
  const cosigs = await tx
    .select()
    .from(progressNoteCosignatures)
    .where(and(eq(progressNoteCosignatures.programId, programId), inArray(progressNoteCosignatures.noteId, ids)));
  const addenda = await tx
    .select()
    .from(progressNoteAddenda)
    .where(and(eq(progressNoteAddenda.programId, programId), inArray(progressNoteAddenda.noteId, ids)))
    .orderBy(asc(progressNoteAddenda.createdAt), asc(progressNoteAddenda.id));
  const goalIds = [...new Set(rows.flatMap((r) => r.goalIds))];
  const goals = goalIds.length
    ? await tx
        .select({ id: carePlanGoals.id, goal: carePlanGoals.goal })
        .from(carePlanGoals)
        .where(and(eq(carePlanGoals.programId, programId), inArray(carePlanGoals.id, goalIds)))
    : [];
  const goalText = Object.fromEntries(goals.map((g) => [g.id, (g.goal as { description?: string }).description ?? null]));
  const n = await namesOf(tx, [...rows.flatMap((r) => [r.authorId, r.cosignerId]), ...cosigs.map((c) => c.cosignedBy), ...addenda.map((a) => a.authorId)]);
  return rows.map((r) => {
    const c = cosigs.find((x) => x.noteId === r.id) ?? null;
    return {
      id: r.id,
      encounterId: r.encounterId,
      patientId: r.patientId,
      template: r.template as Template,
      sections: r.sections as Sections,
      goals: r.goalIds.map((id) => ({ id, description: goalText[id] ?? null })),
      state: noteState(facts(r, c?.cosignedBy ?? null)),
      version: r.version,
      author: person(r.authorId, n),
      signedAt: r.signedAt?.toISOString() ?? null,
      cosigner: r.cosignerId ? person(r.cosignerId, n) : null,
      cosignedAt: c?.cosignedAt.toISOString() ?? null,
      addenda: addenda.filter((a) => a.noteId === r.id).map((a) => ({ id: a.id, text: a.text, author: person(a.authorId, n), createdAt: a.createdAt.toISOString() })),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

async function one(tx: Tx, ctx: Ctx, id: string) {
  const { n } = await noteRow(tx, ctx, id);
  return (await toDtos(tx, ctx, [n]))[0]!;
}

const audit = (tx: Tx, ctx: Ctx, action: 'create' | 'read' | 'update' | 'sign' | 'cosign', n: { id: string; patientId: string | null; encounterId: string }, detail: Record<string, unknown> = {}) =>
  writeAudit(tx, auditContext(ctx), { action, entity: 'progress-note', entityId: n.id, patientId: n.patientId, detail: { encounterId: n.encounterId, ...detail } });

export async function createProgressNote(deps: Deps, encounterId: string, input: { patientId: string | null; template: Template; sections: Sections; goalIds: string[] }) {
  const { tx, ctx } = deps;
  const enc = await encounterOf(tx, ctx, encounterId);
  assertNotCancelled(enc);
  if (input.patientId !== null) await assertBooked(tx, ctx, encounterId, input.patientId, 'body.patientId');
  const allowed = templatesFor({ group: enc.category === 'group', shared: input.patientId === null });
  if (!allowed.includes(input.template))
    throw invalid(
      allowed.length === 0 ? 'body.patientId' : 'body.template',
      allowed.length === 0 ? 'is required: only a group visit has a shared part' : `must be one of ${allowed.join(', ')} for this visit`,
    );
  const problems = sectionProblems(input.template, input.sections, { signing: false });
  if (problems.length > 0) throw sectionsInvalid(problems);
  await checkGoals(tx, ctx, input.patientId, input.goalIds);
  const id = randomUUID();
  await tx.insert(progressNotes).values({
    programId: programOf(ctx),
    id,
    encounterId,
    patientId: input.patientId,
    template: input.template,
    sections: tidySections(input.template, input.sections),
    goalIds: [...new Set(input.goalIds)],
    authorId: me(ctx),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await audit(tx, ctx, 'create', { id, patientId: input.patientId, encounterId }, { template: input.template });
  return one(tx, ctx, id);
}

export async function getProgressNote(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const dto = await one(tx, ctx, id);
  await audit(tx, ctx, 'read', dto);
  return dto;
}

export async function listEncounterNotes(deps: Deps, encounterId: string) {
  const { tx, ctx } = deps;
  await encounterOf(tx, ctx, encounterId);
  const rows = await tx
    .select()
    .from(progressNotes)
    .where(and(eq(progressNotes.programId, programOf(ctx)), eq(progressNotes.encounterId, encounterId)))
    // a group's shared part first, then the notes as they were started
    .orderBy(sql`${progressNotes.patientId} is not null`, asc(progressNotes.createdAt), asc(progressNotes.id));
  const items = await toDtos(tx, ctx, rows);
  await auditEach(
    tx,
    ctx,
    { action: 'read', entity: 'progress-note', detail: { encounterId, count: rows.length } },
    rows.map((r) => r.patientId),
  );
  return { items };
}

export async function updateProgressNote(deps: Deps, id: string, input: { version: number; sections: Sections; goalIds?: string[] | undefined }) {
  const { tx, ctx } = deps;
  const { n } = await noteRow(tx, ctx, id);
  const v = mayEdit(facts(n, null), me(ctx), input.version);
  if (!v.ok) throw refused(v.code);
  const template = n.template as Template;
  const problems = sectionProblems(template, input.sections, { signing: false });
  if (problems.length > 0) throw sectionsInvalid(problems);
  if (input.goalIds) await checkGoals(tx, ctx, n.patientId, input.goalIds);
  const moved = await tx
    .update(progressNotes)
    .set({ sections: tidySections(template, input.sections), goalIds: input.goalIds ? [...new Set(input.goalIds)] : n.goalIds, version: n.version + 1, updatedAt: ctx.now })
    .where(and(eq(progressNotes.programId, n.programId), eq(progressNotes.id, id), eq(progressNotes.version, input.version), eq(progressNotes.status, 'draft')))
    .returning({ id: progressNotes.id });
  if (moved.length === 0) throw refused('stale_version');
  await audit(tx, ctx, 'update', n, { version: n.version + 1 });
  return one(tx, ctx, id);
}

export async function signProgressNote(deps: Deps, id: string, input: { version: number; cosignerId: string | null }) {
  const { tx, ctx } = deps;
  const { n } = await noteRow(tx, ctx, id);
  const v = maySign(facts(n, null), me(ctx), input.version, input.cosignerId);
  if (!v.ok) throw refused(v.code);
  const problems = sectionProblems(n.template as Template, n.sections as Sections, { signing: true });
  if (problems.length > 0) throw sectionsInvalid(problems);
  if (input.cosignerId !== null && !(await holds(tx, ctx, input.cosignerId, 'cosign:progress-note')))
    throw invalid('body.cosignerId', 'must be a staff member of this programme who may co-sign notes', 'not_a_cosigner');
  const moved = await tx
    .update(progressNotes)
    .set({ status: 'signed', signedAt: ctx.now, cosignerId: input.cosignerId, version: n.version + 1, updatedAt: ctx.now })
    .where(and(eq(progressNotes.programId, n.programId), eq(progressNotes.id, id), eq(progressNotes.version, input.version), eq(progressNotes.status, 'draft')))
    .returning({ id: progressNotes.id });
  if (moved.length === 0) throw refused('stale_version');
  await audit(tx, ctx, 'sign', n, { cosignerId: input.cosignerId });
  return one(tx, ctx, id);
}

export async function cosignProgressNote(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const { n, cosig } = await noteRow(tx, ctx, id);
  const v = mayCosign(facts(n, cosig?.cosignedBy ?? null), me(ctx));
  if (!v.ok) throw refused(v.code);
  // the primary key allows one co-signature: a concurrent one is refused here
  const done = await tx
    .insert(progressNoteCosignatures)
    .values({ programId: n.programId, noteId: id, cosignedBy: me(ctx), cosignedAt: ctx.now })
    .onConflictDoNothing()
    .returning();
  if (done.length === 0) throw refused('already_cosigned');
  await audit(tx, ctx, 'cosign', n);
  return one(tx, ctx, id);
}

export async function addAddendum(deps: Deps, id: string, input: { text: string }) {
  const { tx, ctx } = deps;
  const { n, cosig } = await noteRow(tx, ctx, id);
  const v = mayAddAddendum(facts(n, cosig?.cosignedBy ?? null));
  if (!v.ok) throw refused(v.code);
  const text = input.text.trim();
  if (text.length === 0) throw invalid('body.text', 'must not be empty');
  const addendumId = randomUUID();
  await tx.insert(progressNoteAddenda).values({ programId: n.programId, id: addendumId, noteId: id, text, authorId: me(ctx), createdAt: ctx.now });
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'progress-note-addendum', entityId: addendumId, patientId: n.patientId, detail: { noteId: id, encounterId: n.encounterId } });
  return one(tx, ctx, id);
}

/** Signed notes naming the caller as co-signer and not yet co-signed, oldest first. */
export async function cosignQueue(deps: Deps, page: Page) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const after = decodeCursor(page.cursor, ['time', 'uuid']);
  const fetched = await tx
    .select({ n: progressNotes })
    .from(progressNotes)
    .leftJoin(progressNoteCosignatures, and(eq(progressNoteCosignatures.programId, progressNotes.programId), eq(progressNoteCosignatures.noteId, progressNotes.id)))
    .where(
      and(
        eq(progressNotes.programId, programId),
        eq(progressNotes.cosignerId, me(ctx)),
        eq(progressNotes.status, 'signed'),
        isNull(progressNoteCosignatures.noteId),
        after ? sql`(${progressNotes.signedAt}, ${progressNotes.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(progressNotes.signedAt), asc(progressNotes.id))
    .limit(page.limit + 1);
  const { items: rows, nextCursor } = pageOf(fetched, page.limit, (r) => [r.n.signedAt!.toISOString(), r.n.id]);
  const n = await namesOf(
    tx,
    rows.map((r) => r.n.authorId),
  );
  await auditEach(
    tx,
    ctx,
    { action: 'read', entity: 'progress-note', detail: { list: 'cosign-queue', count: rows.length } },
    rows.map((r) => r.n.patientId),
  );
  return {
    items: rows.map(({ n: r }) => ({
      id: r.id,
      encounterId: r.encounterId,
      patientId: r.patientId,
      template: r.template as Template,
      author: person(r.authorId, n),
      signedAt: r.signedAt!.toISOString(),
    })),
    nextCursor,
  };
}
