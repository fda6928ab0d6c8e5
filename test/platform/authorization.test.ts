// Tenancy and roles. Walks every route the app registers under /api and /fhir/R4 (so a
// new route is covered the day it is added) × every role (and the 'integration' role of
// an API token) × programme A's and programme B's records:
//   - a role without the route's permission gets 403 and an 'access-denied' audit row;
//   - a role with it never gets programme B's records (404 for B's ids, in the path or in
//     the body, and no B data in any response);
//   - naming programme B (where the caller has no role) in Waypoint-Program is a 403.
// Routes without a permission must be listed below as public or partial, so a new
// unprotected route fails this test; a route whose path parameter or request body has no
// fixture fails with a message naming it. Fixtures: test/support/fixtures.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOrganizationPermission, ROLE_PERMISSIONS, ROLES, type AnyPermission, type Role } from '../../core/access/roles.ts';
import { tokenMay, TOKEN_SCOPES } from '../../core/access/scopes.ts';
import { routesOf, type RegisteredRoute } from '../../server/app.ts';
import { AFTER_RECORDINGS, specimen } from '../cm/support.ts';
import { makeFixtures, walkModule, walkPlan, walkProtocol, WALK_CALENDAR, type Fixtures } from '../support/fixtures.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { DEFAULT_TC_TEMPLATE } from '../../core/levels-of-care/phases.ts';

/** Every route that has no `permission`, and why. A route missing here and from the permission walk fails. */
const WITHOUT_PERMISSION: Record<string, 'public' | 'partial' | 'session' | 'patient' | 'family' | 'app'> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/auth/mfa/verify': 'partial',
  'POST /api/v1/auth/mfa/setup': 'partial',
  'POST /api/v1/auth/mfa/confirm': 'partial',
  'POST /api/v1/auth/password': 'partial',
  'POST /api/v1/auth/sign-out': 'partial',
  'POST /api/v1/auth/sign-out-everywhere': 'partial',
  'GET /api/v1/me': 'partial',
  // anyone may check a draw commitment (revealed seeds re-derive every draw); no patient data
  'GET /api/v1/public/draw-verification/:commitment': 'public',
  'GET /api/v1/public/draw-verification/:commitment/seeds': 'public',
  // the patient tablet: its single-use bearer token is the credential (test/assessments/assessments.test.ts)
  'GET /api/v1/tablet/session': 'public',
  'POST /api/v1/tablet/answers': 'public',
  'POST /api/v1/tablet/consent': 'public', // a consent signed on the tablet (test/consent/tablet-consent.test.ts)
  'POST /api/v1/tablet/handoff': 'public', // the link's single-use hand-off code is the credential
  'POST /api/v1/tablet/return': 'public', // the form token names whose password; the password is the credential
  // the FHIR CapabilityStatement: what the server supports, no data
  'GET /fhir/R4/metadata': 'public',
  // the SMS provider's webhook: its X-Twilio-Signature is the credential (test/messages/messages.test.ts)
  'POST /api/v1/sms/inbound': 'public',
  // the phone line's webhooks (ADR 038): the same signature is the credential (test/messages/voice.test.ts)
  'POST /api/v1/voice/inbound': 'public',
  'POST /api/v1/voice/gather': 'public',
  // the patient app (ADR 030): the invite's code, the device's signature and the PIN are the credentials
  'POST /api/patient/activate': 'public',
  'POST /api/patient/challenge': 'public',
  'POST /api/patient/unlock': 'public',
  // passkeys (ADR 039): the invite's code and the authenticator's signature of a single-use challenge are the credentials
  'POST /api/patient/passkey/registration-options': 'public',
  'POST /api/patient/passkey/activate': 'public',
  'POST /api/patient/passkey/unlock-options': 'public',
  'POST /api/patient/passkey/unlock': 'public',
  // a patient-app session (cookie wp_patient): the signed-in patient's own data only ('patient principal' below)
  'GET /api/patient/me': 'patient',
  'GET /api/patient/today': 'patient',
  'GET /api/patient/events': 'patient',
  'GET /api/patient/rewards': 'patient',
  'POST /api/patient/draws/reveal': 'patient',
  'POST /api/patient/redemption-requests': 'patient',
  'POST /api/patient/redemption-requests/:id/withdraw': 'patient',
  'POST /api/patient/check-ins': 'patient',
  'GET /api/patient/skills': 'patient',
  'POST /api/patient/skills/screens': 'patient',
  'POST /api/patient/skills/entries': 'patient',
  'POST /api/patient/skills/completions': 'patient',
  'GET /api/patient/meetings': 'patient',
  'POST /api/patient/meetings/:id/welcome': 'patient',
  'GET /api/patient/my-meetings': 'patient',
  'POST /api/patient/my-meetings': 'patient',
  'DELETE /api/patient/my-meetings/:id': 'patient',
  'GET /api/patient/my-meetings/calendar.ics': 'patient',
  'POST /api/patient/my-meetings/:id/attended': 'patient',
  'POST /api/patient/my-meetings/verify': 'patient',
  'GET /api/patient/my-meetings/attendance': 'patient',
  'GET /api/patient/naloxone': 'patient',
  'GET /meetings/feed/:file': 'public',
  'GET /api/patient/check-ins': 'patient',
  // either app principal: the patient's or the family member's own session
  'POST /api/patient/lock': 'app',
  'POST /api/patient/sign-out': 'app',
  // a family member's app session (issue 16): only what a consent in effect allows ('family principal' below)
  'GET /api/patient/family/me': 'family',
  'GET /api/patient/family/shared': 'family',
  'GET /api/patient/family/shared/:patientId': 'family',
  // family education (issue 16): the family member's own lessons, kits and training, and meetings for families (not a disclosure)
  'GET /api/patient/family/lessons': 'family',
  'GET /api/patient/family/lessons/:key': 'family',
  'POST /api/patient/family/lessons/:key/finish': 'family',
  'GET /api/patient/family/naloxone': 'family',
  'GET /api/patient/family/meetings': 'family',
  // CRAFT (issue 16): the CSO's own course, homework and wellbeing (their own record, not a disclosure)
  'GET /api/patient/family/craft': 'family',
  'POST /api/patient/family/craft/sessions/:number/homework': 'family',
  'POST /api/patient/family/craft/wellbeing': 'family',
  // couples and network therapy (issue 16): the partner's calendar (the patient's days only under a consent) and the doses a member reports
  'GET /api/patient/family/together': 'family',
  'PUT /api/patient/family/together/contracts/:id/days/:day': 'family',
  'PUT /api/patient/family/together/network/:memberId/doses/:day': 'family',
  'GET /api/patient/together': 'patient',
  'PUT /api/patient/together/days/:day': 'patient',
  // the patient's own consents and accounting (issue 16)
  'GET /api/patient/consents': 'patient',
  'POST /api/patient/consents/:id/sign': 'patient',
  'POST /api/patient/consents/:id/revoke': 'patient',
  'GET /api/patient/disclosures': 'patient',
  // Help now (ADR 037): a locked phone fetches the programme's numbers and naloxone places (no patient data; rate-limited)
  'GET /api/patient/help': 'public',
  'GET /api/patient/safety-plan': 'patient',
  'PUT /api/patient/safety-plan': 'patient',
  'GET /api/patient/plan': 'patient',
  'GET /api/patient/care-team': 'patient',
  'GET /api/patient/notifications': 'patient',
  'PUT /api/patient/notifications': 'patient',
  'POST /api/patient/push-subscription': 'patient',
  'DELETE /api/patient/push-subscription': 'patient',
};

