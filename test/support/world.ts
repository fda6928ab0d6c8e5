// A small world for integration tests: one organisation with programmes A and B, one
// account per role in A, an administrator in B, an organisation administrator with no
// programme role, and fictional patients in both.
// `client(role)` signs in through the API and returns an inject helper that sends the
// session cookie and the programme header.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '../../core/access/roles.ts';
import { buildApp } from '../../server/app.ts';
import { type Database, inTransaction } from '../../server/platform/db/database.ts';
import { patients } from '../../server/modules/patients/patients.tables.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../../server/modules/programs/bootstrap.ts';
import { testDatabase } from './db.ts';

export const PASSWORD = 'correct-horse-battery-test';

export type Client = {
  userId: string;
  programId: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
};

export type World = {
  database: Database;
  app: FastifyInstance;
  orgId: string;
  programA: string;
  programB: string;
  users: Record<Role, string>;
  adminB: string;
  /** Organisation administrator only (no role in any programme). */
  orgAdmin: string;
  patientA: string;
  patientB: string;
  emailOf(role: Role | 'adminB' | 'orgAdmin'): string;
  client(role: Role | 'adminB' | 'orgAdmin', opts?: { programId?: string }): Promise<Client>;
  signIn(email: string, password?: string): Promise<{ cookie: string; body: unknown; status: number }>;
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
};

/** `now`: the server's clock at the start (default 2026-03-02T15:00:00Z, a Monday afternoon in New York). */
export async function makeWorld(opts: { poolSize?: number; now?: string } = {}): Promise<World> {
  const database = await testDatabase(opts);
  const clock = {
    now: new Date(opts.now ?? '2026-03-02T15:00:00Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const tag = randomUUID().slice(0, 8);
  const emailOf = (role: Role | 'adminB' | 'orgAdmin') => `${role}-${tag}@test.example`;
  const setup = await inTransaction(database.db, async (tx) => {
    const now = clock.now;
    const orgId = await createOrganization(tx, { name: 'Test Org (fictional)', now });
    const programA = await createProgram(tx, { orgId, name: 'Programme A', timeZone: 'America/New_York', now });
    const programB = await createProgram(tx, { orgId, name: 'Programme B', timeZone: 'America/Chicago', now });
    const users = {} as Record<Role, string>;
    for (const role of ROLES) {
      users[role] = await createUserWithRoles(tx, { orgId, email: emailOf(role), displayName: `Test ${role}`, password: PASSWORD, roles: [{ programId: programA, role }], now, checkPassword: false });
    }
    const adminB = await createUserWithRoles(tx, {
      orgId,
      email: emailOf('adminB'),
      displayName: 'Test admin B',
      password: PASSWORD,
      roles: [{ programId: programB, role: 'administrator' }],
      now,
      checkPassword: false,
    });
    const orgAdmin = await createUserWithRoles(tx, {
      orgId,
      email: emailOf('orgAdmin'),
      displayName: 'Test organisation admin',
      password: PASSWORD,
      roles: [],
      organizationRoles: ['organization-administrator'],
      now,
      checkPassword: false,
    });
    const patientA = randomUUID();
    const patientB = randomUUID();
    const base = { legalGivenName: 'Alder', preferredLanguage: 'en', contactConsent: false, version: 1, createdAt: now, updatedAt: now };
    await tx.insert(patients).values([
      { ...base, programId: programA, id: patientA, mrn: 'A-0001', legalFamilyName: 'Example', birthDate: '1980-04-01' },
      { ...base, programId: programB, id: patientB, mrn: 'B-0001', legalFamilyName: 'Sample', birthDate: '1975-09-09' },
    ]);
    return { orgId, programA, programB, users, adminB, orgAdmin, patientA, patientB };
  });
  const app = await buildApp({ db: database.db, logLevel: 'silent', clock: () => clock.now, signInRateLimit: 100_000, webRoot: null });
  await app.ready();

  const signIn = async (email: string, password = PASSWORD) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
    const set = r.cookies.find((c) => c.name === 'wp_session');
    return { cookie: set ? `wp_session=${set.value}` : '', body: r.json() as unknown, status: r.statusCode };
  };

  const client = async (role: Role | 'adminB' | 'orgAdmin', o: { programId?: string } = {}): Promise<Client> => {
    const { cookie, status } = await signIn(emailOf(role));
    if (status !== 200) throw new Error(`sign-in as ${role} failed: ${status}`);
    const programId = o.programId ?? (role === 'adminB' ? setup.programB : setup.programA);
    const headers = { cookie, 'waypoint-program': programId };
    const request = (opts: InjectOptions) => app.inject({ ...opts, headers: { ...headers, ...(opts.headers ?? {}) } });
    return {
      userId: role === 'adminB' ? setup.adminB : role === 'orgAdmin' ? setup.orgAdmin : setup.users[role],
      programId,
      request,
      get: (url) => request({ method: 'GET', url }),
      post: (url, payload, h) => request({ method: 'POST', url, payload: payload as object, ...(h ? { headers: h } : {}) }),
      patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
      put: (url, payload) => request({ method: 'PUT', url, payload: payload as object }),
      del: (url) => request({ method: 'DELETE', url }),
    };
  };

  return {
    database,
    app,
    ...setup,
    emailOf,
    client,
    signIn,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
