// Levels of care (issue 14, ADR 044): the ASAM Criteria levels a stay or a programme is
// described by, defined once with plain labels. The console, the API's enum and the docs
// read them from here.

/** ASAM Criteria levels (3rd edition numbering) and OTP (opioid treatment programme). */
export const ASAM_LEVELS = ['0.5', '1', '2.1', '2.5', '3.1', '3.5', '3.7', '4', 'OTP'] as const;
export type AsamLevel = (typeof ASAM_LEVELS)[number];

export const ASAM_LABELS: Record<AsamLevel, { en: string; es: string }> = {
  '0.5': { en: 'Early intervention', es: 'Intervención temprana' },
  '1': { en: 'Outpatient services', es: 'Servicios ambulatorios' },
  '2.1': { en: 'Intensive outpatient', es: 'Ambulatorio intensivo' },
  '2.5': { en: 'Partial hospitalisation', es: 'Hospitalización parcial' },
  '3.1': { en: 'Clinically managed low-intensity residential', es: 'Residencial de baja intensidad con manejo clínico' },
  '3.5': { en: 'Clinically managed high-intensity residential', es: 'Residencial de alta intensidad con manejo clínico' },
  '3.7': { en: 'Medically monitored intensive inpatient', es: 'Internamiento intensivo con supervisión médica' },
  '4': { en: 'Medically managed intensive inpatient', es: 'Internamiento intensivo con manejo médico' },
  OTP: { en: 'Opioid treatment programme', es: 'Programa de tratamiento de opioides' },
};

/** The levels a residential or therapeutic-community stay can be at (the 3.x levels: people live there). */
export const RESIDENTIAL_LEVELS: readonly AsamLevel[] = ['3.1', '3.5', '3.7'];

/** The episode levels of care (server/modules/patients, free text there) a stay may belong to. */
export const STAY_EPISODE_LEVELS = ['residential', 'therapeutic-community'] as const;
