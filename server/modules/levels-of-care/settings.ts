// A programme's level-of-care settings (ADR 044): its phase template and take-home tiers.
// None saved → the core defaults (the four-phase therapeutic community; 42 CFR 8.12(i)).
import { eq } from 'drizzle-orm';
import { DEFAULT_TC_TEMPLATE, templateProblems, type PhaseTemplate } from '../../../core/levels-of-care/phases.ts';
import { FEDERAL_CITATION, FEDERAL_TAKE_HOME_TIERS, tierProblems, type TakeHomeTier } from '../../../core/levels-of-care/take-homes.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { levelOfCareSettings } from './levels-of-care.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };
export type Settings = { phaseTemplate: PhaseTemplate; takeHomeTiers: TakeHomeTier[] };

export async function readSettings(tx: Tx, programId: string): Promise<Settings & { updatedAt: string | null }> {
  const [row] = await tx.select().from(levelOfCareSettings).where(eq(levelOfCareSettings.programId, programId));
  if (!row) return { phaseTemplate: DEFAULT_TC_TEMPLATE, takeHomeTiers: [...FEDERAL_TAKE_HOME_TIERS], updatedAt: null };
  return { phaseTemplate: row.phaseTemplate as PhaseTemplate, takeHomeTiers: row.takeHomeTiers as TakeHomeTier[], updatedAt: row.updatedAt.toISOString() };
}

export async function getSettings(deps: Deps) {
  return { ...(await readSettings(deps.tx, programOf(deps.ctx))), federalCitation: FEDERAL_CITATION };
}

export async function updateSettings(deps: Deps, input: Settings) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const phaseTemplate: PhaseTemplate = {
    name: input.phaseTemplate.name.trim(),
    phases: input.phaseTemplate.phases.map((p) => ({
      code: p.code.trim(),
      label: { en: p.label.en.trim(), es: p.label.es.trim() },
      privileges: p.privileges.map((x) => x.trim()),
    })),
  };
  const problems = [
    ...templateProblems(phaseTemplate).map((p) => ({ field: `body.phaseTemplate.${p.field}`, message: p.message })),
    ...tierProblems(input.takeHomeTiers).map((p) => ({ field: `body.${p.field}`, message: p.message })),
  ];
  if (problems.length > 0) throw new AppError({ code: 'invalid_input', status: 400, message: `Some settings are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems });
  const updatedBy = ctx.principal?.userId ?? null;
  await tx
    .insert(levelOfCareSettings)
    .values({ programId, phaseTemplate, takeHomeTiers: input.takeHomeTiers, updatedBy, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: levelOfCareSettings.programId, set: { phaseTemplate, takeHomeTiers: input.takeHomeTiers, updatedBy, updatedAt: ctx.now } });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'level-of-care-settings', detail: { phases: phaseTemplate.phases.length, tiers: input.takeHomeTiers.length } });
  return { phaseTemplate, takeHomeTiers: input.takeHomeTiers, updatedAt: ctx.now.toISOString(), federalCitation: FEDERAL_CITATION };
}
