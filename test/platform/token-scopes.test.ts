// Integration tokens with least privilege (ADR 021): a token reaches only the operations of
// the scopes chosen at its creation. A laboratory's screens:write token no longer reads the
// test-day queue, check-ins, carry-over queue or approvals list (each naming patients); it
// still records and reads back what it recorded; a ledger:read token cannot record.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { expectProblem } from '../support/http.ts';
import { AFTER_RECORDINGS, enrolled, NEG, specimen } from '../cm/support.ts';

let w: World;
let admin: Client;
let coord: Client;
let patientId: string;

type Created = { id: string; token: string; userId: string; scopes: string[] };
const createToken = async (name: string, scopes: unknown) => {
  const r = await admin.post('/api/v1/integration-tokens', { name, scopes });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Created;
};
const as = (token: string) => ({
  get: (url: string) => w.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  post: (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    w.app.inject({ method: 'POST', url, payload: payload as string, headers: { authorization: `Bearer ${token}`, ...headers } }),
});

/** A negative result from a fictional laboratory for the patient with this MRN. */
const oru = (mrn: string, accession: string) =>
  [
    'MSH|^~\\&|SCOPELAB|SCOPE LAB|WAYPOINT|CLINIC|20260306120000-0500||ORU^R01^ORU_R01|' + accession + '|P|2.5.1',
    `PID|1||${mrn}^^^CLINIC^MR||SAMPLE^SCOPE||19800401|U`,
    `OBR|1||${accession}^SCOPELAB|94306-4^Drug screen panel^LN|||202603060900-0500`,
    'OBX|1|ST|3397-7^Cocaine^LN||NEGATIVE||||||F',
  ].join('\r');

beforeAll(async () => {
  w = await makeWorld({ now: AFTER_RECORDINGS });
  admin = await w.client('administrator');
  coord = await w.client('cm-coordinator');
  ({ patientId } = await enrolled(w, coord));
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('a laboratory token (screens:write)', () => {
  it('is refused the test-day queue, check-ins, carry-over queue and approvals lists: 403 insufficient_scope, audited', async () => {
    const lab = await createToken('Queue lab (fictional)', ['screens:write']);
    const refused = [
      '/api/v1/cm/queue?date=2026-03-04',
      '/api/v1/cm/check-ins?date=2026-03-04',
      '/api/v1/cm/adjudications',
      '/api/v1/cm/redemptions?status=pending',
      '/api/v1/cm/privilege-recommendations?pending=true',
      `/api/v1/patients/${patientId}/screens`,
      `/api/v1/patients/${patientId}/ledger`, // ledger:read, which this token lacks
    ];
    for (const url of refused) {
      const body = expectProblem(await as(lab.token).get(url), 403, 'insufficient_scope');
      expect(body.detail, url).not.toMatch(/Sample|Example/);
    }
    // the missing scope is named where one would allow the operation
    const ledger = expectProblem(await as(lab.token).get(`/api/v1/patients/${patientId}/ledger`), 403, 'insufficient_scope', 'token.scopes');
    expect(ledger.detail).toContain('ledger:read');
    expect(ledger.problems?.[0]?.message).toContain('ledger:read');
    // each refusal is an audit row naming the route
    const rows = await w.database.query<{ route: string }>("select detail->>'route' as route from audit_events where action = 'access-denied' and actor_id = $1", [lab.userId]);
    expect(rows.map((r) => r.route)).toEqual(
      expect.arrayContaining(['/api/v1/cm/queue', '/api/v1/cm/check-ins', '/api/v1/cm/adjudications', '/api/v1/cm/redemptions', '/api/v1/patients/:patientId/ledger']),
    );
  });

  it('records specimens, corrections and HL7 results, and reads back only the screens it recorded or corrected', async () => {
    const lab = await createToken('Recording lab (fictional)', ['screens:write']);
    const rec = await as(lab.token).post('/api/v1/specimens', specimen(patientId, '2026-03-04T14:00:00Z', NEG, { externalId: 'SCOPE-1' }));
    expect(rec.statusCode, rec.body).toBe(200);
    const id = (rec.json() as { specimen: { id: string } }).specimen.id;
    const back = await as(lab.token).get(`/api/v1/specimens/${id}`);
    expect(back.statusCode, back.body).toBe(200);
    expect((back.json() as { recordedBy: string }).recordedBy).toBe(lab.userId);
    const cor = await as(lab.token).post(`/api/v1/specimens/${id}/corrections`, { results: [{ loinc: '3397-7', result: 'negative' }], reason: 'confirmation', externalId: 'SCOPE-1-C' });
    expect(cor.statusCode, cor.body).toBe(200);
    const hl7 = await as(lab.token).post('/api/v1/lab/hl7v2', oru('A-0001', 'SCOPE-ACC-1'), { 'content-type': 'x-application/hl7-v2+er7' });
    expect(hl7.statusCode, hl7.body).toBe(200);
    expect(hl7.body).toContain('\rMSA|AA|');

    // a screen staff recorded is not the token's to read...
    const staff = await coord.post('/api/v1/specimens', specimen(patientId, '2026-03-06T14:00:00Z'));
    expect(staff.statusCode, staff.body).toBe(200);
    const staffId = (staff.json() as { specimen: { id: string } }).specimen.id;
    expectProblem(await as(lab.token).get(`/api/v1/specimens/${staffId}`), 404, 'not_found');
    // ...nor one another laboratory recorded
    const other = await createToken('Other lab (fictional)', ['screens:write']);
    expectProblem(await as(other.token).get(`/api/v1/specimens/${id}`), 404, 'not_found');
    // until it corrects it (a laboratory's confirmation of a cup collected at the clinic)
    expect((await as(lab.token).post(`/api/v1/specimens/${staffId}/corrections`, { results: [{ loinc: '3397-7', result: 'negative' }], reason: 'confirmation' })).statusCode).toBe(200);
    expect((await as(lab.token).get(`/api/v1/specimens/${staffId}`)).statusCode).toBe(200);
  });
});

describe('a ledger:read token', () => {
  it('reads the ledger and cannot record specimens, corrections or HL7 results', async () => {
    const ehr = await createToken('EHR (fictional)', ['ledger:read']);
    expect(ehr.scopes).toEqual(['ledger:read']);
    expect((await as(ehr.token).get(`/api/v1/patients/${patientId}/ledger`)).statusCode).toBe(200);
    const before = await w.database.query<{ n: number }>('select count(*)::int as n from screens where patient_id = $1', [patientId]);
    const rec = expectProblem(await as(ehr.token).post('/api/v1/specimens', specimen(patientId, '2026-03-09T14:00:00Z')), 403, 'insufficient_scope', 'token.scopes');
    expect(rec.detail).toContain('screens:write');
    const hl7 = expectProblem(await as(ehr.token).post('/api/v1/lab/hl7v2', oru('A-0001', 'SCOPE-ACC-2'), { 'content-type': 'x-application/hl7-v2+er7' }), 403, 'insufficient_scope');
    expect(hl7.detail).toContain('screens:write');
    const after = await w.database.query<{ n: number }>('select count(*)::int as n from screens where patient_id = $1', [patientId]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('choosing scopes', () => {
  it('a token is created with the scopes named (each once), shown in the list; none, unknown or repeated scopes are refused naming the field', async () => {
    expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'No scopes (fictional)' }), 400, 'invalid_input', 'body.scopes');
    expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'Empty (fictional)', scopes: [] }), 400, 'invalid_input', 'body.scopes');
    const unknown = expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'Queue (fictional)', scopes: ['queue:read'] }), 400, 'invalid_input');
    expect(unknown.problems?.[0]?.field).toMatch(/^body\.scopes/);
    expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'Twice (fictional)', scopes: ['ledger:read', 'ledger:read'] }), 400, 'invalid_input', 'body.scopes');
    // fhir:read is for an organisation outside the programme: the token names it (test/consent/fhir-outside-client.test.ts)
    expectProblem(await admin.post('/api/v1/integration-tokens', { name: 'EHR (fictional)', scopes: ['fhir:read'] }), 400, 'invalid_input', 'body.recipientOrganization');
    const both = await createToken('Both (fictional)', ['ledger:read', 'screens:write']);
    expect(both.scopes).toEqual(['screens:write', 'ledger:read']);
    const list = await admin.get('/api/v1/integration-tokens?limit=200');
    const item = (list.json() as { items: Array<{ id: string; scopes: string[] }> }).items.find((t) => t.id === both.id);
    expect(item?.scopes).toEqual(['screens:write', 'ledger:read']);
    const audit = await w.database.query<{ scopes: string[] }>("select detail->'scopes' as scopes from audit_events where action = 'create' and entity = 'integration-token' and entity_id = $1", [
      both.id,
    ]);
    expect(audit[0]?.scopes).toEqual(['screens:write', 'ledger:read']);
  });

  it('tokens made before scopes existed get screens:write and ledger:read from the migration, not the queues', async () => {
    const old = await createToken('Before scopes (fictional)', ['ledger:read']);
    await w.database.query("update integration_tokens set scopes = '{}' where id = $1", [old.id]);
    const migration = readFileSync(new URL('../../server/db/migrations/0015_token_scopes.sql', import.meta.url), 'utf8');
    const custom = migration.split('-- custom SQL below')[1]!;
    for (const statement of custom.split('--> statement-breakpoint')) if (statement.replace(/--.*$/gm, '').trim()) await w.database.query(statement);
    const [row] = await w.database.query<{ scopes: string[] }>('select scopes from integration_tokens where id = $1', [old.id]);
    expect(row!.scopes).toEqual(['screens:write', 'ledger:read']);
    expect((await as(old.token).get(`/api/v1/patients/${patientId}/ledger`)).statusCode).toBe(200);
    expectProblem(await as(old.token).get('/api/v1/cm/queue?date=2026-03-04'), 403, 'insufficient_scope');
  });

  it('OpenAPI documents the token scheme and the scope each token operation needs; other operations take no token', async () => {
    const doc = (await w.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
      paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
    };
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const tokenScope = (path: string, method: string) => doc.paths[path]?.[method]?.security?.find((s) => s.apiToken)?.apiToken;
    expect(tokenScope('/api/v1/specimens', 'post')).toEqual(['screens:write']);
    expect(tokenScope('/api/v1/specimens/{id}', 'get')).toEqual(['screens:write']);
    expect(tokenScope('/api/v1/specimens/{id}/corrections', 'post')).toEqual(['screens:write']);
    expect(tokenScope('/api/v1/lab/hl7v2', 'post')).toEqual(['screens:write']);
    expect(tokenScope('/api/v1/patients/{patientId}/ledger', 'get')).toEqual(['ledger:read']);
    expect(tokenScope('/api/v1/cm/queue', 'get')).toBeUndefined();
    expect(tokenScope('/api/v1/cm/check-ins', 'get')).toBeUndefined();
  });
});
