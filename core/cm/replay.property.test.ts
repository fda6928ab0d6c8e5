import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSlip } from './draws.ts';
import { balanceCents, type LedgerEntry } from './ledger.ts';
import { replay } from './replay.ts';
import { BOWL } from './testkit.ts';
import { buildProtocol, doc, eventsArb, protocolArb, RUNS, seed, START, track } from './arbitraries.ts';

describe('replay properties', () => {
  it('is deterministic; totals are sums of rows; ledger balances and never goes below zero', () => {
    fc.assert(
      fc.property(protocolArb, eventsArb, (p, list) => {
        const a = replay(p, doc(list), { seed });
        const b = replay(p, doc(structuredClone(list)), { seed });
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        const rows = a.opportunities;
        expect(a.totals.earnedCents).toBe(rows.reduce((s, r) => s + r.amountCents + r.bonusCents, 0));
        expect(a.totals.draws).toBe(rows.reduce((s, r) => s + r.draws, 0));
        for (const r of rows) {
          for (const k of ['s', 'amountCents', 'bonusCents', 'draws'] as const) expect(Number.isInteger(r[k])).toBe(true);
          expect(r.prizes.length).toBe(r.draws);
          if (r.outcome !== 'success') expect(r.level).toBeNull();
          if (r.outcome === 'failure') expect(r.s).toBe(0);
        }
        const bal = balanceCents(a.ledger);
        expect(bal).toBe(a.ledger.reduce((s, e) => s + e.cents, 0));
        expect(bal).toBe(a.totals.earnedCents + a.totals.prizeCents);
        expect(bal).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('caps are never exceeded', () => {
    fc.assert(
      fc.property(protocolArb, eventsArb, (p, list) => {
        const { ledger } = replay(p, doc(list), { seed });
        const c = p.caps ?? {};
        const total = ledger.reduce((s, e) => s + e.cents, 0);
        if (c.totalCents != null) expect(total).toBeLessThanOrEqual(c.totalCents);
        const by = (key: (e: LedgerEntry) => string) => {
          const m = new Map<string, number>();
          for (const e of ledger) m.set(key(e), (m.get(key(e)) ?? 0) + e.cents);
          return [...m.values()];
        };
        if (c.perMonthCents != null) for (const v of by((e) => e.month!)) expect(v).toBeLessThanOrEqual(c.perMonthCents);
        if (c.perYearCents != null) for (const v of by((e) => e.month!.slice(0, 4))) expect(v).toBeLessThanOrEqual(c.perYearCents);
        if (c.perItemCents != null) {
          for (const v of by((e) => (e.kind === 'prize' ? e.id : `${e.event}/${e.track}`))) expect(v).toBeLessThanOrEqual(c.perItemCents);
        }
      }),
      RUNS,
    );
  });

  it('prizes re-derive from the seed', () => {
    fc.assert(
      fc.property(protocolArb, eventsArb, (p, list) => {
        const o = replay(p, doc(list), { seed });
        const tiers = o.opportunities.flatMap((r) => r.prizes);
        tiers.forEach((t, i) => expect(drawSlip(seed, 'e1', i + 1, BOWL).tier).toBe(t));
      }),
      RUNS,
    );
  });

  it('adding excused opportunities changes nothing else', () => {
    const excusing = fc.array(track, { minLength: 1, maxLength: 3 }).map((t) =>
      buildProtocol(
        t.map((x) => ({ ...x, missed: 'excused' })),
        null,
      ),
    );
    fc.assert(
      fc.property(excusing, eventsArb, fc.uniqueArray(fc.integer({ min: 1, max: 1440 * 70 }), { maxLength: 8 }), (p, list, extra) => {
        const taken = new Set(list.map((e) => e.at));
        const missed = extra
          .map((m, i) => ({ id: `m${i}`, at: new Date(START + m * 60_000 + 30_000).toISOString(), kind: 'missed', of: ['specimen', 'dose', 'attendance', 'module'][i % 4] }))
          .filter((e) => !taken.has(e.at));
        const a = replay(p, doc(list), { seed });
        const b = replay(p, doc([...list, ...missed]), { seed });
        const ids = new Set(missed.map((e) => e.id));
        expect(b.opportunities.filter((r) => !ids.has(r.event))).toEqual(a.opportunities);
        expect(b.opportunities.filter((r) => ids.has(r.event)).every((r) => r.outcome === 'excused')).toBe(true);
        expect(b.totals).toEqual(a.totals);
        expect(b.ledger).toEqual(a.ledger);
      }),
      RUNS,
    );
  });

  it('events with distinct instants give the same result in any file order', () => {
    fc.assert(
      fc.property(
        protocolArb,
        eventsArb.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }))),
        (p, [list, shuffled]) => {
          expect(JSON.stringify(replay(p, doc(shuffled), { seed }))).toBe(JSON.stringify(replay(p, doc(list), { seed })));
        },
      ),
      RUNS,
    );
  });

  it('parsing only reads the events it is given: the same objects, frozen, replay the same every time', () => {
    // (the server builds each stored event's engine form once and hands the same object to
    // every later recording of the patient: settle.ts engineEvent)
    const deepFreeze = (v: unknown): unknown => {
      if (typeof v === 'object' && v !== null) {
        Object.values(v).forEach(deepFreeze);
        Object.freeze(v);
      }
      return v;
    };
    fc.assert(
      fc.property(protocolArb, eventsArb, (p, list) => {
        const fresh = JSON.stringify(replay(p, doc(structuredClone(list)), { seed }));
        deepFreeze(list);
        expect(JSON.stringify(replay(p, doc(list), { seed }))).toBe(fresh);
        expect(JSON.stringify(replay(p, doc(list), { seed }))).toBe(fresh);
      }),
      RUNS,
    );
  });
});
