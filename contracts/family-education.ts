// Family education over HTTP (issue 16, docs/family.md): the lessons a family member reads in the
// app and which they finished, their own naloxone kits and training, and meetings for families
// (/api/patient/family, auth 'family'); and which lessons a family member finished, for the
// counsellor (/api/v1/family-members/:id/lessons, read:family). A family member's own record:
// none of it is a patient's record.
import { z } from 'zod';
import { LESSON_LINKS, LESSON_TOPICS } from '../core/family/education.ts';
import { PRODUCTS } from '../core/naloxone/stock.ts';
import { TRAINING_STEPS } from '../core/naloxone/steps.ts';
import { IsoDate, IsoDateTime } from './common.ts';

export const LessonKeyParams = z.strictObject({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, { message: 'must be a lesson key' }) });

export const LessonListItem = z.object({
  key: z.string(),
  topic: z.enum(LESSON_TOPICS),
  title: z.string(),
  summary: z.string(),
  minutes: z.number().int(),
  screens: z.number().int(),
  finishedAt: IsoDateTime.nullable(),
});
/** Every lesson, in order, in the family member's language (a short fixed library: bounded). */
export const LessonList = z.object({ language: z.enum(['en', 'es']), items: z.array(LessonListItem), bounded: z.literal(true) });

const Link = z.enum(LESSON_LINKS).nullable();
export const LessonScreenOut = z.discriminatedUnion('kind', [
  z.object({ id: z.string(), kind: z.literal('read'), title: z.string(), body: z.string(), link: Link }),
  z.object({
    id: z.string(),
    kind: z.literal('naloxone-steps'),
    title: z.string(),
    intro: z.string(),
    /** The clinic's five steps (core/naloxone/steps.ts), in order. */
    steps: z.array(z.object({ key: z.enum(TRAINING_STEPS), title: z.string(), body: z.string() })),
    link: Link,
  }),
]);
export const LessonOut = z.object({
  key: z.string(),
  version: z.number().int(),
  topic: z.enum(LESSON_TOPICS),
  language: z.enum(['en', 'es']),
  title: z.string(),
  summary: z.string(),
  minutes: z.number().int(),
  screens: z.array(LessonScreenOut),
  sources: z.array(z.object({ id: z.string(), citation: z.string(), url: z.string().nullable() })),
  finishedAt: IsoDateTime.nullable(),
});
export const LessonFinished = z.object({ key: z.string(), finishedAt: IsoDateTime });

/** The family member's own naloxone kits and training (given to them by family_member_id). */
export const FamilyOwnNaloxone = z.object({
  today: IsoDate,
  kits: z.array(
    z.object({
      product: z.enum(PRODUCTS),
      givenOn: IsoDate,
      expiresOn: IsoDate,
      trained: z.boolean(),
      expired: z.boolean(),
      /** Expired, or expires within 30 days (the patient app's rule, server/modules/naloxone): "Ask the clinic for a new one." */
      askForNew: z.boolean(),
    }),
  ),
  /** Their trainings, newest first: "You were trained on …" and the steps covered. */
  trainings: z.array(z.object({ trainedOn: IsoDate, steps: z.array(z.enum(TRAINING_STEPS)) })),
  trained: z.boolean(),
});

/** For the counsellor: the lessons a family member finished (in the library's order), and how many there are. */
export const MemberLessons = z.object({
  items: z.array(z.object({ key: z.string(), title: z.string(), finishedAt: IsoDateTime })),
  total: z.number().int(),
  bounded: z.literal(true),
});
