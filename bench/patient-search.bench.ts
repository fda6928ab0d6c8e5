// Patient search on 100,000 patients (and another 100,000 in a second programme) on
// PostgreSQL, through the real use case (transaction + audit row), against a baseline
// in the same run: a primary-key lookup of one patient through the same pool.
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { searchPatients } from '../server/modules/patients/patients.ts';
import { systemCtx } from '../server/platform/http/context.ts';
import { createOrganization, createProgram } from '../server/modules/programs/bootstrap.ts';
import { inTransaction } from '../server/platform/db/database.ts';

const NAME = 'wp_bench_search';
const PATIENTS = 100_000;
const ROUNDS = 40;

export default function bench() {
  return withScratchDatabase(NAME, 4, async (d) => {
    const now = new Date();
    const { orgId, programId, other } = await inTransaction(d.db, async (tx) => {
      const orgId = await createOrganization(tx, { name: 'Bench Org (fictional)', now });
      return {
        orgId,
        programId: await createProgram(tx, { orgId, name: 'Bench A', timeZone: 'UTC', now }),
        other: await createProgram(tx, { orgId, name: 'Bench B', timeZone: 'UTC', now }),
      };
    });
    const syl = ['al', 'ber', 'cor', 'dan', 'el', 'fin', 'gar', 'hol', 'is', 'jon', 'kel', 'lor', 'mar', 'nor', 'ol', 'per', 'quin', 'ros', 'sam', 'tor'];
    const name = (i: number) => syl[i % 20]! + syl[Math.floor(i / 20) % 20]! + syl[Math.floor(i / 400) % 20]!;
    let someId = '';
    for (const prog of [programId, other]) {
      for (let b = 0; b < PATIENTS / 1000; b++) {
        const vals: unknown[] = [];
        const rows: string[] = [];
        for (let j = 0; j < 1000; j++) {
          const i = b * 1000 + j;
          const k = vals.length;
          const id = randomUUID();
          if (!someId) someId = id;
          vals.push(prog, id, `M-${i}`, name(i * 7), name(i * 13 + 5), `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`);
          rows.push(`($${k + 1},$${k + 2},$${k + 3},$${k + 4},$${k + 5},$${k + 6},now(),now())`);
        }
        await d.query(`insert into patients (program_id,id,mrn,legal_given_name,legal_family_name,birth_date,created_at,updated_at) values ${rows.join(',')}`, vals);
      }
    }
    await d.query('analyze patients');
    const ctx = systemCtx({ orgId, programId });
    const time = async (fn: () => Promise<unknown>) => {
      await fn();
      const t = performance.now();
      for (let i = 0; i < ROUNDS; i++) await fn();
      return (performance.now() - t) / ROUNDS;
    };
    const base = await time(() => d.query('select id, mrn, legal_given_name, legal_family_name from patients where program_id = $1 and id = $2', [programId, someId]));
    console.log(`patients: ${PATIENTS} in each of 2 programmes; baseline primary-key lookup: ${base.toFixed(2)} ms`);
    for (const q of [{ q: 'alber' }, { q: 'cor dan' }, { q: 'M-55555' }, { birthDate: '1975-03-15' }, { q: 'a' }, { q: 'zz' }]) {
      let count = 0;
      const ms = await time(async () => {
        const r = await inTransaction(d.db, (tx) => searchPatients({ tx, ctx }, { ...q, limit: 50 }));
        count = r.items.length;
      });
      console.log(`search ${JSON.stringify(q).padEnd(28)} ${String(count).padStart(3)} results  ${ms.toFixed(2).padStart(7)} ms  ${(ms / base).toFixed(1)}× baseline`);
    }
  });
}
