// The CRAFT session topics as data (content/craft/sessions.json) and their lint: the twelve
// topics in CRAFT_TOPICS order, every text in English and Spanish, one homework task each
// (a question or a checklist), 2-4 points, the English at about a 6th-grade level (grade <= 7,
// as for every text a patient or family member reads), and sources cited.
import { z } from 'zod';
import { fleschKincaidGrade } from '../readability.ts';
import { CRAFT_TOPICS, type CraftTopic } from './craft.ts';
import sessionsJson from '../../content/craft/sessions.json' with { type: 'json' };

const Text = z.strictObject({ en: z.string(), es: z.string() });
const Homework = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('question'), prompt: Text }),
  z.strictObject({ kind: z.literal('checklist'), prompt: Text, items: z.array(Text).min(2).max(8) }),
]);
export const CraftContent = z.strictObject({
  version: z.number().int().min(1),
  about: z.string(),
  sources: z.array(z.string().min(10)).min(1),
  sessions: z.array(
    z.strictObject({
      key: z.string(),
      title: Text,
      aim: Text,
      points: z.array(Text),
      homework: Homework,
    }),
  ),
});
export type CraftContentT = z.infer<typeof CraftContent>;
export type CraftTopicContent = CraftContentT['sessions'][number];
export type Lang = 'en' | 'es';

/** English reading grade a topic may have (about 6th grade; the same bound as the skills modules). */
export const MAX_CRAFT_GRADE = 7;

/** Words nobody in Waypoint uses about people who use drugs (UX.md). */
const STIGMA = /\b(addicts?|abusers?|junkies?|clean|dirty)\b/i;

const prose = (texts: string[]) => texts.map((t) => (/[.!?:]$/.test(t.trim()) ? t.trim() : `${t.trim()}.`)).join(' ');

/** Every English (or Spanish) text of a topic, in the order the app shows them. */
export function topicTexts(t: CraftTopicContent, lang: Lang): string[] {
  return [t.title[lang], t.aim[lang], ...t.points.map((p) => p[lang]), t.homework.prompt[lang], ...(t.homework.kind === 'checklist' ? t.homework.items.map((i) => i[lang]) : [])];
}

/** English reading grade of one topic. */
export const topicGrade = (t: CraftTopicContent) => fleschKincaidGrade(prose(topicTexts(t, 'en')));

/** The lint's problems (none: the content may ship). */
export function lintCraftContent(doc: unknown): string[] {
  const parsed = CraftContent.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(content)'}: ${i.message}`);
  const c = parsed.data;
  const problems: string[] = [];
  if (c.sessions.length !== CRAFT_TOPICS.length) problems.push(`there are ${c.sessions.length} topics; CRAFT has ${CRAFT_TOPICS.length}`);
  c.sessions.forEach((s, i) => {
    if (s.key !== CRAFT_TOPICS[i]) problems.push(`topic ${i + 1} is ${s.key}; expected ${CRAFT_TOPICS[i] ?? '(none)'}`);
    if (s.points.length < 2 || s.points.length > 4) problems.push(`${s.key}: ${s.points.length} points; 2 to 4`);
    for (const lang of ['en', 'es'] as const) {
      topicTexts(s, lang).forEach((t, j) => {
        if (!t.trim()) problems.push(`${s.key}: text ${j + 1} is missing in ${lang}`);
        if (STIGMA.test(t)) problems.push(`${s.key} (${lang}): "${t}" uses a stigmatising word`);
      });
    }
    const grade = topicGrade(s);
    if (grade > MAX_CRAFT_GRADE) problems.push(`${s.key}: English reads at grade ${grade.toFixed(1)}; at most ${MAX_CRAFT_GRADE}`);
  });
  return problems;
}

/** The shipped content, checked once when first used (a bad file fails loudly, and the content test fails first). */
let cached: Map<CraftTopic, CraftTopicContent> | null = null;
export function craftTopics(): Map<CraftTopic, CraftTopicContent> {
  if (cached) return cached;
  const problems = lintCraftContent(sessionsJson);
  if (problems.length) throw new Error(`content/craft/sessions.json: ${problems.join('; ')}`);
  const c = CraftContent.parse(sessionsJson);
  cached = new Map(c.sessions.map((s) => [s.key as CraftTopic, s]));
  return cached;
}
export const craftSources = (): string[] => CraftContent.parse(sessionsJson).sources;
