import { describe, expect, it } from 'vitest';
import { InstrumentInputError, PHQ9_ITEM9_ALERT, UnknownInstrumentError, URICA_SUBSCALES, scoreInstrument, type ScoreResult } from './index.ts';

/** Builds an answers object: item number → value. */
const answers = (pairs: Record<string, number>) => ({ answers: pairs });
const fill = (items: readonly string[], values: readonly number[] | number): Record<string, number> =>
  Object.fromEntries(items.map((id, i) => [id, typeof values === 'number' ? values : (values[i] ?? NaN)]));
const nums = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

function problemsOf(fn: () => unknown): Array<{ item: string; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InstrumentInputError);
    return (e as InstrumentInputError).problems;
  }
  throw new Error('expected InstrumentInputError');
}

describe('URICA', () => {
  const uricaAnswers = (pc: number[] | number, c: number[] | number, a: number[] | number, m: number[] | number, unscored = 3) => ({
    ...fill(URICA_SUBSCALES.precontemplation, pc),
    ...fill(URICA_SUBSCALES.contemplation, c),
    ...fill(URICA_SUBSCALES.action, a),
    ...fill(URICA_SUBSCALES.maintenance, m),
    ...fill(['4', '9', '20', '31'], unscored),
  });

  it('scores subscale means and readiness (hand-computed: PC 1, C 4, A 3, M 2 → R 8)', () => {
    const r = scoreInstrument('urica', answers(uricaAnswers(1, 4, 3, 2)));
    expect(r).toMatchObject({
      instrument: 'urica',
      complete: true,
      missing: [],
      scores: { precontemplation: 1, contemplation: 4, action: 3, maintenance: 2, readiness: 8 },
      alerts: [],
    });
    expect(r.stage).toMatchObject({ code: 'contemplation', method: 'highest-subscale', validated: false });
    expect(r.stage?.note).toMatch(/not a validated/);
  });

  it('records the stage method: readiness 8 is precontemplation by cut-offs (≤ 8) and nearest group mean (9.3)', () => {
    const input = answers(uricaAnswers(1, 4, 3, 2));
    expect(scoreInstrument('urica', input, { uricaStageMethod: 'readiness-cutoffs' }).stage).toMatchObject({ code: 'precontemplation', method: 'readiness-cutoffs' });
    expect(scoreInstrument('urica', input, { uricaStageMethod: 'nearest-group-mean' }).stage).toMatchObject({ code: 'precontemplation', method: 'nearest-group-mean' });
  });

  it('uses unrounded means (PC 8/7, C 30/7, A 29/7, M 3 → readiness 72/7 = 10.29, contemplation)', () => {
    const r = scoreInstrument('urica', answers(uricaAnswers([2, 1, 1, 1, 1, 1, 1], [5, 5, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4, 5], 3)), { uricaStageMethod: 'readiness-cutoffs' });
    expect(r.scores).toEqual({ precontemplation: 1.14, contemplation: 4.29, action: 4.14, maintenance: 3, readiness: 10.29 });
    expect(r.stage?.code).toBe('contemplation');
  });

  it('readiness above 11 is preparation by cut-offs; action by nearest mean', () => {
    // PC 1, C 4, A 5, M 4 → 12
    const input = answers(uricaAnswers(1, 4, 5, 4));
    expect(scoreInstrument('urica', input).scores.readiness).toBe(12);
    expect(scoreInstrument('urica', input, { uricaStageMethod: 'readiness-cutoffs' }).stage?.code).toBe('preparation');
    expect(scoreInstrument('urica', input, { uricaStageMethod: 'nearest-group-mean' }).stage?.code).toBe('action');
    expect(scoreInstrument('urica', input).stage?.code).toBe('action');
  });

  it('reports ties under highest-subscale and picks the earliest stage', () => {
    const r = scoreInstrument('urica', answers(uricaAnswers(3, 3, 3, 3)));
    expect(r.scores.readiness).toBe(6);
    expect(r.stage).toMatchObject({ code: 'precontemplation', tiedWith: ['contemplation', 'action', 'maintenance'] });
  });

  it('computes each subscale only when its items are answered; readiness and stage need all four', () => {
    const a = uricaAnswers(1, 4, 3, 2);
    delete a['1'];
    const r = scoreInstrument('urica', answers(a));
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['1']);
    expect(r.scores).toEqual({ precontemplation: null, contemplation: 4, action: 3, maintenance: 2, readiness: null });
    expect(r.stage).toBeUndefined();
  });

  it('an unanswered unscored item makes the form incomplete but leaves every score', () => {
    const a = uricaAnswers(1, 4, 3, 2);
    delete a['20'];
    const r = scoreInstrument('urica', answers(a));
    expect(r).toMatchObject({ complete: false, missing: ['20'], scores: { readiness: 8 } });
  });

  it('lists every bad item in one error', () => {
    const problems = problemsOf(() => scoreInstrument('urica', answers({ '1': 0, '2': 6, '3': 2.5, '99': 1, ...({ '5': '3' } as unknown as Record<string, number>) })));
    expect(problems.map((p) => p.item).sort()).toEqual(['1', '2', '3', '5', '99']);
    expect(problems.find((p) => p.item === '1')?.message).toMatch(/integer from 1 to 5/);
    expect(problems.find((p) => p.item === '99')?.message).toMatch(/unknown item/);
  });

  it('treats null as unanswered', () => {
    const r = scoreInstrument('urica', { answers: { '1': null } });
    expect(r.missing).toHaveLength(32);
    expect(Object.values(r.scores).every((v) => v === null)).toBe(true);
  });
});

