// One record of every kind a route can name, in programme A and in programme B, for the
// authorisation walk (test/platform/authorization.test.ts). Records are made the way the
// clinic makes them: through the API as an administrator of each programme (A: the
// world's administrator; B: adminB), so the walk starts from real, consistent state. The
// few rows the API cannot make directly (a care-team link to a given user, a second
// programme-B patient with unmistakable details, staff) are inserted.
import { builtInModules } from '../../server/modules/skills/library.ts';
import { encounterParticipants, encounters, groupSeries, groupSeriesMembers } from '../../server/modules/encounters/encounters.tables.ts';
import { TOKEN_SCOPES } from '../../core/access/scopes.ts';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { careTeam, episodes, medications, patients } from '../../server/modules/patients/patients.tables.ts';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { outboxMessages } from '../../server/modules/messages/messages.tables.ts';
import { BOWL, NEG, specimen } from '../cm/support.ts';
import { activatePhone } from './patient-device.ts';
import type { Client, World } from './world.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { stayPhaseChanges, stays } from '../../server/modules/levels-of-care/levels-of-care.tables.ts';
import { DEFAULT_TC_TEMPLATE } from '../../core/levels-of-care/phases.ts';
import { encounterResourceId } from '../../server/modules/fhir/encounters.ts';
import { escalateOverdue } from '../../server/modules/peers/outreach.ts';

export type Fixtures = {
  programId: string;
  patient: string;
  medication: string;
  episode: string;
  careTeamUser: string;
  staff: string;
  /** A user of this programme who may be named as responsible staff on a care plan. */
  planStaff: string;
  protocol: string;
  enrolment: string;
  fundingSource: string;
  /** A specimen (for corrections) and one waiting for a carry-over decision (for adjudications). */
  specimen: string;
  pendingSpecimen: string;
  item: string;
  redemption: string;
  /** The patient's request from the app's catalogue (open), for staff to decline. */
  redemptionRequest: string;
  privilegeRecommendation: string;
  /** A ledger entry (the first specimen's voucher earn) that may be voided. */
  ledgerEntry: string;
  /** An integration token to revoke, and another (with its secret) to act as the 'integration' role. */
  token: string;
  walkerToken: { id: string; secret: string; userId: string };
  commitment: string;
  assessment: string;
  safetyAlert: string;
  patientSession: string;
  /** A device the patient activated in the patient app, and its session cookie (wp_patient=…). */
  patientDevice: string;
  patientCookie: string;
  carePlan: string;
  goal: string;
  observation: string;
  /** A message in the outbox that could not be delivered (a dead letter, to retry). */
  message: string;
  /** An open residential episode, and a stay in it that has ended (a new stay can start in the episode). */
  stayEpisode: string;
  stay: string;
  /** A held visit with the patient attended (FHIR Appointment), its FHIR Encounter id, and the staff member whose Schedule it is on. */
  visit: string;
  fhirEncounter: string;
  scheduleStaff: string;
  /** A weekly group with the patient on its roster. */
  groupSeries: string;
  /** A completed visit with the patient booked on it; a draft progress note and a counselling note on it (by the programme's administrator). */
  encounter: string;
  progressNote: string;
  counsellingNote: string;
  /** Who co-signs the progress note (named when the walk signs it); who was granted the counselling note (the walk revokes it); whom the walk grants it. */
  cosigner: string;
  grantedUser: string;
  grantee: string;
  /** A programme's own skills module (published), an open assignment of a built-in module, and a homework entry from the patient's phone. */
  skillsModule: string;
  skillsAssignment: string;
  skillsEntry: string;
  /** A lot of naloxone kits, in date and with plenty on hand (issue 15). */
  naloxoneLot: string;
  /** A peer referral made two days ago with no contact (so overdue), and its escalation (issue 15). */
  peerReferral: string;
  peerEscalation: string;
  /** A manual meeting entry in the directory, one of the programme's own groups (its attendance code can be shown), issue 15. */
  meeting: string;
  /** A meeting source fed by uploads (issue 15). */
  meetingSource: string;
  /** A family member linked to the patient, the patient's signed paper consent naming them (appointments and check-ins), and their phone in the app (issue 16). */
  familyMember: string;
  recoveryContract: string;
  networkMember: string;
  partner: string;
  consent: string;
  familyDevice: string;
  familyCookie: string;
  /** A CRAFT client's course (no patient link) and the CSO's phone in the app (issue 16). */
  craftCourse: string;
  craftDevice: string;
  /** Strings that must never appear in a response to someone acting in the other programme. */
  sentinels: string[];
};

