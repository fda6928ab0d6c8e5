import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSlip } from './draws.ts';
import { parseEvents } from './events.ts';
import { balanceCents, deriveLedger, owedCents, type LedgerEntry } from './ledger.ts';
import { parseProtocol, type Protocol } from './protocol.ts';
import { replay, replayRows } from './replay.ts';
import { BOWL } from './testkit.ts';

const RUNS = { numRuns: 150 };
const AN = ['cocaine', 'opiates', 'fentanyl', 'buprenorphine'] as const;
const START = Date.UTC(2026, 0, 5);

const escalation = fc.record({
  start: fc.integer({ min: 0, max: 500 }),
  step: fc.option(fc.integer({ min: 0, max: 200 })),
  stepEvery: fc.option(fc.integer({ min: 0, max: 3 })),
  max: fc.option(fc.integer({ min: 0, max: 2000 })),
  bonusEvery: fc.option(fc.integer({ min: 0, max: 4 })),
  bonus: fc.option(fc.integer({ min: 0, max: 1000 })),
  recoverAfter: fc.option(fc.integer({ min: 0, max: 4 })),
});
const phases = fc.array(fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 6 }), escalation), { minLength: 1, maxLength: 3 }).map((ps) => ps.map(([from, len, e]) => ({ fromWeek: from, toWeek: from + len, escalation: e })));
const analytes = fc.uniqueArray(fc.constantFrom(...AN), { minLength: 1, maxLength: 3 });
const target = fc.oneof(
  analytes.map((a) => ({ kind: 'negative', analytes: a })),
  fc.constant({ kind: 'attendance' }),
  fc.constant({ kind: 'adherence' }),
  analytes.map((a) => ({ kind: 'adherence', source: 'specimen', analytes: a })),
  fc.constant({ kind: 'module' }),
);
const policy = fc.constantFrom('failure', 'excused');
const track = fc.record({ target, payout: fc.constantFrom('cents', 'cents', 'draws', 'privilege'), phases, missed: policy, invalid: policy, extra: fc.option(fc.tuple(analytes, fc.integer({ min: 0, max: 50 }))) });
const caps = fc.option(fc.record({ perItemCents: fc.option(fc.integer({ min: 0, max: 1500 })), totalCents: fc.option(fc.integer({ min: 0, max: 5000 })), perMonthCents: fc.option(fc.integer({ min: 0, max: 3000 })), perYearCents: fc.option(fc.integer({ min: 0, max: 4000 })) }));

function buildProtocol(tracks: fc.Arbitrary<unknown>[] | unknown[], c: unknown, clawback = false): Protocol {
  const ts = (tracks as { target: { kind: string; source?: string }; payout: string; phases: unknown; missed: string; invalid: string; extra: [string[], number] | null }[]).map((t, i) => {
    const readsSpec = t.target.kind === 'negative' || t.target.source === 'specimen';
    return {
      id: `t${i}`, target: t.target, payout: t.payout, phases: t.phases, missed: t.missed, invalid: t.invalid,
      ...(t.payout === 'privilege' ? { levels: ['L0', 'L1', 'L2'] } : {}),
      ...(readsSpec && t.extra ? { bonusTargets: [{ target: { kind: 'negative', analytes: t.extra[0] }, extra: t.extra[1] }] } : {}),
    };
  });
  const r = parseProtocol({ id: 'p', version: 1, name: 'P', citation: 'c', bowl: BOWL, tracks: ts, ...(c ? { caps: c } : {}), clawback });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.protocol;
}
const protocolArb = fc.tuple(fc.array(track, { minLength: 1, maxLength: 3 }), caps).map(([t, c]) => buildProtocol(t, c));
const protocolNoCaps = fc.array(track, { minLength: 1, maxLength: 3 }).map((t) => buildProtocol(t, null));

