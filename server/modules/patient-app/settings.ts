// The programme's patient-app settings (administrators): the idle lock. A change applies to
// every session from its next request (the session lookup reads the programme's value).
import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { programs } from '../programs/programs.tables.ts';

type Deps = { tx: Tx; ctx: Ctx };

export async function getPatientAppSettings(deps: Deps) {
  const [p] = await deps.tx
    .select({ idleMinutes: programs.patientIdleMinutes })
    .from(programs)
    .where(eq(programs.id, programOf(deps.ctx)));
  return { idleMinutes: p!.idleMinutes };
}

export async function updatePatientAppSettings(deps: Deps, input: { idleMinutes: number }) {
  const { tx, ctx } = deps;
  const before = await getPatientAppSettings(deps);
  await tx
    .update(programs)
    .set({ patientIdleMinutes: input.idleMinutes })
    .where(eq(programs.id, programOf(ctx)));
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'patient-app-settings', detail: { idleMinutes: { from: before.idleMinutes, to: input.idleMinutes } } });
  return { idleMinutes: input.idleMinutes };
}
