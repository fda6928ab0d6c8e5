// Which kinds of information (consent data classes, core/consent/consent.ts) each FHIR resource
// type of the facade carries (issue 16, ADR 008, ADR 021): what a read or search by a client
// outside the programme discloses, and so what a consent must cover before it is answered. The
// FHIR Consent resource lists, as provision.class, the types a consent covers by the same table.
// Pure; the one place these rules are written.
import type { DataClass } from './consent.ts';

/**
 * The data classes of each FHIR type an outside client may read. A type with no class
 * (Questionnaire: the instruments themselves) holds no patient's data and discloses nothing.
 * - Observation: the scores computed from questionnaires (PHQ-9, GAD-7, …), "screening scores",
 *   not drug test results ('screens', which the facade does not serve).
 * - Appointment: booked visits with each person's attendance (fulfilled, no-show) on them.
 * - Encounter: a visit the person was seen at.
 */
export const FHIR_DATA_CLASSES = {
  Patient: ['demographics'],
  Questionnaire: [],
  QuestionnaireResponse: ['assessments'],
  Observation: ['assessments'],
  CarePlan: ['care-plan'],
  Goal: ['care-plan'],
  Encounter: ['attendance'],
  Appointment: ['appointments', 'attendance'],
} as const satisfies Record<string, readonly DataClass[]>;

export type OutsideFhirType = keyof typeof FHIR_DATA_CLASSES;

/**
 * The data classes a read of `type` by an outside client discloses, or null when the type is
 * not for outside clients at all (Consent, Schedule: the programme's own business).
 */
export function fhirDataClassesOf(type: string): readonly DataClass[] | null {
  return Object.hasOwn(FHIR_DATA_CLASSES, type) ? FHIR_DATA_CLASSES[type as OutsideFhirType] : null;
}

/** The FHIR types holding patient data whose every data class `dataClasses` covers (for Consent.provision.class). */
export function fhirTypesCoveredBy(dataClasses: readonly DataClass[]): OutsideFhirType[] {
  return (Object.keys(FHIR_DATA_CLASSES) as OutsideFhirType[]).filter((t) => {
    const needed: readonly DataClass[] = FHIR_DATA_CLASSES[t];
    return needed.length > 0 && needed.every((c) => dataClasses.includes(c));
  });
}
