// Counselling compliance, caseloads and the counsellor's today (issue 14, ADR 043). The
// compliance status informs and never blocks: medication may not be made contingent on
// counselling (42 CFR 8.12 as amended in 2024). Request schemas are strict; the limits that
// name a field are core/counselling's (400 with `problems`).
import { z } from 'zod';
import { COMPLIANCE_STATUSES, MAX_PHASES } from '../core/counselling/compliance.ts';
import { Id, IsoDate, PageQuery, pageOf } from './common.ts';

export const CASELOAD_KINDS = ['counsellor', 'peer'] as const;

// --- rules ---------------------------------------------------------------------------
export const CounsellingPhase = z.strictObject({
  fromDay: z.number().int().describe('Days since the episode’s admission this phase starts on (the first phase: 0).'),
  everyDays: z.number().int().describe('At least one counselling visit every this many days.'),
});
export const CounsellingRules = z.strictObject({
  phases: z.array(CounsellingPhase).max(MAX_PHASES),
  dueSoonDays: z.number().int().describe('A visit shows as due from this many days before its due date.'),
});
export const CounsellingRulesRead = CounsellingRules.extend({
  isDefault: z.boolean().describe('True while the programme uses the default (no administrator has saved rules).'),
  updatedAt: z.string().nullable(),
});

// --- compliance ----------------------------------------------------------------------
const Status = z.enum(COMPLIANCE_STATUSES);
const StaffRef = z.object({ id: z.string(), name: z.string() });

export const Compliance = z.object({
  status: Status,
  dueOn: z.string(),
  lastSeenOn: z.string().nullable(),
  dayOfTreatment: z.number().int(),
  everyDays: z.number().int(),
  daysOverdue: z.number().int(),
});

export const PatientCompliance = z.object({
  patientId: z.string(),
  today: z.string(),
  admittedOn: z.string().nullable().describe('The current episode’s admission (null: no current episode, so no status).'),
  compliance: Compliance.nullable(),
  informsOnly: z.literal(true).describe('Always true: the status never blocks medication or anything else.'),
});

export const OverdueQuery = z.strictObject({
  status: z.enum(['overdue', 'due']).default('overdue').describe('overdue (the default), or due (due soon or today)'),
  counsellorId: Id.optional().describe('Only this counsellor’s caseload.'),
  unassigned: z.enum(['true', 'false']).optional().describe('Only patients with no counsellor.'),
  ...PageQuery,
});
export const OverdueItem = z.object({
  patientId: z.string(),
  patientName: z.string(),
  mrn: z.string(),
  counsellor: StaffRef.nullable(),
  ...Compliance.shape,
});
export const OverdueList = pageOf(OverdueItem).extend({ today: z.string() });

export const ReportQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month as YYYY-MM' })
    .optional()
    .describe('YYYY-MM (default: the month under way, in the programme’s time zone)'),
  format: z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv'),
});
export const ReportPatientRow = z.object({
  patientId: z.string(),
  patientName: z.string(),
  mrn: z.string(),
  counsellor: StaffRef.nullable(),
  required: z.number().int(),
  held: z.number().int(),
  statusAtMonthEnd: Status.nullable(),
  dueOn: z.string().nullable(),
});
const Counts = z.object({
  patients: z.number().int(),
  required: z.number().int(),
  held: z.number().int(),
  onTrack: z.number().int(),
  due: z.number().int(),
  overdue: z.number().int(),
});
export const ReportCounsellorRow = Counts.extend({ counsellor: StaffRef.nullable().describe('null: patients with no counsellor at month end') });
export const ComplianceReport = z.object({
  month: z.string(),
  first: z.string(),
  last: z.string(),
  patients: z.array(ReportPatientRow),
  counsellors: z.array(ReportCounsellorRow),
  totals: Counts,
  informsOnly: z.literal(true),
});

