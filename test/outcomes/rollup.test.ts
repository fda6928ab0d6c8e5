// The outcomes rollup (ADR 058): writes only mark a patient; the next read folds the marked
// patients in and is exact at its start — after a screen, a correction, a discharge or a change
// of the programme's time zone — and the rows it keeps equal a rebuild from scratch, also after
// writers and readers raced on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../support/db.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { admit, opioid, recordScreen } from './support.ts';
import { foldMarked } from '../../server/modules/outcomes/rollup.ts';

let w: World;
let admin: Client;
const PERIOD = 'from=2026-01-01&to=2026-03-02';
/** A cup whose fentanyl is `result`; its id. */
const screen = async (patientId: string, day: string, result: 'negative' | 'positive') => (await recordScreen(admin, patientId, day, opioid('fentanyl', result))).specimen.id;

type Screens = { admissions: number; screens: { total: number; corrected: number }; weeks: { week: number; admissions: number; missingPositive: { negative: number; positive: number } }[] };
const screensRead = async () => (await admin.get(`/api/v1/outcomes/screens?${PERIOD}&group=opioids`)).json() as Screens;
const retentionRead = async () => (await admin.get(`/api/v1/outcomes/retention?${PERIOD}`)).json() as { admissions: number; cohorts: { events: number; censored: number }[] };

const ROW_COLUMNS =
  'episode_id, patient_id, level_of_care, admitted_on::text, discharged_on::text, medications, cm_protocol, last_contact::text, screens, screens_corrected, screens_invalid, weeks, time_zone';
const rolledUp = () => w.database.query<Record<string, unknown>>(`select ${ROW_COLUMNS} from outcome_episodes order by episode_id`);
const stale = async () => (await w.database.query<{ n: number }>('select count(*)::int as n from outcome_stale'))[0]!.n;

/** The rows a fold from scratch computes: every row dropped, every patient marked, one read. */
async function rebuilt() {
  await w.database.query('delete from outcome_episodes');
  await w.database.query('insert into outcome_stale (program_id, patient_id) select program_id, id from patients');
  await retentionRead();
  await (await w.client('adminB')).get(`/api/v1/outcomes/retention?${PERIOD}`);
  return rolledUp();
}

beforeAll(async () => {
  w = await makeWorld({ poolSize: 20 });
  admin = await w.client('administrator');
}, 120_000);

afterAll(async () => w?.close());

