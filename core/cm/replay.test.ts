import { describe, expect, it } from 'vitest';
import { drawSlip } from './draws.ts';
import { parseEvents } from './events.ts';
import { BOWL, cents, day, protocol, run, spec } from './testkit.ts';

const NEG = { cocaine: 'negative' };
const POS = { cocaine: 'positive' };
const row = (o: ReturnType<typeof run>, i: number) => o.opportunities[i]!;
const outcomes = (o: ReturnType<typeof run>) => o.opportunities.map((r) => r.outcome);

describe('replay: golden totals', () => {
  it('Higgins 1994: 36 negatives at 3/week for 12 weeks earn 99750 cents', () => {
    const p = protocol([
      cents(
        'cocaine',
        ['cocaine'],
        { start: 250, step: 125, bonusEvery: 3, bonus: 1000 },
        { phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000 } }] },
      ),
    ]);
    const list = [];
    for (let w = 0; w < 12; w++) for (const d of [0, 2, 4]) list.push(spec(day(w * 7 + d), NEG));
    const o = run(p, list);
    expect(o.opportunities).toHaveLength(36);
    expect(o.totals).toEqual({ earnedCents: 99750, draws: 0, prizeCents: 0 });
    expect(row(o, 2)).toEqual({
      event: row(o, 2).event,
      track: 'cocaine',
      outcome: 'success',
      s: 3,
      level: 3,
      amountCents: 500,
      bonusCents: 1000,
      draws: 0,
      prizes: [],
      privilege: null,
      capped: null,
    });
    expect(o.ledger.reduce((a, e) => a + e.cents, 0)).toBe(99750);
  });

  it('the spec example file', () => {
    const p = protocol([cents('stimulant-abstinence', ['cocaine', 'amphetamine'])]);
    const o = run(
      p,
      [
        { id: 'r1', at: '2026-01-05T09:00:00Z', kind: 'specimen', results: { cocaine: 'negative', amphetamine: 'negative', buprenorphine: 'positive' }, valid: true },
        { id: 'r2', at: '2026-01-07T09:00:00Z', kind: 'missed', of: 'specimen' },
        { id: 'd1', at: '2026-01-07T08:00:00Z', kind: 'dose', taken: true },
        { id: 'a1', at: '2026-01-08T10:00:00Z', kind: 'attendance', attended: true },
      ],
      { prescribed: ['buprenorphine'] },
    );
    expect(o.opportunities.map((r) => [r.event, r.outcome, r.s, r.amountCents])).toEqual([
      ['r1', 'success', 1, 250],
      ['r2', 'failure', 0, 0],
    ]);
    expect(o.ledger).toEqual([{ id: 'r1/stimulant-abstinence/earn', kind: 'earn', event: 'r1', track: 'stimulant-abstinence', month: '2026-01', cents: 250, n: null, tier: null, capped: null }]);
  });
});

