// The demo's notes (server/modules/demo/seed-notes.ts): nothing without a completed visit;
// with one, a signed DAP note with an addendum and a signed counselling note kept apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/access/roles.ts';
import { seedNotesDemo } from '../../server/modules/demo/seed-notes.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import { makeWorld, type World } from '../support/world.ts';
import { bookVisit } from './support.ts';

describe('the demo’s notes', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('adds nothing without a completed visit, then a signed DAP note with an addendum and a counselling note on the first one', async () => {
    const staff = new Map<Role, { id: string; name: string }>([['counsellor', { id: w.users.counsellor, name: 'Test counsellor' }]]);
    const seed = () => inTransaction(w.database.db, (tx) => seedNotesDemo(tx, { orgId: w.orgId, programId: w.programA, now: w.clock.now, staff }));
    await bookVisit(w, { staffId: w.users.counsellor, patients: [w.patientA], status: 'scheduled' });
    await bookVisit(w, { staffId: w.users.counsellor, typeCode: 'group-cbt', patients: [w.patientA] });
    expect(await seed()).toBeNull();

    const visit = await bookVisit(w, { staffId: w.users.counsellor, patients: [w.patientA] });
    expect(await seed()).toEqual({ encounterId: visit });
    const notes = await w.database.query<{ template: string; status: string; addenda: string }>(
      'select template, status, (select count(*) from progress_note_addenda a where a.note_id = n.id) as addenda from progress_notes n where encounter_id = $1',
      [visit],
    );
    expect(notes.map((n) => [n.template, n.status, Number(n.addenda)])).toEqual([['dap', 'signed', 1]]);
    const kept = await w.database.query<{ status: string; author_id: string }>('select status, author_id from counselling_notes where encounter_id = $1', [visit]);
    expect(kept).toEqual([{ status: 'signed', author_id: w.users.counsellor }]);
  });
});
