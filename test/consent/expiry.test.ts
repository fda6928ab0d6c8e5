// A consent that ends "at the end of treatment" (issue 16, §2.31(a)(6)): it stays in effect while
// any of the patient's episodes is open, and ends with the day the last one is discharged (in the
// programme's zone). The family member's next view is then refused, and the consent reads
// expired. The disclosure check reads the discharges in the same query as the consents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { activatePhone, type Phone } from '../support/patient-device.ts';

const NOW = '2026-03-04T15:00:00Z'; // 2026-03-04 in New York

let w: World;
let admin: Client;
let counsellor: Client;
beforeAll(async () => {
  w = await makeWorld({ now: NOW });
  [admin, counsellor] = await Promise.all([w.client('administrator'), w.client('counsellor')]);
});
afterAll(async () => {
  await w?.close();
});

const ok = async <T>(what: string, r: Promise<{ statusCode: number; body: string; json(): unknown }>): Promise<T> => {
  const res = await r;
  expect(res.statusCode, `${what}: ${res.body}`).toBe(200);
  return res.json() as T;
};

describe('a consent until the end of treatment', () => {
  it('holds while an episode is open and ends with the last discharge', async () => {
    const patient = w.patientA;
    const first = await ok<{ id: string }>('admit', admin.post(`/api/v1/patients/${patient}/episodes`, { levelOfCare: 'otp', admittedOn: '2026-01-05' }));
    // an earlier episode, discharged when the patient stepped down; the current one open
    await ok('discharge', admin.post(`/api/v1/patients/${patient}/episodes/${first.id}/discharge`, { dischargedOn: '2026-02-01', dischargeReason: 'Stepped down to intensive outpatient' }));
    const second = await ok<{ id: string }>('admit', admin.post(`/api/v1/patients/${patient}/episodes`, { levelOfCare: 'intensive-outpatient', admittedOn: '2026-02-02' }));
    const family = await ok<{ items: Array<{ id: string }> }>('family', counsellor.post(`/api/v1/patients/${patient}/family`, { displayName: 'Robin Example (fictional)', relationship: 'parent' }));
    const memberId = family.items[0]!.id;
    const consent = await ok<{ id: string; status: string }>(
      'consent',
      counsellor.post(`/api/v1/patients/${patient}/consents`, {
        template: 'family',
        language: 'en',
        recipient: { kind: 'family-member', familyMemberId: memberId },
        purposes: ['family-support'],
        dataClasses: ['appointments'],
        dataDescription: 'My next visit.',
        expiry: { kind: 'end-of-treatment' },
        paper: { signerName: 'Alex Example', signedOn: '2026-03-01', scan: { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4 fictional scan').toString('base64') } },
      }),
    );
    expect(consent.status).toBe('active');
    const invite = await ok<{ code: string }>('invite', counsellor.post(`/api/v1/patients/${patient}/family/${memberId}/invite`));
    const phone: Phone = await activatePhone(w.app, invite.code);
    const view = () => w.app.inject({ method: 'GET', url: `/api/patient/family/shared/${patient}`, headers: { cookie: phone.cookie } });
    expect((await view()).statusCode).toBe(200);

    // one episode discharged, the other still open: still in treatment
    expect((await view()).statusCode).toBe(200);
    expect((await ok<{ status: string }>('consent', counsellor.get(`/api/v1/patients/${patient}/consents/${consent.id}`))).status).toBe('active');

    // the last one discharged yesterday: the consent ended at the end of that day
    await ok('discharge', admin.post(`/api/v1/patients/${patient}/episodes/${second.id}/discharge`, { dischargedOn: '2026-03-03', dischargeReason: 'Completed treatment' }));
    expectProblem(await view(), 403, 'consent_required');
    const ended = await ok<{ status: string; expiresAt: string | null }>('consent', counsellor.get(`/api/v1/patients/${patient}/consents/${consent.id}`));
    // midnight at the end of 3 March in New York
    expect(ended).toMatchObject({ status: 'expired', expiresAt: '2026-03-04T05:00:00.000Z' });
    const views = await w.database.query<{ n: string | number }>(`select count(*) n from disclosures where patient_id = $1 and channel = 'family-view'`, [patient]);
    expect(Number(views[0]!.n)).toBe(2); // the two views while it held; nothing after
  });
});
