import { describe, it, expect } from 'vitest';
import higginsJson from '../../content/cm-presets/higgins-1994.json' with { type: 'json' };
import ctnJson from '../../content/cm-presets/ctn-0007.json' with { type: 'json' };
import { presetNames, getPreset, presetSummary, presetSummaries, presetSchedule } from './presets.ts';
import { analyseCost, calendarSpan, formatDollars } from './cost.ts';
import { protocolCautions } from './cautions.ts';
import { parseProtocol, type Protocol } from './protocol.ts';
import { parseEvents } from './events.ts';
import { replay } from './replay.ts';
import { expectedValueCents } from './draws.ts';

const START = Date.UTC(2026, 0, 5); // a Monday
const at = (day: number, hour = 9): string => new Date(START + day * 86_400_000 + hour * 3_600_000).toISOString();

/** Every opportunity of the preset's schedule, all successful, as replay input. */
function allSuccessEvents(p: Protocol, schedule: Record<string, number | readonly number[]>, weeks: number, results: Record<string, string>) {
  const events: Record<string, unknown>[] = [];
  let id = 0;
  const kinds = new Set<string>();
  for (const t of p.tracks) {
    const k = t.target.kind === 'negative' || (t.target.kind === 'adherence' && t.target.source === 'specimen') ? 'specimen' : t.target.kind === 'adherence' ? 'dose' : t.target.kind;
    if (kinds.has(k)) continue;
    kinds.add(k);
    const entry = schedule[t.id] ?? 1;
    for (let w = 1; w <= weeks; w++) {
      const n = typeof entry === 'number' ? entry : entry[Math.min(w - 1, entry.length - 1)]!;
      for (let j = 0; j < n; j++) {
        const d = (w - 1) * 7 + Math.floor((j * 7) / n);
        const base = { id: `x${++id}`, at: at(d) };
        if (k === 'specimen') events.push({ ...base, kind: 'specimen', results, valid: true });
        else if (k === 'dose') events.push({ ...base, kind: 'dose', taken: true });
        else if (k === 'attendance') events.push({ ...base, kind: 'attendance', attended: true });
        else events.push({ ...base, kind: 'module', completed: true });
      }
    }
  }
  const r = parseEvents({ enrolment: { id: 'e-all', start: '2026-01-05' }, events });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const NEGATIVE = { cocaine: 'negative', amphetamine: 'negative', opiates: 'negative', fentanyl: 'negative', oxycodone: 'negative', benzodiazepines: 'negative' };

function replayPreset(name: string) {
  const p = getPreset(name)!;
  const weeks = analyseCost(p).weeks;
  return replay(p, allSuccessEvents(p, presetSchedule(name)!, weeks, NEGATIVE));
}

describe('CM presets', () => {
  it('lists eight presets, every one a valid protocol with a citation', () => {
    const names = presetNames();
    expect(names).toEqual(['higgins-1994', 'ctn-0007', 'petry-martin-2002', 'stimulant-24wk-medicaid', 'attendance-vouchers', 'medication-adherence', 'methadone-take-home', 'skills-modules']);
    for (const n of names) {
      const p = getPreset(n);
      expect(p, n).toBeDefined();
      expect(parseProtocol(JSON.parse(JSON.stringify(p))).ok, n).toBe(true);
      expect(p!.citation.length, n).toBeGreaterThan(40);
    }
    expect(parseProtocol(higginsJson).ok).toBe(true);
    expect(parseProtocol(ctnJson).ok).toBe(true);
    expect(getPreset('no-such-preset')).toBeUndefined();
    expect(presetSummary('no-such-preset')).toBeUndefined();
  });

  it('skills modules: twelve assigned modules finished earn $64.50 (escalating $2 → $5, $5 every fourth), analytically and through replay', () => {
    const s = presetSummary('skills-modules')!;
    expect(s.maxCents).toBe(6_450);
    expect(s.allSuccessExpectedCents).toBe(6_450);
    expect(replayPreset('skills-modules').totals.earnedCents).toBe(6_450);
  });

  it('presets are frozen (a caller cannot change them for everyone)', () => {
    const p = getPreset('higgins-1994')!;
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.tracks[0]!.phases[0]!.escalation)).toBe(true);
  });

  it('Higgins 1994: 36 consecutive negatives earn $997.50, analytically and through replay', () => {
    const s = presetSummary('higgins-1994')!;
    expect(s.maxCents).toBe(99_750);
    expect(s.allSuccessExpectedCents).toBe(99_750);
    expect(s.cost.tracks[0]!.opportunities).toBe(36);
    const out = replayPreset('higgins-1994');
    expect(out.opportunities).toHaveLength(36);
    expect(out.totals.earnedCents).toBe(99_750);
    expect(formatDollars(out.totals.earnedCents)).toBe('$997.50');
  });

  it('CTN-0007: an all-negative 12-week course gives exactly 204 draws (156 escalating + 48 opioid-negative bonus)', () => {
    const s = presetSummary('ctn-0007')!;
    expect(s.maxDraws).toBe(204);
    const out = replayPreset('ctn-0007');
    expect(out.opportunities).toHaveLength(24);
    expect(out.totals.draws).toBe(204);
    expect(out.opportunities.map((o) => o.draws)).toEqual(Array.from({ length: 24 }, (_, i) => Math.ceil((i + 1) / 2) + 2));
    // without the opioid bonus: 2 × (1 + … + 12) = 156
    const p = getPreset('ctn-0007')!;
    const noBonus = replay(p, allSuccessEvents(p, { 'stimulant-abstinence': 2 }, 12, { ...NEGATIVE, opiates: 'positive' }));
    expect(noBonus.totals.draws).toBe(156);
  });

  it('CTN-0007 bowl: expected value $2.218 a draw; all-success expected cost 204 × $2.218', () => {
    const p = getPreset('ctn-0007')!;
    expect(expectedValueCents(p.bowl!)).toBeCloseTo(221.8, 10);
    const s = presetSummary('ctn-0007')!;
    expect(s.drawEvCents).toBeCloseTo(221.8, 10);
    expect(s.allSuccessExpectedCents).toBeCloseTo(204 * 221.8, 6);
    expect(s.maxCents).toBe(204 * 10_000); // every draw the jumbo prize
  });

  it('low-cost prize preset: 108 draws at most, about $240 expected', () => {
    const s = presetSummary('petry-martin-2002')!;
    expect(s.maxDraws).toBe(108);
    expect(replayPreset('petry-martin-2002').totals.draws).toBe(108);
    expect(s.allSuccessExpectedCents).toBeCloseTo(108 * 221.8, 6);
  });

  it('24-week stimulant preset: $10 first, back to $10 after a positive, $597 at most, under the $599/year cap', () => {
    const p = getPreset('stimulant-24wk-medicaid')!;
    expect(p.caps?.perYearCents).toBe(59_900);
    const s = presetSummary('stimulant-24wk-medicaid')!;
    expect(s.maxCents).toBe(59_700);
    expect(s.cost.tracks[0]!.opportunities).toBe(36);
    const all = replayPreset('stimulant-24wk-medicaid');
    expect(all.totals.earnedCents).toBe(59_700);
    expect(all.opportunities[0]!.amountCents).toBe(1000);
    // a positive resets to $10
    const ev = parseEvents({
      enrolment: { id: 'e', start: '2026-01-05' },
      events: [
        { id: 'a', at: at(0), kind: 'specimen', results: { cocaine: 'negative' } },
        { id: 'b', at: at(3), kind: 'specimen', results: { cocaine: 'negative' } },
        { id: 'c', at: at(7), kind: 'specimen', results: { cocaine: 'positive' } },
        { id: 'd', at: at(10), kind: 'specimen', results: { cocaine: 'negative' } },
      ],
    });
    if (!ev.ok) throw new Error('events');
    expect(replay(p, ev.doc).opportunities.map((o) => o.amountCents)).toEqual([1000, 1100, 0, 1000]);
  });

  it('attendance and adherence presets: figures match replay', () => {
    expect(presetSummary('attendance-vouchers')!.maxCents).toBe(24_200);
    expect(replayPreset('attendance-vouchers').totals.earnedCents).toBe(24_200);
    expect(presetSummary('medication-adherence')!.maxCents).toBe(19_875);
    const out = replayPreset('medication-adherence');
    expect(out.opportunities).toHaveLength(84);
    expect(out.totals.earnedCents).toBe(19_875);
  });

  it('methadone take-home track recommends privileges and costs nothing', () => {
    const s = presetSummary('methadone-take-home')!;
    expect(s.maxCents).toBe(0);
    expect(s.cost.tracks[0]!.topPrivilege).toBe('3 take-homes/week');
    const out = replayPreset('methadone-take-home');
    expect(out.totals.earnedCents).toBe(0);
    expect(out.opportunities[0]!.privilege).toBe('daily clinic dosing');
    expect(out.opportunities[4]!.privilege).toBe('1 take-home/week');
    expect(out.opportunities.at(-1)!.privilege).toBe('3 take-homes/week');
  });

  it('no preset rewards opioid abstinence alone', () => {
    for (const s of presetSummaries()) expect(s.cautions, s.name).toEqual([]);
  });
});