/**
 * Path parameters whose values are not programme records (the instrument registry and the measures are the
 * same in every programme), so programme B's value is the same as A's and is not a 404.
 */
const SHARED_PARAMS = new Set([':instrumentId', 'Questionnaire/:id', 'Measure/:id']);

type WalkRole = Role;
const WALK_ROLES: readonly WalkRole[] = [...ROLES, 'integration'];

let w: World;
let A: Fixtures;
let B: Fixtures;
const clients = new Map<WalkRole, Client>();

/** The record id for `:name` after segment `before`, or undefined when there is no fixture. */
function paramValue(name: string, before: string | undefined, f: Fixtures): string | undefined {
  if (name === 'patientId') return f.patient;
  if (name === 'role') return 'primary-counsellor';
  if (name === 'userId' && before === 'care-team') return f.careTeamUser;
  if (name === 'instrumentId') return 'phq-9';
  if (name === 'version' && before === 'versions') return '1';
  if (name === 'commitment') return f.commitment;
  if (name === 'stayId') return f.stay;
  if (name === 'encounterId') return f.encounter;
  if (name === 'userId' && before === 'grants') return f.grantedUser;
  if (name === 'key' && before === 'lessons') return 'medications'; // a family education lesson (content, the same in every programme)
  if (name === 'key') return f.skillsModule;
  if (name === 'familyMemberId') return f.familyMember;
  if (name === 'number') return '1'; // a CRAFT session
  if (name === 'deviceId') return f.craftDevice; // a CSO's phone (/craft-courses/:id/app/devices/:deviceId)
  if (name === 'memberId') return f.networkMember;
  if (name === 'day') return w.clock.now.toISOString().slice(0, 10);
  if (name !== 'id') return undefined;
  const byCollection: Record<string, string> = {
    patients: f.patient,
    medications: f.medication,
    episodes: f.episode,
    staff: f.staff,
    protocols: f.protocol,
    enrolments: f.enrolment,
    specimens: f.specimen,
    catalogue: f.item,
    redemptions: f.redemption,
    'redemption-requests': f.redemptionRequest,
    'ledger-entries': f.ledgerEntry,
    'privilege-recommendations': f.privilegeRecommendation,
    'integration-tokens': f.token,
    'meeting-sources': f.meetingSource,
    assessments: f.assessment,
    'patient-sessions': f.patientSession,
    'care-plans': f.carePlan,
    'safety-alerts': f.safetyAlert,
    messages: f.message,
    'app-devices': f.patientDevice,
    encounters: f.encounter,
    'group-series': f.groupSeries,
    'progress-notes': f.progressNote,
    'counselling-notes': f.counsellingNote,
    assignments: f.skillsAssignment,
    entries: f.skillsEntry,
    referrals: f.peerReferral,
    escalations: f.peerEscalation,
    meetings: f.meeting,
    consents: f.consent,
    'craft-courses': f.craftCourse,
    'recovery-contracts': f.recoveryContract,
    contracts: f.recoveryContract, // the partner's app (/family/together/contracts/:id)
    'network-members': f.networkMember,
    'family-members': f.familyMember, // a family member's own record (/family-members/:id/lessons)
    devices: f.familyDevice, // a family member's phone (/family/:familyMemberId/devices/:id)
    'my-meetings': f.meeting, // a patient's chosen meeting (the patient app's /my-meetings/:id)
    // FHIR R4 resources
    Patient: f.patient,
    Questionnaire: 'phq-9',
    QuestionnaireResponse: f.assessment,
    Observation: f.observation,
    CarePlan: f.carePlan,
    Goal: f.goal,
    Encounter: f.fhirEncounter,
    Appointment: f.visit,
    Schedule: f.scheduleStaff,
    Consent: f.consent, // staff with read:consent only; never an API token (ADR 021)
    Measure: 'waypoint-retention', // the outcomes measures (static definitions, the same in every programme; aggregates only)
  };
  return before === undefined ? undefined : byCollection[before];
}

/** The URL with programme `f`'s records; a parameter without a fixture fails loudly, naming the route. */
function fillUrl(url: string, f: Fixtures, route = url): string {
  const parts = url.split('/');
  return parts
    .map((seg, i) => {
      if (!seg.startsWith(':')) return seg;
      const value = paramValue(seg.slice(1), parts[i - 1], f);
      if (value === undefined)
        throw new Error(`The authorisation test has no fixture for ${seg} in ${route}: add one to paramValue (a record in programme A and one in programme B, made in test/support/fixtures.ts).`);
      return value;
    })
    .join('/');
}

/** Whether programme B's URL names at least one programme record (so it must be a 404 to programme A). */
function namesRecords(url: string): boolean {
  const parts = url.split('/');
  return parts.some((seg, i) => seg.startsWith(':') && !SHARED_PARAMS.has(seg) && !SHARED_PARAMS.has(`${parts[i - 1]}/${seg}`) && seg !== ':role' && seg !== ':version');
}

