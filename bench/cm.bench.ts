// CM engine benchmarks (npm run bench -- cm). Each figure comes with a baseline
// measured in the same run, and the ratio between them, because the machines
// are shared and absolute times drift.
//   (a) replay throughput in events/s on a realistic generated stream, against a
//       loop that only reads the same events. Goal: ≥ 1,000,000 events/s.
//   (b) forecast of 100,000 patients × 24 weeks, against a loop of the same
//       length that only calls the PRNG. Goal: < 2 s.
//   (c) settlement (CM-SPEC §5.1) of a 24-week enrolment recorded as 200 shuffled
//       postings (cups, corrections, adjudications), per posting, against replaying
//       the same history alone after each posting.
import { parseEvents, type EventsDoc } from '../core/cm/events.ts';
import { parseProtocol, type Protocol } from '../core/cm/protocol.ts';
import { replay, replayRows } from '../core/cm/replay.ts';
import { settleLedger } from '../core/cm/settlement.ts';
import type { LedgerEntry } from '../core/cm/ledger.ts';
import { forecast, Sfc32 } from '../core/cm/forecast.ts';
import { getPreset, presetSchedule } from '../core/cm/presets.ts';

const REPLAY_GOAL = 1_000_000;
const FORECAST_GOAL_MS = 2000;

/** A clinic protocol with every kind of cents/privilege track (draws are benchmarked separately: each is an HMAC). */
const CLINIC: unknown = {
  id: 'bench-clinic',
  version: 1,
  name: 'Bench: stimulant vouchers + attendance + adherence + take-homes',
  citation: 'benchmark',
  weeks: 24,
  caps: { fundingSource: 'samhsa', perYearCents: 75_000, perMonthCents: 30_000 },
  tracks: [
    {
      id: 'stim',
      target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
      payout: 'cents',
      phases: [
        { fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000, recoverAfter: 5 } },
        { fromWeek: 13, toWeek: 24, escalation: { start: 1000, step: 100, max: 2100 } },
      ],
      bonusTargets: [{ target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] }, extra: 100 }],
    },
    {
      id: 'attend',
      target: { kind: 'attendance' },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 300, step: 100, max: 1000, bonusEvery: 4, bonus: 500 } }],
      missed: 'failure',
    },
    { id: 'dose', target: { kind: 'adherence', source: 'dose' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 50, step: 25, max: 200, bonusEvery: 7, bonus: 300 } }] },
    {
      id: 'take-home',
      target: { kind: 'negative', analytes: ['opiates', 'fentanyl', 'cocaine', 'amphetamine'] },
      payout: 'privilege',
      levels: ['daily clinic dosing', '1 take-home/week', '2 take-homes/week'],
      phases: [{ fromWeek: 1, toWeek: 24, escalation: { stepEvery: 4 } }],
    },
  ],
};

function mustProtocol(json: unknown): Protocol {
  const r = parseProtocol(json);
  if (!r.ok) throw new Error(`bench protocol invalid: ${JSON.stringify(r.problems)}`);
  return r.protocol;
}