describe('replay: outcome rules (§4)', () => {
  const p = protocol([cents('t', ['cocaine', 'opiates'], { start: 100, step: 0 }), cents('x', ['cocaine'], { start: 100 }, { invalid: 'excused', missed: 'excused' })]);
  it('rule 1: invalid specimen takes the invalid policy and is skipped for carry-over', () => {
    const o = run(p, [spec(day(0), POS), spec(day(1), NEG, { valid: false }), spec(day(2), POS)]);
    expect(outcomes(o)).toEqual(['failure', 'failure', 'failure', 'excused', 'pending', 'pending']);
  });
  it('rule 2: a prescribed medication is not positive', () => {
    const q = protocol([cents('t', ['opiates', 'buprenorphine'])]);
    expect(outcomes(run(q, [spec(day(0), { buprenorphine: 'positive', opiates: 'negative' })], { prescribed: ['buprenorphine'] }))).toEqual(['success']);
    expect(outcomes(run(q, [spec(day(0), { buprenorphine: 'positive' })]))).toEqual(['failure']);
  });
  it('rules 3–5: carry-over candidates are pending; any fresh positive fails', () => {
    const o = run(p, [spec(day(0), POS), spec(day(1), { cocaine: 'positive', opiates: 'positive' }), spec(day(2), { cocaine: 'positive' })]);
    // day1: opiates has no earlier result → fresh → failure; day2: cocaine within 4 days → pending
    expect(outcomes(o)).toEqual(['failure', 'failure', 'failure', 'pending', 'pending', 'pending']);
  });
  it('rule 6: absent analytes and values other than "positive" are not positive', () => {
    expect(outcomes(run(p, [spec(day(0), { cocaine: 'inconclusive' }), spec(day(1), {})]))).toEqual(['success', 'success', 'success', 'success']);
  });
  it('carry-over window is inclusive at exactly window × 24 h (offsets honoured), not a millisecond more', () => {
    const q = protocol([cents('t', ['cocaine'])]);
    const base = spec('2026-01-05T09:00:00Z', POS);
    expect(outcomes(run(q, [base, spec('2026-01-09T04:00:00-05:00', POS)]))).toEqual(['failure', 'pending']);
    expect(outcomes(run(q, [base, spec('2026-01-09T09:00:00.001Z', POS)]))).toEqual(['failure', 'failure']);
    expect(outcomes(run(q, [base, spec('2026-01-09T09:00:00.000000001Z', POS)]))).toEqual(['failure', 'failure']);
  });
  it('carry-over windows can be overridden or removed per analyte', () => {
    const q = protocol([cents('t', ['cocaine', 'xylazine'])], { carryOverWindows: { cocaine: 1, xylazine: 2 } });
    expect(outcomes(run(q, [spec(day(0), POS), spec(day(2), POS)]))).toEqual(['failure', 'failure']);
    expect(outcomes(run(q, [spec(day(0), { xylazine: 'positive' }), spec(day(2), { xylazine: 'positive' })]))).toEqual(['failure', 'pending']);
    const none = protocol([cents('t', ['cocaine'])], { carryOverWindows: { cocaine: null } });
    expect(outcomes(run(none, [spec(day(0), POS), spec(day(1), POS)]))).toEqual(['failure', 'failure']);
  });
  it('a negative result ends a carry-over chain', () => {
    const q = protocol([cents('t', ['cocaine'])]);
    expect(outcomes(run(q, [spec(day(0), POS), spec(day(1), NEG), spec(day(2), POS)]))).toEqual(['failure', 'success', 'failure']);
  });
  it('an earlier positive on a specimen of any outcome (even in an uncovered week) counts', () => {
    const q = protocol([{ id: 't', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'cents', phases: [{ fromWeek: 2, toWeek: 3, escalation: { start: 100 } }] }]);
    const o = run(q, [spec('2026-01-11T20:00:00Z', POS), spec('2026-01-12T09:00:00Z', POS)]);
    expect(o.opportunities.map((r) => r.outcome)).toEqual(['pending']);
  });
  it('missed events take the missed policy on negative and specimen-adherence tracks', () => {
    const q = protocol([
      cents('a', ['cocaine']),
      { id: 'b', target: { kind: 'adherence', source: 'specimen', analytes: ['buprenorphine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 10 } }], missed: 'excused' },
      { id: 'c', target: { kind: 'adherence' }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 10 } }] },
    ]);
    const o = run(q, [
      { id: 'm', at: day(0), kind: 'missed', of: 'specimen' },
      { id: 'm2', at: day(1), kind: 'missed', of: 'dose' },
      { id: 'd', at: day(2), kind: 'dose', taken: true },
    ]);
    expect(o.opportunities.map((r) => `${r.event}:${r.track}:${r.outcome}`)).toEqual(['m:a:failure', 'm:b:excused', 'm2:c:failure', 'd:c:success']);
  });
  it('adherence from specimens needs every listed analyte positive and ignores prescriptions', () => {
    const q = protocol([{ id: 'b', target: { kind: 'adherence', source: 'specimen', analytes: ['buprenorphine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 10 } }] }]);
    expect(outcomes(run(q, [spec(day(0), { buprenorphine: 'positive' }), spec(day(1), { buprenorphine: 'negative' }), spec(day(2), {})], { prescribed: ['buprenorphine'] }))).toEqual([
      'success',
      'failure',
      'failure',
    ]);
  });
  it('attendance, dose and module targets', () => {
    const ph = [{ fromWeek: 1, toWeek: 9, escalation: { start: 10 } }];
    const q = protocol([
      { id: 'att', target: { kind: 'attendance' }, payout: 'cents', phases: ph },
      { id: 'mod', target: { kind: 'module' }, payout: 'cents', phases: ph },
    ]);
    const o = run(q, [
      { id: 'a1', at: day(0), kind: 'attendance', attended: true },
      { id: 'a2', at: day(1), kind: 'attendance', attended: false },
      { id: 'm1', at: day(2), kind: 'module' },
      { id: 'm2', at: day(3), kind: 'module', completed: false },
    ]);
    expect(outcomes(o)).toEqual(['success', 'failure', 'success', 'failure']);
  });
});

describe('replay: corrections and adjudications (§5)', () => {
  const p = protocol([cents('t', ['cocaine', 'opiates'], { start: 100 })]);
  it('a correction replaces listed analytes, keeps the rest, and applies whatever its time', () => {
    const o = run(p, [
      { id: 'r1', at: day(0), kind: 'specimen', results: { cocaine: 'positive', opiates: 'positive' } },
      { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: { cocaine: 'negative' } },
    ]);
    expect(outcomes(o)).toEqual(['failure']);
    const o2 = run(p, [
      { id: 'r1', at: day(0), kind: 'specimen', results: { cocaine: 'positive', opiates: 'negative' } },
      { id: 'c1', at: day(9), kind: 'correction', supersedes: 'r1', results: { cocaine: 'negative' } },
    ]);
    expect(outcomes(o2)).toEqual(['success']);
  });
  it('corrections merge in event order (latest wins), and can change validity', () => {
    const base = { id: 'r1', at: day(0), kind: 'specimen', results: { cocaine: 'negative' } };
    const o = run(p, [
      { id: 'c2', at: day(6), kind: 'correction', supersedes: 'r1', results: { cocaine: 'negative' } },
      base,
      { id: 'c1', at: day(5), kind: 'correction', supersedes: 'r1', results: { cocaine: 'positive' } },
    ]);
    expect(outcomes(o)).toEqual(['success']);
    const o2 = run(p, [base, { id: 'c1', at: day(5), kind: 'correction', supersedes: 'r1', valid: false }]);
    expect(outcomes(o2)).toEqual(['failure']);
  });
  it('adjudication: carry-over → excused, new-use → failure, latest wins, no effect unless pending', () => {
    const mk = (...adj: [string, number][]) =>
      run(p, [
        { id: 'r0', at: day(0), kind: 'specimen', results: POS },
        { id: 'r1', at: day(1), kind: 'specimen', results: POS },
        ...adj.map(([d, at], i) => ({ id: `j${i}`, at: day(at), kind: 'adjudication', of: 'r1', decision: d })),
        { id: 'r2', at: day(3), kind: 'specimen', results: NEG },
      ]);
    expect(mk().opportunities.map((r) => [r.outcome, r.s])).toEqual([
      ['failure', 0],
      ['pending', 0],
      ['success', 1],
    ]);
    expect(outcomes(mk(['carry-over', 2]))).toEqual(['failure', 'excused', 'success']);
    expect(outcomes(mk(['carry-over', 8], ['new-use', 7]))).toEqual(['failure', 'excused', 'success']);
    expect(outcomes(mk(['carry-over', 7], ['new-use', 8]))).toEqual(['failure', 'failure', 'success']);
    const onFailure = run(p, [
      { id: 'r0', at: day(0), kind: 'specimen', results: POS },
      { id: 'j', at: day(1), kind: 'adjudication', of: 'r0', decision: 'carry-over' },
    ]);
    expect(outcomes(onFailure)).toEqual(['failure']);
  });
  it('pending neither extends nor ends the run; excused neither', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 100, step: 100 }, { invalid: 'excused' })]);
    const o = run(q, [spec(day(0), NEG), spec(day(1), NEG, { valid: false }), spec(day(2), NEG)]);
    expect(o.opportunities.map((r) => [r.outcome, r.s, r.level, r.amountCents])).toEqual([
      ['success', 1, 1, 100],
      ['excused', 1, null, 0],
      ['success', 2, 2, 200],
    ]);
  });
});

