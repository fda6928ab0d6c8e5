import { describe, expect, it } from 'vitest';
import { balanceCents, paidCents, type LedgerEntry } from './ledger.ts';
import { settleLedger, settlePostings } from './settlement.ts';
import { replay } from './replay.ts';
import { BOWL, cents, day, detail, events, protocol } from './testkit.ts';

const NEG = { cocaine: 'negative' };
const POS = { cocaine: 'positive' };
const drawsTrack = (id = 'd', start = 1) => ({ id, target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 52, escalation: { start, step: 0 } }] });

/** Posts each list of events in turn, as the clinic would; returns the ledger and every settlement. */
function post(p: ReturnType<typeof protocol>, postings: Record<string, unknown>[][], seed = '00'.repeat(32)) {
  const r = settlePostings(p, { enrolment: { id: 'e1', start: '2026-01-05' }, postings }, Buffer.from(seed, 'hex'));
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.output;
}

describe('settleLedger (§5.1)', () => {
  const p = protocol([cents('t', ['cocaine'], { start: 100, step: 100 })]);
  const p2 = protocol([cents('t', ['cocaine'], { start: 100, step: 100 })], { clawback: true });
  const base = [
    { id: 'r1', at: day(0), kind: 'specimen', results: NEG },
    { id: 'r2', at: day(2), kind: 'specimen', results: POS },
    { id: 'r3', at: day(4), kind: 'specimen', results: NEG },
  ];

  it('on an empty ledger posts the replay ledger; settling again posts nothing', () => {
    const d = detail(p, base);
    const s = settleLedger([], d);
    expect(s.entries).toEqual(replay(p, events(base)).ledger);
    expect(s.tracks).toEqual({ t: { owed: 200, paid: 200, forgiven: 0 } });
    expect(settleLedger(s.entries, detail(p, base)).entries).toEqual([]);
  });

  it('a rise is paid to the opportunities that rose: an adjustment where something was paid, else its first earn', () => {
    const posted = settleLedger([], detail(p, base)).entries;
    const s = settleLedger(posted, detail(p, [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }]));
    expect(s.entries.map((e) => [e.id, e.kind, e.cents])).toEqual([
      ['r2/t/earn', 'earn', 200],
      ['r3/t/adjustment/1', 'adjustment', 200],
    ]);
    expect(s.tracks.t).toEqual({ owed: 600, paid: 600, forgiven: 0 });
  });

  it('a fall moves no money: the patient keeps it, and the ledger says so in a forgiven memo', () => {
    const posted = settleLedger([], detail(p, base)).entries;
    const s = settleLedger(posted, detail(p, [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }]));
    expect(s.entries.map((e) => [e.id, e.kind, e.cents])).toEqual([['r1/t/forgiven/1', 'forgiven', 100]]);
    expect(s.tracks.t).toEqual({ owed: 100, paid: 200, forgiven: 100 });
    expect(balanceCents([...posted, ...s.entries])).toBe(200);
  });

  it('alternating a lab result pays the cup once (the attack in which ten corrections paid it five times)', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 300 }), drawsTrack()], { bowl: BOWL });
    const postings: Record<string, unknown>[][] = [[{ id: 'r1', at: day(0), kind: 'specimen', results: NEG }]];
    for (let i = 0; i < 10; i++) postings.push([{ id: `c${i}`, at: day(1, i), kind: 'correction', supersedes: 'r1', results: i % 2 === 0 ? POS : NEG }]);
    const out = post(q, postings);
    const first = out.settlements[0]!;
    expect(first.tracks).toEqual({ t: { owed: 300, paid: 300, forgiven: 0 }, d: { owed: 1, paid: 1, forgiven: 0 } });
    for (const s of out.settlements) {
      expect(s.tracks.t!.paid).toBe(300);
      expect(s.tracks.d!.paid).toBe(1);
      expect(s.entries.every((e) => e.kind === 'forgiven' || s.posting === 0)).toBe(true);
    }
    expect(out.settlements.at(-1)!.tracks.t).toEqual({ owed: 300, paid: 300, forgiven: 0 });
    const prize = first.entries.find((e) => e.kind === 'prize')!.cents;
    expect(out.balanceCents).toBe(300 + prize);
  });

  it('twenty negative cups pay the same in date order, newest first, or posted together', () => {
    const higgins = protocol([cents('t', ['cocaine'], { start: 250, step: 125, bonusEvery: 3, bonus: 1000 })]);
    const cups = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, at: day(i), kind: 'specimen', results: NEG }));
    const inOrder = post(
      higgins,
      cups.map((c) => [c]),
    );
    const newestFirst = post(
      higgins,
      [...cups].reverse().map((c) => [c]),
    );
    const together = post(higgins, [cups]);
    const owed = replay(higgins, events(cups)).totals.earnedCents;
    for (const o of [inOrder, newestFirst, together]) {
      expect(o.balanceCents).toBe(owed);
      expect(o.settlements.at(-1)!.tracks.t).toEqual({ owed, paid: owed, forgiven: 0 });
    }
    // newest first: every later cup's fall (its level drops to 1 when an earlier one arrives) nets against the rises
    expect(newestFirst.settlements.flatMap((s) => s.entries).filter((e) => e.kind === 'forgiven')).toEqual([]);
  });

  it('a bonus that moves to a later test when an earlier result is filled in moves no money', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 100, bonusEvery: 2, bonus: 500 })]);
    const a = { id: 'a', at: day(0), kind: 'specimen', results: NEG };
    const b = { id: 'b', at: day(2), kind: 'specimen', results: NEG };
    const c = { id: 'c', at: day(4), kind: 'specimen', results: NEG };
    // a and c posted: c is the 2nd of the run (bonus on c); then b arrives: the bonus moves to b, c gets none
    const out = post(q, [[a, c], [b]]);
    expect(out.settlements[1]!.entries.map((e) => [e.kind, e.event, e.cents])).toEqual([['earn', 'b', 100]]);
    expect(out.settlements[1]!.tracks.t).toEqual({ owed: 800, paid: 800, forgiven: 0 });
  });

  it('money once forgiven is never paid again: a later rise pays only what exceeds paid', () => {
    const posted = settleLedger([], detail(p, base)).entries; // 100 + 100
    const fall = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }];
    const s1 = settleLedger(posted, detail(p, fall)); // owed 100, forgiven 100
    const rise = [...fall, { id: 'r4', at: day(6), kind: 'specimen', results: NEG }]; // r4 at level 2: +200 → owed 300
    const s2 = settleLedger([...posted, ...s1.entries], detail(p, rise));
    expect(s2.entries.map((e) => [e.kind, e.event, e.cents])).toEqual([
      ['earn', 'r4', 100],
      ['forgiven', 'r1', -100],
    ]);
    expect(s2.tracks.t).toEqual({ owed: 300, paid: 300, forgiven: 0 });
  });

  it('with clawback a fall is debited, never below a zero balance; the rest is forgiven', () => {
    const posted: LedgerEntry[] = [
      ...settleLedger([], detail(p2, base)).entries,
      { id: 'red1', kind: 'redemption', event: null, track: null, month: null, cents: 150, n: null, tier: null, capped: null },
    ];
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }, { id: 'c2', at: day(9), kind: 'correction', supersedes: 'r3', results: POS }];
    const s = settleLedger(posted, detail(p2, after));
    expect(s.entries.map((e) => [e.kind, e.event, e.cents])).toEqual([
      ['debit', 'r1', 50],
      ['forgiven', 'r1', 50],
      ['forgiven', 'r3', 100],
    ]);
    expect(s.tracks.t).toEqual({ owed: 0, paid: 150, forgiven: 150 });
    expect(balanceCents([...posted, ...s.entries])).toBe(0);
  });

  it('draws already drawn keep their numbers; fewer owed are kept; more owed take the next numbers', () => {
    const q = protocol([{ ...drawsTrack(), phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1, step: 1 } }] }], { bowl: BOWL });
    const posted = settleLedger([], detail(q, base)).entries;
    expect(posted.map((e) => e.n)).toEqual([1, 2]);
    const s1 = settleLedger(posted, detail(q, [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }]));
    expect(s1.entries.map((e) => [e.kind, e.event, e.draws])).toEqual([['forgiven', 'r1', 1]]);
    expect(s1.tracks.d).toEqual({ owed: 1, paid: 2, forgiven: 1 });
    const s2 = settleLedger(posted, detail(q, [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }]));
    expect(s2.entries.map((e) => [e.id, e.n])).toEqual([
      ['r2/d/prize/3', 3],
      ['r2/d/prize/4', 4],
      ['r3/d/prize/5', 5],
      ['r3/d/prize/6', 6],
    ]);
  });

  it('caps still cut a credit when it is posted (money paid counts, forgiven money included)', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 300 })], { caps: { perYearCents: 600 } });
    const posted = settleLedger([], detail(q, base)).entries;
    expect(posted.map((e) => e.cents)).toEqual([300, 300]);
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }, { id: 'c2', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }];
    // r1 falls and r2 rises by the same 300: they net out, nothing moves and nothing is forgiven
    const s = settleLedger(posted, detail(q, after));
    expect(s.entries).toEqual([]);
    expect(s.tracks.t).toEqual({ owed: 600, paid: 600, forgiven: 0 });
  });

  describe('voids: a voided entry stays settled, moves no money, and is never posted again', () => {
    const voidOf = (e: LedgerEntry): LedgerEntry => ({
      id: `void/${e.id}`,
      kind: 'void',
      event: e.event,
      track: e.track,
      month: e.month,
      cents: e.cents,
      n: e.n,
      tier: e.tier,
      capped: null,
      voids: e.id,
    });
    it('a voided earn leaves the balance and is not re-posted', () => {
      const posted = settleLedger([], detail(p, base)).entries;
      const withVoid = [...posted, voidOf(posted[0]!)];
      expect(balanceCents(withVoid)).toBe(100);
      expect(paidCents(withVoid)).toBe(100);
      expect(settleLedger(withVoid, detail(p, base)).entries).toEqual([]);
      const more = [...base, { id: 'r4', at: day(6), kind: 'specimen', results: NEG }];
      expect(settleLedger(withVoid, detail(p, more)).entries.map((e) => [e.id, e.cents])).toEqual([['r4/t/earn', 200]]);
    });
    it('with clawback, a fall on a voided opportunity debits nothing for the voided money', () => {
      const posted = settleLedger([], detail(p2, base)).entries;
      const withVoid = [...posted, voidOf(posted[0]!), voidOf(posted[1]!)];
      const s = settleLedger(withVoid, detail(p2, [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }]));
      expect(s.entries.map((e) => [e.id, e.kind, e.cents])).toEqual([['r1/t/forgiven/1', 'forgiven', 100]]);
    });
    it('a voided prize keeps its draw number: no make-up draw', () => {
      const q = protocol([drawsTrack()], { bowl: BOWL });
      const posted = settleLedger([], detail(q, base)).entries;
      expect(settleLedger([...posted, voidOf(posted[0]!)], detail(q, base)).entries).toEqual([]);
    });
  });
});

describe('settlePostings (§8)', () => {
  it('names the posting and place of a bad event, and refuses a correction of a specimen not posted yet', () => {
    const q = protocol([cents('t', ['cocaine'])]);
    const r = settlePostings(q, {
      enrolment: { id: 'e1', start: '2026-01-05' },
      postings: [[{ id: 'c1', at: day(1), kind: 'correction', supersedes: 'r1', results: POS }], [{ id: 'r1', at: day(0), kind: 'specimen', results: NEG }]],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toMatch(/postings\[0\]\[0\]/);
    expect(settlePostings(q, { postings: 'no' }).ok).toBe(false);
  });
});