let seq = 0;
/** A protocol with every payout (cents, draws, privilege), as in test/cm; `name` lets programme B's be recognisable. */
export function walkProtocol(name = 'Authz walk protocol (fictional)') {
  seq += 1;
  return {
    id: `authz-${seq}-${randomUUID().slice(0, 6)}`,
    version: 1,
    name,
    citation: 'test',
    weeks: 12,
    bowl: BOWL,
    tracks: [
      {
        id: 'stim',
        target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
        payout: 'cents',
        phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000 } }],
      },
      { id: 'opioid-draws', target: { kind: 'negative', analytes: ['fentanyl'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 1, step: 1, max: 3 } }] },
      { id: 'attend', target: { kind: 'attendance' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 100 } }] },
      {
        id: 'take-home',
        target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] },
        payout: 'privilege',
        levels: ['daily dosing', '1 take-home', '2 take-homes'],
        phases: [{ fromWeek: 1, toWeek: 12, escalation: { stepEvery: 2 } }],
      },
    ],
  };
}

export const WALK_CALENDAR = { specimen: [1, 3, 5], attendance: [1, 2, 3, 4, 5], windowStart: '08:00', windowEnd: '17:00' };

/** A care plan whose goal and interventions name `staffId` (a user of the same programme); `goal` keeps a goal's id across versions. */
export function walkPlan(staffId: string, title = 'Authz walk plan', goal: string = randomUUID()) {
  const problem = randomUUID();
  return {
    title,
    problems: [{ id: problem, text: 'Opioid use disorder' }],
    goals: [
      {
        id: goal,
        problemIds: [problem],
        description: 'Fewer days of use',
        measure: 'Days of opioid use in the past 30 days',
        targetValue: 4,
        targetComparator: '<=',
        targetUnit: 'days',
        dueDate: '2026-05-01',
        responsibleStaffIds: [staffId],
      },
    ],
    interventions: [{ source: 'recommendation', code: 'motivational-interviewing', text: 'Motivational interviewing', goalIds: [goal], responsibleStaffIds: [staffId], frequency: 'weekly' }],
    reviewDate: '2026-03-06',
  };
}

const PHQ9_ITEM9 = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? 1 : 2]));

async function ok<T>(what: string, res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  if (r.statusCode !== 200) throw new Error(`fixture ${what}: ${r.statusCode} ${r.body.slice(0, 400)}`);
  return r.json() as T;
}

/** Everything the API makes, as an administrator `c` of the programme, for patient `patientId`. */
/** A programme's own skills module: a built-in module's content under a key of its own. */
export function walkModule(key: string) {
  return { ...builtInModules().get('cbt-functional-analysis')!, key, version: 1 };
}