describe('replay: weeks, phases, order', () => {
  it('events before the start, in a gap or after the last phase make no row and do not touch the run', () => {
    const q = protocol([
      {
        id: 't',
        target: { kind: 'negative', analytes: ['cocaine'] },
        payout: 'cents',
        phases: [
          { fromWeek: 1, toWeek: 1, escalation: { start: 100, step: 10 } },
          { fromWeek: 3, toWeek: 3, escalation: { start: 1000, step: 10 } },
        ],
      },
    ]);
    const o = run(q, [spec('2026-01-04T23:59:59Z', POS), spec(day(0), NEG), spec(day(8), POS), spec(day(14), NEG), spec(day(21), POS)]);
    expect(o.opportunities.map((r) => [r.outcome, r.s, r.amountCents])).toEqual([
      ['success', 1, 100],
      ['success', 2, 1010],
    ]);
  });
  it('weeks use the UTC date of `at`', () => {
    const q = protocol([{ id: 't', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'cents', phases: [{ fromWeek: 2, toWeek: 2, escalation: { start: 100 } }] }]);
    // 2026-01-11T23:30-05:00 is 2026-01-12T04:30Z → week 2
    expect(run(q, [spec('2026-01-11T23:30:00-05:00', NEG)]).opportunities).toHaveLength(1);
    expect(run(q, [spec('2026-01-12T01:30:00+05:00', NEG)]).opportunities).toHaveLength(0);
  });
  it('overlapping phases: the first listed applies; a phase change keeps the run', () => {
    const q = protocol([
      {
        id: 't',
        target: { kind: 'negative', analytes: ['cocaine'] },
        payout: 'cents',
        phases: [
          { fromWeek: 1, toWeek: 2, escalation: { start: 100, step: 100 } },
          { fromWeek: 2, toWeek: 4, escalation: { start: 5, step: 1 } },
        ],
      },
    ]);
    const o = run(q, [spec(day(0), NEG), spec(day(8), NEG), spec(day(15), NEG)]);
    expect(o.opportunities.map((r) => [r.s, r.amountCents])).toEqual([
      [1, 100],
      [2, 200],
      [3, 7],
    ]);
  });
  it('ties are broken by file position; distinct instants in any file order give the same result', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 100, step: 100 })]);
    const a = { id: 'a', at: day(0), kind: 'specimen', results: NEG };
    const b = { id: 'b', at: '2026-01-05T04:00:00-05:00', kind: 'specimen', results: POS };
    expect(run(q, [a, b]).opportunities.map((r) => r.event)).toEqual(['a', 'b']);
    expect(run(q, [b, a]).opportunities.map((r) => r.event)).toEqual(['b', 'a']);
    const c = { id: 'c', at: day(1), kind: 'specimen', results: NEG };
    expect(run(q, [c, a])).toEqual(run(q, [a, c]));
  });
});

