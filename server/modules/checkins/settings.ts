// A programme's risk-rule settings (core/checkins RiskRuleSettings): read (the defaults
// until an administrator saves some) and replaced whole, validated by core.
import { eq } from 'drizzle-orm';
import { DEFAULT_RISK_RULES, riskRuleProblems, type RiskRuleSettings } from '../../../core/checkins/rules.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { checkInSettings } from './checkins.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function readRiskRules(tx: Tx, programId: string): Promise<RiskRuleSettings> {
  const [row] = await tx.select({ rules: checkInSettings.rules }).from(checkInSettings).where(eq(checkInSettings.programId, programId));
  return row ? (row.rules as RiskRuleSettings) : DEFAULT_RISK_RULES;
}

export async function getRiskRules(deps: Deps): Promise<RiskRuleSettings> {
  return readRiskRules(deps.tx, programOf(deps.ctx));
}

export async function updateRiskRules(deps: Deps, rules: RiskRuleSettings): Promise<RiskRuleSettings> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const problems = riskRuleProblems(rules);
  if (problems.length > 0)
    throw new AppError({ code: 'invalid_input', status: 400, message: 'Some settings are not valid.', problems: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })) });
  const values = { programId, rules, updatedBy: ctx.principal?.userId ?? null, updatedAt: ctx.now };
  await tx
    .insert(checkInSettings)
    .values(values)
    .onConflictDoUpdate({ target: checkInSettings.programId, set: { rules, updatedBy: values.updatedBy, updatedAt: ctx.now } });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'check-in-settings', detail: { fields: ['cravingRun', 'missedDoses', 'useAfterAbstinence'] } });
  return rules;
}
