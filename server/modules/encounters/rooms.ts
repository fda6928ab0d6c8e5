// Rooms a visit can be held in.
import { and, asc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { invalid } from '../../platform/errors.ts';
import { rooms } from './encounters.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
type Row = typeof rooms.$inferSelect;
const dto = (r: Row) => ({ id: r.id, name: r.name, capacity: r.capacity, active: r.active });

export async function listRooms(deps: Deps) {
  const rows = await deps.tx
    .select()
    .from(rooms)
    .where(eq(rooms.programId, programOf(deps.ctx)))
    .orderBy(asc(rooms.name));
  return { items: rows.map(dto) };
}

export async function createRoom(deps: Deps, input: { name: string; capacity: number | null }) {
  const { tx, ctx } = deps;
  const [row] = await tx
    .insert(rooms)
    .values({ programId: programOf(ctx), id: randomUUID(), name: input.name, capacity: input.capacity, createdAt: ctx.now })
    .returning();
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'room', entityId: row!.id });
  return dto(row!);
}

/** The active room, or a 400 naming `field`. */
export async function activeRoom(tx: Tx, programId: string, id: string, field: string): Promise<Row> {
  const [row] = await tx
    .select()
    .from(rooms)
    .where(and(eq(rooms.programId, programId), eq(rooms.id, id)));
  if (!row || !row.active) throw invalid(field, 'is not one of the programme’s rooms');
  return row;
}