describe('SOCRATES 8D', () => {
  it('all 3s: recognition 21 (decile 10), ambivalence 12 (30), taking steps 24 (10)', () => {
    const r = scoreInstrument('socrates-8d', answers(fill(nums(19), 3)));
    expect(r.scores).toEqual({ recognition: 21, ambivalence: 12, takingSteps: 24 });
    expect(r.band?.deciles).toEqual({
      recognition: { decile: 10, label: 'Very Low' },
      ambivalence: { decile: 30, label: 'Low' },
      takingSteps: { decile: 10, label: 'Very Low' },
    });
    expect(r.band?.norms).toMatch(/alcohol/);
  });

  it('maxima map to the top published rows (recognition tops out at the 70th decile)', () => {
    const r = scoreInstrument('socrates-8d', answers(fill(nums(19), 5)));
    expect(r.scores).toEqual({ recognition: 35, ambivalence: 20, takingSteps: 40 });
    expect(r.band?.deciles).toEqual({
      recognition: { decile: 70, label: 'High' },
      ambivalence: { decile: 90, label: 'Very High' },
      takingSteps: { decile: 90, label: 'Very High' },
    });
  });

  it('mid-table: recognition 32 (50), ambivalence 18 (80), taking steps 33 (50)', () => {
    const a = {
      ...fill(['1', '3', '7', '10', '12', '15', '17'], [5, 5, 5, 4, 4, 5, 4]),
      ...fill(['2', '6', '11', '16'], [4, 4, 5, 5]),
      ...fill(['4', '5', '8', '9', '13', '14', '18', '19'], [4, 4, 4, 4, 4, 4, 4, 5]),
    };
    const r = scoreInstrument('socrates-8d', answers(a));
    expect(r.scores).toEqual({ recognition: 32, ambivalence: 18, takingSteps: 33 });
    expect(r.band?.deciles?.ambivalence).toEqual({ decile: 80, label: null });
  });

  it('incomplete: only scales with all items are scored', () => {
    const a = fill(nums(19), 3);
    delete a['2'];
    const r = scoreInstrument('socrates-8d', answers(a));
    expect(r).toMatchObject({ complete: false, missing: ['2'], scores: { recognition: 21, ambivalence: null, takingSteps: 24 } });
    expect(r.band?.deciles?.ambivalence).toBeNull();
  });

  it('rejects out-of-range answers', () => {
    expect(problemsOf(() => scoreInstrument('socrates-8d', answers({ '1': 6, '19': -1 }))).map((p) => p.item)).toEqual(['1', '19']);
  });
});

