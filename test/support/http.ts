// Assertions on API responses shared by the platform tests.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  problems?: Array<{ field: string; message: string; reason?: string; limit?: number }>;
};

/** The response is application/problem+json with this status, code and (optionally) a problem naming `field`. */
export function expectProblem(res: LightMyRequestResponse, status: number, code?: string, field?: string): ProblemBody {
  expect(res.statusCode, `expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 400)}`).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  expect(body.status).toBe(status);
  expect(typeof body.code).toBe('string');
  if (code) expect(body.code).toBe(code);
  if (field) expect(body.problems?.map((p) => p.field) ?? [], `problems of ${res.body}`).toContain(field);
  return body;
}

/** A fictional patient body for POST /patients; `n` makes the MRN and names unique. */
export function newPatient(n: string | number, extra: Record<string, unknown> = {}) {
  return {
    mrn: `T-${n}`,
    legalGivenName: `Given${n}`.replace(/[^A-Za-z]/g, '') || 'Given',
    legalFamilyName: `Testcase${String(n).replace(/[^A-Za-z0-9]/g, '')}`,
    birthDate: '1990-01-15',
    confirmNotDuplicate: true,
    ...extra,
  };
}

export const count = (rows: Array<{ n: string | number }>) => Number(rows[0]?.n ?? 0);
