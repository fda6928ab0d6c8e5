// The recommendation and caution rules, as data. Each rule has an id, the intervention (or
// caution) it produces, a weight (higher ranks first), a condition, a rationale for the
// clinician (English) and for the patient (English and Spanish: `Bilingual`, so a missing
// language does not compile, and core/planning/planning.test.ts checks none is empty), the
// evidence behind it and its source passage in the seeds. docs/planning-rules.md and the
// tests enumerate this table.
import { EVIDENCE, SEEDS, type EvidenceKey } from './evidence.ts';
import type { Bilingual, CautionCode, InterventionCode, Need, PatientContext, Rationale, SeedSource, Stage, Substance } from './types.ts';

/** The context reduced to the facts rules test; unknown stays unknown (undefined / false). */
export interface Facts {
  stage: Stage | undefined;
  moud: 'methadone' | 'buprenorphine' | 'naltrexone' | 'none' | undefined;
  onMoud: boolean;
  /** Not confirmed to be on MOUD: 'none' or unknown. */
  notConfirmedOnMoud: boolean;
  prefersNonMedication: boolean;
  substances: ReadonlySet<Substance>;
  opioidUse: boolean;
  stimulantUse: boolean;
  otherSubstanceUse: boolean;
  phq9: number | undefined;
  gad7: number | undefined;
  phq9Item9Positive: boolean;
  coOccurring: boolean;
  recentOverdose: boolean;
  familyInvolved: boolean;
  partner: boolean;
  needs: readonly Need[];
  attendsTwelveStep: boolean;
  attendsSmart: boolean;
  stigmaReported: boolean;
  prefersSecular: boolean;
  cmAvailable: boolean | undefined;
}

/** PHQ-9 or GAD-7 at or above this total counts as co-occurring depression/anxiety needing care. */
export const CO_OCCURRING_THRESHOLD = 10;

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

export function toFacts(ctx: PatientContext): Facts {
  const stage = isIn(['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance'] as const, ctx.stage) ? ctx.stage : undefined;
  const moud = isIn(['methadone', 'buprenorphine', 'naltrexone', 'none'] as const, ctx.moud) ? ctx.moud : undefined;
  const substances = new Set<Substance>(Array.isArray(ctx.substances) ? ctx.substances : []);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const phq9 = num(ctx.phq9);
  const gad7 = num(ctx.gad7);
  const item9 = num(ctx.phq9Item9);
  const attends = Array.isArray(ctx.mutualHelp?.attends) ? ctx.mutualHelp.attends : [];
  const onMoud = moud === 'methadone' || moud === 'buprenorphine' || moud === 'naltrexone';
  return {
    stage,
    moud,
    onMoud,
    notConfirmedOnMoud: !onMoud,
    prefersNonMedication: ctx.prefersNonMedication === true,
    substances,
    opioidUse: substances.has('opioids'),
    stimulantUse: substances.has('stimulants'),
    otherSubstanceUse: ['stimulants', 'alcohol', 'benzodiazepines', 'cannabis'].some((s) => substances.has(s as Substance)),
    phq9,
    gad7,
    phq9Item9Positive: item9 !== undefined && item9 > 0,
    coOccurring: (phq9 ?? 0) >= CO_OCCURRING_THRESHOLD || (gad7 ?? 0) >= CO_OCCURRING_THRESHOLD || (item9 ?? 0) > 0,
    recentOverdose: ctx.recentOverdose === true,
    familyInvolved: ctx.family?.involved === true || ctx.family?.partner === true,
    partner: ctx.family?.partner === true,
    needs: Array.isArray(ctx.needs) ? [...new Set(ctx.needs)] : [],
    attendsTwelveStep: attends.includes('NA') || attends.includes('AA'),
    attendsSmart: attends.includes('SMART'),
    stigmaReported: ctx.mutualHelp?.stigmaReported === true,
    prefersSecular: ctx.prefersSecular === true,
    cmAvailable: typeof ctx.cmAvailable === 'boolean' ? ctx.cmAvailable : undefined,
  };
}

export interface RecommendationRule {
  id: string;
  intervention: InterventionCode;
  weight: number;
  /** The condition in words, for docs. */
  when: string;
  applies: (f: Facts) => boolean;
  rationale: (f: Facts) => Rationale;
  evidence: readonly EvidenceKey[];
  source: SeedSource;
}

export interface CautionRule {
  id: string;
  code: CautionCode;
  when: string;
  /** Sees the facts and the interventions already recommended. */
  applies: (f: Facts, recommended: ReadonlySet<InterventionCode>) => boolean;
  text: (f: Facts) => string;
  source: SeedSource;
}

const U = SEEDS.uptodate2023;
const H = SEEDS.harvard2005;
const F = SEEDS.factSheet;
const early = (f: Facts) => f.stage === 'precontemplation' || f.stage === 'contemplation';
const prepAction = (f: Facts) => f.stage === 'preparation' || f.stage === 'action';
const actionMaint = (f: Facts) => f.stage === 'action' || f.stage === 'maintenance';
const cmOffered = (f: Facts) => f.cmAvailable !== false;
const cmAvailabilityNote = (f: Facts) => (f.cmAvailable === undefined ? ' Whether this programme can offer CM is not recorded; check before offering it.' : '');
const cmPatientNote = (f: Facts): Bilingual => (f.cmAvailable === undefined ? { en: ' Ask us if we offer it here.', es: ' Pregúntenos si lo ofrecemos aquí.' } : { en: '', es: '' });
/** Patient text a + b, language by language. */
const join = (a: Bilingual, b: Bilingual): Bilingual => ({ en: a.en + b.en, es: a.es + b.es });

