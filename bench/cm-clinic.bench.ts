// Recording a specimen with its award (POST /api/v1/specimens: lock, event, replay of
// the enrolment, ledger diff, entries, audit rows — one transaction) on PostgreSQL over
// real HTTP on 127.0.0.1 at 32 concurrent clients, against a bare route in the same
// server and run that does one INSERT. Goal: throughput ≥ 1/3 of the bare route.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { withScratchDatabase } from './scratch-db.ts';
import { buildApp } from '../server/app.ts';
import { createOrganization, createProgram, createUserWithRoles } from '../server/modules/programs/bootstrap.ts';
import { patients } from '../server/modules/patients/patients.tables.ts';

const NAME = 'wp_bench_cm_clinic';
const CLIENTS = 32;
const PATIENTS = 256;
const MAX_REQUESTS = 4000;
const MAX_MS = 20_000;
const PASSWORD = 'bench-password-not-real-123';

const PROTOCOL = {
  id: 'bench-clinic', version: 1, name: 'Bench clinic', citation: 'benchmark', weeks: 24,
  bowl: { slips: [{ tier: 'none', count: 250, valueCents: 0 }, { tier: 'small', count: 209, valueCents: 100 }, { tier: 'large', count: 40, valueCents: 2000 }, { tier: 'jumbo', count: 1, valueCents: 10000 }] },
  caps: { perYearCents: 75_000 },
  tracks: [
    { id: 'stim', target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000, recoverAfter: 5 } }] },
    { id: 'opioid-draws', target: { kind: 'negative', analytes: ['fentanyl', 'opiates'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 1, step: 1, max: 4 } }] },
  ],
};

function stats(lat: number[], ms: number) {
  const s = [...lat].sort((a, b) => a - b);
  const p = (x: number) => s[Math.min(s.length - 1, Math.floor(x * s.length))] ?? 0;
  return { n: s.length, rps: (s.length * 1000) / ms, p50: p(0.5), p99: p(0.99) };
}

export default function bench() {
  return withScratchDatabase(NAME, 24, async (d) => {
    let close = async () => undefined as void;
    try {
      await d.query('create table bench_bare (program_id uuid not null, id uuid not null, at timestamptz not null, primary key (program_id, id))');
      const now = new Date('2026-03-02T15:00:00Z');
      const { programId, email, patientIds } = await d.db.transaction(async (tx) => {
        const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now });
        const programId = await createProgram(tx, { orgId, name: 'Bench CM', timeZone: 'America/New_York', now });
        const email = `bench-${randomUUID().slice(0, 6)}@test.example`;
        await createUserWithRoles(tx, { orgId, email, displayName: 'Bench Coordinator', password: PASSWORD, roles: [{ programId, role: 'cm-coordinator' }], now, checkPassword: false });
        const patientIds = Array.from({ length: PATIENTS }, () => randomUUID());
        await tx.insert(patients).values(patientIds.map((id, i) => ({
          programId, id, mrn: `B-${i}`, legalGivenName: 'Bench', legalFamilyName: `Example${i}`, birthDate: '1980-01-01', preferredLanguage: 'en', contactConsent: false, version: 1, createdAt: now, updatedAt: now,
        })));
        return { programId, email, patientIds };
      });
      const app = await buildApp({ db: d.db, logLevel: 'silent', webRoot: null, clock: () => now, signInRateLimit: 1000 });
      app.post('/bench/bare', { config: { auth: 'public' }, schema: { hide: true } }, async () => {
        const id = randomUUID();
        await d.query('insert into bench_bare (program_id, id, at) values ($1, $2, now())', [programId, id]);
        return { id };
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      close = async () => { await app.close(); };
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const headers = { 'content-type': 'application/json', cookie, 'waypoint-program': programId };
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        const text = await r.text();
        if (r.status !== 200) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
        return JSON.parse(text) as Record<string, unknown>;
      };
      const proto = await post('/api/v1/cm/protocols', { document: PROTOCOL });
      for (let i = 0; i < PATIENTS; i += CLIENTS) {
        await Promise.all(patientIds.slice(i, i + CLIENTS).map((patientId) => post('/api/v1/cm/enrolments', {
          patientId, protocolId: proto.id, startDate: '2026-03-02', calendar: { specimen: [1, 3, 5], windowStart: '08:00', windowEnd: '17:00' },
        })));
      }

      const run = async (one: (client: number, k: number) => Promise<void>) => {
        const lat: number[] = [];
        let issued = 0;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
          for (let k = 0; ; k++) {
            if (issued >= MAX_REQUESTS || performance.now() - t0 > MAX_MS) return;
            issued++;
            const s = performance.now();
            await one(c, k);
            lat.push(performance.now() - s);
          }
        }));
        return stats(lat, performance.now() - t0);
      };
      // Statistics as autovacuum would keep them in a running clinic (a just-loaded scratch
      // database has none, and its planner guesses).
      await d.query('ANALYZE');
      // warm-up
      await post('/bench/bare', {});
      const day = (k: number) => new Date(Date.UTC(2026, 2, 2 + k, 14)).toISOString();
      // client c records for its own patients in turn (c, c+32, …); one specimen per patient per day; ~4 in 5 negative
      const per = PATIENTS / CLIENTS;
      const bare = await run(async () => { await post('/bench/bare', {}); });
      const rec = await run(async (c, k) => {
        const patientId = patientIds[c + CLIENTS * (k % per)]!;
        const neg = (k * 7 + c) % 5 !== 0;
        await post('/api/v1/specimens', {
          patientId, collectedAt: day(Math.floor(k / per)), observed: true, temperatureC: 34, method: 'presumptive',
          results: [
            { analyte: 'cocaine', result: neg ? 'negative' : 'positive' }, { analyte: 'amphetamine', result: 'negative' },
            { analyte: 'fentanyl', result: 'negative' }, { analyte: 'opiates', result: 'negative' },
          ],
        });
      });
      const fmt = (s: ReturnType<typeof stats>) => `${String(s.n).padStart(5)} requests  ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms`;
      const events = Number((await d.query<{ n: string }>('select count(*) as n from cm_events'))[0]!.n);
      const entries = Number((await d.query<{ n: string }>('select count(*) as n from cm_ledger_entries'))[0]!.n);
      console.log(`PostgreSQL, real HTTP on 127.0.0.1, ${CLIENTS} concurrent clients, ${PATIENTS} enrolled patients`);
      console.log(`bare single-INSERT route      ${fmt(bare)}`);
      console.log(`record specimen with award    ${fmt(rec)}   (${events} events, ${entries} ledger entries)`);
      const ratio = rec.rps / bare.rps;
      console.log(`ratio ${ratio.toFixed(2)} of the bare route (goal ≥ 0.33) ${ratio >= 1 / 3 ? 'MET' : 'NOT MET'}`);
    } finally {
      await close();
    }
  });
}
