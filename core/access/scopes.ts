// Scopes of integration tokens (ADR 021). A laboratory or EHR acts through a
// programme-scoped API token; the administrator chooses its scopes when creating it, and
// a token reaches only the operations listed here for the scopes it holds. Everything
// else (queues, check-ins, approvals, patient lists, FHIR Consent and Schedule) is for
// signed-in staff. fhir:read is for an application outside the programme: every read is a
// disclosure checked against the patient's consents (server/modules/fhir/outside.ts).
import type { Permission } from './roles.ts';

export const TOKEN_SCOPES = ['screens:write', 'ledger:read', 'fhir:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const isTokenScope = (x: string): x is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(x);

/** What each scope is for, in the words the console and the API documentation use. */
export const SCOPE_DESCRIPTIONS: Record<TokenScope, string> = {
  'screens:write': 'Record specimens, corrections and HL7 v2 laboratory results, and read back the screens the token recorded',
  'ledger:read': 'Read a patient’s contingency-management ledger',
  'fhir:read':
    'For an organisation outside the programme: read FHIR R4 records (patient, questionnaire responses, scores, care plans, goals, visits), one patient at a time and only what that patient’s consent allows; every read is recorded as a disclosure',
};

/** Scopes whose token acts for an organisation outside the programme: the token must name it (integration_tokens.recipient_organization). */
export const OUTSIDE_SCOPES: readonly TokenScope[] = ['fhir:read'];

/**
 * The operations (`METHOD path` as the server registers them) a token may call, each with
 * the scope that opens it and the permission the operation requires. A token reaches no
 * operation missing here, whatever its scopes.
 */
export const TOKEN_OPERATIONS: Readonly<Record<string, { scope: TokenScope; permission: Permission }>> = {
  'POST /api/v1/specimens': { scope: 'screens:write', permission: 'write:specimen' },
  'POST /api/v1/specimens/:id/corrections': { scope: 'screens:write', permission: 'write:specimen' },
  'POST /api/v1/lab/hl7v2': { scope: 'screens:write', permission: 'write:specimen' },
  // read back what it wrote: only screens the token's service account recorded or corrected
  'GET /api/v1/specimens/:id': { scope: 'screens:write', permission: 'read:cm' },
  'GET /api/v1/patients/:patientId/ledger': { scope: 'ledger:read', permission: 'read:cm' },
  // an outside organisation's application (issue 16): each read discloses, under the patient's consent;
  // never Consent (the consents themselves) nor Schedule (staff calendars)
  'GET /fhir/R4/Patient/:id': { scope: 'fhir:read', permission: 'read:patient' },
  'GET /fhir/R4/Questionnaire/:id': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/Questionnaire': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/QuestionnaireResponse/:id': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/QuestionnaireResponse': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/Observation/:id': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/Observation': { scope: 'fhir:read', permission: 'read:assessment' },
  'GET /fhir/R4/CarePlan/:id': { scope: 'fhir:read', permission: 'read:care-plan' },
  'GET /fhir/R4/CarePlan': { scope: 'fhir:read', permission: 'read:care-plan' },
  'GET /fhir/R4/Goal/:id': { scope: 'fhir:read', permission: 'read:care-plan' },
  'GET /fhir/R4/Goal': { scope: 'fhir:read', permission: 'read:care-plan' },
  'GET /fhir/R4/Encounter/:id': { scope: 'fhir:read', permission: 'read:encounter' },
  'GET /fhir/R4/Encounter': { scope: 'fhir:read', permission: 'read:encounter' },
  'GET /fhir/R4/Appointment/:id': { scope: 'fhir:read', permission: 'read:encounter' },
  'GET /fhir/R4/Appointment': { scope: 'fhir:read', permission: 'read:encounter' },
};

/** The scopes tokens made before scopes existed receive: what they could legitimately do then. */
export const SCOPES_OF_EARLIER_TOKENS: readonly TokenScope[] = ['screens:write', 'ledger:read'];

export type TokenDecision = { allowed: true; scope: TokenScope } | { allowed: false; reason: 'not-for-tokens' } | { allowed: false; reason: 'missing-scope'; scope: TokenScope };

/** Whether a token holding `scopes` may call `operation` (`METHOD path`), and if not, why. */
export function tokenMay(scopes: readonly TokenScope[], operation: string): TokenDecision {
  const op = TOKEN_OPERATIONS[operation];
  if (!op) return { allowed: false, reason: 'not-for-tokens' };
  return scopes.includes(op.scope) ? { allowed: true, scope: op.scope } : { allowed: false, reason: 'missing-scope', scope: op.scope };
}

/** The permissions a token holding `scopes` acts with (only ever on the operations above). */
export function permissionsOfScopes(scopes: readonly TokenScope[]): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const op of Object.values(TOKEN_OPERATIONS)) if (scopes.includes(op.scope)) out.add(op.permission);
  return out;
}

/** The scopes as stored and shown: each once, in the order of TOKEN_SCOPES. */
export const normaliseScopes = (scopes: readonly TokenScope[]): TokenScope[] => TOKEN_SCOPES.filter((s) => scopes.includes(s));