/** One enrolment's events: 24 weeks, specimens Mon/Wed/Fri, two sessions, daily doses; positives, missed, invalid, corrections, adjudications. */
function enrolmentEvents(n: number, rng: Sfc32): unknown {
  const start = Date.UTC(2026, 0, 5) + (n % 28) * 86_400_000;
  const iso = (day: number, h: number, m = 0): string => new Date(start + day * 86_400_000 + h * 3_600_000 + m * 60_000).toISOString();
  const events: Record<string, unknown>[] = [];
  const pUse = 0.15 + 0.5 * rng.next();
  const specimens: string[] = [];
  let k = 0;
  for (let w = 0; w < 24; w++) {
    for (const d of [0, 2, 4]) {
      const id = `s${++k}`;
      const r = rng.next();
      if (r < 0.07) {
        events.push({ id, at: iso(w * 7 + d, 9), kind: 'missed', of: 'specimen' });
        continue;
      }
      const results: Record<string, string> = {
        cocaine: rng.next() < pUse ? 'positive' : 'negative',
        amphetamine: rng.next() < pUse / 3 ? 'positive' : 'negative',
        opiates: rng.next() < pUse / 2 ? 'positive' : 'negative',
        fentanyl: rng.next() < pUse / 2 ? 'positive' : 'negative',
        buprenorphine: 'positive',
      };
      events.push({ id, at: iso(w * 7 + d, 9, Math.floor(rng.next() * 50)), kind: 'specimen', results, valid: rng.next() > 0.02 });
      specimens.push(id);
    }
    for (const d of [1, 3]) {
      if (rng.next() < 0.1) events.push({ id: `a${++k}`, at: iso(w * 7 + d, 14), kind: 'missed', of: 'attendance' });
      else events.push({ id: `a${++k}`, at: iso(w * 7 + d, 14), kind: 'attendance', attended: rng.next() > 0.05 });
    }
    for (let d = 0; d < 7; d++) {
      if (rng.next() < 0.05) events.push({ id: `d${++k}`, at: iso(w * 7 + d, 8), kind: 'missed', of: 'dose' });
      else events.push({ id: `d${++k}`, at: iso(w * 7 + d, 8), kind: 'dose', taken: rng.next() > 0.08 });
    }
  }
  // a few laboratory corrections and carry-over adjudications
  for (let i = 0; i < specimens.length; i += 17) {
    events.push({ id: `c${++k}`, at: iso(24 * 7 + 1, 10), kind: 'correction', supersedes: specimens[i], results: { cocaine: rng.next() < 0.5 ? 'negative' : 'positive' } });
  }
  for (let i = 5; i < specimens.length; i += 23) {
    events.push({ id: `j${++k}`, at: iso(24 * 7 + 2, 10), kind: 'adjudication', of: specimens[i], decision: rng.next() < 0.7 ? 'carry-over' : 'new-use' });
  }
  return { enrolment: { id: `bench-${n}`, start: new Date(start).toISOString().slice(0, 10), prescribed: ['buprenorphine'] }, events };
}

function bestOf<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    const ms = performance.now() - t;
    if (ms < best) best = ms;
  }
  return { ms: best, value };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function benchReplay(): void {
  const rng = new Sfc32('bench-replay');
  const ENROLMENTS = 150;
  const raws = Array.from({ length: ENROLMENTS }, (_, i) => enrolmentEvents(i, rng));
  const docs: EventsDoc[] = raws.map((raw) => {
    const r = parseEvents(raw);
    if (!r.ok) throw new Error(`bench events invalid: ${JSON.stringify(r.problems.slice(0, 3))}`);
    return r.doc;
  });
  let events = 0;
  for (const d of docs) events += d.events.length;
  const clinic = mustProtocol(CLINIC);

  // baseline: read every event's fields the replay reads
  const baseline = (): number => {
    let acc = 0;
    for (const d of docs) {
      for (const e of d.events) {
        acc += e.t + e.day + (e.flag === true ? 1 : 0) + (e.finalValid ? 1 : 0) + e.kind.length + (e.finalResults ? 1 : 0);
      }
    }
    return acc;
  };
  const replayAll = (p: Protocol): number => {
    let rows = 0;
    for (const d of docs) rows += replay(p, d).opportunities.length;
    return rows;
  };
  const parseAndReplay = (): number => {
    let rows = 0;
    for (const raw of raws) {
      const r = parseEvents(raw);
      if (r.ok) rows += replay(clinic, r.doc).opportunities.length;
    }
    return rows;
  };
  baseline();
  replayAll(clinic);
  const b = bestOf(7, baseline);
  const r = bestOf(5, () => replayAll(clinic));
  const pr = bestOf(3, parseAndReplay);
  const rate = events / (r.ms / 1000);
  console.log(
    `replay stream: ${ENROLMENTS} enrolments × 24 weeks, ${fmt(events)} events (specimens incl. positives/invalid/missed, attendance, doses, corrections, adjudications), ${fmt(r.value)} rows, 4 tracks (3 cents + take-home privilege), caps on`,
  );
  console.log(`replay:            ${r.ms.toFixed(1)} ms → ${fmt(rate)} events/s  (goal ≥ ${fmt(REPLAY_GOAL)}: ${rate >= REPLAY_GOAL ? 'MET' : 'NOT MET'})`);
  console.log(`baseline (read):   ${b.ms.toFixed(2)} ms → ${fmt(events / (b.ms / 1000))} events/s`);
  console.log(`ratio replay / baseline: ${(r.ms / b.ms).toFixed(1)}× the time of only reading the events`);
  console.log(`parse + replay:    ${pr.ms.toFixed(1)} ms → ${fmt(events / (pr.ms / 1000))} events/s (what \`cm replay\` does per file)`);

  // draws: every draw is one HMAC-SHA256 (auditable randomness), so a prize protocol is slower per event
  const ctn = getPreset('ctn-0007')!;
  const specimenDocs = docs.slice(0, 40);
  let specEvents = 0;
  for (const d of specimenDocs) specEvents += d.events.length;
  const dr = bestOf(3, () => {
    let draws = 0;
    for (const d of specimenDocs) draws += replay(ctn, d).totals.draws;
    return draws;
  });
  console.log(
    `replay, CTN-0007 prize bowl (${fmt(dr.value)} HMAC draws over ${fmt(specEvents)} events): ${dr.ms.toFixed(1)} ms → ${fmt(specEvents / (dr.ms / 1000))} events/s, ${fmt(dr.value / (dr.ms / 1000))} draws/s`,
  );
}

