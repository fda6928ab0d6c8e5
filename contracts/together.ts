// Behavioural couples therapy and network therapy over HTTP (issue 16, docs/family.md): the
// recovery contract and the couple's trust-talk calendar, the patient's network (members,
// meetings, doses a member saw taken) with adherence. Staff (/api/v1), the patient's own app and
// the family member's app (/api/patient).
import { z } from 'zod';
import { CONTRACT_PARTS, DAY_STATUSES } from '../core/family/couples.ts';
import { Id, IsoDate, IsoDateTime } from './common.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);

// ---------- the recovery contract ----------

export const ContractCreate = z.strictObject({
  /** The partner: a family member linked to the patient as partner or spouse. */
  familyMemberId: Id,
  /** Part keys (core/family/couples.ts CONTRACT_PARTS); the daily trust discussion is required. */
  terms: z.array(z.string().max(60)).max(20),
  ownTerms: z.string().trim().max(1000).nullish(),
  /** Defaults to today; never in the future. */
  startsOn: IsoDate.optional(),
});

export const ContractSummary = z.object({
  daysSoFar: z.number().int(),
  daysHeld: z.number().int(),
  percentHeld: z.number().int().nullable(),
  streak: z.number().int(),
});

export const RecoveryContract = z.object({
  id: Id,
  patientId: Id,
  partner: z.object({ familyMemberId: Id, displayName: z.string() }),
  terms: z.array(z.enum(CONTRACT_PARTS)),
  ownTerms: z.string().nullable(),
  startsOn: IsoDate,
  /** The contract's last day in the programme's calendar, once ended. */
  endedOn: IsoDate.nullable(),
  status: z.enum(['open', 'ended']),
  summary: ContractSummary,
  createdAt: IsoDateTime,
});
export const ContractList = z.object({ items: z.array(RecoveryContract), bounded: z.literal(true) });

export const CalendarDay = z.object({
  day: IsoDate,
  status: z.enum(DAY_STATUSES),
  medicationWitnessed: z.boolean().nullable(),
  /** Who said so: the patient, the partner or staff (in session); null when nobody did. */
  recordedBy: z.enum(['patient', 'partner', 'staff']).nullable(),
});
export const ContractCalendar = z.object({
  contractId: Id,
  month: z.string(),
  today: IsoDate,
  days: z.array(CalendarDay),
  summary: ContractSummary,
});
export const MonthQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month as YYYY-MM' })
    .optional(),
});

export const DayParams = z.strictObject({ patientId: Id, id: Id, day: IsoDate });
export const StaffDayRecord = z.strictObject({ held: z.boolean(), medicationWitnessed: z.boolean().nullish() });
export const RecordedDay = z.object({ day: IsoDate, held: z.boolean(), medicationWitnessed: z.boolean().nullable(), recordedBy: z.enum(['patient', 'partner', 'staff']) });

// ---------- the network ----------

export const NetworkMemberCreate = z.strictObject({
  /** A family member linked to the patient (they may then record doses in their app); or leave out and give a name. */
  familyMemberId: Id.optional(),
  displayName: Text(160).optional(),
  relationship: Text(80),
  role: z.string().trim().max(280).nullish(),
  joinedOn: IsoDate.optional(),
});
export const NetworkMember = z.object({
  id: Id,
  familyMemberId: Id.nullable(),
  displayName: z.string(),
  relationship: z.string(),
  role: z.string().nullable(),
  joinedOn: IsoDate,
  leftOn: IsoDate.nullable(),
});
export const NetworkMemberList = z.object({ items: z.array(NetworkMember), bounded: z.literal(true) });
export const NetworkLeave = z.strictObject({ leftOn: IsoDate.optional() });

export const NetworkMeetingCreate = z.strictObject({
  heldOn: IsoDate,
  attendees: z.array(Id).min(1).max(50),
  note: z.string().trim().max(2000).nullish(),
});
export const NetworkMeeting = z.object({
  id: Id,
  heldOn: IsoDate,
  attendees: z.array(z.object({ id: Id, displayName: z.string() })),
  note: z.string().nullable(),
  recordedAt: IsoDateTime,
});
export const NetworkMeetingList = z.object({ items: z.array(NetworkMeeting), bounded: z.literal(true) });

export const DoseCreate = z.strictObject({ networkMemberId: Id, day: IsoDate, taken: z.boolean() });
export const DoseQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });
export const WitnessedDose = z.object({
  id: Id,
  networkMemberId: Id,
  memberName: z.string(),
  day: IsoDate,
  taken: z.boolean(),
  source: z.enum(['app', 'staff']),
  recordedAt: IsoDateTime,
});
export const Adherence = z.object({
  from: IsoDate,
  to: IsoDate,
  days: z.number().int(),
  daysTaken: z.number().int(),
  daysMissed: z.number().int(),
  daysUnrecorded: z.number().int(),
  percentTaken: z.number().int().nullable(),
  longestRun: z.number().int(),
  currentRun: z.number().int(),
  window: z.array(z.object({ day: IsoDate, status: z.enum(['taken', 'missed', 'unrecorded']) })),
});
export const DoseList = z.object({ from: IsoDate, to: IsoDate, items: z.array(WitnessedDose), adherence: Adherence, bounded: z.literal(true) });

// ---------- the patient's app ----------

export const PatientTogether = z.object({
  today: IsoDate,
  contract: z
    .object({
      id: Id,
      partnerName: z.string(),
      terms: z.array(z.enum(CONTRACT_PARTS)),
      ownTerms: z.string().nullable(),
      startsOn: IsoDate,
      calendar: ContractCalendar,
    })
    .nullable(),
});
export const AppDayParams = z.strictObject({ day: IsoDate });
export const PatientDayRecord = z.strictObject({ held: z.boolean() });

// ---------- the family member's app ----------

export const PartnerContract = z.object({
  id: Id,
  terms: z.array(z.enum(CONTRACT_PARTS)),
  ownTerms: z.string().nullable(),
  startsOn: IsoDate,
  /** Whether a consent in effect lets me see what my partner recorded (then this view is a recorded disclosure). */
  shared: z.boolean(),
  /** The patient's first name, only when shared. */
  firstName: z.string().nullable(),
  /** Every recorded day when shared; otherwise only the days I recorded myself. */
  calendar: ContractCalendar,
  /** Shown with shared information: the notice against redisclosure. */
  notice: z.object({ statement: z.string(), plain: z.string() }).nullable(),
});
export const MyNetworkMembership = z.object({
  id: Id,
  role: z.string().nullable(),
  joinedOn: IsoDate,
  /** The doses I reported, the last 28 days (my own record). */
  myDoses: z.array(z.object({ day: IsoDate, taken: z.boolean() })),
});
export const FamilyTogether = z.object({
  today: IsoDate,
  contracts: z.array(PartnerContract),
  memberships: z.array(MyNetworkMembership),
});
export const FamilyContractDayParams = z.strictObject({ id: Id, day: IsoDate });
export const PartnerDayRecord = z.strictObject({ held: z.boolean(), medicationWitnessed: z.boolean().nullish() });
export const FamilyDoseParams = z.strictObject({ memberId: Id, day: IsoDate });
export const FamilyDoseRecord = z.strictObject({ taken: z.boolean() });
export const RecordedDose = z.object({ day: IsoDate, taken: z.boolean() });
