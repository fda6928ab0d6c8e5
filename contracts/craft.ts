// CRAFT for a concerned significant other (issue 16, docs/family.md): the staff console's
// courses and the CSO's own part of the app. The CSO's record is theirs, not a patient's.
import { z } from 'zod';
import { Id, IsoDate } from './common.ts';

const Lang = z.enum(['en', 'es']);
const Instrument = z.enum(['phq-9', 'gad-7']);
const Answers = z.record(z.string().max(4), z.number().int()).describe('Item number → answer (0-3), as the instrument library takes them');

export const CraftCourseCreate = z
  .strictObject({
    /** A new CSO: their name as they want it shown, phone and language. */
    displayName: z.string().trim().min(1).max(120).optional(),
    phone: z.string().max(40).optional(),
    language: Lang.default('en'),
    /** Or a family member already on record. */
    familyMemberId: Id.optional(),
    lovedOne: z.string().trim().min(1, { message: 'say who their loved one is, e.g. "my son"' }).max(80),
    startedOn: IsoDate,
    counsellorId: Id.optional(),
  })
  .describe('A new CRAFT client (displayName) or an existing family member (familyMemberId), and the course');

export const CraftSessionUpdate = z.strictObject({
  status: z.enum(['held', 'missed', 'scheduled']).optional(),
  heldOn: IsoDate.optional(),
  scheduledOn: IsoDate.optional(),
  note: z.string().max(2000).nullable().optional(),
});
export const CraftOutcomeCreate = z.strictObject({
  enteredTreatment: z.boolean(),
  enteredOn: IsoDate.optional(),
  setting: z.string().trim().max(200).optional(),
});
export const CraftClose = z.strictObject({ reason: z.string().trim().min(1, { message: 'say why the course ends' }).max(500) });
export const WellbeingCreate = z.strictObject({ instrument: Instrument, answers: Answers });
export const CraftHomework = z.strictObject({ response: z.string().trim().min(1, { message: 'write an answer' }).max(4000) });

const Summary = z.object({
  held: z.number().int(),
  missed: z.number().int(),
  homeworkDone: z.number().int(),
  unrecorded: z.number().int(),
  next: z.object({ number: z.number().int(), scheduledOn: IsoDate }).nullable(),
  onTrack: z.boolean(),
  finished: z.boolean(),
});
const Outcome = z.object({ id: Id, enteredTreatment: z.boolean(), enteredOn: IsoDate.nullable(), setting: z.string().nullable(), recordedAt: z.string() });
const Text = z.object({ en: z.string(), es: z.string() });
const Homework = z.object({ kind: z.enum(['question', 'checklist']), prompt: Text, items: z.array(Text) });
const Assessment = z.object({ id: Id, instrument: Instrument, score: z.number().int(), severity: z.string(), source: z.enum(['app', 'staff']), completedAt: z.string(), helpNow: z.boolean() });
const Trend = z.object({
  instrument: Instrument,
  first: z.number().int(),
  latest: z.number().int(),
  change: z.number().int(),
  direction: z.enum(['better', 'worse', 'about-the-same']),
  count: z.number().int(),
});

export const CraftCourseListItem = z.object({
  id: Id,
  familyMemberId: Id,
  displayName: z.string(),
  lovedOne: z.string(),
  startedOn: IsoDate,
  closedAt: z.string().nullable(),
  counsellorId: Id,
  summary: Summary,
  outcome: Outcome.nullable(),
  /** PHQ-9 item 9 answered above "not at all" in the CSO's latest PHQ-9: call them. */
  helpNowFlag: z.boolean(),
});
export const CraftCourseList = z.object({ items: z.array(CraftCourseListItem), bounded: z.literal(true) });

export const CraftCourseView = CraftCourseListItem.extend({
  phone: z.string().nullable(),
  language: Lang,
  counsellorName: z.string(),
  closedReason: z.string().nullable(),
  sessions: z.array(
    z.object({
      number: z.number().int(),
      topic: z.string(),
      title: Text,
      homework: Homework,
      scheduledOn: IsoDate,
      status: z.enum(['scheduled', 'held', 'missed']),
      heldOn: IsoDate.nullable(),
      note: z.string().nullable(),
      homeworkDoneAt: z.string().nullable(),
      homeworkResponse: z.string().nullable(),
    }),
  ),
  wellbeing: z.array(Assessment),
  trend: z.array(Trend),
  outcomes: z.array(Outcome),
  sources: z.array(z.string()),
});

/** The CSO's own course in the app, in their language. */
export const MyCraft = z.object({
  course: z
    .object({
      lovedOne: z.string(),
      startedOn: IsoDate,
      closed: z.boolean(),
      summary: Summary,
      sessions: z.array(
        z.object({
          number: z.number().int(),
          title: z.string(),
          aim: z.string(),
          points: z.array(z.string()),
          homework: z.object({ kind: z.enum(['question', 'checklist']), prompt: z.string(), items: z.array(z.string()) }),
          scheduledOn: IsoDate,
          status: z.enum(['scheduled', 'held', 'missed']),
          open: z.boolean().describe('Whether its homework may be written now (its day has come, or it was held)'),
          homeworkDoneAt: z.string().nullable(),
          homeworkResponse: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  wellbeing: z.array(Assessment),
  trend: z.array(Trend),
  /** The PHQ-9 and GAD-7 to answer, in my language (the publisher's wording). */
  forms: z.array(
    z.object({
      instrument: Instrument,
      intro: z.string(),
      items: z.array(z.object({ linkId: z.string(), text: z.string() })),
      options: z.array(z.object({ value: z.number().int(), text: z.string() })),
    }),
  ),
});
export const WellbeingResult = z.object({ assessment: Assessment, trend: z.array(Trend) });
