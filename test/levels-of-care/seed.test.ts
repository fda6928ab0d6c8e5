// The levels-of-care demo (server/modules/demo/seed-levels-of-care.ts): a therapeutic-
// community stay at its second phase, and a naltrexone injection due in four days that the
// work list shows as due soon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/access/roles.ts';
import { eq } from 'drizzle-orm';
import { seedLevelsOfCareDemo } from '../../server/modules/demo/seed-levels-of-care.ts';
import { seedDemo } from '../../server/modules/demo/seed.ts';
import { programs } from '../../server/modules/programs/programs.tables.ts';
import { stays } from '../../server/modules/levels-of-care/levels-of-care.tables.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { testDatabase } from '../support/db.ts';
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

  it('works on the demo data, where every patient already has an open episode of care', async () => {
    const database = await testDatabase();
    try {
      const now = new Date('2026-03-02T15:00:00Z');
      await seedDemo(database.db, now);
      // seedDemo calls seedLevelsOfCareDemo after the rest of the demo
      const [main] = await database.db.select({ id: programs.id }).from(programs).where(eq(programs.name, 'Harbor Street Clinic (demo)'));
      const open = await database.db.select({ phaseIndex: stays.phaseIndex }).from(stays).where(eq(stays.programId, main!.id));
      expect(open).toEqual([{ phaseIndex: 1 }]);
      const injections = await database.query<{ n: number }>('select count(*)::int as n from naltrexone_injections where program_id = $1', [main!.id]);
      expect(injections[0]!.n).toBe(2);
    } finally {
      await database.close();
    }
  }, 120_000);
});
