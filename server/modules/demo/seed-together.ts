// Demo couples and network therapy (fictional), issue 16: the app's demo patient and their
// partner "Sam (demo partner)" have a recovery contract started three weeks ago with most days'
// trust talk held (marked by the patient, by Sam in his app and by the counsellor in session),
// and a consent naming Sam for the couple's calendar ('family-work'); a network of two —
// "Marisol (demo sister)", who marks the doses she sees in her app, and a friend without the app
// — with a meeting last week and doses seen on most of the last 14 days. Today is left open, so
// the demo can mark it. Everything goes through the use cases, so audit rows are as the clinic
// makes them.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import type { Role } from '../../../core/access/roles.ts';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import type { Ctx } from '../../platform/http/context.ts';
import { patients } from '../patients/patients.tables.ts';
import { programTimeZone } from '../cm/settle.ts';
import { createConsent } from '../consent/consents.ts';
import { addFamilyMember } from '../consent/family.ts';
import { createContract, partnerRecordDay, patientRecordDay, staffRecordDay } from '../family/couples.ts';
import { addMember, memberRecordDose, recordMeeting } from '../family/network.ts';
import { ctxFor } from './seed-clinical.ts';

const SCAN = Buffer.from('%PDF-1.4\n% Demo consent scan - fictional\n%%EOF\n').toString('base64');

export async function seedTogetherDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }): Promise<void> {
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

  const family = await addFamilyMember(d, app.id, { displayName: 'Sam (demo partner)', relationship: 'partner', language: 'en' });
  const sam = family.items.find((m) => m.displayName === 'Sam (demo partner)')!.id;
  const marisol = family.items.find((m) => m.displayName === 'Marisol (demo sister)')?.id ?? null;
  const start = addDays(today, -21);
  await createConsent(d, app.id, {
    template: 'family',
    language: 'en',
    recipient: { kind: 'family-member', familyMemberId: sam },
    purposes: ['family-support'],
    dataClasses: ['family-work'],
    dataDescription: 'Only our trust talk calendar: the days we had our talk and the days Sam saw me take my medicine.',
    expiry: { kind: 'end-of-treatment' },
    paper: { signerName: 'Demo Patient (fictional)', signerRole: 'patient', signedOn: start, scan: { contentType: 'application/pdf', base64: SCAN } },
  });
  const contract = await createContract(d, app.id, {
    familyMemberId: sam,
    terms: ['trust-discussion', 'medication-witnessed', 'self-help-meetings', 'no-past-use-or-threats'],
    ownTerms: 'We take a walk after dinner on Sundays.',
    startsOn: start,
  });
  const app_ = { programId: o.programId, orgId: o.orgId, deviceId: 'demo', sessionId: 'demo', idleMinutes: 5 };
  const asPatient: Ctx = { ...ctx, principal: null, patient: { ...app_, patientId: app.id } };
  const asSam: Ctx = { ...ctx, principal: null, family: { ...app_, familyMemberId: sam } };
  const notHeld = new Set([16, 9, 4]); // days ago
  for (let ago = 21; ago >= 1; ago--) {
    const day = addDays(today, -ago);
    const held = !notHeld.has(ago);
    if (ago % 7 === 0) await staffRecordDay(d, app.id, contract.id, day, { held, medicationWitnessed: held });
    else if (ago % 2 === 0) await patientRecordDay({ tx, ctx: asPatient }, asPatient.patient!, day, held);
    else await partnerRecordDay({ tx, ctx: asSam }, asSam.family!, contract.id, day, { held, medicationWitnessed: held });
  }

  // the network: Marisol (with the app) and a friend (name only)
  const joined = addDays(today, -20);
  if (marisol) await addMember(d, app.id, { familyMemberId: marisol, relationship: 'sister', role: 'Sees the morning dose on weekdays', joinedOn: joined });
  const all = await addMember(d, app.id, { displayName: 'Ray (demo friend)', relationship: 'friend', role: 'Drives to the clinic on Mondays', joinedOn: joined });
  const sister = marisol ? all.items.find((m) => m.familyMemberId === marisol) : undefined;
  await recordMeeting(d, app.id, { heldOn: addDays(today, -7), attendees: all.items.map((m) => m.id), note: 'Planned who sees the dose each day; talked about what to do after a missed dose.' });
  if (sister) {
    const asMarisol: Ctx = { ...ctx, principal: null, family: { ...app_, familyMemberId: marisol! } };
    for (let ago = 14; ago >= 1; ago--) {
      if (ago === 6 || ago === 13) continue; // days nobody saw
      await memberRecordDose({ tx, ctx: asMarisol }, asMarisol.family!, sister.id, addDays(today, -ago), { taken: ago !== 10 });
    }
  }
}
