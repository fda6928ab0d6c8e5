// Accounting completeness (issue 16): every way information leaves the programme is a channel
// in core/consent DISCLOSURE_CHANNELS; every call of `disclose` in the server names one of them;
// and each channel, driven through its real door (the family app, a printout, an export, an
// outside client's FHIR read), appears in the patient's accounting of disclosures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLOSURE_CHANNELS, type DisclosureChannel } from '../../core/consent/consent.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

let w: World;
let admin: Client;
let family: Phone;
let token: string;

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

beforeAll(async () => {
  w = await makeWorld({ now: '2026-03-04T15:00:00Z' });
  admin = await w.client('administrator');
  const paper = { signerName: 'Alex Example', signedOn: '2026-03-04', scan: { contentType: 'image/png', base64: 'ZGVtbw==' } };
  const fam = await admin.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Sam (fictional)', relationship: 'sibling' });
  const familyMemberId = (fam.json() as { items: Array<{ id: string }> }).items[0]!.id;
  for (const body of [
    { template: 'family', recipient: { kind: 'family-member', familyMemberId }, purposes: ['family-support'], dataClasses: ['appointments'], expiry: { kind: 'end-of-treatment' } },
    { template: 'tpo', recipient: { kind: 'tpo-designation' }, purposes: ['treatment'], dataClasses: ['medication', 'assessments'], expiry: { kind: 'none' } },
  ]) {
    const r = await admin.post(`/api/v1/patients/${w.patientA}/consents`, { language: 'en', dataDescription: 'As checked.', paper, ...body });
    expect(r.statusCode, r.body).toBe(200);
  }
  family = await activatePhone(w.app, ((await admin.post(`/api/v1/patients/${w.patientA}/family/${familyMemberId}/invite`)).json() as { code: string }).code);
  const created = await admin.post('/api/v1/integration-tokens', { name: 'Outside EHR (fictional)', scopes: ['fhir:read'], recipientOrganization: 'Riverside Primary Care (fictional)' });
  token = (created.json() as { token: string }).token;
});
afterAll(async () => {
  await w?.close();
});

/** Each channel through its real door, for patient A. */
const DRIVERS: Record<DisclosureChannel, () => Promise<number>> = {
  'family-view': async () => (await w.app.inject({ method: 'GET', url: '/api/patient/family/shared', headers: { cookie: family.cookie } })).statusCode,
  print: async () =>
    (
      await admin.post(`/api/v1/patients/${w.patientA}/disclosures`, {
        recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
        purpose: 'treatment',
        dataClasses: ['medication'],
        channel: 'print',
      })
    ).statusCode,
  export: async () =>
    (
      await admin.post(`/api/v1/patients/${w.patientA}/disclosures`, {
        recipient: { kind: 'organization', name: 'Riverside Primary Care (fictional)' },
        purpose: 'treatment',
        dataClasses: ['medication'],
        channel: 'export',
      })
    ).statusCode,
  'fhir-api': async () => (await w.app.inject({ method: 'GET', url: `/fhir/R4/Observation?patient=${w.patientA}`, headers: { authorization: `Bearer ${token}` } })).statusCode,
};

describe('accounting completeness', () => {
  it('every disclose call in the server names a known channel, and every channel is used', () => {
    const used = new Set<string>();
    for (const f of files(join(import.meta.dirname, '../../server'))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/channel: '([a-z-]+)'/g)) if (/\bdisclose\(/.test(src)) used.add(m[1]!);
    }
    // the staff door takes its channel (print or export) from the request
    for (const c of ['print', 'export']) used.add(c);
    expect([...used].filter((c) => !(DISCLOSURE_CHANNELS as readonly string[]).includes(c))).toEqual([]);
    expect(DISCLOSURE_CHANNELS.filter((c) => !used.has(c))).toEqual([]);
  });

  it.each(DISCLOSURE_CHANNELS)('%s appears in the accounting', async (channel) => {
    const before = ((await admin.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Array<{ channel: string }> }).items.filter((i) => i.channel === channel).length;
    expect(await DRIVERS[channel]()).toBe(200);
    const after = ((await admin.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Array<{ channel: string }> }).items.filter((i) => i.channel === channel).length;
    expect(after).toBe(before + 1);
  });

  it('the de-identified research export (channel export, research exception) appears in the accounting of each patient included', async () => {
    const admitted = await admin.post(`/api/v1/patients/${w.patientA}/episodes`, { levelOfCare: 'otp', admittedOn: '2026-02-02' });
    expect(admitted.statusCode, admitted.body).toBe(200);
    const research = async () =>
      ((await admin.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Array<{ channel: string; exception: string | null }> }).items.filter(
        (i) => i.channel === 'export' && i.exception === 'research',
      ).length;
    const before = await research();
    const r = await admin.post('/api/v1/outcomes/research-exports', { from: '2026-01-01', to: '2026-03-01', recipient: 'Riverside University (fictional)', purpose: 'Accounting completeness study' });
    expect(r.statusCode, r.body).toBe(200);
    expect(await research()).toBe(before + 1);
  });

  it('family-view through the couples calendar (the partner’s view of the patient’s days) appears in the accounting', async () => {
    const paper = { signerName: 'Alex Example', signedOn: '2026-03-04', scan: { contentType: 'image/png', base64: 'ZGVtbw==' } };
    const fam = await admin.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Robin (fictional partner)', relationship: 'partner' });
    const partnerId = (fam.json() as { items: Array<{ id: string; relationship: string }> }).items.find((m) => m.relationship === 'partner')!.id;
    expect((await admin.post(`/api/v1/patients/${w.patientA}/recovery-contracts`, { familyMemberId: partnerId, terms: ['trust-discussion'] })).statusCode).toBe(200);
    const consent = await admin.post(`/api/v1/patients/${w.patientA}/consents`, {
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId: partnerId },
      purposes: ['family-support'],
      dataClasses: ['family-work'],
      dataDescription: 'Our calendar.',
      expiry: { kind: 'end-of-treatment' },
      paper,
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const partner = await activatePhone(w.app, ((await admin.post(`/api/v1/patients/${w.patientA}/family/${partnerId}/invite`)).json() as { code: string }).code);
    const count = async () =>
      ((await admin.get(`/api/v1/patients/${w.patientA}/disclosures`)).json() as { items: Array<{ channel: string; dataClasses: string[] }> }).items.filter(
        (i) => i.channel === 'family-view' && i.dataClasses.includes('family-work'),
      ).length;
    const before = await count();
    expect((await w.app.inject({ method: 'GET', url: '/api/patient/family/together', headers: { cookie: partner.cookie } })).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });
});
