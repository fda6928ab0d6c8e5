// Settlement in the clinic (CM-SPEC §5.1, §8): what the server posts is core's settlement
// of the same recordings in the order the server serialised them.
// - On PostgreSQL only: a month of cups and alternating corrections of some of them,
//   shuffled and posted by 16 concurrent clients; the ledger then equals `settlePostings`
//   over the enrolment's events in their `position` order (one posting per event), so
//   concurrency never pays more (or less) than a serial replay, and the draws are 1…N.
// - On both databases: random sequences of cups, corrections, adjudications and voids;
//   after every step the balance in SQL (patientBalances) and in the ledger read equals
//   core's balanceCents over the stored entries, and each track's paid and forgiven in
//   the enrolment's state equal what its ledger rows say.
// Every date is before the test clock (2026-03-02T15:00Z): cups are never in the future.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asc, eq } from 'drizzle-orm';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { onPostgres } from '../support/db.ts';
import { settlePostings, type SettleOutput, type TrackSettlement } from '../../core/cm/settlement.ts';
import { balanceCents, type LedgerEntry } from '../../core/cm/ledger.ts';
import { parseProtocol } from '../../core/cm/protocol.ts';
import { seedFromHex } from '../../core/cm/draws.ts';
import { cmEnrolments, cmEvents, cmLedgerEntries, cmProtocols, cmSeeds } from '../../server/modules/cm/cm.tables.ts';
import { patientBalances, toEngine, type EnrolmentState } from '../../server/modules/cm/settle.ts';
import { programs } from '../../server/modules/programs/programs.tables.ts';
import { BOWL, enrolled, ledgerBalanceWithUnshown, specimen, type Recorded } from './support.ts';
import { inTransaction } from '../../server/platform/db/database.ts';

let w: World;
let coord: Client;
let collector: Client;
beforeAll(async () => {
  w = await makeWorld({ poolSize: 24 });
  coord = await w.client('cm-coordinator');
  collector = await w.client('specimen-collector');
});
afterAll(async () => {
  await w?.close();
});

// ---------- fixtures ----------

const START = '2026-01-05'; // a Monday, eight weeks before the test clock

