// Administration across programmes (ADR 020): a programme administrator acts only on
// accounts wholly within the programmes they administer; organisation policy and the
// organisation-administrator role are the organisation administrator's; the migration
// that makes the first organisation administrators; and refusals that name another
// programme (its header, its record ids, a token sent with its header) are audited.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, PASSWORD, type Client, type World } from '../support/world.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

let w: World;
let adminA: Client;
/** Counsellor in programme A and administrator in programme B. */
let shared: { id: string; email: string };
/** Administrator in programme A and organisation administrator. */
let orgAdminA: Client;

type AuditRow = { action: string; outcome: string; actor_id: string | null; program_id: string | null; entity_id: string | null; detail: Record<string, unknown> };
const auditRows = (where: string, params: unknown[]) =>
  w.database.query<AuditRow>(`select action, outcome, actor_id, program_id, entity_id, detail from audit_events where ${where} order by id`, params);

beforeAll(async () => {
  w = await makeWorld();
  adminA = await w.client('administrator');
  const now = w.clock.now;
  const ids = await inTransaction(w.database.db, async (tx) => ({
    shared: await createUserWithRoles(tx, {
      orgId: w.orgId,
      email: 'shared.account@test.example',
      displayName: 'Shay Shared',
      password: PASSWORD,
      now,
      checkPassword: false,
      roles: [
        { programId: w.programA, role: 'counsellor' },
        { programId: w.programB, role: 'administrator' },
      ],
    }),
    orgAdminA: await createUserWithRoles(tx, {
      orgId: w.orgId,
      email: 'org.admin.a@test.example',
      displayName: 'Orla Orgadmin',
      password: PASSWORD,
      now,
      checkPassword: false,
      roles: [{ programId: w.programA, role: 'administrator' }],
      organizationRoles: ['organization-administrator'],
    }),
  }));
  shared = { id: ids.shared, email: 'shared.account@test.example' };
  const s = await w.signIn('org.admin.a@test.example');
  const headers = { cookie: s.cookie, 'waypoint-program': w.programA };
  const request: Client['request'] = (opts) => w.app.inject({ ...opts, headers: { ...headers, ...(opts.headers ?? {}) } });
  orgAdminA = {
    userId: ids.orgAdminA,
    programId: w.programA,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as object }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
    put: (url, payload) => request({ method: 'PUT', url, payload: payload as object }),
    del: (url) => request({ method: 'DELETE', url }),
  };
});
afterAll(async () => {
  await w?.close();
});

