// What the outcomes tests build their hand-made cohorts with: an admitted patient, a screen.
import { expect } from 'vitest';
import { newPatient } from '../support/http.ts';
import type { Client, World } from '../support/world.ts';

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

/**
 * The dashboard's hand-built cohort (answers by hand in test/outcomes/outcomes.test.ts): in
 * programme A, P1 admitted 5 Jan 2026 with a negative cup, a positive the laboratory overturned
 * and a discharge on 25 Jan; P2 admitted 5 Jan with weekly cups to 27 Feb (one positive); P3
 * admitted 12 Jan with one positive cup; P4 admitted 23 Feb with none; P0 admitted before the
 * period; and programme B's one patient. The patients' ids.
 */
export async function dashboardCohort(w: World): Promise<{ p1: string; p2: string; p3: string; p4: string }> {
  const admin = await w.client('administrator');
  const screen = async (c: Client, patientId: string, day: string, results: unknown[]) => (await recordScreen(c, patientId, day, results)).specimen.id;
  const p1 = await admit(admin, 'One', '2026-01-05');
  await screen(admin, p1.patientId, '2026-01-06', opioid('opiates', 'negative'));
  const overturned = await screen(admin, p1.patientId, '2026-01-13', opioid('fentanyl', 'positive'));
  const fix = await admin.post(`/api/v1/specimens/${overturned}/corrections`, { results: [{ analyte: 'fentanyl', result: 'negative' }], reason: 'laboratory confirmation negative' });
  expect(fix.statusCode, fix.body).toBe(200);
  const d = await admin.post(`/api/v1/patients/${p1.patientId}/episodes/${p1.episodeId}/discharge`, { dischargedOn: '2026-01-25', dischargeReason: 'completed' });
  expect(d.statusCode, d.body).toBe(200);

  const p2 = await admit(admin, 'Two', '2026-01-05');
  await screen(admin, p2.patientId, '2026-01-07', opioid('opiates', 'negative'));
  await screen(admin, p2.patientId, '2026-01-14', opioid('opiates', 'positive'));
  for (const day of ['2026-01-21', '2026-01-28', '2026-02-04', '2026-02-11', '2026-02-18', '2026-02-27']) await screen(admin, p2.patientId, day, opioid('opiates', 'negative'));

  const p3 = await admit(admin, 'Three', '2026-01-12');
  await screen(admin, p3.patientId, '2026-01-14', opioid('opiates', 'positive'));

  const p4 = await admit(admin, 'Four', '2026-02-23');

  const p0 = await admit(admin, 'Zero', '2025-12-01');
  await screen(admin, p0.patientId, '2026-01-08', opioid('opiates', 'positive'));

  const adminB = await w.client('adminB');
  const b = await admit(adminB, 'Bee', '2026-01-05');
  await screen(adminB, b.patientId, '2026-01-06', opioid('opiates', 'positive'));
  return { p1: p1.patientId, p2: p2.patientId, p3: p3.patientId, p4: p4.patientId };
}
