// A module while it is being edited (issue 13): a blank one to start from, the defaults of
// each screen kind and exercise type, a document typed in as JSON given the module's shape so
// the form can show it, and the clean-up before it is linted or saved (a language left empty
// is left out, an empty optional example or link is dropped).
import { EXERCISE_TYPES, TOPICS, type Exercise, type ExerciseType, type Screen, type SkillsModule } from '../../../../core/skills/module.ts';
import type { TextT } from './shared.ts';

export const blankText = (): TextT => ({ en: '', es: '' });

export function blankExercise(type: ExerciseType, prompt: TextT = blankText()): Exercise {
  switch (type) {
    case 'craving-log':
      return { type, prompt, timerSeconds: 300 };
    case 'role-play':
      return { type, prompt, scenes: [blankScene()] };
    case 'decisional-balance':
      return { type, prompt, change: blankText() };
    case 'activity-scheduler':
      return { type, prompt, ideas: [] };
    case 'chain':
    case 'problem-solving':
    case 'thought-record':
      return { type, prompt, example: blankText() };
    default:
      return { type, prompt };
  }
}

export const blankChoice = (quality: 'strong' | 'okay' | 'weak' = 'strong') => ({ text: blankText(), quality, feedback: blankText() });
export const blankScene = () => ({ prompt: blankText(), choices: [blankChoice('strong'), blankChoice('weak')] });
export const blankOption = (correct = false) => ({ text: blankText(), correct, feedback: blankText() });

export function blankScreen(kind: Screen['kind'], id: string): Screen {
  if (kind === 'read') return { id, kind, title: blankText(), body: blankText(), sources: [] };
  if (kind === 'check') return { id, kind, question: blankText(), options: [blankOption(true), blankOption(false)], sources: [] };
  return { id, kind, title: blankText(), exercise: blankExercise('chain') };
}

/** A screen id not used yet in the module: screen-1, screen-2 … */
export function freshScreenId(m: SkillsModule): string {
  const used = new Set(m.screens.map((s) => s.id));
  for (let n = m.screens.length + 1; ; n++) if (!used.has(`screen-${n}`)) return `screen-${n}`;
}

export function blankModule(): SkillsModule {
  return {
    key: '',
    version: 1,
    topic: 'psychoeducation',
    interventions: ['cbt'],
    stages: ['action'],
    minutes: 10,
    title: blankText(),
    goal: blankText(),
    screens: [blankScreen('read', 'screen-1'), blankScreen('exercise', 'screen-2'), blankScreen('check', 'screen-3')],
    homework: { title: blankText(), body: blankText(), exercise: blankExercise('coping-plan') },
    sources: [{ id: 'source-1', citation: '' }],
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTextLike = (v: unknown): v is Record<string, string> => isObj(v) && Object.keys(v).every((k) => k === 'en' || k === 'es') && Object.values(v).every((x) => typeof x === 'string');

/** The document as it is linted and saved: empty languages left out, an empty example, idea list or link dropped. */
export function cleanModule(doc: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObj(v)) return v;
    if (isTextLike(v)) return Object.fromEntries(Object.entries(v).filter(([, s]) => s.trim() !== ''));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const w = walk(x);
      if (k === 'example' && isObj(w) && Object.keys(w).length === 0) continue;
      if (k === 'url' && (w === '' || w === undefined)) continue;
      if (k === 'ideas' && Array.isArray(w) && w.length === 0) continue;
      out[k] = w;
    }
    return out;
  };
  return walk(doc);
}

// ---------- JSON typed by hand → something the form can show ----------

const text = (v: unknown): TextT => (isObj(v) ? { en: typeof v.en === 'string' ? v.en : '', es: typeof v.es === 'string' ? v.es : '' } : blankText());
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);

function exerciseOf(v: unknown): Exercise {
  const o = isObj(v) ? v : {};
  const type = (EXERCISE_TYPES as readonly string[]).includes(str(o.type)) ? (o.type as ExerciseType) : 'chain';
  const e = blankExercise(type, text(o.prompt)) as Record<string, unknown>;
  if ('example' in e) e.example = text(o.example);
  if (type === 'craving-log') e.timerSeconds = typeof o.timerSeconds === 'number' ? o.timerSeconds : 300;
  if (type === 'decisional-balance') e.change = text(o.change);
  if (type === 'activity-scheduler') e.ideas = arr(o.ideas).map(text);
  if (type === 'role-play')
    e.scenes = arr(o.scenes).map((s) => {
      const so = isObj(s) ? s : {};
      return {
        prompt: text(so.prompt),
        choices: arr(so.choices).map((c) => {
          const co = isObj(c) ? c : {};
          const q = str(co.quality);
          return { text: text(co.text), quality: q === 'okay' || q === 'weak' ? q : 'strong', feedback: text(co.feedback) };
        }),
      };
    });
  return e as Exercise;
}

function screenOf(v: unknown, i: number): Screen {
  const o = isObj(v) ? v : {};
  const id = str(o.id, `screen-${i + 1}`);
  if (o.kind === 'check')
    return {
      id,
      kind: 'check',
      question: text(o.question),
      options: arr(o.options).map((x) => {
        const xo = isObj(x) ? x : {};
        return { text: text(xo.text), correct: xo.correct === true, feedback: text(xo.feedback) };
      }),
      sources: strings(o.sources),
    };
  if (o.kind === 'exercise') return { id, kind: 'exercise', title: text(o.title), exercise: exerciseOf(o.exercise) };
  return { id, kind: 'read', title: text(o.title), body: text(o.body), sources: strings(o.sources) };
}

/** Any JSON object given the module's shape (missing parts blank), so the form can show it. */
export function moduleOf(v: unknown): SkillsModule {
  const o = isObj(v) ? v : {};
  const hw = isObj(o.homework) ? o.homework : {};
  return {
    key: str(o.key),
    version: typeof o.version === 'number' ? o.version : 1,
    topic: (TOPICS as readonly string[]).includes(str(o.topic)) ? (o.topic as SkillsModule['topic']) : 'psychoeducation',
    interventions: strings(o.interventions) as SkillsModule['interventions'],
    stages: strings(o.stages) as SkillsModule['stages'],
    minutes: typeof o.minutes === 'number' ? o.minutes : 10,
    title: text(o.title),
    goal: text(o.goal),
    screens: arr(o.screens).map(screenOf),
    homework: { title: text(hw.title), body: text(hw.body), exercise: exerciseOf(hw.exercise) },
    sources: arr(o.sources).map((s) => {
      const so = isObj(s) ? s : {};
      return { id: str(so.id), citation: str(so.citation), ...(typeof so.url === 'string' ? { url: so.url } : {}) };
    }),
  };
}
