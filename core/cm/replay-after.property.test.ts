// replayAfter (what the next opportunity would pay, from the replay's final state and its
// settlement's caps) equals replaying the whole list with the events added at the end, over
// random protocols (caps included), histories with corrections and adjudications, and the
// events added.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { body, doc, eventsArb, iso, protocolArb, RUNS, seed } from './arbitraries.ts';
import { replay, replayAfter, replayRows } from './replay.ts';
import { settleLedger } from './settlement.ts';

const seedBytes = Buffer.from(seed, 'hex');
/** Events after every event of eventsArb (which ends by day 70), of any kind that holds a slot. */
const laterArb = fc
  .uniqueArray(fc.integer({ min: 1440 * 71, max: 1440 * 90 }), { minLength: 1, maxLength: 4 })
  .chain((times) => fc.tuple(fc.constant(times), fc.array(body, { minLength: times.length, maxLength: times.length })))
  .map(([times, bodies]) => times.map((m, i) => ({ id: `next${i}`, at: iso(m), ...bodies[i]! })));
const external = fc.option(
  fc.record({ perMonth: fc.dictionary(fc.constantFrom('2026-03', '2026-04'), fc.integer({ min: 0, max: 2000 })), perYear: fc.dictionary(fc.constant('2026'), fc.integer({ min: 0, max: 3000 })) }),
  { nil: undefined },
);

describe('replayAfter', () => {
  it('equals the replay of the whole list, for the events added', () => {
    fc.assert(
      fc.property(protocolArb, eventsArb, laterArb, external, (p, history, later, ext) => {
        const detail = replayRows(p, doc(history), seedBytes);
        const before = JSON.stringify(detail.rows);
        const ids = new Set(later.map((e) => e.id));
        const whole = replay(p, doc([...history, ...later]), { seed: seedBytes, ...(ext ? { external: ext } : {}) }).opportunities.filter((o) => ids.has(o.event));
        const { owedCaps } = settleLedger([], detail, ext ? { external: ext } : {});
        const usage = () => JSON.stringify([owedCaps.total, [...owedCaps.month], [...owedCaps.year]]);
        const capsBefore = usage();
        expect(replayAfter(detail, doc(later).events, owedCaps)).toEqual(whole);
        // the replay and the caps it carried on from are as they were (another call answers the same)
        expect(JSON.stringify(detail.rows)).toBe(before);
        expect(usage()).toBe(capsBefore);
        expect(replayAfter(detail, doc(later).events, owedCaps)).toEqual(whole);
      }),
      RUNS,
    );
  });
});
