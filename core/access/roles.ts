// Staff roles per programme and the permissions each grants (minimum necessary:
// a role sees only what its work needs). Permissions are `action:entity` strings.
export const ROLES = ['administrator', 'prescriber', 'counsellor', 'cm-coordinator', 'peer-specialist', 'specimen-collector', 'front-desk', 'auditor'] as const;
/** Roles held by service accounts (API tokens), never by people: not in ROLES, so staff screens cannot assign them. */
export const SERVICE_ROLES = ['integration'] as const;
export type StaffRole = (typeof ROLES)[number];
export type Role = (typeof ROLES)[number] | (typeof SERVICE_ROLES)[number];

export const PERMISSIONS = [
  'read:patient', // demographics, contact details, schedule
  'create:patient',
  'update:patient',
  'read:medication', // medication for OUD history
  'write:medication',
  'read:episode', // episodes of care and level of care
  'write:episode',
  'read:care-team',
  'write:care-team',
  'read:staff', // the programme's staff directory (names and roles)
  'manage:staff', // accounts, roles, password resets (of accounts wholly within the programmes one administers)
  'read:audit',
  'export:audit',
  // assessments, stage of change, care plans (server/modules/assessments, planning)
  'read:assessment', // instrument administrations: answers, scores, bands, alerts
  'write:assessment', // administer an instrument (staff-entered or a patient-tablet session)
  'read:stage', // stage-of-change history and trajectory
  'write:stage', // record a clinician's stage judgement or override
  'read:care-plan', // care plans, versions, recommendations, plan-review work list
  'write:care-plan', // create and revise plans, record the patient's agreement
  'read:safety-alert', // urgent safety alerts (e.g. PHQ-9 item 9) for the care team
  'write:safety-alert', // acknowledge a safety alert
  // daily check-ins (server/modules/checkins)
  'read:check-in', // a patient's check-ins and trends; the programme's risk-rule settings
  'write:check-in', // record a check-in a patient gives by phone (source 'staff')
  'manage:check-in-settings', // the programme's risk-rule settings
  // contingency management (server/modules/cm)
  'read:cm', // enrolments, CM calendar, ledger, balances, draws, catalogue, programme CM summary
  'write:cm-protocol', // protocol library (new versions; never edits)
  'enrol:cm', // enrol, complete, withdraw
  'write:specimen', // record specimens and corrections
  'adjudicate:specimen', // carry-over vs new use
  'write:cm-event', // attendance and dose check-ins
  'draw:cm', // reveal prize draws on the draw screen
  'redeem:cm', // redeem vouchers / fulfil prizes
  'approve:redemption', // approve a redemption over the programme threshold
  'void:ledger', // void a CM ledger entry posted in error, with a reason (a new entry; never a redemption)
  'approve:privilege', // approve or decline a take-home recommendation
  'write:catalogue', // catalogue items, stock, funding sources and caps
  'manage:cm-settings', // approval threshold, budget, seed rotation
  'manage:integration', // API tokens for laboratories and EHRs
  // messages (server/modules/messages)
  'read:messages', // the outbox: what was sent to whom, when, by which channel, and dead letters
  'manage:messages', // retry a dead letter; the SMS simulator
  // the patient app (server/modules/patient-app, ADR 030)
  'read:patient-app', // whether a patient has an open invite, and the devices they activated
  'write:patient-app', // invite a patient to the app (a new activation code), revoke a device
  // Help now (server/modules/help, ADR 037); a patient's safety plan goes with read:/write:care-plan
  'manage:help-settings', // the programme's crisis and after-hours lines, clinic number, naloxone places
  'manage:patient-app-settings', // the patient app's idle lock for the programme
  // encounters (server/modules/encounters, issue 14). The front desk sees the schedule and
  // checks people in without clinical detail; SUD counselling notes are not a role's
  // permission at all: the author and those granted read them (ADR 041).
  'read:schedule', // the day's schedule: times, rooms, who is booked, arrival; no clinical detail
  'check-in:encounter', // mark a booked person as arrived
  'write:schedule', // book, reschedule and cancel visits; recurring groups, rosters, rooms
  'read:encounter', // a visit's clinical side: attendance, notes list, a patient's visit history
  'write:attendance', // record attendance (posts the CM attendance event for an enrolled patient)
  'read:progress-note', // progress notes (DAP, SOAP, BIRP, group) and addenda
  'write:progress-note', // write, sign and add addenda to one's own notes
  'cosign:progress-note', // co-sign the notes of staff under supervision
  'read:counselling-compliance', // counselling frequency status, the overdue list, the monthly report
  'manage:encounter-settings', // visit types, rooms, counselling-frequency rules
  'write:caseload', // assign and transfer patients between counsellors and peers
  'read:level-of-care', // residential / therapeutic-community stays, phases, privileges; medication visits
  'write:level-of-care', // start a stay, advance or reduce its phase; record dosing schedules and injections
  // skills modules (server/modules/skills, issue 13)
  'read:skills', // a patient's assigned modules, progress and homework; the programme's skills report
  'write:skills', // assign and cancel modules; review homework and leave a comment the patient sees
  'manage:skills-library', // the programme's own modules: write, preview, publish, retire
  // community (issue 15): mutual-help meetings, peer outreach after overdose, naloxone
  'read:meetings', // the meeting directory, its sources, MOUD-friendliness and what patients reported (never who)
  'manage:meetings', // meeting sources and imports (an administrator)
  'write:meetings', // manual entries, MOUD-friendliness records, in-house attendance codes
  'read:peer-outreach', // peer referrals, outreach attempts and the peer work list
  'write:peer-outreach', // take referrals, log contact attempts and outcomes
  'manage:peer-outreach', // the outreach deadlines and follow-up schedule; escalations and reassignment (a supervisor)
  'read:naloxone', // naloxone kits given and training delivered
  'write:naloxone', // record kits, training and the stock of kits
  // 42 CFR Part 2 (issue 16): consents, the patient notice, the accounting of disclosures, family
  'read:consent', // a patient's consents, notice acknowledgement and accounting of disclosures
  'write:consent', // write a consent, record its signature, a revocation or its end; record the notice given
  'write:disclosure', // print or export records for someone outside the programme under a consent, or in a medical emergency
  'read:family', // the family members and friends linked to a patient
  'write:family', // add and link family members and friends, invite them to the app
  // outcomes (issue 17): the programme's aggregate outcomes, with the counts behind them; no patient names
  'read:outcomes', // retention curves and screen outcomes by cohort (the outcomes dashboard)
  'export:research', // the de-identified research export: a disclosure under the research exception (an administrator only)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  administrator: ALL,
  prescriber: [
    'read:patient',
    'create:patient',
    'update:patient',
    'read:medication',
    'write:medication',
    'read:episode',
    'write:episode',
    'read:care-team',
    'write:care-team',
    'read:staff',
    'read:cm',
    'write:cm-event',
    'approve:privilege',
    'read:assessment',
    'write:assessment',
    'read:stage',
    'write:stage',
    'read:care-plan',
    'write:care-plan',
    'read:safety-alert',
    'write:safety-alert',
    'read:check-in',
    'write:check-in',
    'read:patient-app',
    'write:patient-app',
    'read:schedule',
    'check-in:encounter',
    'write:schedule',
    'read:encounter',
    'write:attendance',
    'read:progress-note',
    'write:progress-note',
    'cosign:progress-note',
    'read:counselling-compliance',
    'read:level-of-care',
    'write:level-of-care',
    'read:skills',
    'write:skills',
    'read:meetings',
    'read:peer-outreach',
    'read:naloxone',
    'write:naloxone',
    'read:consent',
    'write:consent',
    'write:disclosure',
    'read:family',
    'write:family',
  ],
  counsellor: [
    'read:patient',
    'update:patient',
    'read:medication',
    'read:episode',
    'write:episode',
    'read:care-team',
    'write:care-team',
    'read:staff',
    'read:cm',
    'read:assessment',
    'write:assessment',
    'read:stage',
    'write:stage',
    'read:care-plan',
    'write:care-plan',
    'read:safety-alert',
    'write:safety-alert',
    'read:check-in',
    'write:check-in',
    'read:messages',
    'read:patient-app',
    'write:patient-app',
    'read:schedule',
    'check-in:encounter',
    'write:schedule',
    'read:encounter',
    'write:attendance',
    'read:progress-note',
    'write:progress-note',
    'cosign:progress-note',
    'read:counselling-compliance',
    'write:caseload',
    'read:level-of-care',
    'write:level-of-care',
    'read:skills',
    'write:skills',
    'read:meetings',
    'write:meetings',
    'read:peer-outreach',
    'read:naloxone',
    'write:naloxone',
    'read:consent',
    'write:consent',
    'write:disclosure',
    'read:family',
    'write:family',
  ],
  'cm-coordinator': [
    'read:patient',
    'read:medication',
    'read:episode',
    'read:care-team',
    'read:staff',
    'read:cm',
    'write:cm-protocol',
    'enrol:cm',
    'write:specimen',
    'adjudicate:specimen',
    'write:cm-event',
    'draw:cm',
    'redeem:cm',
    'approve:redemption',
    'void:ledger',
    'write:catalogue',
    'read:stage',
    'read:care-plan',
    'read:safety-alert',
    'read:messages',
    'read:patient-app',
    'write:patient-app',
    'read:schedule',
    'read:skills',
    'read:consent',
  ],
  'peer-specialist': [
    'read:patient',
    'read:care-team',
    'read:staff',
    'read:stage',
    'read:care-plan',
    'read:safety-alert',
    'read:check-in',
    'write:check-in',
    'read:patient-app',
    'read:schedule',
    'read:encounter',
    'write:attendance',
    'read:progress-note',
    'write:progress-note',
    'read:skills',
    'read:meetings',
    'write:meetings',
    'read:peer-outreach',
    'write:peer-outreach',
    'read:naloxone',
    'write:naloxone',
    'read:consent',
    'read:family',
  ],
  'specimen-collector': ['read:patient', 'read:medication', 'read:cm', 'write:specimen', 'write:cm-event', 'draw:cm'],
  'front-desk': [
    'read:patient',
    'create:patient',
    'update:patient',
    'read:staff',
    'read:messages',
    'read:patient-app',
    'write:patient-app',
    'read:schedule',
    'check-in:encounter',
    'write:schedule',
    'read:meetings',
    'read:consent',
    'write:consent',
    'read:family',
    'write:family',
  ],
  auditor: ['read:audit', 'export:audit', 'read:staff', 'read:outcomes'],
  // A laboratory or EHR through a programme-scoped API token: what it may do comes from the
  // scopes chosen at its creation (core/access/scopes.ts), never from this role.
  integration: [],
};