let seq = 0;
/** A valid request body for each mutating route, with programme `f`'s records, so a permitted caller reaches the handler. */
function bodyFor(route: RegisteredRoute, f: Fixtures): unknown {
  const key = `${route.method} ${route.url}`;
  seq += 1;
  const bodies: Record<string, () => unknown> = {
    'POST /api/v1/patients/search': () => ({ limit: 200 }),
    'POST /api/v1/audit-events/patients': () => ({ q: 'alder' }),
    'POST /api/v1/patients/duplicates': () => ({ legalGivenName: 'Alder', legalFamilyName: 'Sample', birthDate: '1975-09-09' }),
    'POST /api/v1/patients': () => ({ mrn: `AZ-${seq}`, legalGivenName: 'Authz', legalFamilyName: `Walker${seq}`, birthDate: '1991-01-01', confirmNotDuplicate: true }),
    'PATCH /api/v1/patients/:id': () => ({ version: 1, pronouns: 'they/them' }),
    'POST /api/v1/patients/:patientId/medications': () => ({ medication: 'buprenorphine', startedOn: '2026-01-01' }),
    'POST /api/v1/patients/:patientId/medications/:id/end': () => ({ endedOn: '2026-02-01' }),
    'POST /api/v1/patients/:patientId/episodes': () => ({ levelOfCare: 'otp', admittedOn: '2026-02-15' }),
    'POST /api/v1/patients/:patientId/episodes/:id/discharge': () => ({ dischargedOn: '2026-02-10', dischargeReason: 'completed' }),
    'POST /api/v1/patients/:patientId/care-team': () => ({ userId: w.users.prescriber, role: 'prescriber' }),
    'POST /api/v1/staff': () => ({ email: `authz-${seq}-${randomUUID().slice(0, 6)}@test.example`, displayName: `Authz Staff ${seq}`, roles: ['peer-specialist'] }),
    'PATCH /api/v1/staff/:id': () => ({ displayName: `Renamed ${seq}` }),
    'POST /api/v1/staff/:id/password-reset': () => ({}),
    'PUT /api/v1/organization/settings': () => ({ idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: false }),
    // contingency management
    'POST /api/v1/cm/protocols/preview': () => ({ document: walkProtocol() }),
    'POST /api/v1/cm/protocols': () => ({ document: walkProtocol() }),
    'POST /api/v1/cm/funding-sources': () => ({ id: `walk-${seq}`, name: `Walk fund ${seq}`, capsPreset: 'samhsa-2025' }),
    'PUT /api/v1/cm/settings': () => ({ approvalThresholdCents: 50 }),
    'POST /api/v1/cm/enrolments': () => ({ patientId: f.patient, protocolId: f.protocol, startDate: '2026-03-02', calendar: WALK_CALENDAR, fundingSourceId: f.fundingSource }),
    'POST /api/v1/cm/enrolments/:id/status': () => ({ status: 'completed', reason: 'authorisation walk' }),
    'POST /api/v1/specimens': () => specimen(f.patient, '2026-03-13T14:00:00Z'),
    'POST /api/v1/specimens/:id/corrections': () => ({ results: [{ analyte: 'cocaine', result: 'negative' }], reason: 'authorisation walk' }),
    'POST /api/v1/specimens/:id/adjudications': () => ({ decision: 'carry-over', reason: 'authorisation walk' }),
    'POST /api/v1/cm/check-ins': () => ({ patientId: f.patient, kind: 'attendance', at: '2026-03-03T15:00:00Z', done: true }),
    // encounters
    'POST /api/v1/encounter-types': () => ({ code: `walk-${seq}`, category: 'group', counselling: true, label: { en: `Walk ${seq}`, es: `Walk ${seq}` } }),
    'POST /api/v1/rooms': () => ({ name: `Room ${seq}`, capacity: 8 }),
    'POST /api/v1/encounters': () => ({ typeCode: 'group-mi', modality: 'in-person', startsAt: '2026-03-03T15:00:00Z', durationMinutes: 60, staffId: w.users.counsellor, patientIds: [f.patient] }),
    'POST /api/v1/encounters/:id/reschedule': () => ({ startsAt: '2026-03-02T14:45:00Z', reason: 'Walk', version: 1 }),
    'POST /api/v1/encounters/:id/cancel': () => ({ by: 'clinic', reason: 'Walk', version: 99 }),
    'POST /api/v1/encounters/:id/participants': () => ({ patientId: f.patient }),
    'POST /api/v1/encounters/:id/arrivals': () => ({ patientId: f.patient }),
    'POST /api/v1/encounters/:id/attendance': () => ({ records: [{ patientId: f.patient, attendance: 'attended' }] }),
    'POST /api/v1/group-series': () => ({
      typeCode: 'group-cbt',
      title: `Walk group ${seq}`,
      modality: 'in-person',
      staffId: w.users.counsellor,
      firstDate: '2026-03-10',
      weeks: 2,
      startTime: '18:00',
      durationMinutes: 60,
      capacity: 5,
      patientIds: [f.patient],
    }),
    'POST /api/v1/group-series/:id/members': () => ({ patientId: f.patient }),
    'POST /api/v1/group-series/:id/members/:patientId/remove': () => ({ reason: 'Walk' }),
    'POST /api/v1/cm/privilege-recommendations/:id/decision': () => ({ decision: 'declined', reason: 'authorisation walk' }),
    'POST /api/v1/cm/enrolments/:id/draws/reveal': () => ({ count: 1 }),
    'POST /api/v1/cm/seeds/rotate': () => undefined, // takes no body
    'POST /api/v1/cm/catalogue': () => ({ name: `Walk item ${seq}`, kind: 'item', valueCents: 100, stock: 1 }),
    'POST /api/v1/cm/catalogue/:id/stock': () => ({ delta: 1, reason: 'received' }),
    'PATCH /api/v1/cm/catalogue/:id': () => ({ nameEs: `Artículo ${seq}` }),
    'POST /api/v1/cm/patients/:patientId/redemptions': () => ({ itemId: f.item, quantity: 1, acknowledgement: { acknowledged: true, method: 'verbal' } }),
    // declining needs no second person (approving is refused to whoever requested it: a 403 by design)
    'POST /api/v1/cm/redemptions/:id/decision': () => ({ approve: false, reason: 'authorisation walk' }),
    'POST /api/v1/cm/redemption-requests/:id/decline': () => ({ reason: 'authorisation walk' }),
    // the first permitted role voids the entry (200), the next finds it already void (409): both reach the use case
    'POST /api/v1/cm/ledger-entries/:id/void': () => ({ reason: 'authorisation walk' }),
    'POST /api/v1/integration-tokens': () => ({ name: `Walk lab ${seq}`, scopes: ['screens:write'] }),
    'POST /api/v1/integration-tokens/:id/revoke': () => undefined, // takes no body
    // assessments, stage, safety alerts, patient-tablet sessions
    'POST /api/v1/patients/:patientId/assessments': () => ({ instrument: 'gad-7', answers: { 1: 1, 2: 1, 3: 0, 4: 2, 5: 1, 6: 0, 7: 1 } }),
    'POST /api/v1/patients/:patientId/patient-sessions': () => ({ instrument: 'gad-7' }),
    'POST /api/v1/patients/:patientId/patient-sessions/:id/cancel': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/stage': () => ({ stage: 'contemplation', informedBy: ['interview'], reason: 'authorisation walk' }),
    'POST /api/v1/safety-alerts/:id/acknowledge': () => ({ note: 'authorisation walk' }),
    // daily check-ins: a phone check-in taken by staff, and the programme's risk rules
    'POST /api/v1/patients/:patientId/check-ins': () => ({ answers: { craving: 3, use: { any: false }, medication: 'taken' } }),
    'POST /api/v1/skills/library': () => ({ content: walkModule(`walk-module-${seq}`) }),
    'PUT /api/v1/skills/library/:key': () => ({ content: walkModule(f.skillsModule) }),
    'POST /api/v1/patients/:patientId/skills/assignments': () => ({ moduleKey: 'act-values' }),
    'POST /api/v1/skills/library/:key/publish': () => undefined, // takes no body
    'POST /api/v1/skills/library/:key/retire': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/skills/assignments/:id/cancel': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/skills/entries/:id/reviews': () => ({ comment: 'Well done.' }),
    'POST /api/v1/meetings': () => ({
      fellowship: 'mars',
      name: `Walk MARS ${seq}`,
      weekday: 1,
      startTime: '19:00',
      timeZone: 'America/New_York',
      mode: 'online',
      conferenceUrl: 'https://example.org/mars',
      languages: ['en'],
    }),
    'PUT /api/v1/meetings/:id': () => ({
      fellowship: 'ma',
      name: 'Walk MA group',
      weekday: 3,
      startTime: '18:30',
      timeZone: 'America/New_York',
      mode: 'in-person',
      postalCode: '10001',
      languages: ['en', 'es'],
    }),
    'POST /api/v1/meetings/:id/retire': () => undefined, // takes no body
    'POST /api/v1/meetings/:id/friendliness': () => ({ friendliness: 'welcoming', evidence: 'stated-policy' }),
    'POST /api/patient/meetings/:id/welcome': () => ({ answer: 'yes' }),
    'POST /api/patient/my-meetings': () => ({ meetingId: f.meeting }),
    'POST /api/patient/my-meetings/:id/attended': () => ({}),
    'POST /api/patient/my-meetings/verify': () => ({ meetingId: f.meeting, code: '000000' }),
    'POST /api/patient/skills/screens': () => ({ moduleKey: 'act-values', version: 1, screen: 0, at: new Date().toISOString() }),
    'POST /api/patient/skills/entries': () => ({
      id: randomUUID(),
      moduleKey: 'cbt-functional-analysis',
      version: 1,
      stepId: 'homework',
      homework: true,
      entry: { type: 'chain', data: { trigger: 'walk', thought: '', feeling: '', behaviour: '', consequence: '' } },
      at: new Date().toISOString(),
    }),
    'POST /api/patient/skills/completions': () => ({ moduleKey: 'act-values', version: 1, at: new Date().toISOString() }),
    'POST /api/patient/check-ins': () => ({ answers: { craving: 3, use: { any: false }, medication: 'taken' }, idempotencyKey: `walk-${Math.random()}` }),
    'PUT /api/v1/check-ins/settings': () => ({
      cravingRun: { enabled: true, threshold: 8, days: 2, severity: 'warning' },
      missedDoses: { enabled: true, count: 2, windowDays: 7, severity: 'warning' },
      useAfterAbstinence: { enabled: true, days: 14, severity: 'urgent' },
    }),
    // the patient app: staff invite a patient and revoke a device (no body)
    'POST /api/v1/patients/:patientId/app-invites': () => undefined,
    'POST /api/v1/patients/:patientId/app-devices/:id/revoke': () => undefined,
    // consent and family (issue 16)
    'POST /api/v1/patients/:patientId/consents': () => ({
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId: f.familyMember },
      purposes: ['family-support'],
      dataClasses: ['appointments'],
      dataDescription: 'The next visit.',
      expiry: { kind: 'end-of-treatment' },
    }),
    'POST /api/v1/patients/:patientId/consents/:id/revoke': () => ({ note: 'Walk' }),
    'POST /api/v1/patients/:patientId/consents/:id/end': () => ({ note: 'Walk' }),
    // a consent handed to the tablet (the fixture consent is signed: the use case answers 409)
    'POST /api/v1/patients/:patientId/consents/:id/tablet': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/consents/:id/tablet/cancel': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/notice': () => ({ language: 'en', method: 'paper' }),
    'POST /api/v1/patients/:patientId/disclosures': () => ({
      recipient: { kind: 'organization', name: 'Authz emergency department' },
      dataClasses: ['medication'],
      channel: 'print',
      exception: 'medical-emergency',
      reason: 'Authorisation walk: an emergency disclosure.',
    }),
    'POST /api/v1/patients/:patientId/family': () => ({ displayName: `Authz relative ${seq}`, relationship: 'friend' }),
    'POST /api/v1/patients/:patientId/family/:familyMemberId/invite': () => undefined,
    'POST /api/v1/patients/:patientId/family/:familyMemberId/devices/:id/revoke': () => undefined,
    // care plans and recommendations
    'POST /api/v1/patients/:patientId/recommendations': () => ({}),
    'POST /api/v1/messages/:id/retry': () => undefined, // takes no body
    'POST /api/v1/patients/:patientId/care-plans': () => walkPlan(f.planStaff),
    // keeps the fixture goal, so FHIR Goal/:id (walked later) still finds it in the current version
    'PUT /api/v1/patients/:patientId/care-plans/:id': () => ({ ...walkPlan(f.planStaff, undefined, f.goal), version: 1 }),
    'POST /api/v1/patients/:patientId/care-plans/:id/agreements': () => ({ version: 1, method: 'verbal' }),
    // a laboratory result as HL7 v2 text, for the patient by MRN (test/support/world.ts)
    // messages: the first permitted role retries the dead letter (200), the next finds it pending (409): both reach the use case
    'PUT /api/v1/patients/:patientId/contact-preferences': () => ({ version: 0, timeZone: null, quietHours: { start: '21:00', end: '08:00' }, consent: { sms: true, email: false, push: false } }),
    'POST /api/v1/messages/simulator/sms': () => ({ from: '+15550109999', body: 'HELP' }),
    // Help now: the programme's settings, a patient's safety plan (the first save is version 0; later roles' saves are 409 stale, which reaches the use case)
    'PUT /api/v1/patient-app/settings': () => ({ idleMinutes: 5 }),
    'PUT /api/v1/help-settings': () => ({ clinicPhone: '+15555550100', crisisLines: [], afterHoursLines: [], naloxonePlaces: [] }),
    'PUT /api/v1/patients/:patientId/safety-plan': () => ({
      version: 0,
      plan: { warningSigns: ['walk'], copingStrategies: [], distractions: [], helpers: [], professionals: [], safeEnvironment: [] },
    }),
    // the phone line (ADR 038): a call from a number that is no one's, a key on a call that does not exist, the clinic number
    'POST /api/v1/messages/simulator/voice/call': () => ({ from: '+15550109999' }),
    'POST /api/v1/messages/simulator/voice/keys': () => ({ callSid: `CA${'0'.repeat(32)}`, seq: 1, digits: '1' }),
    'PUT /api/v1/phone-line': () => ({ clinicNumber: '+15550100000' }),
    // an invite by text: refused (409) for a patient without consent to texts, which still reaches the use case
    'POST /api/v1/patients/:patientId/app-invites/sms': () => undefined,
    'PUT /api/patient/notifications': () => ({ checkInReminderAt: '19:00' }),
    'POST /api/patient/push-subscription': () => ({ endpoint: 'https://push.example/sub/walk', keys: { p256dh: 'BNfictionalkey0000', auth: 'fictional00' } }),
    'DELETE /api/patient/push-subscription': () => ({ endpoint: 'https://push.example/sub/walk' }),
    // levels of care (ADR 044): the fixture stay has ended, so a phase change or an end is a 409 that still reaches the use case
    'PUT /api/v1/levels-of-care/settings': () => ({ phaseTemplate: DEFAULT_TC_TEMPLATE, takeHomeTiers: [{ fromDay: 1, maxDoses: 7 }] }),
    'POST /api/v1/patients/:patientId/stays': () => ({ episodeId: f.stayEpisode, asamLevel: '3.5', startedOn: '2025-07-01' }),
    'POST /api/v1/patients/:patientId/stays/:stayId/phase-changes': () => ({ direction: 'advance', fromPhase: 'primary', reason: 'authorisation walk' }),
    'POST /api/v1/patients/:patientId/stays/:stayId/end': () => ({ endedOn: '2026-01-01', reason: 'authorisation walk' }),
    'POST /api/v1/patients/:patientId/take-home-schedules': () => ({
      medication: 'methadone',
      dose: '60 mg',
      treatmentStartedOn: '2025-06-01',
      effectiveOn: '2025-08-01',
      takeHomeDoses: 2,
      clinicDays: [1, 3, 5],
    }),
    'POST /api/v1/patients/:patientId/naltrexone-injections': () => ({ kind: 'given', givenOn: '2025-12-01', doseMg: 380, site: 'left-gluteal' }),
    // notes (ADR 041): the administrator wrote the fixture notes, so their saves and signature reach the use case;
    // other roles' are 409 not_author (or 404 for a counselling note they cannot read); the co-signer is programme A's counsellor
    'POST /api/v1/encounters/:encounterId/notes': () => ({ patientId: f.patient, template: 'dap', sections: {} }),
    'PATCH /api/v1/progress-notes/:id': () => ({ version: 1, sections: { data: 'walk', assessment: 'walk', plan: 'walk' } }),
    'POST /api/v1/progress-notes/:id/sign': () => ({ version: 2, cosignerId: f.cosigner }),
    'POST /api/v1/progress-notes/:id/cosign': () => undefined, // takes no body
    'POST /api/v1/progress-notes/:id/addenda': () => ({ text: 'authorisation walk' }),
    'POST /api/v1/encounters/:encounterId/counselling-notes': () => ({ patientId: f.patient, body: 'authorisation walk' }),
    'PATCH /api/v1/counselling-notes/:id': () => ({ version: 1, body: 'authorisation walk' }),
    'POST /api/v1/counselling-notes/:id/sign': () => ({ version: 2 }),
    'POST /api/v1/counselling-notes/:id/grants': () => ({ userId: f.grantee }),
    'POST /api/v1/counselling-notes/:id/grants/:userId/revoke': () => undefined,
    'POST /api/v1/lab/hl7v2': () => labMessage(f.patient === w.patientA ? 'A-0001' : 'B-0001'),
    // counselling (ADR 043): the rules; a caseload assignment (the first permitted role assigns, later ones find it already assigned: 409), then its end (200, then 404)
    'PUT /api/v1/counselling/rules': () => ({
      phases: [
        { fromDay: 0, everyDays: 7 },
        { fromDay: 90, everyDays: 14 },
      ],
      dueSoonDays: 3,
    }),
    'POST /api/v1/patients/:patientId/caseload': () => ({ kind: 'counsellor', userId: w.users.counsellor, reason: 'authorisation walk' }),
    'POST /api/v1/patients/:patientId/caseload/end': () => ({ kind: 'counsellor', reason: 'authorisation walk' }),
    // naloxone (ADR 050): a kit and an adjustment from the fixture lot (1000 kits), a training, the settings
    'POST /api/v1/naloxone/lots': () => ({ product: 'nasal-4mg', lotNumber: `WALK-${seq}`, expiresOn: '2030-01-31', quantity: 5 }),
    'POST /api/v1/meeting-sources': () => ({ name: `walk ${randomUUID()}`, format: 'meeting-guide', defaultTimeZone: 'America/New_York' }),
    'PATCH /api/v1/meeting-sources/:id': () => ({ refreshHours: 12 }),
    'POST /api/v1/meeting-sources/:id/refresh': () => undefined, // takes no body (the fixture source's URL refuses connections: status 'failed')
    'POST /api/v1/meeting-sources/:id/import': () => ({ feed: [{ slug: 'walk', name: 'Walk meeting', day: 1, time: '19:00' }] }),
    'POST /api/v1/naloxone/adjustments': () => ({ lotId: f.naloxoneLot, delta: -1, reason: 'count' }),
    'POST /api/v1/naloxone/kits': () => ({ lotId: f.naloxoneLot, recipient: { kind: 'patient', patientId: f.patient }, trainingSteps: ['give-naloxone'] }),
    'POST /api/v1/naloxone/trainings': () => ({ recipient: { kind: 'patient', patientId: f.patient }, steps: ['call-for-help'] }),
    'PUT /api/v1/naloxone/settings': () => ({ reorderLevel: 10, expiryWarningDays: 60 }),
    // the de-identified research export (issue 17): an administrator's; the fixture's admissions are disclosed under the research exception
    'POST /api/v1/outcomes/research-exports': () => ({ from: '2025-06-01', to: '2026-02-28', recipient: 'Walk University (fictional)', purpose: 'Authorisation walk study' }),
    // CRAFT (issue 16): a new client each time; the fixture course's sessions, outcome, wellbeing; closing twice is 409
    'POST /api/v1/craft-courses': () => ({ displayName: `Walk CSO ${seq}`, lovedOne: 'my brother', startedOn: '2026-03-02' }),
    'PATCH /api/v1/craft-courses/:id/sessions/:number': () => ({ status: 'held', heldOn: '2026-03-02' }),
    'POST /api/v1/craft-courses/:id/outcomes': () => ({ enteredTreatment: false }),
    'POST /api/v1/craft-courses/:id/close': () => ({ reason: 'Walk' }),
    'POST /api/v1/craft-courses/:id/wellbeing': () => ({ instrument: 'gad-7', answers: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0 } }),
    'POST /api/v1/craft-courses/:id/app/invite': () => undefined,
    'POST /api/v1/craft-courses/:id/app/devices/:deviceId/revoke': () => undefined,
    'POST /api/patient/family/craft/sessions/:number/homework': () => ({ response: 'Walk answer' }),
    'POST /api/patient/family/craft/wellbeing': () => ({ instrument: 'gad-7', answers: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0 } }),
    // couples and network therapy (issue 16): a new contract ends the fixture's (then its days and end are 409); a named member; a meeting; a dose
    'POST /api/v1/patients/:patientId/recovery-contracts': () => ({ familyMemberId: f.partner, terms: ['trust-discussion'] }),
    'POST /api/v1/patients/:patientId/recovery-contracts/:id/end': () => undefined, // takes no body
    'PUT /api/v1/patients/:patientId/recovery-contracts/:id/days/:day': () => ({ held: true }),
    'POST /api/v1/patients/:patientId/network-members': () => ({ displayName: `Walk member ${seq}`, relationship: 'friend' }),
    'POST /api/v1/patients/:patientId/network-members/:id/leave': () => ({}),
    'POST /api/v1/patients/:patientId/network-meetings': () => ({ heldOn: w.clock.now.toISOString().slice(0, 10), attendees: [f.networkMember] }),
    'POST /api/v1/patients/:patientId/witnessed-doses': () => ({ networkMemberId: f.networkMember, day: w.clock.now.toISOString().slice(0, 10), taken: true }),
    // peer outreach (ADR 049): a supervisor (re)assigns, a peer without manage gets 409; closing twice is 409; acknowledging twice is 409
    'POST /api/v1/peer-outreach/referrals': () => ({ contactName: 'Walk person', source: 'outreach', consent: true, contactMethod: 'sms' }),
    'POST /api/v1/peer-outreach/referrals/:id/attempts': () => ({ method: 'phone', outcome: 'no-answer' }),
    'POST /api/v1/peer-outreach/referrals/:id/outcomes': () => ({ kind: 'naloxone-received', occurredOn: '2025-06-01' }),
    'POST /api/v1/peer-outreach/referrals/:id/assign': () => ({ userId: null }),
    'POST /api/v1/peer-outreach/referrals/:id/close': () => ({ reason: 'moved' }),
    'POST /api/v1/peer-outreach/escalations/:id/acknowledge': () => undefined, // takes no body
    'PUT /api/v1/peer-outreach/settings': () => ({ firstContactHours: 24, followUpDays: [1, 3, 7, 14, 30, 60, 90], followUpsFrom: 'first-contact', retryHours: 4, maxTries: 3 }),
  };
  const make = bodies[key];
  if (make) return make();
  if (route.method === 'GET' || route.method === 'DELETE') return undefined;
  throw new Error(`The authorisation test has no request body for ${key}: add a valid one to bodyFor (with programme A's and programme B's records from test/support/fixtures.ts).`);
}

