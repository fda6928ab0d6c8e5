// Help now and My plan (issue 12, ADR 037): the programme's help settings (staff), the public
// help a locked phone may fetch (programme data only), the personal safety plan (the patient
// in the app, the care team in the console: every save a new version, a stale one refused
// with 409) and the patient's view of their care plan. Request schemas are strict; the
// limits that name a field are core/help's (400 with `problems`).
import { z } from 'zod';
import { SAFETY_PLAN_SECTIONS } from '../core/help/safety-plan.ts';
import { CARE_TEAM_ROLES } from './patients.ts';

// Generous outer bounds against abuse; the real limits are core's, with field messages.
const Text = z.string().max(2000);
const Phone = z.string().max(40);

const HelpLine = z.strictObject({
  labelEn: Text.describe('What the line is, in English (e.g. "County crisis line").'),
  labelEs: Text.describe('The same in Spanish.'),
  phone: Phone.describe('E.164, e.g. +15555550123.'),
});
const NaloxonePlace = z.strictObject({
  name: Text,
  address: Text,
  hours: Text.describe('Opening hours as people say them (e.g. "Mon–Fri 9–5").'),
  phone: Phone.nullable().describe('E.164, or null.'),
  note: Text.nullable().describe('E.g. "free kits, no ID needed", or null.'),
});

export const HelpSettings = z.strictObject({
  clinicPhone: Phone.nullable().describe('The clinic’s main number (E.164), or null.'),
  crisisLines: z.array(HelpLine).max(50),
  afterHoursLines: z.array(HelpLine).max(50),
  naloxonePlaces: z.array(NaloxonePlace).max(100).describe('In the order the app shows them.'),
});

export const HelpSettingsRead = HelpSettings.extend({ updatedAt: z.string().nullable() });

export const PublicHelpQuery = z.strictObject({ programId: z.uuid({ message: 'must be a UUID' }) });

/** What a locked phone may fetch: the programme's help settings and nothing about any patient. */
export const PublicHelp = z.object({
  programId: z.string(),
  clinicPhone: z.string().nullable(),
  crisisLines: z.array(z.object({ labelEn: z.string(), labelEs: z.string(), phone: z.string() })),
  afterHoursLines: z.array(z.object({ labelEn: z.string(), labelEs: z.string(), phone: z.string() })),
  naloxonePlaces: z.array(z.object({ name: z.string(), address: z.string(), hours: z.string(), phone: z.string().nullable(), note: z.string().nullable() })),
});

const Contact = z.strictObject({ name: Text, phone: Phone });
export const SafetyPlanContent = z.strictObject({
  warningSigns: z.array(Text).max(100),
  copingStrategies: z.array(Text).max(100),
  distractions: z.array(Text).max(100),
  helpers: z.array(Contact).max(100),
  professionals: z.array(Contact).max(100).describe('988 is always shown first; it need not be typed.'),
  safeEnvironment: z.array(Text).max(100),
});

export const SafetyPlanSave = z.strictObject({
  version: z.number().int().min(0).describe('The version this edit was made from (0 when there was no plan). Another version saved since is a 409 stale_version.'),
  plan: SafetyPlanContent,
});

const SavedBy = z.object({
  kind: z.enum(['patient', 'staff']),
  /** The staff member's name (console only; the patient app is told the role kind only). */
  name: z.string().nullable(),
});

/** The current plan: version 0 and empty parts when none was saved yet. */
export const SafetyPlan = z.object({
  version: z.number().int(),
  plan: z.object({
    warningSigns: z.array(z.string()),
    copingStrategies: z.array(z.string()),
    distractions: z.array(z.string()),
    helpers: z.array(z.object({ name: z.string(), phone: z.string() })),
    professionals: z.array(z.object({ name: z.string(), phone: z.string() })),
    safeEnvironment: z.array(z.string()),
  }),
  savedAt: z.string().nullable(),
  savedBy: SavedBy.nullable(),
});

export const SafetyPlanVersions = z.object({
  items: z.array(
    z.object({
      version: z.number().int(),
      savedAt: z.string(),
      savedBy: SavedBy,
      changedSections: z.array(z.enum(SAFETY_PLAN_SECTIONS)),
      plan: SafetyPlan.shape.plan,
    }),
  ),
});

/** Who on the care team the patient can ask for by role (staff have no phone of their own: the clinic's number is used). */
export const PatientCareTeam = z.object({
  roles: z.array(z.enum(CARE_TEAM_ROLES)),
  /** A role's direct work number (E.164) where its member has one; otherwise the patient calls the clinic and asks for them. */
  phones: z.partialRecord(z.enum(CARE_TEAM_ROLES), z.string()),
});

/** The patient's current care plan, narrowed to what they see (no staff names, no clinician rationale). */
export const PatientPlan = z.object({
  plan: z
    .object({
      title: z.string(),
      reviewDate: z.string(),
      updatedAt: z.string(),
      goals: z.array(
        z.object({
          id: z.string(),
          description: z.string(),
          /** The target in staff's words, when it was written as text. */
          targetText: z.string().nullable(),
          /** A measured target: e.g. at least (>=) 6 tests; the app says it in words. */
          targetValue: z.number().nullable(),
          targetComparator: z.enum(['<', '<=', '>=', '>']).nullable(),
          targetUnit: z.string().nullable(),
          dueDate: z.string(),
          status: z.string(),
        }),
      ),
      interventions: z.array(
        z.object({
          id: z.string(),
          text: z.string(),
          frequency: z.string(),
          /** Roles of who helps with it (never names). */
          roles: z.array(z.string()),
          /** Why, in plain words, in English and Spanish (the app shows the patient's language), or null. */
          rationale: z.object({ en: z.string(), es: z.string() }).nullable(),
        }),
      ),
    })
    .nullable(),
  language: z.enum(['en', 'es']),
});
