// The recommendation panel knows whether the programme runs contingency management: the
// server supplies cmAvailable from the programme's records (a CM protocol, or a patient
// enrolled now: core/planning cmAvailabilityOf), so a programme that runs CM is no longer
// told that it "has not recorded" whether it can offer CM. A clinician's answer still wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { clinicProtocol } from '../cm/support.ts';

let w: World;
let counsellor: Client;
let coord: Client;
let adminB: Client;
beforeAll(async () => {
  w = await makeWorld();
  [counsellor, coord, adminB] = await Promise.all([w.client('counsellor'), w.client('cm-coordinator'), w.client('adminB')]);
});
afterAll(async () => {
  await w?.close();
});

type Recs = {
  context: Record<string, unknown>;
  sources: Record<string, string>;
  recommendations: Array<{ intervention: string; rationale: { clinician: string; patient: { en: string; es: string } } }>;
};
const recs = async (c: Client, patientId: string, context: Record<string, unknown> = {}) => {
  const r = await c.post(`/api/v1/patients/${patientId}/recommendations`, { context: { stage: 'contemplation', moud: 'none', substances: ['opioids'], ...context } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Recs;
};
const cmText = (r: Recs) =>
  r.recommendations
    .filter((x) => x.intervention === 'contingency-management')
    .map((x) => `${x.rationale.clinician} ${x.rationale.patient.en}`)
    .join(' ');

describe('POST /patients/{id}/recommendations: cmAvailable from the programme', () => {
  it('is not recorded before the programme sets CM up, and true once it has a CM protocol', async () => {
    const before = await recs(counsellor, w.patientA);
    expect(before.context.cmAvailable ?? null).toBeNull();
    expect(cmText(before)).toMatch(/not recorded/);

    const p = await coord.post('/api/v1/cm/protocols', { document: clinicProtocol() });
    expect(p.statusCode, p.body).toBe(200);
    const after = await recs(counsellor, w.patientA);
    expect(after.context.cmAvailable).toBe(true);
    expect(after.sources.cmAvailable).toBe('programme:cm-protocols');
    expect(cmText(after)).not.toMatch(/not recorded|Ask us if we offer it/);
    expect(after.recommendations.map((x) => x.intervention)).toContain('contingency-management');

    // another programme without CM is still not recorded
    const other = await recs(adminB, w.patientB);
    expect(other.context.cmAvailable ?? null).toBeNull();
    expect(cmText(other)).toMatch(/not recorded/);

    // the clinician's answer wins over the programme's records
    const told = await recs(counsellor, w.patientA, { cmAvailable: false });
    expect(told.context.cmAvailable).toBe(false);
    expect(told.sources.cmAvailable).toBe('clinician');
    expect(told.recommendations.map((x) => x.intervention)).not.toContain('contingency-management');
  });
});
