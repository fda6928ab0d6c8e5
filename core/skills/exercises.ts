// What a patient enters in each exercise type, as structured data (issue 13). The patient app
// builds these, the server checks them before storing, and the counsellor's review shows them
// field by field. One entry shape per type in EXERCISE_TYPES; nothing here is free-form JSON.
import { z } from 'zod';
import type { ExerciseType } from './module.ts';

const Line = z.string().trim().max(1000);
const Lines = z.array(z.string().trim().min(1).max(300)).max(20);
const Rating = z.number().int().min(0).max(10);

export const ENTRY_SCHEMAS = {
  chain: z.strictObject({ trigger: Line, thought: Line, feeling: Line, behaviour: Line, consequence: Line }),
  'craving-log': z.strictObject({
    situation: Line,
    before: Rating,
    after: Rating.nullable(),
    /** Seconds the patient stayed with the urge on the timer. */
    surfedSeconds: z.number().int().min(0).max(7200),
    whatHelped: Line,
  }),
  'role-play': z.strictObject({
    /** The index of the choice made in each scene, in order. */
    choices: z.array(z.number().int().min(0).max(3)).min(1).max(5),
  }),
  'decisional-balance': z.strictObject({ usingGood: Lines, usingNotSoGood: Lines, changingGood: Lines, changingNotSoGood: Lines }),
  'change-plan': z.strictObject({ changes: Line, reasons: Line, steps: Line, helpers: Line, obstacles: Line, signs: Line }),
  'problem-solving': z.strictObject({
    problem: Line,
    options: z
      .array(z.strictObject({ idea: z.string().trim().min(1).max(300), pros: Line, cons: Line }))
      .min(1)
      .max(8),
    /** The index of the option chosen, or null while still deciding. */
    chosen: z.number().int().min(0).max(7).nullable(),
    plan: Line,
  }),
  'coping-plan': z.strictObject({ warningSigns: Lines, steps: Lines, people: Lines, places: Lines }),
  'activity-scheduler': z.strictObject({
    activities: z
      .array(
        z.strictObject({
          what: z.string().trim().min(1).max(200),
          /** The local day planned (YYYY-MM-DD). */
          on: z.iso.date(),
          moodBefore: Rating.nullable(),
          moodAfter: Rating.nullable(),
          done: z.boolean(),
        }),
      )
      .min(1)
      .max(14),
  }),
  'thought-record': z.strictObject({
    situation: Line,
    thought: Line,
    feeling: Line,
    /** How strong the feeling was, 0–10, before and after the balanced thought. */
    before: Rating,
    evidenceFor: Line,
    evidenceAgainst: Line,
    balanced: Line,
    after: Rating.nullable(),
  }),
} satisfies Record<ExerciseType, z.ZodType>;

const entryOf = <T extends ExerciseType>(type: T) => z.strictObject({ type: z.literal(type), data: ENTRY_SCHEMAS[type] });

/** An entry of any type: the type names its shape. */
export const ExerciseEntry = z.discriminatedUnion('type', [
  entryOf('chain'),
  entryOf('craving-log'),
  entryOf('role-play'),
  entryOf('decisional-balance'),
  entryOf('change-plan'),
  entryOf('problem-solving'),
  entryOf('coping-plan'),
  entryOf('activity-scheduler'),
  entryOf('thought-record'),
]);
export type ExerciseEntry = z.infer<typeof ExerciseEntry>;

/** Whether an entry says anything at all (an empty form is not homework handed in). */
export function hasContent(entry: ExerciseEntry): boolean {
  const filled = (v: unknown): boolean =>
    typeof v === 'string' ? v.trim() !== '' : Array.isArray(v) ? v.some(filled) : typeof v === 'number' || (typeof v === 'object' && v !== null && Object.values(v).some(filled));
  if (entry.type === 'role-play') return entry.data.choices.length > 0;
  return filled(entry.data);
}
