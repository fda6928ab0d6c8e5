// Demo Help now (fictional): the Harbor Street programme's crisis and after-hours lines,
// clinic number and naloxone places (555 numbers, invented places), and a safety plan for
// the demo app patient that the patient started in the app and the counsellor added to —
// two versions, through the module's own use cases (ADR 037).
import { and, eq } from 'drizzle-orm';
import type { Role } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import { patients } from '../patients/patients.tables.ts';
import { savePatientSafetyPlan, saveStaffSafetyPlan } from '../help/safety-plan.ts';
import { updateHelpSettings } from '../help/settings.ts';
import { ctxFor } from './seed-clinical.ts';

export const DEMO_HELP_SETTINGS = {
  clinicPhone: '+15555550100',
  crisisLines: [{ labelEn: 'Harbor County crisis line (demo)', labelEs: 'Línea de crisis del condado Harbor (demo)', phone: '+15555550111' }],
  afterHoursLines: [{ labelEn: 'After-hours nurse line (demo)', labelEs: 'Enfermería fuera de horario (demo)', phone: '+15555550122' }],
  naloxonePlaces: [
    { name: 'Harbor Street Clinic front desk (demo)', address: '100 Example Street, Harbor City', hours: 'Mon–Fri 7 am – 3 pm', phone: '+15555550100', note: 'Free kits. No ID needed.' },
    { name: 'Seaside Pharmacy (demo)', address: '12 Fictional Avenue, Harbor City', hours: 'Every day 8 am – 9 pm', phone: '+15555550133', note: 'Ask at the counter. No prescription needed.' },
    { name: 'Harbor Library vending machine (demo)', address: '3 Sample Road, Harbor City', hours: 'Open all day and night', phone: null, note: null },
  ],
};

export async function seedHelpDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }) {
  const admin = o.staff.get('administrator')!;
  const counsellor = o.staff.get('counsellor')!;
  await updateHelpSettings({ tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: admin.id, name: admin.name, role: 'administrator', now: o.now }) }, DEMO_HELP_SETTINGS);
  const [p] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), eq(patients.mrn, o.appPatientMrn)));
  if (!p) return;
  const earlier = new Date(o.now.getTime() - 3 * 86_400_000);
  const staffCtx = ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now: earlier });
  const patientCtx = { ...staffCtx, principal: null, now: new Date(earlier.getTime() - 86_400_000) };
  const me = { programId: o.programId, orgId: o.orgId, patientId: p.id, deviceId: 'demo', sessionId: 'demo-seed', idleMinutes: 5 };
  const plan = {
    warningSigns: ['I stop answering texts', 'I skip meals and stay up late'],
    copingStrategies: ['Walk by the water', 'Play guitar for 20 minutes'],
    distractions: ['Coffee with my cousin (demo)', 'The Tuesday meeting at the library'],
    helpers: [{ name: 'Jordan (sister, demo)', phone: '555-555-0142' }],
    professionals: [],
    safeEnvironment: [],
  };
  const v1 = await savePatientSafetyPlan({ tx, ctx: { ...patientCtx, patient: me } }, me, { version: 0, plan });
  await saveStaffSafetyPlan({ tx, ctx: staffCtx }, p.id, {
    version: v1.version,
    plan: { ...plan, professionals: [{ name: 'Harbor Street Clinic (demo)', phone: '555-555-0100' }], safeEnvironment: ['Keep take-home doses in the lock box'] },
  });
}
