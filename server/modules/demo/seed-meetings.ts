// Demo meetings (fictional), issue 15: manual entries of several fellowships around the demo
// clinic (ZIP 10027, New York), Spanish-language ones among them, an online and a hybrid one,
// friendliness records of each kind of evidence, and enough welcome answers on one meeting to
// show the counts. Written through the module's use cases, so the audit is consistent.
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../core/access/roles.ts';
import { systemCtx, type Ctx } from '../../platform/http/context.ts';
import type { MeetingInput } from '../../../contracts/meetings.ts';
import { patients } from '../patients/patients.tables.ts';
import { createMeeting } from '../meetings/directory.ts';
import { recordFriendliness, reportWelcome } from '../meetings/friendliness.ts';
import { createSource } from '../meetings/sources.ts';
import { importFeed } from '../meetings/import.ts';

const NY = 'America/New_York';

/** Fictional groups; addresses are made up ("Example" streets). */
const DEMO: Array<MeetingInput & { friendliness?: ['welcoming' | 'mixed' | 'restrictive', 'stated-policy' | 'staff-visit' | 'patient-reports'] }> = [
  {
    fellowship: 'ma',
    name: 'Harbor Methadone Anonymous',
    weekday: 1,
    startTime: '12:00',
    endTime: '13:00',
    timeZone: NY,
    mode: 'in-person',
    locationName: 'Harbor Street Clinic, room 2',
    address: '100 Example St, New York, NY',
    postalCode: '10027',
    languages: ['en'],
    types: ['O'],
    friendliness: ['welcoming', 'stated-policy'],
  },
  {
    fellowship: 'ma',
    name: 'Metadona Anónimos Esperanza',
    weekday: 3,
    startTime: '18:30',
    endTime: '19:30',
    timeZone: NY,
    mode: 'in-person',
    locationName: 'Centro Comunitario (ficticio)',
    address: '210 Example Ave, New York, NY',
    postalCode: '10026',
    languages: ['es'],
    types: ['O', 'S'],
    friendliness: ['welcoming', 'staff-visit'],
  },
  {
    fellowship: 'mars',
    name: 'MARS Tuesday online',
    weekday: 2,
    startTime: '19:00',
    endTime: '20:00',
    timeZone: NY,
    mode: 'online',
    conferenceUrl: 'https://example.org/mars-demo',
    languages: ['en'],
    types: ['O'],
  },
  {
    fellowship: 'mara',
    name: 'MARA Saturday',
    weekday: 6,
    startTime: '10:00',
    endTime: '11:00',
    timeZone: NY,
    mode: 'hybrid',
    address: '55 Example Pl, New York, NY',
    postalCode: '10030',
    conferenceUrl: 'https://example.org/mara-demo',
    languages: ['en'],
    types: ['O'],
  },
  {
    fellowship: 'smart',
    name: 'SMART Recovery Uptown',
    weekday: 4,
    startTime: '17:30',
    endTime: '19:00',
    timeZone: NY,
    mode: 'in-person',
    address: '12 Example Rd, New York, NY',
    postalCode: '10031',
    languages: ['en'],
    types: ['O'],
    friendliness: ['mixed', 'patient-reports'],
  },
  {
    fellowship: 'na',
    name: 'Grupo Nueva Vida (NA)',
    weekday: 5,
    startTime: '20:00',
    endTime: '21:30',
    timeZone: NY,
    mode: 'in-person',
    address: '300 Example Blvd, New York, NY',
    postalCode: '10029',
    languages: ['es'],
    types: ['C', 'S'],
    friendliness: ['restrictive', 'staff-visit'],
  },
  {
    fellowship: 'recovery-dharma',
    name: 'Recovery Dharma Morningside',
    weekday: 0,
    startTime: '09:00',
    endTime: '10:00',
    timeZone: NY,
    mode: 'in-person',
    address: '8 Example Ct, New York, NY',
    postalCode: '10025',
    languages: ['en'],
    types: ['O'],
  },
  {
    fellowship: 'programme',
    name: 'Harbor Street Clinic peer group',
    weekday: 2,
    startTime: '15:00',
    endTime: '16:00',
    timeZone: NY,
    mode: 'hybrid',
    locationName: 'Harbor Street Clinic',
    address: '100 Example St, New York, NY',
    postalCode: '10027',
    conferencePhone: '+1 555 010 0190',
    languages: ['en', 'es'],
    types: ['O'],
    friendliness: ['welcoming', 'stated-policy'],
  },
  {
    fellowship: 'nar-anon',
    name: 'Nar-Anon Family Group Harlem',
    weekday: 1,
    startTime: '19:00',
    endTime: '20:00',
    timeZone: NY,
    mode: 'in-person',
    address: '40 Example St, New York, NY',
    postalCode: '10027',
    languages: ['en'],
    types: ['O'],
  },
  {
    fellowship: 'al-anon',
    name: 'Al-Anon Familias Unidas',
    weekday: 4,
    startTime: '19:30',
    endTime: '20:30',
    timeZone: NY,
    mode: 'online',
    conferenceUrl: 'https://example.org/alanon-demo',
    languages: ['es'],
    types: ['S'],
  },
];