function benchForecast(): void {
  const PATIENTS = 100_000;
  const WEEKS = 24;
  const cases: Array<{ label: string; protocol: Protocol; schedule: Record<string, number | readonly number[]> }> = [
    { label: 'stimulant-24wk-medicaid preset (36 tests, cap on)', protocol: getPreset('stimulant-24wk-medicaid')!, schedule: { ...presetSchedule('stimulant-24wk-medicaid')! } },
    {
      label: 'clinic: stimulant 3/wk + attendance 2/wk + doses 7/wk (cents, caps on)',
      protocol: mustProtocol(CLINIC),
      schedule: { stim: 3, attend: 2, dose: 7, 'take-home': 3 },
    },
    {
      label: 'prize bowl: CTN-0007 escalation over 24 weeks, 2 tests/wk',
      protocol: mustProtocol({
        ...JSON.parse(JSON.stringify(getPreset('ctn-0007'))),
        weeks: 24,
        tracks: [{ ...JSON.parse(JSON.stringify(getPreset('ctn-0007')!.tracks[0])), phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 1, step: 1, stepEvery: 2, max: 12 } }] }],
      }),
      schedule: { 'stimulant-abstinence': 2 },
    },
  ];
  for (const c of cases) {
    const input = {
      protocol: c.protocol,
      schedule: c.schedule,
      patients: PATIENTS,
      weeks: WEEKS,
      success: [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7],
      attendance: 0.85,
      bonusSuccess: 0.7,
      seed: 2026,
      iterations: 1,
    };
    forecast({ ...input, patients: 5000 }); // warm-up
    const f = bestOf(2, () => forecast(input));
    const opps = f.value.analytic.tracks.filter((t) => t.payout !== 'privilege').reduce((s, t) => s + t.opportunities, 0);
    const loops = PATIENTS * opps;
    // baseline: the same number of loop iterations doing only a PRNG call
    const base = bestOf(3, () => {
      const rng = new Sfc32(2026);
      let acc = 0;
      for (let p = 0; p < PATIENTS; p++) for (let i = 0; i < opps; i++) acc += rng.next();
      return acc;
    });
    console.log(`forecast ${fmt(PATIENTS)} patients × ${WEEKS} weeks — ${c.label}: ${fmt(loops)} opportunities`);
    console.log(
      `  forecast:          ${(f.ms / 1000).toFixed(3)} s  (goal < ${FORECAST_GOAL_MS / 1000} s: ${f.ms < FORECAST_GOAL_MS ? 'MET' : 'NOT MET'}); mean $${(f.value.perPatient.meanCents / 100).toFixed(2)}/patient, P90 $${(f.value.perPatient.p90Cents / 100).toFixed(2)}, ${f.value.meanDraws.toFixed(1)} draws`,
    );
    console.log(`  baseline (PRNG):   ${(base.ms / 1000).toFixed(3)} s for the same ${fmt(loops)} loop iterations`);
    console.log(`  ratio forecast / baseline: ${(f.ms / base.ms).toFixed(1)}×`);
  }
}

