// The kinds of record an audit event can be about, each in the group an auditor looks for it
// under. One list, shared by the server (the audit writer accepts only these) and the
// console (a readable name and a filter for each, in web/src/i18n under audit.entities).
import type { AnyPermission } from '../access/roles.ts';

export const AUDIT_ENTITY_GROUPS = ['patients', 'cm', 'assessments', 'care-plans', 'encounters', 'community', 'staff-access', 'system'] as const;
export type AuditEntityGroup = (typeof AUDIT_ENTITY_GROUPS)[number];

/**
 * Records use cases write audit rows about. A refusal (`access-denied`) names the record kind
 * of the permission it lacked (`read:cm` → `cm`), so every permission's record kind is here too.
 */
export const AUDIT_ENTITIES = {
  // patients: demographics, treatment history, drug screens and their FHIR observations
  patient: 'patients',
  medication: 'patients',
  episode: 'patients',
  'care-team': 'patients',
  // the patient app: invites, activated devices, a patient's own sign-ins (ADR 030)
  'patient-app': 'patients',
  'patient-invite': 'patients',
  'patient-device': 'patients',
  screen: 'patients',
  observation: 'patients',
  // messages to patients (the outbox) and how a patient may be contacted
  messages: 'patients',
  'contact-preferences': 'patients',
  // 42 CFR Part 2: consents, the disclosures made under them or an exception, the patient
  // notice acknowledged at intake, family members and friends (issue 16)
  consent: 'patients',
  disclosure: 'patients',
  'patient-notice': 'patients',
  family: 'patients',
  // CRAFT (issue 16): a concerned significant other's own course, homework and wellbeing questionnaires
  'craft-course': 'patients',
  'craft-session': 'patients',
  'craft-outcome': 'patients',
  'craft-homework': 'patients',
  'family-assessment': 'assessments',
  // family education (issue 16): the lessons a family member finished in the app
  'family-lessons': 'patients',
  // contingency management
  cm: 'cm',
  'cm-enrolment': 'cm',
  'cm-protocol': 'cm',
  'cm-settings': 'cm',
  'cm-funding-source': 'cm',
  'cm-caps': 'cm',
  'cm-specimen': 'cm',
  'cm-attendance': 'cm',
  'cm-dose': 'cm',
  'cm-module': 'cm',
  'cm-event': 'cm',
  'cm-adjudication-queue': 'cm',
  'cm-ledger': 'cm',
  'cm-draws': 'cm',
  'cm-seed': 'cm',
  'cm-catalogue-item': 'cm',
  'cm-redemption': 'cm',
  'cm-redemption-list': 'cm',
  // a patient's requests from the app's catalogue (issue 12)
  'cm-redemption-request': 'cm',
  'cm-privilege': 'cm',
  'cm-summary': 'cm',
  'cm-day-list': 'cm',
  'cm-programme-summary': 'cm',
  specimen: 'cm',
  ledger: 'cm',
  redemption: 'cm',
  privilege: 'cm',
  catalogue: 'cm',
  // assessments
  assessment: 'assessments',
  'patient-session': 'assessments',
  'safety-alert': 'assessments',
  stage: 'assessments',
  'check-in': 'assessments',
  'check-in-settings': 'assessments',
  // care plans
  'care-plan': 'care-plans',
  'care-plan-version': 'care-plans',
  'care-plan-agreement': 'care-plans',
  'care-plan-goal': 'care-plans',
  // the personal safety plan (Help now, ADR 037) and its versions
  'safety-plan': 'care-plans',
  // skills modules (issue 13): assignments, progress, homework and its review, the programme's own modules
  skills: 'care-plans',
  'skills-library': 'care-plans',
  'skills-assignment': 'care-plans',
  'skills-progress': 'care-plans',
  'skills-entry': 'care-plans',
  'skills-review': 'care-plans',
  'skills-module': 'care-plans',
  'safety-plan-version': 'care-plans',
  recommendation: 'care-plans',
  // encounters: the schedule, visits, attendance, notes, compliance, caseloads, levels of care (issue 14)
  schedule: 'encounters',
  encounter: 'encounters',
  attendance: 'encounters',
  'group-series': 'encounters',
  room: 'encounters',
  'encounter-type': 'encounters',
  'progress-note': 'encounters',
  'counselling-note': 'encounters',
  // notes on visits (ADR 041): addenda, and who was granted to read a counselling note kept apart
  'progress-note-addendum': 'encounters',
  'counselling-note-grant': 'encounters',
  'counselling-compliance': 'encounters',
  'encounter-settings': 'encounters',
  caseload: 'encounters',
  'level-of-care': 'encounters',
  stay: 'encounters',
  'take-home-schedule': 'encounters',
  'naltrexone-injection': 'encounters',
  'level-of-care-settings': 'encounters',
  appointment: 'encounters',
  // community (issue 15): the meeting directory and its imports, MOUD-friendliness, meetings a
  // patient chose or attended, peer outreach after overdose, naloxone kits and training
  meetings: 'community',
  meeting: 'community',
  'meeting-source': 'community',
  'meeting-friendliness': 'community',
  'meeting-report': 'community',
  'meeting-attendance': 'community',
  'peer-outreach': 'community',
  'peer-referral': 'community',
  'outreach-attempt': 'community',
  'peer-outreach-settings': 'community',
  naloxone: 'community',
  'naloxone-kit': 'community',
  'naloxone-training': 'community',
  // staff and access: accounts, sign-in, integration tokens, refused look-ups of unknown records
  user: 'staff-access',
  staff: 'staff-access',
  session: 'staff-access',
  email: 'staff-access',
  'integration-token': 'staff-access',
  integration: 'staff-access',
  record: 'staff-access',
  // system
  audit: 'system',
  organization: 'system',
  program: 'system',
  'demo-data': 'system',
  // the programme's aggregate outcomes (issue 17): retention and screen outcomes by cohort
  outcomes: 'system',
  // the de-identified research export (issue 17): what a refusal of export:research names; the export itself is audited as 'export' of 'outcomes'
  research: 'system',
  // the programme's Help now numbers and naloxone places
  'help-settings': 'system',
  'patient-app-settings': 'system',
} as const satisfies Record<string, AuditEntityGroup>;