describe('outcomes rollup: a read folds in what changed', () => {
  it('a screen, its correction and a discharge each show in the next read; a read with nothing marked folds nothing', async () => {
    const a = await admit(admin, 'One', '2026-01-05');
    await screen(a.patientId, '2026-01-06', 'negative');
    const first = await screensRead();
    expect(first.screens.total).toBe(1);
    expect(first.weeks[0]!.missingPositive).toMatchObject({ negative: 1, positive: 0 });
    expect(await stale()).toBe(0);

    const before = await rolledUp();
    await screensRead();
    expect(await rolledUp()).toEqual(before);

    // the lab overturns the week-1 negative; a week-2 positive is recorded
    const cup = (await w.database.query<{ id: string }>('select id from screens where patient_id = $1', [a.patientId]))[0]!.id;
    const fix = await admin.post(`/api/v1/specimens/${cup}/corrections`, { results: [{ analyte: 'fentanyl', result: 'positive' }], reason: 'laboratory confirmation positive' });
    expect(fix.statusCode, fix.body).toBe(200);
    await screen(a.patientId, '2026-01-13', 'positive');
    expect(await stale()).toBe(1);
    const second = await screensRead();
    expect(second.screens).toMatchObject({ total: 2, corrected: 1 });
    expect(second.weeks.slice(0, 2).map((wk) => wk.missingPositive)).toMatchObject([
      { negative: 0, positive: 1 },
      { negative: 0, positive: 1 },
    ]);

    // discharged on 25 Jan: three complete weeks, an ended stay
    const d = await admin.post(`/api/v1/patients/${a.patientId}/episodes/${a.episodeId}/discharge`, { dischargedOn: '2026-01-25', dischargeReason: 'completed' });
    expect(d.statusCode, d.body).toBe(200);
    expect((await screensRead()).weeks).toHaveLength(3);
    expect((await retentionRead()).cohorts[0]).toMatchObject({ events: 1, censored: 0 });
  });

  it('a change of the programme’s time zone folds every patient again, in the new zone', async () => {
    await screensRead();
    expect(new Set((await rolledUp()).map((r) => r.time_zone))).toEqual(new Set(['America/New_York']));
    const programId = (await w.database.query<{ program_id: string }>('select program_id from outcome_episodes limit 1'))[0]!.program_id;
    await w.database.query("update programs set time_zone = 'America/Los_Angeles' where id = $1", [programId]);
    await screensRead();
    expect(new Set((await rolledUp()).map((r) => r.time_zone))).toEqual(new Set(['America/Los_Angeles']));
    await w.database.query("update programs set time_zone = 'America/New_York' where id = $1", [programId]);
  });

  it('the fold job folds every marked patient in slices, each its own transaction, and leaves the reads nothing to fold', async () => {
    await screensRead();
    const before = await rolledUp();
    await w.database.query('insert into outcome_stale (program_id, patient_id) select program_id, id from patients on conflict do nothing');
    const marked = await stale();
    expect(marked).toBeGreaterThan(1);
    // a mark on a patient without episodes folds to no row; every patient's rows come back the same
    expect(await foldMarked(w.database.db, w.clock.now, 1)).toBe(marked);
    expect(await stale()).toBe(0);
    expect(await rolledUp()).toEqual(before);
    expect(await foldMarked(w.database.db, w.clock.now, 1)).toBe(0);
  });

  it('the rows kept equal a rebuild from scratch', async () => {
    const b = await admit(admin, 'Two', '2026-02-02');
    await screen(b.patientId, '2026-02-03', 'negative');
    await screen(b.patientId, '2026-02-12', 'positive');
    await retentionRead();
    const kept = await rolledUp();
    expect(kept.length).toBeGreaterThan(0);
    expect(await rebuilt()).toEqual(kept);
  });
});

describe.runIf(onPostgres())('outcomes rollup: writers and readers racing (PostgreSQL)', () => {
  it('16 writers posting screens and corrections while 4 readers read: the rows equal a rebuild, and every screen is counted', async () => {
    const patients = await Promise.all(Array.from({ length: 8 }, (_, i) => admit(admin, `Race${i}`, '2026-01-05')));
    const days = ['2026-01-06', '2026-01-13', '2026-01-20', '2026-01-27', '2026-02-03', '2026-02-10'];
    const writes = patients.flatMap((p, i) => days.map((day, j) => ({ patientId: p.patientId, day, result: (i + j) % 3 === 0 ? ('positive' as const) : ('negative' as const) })));
    let reading = true;
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) await screensRead();
    });
    const queue = [...writes];
    const writers = Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let next = queue.pop(); next; next = queue.pop()) {
          const id = await screen(next.patientId, next.day, next.result);
          if (next.result === 'positive') {
            const fix = await admin.post(`/api/v1/specimens/${id}/corrections`, { results: [{ analyte: 'fentanyl', result: 'negative' }], reason: 'laboratory confirmation negative' });
            expect(fix.statusCode, fix.body).toBe(200);
          }
        }
      }),
    ).finally(() => (reading = false));
    await Promise.all([writers, ...readers]);
    const after = await screensRead();
    const total = (
      await w.database.query<{ n: number }>(
        "select count(*)::int as n from screens s join episodes e on e.program_id = s.program_id and e.patient_id = s.patient_id where e.admitted_on >= '2026-01-01'",
      )
    )[0]!.n;
    expect(after.screens.total).toBe(total);
    const kept = await rolledUp();
    expect(await rebuilt()).toEqual(kept);
  }, 120_000);
});
