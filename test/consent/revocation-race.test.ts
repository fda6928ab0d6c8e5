// Revocation under load (issue 16, PostgreSQL only: PGlite serialises everything): while 32
// clients read as the family member, the patient's consent is revoked. No read that starts
// after the revocation committed succeeds, and every read that succeeded is a recorded
// disclosure (and no refused one is).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

describe.skipIf(!onPostgres())('revocation while 32 clients read as the family member (PostgreSQL)', () => {
  let w: World;
  let counsellor: Client;
  let phone: Phone;
  let consentId: string;

  beforeAll(async () => {
    w = await makeWorld({ poolSize: 40, now: '2026-03-04T15:00:00Z' });
    counsellor = await w.client('counsellor');
    const fam = await counsellor.post(`/api/v1/patients/${w.patientA}/family`, { displayName: 'Race relative (fictional)', relationship: 'partner' });
    const familyMemberId = (fam.json() as { items: Array<{ id: string }> }).items[0]!.id;
    const consent = await counsellor.post(`/api/v1/patients/${w.patientA}/consents`, {
      template: 'family',
      language: 'en',
      recipient: { kind: 'family-member', familyMemberId },
      purposes: ['family-support'],
      dataClasses: ['appointments', 'check-ins'],
      dataDescription: 'Next visit and check-ins.',
      expiry: { kind: 'end-of-treatment' },
      paper: { signerName: 'Race signer', signedOn: '2026-03-04', scan: { contentType: 'image/png', base64: 'cmFjZQ==' } },
    });
    consentId = (consent.json() as { id: string }).id;
    const invite = await counsellor.post(`/api/v1/patients/${w.patientA}/family/${familyMemberId}/invite`);
    phone = await activatePhone(w.app, (invite.json() as { code: string }).code);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('no read that starts after the revocation commits succeeds', async () => {
    type Read = { startedAt: number; status: number };
    const reads: Read[] = [];
    let revokedAt = Number.POSITIVE_INFINITY;
    const afterRevocation = () => reads.filter((r) => r.startedAt > revokedAt).length;
    const reader = async () => {
      // each reader reads until 64 reads have started after the revocation committed
      while (afterRevocation() < 64) {
        const startedAt = performance.now();
        const r = await w.app.inject({ method: 'GET', url: `/api/patient/family/shared/${w.patientA}`, headers: { cookie: phone.cookie } });
        reads.push({ startedAt, status: r.statusCode });
      }
    };
    const readers = Array.from({ length: 32 }, () => reader());
    while (reads.filter((r) => r.status === 200).length < 32) await new Promise((r) => setTimeout(r, 20));
    const revoke = await counsellor.post(`/api/v1/patients/${w.patientA}/consents/${consentId}/revoke`, {});
    revokedAt = performance.now(); // the response came back: the revocation has committed
    expect(revoke.statusCode, revoke.body).toBe(200);
    await Promise.all(readers);

    const before = reads.filter((r) => r.startedAt < revokedAt);
    const after = reads.filter((r) => r.startedAt > revokedAt);
    expect(before.some((r) => r.status === 200)).toBe(true); // reads were being served
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((r) => r.status !== 403)).toEqual([]);
    expect(reads.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    const recorded = Number((await w.database.query<{ n: string }>("select count(*) n from disclosures where patient_id = $1 and channel = 'family-view'", [w.patientA]))[0]!.n);
    expect(recorded).toBe(reads.filter((r) => r.status === 200).length);
  }, 60_000);
});