const NEED_WORDS: Record<Need, Bilingual> = {
  housing: { en: 'housing', es: 'vivienda' },
  employment: { en: 'work', es: 'trabajo' },
  legal: { en: 'legal help', es: 'asuntos legales' },
  childcare: { en: 'childcare', es: 'cuidado de niños' },
  transport: { en: 'transport', es: 'transporte' },
};
const AND: Bilingual = { en: 'and', es: 'y' };
const listWords = (words: readonly string[], and: string): string => (words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${and} ${words[words.length - 1]}`);
const needList = (f: Facts, lang: keyof Bilingual): string =>
  listWords(
    f.needs.flatMap((n) => (Object.hasOwn(NEED_WORDS, n) ? [NEED_WORDS[n][lang]] : [])),
    AND[lang],
  );

const respectNonMedication = (f: Facts): { clinician: string; patient: Bilingual } =>
  f.prefersNonMedication
    ? {
        clinician:
          ' The patient has said they prefer treatment without medication. Respect that choice: share this evidence once, without pressure, keep psychosocial care going either way, and revisit when the patient wants to (MI can help explore it).',
        patient: {
          en: ' You told us you would rather not take medicine. We respect that. Your care goes on either way, and you can ask about medicine at any time.',
          es: ' Usted nos dijo que prefiere no tomar medicina. Lo respetamos. Su atención sigue de todas formas, y puede preguntar por la medicina cuando quiera.',
        },
      }
    : { clinician: '', patient: { en: '', es: '' } };

export const RULES: readonly RecommendationRule[] = [
  {
    id: 'moud-first-line-not-on-moud',
    intervention: 'moud-evaluation',
    weight: 100,
    when: 'Not on medication for OUD (moud = none).',
    applies: (f) => f.moud === 'none',
    rationale: (f) => ({
      clinician:
        'Medication for OUD (methadone, buprenorphine or extended-release naltrexone) with psychosocial care is first-line for most patients; most trials comparing MOUD with psychosocial treatment alone found less substance use and more abstinence with MOUD. Offer an evaluation for medication.' +
        respectNonMedication(f).clinician,
      patient: join(
        {
          en: 'Medicine for opioid use disorder helps most people more than anything else. We can talk about methadone, buprenorphine or naltrexone and what fits your life. The choice is yours.',
          es: 'La medicina para el trastorno por consumo de opioides es lo que más ayuda a la mayoría de las personas. Podemos hablar de la metadona, la buprenorfina o la naltrexona y de lo que mejor va con su vida. Usted decide.',
        },
        respectNonMedication(f).patient,
      ),
    }),
    evidence: ['moudFirstLine', 'moudMainComponent', 'nonMedicationPreference'],
    source: { seed: U, section: 'OVERVIEW; SUMMARY' },
  },
  {
    id: 'moud-first-line-status-unknown',
    intervention: 'moud-evaluation',
    weight: 100,
    when: 'Medication status not recorded (moud absent or "unknown").',
    applies: (f) => f.moud === undefined,
    rationale: (f) => ({
      clinician:
        'Medication status is not recorded. Confirm whether the patient takes medication for OUD; if not, offer an evaluation, since MOUD with psychosocial care is first-line for most patients.' +
        respectNonMedication(f).clinician,
      patient: join(
        {
          en: 'We want to know if you take medicine for opioid use disorder. If not, we can talk about it. Medicine helps most people the most. The choice is yours.',
          es: 'Queremos saber si usted toma medicina para el trastorno por consumo de opioides. Si no, podemos hablar de eso. La medicina es lo que más ayuda a la mayoría de las personas. Usted decide.',
        },
        respectNonMedication(f).patient,
      ),
    }),
    evidence: ['moudFirstLine', 'moudMainComponent'],
    source: { seed: U, section: 'OVERVIEW; SUMMARY' },
  },
  {
    id: 'naloxone-after-overdose',
    intervention: 'naloxone',
    weight: 99,
    when: 'Recent overdose.',
    applies: (f) => f.recentOverdose,
    rationale: () => ({
      clinician:
        'Recent overdose: give naloxone with training in opioid poisoning reversal to the patient and to the people around them today, and review overdose risk, including the risk of stopping medication.',
      patient: {
        en: 'You had an overdose not long ago. Naloxone can undo an opioid overdose and save your life. We will give you a kit and show you and your people how to use it.',
        es: 'Usted tuvo una sobredosis hace poco. La naloxona puede revertir una sobredosis de opioides y salvarle la vida. Le daremos un kit y les enseñaremos a usted y a sus seres queridos cómo usarlo.',
      },
    }),
    evidence: ['naloxoneFamily'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'naloxone-opioid-use',
    intervention: 'naloxone',
    weight: 92,
    when: 'Current opioid use.',
    applies: (f) => f.opioidUse,
    rationale: () => ({
      clinician: 'Current opioid use: provide naloxone with reversal training for the patient and household, and educate about opioid poisoning risk.',
      patient: {
        en: 'You are using opioids now. Carry naloxone. It can stop an overdose. We will show you and the people you live with how to use it.',
        es: 'Usted está usando opioides ahora. Lleve naloxona con usted. Puede detener una sobredosis. Les enseñaremos a usted y a las personas con quienes vive cómo usarla.',
      },
    }),
    evidence: ['naloxoneFamily'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'naloxone-family-training',
    intervention: 'naloxone',
    weight: 70,
    when: 'Family member or partner involved.',
    applies: (f) => f.familyInvolved,
    rationale: () => ({
      clinician:
        "Family is involved: offer them naloxone kits with reversal training; trained family members may feel empowered to save a loved one's life. Include education on opioid poisoning risk with and without medication.",
      patient: {
        en: 'Your family can learn to use naloxone. It can stop an overdose. Many families feel better knowing what to do.',
        es: 'Su familia puede aprender a usar la naloxona. Puede detener una sobredosis. Muchas familias se sienten más tranquilas al saber qué hacer.',
      },
    }),
    evidence: ['naloxoneFamily'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'naloxone-everyone',
    intervention: 'naloxone',
    weight: 40,
    when: 'Always (every patient with OUD).',
    applies: () => true,
    rationale: () => ({
      clinician: 'Make sure the patient and their support network have naloxone and know how to use it; overdose risk changes with tolerance and with starting or stopping medication.',
      patient: {
        en: 'Keep naloxone at home and with you. It can stop an opioid overdose. We can give you a kit.',
        es: 'Tenga naloxona en casa y llévela con usted. Puede detener una sobredosis de opioides. Podemos darle un kit.',
      },
    }),
    evidence: ['naloxoneFamily'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'peer-call-after-overdose',
    intervention: 'peer-support',
    weight: 97,
    when: 'Recent overdose.',
    applies: (f) => f.recentOverdose,
    rationale: () => ({
      clinician:
        'After an overdose, arrange prompt outreach by a trained peer. In a trial of 80 people with a recent overdose, a peer phone call raised MOUD enrolment (32.5% vs 17.5%) and lowered overdose (12.5% vs 32.5%) at 12 months.',
      patient: {
        en: 'A peer is someone who has been through this too. After an overdose, a call from a peer helps people get into care and stay safer. We would like a peer to call you.',
        es: 'Un compañero de apoyo es alguien que también ha pasado por esto. Después de una sobredosis, una llamada de un compañero de apoyo ayuda a las personas a empezar un tratamiento y a estar más seguras. Nos gustaría que un compañero de apoyo le llame.',
      },
    }),
    evidence: ['peerOverdose', 'peerGeneral'],
    source: { seed: U, section: 'PEER SUPPORT STRATEGIES' },
  },
  {
    id: 'psychotherapy-alongside-for-co-occurring',
    intervention: 'psychotherapy-co-occurring',
    weight: 85,
    when: `PHQ-9 ≥ ${CO_OCCURRING_THRESHOLD}, GAD-7 ≥ ${CO_OCCURRING_THRESHOLD}, or PHQ-9 item 9 > 0.`,
    applies: (f) => f.coOccurring,
    rationale: (f) => {
      const parts = [
        f.phq9 !== undefined && f.phq9 >= CO_OCCURRING_THRESHOLD ? `PHQ-9 ${f.phq9}` : '',
        f.gad7 !== undefined && f.gad7 >= CO_OCCURRING_THRESHOLD ? `GAD-7 ${f.gad7}` : '',
        f.phq9Item9Positive ? 'PHQ-9 item 9 positive' : '',
      ].filter(Boolean);
      return {
        clinician: `Co-occurring symptoms (${parts.join(', ')}): refer for psychotherapy (psychodynamic, interpersonal or supportive, or CBT) alongside OUD treatment, not instead of it; people with co-occurring disorders can make good use of psychotherapy as long as the addiction is treated at the same time.`,
        patient: {
          en: 'Your answers show you may be dealing with low mood or worry. Talking with a therapist can help with that. It works best next to your opioid treatment, not in place of it.',
          es: 'Sus respuestas muestran que usted puede estar pasando por desánimo o preocupación. Hablar con un terapeuta puede ayudarle con eso. Funciona mejor junto con su tratamiento para los opioides, no en lugar de él.',
        },
      };
    },
    evidence: ['psychotherapyCoOccurring'],
    source: { seed: H, section: 'Behavioral treatment' },
  },
  {
    id: 'mi-precontemplation-contemplation',
    intervention: 'motivational-interviewing',
    weight: 90,
    when: 'Stage precontemplation or contemplation.',
    applies: early,
    rationale: (f) => ({
      clinician: `Stage ${f.stage}: offer motivational interviewing to resolve ambivalence (1–4 sessions or ongoing). Meta-analysis of 59 RCTs (13,342 adults): SMD 0.79 post-intervention, 0.15 at up to 12 months; MI adjunct to methadone improved drug-use outcomes at 6 months (256 patients).`,
      patient: {
        en: 'You may still be deciding about change. That is normal. Motivational interviewing is a talk with a counselor about what you want. No one will push you.',
        es: 'Puede que usted todavía esté decidiendo si quiere hacer cambios. Eso es normal. La entrevista motivacional es una conversación con un consejero sobre lo que usted quiere. Nadie le va a presionar.',
      },
    }),
    evidence: ['stageMatching', 'miMeta', 'miMethadoneTrial'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY' },
  },
  {
    id: 'mi-medication-ambivalence',
    intervention: 'motivational-interviewing',
    weight: 80,
    when: 'Prefers non-medication treatment, or not on MOUD.',
    applies: (f) => f.prefersNonMedication || f.moud === 'none',
    rationale: () => ({
      clinician: 'MI can be especially helpful early in treatment and with patients who are reluctant to take medication for OUD; use it to explore the decision, not to press it.',
      patient: {
        en: 'A counselor can talk with you about your choices, including medicine, at your own pace. You decide.',
        es: 'Un consejero puede hablar con usted sobre sus opciones, también sobre la medicina, a su propio ritmo. Usted decide.',
      },
    }),
    evidence: ['miReluctantMoud', 'miMeta'],
    source: { seed: F, section: 'Psychotherapeutic Approaches — MI' },
  },
  {
    id: 'mi-any-stage',
    intervention: 'motivational-interviewing',
    weight: 45,
    when: 'Stage unknown, or use of substances other than opioids.',
    applies: (f) => f.stage === undefined || f.otherSubstanceUse,
    rationale: (f) => ({
      clinician:
        (f.stage === undefined ? 'Stage of change not assessed: MI can be used at any point and helps establish the stage (consider URICA or readiness rulers). ' : '') +
        (f.otherSubstanceUse ? 'MI can target other behaviours such as polysubstance use.' : ''),
      patient: {
        en: 'A counselor can help you think about what you want to change, and why, in your own words.',
        es: 'Un consejero puede ayudarle a pensar qué quiere cambiar y por qué, con sus propias palabras.',
      },
    }),
    evidence: ['stageMatching', 'miOtherBehaviours'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY; MOTIVATIONAL INTERVIEWING' },
  },
  {
    id: 'cm-ongoing-use',
    intervention: 'contingency-management',
    weight: 87,
    when: 'CM not known to be unavailable, and current opioid or stimulant use.',
    applies: (f) => cmOffered(f) && (f.opioidUse || f.stimulantUse),
    rationale: (f) => ({
      clinician:
        'Ongoing use is a clear CM target. CM has the most consistent evidence of the psychosocial treatments: in 60 RCTs (10,444 adults on MOUD) d = 0.58 for opioid abstinence, 0.75 for adherence, 0.43 for attendance; standard course 12 weeks.' +
        (f.stimulantUse ? ' Most CM evidence is for stimulant use.' : '') +
        cmAvailabilityNote(f),
      patient: join(
        {
          en: 'With contingency management you earn rewards for negative drug tests or for coming to care. Rewards grow each time in a row. It works well for many people.',
          es: 'Con el manejo de contingencias usted gana premios por pruebas de drogas negativas o por venir a sus citas. Los premios aumentan cuando lo logra varias veces seguidas. Funciona bien para muchas personas.',
        },
        cmPatientNote(f),
      ),
    }),
    evidence: ['cmMeta', 'cmBestEvidence', 'cmRetentionTrial', 'cmStimulants', 'cmNonMedication'],
    source: { seed: U, section: 'CONTINGENCY MANAGEMENT' },
  },
  {
    id: 'cm-bridge-low-motivation',
    intervention: 'contingency-management',
    weight: 84,
    when: 'CM not known to be unavailable, and stage precontemplation or contemplation.',
    applies: (f) => cmOffered(f) && early(f),
    rationale: (f) => ({
      clinician: 'CM can serve as a bridge to change for people with lower motivation (60 RCTs, 10,444 adults on MOUD: d = 0.58 abstinence, 0.75 adherence, 0.43 attendance).' + cmAvailabilityNote(f),
      patient: join(
        {
          en: 'You can earn small rewards for steps like coming to visits or negative tests, even before you feel fully ready.',
          es: 'Usted puede ganar pequeños premios por pasos como venir a sus citas o tener pruebas negativas, incluso antes de sentir que tiene todo decidido.',
        },
        cmPatientNote(f),
      ),
    }),
    evidence: ['cmBridge', 'cmMeta'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY' },
  },
  {
    id: 'cm-any-stage',
    intervention: 'contingency-management',
    weight: 50,
    when: 'The programme offers CM (cmAvailable = true).',
    applies: (f) => f.cmAvailable === true,
    rationale: () => ({
      clinician: 'The programme offers CM, which can be used at any point in treatment, e.g. to reinforce attendance or medication adherence (60 RCTs: d = 0.75 adherence, 0.43 attendance).',
      patient: {
        en: 'This clinic has a rewards program. You can earn rewards for steps like coming to visits.',
        es: 'Esta clínica tiene un programa de premios. Usted puede ganar premios por pasos como venir a sus citas.',
      },
    }),
    evidence: ['cmBridge', 'cmMeta', 'cmSmartphone'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY; CONTINGENCY MANAGEMENT' },
  },
  {
    id: 'cbt-preparation-action',
    intervention: 'cbt',
    weight: 82,
    when: 'Stage preparation or action.',
    applies: prepAction,
    rationale: (f) => ({
      clinician: `Stage ${f.stage}: action-oriented skill building fits; offer CBT (or a variant such as mindfulness-based or ACT) paired with wraparound services. Trials of CBT added to MOUD are mixed (a "sleeper effect" at 6-month follow-up in 73 methadone patients; no added benefit in 398 primary-care buprenorphine patients); a 65-module online CBT programme raised abstinence in 160 methadone patients. About 18 weekly sessions in studies.`,
      patient: {
        en: 'You are ready to act. CBT teaches skills: how to handle cravings, stress and hard moments. You can do it with a counselor or online.',
        es: 'Es un buen momento para actuar. La terapia cognitivo-conductual (TCC) enseña habilidades: cómo manejar las ganas fuertes de consumir, el estrés y los momentos difíciles. Puede hacerla con un consejero o en línea.',
      },
    }),
    evidence: ['cbtStage', 'cbtTrials', 'cbtTechnology', 'cbtMotivated'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY' },
  },
  {
    id: 'cbt-maintenance',
    intervention: 'cbt',
    weight: 40,
    when: 'Stage maintenance.',
    applies: (f) => f.stage === 'maintenance',
    rationale: () => ({
      clinician: 'In maintenance, cognitive and behavioural skills (including booster sessions or self-paced web modules) help sustain change.',
      patient: {
        en: 'Skills practice can help you keep the changes you have made.',
        es: 'Practicar habilidades puede ayudarle a mantener los cambios que ya logró.',
      },
    }),
    evidence: ['cbtLaterStages', 'cbtTechnology'],
    source: { seed: H, section: 'Stages of change' },
  },
  {
    id: 'wraparound-for-needs',
    intervention: 'wraparound-services',
    weight: 83,
    when: 'Any social need recorded (housing, employment, legal, childcare, transport).',
    applies: (f) => f.needs.length > 0,
    rationale: (f) => ({
      clinician: `Unmet needs (${f.needs.join(', ')}): refer to wraparound social services; CBT is recommended paired with them, and reinforcement-based treatment provides housing, food and job-skills support (243 patients: 50% vs 37% vs 13% drug-free urines at 3 months).`,
      patient: {
        en: `You told us you need help with ${needList(f, 'en')}. We can connect you to services for that. It makes the rest of care easier.`,
        es: `Usted nos dijo que necesita ayuda con ${needList(f, 'es')}. Podemos ponerle en contacto con servicios para eso. Así el resto de su atención es más fácil.`,
      },
    }),
    evidence: ['wraparound', 'rbtTrial'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY; PSYCHOSOCIAL TREATMENT ALONE' },
  },
  {
    id: 'wraparound-with-cbt',
    intervention: 'wraparound-services',
    weight: 81,
    when: 'Stage preparation or action.',
    applies: prepAction,
    rationale: () => ({
      clinician: 'In preparation or action, CBT is recommended paired with wraparound social services; screen for housing, work, legal, childcare and transport needs.',
      patient: {
        en: 'Skills work best when life basics are in place. We can help with things like housing, work or rides.',
        es: 'Las habilidades funcionan mejor cuando lo básico de la vida está resuelto. Podemos ayudarle con cosas como vivienda, trabajo o transporte.',
      },
    }),
    evidence: ['cbtStage', 'wraparound'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY' },
  },
  {
    id: 'community-reinforcement-non-medication',
    intervention: 'community-reinforcement',
    weight: 72,
    when: 'Prefers non-medication treatment.',
    applies: (f) => f.prefersNonMedication,
    rationale: () => ({
      clinician:
        'For treatment without medication, reinforcement-based treatment (community reinforcement with abstinence-contingent housing, food, recreation and job skills) has trial support: 243 patients after withdrawal, 50% vs 37% vs 13% drug-free urines at 3 months.',
      patient: {
        en: 'This program rewards steps forward with real-life support, like housing, activities and job skills.',
        es: 'Este programa premia cada paso adelante con apoyo para la vida diaria, como vivienda, actividades y habilidades para el trabajo.',
      },
    }),
    evidence: ['rbtTrial', 'nonMedicationPreference'],
    source: { seed: U, section: 'PSYCHOSOCIAL TREATMENT ALONE' },
  },
  {
    id: 'community-reinforcement-preparation-action',
    intervention: 'community-reinforcement',
    weight: 66,
    when: 'Stage preparation or action.',
    applies: prepAction,
    rationale: () => ({
      clinician: 'The community reinforcement approach, a cognitive-behavioural approach, can also be used in preparation or action.',
      patient: {
        en: 'This approach helps you build a life with more good things in it, like work, friends and fun without drugs.',
        es: 'Este enfoque le ayuda a construir una vida con más cosas buenas, como trabajo, amistades y diversión sin drogas.',
      },
    }),
    evidence: ['craStage', 'rbtTrial'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY' },
  },
  {
    id: 'counseling-non-medication',
    intervention: 'addiction-counseling',
    weight: 60,
    when: 'Prefers non-medication treatment.',
    applies: (f) => f.prefersNonMedication,
    rationale: () => ({
      clinician:
        'Nonmedication treatment typically combines addiction counselling, a mutual-help group and at least one structured intervention (CBT, CM, MI or 12-step facilitation), with regular urine testing.',
      patient: {
        en: 'Regular counseling, one-on-one or in a group, is part of care without medicine.',
        es: 'La consejería regular, individual o en grupo, es parte del tratamiento sin medicina.',
      },
    }),
    evidence: ['nonMedicationPreference', 'counselingTrials'],
    source: { seed: U, section: 'PSYCHOSOCIAL TREATMENT ALONE' },
  },
  {
    id: 'counseling-otp-methadone',
    intervention: 'addiction-counseling',
    weight: 55,
    when: 'On methadone (opioid treatment programmes must provide counselling).',
    applies: (f) => f.moud === 'methadone',
    rationale: () => ({
      clinician:
        "Opioid treatment programmes are required to provide addiction counselling. Its added benefit is uncertain (1 of 5 trials, 1446 people, showed benefit), so individualise frequency and content to the patient's goals and obligations.",
      patient: {
        en: 'Counseling is part of methadone care. We can plan how often to meet so it fits your work and family.',
        es: 'La consejería es parte del tratamiento con metadona. Podemos planear cada cuánto nos reunimos para que se adapte a su trabajo y a su familia.',
      },
    }),
    evidence: ['counselingRequired', 'counselingTrials'],
    source: { seed: U, section: 'OVERVIEW — Regulatory requirements; ADDICTION COUNSELING' },
  },
  {
    id: 'counseling-buprenorphine',
    intervention: 'addiction-counseling',
    weight: 35,
    when: 'On buprenorphine (prescribers must provide or refer to psychosocial treatment).',
    applies: (f) => f.moud === 'buprenorphine',
    rationale: () => ({
      clinician:
        "Buprenorphine prescribers must be able to provide or refer to psychosocial treatment; evidence for general counselling as an add-on is weak (1 of 5 trials showed benefit), so match it to the patient's wishes.",
      patient: {
        en: 'Counseling is available with your buprenorphine care if you want it.',
        es: 'Si lo desea, puede recibir consejería junto con su tratamiento con buprenorfina.',
      },
    }),
    evidence: ['counselingRequired', 'counselingTrials'],
    source: { seed: U, section: 'OVERVIEW — Regulatory requirements; ADDICTION COUNSELING' },
  },
  {
    id: 'moud-friendly-groups-stigma',
    intervention: 'mutual-help-moud-friendly',
    weight: 76,
    when: 'On MOUD and attends NA/AA or reports stigma about medication.',
    applies: (f) => f.onMoud && (f.attendsTwelveStep || f.stigmaReported),
    rationale: () => ({
      clinician:
        'On MOUD and in 12-step groups or reporting stigma: discuss stigma, coach the patient, and help them find MOUD-friendly meetings (Methadone Anonymous, Medication-Assisted Recovery Services) or more accepting NA groups. NA policy restricts some roles for members on medication and groups vary.',
      patient: {
        en: 'Some groups judge people who take medicine. That is not fair, and you do not have to put up with it. There are groups where people on medicine are welcome. We can help you find one.',
        es: 'Algunos grupos juzgan a las personas que toman medicina. Eso no es justo, y usted no tiene por qué aguantarlo. Hay grupos donde las personas que toman medicina son bienvenidas. Podemos ayudarle a encontrar uno.',
      },
    }),
    evidence: ['moudStigma', 'mutualHelpStudies'],
    source: { seed: U, section: 'MUTUAL HELP GROUPS' },
  },
  {
    id: 'moud-friendly-groups-stage',
    intervention: 'mutual-help-moud-friendly',
    weight: 64,
    when: 'On MOUD or medication status unknown, and stage action or maintenance.',
    applies: (f) => (f.onMoud || f.moud === undefined) && actionMaint(f),
    rationale: (f) => ({
      clinician:
        (f.moud === undefined ? 'Medication status is not recorded; MOUD-friendly groups welcome everyone. ' : '') +
        'In action or maintenance, offer mutual help; for a patient on MOUD, choose MOUD-friendly groups (Methadone Anonymous, Medication-Assisted Recovery Services). No RCTs exist; observational studies associate attendance with retention and abstinence, and over three-quarters of 332 MOUD patients in NA found it very or extremely helpful.',
      patient: {
        en: 'Meeting others on the same path can help you stay on track. Some groups welcome people who take medicine. We can help you find one.',
        es: 'Conocer a otras personas en el mismo camino puede ayudarle a seguir adelante. Algunos grupos dan la bienvenida a las personas que toman medicina. Podemos ayudarle a encontrar uno.',
      },
    }),
    evidence: ['mutualHelpStage', 'moudStigma', 'mutualHelpStudies'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY; MUTUAL HELP GROUPS' },
  },
  {
    id: 'tsf-action-maintenance-no-moud',
    intervention: 'twelve-step-facilitation',
    weight: 60,
    when: 'Not on MOUD (moud = none), stage action or maintenance, no preference for secular help.',
    applies: (f) => f.moud === 'none' && actionMaint(f) && !f.prefersSecular,
    rationale: () => ({
      clinician:
        'In action or maintenance, offer mutual help; 12-step facilitation connects the patient to NA/AA and encourages ongoing attendance. Observational studies associate attendance with abstinence (142 patients after residential treatment) and retention (300 patients starting buprenorphine).',
      patient: {
        en: 'Groups like NA let you meet people who understand. A counselor can help you find a group and get started.',
        es: 'Grupos como Narcóticos Anónimos (NA) le permiten conocer a personas que le entienden. Un consejero puede ayudarle a encontrar un grupo y a empezar.',
      },
    }),
    evidence: ['tsf', 'mutualHelpStage', 'mutualHelpStudies'],
    source: { seed: F, section: 'Psychotherapeutic Approaches — TSF' },
  },
  {
    id: 'tsf-non-medication',
    intervention: 'twelve-step-facilitation',
    weight: 58,
    when: 'Prefers non-medication treatment, no preference for secular help.',
    applies: (f) => f.prefersNonMedication && !f.prefersSecular,
    rationale: () => ({
      clinician: 'Nonmedication treatment typically includes participation in a mutual-help group and may include 12-step facilitation as its structured intervention.',
      patient: {
        en: 'A support group can be a big part of care without medicine. We can help you find one that fits.',
        es: 'Un grupo de apoyo puede ser una parte importante del tratamiento sin medicina. Podemos ayudarle a encontrar uno que le convenga.',
      },
    }),
    evidence: ['nonMedicationPreference', 'tsf'],
    source: { seed: U, section: 'PSYCHOSOCIAL TREATMENT ALONE' },
  },
  {
    id: 'smart-secular',
    intervention: 'smart-recovery',
    weight: 62,
    when: 'Prefers secular help, and stage action/maintenance or prefers non-medication treatment.',
    applies: (f) => f.prefersSecular && (actionMaint(f) || f.prefersNonMedication),
    rationale: () => ({
      clinician: 'The patient prefers secular help: SMART Recovery relies less on a higher power and more on cognitive and behavioural principles.',
      patient: {
        en: 'SMART Recovery is a support group that uses practical tools and does not focus on a higher power.',
        es: 'SMART Recovery es un grupo de apoyo que usa herramientas prácticas y no se centra en un poder superior.',
      },
    }),
    evidence: ['smart', 'mutualHelpStage'],
    source: { seed: H, section: 'Support groups' },
  },
  {
    id: 'smart-already-attending',
    intervention: 'smart-recovery',
    weight: 50,
    when: 'Already attends SMART Recovery.',
    applies: (f) => f.attendsSmart,
    rationale: () => ({
      clinician: 'The patient already attends SMART Recovery; support continued attendance and link its CBT-based tools to the treatment plan.',
      patient: {
        en: 'Keep going to SMART Recovery if it helps you. We can use its tools in your plan too.',
        es: 'Siga yendo a SMART Recovery si le ayuda. También podemos usar sus herramientas en su plan.',
      },
    }),
    evidence: ['smart'],
    source: { seed: H, section: 'Support groups' },
  },
  {
    id: 'peer-support-action-maintenance',
    intervention: 'peer-support',
    weight: 58,
    when: 'Stage action or maintenance.',
    applies: actionMaint,
    rationale: (f) => ({
      clinician:
        'In action or maintenance, offer peer-supported recovery; people may develop a sense of "giving back" by mentoring others.' +
        (f.onMoud ? ' MOUD-specific peer communities (Medication-Assisted Recovery Services) offer groups, training and mentoring.' : ''),
      patient: {
        en: 'A peer has lived through recovery. They can walk with you. Later, you might help someone else too.',
        es: 'Un compañero de apoyo ha vivido la recuperación. Puede acompañarle en el camino. Más adelante, usted también podría ayudar a otra persona.',
      },
    }),
    evidence: ['mutualHelpStage', 'peerGeneral'],
    source: { seed: U, section: 'SELECTING PSYCHOTHERAPY; PEER SUPPORT STRATEGIES' },
  },
  {
    id: 'craft-low-motivation',
    intervention: 'craft',
    weight: 74,
    when: 'Family involved and stage precontemplation or contemplation.',
    applies: (f) => f.familyInvolved && early(f),
    rationale: () => ({
      clinician:
        'Family is involved and motivation is low: CRAFT trains family members to encourage treatment engagement and reduced use, without needing the patient to attend; family members also report less depression, anger and anxiety.',
      patient: {
        en: 'Your family can learn ways to support you that help. They can do this program on their own time.',
        es: 'Su familia puede aprender maneras de apoyarle que de verdad ayudan. Pueden hacer este programa por su cuenta.',
      },
    }),
    evidence: ['craft'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'craft-family',
    intervention: 'craft',
    weight: 63,
    when: 'Family involved.',
    applies: (f) => f.familyInvolved,
    rationale: () => ({
      clinician: 'Family is involved: offer CRAFT for the family member(s); it supports the family and has reduced opioid use by the family member in treatment.',
      patient: {
        en: 'Your family can get support and learn how to help you. It helps them feel better too.',
        es: 'Su familia puede recibir apoyo y aprender a ayudarle. Eso también les ayuda a sentirse mejor.',
      },
    }),
    evidence: ['craft'],
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION' },
  },
  {
    id: 'couples-therapy-partner',
    intervention: 'behavioral-couples-therapy',
    weight: 67,
    when: 'Partner involved.',
    applies: (f) => f.partner,
    rationale: () => ({
      clinician:
        'Partner involved: offer behavioural couples therapy (weekly sessions over 3–6 months, CBT framework, communication focus; needs trained providers). Couples and family counselling have improved adherence and outcomes in OUD.',
      patient: {
        en: 'You and your partner can meet with a counselor together. You learn to talk and support each other.',
        es: 'Usted y su pareja pueden reunirse juntos con un consejero. Aprenden a hablar y a apoyarse mutuamente.',
      },
    }),
    evidence: ['couples', 'couplesUpToDate'],
    source: { seed: F, section: 'Psychotherapeutic Approaches — BCT' },
  },
  {
    id: 'family-counseling-naltrexone',
    intervention: 'family-counseling',
    weight: 69,
    when: 'Family involved and on naltrexone.',
    applies: (f) => f.familyInvolved && f.moud === 'naltrexone',
    rationale: () => ({
      clinician: 'Family involved and on naltrexone: behavioural family counselling increased naltrexone doses taken, sessions attended and days abstinent in 124 men living with a family member.',
      patient: {
        en: 'Family counseling can help you keep taking your medicine and stay on track, with your family on your side.',
        es: 'La consejería familiar puede ayudarle a seguir tomando su medicina y a mantener el rumbo, con su familia de su lado.',
      },
    }),
    evidence: ['familyCounseling'],
    source: { seed: U, section: 'FAMILY THERAPY — Behavioral family counseling' },
  },
  {
    id: 'family-counseling',
    intervention: 'family-counseling',
    weight: 61,
    when: 'Family involved.',
    applies: (f) => f.familyInvolved,
    rationale: () => ({
      clinician: 'Family involved: offer behavioural family counselling (124 men: more medication doses, more sessions attended, more days abstinent than control).',
      patient: {
        en: 'Family counseling brings your family into your care so they can support you.',
        es: 'La consejería familiar incluye a su familia en su atención para que pueda apoyarle.',
      },
    }),
    evidence: ['familyCounseling'],
    source: { seed: U, section: 'FAMILY THERAPY — Behavioral family counseling' },
  },
  {
    id: 'network-therapy-buprenorphine',
    intervention: 'network-therapy',
    weight: 65,
    when: 'Family involved and on buprenorphine.',
    applies: (f) => f.familyInvolved && f.moud === 'buprenorphine',
    rationale: () => ({
      clinician:
        'Family involved and on buprenorphine: network therapy (family and friends join the treatment team) gave more opioid-negative urines than medication management in sixty-six buprenorphine patients.',
      patient: {
        en: 'Friends and family can join your care team and help you plan for hard times.',
        es: 'Sus amistades y su familia pueden unirse a su equipo de atención y ayudarle a prepararse para los momentos difíciles.',
      },
    }),
    evidence: ['networkTherapy', 'networkHarvard'],
    source: { seed: U, section: 'FAMILY THERAPY — Network therapy' },
  },
  {
    id: 'network-therapy',
    intervention: 'network-therapy',
    weight: 52,
    when: 'Family involved.',
    applies: (f) => f.familyInvolved,
    rationale: () => ({
      clinician: 'Family involved: network therapy brings friends and relatives into the treatment team to support engagement and plan for emergencies.',
      patient: {
        en: 'People who care about you can be part of your care team.',
        es: 'Las personas que se preocupan por usted pueden ser parte de su equipo de atención.',
      },
    }),
    evidence: ['networkTherapy', 'networkHarvard'],
    source: { seed: H, section: 'Family counseling' },
  },
  {
    id: 'residential-non-medication-ongoing-use',
    intervention: 'residential',
    weight: 36,
    when: 'Prefers non-medication treatment and current opioid use.',
    applies: (f) => f.prefersNonMedication && f.opioidUse,
    rationale: () => ({
      clinician: 'For some people a residential programme (usually 1–3 months) or a therapeutic community (6–24 months) can help; consider it when outpatient care without medication is not enough.',
      patient: {
        en: 'Some people do well staying at a treatment program for a month or more. It is one option to think about.',
        es: 'A algunas personas les va bien quedarse en un programa de tratamiento por un mes o más. Es una opción que puede considerar.',
      },
    }),
    evidence: ['residential'],
    source: { seed: H, section: 'Residential treatment' },
  },
];

export const CAUTION_RULES: readonly CautionRule[] = [
  {
    id: 'suicide-risk-item9',
    code: 'suicide-risk',
    when: 'PHQ-9 item 9 > 0.',
    applies: (f) => f.phq9Item9Positive,
    text: () =>
      'PHQ-9 item 9 is positive (thoughts of being better off dead or of self-harm). Tell the care team now and complete a same-day suicide risk assessment and safety plan; include overdose risk and naloxone in the plan.',
    source: { seed: H, section: 'Behavioral treatment (co-occurring psychiatric disorders)' },
  },
  {
    id: 'cm-without-moud-overdose-risk',
    code: 'opioid-abstinence-cm-overdose-risk',
    when: 'CM recommended, patient not confirmed on MOUD, current opioid use.',
    applies: (f, rec) => rec.has('contingency-management') && f.notConfirmedOnMoud && f.opioidUse,
    text: () =>
      'CM that rewards opioid-negative screens in a patient not on medication for OUD can bring periods without opioids and lower tolerance; a return to use after that carries a high overdose risk. Offer MOUD, provide naloxone, teach about lost tolerance, and consider targets such as attendance.',
    source: { seed: U, section: 'FAMILY INVOLVEMENT AND EDUCATION (poisoning risk of taking / not taking MOUD); PSYCHOSOCIAL TREATMENT ALONE' },
  },
  {
    id: 'moud-stigma-in-groups',
    code: 'moud-stigma-in-groups',
    when: 'On MOUD and attends NA/AA or reports stigma.',
    applies: (f) => f.onMoud && (f.attendsTwelveStep || f.stigmaReported),
    text: () =>
      'People on medication for OUD may meet stigma in 12-step groups (medication called a "crutch", limits on leading meetings or sponsoring). Discuss it openly, affirm that medication is treatment, and help the patient find MOUD-friendly or more accepting groups.',
    source: { seed: U, section: 'MUTUAL HELP GROUPS' },
  },
  {
    id: 'psychotherapy-not-main-treatment',
    code: 'psychotherapy-not-main-treatment',
    when: `PHQ-9 ≥ ${CO_OCCURRING_THRESHOLD}, GAD-7 ≥ ${CO_OCCURRING_THRESHOLD}, or PHQ-9 item 9 > 0.`,
    applies: (f) => f.coOccurring,
    text: () => 'Psychotherapy for depression or anxiety should run alongside OUD treatment, not replace it: individual psychotherapy is not recommended as the main treatment for OUD.',
    source: { seed: H, section: 'Behavioral treatment' },
  },
];

/** Stage → interventions, the matching in "Selecting psychotherapy" (seed 002), as data. */
export const STAGE_MATCHING: Readonly<Record<Stage, readonly InterventionCode[]>> = {
  precontemplation: ['motivational-interviewing', 'contingency-management'],
  contemplation: ['motivational-interviewing', 'contingency-management'],
  preparation: ['cbt', 'wraparound-services', 'community-reinforcement'],
  action: ['cbt', 'wraparound-services', 'community-reinforcement', 'mutual-help-moud-friendly', 'twelve-step-facilitation', 'peer-support'],
  maintenance: ['mutual-help-moud-friendly', 'twelve-step-facilitation', 'peer-support'],
};

export { EVIDENCE };
