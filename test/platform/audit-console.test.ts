// The auditor's console on the server: an auditor finds the patient whose trail they review
// by name or MRN (a POST, so no name is in a URL), that search is itself audited without
// the words searched, and only roles holding read:audit may use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, ROLES } from '../../core/access/roles.ts';
import { AUDIT_ENTITIES, isAuditEntity, type AuditEntity } from '../../core/audit/entities.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

let w: World;
let auditor: Client;
beforeAll(async () => {
  w = await makeWorld();
  auditor = await w.client('auditor');
});
afterAll(async () => {
  await w?.close();
});

type Match = { id: string; mrn: string; displayName: string; birthDate: string };
const URL = '/api/v1/audit-events/patients';

describe('an auditor finds patients by name or MRN', () => {
  it('by name and by MRN, in the auditor’s programme only', async () => {
    const byName = await auditor.post(URL, { q: 'alder exa' });
    expect(byName.statusCode).toBe(200);
    const body = byName.json() as { items: Match[]; more: boolean };
    expect(body.items).toEqual([{ id: w.patientA, mrn: 'A-0001', displayName: 'Alder Example', birthDate: '1980-04-01' }]);
    expect(body.more).toBe(false);
    const byMrn = (await auditor.post(URL, { q: 'a-0001' })).json() as { items: Match[] };
    expect(byMrn.items.map((i) => i.id)).toEqual([w.patientA]);
    // programme B's patient (Alder Sample, B-0001) is not found from programme A
    const other = (await auditor.post(URL, { q: 'B-0001' })).json() as { items: Match[] };
    expect(other.items).toEqual([]);
    expect(((await auditor.post(URL, { q: 'alder' })).json() as { items: Match[] }).items.map((i) => i.id)).toEqual([w.patientA]);
  });

  it('writes an audit row for the search, with counts but not the words searched', async () => {
    await auditor.post(URL, { q: 'Alder Example' });
    const rows = await w.database.query<{ action: string; entity: string; actor_id: string; purpose: string; outcome: string; detail: Record<string, unknown>; program_id: string }>(
      'select action, entity, actor_id, purpose, outcome, detail, program_id from audit_events order by id desc limit 1',
    );
    const row = rows[0]!;
    expect(row).toMatchObject({ action: 'search', entity: 'patient', actor_id: w.users.auditor, purpose: 'audit', outcome: 'success', program_id: w.programA });
    expect(row.detail).toEqual({ via: 'audit', words: 2, count: 1, more: false });
    expect(JSON.stringify(row).toLowerCase()).not.toContain('alder');
    expect(JSON.stringify(row).toLowerCase()).not.toContain('example');
  });

  it('then filters the trail by the chosen patient', async () => {
    const admin = await w.client('administrator');
    await admin.get(`/api/v1/patients/${w.patientA}`);
    const [match] = ((await auditor.post(URL, { q: 'a-0001' })).json() as { items: Match[] }).items;
    const trail = (await auditor.get(`/api/v1/audit-events?patientId=${match!.id}`)).json() as { items: Array<{ patientId: string; entity: string; action: string }> };
    expect(trail.items.length).toBeGreaterThan(0);
    expect(trail.items.every((i) => i.patientId === w.patientA)).toBe(true);
    expect(trail.items.some((i) => i.action === 'read' && i.entity === 'patient')).toBe(true);
  });

  it('refuses a search too short or missing, naming the field, and writes nothing for it', async () => {
    expectProblem(await auditor.post(URL, { q: 'a' }), 400, 'invalid_input', 'body.q');
    expectProblem(await auditor.post(URL, { q: '   ' }), 400, 'invalid_input', 'body.q');
    expectProblem(await auditor.post(URL, {}), 400, 'invalid_input', 'body.q');
    expectProblem(await auditor.post(URL, { q: ',,,' }), 400, 'invalid_input', 'body.q');
    expectProblem(await auditor.post(URL, { q: 'alder', extra: 1 }), 400, 'invalid_input');
    expectProblem(await auditor.post(URL, { q: 'x'.repeat(101) }), 400, 'invalid_input', 'body.q');
    expect((await auditor.post(URL, { q: 'al\u0000der' })).statusCode).toBeLessThan(500);
  });

  it('is open to the roles holding read:audit and refused (and audited) for the others', async () => {
    for (const role of ROLES) {
      const c = await w.client(role);
      const res = await c.post(URL, { q: 'alder' });
      const allowed = ROLE_PERMISSIONS[role].includes('read:audit');
      expect(res.statusCode, role).toBe(allowed ? 200 : 403);
      if (!allowed) {
        const rows = await w.database.query<{ action: string; entity: string; actor_id: string }>('select action, entity, actor_id from audit_events order by id desc limit 1');
        expect(rows[0], role).toMatchObject({ action: 'access-denied', entity: 'audit', actor_id: c.userId });
      }
    }
  });

  it('filters the trail by a whole group of record kinds, and refuses an unknown group by name', async () => {
    const res = await auditor.get('/api/v1/audit-events?group=system&limit=200');
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Array<{ entity: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => AUDIT_ENTITIES[i.entity as AuditEntity] === 'system')).toBe(true);
    const patients = (await auditor.get('/api/v1/audit-events?group=patients&limit=200')).json() as { items: Array<{ entity: string }> };
    expect(patients.items.some((i) => i.entity === 'patient')).toBe(true);
    expect(patients.items.every((i) => AUDIT_ENTITIES[i.entity as AuditEntity] === 'patients')).toBe(true);
    expectProblem(await auditor.get('/api/v1/audit-events?group=everything'), 400, 'invalid_input', 'querystring.group');
  });

  it('every audit row these requests wrote names a record kind the console can name', async () => {
    const rows = await w.database.query<{ entity: string }>('select distinct entity from audit_events');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.map((r) => r.entity).filter((e) => !isAuditEntity(e))).toEqual([]);
  });
});
