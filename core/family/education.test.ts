// The family education format and lint (core/family/education.ts): a good lesson passes; each
// kind of problem is named (a missing language, a stigmatising word, hard English, a long screen,
// a source not cited or not listed, a repeated screen id); the library needs every topic once;
// a lesson in a language shows every screen in it, with the clinic's five naloxone steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRAINING_STEPS, STEP_TEXTS } from '../naloxone/steps.ts';
import { LESSON_TOPICS, MAX_SCREEN_WORDS, lessonIn, lintLesson, lintLibrary, type FamilyLesson } from './education.ts';

const good = (): FamilyLesson => ({
  key: 'sample-lesson',
  version: 1,
  topic: 'self-care',
  order: 1,
  minutes: 3,
  title: { en: 'Rest and support', es: 'Descanso y apoyo' },
  summary: { en: 'Take care of you.', es: 'Cuídese.' },
  screens: [
    { id: 'one', kind: 'read', title: { en: 'Sleep', es: 'Dormir' }, body: { en: 'Try to sleep well. Rest helps you.', es: 'Trate de dormir bien. Descansar le ayuda.' }, sources: ['a'] },
    { id: 'two', kind: 'naloxone-steps', title: { en: 'The steps', es: 'Los pasos' }, intro: { en: 'Learn these steps.', es: 'Aprenda estos pasos.' }, link: 'naloxone', sources: ['b'] },
  ],
  sources: [
    { id: 'a', citation: 'A public source, 2020.' },
    { id: 'b', citation: 'Another public source, 2021.' },
  ],
});

describe('lintLesson', () => {
  it('passes a good lesson, with its summary', () => {
    const r = lintLesson(good());
    expect(r.problems).toEqual([]);
    expect(r.summary).toMatchObject({ id: 'sample-lesson', languages: ['en', 'es'], screens: 2, sources: 2 });
    expect(r.summary!.readingGrade.en).toBeLessThanOrEqual(7);
  });

  it('names a missing language, a stigmatising word, a long screen, hard English and sources not matched', () => {
    const l = good();
    const s0 = l.screens[0]!;
    if (s0.kind !== 'read') throw new Error('fixture');
    delete s0.body.es;
    s0.title.en = 'An addict can get better';
    l.screens[1]!.title.en = Array.from({ length: MAX_SCREEN_WORDS + 1 }, () => 'word').join(' ');
    l.sources.push({ id: 'c', citation: 'A source nobody cites, 2019.' });
    l.screens[1]!.sources.push('d');
    const p = lintLesson(l).problems;
    expect(p).toContain('language es is incomplete: screens[0].body');
    expect(p).toContain('screens[0].title (en) uses "addict"; use person-first, non-stigmatising words');
    expect(p.some((x) => x.startsWith('screen two (en) has '))).toBe(true);
    expect(p).toContain("a screen cites d, which is not in the lesson's sources");
    expect(p).toContain('source c is listed but no screen cites it');

    const hard = good();
    const h0 = hard.screens[0]!;
    if (h0.kind !== 'read') throw new Error('fixture');
    h0.body.en = 'Pharmacological interventions necessitate comprehensive individualised multidisciplinary consideration regarding contraindications.';
    expect(lintLesson(hard).problems.some((x) => /reads at grade/.test(x))).toBe(true);
  });

  it('refuses a malformed lesson and a repeated screen id', () => {
    expect(lintLesson({ key: 'x' }).summary).toBeNull();
    const l = good();
    l.screens[1]!.id = 'one';
    expect(lintLesson(l).problems).toContain('screen id one is used twice');
  });

  it('does not flag a stigmatising word inside another word', () => {
    const l = good();
    l.summary.en = 'Take care of you. Ask about uncleaned tools.';
    expect(lintLesson(l).problems).toEqual([]);
  });

  it('property: dropping any one Spanish text makes the lesson incomplete in Spanish', () => {
    const paths = ['title', 'summary', 's0.title', 's0.body', 's1.title', 's1.intro'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...paths), (path) => {
        const l = good();
        const s0 = l.screens[0]!;
        const s1 = l.screens[1]!;
        if (s0.kind !== 'read' || s1.kind !== 'naloxone-steps') throw new Error('fixture');
        const target = { title: l.title, summary: l.summary, 's0.title': s0.title, 's0.body': s0.body, 's1.title': s1.title, 's1.intro': s1.intro }[path];
        delete target.es;
        const r = lintLesson(l);
        return r.summary!.languages.join() === 'en' && r.problems.some((p) => p.startsWith('language es is incomplete'));
      }),
    );
  });
});

describe('lintLibrary', () => {
  it('asks for every topic, unique keys and places, and files named after keys', () => {
    const a = good();
    const results = lintLibrary([
      { file: 'sample-lesson.json', doc: a },
      { file: 'other.json', doc: { ...a } },
    ]);
    const p = results[0]!.result.problems;
    expect(p).toContain("other.json: the file is named after the lesson's key (sample-lesson.json)");
    expect(p).toContain('lesson key sample-lesson is used by sample-lesson.json and other.json');
    expect(p).toContain('order 1 is used by sample-lesson.json and other.json');
    for (const t of LESSON_TOPICS.filter((x) => x !== 'self-care')) expect(p).toContain(`no lesson covers the topic ${t}`);
  });
});

describe('lessonIn', () => {
  it('shows every screen in the language, the naloxone steps from core/naloxone/steps.ts', () => {
    for (const lang of ['en', 'es'] as const) {
      const v = lessonIn(good(), lang);
      expect(v.title).toBe(good().title[lang]);
      const steps = v.screens[1]!;
      expect(steps.kind).toBe('naloxone-steps');
      if (steps.kind !== 'naloxone-steps') return;
      expect(steps.steps.map((s) => s.key)).toEqual([...TRAINING_STEPS]);
      expect(steps.steps[0]!.title).toBe(STEP_TEXTS[lang]['call-for-help'].title);
      expect(steps.link).toBe('naloxone');
    }
  });
});
