// A programme's help settings (core/help/settings.ts): read (empty until an administrator
// saves), replaced whole (validated by core; audited in the same transaction), and the
// public view a locked phone fetches — programme data only, never a patient's.
import { eq } from 'drizzle-orm';
import { EMPTY_HELP_SETTINGS, helpSettingsProblems, tidyHelpSettings, type HelpSettings } from '../../../core/help/settings.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { programs } from '../programs/programs.tables.ts';
import { programHelpSettings } from './help.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function readHelpSettings(tx: Tx, programId: string): Promise<{ settings: HelpSettings; updatedAt: string | null }> {
  const [row] = await tx.select().from(programHelpSettings).where(eq(programHelpSettings.programId, programId));
  return row ? { settings: row.settings as HelpSettings, updatedAt: row.updatedAt.toISOString() } : { settings: EMPTY_HELP_SETTINGS, updatedAt: null };
}

export async function getHelpSettings(deps: Deps) {
  const { settings, updatedAt } = await readHelpSettings(deps.tx, programOf(deps.ctx));
  return { ...settings, updatedAt };
}

/** Saves the settings of the caller's programme (or, for the demo seed, the context's programme). */
export async function updateHelpSettings(deps: Deps, input: HelpSettings) {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const settings = tidyHelpSettings(input);
  const problems = helpSettingsProblems(settings);
  if (problems.length > 0)
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: `Some help settings are not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems: problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
    });
  const updatedBy = ctx.principal?.userId ?? null;
  await tx
    .insert(programHelpSettings)
    .values({ programId, settings, updatedBy, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: programHelpSettings.programId, set: { settings, updatedBy, updatedAt: ctx.now } });
  await writeAudit(tx, auditContext(ctx), {
    action: 'update',
    entity: 'help-settings',
    detail: { crisisLines: settings.crisisLines.length, afterHoursLines: settings.afterHoursLines.length, naloxonePlaces: settings.naloxonePlaces.length, clinicPhone: settings.clinicPhone !== null },
  });
  return { ...settings, updatedAt: ctx.now.toISOString() };
}

/** Help for a locked phone: the programme's numbers and naloxone places. No patient data, so no audit row; rate-limited by its route. */
export async function publicHelp(tx: Tx, programId: string) {
  const [program] = await tx.select({ id: programs.id }).from(programs).where(eq(programs.id, programId));
  if (!program) throw notFound('Programme');
  const { settings } = await readHelpSettings(tx, programId);
  return { programId, ...settings };
}
