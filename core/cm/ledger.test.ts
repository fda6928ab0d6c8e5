import { describe, expect, it } from 'vitest';
import { balanceCents, deriveLedger, owedCents, type LedgerEntry } from './ledger.ts';
import { BOWL, cents, day, detail, protocol } from './testkit.ts';

const NEG = { cocaine: 'negative' };
const POS = { cocaine: 'positive' };

describe('deriveLedger (§5)', () => {
  const p = protocol([cents('t', ['cocaine'], { start: 100, step: 100 })]);
  const p2 = protocol([cents('t', ['cocaine'], { start: 100, step: 100 })], { clawback: true });
  const base = [
    { id: 'r1', at: day(0), kind: 'specimen', results: NEG },
    { id: 'r2', at: day(2), kind: 'specimen', results: POS },
    { id: 'r3', at: day(4), kind: 'specimen', results: NEG },
  ];
  it('derive(empty) is the replay ledger; deriving again posts nothing', () => {
    const d = detail(p, base);
    const posted = deriveLedger([], d);
    expect(posted.map((e) => [e.id, e.cents])).toEqual([['r1/t/earn', 100], ['r3/t/earn', 100]]);
    expect(deriveLedger(posted, detail(p, base))).toEqual([]);
  });
  it('more owed after a correction → adjustment credit', () => {
    const posted = deriveLedger([], detail(p, base));
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }];
    const add = deriveLedger(posted, detail(p, after));
    // r2 now 200, r3 now 300 (was 100): +200 and +200
    expect(add.map((e) => [e.id, e.kind, e.cents])).toEqual([['r2/t/adjustment/1', 'adjustment', 200], ['r3/t/adjustment/1', 'adjustment', 200]]);
    expect(owedCents([...posted, ...add])).toBe(600);
    expect(deriveLedger([...posted, ...add], detail(p, after))).toEqual([]);
  });
  it('less owed → forgiven (nothing taken back)', () => {
    const posted = deriveLedger([], detail(p, base));
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }];
    const add = deriveLedger(posted, detail(p, after));
    expect(add.map((e) => [e.id, e.kind, e.cents])).toEqual([['r1/t/forgiven/1', 'forgiven', 100]]);
    expect(balanceCents([...posted, ...add])).toBe(200);
    expect(owedCents([...posted, ...add])).toBe(100);
  });
  it('with clawback → debit, never below zero (the rest forgiven)', () => {
    const posted: LedgerEntry[] = [...deriveLedger([], detail(p2, base)), { id: 'red1', kind: 'redemption', event: null, track: null, month: null, cents: 150, n: null, tier: null, capped: null }];
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }, { id: 'c2', at: day(9), kind: 'correction', supersedes: 'r3', results: POS }];
    const add = deriveLedger(posted, detail(p2, after));
    expect(add.map((e) => [e.kind, e.cents])).toEqual([['debit', 50], ['forgiven', 50], ['forgiven', 100]]);
    expect(balanceCents([...posted, ...add])).toBe(0);
    expect(owedCents([...posted, ...add])).toBe(0);
  });
  it('draws already drawn keep their numbers; fewer owed are forgiven; more owed are make-up draws with new numbers', () => {
    const q = protocol([{ id: 'd', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1, step: 1 } }] }], { bowl: BOWL });
    const posted = deriveLedger([], detail(q, base));
    expect(posted.map((e) => e.n)).toEqual([1, 2]);
    // r1 becomes positive: r1 owes 0 (draw 1 stands, forgiven); r3 still 1 draw
    const after1 = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }];
    const add1 = deriveLedger(posted, detail(q, after1));
    expect(add1.map((e) => [e.id, e.kind, e.n])).toEqual([['r1/d/forgiven/n1', 'forgiven', 1]]);
    // instead r2 becomes negative: r2 owes 2 draws, r3 owes 3 → make-up draws 3..6
    const after2 = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }];
    const add2 = deriveLedger(posted, detail(q, after2));
    expect(add2.map((e) => [e.id, e.n])).toEqual([['r2/d/prize/3', 3], ['r2/d/prize/4', 4], ['r3/d/prize/5', 5], ['r3/d/prize/6', 6]]);
    expect(deriveLedger([...posted, ...add2], detail(q, after2))).toEqual([]);
  });
  it('caps count money already paid, forgiven money included', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 300 })], { caps: { perYearCents: 600 } });
    const posted = deriveLedger([], detail(q, base));
    expect(posted.map((e) => e.cents)).toEqual([300, 300]);
    const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }, { id: 'c2', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }];
    const add = deriveLedger(posted, detail(q, after));
    // r1 forgiven 300 (money stays paid): r2's 300 cannot be paid this year
    expect(add.map((e) => [e.kind, e.cents, e.capped])).toEqual([['forgiven', 300, null], ['adjustment', 0, 'perYear']]);
    expect(deriveLedger([...posted, ...add], detail(q, after))).toEqual([]);
  });

  describe('voids: a voided entry stays settled, moves no money, and is never posted again', () => {
    const voidOf = (e: LedgerEntry): LedgerEntry => ({ id: `void/${e.id}`, kind: 'void', event: e.event, track: e.track, month: e.month, cents: e.cents, n: e.n, tier: e.tier, capped: null, voids: e.id });
    it('a voided earn leaves the balance and is not re-posted by the next derivation', () => {
      const posted = deriveLedger([], detail(p, base));
      const withVoid = [...posted, voidOf(posted[0]!)];
      expect(balanceCents(withVoid)).toBe(100);
      expect(deriveLedger(withVoid, detail(p, base))).toEqual([]);
      // a later success still pays by the rules (the run is not changed by a void)
      const more = [...base, { id: 'r4', at: day(6), kind: 'specimen', results: NEG }];
      expect(deriveLedger(withVoid, detail(p, more)).map((e) => [e.id, e.cents])).toEqual([['r4/t/earn', 200]]);
    });
    it('more owed after a correction on a voided opportunity → only the difference', () => {
      const posted = deriveLedger([], detail(p, base));
      const withVoid = [...posted, voidOf(posted[1]!)]; // r3's 100
      const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r2', results: NEG }];
      const add = deriveLedger(withVoid, detail(p, after));
      expect(add.map((e) => [e.id, e.cents])).toEqual([['r2/t/adjustment/1', 200], ['r3/t/adjustment/1', 200]]);
      expect(balanceCents([...withVoid, ...add])).toBe(100 + 200 + 200);
    });
    it('with clawback, less owed on a voided opportunity debits nothing for the voided money (it is forgiven)', () => {
      const posted = deriveLedger([], detail(p2, base));
      const withVoid = [...posted, voidOf(posted[0]!)]; // r1's 100
      const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }];
      const add = deriveLedger(withVoid, detail(p2, after));
      expect(add.map((e) => [e.id, e.kind, e.cents])).toEqual([['r1/t/forgiven/1', 'forgiven', 100]]);
      expect(balanceCents([...withVoid, ...add])).toBe(100);
      expect(deriveLedger([...withVoid, ...add], detail(p2, after))).toEqual([]);
    });
    it('a voided prize keeps its draw number: no make-up draw; taking the draw back takes nothing', () => {
      const q = protocol([{ id: 'd', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1, step: 1 } }] }], { bowl: BOWL, clawback: true });
      const posted = deriveLedger([], detail(q, base));
      const withVoid = [...posted, voidOf(posted[0]!)];
      expect(deriveLedger(withVoid, detail(q, base))).toEqual([]);
      const after = [...base, { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: POS }];
      expect(deriveLedger(withVoid, detail(q, after)).map((e) => [e.id, e.kind, e.cents])).toEqual([['r1/d/forgiven/n1', 'forgiven', 0]]);
    });
  });
});
