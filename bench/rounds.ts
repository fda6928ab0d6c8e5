// What the HTTP benchmarks against the bare INSERT route share: a load of N concurrent clients
// for a while (latencies and throughput), interleaved rounds of the baseline and the scenario
// (which goes first alternates, so drift hits both), and the report: each round's figures and
// ratio, then the medians.
export type Stats = { n: number; rps: number; p50: number; p99: number };

function stats(lat: number[], ms: number): Stats {
  const s = [...lat].sort((a, b) => a - b);
  const p = (x: number) => s[Math.min(s.length - 1, Math.floor(x * s.length))] ?? 0;
  return { n: s.length, rps: (s.length * 1000) / ms, p50: p(0.5), p99: p(0.99) };
}

/** `clients` loops calling `one(client)` until `ms` have passed. */
export async function load(clients: number, ms: number, one: (client: number) => Promise<void>): Promise<Stats> {
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() - t0 <= ms) {
        const s = performance.now();
        await one(c);
        lat.push(performance.now() - s);
      }
    }),
  );
  return stats(lat, performance.now() - t0);
}

export type Round = { bare: Stats; rec: Stats };

/** `rounds` rounds of the baseline and the scenario, the baseline first in even rounds; `before` runs ahead of each round. */
export async function interleaved(rounds: number, bare: () => Promise<Stats>, rec: () => Promise<Stats>, before?: (round: number) => void): Promise<Round[]> {
  const out: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    before?.(round);
    if (round % 2 === 0) {
      const b = await bare();
      out.push({ bare: b, rec: await rec() });
    } else {
      const r = await rec();
      out.push({ rec: r, bare: await bare() });
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const fmt = (s: Stats) => `${String(s.n).padStart(5)} requests  ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms`;

/** Prints each round and the medians; `name` is the scenario ("check-in"), `label` its line label. Returns the median ratio. */
export function report(rounds: Round[], name: string, label: string): number {
  const width = Math.max(label.length, 'bare single-INSERT route'.length);
  rounds.forEach((r, i) => {
    console.log(`round ${i + 1}  ${'bare single-INSERT route'.padEnd(width)}  ${fmt(r.bare)}`);
    console.log(`round ${i + 1}  ${label.padEnd(width)}  ${fmt(r.rec)}   ratio ${(r.rec.rps / r.bare.rps).toFixed(2)}`);
  });
  const ratios = rounds.map((r) => r.rec.rps / r.bare.rps).sort((x, y) => x - y);
  console.log(`medians: bare ${median(rounds.map((r) => r.bare.rps)).toFixed(0)} req/s, ${name} ${median(rounds.map((r) => r.rec.rps)).toFixed(0)} req/s`);
  console.log(`${name}/bare: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  return median(ratios);
}
