// The phone line's check-in (issue 12, ADR 038): a call asks three questions on the keypad —
// medication taken today (1 yes, 2 no), any use since the last check-in (1 yes, 2 no),
// craving 0–9 — then the answers are recorded as a check-in (source 'voice') and the caller
// may press 1 to be put through to the clinic. An invalid key or no key repeats the
// question once; a second miss ends the call politely and records nothing. A call that
// ends before the last answer records nothing (ADR 038). Pure: the server keeps the state
// per call and replays a repeated webhook; this decides what each key press does.
import type { CheckInAnswers } from './answers.ts';
import { twiml, type Say, type Verb } from '../messages/twiml.ts';
import { patientMessages, type Language } from './texts.ts';

export const VOICE_QUESTIONS = ['medication', 'use', 'craving'] as const;
export type VoiceQuestion = (typeof VOICE_QUESTIONS)[number];
export type VoiceStep = VoiceQuestion | 'connect' | 'ended';

export type VoiceState = {
  step: VoiceStep;
  /** Misses (no key, a key that is no answer) on the current question: the second ends the call. */
  misses: number;
  medication?: 'taken' | 'missed' | undefined;
  use?: boolean | undefined;
  craving?: number | undefined;
  /** The check-in was recorded (exactly once per call). */
  recorded: boolean;
};

export type VoiceOutcome =
  | { kind: 'ask'; question: VoiceQuestion; again: boolean }
  /** Record these answers now, then thank the caller and offer to connect. */
  | { kind: 'record'; answers: CheckInAnswers }
  | { kind: 'connect' }
  | { kind: 'goodbye'; why: 'no-answer' | 'done' };

export const startCall = (): VoiceState => ({ step: 'medication', misses: 0, recorded: false });

/** The answer a key gives to a question, or null when it is not one. */
export function answerOf(question: VoiceQuestion, digits: string | null): number | null {
  if (digits === null || !/^[0-9]$/.test(digits)) return null;
  const n = Number(digits);
  if (question === 'craving') return n;
  return n === 1 || n === 2 ? n : null;
}

/** What the key(s) pressed (null: none before the time-out) do on the call in `state`. Never throws. */
export function advance(state: VoiceState, digits: string | null, opts: { canConnect: boolean }): { state: VoiceState; outcome: VoiceOutcome } {
  const s = { ...state };
  if (s.step === 'ended') return { state: s, outcome: { kind: 'goodbye', why: 'done' } };
  if (s.step === 'connect') {
    s.step = 'ended';
    return { state: s, outcome: digits === '1' ? { kind: 'connect' } : { kind: 'goodbye', why: 'done' } };
  }
  const q = s.step;
  const n = answerOf(q, digits);
  if (n === null) {
    if (s.misses >= 1) {
      s.step = 'ended';
      return { state: s, outcome: { kind: 'goodbye', why: 'no-answer' } };
    }
    s.misses += 1;
    return { state: s, outcome: { kind: 'ask', question: q, again: true } };
  }
  s.misses = 0;
  if (q === 'medication') {
    s.medication = n === 1 ? 'taken' : 'missed';
    s.step = 'use';
    return { state: s, outcome: { kind: 'ask', question: 'use', again: false } };
  }
  if (q === 'use') {
    s.use = n === 1;
    s.step = 'craving';
    return { state: s, outcome: { kind: 'ask', question: 'craving', again: false } };
  }
  s.craving = n;
  s.step = opts.canConnect ? 'connect' : 'ended';
  if (s.recorded) return { state: s, outcome: { kind: 'goodbye', why: 'done' } };
  s.recorded = true;
  return { state: s, outcome: { kind: 'record', answers: answersOf(s) } };
}

/** The check-in a finished call gives (use: which substances is not asked on the phone). */
export function answersOf(s: VoiceState): CheckInAnswers {
  return {
    ...(s.medication ? { medication: s.medication } : {}),
    ...(s.use === undefined ? {} : { use: s.use ? { any: true as const, substances: [] } : { any: false as const } }),
    ...(s.craving === undefined ? {} : { craving: s.craving }),
  };
}

