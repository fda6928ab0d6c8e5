// Encounters (clinical visits; issue 14): the kinds of visit a programme records, how a
// visit is held, what can happen to each person booked on it, and what attendance means
// for contingency management. Pure data and rules: the server, the console and the tests
// read them from here.

/** How a visit is held. */
export const MODALITIES = ['in-person', 'video', 'phone'] as const;
export type Modality = (typeof MODALITIES)[number];

/** The families of visit the guidance describes; a programme's own types pick one. */
export const CATEGORIES = ['intake', 'individual', 'group', 'family', 'mi', 'case-management', 'peer', 'medication'] as const;
export type Category = (typeof CATEGORIES)[number];

export type EncounterType = {
  code: string;
  category: Category;
  /** Counts towards the programme's counselling-frequency rules. */
  counselling: boolean;
  label: { en: string; es: string };
};

/** A programme-defined type's code: lower-case words joined by hyphens, not one of the built-in codes. */
export const TYPE_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The built-in types every programme has (a programme adds its own; it cannot change these). */
export const DEFAULT_ENCOUNTER_TYPES: readonly EncounterType[] = [
  { code: 'intake', category: 'intake', counselling: false, label: { en: 'Intake', es: 'Admisión' } },
  { code: 'individual-counselling', category: 'individual', counselling: true, label: { en: 'Individual counselling', es: 'Consejería individual' } },
  { code: 'group-cbt', category: 'group', counselling: true, label: { en: 'CBT group', es: 'Grupo de TCC' } },
  { code: 'group-mi', category: 'group', counselling: true, label: { en: 'Motivational interviewing group', es: 'Grupo de entrevista motivacional' } },
  { code: 'group-relapse-prevention', category: 'group', counselling: true, label: { en: 'Relapse prevention group', es: 'Grupo de prevención de recaídas' } },
  { code: 'group-psychoeducation', category: 'group', counselling: true, label: { en: 'Psychoeducation group', es: 'Grupo psicoeducativo' } },
  { code: 'group-medication-recovery', category: 'group', counselling: true, label: { en: 'Medication-assisted recovery group', es: 'Grupo de recuperación con medicamentos' } },
  { code: 'family-couples', category: 'family', counselling: true, label: { en: 'Behavioural couples therapy', es: 'Terapia conductual de pareja' } },
  { code: 'family-counselling', category: 'family', counselling: true, label: { en: 'Family counselling', es: 'Consejería familiar' } },
  { code: 'family-network', category: 'family', counselling: true, label: { en: 'Network therapy meeting', es: 'Reunión de terapia de red' } },
  { code: 'mi-session', category: 'mi', counselling: true, label: { en: 'Motivational interviewing session', es: 'Sesión de entrevista motivacional' } },
  { code: 'case-management', category: 'case-management', counselling: false, label: { en: 'Case management', es: 'Gestión de casos' } },
  { code: 'peer-contact', category: 'peer', counselling: false, label: { en: 'Peer contact', es: 'Contacto con un compañero de apoyo' } },
  { code: 'medication-dosing', category: 'medication', counselling: false, label: { en: 'Medication visit: dosing', es: 'Visita de medicamento: dosis' } },
  {
    code: 'medication-xr-naltrexone',
    category: 'medication',
    counselling: false,
    label: { en: 'Medication visit: extended-release naltrexone injection', es: 'Visita de medicamento: inyección de naltrexona de liberación prolongada' },
  },
];

const BUILT_IN = new Set(DEFAULT_ENCOUNTER_TYPES.map((t) => t.code));
export const isBuiltInType = (code: string) => BUILT_IN.has(code);

/** Group and family visits may have many patients; the others have exactly one. */
export const manyPatients = (category: Category) => category === 'group' || category === 'family';

/** A visit's own status. */
export const ENCOUNTER_STATUSES = ['scheduled', 'completed', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

/** Who cancelled a visit or a person's place on it. */
export const CANCELLED_BY = ['patient', 'clinic'] as const;

/** What happened to one person booked on a visit. */
export const ATTENDANCE = ['attended', 'late', 'left-early', 'no-show', 'cancelled-patient', 'cancelled-clinic', 'excused'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/** Whether a person's place on a visit was cancelled (by them or by the clinic). */
export const isCancelled = (a: string | null) => a === 'cancelled-patient' || a === 'cancelled-clinic';

/**
 * What an attendance means for a CM attendance target (CM-SPEC §4: it succeeds when
 * `attended` is true). Present for the session — on time or late — earns; a no-show or
 * leaving early does not. A visit the clinic cancelled, a patient's cancellation made
 * ahead and an excused absence are no opportunity at all (null: nothing is posted, and the
 * protocol's calendar decides whether the day was a missed opportunity).
 */
export function cmAttended(a: Attendance): boolean | null {
  switch (a) {
    case 'attended':
    case 'late':
      return true;
    case 'left-early':
    case 'no-show':
      return false;
    case 'cancelled-patient':
    case 'cancelled-clinic':
    case 'excused':
      return null;
  }
}

/** Attendance that counts as a visit held with the person (for counselling compliance). */
export const wasSeen = (a: Attendance | null) => a === 'attended' || a === 'late' || a === 'left-early';

/** Longest visit and longest recurring series a schedule accepts. */
export const MAX_DURATION_MINUTES = 8 * 60;
export const MAX_SERIES_WEEKS = 52;
/** Largest group a series or visit can hold (the largest rooms used for groups). */
export const MAX_CAPACITY = 40;
