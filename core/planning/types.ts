// Planning types: stages of change, the patient context, recommendations and cautions.

export const STAGES = ['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance'] as const;
export type Stage = (typeof STAGES)[number];

export const MOUD_VALUES = ['methadone', 'buprenorphine', 'naltrexone', 'none', 'unknown'] as const;
export type Moud = (typeof MOUD_VALUES)[number];

export const SUBSTANCES = ['opioids', 'stimulants', 'alcohol', 'benzodiazepines', 'cannabis'] as const;
export type Substance = (typeof SUBSTANCES)[number];

export const NEEDS = ['housing', 'employment', 'legal', 'childcare', 'transport'] as const;
export type Need = (typeof NEEDS)[number];

export const MUTUAL_HELP_GROUPS = ['NA', 'AA', 'SMART', 'none'] as const;
export type MutualHelpGroup = (typeof MUTUAL_HELP_GROUPS)[number];

/**
 * What is known about a patient when planning. Every field is optional: absent (or null)
 * means unknown, and unknown never crashes the planner.
 */
export interface PatientContext {
  stage?: Stage | 'unknown' | null;
  moud?: Moud | null;
  prefersNonMedication?: boolean | null;
  /** Substances in current use. */
  substances?: Substance[] | null;
  phq9?: number | null;
  phq9Item9?: number | null;
  gad7?: number | null;
  recentOverdose?: boolean | null;
  family?: { involved?: boolean | null; partner?: boolean | null } | null;
  needs?: Need[] | null;
  mutualHelp?: { attends?: MutualHelpGroup[] | null; stigmaReported?: boolean | null } | null;
  prefersSecular?: boolean | null;
  cmAvailable?: boolean | null;
}

export const INTERVENTION_CODES = [
  'moud-evaluation',
  'naloxone',
  'peer-support',
  'psychotherapy-co-occurring',
  'motivational-interviewing',
  'contingency-management',
  'cbt',
  'wraparound-services',
  'community-reinforcement',
  'addiction-counseling',
  'mutual-help-moud-friendly',
  'twelve-step-facilitation',
  'smart-recovery',
  'craft',
  'behavioral-couples-therapy',
  'family-counseling',
  'network-therapy',
  'residential',
] as const;
export type InterventionCode = (typeof INTERVENTION_CODES)[number];

export const CAUTION_CODES = ['suicide-risk', 'opioid-abstinence-cm-overdose-risk', 'moud-stigma-in-groups', 'psychotherapy-not-main-treatment'] as const;
export type CautionCode = (typeof CAUTION_CODES)[number];

/** Where a rule or a figure comes from: a seed file and its section. */
export interface SeedSource {
  seed: string;
  section: string;
}

export interface Evidence extends SeedSource {
  id: string;
  /** The guidance or trial figures, as stated in the seed. */
  summary: string;
  /** The primary reference as listed in the seed's reference list, where it gives one. */
  citation?: string;
}

/** The languages patient-facing planning text is written in (the patient app's languages). */
export const PATIENT_LANGUAGES = ['en', 'es'] as const;
export type PatientLanguage = (typeof PATIENT_LANGUAGES)[number];
/** One text per patient language; a rule without one of them does not compile. */
export type Bilingual = Record<PatientLanguage, string>;

export interface Rationale {
  /** For staff (English): cites the guidance and figures. */
  clinician: string;
  /** For the patient, in English and Spanish: plain language, about a 6th-grade reading level. */
  patient: Bilingual;
}

export interface Recommendation {
  intervention: InterventionCode;
  /** 1 = first. Consecutive integers. */
  priority: number;
  rationale: Rationale;
  evidence: Evidence[];
  /** Ids of the rules that matched (see RULES), for audit and docs. */
  rules: string[];
}

export interface Caution {
  code: CautionCode;
  text: string;
}

export interface RecommendResult {
  recommendations: Recommendation[];
  cautions: Caution[];
}