// --- caseloads -----------------------------------------------------------------------
export const CaseloadAssign = z.strictObject({
  kind: z.enum(CASELOAD_KINDS),
  userId: Id,
  reason: z.string().max(500).optional().describe('Why (required when the patient already has someone of this kind: a transfer).'),
});
export const CaseloadEnd = z.strictObject({ kind: z.enum(CASELOAD_KINDS), reason: z.string().max(500) });
const Assignment = z.object({
  id: z.string(),
  kind: z.enum(CASELOAD_KINDS),
  staff: StaffRef,
  startedAt: z.string(),
  startedBy: z.string().nullable(),
  reason: z.string().nullable(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  endReason: z.string().nullable(),
});
export const PatientCaseload = z.object({
  patientId: z.string(),
  counsellor: Assignment.nullable(),
  peer: Assignment.nullable(),
  history: z.array(Assignment).describe('Every assignment, newest first.'),
});
export const CaseloadSizes = z.object({
  staff: z.array(z.object({ staff: StaffRef, counsellor: z.number().int(), peer: z.number().int() })),
  unassigned: z.object({ counsellor: z.number().int(), peer: z.number().int() }).describe('Patients in a current episode with no one of that kind.'),
});
export const CaseloadQuery = z.strictObject({
  userId: Id.optional().describe('Whose caseload (default: the signed-in staff member’s).'),
  kind: z.enum(CASELOAD_KINDS).default('counsellor'),
  ...PageQuery,
});
export const CaseloadPatients = z.object({
  items: z.array(z.object({ patientId: z.string(), patientName: z.string(), mrn: z.string(), since: z.string(), compliance: Compliance.nullable() })),
  nextCursor: z.string().nullable(),
});

// --- the counsellor's today ----------------------------------------------------------
export const TodayQuery = z.strictObject({ date: IsoDate.optional().describe('A day in the programme’s time zone (default: today).') });

const TodayPatient = z.object({
  patientId: z.string(),
  patientName: z.string(),
  arrivedAt: z.string().nullable(),
  attendance: z.string().nullable(),
  stage: z.object({ stage: z.string(), label: z.string(), assessedAt: z.string() }).nullable(),
  plan: z
    .object({
      planId: z.string(),
      title: z.string(),
      status: z.string(),
      reviewDate: z.string(),
      reviewDue: z.boolean(),
      goals: z.array(z.object({ id: z.string(), description: z.string(), status: z.string(), dueDate: z.string().nullable() })),
    })
    .nullable(),
  cm: z.object({ enrolmentId: z.string(), protocolName: z.string(), status: z.string(), startDate: z.string(), endDate: z.string(), balanceCents: z.number().int() }).nullable(),
  latestScreen: z.object({ id: z.string(), collectedOn: z.string(), valid: z.boolean(), negative: z.boolean(), positive: z.array(z.string()) }).nullable(),
  latestCheckIn: z
    .object({ id: z.string(), day: z.string(), craving: z.number().nullable(), mood: z.number().nullable(), usedSince: z.boolean().nullable(), medication: z.string().nullable() })
    .nullable(),
  compliance: Compliance.nullable(),
  sinceLastSession: z
    .object({
      since: z.string().nullable().describe('When the person was last seen at a counselling visit (null: never; counts are then over the last 30 days).'),
      screens: z.number().int().nullable(),
      checkIns: z.number().int().nullable(),
      alerts: z.number().int().nullable(),
      planChanges: z.number().int().nullable(),
    })
    .describe('Each item is null (like stage, plan, cm, latestScreen, latestCheckIn and compliance) when the caller’s role may not read that kind of record.'),
});
export const TodayEncounter = z.object({
  id: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  typeCode: z.string(),
  typeLabel: z.object({ en: z.string(), es: z.string() }),
  category: z.string(),
  counselling: z.boolean(),
  modality: z.string(),
  title: z.string().nullable(),
  status: z.string(),
  noteUrl: z.string().describe('The console page where the note is started: /encounters/<id>.'),
  patients: z.array(TodayPatient),
});
export const CounsellorToday = z.object({ date: z.string(), timeZone: z.string(), encounters: z.array(TodayEncounter), informsOnly: z.literal(true) });
