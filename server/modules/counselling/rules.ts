// A programme's counselling-frequency rules (core/counselling/compliance.ts): the default
// until an administrator saves their own, replaced whole, validated by core, audited in the
// same transaction.
import { eq } from 'drizzle-orm';
import { DEFAULT_COUNSELLING_RULES, rulesProblems, type CounsellingRules } from '../../../core/counselling/compliance.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { counsellingRules } from './counselling.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function readCounsellingRules(tx: Tx, programId: string): Promise<{ rules: CounsellingRules; isDefault: boolean; updatedAt: string | null }> {
  const [row] = await tx.select().from(counsellingRules).where(eq(counsellingRules.programId, programId));
  return row ? { rules: row.rules as CounsellingRules, isDefault: false, updatedAt: row.updatedAt.toISOString() } : { rules: DEFAULT_COUNSELLING_RULES, isDefault: true, updatedAt: null };
}

/** Programme settings, no patient data: not audited as a read. */
export async function getCounsellingRules(deps: Deps) {
  const { rules, isDefault, updatedAt } = await readCounsellingRules(deps.tx, programOf(deps.ctx));
  return { ...rules, isDefault, updatedAt };
}

export async function updateCounsellingRules(deps: Deps, input: CounsellingRules) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const rules: CounsellingRules = { phases: input.phases.map((p) => ({ fromDay: p.fromDay, everyDays: p.everyDays })), dueSoonDays: input.dueSoonDays };
  const problems = rulesProblems(rules);
  if (problems.length > 0)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `Some counselling rules are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
    });
  const updatedBy = ctx.principal?.userId ?? null;
  await tx
    .insert(counsellingRules)
    .values({ programId, rules, updatedBy, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: counsellingRules.programId, set: { rules, updatedBy, updatedAt: ctx.now } });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'encounter-settings', detail: { setting: 'counselling-rules', phases: rules.phases.length } });
  return { ...rules, isDefault: false, updatedAt: ctx.now.toISOString() };
}
