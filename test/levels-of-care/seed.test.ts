// The levels-of-care demo (server/modules/demo/seed-levels-of-care.ts): a therapeutic-
// community stay at its second phase, and a naltrexone injection due in four days that the
// work list shows as due soon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/access/roles.ts';
import { seedLevelsOfCareDemo } from '../../server/modules/demo/seed-levels-of-care.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { makeWorld, type World } from '../support/world.ts';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.close();
});

describe('levels-of-care demo', () => {
  it('seeds a stay with phases and an injection due soon', async () => {
    const admin = await w.client('administrator');
    const second = await admin.post('/api/v1/patients', { mrn: 'A-0002', legalGivenName: 'Briar', legalFamilyName: 'Demoson', birthDate: '1985-05-05', confirmNotDuplicate: true });
    expect(second.statusCode, second.body).toBe(200);
    const staff = new Map<Role, { id: string; name: string }>([
      ['counsellor', { id: w.users.counsellor, name: 'Test counsellor' }],
      ['prescriber', { id: w.users.prescriber, name: 'Test prescriber' }],
    ]);
    await inTransaction(w.database.db, (tx) => seedLevelsOfCareDemo(tx, { orgId: w.orgId, programId: w.programA, now: w.clock.now, staff }));
    const counsellor = await w.client('counsellor');
    const resident = (await counsellor.get(`/api/v1/patients/${w.patientA}/levels-of-care`)).json() as { stays: Array<{ phase: { code: string }; history: unknown[] }> };
    expect(resident.stays[0]).toMatchObject({ phase: { code: 'primary' } });
    expect(resident.stays[0]!.history).toHaveLength(2);
    const due = (await counsellor.get('/api/v1/levels-of-care/injections-due')).json() as { items: Array<{ patientId: string; status: string; daysUntilDue: number }> };
    expect(due.items).toEqual([expect.objectContaining({ patientId: second.json().id, status: 'due-soon', daysUntilDue: 4 })]);
  });
});
