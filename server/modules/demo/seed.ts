// The demo: an obviously fictional organisation with two programmes, one account per
// role, and patients whose names say they are made up. Loaded on the first start of an
// empty embedded database (WAYPOINT_DEMO=auto) or by `waypoint demo seed`.
import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../../core/access/roles.ts';
import { type Db, type Tx, inTransaction } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, systemCtx } from '../../platform/http/context.ts';
import { users } from '../identity/identity.tables.ts';
import { careTeam, episodes, medications, patients } from '../patients/patients.tables.ts';
import { organizations } from '../programs/programs.tables.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../programs/bootstrap.ts';
import { seedCheckInsDemo } from './seed-checkins.ts';
import { seedClinicalDemo } from './seed-clinical.ts';
import { seedMessagesDemo } from './seed-messages.ts';
import { seedHelpDemo } from './seed-help.ts';
import { seedEncountersDemo } from './seed-encounters.ts';
import { seedNotesDemo } from './seed-notes.ts';
import { seedCounsellingDemo } from './seed-counselling.ts';
import { seedLevelsOfCareDemo } from './seed-levels-of-care.ts';
import { seedSkillsDemo } from './seed-skills.ts';
import { seedMeetingsDemo } from './seed-meetings.ts';
import { seedPeersDemo } from './seed-peers.ts';
import { seedNaloxoneDemo } from './seed-naloxone.ts';
import { seedConsentDemo } from './seed-consent.ts';
import { seedTogetherDemo } from './seed-together.ts';
import { seedFamilyEducationDemo } from './seed-family-education.ts';
import { seedCraftDemo } from './seed-craft.ts';
import { closeMissedOpportunities } from '../cm/missed.ts';
import { issueInvite } from '../patient-app/invites.ts';
import { programs } from '../programs/programs.tables.ts';

export const DEMO_PASSWORD = 'harbor-demo-passphrase';

export const DEMO_STAFF: Array<{ email: string; name: string; role: Role; workPhone?: string }> = [
  { email: 'admin@harbor.example', name: 'Avery Admin (demo)', role: 'administrator' },
  { email: 'prescriber@harbor.example', name: 'Dr. Pat Prescriber (demo)', role: 'prescriber' },
  { email: 'counsellor@harbor.example', name: 'Casey Counsellor (demo)', role: 'counsellor', workPhone: '+15555550142' },
  { email: 'cm@harbor.example', name: 'Morgan Coordinator (demo)', role: 'cm-coordinator' },
  { email: 'peer@harbor.example', name: 'Riley Peer (demo)', role: 'peer-specialist' },
  { email: 'collector@harbor.example', name: 'Sam Collector (demo)', role: 'specimen-collector' },
  { email: 'frontdesk@harbor.example', name: 'Jordan Frontdesk (demo)', role: 'front-desk' },
  { email: 'auditor@harbor.example', name: 'Quinn Auditor (demo)', role: 'auditor' },
];

const GIVEN = [
  'Alder',
  'Birch',
  'Cedar',
  'Dove',
  'Ember',
  'Fern',
  'Grove',
  'Heron',
  'Iris',
  'Juniper',
  'Kestrel',
  'Linden',
  'Maple',
  'Nova',
  'Oak',
  'Piper',
  'Quill',
  'Robin',
  'Sage',
  'Teal',
  'Umber',
  'Vale',
  'Wren',
  'Yarrow',
];
const FAMILY = ['Example', 'Sample', 'Demo', 'Placeholder', 'Fictitious', 'Testwell'];

/** Sex, gender identity and pronouns recorded together (ADR 023): a mix, including not recorded and declined. */
const SEX_AND_GENDER: ReadonlyArray<Pick<typeof patients.$inferInsert, 'administrativeSex' | 'sex' | 'genderIdentity' | 'pronouns'>> = [
  { administrativeSex: 'female', sex: 'female', genderIdentity: 'female', pronouns: 'she/her' },
  { administrativeSex: 'male', sex: 'male', genderIdentity: 'male', pronouns: 'he/him' },
  { administrativeSex: 'female', sex: 'female', genderIdentity: 'female', pronouns: null },
  { administrativeSex: 'male', sex: 'male', genderIdentity: null, pronouns: null },
  { administrativeSex: 'male', sex: 'female', genderIdentity: 'male', pronouns: 'he/him' },
  { administrativeSex: 'other', sex: 'male', genderIdentity: 'non-binary', pronouns: 'they/them' },
  { administrativeSex: 'female', sex: 'asked-declined', genderIdentity: 'female', pronouns: 'she/her' },
  { administrativeSex: 'unknown', sex: null, genderIdentity: 'asked-declined', pronouns: null },
  { administrativeSex: 'unknown', sex: null, genderIdentity: null, pronouns: null },
];

