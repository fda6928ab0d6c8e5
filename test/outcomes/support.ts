// What the outcomes tests build their hand-made cohorts with: an admitted patient, a screen.
import { expect } from 'vitest';
import { newPatient } from '../support/http.ts';
import type { Client } from '../support/world.ts';

/** A new patient (named after `n`) admitted on a day; their ids. */
export async function admit(c: Client, n: string, admittedOn: string, levelOfCare = 'otp'): Promise<{ patientId: string; episodeId: string }> {
  const p = await c.post('/api/v1/patients', newPatient(`outcomes${n}`));
  expect(p.statusCode, p.body).toBe(200);
  const patientId = (p.json() as { id: string }).id;
  const e = await c.post(`/api/v1/patients/${patientId}/episodes`, { levelOfCare, admittedOn });
  expect(e.statusCode, e.body).toBe(200);
  return { patientId, episodeId: (e.json() as { id: string }).id };
}

/** An observed cup collected at 10:00 in New York on a day, with these results; its response. */
export async function recordScreen(c: Client, patientId: string, day: string, results: unknown[]): Promise<{ specimen: { id: string } }> {
  const r = await c.post('/api/v1/specimens', { patientId, collectedAt: `${day}T15:00:00Z`, observed: true, temperatureC: 34, method: 'presumptive', results });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { specimen: { id: string } };
}

/** An opioid result for `analyte`, beside a negative for the other of opiates and fentanyl. */
export const opioid = (analyte: 'opiates' | 'fentanyl', result: 'negative' | 'positive') => [
  { analyte: analyte === 'opiates' ? 'fentanyl' : 'opiates', result: 'negative' },
  { analyte, result },
];
