// Validation of a patient context from outside (CLI file, API body). Missing fields mean
// unknown; unknown enum values and unknown keys are errors that name their path.
import { z } from 'zod';
import { MOUD_VALUES, MUTUAL_HELP_GROUPS, NEEDS, STAGES, SUBSTANCES, type PatientContext } from './types.ts';

export interface ContextProblem {
  path: string;
  message: string;
}

/** Thrown by parseContext; the API maps it to 400. */
export class PlanningInputError extends Error {
  readonly code = 'planning-context-invalid';
  constructor(readonly problems: ContextProblem[]) {
    super(`invalid patient context: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PlanningInputError';
  }
}

const opt = <T extends z.ZodType>(t: T) => t.nullable().optional();
/** NA / AA / SMART are accepted in any case ("na", "Smart"). */
const group = z.preprocess((v) => (typeof v === 'string' && v.toLowerCase() !== 'none' ? v.toUpperCase() : typeof v === 'string' ? 'none' : v), z.enum(MUTUAL_HELP_GROUPS));

export const patientContextSchema = z.strictObject({
  stage: opt(z.enum([...STAGES, 'unknown'])),
  moud: opt(z.enum(MOUD_VALUES)),
  prefersNonMedication: opt(z.boolean()),
  substances: opt(z.array(z.enum(SUBSTANCES))),
  phq9: opt(z.number().int().min(0).max(27)),
  phq9Item9: opt(z.number().int().min(0).max(3)),
  gad7: opt(z.number().int().min(0).max(21)),
  recentOverdose: opt(z.boolean()),
  family: opt(z.strictObject({ involved: opt(z.boolean()), partner: opt(z.boolean()) })),
  needs: opt(z.array(z.enum(NEEDS))),
  mutualHelp: opt(
    z.strictObject({
      // A single group or a list of groups.
      attends: opt(z.union([group.transform((g) => [g]), z.array(group)])),
      stigmaReported: opt(z.boolean()),
    }),
  ),
  prefersSecular: opt(z.boolean()),
  cmAvailable: opt(z.boolean()),
});

/** What a programme's records show about contingency management (the server counts them). */
export interface ProgrammeCmRecord {
  /** Protocols in the programme's CM library (any version). */
  protocols: number;
  /** Patients enrolled in CM now. */
  activeEnrolments: number;
}

/**
 * Whether the programme can offer CM, for the planning context: yes when it has a CM
 * protocol or a patient enrolled now (it runs CM); otherwise not recorded (undefined), never
 * "no" — a programme that has not set CM up in Waypoint may still offer it, and a clinician
 * can say so (a supplied cmAvailable wins).
 */
export function cmAvailabilityOf(record: ProgrammeCmRecord): true | undefined {
  return record.protocols > 0 || record.activeEnrolments > 0 ? true : undefined;
}

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0 ? '(context)' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

/** Parses and validates a context; throws PlanningInputError listing every problem with its path. */
export function parseContext(input: unknown): PatientContext {
  const result = patientContextSchema.safeParse(input);
  if (result.success) return result.data as PatientContext;
  const problems: ContextProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: pathOf([...issue.path, key]), message: 'unknown field' });
    } else {
      problems.push({ path: pathOf(issue.path), message: issue.message });
    }
  }
  throw new PlanningInputError(problems);
}
