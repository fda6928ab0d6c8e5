// A skills module as data (issue 13): the schema every module in content/skills/ and every
// programme's own module is checked against. A module is one document; every piece of text
// in it is a Text — one string per language (`{ "en": "…", "es": "…" }`) — so the structure
// (screens, exercises, which answer is right) is written once and every language follows it.
// Pure: no I/O. The lint (lint.ts) adds the checks a schema cannot say (reading grade,
// words per screen, every source cited, every language complete).
import { z } from 'zod';
import { STAGES } from '../planning/types.ts';

/** Languages a module may be written in; built-in modules must have every one of BUILT_IN_LANGUAGES. */
export const LANGUAGES = ['en', 'es'] as const;
export const BUILT_IN_LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One piece of text in each language the module has (a programme may add a language later). */
export const Text = z.partialRecord(z.enum(LANGUAGES), z.string().trim().min(1).max(2000));
export type Text = z.infer<typeof Text>;

/** Where a module sits in the guidance (seed 002): the nine CBT components, and the rest. */
export const TOPICS = [
  'psychoeducation',
  'functional-analysis',
  'triggers-and-coping',
  'interpersonal',
  'recovery-activities',
  'behavioural-activation',
  'refusal-and-problem-solving',
  'negative-emotions',
  'restructuring-thinking',
  'mindfulness',
  'acceptance-and-values',
  'motivation',
  'medication',
  'overdose',
  'mutual-help',
  'family',
] as const;

/** Care-plan interventions (core/planning INTERVENTION_CODES) a module can be prescribed from. */
export const MODULE_INTERVENTIONS = [
  'cbt',
  'motivational-interviewing',
  'community-reinforcement',
  'addiction-counseling',
  'mutual-help-moud-friendly',
  'naloxone',
  'moud-evaluation',
  'craft',
  'family-counseling',
] as const;

/** The exercise types, each a typed component in the patient app with its own entry shape (exercises.ts). */
export const EXERCISE_TYPES = [
  'chain', // trigger → thought → feeling → behaviour → consequence (functional analysis)
  'craving-log', // a craving log with an urge-surfing timer
  'role-play', // refusal role-play: choices and feedback
  'decisional-balance', // the four boxes: good and not-so-good things about using and about changing
  'change-plan', // the change-plan worksheet (TIP 35)
  'problem-solving', // name the problem, list options, weigh them, choose, plan
  'coping-plan', // an all-purpose coping plan: warning signs, steps, people, places
  'activity-scheduler', // plan activities and rate mood before and after
  'thought-record', // situation, thought, feeling, evidence, a balanced thought
] as const;
export type ExerciseType = (typeof EXERCISE_TYPES)[number];

const SourceIds = z.array(z.string().min(1)).min(1);

const RolePlayChoice = z.strictObject({
  text: Text,
  /** How well this answer refuses: strong (clear, firm), okay (works, could be firmer), weak (leaves the door open). */
  quality: z.enum(['strong', 'okay', 'weak']),
  feedback: Text,
});
const RolePlayScene = z.strictObject({ prompt: Text, choices: z.array(RolePlayChoice).min(2).max(4) });

/** An exercise on a screen or as homework: its type, what it asks, and what the type needs. */
export const Exercise = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('chain'), prompt: Text, example: Text.optional() }),
  z.strictObject({ type: z.literal('craving-log'), prompt: Text, timerSeconds: z.number().int().min(30).max(1800) }),
  z.strictObject({ type: z.literal('role-play'), prompt: Text, scenes: z.array(RolePlayScene).min(1).max(5) }),
  z.strictObject({ type: z.literal('decisional-balance'), prompt: Text, change: Text }),
  z.strictObject({ type: z.literal('change-plan'), prompt: Text }),
  z.strictObject({ type: z.literal('problem-solving'), prompt: Text, example: Text.optional() }),
  z.strictObject({ type: z.literal('coping-plan'), prompt: Text }),
  z.strictObject({ type: z.literal('activity-scheduler'), prompt: Text, ideas: z.array(Text).max(12).optional() }),
  z.strictObject({ type: z.literal('thought-record'), prompt: Text, example: Text.optional() }),
]);
export type Exercise = z.infer<typeof Exercise>;

const ScreenId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a screen id is lower-case letters, digits and dashes');

