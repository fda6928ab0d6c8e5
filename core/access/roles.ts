// Staff roles per programme and the permissions each grants (minimum necessary:
// a role sees only what its work needs). Permissions are `action:entity` strings.
export const ROLES = [
  'administrator',
  'prescriber',
  'counsellor',
  'cm-coordinator',
  'peer-specialist',
  'specimen-collector',
  'front-desk',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

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
  'manage:staff', // accounts, roles, password resets
  'manage:organization', // session and MFA policy
  'read:audit',
  'export:audit',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  administrator: ALL,
  prescriber: [
    'read:patient', 'create:patient', 'update:patient',
    'read:medication', 'write:medication', 'read:episode', 'write:episode',
    'read:care-team', 'write:care-team', 'read:staff',
  ],
  counsellor: [
    'read:patient', 'update:patient', 'read:medication', 'read:episode', 'write:episode',
    'read:care-team', 'write:care-team', 'read:staff',
  ],
  'cm-coordinator': ['read:patient', 'read:medication', 'read:episode', 'read:care-team', 'read:staff'],
  'peer-specialist': ['read:patient', 'read:care-team', 'read:staff'],
  'specimen-collector': ['read:patient', 'read:medication'],
  'front-desk': ['read:patient', 'create:patient', 'update:patient'],
  auditor: ['read:audit', 'export:audit', 'read:staff'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) out.add(p);
  return out;
}

export const isRole = (x: string): x is Role => (ROLES as readonly string[]).includes(x);