describe('PHQ-9', () => {
  const phq = (values: number[], extra: Record<string, number> = {}) => scoreInstrument('phq-9', answers({ ...fill(nums(9), values), ...extra }));

  it('total 8, mild, no alert', () => {
    const r = phq([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(r).toEqual<ScoreResult>({ instrument: 'phq-9', complete: true, missing: [], scores: { total: 8 }, band: { code: 'mild', label: 'Mild (5–9)' }, alerts: [] });
  });

  it('total 23, severe, item 9 > 0 raises the urgent alert', () => {
    const r = phq([3, 3, 3, 3, 3, 3, 2, 2, 1]);
    expect(r.scores.total).toBe(23);
    expect(r.band?.code).toBe('severe');
    expect(r.alerts).toEqual([PHQ9_ITEM9_ALERT]);
    expect(r.alerts[0]).toMatchObject({ code: 'phq9-item9-positive', severity: 'urgent' });
  });

  it.each([
    [4, 'none-minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('band boundary: total %i → %s', (total, band) => {
    const values = Array.from({ length: 9 }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
    const r = phq(values);
    expect(r.scores.total).toBe(total);
    expect(r.band?.code).toBe(band);
  });

  it('item 9 alert is raised even when the form is incomplete; no total then', () => {
    const r = scoreInstrument('phq-9', answers({ '9': 2, '2': 1 }));
    expect(r.scores.total).toBeNull();
    expect(r.band).toBeUndefined();
    expect(r.missing).toEqual(['1', '3', '4', '5', '6', '7', '8']);
    expect(r.alerts.map((a) => a.code)).toEqual(['phq9-item9-positive']);
  });

  it('the difficulty item (10) is optional and unscored', () => {
    const r = phq([0, 0, 0, 0, 0, 0, 0, 0, 0], { '10': 2 });
    expect(r).toMatchObject({ complete: true, scores: { total: 0 } });
    expect(problemsOf(() => phq([0, 0, 0, 0, 0, 0, 0, 0, 0], { '10': 4, '11': 0 })).map((p) => p.item)).toEqual(['10', '11']);
  });
});

describe('GAD-7', () => {
  it('total 10, moderate', () => {
    const r = scoreInstrument('gad-7', answers(fill(nums(7), [2, 2, 2, 2, 1, 1, 0])));
    expect(r).toMatchObject({ complete: true, scores: { total: 10 }, band: { code: 'moderate' }, alerts: [] });
  });
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('band boundary: total %i → %s', (total, band) => {
    const values = Array.from({ length: 7 }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
    expect(scoreInstrument('gad-7', answers(fill(nums(7), values))).band?.code).toBe(band);
  });
  it('incomplete → null total, missing listed', () => {
    expect(scoreInstrument('gad-7', answers({ '1': 3 }))).toMatchObject({ complete: false, missing: ['2', '3', '4', '5', '6', '7'], scores: { total: null } });
  });
  it('rejects 4', () => {
    expect(problemsOf(() => scoreInstrument('gad-7', answers({ '3': 4 })))[0]?.message).toMatch(/0 to 3/);
  });
});

describe('Readiness rulers', () => {
  it('returns the three rulers for the named behaviour', () => {
    const r = scoreInstrument('readiness-ruler', { answers: { '1': 8, '2': 5, '3': 6 }, targetBehavior: ' stop using fentanyl ' });
    expect(r).toEqual<ScoreResult>({
      instrument: 'readiness-ruler',
      complete: true,
      missing: [],
      scores: { importance: 8, confidence: 5, readiness: 6 },
      alerts: [],
      targetBehavior: 'stop using fentanyl',
    });
  });
  it('without a target behaviour the result is incomplete (missing "target") but rulers are kept', () => {
    const r = scoreInstrument('readiness-ruler', answers({ '1': 0, '3': 10 }));
    expect(r).toMatchObject({ complete: false, missing: ['target', '2'], scores: { importance: 0, confidence: null, readiness: 10 } });
  });
  it('rejects 11 and -1', () => {
    expect(problemsOf(() => scoreInstrument('readiness-ruler', answers({ '1': 11, '2': -1 }))).map((p) => p.item)).toEqual(['1', '2']);
  });
});

describe('Brief Addiction Monitor', () => {
  const full = {
    '1': 3,
    '2': 2,
    '3': 2,
    '4': 0,
    '6': 1,
    '7A': 0,
    '7B': 0,
    '7C': 0,
    '7D': 0,
    '7E': 1,
    '7F': 0,
    '7G': 0,
    '8': 2,
    '9': 3,
    '10': 1,
    '11': 1,
    '12': 2,
    '13': 0,
    '14': 0,
    '15': 3,
    '16': 2,
    '17': 2,
  };

  it('hand-computed: use 0+0+1 = 1, risk 3+2+2+2+1+3 = 13, protective 3+1+2+0+0+2 = 8, three flags', () => {
    const r = scoreInstrument('bam', answers(full));
    expect(r).toMatchObject({ complete: true, missing: [], scores: { use: 1, risk: 13, protective: 8 } });
    expect(r.alerts.map((a) => a.code)).toEqual(['bam-use', 'bam-risk-high', 'bam-protective-low']);
    expect(r.band).toBeUndefined();
  });

  it('item 5 is skipped (scored 0) when item 4 is 0, and 7A–7G only apply when item 6 > 0', () => {
    const a: Record<string, number> = { ...full, '6': 0 };
    for (const k of ['7A', '7B', '7C', '7D', '7E', '7F', '7G']) delete a[k];
    const r = scoreInstrument('bam', answers({ ...a, '9': 4, '10': 4, '13': 4, '14': 4, '16': 4, '12': 4, '1': 0, '2': 0, '3': 0, '8': 0, '11': 0, '15': 0 }));
    expect(r).toMatchObject({ complete: true, scores: { use: 0, risk: 0, protective: 24 }, alerts: [] });
  });

  it('item 5 is required when item 4 > 0; use is null until it is answered', () => {
    const r = scoreInstrument('bam', answers({ ...full, '4': 2 }));
    expect(r).toMatchObject({ complete: false, missing: ['5'], scores: { use: null, risk: 13, protective: 8 } });
    expect(r.alerts.map((a) => a.code)).toEqual(['bam-risk-high', 'bam-protective-low']);
  });

  it('7A–7G are listed as missing when item 6 > 0 and they are unanswered; they do not block scores', () => {
    const a: Record<string, number> = { ...full };
    delete a['7C'];
    const r = scoreInstrument('bam', answers(a));
    expect(r).toMatchObject({ complete: false, missing: ['7C'], scores: { use: 1 } });
  });

  it('boundary: risk 12 flags, 11 does not; protective 13 does not flag', () => {
    const base = { ...full, '6': 0, '1': 2, '2': 2, '3': 2, '8': 2, '11': 2, '15': 2, '9': 4, '10': 4, '12': 1, '13': 0, '14': 4, '16': 0 };
    const r12 = scoreInstrument('bam', answers(base));
    expect(r12.scores).toMatchObject({ risk: 12, protective: 13, use: 0 });
    expect(r12.alerts.map((a) => a.code)).toEqual(['bam-risk-high']);
    const r11 = scoreInstrument('bam', answers({ ...base, '15': 1 }));
    expect(r11.alerts).toEqual([]);
  });

  it('rejects item 14 = 2 (No = 0 / Yes = 4) and the group key "7" with a hint', () => {
    const problems = problemsOf(() => scoreInstrument('bam', answers({ ...full, '14': 2, '7': 1 })));
    expect(problems).toEqual([
      { item: '14', message: '2 is out of range; must be one of 0, 4' },
      { item: '7', message: 'item 7 is a group: answer its parts 7A–7G' },
    ]);
  });
});

describe('Opioid Craving Scale', () => {
  it('mean of 3, 4, 5 = 4', () => {
    expect(scoreInstrument('opioid-craving', answers({ '1': 3, '2': 4, '3': 5 }))).toEqual<ScoreResult>({
      instrument: 'opioid-craving',
      complete: true,
      missing: [],
      scores: { mean: 4 },
      alerts: [],
    });
  });
  it('mean of 1, 2, 2 = 1.67 (2 decimals)', () => {
    expect(scoreInstrument('opioid-craving', answers({ '1': 1, '2': 2, '3': 2 })).scores.mean).toBe(1.67);
  });
  it('incomplete → null', () => {
    expect(scoreInstrument('opioid-craving', answers({ '1': 10 }))).toMatchObject({ complete: false, missing: ['2', '3'], scores: { mean: null } });
  });
  it('rejects 10.5', () => {
    expect(problemsOf(() => scoreInstrument('opioid-craving', answers({ '1': 10.5 })))[0]?.item).toBe('1');
  });
});

describe('registry and input shape', () => {
  it('unknown instrument lists the valid ids; DAST-10 is not shipped', () => {
    expect(() => scoreInstrument('dast-10', answers({}))).toThrow(UnknownInstrumentError);
    try {
      scoreInstrument('dast-10', answers({}));
    } catch (e) {
      expect((e as UnknownInstrumentError).validIds).toEqual(['urica', 'socrates-8d', 'readiness-ruler', 'phq-9', 'gad-7', 'bam', 'opioid-craving']);
    }
  });
  it('answers must be an object', () => {
    expect(problemsOf(() => scoreInstrument('phq-9', { answers: [1, 2] }))[0]?.item).toBe('(answers)');
    expect(problemsOf(() => scoreInstrument('phq-9', null))[0]?.item).toBe('(answers)');
  });
});
