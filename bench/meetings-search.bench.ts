// The meeting directory's search as the route runs it (server/modules/meetings/directory.ts
// searchMeetings, in one transaction: the SQL prefilter — programme, active, a bounding box,
// weekdays, mode, language — the latest friendliness record of each candidate, the rule of
// core/meetings/search.ts and the audit row) on PostgreSQL over 50,000 meetings, against a
// plain SELECT of the rows its prefilter reads (the same indexed WHERE, through the same pool),
// in the same run. Nearest 20 within 10 miles with filters (Tuesday to Thursday, Spanish, in
// person or hybrid, welcoming first) and without (the comparison). Each query runs all
// four in turn (the order rotates by round); p95 of QUERIES queries per scenario and round,
// then the medians of the rounds' ratios. The meetings are spread over about 220 × 210 km
// around New York (about 1 a km², so a 10-mile circle holds about 800: a large metro area).
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { benchProgram, median } from './bench-program.ts';
import { inTransaction } from '../server/platform/db/database.ts';
import { systemCtx } from '../server/platform/http/context.ts';
import { prefilter, ruleQuery, searchMeetings } from '../server/modules/meetings/directory.ts';
import { meetings } from '../server/modules/meetings/meetings.tables.ts';
import { MeetingSearchQuery } from '../contracts/meetings.ts';

const NAME = `wp_bench_meetings_search_${randomUUID().slice(0, 8)}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 50_000;
const QUERIES = 40;
const NOW = new Date('2026-03-04T15:00:00Z');

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

export default function bench() {
  return withScratchDatabase(NAME, 2, async (d) => {
    const { orgId, programId } = await benchProgram(d.db, 'Bench meetings', NOW);
    const t0 = performance.now();
    // set-based: meeting g gets pseudo-random but fixed values from g; online meetings have no place
    await d.query(
      `insert into meetings (program_id, id, fellowship, name, weekday, start_time, time_zone, mode, address, latitude, longitude, conference_url, languages, types, active, created_at, updated_at)
       select $1, gen_random_uuid(), (array['na', 'aa', 'ma', 'smart', 'mars'])[1 + g % 5], 'Meeting ' || g, g % 7,
              lpad((6 + (g * 7) % 16)::text, 2, '0') || case when g % 2 = 0 then ':00' else ':30' end,
              case when g % 10 = 0 then 'America/Chicago' else 'America/New_York' end, m.mode,
              case when m.mode = 'online' then null else g || ' Main St' end,
              case when m.mode = 'online' then null else 40.0 + ((g::bigint * 2654435761) % 1000003) / 1000003.0 * 2.0 end,
              case when m.mode = 'online' then null else -75.5 + ((g::bigint * 40503) % 999983) / 999983.0 * 2.5 end,
              case when m.mode = 'in-person' then null else 'https://meet.example/' || g end,
              case when g % 5 = 0 then array['es'] else array['en'] end, array['O'], true, $2, $2
         from generate_series(0, ${N - 1}) g
        cross join lateral (select (array['in-person', 'in-person', 'hybrid', 'online'])[1 + (g / 7) % 4] as mode) m`,
      [programId, NOW],
    );
    // a quarter of the meetings have a friendliness record, one in five of those a second, older one
    await d.query(
      `insert into meeting_friendliness (program_id, id, meeting_id, friendliness, evidence, recorded_at)
       select program_id, gen_random_uuid(), id, (array['welcoming', 'mixed', 'restrictive'])[1 + n % 3], 'staff-visit', $2::timestamptz - (n % 300) * interval '1 day'
         from (select program_id, id, row_number() over (order by id) as n from meetings where program_id = $1) x where n % 4 = 0
       union all
       select program_id, gen_random_uuid(), id, 'unknown', 'stated-policy', $2::timestamptz - interval '400 days'
         from (select program_id, id, row_number() over (order by id) as n from meetings where program_id = $1) x where n % 20 = 0`,
      [programId, NOW],
    );
    await d.query('analyze');
    console.log(`loaded ${N} meetings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const ctx = systemCtx({ orgId, programId, now: NOW });
    const centre = (i: number) => ({ latitude: 40.3 + (i % 10) * 0.14, longitude: -75.2 + (i % 7) * 0.33 });
    const plain = (i: number) => MeetingSearchQuery.parse({ ...centre(i), radius: 10, limit: 20 });
    const filtered = (i: number) => MeetingSearchQuery.parse({ ...centre(i), radius: 10, limit: 20, weekdays: '2,3,4', language: 'es', mode: 'in-person,hybrid', friendlyFirst: 'true' });
    type Q = ReturnType<typeof plain>;
    const select = (q: Q) =>
      d.db
        .select()
        .from(meetings)
        .where(prefilter(programId, ruleQuery(q, NOW, 'UTC').rule));
    const search = (q: Q) => inTransaction(d.db, (tx) => searchMeetings({ tx, ctx }, q));
    const timed = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    const scenarios = [
      { name: 'select (filters)', run: (i: number) => select(filtered(i)) },
      { name: 'search (filters)', run: (i: number) => search(filtered(i)) },
      { name: 'select (no filters)', run: (i: number) => select(plain(i)) },
      { name: 'search (no filters)', run: (i: number) => search(plain(i)) },
    ];
    const rows = { filtered: 0, plain: 0, hits: 0 };
    for (let i = 0; i < QUERIES; i++) {
      rows.filtered += (await select(filtered(i))).length;
      rows.plain += (await select(plain(i))).length;
      rows.hits += (await search(filtered(i))).items.length;
      await search(plain(i)); // warm
    }
    console.log(
      `rows the prefilter reads per query: ${(rows.filtered / QUERIES).toFixed(0)} with filters, ${(rows.plain / QUERIES).toFixed(0)} without; ${(rows.hits / QUERIES).toFixed(1)} results with filters`,
    );

    const ratios = { filtered: [] as number[], plain: [] as number[], filteredVsPlain: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const ms = scenarios.map(() => [] as number[]);
      for (let i = 0; i < QUERIES; i++)
        for (let k = 0; k < scenarios.length; k++) {
          const s = (k + round) % scenarios.length;
          ms[s]!.push(await timed(() => scenarios[s]!.run(i)));
        }
      const [selF, searchF, selP, searchP] = ms.map(p95) as [number, number, number, number];
      ratios.filtered.push(searchF / selF);
      ratios.plain.push(searchP / selP);
      ratios.filteredVsPlain.push(searchF / searchP);
      console.log(
        `round ${round + 1}  p95: select ${selF.toFixed(1)} ms, search ${searchF.toFixed(1)} ms (${(searchF / selF).toFixed(2)}×) with filters;` +
          ` select ${selP.toFixed(1)} ms, search ${searchP.toFixed(1)} ms (${(searchP / selP).toFixed(2)}×) without; filters / none ${(searchF / searchP).toFixed(2)}`,
      );
    }
    console.log(
      `meetings-search (PostgreSQL, ${N} meetings, nearest 20 within 10 miles, median of ${ROUNDS} rounds of p95): ` +
        `search / its SELECT ${median(ratios.filtered).toFixed(2)}× with filters, ${median(ratios.plain).toFixed(2)}× without; ` +
        `with filters / without ${median(ratios.filteredVsPlain).toFixed(2)}`,
    );
  });
}
