// Server-written words about check-ins, in English and Spanish: the care team's alert
// texts (with no patient data in them) and what the patient is told at once. Patient
// words are kept short and plain (about a 6th-grade reading level; test/checkins tests
// the grade), and never judge.
import type { RuleCode } from './rules.ts';
import { FIRST_STEPS, stepSentences } from '../naloxone/steps.ts';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const languageOf = (tag: string | null | undefined): Language => (tag?.toLowerCase().startsWith('es') ? 'es' : 'en');

type Params = { threshold: number; days: number; count: number; windowDays: number };

/** The alert text the care team reads on the work list. */
export function alertText(code: RuleCode, p: Params, lang: Language): string {
  const en: Record<RuleCode, string> = {
    'not-safe': 'Check-in: the patient said they are not safe right now. Contact them now.',
    'craving-run': `Check-in: craving ${p.threshold} or more on ${p.days} days running.`,
    'missed-doses': `Check-in: ${p.count} missed doses in the last ${p.windowDays} days.`,
    'use-after-abstinence': `Check-in: use reported after ${p.days} or more days without reported use. Overdose risk is higher; the patient was shown naloxone steps.`,
  };
  const es: Record<RuleCode, string> = {
    'not-safe': 'Registro diario: la persona dijo que no está a salvo ahora. Comuníquese ahora.',
    'craving-run': `Registro diario: antojo de ${p.threshold} o más durante ${p.days} días seguidos.`,
    'missed-doses': `Registro diario: ${p.count} dosis olvidadas en los últimos ${p.windowDays} días.`,
    'use-after-abstinence': `Registro diario: uso reportado después de ${p.days} días o más sin uso reportado. El riesgo de sobredosis es mayor; se le mostraron los pasos de naloxona.`,
  };
  return (lang === 'es' ? es : en)[code];
}

export type PatientMessages = {
  thanks: string;
  crisis: { title: string; body: string; call: string; text: string } | null;
  naloxone: { title: string; steps: string[] } | null;
};

const PATIENT = {
  en: {
    thanks: 'Thank you. Your check-in is saved.',
    crisis: {
      title: 'You do not have to face this alone',
      body: 'Your care team will reach out soon. If you might hurt yourself, get help now.',
      call: 'Call 988 now. It is free and open all day and night.',
      text: 'You can also text 988.',
    },
    naloxone: {
      title: 'Stay safe today: your body may not handle the amount it used to',
    },
  },
  es: {
    thanks: 'Gracias. Su registro quedó guardado.',
    crisis: {
      title: 'No tiene que pasar por esto solo',
      body: 'Su equipo de atención se comunicará pronto. Si se puede hacer daño, pida ayuda ahora.',
      call: 'Llame al 988 ahora. Es gratis y atiende día y noche.',
      text: 'También puede enviar un texto al 988.',
    },
    naloxone: {
      title: 'Cuídese hoy: su cuerpo tal vez no aguante la cantidad de antes',
    },
  },
} as const;

/** What the app (or an SMS reply) tells the patient right after a check-in. */
export function patientMessages(show: { crisis: boolean; naloxone: boolean }, lang: Language): PatientMessages {
  const t = PATIENT[lang];
  // the five steps are the ones taught with a naloxone kit (core/naloxone/steps.ts: one copy)
  return { thanks: t.thanks, crisis: show.crisis ? { ...t.crisis } : null, naloxone: show.naloxone ? { title: t.naloxone.title, steps: stepSentences(lang) } : null };
}

const SMS = {
  en: {
    howTo: 'To check in, text 3 numbers: your craving from 0 to 10, then 0 for no use or 1 for use, then 1 if you took your medicine or 0 if you missed it. For example: 7 0 1',
  },
  es: {
    howTo: 'Para su registro, envíe 3 números: su antojo de 0 a 10, luego 0 si no usó o 1 si usó, luego 1 si tomó su medicina o 0 si no. Por ejemplo: 7 0 1',
  },
} as const;

/**
 * The reply to a check-in sent by text: the thanks, then (when the rules say so) how to get
 * help now — 988 for a crisis, the first naloxone steps after use that follows a stretch
 * without. Short: a text message, on a phone that may not be private.
 */
export function smsCheckInReply(show: { crisis: boolean; naloxone: boolean }, lang: Language): string {
  const m = patientMessages(show, lang);
  return [m.thanks, ...(m.crisis ? [m.crisis.call, m.crisis.text] : []), ...(m.naloxone ? stepSentences(lang, FIRST_STEPS) : [])].join(' ');
}

/** The reply to a text from a patient that is not a check-in the reader understands: how to send one. */
export const smsCheckInHowTo = (lang: Language): string => SMS[lang].howTo;

/** All patient-facing English sentences (for the readability test). */
export const PATIENT_ENGLISH: readonly string[] = [PATIENT.en.thanks, ...Object.values(PATIENT.en.crisis), PATIENT.en.naloxone.title, ...stepSentences('en'), SMS.en.howTo];
