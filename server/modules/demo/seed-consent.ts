// Demo consent, disclosures and family (fictional), issue 16: the app's demo patient has the
// privacy notice acknowledged, the treatment/payment/operations consent signed on paper, a
// sister who sees the next visit, check-ins, rewards progress and the safety plan, a consent
// for a primary care clinic waiting for the patient's signature in the app, an earlier consent
// the patient took back, and disclosures in the accounting (the sister's views, a printout for
// the clinic, one medical emergency). Other patients have no notice yet, so the warning shows.
// Everything goes through the use cases, so audit rows are as the clinic makes them.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { patients } from '../patients/patients.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { createConsent, recordNotice, revokeConsent } from '../consent/consents.ts';
import { makeDisclosure } from '../consent/disclosures.ts';
import { addFamilyMember, sharedWithMe } from '../consent/family.ts';
import { ctxFor } from './seed-clinical.ts';

/** A one-page PDF saying it is a demo scan (no real signature). */
const DEMO_SCAN = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj 4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 700 Td (Demo consent scan - fictional) Tj ET\nendstream endobj 5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

export async function seedConsentDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }): Promise<void> {
  const counsellor = o.staff.get('counsellor') ?? o.staff.get('administrator');
  if (!counsellor) return;
  const today = localDate(o.now, await programTimeZone(tx, o.programId));
  const ctx = ctxFor({ orgId: o.orgId, programId: o.programId, userId: counsellor.id, name: counsellor.name, role: 'counsellor', now: o.now });
  const d = { tx, ctx };
  const [app] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId), eq(patients.mrn, o.appPatientMrn)));
  if (!app) return;
  const paper = (signedOn: string) => ({ signerName: 'Demo Patient (fictional)', signerRole: 'patient', signedOn, scan: { contentType: 'application/pdf' as const, base64: DEMO_SCAN } });

  await recordNotice(d, app.id, { language: 'en', method: 'paper' });
  await createConsent(d, app.id, {
    template: 'tpo',
    language: 'en',
    recipient: { kind: 'tpo-designation' },
    purposes: ['treatment', 'payment', 'health-care-operations'],
    dataClasses: ['appointments', 'attendance', 'screens', 'medication', 'care-plan', 'assessments', 'demographics'],
    dataDescription: 'My treatment records at this program: visits, test results, medicine, my care plan and screening scores. Not my counseling notes.',
    expiry: { kind: 'none' },
    paper: paper(addDays(today, -20)),
  });
  const family = await addFamilyMember(d, app.id, { displayName: 'Marisol (demo sister)', relationship: 'sibling', language: 'es' });
  const sister = family.items[0]!.id;
  const familyTerms = {
    template: 'family',
    language: 'es' as const,
    recipient: { kind: 'family-member' as const, familyMemberId: sister },
    purposes: ['family-support' as const],
    dataDescription: 'Solo lo que está marcado: mi próxima cita, mis registros diarios, mi progreso de premios y mi plan de seguridad.',
    expiry: { kind: 'end-of-treatment' as const },
  };
  // an earlier consent (appointments only) the patient took back, then the one in effect
  const earlier = await createConsent(d, app.id, { ...familyTerms, dataClasses: ['appointments'], paper: paper(addDays(today, -30)) });
  await revokeConsent(d, app.id, earlier.id, { note: 'Asked to replace it with a wider one.' }, 'staff');
  await createConsent(d, app.id, { ...familyTerms, dataClasses: ['appointments', 'check-ins', 'cm-progress', 'safety-plan'], paper: paper(addDays(today, -14)) });
  // waiting for the patient's signature in the app
  await createConsent(d, app.id, {
    template: 'organization',
    language: 'en',
    recipient: { kind: 'organization', name: 'Riverside Primary Care (demo)' },
    purposes: ['care-coordination'],
    dataClasses: ['appointments', 'medication'],
    dataDescription: 'Only my visits and my medicine, so my primary care doctor knows.',
    expiry: { kind: 'date', on: addDays(today, 365) },
  });
  // disclosures: the sister's view in her app, a printout for the clinic, one emergency
  await sharedWithMe(
    { tx, ctx: { ...ctx, principal: null, family: { programId: o.programId, orgId: o.orgId, familyMemberId: sister, deviceId: 'demo', sessionId: 'demo', idleMinutes: 5 } } },
    { programId: o.programId, orgId: o.orgId, familyMemberId: sister, deviceId: 'demo', sessionId: 'demo', idleMinutes: 5 },
  );
  await makeDisclosure(d, app.id, { recipient: { kind: 'organization', name: 'Riverside Primary Care (demo)' }, purpose: 'treatment', dataClasses: ['medication', 'appointments'], channel: 'print' });
  await makeDisclosure(d, app.id, {
    recipient: { kind: 'organization', name: 'County Emergency Department (demo)' },
    dataClasses: ['medication'],
    channel: 'print',
    exception: 'medical-emergency',
    reason: 'Demo: the emergency department asked for the current dose of a patient who could not answer.',
  });
}