/** A tiny deterministic generator so every demo looks the same. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export async function hasAnyOrganization(db: Db): Promise<boolean> {
  const rows = await db
    .select({ n: sql<number>`1` })
    .from(organizations)
    .limit(1);
  return rows.length > 0;
}

/** Whether this database holds the demo organisation (so start-up can print its sign-ins). */
export async function isDemoDatabase(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_STAFF[0]!.email)).limit(1);
  return rows.length > 0;
}

export type DemoSummary = { orgId: string; programIds: string[]; accounts: Array<{ email: string; role: Role }>; password: string; patients: number };

export async function seedDemo(db: Db, now: Date = new Date()): Promise<DemoSummary> {
  const summary = await inTransaction(db, async (tx) => {
    const orgId = await createOrganization(tx, { name: 'Harbor Demo Health (fictional)', now });
    const main = await createProgram(tx, { orgId, name: 'Harbor Street Clinic (demo)', timeZone: 'America/New_York', now });
    const second = await createProgram(tx, { orgId, name: 'Riverside Outreach (demo)', timeZone: 'America/Chicago', now });
    const staffIds = new Map<Role, string>();
    for (const s of DEMO_STAFF) {
      const roles = [{ programId: main, role: s.role }];
      // The demo administrator administers both programmes and the organisation (its policy: ADR 020).
      const admin = s.role === 'administrator';
      if (admin) roles.push({ programId: second, role: 'administrator' });
      staffIds.set(
        s.role,
        await createUserWithRoles(tx, {
          orgId,
          email: s.email,
          displayName: s.name,
          password: DEMO_PASSWORD,
          roles,
          now,
          checkPassword: false,
          ...(s.workPhone ? { workPhone: s.workPhone } : {}),
          ...(admin ? { organizationRoles: ['organization-administrator' as const] } : {}),
        }),
      );
    }
    const n1 = await seedPatients(tx, { programId: main, orgId, count: 48, prefix: 'HSC', seed: 7, now, staff: staffIds });
    // Contingency management and assessments (fictional), through the module use cases.
    const named = new Map([...staffIds].map(([role, id]) => [role, { id, name: DEMO_STAFF.find((s) => s.role === role)!.name }]));
    await seedClinicalDemo(tx, { orgId, programId: main, now, staff: named });
    await seedCheckInsDemo(tx, { orgId, programId: main, now, staff: named });
    await seedMessagesDemo(tx, { programId: main, now });
    await seedHelpDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedEncountersDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedNotesDemo(tx, { orgId, programId: main, now, staff: named });
    await seedCounsellingDemo(tx, { orgId, programId: main, now, staff: named });
    await seedLevelsOfCareDemo(tx, { orgId, programId: main, now, staff: named });
    await seedSkillsDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedMeetingsDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedPeersDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedNaloxoneDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedConsentDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedTogetherDemo(tx, { orgId, programId: main, now, staff: named, appPatientMrn: DEMO_APP_PATIENT_MRN });
    await seedFamilyEducationDemo(tx, { orgId, programId: main, now, staff: named });
    await seedCraftDemo(tx, { orgId, programId: main, now, staff: named });
    const n2 = await seedPatients(tx, { programId: second, orgId, count: 12, prefix: 'RVO', seed: 11, now, staff: new Map() });
    return { orgId, programIds: [main, second], accounts: DEMO_STAFF.map((s) => ({ email: s.email, role: s.role })), password: DEMO_PASSWORD, patients: n1 + n2 };
  });
  // the tests the demo patients skipped show as missed at once, not at the job's next run
  await closeMissedOpportunities(db, now);
  return summary;
}

