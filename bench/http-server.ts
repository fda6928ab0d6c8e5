// The HTTP side the clinic benchmarks share: the app on a free port with the bare
// single-INSERT route (the baseline every ratio is against), one staff session whose idle
// and lifetime limits are lifted (the bench's clock spans days), and a POST that fails loudly
// (as the staff member, or as a patient's phone with its cookie).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Role } from '../core/access/roles.ts';
import { buildApp } from '../server/app.ts';
import { inTransaction, type Database } from '../server/platform/db/database.ts';
import { patients } from '../server/modules/patients/patients.tables.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../server/modules/programs/bootstrap.ts';

export const BENCH_PASSWORD = 'bench-password-not-real-123';

/**
 * A scratch clinic: the bare route's table, an organisation and a programme (New York), one
 * staff member with `role`, and `count` fictional patients (MRNs `<mrnPrefix>-<i>`).
 */
export async function benchProgramme(d: Database, o: { name: string; role: Role; count: number; mrnPrefix: string; now: Date; language?: (i: number) => 'en' | 'es' }) {
  await d.query('create table bench_bare (program_id uuid not null, id uuid not null, at timestamptz not null, primary key (program_id, id))');
  return inTransaction(d.db, async (tx) => {
    const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now: o.now });
    const programId = await createProgram(tx, { orgId, name: o.name, timeZone: 'America/New_York', now: o.now });
    const email = `bench-${randomUUID().slice(0, 6)}@test.example`;
    await createUserWithRoles(tx, { orgId, email, displayName: 'Bench Staff', password: BENCH_PASSWORD, roles: [{ programId, role: o.role }], now: o.now, checkPassword: false });
    const patientIds = Array.from({ length: o.count }, () => randomUUID());
    await tx.insert(patients).values(
      patientIds.map((id, i) => ({
        programId,
        id,
        mrn: `${o.mrnPrefix}-${i}`,
        legalGivenName: 'Bench',
        legalFamilyName: `Example${i}`,
        birthDate: '1980-01-01',
        preferredLanguage: o.language?.(i) ?? 'en',
        contactConsent: false,
        version: 1,
        createdAt: o.now,
        updatedAt: o.now,
      })),
    );
    return { programId, email, patientIds };
  });
}

export async function benchServer(d: Database, opts: { programId: string; email: string; password: string; clock: () => Date }) {
  await d.query('update organizations set idle_timeout_minutes = $1, session_lifetime_hours = $2 where name = $3', [10_000_000, 100_000, 'Bench Org (fictional)']);
  const app = await buildApp({ db: d.db, logLevel: 'silent', webRoot: null, clock: opts.clock, signInRateLimit: 1000 });
  // takes the same empty JSON object as before routes without a body schema refused one
  app.post('/bench/bare', { config: { auth: 'public' }, schema: { hide: true, body: z.object({}) } }, async () => {
    const id = randomUUID();
    await d.query('insert into bench_bare (program_id, id, at) values ($1, $2, now())', [opts.programId, id]);
    return { id };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: opts.email, password: opts.password }) });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const headers = { 'content-type': 'application/json', cookie, 'waypoint-program': opts.programId };
  /** A POST as the staff member (or, with `cookie`, as whoever that cookie signs in: a patient's phone). */
  const post = async (path: string, body: unknown, cookie?: string) => {
    const h: Record<string, string> = cookie ? { 'content-type': 'application/json', cookie } : { ...headers };
    if (body === undefined) delete h['content-type']; // a route that takes no body
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  return { base, headers, post, close: async () => void (await app.close()) };
}
