// Visits for the notes' tests: the schedule's API is the lead's part of issue 14, so the
// tests book visits with rows, as the schedule would (a visit and the people booked on it).
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { inTransaction } from '../../server/platform/db/database.ts';
import type { Role } from '../../core/access/roles.ts';
import { PASSWORD, type Client, type World } from '../support/world.ts';

export async function bookVisit(w: World, opts: { programId?: string; staffId: string; typeCode?: string; patients: string[]; status?: 'scheduled' | 'completed' | 'cancelled' }): Promise<string> {
  const id = randomUUID();
  const programId = opts.programId ?? w.programA;
  const at = new Date('2026-03-02T14:00:00Z');
  await w.database.query(
    `insert into encounters (program_id, id, type_code, modality, starts_at, ends_at, staff_id, title, status, created_at, updated_at)
     values ($1, $2, $3, 'in-person', $4, $5, $6, $7, $8, $4, $4)`,
    [
      programId,
      id,
      opts.typeCode ?? 'individual-counselling',
      at.toISOString(),
      new Date(at.getTime() + 3_600_000).toISOString(),
      opts.staffId,
      opts.typeCode?.startsWith('group') ? 'Tuesday group' : null,
      opts.status ?? 'completed',
    ],
  );
  for (const p of opts.patients) {
    await w.database.query(`insert into encounter_participants (program_id, encounter_id, patient_id, attendance, added_at) values ($1, $2, $3, 'attended', $4)`, [programId, id, p, at.toISOString()]);
  }
  return id;
}

/** Another staff member of programme A with `role` (e.g. a second counsellor), signed in. */
export async function anotherStaff(w: World, role: Role, name: string): Promise<Client> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}@test.example`;
  const userId = await inTransaction(w.database.db, (tx) =>
    createUserWithRoles(tx, { orgId: w.orgId, email, displayName: name, password: PASSWORD, roles: [{ programId: w.programA, role }], now: w.clock.now, checkPassword: false }),
  );
  const { cookie, status } = await w.signIn(email);
  if (status !== 200) throw new Error(`sign-in as ${name} failed: ${status}`);
  const headers = { cookie, 'waypoint-program': w.programA };
  const request = (o: InjectOptions) => w.app.inject({ ...o, headers: { ...headers, ...(o.headers ?? {}) } });
  return {
    userId,
    programId: w.programA,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload, h) => request({ method: 'POST', url, payload: payload as object, ...(h ? { headers: h } : {}) }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
    put: (url, payload) => request({ method: 'PUT', url, payload: payload as object }),
    del: (url) => request({ method: 'DELETE', url }),
  };
}

/** A fictional patient in programme A. */
export async function anotherPatient(w: World, mrn: string): Promise<string> {
  const id = randomUUID();
  await w.database.query(
    `insert into patients (program_id, id, mrn, legal_given_name, legal_family_name, birth_date, preferred_language, contact_consent, version, created_at, updated_at)
     values ($1, $2, $3, 'Rowan', 'Example', '1990-01-01', 'en', false, 1, $4, $4)`,
    [w.programA, id, mrn, w.clock.now.toISOString()],
  );
  return id;
}
