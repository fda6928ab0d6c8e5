// The meeting search rule (core/meetings/search.ts) over 50,000 meetings: nearest 20 within
// 10 miles with filters (weekday set, language, mode, MOUD-friendly first) against the same
// nearest-20 query without filters, in the same run; p95 of each, ratio per round. Pure CPU,
// the rule only: in the server the SQL prefilter (bounding box, weekdays) hands the rule far
// fewer rows than this. Interleaved rounds (as meeting-codes.bench.ts).
import { search, type Searchable, type SearchQuery } from '../core/meetings/search.ts';
import { ATTENDANCE_MODES, FRIENDLINESS } from '../core/meetings/model.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 50_000;
const QUERIES = 40;
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];

function rng(seed: number) {
  return () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

export default async function bench() {
  const r = rng(42);
  const meetings: Searchable[] = Array.from({ length: N }, () => ({
    weekday: Math.floor(r() * 7),
    startTime: `${String(Math.floor(r() * 24)).padStart(2, '0')}:${r() < 0.5 ? '00' : '30'}`,
    endTime: null,
    timeZone: ZONES[Math.floor(r() * ZONES.length)]!,
    mode: ATTENDANCE_MODES[Math.floor(r() * 3)]!,
    latitude: 40.5 + r() * 0.6,
    longitude: -74.3 + r() * 0.8,
    fellowship: 'na',
    languages: r() < 0.2 ? ['es'] : ['en'],
    friendliness: FRIENDLINESS[Math.floor(r() * 4)]!,
  }));
  const now = new Date('2026-03-04T15:00:00Z');
  const centre = (i: number) => ({ latitude: 40.6 + (i % 10) * 0.04, longitude: -74.1 + (i % 7) * 0.08, radiusKm: 16.09 });
  const plain = (i: number): SearchQuery => ({ near: centre(i), limit: 20 });
  const filtered = (i: number): SearchQuery => ({ near: centre(i), weekdays: [2, 3, 4], languages: ['es'], modes: ['in-person', 'hybrid'], friendlyFirst: true, limit: 20 });
  const run = (q: (i: number) => SearchQuery) => {
    const ms: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      search(meetings, q(i), now);
      ms.push(performance.now() - t0);
    }
    return p95(ms);
  };
  run(plain); // warm
  const ratios: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    let a: number;
    let b: number;
    if (k % 2 === 0) {
      a = run(plain);
      b = run(filtered);
    } else {
      b = run(filtered);
      a = run(plain);
    }
    ratios.push(b / a);
    console.log(`round ${k + 1}  nearest-20 p95 ${a.toFixed(1)} ms  with filters p95 ${b.toFixed(1)} ms  ratio ${(b / a).toFixed(2)}`);
  }
  const med = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
  console.log(`meetings-search: filtered / unfiltered p95 ratio (median of ${ROUNDS}) ${med.toFixed(2)} over ${N} meetings`);
}
