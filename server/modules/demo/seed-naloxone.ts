// Demo naloxone kits and training (fictional), issue 15: three lots (one in date with plenty,
// one expiring within the warning days, one running low), kits given to patients (the app's
// demo patient among them), a family member and a community member, and a training without a
// kit — recorded through the use cases, so stock and audit rows are as the clinic makes them.
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { TRAINING_STEPS } from '../../../core/naloxone/steps.ts';
import { patients } from '../patients/patients.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { giveKit, receiveLot, recordTraining } from '../naloxone/naloxone.ts';
import { ctxFor } from './seed-clinical.ts';

export async function seedNaloxoneDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }): Promise<void> {
  const peer = o.staff.get('peer-specialist') ?? o.staff.get('administrator');
  if (!peer) return;
  const today = localDate(o.now, await programTimeZone(tx, o.programId));
  const d = { tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: peer.id, name: peer.name, role: 'peer-specialist', now: o.now }) };
  const plenty = await receiveLot(d, { product: 'nasal-4mg', lotNumber: 'NX24A117', expiresOn: addDays(today, 540), quantity: 8, receivedOn: addDays(today, -60) });
  const soon = await receiveLot(d, { product: 'nasal-4mg', lotNumber: 'NX23K052', expiresOn: addDays(today, 21), quantity: 6, receivedOn: addDays(today, -300) });
  const low = await receiveLot(d, { product: 'nasal-8mg', lotNumber: 'KL8-3391', expiresOn: addDays(today, 400), quantity: 2, receivedOn: addDays(today, -30) });
  const rows = await tx
    .select({ id: patients.id, mrn: patients.mrn })
    .from(patients)
    .where(and(eq(patients.programId, o.programId)))
    .orderBy(asc(patients.mrn));
  const app = rows.find((r) => r.mrn === o.appPatientMrn);
  const others = rows.filter((r) => r.mrn !== o.appPatientMrn).slice(0, 4);
  const all = [...TRAINING_STEPS];
  if (app) await giveKit(d, { lotId: plenty.id, recipient: { kind: 'patient', patientId: app.id }, givenOn: addDays(today, -20), trainingSteps: all });
  for (const [i, p] of others.entries())
    await giveKit(d, { lotId: i % 2 ? soon.id : plenty.id, recipient: { kind: 'patient', patientId: p.id }, givenOn: addDays(today, -10 - i), trainingSteps: i === 3 ? [] : all });
  await giveKit(d, { lotId: soon.id, recipient: { kind: 'family', firstName: 'Marisol', ...(app ? { forPatientId: app.id } : {}) }, givenOn: addDays(today, -5), trainingSteps: all });
  await giveKit(d, { lotId: low.id, recipient: { kind: 'community', note: 'Library outreach table' }, givenOn: addDays(today, -3), trainingSteps: ['call-for-help', 'give-naloxone'] });
  await recordTraining(d, { recipient: { kind: 'community', firstName: 'Dee' }, steps: all, trainedOn: addDays(today, -2) });
}