/** The demo patient the patient app's invite is for: a demo patient in contingency management, so Today shows progress. */
export const DEMO_APP_PATIENT_MRN = 'HSC-0002';

/**
 * A fresh patient-app invite for the demo patient (the open one is revoked), so start-up can
 * print a code that works: codes are stored only as hashes and shown once (ADR 030).
 */
export async function demoPatientAppInvite(db: Db, now: Date = new Date()): Promise<{ code: string; activationPath: string; /** its MRN */ patient: string } | null> {
  return inTransaction(db, async (tx) => {
    const [p] = await tx
      .select({ id: patients.id, programId: patients.programId, orgId: programs.orgId })
      .from(patients)
      .innerJoin(programs, eq(programs.id, patients.programId))
      .where(eq(patients.mrn, DEMO_APP_PATIENT_MRN))
      .limit(1);
    if (!p) return null;
    const invite = await issueInvite({ tx, ctx: systemCtx({ orgId: p.orgId, programId: p.programId, now }) }, p.id);
    return { code: invite.code, activationPath: invite.activationPath, patient: DEMO_APP_PATIENT_MRN };
  });
}

async function seedPatients(tx: Tx, o: { programId: string; orgId: string; count: number; prefix: string; seed: number; now: Date; staff: Map<Role, string> }): Promise<number> {
  const rnd = lcg(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const day = (offsetDays: number) => new Date(o.now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const rows = [];
  for (let i = 1; i <= o.count; i++) {
    const given = GIVEN[(i * 7) % GIVEN.length]!;
    const family = FAMILY[i % FAMILY.length]!;
    const year = 1960 + Math.floor(rnd() * 42);
    const month = 1 + Math.floor(rnd() * 12);
    const dayOfMonth = 1 + Math.floor(rnd() * 28);
    rows.push({
      programId: o.programId,
      id: randomUUID(),
      mrn: `${o.prefix}-${String(i).padStart(4, '0')}`,
      legalGivenName: given,
      legalFamilyName: family,
      preferredName: rnd() < 0.2 ? `${given.slice(0, 3)}` : null,
      ...pick(SEX_AND_GENDER),
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`,
      preferredLanguage: rnd() < 0.25 ? 'es' : 'en',
      phone: `555-01${String(i % 100).padStart(2, '0')}`,
      email: null,
      address: null,
      contactConsent: rnd() < 0.7,
      emergencyContactName: rnd() < 0.5 ? `${pick(GIVEN)} ${family} (demo)` : null,
      emergencyContactPhone: null,
      emergencyContactRelationship: null,
      version: 1,
      createdAt: o.now,
      updatedAt: o.now,
    });
  }
  await tx.insert(patients).values(rows);
  const prescriber = o.staff.get('prescriber');
  const counsellor = o.staff.get('counsellor');
  for (const p of rows) {
    const admitted = day(-Math.floor(rnd() * 300) - 14);
    const level = pick(['otp', 'otp', 'office-based', 'intensive-outpatient'] as const);
    await tx.insert(episodes).values({ programId: o.programId, id: randomUUID(), patientId: p.id, levelOfCare: level, admittedOn: admitted, createdAt: o.now });
    const med = level === 'otp' ? 'methadone' : pick(['buprenorphine', 'buprenorphine', 'naltrexone', 'none'] as const);
    await tx.insert(medications).values({
      programId: o.programId,
      id: randomUUID(),
      patientId: p.id,
      medication: med,
      dose: med === 'methadone' ? `${60 + Math.floor(rnd() * 8) * 10} mg daily` : med === 'buprenorphine' ? '16 mg daily' : null,
      startedOn: admitted,
      prescriberId: prescriber ?? null,
      prescriberName: prescriber ? 'Dr. Pat Prescriber (demo)' : null,
      createdAt: o.now,
    });
    if (counsellor) await tx.insert(careTeam).values({ programId: o.programId, patientId: p.id, userId: counsellor, role: 'primary-counsellor', since: admitted, createdAt: o.now });
  }
  await writeAudit(tx, auditContext(systemCtx({ orgId: o.orgId, programId: o.programId, now: o.now })), { action: 'create', entity: 'demo-data', detail: { patients: rows.length } });
  return rows.length;
}
