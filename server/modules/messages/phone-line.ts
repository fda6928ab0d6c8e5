// A programme's phone line settings: the clinic number a caller on the voice check-in line
// is put through to when they press 1 (none: the line tells them to call their clinic).
import { eq } from 'drizzle-orm';
import { toE164 } from '../../../core/messages/phone.ts';
import { writeAudit } from '../../platform/audit.ts';
import { invalid } from '../../platform/errors.ts';
import { auditContext, programOf } from '../../platform/http/context.ts';
import type { UseCaseDeps } from '../../platform/http/tx.ts';
import { phoneLineSettings } from './messages.tables.ts';

export async function getPhoneLine({ tx, ctx }: UseCaseDeps): Promise<{ clinicNumber: string | null }> {
  const [row] = await tx
    .select({ n: phoneLineSettings.clinicNumber })
    .from(phoneLineSettings)
    .where(eq(phoneLineSettings.programId, programOf(ctx)));
  return { clinicNumber: row?.n ?? null };
}

export async function updatePhoneLine({ tx, ctx }: UseCaseDeps, input: { clinicNumber: string | null }): Promise<{ clinicNumber: string | null }> {
  const programId = programOf(ctx);
  const clinicNumber = input.clinicNumber === null || input.clinicNumber.trim() === '' ? null : toE164(input.clinicNumber);
  if (input.clinicNumber !== null && input.clinicNumber.trim() !== '' && !clinicNumber) throw invalid('body.clinicNumber', 'must be a phone number such as +1 555 010 0000');
  const values = { clinicNumber, updatedBy: ctx.principal?.userId ?? null, updatedAt: ctx.now };
  await tx
    .insert(phoneLineSettings)
    .values({ programId, ...values })
    .onConflictDoUpdate({ target: phoneLineSettings.programId, set: values });
  await writeAudit(tx, auditContext(ctx), { action: 'update', entity: 'messages', detail: { phoneLine: true, clinicNumber: clinicNumber !== null } });
  return { clinicNumber };
}
