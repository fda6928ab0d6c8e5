// What every exercise component is given: its part of the module (the config: prompt and what
// the type needs), the patient's draft so far, and where to send a changed draft. A draft is the
// form as the patient fills it (empty lines, ratings not chosen yet); toData turns it into the
// entry's data, which ENTRY_SCHEMAS checks before Save is offered.
import type { Exercise, ExerciseType } from '../../../../../core/skills/module.ts';

export type ConfigOf<T extends ExerciseType> = Extract<Exercise, { type: T }>;
/** A new draft, or how to change the newest one (the urge timer's ticks, which must not undo what was typed meanwhile). */
export type Update<D> = D | ((draft: D) => D);
export type ExerciseProps<T extends ExerciseType, D> = { config: ConfigOf<T>; value: D; onChange: (draft: Update<D>) => void };
