// Skills modules over HTTP (issue 13): the library and the programme's own modules (staff),
// a patient's assignments, progress and homework (staff), the programme's completion funnel,
// and the patient app's own reads and writes under /api/patient/skills.
import { z } from 'zod';
import { ExerciseEntry } from '../core/skills/exercises.ts';
import { LANGUAGES, MODULE_INTERVENTIONS, SkillsModule, TOPICS, Text } from '../core/skills/module.ts';
import { STAGES } from '../core/planning/types.ts';
import { INTERVENTION_CODES } from '../core/planning/types.ts';
import { Id, IsoDate, IsoDateTime, PageQuery, pageOf } from './common.ts';

export { SkillsModule };

const ModuleKey = z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, { message: 'must be a module key (lower-case letters, digits and dashes)' });
export const ModuleKeyParams = z.strictObject({ key: ModuleKey });
export const ModuleVersionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

/** A module in the library: built-in (read-only) or the programme's own, at its latest version. */
export const ModuleSummary = z.object({
  key: z.string(),
  version: z.number().int(),
  origin: z.enum(['built-in', 'programme']),
  /** published (offered and assignable), draft (the programme's editors only), retired (no longer offered). */
  status: z.enum(['published', 'draft', 'retired']),
  topic: z.enum(TOPICS),
  interventions: z.array(z.enum(MODULE_INTERVENTIONS)),
  stages: z.array(z.enum(STAGES)),
  minutes: z.number().int(),
  title: Text,
  goal: Text,
  languages: z.array(z.enum(LANGUAGES)),
  screens: z.number().int(),
  /** Where the app reads the module's content (public, cached for offline use; no patient data). */
  contentUrl: z.string().nullable(),
});
export const ModuleLibrary = z.object({ items: z.array(ModuleSummary) });

export const ModuleVersion = z.object({
  version: z.number().int(),
  status: z.enum(['published', 'draft', 'retired']),
  createdAt: IsoDateTime,
  createdByName: z.string().nullable(),
  publishedAt: IsoDateTime.nullable(),
  publishedByName: z.string().nullable(),
});
export const ModuleDetail = z.object({
  summary: ModuleSummary,
  content: SkillsModule,
  basedOn: z.string().nullable(),
  versions: z.array(ModuleVersion),
  /** The lint's findings: problems stop publishing; warnings do not. */
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
});

/** A programme's own module: the document (checked on save against the schema; the lint runs on publish). */
export const ModuleDraft = z.strictObject({ content: z.unknown(), basedOn: ModuleKey.optional() });

// ---------- a patient's skills (staff) ----------

export const Assignment = z.object({
  id: Id,
  moduleKey: z.string(),
  dueOn: z.string().nullable(),
  carePlanId: Id.nullable(),
  interventionId: z.string().nullable(),
  status: z.enum(['open', 'cancelled']),
  assignedAt: IsoDateTime,
  assignedByName: z.string().nullable(),
});
export const AssignmentCreate = z.strictObject({
  moduleKey: ModuleKey,
  dueOn: IsoDate.optional(),
  /** Assigning from a care plan's intervention: the plan and the intervention's id. */
  carePlanId: Id.optional(),
  interventionId: z.string().min(1).max(100).optional(),
});
export const AssignmentParams = z.strictObject({ patientId: Id, id: Id });

export const Progress = z.object({
  version: z.number().int(),
  screens: z.number().int(),
  furthestScreen: z.number().int(),
  startedAt: IsoDateTime,
  lastActiveAt: IsoDateTime,
  completedAt: IsoDateTime.nullable(),
  /** Whether the completion posted a CM module event. */
  rewarded: z.boolean(),
});

export const PatientModule = z.object({
  key: z.string(),
  title: Text,
  topic: z.enum(TOPICS),
  status: z.enum(['assigned', 'started', 'completed']),
  /** Due and not completed by the end of the due date (the programme's day). */
  overdue: z.boolean(),
  assignment: Assignment.nullable(),
  progress: Progress.nullable(),
  homework: z.object({ entries: z.number().int(), reviewed: z.number().int() }),
});
export const PatientSkills = z.object({
  /** The patient's current stage of change (null when none recorded): it orders the suggestions. */
  stage: z.enum(STAGES).nullable(),
  /** Module keys suggested for the stage, best first. */
  suggestions: z.array(z.string()),
  modules: z.array(PatientModule),
});
export const SuggestionQuery = z.strictObject({ intervention: z.enum(INTERVENTION_CODES).optional() });

