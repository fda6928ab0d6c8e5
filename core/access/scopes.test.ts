import { describe, expect, it } from 'vitest';
import { normaliseScopes, permissionsOfScopes, TOKEN_OPERATIONS, TOKEN_SCOPES, tokenMay } from './scopes.ts';

describe('token scopes', () => {
  it('a scope opens only its operations; a missing scope is named; operations not listed are for staff', () => {
    expect(tokenMay(['screens:write'], 'POST /api/v1/specimens')).toEqual({ allowed: true, scope: 'screens:write' });
    expect(tokenMay(['screens:write'], 'GET /api/v1/patients/:patientId/ledger')).toEqual({ allowed: false, reason: 'missing-scope', scope: 'ledger:read' });
    expect(tokenMay(['ledger:read'], 'POST /api/v1/lab/hl7v2')).toEqual({ allowed: false, reason: 'missing-scope', scope: 'screens:write' });
    expect(tokenMay(['fhir:read'], 'GET /fhir/R4/Observation')).toEqual({ allowed: true, scope: 'fhir:read' });
    expect(tokenMay(['ledger:read'], 'GET /fhir/R4/Patient/:id')).toEqual({ allowed: false, reason: 'missing-scope', scope: 'fhir:read' });
    for (const op of [
      'GET /api/v1/cm/queue',
      'GET /api/v1/cm/check-ins',
      'GET /api/v1/cm/adjudications',
      'GET /api/v1/cm/redemptions',
      'GET /api/v1/patients/:patientId/screens',
      'GET /fhir/R4/Consent/:id',
      'GET /fhir/R4/Consent',
      'GET /fhir/R4/Schedule/:id',
    ]) {
      expect(tokenMay(TOKEN_SCOPES, op), op).toEqual({ allowed: false, reason: 'not-for-tokens' });
    }
  });

  it('every scope opens at least one operation, and the permissions of scopes are those of their operations only', () => {
    for (const s of TOKEN_SCOPES)
      expect(
        Object.values(TOKEN_OPERATIONS).some((op) => op.scope === s),
        s,
      ).toBe(true);
    expect([...permissionsOfScopes(['ledger:read'])]).toEqual(['read:cm']);
    expect([...permissionsOfScopes([])]).toEqual([]);
  });

  it('scopes are kept each once in a fixed order', () => {
    expect(normaliseScopes(['ledger:read', 'screens:write', 'ledger:read'])).toEqual(['screens:write', 'ledger:read']);
  });
});