async function viaApi(w: World, c: Client, patientId: string, planStaff: string, tag: string, readers: { grantedUser: string }) {
  const B = tag === 'B';
  const protocol = await ok<{ id: string }>('protocol', c.post('/api/v1/cm/protocols', { document: walkProtocol(B ? 'Bravoleak protocol' : undefined) }));
  const fundingSource = `${B ? 'bravoleak' : 'authz'}-fund`;
  await ok('funding source', c.post('/api/v1/cm/funding-sources', { id: fundingSource, name: `${B ? 'Bravoleak' : 'Authz'} fund`, capsPreset: 'none' }));
  const enrolment = await ok<{ id: string }>(
    'enrolment',
    c.post('/api/v1/cm/enrolments', { patientId, protocolId: protocol.id, startDate: '2026-03-02', calendar: WALK_CALENDAR, fundingSourceId: fundingSource }),
  );
  // three negatives: cents, draws, a bonus and a privilege recommendation; then two positives in a row: a possible carry-over
  const s1 = await ok<{ specimen: { id: string }; award: { entries: Array<{ id: string; kind: string }> } }>('specimen', c.post('/api/v1/specimens', specimen(patientId, '2026-03-02T14:00:00Z')));
  const ledgerEntry = s1.award.entries.find((e) => e.kind === 'earn')?.id;
  if (!ledgerEntry) throw new Error('fixture: the first negative should earn a voucher');
  await ok('specimen 2', c.post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z')));
  await ok('specimen 3', c.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z')));
  const pos = NEG.map((x) => (x.analyte === 'cocaine' ? { ...x, result: 'positive' } : x));
  await ok('specimen 4', c.post('/api/v1/specimens', specimen(patientId, '2026-03-09T14:00:00Z', pos)));
  const s5 = await ok<{ specimen: { id: string }; award: { pendingAdjudication: boolean } }>('specimen 5', c.post('/api/v1/specimens', specimen(patientId, '2026-03-11T14:00:00Z', pos)));
  if (!s5.award.pendingAdjudication) throw new Error('fixture: the second positive should wait for adjudication');
  const recs = await ok<{ items: Array<{ id: string; patientId: string }> }>('privilege recommendations', c.get('/api/v1/cm/privilege-recommendations?pending=true&limit=200'));
  const rec = recs.items.find((x) => x.patientId === patientId);
  if (!rec) throw new Error('fixture: no privilege recommendation');
  const item = await ok<{ id: string }>('catalogue item', c.post('/api/v1/cm/catalogue', { name: `${B ? 'Bravoleak' : 'Authz'} bus pass`, kind: 'item', valueCents: 100, stock: 20, reorderLevel: 0 }));
  // a redemption over the threshold waits for a second person: the walk's decision route has one to decide
  await ok('settings', c.put('/api/v1/cm/settings', { approvalThresholdCents: 50 }));
  const redemption = await ok<{ id: string; status: string }>(
    'redemption',
    c.post(`/api/v1/cm/patients/${patientId}/redemptions`, { itemId: item.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } }),
  );
  if (redemption.status !== 'pending-approval') throw new Error(`fixture: redemption is ${redemption.status}`);
  const token = await ok<{ id: string }>('token', c.post('/api/v1/integration-tokens', { name: `${B ? 'Bravoleak' : 'Authz'} lab`, scopes: ['screens:write'] }));
  const walker = await ok<{ id: string; token: string; userId: string }>(
    'walker token',
    c.post('/api/v1/integration-tokens', { name: `${B ? 'Bravoleak' : 'Authz'} walker`, scopes: [...TOKEN_SCOPES], recipientOrganization: `${B ? 'Bravoleak' : 'Authz'} walker clinic` }),
  );
  const seeds = await ok<{ items: Array<{ commitment: string }> }>('seeds', c.get('/api/v1/cm/seeds'));

  const assessment = await ok<{ id: string; safetyAlertIds: string[] }>(
    'assessment',
    c.post(`/api/v1/patients/${patientId}/assessments`, { instrument: 'phq-9', answers: PHQ9_ITEM9, administeredAt: '2026-03-01T15:00:00Z' }),
  );
  if (assessment.safetyAlertIds.length === 0) throw new Error('fixture: PHQ-9 item 9 > 0 should raise a safety alert');
  const session = await ok<{ id: string }>('patient session', c.post(`/api/v1/patients/${patientId}/patient-sessions`, { instrument: 'gad-7' }));
  const invite = await ok<{ code: string }>('patient app invite', c.post(`/api/v1/patients/${patientId}/app-invites`));
  const phone = await activatePhone(w.app, invite.code);
  const asked = await w.app.inject({ method: 'POST', url: '/api/patient/redemption-requests', headers: { cookie: phone.cookie }, payload: { itemId: item.id, quantity: 1, idempotencyKey: 'walk' } });
  if (asked.statusCode !== 200) throw new Error(`fixture: redemption request: ${asked.body}`);
  const plan = await ok<{ id: string; goals: Array<{ id: string }> }>('care plan', c.post(`/api/v1/patients/${patientId}/care-plans`, walkPlan(planStaff, B ? 'Bravoleak plan' : undefined)));
  const obs = await ok<{ entry?: Array<{ resource: { id: string } }> }>('observations', c.get(`/fhir/R4/Observation?patient=${patientId}`));
  const observation = obs.entry?.[0]?.resource.id;
  if (!observation) throw new Error('fixture: no Observation for the assessment');
  // a visit (the schedule's rows, as the lead's API books them) with notes on it (ADR 041)
  const encounter = randomUUID();
  await w.database.query(
    `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, status, created_at, updated_at)
     values ($1, $2, 'individual-counselling', 'in-person', '2026-03-02T14:00:00Z', '2026-03-02T15:00:00Z', $3, 'completed', now(), now())`,
    [c.programId, encounter, c.userId],
  );
  await w.database.query(`insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at) values ($1, $2, $3, 'attended', now())`, [c.programId, encounter, patientId]);
  const progressNote = await ok<{ id: string }>(
    'progress note',
    c.post(`/api/v1/encounters/${encounter}/notes`, { patientId, template: 'dap', sections: { data: `${B ? 'Bravoleak' : 'Authz'} words` } }),
  );
  const counsellingNote = await ok<{ id: string }>('counselling note', c.post(`/api/v1/encounters/${encounter}/counselling-notes`, { patientId, body: `${B ? 'Bravoleak' : 'Authz'} session` }));
  await ok('counselling note grant', c.post(`/api/v1/counselling-notes/${counsellingNote.id}/grants`, { userId: readers.grantedUser }));
  // skills: the programme's own module (from a built-in), an assignment, and homework sent from the phone
  const skillsModule = `${B ? 'bravoleak' : 'authz'}-module`;
  await ok('skills module', c.post('/api/v1/skills/library', { content: walkModule(skillsModule), basedOn: 'cbt-functional-analysis' }));
  await ok('skills module published', c.post(`/api/v1/skills/library/${skillsModule}/publish`));
  const assignment = await ok<{ id: string }>('skills assignment', c.post(`/api/v1/patients/${patientId}/skills/assignments`, { moduleKey: 'cbt-functional-analysis' }));
  const skillsEntry = randomUUID();
  const hw = await w.app.inject({
    method: 'POST',
    url: '/api/patient/skills/entries',
    headers: { cookie: phone.cookie },
    payload: {
      id: skillsEntry,
      moduleKey: 'cbt-functional-analysis',
      version: 1,
      stepId: 'homework',
      homework: true,
      entry: { type: 'chain', data: { trigger: `${B ? 'Bravoleak' : 'Authz'} trigger`, thought: '', feeling: '', behaviour: '', consequence: '' } },
      at: w.clock.now.toISOString(),
    },
  });
  if (hw.statusCode !== 200) throw new Error(`fixture: skills homework: ${hw.body}`);
  // peer outreach: a referral two days old with no contact yet, escalated by the job
  const peerReferral = await ok<{ id: string }>(
    'peer referral',
    c.post('/api/v1/peer-outreach/referrals', {
      contactName: `${B ? 'Bravoleak' : 'Authz'} person`,
      contactPhone: '+1 555 010 0199',
      source: 'emergency-department',
      referredAt: new Date(w.clock.now.getTime() - 2 * 86_400_000).toISOString(),
      consent: true,
      contactMethod: 'phone',
    }),
  );
  await escalateOverdue(w.database.db, w.clock.now);
  const escalations = await ok<{ items: Array<{ id: string; referralId: string }> }>('peer escalations', c.get('/api/v1/peer-outreach/escalations?limit=200'));
  const peerEscalation = escalations.items.find((e) => e.referralId === peerReferral.id)?.id;
  if (!peerEscalation) throw new Error('fixture: the overdue referral should be escalated');
  const meeting = await ok<{ meeting: { id: string } }>(
    'meeting',
    c.post('/api/v1/meetings', {
      fellowship: 'programme',
      name: `${B ? 'Bravoleak' : 'Authz'} programme group`,
      weekday: 3,
      startTime: '18:00',
      timeZone: 'America/New_York',
      mode: 'in-person',
      postalCode: '10001',
      languages: ['en'],
    }),
  );
  const meetingSource = await ok<{ id: string }>(
    'meeting source',
    c.post('/api/v1/meeting-sources', { name: `${B ? 'Bravoleak' : 'Authz'} feed`, format: 'meeting-guide', url: 'http://127.0.0.1:9/feed.json', defaultTimeZone: 'America/New_York' }),
  );
  const naloxoneLot = await ok<{ id: string }>(
    'naloxone lot',
    c.post('/api/v1/naloxone/lots', { product: 'nasal-4mg', lotNumber: `${B ? 'BRAVOLEAK' : 'AUTHZ'}-LOT`, expiresOn: '2030-12-31', quantity: 1000 }),
  );

  // consent and family (issue 16): a relative, the patient's consent naming them, their phone
  const family = await ok<{ items: Array<{ id: string }> }>(
    'family member',
    c.post(`/api/v1/patients/${patientId}/family`, { displayName: `${B ? 'Bravoleak' : 'Authz'} relative`, relationship: 'parent' }),
  );
  const familyMember = family.items[0]!.id;
  const consent = await ok<{ id: string }>(
    'consent',
    c.post(`/api/v1/patients/${patientId}/consents`, {
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId: familyMember },
      purposes: ['family-support'],
      dataClasses: ['appointments', 'check-ins'],
      dataDescription: 'The next visit and the check-in streak.',
      expiry: { kind: 'end-of-treatment' },
      paper: { signerName: 'Fixture signer', signedOn: w.clock.now.toISOString().slice(0, 10), scan: { contentType: 'image/png', base64: 'Zml4dHVyZQ==' } },
    }),
  );
  // the treatment, payment and operations consent: the walker token (fhir:read, an outside organisation) reads the patient's FHIR records under it
  await ok(
    'tpo consent',
    c.post(`/api/v1/patients/${patientId}/consents`, {
      template: 'tpo',
      language: 'en',
      recipient: { kind: 'tpo-designation' },
      purposes: ['treatment', 'payment', 'health-care-operations'],
      dataClasses: ['appointments', 'attendance', 'care-plan', 'assessments', 'demographics'],
      dataDescription: 'Visits, care plan, screening scores and demographics.',
      expiry: { kind: 'none' },
      paper: { signerName: 'Fixture signer', signedOn: w.clock.now.toISOString().slice(0, 10), scan: { contentType: 'image/png', base64: 'Zml4dHVyZQ==' } },
    }),
  );
  const familyInvite = await ok<{ code: string }>('family invite', c.post(`/api/v1/patients/${patientId}/family/${familyMember}/invite`));
  const familyPhone = await activatePhone(w.app, familyInvite.code);
  // couples and network therapy (issue 16): a partner with a recovery contract, and the relative in the network
  const partner = await ok<{ items: Array<{ id: string; relationship: string }> }>(
    'partner',
    c.post(`/api/v1/patients/${patientId}/family`, { displayName: `${B ? 'Bravoleak' : 'Authz'} partner`, relationship: 'partner' }),
  );
  const recoveryContract = await ok<{ id: string }>(
    'recovery contract',
    c.post(`/api/v1/patients/${patientId}/recovery-contracts`, { familyMemberId: partner.items.find((m) => m.relationship === 'partner')!.id, terms: ['trust-discussion'] }),
  );
  const network = await ok<{ items: Array<{ id: string }> }>(
    'network member',
    c.post(`/api/v1/patients/${patientId}/network-members`, { familyMemberId: familyMember, relationship: 'parent', role: `${B ? 'Bravoleak' : 'Authz'} sees the dose` }),
  );

  // CRAFT (issue 16): a CSO's course and their phone
  const craft = await ok<{ id: string }>(
    'craft course',
    c.post('/api/v1/craft-courses', { displayName: `${B ? 'Bravoleak' : 'Authz'} CSO`, lovedOne: `${B ? 'Bravoleak' : 'Authz'} loved one`, startedOn: '2026-03-02' }),
  );
  const craftInvite = await ok<{ code: string }>('craft invite', c.post(`/api/v1/craft-courses/${craft.id}/app/invite`));
  const craftPhone = await activatePhone(w.app, craftInvite.code);

  return {
    craftCourse: craft.id,
    craftDevice: craftPhone.deviceId,
    recoveryContract: recoveryContract.id,
    networkMember: network.items[0]!.id,
    partner: partner.items.find((m) => m.relationship === 'partner')!.id,
    familyMember,
    consent: consent.id,
    familyDevice: familyPhone.deviceId,
    familyCookie: familyPhone.cookie,
    skillsModule,
    skillsAssignment: assignment.id,
    skillsEntry,
    naloxoneLot: naloxoneLot.id,
    peerReferral: peerReferral.id,
    peerEscalation,
    meeting: meeting.meeting.id,
    meetingSource: meetingSource.id,
    protocol: protocol.id,
    enrolment: enrolment.id,
    fundingSource,
    specimen: s1.specimen.id,
    pendingSpecimen: s5.specimen.id,
    item: item.id,
    redemption: redemption.id,
    redemptionRequest: (asked.json() as { id: string }).id,
    privilegeRecommendation: rec.id,
    ledgerEntry,
    token: token.id,
    walkerToken: { id: walker.id, secret: walker.token, userId: walker.userId },
    commitment: seeds.items[0]!.commitment,
    assessment: assessment.id,
    safetyAlert: assessment.safetyAlertIds[0]!,
    patientSession: session.id,
    patientDevice: phone.deviceId,
    patientCookie: phone.cookie,
    carePlan: plan.id,
    goal: plan.goals[0]!.id,
    observation,
    encounter,
    progressNote: progressNote.id,
    counsellingNote: counsellingNote.id,
  };
}