export const Review = z.object({ id: Id, comment: z.string().nullable(), reviewedAt: IsoDateTime, reviewedByName: z.string().nullable() });
export const Entry = z.object({
  id: Id,
  moduleKey: z.string(),
  moduleTitle: Text,
  version: z.number().int(),
  stepId: z.string(),
  homework: z.boolean(),
  entry: ExerciseEntry,
  enteredAt: IsoDateTime,
  reviews: z.array(Review),
});
export const EntryPage = pageOf(Entry);
export const EntryQuery = z.strictObject({ homework: z.enum(['true', 'false']).optional(), ...PageQuery });
export const ReviewCreate = z.strictObject({ comment: z.string().trim().max(2000).optional() });
export const EntryParams = z.strictObject({ patientId: Id, id: Id });

/** Homework waiting for a review, across the programme (newest first). */
export const HomeworkItem = z.object({ id: Id, patientId: Id, patientName: z.string(), moduleKey: z.string(), moduleTitle: Text, enteredAt: IsoDateTime });
export const HomeworkPage = pageOf(HomeworkItem);
export const HomeworkQuery = z.strictObject({ mine: z.enum(['true', 'false']).optional(), ...PageQuery });

export const ReportQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });
export const ModuleFunnel = z.object({
  key: z.string(),
  title: Text,
  origin: z.enum(['built-in', 'programme']),
  screens: z.number().int(),
  screenTitles: z.array(Text),
  assigned: z.number().int(),
  started: z.number().int(),
  completed: z.number().int(),
  medianMinutes: z.number().nullable(),
  stoppedAt: z.array(z.number().int()),
  dropOffScreen: z.number().int().nullable(),
  homeworkEntries: z.number().int(),
  homeworkReviewed: z.number().int(),
});
export const SkillsReport = z.object({ from: z.string(), to: z.string(), items: z.array(ModuleFunnel) });

// ---------- the patient app ----------

export const AppModule = z.object({
  key: z.string(),
  version: z.number().int(),
  title: Text,
  goal: Text,
  topic: z.enum(TOPICS),
  minutes: z.number().int(),
  screens: z.number().int(),
  contentUrl: z.string(),
  dueOn: z.string().nullable(),
  assigned: z.boolean(),
  status: z.enum(['new', 'started', 'completed']),
  furthestScreen: z.number().int().nullable(),
});
export const AppComment = z.object({ entryId: Id, moduleKey: z.string(), stepId: z.string(), comment: z.string(), reviewedAt: IsoDateTime, by: z.string().nullable() });
export const AppSkills = z.object({ modules: z.array(AppModule), comments: z.array(AppComment) });

/** When the patient did it on the phone (sent later when offline): at most 7 days back, never ahead. */
const At = z.iso.datetime({ offset: true, message: 'must be a date and time (ISO 8601)' });
export const AppScreen = z.strictObject({ moduleKey: ModuleKey, version: z.number().int().min(1), screen: z.number().int().min(0).max(19), at: At });
export const AppScreenResult = z.object({ furthestScreen: z.number().int(), screens: z.number().int() });
export const AppEntry = z.strictObject({
  /** Chosen by the app: the entry is stored once under it. */
  id: Id,
  moduleKey: ModuleKey,
  version: z.number().int().min(1),
  stepId: z.string().min(1).max(40),
  homework: z.boolean(),
  entry: ExerciseEntry,
  at: At,
});
export const AppEntryResult = z.object({ id: Id, duplicate: z.boolean() });
export const AppCompletion = z.strictObject({ moduleKey: ModuleKey, version: z.number().int().min(1), at: At });
export const AppCompletionResult = z.object({
  completedAt: IsoDateTime,
  duplicate: z.boolean(),
  /** What the completion earned in CM (an assigned module, first completion, a protocol that rewards modules), else null. */
  earned: z.object({ voucherCents: z.number().int(), draws: z.number().int() }).nullable(),
});
