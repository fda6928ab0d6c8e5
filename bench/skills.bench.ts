// Finishing a skills module from the patient app (POST /api/patient/skills/completions: the
// module and the patient's progress row locked, the open assignment read, the CM module event
// posted and settled with its ledger entry — the enrolment locked, its history replayed — and
// the audit rows, in one transaction) on PostgreSQL over real HTTP on 127.0.0.1 at 32
// concurrent phones, against the bare single-INSERT route in the same server and run. Every
// completion is a new (patient, module) pair whose screens were all reached, so each one pays.
// Reported as the median ratio of interleaved rounds (as checkins.bench.ts).
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { BENCH_PASSWORD, benchProgramme, benchServer } from './http-server.ts';
import { interleaved, load, report } from './rounds.ts';
import { builtInModules } from '../server/modules/skills/library.ts';
import { activationProof, normaliseActivationCode } from '../core/access/patient-app.ts';

const NAME = `wp_bench_skills_${randomUUID().slice(0, 8)}`;
const CLIENTS = 32;
const PATIENTS = 320;
const ROUND_MS = 2_000;
const WARM_MS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PIN = '482915';

/** A phone's activation request: a fresh P-256 key, the code signed, and a PIN (as the app sends it). */
async function activation(code: string) {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const proof = Buffer.from(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(activationProof(normaliseActivationCode(code) ?? code)))).toString(
    'base64url',
  );
  return { code, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! }, proof, pin: PIN };
}

export default function bench() {
  return withScratchDatabase(NAME, 24, async (d) => {
    let close = async () => undefined as void;
    try {
      const clock = new Date('2026-03-04T15:00:00Z');
      const { programId, email, patientIds } = await benchProgramme(d, { name: 'Bench skills', role: 'administrator', count: PATIENTS, mrnPrefix: 'S', now: clock });
      const server = await benchServer(d, { programId, email, password: BENCH_PASSWORD, clock: () => clock });
      close = server.close;
      const post = server.post;

      // every patient enrolled on the skills preset, on a phone; every module assigned with every screen reached
      const protocol = await post('/api/v1/cm/protocols', { preset: 'skills-modules' });
      const modules = [...builtInModules().values()];
      const cookies: string[] = [];
      for (let i = 0; i < PATIENTS; i += 16) {
        const batch = patientIds.slice(i, i + 16);
        cookies.push(
          ...(await Promise.all(
            batch.map(async (patientId) => {
              await post('/api/v1/cm/enrolments', { patientId, protocolId: protocol.id, startDate: '2026-03-02', calendar: { windowStart: '08:00', windowEnd: '17:00' } });
              const invite = await post(`/api/v1/patients/${patientId}/app-invites`, undefined);
              const r = await fetch(`${server.base}/api/patient/activate`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(await activation(invite.code as string)),
              });
              if (r.status !== 200) throw new Error(`activate: ${r.status} ${await r.text()}`);
              return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
            }),
          )),
        );
      }
      const counsellor = (await d.query<{ id: string }>('select id from users limit 1'))[0]!.id;
      for (const m of modules) {
        await d.query(
          `insert into skill_assignments (program_id, id, patient_id, module_key, status, assigned_by, assigned_at) select $1, gen_random_uuid(), p, $2, 'open', $3, now() from unnest($4::uuid[]) p`,
          [programId, m.key, counsellor, patientIds],
        );
        await d.query(
          `insert into skill_progress (program_id, patient_id, module_key, version, screens, furthest_screen, started_at, last_active_at) select $1, p, $2, $3, $4, $4 - 1, now(), now() from unnest($5::uuid[]) p`,
          [programId, m.key, m.version, m.screens.length, patientIds],
        );
      }
      const per = PATIENTS / CLIENTS;
      const next = Array.from({ length: CLIENTS }, () => 0);
      let earned = 0;
      const bare = (ms = ROUND_MS) => load(CLIENTS, ms, async () => void (await post('/bench/bare', {})));
      const complete = (ms = ROUND_MS) =>
        load(CLIENTS, ms, async (c) => {
          const k = next[c]!++;
          if (k >= per * modules.length) throw new Error('the bench ran out of (patient, module) pairs: raise PATIENTS');
          const patient = c + CLIENTS * Math.floor(k / modules.length);
          const m = modules[k % modules.length]!;
          const r = await post('/api/patient/skills/completions', { moduleKey: m.key, version: m.version, at: clock.toISOString() }, cookies[patient]);
          if (r.earned) earned += 1;
        });
      await bare(WARM_MS);
      await complete(WARM_MS);
      // statistics taken once the warm-up has written rows of each kind the scenario writes (as
      // cm-clinic.bench.ts): taken on empty tables, plans made from them may scan those tables whole
      await d.query('ANALYZE');
      const rounds = await interleaved(ROUNDS, bare, complete);
      const events = Number((await d.query<{ n: string }>("select count(*) as n from cm_events where kind = 'module'"))[0]!.n);
      console.log(
        `PostgreSQL, real HTTP on 127.0.0.1, ${CLIENTS} concurrent phones, ${PATIENTS} patients × ${modules.length} modules, ${ROUND_MS / 1000} s per scenario per round after ${WARM_MS / 1000} s warm-up, ${ROUNDS} interleaved rounds`,
      );
      console.log(`(${events} CM module events posted, ${earned} completions answered with an award)`);
      report(rounds, 'completion', 'module completion + CM award');
    } finally {
      await close();
    }
  });
}