const result = fc.constantFrom('positive', 'negative', 'negative', 'inconclusive');
const results = fc.dictionary(fc.constantFrom(...AN), result, { maxKeys: 4 });
const body = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('specimen'), results, valid: fc.constantFrom(true, true, true, false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('missed'), of: fc.constantFrom('specimen', 'dose', 'attendance', 'module') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dose'), taken: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attendance'), attended: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('module'), completed: fc.boolean() }) },
);
const iso = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
/** Events with distinct instants (minute offsets over ~10 weeks) plus corrections/adjudications of specimens. */
const eventsArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: -1440 * 3, max: 1440 * 70 }), { minLength: 0, maxLength: 40 }),
    fc.array(body, { minLength: 40, maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.boolean(), results, fc.constantFrom('carry-over', 'new-use'), fc.integer({ min: 0, max: 1440 * 70 })), { maxLength: 6 }),
  )
  .map(([times, bodies, extras]) => {
    const list: Record<string, unknown>[] = times.map((m, i) => ({ id: `e${i}`, at: iso(m), ...bodies[i]! }));
    const specimens = list.filter((e) => e.kind === 'specimen');
    const used = new Set(times);
    extras.forEach(([k, isCorrection, res, decision, m], j) => {
      if (specimens.length === 0 || used.has(m)) return;
      used.add(m);
      const of = specimens[k % specimens.length]!.id;
      list.push(isCorrection ? { id: `x${j}`, at: iso(m), kind: 'correction', supersedes: of, results: res } : { id: `x${j}`, at: iso(m), kind: 'adjudication', of, decision });
    });
    return list;
  });

function doc(list: unknown[]) {
  const r = parseEvents({ enrolment: { id: 'e1', start: '2026-01-05', prescribed: ['buprenorphine'] }, events: list });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
const seed = '5eed'.repeat(16);
const centsOwed = (es: LedgerEntry[]) => owedCents(es.filter((e) => e.n === null));
const drawsOwed = (es: LedgerEntry[]) => es.filter((e) => e.kind === 'prize').length - es.filter((e) => (e.kind === 'forgiven' || e.kind === 'debit') && e.n !== null).length;

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

  it('after a correction, posted + derived = derive(empty, final replay) in money owed and draws', () => {
    fc.assert(
      fc.property(protocolNoCaps, eventsArb, fc.nat(), results, fc.boolean(), (p0, list, k, res, clawback) => {
        const p = clawback ? { ...p0, clawback: true } : p0;
        const specimens = list.filter((e) => e.kind === 'specimen');
        fc.pre(specimens.length > 0);
        const posted = deriveLedger([], replayRows(p, doc(list), Buffer.from(seed, 'hex')));
        const after = [...list, { id: 'fix', at: iso(1440 * 80), kind: 'correction', supersedes: specimens[k % specimens.length]!.id, results: res }];
        const d = replayRows(p, doc(after), Buffer.from(seed, 'hex'));
        const add = deriveLedger(posted, d);
        const fresh = deriveLedger([], d);
        expect(centsOwed([...posted, ...add])).toBe(centsOwed(fresh));
        expect(drawsOwed([...posted, ...add])).toBe(drawsOwed(fresh));
        expect(balanceCents([...posted, ...add])).toBeGreaterThanOrEqual(0);
        // drawn numbers are never reused
        const ns = [...posted, ...add].filter((e) => e.kind === 'prize').map((e) => e.n);
        expect(new Set(ns).size).toBe(ns.length);
        // idempotent
        expect(deriveLedger([...posted, ...add], d)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('adding excused opportunities changes nothing else', () => {
    const excusing = fc.array(track, { minLength: 1, maxLength: 3 }).map((t) => buildProtocol(t.map((x) => ({ ...x, missed: 'excused' })), null));
    fc.assert(
      fc.property(excusing, eventsArb, fc.uniqueArray(fc.integer({ min: 1, max: 1440 * 70 }), { maxLength: 8 }), (p, list, extra) => {
        const taken = new Set(list.map((e) => e.at));
        const missed = extra.map((m, i) => ({ id: `m${i}`, at: new Date(START + m * 60_000 + 30_000).toISOString(), kind: 'missed', of: ['specimen', 'dose', 'attendance', 'module'][i % 4] })).filter((e) => !taken.has(e.at));
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
      fc.property(protocolArb, eventsArb.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }))), (p, [list, shuffled]) => {
        expect(JSON.stringify(replay(p, doc(shuffled), { seed }))).toBe(JSON.stringify(replay(p, doc(list), { seed })));
      }),
      RUNS,
    );
  });
});