/** What the phone line says, in English and Spanish. Short sentences, read aloud: about a 6th-grade level. */
export const VOICE_TEXTS = {
  en: {
    unknown: 'Sorry, we could not find this number. Please call your clinic. Goodbye.',
    hello: 'Hello. This is your daily check-in. Use the keys on your phone.',
    medication: 'Did you take your medicine today? Press 1 for yes. Press 2 for no.',
    use: 'Have you used since your last check-in? Press 1 for yes. Press 2 for no.',
    craving: 'How strong is your craving right now? Press a number from 0 for none to 9 for the most.',
    again: 'Sorry, we did not get that.',
    noAnswer: 'Sorry, we did not get an answer. Nothing was saved. You can call again any time. Goodbye.',
    connectOffer: 'To talk with your clinic now, press 1. Or you can hang up.',
    noNumber: 'If you want to talk, please call your clinic.',
    connecting: 'Please hold. We are calling your clinic.',
    goodbye: 'Thank you for calling. Goodbye.',
  },
  es: {
    unknown: 'Lo sentimos, no encontramos este número. Por favor llame a su clínica. Adiós.',
    hello: 'Hola. Este es su registro diario. Use las teclas de su teléfono.',
    medication: '¿Tomó su medicina hoy? Oprima 1 para sí. Oprima 2 para no.',
    use: '¿Ha usado desde su último registro? Oprima 1 para sí. Oprima 2 para no.',
    craving: '¿Qué tan fuerte es su antojo ahora? Oprima un número del 0, nada, al 9, lo más fuerte.',
    again: 'Lo sentimos, no entendimos.',
    noAnswer: 'Lo sentimos, no recibimos una respuesta. No se guardó nada. Puede llamar otra vez cuando quiera. Adiós.',
    connectOffer: 'Para hablar con su clínica ahora, oprima 1. O puede colgar.',
    noNumber: 'Si quiere hablar, por favor llame a su clínica.',
    connecting: 'Por favor espere. Estamos llamando a su clínica.',
    goodbye: 'Gracias por llamar. Adiós.',
  },
} as const satisfies Record<Language, Record<string, string>>;

/** All patient-facing English the phone line says (for the readability test). */
export const VOICE_ENGLISH: readonly string[] = Object.values(VOICE_TEXTS.en);

/** How long the caller has to press a key (seconds). */
export const GATHER_TIMEOUT_SECONDS = 8;
/** How long the clinic's phone rings before the call gives up (seconds). */
export const DIAL_TIMEOUT_SECONDS = 30;

export type VoiceContext = {
  lang: Language;
  /** Where the provider posts the next key press (an absolute URL naming the call's next step). */
  nextAction: string;
  /** The programme's number to put the caller through to; null: none configured. */
  clinicNumber: string | null;
};

const QUESTION_TEXT = { medication: 'medication', use: 'use', craving: 'craving' } as const;

/** The TwiML for the start of a call from a known patient, or for what a key press did. */
export function voiceTwiml(
  outcome: VoiceOutcome | { kind: 'hello' } | { kind: 'unknown' },
  ctx: VoiceContext,
  show: { crisis: boolean; naloxone: boolean } = { crisis: false, naloxone: false },
): string {
  const t = VOICE_TEXTS[ctx.lang];
  const language = ctx.lang === 'es' ? 'es-US' : 'en-US';
  const say = (text: string): Say => ({ verb: 'say', text, language });
  const gather = (...texts: string[]): Verb => ({ verb: 'gather', action: ctx.nextAction, numDigits: 1, timeoutSeconds: GATHER_TIMEOUT_SECONDS, say: texts.map(say) });
  const hangup: Verb = { verb: 'hangup' };
  switch (outcome.kind) {
    case 'unknown':
      return twiml([say(t.unknown), hangup]);
    case 'hello':
      return twiml([say(t.hello), gather(t.medication)]);
    case 'ask':
      return twiml([...(outcome.again ? [say(t.again)] : []), gather(t[QUESTION_TEXT[outcome.question]])]);
    case 'record': {
      const m = patientMessages(show, ctx.lang);
      const help = [...(m.crisis ? [m.crisis.call, m.crisis.text] : []), ...(m.naloxone ? m.naloxone.steps : [])];
      const saved = [m.thanks, ...help].map(say);
      return ctx.clinicNumber ? twiml([...saved, gather(t.connectOffer)]) : twiml([...saved, say(t.noNumber), say(t.goodbye), hangup]);
    }
    case 'connect':
      return ctx.clinicNumber ? twiml([say(t.connecting), { verb: 'dial', number: ctx.clinicNumber, timeoutSeconds: DIAL_TIMEOUT_SECONDS }]) : twiml([say(t.noNumber), say(t.goodbye), hangup]);
    case 'goodbye':
      return twiml([say(outcome.why === 'no-answer' ? t.noAnswer : t.goodbye), hangup]);
  }
}