describe('a programme administrator acts only on accounts wholly within their programmes', () => {
  it('refuses to reset the password and two-step sign-in of an account that also administers programme B (403, audited, nothing changed)', async () => {
    const r = await adminA.post(`/api/v1/staff/${shared.id}/password-reset`, { resetMfa: true });
    expectProblem(r, 403, 'account_outside_your_programmes');
    // the owner still signs in with their password: nothing was reset, no session ended
    expect((await w.signIn(shared.email)).status).toBe(200);
    const rows = await auditRows("action = 'access-denied' and entity_id = $1", [shared.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      actor_id: w.users.administrator,
      program_id: w.programA,
      detail: { attempted: 'password-and-mfa-reset', reason: 'account-outside-your-programmes' },
    });
    expect(await auditRows("action = 'password-reset' and entity_id = $1", [shared.id])).toHaveLength(0);
  });

  it('refuses every other change to that account: name, deactivation, roles in this programme', async () => {
    for (const body of [{ displayName: 'Renamed' }, { active: false }, { roles: ['peer-specialist'] }]) {
      expectProblem(await adminA.patch(`/api/v1/staff/${shared.id}`, body), 403, 'account_outside_your_programmes');
    }
    const [row] = await w.database.query<{ display_name: string; active: boolean }>('select display_name, active from users where id = $1', [shared.id]);
    expect(row).toEqual({ display_name: 'Shay Shared', active: true });
    const roles = await w.database.query<{ role: string }>('select role from role_assignments where user_id = $1 and program_id = $2', [shared.id, w.programA]);
    expect(roles.map((x) => x.role)).toEqual(['counsellor']);
    expect(await auditRows("action = 'access-denied' and entity_id = $1", [shared.id])).toHaveLength(4);
  });

  it('refuses to act on an organisation administrator who also works in programme A', async () => {
    expectProblem(await adminA.post(`/api/v1/staff/${orgAdminA.userId}/password-reset`, {}), 403, 'account_outside_your_programmes');
  });

  it('still manages accounts whose every role is in programme A', async () => {
    const r = await adminA.post(`/api/v1/staff/${w.users['peer-specialist']}/password-reset`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect((await adminA.patch(`/api/v1/staff/${w.users['front-desk']}`, { displayName: 'Test front-desk renamed' })).statusCode).toBe(200);
  });

  it('the staff list says which accounts the caller may manage and who is an organisation administrator', async () => {
    const list = (await adminA.get('/api/v1/staff?limit=200')).json() as { items: Array<{ id: string; manageable: boolean; organizationAdministrator: boolean }> };
    const byId = new Map(list.items.map((i) => [i.id, i]));
    expect(byId.get(shared.id)).toMatchObject({ manageable: false, organizationAdministrator: false });
    expect(byId.get(orgAdminA.userId)).toMatchObject({ manageable: false, organizationAdministrator: true });
    expect(byId.get(w.users.counsellor)).toMatchObject({ manageable: true, organizationAdministrator: false });
    const asOrgAdmin = (await orgAdminA.get('/api/v1/staff?limit=200')).json() as typeof list;
    expect(asOrgAdmin.items.every((i) => i.manageable)).toBe(true);
  });

  it('an organisation administrator may manage any account of the organisation', async () => {
    const r = await orgAdminA.post(`/api/v1/staff/${shared.id}/password-reset`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect((await w.signIn(shared.email)).status).toBe(401); // the old password no longer works
  });
});

describe('the organisation administrator', () => {
  const policy = { idleTimeoutMinutes: 20, sessionLifetimeHours: 12, mfaRequired: false };

  it('alone changes organisation settings: a programme administrator is refused (403, audited in the organisation trail)', async () => {
    expectProblem(await adminA.get('/api/v1/organization/settings'), 403, 'forbidden');
    expectProblem(await adminA.put('/api/v1/organization/settings', policy), 403, 'forbidden');
    const denied = await auditRows("action = 'access-denied' and actor_id = $1 and detail->>'permission' = 'manage:organization'", [w.users.administrator]);
    expect(denied).toHaveLength(2);
    expect(denied[0]).toMatchObject({ program_id: null, outcome: 'denied' });
    const [org] = await w.database.query<{ idle_timeout_minutes: number }>('select idle_timeout_minutes from organizations where id = $1', [w.orgId]);
    expect(org!.idle_timeout_minutes).toBe(15);

    const orgAdmin = await w.client('orgAdmin'); // no role in any programme; the programme header plays no part
    const put = await orgAdmin.put('/api/v1/organization/settings', policy);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual(policy);
    const [change] = await w.database.query<{ program_id: string | null; actor_role: string }>(
      "select program_id, actor_role from audit_events where action = 'update' and entity = 'organization' order by id desc limit 1",
    );
    expect(change).toEqual({ program_id: null, actor_role: 'organization-administrator' });
    await orgAdmin.put('/api/v1/organization/settings', { ...policy, idleTimeoutMinutes: 15 });
  });

  it('is told by /me, so the console shows the settings page to it alone', async () => {
    const me = (await (await w.client('orgAdmin')).get('/api/v1/me')).json() as { organization: { roles: string[]; permissions: string[] }; programs: unknown[] };
    expect(me.organization).toMatchObject({ roles: ['organization-administrator'], permissions: ['manage:organization'] });
    expect(me.programs).toEqual([]);
    const adminMe = (await adminA.get('/api/v1/me')).json() as { organization: { roles: string[]; permissions: string[] }; programs: Array<{ permissions: string[] }> };
    expect(adminMe.organization).toMatchObject({ roles: [], permissions: [] });
    expect(adminMe.programs[0]!.permissions).not.toContain('manage:organization');
  });

  it('only an organisation administrator grants or takes away the role, and not their own', async () => {
    const target = w.users.prescriber;
    expectProblem(await adminA.patch(`/api/v1/staff/${target}`, { organizationAdministrator: true }), 403, 'organization_administrator_required', 'body.organizationAdministrator');
    expectProblem(
      await adminA.post('/api/v1/staff', { email: 'sneaky@test.example', displayName: 'Sneaky Org', roles: ['auditor'], organizationAdministrator: true }),
      403,
      'organization_administrator_required',
    );
    expect(await w.database.query("select 1 from users where email = 'sneaky@test.example'")).toHaveLength(0);
    expect(await auditRows("action = 'access-denied' and detail->>'reason' = 'organization-administrator-required'", [])).toHaveLength(2);

    const granted = await orgAdminA.patch(`/api/v1/staff/${target}`, { organizationAdministrator: true });
    expect(granted.json()).toMatchObject({ organizationAdministrator: true });
    const prescriberMe = (await (await w.client('prescriber')).get('/api/v1/me')).json() as { organization: { permissions: string[] } };
    expect(prescriberMe.organization.permissions).toEqual(['manage:organization']);
    expect((await orgAdminA.patch(`/api/v1/staff/${target}`, { organizationAdministrator: false })).json()).toMatchObject({ organizationAdministrator: false });
    expect(await auditRows("action = 'update' and entity_id = $1 and detail ? 'organizationAdministrator'", [target])).toHaveLength(2);

    expectProblem(await orgAdminA.patch(`/api/v1/staff/${orgAdminA.userId}`, { organizationAdministrator: false }), 409, 'cannot_remove_own_organization_admin', 'body.organizationAdministrator');
    const created = await orgAdminA.post('/api/v1/staff', { email: 'second.org@test.example', displayName: 'Second Orgadmin', roles: ['auditor'], organizationAdministrator: true });
    expect(created.json()).toMatchObject({ staff: { organizationAdministrator: true } });
  });
});

describe('the migration to organisation administrators', () => {
  it('makes organisation administrator every account that administers every programme of its organisation, and no other', async () => {
    const both = await inTransaction(w.database.db, (tx) =>
      createUserWithRoles(tx, {
        orgId: w.orgId,
        email: 'both.programmes@test.example',
        displayName: 'Bo Both',
        password: PASSWORD,
        now: w.clock.now,
        checkPassword: false,
        roles: [
          { programId: w.programA, role: 'administrator' },
          { programId: w.programB, role: 'administrator' },
        ],
      }),
    );
    const file = readFileSync(new URL('../../server/db/migrations/0016_organization_administrator.sql', import.meta.url), 'utf8');
    const custom = file.split('-- custom SQL below')[1];
    expect(custom).toBeDefined();
    await w.database.query(custom!);
    const orgAdmins = await w.database.query<{ user_id: string }>("select user_id from organization_role_assignments where role = 'organization-administrator'");
    const ids = orgAdmins.map((r) => r.user_id);
    expect(ids).toContain(both);
    for (const not of [w.users.administrator, w.adminB, shared.id, w.users.counsellor]) expect(ids).not.toContain(not);
  });
});

describe('refusals that name another programme are audited', () => {
  // In the organisation's trail: no programme's trail shows another programme's ids (ADR 020).
  it('a Waypoint-Program header for a programme the caller has no role in: 403, recorded in the organisation’s trail', async () => {
    const r = await adminA.request({ method: 'GET', url: '/api/v1/staff', headers: { 'waypoint-program': w.programB } });
    expectProblem(r, 403, 'forbidden');
    const rows = await auditRows("action = 'access-denied' and actor_id = $1 and detail->>'reason' = 'no-role-in-programme'", [w.users.administrator]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ program_id: null, outcome: 'denied', detail: { route: '/api/v1/staff', permission: 'read:staff', requestedProgram: w.programB } });
    const unknown = '7d1d2c55-0000-4000-8000-000000000001';
    expectProblem(await adminA.request({ method: 'GET', url: '/api/v1/staff', headers: { 'waypoint-program': unknown } }), 403, 'forbidden');
    const [row] = await auditRows("action = 'access-denied' and detail->>'requestedProgram' = $1", [unknown]);
    expect(row).toMatchObject({ program_id: null, actor_id: w.users.administrator });
  });

  it('another programme’s record id: the same 404 as no record, recorded in the organisation’s trail', async () => {
    const r = await adminA.get(`/api/v1/patients/${w.patientB}`);
    expectProblem(r, 404, 'not_found');
    const rows = await auditRows("action = 'not-found' and entity_id = $1", [w.patientB]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      outcome: 'denied',
      actor_id: w.users.administrator,
      program_id: null,
      detail: { route: '/api/v1/patients/:id', programId: w.programA, params: { id: w.patientB } },
    });
    // programme A's auditor does not see programme B's ids in A's trail
    const trailA = await (await w.client('auditor')).get('/api/v1/audit-events?limit=200');
    expect(trailA.body).not.toContain(w.patientB);
    // a staff account of programme B only, through programme A's staff routes
    expectProblem(await adminA.post(`/api/v1/staff/${w.adminB}/password-reset`, {}), 404, 'not_found');
    expect(await auditRows("action = 'not-found' and entity_id = $1", [w.adminB])).toHaveLength(1);
  });

  it('an API token sent with another programme’s header: 403, recorded in the organisation’s trail', async () => {
    const created = await adminA.post('/api/v1/integration-tokens', { name: 'Cross lab (fictional)', scopes: ['screens:write'] });
    expect(created.statusCode, created.body).toBe(200);
    const { token, userId } = created.json() as { token: string; userId: string };
    const r = await w.app.inject({ method: 'GET', url: '/api/v1/cm/protocols', headers: { authorization: `Bearer ${token}`, 'waypoint-program': w.programB } });
    expectProblem(r, 403, 'forbidden');
    const rows = await auditRows("action = 'access-denied' and actor_id = $1", [userId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ program_id: null, outcome: 'denied', detail: { reason: 'token-of-another-programme', requestedProgram: w.programB } });
  });
});
