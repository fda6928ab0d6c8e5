// Family education (issue 16, docs/family.md): short lessons a family member or friend reads in
// the app (content/family-education/*.json). A format of its own, not a skills module: a lesson
// has no exercises, check questions, homework, care-plan interventions or stages of change (the
// reader is not the patient), and it can show the clinic's five naloxone steps from
// core/naloxone/steps.ts instead of a second copy of them. It reuses the skills module's Text
// (one string per language) and Source, and the same reading-grade checker. Pure: no I/O.
import { z } from 'zod';
import { fleschKincaidGrade } from '../readability.ts';
import { STEP_TEXTS, TRAINING_STEPS, trainingSteps, type TrainingStep } from '../naloxone/steps.ts';
import { BUILT_IN_LANGUAGES, Source, Text, say, type Language } from '../skills/module.ts';

/** What the lessons cover together (the lint of the library checks each is there). */
export const LESSON_TOPICS = ['understanding-oud', 'medications', 'overdose', 'setting-limits', 'self-care', 'support-groups'] as const;
export type LessonTopic = (typeof LESSON_TOPICS)[number];

/** Where a screen may send the reader in the app: the naloxone card, the meetings for families. */
export const LESSON_LINKS = ['naloxone', 'meetings'] as const;
export type LessonLink = (typeof LESSON_LINKS)[number];

/** Words a screen may hold in each language (as the skills modules: short screens). */
export const MAX_SCREEN_WORDS = 120;
/** Flesch–Kincaid grade of a lesson's English as a whole, and of each screen on its own. */
export const MAX_READING_GRADE = 7;
export const MAX_SCREEN_GRADE = 8;

/**
 * Words that stigmatise, which no lesson uses (say "a person who uses drugs", "in recovery",
 * "a negative test"). Whole words, any case. Spanish likewise ("persona que usa drogas").
 */
export const STIGMA_WORDS: Record<Language, readonly string[]> = {
  en: ['addict', 'addicts', 'abuser', 'abusers', 'junkie', 'junkies', 'clean', 'dirty', 'druggie', 'substance abuse'],
  es: ['adicto', 'adicta', 'adictos', 'adictas', 'drogadicto', 'drogadicta', 'drogadictos', 'limpio', 'limpia', 'sucio', 'sucia', 'vicioso', 'viciosa'],
};

const SourceIds = z.array(z.string().min(1)).min(1);
const ScreenId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a screen id is lower-case letters, digits and dashes');

export const LessonScreen = z.discriminatedUnion('kind', [
  z.strictObject({ id: ScreenId, kind: z.literal('read'), title: Text, body: Text, link: z.enum(LESSON_LINKS).optional(), sources: SourceIds }),
  /** The five steps the clinic trains, shown from core/naloxone/steps.ts after a short intro of the lesson's own. */
  z.strictObject({ id: ScreenId, kind: z.literal('naloxone-steps'), title: Text, intro: Text, link: z.enum(LESSON_LINKS).optional(), sources: SourceIds }),
]);
export type LessonScreen = z.infer<typeof LessonScreen>;

export const LESSON_KEY = /^[a-z0-9][a-z0-9-]{1,59}$/;

export const FamilyLesson = z.strictObject({
  /** Stable key: what the family member's finished lessons record. */
  key: z.string().regex(LESSON_KEY, 'a lesson key is lower-case letters, digits and dashes'),
  version: z.number().int().min(1),
  topic: z.enum(LESSON_TOPICS),
  /** Place in the list (1 first). */
  order: z.number().int().min(1).max(99),
  minutes: z.number().int().min(1).max(30),
  title: Text,
  /** One or two sentences the list shows under the title. */
  summary: Text,
  screens: z.array(LessonScreen).min(2).max(12),
  sources: z.array(Source).min(1),
});
export type FamilyLesson = z.infer<typeof FamilyLesson>;

/** Every Text the lesson shows, with its screen (null: the list), for the language and grade checks. */
export function lessonTexts(l: FamilyLesson): Array<{ path: string; text: Text; screen: string | null }> {
  const out: Array<{ path: string; text: Text; screen: string | null }> = [
    { path: 'title', text: l.title, screen: null },
    { path: 'summary', text: l.summary, screen: null },
  ];
  l.screens.forEach((s, i) => {
    out.push({ path: `screens[${i}].title`, text: s.title, screen: s.id });
    out.push({ path: `screens[${i}].${s.kind === 'read' ? 'body' : 'intro'}`, text: s.kind === 'read' ? s.body : s.intro, screen: s.id });
  });
  return out;
}