/**
 * Roles held in the organisation rather than in a programme. The organisation
 * administrator sets organisation-wide policy (idle time-out, session lifetime, required
 * two-step sign-in), grants this role, and may act on any account of the organisation.
 * A programme administrator holds none of this (ADR 020).
 */
export const ORGANIZATION_ROLES = ['organization-administrator'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
export const ORGANIZATION_PERMISSIONS = ['manage:organization'] as const;
/** `manage:organization`: session and two-step sign-in policy, and who is an organisation administrator. */
export type OrganizationPermission = (typeof ORGANIZATION_PERMISSIONS)[number];
/** What a route may require: a permission in the programme named, or one in the organisation. */
export type AnyPermission = Permission | OrganizationPermission;

export const ORGANIZATION_ROLE_PERMISSIONS: Record<OrganizationRole, readonly OrganizationPermission[]> = {
  'organization-administrator': ['manage:organization'],
};

export const isOrganizationRole = (x: string): x is OrganizationRole => (ORGANIZATION_ROLES as readonly string[]).includes(x);
export const isOrganizationPermission = (x: string): x is OrganizationPermission => (ORGANIZATION_PERMISSIONS as readonly string[]).includes(x);

export function organizationPermissionsOf(roles: readonly OrganizationRole[]): Set<OrganizationPermission> {
  return new Set(roles.flatMap((r) => ORGANIZATION_ROLE_PERMISSIONS[r]));
}

/** An account as account-wide administration sees it: its roles in programmes and in the organisation. */
export type AccountRoles = { programRoles: ReadonlyArray<{ programId: string; role: string }>; organizationRoles: readonly string[] };

/**
 * Whether `actor` may act on `target`'s account — reset its password or two-step
 * sign-in, deactivate or reactivate it, rename it, change its roles. An account reaches
 * every programme it works in, so an organisation administrator may, and a programme
 * administrator only when every role of the account lies in a programme they administer
 * and the account holds no organisation role.
 */
export function mayActOnAccount(actor: AccountRoles, target: AccountRoles): boolean {
  if (actor.organizationRoles.includes('organization-administrator')) return true;
  if (target.organizationRoles.length > 0) return false;
  const administers = new Set(actor.programRoles.filter((r) => r.role === 'administrator').map((r) => r.programId));
  return target.programRoles.every((r) => administers.has(r.programId));
}

const permissionSets = new Map<string, ReadonlySet<Permission>>();

/** The permissions of a set of roles (the same set object for the same roles: every request asks). */
export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  const key = roles.join(',');
  let out = permissionSets.get(key);
  if (!out) {
    const set = new Set<Permission>();
    for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) set.add(p);
    permissionSets.set(key, (out = set));
  }
  return out;
}

export const isRole = (x: string): x is Role => (ROLES as readonly string[]).includes(x);
export const isStaffRole = (x: string): x is StaffRole => (ROLES as readonly string[]).includes(x);
