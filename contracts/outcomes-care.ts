// Care outcomes over HTTP (issue 17, docs/outcomes.md "Care: attendance, counselling
// compliance, medication adherence, stage of change"): per cohort of the admissions of a period,
// visit attendance (and by kind of visit), counselling months met, medication adherence (doses
// CM recorded, doses a network member witnessed, naltrexone injections on time) and the stage of
// change first → latest, each with the counts behind it. A percent is null when its denominator
// is 0 (not recorded). Aggregates only: no patient names or identifiers.
import { z } from 'zod';
import { COHORTS } from '../core/outcomes/dashboard.ts';
import { STAGES } from '../core/planning/types.ts';
import { IsoDate } from './common.ts';

export const CareQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional(), cohort: z.enum(COHORTS).default('all') });

const Count = z.number().int().min(0);
const Percent = z.number().nullable();

/** Bookings on visits during the admissions, by what happened; percent = attended ÷ (attended + missed). */
export const AttendanceCounts = z.object({
  visits: Count,
  attended: Count,
  missed: Count,
  cancelledByPatient: Count,
  cancelledByClinic: Count,
  excused: Count,
  notRecorded: Count,
  percent: Percent,
});

export const CareCohort = z.object({
  key: z.string(),
  admissions: Count,
  /** `admissions`: those booked on at least one visit; `byKind`: by the visit type's category. */
  attendance: AttendanceCounts.extend({ admissions: Count, byKind: z.array(AttendanceCounts.extend({ kind: z.string() })) }),
  /** Admission-months in which the counselling rules asked for a visit (`months`), those met (held ≥ required), and the visits required and held. */
  counselling: z.object({ admissions: Count, months: Count, monthsMet: Count, required: Count, held: Count, percent: Percent }),
  medication: z.object({
    /** Dose slots CM recorded: taken (of them observed), recorded not taken, missed; percent = taken ÷ expected. */
    cmDoses: z.object({ admissions: Count, expected: Count, taken: Count, observed: Count, notTaken: Count, missed: Count, percent: Percent }),
    /** Days a network member reported: taken or missed; percent = taken ÷ days reported. */
    witnessed: z.object({ admissions: Count, days: Count, taken: Count, missed: Count, percent: Percent }),
    /** Naltrexone injections due: given on time, late, not given; percent = on time ÷ due. */
    injections: z.object({ admissions: Count, due: Count, onTime: Count, late: Count, notGiven: Count, percent: Percent }),
    /** Waypoint records no returns of take-home doses: always null (not recorded). */
    takeHomesReturned: z.null(),
  }),
  /** Admissions with two or more stage assessments during them (`admissions`) and the rest (`fewer`); first → latest. Null when none had two. */
  stage: z.object({
    admissions: Count,
    fewer: Count,
    forward: Count.nullable(),
    same: Count.nullable(),
    back: Count.nullable(),
    matrix: z.array(z.object({ from: z.enum(STAGES), to: z.array(Count) })).nullable(),
  }),
});

export const CareOutcomes = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  cohort: z.enum(COHORTS),
  admissions: Count,
  /** The stages in the order of each matrix row's `to` counts. */
  stages: z.array(z.enum(STAGES)),
  cohorts: z.array(CareCohort),
});

export type CareQuery = z.infer<typeof CareQuery>;
export type CareOutcomes = z.infer<typeof CareOutcomes>;
