// What the notes' use cases share: the visit a note belongs to (404 when it is not in the
// caller's programme), who is booked on it, staff names, a refusal from core's lifecycle
// as a problem, and one audit row per patient for a list.
import { and, eq, inArray } from 'drizzle-orm';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../core/access/roles.ts';
import type { AuditAction, AuditEntity } from '../../../core/audit/entities.ts';
import { DEFAULT_ENCOUNTER_TYPES, type Category } from '../../../core/encounters/types.ts';
import type { Refusal } from '../../../core/notes/lifecycle.ts';
import { writeAudit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { encounterParticipants, encounters, encounterTypes } from '../encounters/encounters.tables.ts';
import { roleAssignments, users } from '../identity/identity.tables.ts';

export type Deps = { tx: Tx; ctx: Ctx };

export const me = (ctx: Ctx) => {
  if (!ctx.principal) throw new Error('no staff principal in context');
  return ctx.principal.userId;
};

/** The visit (in the caller's programme) and whether it is a group: its category decides the templates. */
export async function encounterOf(tx: Tx, ctx: Ctx, encounterId: string): Promise<{ id: string; category: Category; status: string }> {
  const programId = programOf(ctx);
  const [row] = await tx
    .select({ id: encounters.id, typeCode: encounters.typeCode, status: encounters.status, own: encounterTypes.category })
    .from(encounters)
    .leftJoin(encounterTypes, and(eq(encounterTypes.programId, encounters.programId), eq(encounterTypes.code, encounters.typeCode)))
    .where(and(eq(encounters.programId, programId), eq(encounters.id, encounterId)));
  if (!row) throw notFound('Visit');
  const category = (DEFAULT_ENCOUNTER_TYPES.find((t) => t.code === row.typeCode)?.category ?? row.own ?? 'individual') as Category;
  return { id: row.id, category, status: row.status };
}

/** A new note needs a visit that was not cancelled (nothing was held to write about). */
export function assertNotCancelled(enc: { status: string }) {
  if (enc.status === 'cancelled') throw conflict('encounter_cancelled', 'This visit was cancelled: there is nothing to write a note about.');
}

/** 400 naming `field` unless the patient is booked on the visit. */
export async function assertBooked(tx: Tx, ctx: Ctx, encounterId: string, patientId: string, field: string) {
  const [row] = await tx
    .select({ p: encounterParticipants.patientId })
    .from(encounterParticipants)
    .where(and(eq(encounterParticipants.programId, programOf(ctx)), eq(encounterParticipants.encounterId, encounterId), eq(encounterParticipants.patientId, patientId)));
  if (!row) throw invalid(field, 'must be a person booked on this visit', 'not_booked');
}

export async function namesOf(tx: Tx, ids: Array<string | null | undefined>): Promise<Record<string, string>> {
  const list = [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
  if (list.length === 0) return {};
  const rows = await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, list));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

export const person = (id: string, n: Record<string, string>) => ({ id, name: n[id] ?? '' });

/** Whether `userId` holds `permission` in the caller's programme (a person's account, active). */
export async function holds(tx: Tx, ctx: Ctx, userId: string, permission: Permission): Promise<boolean> {
  const rows = await tx
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.programId, programOf(ctx)), eq(roleAssignments.userId, userId), eq(users.active, true), eq(users.kind, 'person')));
  return rows.some((r) => (ROLE_PERMISSIONS[r.role as Role] as readonly string[] | undefined)?.includes(permission) ?? false);
}

const MESSAGES: Record<Refusal, string> = {
  signed: 'This note is signed: it cannot be changed. Add an addendum instead.',
  not_author: 'Only the author of a draft can change or sign it.',
  stale_version: 'This note was changed since it was opened. Reload it, then make your change again.',
  not_signed: 'This note is not signed yet.',
  not_cosigner: 'Only the co-signer named when the note was signed can co-sign it.',
  already_cosigned: 'This note is already co-signed.',
  own_note: 'The co-signer must be someone other than the author.',
  no_cosignature_needed: 'This note did not ask for a co-signature.',
};

/** A refusal from core/notes/lifecycle.ts as the API's problem: 409 with its code (a co-signer who is the author is a 400). */
export function refused(code: Refusal): AppError {
  if (code === 'own_note') return invalid('body.cosignerId', MESSAGES[code], code);
  return conflict(code, MESSAGES[code], code === 'stale_version' ? 'body.version' : undefined);
}

/** One audit row per patient a list showed (a group's shared part is the visit's, with no patient). */
export async function auditEach(tx: Tx, ctx: Ctx, rec: { action: AuditAction; entity: AuditEntity; detail: Record<string, unknown> }, patientIds: Array<string | null>) {
  const distinct = [...new Set(patientIds)];
  for (const patientId of distinct.length > 0 ? distinct : [null]) await writeAudit(tx, auditContext(ctx), { ...rec, patientId });
}