const walkedRoutes = () => routesOf(w.app).filter((r) => (r.url.startsWith('/api/') || r.url.startsWith('/fhir/R4/')) && r.method !== 'HEAD');
const permissionRoutes = () => walkedRoutes().filter((r) => r.config?.permission);
/**
 * Whether `role` may call the route: by the role's permissions, or for the walker token (every
 * scope) by its scopes. Programme roles never hold an organisation permission (ADR 020): those
 * routes are walked as 403 for every role here.
 */
const has = (role: WalkRole, p: AnyPermission, route: string) => (role === 'integration' ? tokenMay(TOKEN_SCOPES, route).allowed : (ROLE_PERMISSIONS[role] as readonly string[]).includes(p));

beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS }); // after every specimen and check-in the walk records
  ({ A, B } = await makeFixtures(w));
  for (const role of ROLES) clients.set(role, await w.client(role));
  // the 'integration' role: a programme-A API token with every scope, sent as a bearer token with no session
  const bearer = { authorization: `Bearer ${A.walkerToken.secret}`, 'waypoint-program': w.programA };
  const request: Client['request'] = (opts) => w.app.inject({ ...opts, headers: { ...bearer, ...(opts.headers ?? {}) } });
  clients.set('integration', {
    userId: A.walkerToken.userId,
    programId: w.programA,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as object }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
    put: (url, payload) => request({ method: 'PUT', url, payload: payload as object }),
    del: (url) => request({ method: 'DELETE', url }),
  });
}, 120_000);
afterAll(async () => {
  await w?.close();
});

