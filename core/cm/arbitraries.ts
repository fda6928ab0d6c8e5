// fast-check generators shared by the engine's property tests (test-only; not part of the public API).
import fc from 'fast-check';
import { parseEvents } from './events.ts';
import { parseProtocol, type Protocol } from './protocol.ts';
import { BOWL } from './testkit.ts';

export const RUNS = { numRuns: 150 };
export const AN = ['cocaine', 'opiates', 'fentanyl', 'buprenorphine'] as const;
export const START = Date.UTC(2026, 0, 5);

export const escalation = fc.record({
  start: fc.integer({ min: 0, max: 500 }),
  step: fc.option(fc.integer({ min: 0, max: 200 })),
  stepEvery: fc.option(fc.integer({ min: 0, max: 3 })),
  max: fc.option(fc.integer({ min: 0, max: 2000 })),
  bonusEvery: fc.option(fc.integer({ min: 0, max: 4 })),
  bonus: fc.option(fc.integer({ min: 0, max: 1000 })),
  recoverAfter: fc.option(fc.integer({ min: 0, max: 4 })),
});
export const phases = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 6 }), escalation), { minLength: 1, maxLength: 3 })
  .map((ps) => ps.map(([from, len, e]) => ({ fromWeek: from, toWeek: from + len, escalation: e })));
export const analytes = fc.uniqueArray(fc.constantFrom(...AN), { minLength: 1, maxLength: 3 });
export const target = fc.oneof(
  analytes.map((a) => ({ kind: 'negative', analytes: a })),
  fc.constant({ kind: 'attendance' }),
  fc.constant({ kind: 'adherence' }),
  analytes.map((a) => ({ kind: 'adherence', source: 'specimen', analytes: a })),
  fc.constant({ kind: 'module' }),
);
export const policy = fc.constantFrom('failure', 'excused');
export const track = fc.record({
  target,
  payout: fc.constantFrom('cents', 'cents', 'draws', 'privilege'),
  phases,
  missed: policy,
  invalid: policy,
  extra: fc.option(fc.tuple(analytes, fc.integer({ min: 0, max: 50 }))),
});
export const caps = fc.option(
  fc.record({
    perItemCents: fc.option(fc.integer({ min: 0, max: 1500 })),
    totalCents: fc.option(fc.integer({ min: 0, max: 5000 })),
    perMonthCents: fc.option(fc.integer({ min: 0, max: 3000 })),
    perYearCents: fc.option(fc.integer({ min: 0, max: 4000 })),
  }),
);

export function buildProtocol(tracks: fc.Arbitrary<unknown>[] | unknown[], c: unknown, clawback = false): Protocol {
  const ts = (tracks as { target: { kind: string; source?: string }; payout: string; phases: unknown; missed: string; invalid: string; extra: [string[], number] | null }[]).map((t, i) => {
    const readsSpec = t.target.kind === 'negative' || t.target.source === 'specimen';
    return {
      id: `t${i}`,
      target: t.target,
      payout: t.payout,
      phases: t.phases,
      missed: t.missed,
      invalid: t.invalid,
      ...(t.payout === 'privilege' ? { levels: ['L0', 'L1', 'L2'] } : {}),
      ...(readsSpec && t.extra ? { bonusTargets: [{ target: { kind: 'negative', analytes: t.extra[0] }, extra: t.extra[1] }] } : {}),
    };
  });
  const r = parseProtocol({ id: 'p', version: 1, name: 'P', citation: 'c', bowl: BOWL, tracks: ts, ...(c ? { caps: c } : {}), clawback });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.protocol;
}
export const protocolArb = fc.tuple(fc.array(track, { minLength: 1, maxLength: 3 }), caps).map(([t, c]) => buildProtocol(t, c));
export const protocolNoCaps = fc.array(track, { minLength: 1, maxLength: 3 }).map((t) => buildProtocol(t, null));

export const result = fc.constantFrom('positive', 'negative', 'negative', 'inconclusive');
export const results = fc.dictionary(fc.constantFrom(...AN), result, { maxKeys: 4 });
export const body = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('specimen'), results, valid: fc.constantFrom(true, true, true, false) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('missed'), of: fc.constantFrom('specimen', 'dose', 'attendance', 'module') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dose'), taken: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attendance'), attended: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('module'), completed: fc.boolean() }) },
);
export const iso = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
/** Events with distinct instants (minute offsets over ~10 weeks) plus corrections/adjudications of specimens. */
export const eventsArb = fc
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

export function doc(list: unknown[]) {
  const r = parseEvents({ enrolment: { id: 'e1', start: '2026-01-05', prescribed: ['buprenorphine'] }, events: list });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
export const seed = '5eed'.repeat(16);