/**
 * A small Meeting Guide feed as an intergroup would publish it (fictional), uploaded by hand:
 * one meeting on two days, one online, and one record without a time that the import refuses,
 * so the Sources tab shows an import with its counts and a refused record.
 */
const DEMO_FEED = [
  {
    slug: 'demo-harlem-hope',
    name: 'Hope at Noon (demo)',
    day: [1, 4],
    time: '12:00',
    end_time: '13:00',
    location: 'Example Hall (fictional)',
    formatted_address: '300 Example Ave, New York, NY 10027',
    latitude: 40.811,
    longitude: -73.953,
    types: ['O', 'D'],
  },
  { slug: 'demo-online-evening', name: 'Evening Online (demo)', day: 2, time: '20:00', end_time: '21:00', conference_url: 'https://example.org/evening-demo', types: ['C', 'S'] },
  { slug: 'demo-missing-time', name: 'No Time Given (demo)', day: 5, types: ['O'] },
];

export async function seedMeetingsDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }>; appPatientMrn: string }): Promise<void> {
  const staff = o.staff.get('counsellor') ?? o.staff.get('administrator');
  if (!staff) return;
  const role: Role = o.staff.get('counsellor') ? 'counsellor' : 'administrator';
  const as = (when: Date): { tx: Tx; ctx: Ctx } => {
    const base = systemCtx({ orgId: o.orgId, programId: o.programId, now: when, requestId: 'demo-seed' });
    return {
      tx,
      ctx: {
        ...base,
        principal: { userId: staff.id, orgId: o.orgId, displayName: staff.name, sessionId: 'demo-seed', stage: 'active', mustChangePassword: false },
        program: { programId: o.programId, roles: [role], permissions: new Set(ROLE_PERMISSIONS[role]) },
      },
    };
  };
  const weekAgo = new Date(o.now.getTime() - 7 * 86_400_000);
  const ids: string[] = [];
  for (const { friendliness, ...m } of DEMO) {
    const d = await createMeeting(as(weekAgo), m);
    ids.push(d.meeting.id);
    if (friendliness) await recordFriendliness(as(weekAgo), d.meeting.id, { friendliness: friendliness[0], evidence: friendliness[1], note: 'Demo record (fictional).' });
  }
  // an older, superseded record on the first meeting: the history shows both
  await recordFriendliness(as(new Date(weekAgo.getTime() - 200 * 86_400_000)), ids[0]!, { friendliness: 'mixed', evidence: 'patient-reports', note: 'Demo record (fictional).' });
  // welcome answers on the Spanish MA group from four demo patients (the counts show from three)
  const ps = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.programId, o.programId)))
    .orderBy(asc(patients.mrn))
    .limit(4);
  const answers = ['yes', 'yes', 'somewhat', 'yes'] as const;
  for (const [i, p] of ps.entries()) await reportWelcome({ tx, ctx: { ...as(o.now).ctx, principal: null } }, p.id, ids[1]!, answers[i]!);
  const source = await createSource(as(weekAgo), { name: 'Harbor intergroup (demo feed)', format: 'meeting-guide', url: null, defaultTimeZone: NY, defaultFellowship: 'aa' });
  await importFeed(as(weekAgo), source.id, DEMO_FEED);
}