/** 200 postings of one 24-week enrolment in a shuffled order (a correction or adjudication after its specimen). */
function shuffledPostings(rng: Sfc32): { enrolment: unknown; postings: unknown[] } {
  const raw = enrolmentEvents(7, rng) as { enrolment: unknown; events: Array<Record<string, unknown>> };
  const specimens = raw.events.filter((e) => e.kind === 'specimen' || (e.kind === 'missed' && e.of === 'specimen'));
  const cups = specimens.filter((e) => e.kind === 'specimen');
  const later: Array<Record<string, unknown>> = [];
  // alternating laboratory corrections of some cups, and adjudications
  for (let i = 0; later.length < 200 - specimens.length; i++) {
    const cup = cups[(i * 7) % cups.length]!;
    later.push({
      id: `x${i}`,
      at: new Date(Date.parse(String(cup.at)) + (i + 1) * 60_000).toISOString(),
      kind: 'correction',
      supersedes: cup.id,
      results: { cocaine: i % 2 === 0 ? 'positive' : 'negative' },
    });
  }
  const first = [...specimens];
  for (let i = first.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [first[i], first[j]] = [first[j]!, first[i]!];
  }
  return { enrolment: raw.enrolment, postings: [...first, ...later] };
}

function benchSettle(): void {
  const rng = new Sfc32('bench-settle');
  const { enrolment, postings } = shuffledPostings(rng);
  const protocol = mustProtocol({
    ...(CLINIC as Record<string, unknown>),
    bowl: getPreset('ctn-0007')!.bowl,
    tracks: [
      (CLINIC as { tracks: unknown[] }).tracks[0],
      { id: 'draws', target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 24, escalation: { start: 1, step: 1, max: 4 } }] },
    ],
  });
  const docs: EventsDoc[] = [];
  for (let i = 1; i <= postings.length; i++) {
    const r = parseEvents({ enrolment, events: postings.slice(0, i) });
    if (!r.ok) throw new Error(`bench postings invalid: ${JSON.stringify(r.problems.slice(0, 3))}`);
    docs.push(r.doc);
  }
  const replayOnly = (): number => {
    let rows = 0;
    for (const d of docs) rows += replayRows(protocol, d).rows.length;
    return rows;
  };
  const settleAll = (): number => {
    const ledger: LedgerEntry[] = [];
    for (const d of docs) ledger.push(...settleLedger(ledger, replayRows(protocol, d)).entries);
    return ledger.length;
  };
  replayOnly();
  settleAll();
  const base = bestOf(5, replayOnly);
  const s = bestOf(5, settleAll);
  const n = postings.length;
  console.log(`settlement: one 24-week enrolment, ${n} postings in shuffled order (cups, missed, alternating corrections), cents + draws tracks, caps on; ${fmt(s.value)} ledger entries`);
  console.log(`  replay alone after each posting:   ${((base.ms * 1000) / n).toFixed(0)} µs per posting`);
  console.log(`  replay + settle after each posting: ${((s.ms * 1000) / n).toFixed(0)} µs per posting`);
  console.log(`  ratio settle / replay alone: ${(s.ms / base.ms).toFixed(2)}×`);
}

export default async function (): Promise<void> {
  benchReplay();
  benchSettle();
  benchForecast();
}