/** An ORU^R01 message (fictional laboratory) with one negative cocaine result for the patient with this MRN. */
function labMessage(mrn: string) {
  return [
    'MSH|^~\\&|WALKLAB|AUTHZ LAB|WAYPOINT|CLINIC|20260313120000-0500||ORU^R01^ORU_R01|WALK-1|P|2.5.1',
    `PID|1||${mrn}^^^CLINIC^MR||WALKER^AUTHZ||19800401|U`,
    'OBR|1||WALK-ACC-1^AUTHZLAB|94306-4^Drug screen panel^LN|||202603130900-0500',
    'OBX|1|ST|3397-7^Cocaine^LN||NEGATIVE||||||F',
  ].join('\r');
}
/** An HL7 ACK saying the message named a record that is not there (AE, error 204): the HL7 route's 404. */
const hl7NotFound = (r: { statusCode: number; headers: Record<string, unknown>; body: string }) =>
  r.statusCode === 200 && String(r.headers['content-type']).startsWith('x-application/hl7-v2+er7') && r.body.includes('\rMSA|AE|') && r.body.includes('|204^');

const call = (c: Client, route: RegisteredRoute, f: Fixtures, headers: Record<string, string> = {}) => {
  const payload = bodyFor(route, f);
  if (typeof payload === 'string') headers = { 'content-type': 'x-application/hl7-v2+er7', ...headers };
  return c.request({ method: route.method as 'GET', url: fillUrl(route.url, f, `${route.method} ${route.url}`), headers, ...(payload === undefined ? {} : { payload: payload as object }) });
};
/** Programme B's request names one of B's records (in the path, or in the body: e.g. enrolling B's patient). */
const namesB = (route: RegisteredRoute) => namesRecords(route.url) || B.sentinels.some((s) => (JSON.stringify(bodyFor(route, B)) ?? '').includes(s));

