// Levels of care and medication visits (issue 14, ADR 044): a programme's phase template and
// take-home tiers, residential / therapeutic-community stays with their phases and
// privileges, take-home schedules, extended-release naltrexone injections and the work list
// of injections due. Request schemas are strict; limits that name a field are core's (400
// with `problems`).
import { z } from 'zod';
import { ASAM_LEVELS } from '../core/levels-of-care/asam.ts';
import { INJECTION_STATUSES } from '../core/levels-of-care/injections.ts';
import { Id, IsoDate } from './common.ts';

const Text = z.string().max(2000);
const Reason = z.string().trim().min(1, { message: 'is required' }).max(2000);

const Label = z.strictObject({ en: Text, es: Text });
const PhaseIn = z.strictObject({ code: z.string().max(60), label: Label, privileges: z.array(Text).max(50) });
export const PhaseTemplate = z.strictObject({ name: Text, phases: z.array(PhaseIn).max(50) });
const Tier = z.strictObject({
  fromDay: z.number().int().describe('Day of treatment the tier starts on (day 1 = the first day).'),
  maxDoses: z.number().int().describe('The most take-home doses dispensed at once from that day.'),
});

export const LevelOfCareSettings = z.strictObject({
  phaseTemplate: PhaseTemplate.describe('What a new stay starts with; a stay keeps the template it started with.'),
  takeHomeTiers: z.array(Tier).max(20).describe('Ascending by fromDay, from day 1; never above 42 CFR 8.12(i) (7 from day 1, 14 from day 15, 28 from day 31).'),
});
export const LevelOfCareSettingsRead = LevelOfCareSettings.extend({ updatedAt: z.string().nullable(), federalCitation: z.string() });

export const AsamLevel = z.enum(ASAM_LEVELS);

export const StartStay = z.strictObject({
  episodeId: Id.describe('The open residential or therapeutic-community episode of care this stay belongs to.'),
  asamLevel: AsamLevel.describe('A residential level: 3.1, 3.5 or 3.7.'),
  startedOn: IsoDate,
  reason: Reason.optional(),
});
export const ChangePhase = z.strictObject({
  direction: z.enum(['advance', 'reduce']),
  fromPhase: z.string().max(60).describe('The phase code the stay is at as the console showed it; moved since → 409 stale_phase.'),
  reason: Reason,
});
export const EndStay = z.strictObject({ endedOn: IsoDate, reason: Reason });

export const StayParams = z.strictObject({ patientId: Id, stayId: Id });

const Phase = z.object({ code: z.string(), label: z.object({ en: z.string(), es: z.string() }), privileges: z.array(z.string()) });
export const Stay = z.object({
  id: z.string(),
  episodeId: z.string(),
  asamLevel: AsamLevel,
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  phaseIndex: z.number().int(),
  phase: Phase,
  phases: z.array(Phase),
  history: z.array(
    z.object({
      kind: z.enum(['started', 'advanced', 'reduced', 'ended']),
      from: z.string().nullable(),
      to: z.string().nullable(),
      reason: z.string(),
      changedBy: z.string().nullable(),
      changedAt: z.string(),
    }),
  ),
});

export const RecordTakeHomeSchedule = z.strictObject({
  medication: z.enum(['methadone', 'buprenorphine']),
  dose: z.string().trim().min(1, { message: 'is required' }).max(100).describe('As prescribed, e.g. "80 mg".'),
  treatmentStartedOn: IsoDate.describe('Day 1 of treatment: the take-home tiers count from it.'),
  effectiveOn: IsoDate,
  takeHomeDoses: z.number().int().min(0).max(28).describe('Take-home doses dispensed at once; more than the tier of that day allows is a 400.'),
  clinicDays: z.array(z.number().int().min(0).max(6)).max(7).describe('Weekdays the person doses at the clinic (0 = Sunday).'),
  note: Text.nullable().optional(),
});
export const TakeHomeSchedule = z.object({
  id: z.string(),
  medication: z.enum(['methadone', 'buprenorphine']),
  dose: z.string(),
  treatmentStartedOn: z.string(),
  effectiveOn: z.string(),
  takeHomeDoses: z.number().int(),
  clinicDays: z.array(z.number().int()),
  note: z.string().nullable(),
  prescriber: z.string().nullable(),
  recordedAt: z.string(),
});

export const RecordInjection = z.strictObject({
  kind: z.enum(['given', 'stopped']).default('given').describe('An injection given, or the prescriber stopping the course (no more are due).'),
  givenOn: IsoDate.describe('The local date it was given (or stopped).'),
  doseMg: z.number().int().min(1).max(1000).optional().describe('Required for an injection (usually 380).'),
  site: z.enum(['left-gluteal', 'right-gluteal']).optional().describe('Required for an injection.'),
  encounterId: Id.nullable().optional().describe('The medication visit it was given at, when there was one.'),
  note: Text.nullable().optional(),
});
export const Injection = z.object({
  id: z.string(),
  kind: z.enum(['given', 'stopped']),
  givenOn: z.string(),
  doseMg: z.number().int().nullable(),
  site: z.string().nullable(),
  encounterId: z.string().nullable(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
const Due = z.object({ dueOn: z.string(), status: z.enum(INJECTION_STATUSES), daysUntilDue: z.number().int() });

export const Housing = z.object({
  track: z.string(),
  trackName: z.string().nullable(),
  /** The latest level the CM engine recommended, with the prescriber's decision (null while pending). */
  level: z.string().nullable(),
  decision: z.enum(['approved', 'declined']).nullable(),
  recommendedAt: z.string().nullable(),
});

export const PatientLevelsOfCare = z.object({
  patientId: z.string(),
  today: z.string().describe('The programme’s local date.'),
  stays: z.array(Stay).describe('Newest first; at most one is open.'),
  openEpisodes: z
    .array(z.object({ id: z.string(), levelOfCare: z.string(), admittedOn: z.string() }))
    .describe('Residential or therapeutic-community episodes without a stay, that a stay can start in.'),
  housing: z.array(Housing).describe('From the active CM enrolment’s housing privilege tracks (read-only).'),
  takeHomes: z.object({
    current: TakeHomeSchedule.nullable(),
    dayOfTreatment: z.number().int().nullable(),
    maxTakeHomeDoses: z.number().int().nullable().describe('What the programme’s tiers allow today.'),
    history: z.array(TakeHomeSchedule),
  }),
  injections: z.object({ items: z.array(Injection), next: Due.nullable() }),
});

export const InjectionsDue = z.object({
  today: z.string(),
  items: z.array(
    z.object({
      patientId: z.string(),
      displayName: z.string(),
      mrn: z.string(),
      lastGivenOn: z.string(),
      ...Due.shape,
    }),
  ),
  nextCursor: z.string().nullable(),
});
