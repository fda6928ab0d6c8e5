// The skills rules: the lint's checks one by one, stage and intervention suggestions, and the
// completion funnel (properties with fast-check: everyone who started is either finished or
// stopped at exactly one screen; the median lies among the times).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintModule, MAX_SCREEN_WORDS } from './lint.ts';
import { advance, canComplete, funnel, median, suggestModules } from './progress.ts';
import { ENTRY_SCHEMAS, ExerciseEntry, hasContent } from './exercises.ts';
import type { SkillsModule } from './module.ts';

const t = (en: string, es = `${en} (es)`) => ({ en, es });
const MODULE: SkillsModule = {
  key: 'test-module',
  version: 1,
  topic: 'functional-analysis',
  interventions: ['cbt'],
  stages: ['action'],
  minutes: 5,
  title: t('A short test'),
  goal: t('See the steps.'),
  screens: [
    { id: 'one', kind: 'read', title: t('Steps'), body: t('Things happen. You think. You feel. You act.'), sources: ['src'] },
    { id: 'two', kind: 'exercise', title: t('Try it'), exercise: { type: 'chain', prompt: t('Think of a time.') } },
    {
      id: 'three',
      kind: 'check',
      question: t('What comes first?'),
      options: [
        { text: t('A trigger'), correct: true, feedback: t('Yes.') },
        { text: t('Use'), correct: false, feedback: t('Not quite.') },
      ],
      sources: ['src'],
    },
  ],
  homework: { title: t('This week'), body: t('Write one.'), exercise: { type: 'chain', prompt: t('One from this week.') } },
  sources: [{ id: 'src', citation: 'A public source, 1998.' }],
};
const lint = (m: unknown, builtIn = true) => lintModule(m, { builtIn });

describe('lintModule', () => {
  it('passes a complete module and summarises it', () => {
    const r = lint(MODULE);
    expect(r.problems).toEqual([]);
    expect(r.summary).toMatchObject({ id: 'test-module', languages: ['en', 'es'], screens: 3, exercises: 2, sources: 1 });
  });
  it('finds a missing language, a long screen, a hard English text, an uncited or unknown source, a duplicate id, a check without an answer', () => {
    const noEs = { ...MODULE, goal: { en: 'See the steps.' } };
    expect(lint(noEs).problems.join()).toContain('language es is incomplete: goal');
    expect(lint(noEs, false).problems.join()).toContain('language es is incomplete');
    const long = {
      ...MODULE,
      screens: [
        {
          ...MODULE.screens[0]!,
          body: t(
            Array(MAX_SCREEN_WORDS + 1)
              .fill('word')
              .join(' '),
          ),
        },
        ...MODULE.screens.slice(1),
      ],
    };
    expect(lint(long).problems.join()).toMatch(/screen one \(en\) has 12\d words/);
    const hardText = t('Comprehensive pharmacological interventions notwithstanding, multidisciplinary psychotherapeutic considerations predominate.');
    const hard = { ...MODULE, screens: [{ ...MODULE.screens[0]!, body: hardText }, ...MODULE.screens.slice(1)] };
    expect(lint(hard).problems.join()).toMatch(/reads at grade/);
    expect(lint(hard, false).problems.join()).not.toMatch(/reads at grade/);
    expect(lint(hard, false).warnings.join()).toMatch(/reads at grade/);
    expect(lint({ ...MODULE, sources: [...MODULE.sources, { id: 'extra', citation: 'Listed, never cited.' }] }).problems.join()).toContain('source extra is listed but no screen cites it');
    expect(lint({ ...MODULE, screens: [{ ...MODULE.screens[0]!, sources: ['nowhere'] }, ...MODULE.screens.slice(1)] }).problems.join()).toContain('cites nowhere');
    expect(lint({ ...MODULE, screens: [...MODULE.screens, MODULE.screens[0]!] }).problems.join()).toContain('screen id one is used twice');
    const noAnswer = { ...MODULE, screens: MODULE.screens.map((s) => (s.kind === 'check' ? { ...s, options: s.options.map((o) => ({ ...o, correct: false })) } : s)) };
    expect(lint(noAnswer).problems.join()).toContain('needs a right answer');
    expect(lint({ ...MODULE, screens: MODULE.screens.map((s) => (s.kind === 'exercise' ? MODULE.screens[0]! : s)).map((s, i) => ({ ...s, id: `s${i}` })) }).problems.join()).toContain(
      'at least one exercise',
    );
    expect(lint({ ...MODULE, homework: { ...MODULE.homework, exercise: { type: 'crossword', prompt: t('x') } } }).problems.join()).toMatch(/^homework\.exercise\.type: /);
  });
});

