// The four invariants of CM-SPEC §5.1, over random protocols, random posting orders and
// random correction sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AN, analytes, buildProtocol, eventsArb, iso, phases, policy, protocolNoCaps, RUNS, seed, track } from './arbitraries.ts';
import { replayRows } from './replay.ts';
import { balanceCents, type LedgerEntry } from './ledger.ts';
import type { Protocol } from './protocol.ts';
import { replay } from './replay.ts';
import { settleLedger, settlePostings, type SettleOutput } from './settlement.ts';
import { parseEvents } from './events.ts';

const ENROLMENT = { id: 'e1', start: '2026-01-05', prescribed: ['buprenorphine'] };
const seedBytes = Buffer.from(seed, 'hex');

function settle(p: Protocol, postings: unknown[][]): SettleOutput {
  const r = settlePostings(p, { enrolment: ENROLMENT, postings }, seedBytes);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.output;
}

/** A list cut into consecutive postings at the given points. */
function chunk<T>(list: T[], cuts: number[]): T[][] {
  const at = [...new Set(cuts.map((c) => c % (list.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let prev = 0;
  for (const c of [...at, list.length]) {
    if (c > prev) out.push(list.slice(prev, c));
    prev = Math.max(prev, c);
  }
  return out;
}

/** Events in some posting order: a shuffle of the list, cut into postings; corrections and adjudications after the specimen they name. */
const postingsArb = eventsArb
  .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), fc.array(fc.nat(), { maxLength: 10 })))
  .map(([, shuffled, cuts]) => {
    const first = shuffled.filter((e) => e.kind !== 'correction' && e.kind !== 'adjudication');
    const later = shuffled.filter((e) => e.kind === 'correction' || e.kind === 'adjudication');
    return chunk([...first, ...later], cuts);
  });

const money = (e: { kind: string; cents: number }) => (['earn', 'bonus', 'prize', 'adjustment'].includes(e.kind) ? e.cents : e.kind === 'debit' ? -e.cents : 0);

describe('settlement invariants (§5.1)', () => {
  it('1. without clawback, paid never decreases and always equals the largest owed seen', () => {
    fc.assert(
      fc.property(protocolNoCaps, postingsArb, (p, postings) => {
        const out = settle(p, postings);
        const maxOwed = new Map<string, number>();
        const lastPaid = new Map<string, number>();
        for (const s of out.settlements) {
          for (const [t, f] of Object.entries(s.tracks)) {
            maxOwed.set(t, Math.max(maxOwed.get(t) ?? 0, f.owed));
            expect(f.paid).toBeGreaterThanOrEqual(lastPaid.get(t) ?? 0);
            expect(f.paid).toBe(maxOwed.get(t));
            expect(f.forgiven).toBe(f.paid - f.owed);
            lastPaid.set(t, f.paid);
          }
        }
        expect(out.balanceCents).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('2. alternating a result pays it once: corrections back and forth move no money after the first round trip', () => {
    // specimens that list every analyte, so a correction can restore each one exactly
    const full = fc.record(Object.fromEntries(AN.map((a) => [a, fc.constantFrom('positive', 'negative')])) as Record<(typeof AN)[number], fc.Arbitrary<string>>);
    const cups = fc.array(fc.tuple(fc.integer({ min: 0, max: 1440 * 60 }), full, fc.boolean()), { minLength: 1, maxLength: 15 });
    fc.assert(
      fc.property(
        fc.array(track, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        cups,
        fc.nat(),
        full,
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        (ts, clawback, list, k, other, otherValid, rounds) => {
          const p = buildProtocol(ts, null, clawback);
          const specimens = [...new Map(list.map(([m, results, valid]) => [m, { id: `s${m}`, at: iso(m), kind: 'specimen', results, valid }])).values()];
          const target = specimens[k % specimens.length]!;
          const postings: unknown[][] = [specimens];
          for (let i = 0; i < rounds; i++) {
            postings.push([{ id: `b${i}`, at: iso(1440 * 61 + 2 * i), kind: 'correction', supersedes: target.id, results: other, valid: otherValid }]);
            postings.push([{ id: `a${i}`, at: iso(1440 * 61 + 2 * i + 1), kind: 'correction', supersedes: target.id, results: target.results, valid: target.valid }]);
          }
          const out = settle(p, postings);
          const start = out.settlements[0]!;
          const firstTrip = out.settlements[2]!;
          const balanceAfter = (i: number) =>
            out.settlements
              .slice(0, i + 1)
              .flatMap((s) => s.entries)
              .reduce((s, e) => s + money(e), 0);
          for (const t of Object.keys(start.tracks)) {
            // every return to the starting results owes what the start owed
            for (let i = 2; i < out.settlements.length; i += 2) expect(out.settlements[i]!.tracks[t]!.owed).toBe(start.tracks[t]!.owed);
            if (clawback) continue;
            // paid is the larger of the two states' owed, reached in the first round trip and never exceeded
            const most = Math.max(start.tracks[t]!.owed, out.settlements[1]!.tracks[t]!.owed);
            for (const s of out.settlements.slice(1)) expect(s.tracks[t]!.paid).toBe(most);
          }
          if (!clawback) for (let i = 2; i < out.settlements.length; i++) expect(balanceAfter(i)).toBe(balanceAfter(2));
          expect(firstTrip.posting).toBe(2);
        },
      ),
      RUNS,
    );
  });

  it('3. successes recorded in any order pay what recording them in time order pays', () => {
    const successTrack = fc.record({
      target: fc.oneof(
        analytes.map((a) => ({ kind: 'negative', analytes: a })),
        fc.constant({ kind: 'attendance' }),
        fc.constant({ kind: 'adherence' }),
        fc.constant({ kind: 'module' }),
      ),
      // one phase: owed only grows when a success is added (phases with different bonuses can move a bonus onto a test whose phase pays none)
      payout: fc.constantFrom('cents', 'draws'),
      phases: phases.map((ps) => ps.slice(0, 1)),
      missed: policy,
      invalid: policy,
      extra: fc.option(fc.tuple(analytes, fc.integer({ min: 0, max: 50 }))),
    });
    const success = fc.oneof(
      fc.constant({ kind: 'specimen', results: Object.fromEntries(AN.map((a) => [a, 'negative'])), valid: true }),
      fc.constant({ kind: 'attendance', attended: true }),
      fc.constant({ kind: 'dose', taken: true }),
      fc.constant({ kind: 'module', completed: true }),
    );
    const list = fc.uniqueArray(fc.integer({ min: 0, max: 1440 * 70 }), { maxLength: 30 }).chain((ms) => fc.tuple(...ms.map((m) => success.map((b) => ({ id: `e${m}`, at: iso(m), ...b })))));
    fc.assert(
      fc.property(
        fc.array(successTrack, { minLength: 1, maxLength: 3 }),
        list.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }), fc.array(fc.nat(), { maxLength: 8 }))),
        (ts, [events, shuffled, cuts]) => {
          const p = buildProtocol(ts, null);
          const inTime = settle(
            p,
            [...events].sort((a, b) => a.at.localeCompare(b.at)).map((e) => [e]),
          );
          const anyOrder = settle(p, chunk(shuffled, cuts).length ? chunk(shuffled, cuts) : [[]]);
          const last = (o: SettleOutput) => o.settlements.at(-1)?.tracks ?? {};
          for (const [t, f] of Object.entries(last(inTime))) expect(last(anyOrder)[t]!.paid).toBe(f.paid);
          expect(anyOrder.balanceCents).toBe(inTime.balanceCents);
          const doc = parseEvents({ enrolment: ENROLMENT, events });
          if (doc.ok) {
            const r = replay(p, doc.doc, { seed });
            expect(anyOrder.balanceCents).toBe(r.totals.earnedCents + r.totals.prizeCents);
          }
        },
      ),
      RUNS,
    );
  });

  it('4. the balance is the sum of money-moving entries; nothing is edited; a voided entry is never paid again', () => {
    fc.assert(
      fc.property(protocolNoCaps, postingsArb, fc.array(fc.nat(), { maxLength: 4 }), (p, postings, voidPicks) => {
        const ledger: LedgerEntry[] = [];
        const events: unknown[] = [];
        const voided = new Set<string>();
        for (const batch of postings) {
          events.push(...batch);
          const doc = parseEvents({ enrolment: ENROLMENT, events });
          if (!doc.ok) throw new Error(JSON.stringify(doc.problems));
          const before = ledger.map((e) => ({ ...e }));
          // settle against the ledger as it stands (with its voids)
          const fresh = settleLedger(ledger, replayRowsOf(p, doc.doc)).entries;
          ledger.push(...fresh);
          expect(ledger.slice(0, before.length)).toEqual(before);
          for (const e of fresh) if (e.kind !== 'forgiven' && e.kind !== 'prize') expect(voided.has(`${e.event}/${e.track}`) && e.kind === 'earn').toBe(false);
          // staff void a money entry now and then
          const credits = ledger.filter((e) => ['earn', 'bonus', 'adjustment', 'prize'].includes(e.kind) && !ledger.some((v) => v.voids === e.id));
          for (const k of voidPicks.splice(0, 1)) {
            const e = credits[k % Math.max(credits.length, 1)];
            if (!e) continue;
            ledger.push({ id: `void/${e.id}`, kind: 'void', event: e.event, track: e.track, month: e.month, cents: e.cents, n: e.n, tier: e.tier, capped: null, voids: e.id });
            voided.add(`${e.event}/${e.track}`);
          }
          const cancelled = new Set(ledger.filter((e) => e.kind === 'void').map((e) => e.voids));
          expect(balanceCents(ledger)).toBe(ledger.filter((e) => !cancelled.has(e.id)).reduce((s, e) => s + money(e), 0));
          // settling again with nothing new posts nothing
          expect(settleLedger(ledger, replayRowsOf(p, doc.doc)).entries).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});

const replayRowsOf = (p: Protocol, d: Parameters<typeof replayRows>[1]) => replayRows(p, d, seedBytes);