/** The first `n` Mon/Wed/Fri test days from START. */
function testDays(n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${START}T00:00:00Z`); out.length < n; d = new Date(d.getTime() + 86_400_000)) {
    if ([1, 3, 5].includes(d.getUTCDay())) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

let pseq = 0;
/**
 * A cents track (escalation with step and a bonus every 3rd success, so order matters) and a
 * draws track (1, 2, 3 … 3 draws, 2 more every 4th success); optionally a privilege track,
 * which makes every recording run under the enrolment locks (ADR 018).
 */
function settlementProtocol(opts: { privilege?: boolean; clawback?: boolean } = {}) {
  const phase = (escalation: Record<string, unknown>) => [{ fromWeek: 1, toWeek: 12, escalation }];
  return {
    id: `settlement-${++pseq}-${Date.now() % 100000}`,
    version: 1,
    name: 'Settlement test protocol (fictional)',
    citation: 'test',
    weeks: 12,
    bowl: BOWL,
    ...(opts.clawback ? { clawback: true } : {}),
    tracks: [
      { id: 'stim', target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] }, payout: 'cents', phases: phase({ start: 250, step: 125, bonusEvery: 3, bonus: 1000 }) },
      { id: 'opioid-draws', target: { kind: 'negative', analytes: ['fentanyl'] }, payout: 'draws', phases: phase({ start: 1, step: 1, max: 3, bonusEvery: 4, bonus: 2 }) },
      ...(opts.privilege
        ? [
            {
              id: 'take-home',
              target: { kind: 'negative', analytes: ['opiates', 'fentanyl'] },
              payout: 'privilege',
              levels: ['daily dosing', '1 take-home', '2 take-homes'],
              phases: phase({ stepEvery: 2 }),
            },
          ]
        : []),
    ],
  };
}

const cup = (cocaine: string, fentanyl: string) => [
  { analyte: 'cocaine', result: cocaine },
  { analyte: 'amphetamine', result: 'negative' },
  { analyte: 'fentanyl', result: fentanyl },
  { analyte: 'opiates', result: 'negative' },
];

/** A small seeded PRNG (mulberry32), so the concurrency test's month is the same every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------- reading what the server holds ----------

const db = () => w.database.db;

const ledgerRows = (patientId: string) => db().select().from(cmLedgerEntries).where(eq(cmLedgerEntries.patientId, patientId)).orderBy(asc(cmLedgerEntries.seq));

const enrolmentRow = async (enrolmentId: string) => (await db().select().from(cmEnrolments).where(eq(cmEnrolments.id, enrolmentId)))[0]!;

/** The ledger read's balance, with the prizes of draws not shown yet (which it leaves out) added back. */
const apiBalance = (patientId: string) => ledgerBalanceWithUnshown(w, coord, patientId);

/**
 * Per track, in the track's unit, straight from the entries (CM-SPEC §5.1): paid = earn, bonus
 * and adjustment credits less debits (a draws track: draws posted less draws taken back), a
 * voided entry still counting as settled; forgiven = the sum of the forgiven memos.
 */
function ledgerFigures(entries: readonly LedgerEntry[], payouts: ReadonlyMap<string, string>) {
  const out = new Map<string, { paid: number; forgiven: number }>([...payouts.keys()].map((t) => [t, { paid: 0, forgiven: 0 }]));
  for (const e of entries) {
    const f = e.track === null ? undefined : out.get(e.track);
    if (!f) continue;
    const draws = payouts.get(e.track!) === 'draws';
    if (e.kind === 'forgiven') f.forgiven += draws ? (e.draws ?? 0) : e.cents;
    else if (draws && e.kind === 'prize') f.paid += 1;
    else if (draws && e.kind === 'debit' && e.n !== null) f.paid -= 1;
    else if (!draws && (e.kind === 'earn' || e.kind === 'bonus' || e.kind === 'adjustment')) f.paid += e.cents;
    else if (!draws && e.kind === 'debit') f.paid -= e.cents;
  }
  return out;
}

const payoutsOf = (doc: ReturnType<typeof settlementProtocol>) => new Map(doc.tracks.filter((t) => t.payout !== 'privilege').map((t) => [t.id, t.payout]));

/** An entry as both sides can print it (the server's row or settlePostings' output). */
const entryKey = (e: { kind: string; track: string | null; event: string | null; cents: number; n?: number | null; tier?: string | null; draws?: number | null }) =>
  `${e.kind}|${e.track}|${e.event}|${e.cents}|${e.n ?? ''}|${e.kind === 'prize' ? e.tier : ''}|${e.draws ?? ''}`;

/**
 * core's settlement of the enrolment's events, one posting per event in the order the server
 * serialised them (`position`), with the programme's seed, the stored protocol and the
 * enrolment as settle.ts gives them to the engine.
 */
async function serialReplay(enrolmentId: string): Promise<SettleOutput> {
  const enr = await enrolmentRow(enrolmentId);
  const events = await db().select().from(cmEvents).where(eq(cmEvents.enrolmentId, enrolmentId)).orderBy(asc(cmEvents.position));
  const [proto] = await db().select({ document: cmProtocols.document }).from(cmProtocols).where(eq(cmProtocols.id, enr.protocolId));
  const [seed] = await db().select({ seedHex: cmSeeds.seedHex, retiredAt: cmSeeds.retiredAt }).from(cmSeeds).where(eq(cmSeeds.programId, enr.programId));
  const [program] = await db().select({ tz: programs.timeZone }).from(programs).where(eq(programs.id, enr.programId));
  expect(seed?.retiredAt ?? null).toBeNull();
  expect(enr.caps).toBeNull(); // no funding source: the protocol as stored is the one in force
  const parsed = parseProtocol(proto!.document);
  if (!parsed.ok) throw new Error(`stored protocol: ${JSON.stringify(parsed.problems)}`);
  const postings = events.map((e) => [{ id: e.id, at: e.at.toISOString(), kind: e.kind, ...(e.engine as Record<string, unknown>) }]);
  const out = settlePostings(parsed.protocol, { enrolment: { id: enr.id, start: enr.startDate, timeZone: program!.tz }, postings }, seedFromHex(seed!.seedHex));
  if (!out.ok) throw new Error(`settlePostings: ${out.problems.join('; ')}`);
  return out.output;
}

/** The last figures of every track in a serial replay. */
const lastTracks = (out: SettleOutput): Record<string, TrackSettlement> => out.settlements.at(-1)?.tracks ?? {};

// ---------- 1. concurrent posting = a serial replay (PostgreSQL) ----------

type Task = { kind: 'cup'; day: string; results: ReturnType<typeof cup> } | { kind: 'correction'; day: string; analyte: 'cocaine' | 'fentanyl'; result: string };

describe.skipIf(!onPostgres()).each([
  ['under the enrolment locks', true],
  ['optimistically', false],
])('settlement under 16 concurrent clients (PostgreSQL, recording %s)', (_, privilege) => {
  it('a month of cups and alternating corrections, shuffled: the ledger is core settlePostings over the server’s serial order', async () => {
    const doc = settlementProtocol({ privilege });
    const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: doc, startDate: START });
    const rnd = prng(privilege ? 20260105 : 20260106);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const shuffle = <T>(xs: readonly T[]) =>
      xs
        .map((x) => ({ x, r: rnd() }))
        .sort((a, b) => a.r - b.r)
        .map((y) => y.x);

    // 20 test days, mixed; 7 of them corrected 2–4 times, alternating the result of one analyte
    const days = testDays(20);
    const original = new Map(days.map((d) => [d, { cocaine: rnd() < 0.3 ? 'positive' : 'negative', fentanyl: rnd() < 0.3 ? 'positive' : 'negative' }]));
    const tasks: Task[] = days.map((d) => ({ kind: 'cup', day: d, results: cup(original.get(d)!.cocaine, original.get(d)!.fentanyl) }));
    const corrected = shuffle(days).slice(0, 7);
    let fallCertain = false; // a cup corrected away from negative: a fall (a forgiven memo) in any order of its corrections
    for (const d of corrected) {
      const analyte = pick(['cocaine', 'fentanyl'] as const);
      let result = original.get(d)![analyte];
      if (result === 'negative') fallCertain = true;
      for (let k = 2 + Math.floor(rnd() * 3); k > 0; k--) {
        result = result === 'positive' ? 'negative' : 'positive';
        tasks.push({ kind: 'correction', day: d, analyte, result });
      }
    }
    expect(fallCertain).toBe(true);
    const queue = shuffle(tasks);

    // 16 workers pull from the shared queue; a correction whose cup is not recorded yet goes to the back
    const cupIds = new Map<string, string>();
    const failures: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const worker = async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        if (task.kind === 'correction' && !cupIds.has(task.day)) {
          queue.push(task);
          await new Promise((r) => setTimeout(r, 2));
          continue;
        }
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        const r =
          task.kind === 'cup'
            ? await collector.post('/api/v1/specimens', specimen(patientId, `${task.day}T14:00:00Z`, task.results))
            : await coord.post(`/api/v1/specimens/${cupIds.get(task.day)}/corrections`, {
                method: 'confirmatory',
                results: [{ analyte: task.analyte, result: task.result }],
                reason: 'laboratory confirmation (test)',
              });
        inFlight--;
        if (r.statusCode !== 200) failures.push(`${task.kind} ${task.day}: ${r.statusCode} ${r.body}`);
        else if (task.kind === 'cup') cupIds.set(task.day, (r.json() as Recorded).specimen.id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures).toEqual([]);
    expect(mostInFlight).toBeGreaterThan(1);

    // every recording got its position under the enrolment lock (or the optimistic path's guard): 0 … n−1, one each
    const events = await db().select({ position: cmEvents.position }).from(cmEvents).where(eq(cmEvents.enrolmentId, enrolmentId)).orderBy(asc(cmEvents.position));
    expect(events.map((e) => e.position)).toEqual(tasks.map((_, i) => i));

    const serial = await serialReplay(enrolmentId);
    const rows = await ledgerRows(patientId);
    const entries = rows.map(toEngine);
    const payouts = payoutsOf(doc);
    const figures = ledgerFigures(entries, payouts);
    const last = lastTracks(serial);

    // the balance the API shows is the serial replay's: concurrency never paid more (nor less)
    expect(await apiBalance(patientId)).toBe(serial.balanceCents);
    for (const [track] of payouts) expect({ track, ...figures.get(track)! }).toEqual({ track, paid: last[track]!.paid, forgiven: last[track]!.forgiven });
    // entry for entry: the same credits, memos and draws (with their numbers and tiers)
    expect(
      rows
        .filter((r) => r.kind !== 'void')
        .map((r) => entryKey(toEngine(r)))
        .sort(),
    ).toEqual(
      serial.settlements
        .flatMap((s) => s.entries)
        .map((e) => entryKey(e))
        .sort(),
    );
    // the enrolment's state holds the last settlement
    const state = (await enrolmentRow(enrolmentId)).state as EnrolmentState;
    for (const t of state.tracks) if (t.settlement) expect({ track: t.track, ...t.settlement }).toEqual({ track: t.track, ...last[t.track]! });
    // draws: numbers 1…N, each once, N = the draws track's paid
    const ns = rows
      .filter((r) => r.kind === 'prize')
      .map((r) => r.n!)
      .sort((a, b) => a - b);
    expect(ns).toEqual(ns.map((_, i) => i + 1));
    expect(ns.length).toBe(last['opioid-draws']!.paid);
    // and something happened worth checking: money and draws paid, and some forgiven by the corrections
    expect(last.stim!.paid).toBeGreaterThan(0);
    expect(ns.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.kind === 'forgiven')).toBe(true);
  }, 120_000);
});

// ---------- 2. random histories: SQL, the ledger read, core and the state agree after every step ----------

type Step =
  | { kind: 'cup'; day: number; cocaine: string; fentanyl: string; valid: boolean }
  | { kind: 'correction'; cup: number; analyte: 'cocaine' | 'fentanyl'; result: string; valid: boolean | undefined }
  | { kind: 'adjudication'; cup: number; decision: 'carry-over' | 'new-use' }
  | { kind: 'void'; entry: number };

const result = fc.constantFrom('positive', 'negative');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('cup' as const), day: fc.nat(), cocaine: result, fentanyl: result, valid: fc.constantFrom(true, true, true, true, false) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('correction' as const),
      cup: fc.nat(),
      analyte: fc.constantFrom('cocaine' as const, 'fentanyl' as const),
      result,
      valid: fc.constantFrom(undefined, undefined, undefined, true, false),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('adjudication' as const), cup: fc.nat(), decision: fc.constantFrom('carry-over' as const, 'new-use' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), entry: fc.nat() }) },
);

const VOIDABLE = new Set(['earn', 'bonus', 'adjustment', 'prize', 'debit']);

describe('settlement over random histories', () => {
  it('after every cup, correction, adjudication or void: SQL balance = ledger read = core balanceCents; paid and forgiven per track = the state', async () => {
    const days = testDays(18);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(stepArb, { minLength: 4, maxLength: 16 }), async (clawback, steps) => {
        const doc = settlementProtocol({ clawback });
        const payouts = payoutsOf(doc);
        const { patientId, enrolmentId } = await enrolled(w, coord, { protocol: doc, startDate: START });
        const cups: string[] = []; // specimen ids, in recording order
        const unused = [...days];
        const maxOwed = new Map<string, number>();
        let voids = 0;

        for (const step of steps) {
          if (step.kind === 'cup') {
            if (unused.length === 0) continue;
            // one of the next few free days: cups arrive out of time order, yet close enough for carry-over (§4)
            const [day] = unused.splice(step.day % Math.min(unused.length, 4), 1);
            const r = await collector.post('/api/v1/specimens', specimen(patientId, `${day}T14:00:00Z`, cup(step.cocaine, step.fentanyl), step.valid ? {} : { temperatureC: 30 }));
            expect(r.statusCode, r.body).toBe(200);
            cups.push((r.json() as Recorded).specimen.id);
          } else if (step.kind === 'correction') {
            if (cups.length === 0) continue;
            const body = {
              method: 'confirmatory',
              results: [{ analyte: step.analyte, result: step.result }],
              reason: 'laboratory confirmation (test)',
              ...(step.valid === undefined ? {} : { valid: step.valid }),
            };
            const r = await coord.post(`/api/v1/specimens/${cups[step.cup % cups.length]}/corrections`, body);
            expect(r.statusCode, r.body).toBe(200);
          } else if (step.kind === 'adjudication') {
            if (cups.length === 0) continue;
            // a pending specimen when there is one; otherwise any cup (where it changes nothing)
            const pending = ((await enrolmentRow(enrolmentId)).state as EnrolmentState).pending;
            const of = pending.length > 0 ? pending[step.cup % pending.length] : cups[step.cup % cups.length];
            const r = await coord.post(`/api/v1/specimens/${of}/adjudications`, { decision: step.decision, reason: 'adjudicated (test)' });
            expect(r.statusCode, r.body).toBe(200);
          } else {
            const rows = await ledgerRows(patientId);
            const voided = new Set(rows.filter((x) => x.kind === 'void').map((x) => x.voidsKey));
            const candidates = rows.filter((x) => VOIDABLE.has(x.kind) && !voided.has(x.entryKey));
            if (candidates.length === 0) continue;
            const r = await coord.post(`/api/v1/cm/ledger-entries/${candidates[step.entry % candidates.length]!.id}/void`, { reason: 'posted in error (test)' });
            if (r.statusCode === 200) voids++;
            else expect((r.json() as { code: string }).code, r.body).toBe('negative_balance');
          }

          // the balance three ways: SQL (generated from ENTRY_EFFECT), the ledger read, and core over the stored rows
          const entries = (await ledgerRows(patientId)).map(toEngine);
          const core = balanceCents(entries);
          const inSql = (await inTransaction(db(), (tx) => patientBalances(tx, w.programA, [patientId]))).get(patientId);
          expect({ sql: inSql, api: await apiBalance(patientId) }).toEqual({ sql: core, api: core });
          expect(core).toBeGreaterThanOrEqual(0);

          // each track's paid and forgiven as the ledger rows say = the settlement in the enrolment's state
          const state = (await enrolmentRow(enrolmentId)).state as EnrolmentState;
          const figures = ledgerFigures(entries, payouts);
          for (const [track] of payouts) {
            const s = state.tracks.find((t) => t.track === track)!.settlement!;
            expect({ track, ...figures.get(track)! }).toEqual({ track, paid: s.paid, forgiven: s.forgiven });
            // without clawback, paid never falls: it is the most any settlement has owed (§5.1 rule 1)
            maxOwed.set(track, Math.max(maxOwed.get(track) ?? 0, s.owed));
            if (!clawback) expect({ track, paid: s.paid }).toEqual({ track, paid: maxOwed.get(track) });
          }
          const ns = entries
            .filter((e) => e.kind === 'prize')
            .map((e) => e.n!)
            .sort((a, b) => a - b);
          expect(ns).toEqual(ns.map((_, i) => i + 1));
        }

        // one at a time, the server's order is the order posted: it posted exactly core's settlement
        // (a void changes no settlement without clawback; with clawback it changes what a debit can take)
        if (voids > 0 && clawback) return;
        const serial = await serialReplay(enrolmentId);
        const rows = await ledgerRows(patientId);
        expect(
          rows
            .filter((r) => r.kind !== 'void')
            .map((r) => entryKey(toEngine(r)))
            .sort(),
        ).toEqual(
          serial.settlements
            .flatMap((s) => s.entries)
            .map((e) => entryKey(e))
            .sort(),
        );
        if (voids === 0) expect(balanceCents(rows.map(toEngine))).toBe(serial.balanceCents);
      }),
      { numRuns: 20 },
    );
  }, 600_000);
});