describe('exercise entries', () => {
  it('checks each type’s shape and knows an empty form from an answer', () => {
    expect(ExerciseEntry.safeParse({ type: 'chain', data: { trigger: 'Payday', thought: '', feeling: '', behaviour: '', consequence: '' } }).success).toBe(true);
    expect(ExerciseEntry.safeParse({ type: 'chain', data: { trigger: 'x' } }).success).toBe(false);
    expect(ExerciseEntry.safeParse({ type: 'crossword', data: {} }).success).toBe(false);
    expect(ENTRY_SCHEMAS['craving-log'].safeParse({ situation: '', before: 11, after: null, surfedSeconds: 0, whatHelped: '' }).success).toBe(false);
    expect(hasContent({ type: 'coping-plan', data: { warningSigns: [], steps: [], people: [], places: [] } })).toBe(false);
    expect(hasContent({ type: 'coping-plan', data: { warningSigns: [], steps: ['Call Sam'], people: [], places: [] } })).toBe(true);
    expect(hasContent({ type: 'thought-record', data: { situation: '', thought: '', feeling: '', before: 0, evidenceFor: '', evidenceAgainst: '', balanced: '', after: null } })).toBe(true);
  });
});

describe('suggestions', () => {
  const lib = [
    { key: 'mi', topic: 'motivation' as const, stages: ['precontemplation', 'contemplation'] as SkillsModule['stages'], interventions: ['motivational-interviewing'] as SkillsModule['interventions'] },
    { key: 'fa', topic: 'functional-analysis' as const, stages: ['preparation', 'action'] as SkillsModule['stages'], interventions: ['cbt'] as SkillsModule['interventions'] },
    { key: 'meds', topic: 'medication' as const, stages: ['precontemplation', 'action'] as SkillsModule['stages'], interventions: ['moud-evaluation'] as SkillsModule['interventions'] },
  ];
  it('matches MI tools and learning to early stages, skills to action; an intervention takes only its modules', () => {
    expect(suggestModules(lib, { stage: 'precontemplation' }).map((m) => m.key)).toEqual(['mi', 'meds']);
    expect(suggestModules(lib, { stage: 'action' }).map((m) => m.key)[0]).toBe('fa');
    expect(suggestModules(lib, { stage: 'action', intervention: 'cbt' }).map((m) => m.key)).toEqual(['fa']);
    expect(suggestModules(lib, {})).toEqual([]);
  });
});

describe('progress', () => {
  it('moves forward only; completes once every screen was reached', () => {
    fc.assert(fc.property(fc.nat(30), fc.nat(30), (a, b) => advance(a, b) >= a && advance(a, b) >= b && advance(advance(a, b), a) === advance(a, b)));
    expect(canComplete({ furthestScreen: 8, screens: 9 })).toBe(true);
    expect(canComplete({ furthestScreen: 7, screens: 9 })).toBe(false);
  });
  it('the funnel: everyone started is finished or stopped at one screen; the median lies among the times', () => {
    const row = fc.record({ furthestScreen: fc.nat(12), minutes: fc.integer({ min: 1, max: 600 }), done: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(50), fc.array(row, { maxLength: 60 }), (screens, assigned, rs) => {
        const start = new Date('2026-03-01T00:00:00Z');
        const rows = rs.map((r) => ({ furthestScreen: r.furthestScreen, screens, startedAt: start, completedAt: r.done ? new Date(start.getTime() + r.minutes * 60_000) : null }));
        const f = funnel(screens, assigned, rows);
        expect(f.started).toBe(rows.length);
        expect(f.completed + f.stoppedAt.reduce((a, b) => a + b, 0)).toBe(rows.length);
        expect(f.stoppedAt).toHaveLength(screens);
        const times = rs.filter((r) => r.done).map((r) => r.minutes);
        if (times.length === 0) expect(f.medianMinutes).toBeNull();
        else expect(f.medianMinutes!).toBeGreaterThanOrEqual(Math.min(...times) - 0.05);
        if (f.dropOffScreen !== null) expect(f.stoppedAt[f.dropOffScreen]).toBe(Math.max(...f.stoppedAt));
      }),
    );
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });
});
