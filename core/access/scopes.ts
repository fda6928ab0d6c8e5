// Scopes of integration tokens (ADR 021). A laboratory or EHR acts through a
// programme-scoped API token; the administrator chooses its scopes when creating it, and
// a token reaches only the operations listed here for the scopes it holds. Everything
// else (queues, check-ins, approvals, patient lists, FHIR) is for signed-in staff.
import type { Permission } from './roles.ts';

export const TOKEN_SCOPES = ['screens:write', 'ledger:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const isTokenScope = (x: string): x is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(x);

/** What each scope is for, in the words the console and the API documentation use. */
export const SCOPE_DESCRIPTIONS: Record<TokenScope, string> = {
  'screens:write': 'Record specimens, corrections and HL7 v2 laboratory results, and read back the screens the token recorded',
  'ledger:read': 'Read a patient’s contingency-management ledger',
};

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