export type AuditEntity = keyof typeof AUDIT_ENTITIES;
/** The record kind of a permission (`approve:redemption` → `redemption`): what a refusal is about. */
export type PermissionEntity = AnyPermission extends infer P ? (P extends `${string}:${infer E}` ? E : never) : never;

// Every permission's record kind has a name: a compile error here names the one missing.
const _permissionEntitiesNamed: Record<PermissionEntity, AuditEntityGroup> = AUDIT_ENTITIES;
void _permissionEntitiesNamed;

/** The record kind a permission is about, named in audit rows of its refusals. */
export function entityOfPermission<P extends AnyPermission>(permission: P): PermissionEntity {
  return permission.slice(permission.indexOf(':') + 1) as PermissionEntity;
}

export const isAuditEntity = (x: string): x is AuditEntity => Object.hasOwn(AUDIT_ENTITIES, x);

/** The record kinds of a group, in catalogue order. */
export function auditEntitiesIn(group: AuditEntityGroup): AuditEntity[] {
  return (Object.keys(AUDIT_ENTITIES) as AuditEntity[]).filter((e) => AUDIT_ENTITIES[e] === group);
}

/** What an audit row does, for the action filter. */
export const AUDIT_ACTIONS = [
  'read',
  'search',
  'create',
  'update',
  'delete',
  'void',
  'correct',
  'adjudicate',
  'approve',
  'decline',
  'draw',
  'redeem',
  'stock',
  'rotate',
  'revoke',
  'cancel',
  'close-missed',
  'submit',
  'acknowledge',
  'print',
  'export',
  'sign-in',
  'mfa-verify',
  'sign-out',
  'sign-out-everywhere',
  'lock-out',
  'password-reset',
  'password-change',
  'mfa-setup-start',
  'mfa-enable',
  'patient-session-refused',
  'hand-off',
  'return-to-console',
  'access-denied',
  'not-found',
  // notes (ADR 041): signing and co-signing a note; granting someone a counselling note
  'sign',
  'cosign',
  'grant',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Why a record was touched (the audit row's purpose); `treatment` unless a use case says otherwise. */
export const AUDIT_PURPOSES = ['treatment', 'work-list', 'duplicate-check', 'audit', 'medical-emergency'] as const;
export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];