/** One screen: something to read, an exercise to do, or a question to check understanding. */
export const Screen = z.discriminatedUnion('kind', [
  z.strictObject({ id: ScreenId, kind: z.literal('read'), title: Text, body: Text, sources: SourceIds }),
  z.strictObject({ id: ScreenId, kind: z.literal('exercise'), title: Text, exercise: Exercise }),
  z.strictObject({
    id: ScreenId,
    kind: z.literal('check'),
    question: Text,
    options: z
      .array(z.strictObject({ text: Text, correct: z.boolean(), feedback: Text }))
      .min(2)
      .max(5),
    sources: SourceIds,
  }),
]);
export type Screen = z.infer<typeof Screen>;

/** A public source the module draws on (facts and structure; every sentence is ours). */
export const Source = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/),
  citation: z.string().min(10).max(500),
  url: z.url().optional(),
});

export const MODULE_KEY = /^[a-z0-9][a-z0-9-]{1,59}$/;

export const SkillsModule = z.strictObject({
  /** Stable key: 'cbt-triggers'. Programmes' own modules may not take a built-in key. */
  key: z.string().regex(MODULE_KEY, 'a module key is lower-case letters, digits and dashes'),
  /** Raised on every change that patients would notice; progress records the version worked on. */
  version: z.number().int().min(1),
  topic: z.enum(TOPICS),
  /** Care-plan interventions this module serves (assign from the plan's intervention). */
  interventions: z.array(z.enum(MODULE_INTERVENTIONS)).min(1),
  /** Stages of change it suits (the plan's stage suggests modules). */
  stages: z.array(z.enum(STAGES)).min(1),
  /** About how long it takes, in minutes. */
  minutes: z.number().int().min(1).max(60),
  title: Text,
  /** The learning goal, one or two sentences the patient reads first. */
  goal: Text,
  screens: z.array(Screen).min(3).max(20),
  /** Homework: something to do in the days after, with the exercise to record it. */
  homework: z.strictObject({ title: Text, body: Text, exercise: Exercise }),
  sources: z.array(Source).min(1),
});
export type SkillsModule = z.infer<typeof SkillsModule>;

/** Every Text in a module, with where it is (for the lint's language and grade checks). */
export function textsOf(m: SkillsModule): Array<{ path: string; text: Text; screen: string | null }> {
  const out: Array<{ path: string; text: Text; screen: string | null }> = [];
  const add = (path: string, text: Text | undefined, screen: string | null) => {
    if (text) out.push({ path, text, screen });
  };
  const exercise = (path: string, e: Exercise, screen: string | null) => {
    add(`${path}.prompt`, e.prompt, screen);
    if ('example' in e) add(`${path}.example`, e.example, screen);
    if (e.type === 'decisional-balance') add(`${path}.change`, e.change, screen);
    if (e.type === 'activity-scheduler') (e.ideas ?? []).forEach((t, i) => add(`${path}.ideas[${i}]`, t, screen));
    if (e.type === 'role-play')
      e.scenes.forEach((s, i) => {
        add(`${path}.scenes[${i}].prompt`, s.prompt, screen);
        s.choices.forEach((c, j) => {
          add(`${path}.scenes[${i}].choices[${j}].text`, c.text, screen);
          add(`${path}.scenes[${i}].choices[${j}].feedback`, c.feedback, screen);
        });
      });
  };
  add('title', m.title, null);
  add('goal', m.goal, null);
  m.screens.forEach((s, i) => {
    const p = `screens[${i}]`;
    if (s.kind === 'read') {
      add(`${p}.title`, s.title, s.id);
      add(`${p}.body`, s.body, s.id);
    } else if (s.kind === 'exercise') {
      add(`${p}.title`, s.title, s.id);
      exercise(`${p}.exercise`, s.exercise, s.id);
    } else {
      add(`${p}.question`, s.question, s.id);
      s.options.forEach((o, j) => {
        add(`${p}.options[${j}].text`, o.text, s.id);
        add(`${p}.options[${j}].feedback`, o.feedback, s.id);
      });
    }
  });
  add('homework.title', m.homework.title, 'homework');
  add('homework.body', m.homework.body, 'homework');
  exercise('homework.exercise', m.homework.exercise, 'homework');
  return out;
}

/** The languages a module is complete in: those every one of its texts has. */
export function languagesOf(m: SkillsModule): Language[] {
  const texts = textsOf(m);
  return LANGUAGES.filter((l) => texts.every((t) => typeof t.text[l] === 'string' && t.text[l].trim() !== ''));
}

/** The text in a language, falling back to English, then to any language it has. */
export function say(text: Text, lang: Language): string {
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? '';
}
