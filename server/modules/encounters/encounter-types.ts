// Visit types: the built-in ones (core/encounters/types.ts) and a programme's own.
import { and, asc, eq } from 'drizzle-orm';
import { DEFAULT_ENCOUNTER_TYPES, isBuiltInType, type Category, type EncounterType } from '../../../core/encounters/types.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { encounterTypes } from './encounters.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type TypeDto = EncounterType & { builtIn: boolean; active: boolean };

const rowDto = (r: typeof encounterTypes.$inferSelect): TypeDto => ({
  code: r.code,
  category: r.category as Category,
  counselling: r.counselling,
  label: { en: r.labelEn, es: r.labelEs },
  builtIn: false,
  active: r.active,
});

/** Every visit type of the programme: the built-in ones first, then its own by code. */
export async function typesOf(tx: Tx, programId: string): Promise<TypeDto[]> {
  const own = await tx.select().from(encounterTypes).where(eq(encounterTypes.programId, programId)).orderBy(asc(encounterTypes.code));
  return [...DEFAULT_ENCOUNTER_TYPES.map((t) => ({ ...t, builtIn: true, active: true })), ...own.map(rowDto)];
}

/** The active visit type with this code, or a 400 naming `field`. */
export async function activeType(tx: Tx, programId: string, code: string, field: string): Promise<TypeDto> {
  const builtIn = DEFAULT_ENCOUNTER_TYPES.find((t) => t.code === code);
  if (builtIn) return { ...builtIn, builtIn: true, active: true };
  const [row] = await tx
    .select()
    .from(encounterTypes)
    .where(and(eq(encounterTypes.programId, programId), eq(encounterTypes.code, code)));
  if (!row || !row.active) throw invalid(field, 'is not one of the programme’s visit types');
  return rowDto(row);
}

export const listTypes = (deps: Deps) => typesOf(deps.tx, programOf(deps.ctx));

export async function createType(deps: Deps, input: { code: string; category: Category; counselling: boolean; label: { en: string; es: string } }): Promise<TypeDto> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  if (isBuiltInType(input.code)) throw conflict('type_exists', 'This code is one of the built-in visit types.', 'body.code');
  const [row] = await tx
    .insert(encounterTypes)
    .values({
      programId,
      code: input.code,
      category: input.category,
      counselling: input.counselling,
      labelEn: input.label.en,
      labelEs: input.label.es,
      createdBy: ctx.principal?.userId ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict('type_exists', 'The programme already has a visit type with this code.', 'body.code');
  await writeAudit(tx, auditContext(ctx), { action: 'create', entity: 'encounter-type', entityId: null, detail: { code: input.code, category: input.category } });
  return rowDto(row);
}