describe('protocolCautions', () => {
  const base = { id: 'p', version: 1, name: 'P', citation: 'c' };
  const phases = [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125 } }];
  const parse = (tracks: unknown[]): Protocol => {
    const r = parseProtocol({ ...base, tracks });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.protocol;
  };
  const neg = (id: string, analytes: string[]) => ({ id, target: { kind: 'negative', analytes }, payout: 'cents', phases });

  it('warns when a protocol rewards opioid-negative specimens with no medication, adherence or attendance component', () => {
    for (const analytes of [['opiates'], ['fentanyl'], ['oxycodone'], ['opiates', 'fentanyl', 'oxycodone']]) {
      const c = protocolCautions(parse([neg('opioids', analytes)]));
      expect(c).toHaveLength(1);
      expect(c[0]!.code).toBe('opioid-abstinence-cm-overdose-risk');
      expect(c[0]!.tracks).toEqual(['opioids']);
      expect(c[0]!.message).toMatch(/overdose/);
      expect(c[0]!.message).toMatch(/tolerance/);
    }
  });

  it('does not warn when stimulants are in the target, or an adherence, attendance or take-home track is present', () => {
    expect(protocolCautions(parse([neg('both', ['opiates', 'cocaine'])]))).toEqual([]);
    expect(protocolCautions(parse([neg('stim', ['cocaine'])]))).toEqual([]);
    expect(protocolCautions(parse([neg('o', ['opiates']), { id: 'a', target: { kind: 'attendance' }, payout: 'cents', phases }]))).toEqual([]);
    expect(protocolCautions(parse([neg('o', ['fentanyl']), { id: 'd', target: { kind: 'adherence', source: 'dose' }, payout: 'cents', phases }]))).toEqual([]);
    expect(protocolCautions(parse([neg('o', ['opiates']), { id: 'm', target: { kind: 'adherence', source: 'specimen', analytes: ['buprenorphine'] }, payout: 'cents', phases }]))).toEqual([]);
    expect(
      protocolCautions(
        parse([
          { id: 't', target: { kind: 'negative', analytes: ['opiates'] }, payout: 'privilege', levels: ['daily', '1/week'], phases: [{ fromWeek: 1, toWeek: 12, escalation: { stepEvery: 4 } }] },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('cost analysis', () => {
  it('counts the calendar months and years a course can touch', () => {
    expect(calendarSpan(84, '2026-01-05')).toEqual({ months: 3, years: 1 });
    expect(calendarSpan(84, '2026-01-31')).toEqual({ months: 4, years: 1 });
    expect(calendarSpan(168, '2026-11-02')).toEqual({ months: 6, years: 2 });
    expect(calendarSpan(84)).toEqual({ months: 4, years: 2 });
  });

  it('limits the maximum by the protocol caps and says which', () => {
    const r = parseProtocol({ ...JSON.parse(JSON.stringify(higginsJson)), caps: { totalCents: 50_000 } });
    if (!r.ok) throw new Error('parse');
    const a = analyseCost(r.protocol, { schedule: { 'cocaine-abstinence': 3 } });
    expect(a.uncappedMaxCents).toBe(99_750);
    // without a schedule, Waypoint's default of two specimens a week applies
    expect(analyseCost(r.protocol).uncappedMaxCents).toBe(48_500);
    expect(a.maxCents).toBe(50_000);
    expect(a.maxLimitedBy).toBe('total');
    expect(a.exact).toBe(false);
  });

  it('per-item cap: a prize above it pays nothing, so it drops out of the expected value', () => {
    const r = parseProtocol({ ...JSON.parse(JSON.stringify(ctnJson)), caps: { perItemCents: 1500 } });
    if (!r.ok) throw new Error('parse');
    const a = analyseCost(r.protocol, { schedule: { 'stimulant-abstinence': 2 } });
    expect(a.drawEvCents).toBeCloseTo((209 * 100) / 500, 10);
    expect(a.maxPrizeCents).toBe(100);
  });
});
