import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { forecast, Sfc32, ForecastInputError } from './forecast.ts';
import { getPreset, presetSchedule, presetNames } from './presets.ts';
import { parseProtocol, type Protocol } from './protocol.ts';

const preset = (name: string) => ({ protocol: getPreset(name)!, schedule: presetSchedule(name)! });

describe('Sfc32', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Sfc32(123);
    const b = new Sfc32(123);
    const c = new Sfc32(124);
    const xs = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(xs);
    expect(new Sfc32('abc').next()).toBe(new Sfc32('abc').next());
  });

  it('gives roughly uniform floats in [0, 1)', () => {
    const r = new Sfc32(7);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      else bins[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

describe('forecast', () => {
  it('is reproducible with the same seed and different with another', () => {
    const input = { ...preset('ctn-0007'), patients: 200, success: [0.3, 0.5, 0.6], attendance: 0.85, iterations: 10 };
    const a = forecast({ ...input, seed: 42 });
    const b = forecast({ ...input, seed: 42 });
    const c = forecast({ ...input, seed: 43 });
    expect(b).toEqual(a);
    expect(c.perPatient.meanCents).not.toBe(a.perPatient.meanCents);
  });

  it('equals the analytic all-success cost exactly for cents protocols when everyone succeeds and attends', () => {
    for (const name of ['higgins-1994', 'stimulant-24wk-medicaid', 'attendance-vouchers', 'medication-adherence']) {
      const r = forecast({ ...preset(name), patients: 100, success: 1, attendance: 1, seed: 1, iterations: 1 });
      expect(r.perPatient.meanCents, name).toBe(r.analytic.allSuccessExpectedCents);
      expect(r.perPatient.p99Cents, name).toBe(r.analytic.maxCents);
      expect(r.programme.meanCents, name).toBe(100 * r.analytic.allSuccessExpectedCents);
    }
    expect(forecast({ ...preset('higgins-1994'), patients: 10, success: 1, seed: 1, iterations: 1 }).perPatient.meanCents).toBe(99_750);
  });

  it('draws protocols: exactly 204 draws each, mean prize cost within 2% of 204 × $2.218', () => {
    const r = forecast({ ...preset('ctn-0007'), patients: 20_000, success: 1, attendance: 1, seed: 9, iterations: 1 });
    expect(r.meanDraws).toBe(204);
    expect(r.analytic.allSuccessExpectedCents).toBeCloseTo(45_247.2, 6);
    expect(Math.abs(r.perPatient.meanCents - 45_247.2) / 45_247.2).toBeLessThan(0.02);
  });

  it('orders percentiles, bounds them by the analytic maximum, keeps cap probabilities in [0, 1]', () => {
    for (const name of presetNames()) {
      const r = forecast({ ...preset(name), patients: 50, success: [0.2, 0.4, 0.6, 0.7], attendance: 0.8, seed: 3, iterations: 200 });
      const p = r.perPatient;
      expect(p.p50Cents <= p.p90Cents && p.p90Cents <= p.p99Cents && p.p99Cents <= r.analytic.maxCents, name).toBe(true);
      expect(p.maxCents).toBeLessThanOrEqual(r.analytic.maxCents);
      const g = r.programme;
      expect(g.method).toBe('simulation');
      expect(g.p50Cents <= g.p90Cents && g.p90Cents <= g.p99Cents && g.p99Cents <= 50 * r.analytic.maxCents, name).toBe(true);
      for (const v of Object.values(r.capHitProbability)) if (v !== null) expect(v >= 0 && v <= 1, name).toBe(true);
    }
  });

  it('applies caps like the ledger and reports how often they bind', () => {
    const r0 = parseProtocol({ ...JSON.parse(JSON.stringify(getPreset('higgins-1994'))), caps: { totalCents: 30_000, perMonthCents: 20_000 } });
    if (!r0.ok) throw new Error('parse');
    const r = forecast({ protocol: r0.protocol, schedule: { 'cocaine-abstinence': 3 }, patients: 1000, success: 0.9, seed: 5, iterations: 1 });
    expect(r.perPatient.maxCents).toBeLessThanOrEqual(30_000);
    expect(r.capHitProbability.total! + r.capHitProbability.perMonth!).toBeGreaterThan(0);
    expect(r.capHitProbability.perYear).toBeNull();
    expect(r.capHitProbability.perItem).toBeNull();
    expect(r.analytic.maxCents).toBe(30_000);
  });

  it('lower success lowers cost; missed opportunities follow the track policy', () => {
    const hi = forecast({ ...preset('higgins-1994'), patients: 2000, success: 0.8, seed: 1, iterations: 1 });
    const lo = forecast({ ...preset('higgins-1994'), patients: 2000, success: 0.3, seed: 1, iterations: 1 });
    expect(lo.perPatient.meanCents).toBeLessThan(hi.perPatient.meanCents);
    const none = forecast({ ...preset('higgins-1994'), patients: 100, success: 1, attendance: 0, seed: 1, iterations: 1 });
    expect(none.perPatient.maxCents).toBe(0);
  });

  it('reports progress and uses the normal approximation for a large programme run once', () => {
    const seen: number[] = [];
    const r = forecast({ ...preset('higgins-1994'), patients: 5000, success: 0.5, seed: 2, onProgress: (f) => seen.push(f) });
    expect(r.iterations).toBe(20);
    expect(r.programme.method).toBe('normal-approximation');
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(1);
    expect(r.programme.p90Cents).toBeGreaterThan(r.programme.p50Cents);
  });

  it('rejects bad input with a clear message', () => {
    const ok = { ...preset('higgins-1994'), patients: 10, success: 0.5, seed: 1 };
    expect(() => forecast({ ...ok, patients: 0 })).toThrow(ForecastInputError);
    expect(() => forecast({ ...ok, success: [1.5] })).toThrow(/from 0 to 1/);
    expect(() => forecast({ ...ok, success: [] })).toThrow(/at least one/);
    expect(() => forecast({ ...ok, schedule: { nope: 2 } })).toThrow(/unknown track/);
    expect(() => forecast({ ...ok, weeks: 0 })).toThrow(/weeks/);
    expect(() => forecast({ ...ok, patients: 1_000_000, iterations: 100 })).toThrow(/at most/);
  });

  it('property: no simulated patient ever costs more than the analytic maximum', () => {
    const escalation = fc.record({
      start: fc.integer({ min: 0, max: 1000 }),
      step: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
      stepEvery: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      max: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
      bonusEvery: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      bonus: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
      recoverAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    });
    const track = (i: number) =>
      fc
        .record({
          payout: fc.constantFrom('cents', 'draws'),
          kind: fc.constantFrom('negative', 'attendance', 'dose'),
          split: fc.integer({ min: 1, max: 8 }),
          e1: escalation,
          e2: escalation,
          extra: fc.integer({ min: 0, max: 3 }),
          missed: fc.constantFrom('failure', 'excused'),
        })
        .map((t) => ({
          id: `t${i}`,
          target: t.kind === 'negative' ? { kind: 'negative', analytes: ['cocaine'] } : t.kind === 'attendance' ? { kind: 'attendance' } : { kind: 'adherence', source: 'dose' },
          payout: t.payout,
          phases: [
            { fromWeek: 1, toWeek: t.split, escalation: t.e1 },
            { fromWeek: t.split + 1, toWeek: 10, escalation: t.e2 },
          ],
          ...(t.kind === 'negative' && t.extra > 0 ? { bonusTargets: [{ target: { kind: 'negative', analytes: ['opiates'] }, extra: t.extra }] } : {}),
          missed: t.missed,
        }));
    const caps = fc.option(
      fc.record({
        totalCents: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
        perMonthCents: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
        perItemCents: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.tuple(track(0), fc.option(track(1), { nil: undefined })),
        caps,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        ([t0, t1], capsV, success, attendance, perWeek, seed) => {
          const tracks = t1 ? [t0, t1] : [t0];
          const r = parseProtocol({
            id: 'p',
            version: 1,
            name: 'P',
            citation: 'c',
            weeks: 10,
            tracks,
            bowl: {
              slips: [
                { tier: 'none', count: 5, valueCents: 0 },
                { tier: 'small', count: 4, valueCents: 100 },
                { tier: 'big', count: 1, valueCents: 2500 },
              ],
            },
            ...(capsV ? { caps: capsV } : {}),
          });
          if (!r.ok) throw new Error(JSON.stringify(r.problems));
          const schedule = Object.fromEntries(tracks.map((t) => [t.id, perWeek]));
          const f = forecast({ protocol: r.protocol as Protocol, schedule, patients: 40, iterations: 1, success, attendance, bonusSuccess: 0.7, seed });
          expect(f.perPatient.maxCents).toBeLessThanOrEqual(f.analytic.maxCents);
          expect(f.perPatient.p99Cents).toBeLessThanOrEqual(f.analytic.maxCents);
          expect(f.meanDraws).toBeLessThanOrEqual(f.analytic.maxDraws);
        },
      ),
      { numRuns: 60, seed: 20260105 },
    );
  });
});
