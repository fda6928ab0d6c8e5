// The family education content as CI sees it (content/family-education): every lesson passes
// the lint — complete in English and Spanish, at the reading grade, short screens, no
// stigmatising words, every source cited and every citation a source — and together the
// lessons cover every topic the issue names; the overdose lesson shows the clinic's five steps
// (core/naloxone/steps.ts) rather than a copy of them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSON_TOPICS, MAX_READING_GRADE, type FamilyLesson } from '../../core/family/education.ts';
import { STEP_TEXTS, TRAINING_STEPS } from '../../core/naloxone/steps.ts';
import { LESSONS_DIR, lessons, lintLessons } from '../../server/modules/family/education.ts';

describe('content/family-education', () => {
  const files = lintLessons();

  it('every lesson passes the lint, in English and Spanish, at the reading grade', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      expect(f.result.problems, f.file).toEqual([]);
      expect(f.result.summary!.languages, f.file).toEqual(['en', 'es']);
      expect(f.result.summary!.readingGrade.en!, f.file).toBeLessThanOrEqual(MAX_READING_GRADE);
    }
    expect(lessons()).toHaveLength(files.length);
  });

  it('covers every topic, names its public sources, and the overdose lesson uses the clinic’s five steps', () => {
    const all = lessons();
    expect(new Set(all.map((l) => l.topic))).toEqual(new Set(LESSON_TOPICS));
    const cited = new Set(all.flatMap((l) => l.sources.map((s) => s.id)));
    for (const id of ['tip-63', 'samhsa-overdose-toolkit', 'nida-moud', 'nar-anon', 'al-anon']) expect(cited).toContain(id);
    const overdose = all.find((l) => l.topic === 'overdose')!;
    expect(overdose.screens.some((s) => s.kind === 'naloxone-steps')).toBe(true);
    // no lesson repeats the steps' own words (one copy, core/naloxone/steps.ts)
    const raw = readdirSync(LESSONS_DIR).map((f) => readFileSync(`${LESSONS_DIR}${f}`, 'utf8'));
    for (const k of TRAINING_STEPS) for (const lang of ['en', 'es'] as const) for (const r of raw) expect(r).not.toContain(STEP_TEXTS[lang][k].body);
  });

  it('the medications lesson says they are not a crutch and cut deaths about in half, in both languages', () => {
    const m = lessons().find((l) => l.topic === 'medications') as FamilyLesson;
    const text = JSON.stringify(m.screens);
    expect(text).toContain('half as likely to die');
    expect(text).toContain('la mitad de riesgo de morir');
    for (const drug of ['Methadone', 'Buprenorphine', 'Naltrexone', 'Metadona', 'Buprenorfina', 'Naltrexona']) expect(text).toContain(drug);
  });
});