describe('replay: payouts', () => {
  it('draws tracks share one counter in row order; prizes re-derive from the seed', () => {
    const q = protocol(
      [
        { id: 'd1', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1, step: 1, bonusEvery: 2, bonus: 2 } }] },
        { id: 'd2', target: { kind: 'attendance' }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1 } }] },
        { id: 'd3', target: { kind: 'negative', analytes: ['opiates'] }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 2 } }] },
      ],
      { bowl: BOWL },
    );
    const seed = 'ab'.repeat(32);
    const o = run(q, [spec(day(0), NEG), { id: 'at', at: day(1), kind: 'attendance', attended: true }, spec(day(2), NEG)], {}, { seed });
    expect(o.opportunities.map((r) => r.draws)).toEqual([1, 2, 1, 4, 2]);
    const tiers = o.opportunities.flatMap((r) => r.prizes);
    expect(tiers).toHaveLength(10);
    const expected = Array.from({ length: 10 }, (_, i) => drawSlip(seed, 'e1', i + 1, BOWL));
    expect(tiers).toEqual(expected.map((d) => d.tier));
    expect(o.totals.prizeCents).toBe(expected.reduce((a, d) => a + d.valueCents, 0));
    expect(o.totals.draws).toBe(10);
    expect(o.ledger.filter((e) => e.kind === 'prize').map((e) => e.n)).toEqual(expected.map((d) => d.n));
  });
  it('bonus targets add extra after max, never change the run, only on success', () => {
    const q = protocol([
      cents(
        't',
        ['cocaine'],
        { start: 100, step: 100, max: 150 },
        {
          bonusTargets: [
            { target: { kind: 'negative', analytes: ['opiates'] }, extra: 7 },
            { target: { kind: 'negative', analytes: ['buprenorphine', 'fentanyl'] }, extra: 20 },
          ],
        },
      ),
    ]);
    const o = run(
      q,
      [spec(day(0), { cocaine: 'negative', opiates: 'positive', buprenorphine: 'positive' }), spec(day(1), { cocaine: 'negative' }), spec(day(2), { cocaine: 'positive', opiates: 'negative' })],
      { prescribed: ['buprenorphine'] },
    );
    expect(o.opportunities.map((r) => [r.outcome, r.s, r.level, r.amountCents])).toEqual([
      ['success', 1, 1, 120],
      ['success', 2, 2, 177],
      ['failure', 0, null, 0],
    ]);
  });
  it('privilege tracks recommend a level and pay nothing', () => {
    const q = protocol([
      {
        id: 'th',
        target: { kind: 'negative', analytes: ['opiates'] },
        payout: 'privilege',
        levels: ['clinic', '1 take-home', '2 take-homes'],
        phases: [{ fromWeek: 1, toWeek: 9, escalation: { stepEvery: 2 } }],
        invalid: 'excused',
      },
    ]);
    const o = run(q, [
      spec(day(0), { opiates: 'negative' }, { valid: false }),
      ...[1, 2, 3, 4, 5, 6].map((d) => spec(day(d), { opiates: 'negative' })),
      spec(day(7), { opiates: 'positive' }),
      spec(day(8), { opiates: 'negative' }),
    ]);
    expect(o.opportunities.map((r) => r.privilege)).toEqual(['clinic', 'clinic', 'clinic', '1 take-home', '1 take-home', '2 take-homes', '2 take-homes', 'clinic', 'clinic']);
    expect(o.totals).toEqual({ earnedCents: 0, draws: 0, prizeCents: 0 });
    expect(o.ledger).toEqual([]);
  });
});

