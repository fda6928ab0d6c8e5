// Small helpers shared by the family module (craft.ts, couples.ts, network.ts): the programme's today, and a 400 naming
// every field at fault (nothing written).
import { localDate } from '../../../core/cm/calendar.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { programTimeZone } from '../cm/settle.ts';

export const invalidAll = (problems: { field: string; message: string }[], code = 'invalid_input') =>
  new AppError({ code, status: 400, message: problems.map((p) => `${p.field} ${p.message}`).join('; '), problems });

export async function todayIn(tx: Tx, programId: string, now: Date): Promise<{ today: string; tz: string }> {
  const tz = await programTimeZone(tx, programId);
  return { today: localDate(now, tz), tz };
}
