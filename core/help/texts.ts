// Help now's fixed words, in English and Spanish: the 988 Suicide & Crisis Lifeline, the
// five naloxone steps (the one copy, core/naloxone/steps.ts, taught with a kit) and never-use-alone
// guidance. Written for Waypoint from public sources (docs/help-now.md cites them) at
// about a 6th-grade reading level (texts.test.ts checks the grade).
import { patientMessages, type Language } from '../checkins/texts.ts';

export type HelpTexts = {
  lifeline: { title: string; body: string; call: string; text: string };
  /** 988's Spanish line, always in Spanish (the option is for Spanish speakers). */
  lifelineSpanish: { lang: 'es'; text: string };
  naloxone: { title: string; steps: string[] };
  neverUseAlone: { title: string; tips: string[]; line: { label: string; phone: string } };
};

/** The Never Use Alone line (US): someone stays on the phone and sends help if the caller stops answering. */
export const NEVER_USE_ALONE_PHONE = '+18004843731';

const NALOXONE_TITLE = { en: 'How to use naloxone if someone overdoses', es: 'Cómo usar naloxona si alguien tiene una sobredosis' } as const;
const LIFELINE_SPANISH = 'Ayuda en español: llame al 988 y oprima 2.';

const TEXTS: Record<Language, Omit<HelpTexts, 'naloxone' | 'lifelineSpanish'>> = {
  en: {
    lifeline: {
      title: '988 Suicide & Crisis Lifeline',
      body: 'Call or text 988 if you are in crisis, think about suicide, or worry about someone. It is free and open all day and night.',
      call: 'Call 988',
      text: 'Text 988',
    },
    neverUseAlone: {
      title: 'If you use, stay safer',
      tips: [
        'Try not to use alone. If you do, tell someone and ask them to check on you.',
        'Go slow. Start with a small amount and wait before you take more.',
        'Test your drugs with fentanyl test strips. You cannot see or taste fentanyl.',
        'Do not mix opioids with alcohol or pills that make you sleepy.',
        'After a break, your body cannot handle as much. Take less.',
        'Keep naloxone near you. Tell the people with you where it is.',
      ],
      line: { label: 'Never Use Alone line: 1-800-484-3731. It is free. They stay on the phone and send help if you stop answering.', phone: NEVER_USE_ALONE_PHONE },
    },
  },
  es: {
    lifeline: {
      title: '988 Línea de Prevención del Suicidio y Crisis',
      body: 'Llame o envíe un texto al 988 si está en crisis, piensa en el suicidio o le preocupa alguien. Es gratis y atiende día y noche.',
      call: 'Llamar al 988',
      text: 'Texto al 988',
    },
    neverUseAlone: {
      title: 'Si usa, cuídese más',
      tips: [
        'Trate de no usar a solas. Si lo hace, avísele a alguien y pídale que le llame o venga a verle.',
        'Vaya despacio. Empiece con poco y espere antes de usar más.',
        'Revise sus drogas con tiras de prueba de fentanilo. El fentanilo no se ve ni se siente en el sabor.',
        'No mezcle opioides con alcohol ni con pastillas que dan sueño.',
        'Después de un descanso, su cuerpo aguanta menos. Use menos.',
        'Tenga naloxona cerca. Diga a las personas que están con usted dónde está.',
      ],
      line: { label: 'Línea Never Use Alone: 1-800-484-3731. Es gratis. Se quedan en el teléfono y mandan ayuda si usted deja de contestar.', phone: NEVER_USE_ALONE_PHONE },
    },
  },
};

export function helpTexts(lang: Language): HelpTexts {
  const t = TEXTS[lang];
  const naloxone = patientMessages({ crisis: false, naloxone: true }, lang).naloxone!;
  return {
    lifeline: { ...t.lifeline },
    lifelineSpanish: { lang: 'es', text: LIFELINE_SPANISH },
    naloxone: { title: NALOXONE_TITLE[lang], steps: naloxone.steps },
    neverUseAlone: { title: t.neverUseAlone.title, tips: [...t.neverUseAlone.tips], line: { ...t.neverUseAlone.line } },
  };
}

/** Every patient-facing English sentence here (the readability test). */
export const HELP_PATIENT_ENGLISH: readonly string[] = [
  TEXTS.en.lifeline.body,
  TEXTS.en.lifeline.call,
  TEXTS.en.lifeline.text,
  NALOXONE_TITLE.en,
  TEXTS.en.neverUseAlone.title,
  ...TEXTS.en.neverUseAlone.tips,
  TEXTS.en.neverUseAlone.line.label,
];