describe('replay: caps (§6)', () => {
  it('a per-year cap cuts the amount and names itself; bonus comes after earn', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 300, step: 0, bonusEvery: 2, bonus: 500 })], { caps: { perYearCents: 1000 } });
    const o = run(q, [spec(day(0), NEG), spec(day(1), NEG), spec(day(2), NEG), spec(day(3), NEG)]);
    expect(o.opportunities.map((r) => [r.amountCents, r.bonusCents, r.capped])).toEqual([
      [300, 0, null],
      [300, 400, 'perYear'],
      [0, 0, 'perYear'],
      [0, 0, 'perYear'],
    ]);
    expect(o.totals.earnedCents).toBe(1000);
  });
  it('the year resets on 1 January (UTC unless the enrolment gives a time zone)', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 600 })], { caps: { perYearCents: 1000 } });
    const list = [spec('2026-12-31T20:00:00Z', NEG), spec('2027-01-01T02:00:00Z', NEG)];
    const utc = run(q, list, { start: '2026-12-28' });
    expect(utc.opportunities.map((r) => r.amountCents)).toEqual([600, 600]);
    const ny = run(q, list, { start: '2026-12-28', timeZone: 'America/New_York' });
    expect(ny.opportunities.map((r) => [r.amountCents, r.capped])).toEqual([
      [600, null],
      [400, 'perYear'],
    ]);
    expect(ny.ledger.map((e) => e.month)).toEqual(['2026-12', '2026-12']);
  });
  it('total, per-month and per-item caps, the binding one named', () => {
    const q = protocol([cents('t', ['cocaine'], { start: 2000 })], { caps: { perItemCents: 1500, totalCents: 4000, perMonthCents: 2500 } });
    const o = run(q, [spec(day(0), NEG), spec(day(1), NEG), spec(day(30), NEG), spec(day(31), NEG)]);
    expect(o.opportunities.map((r) => [r.amountCents, r.capped])).toEqual([
      [1500, 'perItem'],
      [1000, 'perMonth'],
      [1500, 'perItem'],
      [0, 'total'],
    ]);
  });
  it('a draw whose prize would pass a cap pays no prize and says so', () => {
    const bowl = { slips: [{ tier: 'big', count: 1, valueCents: 2000 }] };
    const q = protocol([{ id: 'd', target: { kind: 'attendance' }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 9, escalation: { start: 1 } }] }], { bowl, caps: { perYearCents: 5000 } });
    const o = run(
      q,
      [1, 2, 3].map((d) => ({ id: `a${d}`, at: day(d), kind: 'attendance', attended: true })),
    );
    expect(o.opportunities.map((r) => [r.prizes, r.capped])).toEqual([
      [['big'], null],
      [['big'], null],
      [['big'], 'perYear'],
    ]);
    expect(o.totals.prizeCents).toBe(4000);
    expect(o.ledger.map((e) => [e.kind, e.n, e.cents, e.capped])).toEqual([
      ['prize', 1, 2000, null],
      ['prize', 2, 2000, null],
      ['prize', 3, 0, 'perYear'],
    ]);
  });
});

