import { describe, expect, it } from 'vitest';
import { CAP_PRESETS, capPreset } from './caps.ts';
import { parseProtocol } from './protocol.ts';
import { BOWL } from './testkit.ts';

const ok = {
  id: 'p',
  version: 1,
  name: 'P',
  citation: 'Higgins et al. 1994',
  weeks: 12,
  tracks: [
    {
      id: 't',
      target: { kind: 'negative', analytes: ['cocaine'] },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125, bonusEvery: 3, bonus: 1000, resetTo: 'start', max: null, recoverAfter: null } }],
    },
  ],
};

describe('parseProtocol', () => {
  it('accepts a valid protocol', () => {
    const r = parseProtocol(ok);
    expect(r.ok).toBe(true);
  });
  it('reports every problem with its JSON path, cross-field rules included', () => {
    const r = parseProtocol({
      id: '',
      version: 1,
      name: 'P',
      citation: 'c',
      extraneous: 1,
      bowl: {
        slips: [
          { tier: 'a', count: 0, valueCents: 1.5 },
          { tier: 'a', count: 2, valueCents: 5 },
        ],
      },
      carryOverWindows: { heroin: 3 },
      caps: { perYearCents: -1 },
      tracks: [
        {
          id: 'a',
          target: { kind: 'negative', analytes: ['cocaine', 'crack'] },
          payout: 'cents',
          phases: [
            { fromWeek: 1, toWeek: 2, escalation: { start: 1 } },
            { fromWeek: 5, toWeek: 3, escalation: { start: -5, resetTo: 'last' } },
          ],
        },
        {
          id: 'a',
          target: { kind: 'attendance' },
          payout: 'privilege',
          phases: [{ fromWeek: 1, toWeek: 1, escalation: {} }],
          bonusTargets: [{ target: { kind: 'negative', analytes: ['opiates'] }, extra: 1 }],
        },
        { id: 'c', target: { kind: 'adherence', source: 'specimen' }, payout: 'draws', phases: [{ fromWeek: 1, toWeek: 1, escalation: { step: 1 } }], missed: 'ignored' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    for (const p of [
      'id',
      'extraneous',
      'bowl.slips[0].count',
      'bowl.slips[0].valueCents',
      'bowl.slips[1].tier',
      'carryOverWindows.heroin',
      'caps.perYearCents',
      'tracks[0].target.analytes[1]',
      'tracks[0].phases[1].escalation.start',
      'tracks[0].phases[1].escalation.resetTo',
      'tracks[0].phases[1].toWeek',
      'tracks[1].id',
      'tracks[1].levels',
      'tracks[1].bonusTargets',
      'tracks[2].target.analytes',
      'tracks[2].missed',
      'tracks[2].phases[0].escalation.start',
    ])
      expect(paths, p).toContain(p);
    expect(r.problems.find((p) => p.path === 'tracks[0].target.analytes[1]')!.message).toMatch(/unknown analyte "crack"/);
    expect(r.problems.find((p) => p.path === 'tracks[0].phases[1].escalation.resetTo')!.message).toMatch(/"start"/);
  });
  it('a draws track needs a bowl', () => {
    const r = parseProtocol({ ...ok, tracks: [{ ...ok.tracks[0], payout: 'draws' }] });
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'tracks[0].payout', message: 'a draws track needs the protocol to have a bowl' }]);
    expect(parseProtocol({ ...ok, bowl: BOWL, tracks: [{ ...ok.tracks[0], payout: 'draws' }] }).ok).toBe(true);
  });
  it('rejects a non-object', () => {
    expect(parseProtocol(42).ok).toBe(false);
  });
  it('cap presets', () => {
    expect(CAP_PRESETS['samhsa-2025']).toEqual({ fundingSource: 'samhsa', noCash: true, perYearCents: 75000 });
    expect(capPreset('medicaid-style')!.perYearCents).toBe(59900);
    expect(capPreset('oig-nominal')).toMatchObject({ perItemCents: 1500, perYearCents: 7500 });
    expect(capPreset('none')).toEqual({});
    expect(capPreset('toString')).toBeUndefined();
    for (const c of Object.values(CAP_PRESETS)) expect(parseProtocol({ ...ok, caps: c }).ok).toBe(true);
  });
});
