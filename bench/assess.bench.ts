// Instrument scoring throughput and recommendation latency, each against JSON.parse of the
// same inputs measured in the same run (the machine is shared; ratios are what to read).
import { scoreInstrument, type InstrumentId } from '../core/instruments/index.ts';
import { parseContext, recommend, type PatientContext } from '../core/planning/index.ts';

const nums = (n: number, v: (i: number) => number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), v(i)]));
const BAM = {
  ...nums(6, (i) => i % 5),
  '7A': 0,
  '7B': 1,
  '7C': 0,
  '7D': 0,
  '7E': 2,
  '7F': 0,
  '7G': 0,
  ...Object.fromEntries(['8', '9', '10', '11', '12', '13', '15', '16', '17'].map((k, i) => [k, i % 5])),
  '14': 4,
};
const MIX: Array<[InstrumentId, unknown]> = [
  ['urica', { answers: nums(32, (i) => 1 + (i % 5)) }],
  ['socrates-8d', { answers: nums(19, (i) => 1 + ((i * 3) % 5)) }],
  ['readiness-ruler', { answers: nums(3, (i) => 4 + i), targetBehavior: 'start buprenorphine' }],
  ['phq-9', { answers: nums(9, (i) => i % 4) }],
  ['gad-7', { answers: nums(7, (i) => (i + 1) % 4) }],
  ['bam', { answers: BAM }],
  ['opioid-craving', { answers: nums(3, (i) => 3 + i) }],
];
const CONTEXTS: PatientContext[] = [
  {},
  { stage: 'contemplation', moud: 'none', substances: ['opioids'], cmAvailable: true },
  { stage: 'action', moud: 'buprenorphine', mutualHelp: { attends: ['NA'], stigmaReported: true }, needs: ['housing'] },
  { stage: 'maintenance', moud: 'methadone', phq9: 14, phq9Item9: 1, gad7: 12, family: { involved: true, partner: true } },
  { moud: 'none', substances: ['opioids', 'stimulants'], recentOverdose: true, prefersNonMedication: true, prefersSecular: true },
];

const now = () => process.hrtime.bigint();
const micros = (ns: bigint) => Number(ns) / 1000;
let sink = 0;

function throughput(label: string, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i); // warm-up
  const t0 = now();
  for (let i = 0; i < n; i++) fn(i);
  const seconds = Number(now() - t0) / 1e9;
  const perSec = n / seconds;
  console.log(`  ${label}: ${Math.round(perSec).toLocaleString('en-US')} /s`);
  return perSec;
}

function latencies(n: number, fn: (i: number) => void): { p50: number; p99: number } {
  for (let i = 0; i < 1000; i++) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    fn(i);
    samples.push(micros(now() - t0));
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(n * 0.5)] ?? NaN, p99: samples[Math.floor(n * 0.99)] ?? NaN };
}

export default async function (): Promise<void> {
  const texts = MIX.map(([, input]) => JSON.stringify(input));
  const N = 200_000;
  console.log('scoring throughput (mix of 7 instruments, responses/s):');
  const base = throughput('baseline JSON.parse of the same responses', N, (i) => {
    sink += (JSON.parse(texts[i % texts.length] as string) as object) ? 1 : 0;
  });
  const score = throughput('scoreInstrument', N, (i) => {
    const [id, input] = MIX[i % MIX.length] as [InstrumentId, unknown];
    sink += scoreInstrument(id, input).missing.length;
  });
  const parseAndScore = throughput('JSON.parse + scoreInstrument', N, (i) => {
    const [id] = MIX[i % MIX.length] as [InstrumentId, unknown];
    sink += scoreInstrument(id, JSON.parse(texts[i % texts.length] as string)).missing.length;
  });
  console.log(`  ratio scoring / JSON.parse: ${(base / score).toFixed(2)}x the time per response; with parse: ${(base / parseAndScore).toFixed(2)}x`);

  const ctxTexts = CONTEXTS.map((c) => JSON.stringify(c));
  const M = 50_000;
  console.log('recommendation latency (5 contexts, µs):');
  const b = latencies(M, (i) => {
    sink += (JSON.parse(ctxTexts[i % ctxTexts.length] as string) as object) ? 1 : 0;
  });
  const r = latencies(M, (i) => {
    sink += recommend(CONTEXTS[i % CONTEXTS.length]).recommendations.length;
  });
  const pr = latencies(M, (i) => {
    sink += recommend(parseContext(JSON.parse(ctxTexts[i % ctxTexts.length] as string))).recommendations.length;
  });
  const f = (x: number) => x.toFixed(2);
  console.log(`  baseline JSON.parse:            p50 ${f(b.p50)} µs  p99 ${f(b.p99)} µs`);
  console.log(`  recommend:                      p50 ${f(r.p50)} µs  p99 ${f(r.p99)} µs`);
  console.log(`  parse + zod validate + recommend: p50 ${f(pr.p50)} µs  p99 ${f(pr.p99)} µs`);
  console.log(
    `  ratio recommend / JSON.parse: p50 ${(r.p50 / b.p50).toFixed(1)}x  p99 ${(r.p99 / b.p99).toFixed(1)}x; with validation p50 ${(pr.p50 / b.p50).toFixed(1)}x  p99 ${(pr.p99 / b.p99).toFixed(1)}x`,
  );
  if (sink === -1) console.log(sink);
}
