// SUD counselling notes kept apart (issue 14, ADR 041; 42 CFR Part 2 as amended in 2024):
// the contents of a counselling session, in a store of their own that no role's permission
// reads. Only the author, and the people the author or a programme administrator grants,
// read one; to anyone else it does not exist (404, and lists omit it). Every read — one note
// or a list — and every grant and revoke is audited in its transaction. These notes are
// never exported, never FHIR resources and never part of a disclosure: nothing outside this
// module reads their tables.
import { and, asc, eq, exists, inArray, isNull, or } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { writeAudit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { counsellingNoteGrants, counsellingNotes } from './notes.tables.ts';
import { assertBooked, assertNotCancelled, encounterOf, holds, me, namesOf, person, refused, type Deps } from './shared.ts';

type Row = typeof counsellingNotes.$inferSelect;
const MAX_BODY = 20_000;

const isAdministrator = (ctx: Ctx) => ctx.program?.roles.includes('administrator') ?? false;

/** The notes the caller may read: their own, and those with an open grant to them. */
function readableBy(tx: Tx, userId: string) {
  const openGrant = tx
    .select({ id: counsellingNoteGrants.id })
    .from(counsellingNoteGrants)
    .where(
      and(
        eq(counsellingNoteGrants.programId, counsellingNotes.programId),
        eq(counsellingNoteGrants.noteId, counsellingNotes.id),
        eq(counsellingNoteGrants.userId, userId),
        isNull(counsellingNoteGrants.revokedAt),
      ),
    );
  return or(eq(counsellingNotes.authorId, userId), exists(openGrant));
}

/** The note if the caller may read it; otherwise 404, exactly as for a note that does not exist. */
async function readable(tx: Tx, ctx: Ctx, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(counsellingNotes)
    .where(and(eq(counsellingNotes.programId, programOf(ctx)), eq(counsellingNotes.id, id), readableBy(tx, me(ctx))));
  if (!row) throw notFound('Counselling note');
  return row;
}

/** The note if the caller may manage who reads it (its author or a programme administrator); otherwise 404. */
async function manageable(tx: Tx, ctx: Ctx, id: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(counsellingNotes)
    .where(and(eq(counsellingNotes.programId, programOf(ctx)), eq(counsellingNotes.id, id)));
  if (!row || (row.authorId !== me(ctx) && !isAdministrator(ctx))) throw notFound('Counselling note');
  return row;
}

async function grantsOf(tx: Tx, ctx: Ctx, noteIds: string[], opts: { openOnly: boolean }) {
  if (noteIds.length === 0) return [];
  return tx
    .select()
    .from(counsellingNoteGrants)
    .where(and(eq(counsellingNoteGrants.programId, programOf(ctx)), inArray(counsellingNoteGrants.noteId, noteIds), opts.openOnly ? isNull(counsellingNoteGrants.revokedAt) : undefined))
    .orderBy(asc(counsellingNoteGrants.grantedAt), asc(counsellingNoteGrants.id));
}

async function toDtos(tx: Tx, ctx: Ctx, rows: Row[]) {
  const grants = await grantsOf(
    tx,
    ctx,
    rows.map((r) => r.id),
    { openOnly: true },
  );
  const n = await namesOf(tx, [...rows.map((r) => r.authorId), ...grants.map((g) => g.userId)]);
  return rows.map((r) => ({
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    body: r.body,
    state: r.status as 'draft' | 'signed',
    version: r.version,
    author: person(r.authorId, n),
    signedAt: r.signedAt?.toISOString() ?? null,
    visibleTo: grants.filter((g) => g.noteId === r.id).map((g) => person(g.userId, n)),
    canGrant: r.authorId === me(ctx) || isAdministrator(ctx),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

const audit = (tx: Tx, ctx: Ctx, action: 'create' | 'read' | 'update' | 'sign', r: Pick<Row, 'id' | 'patientId' | 'encounterId'>, detail: Record<string, unknown> = {}) =>
  writeAudit(tx, auditContext(ctx), { action, entity: 'counselling-note', entityId: r.id, patientId: r.patientId, detail: { encounterId: r.encounterId, ...detail } });

function tidyBody(body: string) {
  const b = body.trim();
  if (b.length > MAX_BODY) throw invalid('body.body', `must be at most ${MAX_BODY} characters`);
  return b;
}

export async function createCounsellingNote(deps: Deps, encounterId: string, input: { patientId: string; body: string }) {
  const { tx, ctx } = deps;
  assertNotCancelled(await encounterOf(tx, ctx, encounterId));
  await assertBooked(tx, ctx, encounterId, input.patientId, 'body.patientId');
  const id = randomUUID();
  const row = { programId: programOf(ctx), id, encounterId, patientId: input.patientId, body: tidyBody(input.body), authorId: me(ctx), createdAt: ctx.now, updatedAt: ctx.now };
  await tx.insert(counsellingNotes).values(row);
  await audit(tx, ctx, 'create', row);
  return (await toDtos(tx, ctx, [await readable(tx, ctx, id)]))[0]!;
}

export async function getCounsellingNote(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const row = await readable(tx, ctx, id);
  await audit(tx, ctx, 'read', row);
  return (await toDtos(tx, ctx, [row]))[0]!;
}

/** The visit's counselling notes the caller may read (others are omitted, not hinted at); each one listed is an audited read. */
export async function listEncounterCounsellingNotes(deps: Deps, encounterId: string) {
  const { tx, ctx } = deps;
  await encounterOf(tx, ctx, encounterId);
  const rows = await tx
    .select()
    .from(counsellingNotes)
    .where(and(eq(counsellingNotes.programId, programOf(ctx)), eq(counsellingNotes.encounterId, encounterId), readableBy(tx, me(ctx))))
    .orderBy(asc(counsellingNotes.createdAt), asc(counsellingNotes.id));
  for (const r of rows) await audit(tx, ctx, 'read', r, { list: true });
  if (rows.length === 0) await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'counselling-note', detail: { encounterId, count: 0 } });
  return { items: await toDtos(tx, ctx, rows) };
}

export async function updateCounsellingNote(deps: Deps, id: string, input: { version: number; body: string }) {
  const { tx, ctx } = deps;
  const row = await readable(tx, ctx, id);
  if (row.status !== 'draft') throw refused('signed');
  if (row.authorId !== me(ctx)) throw refused('not_author');
  if (row.version !== input.version) throw refused('stale_version');
  const moved = await tx
    .update(counsellingNotes)
    .set({ body: tidyBody(input.body), version: row.version + 1, updatedAt: ctx.now })
    .where(and(eq(counsellingNotes.programId, row.programId), eq(counsellingNotes.id, id), eq(counsellingNotes.version, input.version), eq(counsellingNotes.status, 'draft')))
    .returning({ id: counsellingNotes.id });
  if (moved.length === 0) throw refused('stale_version');
  await audit(tx, ctx, 'update', row, { version: row.version + 1 });
  return (await toDtos(tx, ctx, [await readable(tx, ctx, id)]))[0]!;
}

export async function signCounsellingNote(deps: Deps, id: string, input: { version: number }) {
  const { tx, ctx } = deps;
  const row = await readable(tx, ctx, id);
  if (row.status !== 'draft') throw refused('signed');
  if (row.authorId !== me(ctx)) throw refused('not_author');
  if (row.version !== input.version) throw refused('stale_version');
  if (row.body.length === 0) throw invalid('body.body', 'must be written before the note is signed');
  const moved = await tx
    .update(counsellingNotes)
    .set({ status: 'signed', signedAt: ctx.now, version: row.version + 1, updatedAt: ctx.now })
    .where(and(eq(counsellingNotes.programId, row.programId), eq(counsellingNotes.id, id), eq(counsellingNotes.version, input.version), eq(counsellingNotes.status, 'draft')))
    .returning({ id: counsellingNotes.id });
  if (moved.length === 0) throw refused('stale_version');
  await audit(tx, ctx, 'sign', row);
  return (await toDtos(tx, ctx, [await readable(tx, ctx, id)]))[0]!;
}

/** Every grant of the note, open and revoked (who granted, who revoked): its readers and those who manage it. */
export async function listGrants(deps: Deps, id: string) {
  const { tx, ctx } = deps;
  const [row] = await tx
    .select()
    .from(counsellingNotes)
    .where(and(eq(counsellingNotes.programId, programOf(ctx)), eq(counsellingNotes.id, id), isAdministrator(ctx) ? undefined : readableBy(tx, me(ctx))));
  if (!row) throw notFound('Counselling note');
  const out = await listGrantsUnaudited(tx, ctx, id);
  await writeAudit(tx, auditContext(ctx), { action: 'read', entity: 'counselling-note-grant', entityId: id, patientId: row.patientId, detail: { count: out.items.length } });
  return out;
}

export async function grantAccess(deps: Deps, id: string, input: { userId: string }) {
  const { tx, ctx } = deps;
  const row = await manageable(tx, ctx, id);
  if (input.userId === row.authorId) throw invalid('body.userId', 'is the author, who always reads the note');
  if (!(await holds(tx, ctx, input.userId, 'read:progress-note'))) throw invalid('body.userId', 'must be a staff member of this programme who reads progress notes', 'not_a_reader');
  const made = await tx
    .insert(counsellingNoteGrants)
    .values({ programId: row.programId, id: randomUUID(), noteId: id, userId: input.userId, grantedBy: me(ctx), grantedAt: ctx.now })
    .onConflictDoNothing()
    .returning({ id: counsellingNoteGrants.id });
  if (made.length === 0) throw conflict('already_granted', 'This person can already read the note.', 'body.userId');
  await writeAudit(tx, auditContext(ctx), { action: 'grant', entity: 'counselling-note-grant', entityId: id, patientId: row.patientId, detail: { userId: input.userId } });
  return listGrantsUnaudited(tx, ctx, id);
}

export async function revokeAccess(deps: Deps, id: string, userId: string) {
  const { tx, ctx } = deps;
  const row = await manageable(tx, ctx, id);
  const done = await tx
    .update(counsellingNoteGrants)
    .set({ revokedBy: me(ctx), revokedAt: ctx.now })
    .where(and(eq(counsellingNoteGrants.programId, row.programId), eq(counsellingNoteGrants.noteId, id), eq(counsellingNoteGrants.userId, userId), isNull(counsellingNoteGrants.revokedAt)))
    .returning({ id: counsellingNoteGrants.id });
  if (done.length === 0) throw conflict('not_granted', 'This person has no access to revoke.');
  await writeAudit(tx, auditContext(ctx), { action: 'revoke', entity: 'counselling-note-grant', entityId: id, patientId: row.patientId, detail: { userId } });
  return listGrantsUnaudited(tx, ctx, id);
}

async function listGrantsUnaudited(tx: Tx, ctx: Ctx, id: string) {
  const grants = await grantsOf(tx, ctx, [id], { openOnly: false });
  const n = await namesOf(
    tx,
    grants.flatMap((g) => [g.userId, g.grantedBy, g.revokedBy]),
  );
  return {
    items: grants.map((g) => ({
      user: person(g.userId, n),
      grantedBy: person(g.grantedBy, n),
      grantedAt: g.grantedAt.toISOString(),
      revokedBy: g.revokedBy ? person(g.revokedBy, n) : null,
      revokedAt: g.revokedAt?.toISOString() ?? null,
    })),
  };
}
