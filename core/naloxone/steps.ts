// The five steps of responding to an opioid overdose, as taught when a naloxone kit is given
// (issue 15). Written for Waypoint from the public SAMHSA Opioid Overdose Prevention Toolkit
// (HHS Publication No. (SMA) 18-4742, "Five Essential Steps for First Responders": call for
// help, check for signs of overdose, support breathing, administer naloxone, monitor the
// person's response), in plain English (about 6th grade) and Spanish ("usted"). The staff
// checklist records which steps a training covered, by key. docs/naloxone.md.

export const TRAINING_STEPS = ['call-for-help', 'check-for-signs', 'support-breathing', 'give-naloxone', 'stay-and-monitor'] as const;
export type TrainingStep = (typeof TRAINING_STEPS)[number];

export type StepText = { title: string; body: string };

export const STEP_TEXTS: Record<'en' | 'es', Record<TrainingStep, StepText>> = {
  en: {
    'call-for-help': { title: 'Call for help', body: 'Call 911. Say the person is not breathing or will not wake up. Give the address.' },
    'check-for-signs': { title: 'Check for signs', body: 'Look for small pupils, blue or gray lips, slow or no breathing, and no answer when you shout or rub the chest.' },
    'support-breathing': { title: 'Help them breathe', body: 'Tilt the head back, lift the chin and give one breath every 5 seconds.' },
    'give-naloxone': { title: 'Give naloxone', body: 'Spray one dose into one side of the nose. If they do not wake up in 2 to 3 minutes, give another dose.' },
    'stay-and-monitor': { title: 'Stay and watch', body: 'Stay with them until help comes. Lay them on their side so they do not choke. Naloxone can wear off.' },
  },
  es: {
    'call-for-help': { title: 'Pida ayuda', body: 'Llame al 911. Diga que la persona no respira o no despierta. Dé la dirección.' },
    'check-for-signs': {
      title: 'Busque las señales',
      body: 'Fíjese si tiene las pupilas pequeñas, los labios azules o grises, si respira lento o no respira, y si no responde cuando usted le grita o le frota el pecho.',
    },
    'support-breathing': { title: 'Ayúdele a respirar', body: 'Incline la cabeza hacia atrás, levante la barbilla y dé una respiración cada 5 segundos.' },
    'give-naloxone': { title: 'Dé naloxona', body: 'Rocíe una dosis en un lado de la nariz. Si no despierta en 2 o 3 minutos, dé otra dosis.' },
    'stay-and-monitor': { title: 'Quédese y observe', body: 'Quédese con la persona hasta que llegue ayuda. Acuéstela de lado para que no se ahogue. El efecto de la naloxona puede pasar.' },
  },
};

/** The steps in order, in a language (the console's checklist, the patient card). */
export const trainingSteps = (lang: 'en' | 'es') => TRAINING_STEPS.map((key) => ({ key, ...STEP_TEXTS[lang][key] }));

/** The steps as sentences a patient reads after a check-in or in Help now ("Title. What to do."), all five or some. */
export const stepSentences = (lang: 'en' | 'es', keys: readonly TrainingStep[] = TRAINING_STEPS): string[] => keys.map((k) => `${STEP_TEXTS[lang][k].title}. ${STEP_TEXTS[lang][k].body}`);

/** The two a text message has room for, after use that follows a stretch without: call 911, give naloxone. */
export const FIRST_STEPS: readonly TrainingStep[] = ['call-for-help', 'give-naloxone'];

/** Every patient-facing English sentence (the readability test). */
export const NALOXONE_PATIENT_ENGLISH: readonly string[] = TRAINING_STEPS.flatMap((k) => [STEP_TEXTS.en[k].title, STEP_TEXTS.en[k].body]);