export async function makeFixtures(w: World): Promise<{ A: Fixtures; B: Fixtures }> {
  const now = w.clock.now;
  const rows = await inTransaction(w.database.db, async (tx) => {
    const mk = async (programId: string, patient: string, careTeamUser: string, tag: string) => {
      const medication = randomUUID();
      const episode = randomUUID();
      await tx.insert(medications).values({ programId, id: medication, patientId: patient, medication: 'methadone', dose: `${tag} dose`, startedOn: '2025-06-01', createdAt: now });
      await tx.insert(episodes).values({ programId, id: episode, patientId: patient, levelOfCare: 'otp', admittedOn: '2025-06-01', createdAt: now });
      await tx.insert(careTeam).values({ programId, patientId: patient, userId: careTeamUser, role: 'primary-counsellor', since: '2025-06-01', createdAt: now });
      const message = randomUUID();
      await tx.insert(outboxMessages).values({
        programId,
        id: message,
        patientId: patient,
        channel: 'sms',
        template: 'reminder',
        cause: 'test',
        status: 'dead',
        attempts: 8,
        lastError: 'http_503',
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
      // levels of care and encounters (issue 14): a residential episode with a stay that ended, and a held visit
      const residential = randomUUID();
      const stay = randomUUID();
      await tx.insert(episodes).values({ programId, id: residential, patientId: patient, levelOfCare: 'residential', admittedOn: '2025-03-01', createdAt: now });
      await tx.insert(stays).values({
        programId,
        id: stay,
        patientId: patient,
        episodeId: residential,
        asamLevel: '3.5',
        template: DEFAULT_TC_TEMPLATE,
        phaseIndex: 1,
        startedOn: '2025-03-01',
        endedOn: '2025-05-31',
        createdAt: now,
        updatedAt: now,
      });
      await tx
        .insert(stayPhaseChanges)
        .values({ programId, id: randomUUID(), stayId: stay, kind: 'started', fromIndex: null, toIndex: 0, reason: 'Admitted', changedBy: careTeamUser, changedAt: now });
      const visit = randomUUID();
      await tx.insert(encounters).values({
        programId,
        id: visit,
        typeCode: 'individual-counselling',
        modality: 'in-person',
        startsAt: new Date('2025-07-01T15:00:00Z'),
        endsAt: new Date('2025-07-01T15:50:00Z'),
        staffId: careTeamUser,
        status: 'completed',
        createdAt: now,
        updatedAt: now,
      });
      await tx
        .insert(encounterParticipants)
        .values({ programId, encounterId: visit, patientId: patient, attendance: 'attended', attendanceRecordedBy: careTeamUser, attendanceRecordedAt: now, addedAt: now });
      const groupSeriesId = randomUUID();
      await tx.insert(groupSeries).values({
        programId,
        id: groupSeriesId,
        typeCode: 'group-cbt',
        title: `${tag} group`,
        modality: 'in-person',
        leadStaffId: careTeamUser,
        firstDate: '2026-03-10',
        weeks: 1,
        startTime: '18:00',
        durationMinutes: 60,
        capacity: 10,
        createdAt: now,
      });
      await tx.insert(groupSeriesMembers).values({ programId, seriesId: groupSeriesId, patientId: patient, joinedAt: now });
      return {
        medication,
        episode,
        message,
        groupSeries: groupSeriesId,
        stayEpisode: residential,
        stay,
        visit,
        fhirEncounter: encounterResourceId(visit, patient),
        scheduleStaff: careTeamUser,
      };
    };
    const a = await mk(w.programA, w.patientA, w.users.counsellor, 'Aprog');
    const b = await mk(w.programB, w.patientB, w.adminB, 'Bprog');
    // a second programme-B patient with unmistakable details, to catch leaks in lists and searches
    const sentinelB = randomUUID();
    await tx.insert(patients).values({
      programId: w.programB,
      id: sentinelB,
      mrn: 'BLEAK-0001',
      legalGivenName: 'Alder',
      legalFamilyName: 'Bravoleakson',
      birthDate: '1980-04-01',
      preferredLanguage: 'en',
      contactConsent: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const staffA = await createUserWithRoles(tx, {
      orgId: w.orgId,
      email: `target-a-${randomUUID().slice(0, 6)}@test.example`,
      displayName: 'Target A',
      password: 'unused-password-123',
      roles: [{ programId: w.programA, role: 'peer-specialist' }],
      now,
      checkPassword: false,
    });
    const staffB = await createUserWithRoles(tx, {
      orgId: w.orgId,
      email: `target-b-${randomUUID().slice(0, 6)}@test.example`,
      displayName: 'Bravoleak Staffer',
      password: 'unused-password-123',
      roles: [{ programId: w.programB, role: 'counsellor' }],
      now,
      checkPassword: false,
    });
    return { a, b, sentinelB, staffA, staffB };
  });

  const apiA = await viaApi(w, await w.client('administrator'), w.patientA, w.users.counsellor, 'A', { grantedUser: w.users.prescriber });
  const apiB = await viaApi(w, await w.client('adminB'), w.patientB, w.adminB, 'B', { grantedUser: rows.staffB });

  const A: Fixtures = {
    programId: w.programA,
    patient: w.patientA,
    ...rows.a,
    careTeamUser: w.users.counsellor,
    staff: rows.staffA,
    planStaff: w.users.counsellor,
    cosigner: w.users.counsellor,
    grantedUser: w.users.prescriber,
    grantee: w.users['peer-specialist'],
    ...apiA,
    sentinels: [],
  };
  const idsOfB = Object.values(apiB).flatMap((v) => (typeof v === 'string' ? [v] : [v.id, v.userId]));
  const B: Fixtures = {
    programId: w.programB,
    patient: w.patientB,
    ...rows.b,
    careTeamUser: w.adminB,
    staff: rows.staffB,
    planStaff: w.adminB,
    cosigner: rows.staffB,
    grantedUser: rows.staffB,
    grantee: rows.staffB,
    ...apiB,
    sentinels: [
      w.patientB,
      rows.sentinelB,
      rows.b.medication,
      rows.b.episode,
      rows.b.message,
      rows.b.stay,
      rows.b.visit,
      rows.b.fhirEncounter,
      rows.b.groupSeries,
      rows.staffB,
      w.adminB,
      w.programB,
      'BLEAK-0001',
      'Bravoleak',
      'bravoleak',
      'B-0001',
      'Bprog',
      ...idsOfB,
    ],
  };
  return { A, B };
}
