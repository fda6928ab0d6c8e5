// The skills content lint (issue 13): what `waypoint skills lint` prints for each module and
// what CI and the programme's content editor refuse. The schema (module.ts) says the shape;
// this says the rest: complete in its languages, short screens, plain English, every source
// cited and every citation a source, unique screen ids, a right answer to every check.
import { fleschKincaidGrade } from '../readability.ts';
import { BUILT_IN_LANGUAGES, SkillsModule, languagesOf, textsOf, type Language } from './module.ts';

/** Words a screen may hold, in each language (the issue: short screens, ≤ 120 words). */
export const MAX_SCREEN_WORDS = 120;
/** Flesch–Kincaid grade of a module's English (about a 6th-grade level: ≤ 7, as for every patient text). */
export const MAX_READING_GRADE = 7;
/** …and of each reading screen on its own, so one hard screen cannot hide among short titles and options. */
export const MAX_SCREEN_GRADE = 8;

export type LintSummary = {
  id: string;
  languages: Language[];
  screens: number;
  exercises: number;
  readingGrade: { en: number | null };
  sources: number;
};
export type LintResult = { summary: LintSummary | null; problems: string[] };

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/** English as prose for the grade: each text a sentence of its own (titles and options end without a full stop). */
function prose(texts: string[]): string {
  return texts.map((t) => (/[.!?:]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`)).join(' ');
}

/**
 * Lints one module document. `builtIn`: a module in content/skills (complete in English and
 * Spanish, at the reading grade); a programme's own module needs one complete language and
 * its English grade is a warning, not a refusal (`warnings`).
 */
export function lintModule(doc: unknown, opts: { builtIn: boolean }): LintResult & { warnings: string[] } {
  const parsed = SkillsModule.safeParse(doc);
  if (!parsed.success) {
    return { summary: null, warnings: [], problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(module)'}: ${i.message}`) };
  }
  const m = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const languages = languagesOf(m);
  const texts = textsOf(m);

  // every language the module uses, complete; built-in ones in every built-in language
  const used = new Set(texts.flatMap((t) => Object.keys(t.text)));
  for (const l of used)
    if (!languages.includes(l as Language))
      problems.push(
        `language ${l} is incomplete: ${texts
          .filter((t) => !t.text[l as Language])
          .map((t) => t.path)
          .join(', ')}`,
      );
  if (opts.builtIn) for (const l of BUILT_IN_LANGUAGES) if (!used.has(l)) problems.push(`a built-in module is written in every built-in language; ${l} is missing`);
  if (languages.length === 0) problems.push('the module is not complete in any language');

  // unique screen ids; a right answer to every check
  const ids = new Set<string>();
  for (const s of m.screens) {
    if (ids.has(s.id)) problems.push(`screen id ${s.id} is used twice`);
    ids.add(s.id);
    if (s.kind === 'check' && !s.options.some((o) => o.correct)) problems.push(`screen ${s.id}: a check question needs a right answer`);
  }
  if (!m.screens.some((s) => s.kind === 'exercise')) problems.push('a module has at least one exercise screen');
  if (!m.screens.some((s) => s.kind === 'check')) problems.push('a module has at least one check question');

  // short screens, in each language: everything a screen shows at once (a role-play's feedback comes after a choice)
  for (const l of languages) {
    for (const s of m.screens) {
      const shown = texts.filter((t) => t.screen === s.id && !/\.feedback$/.test(t.path) && !/\.scenes\[/.test(t.path)).map((t) => t.text[l] ?? '');
      const n = words(shown.join(' '));
      if (n > MAX_SCREEN_WORDS) problems.push(`screen ${s.id} (${l}) has ${n} words; at most ${MAX_SCREEN_WORDS}`);
    }
    const hw = words([m.homework.title[l], m.homework.body[l], m.homework.exercise.prompt[l]].join(' '));
    if (hw > MAX_SCREEN_WORDS) problems.push(`homework (${l}) has ${hw} words; at most ${MAX_SCREEN_WORDS}`);
  }

  // every citation a source, every source cited (by a screen)
  const sourceIds = new Set<string>();
  for (const s of m.sources) {
    if (sourceIds.has(s.id)) problems.push(`source ${s.id} is listed twice`);
    sourceIds.add(s.id);
  }
  const cited = new Set(m.screens.flatMap((s) => (s.kind === 'exercise' ? [] : s.sources)));
  for (const c of cited) if (!sourceIds.has(c)) problems.push(`a screen cites ${c}, which is not in the module's sources`);
  for (const s of sourceIds) if (!cited.has(s)) problems.push(`source ${s} is listed but no screen cites it`);

  // plain English
  let grade: number | null = null;
  if (languages.includes('en')) {
    grade = Math.round(fleschKincaidGrade(prose(texts.map((t) => t.text.en ?? ''))) * 10) / 10;
    if (grade > MAX_READING_GRADE) (opts.builtIn ? problems : warnings).push(`the English reads at grade ${grade}; aim for ${MAX_READING_GRADE} or lower`);
    for (const s of m.screens) {
      if (s.kind !== 'read') continue;
      const g = Math.round(fleschKincaidGrade(prose([s.title.en ?? '', s.body.en ?? ''])) * 10) / 10;
      if (g > MAX_SCREEN_GRADE) (opts.builtIn ? problems : warnings).push(`screen ${s.id} reads at grade ${g}; aim for ${MAX_SCREEN_GRADE} or lower`);
    }
  }

  const exercises = m.screens.filter((s) => s.kind === 'exercise').length + 1; // and the homework's
  return {
    summary: { id: m.key, languages, screens: m.screens.length, exercises, readingGrade: { en: grade }, sources: m.sources.length },
    problems,
    warnings,
  };
}