describe('events: input errors name the event', () => {
  const bad = (list: unknown[]) => {
    const r = parseEvents({ enrolment: { id: 'e', start: '2026-01-05' }, events: list });
    if (r.ok) throw new Error('expected problems');
    return r.problems;
  };
  it('reports every problem', () => {
    const problems = bad([
      { id: 'x1', at: '2026-01-05T09:00:00Z', kind: 'urine' },
      { id: 'x2', at: '2026-01-05 9am', kind: 'specimen', results: { heroin: 'positive' } },
      { id: 'x3', at: '2026-01-05T09:00:00', kind: 'dose', taken: true },
      { id: 'x4', at: '2026-02-30T09:00:00Z', kind: 'attendance', attended: true },
      { id: 'x5', at: '2026-01-06T09:00:00Z', kind: 'correction', supersedes: 'x6', results: {} },
      { id: 'x6', at: '2026-01-06T09:00:00Z', kind: 'dose', taken: true },
      { id: 'x7', at: '2026-01-06T09:00:00Z', kind: 'adjudication', of: 'nope', decision: 'carry-over' },
      { id: 'x6', at: '2026-01-06T09:00:00Z', kind: 'missed', of: 'party' },
    ]);
    expect(problems.map((p) => [p.path, p.event])).toEqual([
      ['events[0].kind', 'x1'],
      ['events[1].at', 'x2'],
      ['events[1].results.heroin', 'x2'],
      ['events[2].at', 'x3'],
      ['events[3].at', 'x4'],
      ['events[4].supersedes', 'x5'],
      ['events[6].of', 'x7'],
      ['events[7].id', 'x6'],
      ['events[7].of', 'x6'],
    ]);
    expect(problems[0]!.message).toMatch(/unknown event kind "urine"/);
    expect(problems[1]!.message).toMatch(/unparsable time/);
    expect(problems[2]!.message).toMatch(/unknown analyte "heroin"/);
    expect(problems[5]!.message).toMatch(/not a known specimen \(events\[5\] is not a specimen\)/);
  });
});