describe('route table', () => {
  it('every route has fixtures: a value for each path parameter and a valid body, for programme A and programme B', () => {
    const missing: string[] = [];
    for (const r of walkedRoutes()) {
      for (const f of [A, B]) {
        try {
          fillUrl(r.url, f, `${r.method} ${r.url}`);
          if (r.config?.permission) bodyFor(r, f);
        } catch (err) {
          missing.push((err as Error).message);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every API and FHIR route either names a permission or is listed as public/partial', () => {
    const routes = walkedRoutes();
    expect(routes.some((r) => r.url.startsWith('/fhir/R4/'))).toBe(true);
    expect(routes.length).toBeGreaterThan(15);
    const unlisted = routes.filter((r) => !r.config?.permission && !WITHOUT_PERMISSION[`${r.method} ${r.url}`]).map((r) => `${r.method} ${r.url}`);
    expect(unlisted, 'routes without a permission that are not listed as public/partial').toEqual([]);
    for (const r of routes) {
      const listed = WITHOUT_PERMISSION[`${r.method} ${r.url}`];
      if (listed === 'public') expect(r.config?.auth).toBe('public');
      if (listed === 'partial') expect(r.config?.auth).toBe('partial');
      for (const kind of ['patient', 'family', 'app'] as const) {
        if (listed === kind) expect(r.config?.auth).toBe(kind);
        if (r.config?.auth === kind) expect(listed).toBe(kind);
      }
      if (listed && r.config?.permission) throw new Error(`${r.method} ${r.url} has a permission but is listed as ${listed}`);
    }
  });

  it('partial and session routes refuse a caller without a session', async () => {
    for (const r of walkedRoutes().filter((x) => x.config?.auth !== 'public')) {
      const res = await w.app.inject({ method: r.method as 'GET', url: fillUrl(r.url, A), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });
});

/**
 * The patient principal (ADR 030) against every other kind: every route × staff (every role),
 * an API token, a patient-tablet token, patient A and patient B. Patient routes answer only a
 * patient-app session, and only with that patient's own data; a patient session reaches no
 * other route. Runs before the permission walk, which revokes programme A's fixture device.
 */
describe('patient principal × every route', () => {
  const patientRoutes = () => walkedRoutes().filter((r) => r.config?.auth === 'patient');
  const send = (route: RegisteredRoute, url: string, headers: Record<string, string>) =>
    w.app.inject({
      method: route.method as 'GET',
      url,
      headers,
      ...(route.method === 'GET' ? {} : { payload: ((route.config?.permission ? bodyFor(route, A) : undefined) as object | undefined) ?? {} }),
    });

  it('staff sessions, API tokens and tablet tokens never reach a patient route; patients reach only their own data', async () => {
    expect(patientRoutes().map((r) => `${r.method} ${r.url}`)).toContain('GET /api/patient/me');
    // a tablet token: the bearer credential of a patient-tablet session
    const admin = clients.get('administrator')!;
    const started = (await admin.post(`/api/v1/patients/${w.patientA}/patient-sessions`, { instrument: 'gad-7' })).json() as { handoffCode: string };
    const tablet = (await w.app.inject({ method: 'POST', url: '/api/v1/tablet/handoff', payload: { code: started.handoffCode } })).json() as { token: string };
    expect(tablet.token).toBeTruthy();
    const failures: string[] = [];
    for (const route of patientRoutes().filter((r) => r.method === 'GET')) {
      for (const role of WALK_ROLES) {
        const r = await clients.get(role)!.request({ method: 'GET', url: route.url });
        if (r.statusCode !== 401) failures.push(`${role} ${route.method} ${route.url}: expected 401, got ${r.statusCode}`);
      }
      const t = await send(route, route.url, { authorization: `Bearer ${tablet.token}` });
      if (t.statusCode !== 401) failures.push(`tablet ${route.url}: expected 401, got ${t.statusCode}`);
    }
    // each patient sees their own record: patient B's language differs from A's
    await w.database.query("update patients set preferred_language = 'es' where id = $1", [w.patientB]);
    const meA = await w.app.inject({ method: 'GET', url: '/api/patient/me', headers: { cookie: A.patientCookie } });
    const meB = await w.app.inject({ method: 'GET', url: '/api/patient/me', headers: { cookie: B.patientCookie } });
    expect([meA.statusCode, meB.statusCode]).toEqual([200, 200]);
    expect((meA.json() as { language: string }).language).toBe('en');
    expect((meB.json() as { language: string }).language).toBe('es');
    for (const s of B.sentinels) if (meA.body.includes(s)) failures.push(`patient A's /me contains programme B data ${s}`);
    // a programme header naming B changes nothing for patient A: the session names its programme
    const meAB = await w.app.inject({ method: 'GET', url: '/api/patient/me', headers: { cookie: A.patientCookie, 'waypoint-program': w.programB } });
    expect((meAB.json() as { language: string }).language).toBe('en');
    expect(failures).toEqual([]);
  });

  it('a patient session reaches no staff or FHIR route, in either programme', async () => {
    const failures: string[] = [];
    for (const route of walkedRoutes().filter((r) => !['public', 'patient', 'family', 'app'].includes(r.config?.auth ?? ''))) {
      for (const [who, f, cookie] of [
        ['patient A', A, A.patientCookie],
        ['patient B', B, B.patientCookie],
      ] as const) {
        const r = await send(route, fillUrl(route.url, f), { cookie, 'waypoint-program': f.programId });
        if (r.statusCode !== 401) failures.push(`${who} ${route.method} ${route.url}: expected 401, got ${r.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

/**
 * The family principal (issue 16, ADR 053) and the consent dimension: a family member's session
 * reaches no staff, FHIR or patient route; a patient's reaches no family route; and on every
 * family route a disclosure happens only while a consent in effect covers it — with no consent
 * (programme B's relative asking for A's patient), an active one, an expired (ended) one and a
 * revoked one. Runs before the permission walk, which revokes the fixture consent.
 */
describe('family principal × every route × consent state', () => {
  const familyRoutes = () => walkedRoutes().filter((r) => r.config?.auth === 'family');
  const disclosures = async () => Number((await w.database.query<{ n: string }>('select count(*) n from disclosures where patient_id = $1', [w.patientA]))[0]!.n);

  it('a family session reaches no staff, FHIR or patient route; a patient session no family route', async () => {
    expect(familyRoutes().length).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    for (const route of walkedRoutes().filter((r) => !['public', 'family', 'app'].includes(r.config?.auth ?? ''))) {
      const r = await w.app.inject({
        method: route.method as 'GET',
        url: fillUrl(route.url, A),
        headers: { cookie: A.familyCookie, 'waypoint-program': A.programId },
        ...(route.method === 'GET' ? {} : { payload: {} }),
      });
      const expected = route.config?.auth === 'patient' ? 403 : 401;
      if (r.statusCode !== expected) failures.push(`family ${route.method} ${route.url}: expected ${expected}, got ${r.statusCode}`);
    }
    for (const route of familyRoutes()) {
      const asked = { method: route.method as 'GET', url: fillUrl(route.url, A), ...(route.method === 'GET' ? {} : { payload: {} }) };
      const r = await w.app.inject({ ...asked, headers: { cookie: A.patientCookie } });
      if (r.statusCode !== 403) failures.push(`patient ${route.url}: expected 403, got ${r.statusCode}`);
      for (const role of WALK_ROLES) {
        const s = await clients.get(role)!.request(asked);
        if (s.statusCode !== 401) failures.push(`${role} ${route.url}: expected 401, got ${s.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('discloses only under a consent in effect: none, active, ended and revoked', async () => {
    const admin = clients.get('administrator')!;
    const one = `/api/patient/family/shared/${w.patientA}`;
    const get = (url: string, cookie: string) => w.app.inject({ method: 'GET', url, headers: { cookie } });
    // none: programme B's relative is not linked to A's patient and holds no consent of theirs
    expect((await get(one, B.familyCookie)).statusCode).toBe(404);
    expect((await get('/api/patient/family/shared', B.familyCookie)).body).not.toContain(w.patientA);
    // active: A's relative sees the card, and it is recorded
    let before = await disclosures();
    expect((await get(one, A.familyCookie)).statusCode).toBe(200);
    expect(await disclosures()).toBe(before + 1);
    // expired: a second consent (dated) that ends; then the fixture consent revoked: nothing more is disclosed
    const dated = (
      await admin.post(`/api/v1/patients/${w.patientA}/consents`, {
        template: 'family',
        language: 'en',
        recipient: { kind: 'family-member', familyMemberId: A.familyMember },
        purposes: ['family-support'],
        dataClasses: ['appointments'],
        dataDescription: 'Next visit.',
        expiry: { kind: 'condition', text: 'until the patient moves out' },
        paper: { signerName: 'Fixture signer', signedOn: w.clock.now.toISOString().slice(0, 10), scan: { contentType: 'image/png', base64: 'Zml4dHVyZQ==' } },
      })
    ).json() as { id: string };
    expect((await admin.post(`/api/v1/patients/${w.patientA}/consents/${dated.id}/end`, { note: 'Moved out.' })).statusCode).toBe(200);
    expect((await get(one, A.familyCookie)).statusCode).toBe(200); // the fixture consent still covers
    expect((await admin.post(`/api/v1/patients/${w.patientA}/consents/${A.consent}/revoke`, {})).statusCode).toBe(200);
    before = await disclosures();
    for (const route of familyRoutes().filter((r) => r.url.includes(':patientId'))) expect((await get(fillUrl(route.url, A), A.familyCookie)).statusCode).toBe(403);
    expect(((await get('/api/patient/family/shared', A.familyCookie)).json() as { items: unknown[] }).items).toEqual([]);
    expect(await disclosures()).toBe(before);
  });
});

describe('every permission route × every role', () => {
  it('denies roles without the permission (403 + audit), never leaks programme B, and refuses a foreign programme header', async () => {
    const routes = permissionRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    const denied: Array<{ role: WalkRole; route: string; programId: string | null }> = [];
    const reachedA = new Set<string>();
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const permission = route.config!.permission!;
      const expect404 = namesB(route);
      for (const role of WALK_ROLES) {
        const c = clients.get(role)!;
        const allowed = has(role, permission, key);
        // 1. programme A's records (the caller's own programme)
        const ra = await call(c, route, A);
        if (ra.statusCode >= 500) failures.push(`${role} ${key} (A ids): ${ra.statusCode}`);
        if (!allowed && ra.statusCode !== 403) failures.push(`${role} ${key} (A ids): expected 403, got ${ra.statusCode}`);
        if (allowed && (ra.statusCode === 401 || ra.statusCode === 403)) failures.push(`${role} ${key} (A ids): permitted but got ${ra.statusCode} ${ra.body.slice(0, 120)}`);
        if (allowed && (ra.statusCode < 300 || ra.statusCode === 409)) reachedA.add(key); // 409: the use case ran and found a conflict
        // a refusal of an organisation permission is in the organisation's trail, not a programme's
        if (!allowed) denied.push({ role, route: route.url, programId: isOrganizationPermission(permission) ? null : w.programA });
        for (const s of B.sentinels) if (ra.body.includes(s)) failures.push(`${role} ${key} (A ids): response contains programme B data ${s}`);
        // 2. programme B's records, acting in programme A
        const rb = await call(c, route, B);
        if (rb.statusCode >= 500) failures.push(`${role} ${key} (B ids): ${rb.statusCode}`);
        if (!allowed && rb.statusCode !== 403) failures.push(`${role} ${key} (B ids): expected 403, got ${rb.statusCode}`);
        if (allowed && expect404 && rb.statusCode !== 404 && !hl7NotFound(rb)) failures.push(`${role} ${key} (B ids): expected 404, got ${rb.statusCode} ${rb.body.slice(0, 160)}`);
        if (rb.statusCode < 300) for (const s of B.sentinels) if (rb.body.includes(s)) failures.push(`${role} ${key} (B ids): response contains programme B data ${s}`);
        // 3. naming programme B, where the caller has no role
        const rh = await call(c, route, B, { 'waypoint-program': w.programB });
        if (rh.statusCode !== 403) failures.push(`${role} ${key} (header B): expected 403, got ${rh.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // each route's fixtures are good enough for a permitted role to reach the use case
    // (organisation routes are reached by the organisation administrator, who holds no programme role: 'minimum necessary' below)
    expect(
      routes
        .filter((r) => !isOrganizationPermission(r.config!.permission!))
        .map((r) => `${r.method} ${r.url}`)
        .filter((k) => !reachedA.has(k)),
    ).toEqual([]);
    // every denial left an audit row naming the route and the actor
    const rows = await w.database.query<{ actor_id: string; route: string; program_id: string; outcome: string }>(
      "select actor_id, detail->>'route' as route, program_id, outcome from audit_events where action = 'access-denied'",
    );
    const seen = new Set(rows.map((r) => `${r.actor_id} ${r.route} ${r.program_id} ${r.outcome}`));
    const missing = denied.filter((d) => !seen.has(`${clients.get(d.role)!.userId} ${d.route} ${d.programId} denied`));
    expect(missing).toEqual([]);
  }, 180_000); // walks every route × role × programme: slow on a loaded 2-core machine

  it('B-scoped data stays in B: programme B’s administrator does not see programme A either', async () => {
    const adminB = await w.client('adminB');
    const search = await adminB.post('/api/v1/patients/search', { limit: 200 });
    expect(search.statusCode).toBe(200);
    expect(search.body).not.toContain(w.patientA);
    expect((await adminB.get(`/api/v1/patients/${w.patientA}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/v1/patients/${w.patientA}/medications`)).statusCode).toBe(404);
    const staff = await adminB.get('/api/v1/staff');
    expect(staff.body).not.toContain(w.users.counsellor);
    const audit = await adminB.get('/api/v1/audit-events?limit=200');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(w.patientA);
    expect(audit.body).not.toContain(w.users.counsellor);
  });

  it('a 404 for another programme’s record looks exactly like a 404 for no record', async () => {
    const c = clients.get('administrator')!;
    const other = await c.get(`/api/v1/patients/${w.patientB}`);
    const none = await c.get(`/api/v1/patients/${randomUUID()}`);
    expect(other.statusCode).toBe(404);
    const strip = (b: string) => ({ ...(JSON.parse(b) as Record<string, unknown>), requestId: undefined });
    expect(strip(other.body)).toEqual(strip(none.body));
  });
});

describe('minimum necessary', () => {
  const expectStatus = async (role: Role, method: 'GET' | 'POST' | 'PATCH', url: string, payload: unknown, status: number) => {
    const r = await clients.get(role)!.request({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(r.statusCode, `${role} ${method} ${url}: ${r.body.slice(0, 200)}`).toBe(status);
  };

  it('front desk cannot read medications or episodes', async () => {
    await expectStatus('front-desk', 'GET', `/api/v1/patients/${w.patientA}/medications`, undefined, 403);
    await expectStatus('front-desk', 'GET', `/api/v1/patients/${w.patientA}/episodes`, undefined, 403);
    await expectStatus('front-desk', 'GET', `/api/v1/patients/${w.patientA}`, undefined, 200);
  });

  it('auditor cannot read patients, but can read the audit trail', async () => {
    await expectStatus('auditor', 'GET', `/api/v1/patients/${w.patientA}`, undefined, 403);
    await expectStatus('auditor', 'POST', '/api/v1/patients/search', {}, 403);
    await expectStatus('auditor', 'GET', `/api/v1/patients/${w.patientA}/medications`, undefined, 403);
    await expectStatus('auditor', 'GET', '/api/v1/audit-events', undefined, 200);
  });

  it('specimen collector cannot update patients or see episodes', async () => {
    await expectStatus('specimen-collector', 'PATCH', `/api/v1/patients/${w.patientA}`, { version: 1, pronouns: 'she/her' }, 403);
    await expectStatus('specimen-collector', 'GET', `/api/v1/patients/${w.patientA}/episodes`, undefined, 403);
    await expectStatus('specimen-collector', 'GET', `/api/v1/patients/${w.patientA}/medications`, undefined, 200);
  });

  it('only organisation administrators manage the organisation; only administrators manage staff; export nothing but audit', async () => {
    for (const role of ROLES) await expectStatus(role, 'GET', '/api/v1/organization/settings', undefined, 403);
    const orgAdmin = await w.client('orgAdmin');
    expect((await orgAdmin.get('/api/v1/organization/settings')).statusCode).toBe(200);
    expect((await orgAdmin.put('/api/v1/organization/settings', { idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: false })).statusCode).toBe(200);
    await expectStatus('counsellor', 'GET', '/api/v1/audit-events', undefined, 403);
    await expectStatus('peer-specialist', 'GET', `/api/v1/patients/${w.patientA}/medications`, undefined, 403);
    await expectStatus('cm-coordinator', 'PATCH', `/api/v1/patients/${w.patientA}`, { version: 1 }, 403);
  });

  it('the role table itself: no role but administrator holds manage:*, none holds an organisation permission, and auditor holds no patient permission', () => {
    for (const role of [...ROLES, 'integration' as const]) {
      const perms = ROLE_PERMISSIONS[role];
      if (role !== 'administrator') expect(perms.filter((p) => p.startsWith('manage:'))).toEqual([]);
      expect(perms.filter((p) => isOrganizationPermission(p))).toEqual([]);
    }
    expect(ROLE_PERMISSIONS.auditor.filter((p) => /patient|medication|episode|care-team/.test(p))).toEqual([]);
    expect(ROLE_PERMISSIONS['front-desk'].filter((p) => /medication|episode/.test(p))).toEqual([]);
    // voiding a ledger entry moves money: administrators and CM coordinators only (never a token)
    expect([...ROLES, 'integration' as const].filter((r) => ROLE_PERMISSIONS[r].includes('void:ledger'))).toEqual(['administrator', 'cm-coordinator']);
  });
});