/** The naloxone steps' words in a language, as one string (what a steps screen adds to its intro). */
const stepWords = (lang: Language) => TRAINING_STEPS.map((k) => `${STEP_TEXTS[lang][k].title}. ${STEP_TEXTS[lang][k].body}`).join(' ');

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
const prose = (texts: string[]) => texts.map((t) => (/[.!?:]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`)).join(' ');
const round = (n: number) => Math.round(n * 10) / 10;

export type LessonLintSummary = { id: string; languages: Language[]; screens: number; readingGrade: { en: number | null }; sources: number };
export type LessonLintResult = { summary: LessonLintSummary | null; problems: string[] };

/** Lints one lesson: complete in English and Spanish, short screens, plain English, no stigmatising words, every source cited. */
export function lintLesson(doc: unknown): LessonLintResult {
  const parsed = FamilyLesson.safeParse(doc);
  if (!parsed.success) return { summary: null, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(lesson)'}: ${i.message}`) };
  const l = parsed.data;
  const problems: string[] = [];
  const texts = lessonTexts(l);

  const languages = BUILT_IN_LANGUAGES.filter((lang) => {
    const missing = texts.filter((t) => !t.text[lang]?.trim()).map((t) => t.path);
    if (missing.length) problems.push(`language ${lang} is incomplete: ${missing.join(', ')}`);
    return missing.length === 0;
  });

  const ids = new Set<string>();
  for (const s of l.screens) {
    if (ids.has(s.id)) problems.push(`screen id ${s.id} is used twice`);
    ids.add(s.id);
  }

  for (const lang of languages) {
    for (const s of l.screens) {
      const shown = texts.filter((t) => t.screen === s.id).map((t) => t.text[lang] ?? '');
      const n = words(shown.join(' '));
      // a steps screen also shows the five steps; they are the clinic's words (core/naloxone/steps.ts), counted apart
      if (n > MAX_SCREEN_WORDS) problems.push(`screen ${s.id} (${lang}) has ${n} words; at most ${MAX_SCREEN_WORDS}`);
    }
    for (const t of texts) {
      const text = (t.text[lang] ?? '').toLowerCase();
      for (const w of STIGMA_WORDS[lang]) if (new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text)) problems.push(`${t.path} (${lang}) uses "${w}"; use person-first, non-stigmatising words`);
    }
  }

  const sourceIds = new Set<string>();
  for (const s of l.sources) {
    if (sourceIds.has(s.id)) problems.push(`source ${s.id} is listed twice`);
    sourceIds.add(s.id);
  }
  const cited = new Set(l.screens.flatMap((s) => s.sources));
  for (const c of cited) if (!sourceIds.has(c)) problems.push(`a screen cites ${c}, which is not in the lesson's sources`);
  for (const s of sourceIds) if (!cited.has(s)) problems.push(`source ${s} is listed but no screen cites it`);

  let grade: number | null = null;
  if (languages.includes('en')) {
    const all = texts.map((t) => t.text.en ?? '');
    if (l.screens.some((s) => s.kind === 'naloxone-steps')) all.push(stepWords('en'));
    grade = round(fleschKincaidGrade(prose(all)));
    if (grade > MAX_READING_GRADE) problems.push(`the English reads at grade ${grade}; aim for ${MAX_READING_GRADE} or lower`);
    for (const s of l.screens) {
      const g = round(fleschKincaidGrade(prose([s.title.en ?? '', s.kind === 'read' ? (s.body.en ?? '') : (s.intro.en ?? '')])));
      if (g > MAX_SCREEN_GRADE) problems.push(`screen ${s.id} reads at grade ${g}; aim for ${MAX_SCREEN_GRADE} or lower`);
    }
  }
  return { summary: { id: l.key, languages, screens: l.screens.length, readingGrade: { en: grade }, sources: l.sources.length }, problems };
}

/** Lints the library as a whole: each lesson, unique keys and places, every topic covered. */
export function lintLibrary(docs: ReadonlyArray<{ file: string; doc: unknown }>): Array<{ file: string; result: LessonLintResult }> {
  const results = docs.map(({ file, doc }) => ({ file, result: lintLesson(doc) }));
  const ok = results.flatMap((r, i) => (r.result.summary ? [{ file: r.file, lesson: docs[i]!.doc as FamilyLesson }] : []));
  const first = results[0];
  const problem = (p: string) => first?.result.problems.push(p);
  const keys = new Map<string, string>();
  const orders = new Map<number, string>();
  for (const { file, lesson } of ok) {
    if (`${lesson.key}.json` !== file) problem(`${file}: the file is named after the lesson's key (${lesson.key}.json)`);
    if (keys.has(lesson.key)) problem(`lesson key ${lesson.key} is used by ${keys.get(lesson.key)} and ${file}`);
    keys.set(lesson.key, file);
    if (orders.has(lesson.order)) problem(`order ${lesson.order} is used by ${orders.get(lesson.order)} and ${file}`);
    orders.set(lesson.order, file);
  }
  const topics = new Set(ok.map((o) => o.lesson.topic));
  for (const t of LESSON_TOPICS) if (!topics.has(t)) problem(`no lesson covers the topic ${t}`);
  return results;
}

/** A lesson's screen as the app shows it, in one language. */
export type LessonScreenView =
  | { id: string; kind: 'read'; title: string; body: string; link: LessonLink | null }
  | { id: string; kind: 'naloxone-steps'; title: string; intro: string; steps: Array<{ key: TrainingStep; title: string; body: string }>; link: LessonLink | null };

/** The lesson in one language (English when a text lacks it), its citations by id. */
export function lessonIn(l: FamilyLesson, lang: Language) {
  const stepsLang = lang === 'es' ? 'es' : 'en';
  return {
    key: l.key,
    version: l.version,
    topic: l.topic,
    minutes: l.minutes,
    title: say(l.title, lang),
    summary: say(l.summary, lang),
    screens: l.screens.map((s): LessonScreenView =>
      s.kind === 'read'
        ? { id: s.id, kind: 'read', title: say(s.title, lang), body: say(s.body, lang), link: s.link ?? null }
        : { id: s.id, kind: 'naloxone-steps', title: say(s.title, lang), intro: say(s.intro, lang), steps: trainingSteps(stepsLang), link: s.link ?? null },
    ),
    sources: l.sources.map((s) => ({ id: s.id, citation: s.citation, url: s.url ?? null })),
  };
}
